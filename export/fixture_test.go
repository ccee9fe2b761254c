package export

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/sampler"
)

// trap is one row of a roster's *.traps.tsv: what kind of dirt sits at which row.
type trap struct {
	Kind  string
	Row   string
	Value string
}

// readTraps parses testdata/rosters/*.traps.tsv (kind, row, value). A value may span lines:
// a line without a tab continues the value above ("长治市换行\n贸易有限公司").
func readTraps(t testing.TB) []trap {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "rosters", "*.traps.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no traps files: %v", err)
	}
	sort.Strings(files)
	var out []trap
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := strings.TrimSuffix(sc.Text(), "\r")
			parts := strings.SplitN(line, "\t", 3)
			if len(parts) < 3 {
				if len(out) == 0 {
					t.Fatalf("%s: continuation line first", f)
				}
				out[len(out)-1].Value += "\n" + line
				continue
			}
			out = append(out, trap{parts[0], parts[1], parts[2]})
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// hostileNames are the distinct hostile_name values of the shared dirty rosters, plus an
// HTML injection attempt.
func hostileNames(t testing.TB) []string {
	t.Helper()
	seen := map[string]bool{}
	var names []string
	for _, tr := range readTraps(t) {
		if tr.Kind == "hostile_name" && !seen[tr.Value] {
			seen[tr.Value] = true
			names = append(names, tr.Value)
		}
	}
	if len(names) < 7 {
		t.Fatalf("only %d hostile names in the traps files", len(names))
	}
	if !seen["长治市换行\n贸易有限公司"] {
		t.Fatal("the two-line hostile name was not read as one value")
	}
	return append(names, `<script>alert("x")</script>贸易公司`, "\t制表符开头商行", "\r回车开头商行")
}

// Private values the roster carries and the announcement must never show.
const (
	secretLegalRep = "法人王秘密"
	secretPhone    = "13912345678"
	secretClass    = "高风险D级"
	secretInsp     = "检查员赵保密"
	secretInspID   = "14040399001"
)

var rosterHeader = []string{"统一社会信用代码", "企业名称", "法定代表人", "联系电话", "信用风险分类", "登记机关", "住所"}

// embeddedSHA256 is the SHA-256 of the built-in plan.
func embeddedSHA256(t testing.TB) string {
	t.Helper()
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return p.SHA256
}

// testManifest is a draw of the hostile names and a few plain firms, with the private
// columns filled and, when teams is set, inspectors assigned.
func testManifest(t testing.TB, teams bool) *draw.Manifest {
	t.Helper()
	names := append([]string{"长治市潞州区平安燃气有限公司", "沁县老字号商行"}, hostileNames(t)...)
	m := &draw.Manifest{
		Spec:        sampler.SampleSpec,
		ToolVersion: "0.1.0-test",
		CreatedAt:   "2026-04-01T02:03:04Z",
		LedgerID:    7,
		Plan:        draw.PlanRef{ID: "CZ2026", SHA256: embeddedSHA256(t)}, // the built-in plan
		Task:        "CZ2026-292",
		TaskInfo: plan.Task{
			Seq: 292, Key: "CZ2026-292", District: "沁县", Name: "对房地产开发企业的监督检查",
			Items:       "房地产开发企业资质检查；商品房预售许可检查",
			Scopes:      []string{"辖区内房地产开发企业"},
			Ratio:       plan.Ratio{Text: "不低于5%", Percent: "5", AtLeast: true, Times: 1, Per: plan.PerYear},
			Rounds:      1,
			Window:      plan.Window{Text: "4-6月", From: 4, To: 6},
			Initiator:   "沁县住建局",
			Cooperators: []string{"沁县市场监管局"},
			Mode:        "县抽县查",
		},
		Round: 1,
		Year:  2026,
		Seed:  "20260401123456789012",
		Roster: draw.RosterRef{File: "qinxian-realestate.xlsx", SHA256: strings.Repeat("cd", 32),
			FrameSHA256: strings.Repeat("ef", 32), FrameSalt: strings.Repeat("5a", 32), FrameCommitment: strings.Repeat("c0", 32), Header: rosterHeader, Rows: 40, Eligible: 38},
		Strata: []draw.Stratum{{Class: "ALL", N: 38, Ratio: "5", Count: len(names)}},
	}
	codes := []string{"911404038769823907", "140403824667485"}
	for i, n := range names {
		key := codes[i%2]
		if i >= 2 {
			key = "9114043" + strings.Repeat(string(rune('0'+i%10)), 10) + "X"
		}
		m.Selected = append(m.Selected, draw.Selected{
			Key: key, Name: n, Class: "D", Ticket: sampler.Ticket(m.Seed, m.Task, m.Round, key), Rank: i + 1,
			Authority: "沁县市场监督管理局", Address: "沁县定昌镇第" + string(rune('一'+i%5)) + "街",
			Values: []string{key, n, secretLegalRep, secretPhone, secretClass, "沁县市场监督管理局", "沁县定昌镇"},
		})
	}
	m.Selected[1].Repeat = true
	if teams {
		m.AssignSpec = sampler.AssignSpec
		m.Inspectors = &draw.FileRef{File: "qinxian-inspectors.xlsx", SHA256: strings.Repeat("12", 32)}
		people := []sampler.Member{
			{ID: secretInspID, Name: secretInsp, Dept: "沁县住房和城乡建设管理局", Role: "initiator"},
			{ID: "14040399002", Name: "钱二", Dept: "沁县住房和城乡建设管理局", Role: "initiator"},
			{ID: "14040399003", Name: "孙三", Dept: "沁县住房和城乡建设管理局", Role: "initiator"},
			{ID: "14040388001", Name: "李四", Dept: "沁县市场监督管理局", Role: "cooperator"},
		}
		m.Loads = map[string]int{}
		for i, s := range m.Selected {
			team := []sampler.Member{people[i%3], people[(i+1)%3], people[3]}
			m.Assignments = append(m.Assignments, sampler.Team{Key: s.Key, Team: team})
			for _, mb := range team {
				m.Loads[mb.ID]++
			}
		}
	}
	return m
}
