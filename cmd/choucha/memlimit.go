package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// defaultMemoryLimit is the Go heap's soft limit (runtime/debug.SetMemoryLimit) when the
// environment sets no GOMEMLIMIT. Without one the collector lets the heap grow to twice what
// is live, and a 10M-row draw's peak depended on when the collections happened to fall: five
// runs of the same binary gave 1,414–1,629 MiB. With this limit it collects sooner once the
// heap nears it: two alternating pairs gave 1,315 / 1,314 MiB against 1,629 / 1,546 MiB, in
// the same time (32.97 / 40.66 against 35.93 / 41.39 s). A draw that needs more memory than
// this still gets it (the limit is soft; the collector's share of the CPU is capped); one that
// stays well below it — a 1M-row draw peaks near 190 MiB — is unaffected. GOMEMLIMIT (Go's own
// setting) overrides it.
const defaultMemoryLimit = 1200 << 20

// setMemoryLimit applies defaultMemoryLimit unless GOMEMLIMIT is set.
func setMemoryLimit() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// afterRead is the collector's setting for what a draw or a replay does once its roster is
// read (draw.RosterInput.Read): drawing, writing the list files and the ledger entry. That
// work starts from the frame and drops it on the way. At a fixed percentage (sampleGCPercent,
// 30) the collector ran again every time the heap grew by 30% of what was live: eight
// collections after a 1M-row xlsx read, 0.3–0.4 CPU-s. Instead, after each collection (a
// finalizer the collector runs, gcCycle):
//
//   - the percentage is set so that the next collection comes when the heap is back at the
//     size the read let it reach (its heap goal when the read ended), never below the
//     percentage set before;
//   - the soft memory limit is set to what the process held when the read ended, or to what
//     the percentage set before lets it hold now if that is more: the process stays within
//     the read's peak (the limit also returns freed pages to the system), and a draw whose
//     work after the read needs more than the read did (a 100% task: every firm in the list
//     files) collects as it did before. A fixed limit at the read's peak made such a draw
//     1.5x slower: the collector ran without pause once the live heap passed it.
//
// GOGC or GOMEMLIMIT, when set, leave the setting alone. restore puts back what was set
// before.
type afterRead struct {
	mu      sync.Mutex
	changed bool
	percent int    // the percentage before set: the floor, and what restore sets
	limit   int64  // the memory limit before set: what restore sets
	target  uint64 // the heap the next collection is to come at
	held    uint64 // the memory the process held when the read ended
}

// memory is what afterRead reads of the runtime after a collection.
type memory struct {
	goal, live, total, heap uint64 // heap goal, live heap, all memory held, of it the heap's
}

func readMemory() (memory, bool) {
	s := []metrics.Sample{
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	for _, m := range s {
		if m.Value.Kind() != metrics.KindUint64 {
			return memory{}, false // a runtime without these metrics keeps its setting
		}
	}
	v := func(i int) uint64 { return s[i].Value.Uint64() }
	return memory{goal: v(0), live: v(1), total: v(2) - v(3), heap: v(4) + v(5) + v(6)}, true
}

// set is the Read function: it applies the setting (once).
func (a *afterRead) set() {
	_, gogc := os.LookupEnv("GOGC")
	_, gomem := os.LookupEnv("GOMEMLIMIT")
	if gogc || gomem {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.changed {
		return
	}
	m, ok := readMemory()
	if !ok {
		return
	}
	a.percent = debug.SetGCPercent(-1)
	if a.percent < 0 { // the collector was off: it stays off
		debug.SetGCPercent(a.percent)
		return
	}
	a.changed = true
	a.target, a.held = max(m.goal, m.live+m.live/4), m.total
	a.limit = debug.SetMemoryLimit(-1)
	a.apply(m)
	a.watch()
}

// apply sets the percentage and the limit for what the last collection found.
func (a *afterRead) apply(m memory) {
	debug.SetGCPercent(a.percentFor(m.live))
	debug.SetMemoryLimit(int64(min(a.limitFor(m), math.MaxInt64)))
}

// percentFor is the percentage at which the next collection comes when the heap reaches
// target, given what is live: never below the one set before.
func (a *afterRead) percentFor(live uint64) int {
	if live == 0 || a.target <= live {
		return a.percent
	}
	p := (a.target - live) * 100 / live
	return int(min(max(p, uint64(a.percent)), 10_000))
}

// limitFor is the memory limit: what the process held when the read ended, or, when more,
// what the percentage set before lets it hold with m.live live (the heap at that percentage,
// the memory besides the heap, a sixteenth and 16 MiB to spare) — so that the limit never
// makes the collector run sooner than that percentage would.
func (a *afterRead) limitFor(m memory) uint64 {
	other := m.total - min(m.heap, m.total)
	floor := m.live + m.live*uint64(a.percent)/100 + other
	return max(a.held, floor+floor/16+16<<20)
}

// gcCycle is an object nothing refers to: its finalizer runs after the collection that
// found it unreachable, once per collection (watch makes a new one each time).
type gcCycle struct{ _ *gcCycle } // with a pointer: never in a tiny block, whose finalizer may not run

// watch applies the setting again after the next collection.
func (a *afterRead) watch() {
	runtime.SetFinalizer(&gcCycle{}, func(*gcCycle) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if !a.changed {
			return
		}
		if m, ok := readMemory(); ok {
			a.apply(m)
		}
		a.watch()
	})
}

// restore undoes set.
func (a *afterRead) restore() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.changed {
		debug.SetMemoryLimit(a.limit)
		debug.SetGCPercent(a.percent)
		a.changed = false
	}
}
