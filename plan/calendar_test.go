package plan

import (
	"reflect"
	"strings"
	"testing"
)

// TestCalendarMatchesPlan recomputes every count of the calendar by brute force over the
// plan's tasks (month × department × task) and compares.
func TestCalendarMatchesPlan(t *testing.T) {
	p := embedded(t)
	for _, f := range []CalendarFilter{{}, {District: "沁县"}, {District: "潞州区", Dept: "市场"}, {Dept: "住建"}} {
		c := BuildCalendar(p.Tasks, f)
		if len(c.Months) != 12 {
			t.Fatalf("%d months", len(c.Months))
		}
		for m := 1; m <= 12; m++ {
			var wantTasks []string
			wantInit := map[string]int{}
			wantJoin := map[string]int{}
			for _, k := range p.Tasks {
				if f.District != "" && k.District != f.District {
					continue
				}
				if m < k.Window.From || m > k.Window.To {
					continue
				}
				involved := f.Dept == ""
				for _, d := range append([]string{k.Initiator}, k.Cooperators...) {
					involved = involved || strings.Contains(d, f.Dept)
				}
				if !involved {
					continue
				}
				wantTasks = append(wantTasks, k.Key)
				if f.Dept == "" || strings.Contains(k.Initiator, f.Dept) {
					wantInit[k.Initiator]++
				}
				seen := map[string]bool{k.Initiator: true}
				for _, d := range k.Cooperators {
					if !seen[d] && (f.Dept == "" || strings.Contains(d, f.Dept)) {
						wantJoin[d]++
					}
					seen[d] = true
				}
			}
			got := c.Months[m-1]
			if got.Month != m || !reflect.DeepEqual(nonNil(got.Tasks), nonNil(wantTasks)) {
				t.Errorf("%+v month %d: tasks %v, want %v", f, m, got.Tasks, wantTasks)
			}
			gotInit, gotJoin := map[string]int{}, map[string]int{}
			for _, l := range got.Loads {
				if l.Initiates > 0 {
					gotInit[l.Dept] = l.Initiates
				}
				if l.Joins > 0 {
					gotJoin[l.Dept] = l.Joins
				}
				if len(l.Tasks) != l.Initiates+l.Joins {
					t.Errorf("%s month %d: %d tasks listed for %d+%d", l.Dept, m, len(l.Tasks), l.Initiates, l.Joins)
				}
			}
			if !reflect.DeepEqual(gotInit, wantInit) || !reflect.DeepEqual(gotJoin, wantJoin) {
				t.Errorf("%+v month %d: initiates %v joins %v, want %v %v", f, m, gotInit, gotJoin, wantInit, wantJoin)
			}
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestCalendarQinxian(t *testing.T) {
	p := embedded(t)
	c := BuildCalendar(p.Tasks, CalendarFilter{District: "沁县"})
	// June in 沁县 (hand-checked against the plan): 24 tasks run; the agriculture bureau
	// initiates 7 of them; 沁县市场监管局 joins 15.
	if n := len(c.Months[5].Tasks); n != 24 {
		t.Errorf("June tasks %d, want 24", n)
	}
	if l := c.Load("沁县农业农村局", 6); l.Initiates != 7 || l.Joins != 0 {
		t.Errorf("沁县农业农村局 June %+v", l)
	}
	if l := c.Load("沁县市场监管局", 6); l.Joins != 15 {
		t.Errorf("沁县市场监管局 June %+v", l)
	}
	if tot := c.Totals["沁县市场监管局"]; tot.Joins != 18 {
		t.Errorf("沁县市场监管局 year %+v", tot)
	}
}

func TestCalendarSelfCooperatorAndDrawn(t *testing.T) {
	tasks := []Task{
		{Seq: 1, Key: "T-1", District: "沁县", Initiator: "甲局", Cooperators: []string{"甲局", "乙局"}, Window: Window{From: 3, To: 4}},
		{Seq: 2, Key: "T-2", District: "沁县", Initiator: "乙局", Cooperators: []string{"丙局"}, Window: Window{From: 4, To: 4}},
	}
	c := BuildCalendar(tasks, CalendarFilter{})
	if l := c.Load("甲局", 3); l.Initiates != 1 || l.Joins != 0 {
		t.Errorf("甲局 March %+v: an initiator listed as cooperator counts once", l)
	}
	if l := c.Load("乙局", 4); l.Initiates != 1 || l.Joins != 1 || !reflect.DeepEqual(l.Tasks, []string{"T-1", "T-2"}) {
		t.Errorf("乙局 April %+v", l)
	}
	if !reflect.DeepEqual(c.Depts, []string{"丙局", "乙局", "甲局"}) && !reflect.DeepEqual(c.Depts, []string{"丙局", "甲局", "乙局"}) {
		t.Errorf("departments %v", c.Depts)
	}
	c.AddDrawn([]DrawnCount{{Dept: "乙局", Month: 4, Firms: 12}, {Dept: "丙局", Month: 9, Firms: 3}, {Dept: "丁局", Month: 4, Firms: 5}})
	if !c.HasDrawn || c.Load("乙局", 4).Drawn != 12 || c.Load("丙局", 9).Drawn != 3 || c.Totals["丙局"].Drawn != 3 {
		t.Errorf("drawn counts not added: %+v", c)
	}
	if _, ok := c.Totals["丁局"]; ok {
		t.Error("a department outside the calendar was added")
	}
}
