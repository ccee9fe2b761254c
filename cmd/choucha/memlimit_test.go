package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
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

// afterRead sets the percentage so that the next collection comes at the heap the process
// let the read reach (never below the percentage before), sets it again after each collection, restore puts
// it back, and GOGC in the environment leaves it alone.
func TestAfterRead(t *testing.T) {
	prevPercent, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(1200<<20)
	defer func() { debug.SetGCPercent(prevPercent); debug.SetMemoryLimit(prevLimit) }()
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

	var a afterRead
	a.set()
	if a.target < 64<<20+16<<20 {
		t.Errorf("target %d MiB, want at least 80 MiB (64 MiB live and a quarter)", a.target>>20)
	}
	if p := debug.SetGCPercent(a.percentFor(64 << 20)); p < 30 {
		t.Errorf("after the read the percentage is %d, want at least the 30 set before", p)
	}
	if l := debug.SetMemoryLimit(-1); l == 1200<<20 || l < 64<<20 {
		t.Errorf("after the read the memory limit is %d MiB, want what the process holds (not the 1200 MiB before)", l>>20)
	}
	// After a collection that finds less live, the finalizer raises the percentage.
	runtime.KeepAlive(live)
	live = nil
	raised := false
	for range 50 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		p := debug.SetGCPercent(30)
		debug.SetGCPercent(p)
		if p > 100 {
			raised = true
			break
		}
	}
	if !raised {
		t.Error("with the 64 MiB no longer live the percentage was not raised after a collection")
	}
	a.set() // once only: a second call does not take the new setting as the one to restore
	a.restore()
	if p, l := debug.SetGCPercent(30), debug.SetMemoryLimit(-1); p != 30 || l != 1200<<20 {
		t.Errorf("restore left percentage %d, limit %d MiB; want 30 and 1200 MiB", p, l>>20)
	}
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if p := debug.SetGCPercent(30); p != 30 {
		t.Errorf("after restore a collection set the percentage to %d, want it left at 30", p)
	}

	t.Setenv("GOGC", "50")
	var b afterRead
	b.set()
	if p := debug.SetGCPercent(30); p != 30 {
		t.Errorf("with GOGC set the percentage became %d, want it left alone", p)
	}
	b.restore()
}

func TestPercentFor(t *testing.T) {
	a := afterRead{percent: 30, target: 200 << 20}
	for _, c := range []struct {
		live uint64
		want int
	}{{0, 30}, {137 << 20, 45}, {60 << 20, 233}, {160 << 20, 30}, {300 << 20, 30}, {1 << 10, 10_000}} {
		if got := a.percentFor(c.live); got != c.want {
			t.Errorf("percentFor(%d MiB live, target 200 MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// The limit is what the process held at the end of the read while little is live, and never
// below what the percentage before would let the process hold when much is.
func TestLimitFor(t *testing.T) {
	a := afterRead{percent: 30, held: 190 << 20}
	if got := a.limitFor(memory{live: 60 << 20, total: 150 << 20, heap: 130 << 20}); got != 190<<20 {
		t.Errorf("60 MiB live: limit %d MiB, want the 190 MiB held", got>>20)
	}
	m := memory{live: 500 << 20, total: 700 << 20, heap: 680 << 20}
	if got, least := a.limitFor(m), uint64(500<<20+150<<20+20<<20); got < least {
		t.Errorf("500 MiB live: limit %d MiB, want at least %d MiB (30%% over live and 20 MiB besides the heap)", got>>20, least>>20)
	}
}
