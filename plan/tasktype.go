package plan

import (
	"fmt"
	"strings"
)

// Kinds of a 抽查类型 cell (the column that says whether a task is the department's own or a
// joint one, 台山 2021: 本部门抽查 / 多部门联合抽查).
const (
	// typeOther: empty, or a type that says nothing about the departments (定向, 不定向):
	// the cooperator cell is read as without the column.
	typeOther = iota
	// typeOwn: 本部门抽查 — the initiating department alone. Its empty cooperator cell is no
	// merge, and a cell that names only the department itself (or 无, —) means none.
	typeOwn
	// typeJoint: 跨部门联合抽查, 多部门联合抽查, 联合抽查 — read as without the column.
	typeJoint
)

// ownTypeWords say the task is the department's own when the cell names no joint check.
var ownTypeWords = []string{"本部门", "单部门", "单一部门", "部门内", "部门单独", "本单位", "本机关", "本局"}

// ownTypeCells are whole cells (spaces aside) that say the same.
var ownTypeCells = map[string]bool{"部门抽查": true, "部门检查": true, "部门": true, "内部抽查": true, "单独抽查": true, "自行抽查": true}

// taskType reads a 抽查类型 cell. A cell that names a joint check anywhere (联合, 跨部门,
// 多部门, 联查) is joint, whatever else it says; 本部门抽查, 部门内抽查, 单部门抽查, 本部门 and
// 部门抽查 are the department's own; anything else (定向, 不定向) is neither.
func taskType(cell string) int {
	s := normSpace(oneLine(cell))
	if s == "" {
		return typeOther
	}
	for _, w := range []string{"联合", "跨部门", "多部门", "联查"} {
		if strings.Contains(s, w) {
			return typeJoint
		}
	}
	for _, w := range ownTypeWords {
		if strings.Contains(s, w) {
			return typeOwn
		}
	}
	if ownTypeCells[s] {
		return typeOwn
	}
	return typeOther
}

// noDeptWords are cooperator cells (and pieces of them) that name no department: 无, or the
// department itself in words.
var noDeptWords = map[string]bool{"无": true, "暂无": true, "无需": true, "没有": true, "不涉及": true,
	"本部门": true, "本单位": true, "本局": true, "本机关": true}

// isNoDept reports whether s names no department: 无 (with a full stop or not), 本部门, or
// nothing but dashes and slashes (—, /, ——).
func isNoDept(s string) bool {
	t := strings.Trim(normSpace(s), "。.、,，;；:：")
	if noDeptWords[t] {
		return true
	}
	return t != "" && strings.Trim(t, "-—–―－/\\~～") == ""
}

// titleDept is the department a plan's title starts with, before its year (台山市卫生健康局2021年…
// → 台山市卫生健康局), "" when the title starts with none the department table knows: the
// initiating department of a bureau's own plan that has no initiator column.
func titleDept(title string) string {
	head := title
	if i := strings.IndexAny(title, "0123456789"); i >= 0 {
		head = title[:i]
	}
	if head == "" {
		return ""
	}
	n, ok := deptMap().Parse(head)
	if !ok || !n.Known || n.Dept == "" || n.SubUnit != "" {
		return ""
	}
	return head
}

// sameDept reports whether two department names mean one department: the same canonical
// department and sub-unit, in the same district or one of them naming none (卫健局 and
// 台山市卫生健康局).
func sameDept(a, b string) bool {
	if normSpace(a) == normSpace(b) {
		return true
	}
	m := deptMap()
	na, okA := m.Parse(a)
	nb, okB := m.Parse(b)
	return okA && okB && na.Dept != "" && na.Dept == nb.Dept && na.SubUnit == nb.SubUnit &&
		(na.District == "" || nb.District == "" || na.District == nb.District)
}

// selfDepts are the names of the department that carries out a task of its own: the
// initiator cell's departments, else (a table without one) the title's department.
func (rd *reader) selfDepts(initiator string) []string {
	if strings.TrimSpace(initiator) != "" {
		return rd.splitDepts(initiator)
	}
	if d := titleDept(rd.p.Title); d != "" {
		return []string{d}
	}
	return nil
}

// namesNoOther reports whether a cooperator cell names no department but the initiating one:
// 无, —, 本部门, or the initiator (or the title's department) itself. An empty cell does too.
func (rd *reader) namesNoOther(cell, initiator string) bool {
	if strings.TrimSpace(cell) == "" || isNoDept(cell) {
		return true
	}
	self := rd.selfDepts(initiator)
	for _, d := range rd.splitDepts(cell) {
		if !selfOrNone(d, self) {
			return false
		}
	}
	return true
}

// selfOrNone reports whether the department d of a cooperator cell is none (isNoDept) or one
// of self (selfDepts).
func selfOrNone(d string, self []string) bool {
	if isNoDept(d) {
		return true
	}
	for _, s := range self {
		if sameDept(d, s) {
			return true
		}
	}
	return false
}

// typeWord is how a message names the type column and its cell: 抽查类型为“本部门抽查”.
func (rd *reader) typeWord(cell string) string {
	return fmt.Sprintf("%s为“%s”", rd.hdr.words[colType], oneLine(cell))
}

// ownTypeCoops reads the cooperator cell of a task whose 抽查类型 is the department's own
// (typeOwn): a cell that names no other department (namesNoOther) gives no cooperators, the
// repair noted; one that names others is kept as written and flagged, for the clerk to say
// which the plan means.
func (rd *reader) ownTypeCoops(t *Task, v [numCols]string, repairs []string, flags []Flag) ([]string, []Flag) {
	cell := strings.TrimSpace(oneLine(v[colCooperators]))
	if cell == "" {
		return repairs, flags
	}
	if rd.namesNoOther(cell, v[colInitiator]) {
		t.Cooperators, t.CooperatorCells = nil, nil
		what := "即没有配合部门"
		if !isNoDept(cell) {
			what = "是发起部门本身，本任务没有配合部门"
		}
		repairs = append(repairs, fmt.Sprintf("%s，%s“%s”%s", rd.typeWord(v[colType]), rd.hdr.words[colCooperators], cell, what))
		return repairs, flags
	}
	flags = append(flags, Flag{Kind: FlagDept, Cell: columnWords[colCooperators], Text: cell,
		Message: fmt.Sprintf("%s，%s栏却写了“%s”：已按所写读作配合部门（抽取时会从这些部门分派检查人员），请核对本任务是本部门抽查还是联合抽查", rd.typeWord(v[colType]), rd.hdr.words[colCooperators], cell)})
	return repairs, flags
}
