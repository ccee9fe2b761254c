package plan

import "strings"

// Filter selects tasks; zero fields match everything.
type Filter struct {
	District string // normalised district name, exact ("沁县" does not match "沁源县")
	Dept     string // part of the initiator's or a cooperator's name ("住建")
	Month    int    // 1–12: the window includes this month (a task whose window needs --window has no month)
	Keyword  string // part of the task name, items or a scope
	Risk     string // RiskProgressive, RiskNone or RiskOther
}

// Match reports whether the task passes the filter.
func (f Filter) Match(t *Task) bool {
	if f.District != "" && t.District != NormalizeDistrict(f.District) {
		return false
	}
	if f.Dept != "" && !t.HasDepartment(f.Dept) {
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

// HasDepartment reports whether part names the initiator or a cooperator (substring).
func (t *Task) HasDepartment(part string) bool {
	for _, d := range t.Departments() {
		if strings.Contains(d, part) {
			return true
		}
	}
	return false
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
