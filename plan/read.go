package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/choucha/choucha/dept"
)

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

// Options are what the caller knows that the file may not say.
type Options struct {
	// ID is the plan id; "" derives one from an ASCII file name, else from the title's place
	// and year (see DeriveID and TitleID).
	ID string
	// District is the jurisdiction of a table without a 地市 column (--plan-district); "" takes it
	// from the title lines above the header, else leaves it empty (and plan lint says so).
	District string
	// Name is the file's name where path is a copy under another name (the web page keeps an
	// upload under a name it chooses): an ID "" is derived from Name instead of the copy's
	// name, so that an upload named 计划.xlsx gets the title's ID, as --plan 计划.xlsx does.
	Name string
}

var digitsRE = regexp.MustCompile(`^[0-9]+$`)

func isSeq(s string) bool { return digitsRE.MatchString(s) && len(s) < 7 }

func cleanCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}

// oneLine joins the lines of a multi-line cell (a cell copied out of Excel with Alt+Enter
// breaks): the break was layout, not a separator ("抽查比例\n及频次").
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		b.WriteString(strings.TrimSpace(l))
	}
	return b.String()
}

// reader is the state of one pass over a table. Each method is one named repair step; see
// parseRows for their order.
type reader struct {
	src      *sourceRows
	opts     Options
	p        *Plan
	hdr      *header
	title    string
	fallback string // the district of a table without a 地市 column (or of the rows above its first cell)
	district string
	// districtCell: a 地市 cell has been read; rows above the first take the fallback
	// (--plan-district), which their task's repairs then say.
	districtCell bool
	above        [numCols]string // last value of each column within the district
	lastN        int
	bySeq        map[int]int // n → index of its first task
	dups         map[int]int // n → tasks with this n so far
	group        int         // index of the task that started the current 序号's group, -1 before any
	planYear     int
	// typeNote is the index in Problems of the current table's note on its 抽查类型 column
	// (-1 none), typeRead whether a row of it said 本部门抽查 or 联合抽查; dropNotes are the
	// notes to drop when the plan is read, ascending (headerNotes).
	typeNote  int
	typeRead  bool
	dropNotes []int
	// splits are the department cells split so far (splitDepts), by district and text: a
	// plan repeats the same few cells row after row, and splitting was 40% of reading the
	// built-in plan.
	splits map[[2]string][]string
}

// parseRows turns the rows of a plan table into tasks. It refuses a file only when no header
// row can be found; everything else is repaired (Task.Repairs), flagged (Task.Flags) or
// reported (Plan.Problems), and every row with a 序号 becomes a task.
//
// The steps, each a method with its own table test:
//  1. findHeader — the first header row; the lines above it are the title;
//  2. per row: headerRow (a header repeated at a page break, with its second row; or a further
//     table's header, whose columns the rows below are read by),
//     skipRow (empty rows, repeated titles, footers),
//     restoreLostDistrict (a row whose cells moved one column left),
//     readDistrict (the district cell, or the fallback of a table without one),
//     readSeq (the 序号 as printed and its integer n);
//  3. a row without 序号: subRow (a further scope, cooperators, items — or, with a ratio of its
//     own, a task of its own);
//  4. a row with 序号: unslide (cells slid into a neighbouring column), inherit (merged cells),
//     build (each cell read, or flagged).
func parseRows(src *sourceRows, opts Options) (*Plan, error) {
	rd := &reader{src: src, opts: opts, p: &Plan{ID: opts.ID}, bySeq: map[int]int{}, dups: map[int]int{}, group: -1, typeNote: -1}
	start, err := rd.findHeader()
	if err != nil {
		return nil, err
	}
	rd.p.Title = rd.title
	rd.planYear = yearOf(rd.p.Title) // the windows are read against it
	rd.setFallbackDistrict()
	rows := src.rows[start+1:]
	lastData := -1 // the table's last row with a cell: a row cut off by the page is one
	for i := len(rows) - 1; i >= 0 && lastData < 0; i-- {
		for _, c := range rows[i].cells {
			if strings.TrimSpace(c) != "" {
				lastData = i
				break
			}
		}
	}
	for i := 0; i < len(rows); i++ {
		row := rows[i]
		cells := cleanCells(row.cells)
		if n := rd.headerRow(rows, i, cells); n > 0 {
			i += n - 1
			continue
		}
		if rd.skipRow(row, cells) {
			continue
		}
		var repairs []string
		cells, repairs = rd.restoreLostDistrict(row, cells, repairs)
		var v [numCols]string
		for k := range v {
			if j := rd.hdr.col[k]; j >= 0 && j < len(cells) {
				v[k] = cells[j]
			}
		}
		for _, k := range []int{colDistrict, colSeq, colName, colItems, colScope, colInitiator, colCooperators, colMode, colRisk} {
			v[k] = oneLine(v[k])
		}
		if v[colWindowEnd] != "" && v[colWindow] != "" {
			joined := oneLine(v[colWindow]) + "-" + oneLine(v[colWindowEnd])
			repairs = append(repairs, fmt.Sprintf("起止时间分在“%s”和“%s”两栏，合读为“%s”", rd.hdr.words[colWindow], rd.hdr.words[colWindowEnd], joined))
			v[colWindow] = joined
		}
		var flags []Flag
		repairs, flags = rd.readDistrict(row, &v, repairs, flags)
		byRow := rd.rowSeq(row, &v, cells)
		if v[colSeq] == "" {
			rd.subRow(row, v, cells, repairs, flags)
			continue
		}
		n, coded, ok := rd.readSeq(v[colSeq])
		if !ok {
			if n, ok = rd.wordSeq(row, v, cells); !ok {
				continue
			}
			repairs = append(repairs, fmt.Sprintf("序号“%s”按%d编号", v[colSeq], n))
		}
		if byRow {
			rd.p.RowNumbered++
			repairs = append(repairs, fmt.Sprintf("表中没有序号列，本行按顺序编为第%d项", n))
		} else {
			rd.p.NumberedRows++
		}
		if coded != "" {
			flags = append(flags, Flag{Kind: FlagSeq, Cell: "序号", Text: v[colSeq], Message: coded})
		}
		repairs = rd.unslide(&v, repairs)
		nameOnly := rd.nameOnly(v)
		cut := i == lastData && !nameOnly && rd.cutShort(v, len(cells))
		copied := rd.wouldInherit(v)
		repairs = rd.inherit(row, &v, repairs)
		if nameOnly || cut {
			msg := "本行只有序号和任务名称，其余各栏沿用了上方任务的（按合并单元格读）；表格若在此被截断，这些都不是本任务的：请对照原计划核对比例、时间和部门"
			if cut {
				msg = fmt.Sprintf("表格的最后一行只有%d格（表头有%d栏），其后各栏沿用了上方任务的（按合并单元格读）；表格若在此被截断，这些都不是本任务的：请对照原计划核对比例、时间和部门", len(cells), rd.hdr.last+1)
			}
			for _, k := range []struct {
				kind string
				col  int
			}{{FlagRatio, colRatio}, {FlagWindow, colWindow}, {FlagDept, colInitiator}} {
				// Only what the row takes from above, not its own cells; in a row cut short,
				// only the columns after its last cell (an empty cell before it is a merge).
				if copied[k.col] && (nameOnly || rd.hdr.col[k.col] >= len(cells)) {
					flags = append(flags, Flag{Kind: k.kind, Cell: columnWords[k.col], Text: v[k.col], Message: msg})
				}
			}
		}
		t := rd.build(row, v, n, repairs, flags)
		if byRow {
			t.SeqText = ""
		}
		rd.add(t, true)
	}
	rd.flagOtherYears()
	rd.closeTypeNote()
	for i := len(rd.dropNotes) - 1; i >= 0; i-- {
		rd.p.Problems = slices.Delete(rd.p.Problems, rd.dropNotes[i], rd.dropNotes[i]+1)
	}
	if len(rd.p.Tasks) == 0 {
		rd.problem(LintProblem, 0, "", "表头之后没有任何任务")
	}
	if rd.p.ID == "" {
		id, ok := TitleID(rd.p.Title)
		if !ok {
			return nil, fmt.Errorf("读取计划 %s: 无法从文件名或标题得出计划编号，请用 --plan-id 指定（只能用英文字母、数字和 . _ -，如 --plan-id SG2023）", src.name)
		}
		rd.p.ID = id
		for i := range rd.p.Tasks {
			rd.p.Tasks[i].Key = taskKey(id, rd.p.Tasks[i])
		}
	}
	return rd.p, nil
}

// headerAt reads rows[i] as the first header row of a table: its cells cleaned and its
// header, nil when it is none. A row whose first cell is empty — the 序号 cell left without its
// name, as 临沂's 2023 建筑市场 plan has it on the web page — is the header with that name when
// the row below begins with 1 there (unnamedSeq).
func headerAt(rows []rawRow, i int) (cells []string, h *header, unnamedSeq bool) {
	cells = cleanCells(rows[i].cells)
	h, ok := headerOf(cells)
	if ok && h.has(colSeq) {
		return cells, h, false
	}
	// A header without a 序号 (a table numbered by rows) is that header unless its empty
	// first cell is the 序号's, the row below beginning with 1 there.
	if len(cells) >= 2 && cells[0] == "" && i+1 < len(rows) {
		if next := rows[i+1].cells; len(next) > 0 && cleanCell(next[0]) == "1" {
			named := append([]string{"序号"}, cells[1:]...)
			if h, ok := headerOf(named); ok {
				return named, h, true
			}
		}
	}
	if ok {
		return cells, h, false
	}
	return cells, nil, false
}

// headerRow reads rows[i] (its cells cleaned) when it is a header row after the first: the
// same table's header repeated at a page break, or a further table's (newTable), each with its
// second row if it has one (header.subHeader). It returns how many rows it took, 0 when
// rows[i] is no header row.
func (rd *reader) headerRow(rows []rawRow, i int, cells []string) int {
	h, ok := headerOf(cells)
	if !ok {
		return 0
	}
	n := 1
	if i+1 < len(rows) && h.subHeader(cells, cleanCells(rows[i+1].cells)) {
		n = 2
	}
	if !rd.hdr.covers(h) {
		rd.newTable(rows[i], h)
	}
	return n
}

// newTable switches to the header h of a further table in the same file (a page with the
// bureau's own plan and the joint plan one after the other): its columns are read by h, and
// nothing is inherited from the table before it.
func (rd *reader) newTable(row rawRow, h *header) {
	rd.closeTypeNote()
	rd.hdr, rd.above = h, [numCols]string{}
	rd.problem(LintReading, row.line, "", fmt.Sprintf("第%d行起是另一张表（表头与前面的不同），按这一行的表头读取", row.line))
	rd.headerNotes(row, h)
}

// headerNotes reports the header cells of h left unread (header.ignoredNote) and its
// 抽查类型 cell, which is read only for 本部门抽查 and 联合抽查: its note, in the place it had
// among the others before the column was read, is dropped when a row of the table says
// either (closeTypeNote), so that a column of 定向 / 不定向 is still reported as unread.
func (rd *reader) headerNotes(row rawRow, h *header) {
	at := min(h.typeAt, len(h.ignored))
	for i, c := range h.ignored {
		if i == at {
			rd.typeNoteHere(row, h)
		}
		rd.problem(LintProblem, row.line, oneLine(c), h.ignoredNote(c))
	}
	if at == len(h.ignored) {
		rd.typeNoteHere(row, h)
	}
}

func (rd *reader) typeNoteHere(row rawRow, h *header) {
	if !h.has(colType) {
		return
	}
	rd.typeNote = len(rd.p.Problems)
	c := h.words[colType] // a cell of the header's second row
	if j := h.col[colType]; j < len(row.cells) {
		if k, _, ok := matchHeader(cleanCell(row.cells[j])); ok && k == colType {
			c = oneLine(cleanCell(row.cells[j]))
		}
	}
	rd.problem(LintProblem, row.line, c, fmt.Sprintf("表头“%s”下没有一行写本部门抽查或联合抽查（写的是定向、不定向等），此列未读取", c))
}

// closeTypeNote ends the current table's 抽查类型 note: dropped (when parseRows ends) when a
// row said 本部门抽查 or 联合抽查.
func (rd *reader) closeTypeNote() {
	if rd.typeNote >= 0 && rd.typeRead {
		rd.dropNotes = append(rd.dropNotes, rd.typeNote)
	}
	rd.typeNote, rd.typeRead = -1, false
}

// cleanCells is cleanCell of each cell of a row.
func cleanCells(raw []string) []string {
	out := make([]string, len(raw))
	for j, c := range raw {
		out[j] = cleanCell(c)
	}
	return out
}

// problem records a plan-level note of kind (a Lint kind): LintProblem for a row or column
// left unread, LintReading for how the reader took something it did read, or the kind of
// the task cells it concerns (a missing ratio column is LintRatio for every task).
func (rd *reader) problem(kind string, line int, cell, msg string) {
	rd.p.Problems = append(rd.p.Problems, Problem{Kind: kind, Line: line, Cell: cell, Message: msg})
}

// findHeader finds the first header row; the non-empty lines above it make the title. No
// header row is the one refusal: the message shows the lines looked at.
func (rd *reader) findHeader() (int, error) {
	var pre, looked []string
	for i, row := range rd.src.rows {
		cells, h, unnamedSeq := headerAt(rd.src.rows, i)
		if h != nil {
			rd.hdr = h
			if unnamedSeq {
				rd.problem(LintReading, row.line, "序号", fmt.Sprintf("表头第1列没有列名，其下第%d行起是 1、2、3……，按“序号”列读取", rd.src.rows[i+1].line))
			}
			rd.title = pickTitle(pre)
			at := i
			if i+1 < len(rd.src.rows) && h.subHeader(cells, cleanCells(rd.src.rows[i+1].cells)) {
				at = i + 1
			}
			rd.headerNotes(row, h)
			if !h.has(colRatio) && !h.has(colCount) {
				rd.problem(LintRatio, row.line, "抽查比例及频次", "表中没有抽查比例列：每个任务都需在抽取时用 --ratio 指定比例")
			}
			if !h.has(colWindow) {
				rd.problem(LintWindow, row.line, "抽查检查起止时间", "表中没有抽查时间列：每个任务都需在抽取时用 --window 指定时间")
			}
			return at, nil
		}
		if nonEmpty := nonEmptyCells(cells); len(nonEmpty) > 0 {
			// A title merged across the columns repeats its text in every cell.
			var uniq []string
			for _, c := range nonEmpty {
				c = oneLine(c)
				if len(uniq) == 0 || uniq[len(uniq)-1] != c {
					uniq = append(uniq, c)
				}
			}
			l := strings.Join(strings.Fields(strings.Join(uniq, " ")), " ")
			pre = append(pre, l)
			looked = append(looked, fmt.Sprintf("第%d行：%s", row.line, l))
		}
	}
	if len(looked) > 8 {
		looked = append(looked[:8:8], fmt.Sprintf("……（共%d行有内容）", len(pre)))
	}
	shown := make([]string, len(looked))
	for i, l := range looked {
		shown[i] = "  " + shorten(l, 80)
	}
	msg := fmt.Sprintf("读取计划 %s: 找不到表头行（应有一行含“序号”和“抽查任务名称”或“抽查事项”“抽查对象”等列名）", rd.src.name)
	if len(shown) == 0 {
		msg += "；文件没有任何内容"
	} else {
		msg += "。看过的行：\n" + strings.Join(shown, "\n")
	}
	return 0, fmt.Errorf("%s", msg)
}

// setFallbackDistrict decides the district of a table without a 地市 column: --plan-district, else
// the place the title names, else empty (reported).
func (rd *reader) setFallbackDistrict() {
	switch {
	case rd.opts.District != "":
		rd.fallback = NormalizeDistrict(rd.opts.District)
	case !rd.hdr.has(colDistrict):
		rd.fallback = titleDistrict(rd.p.Title)
		if rd.fallback != "" {
			rd.problem(LintDistrict, 0, "地市", fmt.Sprintf("表中没有地市列，地市取自标题：%s（可用 --plan-district 另行指定）", rd.fallback))
		}
	}
	if !rd.hdr.has(colDistrict) && rd.fallback == "" {
		rd.problem(LintDistrict, 0, "地市", "表中没有地市列，标题也没有写地方：各任务的地市为空，可用 --plan-district 指定，否则按名录原样抽取")
	}
	rd.district = rd.fallback
}

// wordSeq reads a row whose 序号 has no digits (readSeq refused it). A 序号 in Chinese numerals
// (一、 十二) on a row with a task's cells numbers that task; otherwise the row is no task and
// is reported: the title of a further table, a group heading (一、食品安全领域, or one text
// merged across the row), or words in the 序号 column.
func (rd *reader) wordSeq(row rawRow, v [numCols]string, cells []string) (int, bool) {
	ne := nonEmptyCells(cells)
	if cn := cnNumber(v[colSeq]); cn > 0 && len(slices.Compact(slices.Clone(ne))) > 1 &&
		(v[colRatio] != "" || v[colWindow] != "" || v[colInitiator] != "" || v[colScope] != "" || v[colCount] != "") {
		return cn, true
	}
	content := shorten(strings.Join(ne, " | "), 60)
	switch {
	case len(ne) == 1 && strings.Contains(ne[0], "计划"):
		// The title of a further table ("阳江市2025年度部门联合…计划" under the bureau's own).
		rd.problem(LintReading, row.line, "", fmt.Sprintf("标题行“%s”，已跳过（下面若是另一张表，按它的表头读取）", content))
	case sectionRE.MatchString(v[colSeq]):
		rd.problem(LintReading, row.line, "序号", fmt.Sprintf("“%s”是分组标题，不是任务，已跳过", content))
	default:
		rd.problem(LintProblem, row.line, "序号", fmt.Sprintf("序号“%s”不是编号，本行不是任务，已跳过（内容：%s）", v[colSeq], content))
	}
	return 0, false
}

// cnNumber is a 序号 in Chinese numerals, 一 to 九十九 with an optional 、 or . after it
// ("三、", "十二"), or 0. The numerals are cnDigit's.
func cnNumber(s string) int {
	t := []rune(strings.TrimRight(strings.TrimSpace(narrow(s)), "、.．"))
	unit := func(r rune) int { // 一 … 九
		if n := cnDigit(string(r)); r != '十' && unicode.Is(unicode.Han, r) && n >= 1 && n <= 9 {
			return n
		}
		return 0
	}
	tens, ones := 0, 0
	switch {
	case len(t) == 1 && t[0] == '十':
		return 10
	case len(t) == 1:
		return unit(t[0])
	case len(t) == 2 && t[0] == '十':
		tens, ones = 1, unit(t[1])
	case len(t) == 2 && t[1] == '十':
		return 10 * unit(t[0])
	case len(t) == 3 && t[1] == '十':
		tens, ones = unit(t[0]), unit(t[2])
	}
	if tens == 0 || ones == 0 {
		return 0
	}
	return 10*tens + ones
}

// sectionRE is a 序号 cell that numbers a group heading in Chinese numerals ("一、", "二").
var sectionRE = regexp.MustCompile(`^[一二三四五六七八九十]+(?:[、.．]|$)`)

var pageRE = regexp.MustCompile(`^(第\s*[0-9]+\s*页|[0-9]+\s*/\s*[0-9]+|-\s*[0-9]+\s*-)`)

// rowSeq numbers a row of a table without a 序号 column (台山 2021) by its place: a row with a
// task name of its own and another cell is the next task (v's 序号 set to its n); a row whose
// name is empty (merged from above) or that has nothing but one line (a 备注 under the table)
// is not. It reports whether it numbered the row.
func (rd *reader) rowSeq(row rawRow, v *[numCols]string, cells []string) bool {
	if rd.hdr.has(colSeq) || v[colName] == "" || rd.isMerged(row, colName) || len(nonEmptyCells(cells)) < 2 {
		return false
	}
	v[colSeq] = strconv.Itoa(rd.lastN + 1)
	return true
}

// flagOtherYears flags, in a plan whose title names no year, the windows that name another
// year than most of its windows (Plan.Year), as a titled plan's are flagged while read.
func (rd *reader) flagOtherYears() {
	if rd.planYear != 0 {
		return
	}
	year := rd.p.Year()
	if year == 0 {
		return
	}
	for i := range rd.p.Tasks {
		t := &rd.p.Tasks[i]
		if w := t.Window; w.Year != 0 && w.Year != year && !t.WindowOpen() {
			t.Flags = append(t.Flags, otherYearFlag(w, fmt.Sprintf("抽查时间在%d年，计划的其他任务是%d年的：抽取时须用 --window 指定", w.Year, year)))
		}
	}
}

// skipRow drops rows that carry no task: empty rows, a repeated title line or page number
// (header rows are headerRow's). A one-cell row that is none of these is reported.
func (rd *reader) skipRow(row rawRow, cells []string) bool {
	nonEmpty := nonEmptyCells(cells)
	if len(nonEmpty) == 0 {
		return true
	}
	if len(nonEmpty) == 1 && rd.cell(cells, colSeq) == "" && rd.cell(cells, colScope) == "" {
		only := oneLine(nonEmpty[0])
		if strings.Contains(only, "计划") || strings.Contains(only, "附件") || pageRE.MatchString(only) {
			return true
		}
		for _, k := range []int{colName, colItems, colInitiator, colCooperators} {
			if rd.hdr.has(k) && oneLine(rd.cell(cells, k)) == only {
				return false // an items-only or a department-only sub-row
			}
		}
		rd.problem(LintProblem, row.line, "", fmt.Sprintf("无法识别的行“%s”，已跳过", shorten(only, 60)))
		return true
	}
	return false
}

func (rd *reader) cell(cells []string, k int) string {
	if j := rd.hdr.col[k]; j >= 0 && j < len(cells) {
		return cells[j]
	}
	return ""
}

// restoreLostDistrict: in a table whose first two columns are 地市 and 序号, a row that lost
// its district cell has every cell one column left — the 序号 stands in the district column.
// The cells are moved back. A digit string is never a district.
func (rd *reader) restoreLostDistrict(row rawRow, cells, repairs []string) ([]string, []string) {
	h := rd.hdr
	if h.col[colDistrict] != 0 || h.col[colSeq] != 1 || len(cells) < 2 {
		return cells, repairs
	}
	if !isSeq(cells[0]) || cells[1] == "" || isSeq(cells[1]) {
		return cells, repairs
	}
	if len(cells) > h.last && cells[h.last] != "" {
		return cells, repairs // the row is full: its district cell really is a number (readDistrict flags it)
	}
	shifted := make([]string, h.last+1)
	copy(shifted[1:], cells)
	return shifted, append(repairs, "本行缺少地市单元格，各栏整体左移了一列，已右移还原")
}

// readDistrict reads the district cell: normalised, starting a new district group; a row
// without one keeps the district above (or the fallback of a table without a 地市 column).
func (rd *reader) readDistrict(row rawRow, v *[numCols]string, repairs []string, flags []Flag) ([]string, []Flag) {
	d := v[colDistrict]
	merged := func() bool {
		j := rd.hdr.col[colDistrict]
		return j >= 0 && j < len(row.merged) && row.merged[j]
	}
	switch {
	case !rd.hdr.has(colDistrict):
	case d != "" && digitsRE.MatchString(d):
		rd.districtCell = true
		flags = append(flags, Flag{Kind: FlagDistrict, Cell: "地市", Text: d, Message: fmt.Sprintf("地市单元格是数字“%s”，不是地名；地市沿用上方的“%s”", d, rd.district)})
	case d != "":
		rd.districtCell = true
		nd := NormalizeDistrict(d)
		if nd != d && !merged() {
			repairs = append(repairs, fmt.Sprintf("地市“%s”规范为“%s”", d, nd))
		}
		if nd != rd.district {
			rd.district = nd
			rd.above = [numCols]string{}
		}
	case rd.district == "" && v[colSeq] != "":
		flags = append(flags, Flag{Kind: FlagDistrict, Cell: "地市", Message: "缺少地市：可用 --plan-district 指定，否则按名录原样抽取"})
	case !rd.districtCell && rd.fallback != "" && v[colSeq] != "":
		// A table with a 地市 column whose first rows leave it empty: they take --plan-district,
		// which the plan itself does not say (a later district cell starts its own group).
		repairs = append(repairs, fmt.Sprintf("地市单元格为空，按 --plan-district 取“%s”", rd.district))
	case len(repairs) > 0 && v[colSeq] != "":
		repairs = append(repairs, fmt.Sprintf("地市沿用上方的“%s”", rd.district))
	}
	return repairs, flags
}

// readSeq reads a 序号 as printed: "12", "001", "****002", "1.", "(3)". n is the last run of
// digits; a 序号 with no digit ("****") is numbered after the one above and flagged. ok is
// false when the cell is words (a footer such as 填报人:), not a number.
func (rd *reader) readSeq(s string) (n int, coded string, ok bool) {
	t := strings.TrimRight(narrow(s), ".、)）．。 ")
	t = strings.TrimLeft(t, "(（")
	end := len(t)
	startDigits := end
	for startDigits > 0 && t[startDigits-1] >= '0' && t[startDigits-1] <= '9' {
		startDigits--
	}
	prefix := t[:startDigits]
	if startDigits == end {
		if hasHan(t) || t == "" {
			return 0, "", false
		}
		return rd.lastN + 1, fmt.Sprintf("序号“%s”没有数字，按上一个序号之后的%d编号", s, rd.lastN+1), true
	}
	if digits := end - startDigits; digits > 6 && !(digits <= 10 && prefix == "" && yearCode(t)) || hasHan(strings.TrimPrefix(prefix, "第")) {
		return 0, "", false
	}
	n, _ = strconv.Atoi(t[startDigits:])
	if n < 1 {
		return rd.lastN + 1, fmt.Sprintf("序号“%s”应大于0，按上一个序号之后的%d编号", s, rd.lastN+1), true
	}
	return n, "", true
}

// yearCode reports whether the digits t are a plan's own code that starts with its year
// (抽查计划编号 2023001 of a 石家庄 plan of 2023): 7 to 10 digits from 1990 to 2099 on.
func yearCode(t string) bool {
	if len(t) < 7 || len(t) > 10 {
		return false
	}
	y, err := strconv.Atoi(t[:4])
	return err == nil && y >= 1990 && y <= 2099
}

// unslide moves cells that slid into a neighbouring column back: a mode in the cooperator
// column, a time or a department in the mode column. A mode is never taken as a department,
// nor a department as a mode.
func (rd *reader) unslide(v *[numCols]string, repairs []string) []string {
	if !rd.hdr.has(colMode) || !rd.hdr.has(colCooperators) {
		return repairs
	}
	if IsMode(v[colCooperators]) {
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
	if m := v[colMode]; m != "" && !IsMode(m) {
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
		} else if v[colCooperators] == "" && looksLikeDept(m) {
			v[colCooperators] = m
			v[colMode] = ""
			repairs = append(repairs, fmt.Sprintf("配合部门“%s”写在了检查模式栏，已移回配合部门", m))
		}
	}
	return repairs
}

// nameOnly reports whether a numbered row has nothing of its own but its 序号, name and
// district while the task above has items or a scope: everything else would be inherited
// from a task with another 序号 — a merged cell, or a table cut off after the name (a page
// that stops mid-row, 青山区 2024's `6	车用油品质`).
func (rd *reader) nameOnly(v [numCols]string) bool {
	if v[colName] == "" || rd.above[colItems] == "" && rd.above[colScope] == "" {
		return false
	}
	for k := colItems; k < numCols; k++ {
		// A 抽查类型 cell is no content of the task's own (定向 on every row).
		if k != colType && rd.hdr.has(k) && v[k] != "" {
			return false
		}
	}
	return true
}

// cutShort reports whether a row of n cells — the table's last — ends before the columns of
// its ratio, window or initiator, which are empty and would be inherited from the task above:
// what a page that stops inside the row leaves (济南 人社 2021, cut inside its 抽查内容).
func (rd *reader) cutShort(v [numCols]string, n int) bool {
	if n > rd.hdr.last {
		return false
	}
	copied := rd.wouldInherit(v)
	for _, k := range []int{colRatio, colWindow, colInitiator} {
		if copied[k] && rd.hdr.col[k] >= n {
			return true
		}
	}
	return false
}

// wouldInherit are the columns of the row that inherit (below) would fill from the task above.
func (rd *reader) wouldInherit(v [numCols]string) (copied [numCols]bool) {
	for k := range v {
		copied[k] = rd.hdr.has(k) && v[k] == "" && rd.above[k] != ""
	}
	return copied
}

// inherit: an empty cell takes the value above within the district (a merged cell copied out
// as text keeps its value only in its first row). The 抽查类型 is inherited first, without a
// note (it is not part of the task); a task of the department's own (typeOwn) does not take
// the cooperators above — its empty cooperator cell is no merge but says none, as its 备注
// says to write 无 — and a merge of the cooperators does not reach over it.
func (rd *reader) inherit(row rawRow, v *[numCols]string, repairs []string) []string {
	var inherited []string
	own := false
	if rd.hdr.has(colType) {
		if v[colType] == "" {
			v[colType] = rd.above[colType]
		}
		rd.above[colType] = v[colType]
		kind := taskType(v[colType])
		own = kind == typeOwn
		rd.typeRead = rd.typeRead || kind != typeOther
	}
	for k := colName; k < numCols; k++ {
		if k == colType {
			continue
		}
		if k == colCooperators && own {
			if v[k] == "" && rd.above[k] != "" {
				repairs = append(repairs, fmt.Sprintf("%s：%s栏为空不是合并单元格，不沿用上方的“%s”，本任务没有配合部门", rd.typeWord(v[colType]), rd.hdr.words[k], shorten(oneLine(rd.above[k]), 24)))
			}
			rd.above[k] = v[k]
			if rd.namesNoOther(v[k], v[colInitiator]) {
				rd.above[k] = ""
			}
			continue
		}
		if k == colFreq || k == colCount {
			// Part of the ratio: inherited with it, never alone.
			if v[colRatio] == "" && v[k] == "" && rd.above[k] != "" && rd.above[colRatio] != "" {
				v[k] = rd.above[k]
			}
			if v[k] != "" || v[colRatio] != "" {
				rd.above[k] = v[k]
			}
			continue
		}
		if v[k] == "" && rd.above[k] != "" {
			v[k] = rd.above[k]
			inherited = append(inherited, fmt.Sprintf("%s“%s”", columnWords[k], shorten(oneLine(v[k]), 24)))
		}
		if v[k] != "" {
			rd.above[k] = v[k]
		}
	}
	if len(inherited) > 0 {
		repairs = append(repairs, "空单元格沿用上方的值（合并单元格）："+strings.Join(inherited, "、"))
	}
	return repairs
}

// build reads each cell of a task row; a cell without a single reading flags the task.
func (rd *reader) build(row rawRow, v [numCols]string, n int, repairs []string, flags []Flag) Task {
	t := Task{
		Seq:       n,
		SeqText:   v[colSeq],
		District:  rd.district,
		Name:      v[colName],
		Items:     v[colItems],
		Initiator: strings.Join(strings.Fields(v[colInitiator]), " "),
		Line:      row.line,
	}
	if v[colScope] != "" {
		t.Scopes = append(t.Scopes, v[colScope])
	}
	w, note, err := parseWindow(v[colWindow])
	if deadlineWords[rd.hdr.words[colWindow]] {
		var by string
		if w, by, note, err = parseDeadline(v[colWindow]); by != "" {
			note = fmt.Sprintf("%s“%s”是完成的期限，按“%s”读（%d月至%d月）", rd.hdr.words[colWindow], v[colWindow], by, w.From, w.To)
		}
	}
	rr := readRatio(v[colRatio], v[colFreq], v[colCount])
	if err != nil && v[colFreq] == "" && isFrequency(v[colWindow]) {
		// "每季度各抽查1次" in the time column (no window): the task's frequency, when reading
		// it as one finds no other problem (the ratio cell may have a frequency of its own).
		if alt := readRatio(v[colRatio], v[colWindow], v[colCount]); alt.flag == rr.flag {
			rr = alt
			rr.repairs = append(rr.repairs, fmt.Sprintf("抽查时间栏写的是频次“%s”，按抽查频次读", v[colWindow]))
		}
	}
	rr.takeRiskClasses(v[colRisk])
	if v[colRatio] == "" && pctRE.MatchString(v[colScope]) && rr.flag == "" {
		// 连州 2023: 抽查数量 "5户" beside 抽查对象范围 "辖区学校总数的 20%" — two figures for
		// one draw, the ratio in a column not read for one. The office says which.
		rr.flag = fmt.Sprintf("抽查对象范围“%s”写有比例，与抽查数量“%s”不知按哪一个抽取：抽取时用 --ratio 指定比例", v[colScope], oneLine(v[colCount]))
		rr.r.Percent, rr.r.MinCount, rr.r.Unspecified = "", 0, true
	}
	t.Ratio = rr.r
	repairs = append(repairs, rr.repairs...)
	if rr.flag != "" {
		flags = append(flags, Flag{Kind: FlagRatio, Cell: columnWords[colRatio], Text: ratioCells(v), Message: rr.flag})
	}
	if f := modeFrequency.FindString(narrow(v[colMode])); f != "" && !rr.freq {
		// 实施层级及说明 "市级检查(每半年开展一次)": a frequency the ratio cells do not write,
		// in a column that is not read for one. Once a year is what a ratio means anyway;
		// any other would be guessed away.
		if eg, yearly := modeFrequencyExample(t.Ratio, f); !yearly {
			flags = append(flags, Flag{Kind: FlagRatio, Cell: columnWords[colMode], Text: v[colMode],
				Message: fmt.Sprintf("抽查检查模式中写有频次“%s”，抽查比例及频次中没有，不知全年抽几轮（--ratio 可连频次一起写，如 %s）", f, eg)})
		}
	}
	if note != "" {
		repairs = append(repairs, note)
	}
	if err != nil {
		msg := err.Error()
		if !rd.hdr.has(colWindow) {
			msg = "表中没有抽查时间列"
		}
		flags = append(flags, Flag{Kind: FlagWindow, Cell: columnWords[colWindow], Text: v[colWindow], Message: msg + "：抽取时须用 --window 指定"})
		w = Window{Text: v[colWindow], From: 1, To: 12}
	} else if rd.planYear != 0 && w.Year != 0 && w.Year != rd.planYear {
		flags = append(flags, otherYearFlag(w, fmt.Sprintf("抽查时间在%d年，计划是%d年的：抽取时须用 --window 指定", w.Year, rd.planYear)))
	}
	t.Window = w
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
	t.Cooperators = rd.splitDepts(v[colCooperators])
	if rd.hdr.jointCoops {
		t.Cooperators = slices.DeleteFunc(t.Cooperators, func(d string) bool { return d == t.Initiator })
	}
	if c := strings.TrimSpace(oneLine(v[colCooperators])); c != "" {
		t.CooperatorCells = []string{c}
	}
	if rd.hdr.has(colType) && taskType(v[colType]) == typeOwn {
		repairs, flags = rd.ownTypeCoops(&t, v, repairs, flags)
	} else if c := strings.TrimSpace(oneLine(v[colCooperators])); c != "" && isNoDept(c) {
		// 无, —, / in the cooperator cell of any task: no cooperators, not a department of
		// that name (which no roster has: a cooperator left out with a warning, or the draw
		// refused under --strict).
		t.Cooperators, t.CooperatorCells = nil, nil
		repairs = append(repairs, fmt.Sprintf("%s“%s”即没有配合部门", rd.hdr.words[colCooperators], c))
	}
	for _, d := range append([]string{t.Initiator}, t.Cooperators...) {
		switch {
		case d == "":
		case !hasHan(d) || pctRE.MatchString(d) || digitsRE.MatchString(d):
			flags = append(flags, Flag{Kind: FlagDept, Cell: "部门", Text: d, Message: fmt.Sprintf("部门“%s”不像部门名称，可能是错位的单元格", d)})
		case saysDuty(d):
			// "市、县级交通运输管理部门发起,同级公安、市场监管部门按职责分工负责" in a 备注(联查部门)
			// column: a sentence about the departments, not a list of them.
			flags = append(flags, Flag{Kind: FlagDept, Cell: "部门", Text: d, Message: fmt.Sprintf("部门“%s”像是一句说明而不是部门名称：请核对参与的部门，必要时在计划文件中改写", d)})
		}
	}
	t.Repairs = repairs
	t.Flags = flags
	return t
}

// deadlineWords name a time column of deadlines.
var deadlineWords = map[string]bool{"完成时限": true, "抽查完成时限": true}

// modeFrequency is a frequency written in the mode column: 每半年开展一次, 每季度抽查1次, 2次/年.
var modeFrequency = regexp.MustCompile(`每(?:个)?(?:年度?|半年|季度?|月|周|天|日)(?:各)?(?:开展|组织|实施|进行)?(?:抽查|检查)?(?:[0-9]+|[一二两三四五六七八九十])次|(?:[0-9]+|[一二两三四五六七八九十])次/(?:年|半年|季度?|月)`)

// modeFrequencyExample reads a frequency found in the mode column (modeFrequency) as a ratio
// cell's would be (periodTimes, with the verb 开展 / 组织 / 实施 / 进行 left out): yearly when
// it is once a year; else eg is a --ratio with the task's percentage (5 when it has none) and
// that frequency (每季度开展一次 → 5%，每季度1次).
func modeFrequencyExample(r Ratio, f string) (eg string, yearly bool) {
	p := r.Percent
	if p == "" {
		p = "5"
	}
	n, per, _, ok := periodTimes(modeVerbs.Replace(f))
	if !ok {
		return p + "%，" + f, false // 2次/年: as written, which --ratio reads
	}
	if per == PerYear && n == 1 {
		return "", true
	}
	word := ""
	for _, w := range periodWordsIn {
		if w.per == per && word == "" && strings.HasPrefix(w.word, "每") && !strings.HasPrefix(w.word, "每个") {
			word = w.word // the first plain one: 每季度, not 每个季度
		}
	}
	if word == "" {
		return p + "%，" + f, false
	}
	return fmt.Sprintf("%s%%，%s%d次", p, word, n), false
}

// modeVerbs are the verbs a mode column's frequency writes that a ratio cell's does not.
var modeVerbs = strings.NewReplacer("开展", "", "组织", "", "实施", "", "进行", "")

func ratioCells(v [numCols]string) string {
	parts := []string{v[colRatio]}
	if v[colFreq] != "" {
		parts = append(parts, v[colFreq])
	}
	if v[colCount] != "" {
		parts = append(parts, v[colCount])
	}
	return strings.Join(nonEmptyCells(parts), " | ")
}

// splitDepts reads a department cell with package dept's one splitter (the task's district
// fills a piece without one).
func splitDepts(cell, district string) []string {
	if strings.TrimSpace(cell) == "" {
		return nil
	}
	var out []string
	for _, d := range dept.Texts(deptMap().Split(cell, dept.Scope{District: district})) {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// splitDepts is the package's splitDepts of cell in the current district, each text split
// once per read. The slice returned is the caller's own.
func (rd *reader) splitDepts(cell string) []string {
	k := [2]string{rd.district, cell}
	got, ok := rd.splits[k]
	if !ok {
		got = splitDepts(cell, rd.district)
		if rd.splits == nil {
			rd.splits = map[[2]string][]string{}
		}
		rd.splits[k] = got
	}
	return slices.Clone(got)
}

var deptMap = sync.OnceValue(dept.DefaultMap)

// add appends a task; seq says it came from a numbered row (a new group starts).
func (rd *reader) add(t Task, seq bool) {
	if seq {
		if prev, dup := rd.bySeq[t.Seq]; dup {
			rd.dups[t.Seq]++
			t.Flags = append(t.Flags, Flag{Kind: FlagSeq, Cell: "序号", Text: t.SeqText,
				Message: fmt.Sprintf("序号%d重复（第%d行已有），本任务的编号记作 %d~%d", t.Seq, rd.p.Tasks[prev].Line, t.Seq, rd.dups[t.Seq]+1)})
		} else {
			rd.bySeq[t.Seq] = len(rd.p.Tasks)
		}
		rd.lastN = t.Seq
		rd.group = len(rd.p.Tasks)
	}
	t.dup = rd.dups[t.Seq]
	if !seq {
		t.dup = rd.p.Tasks[rd.group].dup
	}
	t.Key = taskKey(rd.p.ID, t)
	rd.p.Tasks = append(rd.p.Tasks, t)
}

// taskKey is "<id>-<n>", "<id>-<n>.<k>" for the k-th row with its own ratio of a group,
// "<id>-<n>~<d>" for the d-th task with a duplicated 序号 n.
func taskKey(id string, t Task) string {
	k := fmt.Sprintf("%s-%d", id, t.Seq)
	if t.dup > 0 {
		k += fmt.Sprintf("~%d", t.dup+1)
	}
	if t.Part > 0 {
		k += fmt.Sprintf(".%d", t.Part)
	}
	return k
}

// subRow handles a row without 序号. With a ratio or a time of its own (different from the
// task above) it is a task of its own, numbered n.k within the group; else its scope is a further
// scope of the task above, its departments join the cooperators, its items the items.
func (rd *reader) subRow(row rawRow, v [numCols]string, cells []string, repairs []string, flags []Flag) {
	if rd.group < 0 {
		rd.problem(LintProblem, row.line, "序号", fmt.Sprintf("第一个任务之前有一行没有序号，已跳过（内容：%s）", shorten(strings.Join(nonEmptyCells(cells), " | "), 60)))
		return
	}
	t := &rd.p.Tasks[len(rd.p.Tasks)-1]
	ownRatio := v[colRatio] != "" && !rd.isMerged(row, colRatio) && normSpace(v[colRatio]) != normSpace(t.Ratio.Text) ||
		v[colRatio] == "" && v[colCount] != "" && !rd.isMerged(row, colCount) && normSpace(v[colCount]) != normSpace(rd.above[colCount])
	// A row with a time of its own is drawn in its own window (旺苍县农业农村局 2021: under 序号 1
	// 农药 in 2021年6月, 肥料 in 7月, 农产品质量安全 in 9月, all at 10%): merged as a further
	// scope it would be drawn in the window above.
	ownWindow := !ownRatio && v[colWindow] != "" && !rd.isMerged(row, colWindow) && normSpace(v[colWindow]) != normSpace(t.Window.Text)
	if ownRatio || ownWindow {
		g := &rd.p.Tasks[rd.group]
		if g.Part == 0 {
			g.Part = 1
			g.Key = taskKey(rd.p.ID, *g)
			g.Repairs = append(g.Repairs, fmt.Sprintf("序号%s下的几行各有自己的抽查比例或时间，各算一个任务：本行是 %s", g.SeqText, g.Key))
		}
		v[colSeq] = g.SeqText
		repairs = rd.inherit(row, &v, repairs)
		nt := rd.build(row, v, g.Seq, repairs, flags)
		nt.Part = t.Part + 1
		if ownRatio {
			nt.Repairs = append(nt.Repairs, fmt.Sprintf("第%d行没有序号，但有自己的抽查比例“%s”（上一行是“%s”），作为序号%s下的第%d个任务", row.line, oneLine(v[colRatio]+v[colCount]), oneLine(t.Ratio.Text), g.SeqText, nt.Part))
		} else {
			nt.Repairs = append(nt.Repairs, fmt.Sprintf("第%d行没有序号，但有自己的抽查时间“%s”（上一行是“%s”），作为序号%s下的第%d个任务", row.line, oneLine(v[colWindow]), oneLine(t.Window.Text), g.SeqText, nt.Part))
		}
		rd.add(nt, false)
		return
	}
	used := false
	if v[colScope] != "" {
		t.Scopes = append(t.Scopes, v[colScope])
		t.Repairs = append(t.Repairs, fmt.Sprintf("第%d行没有序号，其抽查对象范围“%s”并入本任务，作为第%d个抽查对象范围", row.line, v[colScope], len(t.Scopes)))
		used = true
	}
	// A task of the department's own (抽查类型 本部门抽查) takes no 无 and not itself from a
	// sub-row; other departments join as on any task, flagged as on its own row (ownTypeCoops).
	typ := v[colType]
	if typ == "" {
		typ = rd.above[colType]
	}
	own := rd.hdr.has(colType) && taskType(typ) == typeOwn
	rd.typeRead = rd.typeRead || rd.hdr.has(colType) && taskType(typ) != typeOther
	var self []string
	if own {
		self = rd.selfDepts(t.Initiator)
	}
	var depts []string
	if v[colInitiator] != "" && strings.Join(strings.Fields(v[colInitiator]), " ") != t.Initiator {
		if (v[colScope] == "" || !rd.hdr.has(colCooperators)) && !containsStr(t.CooperatorCells, v[colInitiator]) {
			t.CooperatorCells = append(t.CooperatorCells, v[colInitiator])
		}
		if v[colScope] != "" && rd.hdr.has(colCooperators) {
			t.Flags = append(t.Flags, Flag{Kind: FlagDept, Cell: "发起部门", Text: v[colInitiator],
				Message: fmt.Sprintf("第%d行（抽查对象范围“%s”）另写了发起部门“%s”，本任务的发起部门是“%s”", row.line, v[colScope], v[colInitiator], t.Initiator)})
		} else {
			depts = append(depts, rd.splitDepts(v[colInitiator])...)
		}
	}
	if v[colCooperators] != "" && !isNoDept(v[colCooperators]) && !(own && rd.namesNoOther(v[colCooperators], t.Initiator)) {
		depts = append(depts, rd.splitDepts(v[colCooperators])...)
		if !containsStr(t.CooperatorCells, v[colCooperators]) {
			t.CooperatorCells = append(t.CooperatorCells, v[colCooperators])
		}
	}
	var joined []string
	for _, d := range depts {
		if d == t.Initiator || containsStr(t.Cooperators, d) || own && selfOrNone(d, self) {
			continue
		}
		t.Cooperators = append(t.Cooperators, d)
		joined = append(joined, d)
	}
	if len(joined) > 0 {
		t.Repairs = append(t.Repairs, fmt.Sprintf("第%d行没有序号，其部门“%s”加入配合部门", row.line, strings.Join(joined, "、")))
		if own {
			t.Flags = append(t.Flags, Flag{Kind: FlagDept, Cell: columnWords[colCooperators], Text: strings.Join(joined, "、"),
				Message: fmt.Sprintf("%s，第%d行却写了“%s”：已按所写读作配合部门（抽取时会从这些部门分派检查人员），请核对本任务是本部门抽查还是联合抽查", rd.typeWord(typ), row.line, strings.Join(joined, "、"))})
		}
		used = true
	}
	if v[colItems] != "" && v[colItems] != t.Items && !strings.Contains(t.Items, v[colItems]) {
		if t.Items == "" {
			t.Items = v[colItems]
		} else {
			t.Items += "；" + v[colItems]
		}
		t.Repairs = append(t.Repairs, fmt.Sprintf("第%d行没有序号，其抽查事项“%s”并入本任务", row.line, shorten(v[colItems], 30)))
		used = true
	}
	if !used {
		t.Repairs = append(t.Repairs, fmt.Sprintf("第%d行没有序号也没有抽查对象范围，已忽略（内容：%s）", row.line, strings.Join(nonEmptyCells(cells), " | ")))
	}
}

func (rd *reader) isMerged(row rawRow, k int) bool {
	j := rd.hdr.col[k]
	return j >= 0 && j < len(row.merged) && row.merged[j]
}

func normSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, narrow(s))
}

func pickTitle(lines []string) string {
	for _, l := range lines {
		if strings.Contains(l, "计划") || strings.Contains(l, "清单") {
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
