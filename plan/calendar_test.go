package plan

import (
	"reflect"
	"slices"
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

// TestCalendarUndated: a task whose window needs --window (春秋季开学、中高考等节点) is in no
// month — not in a month filter, not in all twelve months of the calendar — but apart, in
// Undated, and its departments count in the year's totals.
func TestCalendarUndated(t *testing.T) {
	text := "序号\t抽查事项\t抽查比例\t发起部门\t实施时间\n" +
		"1\t甲\t5%\t教育部门\t5-10月\n" +
		"2\t乙\t20%\t市场监管部门\t春秋季开学、中高考等节点\n"
	p, err := Parse(strings.NewReader(text), "undated.tsv", "U")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Tasks[1].WindowOpen() || p.Tasks[0].WindowOpen() {
		t.Fatalf("WindowOpen = %v, %v; want false, true", p.Tasks[0].WindowOpen(), p.Tasks[1].WindowOpen())
	}
	if got := p.Select(Filter{Month: 6}); len(got) != 1 || got[0].Key != "U-1" {
		t.Errorf("month 6 selects %d tasks, want U-1 only", len(got))
	}
	c := BuildCalendar(p.Tasks, CalendarFilter{})
	if !slices.Equal(c.Undated, []string{"U-2"}) {
		t.Errorf("Undated = %q, want [U-2]", c.Undated)
	}
	for _, m := range c.Months {
		if slices.Contains(m.Tasks, "U-2") {
			t.Errorf("month %d lists the undated task", m.Month)
		}
	}
	if tot := c.Totals["市场监管部门"]; tot.Initiates != 1 {
		t.Errorf("totals of 市场监管部门 %+v, want it initiating 1 task", tot)
	}
}

// TestCalendarDeptByName: --dept matches a department as the plan writes it, by the name the
// calendar shows (Canon), or by another name of the same department: 县市场局 and 县市场监管局
// are one department, found by each of its names.
func TestCalendarDeptByName(t *testing.T) {
	text := "序号\t地市\t抽查事项\t抽查比例\t发起部门\t配合部门\t实施时间\n" +
		"1\t沁县\t甲\t5%\t县市场局\t县税务局\t3月\n" +
		"2\t沁县\t乙\t5%\t县市场监管局\t\t4月\n" +
		"3\t沁县\t丙\t5%\t县教育局\t\t5月\n"
	p, err := Parse(strings.NewReader(text), "dept.tsv", "D")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"县市场局": "沁县市场监督管理局", "县市场监管局": "沁县市场监督管理局", "市场局": "沁县市场监督管理局",
		"沁县市场监督管理局": "沁县市场监督管理局", "县税务局": "沁县税务局", "县教育局": "沁县教育局"}
	canon := func(name, district string) string { return names[name] }
	for _, dept := range []string{"沁县市场监督管理局", "市场局", "县市场监管局", "市场"} {
		c := BuildCalendar(p.Tasks, CalendarFilter{District: "沁县", Dept: dept, Canon: canon})
		var tasks []string
		for _, m := range c.Months {
			tasks = append(tasks, m.Tasks...)
		}
		if !slices.Equal(tasks, []string{"D-1", "D-2"}) || !slices.Equal(c.Depts, []string{"沁县市场监督管理局"}) {
			t.Errorf("--dept %s: tasks %q departments %q, want [D-1 D-2] and the one department", dept, tasks, c.Depts)
		}
		// plan list's filter, the same rule: the same tasks.
		var listed []string
		for _, k := range p.Select(Filter{District: "沁县", Dept: dept, Canon: canon}) {
			listed = append(listed, k.Key)
		}
		if !slices.Equal(listed, []string{"D-1", "D-2"}) {
			t.Errorf("list --dept %s: tasks %q, want [D-1 D-2]", dept, listed)
		}
	}
}

// TestSelectDeptByName: plan list's --dept (Filter) finds a department by the same rule as the
// calendar's (TestCalendarDeptByName checks both on one table); here with the plan's own names
// (dept's default map): in the embedded plan 沁县's market bureau is written 沁县市场监管局 and
// 沁县市场监管局价监股, and its full name, in no cell, finds task 292 (initiator 沁县市场监管局价监股)
// and 267 (cooperator 沁县市场监管局).
func TestSelectDeptByName(t *testing.T) {
	e := embedded(t)
	var seqs []int
	for _, k := range e.Select(Filter{District: "沁县", Dept: "沁县市场监督管理局", Canon: e.DeptNames()}) {
		seqs = append(seqs, k.Seq)
	}
	if !slices.Contains(seqs, 292) || !slices.Contains(seqs, 267) {
		t.Errorf("embedded plan, --dept 沁县市场监督管理局: tasks %v, want 267 and 292 among them", seqs)
	}
	if got := e.Select(Filter{District: "沁县", Dept: "沁县市场监督管理局"}); len(got) != 0 {
		t.Errorf("without Canon: %d tasks", len(got))
	}
}
