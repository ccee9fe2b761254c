package draw

import (
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/roster"
)

// printedEntry is the cells entry a hint prints: from "cells:" to the last line of YAML.
func printedEntry(t *testing.T, hint string) string {
	t.Helper()
	at := strings.Index(hint, "cells:\n")
	if at < 0 {
		t.Fatalf("the hint prints no cells entry:\n%s", hint)
	}
	var lines []string
	for _, l := range strings.SplitAfter(hint[at:], "\n") {
		if l != "cells:\n" && !strings.HasPrefix(l, " ") {
			break
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "")
}

// The draw refuses a plan department that several roster departments match equally, names
// them, and prints a --dept-map entry that, loaded as the map, lets the draw run.
func TestAssignRefusesAmbiguous(t *testing.T) {
	valid := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	insp := func(id, d string) roster.Inspector {
		return roster.Inspector{ID: id, Name: "人" + id, Dept: d, OnDuty: true, Status: "在岗", ValidUntil: valid}
	}
	tests := []struct {
		name      string
		initiator string // the task's 发起部门 and district, "" for task 292 as the plan has it
		district  string
		list      []roster.Inspector
		msg, hint string
		sends     map[string]bool // with the printed entry: the roster departments on the teams
	}{
		{
			// The roster lists 海曙区's bureau by sub-unit only.
			name: "sub-units", initiator: "海曙区市场监管局", district: "海曙区",
			list: []roster.Inspector{insp("1", "海曙区市场监督管理局执法大队"), insp("2", "海曙区市场监督管理局执法大队"),
				insp("3", "海曙区市场监督管理局南门所"), insp("4", "海曙区市场监督管理局南门所"), insp("5", "海曙区市场监督管理局南门所")},
			msg: "计划部门「海曙区市场监管局」在执法检查人员名录 i.xlsx 中同样对得上 2 个部门：「海曙区市场监督管理局南门所」（3人）、" +
				"「海曙区市场监督管理局执法大队」（2人），不能确定由哪个部门派人",
			hint:  "名录只按内设机构列出该部门的人员：请在 --dept-map 的 cells 中写明由名录中的哪个（哪些）部门派人",
			sends: map[string]bool{"海曙区市场监督管理局南门所": true, "海曙区市场监督管理局执法大队": true},
		},
		{
			// Task 292 (沁县市场监管局价监股, 沁县住建局); the roster writes the bureau two ways.
			name: "spellings",
			list: []roster.Inspector{insp("1", "沁县市场监管局"), insp("2", "沁县市场监管局"), insp("3", "沁县市场监督管理局"),
				insp("4", "沁县市场监督管理局"), insp("5", "沁县市场监督管理局"), insp("9", "沁县住房和城乡建设管理局")},
			msg: "计划部门「沁县市场监管局价监股」在执法检查人员名录 i.xlsx 中同样对得上 2 个部门：「沁县市场监督管理局」（3人）、" +
				"「沁县市场监管局」（2人），不能确定由哪个部门派人",
			hint:  "名录把同一部门写成了几种名称（「沁县市场监督管理局」、「沁县市场监管局」）。请在执法检查人员名录的所属部门一栏统一为一种写法后再抽取",
			sends: map[string]bool{"沁县市场监督管理局": true, "沁县住房和城乡建设管理局": true},
		},
	}
	for _, tc := range tests {
		req := testRequest(t, 292, testFrame(40))
		if tc.initiator != "" {
			task := *req.Task
			task.Initiator, task.District, task.Cooperators, task.CooperatorCells = tc.initiator, tc.district, nil, nil
			req.Task = &task
		}
		req.Inspectors = &Inspectors{File: "i.xlsx", List: tc.list, Depts: dept.DefaultMap()}
		oc, err := Run(req)
		if err == nil {
			t.Errorf("%s: the draw ran: %+v", tc.name, oc.Matches)
			continue
		}
		if err.Error() != tc.msg {
			t.Errorf("%s: error\n%s\nwant\n%s", tc.name, err, tc.msg)
		}
		hint := apperr.HintOf(err)
		if !strings.Contains(hint, tc.hint) {
			t.Errorf("%s: hint\n%s\nlacks %s", tc.name, hint, tc.hint)
		}
		entry := printedEntry(t, hint)
		m, err := dept.LoadMap(strings.NewReader(entry), "部门对照.yaml")
		if err != nil {
			t.Fatalf("%s: the printed entry does not load: %v\n%s", tc.name, err, entry)
		}
		req.Inspectors.Depts = m
		oc, err = Run(req)
		if err != nil {
			t.Fatalf("%s: with the printed entry\n%s the draw fails: %v", tc.name, entry, err)
		}
		if len(oc.Manifest.Assignments) != len(oc.Manifest.Selected) || len(oc.Manifest.Assignments) == 0 {
			t.Fatalf("%s: %d teams for %d firms", tc.name, len(oc.Manifest.Assignments), len(oc.Manifest.Selected))
		}
		sent := map[string]bool{}
		for _, a := range oc.Manifest.Assignments {
			for _, mb := range a.Team {
				sent[mb.Dept] = true
			}
		}
		if len(sent) != len(tc.sends) {
			t.Errorf("%s: teams from %v, want %v", tc.name, sent, tc.sends)
		}
		for d := range tc.sends {
			if !sent[d] {
				t.Errorf("%s: teams from %v, want %v", tc.name, sent, tc.sends)
			}
		}
	}
}

// The roster unified to one spelling draws without any entry.
func TestAssignUnifiedSpelling(t *testing.T) {
	valid := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var list []roster.Inspector
	for _, id := range []string{"1", "2", "3"} {
		list = append(list, roster.Inspector{ID: id, Name: "人" + id, Dept: "沁县市场监督管理局", OnDuty: true, Status: "在岗", ValidUntil: valid})
	}
	req := testRequest(t, 292, testFrame(40))
	req.Inspectors = &Inspectors{File: "i.xlsx", List: list, Depts: dept.DefaultMap()}
	if _, err := Run(req); err != nil {
		t.Fatal(err)
	}
}

// RecordedDepts reads back the map a draw recorded, and refuses one whose text no longer
// matches its recorded hash.
func TestRecordedDepts(t *testing.T) {
	if dm, err := RecordedDepts(&Manifest{}); dm != nil || err != nil {
		t.Fatalf("no inspectors: %v %v", dm, err)
	}
	text := "cells:\n  - text: 相关部门\n    departments: [沁县住建局]\n"
	m := &Manifest{Inspectors: &FileRef{File: "i.csv", DeptMap: &DeptMapRef{File: "对照.yaml", SHA256: "065b5da0c2a2ba05e5adba64da971ddbbfb302a72137c185cb41e7a12b7deaa0", Text: text}}}
	dm, err := RecordedDepts(m)
	if err != nil || dm == nil || dm.Source() == nil || dm.Source().Text != text {
		t.Fatalf("recorded map: %v %v", dm, err)
	}
	m.Inspectors.DeptMap.Text += "# 改过\n"
	if _, err := RecordedDepts(m); err == nil || !strings.Contains(err.Error(), "被改动") {
		t.Fatalf("a changed map: %v", err)
	}
}
