package plan

import (
	"sort"
)

// CalendarFilter selects the tasks of a calendar; zero fields match everything.
type CalendarFilter struct {
	District string // normalised district name, exact
	Dept     string // part of a department name: only matching tasks and departments are shown
	// Canon, when set, names the department a plan cell means (e.g. 县市场监管局 and
	// 沁县市场监管局价监股 both → 沁县市场监督管理局), so that one department's spellings are
	// counted together; district is the task's. The plan itself knows no synonyms.
	Canon func(name, district string) string `json:"-"`
}

// Calendar is the month-by-month view of a plan (一业一查): which tasks run in each month and,
// per department, how many tasks it initiates or joins. A task runs in every month of its
// window. Drawn counts come from the draw ledger and are added with AddDrawn.
type Calendar struct {
	Filter CalendarFilter   `json:"filter"`
	Months []CalendarMonth  `json:"months"`      // always 12, January first
	Depts  []string         `json:"departments"` // every department shown, sorted
	Totals map[string]Total `json:"totals"`      // per department over the year (distinct tasks)
	// HasDrawn is true once AddDrawn was called: Load.Drawn is then meaningful.
	HasDrawn bool `json:"has_drawn"`
	// Undated are the tasks (keys, in plan order) that pass the filter but whose window
	// needs --window (Task.WindowOpen): they are in no month. Their departments still count
	// in Totals.
	Undated []string `json:"undated"`
}

// CalendarMonth is one month of the calendar.
type CalendarMonth struct {
	Month int        `json:"month"`
	Tasks []string   `json:"tasks"` // keys of the tasks whose window includes the month, plan order
	Loads []DeptLoad `json:"loads"` // departments with at least one task this month, sorted by name
}

// DeptLoad is a department's load in one month.
type DeptLoad struct {
	Dept      string   `json:"dept"`
	Initiates int      `json:"initiates"` // tasks it initiates (发起)
	Joins     int      `json:"joins"`     // tasks it joins as a cooperator (配合)
	Tasks     []string `json:"tasks"`     // keys of those tasks, plan order
	// Drawn is the number of firms already drawn for this department in this month, from
	// the draw ledger (AddDrawn); 0 until then.
	Drawn int `json:"drawn"`
}

// Total is a department's load over the year: distinct tasks initiated and joined.
type Total struct {
	Initiates int `json:"initiates"`
	Joins     int `json:"joins"`
	Drawn     int `json:"drawn"`
}

// DrawnCount is the number of firms drawn for a department in a month, as read from the
// draw ledger by the caller.
type DrawnCount struct {
	Dept  string
	Month int // 1–12
	Firms int
}

// filter is the task filter the calendar applies: its department rule is Filter's.
func (f CalendarFilter) filter() Filter {
	return Filter{District: f.District, Dept: f.Dept, Canon: f.Canon}
}

// BuildCalendar is the calendar of the tasks that pass the filter. A department that both
// initiates a task and is listed as its cooperator counts once, as initiator. It is a pure
// function of its arguments.
func BuildCalendar(tasks []Task, f CalendarFilter) Calendar {
	c := Calendar{Filter: f, Months: make([]CalendarMonth, 12), Depts: []string{}, Totals: map[string]Total{}, Undated: []string{}}
	// The department filter matches a department as the plan writes it or as Canon names it
	// (the name the calendar shows): --dept 沁县市场监督管理局 finds the tasks whose cells say
	// 县市场监管局, and every task of a department is in, whichever way a cell wrote it.
	filter := f.filter()
	type counts struct {
		init, join int
		tasks      []string
	}
	perMonth := make([]map[string]*counts, 12)
	for m := range perMonth {
		perMonth[m] = map[string]*counts{}
		c.Months[m] = CalendarMonth{Month: m + 1, Tasks: []string{}, Loads: []DeptLoad{}}
	}
	for i := range tasks {
		t := &tasks[i]
		if !filter.Match(t) {
			continue
		}
		roles := map[string]bool{} // dept → initiates
		shown := map[string]bool{}
		var order []string
		add := func(raw string, initiates bool) {
			d := filter.DeptName(raw, t.District)
			if _, seen := roles[d]; !seen {
				roles[d] = initiates
				order = append(order, d)
			}
			shown[d] = shown[d] || filter.DeptShown(raw, t.District)
		}
		if t.Initiator != "" {
			add(t.Initiator, true)
		}
		for _, d := range t.Cooperators {
			add(d, false)
		}
		for _, d := range order {
			if !shown[d] {
				continue
			}
			tot := c.Totals[d]
			if roles[d] {
				tot.Initiates++
			} else {
				tot.Joins++
			}
			c.Totals[d] = tot
		}
		if t.WindowOpen() {
			c.Undated = append(c.Undated, t.Key)
			continue
		}
		for m := t.Window.From; m <= t.Window.To && m <= 12; m++ {
			if m < 1 {
				continue
			}
			c.Months[m-1].Tasks = append(c.Months[m-1].Tasks, t.Key)
			for _, d := range order {
				if !shown[d] {
					continue
				}
				ct := perMonth[m-1][d]
				if ct == nil {
					ct = &counts{}
					perMonth[m-1][d] = ct
				}
				if roles[d] {
					ct.init++
				} else {
					ct.join++
				}
				ct.tasks = append(ct.tasks, t.Key)
			}
		}
	}
	for m := range perMonth {
		for d, ct := range perMonth[m] {
			c.Months[m].Loads = append(c.Months[m].Loads, DeptLoad{Dept: d, Initiates: ct.init, Joins: ct.join, Tasks: ct.tasks})
		}
		sort.Slice(c.Months[m].Loads, func(i, j int) bool { return c.Months[m].Loads[i].Dept < c.Months[m].Loads[j].Dept })
	}
	for d := range c.Totals {
		c.Depts = append(c.Depts, d)
	}
	sort.Strings(c.Depts)
	return c
}

// Load returns the department's load in the month (zero when it has none).
func (c *Calendar) Load(dept string, month int) DeptLoad {
	if month < 1 || month > len(c.Months) {
		return DeptLoad{Dept: dept}
	}
	for _, l := range c.Months[month-1].Loads {
		if l.Dept == dept {
			return l
		}
	}
	return DeptLoad{Dept: dept}
}

// AddDrawn adds the ledger's drawn-firm counts. Counts for a department the calendar does
// not show (filtered out) are ignored; a shown department drawn in a month without a task
// there gets a load entry with only Drawn set.
func (c *Calendar) AddDrawn(counts []DrawnCount) {
	c.HasDrawn = true
	for _, dc := range counts {
		if dc.Month < 1 || dc.Month > len(c.Months) {
			continue
		}
		if _, shown := c.Totals[dc.Dept]; !shown {
			continue
		}
		m := &c.Months[dc.Month-1]
		found := false
		for i := range m.Loads {
			if m.Loads[i].Dept == dc.Dept {
				m.Loads[i].Drawn += dc.Firms
				found = true
			}
		}
		if !found {
			m.Loads = append(m.Loads, DeptLoad{Dept: dc.Dept, Tasks: []string{}, Drawn: dc.Firms})
			sort.Slice(m.Loads, func(i, j int) bool { return m.Loads[i].Dept < m.Loads[j].Dept })
		}
		tot := c.Totals[dc.Dept]
		tot.Drawn += dc.Firms
		c.Totals[dc.Dept] = tot
	}
}
