package risk

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
)

func TestCanonicalDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"4.5": "4.5", "100": "100", "0.75": "0.75", "0": "0", "04.50": "4.5", "100.0": "100",
		"000": "0", "0.0": "0", "7": "7", "0.125": "0.125", "12.3400": "12.34",
	} {
		got, err := CanonicalDecimal(in)
		if err != nil || got != want {
			t.Errorf("CanonicalDecimal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".5", "5.", "1e2", "-1", "+1", "1,5", "1 5", "５", "0x10", "1.2.3"} {
		if got, err := CanonicalDecimal(in); err == nil {
			t.Errorf("CanonicalDecimal(%q) = %q, want an error", in, got)
		}
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n     int
		ratio string
		want  int
	}{
		{200, "7", 14},   // exactly 14: a float 200*0.07 is 14.000000000000002 and would ceil to 15
		{1, "0.5", 1},    // any positive share of a firm rounds up to the firm
		{0, "30", 0},     // nothing to draw
		{0, "0", 0},      //
		{10, "0", 0},     // a minimum count only
		{100, "30", 30},  // exact, no rounding
		{101, "30", 31},  // 30.3 → 31
		{7, "100", 7},    // all
		{3, "99.9", 3},   // 2.997 → 3
		{1000, "0.1", 1}, // exactly 1
		{1001, "0.1", 2}, // 1.001 → 2
		{37, "4.5", 2},   // 1.665 → 2
		{57, "7", 4},     // 3.99 → 4
		{1, "100", 1},
	} {
		got, err := Count(c.n, c.ratio)
		if err != nil || got != c.want {
			t.Errorf("Count(%d, %q) = %d, %v; want %d", c.n, c.ratio, got, err, c.want)
		}
	}
	for _, ratio := range []string{"100.5", "x", ""} {
		if _, err := Count(10, ratio); err == nil {
			t.Errorf("Count(10, %q): want an error", ratio)
		}
	}
}

func TestDefaultPolicy(t *testing.T) {
	p := DefaultPolicy()
	want := Policy{
		Version:     1,
		Multipliers: map[string]string{"A": "1", "B": "1.5", "C": "2", "D": "3"},
		Team:        Team{Initiator: 2, Cooperator: 1, Minimum: 2},
		Reserves:    5,
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("DefaultPolicy() = %+v, want %+v", p, want)
	}
	// The YAML form reads back to the same policy.
	b, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	q, err := LoadPolicy(strings.NewReader(string(b)), "round-trip")
	if err != nil || !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip: %+v, %v\n%s", q, err, b)
	}
	// The commented example of a yearly cap is valid once uncommented.
	uncommented := strings.NewReplacer("# yearly_cap:", "yearly_cap:", "#   ", "  ").Replace(string(DefaultPolicyYAML()))
	q, err = LoadPolicy(strings.NewReader(uncommented), "example")
	if err != nil || !reflect.DeepEqual(q.YearlyCap, map[string]int{"A": 1, "B": 2, "C": 3, "D": 4}) {
		t.Fatalf("yearly_cap example: %+v, %v", q.YearlyCap, err)
	}
}

const goodPolicy = `version: 1
multipliers: {A: "1", B: "1.5", C: "2", D: "3"}
team: {initiator: 2, cooperator: 1, minimum: 2}
reserves: 5
`

func TestLoadPolicy(t *testing.T) {
	p, err := LoadPolicy(strings.NewReader(`version: 1
multipliers: {A: 1.0, B: "1.50", C: 2.25, D: "10"}
team: {initiator: 1, cooperator: 0, minimum: 3}
reserves: 0
yearly_cap: {A: 1, D: 12}
`), "local.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Policy{
		Version:     1,
		Multipliers: map[string]string{"A": "1", "B": "1.5", "C": "2.25", "D": "10"},
		Team:        Team{Initiator: 1, Cooperator: 0, Minimum: 3},
		YearlyCap:   map[string]int{"A": 1, "D": 12},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("got %+v, want %+v", p, want)
	}

	bad := []struct{ name, yaml, msg string }{
		{"empty", "", "文件为空"},
		{"syntax", "version: [", "不是有效的策略 YAML"},
		{"unknown key", goodPolicy + "extra: 1\n", "不是有效的策略 YAML"},
		{"version", strings.Replace(goodPolicy, "version: 1", "version: 2", 1), "version 为 2"},
		{"no version", strings.Replace(goodPolicy, "version: 1\n", "", 1), "缺少 version"},
		{"no multipliers", strings.Replace(goodPolicy, `multipliers: {A: "1", B: "1.5", C: "2", D: "3"}`+"\n", "", 1), "缺少 multipliers"},
		{"missing class", strings.Replace(goodPolicy, `, D: "3"`, "", 1), "缺少 D 类"},
		{"unknown class", strings.Replace(goodPolicy, `D: "3"`, `D: "3", E: "4"`, 1), `"E" 无效`},
		{"not decimal", strings.Replace(goodPolicy, `B: "1.5"`, `B: "1,5"`, 1), "不是十进制数"},
		{"negative", strings.Replace(goodPolicy, `A: "1"`, `A: "-1"`, 1), "不是十进制数"},
		{"below one", strings.Replace(goodPolicy, `A: "1"`, `A: "0.5"`, 1), "小于 1"},
		{"not increasing", strings.Replace(goodPolicy, `C: "2"`, `C: "1.5"`, 1), "逐类递加"},
		{"decreasing", strings.Replace(goodPolicy, `D: "3"`, `D: "1"`, 1), "逐类递加"},
		{"no team", strings.Replace(goodPolicy, "team: {initiator: 2, cooperator: 1, minimum: 2}\n", "", 1), "缺少 team"},
		{"no minimum", strings.Replace(goodPolicy, ", minimum: 2", "", 1), "缺少 team.minimum"},
		{"minimum 1", strings.Replace(goodPolicy, "minimum: 2", "minimum: 1", 1), "不得少于 2 人"},
		{"negative team", strings.Replace(goodPolicy, "cooperator: 1", "cooperator: -1", 1), "不能为负数"},
		{"no reserves", strings.Replace(goodPolicy, "reserves: 5\n", "", 1), "缺少 reserves"},
		{"negative reserves", strings.Replace(goodPolicy, "reserves: 5", "reserves: -1", 1), "reserves 为 -1"},
		{"cap zero", goodPolicy + "yearly_cap: {A: 0}\n", "至少为 1"},
		{"cap class", goodPolicy + "yearly_cap: {X: 1}\n", `"X" 无效`},
	}
	for _, c := range bad {
		_, err := LoadPolicy(strings.NewReader(c.yaml), "bad.yaml")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "策略文件 bad.yaml: ") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %q, want the file name and %q", c.name, err, c.msg)
		}
	}
}

func task(kind, percent string, perClass map[string]string, minCount int) plan.Task {
	return plan.Task{
		Seq: 1, Key: "CZ2026-1",
		Ratio: plan.Ratio{Text: "测试", Percent: percent, PerClass: perClass, MinCount: minCount, Times: 1, Per: plan.PerYear,
			Unspecified: percent == "" && perClass == nil && minCount == 0},
		Risk: plan.Risk{Kind: kind},
	}
}

func TestStrata(t *testing.T) {
	counts := map[string]int{"A": 650, "B": 250, "C": 80, "D": 15}
	p := DefaultPolicy()
	for _, c := range []struct {
		name     string
		task     plan.Task
		override string
		want     []Stratum
	}{
		{"task 292: per class 3/5/7/9%", task(plan.RiskProgressive, "", map[string]string{"A": "3", "B": "5", "C": "7", "D": "9"}, 0), "",
			[]Stratum{{"A", 650, "3", 20}, {"B", 250, "5", 13}, {"C", 80, "7", 6}, {"D", 15, "9", 2}}},
		{"per class without risk kind", task(plan.RiskNone, "", map[string]string{"A": "3", "B": "5.0", "C": "7", "D": "100"}, 0), "",
			[]Stratum{{"A", 650, "3", 20}, {"B", 250, "5", 13}, {"C", 80, "7", 6}, {"D", 15, "100", 15}}},
		{"progressive 30%", task(plan.RiskProgressive, "30", nil, 0), "",
			[]Stratum{{"A", 650, "30", 195}, {"B", 250, "45", 113}, {"C", 80, "60", 48}, {"D", 15, "90", 14}}},
		{"progressive capped at 100", task(plan.RiskProgressive, "50", nil, 0), "",
			[]Stratum{{"A", 650, "50", 325}, {"B", 250, "75", 188}, {"C", 80, "100", 80}, {"D", 15, "100", 15}}},
		{"progressive 4.5%", task(plan.RiskProgressive, "4.5", nil, 0), "",
			[]Stratum{{"A", 650, "4.5", 30}, {"B", 250, "6.75", 17}, {"C", 80, "9", 8}, {"D", 15, "13.5", 3}}},
		{"none: one stratum ALL", task(plan.RiskNone, "20", nil, 0), "",
			[]Stratum{{"ALL", 995, "20", 199}}},
		{"other: one stratum ALL", task(plan.RiskOther, "3", nil, 0), "",
			[]Stratum{{"ALL", 995, "3", 30}}},
		{"task 83: minimum count only", task(plan.RiskProgressive, "", nil, 5), "",
			[]Stratum{{"A", 650, "0", 0}, {"B", 250, "0", 0}, {"C", 80, "0", 0}, {"D", 15, "0", 0}}},
		{"minimum count only, none", task(plan.RiskNone, "", nil, 5), "",
			[]Stratum{{"ALL", 995, "0", 0}}},
		{"percent and minimum count", task(plan.RiskNone, "1", nil, 50), "",
			[]Stratum{{"ALL", 995, "1", 10}}},
		{"minimum count with --ratio", task(plan.RiskNone, "", nil, 5), "2",
			[]Stratum{{"ALL", 995, "2", 20}}},
		{"unspecified with --ratio", task(plan.RiskNone, "", nil, 0), "5",
			[]Stratum{{"ALL", 995, "5", 50}}},
		{"unspecified progressive with --ratio", task(plan.RiskProgressive, "", nil, 0), "10.0",
			[]Stratum{{"A", 650, "10", 65}, {"B", 250, "15", 38}, {"C", 80, "20", 16}, {"D", 15, "30", 5}}},
	} {
		got, err := Strata(c.task, counts, p, c.override)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

func TestStrataEmptyClasses(t *testing.T) {
	got, err := Strata(task(plan.RiskProgressive, "7", nil, 0), map[string]int{"B": 200}, DefaultPolicy(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Stratum{{"A", 0, "7", 0}, {"B", 200, "10.5", 21}, {"C", 0, "14", 0}, {"D", 0, "21", 0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	got, err = Strata(task(plan.RiskNone, "7", nil, 0), map[string]int{"B": 200}, DefaultPolicy(), "")
	if err != nil || !reflect.DeepEqual(got, []Stratum{{"ALL", 200, "7", 14}}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

// A roster without a class column: one stratum ALL at the plan's percentage, whatever the
// task's risk kind; counts arrive all as B (the roster treats unclassified firms as B).
func TestStrataUnclassified(t *testing.T) {
	b := map[string]int{"B": 200}
	for _, c := range []struct {
		name     string
		task     plan.Task
		override string
		want     []Stratum
	}{
		// 3% of 200 is 6; with B's multiplier 1.5 it would have been 4.5% and 9 firms.
		{"progressive 3%", task(plan.RiskProgressive, "3", nil, 0), "", []Stratum{{"ALL", 200, "3", 6}}},
		{"none 7%", task(plan.RiskNone, "7", nil, 0), "", []Stratum{{"ALL", 200, "7", 14}}},
		{"per class: the B ratio", task(plan.RiskProgressive, "", map[string]string{"A": "3", "B": "5", "C": "7", "D": "9"}, 0), "",
			[]Stratum{{"ALL", 200, "5", 10}}},
		{"minimum count only", task(plan.RiskProgressive, "", nil, 5), "", []Stratum{{"ALL", 200, "0", 0}}},
		{"--ratio, no multiplier", task(plan.RiskProgressive, "", nil, 0), "10", []Stratum{{"ALL", 200, "10", 20}}},
	} {
		got, err := StrataUnclassified(c.task, b, DefaultPolicy(), c.override)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	// Counts of several classes are summed (a caller may pass them as they come).
	got, err := StrataUnclassified(task(plan.RiskProgressive, "10", nil, 0), map[string]int{"A": 5, "B": 15}, DefaultPolicy(), "")
	if err != nil || !reflect.DeepEqual(got, []Stratum{{"ALL", 20, "10", 2}}) {
		t.Errorf("summed: %v, %v", got, err)
	}
	if _, err := StrataUnclassified(task(plan.RiskProgressive, "", nil, 0), b, DefaultPolicy(), ""); !errors.Is(err, ErrRatioUnspecified) {
		t.Errorf("unspecified: %v", err)
	}
}

func TestStrataErrors(t *testing.T) {
	p := DefaultPolicy()
	counts := map[string]int{"A": 10}
	_, err := Strata(task(plan.RiskProgressive, "", nil, 0), counts, p, "")
	if !errors.Is(err, ErrRatioUnspecified) || !strings.Contains(err.Error(), "--ratio") || !strings.Contains(err.Error(), "CZ2026-1") {
		t.Errorf("unspecified: %v", err)
	}
	// A task given by level: the example is the first level's own figure (with its period
	// when it writes one), not a fixed 5.
	for _, c := range []struct {
		levels []string
		want   string
	}{
		{[]string{"市级抽查10%", "县级抽查20%"}, "如 --ratio 10）"},
		{[]string{"重点监管对象:每季度最低抽查12.5%", "一般对象:每年抽查5%"}, "如 --ratio 每季度12.5%）"},
	} {
		lt := task(plan.RiskNone, "", nil, 0)
		lt.Ratio.Levels = c.levels
		_, err := Strata(lt, counts, p, "")
		if !errors.Is(err, ErrRatioUnspecified) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "所抽一级") {
			t.Errorf("levels %q: %v, want the example %q", c.levels, err, c.want)
		}
	}
	for _, c := range []struct {
		name     string
		task     plan.Task
		counts   map[string]int
		override string
		msg      string
	}{
		{"override zero", task(plan.RiskNone, "", nil, 0), counts, "0", "--ratio \"0\" 无效"},
		{"override above 100", task(plan.RiskNone, "", nil, 0), counts, "100.01", "无效"},
		{"override not decimal", task(plan.RiskNone, "", nil, 0), counts, "5%", "无效"},
		{"override of a plan ratio", task(plan.RiskNone, "30", nil, 0), counts, "50", "不能用 --ratio 改变"},
		{"override of per-class ratios", task(plan.RiskNone, "", map[string]string{"A": "1", "B": "1", "C": "1", "D": "1"}, 0), counts, "50", "不能用 --ratio 改变"},
		{"bad plan percent", task(plan.RiskNone, "abc", nil, 0), counts, "", "无效"},
		{"plan percent above 100", task(plan.RiskNone, "120", nil, 0), counts, "", "无效"},
		{"per class missing", task(plan.RiskProgressive, "", map[string]string{"A": "3", "B": "5", "C": "7"}, 0), counts, "", "缺少 D 类"},
		{"per class unknown", task(plan.RiskProgressive, "", map[string]string{"A": "3", "B": "5", "C": "7", "D": "9", "E": "1"}, 0), counts, "", `"E" 无效`},
		{"unknown count class", task(plan.RiskNone, "5", nil, 0), map[string]int{"X": 1}, "", `"X" 无效`},
		{"negative count", task(plan.RiskNone, "5", nil, 0), map[string]int{"A": -1}, "", "不能为负数"},
	} {
		_, err := Strata(c.task, c.counts, p, c.override)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}

// An overall cap beside class ratios (a 交通运输 plan: 总体比例不超过5%, the class ratios in
// its credit-risk column): the total may reach cap × N exactly, not one firm more.
func TestStrataCap(t *testing.T) {
	tk := task(plan.RiskOther, "", map[string]string{"A": "1", "B": "10", "C": "50", "D": "80"}, 0)
	tk.Ratio.Cap = "5"
	p := DefaultPolicy()
	// 1,000 firms: 900 A → 9, 80 B → 8, 16 C → 8, 4 D → 4: 29 ≤ 50.
	got, err := Strata(tk, map[string]int{"A": 900, "B": 80, "C": 16, "D": 4}, p, "")
	if err != nil || len(got) != 4 || got[0].Count+got[1].Count+got[2].Count+got[3].Count != 29 {
		t.Fatalf("within the cap: %v, %v", got, err)
	}
	// 100 firms: 60 A → 1, 30 B → 3, 8 C → 4, 2 D → 2: 10 > 5.
	if _, err := Strata(tk, map[string]int{"A": 60, "B": 30, "C": 8, "D": 2}, p, ""); err == nil ||
		!strings.Contains(err.Error(), "按各类比例共抽10户，超过计划规定的总体比例上限5%（100户的5%，至多5户）") {
		t.Errorf("over the cap: %v", err)
	}
	// Exactly at the cap: 20 firms, 19 A → 1, 1 D → 1: 2 > 1 (5% of 20 is 1) refused; 40 firms,
	// 38 A → 1, 2 D → 2: 3 > 2 refused; 60 firms, 58 A → 1, 2 D → 2: 3 = 3 allowed.
	for _, c := range []struct {
		a, d int
		ok   bool
	}{{19, 1, false}, {38, 2, false}, {58, 2, true}} {
		_, err := Strata(tk, map[string]int{"A": c.a, "D": c.d}, p, "")
		if (err == nil) != c.ok {
			t.Errorf("A %d, D %d: err %v, want ok=%v", c.a, c.d, err, c.ok)
		}
	}
	// Half-points: a cap of 2.5% over 120 firms allows 3.
	tk.Ratio.Cap = "2.5"
	tk.Ratio.PerClass = map[string]string{"A": "1", "B": "1", "C": "1", "D": "50"}
	if _, err := Strata(tk, map[string]int{"A": 116, "D": 4}, p, ""); err != nil { // 2 + 2 = 4 > 3
		if !strings.Contains(err.Error(), "至多3户") {
			t.Errorf("2.5%% of 120: %v", err)
		}
	} else {
		t.Error("2.5% of 120: 4 firms allowed")
	}
}
