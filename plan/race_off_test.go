//go:build !race

package plan

// raceDetector: see race_on_test.go.
const raceDetector = false
