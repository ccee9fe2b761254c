package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Issue 18 item 2: export killed at random points (30 times) leaves the ledger verifying and,
// after the next export into the same folder, only whole files under their final names: no
// temp name survives the sweep, every file is complete.
func TestExportCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, "sample", "--task", "292", "--roster", rosterPath("qinxian-realestate.xlsx"), "--seed", testSeed,
		"--inspectors", rosterPath("qinxian-inspectors.xlsx"), "--out", filepath.Join(dir, "draw"), "-q"); code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	out := filepath.Join(dir, "pub")
	formats := []string{"announce", "sheets", "results", "xlsx", "csv"}
	args := func(i int) []string {
		return []string{"export", "1", "--format", formats[i%len(formats)], "--out", out}
	}
	start := time.Now()
	if b, err := child(db, args(0)...).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	span := time.Since(start)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 1; i <= 30; i++ {
		cmd := child(db, args(i)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(span) * 5 / 4)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	for i := range formats {
		if b, err := child(db, args(i)...).CombinedOutput(); err != nil {
			t.Fatalf("export after the kills: %v\n%s", err, b)
		}
	}
	if stdout, stderr, code := cli(t, db, "ledger", "verify"); code != 0 {
		t.Fatalf("verify: %d %s%s", code, stdout, stderr)
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"抽查任务公告.html": true, "抽查任务公告.csv": true, "检查任务单.html": true, "检查任务单.xlsx": true,
		"检查结果录入表.xlsx": true, "抽查名单.xlsx": true, "抽查名单.csv": true}
	for _, e := range ents {
		if !want[e.Name()] {
			t.Errorf("left in the export folder after the kills and a clean run: %s", e.Name())
			continue
		}
		b, _ := os.ReadFile(filepath.Join(out, e.Name()))
		switch {
		case strings.HasSuffix(e.Name(), ".html") && !strings.Contains(string(b), "</html>"):
			t.Errorf("%s is cut short", e.Name())
		case strings.HasSuffix(e.Name(), ".xlsx") && (len(b) < 4 || string(b[:2]) != "PK"):
			t.Errorf("%s is not a whole xlsx", e.Name())
		case strings.HasSuffix(e.Name(), ".csv") && !strings.HasPrefix(string(b), "\ufeff"):
			t.Errorf("%s is not a whole csv", e.Name())
		}
		delete(want, e.Name())
	}
	if len(want) > 0 {
		t.Errorf("missing after the clean run: %v", want)
	}
	t.Logf("30 kills over an export of %v", span)
}
