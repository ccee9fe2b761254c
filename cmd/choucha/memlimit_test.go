package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// The default soft limit applies when GOMEMLIMIT is unset, and GOMEMLIMIT wins when it is set.
func TestSetMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT")
	debug.SetMemoryLimit(1 << 40)
	setMemoryLimit()
	if got := debug.SetMemoryLimit(-1); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT the limit is %d, want %d", got, defaultMemoryLimit)
	}

	t.Setenv("GOMEMLIMIT", "3GiB")
	debug.SetMemoryLimit(3 << 30) // what the runtime took from the environment at start
	setMemoryLimit()
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Errorf("with GOMEMLIMIT=3GiB the limit is %d, want it left alone", got)
	}
}
