package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Canonical columns of the plan table, in the order of the published template.
const (
	colDistrict = iota
	colSeq
	colName
	colItems
	colScope
	colRatio
	colRisk
	colWindow
	colInitiator
	colCooperators
	colMode
	numCols
)

// columnNames are the header cells, normalised (no spaces, full-width brackets).
var columnNames = [numCols]string{
	"地市", "序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次",
	"智慧监管（信用风险分类）要求", "抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式",
}

// columnWords are the plain names used in repair messages.
var columnWords = [numCols]string{
	"地市", "序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次",
	"信用风险分类要求", "抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式",
}

// rawRow is one row of the source table: its line (text) or sheet row (xlsx) and cells.
// merged marks cells whose value came from a real merged range of the xlsx.
type rawRow struct {
	line   int
	cells  []string
	merged []bool
}

// sourceRows is what a reader hands to the table parser.
type sourceRows struct {
	name  string // file name for messages
	where string // "" for text, `工作表“附件1”` for xlsx
	rows  []rawRow
}

func (s *sourceRows) at(line int) string {
	return fmt.Sprintf("%s %s第%d行", s.name, s.where, line)
}

func normHeader(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '(':
			return '（'
		case r == ')':
			return '）'
		}
		return r
	}, s)
	return s
}

// headerMap returns the physical column of each canonical column when row is a header row.
func headerMap(cells []string) ([numCols]int, bool, error) {
	var m [numCols]int
	for i := range m {
		m[i] = -1
	}
	hasSeq, hasName := false, false
	for j, c := range cells {
		h := normHeader(c)
		switch h {
		case "序号":
			hasSeq = true
		case "抽查任务名称":
			hasName = true
		}
		for k, want := range columnNames {
			if h == want || (k == colRisk && strings.HasPrefix(h, "智慧监管")) || (k == colDistrict && h == "地区") {
				if m[k] < 0 {
					m[k] = j
				}
			}
		}
	}
	if !hasSeq || !hasName {
		return m, false, nil
	}
	var missing []string
	for k, j := range m {
		if j < 0 {
			missing = append(missing, "“"+columnNames[k]+"”")
		}
	}
	if len(missing) > 0 {
		return m, true, fmt.Errorf("表头缺少%s列", strings.Join(missing, ""))
	}
	return m, true, nil
}

var digitsRE = regexp.MustCompile(`^[0-9]+$`)

func isSeq(s string) bool { return digitsRE.MatchString(s) && len(s) < 7 }

func cleanCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}

// parseRows turns the rows of a plan table into tasks, repairing what the real plans
// break. See the package documentation for the repairs.
func parseRows(src *sourceRows, id string) (*Plan, error) {
	p := &Plan{ID: id}
	var (
		hdr       [numCols]int
		haveHdr   bool
		lastPhys  int
		district  string
		above     [numCols]string // last value of each column within the district
		bySeq     = map[int]int{}
		preambleT []string
	)
	for _, row := range src.rows {
		cells := make([]string, len(row.cells))
		nonEmpty := 0
		for j, c := range row.cells {
			cells[j] = cleanCell(c)
			if cells[j] != "" {
				nonEmpty++
			}
		}
		if nonEmpty == 0 {
			continue
		}
		m, isHdr, err := headerMap(cells)
		if isHdr {
			if err != nil {
				return nil, fmt.Errorf("读取计划 %s: %w", src.at(row.line), err)
			}
			hdr, haveHdr = m, true
			lastPhys = 0
			for _, j := range hdr {
				lastPhys = max(lastPhys, j)
			}
			continue
		}
		if !haveHdr {
			// A title merged across the columns repeats its text in every cell.
			var uniq []string
			for _, c := range nonEmptyCells(cells) {
				if len(uniq) == 0 || uniq[len(uniq)-1] != c {
					uniq = append(uniq, c)
				}
			}
			preambleT = append(preambleT, strings.Join(strings.Fields(strings.Join(uniq, " ")), " "))
			continue
		}
		get := func(phys []string, k int) string {
			if j := hdr[k]; j < len(phys) {
				return phys[j]
			}
			return ""
		}
		merged := func(k int) bool {
			j := hdr[k]
			return j < len(row.merged) && row.merged[j]
		}
		var repairs []string
		shiftedRow := false

		// A repeated title line: one cell, no task number.
		if nonEmpty == 1 && get(cells, colSeq) == "" && get(cells, colScope) == "" {
			only := ""
			for _, c := range cells {
				if c != "" {
					only = c
				}
			}
			if strings.Contains(only, "计划") || strings.Contains(only, "附件") {
				continue
			}
			return nil, fmt.Errorf("读取计划 %s: 无法识别的行“%s”", src.at(row.line), only)
		}

		// A row that lost its district cell: every cell moved one column left.
		if hdr[colDistrict] == 0 && hdr[colSeq] == 1 && len(cells) > 1 &&
			isSeq(cells[0]) && cells[1] != "" && !isSeq(cells[1]) &&
			(len(cells) <= lastPhys || cells[lastPhys] == "") {
			shifted := make([]string, lastPhys+1)
			copy(shifted[1:], cells)
			cells = shifted
			repairs = append(repairs, "本行缺少地市单元格，各栏整体左移了一列，已右移还原")
			shiftedRow = true
		}

		var v [numCols]string
		for k := range v {
			v[k] = get(cells, k)
		}

		// District: only at the start of a group; normalised.
		if v[colDistrict] != "" {
			d := NormalizeDistrict(v[colDistrict])
			if d != v[colDistrict] && !merged(colDistrict) {
				repairs = append(repairs, fmt.Sprintf("地市“%s”规范为“%s”", v[colDistrict], d))
			}
			if d != district {
				district = d
				above = [numCols]string{}
			}
		} else if district == "" {
			return nil, fmt.Errorf("读取计划 %s: 缺少地市", src.at(row.line))
		} else if shiftedRow {
			repairs = append(repairs, fmt.Sprintf("地市沿用上方的“%s”", district))
		}

		// A row without 序号 adds another target scope to the task above.
		if v[colSeq] == "" {
			if len(p.Tasks) == 0 {
				return nil, fmt.Errorf("读取计划 %s: 第一个任务之前有一行没有序号", src.at(row.line))
			}
			t := &p.Tasks[len(p.Tasks)-1]
			if v[colScope] == "" {
				t.Repairs = append(t.Repairs, fmt.Sprintf("第%d行没有序号也没有抽查对象范围，已忽略（内容：%s）", row.line, strings.Join(nonEmptyCells(cells), " | ")))
				continue
			}
			t.Scopes = append(t.Scopes, v[colScope])
			t.Repairs = append(t.Repairs, fmt.Sprintf("第%d行没有序号，其抽查对象范围“%s”并入本任务，作为第%d个抽查对象范围", row.line, v[colScope], len(t.Scopes)))
			continue
		}
		if !isSeq(v[colSeq]) {
			return nil, fmt.Errorf("读取计划 %s: 序号“%s”不是整数", src.at(row.line), v[colSeq])
		}
		seq, _ := strconv.Atoi(v[colSeq])
		if seq < 1 {
			return nil, fmt.Errorf("读取计划 %s: 序号“%s”应大于0", src.at(row.line), v[colSeq])
		}
		if prev, dup := bySeq[seq]; dup {
			return nil, fmt.Errorf("读取计划 %s: 序号%d重复（第%d行已有）", src.at(row.line), seq, p.Tasks[prev].Line)
		}

		// Cells that slid into a neighbouring column.
		if mode, ok := NormalizeMode(v[colCooperators]); ok {
			_ = mode
			word := v[colCooperators]
			if v[colMode] == "" {
				v[colMode], v[colCooperators], v[colInitiator] = word, v[colInitiator], ""
				if v[colCooperators] != "" {
					repairs = append(repairs, fmt.Sprintf("检查模式“%s”写在了配合部门栏：发起部门、配合部门、检查模式三栏左移了一列，已还原（配合部门为“%s”，发起部门沿用上方）", word, v[colCooperators]))
				} else {
					repairs = append(repairs, fmt.Sprintf("检查模式“%s”写在了配合部门栏：发起部门、配合部门、检查模式三栏左移了一列，已还原（发起部门、配合部门沿用上方）", word))
				}
			} else {
				v[colCooperators] = ""
				repairs = append(repairs, fmt.Sprintf("配合部门栏写的是检查模式“%s”，已忽略，配合部门沿用上方", word))
			}
		}
		if m := v[colMode]; m != "" {
			if _, ok := NormalizeMode(m); !ok {
				if _, err := ParseWindow(m); err == nil {
					switch {
					case v[colWindow] == "":
						v[colWindow] = m
						repairs = append(repairs, fmt.Sprintf("抽查检查起止时间“%s”写在了检查模式栏，已移回", m))
					case v[colWindow] == m:
						repairs = append(repairs, fmt.Sprintf("检查模式栏重复写了起止时间“%s”，已忽略", m))
					default:
						repairs = append(repairs, fmt.Sprintf("检查模式栏写的是时间“%s”，与起止时间“%s”不一致，已忽略", m, v[colWindow]))
					}
					v[colMode] = ""
				} else if v[colCooperators] == "" {
					v[colCooperators] = m
					v[colMode] = ""
					repairs = append(repairs, fmt.Sprintf("配合部门“%s”写在了检查模式栏，已移回配合部门", m))
				}
			}
		}

		// Merged cells: an empty cell inherits the value above within the district.
		var inherited []string
		for k := colName; k < numCols; k++ {
			if v[k] == "" && above[k] != "" {
				v[k] = above[k]
				inherited = append(inherited, fmt.Sprintf("%s“%s”", columnWords[k], shorten(v[k], 24)))
			}
			if v[k] != "" {
				above[k] = v[k]
			}
		}
		if len(inherited) > 0 {
			repairs = append(repairs, "空单元格沿用上方的值（合并单元格）："+strings.Join(inherited, "、"))
		}

		t := Task{
			Seq:       seq,
			Key:       fmt.Sprintf("%s-%d", id, seq),
			District:  district,
			Name:      v[colName],
			Items:     v[colItems],
			Initiator: strings.Join(strings.Fields(v[colInitiator]), " "),
			Line:      row.line,
		}
		if v[colScope] != "" {
			t.Scopes = append(t.Scopes, v[colScope])
		}
		t.Ratio, err = ParseRatio(v[colRatio])
		if err != nil {
			return nil, fmt.Errorf("读取计划 %s（任务%d）: 抽查比例及频次: %w", src.at(row.line), seq, err)
		}
		t.Window, err = ParseWindow(v[colWindow])
		if err != nil {
			return nil, fmt.Errorf("读取计划 %s（任务%d）: %w", src.at(row.line), seq, err)
		}
		t.Rounds = RoundsIn(t.Ratio, t.Window)
		t.Risk = ParseRisk(v[colRisk])
		if mode, ok := NormalizeMode(v[colMode]); ok {
			t.Mode = mode
			if mode != v[colMode] {
				repairs = append(repairs, fmt.Sprintf("检查模式“%s”规范为“%s”", v[colMode], mode))
			}
		} else {
			t.Mode = v[colMode]
		}
		coops, glued := SplitDepartments(v[colCooperators], district)
		if glued {
			repairs = append(repairs, fmt.Sprintf("配合部门“%s”中几个部门之间缺少分隔符，已在“%s”处拆开", v[colCooperators], district))
		}
		t.Cooperators = coops
		t.Repairs = repairs
		bySeq[seq] = len(p.Tasks)
		p.Tasks = append(p.Tasks, t)
	}
	if !haveHdr {
		return nil, fmt.Errorf("读取计划 %s: 找不到表头行（应含“序号”“抽查任务名称”“抽查比例及频次”等列）", src.name)
	}
	if len(p.Tasks) == 0 {
		return nil, fmt.Errorf("读取计划 %s: 表头之后没有任何任务", src.name)
	}
	p.Title = pickTitle(preambleT)
	return p, nil
}

func pickTitle(lines []string) string {
	for _, l := range lines {
		if strings.Contains(l, "计划") {
			return l
		}
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "附件") {
			return l
		}
	}
	return ""
}

func nonEmptyCells(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
