package draw

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
)

// TestRederiveBaseline re-derives draws over generated 20,000-row rosters (csv and xlsx) and
// compares every selected and reserve firm — key, class, ticket, rank, repeat — with the draws
// `choucha sample` made on the same files before the lean frame and the version-2 ledger
// (testdata/rederive/*.tsv, written from those draws' manifest.json by the main binary of
// 2026-12-02). Round 2 of task 271 excludes round 1's firms. The lean frame reads the roster
// twice (keys, then the drawn rows); the full frame (ReadFirms) must give the same draw, and so
// must the lean frame read with the draw's lookahead (as draw.Record reads it), drawn with the
// ticket prefixes the lookahead computed (sampler.DrawKnown) — which on the xlsx rosters settle
// strata, so that the baseline holds that path too.
func TestRederiveBaseline(t *testing.T) {
	files, _ := filepath.Glob("testdata/rederive/draw*.tsv")
	if len(files) != 4 {
		t.Fatalf("%d baseline draws, want 4", len(files))
	}
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	made := map[string]string{}
	var earlier []string // the previous draw's keys, for a round 2
	for _, f := range files {
		b := readBaseline(t, f)
		path, ok := made[b.gen]
		if !ok {
			path = filepath.Join(dir, fmt.Sprintf("r%d.%s", len(made), b.format))
			genRoster(t, append(strings.Fields(b.gen), "--out", path)...)
			made[b.gen] = path
		}
		task, err := p.Task(b.task)
		if err != nil {
			t.Fatal(err)
		}
		opt := roster.Options{District: task.District}
		lean, _, err := roster.ReadFrame(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		full, _, err := roster.ReadFirms(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		var prev []string
		if b.round > 1 {
			prev = earlier
		}
		la := lookahead(*task, risk.DefaultPolicy(), "", b.seed, b.round, len(prev))
		if la == nil {
			t.Fatalf("%s: no lookahead for task %d", f, b.task)
		}
		opt.Prefetch = la.Prefix
		ahead, _, err := roster.ReadFrame(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, fr := range []*roster.Frame{lean, full, ahead} {
			req := Request{Plan: p, Task: task, Frame: fr, Policy: risk.DefaultPolicy(), Seed: b.seed,
				Round: b.round, Earlier: prev, Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), ToolVersion: "test"}
			if i == 2 {
				req.Lookahead = la
			}
			oc, err := Run(req)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if i == 2 && b.format == "xlsx" && oc.settled == 0 {
				t.Errorf("%s: the lookahead's prefixes settled no stratum of the xlsx roster's draw", f)
			}
			m := oc.Manifest
			if m.Roster.FrameSHA256 != b.frame || m.Roster.Eligible != b.eligible {
				t.Fatalf("%s: frame %s (%d firms), baseline %s (%d)", f, m.Roster.FrameSHA256, m.Roster.Eligible, b.frame, b.eligible)
			}
			got = got[:0]
			for _, s := range m.Selected {
				got = append(got, strings.Join([]string{"selected", s.Key, s.Class, s.Ticket, strconv.Itoa(s.Rank), strconv.FormatBool(s.Repeat)}, "\t"))
				if s.Name == "" || len(s.Values) == 0 {
					t.Fatalf("%s: %s drawn without its record", f, s.Key)
				}
			}
			for _, r := range m.Reserves {
				got = append(got, strings.Join([]string{"reserve", r.Key, r.Class, r.Ticket, strconv.Itoa(r.Rank)}, "\t"))
			}
			if strings.Join(got, "\n") != strings.Join(b.lines, "\n") {
				t.Errorf("%s: the draw (%d lines) differs from the baseline (%d lines)", f, len(got), len(b.lines))
			}
		}
		earlier = earlier[:0]
		for _, l := range b.lines {
			if c := strings.Split(l, "\t"); c[0] == "selected" {
				earlier = append(earlier, c[1])
			}
		}
	}
}

type baseline struct {
	gen, format string
	task, round int
	seed, frame string
	eligible    int
	lines       []string
}

func readBaseline(t *testing.T, path string) baseline {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b baseline
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "# "), "\t"); ok && strings.HasPrefix(line, "# ") {
			switch k {
			case "roster":
				b.gen = v
				b.format = "csv"
				if strings.Contains(v, "--format xlsx") {
					b.format = "xlsx"
				}
			case "task":
				b.task, _ = strconv.Atoi(v)
			case "round":
				b.round, _ = strconv.Atoi(v)
			case "seed":
				b.seed = v
			case "frame_sha256":
				b.frame = v
			case "eligible":
				b.eligible, _ = strconv.Atoi(v)
			}
			continue
		}
		b.lines = append(b.lines, line)
	}
	if b.gen == "" || b.task == 0 || len(b.lines) == 0 {
		t.Fatalf("%s: incomplete baseline", path)
	}
	return b
}

// genRoster runs the shared generator (shared/ beside the repository, as CI lays it out);
// without python3 it skips on a developer's machine and fails in CI (CI=true).
func genRoster(t *testing.T, args ...string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 not found: .ci/run should have installed it")
		}
		t.Skip("python3 not found")
	}
	tool := filepath.Join("..", "..", "shared", "tools", "gen_roster.py")
	if _, err := os.Stat(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(tool + " not found")
		}
		t.Skip(tool + " not found (shared/ beside the repository)")
	}
	out, err := exec.Command(py, append([]string{tool}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("gen_roster %v: %v\n%s", args, err, out)
	}
}
