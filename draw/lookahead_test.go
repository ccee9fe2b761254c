package draw

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
)

// The lookahead changes where the drawn firms' records come from (the first read instead of
// a second one), never the draw: the manifest is the same with and without it, on csv, GBK
// csv and xlsx rosters, and the guess did cover some of the picked firms (so the test
// exercises both sources: the 400-firm roster's small strata need rows it did not keep).
func TestLookaheadChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, file := range []string{qinxianCSV, "../testdata/rosters/qinxian-realestate.xlsx", "../testdata/rosters/qinxian-realestate-gbk.csv"} {
		var got [2]*Manifest
		for i, on := range []bool{true, false} {
			useLookahead = on
			dir := t.TempDir()
			req := recordRequest(t, dir)
			req.Roster.File = file
			req.Out = filepath.Join(dir, "out")
			oc, err := Record(ctx, req)
			useLookahead = true
			if err != nil {
				t.Fatalf("%s (lookahead %v): %v", file, on, err)
			}
			m := *oc.Manifest
			m.Roster.FrameSalt, m.Roster.FrameCommitment = "", ""
			got[i] = &m
		}
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Errorf("%s: the manifests with and without the lookahead differ", file)
		}
		m := got[0]
		if len(m.Selected) == 0 || m.Selected[0].Name == "" || len(m.Selected[0].Values) == 0 {
			t.Fatalf("%s: no records in the draw", file)
		}
		likely := lookahead(m.TaskInfo, risk.DefaultPolicy(), "", m.Seed, m.Round, 0).Likely
		in, out := 0, 0
		for _, s := range m.Selected {
			if likely(s.Key, s.Class) {
				in++
			} else {
				out++
			}
		}
		if in == 0 || out == 0 {
			t.Errorf("%s: of the %d picked firms the lookahead kept %d: the test should see both sources", file, len(m.Selected), in)
		}
	}
}

// What the lookahead keeps for task 292 (A类3%，B类5%，C类7%，D类9%): per class r × 11/10 + 0.2
// points of the ticket space — 3.5% of the A firms, 5.7% of the B ones. A roster without a class
// column is all B and drawn at B's ratio, so that way of drawing asks nothing more of class A
// (it once kept 5.7% of the A firms too).
func TestLookaheadSharePerClass(t *testing.T) {
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	task, err := p.Task(292)
	if err != nil {
		t.Fatal(err)
	}
	la := lookahead(*task, risk.DefaultPolicy(), "", "20260401123456789012", 1, 0)
	const n = 40000
	kept := map[string]int{}
	for i := range n {
		key := fmt.Sprintf("91140430MA%08d", i)
		for _, c := range []string{"A", "B", "C", "D"} {
			if la.Likely(key, c) {
				kept[c]++
			}
		}
	}
	// Binomial: n × share ± 4 standard deviations (about 0.4 and 0.5 points here).
	for c, share := range map[string]float64{"A": 0.035, "B": 0.057, "C": 0.079, "D": 0.101} {
		want := n * share
		if d := float64(kept[c]) - want; d*d > 16*want {
			t.Errorf("class %s: kept %d of %d, want about %.0f", c, kept[c], n, want)
		}
	}
}
