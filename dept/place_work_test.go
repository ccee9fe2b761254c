package dept

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Reading a place name must cost work in proportion to its length. A run of place suffixes
// (区县市区县市…, the worst case a plan cell can hold: every character may end a place) made
// District try every way of cutting it into places (exponential: 37 characters took 5 s in
// FuzzReadPlan, 9 million allocations) and Parse re-try each suffix at every depth. The
// bound is on allocations, which count the work without a clock: at most 40 per character
// (about 30 is what reading them costs now, at every length).
func TestPlaceReadingWorkIsLinear(t *testing.T) {
	m := DefaultMap()
	sc := Scope{District: "沁县"}
	reads := map[string]func(s string){
		"District": func(s string) { m.District(s) },
		"Parse":    func(s string) { m.Parse(s) },
		"Split":    func(s string) { m.Split(s, sc) },
		"Resolve":  func(s string) { m.Resolve(sc, []Cell{{Role: "cooperator", Text: s}}, nil) },
	}
	for _, n := range []int{12, 48} {
		for _, unit := range []string{"区县市", "省市县", "自治区自治州", "区县市区县市局", "长治市沁县"} {
			for name, read := range reads {
				s := strings.Repeat(unit, n) + "局"
				runes := utf8.RuneCountInString(s)
				if a := testing.AllocsPerRun(2, func() { read(s) }); a > placeAllocBudget()*float64(runes) {
					t.Fatalf("%s(%s×%d): %.0f allocations for %d characters — more than linear in the length", name, unit, n, a, runes)
				}
			}
		}
	}
}

// placeAllocBudget is the allocations per character a place reading may cost: 40 (about 33 is
// what it costs since places read six deep, for 兵团 师/市 names), 200 under the race detector,
// whose instrumentation allocates about four times as much (127–150 a character measured at 37
// and 145 characters: still linear). The exponential reading cost 9 million for 37 characters.
func placeAllocBudget() float64 {
	if raceDetector {
		return 200
	}
	return 40
}
