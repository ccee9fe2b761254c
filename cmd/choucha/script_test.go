package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript scripts run the real choucha binary entry point (`exec choucha …`
// or plain `choucha …`): the test binary re-executes itself as choucha.
func TestMain(m *testing.M) {
	// Tests that need a real separate process (crash and concurrency tests) re-execute
	// the test binary with CHOUCHA_TEST_MAIN=1 and choucha's arguments.
	if os.Getenv("CHOUCHA_TEST_MAIN") == "1" {
		os.Exit(runMain(os.Args[1:]))
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
