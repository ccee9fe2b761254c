package draw

import (
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
)

// TestCountWarning: a count alone (连州 2023: 抽查数量 49户, no ratio) is not said to be drawn
// "by ratio" with an empty ratio quoted; a count beside a ratio keeps its message.
func TestCountWarning(t *testing.T) {
	alone := countWarning(plan.Ratio{Count: 49, MinCount: 49}, 40, 40)
	if strings.Contains(alone, "（）") || strings.Contains(alone, "按比例") || !strings.Contains(alone, "名录中只有 40 户") {
		t.Errorf("count alone: %s", alone)
	}
	beside := countWarning(plan.Ratio{Text: "10% (20户)", Percent: "10", Count: 20}, 100, 10)
	if !strings.Contains(beside, "（10% (20户)），按比例从名录 100 户中抽取了 10 户") {
		t.Errorf("count beside a ratio: %s", beside)
	}
}
