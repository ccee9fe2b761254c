package plan

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Canonical columns of the plan table. The published Changzhi template has the first eleven
// in this order; other offices split the ratio into 比例 / 频次 / 数量 columns, name the
// columns differently and order them as they like.
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
	colFreq  // a separate 抽查频次 / 抽查周期 column
	colCount // a separate 抽查数量 / 抽查户数 column
	// colWindowEnd: the window's end in a column of its own (台山 2021: 任务开始时间 /
	// 任务结束时间), read with the start as one range.
	colWindowEnd
	// colType: 抽查类型, whether the task is the department's own (本部门抽查) or a joint one
	// (多部门联合抽查); most plans write 定向 / 不定向 there, which says neither (taskType).
	colType
	numCols
)

// columnWords are the plain names used in messages.
var columnWords = [numCols]string{
	"地市", "序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次",
	"信用风险分类要求", "抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式",
	"抽查频次", "抽查数量", "抽查结束时间", "抽查类型",
}

// columnSynonyms are the header cells each column is known by, normalised (no white space,
// full-width brackets), best first: when two columns of a table name the same canonical
// column, the one with the earlier synonym wins and the other is reported as ignored.
var columnSynonyms = [numCols][]string{
	colDistrict: {"地市", "地区", "区县", "县区", "县（市、区）", "县（市区）", "所属地区", "辖区"},
	colSeq:      {"序号", "抽查计划编号", "计划编号", "任务编号", "编号"},
	colName: {"抽查任务名称", "联合抽查任务名称", "任务名称", "年度计划名称", "抽查任务", "计划名称",
		"抽查领域", "抽查项目", "检查项目", "《联合事项清单》事项名称", "事项名称", "权责清单事项", "抽查类别"},
	colItems: {"抽查事项", "检查事项", "抽查内容", "检查内容", "检查事项（内容）", "抽查事项（内容）",
		"参与部门的检查内容（检查事项）"},
	colScope: {"抽查对象范围", "检查对象范围", "抽查对象", "检查对象", "检查对范围", "联查对象", "抽查范围", "检查范围", "对象范围"},
	colRatio: {"抽查比例及频次", "抽查比例和频次", "抽查比例、频次", "抽查比例", "检查比例", "抽查比例（数量）",
		"抽查比例（%）", "抽查对象比例", "检查对象比例",
		"抽查比例/数量", "抽查比例／数量", "比例/数量", "抽查基数和比例", "比例",
		// 兵团 2025's 随机抽查事项清单 heads its ratio clauses 抽查对象数 (对学校100%全覆盖…); the
		// 2025 涉企行政检查计划 template (龙岩 2025) gives the 双随机 count in its object column.
		"抽查对象数", "具体检查对象（含数量）或“双随机”抽查对象（含总数及比例）"},
	colRisk: {"智慧监管（信用风险分类）要求", "信用风险分类要求", "信用风险分类", "信用风险等级（低、一般、较高、高）", "信用风险等级",
		"信用风险分类管理", "信用风险分类管理要求", "信用风险分类监管要求"},
	colWindow: {"抽查检查起止时间", "起止时间", "抽查时间", "检查时间", "时间安排", "抽查检查时间", "计划开展时间",
		"实施时间", "拟实施时间", "完成时限", "抽查完成时限", "实施日期", "抽取日期",
		"实施抽查时间段", "实施抽查时间", "抽查时间段", "检查时间段", "计划任务实施时段", "实施时段", "抽取时间", "初步检查时间",
		"检查时间安排", "任务开始时间", "开始时间"},
	colInitiator: {"发起部门", "牵头部门", "联查部门", "实施部门", "实施单位", "实施主体", "抽查主体", "检查主体",
		"抽查主体（层级）", "检查主体（层级）",
		// A bureau's own plan names the section that carries it out, after any department column.
		"执行股室", "责任科室", "发起科室", "检查股室", "实施股室", "检查股站", "发起处室", "牵头处室", "牵头科室",
		// A department column that also says the level (济南 人社 2021: 市级、县级人力资源社会保障部门).
		"检查部门", "检查部门及实施层级", "实施部门及层级",
		// Guangdong's 卫生健康 plans name the bureau first (连州 2023: 抽查单位); the 2025
		// 涉企行政检查计划 template names the sections (龙岩 2025: 承办机构).
		"抽查单位", "承办机构"},
	colCooperators: {"配合部门", "参与部门", "参与联合抽查部门", "协助部门", "联合部门", "联合处室", "配合处室", "参与处室", "联合科室", "配合科室"},
	colMode: {"抽查检查模式", "检查模式", "抽查模式", "抽查方式", "检查方式", "实施层级及说明", "实施层级",
		"抽查层级", "组织层级", "随机抽查方式",
		"发起方式", "开展方式", "市县统一实施或市县分别实施"},
	colFreq: {"抽查频次", "检查频次", "频次", "抽查周期", "检查周期", "抽查频率", "检查频率", "频率", "检查频次和上限"},
	colCount: {"抽查数量", "抽查户数", "检查数量", "大约抽取的检查对象数量", "拟抽查对象数（户）", "拟抽查对象数", "抽取对象数（户）", "抽取对象数",
		"抽取数量", "抽查目标数"},
	colWindowEnd: {"任务结束时间", "结束时间"},
	colType:      {"抽查类型", "检查类型"},
}

func normHeader(s string) string {
	h := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '(':
			return '（'
		case r == ')':
			return '）'
		case r == ',':
			return '，'
		}
		return r
	}, s)
	return h
}

// remarkHeader is a remarks column that says what it holds, "备注(联查部门)": the word inside.
func remarkHeader(h string) (string, bool) {
	if in, ok := strings.CutPrefix(h, "备注（"); ok && strings.HasSuffix(in, "）") && strings.Count(in, "）") == 1 {
		return strings.TrimSuffix(in, "）"), true
	}
	return "", false
}

// headerWord is the column word of a header cell: normHeader, a remarks column's word inside.
func headerWord(cell string) string {
	h := normHeader(cell)
	if in, ok := remarkHeader(h); ok {
		return in
	}
	return h
}

// remarkRank puts a remarks column's synonym after every plain one.
const remarkRank = 1000

// header is a recognised header row: the physical column of each canonical column (-1 when
// the table has none) and the header cells that name no column or lost to a better one.
type header struct {
	col     [numCols]int
	ignored []string // header cells of columns the reader does not use
	last    int      // the last physical column with a header cell
	// jointCoops: the cooperators column is 联查部门, which lists the lead department too
	// (jointDepts); the lead is not also a cooperator.
	jointCoops bool
	// words are the header cells' column words (headerWord) of the columns found: 完成时限
	// says the time column holds deadlines (reader.build).
	words [numCols]string
	// typeAt is the number of ignored cells before the 抽查类型 cell: its note, when no row
	// says 本部门抽查 or 联合抽查 (reader.headerNotes), goes there.
	typeAt int
}

func (h *header) has(k int) bool { return h.col[k] >= 0 }

// ignoredNote is lint's note on a header cell left unread: one that names no column, or one
// that names a column the table has under a better header (莱阳 2022: 抽查事项 and 抽查内容).
func (h *header) ignoredNote(cell string) string {
	c := oneLine(cell)
	if k, _, ok := matchHeader(cell); ok && h.has(k) {
		return fmt.Sprintf("表头“%s”与“%s”都是%s列，只读取“%s”一列，此列未读取", c, h.words[k], columnWords[k], h.words[k])
	}
	return fmt.Sprintf("表头“%s”不是已知的列，此列未读取", c)
}

// matchHeader returns the canonical column a header cell names and the synonym's rank.
func matchHeader(cell string) (k, rank int, ok bool) {
	h := normHeader(cell)
	if h == "" {
		return 0, 0, false
	}
	if in, ok := remarkHeader(h); ok {
		// A remarks column names its column after any column of the table's own
		// (备注(联查部门) beside 抽查主体(层级), a 交通运输 plan of 2025).
		k, rank, ok := matchHeader(in)
		return k, rank + remarkRank, ok
	}
	for k, syns := range columnSynonyms {
		for rank, s := range syns {
			if h == s {
				return k, rank, true
			}
		}
	}
	if strings.HasPrefix(h, "智慧监管") {
		return colRisk, 0, true
	}
	if head, _, ok := strings.Cut(h, "（"); ok && head != "" {
		// A header with a note in brackets that no synonym has: 发起方式(牵头指导处室) of
		// Anhui's template, published cut off as 发起方式(牵头指导. It names the column before
		// the bracket, after every header that names its column whole.
		if k, rank, ok := matchHeader(head); ok {
			return k, rank + noteRank, true
		}
	}
	if head := strings.TrimRight(h, cutEnds); head != h && head != "" {
		// A header the page cut off after a conjunction: 检查部门及 (孝感 2024, for
		// 检查部门及实施层级). No header ends in one; the words before it name the column,
		// after every header that names its column whole.
		if k, rank, ok := matchHeader(head); ok {
			return k, rank + noteRank, true
		}
	}
	return 0, 0, false
}

// cutEnds are the conjunctions a header cut off in the middle ends in.
const cutEnds = "及和与、"

// noteRank puts a header read without its bracketed note after every whole one.
const noteRank = 500

// headerOf reads a row as a header row: it is one when at least three of its cells name
// columns, one of them the 序号 and one the task name, items or scope. Two of the table's own
// columns never count as a header (a data row that happens to hold 序号 and 检查事项).
func headerOf(cells []string) (*header, bool) {
	h := &header{}
	rank := [numCols]int{}
	for k := range h.col {
		h.col[k] = -1
	}
	named := 0
	for j, c := range cells {
		if c == "" {
			continue
		}
		h.last = j
		k, r, ok := matchHeader(c)
		if !ok {
			h.ignored = append(h.ignored, c)
			continue
		}
		named++
		switch {
		case h.col[k] < 0:
			h.col[k], rank[k], h.words[k] = j, r, headerWord(c)
		case r < rank[k]:
			h.ignored = append(h.ignored, cells[h.col[k]])
			h.col[k], rank[k], h.words[k] = j, r, headerWord(c)
		default:
			h.ignored = append(h.ignored, c)
			continue
		}
		if k == colType {
			h.typeAt = len(h.ignored)
		}
	}
	switch {
	case h.col[colName] < 0 && h.col[colItems] < 0 && h.col[colScope] < 0:
		return nil, false
	case h.col[colSeq] < 0:
		// A table without a 序号 column (台山 2021: 任务名称, 任务开始时间 … 抽查比例): its header
		// names the task name and at least three more columns; each row with a name of its own
		// is a task, numbered in order (reader.rowSeq).
		if named < 4 || h.col[colName] < 0 {
			return nil, false
		}
	case named < 3:
		return nil, false
	}
	h.jointDepts(cells)
	return h, true
}

// jointDepts: 联查部门 (the departments of the joint check, one a sub-row, the first one the
// lead) is the initiator column of a table that has no other (Anhui's 2023 template, as
// Wuwei's plan). Where the table also has a 牵头部门 or 发起部门 column (Bozhou's 2024 plan has
// both), it is the cooperators column instead, unless the table has one of those too.
func (h *header) jointDepts(cells []string) {
	const joint = "联查部门"
	if h.col[colCooperators] >= 0 || h.col[colInitiator] < 0 || headerWord(cells[h.col[colInitiator]]) == joint {
		return
	}
	for j, c := range cells {
		if headerWord(c) != joint {
			continue
		}
		h.col[colCooperators], h.jointCoops, h.words[colCooperators] = j, true, joint
		for i, ig := range h.ignored {
			if ig == c {
				h.ignored = append(h.ignored[:i], h.ignored[i+1:]...)
				break
			}
		}
		return
	}
}

// subHeader merges into h (the header read from the row top) the row below it when that row
// is the header's second row: sub-columns under a group cell ("抽查要求" over "抽查比例 |
// 抽查频次"; a cell merged across them copies out as text in its first column only), or, in a
// grid of real merges, the header again with its cells merged over both rows repeated. The
// second row has no 序号 of its own and no cell that looks like data (digits or %); at least
// one of its cells names a column the first row does not have at that place. A top cell it
// covers (the group cell) is no longer reported as ignored. It reports whether it merged.
func (h *header) subHeader(top, cells []string) bool {
	if j := h.col[colSeq]; j >= 0 && j < len(cells) && cells[j] != "" && (j >= len(top) || cells[j] != top[j]) {
		return false
	}
	named := map[int]int{} // position → column
	var unknown []string
	for j, c := range cells {
		if c == "" || (j < len(top) && c == top[j]) {
			continue
		}
		k, _, ok := matchHeader(c)
		if !ok {
			if hasDigit(c) || strings.ContainsAny(c, "%％") {
				return false
			}
			unknown = append(unknown, c)
			continue
		}
		if h.col[k] >= 0 && h.col[k] != j {
			unknown = append(unknown, c) // the first row named it elsewhere: that stands
			continue
		}
		named[j] = k
	}
	changed := false
	for j, k := range named {
		if h.col[k] != j {
			changed = true
		}
	}
	if !changed {
		return false
	}
	covered := map[string]int{}
	for j, t := range top {
		if t == "" {
			continue
		}
		if k, _, ok := matchHeader(t); ok {
			// A name the first row has twice (its cell merged over both columns): the
			// instance that lost is covered when the second row names that place.
			if _, under := named[j]; under && h.col[k] != j {
				covered[t]++
			}
			continue
		}
		for j2 := j; j2 < len(cells) && (j2 == j || j2 >= len(top) || top[j2] == "" || top[j2] == t); j2++ {
			if _, ok := named[j2]; ok {
				covered[t]++
				break
			}
		}
	}
	var ignored []string
	for _, c := range h.ignored {
		if covered[c] > 0 {
			covered[c]--
			continue
		}
		ignored = append(ignored, c)
	}
	h.ignored = append(ignored, unknown...)
	positions := make([]int, 0, len(named))
	for j := range named {
		positions = append(positions, j)
	}
	sort.Ints(positions)
	for _, j := range positions {
		h.col[named[j]], h.words[named[j]] = j, headerWord(cells[j])
		h.last = max(h.last, j)
	}
	return true
}

// covers reports whether the header o is h again, or part of it (a header repeated at a page
// break that lost a cell): every column o has is at the same place in h. Otherwise o starts
// another table.
func (h *header) covers(o *header) bool {
	for k, j := range o.col {
		if j >= 0 && h.col[k] != j {
			return false
		}
	}
	return true
}
