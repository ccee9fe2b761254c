package plan

import (
	"strings"
	"testing"
)

// oneTask is the task of a one-row plan with this ratio and window.
func oneTask(t *testing.T, ratio, window string) Task {
	t.Helper()
	in := "某市2026年度计划\n序号\t抽查任务名称\t抽查对象\t抽查比例\t抽查时间\n1\t甲\t企业\t" + ratio + "\t" + window + "\n"
	p, err := Parse(strings.NewReader(in), "x.tsv", "X")
	if err != nil {
		t.Fatal(err)
	}
	return p.Tasks[0]
}

func TestApplyOverrides(t *testing.T) {
	mk := func(ratio, window string) Task { return oneTask(t, ratio, window) }
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
		eff, _, err := k.ApplyOverrides(c.oRatio, c.oWin)
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

// TestParseRatioGiven: what a --ratio may say, read by hand from the forms of the plans'
// 抽查比例及频次 cells.
func TestParseRatioGiven(t *testing.T) {
	cases := []struct {
		in    string
		pct   string
		times int
		per   string
		err   string // "" when accepted
	}{
		{"5", "5", 0, "", ""},
		{"4.50", "4.5", 0, "", ""},
		{" 12.5% ", "12.5", 0, "", ""},
		{"１２.５％", "12.5", 0, "", ""},
		{"100", "100", 0, "", ""},
		{"每季度12.5%", "12.5", 1, PerQuarter, ""},
		{"12.5%/季度", "12.5", 1, PerQuarter, ""},
		{"按季度12.5%", "12.5", 1, PerQuarter, ""},
		{"每季度最低抽查12.5%", "12.5", 1, PerQuarter, ""},
		{"5%，1次/月", "5", 1, PerMonth, ""},
		{"20%；1次/月", "20", 1, PerMonth, ""},
		{"不低于5%，每半年1次", "5", 1, PerHalf, ""},
		{"5%，2次", "5", 2, PerYear, ""},
		{"5%，每年1次", "5", 1, PerYear, ""}, // written: the task's frequency gives way to it
		{"每年5%", "5", 0, "", ""},         // 每年 before a percentage is what a ratio means anyway (the plan reader's rule): none written
		{"不低于5%", "5", 0, "", ""},        // none written: the task's stands
		{"0", "", 0, "", "无效"},
		{"120", "", 0, "", "无效"},
		{"120%", "", 0, "", "超过了100%"},
		{"abc", "", 0, "", "无效"},
		{"5.", "", 0, "", "无效"},
		{"A类3%，B类5%", "", 0, "", "分类比例"},
		{"5户", "", 0, "", "户数"},
		{"不低于5%（不少于3户）", "", 0, "", "户数"},
		{"10-20%", "", 0, "", "范围"},
		{"不高于10%", "", 0, "", "上限"},
		{"每季度", "", 0, "", "没有规定比例"},
		{"重点监管对象:每季度最低抽查12.5%", "", 0, "", "中有频次"},
		{"特殊监管对象:每个季度最低抽查比例为25%", "", 0, "", "中有频次"},
	}
	for _, c := range cases {
		g, err := ParseRatioGiven(c.in)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: %+v, %v; want an error with %q", c.in, g, err, c.err)
			}
		case err != nil:
			t.Errorf("%q: %v", c.in, err)
		case g.Percent != c.pct || g.Times != c.times || g.Per != c.per:
			t.Errorf("%q: %+v, want %s%% %d×%s", c.in, g, c.pct, c.times, c.per)
		}
	}
}

// TestApplyRatioRounds: a --ratio that writes a frequency gives the task its rounds in its
// window; one that writes none leaves the plan's.
func TestApplyRatioRounds(t *testing.T) {
	mk := func(ratio, window string) Task { return oneTask(t, ratio, window) }
	levels := "重点监管对象:每季度最低抽查12.5%; 特殊监管对象:每个季度最低抽查比例为25%"
	cases := []struct {
		ratio, window, given string
		rounds               int
		pct, err             string
	}{
		{levels, "1月—12月", "", 1, "", ""},
		{levels, "1月—12月", "12.5", 1, "12.5", ""},
		{levels, "1月—12月", "每季度12.5%", 4, "12.5", ""},
		{levels, "1月—12月", "25%/季度", 4, "25", ""},
		{levels, "4月—9月", "每季度12.5%", 2, "12.5", ""},
		{levels, "3月—5月", "5%，1次/月", 3, "5", ""},
		{levels, "1月—12月", "每半年12.5%", 2, "12.5", ""},
		{"每季度抽查", "1月—12月", "5", 4, "5", ""}, // the plan's frequency stands
		{"每季度抽查", "1月—12月", "5%，1次/月", 12, "5", ""},
		{"不高于10%", "1月—12月", "每季度11%", 0, "", "不得高于10%"},
		{levels, "1月—12月", "重点监管对象:每季度最低抽查12.5%", 0, "", "中有频次"},
	}
	for _, c := range cases {
		k := mk(c.ratio, c.window)
		eff, pct, err := k.ApplyRatio(c.given)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q --ratio %q: %v, want an error with %q", c.ratio, c.given, err, c.err)
			}
		case err != nil:
			t.Errorf("%q --ratio %q: %v", c.ratio, c.given, err)
		case eff.Rounds != c.rounds || pct != c.pct:
			t.Errorf("%q %q --ratio %q: %d rounds at %q, want %d at %q", c.ratio, c.window, c.given, eff.Rounds, pct, c.rounds, c.pct)
		case k.RoundsWith(c.given, "") != c.rounds:
			t.Errorf("%q --ratio %q: RoundsWith %d, want %d", c.ratio, c.given, k.RoundsWith(c.given, ""), c.rounds)
		}
	}
}

// FuzzParseRatioGiven: a --ratio is refused or read as one canonical percentage in (0, 100]
// with a frequency of 1…maxTimes in a known period (or none); never a panic.
func FuzzParseRatioGiven(f *testing.F) {
	for _, s := range []string{"5", "12.5%", "每季度12.5%", "5%，1次/月", "不低于5%，每半年1次", "5%，2次", "A类3%", "10-20%", "重点:每季度12.5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseRatioGiven(s)
		if err != nil {
			return
		}
		if !inPercentRange(g.Percent) || canonDecimal(g.Percent) != g.Percent {
			t.Errorf("ParseRatioGiven(%q): percent %q", s, g.Percent)
		}
		switch {
		case g.Times == 0 && g.Per != "":
			t.Errorf("ParseRatioGiven(%q): period %q without times", s, g.Per)
		case g.Times != 0 && (g.Times < 1 || g.Times > maxTimes || periodWords[g.Per] == ""):
			t.Errorf("ParseRatioGiven(%q): %d times per %q", s, g.Times, g.Per)
		}
	})
}

// TestLevelRatioExample: a task given by level with a period inside a level's words gets the
// --ratio that draws the first such level, and that --ratio reads back as its percentage and
// period.
func TestLevelRatioExample(t *testing.T) {
	cases := []struct {
		levels []string
		want   string
		per    string
	}{
		{[]string{"重点监管对象:每季度最低抽查12.5%", "特殊监管对象:每个季度最低抽查比例为25%"}, "每季度12.5%", PerQuarter},
		{[]string{"重点企业每年抽查10%", "特殊监管对象:每个季度最低抽查比例为25%"}, "每个季度25%", PerQuarter}, // a yearly level is the plan's reading
		{[]string{"重点企业每年抽查10%", "一般企业每年抽查5%"}, "", ""},
		{[]string{"特殊监管对象：每个季度最低抽查比例为25％"}, "每个季度25%", PerQuarter},
		{[]string{"一般企业每月抽查5%"}, "每月5%", PerMonth},
		{[]string{"市级抽查市级储备粮比例不低于备查库点的30%", "县(区)级抽查县级储备粮比例不低于备查库点的50%"}, "", ""},
		{[]string{"重点企业全覆盖", "其他企业5%"}, "", ""},
		{[]string{"每季度10-20%"}, "", ""},
	}
	for _, c := range cases {
		got := levelRatioExample(c.levels)
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.levels, got, c.want)
			continue
		}
		if got == "" {
			continue
		}
		g, err := ParseRatioGiven(got)
		if err != nil || g.Times != 1 || g.Per != c.per {
			t.Errorf("%q: --ratio %q reads %+v, %v", c.levels, got, g, err)
		}
	}
	task := oneTask(t, "重点监管对象:每季度最低抽查12.5%; 特殊监管对象:每个季度最低抽查比例为25%", "1月—12月")
	if why := strings.Join(task.NeedsOverride().Why, "；"); !strings.Contains(why, "如 --ratio 每季度12.5%") {
		t.Errorf("needs: %s", why)
	}
}

// TestRatioGivenOutOfRange: a --ratio that is a number out of range says why (必须大于0,
// 超过了100%), not that it cannot be read.
func TestRatioGivenOutOfRange(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"0", "必须大于0"}, {"00", "必须大于0"}, {"100.5", "超过了100%"}, {"100.5%", "超过了100%"}} {
		_, err := ParseRatioGiven(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "看不懂") {
			t.Errorf("ParseRatioGiven(%q) = %v, want an error saying %s", c.in, err, c.want)
		}
	}
	if g, err := ParseRatioGiven("4.50"); err != nil || g.Percent != "4.5" {
		t.Errorf("ParseRatioGiven(4.50) = %+v, %v; want 4.5", g, err)
	}
}

// TestInYear: a window naming another year than the draw's is flagged for the draw, as the
// reader flags it in a plan whose title names its year; otherwise the task is unchanged.
func TestInYear(t *testing.T) {
	text := "序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n" +
		"1\t沁县\t甲\t20%\t县市场局\t2023年6-12月\n" +
		"2\t沁县\t乙\t20%\t县市场局\t6-12月\n"
	p, err := Parse(strings.NewReader(text), "y.tsv", "Y")
	if err != nil {
		t.Fatal(err)
	}
	a, b := &p.Tasks[0], &p.Tasks[1]
	if a.NeedsOverride().Window {
		t.Fatalf("a plan without a year flags 2023年6-12月 by itself: %+v", a.Flags)
	}
	in := a.InYear(2026)
	if !in.NeedsOverride().Window || in == a || len(a.Flags) != 0 {
		t.Errorf("2023年6-12月 in a 2026 draw: %+v, want it flagged on a copy", in.Flags)
	}
	if _, _, err := in.ApplyOverrides("", ""); err == nil || !strings.Contains(err.Error(), "本次抽取计入2026年度") || !strings.Contains(err.Error(), "--window 6月—12月") {
		t.Errorf("no --window: %v", err)
	}
	if eff, _, err := in.ApplyOverrides("", "6月—12月"); err != nil || eff.Window.From != 6 || eff.Window.Year != 0 {
		t.Errorf("--window 6月—12月: %+v, %v", eff.Window, err)
	}
	if a.InYear(2023) != a || b.InYear(2026) != b {
		t.Errorf("a window of the draw's year, or one naming no year, changed")
	}
}

// TestPlanYear: a plan's year is its title's, else the one year its dated windows name; windows
// of several years name none.
func TestPlanYear(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"2024年度抽查计划\n序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n1\t沁县\t甲\t20%\t县市场局\t2023年6-12月\n", 2024},
		{"序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n1\t沁县\t甲\t20%\t县市场局\t2025年4月至10月\n2\t沁县\t乙\t20%\t县市场局\t5月\n", 2025},
		{"序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n1\t沁县\t甲\t20%\t县市场局\t2023年6-12月\n2\t沁县\t乙\t20%\t县市场局\t2024年3-5月\n", 0},
		{"序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n1\t沁县\t甲\t20%\t县市场局\t6-12月\n", 0},
	} {
		p, err := Parse(strings.NewReader(c.text), "y.tsv", "Y")
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Year(); got != c.want {
			t.Errorf("Year of %q = %d, want %d", c.text, got, c.want)
		}
	}
	// Most windows name 2025, one 2024: a 2025 plan, the 2024 task flagged as in a titled plan.
	p, err := Parse(strings.NewReader("序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n"+
		"1\t沁县\t甲\t20%\t县市场局\t2025年4月至10月\n2\t沁县\t乙\t20%\t县市场局\t2025年5月\n3\t沁县\t丙\t20%\t县市场局\t2024年12月\n"), "y.tsv", "Y")
	if err != nil {
		t.Fatal(err)
	}
	if p.Year() != 2025 || p.Tasks[0].NeedsOverride().Window || p.Tasks[1].NeedsOverride().Window || !p.Tasks[2].NeedsOverride().Window {
		t.Errorf("2025, 2025, 2024: year %d, flags %v / %v / %v; want 2025 and only the 2024 task flagged", p.Year(), p.Tasks[0].Flags, p.Tasks[1].Flags, p.Tasks[2].Flags)
	}
}
