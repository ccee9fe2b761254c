package overlap

import (
	"reflect"
	"testing"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/sampler"
)

type firm struct{ key, class string }

// mk builds a draw of task seq (round) of 沁县 with the given window and drawn firms; every
// firm gets a team of one initiator and one cooperator inspector named after the task.
func mk(seq, round, from, to int, initiator string, cooperators []string, items string, firms ...firm) *draw.Manifest {
	task := plan.Task{
		Seq: seq, Key: key(seq), District: "沁县", Name: "任务" + key(seq), Items: items,
		Window: plan.Window{Text: WindowText(from, to), From: from, To: to}, Initiator: initiator, Cooperators: cooperators,
	}
	m := &draw.Manifest{Task: task.Key, TaskInfo: task, Round: round}
	for _, f := range firms {
		m.Selected = append(m.Selected, draw.Selected{Key: f.key, Name: "企业" + f.key, Class: f.class})
		m.Assignments = append(m.Assignments, sampler.Team{Key: f.key, Team: []sampler.Member{
			{ID: "I" + task.Key, Name: "甲" + task.Key, Dept: initiator, Role: "initiator"},
			{ID: "C", Name: "共同", Dept: "沁县市场监督管理局", Role: "cooperator"},
		}})
	}
	return m
}

func key(seq int) string { return "CZ2026-" + itoa(seq) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// A year of 沁县 draws:
//
//	278 林业局 5–10月:          F1 F2 F3 F6
//	283 农业农村局 1–12月:      F1 F2 F5 F6
//	292 市场监管局价监股 4–6月: F1 F3 F4 F6
//	280 农业农村局 1–3月:       F4 F6
//	291 round 1 and 2, 3–12月:  F5 (both rounds), F6
//	294 11–12月:                F3
func year() []*draw.Manifest {
	return []*draw.Manifest{
		mk(278, 1, 5, 10, "沁县林业局", []string{"沁县市场监管局"}, "陆生野生动物人工繁育", firm{"F1", "A"}, firm{"F2", "B"}, firm{"F3", "C"}, firm{"F6", "A"}),
		mk(283, 1, 1, 12, "沁县农业农村局", []string{"沁县市场监管局"}, "饲料监督检查", firm{"F1", "A"}, firm{"F2", "B"}, firm{"F5", "D"}, firm{"F6", "A"}),
		mk(292, 1, 4, 6, "沁县市场监管局价监股", []string{"沁县住建局"}, "明码标价", firm{"F1", "A"}, firm{"F3", "C"}, firm{"F4", "B"}, firm{"F6", "A"}),
		mk(280, 1, 1, 3, "沁县农业农村局", []string{"沁县市场监管局"}, "肥料监督检查", firm{"F4", "B"}, firm{"F6", "A"}),
		mk(291, 1, 3, 12, "沁县市场监管局食品股", []string{"沁县教育局"}, "学校食堂", firm{"F5", "D"}, firm{"F6", "A"}),
		mk(291, 2, 3, 12, "沁县市场监管局食品股", []string{"沁县教育局"}, "学校食堂", firm{"F5", ""}),
		mk(294, 1, 11, 12, "沁县市场监管局特种设备股", []string{"沁县环保局"}, "机动车排放检验", firm{"F3", "C"}),
	}
}

type want struct {
	key      string
	tasks    []string
	from, to int
}

func TestFind(t *testing.T) {
	groups := Find(year())
	var got []want
	for _, g := range groups {
		got = append(got, want{g.Key, g.Tasks, g.Window.From, g.Window.To})
	}
	exp := []want{
		// Tasks in window order. F1: 283 (1–12), 292 (4–6), 278 (5–10): common 5–6.
		{"F1", []string{"CZ2026-283", "CZ2026-292", "CZ2026-278"}, 5, 6},
		// F2: 278 and 283: 5–10.
		{"F2", []string{"CZ2026-283", "CZ2026-278"}, 5, 10},
		// F3: 292 (4–6) and 278 (5–10) overlap; 294 (11–12) overlaps neither: not in the group.
		{"F3", []string{"CZ2026-292", "CZ2026-278"}, 5, 6},
		// F4: 280 (1–3) and 292 (4–6) do not overlap: no entry (no false pair).
		// F5: 283 (1–12) and both rounds of 291 (3–12): 3–12.
		{"F5", []string{"CZ2026-283", "CZ2026-291"}, 3, 12},
		// F6: a chain — 280 (1–3), 283 (1–12), 291 (3–12), 292 (4–6), 278 (5–10). No month is
		// common to all; earliest end: 1–3 takes 280, 283, 291 (month 3); then 292 and 278 (5–6).
		{"F6", []string{"CZ2026-280", "CZ2026-283", "CZ2026-291"}, 3, 3},
		{"F6", []string{"CZ2026-292", "CZ2026-278"}, 5, 6},
	}
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("Find:\n got  %v\n want %v", got, exp)
	}

	f5 := groups[3]
	if len(f5.Visits) != 3 || f5.Visits[1].Round != 1 || f5.Visits[2].Round != 2 {
		t.Errorf("F5 visits = %+v, want 283, 291 round 1, 291 round 2", f5.Visits)
	}
	if f5.Window.Text != "3月—12月" {
		t.Errorf("F5 window text = %q", f5.Window.Text)
	}

	f1 := groups[0]
	if w := []string{"饲料监督检查", "明码标价", "陆生野生动物人工繁育"}; !reflect.DeepEqual(f1.Items, w) {
		t.Errorf("F1 items = %q, want %q", f1.Items, w)
	}
	// 沁县市场监管局 and 沁县市场监管局价监股 are one department, listed once by its full name.
	if w := []string{"沁县农业农村局", "沁县市场监督管理局", "沁县住房和城乡建设局", "沁县林业局"}; !reflect.DeepEqual(f1.Depts, w) {
		t.Errorf("F1 depts = %q, want %q", f1.Depts, w)
	}
	var ids []string
	for _, m := range f1.Team {
		ids = append(ids, m.ID)
	}
	// One team: each visit's initiator inspector and the shared cooperator "C" once.
	if w := []string{"ICZ2026-283", "C", "ICZ2026-292", "ICZ2026-278"}; !reflect.DeepEqual(ids, w) {
		t.Errorf("F1 team = %q, want %q", ids, w)
	}
	if f1.Name != "企业F1" || f1.District != "沁县" {
		t.Errorf("F1 name/district = %q/%q", f1.Name, f1.District)
	}
}

// TestNoFalsePairs: draws whose windows touch no common month are never grouped, whatever
// the order of the draws.
func TestNoFalsePairs(t *testing.T) {
	for from1 := 1; from1 <= 12; from1++ {
		for to1 := from1; to1 <= 12; to1++ {
			for from2 := 1; from2 <= 12; from2++ {
				for to2 := from2; to2 <= 12; to2++ {
					a := mk(1, 1, from1, to1, "沁县林业局", nil, "甲", firm{"F", "A"})
					b := mk(2, 1, from2, to2, "沁县农业农村局", nil, "乙", firm{"F", "A"})
					overlaps := from1 <= to2 && from2 <= to1
					for _, ds := range [][]*draw.Manifest{{a, b}, {b, a}} {
						g := Find(ds)
						if overlaps != (len(g) == 1) || len(g) > 1 {
							t.Fatalf("%d–%d and %d–%d: %d groups, overlap %v", from1, to1, from2, to2, len(g), overlaps)
						}
						if overlaps && (g[0].Window.From != max(from1, from2) || g[0].Window.To != min(to1, to2)) {
							t.Fatalf("%d–%d and %d–%d: window %+v", from1, to1, from2, to2, g[0].Window)
						}
					}
				}
			}
		}
	}
}

func TestFindEdgeCases(t *testing.T) {
	// One draw, a repeated task round, a window without months (whole year), different firms.
	a := mk(1, 1, 0, 0, "沁县林业局", nil, "甲", firm{"F", "A"})
	if g := Find([]*draw.Manifest{a, a, nil}); len(g) != 0 {
		t.Errorf("a task round passed twice is one visit, got %d groups", len(g))
	}
	b := mk(2, 1, 12, 12, "沁县农业农村局", nil, "乙", firm{"F", "A"}, firm{"G", "A"})
	g := Find([]*draw.Manifest{a, b})
	if len(g) != 1 || g[0].Key != "F" || g[0].Window.From != 12 || g[0].Window.To != 12 || g[0].Window.Text != "12月" {
		t.Errorf("whole-year window: got %+v", g)
	}
	if Find(nil) != nil {
		t.Error("Find(nil) not empty")
	}
}

func TestOverCap(t *testing.T) {
	caps := map[string]int{"A": 1, "B": 2, "D": 3}
	got := OverCap(year(), caps)
	var keys []string
	for _, e := range got {
		keys = append(keys, e.Key)
	}
	// F1 A: 3 draws > 1. F2 B: 2 ≤ 2. F3 C: no cap. F4 B: 2 ≤ 2. F5: D, D, then unclassified
	// (B) at its last draw — 3 draws > 2. F6 A: 5 > 1.
	if w := []string{"F1", "F5", "F6"}; !reflect.DeepEqual(keys, w) {
		t.Fatalf("OverCap keys = %q, want %q", keys, w)
	}
	f1 := got[0]
	if f1.Class != "A" || f1.Cap != 1 || f1.Count != 3 || f1.Name != "企业F1" {
		t.Errorf("F1 = %+v", f1)
	}
	if w := []Ref{{"CZ2026-283", 1}, {"CZ2026-292", 1}}; !reflect.DeepEqual(f1.Over, w) {
		t.Errorf("F1 over = %+v, want %+v", f1.Over, w)
	}
	f5 := got[1]
	if f5.Class != "B" || f5.Cap != 2 || f5.Count != 3 || !reflect.DeepEqual(f5.Over, []Ref{{"CZ2026-291", 2}}) {
		t.Errorf("F5 = %+v", f5)
	}
	if len(OverCap(year(), nil)) != 0 {
		t.Error("no caps: no excess")
	}
	// A cap of 0 means the class is never to be inspected: every draw is over it.
	if e := OverCap(year()[:1], map[string]int{"C": 0}); len(e) != 1 || e[0].Key != "F3" || len(e[0].Over) != 1 {
		t.Errorf("cap 0: %+v", e)
	}
}

func TestMarkOverCap(t *testing.T) {
	ds := year()
	caps := map[string]int{"A": 1, "B": 2, "D": 3}
	// The last draw (294) takes F3 (C, no cap): nothing marked.
	if k := MarkOverCap(ds[:6], ds[6], caps); len(k) != 0 {
		t.Errorf("294: marked %q", k)
	}
	// 292 after 278, 283: F1 and F6 (A) reach their 3rd draw; F3 (C) and F4 (B, 1st) are fine.
	if k := MarkOverCap(ds[:2], ds[2], caps); !reflect.DeepEqual(k, []string{"F1", "F6"}) {
		t.Errorf("292: marked %q", k)
	}
	// 278 as the first draw of the year: nothing over the cap yet.
	if k := MarkOverCap(nil, ds[0], caps); len(k) != 0 {
		t.Errorf("278 first: marked %q", k)
	}
	// A redraw of the same task round does not count the discarded draw.
	if k := MarkOverCap([]*draw.Manifest{ds[0]}, ds[0], caps); len(k) != 0 {
		t.Errorf("redraw: marked %q", k)
	}
}
