package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles is a developer aid, not a user feature: with CHOUCHA_CPUPROFILE=FILE the whole
// run is CPU-profiled into FILE, with CHOUCHA_MEMPROFILE=FILE a heap profile (allocations since
// the start, live objects at the end) is written when the run ends. Read them with
// `go tool pprof choucha FILE`. The returned function stops the profiles.
func startProfiles(stderr io.Writer) func() {
	var stops []func()
	if path := os.Getenv("CHOUCHA_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "choucha: CHOUCHA_CPUPROFILE %s: %v\n", path, err)
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); _ = f.Close() })
		}
	}
	if path := os.Getenv("CHOUCHA_MEMPROFILE"); path != "" {
		runtime.MemProfileRate = 64 << 10
		stops = append(stops, func() {
			f, err := os.Create(path)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				_ = f.Close()
			}
			if err != nil {
				fmt.Fprintf(stderr, "choucha: CHOUCHA_MEMPROFILE %s: %v\n", path, err)
			}
		})
	}
	return func() {
		for _, stop := range stops {
			stop()
		}
	}
}
