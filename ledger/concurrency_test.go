package ledger

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The test binary doubles as a child process that appends to a ledger: with
// CHOUCHA_LEDGER_CHILD=path it appends CHOUCHA_LEDGER_N entries (0: forever) and exits.
func TestMain(m *testing.M) {
	if path := os.Getenv("CHOUCHA_LEDGER_CHILD"); path != "" {
		os.Exit(childAppend(path))
	}
	os.Exit(m.Run())
}

func childAppend(path string) int {
	n, _ := strconv.Atoi(os.Getenv("CHOUCHA_LEDGER_N"))
	pad, _ := strconv.Atoi(os.Getenv("CHOUCHA_LEDGER_PAD"))
	name := os.Getenv("CHOUCHA_LEDGER_NAME")
	l, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer l.Close()
	for i := 0; n == 0 || i < n; i++ {
		keys := make([]string, 1+i%7)
		for j := range keys {
			keys[j] = fmt.Sprintf("%s-%d-%d", name, i, j)
		}
		e := Entry{
			Kind: KindDraw, Task: "P-" + name, Round: 1, Seed: strconv.Itoa(i), Operator: name,
			Manifest: manifest("P-"+name, 1, strconv.Itoa(i), keys, pad), Keys: keys,
		}
		if _, err := l.Append(ctx, e); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

func child(path, name string, n, pad int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"CHOUCHA_LEDGER_CHILD="+path, "CHOUCHA_LEDGER_NAME="+name,
		"CHOUCHA_LEDGER_N="+strconv.Itoa(n), "CHOUCHA_LEDGER_PAD="+strconv.Itoa(pad))
	cmd.Stderr = os.Stderr
	return cmd
}

// checkComplete verifies the chain and that every draw is whole: its keys agree with the
// count and keys its manifest records.
func checkComplete(t *testing.T, l *Ledger) int {
	t.Helper()
	res := mustVerify(t, l)
	es, err := l.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, listed := range es {
		if listed.Manifest != nil {
			t.Fatalf("entry %d: List returned a manifest", listed.ID)
		}
		e, err := l.Get(ctx, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			N        int `json:"n"`
			Selected []struct {
				Key string `json:"key"`
			} `json:"selected"`
		}
		if err := json.Unmarshal(e.Manifest, &m); err != nil {
			t.Fatalf("entry %d: manifest: %v", e.ID, err)
		}
		if m.N != len(e.Keys) || len(m.Selected) != len(e.Keys) {
			t.Fatalf("entry %d: %d keys, manifest says %d", e.ID, len(e.Keys), m.N)
		}
		for i, s := range m.Selected {
			if s.Key != e.Keys[i] {
				t.Fatalf("entry %d: key %d is %s, manifest %s", e.ID, i, e.Keys[i], s.Key)
			}
		}
	}
	return res.Entries
}

// TestConcurrentGoroutines: appends from many goroutines, through one shared handle and
// through handles of their own (separate SQLite connections), all land in one chain.
func TestConcurrentGoroutines(t *testing.T) {
	l, path := openTemp(t)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := l
			if w%2 == 1 {
				var err error
				if h, err = Open(path); err != nil {
					errs <- err
					return
				}
				defer h.Close()
			}
			for i := range each {
				k := fmt.Sprintf("w%d-%d", w, i)
				if _, err := h.Append(ctx, drawEntry(fmt.Sprintf("T%d", w), 1, "", k)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := checkComplete(t, l); n != workers*each {
		t.Fatalf("%d entries, want %d", n, workers*each)
	}
}

// TestConcurrentProcesses: separate OS processes append to one ledger at once; every entry
// lands and the chain is intact.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	path := tempPath(t)
	const procs, each = 3, 15
	var cmds []*exec.Cmd
	for p := range procs {
		cmd := child(path, fmt.Sprintf("p%d", p), each, 2000)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if n := checkComplete(t, l); n != procs*each {
		t.Fatalf("%d entries, want %d", n, procs*each)
	}
	for p := range procs {
		es, _ := l.List(ctx, Filter{Task: fmt.Sprintf("P-p%d", p)})
		if len(es) != each {
			t.Errorf("process %d: %d entries, want %d", p, len(es), each)
		}
	}
}

// TestCrash kills a process that appends in a loop at random points (SIGKILL, seeded
// delays), some before its first append and some while it opens a new ledger. After every
// kill the ledger opens, verifies, and holds only whole entries.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	path := tempPath(t)
	rng := rand.New(rand.NewPCG(6, 2026))
	const kills = 40
	total := 0
	for i := range kills {
		cmd := child(path, fmt.Sprintf("c%d", i), 0, 8_000)
		cmd.Stderr = nil // a killed child may be mid-message
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(60_000)) * time.Microsecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		l, err := Open(path)
		if err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		n := checkComplete(t, l)
		l.Close()
		if n < total {
			t.Fatalf("after kill %d: %d entries, had %d", i, n, total)
		}
		total = n
	}
	if total == 0 {
		t.Fatal("no child got an entry in before being killed; the test proved nothing")
	}
	t.Logf("%d kills, %d entries", kills, total)
}

func tempPath(t *testing.T) string { return filepath.Join(t.TempDir(), "choucha.db") }
