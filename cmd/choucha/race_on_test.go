//go:build race

package main

// raceDetector: the tests are built with -race. Its instrumentation allocates and its shadow
// memory multiplies a process's resident set (the Go documentation: 5–10× memory), so the
// budgets of work and memory that stand for the real binary are scaled under it.
const raceDetector = true
