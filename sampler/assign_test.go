package sampler

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestAssignVector(t *testing.T) {
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Assignment struct {
			Seed  string   `json:"seed"`
			Task  string   `json:"task"`
			Round int      `json:"round"`
			Firms []string `json:"firms"`
			Depts []struct {
				Name  string   `json:"name"`
				Role  string   `json:"role"`
				Slots int      `json:"slots"`
				IDs   []string `json:"ids"`
			} `json:"depts"`
			Recuse []struct{ ID, Firm string } `json:"recuse"`
			Teams  []Team                      `json:"teams"`
			Loads  map[string]int              `json:"loads"`
		} `json:"assignment"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	a := v.Assignment
	if len(a.Teams) == 0 {
		t.Fatal("testdata/vectors.json has no assignment")
	}
	var firms []Pick
	for _, k := range a.Firms {
		firms = append(firms, Pick{Key: k})
	}
	var depts []Department
	for _, d := range a.Depts {
		dep := Department{Name: d.Name, Role: d.Role, Slots: d.Slots}
		for _, id := range d.IDs {
			c := Candidate{ID: id, Name: "name-" + id, Recuse: map[string]bool{}}
			for _, r := range a.Recuse {
				if r.ID == id {
					c.Recuse[r.Firm] = true
				}
			}
			dep.Candidates = append(dep.Candidates, c)
		}
		depts = append(depts, dep)
	}
	teams, loads, err := Assign(a.Seed, a.Task, a.Round, firms, depts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(teams, a.Teams) {
		t.Errorf("teams\n got %+v\nwant %+v", teams, a.Teams)
	}
	if !reflect.DeepEqual(loads, a.Loads) {
		t.Errorf("loads %v, want %v", loads, a.Loads)
	}
	// The cooperator listed first changes nothing: initiator slots are filled first.
	rev := []Department{depts[1], depts[0]}
	if teams2, _, err := Assign(a.Seed, a.Task, a.Round, firms, rev); err != nil || !reflect.DeepEqual(teams2, teams) {
		t.Errorf("departments in another order: %v, %+v", err, teams2)
	}
}

// scenario builds a random but deterministic joint task: firms, an initiator and
// cooperators, each with candidates, some recused for some firms.
func scenario(r *rand.Rand, recusals bool) ([]Pick, []Department) {
	var firms []Pick
	for i := range 1 + r.IntN(40) {
		firms = append(firms, Pick{Key: fmt.Sprintf("91140430MA%08d", i)})
	}
	depts := []Department{{Name: "市场监督管理局", Role: RoleInitiator, Slots: 1 + r.IntN(3)}}
	for j := range r.IntN(4) {
		depts = append(depts, Department{Name: fmt.Sprintf("配合部门%d", j), Role: RoleCooperator, Slots: 1 + r.IntN(2)})
	}
	for d := range depts {
		for k := range depts[d].Slots + r.IntN(6) {
			c := Candidate{ID: fmt.Sprintf("D%dP%02d", d, k), Name: fmt.Sprintf("人员%d-%d", d, k), Recuse: map[string]bool{}}
			if recusals {
				for _, f := range firms {
					if r.IntN(5) == 0 {
						c.Recuse[f.Key] = true
					}
				}
			}
			depts[d].Candidates = append(depts[d].Candidates, c)
		}
	}
	return firms, depts
}

func TestAssignProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 292))
	failures := 0
	for i := range 600 {
		seed := fmt.Sprintf("%020d", 9000000000+i)
		recusals := i%2 == 1
		firms, depts := scenario(r, recusals)
		teams, loads, err := Assign(seed, "CZ2026-292", 1+i%3, firms, depts)

		// Feasible exactly when every (firm, department) has enough non-recused candidates
		// (IDs are distinct across departments here, so nothing else can block a slot).
		feasible := true
		var blocked string
		for _, f := range firms {
			for _, d := range depts {
				free := 0
				for _, c := range d.Candidates {
					if !c.Recuse[f.Key] {
						free++
					}
				}
				if free < d.Slots && feasible {
					feasible, blocked = false, d.Name
				}
			}
		}
		if !feasible {
			failures++
			if err == nil {
				t.Fatalf("seed %s: %s cannot fill its slots, but Assign returned no error", seed, blocked)
			}
			if !strings.Contains(err.Error(), "91140430MA") || !strings.Contains(err.Error(), "部门") && !strings.Contains(err.Error(), "市场监督管理局") {
				t.Fatalf("seed %s: error %q does not name the firm and department", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %s: feasible assignment failed: %v", seed, err)
		}
		if len(teams) != len(firms) {
			t.Fatalf("seed %s: %d teams for %d firms", seed, len(teams), len(firms))
		}
		recused := map[string]map[string]bool{}
		deptOf := map[string]string{}
		for _, d := range depts {
			for _, c := range d.Candidates {
				recused[c.ID] = c.Recuse
				deptOf[c.ID] = d.Name
			}
		}
		count := map[string]int{}
		prevTicket := ""
		for _, tm := range teams {
			tk := Ticket(seed, "CZ2026-292", 1+i%3, tm.Key)
			if tk < prevTicket {
				t.Fatalf("seed %s: teams not in ascending sampling ticket", seed)
			}
			prevTicket = tk
			perDept := map[string]int{}
			on := map[string]bool{}
			for _, m := range tm.Team {
				if on[m.ID] {
					t.Fatalf("seed %s: %s twice on the team of %s", seed, m.ID, tm.Key)
				}
				on[m.ID] = true
				if recused[m.ID][tm.Key] {
					t.Fatalf("seed %s: recused %s assigned to %s", seed, m.ID, tm.Key)
				}
				if deptOf[m.ID] != m.Dept {
					t.Fatalf("seed %s: %s listed for %s, belongs to %s", seed, m.ID, m.Dept, deptOf[m.ID])
				}
				perDept[m.Dept]++
				count[m.ID]++
			}
			for j, d := range depts {
				if perDept[d.Name] != d.Slots {
					t.Fatalf("seed %s: %s has %d of %s, want %d", seed, tm.Key, perDept[d.Name], d.Name, d.Slots)
				}
				if j == 0 && (len(tm.Team) < d.Slots || tm.Team[0].Role != RoleInitiator) {
					t.Fatalf("seed %s: initiator slots not first: %+v", seed, tm.Team)
				}
			}
		}
		if !reflect.DeepEqual(count, loads) {
			t.Fatalf("seed %s: loads %v, want %v", seed, loads, count)
		}
		if !recusals {
			for _, d := range depts {
				lo, hi := len(firms), 0
				for _, c := range d.Candidates {
					lo, hi = min(lo, loads[c.ID]), max(hi, loads[c.ID])
				}
				if hi-lo > 1 {
					t.Fatalf("seed %s: loads in %s range %d…%d", seed, d.Name, lo, hi)
				}
			}
		}
	}
	if failures == 0 || failures > 250 {
		t.Fatalf("%d of 600 scenarios infeasible: the generator no longer tests both outcomes", failures)
	}
	t.Logf("%d of 600 scenarios infeasible (error checked)", failures)
}

func TestAssignErrors(t *testing.T) {
	firms := []Pick{{Key: "F1"}, {Key: "F2"}}
	ok := []Department{{Name: "甲局", Role: RoleInitiator, Slots: 2, Candidates: []Candidate{{ID: "1"}, {ID: "2"}, {ID: "3"}}}}
	if _, _, err := Assign(seed20, "CZ2026-1", 1, firms, ok); err != nil {
		t.Fatal(err)
	}
	// An inspector in two departments is never twice on a team; the second department
	// then has nobody left for the firm.
	shared := append(append([]Department{}, ok[0]), Department{Name: "乙局", Role: RoleCooperator, Slots: 1, Candidates: []Candidate{{ID: "1"}}})
	shared[0].Candidates = []Candidate{{ID: "1"}, {ID: "2"}}
	for _, c := range []struct {
		name  string
		seed  string
		firms []Pick
		depts []Department
		msg   string
	}{
		{"too few", seed20, firms, []Department{{Name: "甲局", Role: RoleInitiator, Slots: 2, Candidates: []Candidate{{ID: "1"}}}}, "甲局 的第 2 名"},
		{"all recused", seed20, firms, []Department{{Name: "甲局", Role: RoleInitiator, Slots: 1, Candidates: []Candidate{{ID: "1", Recuse: map[string]bool{"F2": true}}}}}, "为企业 F2 选派 甲局"},
		{"shared inspector", seed20, firms, shared, "乙局"},
		{"duplicate firm", seed20, []Pick{{Key: "F1"}, {Key: "F1"}}, ok, "重复"},
		{"duplicate inspector", seed20, firms, []Department{{Name: "甲局", Role: RoleInitiator, Slots: 1, Candidates: []Candidate{{ID: "1"}, {ID: "1"}}}}, "执法证号 1 重复"},
		{"empty id", seed20, firms, []Department{{Name: "甲局", Role: RoleInitiator, Slots: 1, Candidates: []Candidate{{ID: ""}}}}, "执法证号为空"},
		{"negative slots", seed20, firms, []Department{{Name: "甲局", Role: RoleInitiator, Slots: -1}}, "负数"},
		{"bad seed", "12", firms, ok, "种子"},
	} {
		_, _, err := Assign(c.seed, "CZ2026-1", 1, c.firms, c.depts)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}
