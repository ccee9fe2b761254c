package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript scripts run the real choucha binary entry point (`exec choucha …`
// or plain `choucha …`): the test binary re-executes itself as choucha.
func TestMain(m *testing.M) {
	// Tests that need a real separate process (crash and concurrency tests) re-execute
	// the test binary with CHOUCHA_TEST_MAIN=1 and choucha's arguments.
	if os.Getenv("CHOUCHA_TEST_MAIN") == "1" {
		code := runMain(os.Args[1:])
		if p := os.Getenv("CHOUCHA_TEST_PEAK"); p != "" {
			writePeakRSS(p)
		}
		os.Exit(code)
	}
	testscript.Main(m, map[string]func(){
		"choucha": func() { os.Exit(runMain(os.Args[1:])) },
	})
}

// TestScript runs the CLI scripts in testdata/script. Each script's blocks are headed by the
// behaviour or issue they pin. $TESTDATA is the repository's testdata folder (the shared
// plan and rosters); $SHARED is ../shared when present (scripts that need it `skip` without it).
func TestScript(t *testing.T) {
	td, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("TESTDATA", td)
			e.Setenv("CHOUCHA_DB", filepath.Join(e.WorkDir, "choucha.db"))
			e.Setenv("USER", "tester")
			return nil
		},
		RequireExplicitExec: false,
	})
}

// writePeakRSS writes the process's own peak resident set (VmHWM of /proc/self/status, in
// kB) to path. getrusage's ru_maxrss of a child started by a Go test is no use for this: the
// child is forked sharing the test process's memory (vfork) and, at exec, Linux carries that
// memory's high-water mark into the child's ru_maxrss, so every child "peaks" at least as high
// as the test process itself. VmHWM belongs to the new program's own memory.
func writePeakRSS(path string) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			_ = os.WriteFile(path, []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))), 0o644)
		}
	}
}
