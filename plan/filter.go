package plan

import "strings"

// Filter selects tasks; zero fields match everything.
type Filter struct {
	District string // normalised district name, exact ("沁县" does not match "沁源县")
	Dept     string // part of the initiator's or a cooperator's name ("住建"), or another name of it (Canon)
	Month    int    // 1–12: the window includes this month (a task whose window needs --window has no month)
	Keyword  string // part of the task name, items or a scope
	Risk     string // RiskProgressive, RiskNone or RiskOther
	// Canon, when set, names the department a plan cell means (e.g. 县市场监管局 and
	// 沁县市场监管局价监股 both → 沁县市场监督管理局); district is the task's. Dept then also
	// finds a department written another way. The plan itself knows no synonyms.
	Canon func(name, district string) string `json:"-"`
}

// Match reports whether the task passes the filter.
func (f Filter) Match(t *Task) bool {
	if f.District != "" && t.District != NormalizeDistrict(f.District) {
		return false
	}
	if f.Dept != "" && !f.hasDept(t) {
		return false
	}
	if f.Month != 0 && (t.WindowOpen() || !t.Window.Contains(f.Month)) {
		return false
	}
	if f.Risk != "" && t.Risk.Kind != f.Risk {
		return false
	}
	if f.Keyword != "" {
		found := strings.Contains(t.Name, f.Keyword) || strings.Contains(t.Items, f.Keyword)
		for _, s := range t.Scopes {
			found = found || strings.Contains(s, f.Keyword)
		}
		if !found {
			return false
		}
	}
	return true
}

// DeptNames is the Canon of a filter over p's tasks: dept's default map, with the plan's
// districts as the places its departments are in (县市场监管局 of a 沁县 task is
// 沁县市场监督管理局).
func (p *Plan) DeptNames() func(name, district string) string {
	return deptMap().WithDistricts(p.Districts()...).FullName
}

// hasDept: the task has a department DeptShown shows.
func (f Filter) hasDept(t *Task) bool {
	for _, d := range t.Departments() {
		if f.DeptShown(d, t.District) {
			return true
		}
	}
	return false
}

// DeptName is the department a plan cell names in district, through Canon when set.
func (f Filter) DeptName(raw, district string) string {
	if f.Canon != nil {
		if c := f.Canon(raw, district); c != "" {
			return c
		}
	}
	return raw
}

// DeptShown: the department (a plan cell's text, in the task's district) passes the filter —
// its text or its name contains Dept, or Dept names the same department (市场局 and 市场监管局
// are both 沁县市场监督管理局 in 沁县).
func (f Filter) DeptShown(raw, district string) bool {
	if f.Dept == "" || strings.Contains(raw, f.Dept) {
		return true
	}
	name := f.DeptName(raw, district)
	if strings.Contains(name, f.Dept) {
		return true
	}
	return f.Canon != nil && f.DeptName(f.Dept, district) == name && name != f.Dept
}

// Select returns the tasks that pass the filter, in plan order (never nil).
func (p *Plan) Select(f Filter) []Task {
	out := []Task{}
	for i := range p.Tasks {
		if f.Match(&p.Tasks[i]) {
			out = append(out, p.Tasks[i])
		}
	}
	return out
}
