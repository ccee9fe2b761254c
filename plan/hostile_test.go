package plan

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// A plan cell that is a long run of place suffixes (区县市区县市…局) in the 地市 or 配合部门
// column stalled FuzzReadPlan for seconds (dept's place reading was exponential in it; see
// dept.TestPlaceReadingWorkIsLinear). Reading such a plan must cost work in proportion to its
// size: bounded here by allocations per byte, not by a clock.
func TestPlaceSuffixRunsReadInLinearWork(t *testing.T) {
	for _, col := range []int{0, 4, 5} {
		for _, n := range []int{12, 48} {
			cells := []string{"长治市", "1", "甲", "乙", "市场监管局", "公安局"}
			cells[col] = strings.Repeat("区县市", n) + "局"
			tsv := []byte("地市\t序号\t抽查事项\t抽查对象\t发起部门\t配合部门\t抽查比例\n" + strings.Join(cells, "\t") + "\t10%\n")
			var err error
			a := testing.AllocsPerRun(2, func() { _, err = Parse(bytes.NewReader(tsv), "hostile.tsv", "F") })
			if err != nil {
				t.Fatal(err)
			}
			budget := 40.0 // allocations a character; 200 under the race detector (see dept.placeAllocBudget)
			if raceDetector {
				budget = 200
			}
			if runes := utf8.RuneCount(tsv); a > budget*float64(runes)+2000 {
				t.Fatalf("column %d, 区县市×%d: %.0f allocations for %d characters", col, n, a, runes)
			}
		}
	}
}
