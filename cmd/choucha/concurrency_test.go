package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/choucha/choucha/ledger"
)

// Issue 18 item 5: ten sample processes on one ledger at once — five of a locked task round
// (each refused by the lock rule, with its message), five of another task (each recorded) —
// never "database is locked"; the chain verifies with exactly the recorded draws.
func TestTenConcurrentSamples(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "first"))...); code != 0 {
		t.Fatalf("first draw: %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, db, "ledger", "lock", "1"); code != 0 {
		t.Fatalf("lock: %d %s", code, stderr)
	}
	var wg sync.WaitGroup
	outs := make([]string, 10)
	codes := make([]int, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := []string{"sample", "--task", "292", "--roster", rosterPath("qinxian-realestate.csv"), "--seed", testSeed,
				"--out", filepath.Join(dir, strconv.Itoa(i)), "-q"}
			if i%2 == 1 {
				args[2] = "291"
			}
			cmd := child(db, args...)
			b, err := cmd.CombinedOutput()
			outs[i] = string(b)
			if err != nil {
				codes[i] = cmd.ProcessState.ExitCode()
			}
		}()
	}
	wg.Wait()
	for i := range 10 {
		if strings.Contains(outs[i], "database is locked") || strings.Contains(outs[i], "SQLITE_BUSY") || englishSQL.MatchString(outs[i]) {
			t.Errorf("process %d: raw SQLite error:\n%s", i, outs[i])
		}
		switch {
		case i%2 == 0 && (codes[i] != 1 || !strings.Contains(outs[i], "锁定")):
			t.Errorf("process %d (locked round): exit %d\n%s", i, codes[i], outs[i])
		case i%2 == 1 && codes[i] != 0:
			t.Errorf("process %d (other task): exit %d\n%s", i, codes[i], outs[i])
		}
	}
	l, err := ledger.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res, err := l.Verify(context.Background())
	if err != nil || !res.OK || res.Entries != 2+5 {
		t.Errorf("after the ten: %+v %v (want 7 entries: draw, lock, five draws)", res, err)
	}
}
