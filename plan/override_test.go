package plan

import (
	"strings"
	"testing"
)

func TestApplyOverrides(t *testing.T) {
	mk := func(ratio, window string) Task {
		in := "某市2026年度计划\n序号\t抽查任务名称\t抽查对象\t抽查比例\t抽查时间\n1\t甲\t企业\t" + ratio + "\t" + window + "\n"
		p, err := Parse(strings.NewReader(in), "x.tsv", "X")
		if err != nil {
			t.Fatal(err)
		}
		return p.Tasks[0]
	}
	cases := []struct {
		ratio, window string // the plan's cells
		oRatio, oWin  string // --ratio, --window
		need          Override
		err           string // "" when accepted
		from, to      int
	}{
		{"10%", "3月—5月", "", "", Override{}, "", 3, 5},
		{"不高于10%", "3月—5月", "8", "", Override{Ratio: true}, "", 3, 5},
		{"不高于10%", "3月—5月", "10", "", Override{Ratio: true}, "", 3, 5},
		{"不高于10%", "3月—5月", "10.01", "", Override{Ratio: true}, "不得高于10%", 3, 5},
		{"10-20%", "3月—5月", "9.5", "", Override{Ratio: true}, "之间", 3, 5},
		{"10-20%", "3月—5月", "20", "", Override{Ratio: true}, "", 3, 5},
		{"10%", "2016.2.1", "", "", Override{Window: true}, "--window", 0, 0},
		{"10%", "2016.2.1", "", "2月—11月", Override{Window: true}, "", 2, 11},
		{"10%", "2016.2.1", "", "春季", Override{Window: true}, "--window", 0, 0},
		{"10%", "3月—5月", "", "4月", Override{}, "不能用 --window 改变", 0, 0},
		{"10%", "2025年3月", "", "3月—5月", Override{Window: true}, "", 3, 5}, // another year than the plan
	}
	for _, c := range cases {
		k := mk(c.ratio, c.window)
		need := k.NeedsOverride()
		if need.Ratio != c.need.Ratio || need.Window != c.need.Window {
			t.Errorf("%q %q: needs %+v, want %+v", c.ratio, c.window, need, c.need)
		}
		eff, err := k.ApplyOverrides(c.oRatio, c.oWin)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q %q --ratio %q --window %q: %v", c.ratio, c.window, c.oRatio, c.oWin, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q %q --ratio %q --window %q: error %v, want %q", c.ratio, c.window, c.oRatio, c.oWin, err, c.err)
		case err == nil && (eff.Window.From != c.from || eff.Window.To != c.to):
			t.Errorf("%q %q --window %q: window %+v", c.ratio, c.window, c.oWin, eff.Window)
		}
	}
}
