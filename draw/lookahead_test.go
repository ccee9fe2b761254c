package draw

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
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
		likely := lookahead(m.TaskInfo, risk.DefaultPolicy(), "", m.Seed, m.Round, 0)
		in, out := 0, 0
		for _, s := range m.Selected {
			if likely.Likely(s.Key, s.Class) {
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

// A roster read for a draw with a lookahead comes with every firm's ticket prefix, for that
// draw: the units the sampler gets carry them (so it does not hash the keys again).
func TestReadOptionsTagPrefixes(t *testing.T) {
	m := recordRequest(t, t.TempDir())
	task, err := m.Plan.TaskRef(m.TaskSeq, "")
	if err != nil {
		t.Fatal(err)
	}
	la := lookahead(*task, risk.DefaultPolicy(), "", "20260401123456789012", 1, 0)
	if la == nil {
		t.Fatal("no lookahead for task 292")
	}
	fr, _, err := roster.ReadFrame(context.Background(), "../testdata/rosters/qinxian-realestate.xlsx", readOptions(roster.Options{District: task.District}, la))
	if err != nil {
		t.Fatal(err)
	}
	u, ok := unitsOf(fr).(sampler.PrefixedUnits)
	if !ok || u.PrefixesFor() != la.Prefixer().For() || u.Len() == 0 {
		t.Fatalf("units of a frame read with readOptions: prefixed %v", ok)
	}
	for i := range u.Len() {
		if got, want := u.Prefix(i), la.Prefixer().Prefix(u.Unit(i).Key); got != want {
			t.Fatalf("unit %d (%s): prefix %016x, want %016x", i, u.Unit(i).Key, got, want)
		}
	}
}
