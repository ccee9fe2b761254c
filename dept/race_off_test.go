//go:build !race

package dept

// raceDetector: see race_on_test.go.
const raceDetector = false
