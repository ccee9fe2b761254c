package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/draw"
)

// Bureaus are the inspecting authorities of a draw by legal name: the initiating bureau (the
// notice is issued in its name) and the participating bureaus, each once, in plan order.
//
// A plan cell names a department loosely (沁县市场监管局价监股 is a section of 沁县市场监督管理局;
// 沁县住建局). Each piece of the cells (dept.Map.Split) is named, in order of preference, by
// the inspector roster's department it matched (dept.Map.Resolve over the departments of the
// assigned inspectors — the office's own name for itself; a section of a bureau there, such as
// 执法大队, by its bureau: dept.Map.Bureau), else by dept.Map.LegalName, else as the plan
// wrote it. A piece that several of those departments match equally (sub-units of
// the bureau, or the bureau written two ways: dept.Ambiguous) is the bureau's legal name, never
// one of its sub-units picked by name order. dm nil is the map the draw recorded
// (draw.RecordedDepts), else dept.DefaultMap.
func Bureaus(m *draw.Manifest, dm *dept.Map) (initiator string, participants []string) {
	if dm == nil {
		// The draw's --dept-map as recorded (its roster departments were matched by it), else
		// the built-in table; a recorded map that does not read is left for replay to report.
		if rec, err := draw.RecordedDepts(m); err == nil && rec != nil {
			dm = rec
		} else {
			d := dept.DefaultMap()
			dm = &d
		}
	}
	sc := dept.Scope{District: m.TaskInfo.District}
	if sc.District != "" {
		sc.Districts = []string{sc.District}
	}
	var rosterDepts []string
	for _, a := range m.Assignments {
		for _, mb := range a.Team {
			if mb.Dept != "" && !slices.Contains(rosterDepts, mb.Dept) {
				rosterDepts = append(rosterDepts, mb.Dept)
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range dm.Resolve(sc, dept.TaskCells(m.TaskInfo.Initiator, m.TaskInfo.Cooperators), rosterDepts) {
		name := r.Roster
		if name != "" {
			// A section of the bureau sends the people (执法大队): the notice is the bureau's.
			name = dm.Bureau(name, sc)
		}
		if name == "" && (r.Flag == "" || r.Flag == dept.Ambiguous) {
			name = dm.LegalName(r.Text, sc)
		}
		if name == "" {
			name = strings.TrimSpace(r.Text)
		}
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		if r.Role == "initiator" && initiator == "" {
			initiator = name
			continue
		}
		participants = append(participants, name)
	}
	return initiator, participants
}

// authorities are all inspecting authorities of a task by legal name (检查机关): the initiating
// bureau, then the participating bureaus.
func authorities(m *draw.Manifest, dm *dept.Map) []string {
	ini, parts := Bureaus(m, dm)
	var out []string
	if ini != "" {
		out = append(out, ini)
	}
	return append(out, parts...)
}

// scopeText is 抽查对象范围. A plan whose scope cell only repeats 抽查事项 says nothing about the
// targets; the notice then describes the frame actually drawn from instead of repeating a field.
func scopeText(m *draw.Manifest) string {
	s := strings.Join(m.TaskInfo.Scopes, "；")
	if norm(s) != "" && norm(s) != norm(m.TaskInfo.Items) {
		return s
	}
	where := m.TaskInfo.District
	return fmt.Sprintf("%s检查对象名录中符合本任务条件的市场主体（可抽取%d户）", where, m.Roster.Eligible)
}

func norm(s string) string { return strings.Join(strings.Fields(s), "") }
