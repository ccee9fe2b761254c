package sampler

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
)

const seed20 = "12345678901234567890"

func TestNormalizeSeed(t *testing.T) {
	d128 := strings.Repeat("1234567890", 12) + "12345678"
	for in, want := range map[string]string{
		seed20:                 seed20,
		"00000000000000000001": "00000000000000000001", // leading zeros are part of the seed
		d128:                   d128,
		"１２３４５６７８９０１２３４５６７８９０": seed20, // full-width digits
		"12345６７８９０1234567890": seed20,
		"  " + seed20 + "\n":   seed20, // pasted with white space around
	} {
		got, err := NormalizeSeed(in)
		if err != nil || got != want {
			t.Errorf("NormalizeSeed(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"":                        "种子为空",
		"1234567890123456789":     "只有 19 位",
		d128 + "9":                "有 129 位",
		"1234567890abcdefghij":    "不是数字",
		"12345 67890 12345 67890": "不是数字",
		"1234567890-1234567890":   "不是数字",
		"-12345678901234567890":   "不是数字",
		"١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠":     "不是数字", // Arabic-Indic digits are not mapped
		"1234567890123456789０\xff": "UTF-8",
	} {
		if _, err := NormalizeSeed(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("NormalizeSeed(%q): error %v, want %q", in, err, msg)
		}
	}
}

func TestNewSeed(t *testing.T) {
	seen := map[string]bool{}
	for range 20 {
		s, err := NewSeed()
		if err != nil {
			t.Fatal(err)
		}
		if n, err := NormalizeSeed(s); err != nil || n != s || len(s) != NewSeedDigits {
			t.Fatalf("NewSeed() = %q: not a normalised %d-digit seed (%v)", s, NewSeedDigits, err)
		}
		seen[s] = true
	}
	if len(seen) < 20 {
		t.Fatalf("NewSeed repeated a seed in 20 calls: %v", seen)
	}
}

func TestTicketFormat(t *testing.T) {
	got := Ticket(seed20, "CZ2026-292", 1, "91110000600037341L")
	if len(got) != 64 || strings.ToLower(got) != got {
		t.Fatalf("Ticket = %q, want 64 lowercase hex digits", got)
	}
	// Each input changes the ticket; the round is plain decimal.
	for _, other := range []string{
		Ticket("12345678901234567891", "CZ2026-292", 1, "91110000600037341L"),
		Ticket(seed20, "CZ2026-293", 1, "91110000600037341L"),
		Ticket(seed20, "CZ2026-292", 2, "91110000600037341L"),
		Ticket(seed20, "CZ2026-292", 1, "91110000600037341M"),
	} {
		if other == got {
			t.Fatal("a changed input gave the same ticket")
		}
	}
	if AssignTicket(seed20, "CZ2026-292", 1, "91110000600037341L", "X1") == got {
		t.Fatal("assignment ticket equals the sampling ticket")
	}
}

// frame makes a synthetic frame with the given number of firms per class.
func frame(counts map[string]int) []Unit {
	var units []Unit
	for _, c := range risk.Classes {
		for i := range counts[c] {
			units = append(units, Unit{Key: fmt.Sprintf("9114043000%s%07d", c, i), Class: c})
		}
	}
	return units
}

func classCounts(units []Unit) map[string]int {
	m := map[string]int{}
	for _, u := range units {
		m[u.Class]++
	}
	return m
}

// check verifies a result against the rules, recomputing the order of each stratum.
func check(t *testing.T, name string, spec Spec, units []Unit, res Result) {
	t.Helper()
	all := len(spec.Strata) == 1 && spec.Strata[0].Class == risk.StratumAll
	type tk struct{ ticket, key string }
	byStratum := map[string][]tk{}
	for _, u := range units {
		h := u.Class
		if all {
			h = risk.StratumAll
		}
		byStratum[h] = append(byStratum[h], tk{Ticket(spec.Seed, spec.TaskKey, spec.Round, u.Key), u.Key})
	}
	rank := map[string]int{}
	for _, l := range byStratum {
		sort.Slice(l, func(i, j int) bool {
			return l[i].ticket < l[j].ticket || l[i].ticket == l[j].ticket && l[i].key < l[j].key
		})
		for i, x := range l {
			rank[x.key] = i + 1
		}
	}
	seen := map[string]bool{}
	perStratum := map[string]int{}
	for _, p := range append(append([]Pick{}, res.Selected...), res.Reserves...) {
		if seen[p.Key] {
			t.Errorf("%s: %s appears twice", name, p.Key)
		}
		seen[p.Key] = true
		if p.Rank != rank[p.Key] || p.Ticket != Ticket(spec.Seed, spec.TaskKey, spec.Round, p.Key) {
			t.Errorf("%s: %s has rank %d ticket %s, want %d", name, p.Key, p.Rank, p.Ticket, rank[p.Key])
		}
		if p.Repeat != (!spec.AllIn && spec.Earlier[p.Key]) {
			t.Errorf("%s: %s repeat = %v", name, p.Key, p.Repeat)
		}
	}
	for _, p := range res.Selected {
		perStratum[p.Stratum]++
	}
	total := 0
	for i, s := range res.Strata {
		if s.Stratum != spec.Strata[i] {
			t.Errorf("%s: stratum %d = %+v, want %+v", name, i, s.Stratum, spec.Strata[i])
		}
		if perStratum[s.Class] != s.Count+s.Added {
			t.Errorf("%s: stratum %s has %d selected, want n=%d + added %d", name, s.Class, perStratum[s.Class], s.Count, s.Added)
		}
		total += s.Count
	}
	want := max(total, min(spec.MinCount, len(units)))
	if len(res.Selected) != want {
		t.Errorf("%s: %d selected, want %d", name, len(res.Selected), want)
	}
}

func TestDrawTasks(t *testing.T) {
	units := frame(map[string]int{"A": 650, "B": 250, "C": 80, "D": 15})
	counts := classCounts(units)
	p := risk.DefaultPolicy()
	mk := func(kind, percent string, perClass map[string]string, minCount int) plan.Task {
		return plan.Task{Key: "CZ2026-1", Risk: plan.Risk{Kind: kind},
			Ratio: plan.Ratio{Percent: percent, PerClass: perClass, MinCount: minCount,
				Unspecified: percent == "" && perClass == nil && minCount == 0}}
	}
	for _, c := range []struct {
		name     string
		task     plan.Task
		override string
		selected []int // per stratum: n_h + additions
	}{
		{"task 292: per class 3/5/7/9%", mk(plan.RiskProgressive, "", map[string]string{"A": "3", "B": "5", "C": "7", "D": "9"}, 0), "", []int{20, 13, 6, 2}},
		{"progressive 10%", mk(plan.RiskProgressive, "10", nil, 0), "", []int{65, 38, 16, 5}},
		{"none: ALL 20%", mk(plan.RiskNone, "20", nil, 0), "", []int{199}},
		{"task 83: 不低于5户", mk(plan.RiskProgressive, "", nil, 5), "", nil},
		{"percent and 不低于300户", mk(plan.RiskNone, "20", nil, 300), "", []int{300}},
		{"percent and a smaller minimum", mk(plan.RiskNone, "20", nil, 5), "", []int{199}},
		{"unspecified with --ratio", mk(plan.RiskNone, "", nil, 0), "2.5", []int{25}},
	} {
		strata, err := risk.Strata(c.task, counts, p, c.override)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		spec := Spec{Seed: seed20, TaskKey: "CZ2026-1", Round: 1, Strata: strata, MinCount: c.task.Ratio.MinCount, Reserves: p.Reserves}
		res, err := Draw(spec, units)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		check(t, c.name, spec, units, res)
		if c.selected != nil {
			var got []int
			for _, s := range res.Strata {
				got = append(got, s.Count+s.Added)
			}
			if !reflect.DeepEqual(got, c.selected) {
				t.Errorf("%s: selected per stratum %v, want %v", c.name, got, c.selected)
			}
		}
		if len(res.Reserves) != p.Reserves*len(strata) {
			t.Errorf("%s: %d reserves, want %d", c.name, len(res.Reserves), p.Reserves*len(strata))
		}
	}
	// Unspecified without --ratio never reaches the sampler.
	if _, err := risk.Strata(mk(plan.RiskNone, "", nil, 0), counts, p, ""); err == nil {
		t.Error("unspecified task without --ratio: no error")
	}
}

func TestDrawMinimumCount(t *testing.T) {
	units := frame(map[string]int{"A": 6, "B": 3, "D": 1})
	strata := []risk.Stratum{{Class: "A", N: 6, Ratio: "0"}, {Class: "B", N: 3, Ratio: "0"}, {Class: "C", N: 0, Ratio: "0"}, {Class: "D", N: 1, Ratio: "0"}}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-83", Round: 1, Strata: strata, MinCount: 5, Reserves: 1}
	res, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "min 5", spec, units, res)
	// The additions are the 5 smallest tickets of the whole frame, in ticket order.
	var tickets []string
	for _, u := range units {
		tickets = append(tickets, Ticket(seed20, "CZ2026-83", 1, u.Key))
	}
	sort.Strings(tickets)
	for i, p := range res.Selected {
		if p.Ticket != tickets[i] {
			t.Errorf("addition %d has ticket %s, want %s", i, p.Ticket, tickets[i])
		}
	}
	// A minimum above N takes everyone.
	spec.MinCount = 50
	res, err = Draw(spec, units)
	if err != nil || len(res.Selected) != len(units) || len(res.Reserves) != 0 {
		t.Fatalf("min 50 of 10: %d selected, %d reserves, %v", len(res.Selected), len(res.Reserves), err)
	}
}

func TestDrawRounds(t *testing.T) {
	units := frame(map[string]int{"B": 10})
	strata := []risk.Stratum{{Class: risk.StratumAll, N: 10, Ratio: "30", Count: 3}}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-9", Round: 1, Strata: strata, Reserves: 2}
	r1, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	earlier := map[string]bool{}
	for _, p := range r1.Selected {
		earlier[p.Key] = true
	}

	// Round 2: round 1's firms are not candidates, but still count in N and in the ranks.
	spec.Round, spec.Earlier = 2, earlier
	r2, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "round 2", spec, units, r2)
	if r2.Strata[0].Excluded != 3 || r2.Strata[0].N != 10 {
		t.Errorf("round 2 stratum %+v, want N 10 excluded 3", r2.Strata[0])
	}
	for _, p := range append(r2.Selected, r2.Reserves...) {
		if earlier[p.Key] {
			t.Errorf("round 2 took %s from round 1", p.Key)
		}
	}

	// Round 3 with 8 of 10 drawn before: both candidates, then 1 repeat in ticket order.
	for _, p := range r2.Selected {
		earlier[p.Key] = true
	}
	for _, u := range units {
		if len(earlier) < 8 {
			earlier[u.Key] = true
		}
	}
	spec.Round = 3
	r3, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "round 3", spec, units, r3)
	repeats := 0
	for _, p := range r3.Selected {
		if p.Repeat {
			repeats++
		}
	}
	if repeats != 1 || len(r3.Selected) != 3 || len(r3.Reserves) != 0 || r3.Strata[0].Excluded != 8 {
		t.Errorf("round 3: %+v", r3)
	}

	// AllIn (100%): earlier rounds are not excluded and nobody is a repeat.
	spec.Strata = []risk.Stratum{{Class: risk.StratumAll, N: 10, Ratio: "100", Count: 10}}
	spec.AllIn = true
	r4, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "all in", spec, units, r4)
	if len(r4.Selected) != 10 || r4.Strata[0].Excluded != 0 {
		t.Errorf("all in: %+v", r4)
	}
}

func TestDrawIgnoresFrameOrder(t *testing.T) {
	units := frame(map[string]int{"A": 40, "B": 20, "C": 7, "D": 3})
	strata, err := risk.Strata(plan.Task{Key: "CZ2026-5", Risk: plan.Risk{Kind: plan.RiskProgressive}, Ratio: plan.Ratio{Percent: "10"}},
		classCounts(units), risk.DefaultPolicy(), "")
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-5", Round: 1, Strata: strata, Reserves: 5, MinCount: 3}
	want, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10 {
		shuffled := append([]Unit{}, units...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, err := Draw(spec, shuffled)
		if err != nil {
			t.Fatal(err)
		}
		// The same draw; only where each pick is in the frame (Unit) moved with it.
		for _, ps := range [][]Pick{got.Selected, got.Reserves} {
			for i := range ps {
				if shuffled[ps[i].Unit].Key != ps[i].Key {
					t.Fatalf("pick %s has Unit %d, which is %s", ps[i].Key, ps[i].Unit, shuffled[ps[i].Unit].Key)
				}
			}
		}
		if !reflect.DeepEqual(withoutUnits(got), withoutUnits(want)) {
			t.Fatal("shuffled frame gave a different draw")
		}
	}
}

func TestDrawErrors(t *testing.T) {
	units := frame(map[string]int{"A": 3, "B": 2})
	good := []risk.Stratum{{Class: "A", N: 3, Ratio: "50", Count: 2}, {Class: "B", N: 2, Ratio: "50", Count: 1}}
	spec := func(f func(*Spec)) Spec {
		s := Spec{Seed: seed20, TaskKey: "CZ2026-1", Round: 1, Strata: good, Reserves: 5}
		if f != nil {
			f(&s)
		}
		return s
	}
	if _, err := Draw(spec(nil), units); err != nil {
		t.Fatalf("good spec: %v", err)
	}
	with := func(f func([]Unit) []Unit) []Unit { return f(append([]Unit{}, units...)) }
	for _, c := range []struct {
		name  string
		spec  Spec
		units []Unit
		msg   string
	}{
		{"empty frame", spec(nil), nil, "抽样框为空"},
		{"unknown class", spec(nil), with(func(u []Unit) []Unit { u[0].Class = "E"; return u }), `分类 "E" 无效`},
		{"unclassified", spec(nil), with(func(u []Unit) []Unit { u[0].Class = ""; return u }), "无效"},
		{"duplicate key", spec(nil), with(func(u []Unit) []Unit { return append(u, u[1]) }), "重复"},
		{"empty key", spec(nil), with(func(u []Unit) []Unit { u[0].Key = ""; return u }), "企业标识为空"},
		{"key with bar", spec(nil), with(func(u []Unit) []Unit { u[0].Key = "a|b"; return u }), "竖线"},
		{"class without stratum", spec(nil), with(func(u []Unit) []Unit { return append(u, Unit{Key: "X", Class: "C"}) }), "没有 C 层"},
		{"N mismatch", spec(func(s *Spec) { s.Strata = []risk.Stratum{{Class: "A", N: 4, Count: 1}, good[1]} }), units, "N=4"},
		{"count above N", spec(func(s *Spec) { s.Strata = []risk.Stratum{{Class: "A", N: 3, Count: 4}, good[1]} }), units, "n=4"},
		{"negative count", spec(func(s *Spec) { s.Strata = []risk.Stratum{{Class: "A", N: 3, Count: -1}, good[1]} }), units, "n=-1"},
		{"stratum twice", spec(func(s *Spec) { s.Strata = []risk.Stratum{good[0], good[0], good[1]} }), units, "重复"},
		{"ALL and classes", spec(func(s *Spec) { s.Strata = []risk.Stratum{{Class: "ALL", N: 5}, good[1]} }), units, "ALL"},
		{"bad stratum", spec(func(s *Spec) { s.Strata = []risk.Stratum{{Class: "Z"}} }), units, `"Z" 无效`},
		{"no strata", spec(func(s *Spec) { s.Strata = nil }), units, "没有分层"},
		{"short seed", spec(func(s *Spec) { s.Seed = "123" }), units, "只有 3 位"},
		{"unnormalised seed", spec(func(s *Spec) { s.Seed = "１２３４５６７８９０１２３４５６７８９０" }), units, "未规范化"},
		{"round 0", spec(func(s *Spec) { s.Round = 0 }), units, "轮次"},
		{"no task", spec(func(s *Spec) { s.TaskKey = "" }), units, "任务编号为空"},
		{"negative reserves", spec(func(s *Spec) { s.Reserves = -1 }), units, "负数"},
	} {
		_, err := Draw(c.spec, c.units)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}

// A frame large enough to be checked on several cores reports, of all its faults, the one a
// single pass in frame order meets first — whichever part of the frame it lies in.
func TestDrawErrorsFirstInFrameOrder(t *testing.T) {
	const n = 4 * parallelMin
	base := func() []Unit {
		u := make([]Unit, n)
		for i := range u {
			u[i] = Unit{Key: fmt.Sprintf("91140430MA%08d", i), Class: "AB"[i%2 : i%2+1]}
		}
		return u
	}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-1", Round: 1, Strata: []risk.Stratum{
		{Class: "A", N: n / 2, Ratio: "5", Count: 10}, {Class: "B", N: n / 2, Ratio: "5", Count: 10}}}
	if _, err := Draw(spec, base()); err != nil {
		t.Fatalf("good frame: %v", err)
	}
	for _, c := range []struct {
		name  string
		fault func(u []Unit)
		want  string
	}{
		{"empty key before a bad class", func(u []Unit) { u[5].Key = ""; u[n-7].Class = "E" }, "企业标识为空"},
		{"bad class before an empty key", func(u []Unit) { u[n-7].Key = ""; u[5].Class = "E" }, "91140430MA00000005 的信用风险分类 \"E\""},
		{"class without stratum, then a bad key", func(u []Unit) { u[2000].Class = "C"; u[3*n/4].Key = "a|b" }, "没有 C 层"},
		{"a fault in the last part only", func(u []Unit) { u[n-1].Key = "x\ny" }, "竖线或换行"},
		// Out of key order, a repeated key is found in frame order too: before a later fault,
		{"duplicate before a bad class", func(u []Unit) { u[n/2].Key = u[10].Key; u[n-3].Class = "" }, "91140430MA00000010 重复出现"},
		// after an earlier one,
		{"bad class before a duplicate", func(u []Unit) { u[n/2].Key = u[10].Key; u[100].Class = "" }, "91140430MA00000100 的信用风险分类"},
		// and before another fault of the same firm.
		{"duplicate that also has a bad class", func(u []Unit) { u[n/2].Key, u[n/2].Class = u[10].Key, "E" }, "91140430MA00000010 重复出现"},
		// In key order but for one repeat, where the frame is cut for the cores (n/2 is a cut
		// for any even number of them): the order is checked across the cut, too.
		{"a repeat across the cut", func(u []Unit) { u[n/2].Key = u[n/2-1].Key }, fmt.Sprintf("91140430MA%08d 重复出现", n/2-1)},
		{"a repeat at the frame's end", func(u []Unit) { u[n-1].Key = u[n-2].Key }, fmt.Sprintf("91140430MA%08d 重复出现", n-2)},
	} {
		u := base()
		c.fault(u)
		_, err := Draw(spec, u)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// withoutUnits is r with every pick's Unit cleared.
func withoutUnits(r Result) Result {
	clear := func(ps []Pick) []Pick {
		out := append([]Pick{}, ps...)
		for i := range out {
			out[i].Unit = 0
		}
		return out
	}
	r.Selected, r.Reserves = clear(r.Selected), clear(r.Reserves)
	return r
}
