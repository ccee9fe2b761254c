package draw

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

const seed = "12345678901234567890"

func testFrame(n int) *roster.Frame {
	f := &roster.Frame{File: "f.csv", SHA256: "aa", Header: []string{"统一社会信用代码", "企业名称"}, Rows: n}
	for i := range n {
		key := "K" + string(rune('A'+i/26)) + string(rune('A'+i%26))
		class := []string{"A", "A", "B", "C"}[i%4]
		f.Firms = append(f.Firms, roster.Firm{Row: i + 2, Key: key, Name: "企业" + key, Class: class, Values: []string{key, "企业" + key}})
	}
	return f
}

func testRequest(t *testing.T, seq int, frame *roster.Frame) Request {
	t.Helper()
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	task, err := p.Task(seq)
	if err != nil {
		t.Fatal(err)
	}
	return Request{Plan: p, Task: task, Frame: frame, Policy: risk.DefaultPolicy(), Seed: seed, Round: 1,
		Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), ToolVersion: "test"}
}

func TestRunRecordsFrameAndYear(t *testing.T) {
	oc, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	m := oc.Manifest
	lines := strings.Split(string(oc.Frame), "\n")
	if len(lines) != 41 || lines[0] != "KAA|A" || lines[40] != "" || m.Year != 2026 || m.Roster.FrameSHA256 != roster.FrameHash(testFrame(40).Firms) {
		t.Errorf("frame %d lines (first %q), year %d", len(lines), lines[0], m.Year)
	}
	// The manifest references the frame by its hash; the ledger stores the frame once.
	if b, _ := m.Canonical(); m.Frame != nil || strings.Contains(string(b), `"frame":`) {
		t.Errorf("manifest carries the frame inline: %.200s", b)
	}
	for _, s := range m.Selected {
		if s.Ticket != sampler.Ticket(seed, "CZ2026-292", 1, s.Key) || s.Name != "企业"+s.Key {
			t.Errorf("selected %+v", s)
		}
	}
}

func TestRunRefusesBadRequests(t *testing.T) {
	req := testRequest(t, 292, &roster.Frame{File: "empty.csv"})
	if _, err := Run(req); err == nil || !strings.Contains(err.Error(), "empty.csv") {
		t.Errorf("empty frame: %v", err)
	}
	req = testRequest(t, 292, testFrame(10))
	req.Round = 2
	if _, err := Run(req); err == nil || !strings.Contains(err.Error(), "第 2 轮") {
		t.Errorf("round 2 of a 1次 task: %v", err)
	}
}

// The initiator is required; a cooperator missing from the inspector roster is a warning,
// or an error with Strict.
func TestRunInspectorDepartments(t *testing.T) {
	valid := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	insp := func(id, d string) roster.Inspector {
		return roster.Inspector{ID: id, Name: "人" + id, Dept: d, OnDuty: true, Status: "在岗", ValidUntil: valid}
	}
	only := []roster.Inspector{insp("1", "沁县市场监督管理局"), insp("2", "沁县市场监督管理局"), insp("3", "沁县市场监督管理局")}
	req := testRequest(t, 292, testFrame(40))
	req.Inspectors = &Inspectors{File: "i.xlsx", List: only, Depts: dept.DefaultMap()}
	oc, err := Run(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(oc.Warnings) != 1 || !strings.Contains(oc.Warnings[0], "住建局") {
		t.Errorf("warnings %q", oc.Warnings)
	}
	for _, a := range oc.Manifest.Assignments {
		if len(a.Team) != 2 {
			t.Errorf("team %+v", a)
		}
	}
	req.Inspectors.Strict = true
	if _, err := Run(req); err == nil {
		t.Error("strict: a missing cooperator is not an error")
	}
	req.Inspectors = &Inspectors{File: "i.xlsx", List: []roster.Inspector{insp("9", "沁县住房和城乡建设管理局")}, Depts: dept.DefaultMap()}
	if _, err := Run(req); err == nil || !strings.Contains(err.Error(), "市场监管局") {
		t.Errorf("missing initiator: %v", err)
	}
}

func TestCompare(t *testing.T) {
	a, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(testRequest(t, 292, testFrame(40)))
	b.Manifest.Roster.SHA256 = "bb" // same frame from another file
	b.Manifest.ToolVersion = "newer"
	d := Compare(a.Manifest, b.Manifest)
	if !d.Identical || !d.RosterFileChanged || d.FrameChanged || d.ToolVersion != [2]string{"test", "newer"} {
		t.Errorf("same frame: %+v", d)
	}

	// Reclassify one drawn firm, drop one firm, add one.
	f := testFrame(40)
	victim := a.Manifest.Selected[0].Key
	for i := range f.Firms {
		if f.Firms[i].Key == victim {
			f.Firms[i].Class = "D"
		}
	}
	f.Firms = append(f.Firms[1:], roster.Firm{Key: "ZZZ", Name: "新企业", Class: "A"})
	c, err := Run(testRequest(t, 292, f))
	if err != nil {
		t.Fatal(err)
	}
	if d := Compare(a.Manifest, c.Manifest); !d.FrameChanged || d.Added != nil {
		t.Errorf("frames not given: %+v", d)
	}
	d = CompareFrames(a.Manifest, c.Manifest, a.Frame, c.Frame)
	if d.Identical || !d.FrameChanged {
		t.Fatalf("changed frame: %+v", d)
	}
	if !reflect.DeepEqual(d.Added, []string{"ZZZ"}) || !reflect.DeepEqual(d.Removed, []string{"KAA"}) {
		t.Errorf("added %v removed %v", d.Added, d.Removed)
	}
	if len(d.Reclassified) != 1 || d.Reclassified[0].Key != victim || d.Reclassified[0].To != "D" {
		t.Errorf("reclassified %+v", d.Reclassified)
	}
}

// CompareFrames finds the same differences in the drawn firms whether or not the lists agree
// firm for firm (samePicks, the fast path): the same firms in another order are identical;
// a changed ticket, rank or class, and a firm swapped for another, are reported.
func TestCompareDrawnFirms(t *testing.T) {
	a, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Manifest.Selected) < 2 {
		t.Fatalf("only %d drawn", len(a.Manifest.Selected))
	}
	edited := func(edit func(s []Selected)) *Manifest {
		m := *a.Manifest
		m.Selected = append([]Selected(nil), a.Manifest.Selected...)
		edit(m.Selected)
		return &m
	}
	first := a.Manifest.Selected[0].Key
	for _, tc := range []struct {
		name  string
		edit  func(s []Selected)
		check func(d Diff) bool
	}{
		{"unchanged", func([]Selected) {}, func(d Diff) bool { return d.Identical }},
		{"reordered", func(s []Selected) { s[0], s[1] = s[1], s[0] }, func(d Diff) bool { return d.Identical }},
		{"ticket", func(s []Selected) { s[0].Ticket = strings.Repeat("0", 64) }, func(d Diff) bool {
			return !d.Identical && len(d.Other) == 1 && strings.HasPrefix(d.Other[0], first)
		}},
		{"rank", func(s []Selected) { s[0].Rank += 7 }, func(d Diff) bool { return !d.Identical && len(d.Other) == 1 }},
		{"class", func(s []Selected) { s[0].Class = "D" + s[0].Class }, func(d Diff) bool { return !d.Identical && len(d.Other) == 1 }},
		{"other firm", func(s []Selected) { s[0].Key = "KZZ" }, func(d Diff) bool {
			return !d.Identical && reflect.DeepEqual(d.NowSelected, []string{first}) && reflect.DeepEqual(d.NoLonger, []string{"KZZ"})
		}},
		{"one fewer", func(s []Selected) {}, nil},
	} {
		rec := edited(tc.edit)
		check := tc.check
		if tc.name == "one fewer" {
			rec.Selected = rec.Selected[1:]
			check = func(d Diff) bool {
				return !d.Identical && reflect.DeepEqual(d.NowSelected, []string{first}) && d.NoLonger == nil
			}
		}
		if d := CompareFrames(rec, a.Manifest, nil, nil); !check(d) {
			t.Errorf("%s: %+v", tc.name, d)
		}
	}
}

// A manifest made by Run validates; each kind of edit is caught.
func TestValidate(t *testing.T) {
	oc, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	if err := oc.Manifest.Validate(); err != nil {
		t.Fatalf("a fresh draw does not validate: %v", err)
	}
	b, _ := oc.Manifest.Canonical()
	if _, err := ParseManifest(b, "m"); err != nil {
		t.Fatal(err)
	}
	edits := map[string]func(m *Manifest){
		"签号":    func(m *Manifest) { m.Selected[0].Key = "KZZ" },
		"种子":    func(m *Manifest) { m.Seed = "1" },
		"轮次":    func(m *Manifest) { m.Round = 0 },
		"frame": func(m *Manifest) { m.Frame[0] = "KAA|D" },
		"分类不符":  func(m *Manifest) { m.Selected[0].Class = map[string]string{"A": "D"}[m.Selected[0].Class] + "X" },
		"应抽":    func(m *Manifest) { m.Selected = m.Selected[:1] },
		"任务编号":  func(m *Manifest) { m.Task = "CZ2026-291" },
		"抽样算法":  func(m *Manifest) { m.Spec = "OTHER" },
		"重复":    func(m *Manifest) { m.Selected[1] = m.Selected[0] },
	}
	for want, edit := range edits {
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if want == "frame" { // a version-1 manifest carries its frame inline
			m.Frame = strings.Split(strings.TrimSuffix(string(oc.Frame), "\n"), "\n")
			if err := m.Validate(); err != nil {
				t.Fatalf("inline frame: %v", err)
			}
		}
		edit(&m)
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("edit %q: %v", want, err)
		}
	}
	if _, err := ParseManifest(b[:len(b)/2], "half.json"); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("truncated: %v", err)
	}
}

// A roster without a class column is drawn as one stratum ALL at the plan's ratio (task 1:
// progressive, 20%): 10 of 50, not B's 30% (15), and the manifest says so. A classified
// roster with unclassified firms keeps the four strata and counts them in a note.
func TestRunNoClassColumn(t *testing.T) {
	frame := func(noClasses bool, unclassified int) *roster.Frame {
		f := testFrame(50)
		for i := range f.Firms {
			f.Firms[i].Class = "B"
		}
		f.NoClasses, f.Unclassified = noClasses, unclassified
		return f
	}
	oc, err := Run(testRequest(t, 1, frame(true, 0)))
	if err != nil {
		t.Fatal(err)
	}
	m := oc.Manifest
	if len(m.Strata) != 1 || m.Strata[0] != (Stratum{Class: "ALL", N: 50, Ratio: "20", Count: 10}) || len(m.Selected) != 10 {
		t.Errorf("strata %+v, %d selected", m.Strata, len(m.Selected))
	}
	if !reflect.DeepEqual(m.Notes, []string{"名录无信用风险分类，按计划比例统一抽取"}) {
		t.Errorf("notes %q", m.Notes)
	}
	for _, l := range m.Frame {
		if !strings.HasSuffix(l, "|B") {
			t.Fatalf("frame line %q: unclassified firms are B in the frame (CHOUCHA-SAMPLE-v1)", l)
		}
	}
	oc, err = Run(testRequest(t, 1, frame(false, 3)))
	if err != nil {
		t.Fatal(err)
	}
	m = oc.Manifest
	if len(m.Strata) != 4 || m.Strata[1] != (Stratum{Class: "B", N: 50, Ratio: "30", Count: 15}) {
		t.Errorf("classified: strata %+v", m.Strata)
	}
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0], "3 户未分类") {
		t.Errorf("classified: notes %q", m.Notes)
	}
	// A task drawn without classes (298: risk 无, one stratum ALL) has nothing to say about them.
	req := testRequest(t, 298, frame(false, 3))
	oc, err = Run(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(oc.Manifest.Notes) != 0 || oc.Manifest.Strata[0].Class != "ALL" {
		t.Errorf("task 298: notes %q, strata %+v", oc.Manifest.Notes, oc.Manifest.Strata)
	}
}

// PlanRef.BuiltIn is the built-in plan's ID and bytes together: the ID alone, which a plan file
// may carry too, is not enough.
func TestPlanRefBuiltIn(t *testing.T) {
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		r    PlanRef
		want bool
	}{
		{PlanRef{ID: p.ID, SHA256: p.SHA256}, true},
		{PlanRef{ID: p.ID, SHA256: strings.Repeat("ab", 32)}, false},
		{PlanRef{ID: p.ID}, false},
		{PlanRef{ID: "QX2026", SHA256: p.SHA256}, false},
		{PlanRef{}, false},
	} {
		if got := c.r.BuiltIn(); got != c.want {
			t.Errorf("%+v.BuiltIn() = %v, want %v", c.r, got, c.want)
		}
	}
}
