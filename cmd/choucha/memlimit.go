package main

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
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
// work no longer grows with the roster, and the frame it starts from is dropped on the way;
// a percentage target collects again every time the heap grows by that share of what is
// live, and at sampleGCPercent (30) that was eight collections after a 1M-row xlsx read, 0.3–
// 0.4 CPU-s. Instead no percentage applies, and the heap is let grow back to what the process
// held when the read ended (the read's peak, about; no less than a quarter over what is
// live): the collector runs only when the heap nears it. On the 1M-row xlsx draw (task 292)
// the work after the read took 0.69–0.83 s instead of 0.82–0.99 s, and the peak was 200–215
// MiB instead of 221–236 MiB (bench/RESULTS.md, eighteenth round). GOGC or GOMEMLIMIT, when
// set, are left to decide. restore puts back what was set before afterRead.
type afterRead struct {
	changed bool
	percent int
	limit   int64
}

// set is the Read function: it applies the setting (once).
func (a *afterRead) set() {
	_, gogc := os.LookupEnv("GOGC")
	_, gomem := os.LookupEnv("GOMEMLIMIT")
	if a.changed || gogc || gomem {
		return
	}
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(s)
	for _, m := range s {
		if m.Value.Kind() != metrics.KindUint64 {
			return // a runtime without these metrics keeps its setting
		}
	}
	held := s[0].Value.Uint64() - s[1].Value.Uint64()
	live := s[2].Value.Uint64()
	limit := max(held, live+live/4)
	a.changed = true
	a.percent = debug.SetGCPercent(-1)
	a.limit = debug.SetMemoryLimit(int64(min(limit, math.MaxInt64)))
}

// restore undoes set.
func (a *afterRead) restore() {
	if a.changed {
		debug.SetMemoryLimit(a.limit)
		debug.SetGCPercent(a.percent)
		a.changed = false
	}
}
