package main

import (
	"os"
	"runtime"
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

// afterRead turns the percentage off and sets the limit to what the process holds (never
// below a quarter over what is live), restore puts both back, and GOGC or GOMEMLIMIT in the
// environment leave the setting alone.
func TestAfterRead(t *testing.T) {
	prevLimit, prevPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(prevPercent)
	defer func() { debug.SetMemoryLimit(prevLimit); debug.SetGCPercent(prevPercent) }()
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	live := make([]byte, 64<<20) // something live, so that the floor shows
	for i := range live {
		live[i] = byte(i)
	}
	runtime.GC()
	debug.SetGCPercent(30)
	debug.SetMemoryLimit(1200 << 20)

	var a afterRead
	a.set()
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	if percent != -1 {
		t.Errorf("after the read the percentage is %d, want off (-1)", percent)
	}
	if limit < 64<<20+16<<20 || limit >= 1200<<20 {
		t.Errorf("after the read the limit is %d MiB, want at least 80 MiB (64 MiB live + a quarter) and not the old 1200 MiB", limit>>20)
	}
	a.set() // once only: a second call does not take the new setting as the one to restore
	a.restore()
	if l, p := debug.SetMemoryLimit(-1), debug.SetGCPercent(30); l != 1200<<20 || p != 30 {
		t.Errorf("restore left limit %d, percentage %d; want 1200 MiB and 30", l, p)
	}
	runtime.KeepAlive(live)

	t.Setenv("GOGC", "50")
	var b afterRead
	b.set()
	if p := debug.SetGCPercent(30); p != 30 {
		t.Errorf("with GOGC set the percentage became %d, want it left alone", p)
	}
	b.restore()
}
