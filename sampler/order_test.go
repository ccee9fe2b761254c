package sampler

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/choucha/choucha/risk"
)

// Entries keep only the first 8 bytes of their tickets; where those tie, the order must still
// be that of the whole tickets. No two real keys are known to tie there, so the ties are
// forced: every entry is given the same prefix, and sortStratum must fall back to the whole
// ticket (and, were the tickets equal, the key).
func TestOrderOnPrefixTies(t *testing.T) {
	spec := Spec{Seed: "20260401123456789012", TaskKey: "CZ2026-292", Round: 2}
	var units unitSlice
	for i := range 200 {
		units = append(units, Unit{Key: fmt.Sprintf("9114043%010dX", i), Class: "B"})
	}
	o := newOrder(spec, units)
	slab := make([]entry, len(units))
	m := make([]int32, len(units))
	for i := range slab {
		slab[i] = entry{prefix: 42, unit: int32(i)}
		m[i] = int32(i)
	}
	sortStratum(o, slab, m, len(m))
	got := make([]string, len(m))
	for i, k := range m {
		got[i] = Ticket(spec.Seed, spec.TaskKey, spec.Round, units[k].Key)
	}
	if !slices.IsSorted(got) {
		t.Fatal("entries tied on their prefixes are not in the order of their whole tickets")
	}
	if a, b := &slab[0], &slab[0]; o.cmp(a, b) != 0 {
		t.Error("an entry does not compare equal to itself")
	}
	// Same prefix, same ticket (the same key twice in units): the key decides, and equal
	// keys compare equal.
	twice := unitSlice{{Key: "K2", Class: "A"}, {Key: "K2", Class: "A"}}
	o2 := newOrder(spec, twice)
	if c := o2.cmp(&entry{prefix: 1, unit: 0}, &entry{prefix: 1, unit: 1}); c != 0 {
		t.Errorf("the same key twice compares %d, want 0", c)
	}
	// The prefix of every entry is the first 8 bytes of its ticket.
	prefixes(t, spec, units, slab)
	for i := range slab {
		want := Ticket(spec.Seed, spec.TaskKey, spec.Round, units[i].Key)[:16]
		if got := fmt.Sprintf("%016x", slab[i].prefix); !strings.EqualFold(got, want) {
			t.Fatalf("unit %d: prefix %s, ticket begins %s", i, got, want)
		}
	}
}

// A stratum is sorted only as far as the draw reads it (sortStratum's head). Over frames of
// many sizes, ratios, reserves and earlier rounds' firms, the draw must be the same as with
// every stratum sorted whole — and the partial sort must actually have been used.
func TestPartialSortDrawsTheSame(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	partial := 0
	for trial := range 120 {
		n := 50 + r.IntN(20000)
		units := make([]Unit, n)
		counts := map[string]int{}
		for i := range units {
			c := string("ABCD"[r.IntN(4)])
			units[i] = Unit{Key: fmt.Sprintf("91140430MA%08d", i), Class: c}
			counts[c]++
		}
		earlier := map[string]bool{}
		for range r.IntN(n / 4) {
			earlier[units[r.IntN(n)].Key] = true
		}
		var strata []risk.Stratum
		if trial%5 == 0 {
			strata = []risk.Stratum{{Class: risk.StratumAll, N: n, Count: r.IntN(n + 1)}}
		} else {
			for _, c := range []string{"A", "B", "C", "D"} {
				strata = append(strata, risk.Stratum{Class: c, N: counts[c], Count: r.IntN(counts[c]/(1+r.IntN(30)) + 1)})
			}
		}
		spec := Spec{Seed: "20260401123456789012", TaskKey: fmt.Sprintf("T-%d", trial), Round: 1 + r.IntN(3),
			Strata: strata, Reserves: r.IntN(12), Earlier: earlier, AllIn: trial%7 == 0}
		if trial%9 == 0 {
			spec.MinCount = r.IntN(n)
		}
		got, err := Draw(spec, units)
		if err != nil {
			t.Fatal(err)
		}
		partialSort = false
		want, err := Draw(spec, units)
		partialSort = true
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d (n=%d): the draw with strata sorted in part differs from the draw with them sorted whole", trial, n)
		}
		o := newOrder(spec, unitSlice(units))
		slab := make([]entry, n)
		prefixes(t, spec, unitSlice(units), slab)
		m := make([]int32, n)
		for i := range m {
			m[i] = int32(i)
		}
		if need := spec.Reserves + 10; sortStratum(o, slab, m, need) < n {
			partial++
		}
	}
	if partial == 0 {
		t.Fatal("no stratum was sorted in part: the test does not reach the partial sort")
	}
}

// sortStratum's head is the start of the whole order and at least need long, and m stays a
// permutation of the stratum (the rest behind the head).
func TestSortStratumHead(t *testing.T) {
	spec := Spec{Seed: "20260401123456789012", TaskKey: "CZ2026-292", Round: 1}
	var units unitSlice
	for i := range 50000 {
		units = append(units, Unit{Key: fmt.Sprintf("91140430MA%08d", i), Class: "B"})
	}
	o := newOrder(spec, units)
	slab := make([]entry, len(units))
	prefixes(t, spec, units, slab)
	whole := make([]int32, len(units))
	for i := range whole {
		whole[i] = int32(i)
	}
	sortStratum(o, slab, whole, len(whole))
	for _, need := range []int{0, 1, 7, 100, 2500, 12000, 12499, 12500, 30000, 50000} {
		m := make([]int32, len(units))
		for i := range m {
			m[i] = int32(len(m) - 1 - i)
		}
		head := sortStratum(o, slab, m, need)
		if head < need || head > len(m) {
			t.Fatalf("need %d: head %d", need, head)
		}
		if need > 0 && need < len(m)/4 && head == len(m) {
			t.Errorf("need %d of %d: sorted whole, not in part", need, len(m))
		}
		if !slices.Equal(m[:head], whole[:head]) {
			t.Fatalf("need %d: the head of %d is not the start of the whole order", need, head)
		}
		sorted := slices.Clone(m)
		slices.Sort(sorted)
		for i, v := range sorted {
			if v != int32(i) {
				t.Fatalf("need %d: m is no longer a permutation of the stratum (index %d is %d)", need, i, v)
			}
		}
	}
}

// prefixes fills slab for units as one stratum (prepareUnits).
func prefixes(t testing.TB, spec Spec, units Units, slab []entry) {
	t.Helper()
	if r, _ := prepareUnits(spec, units, map[string]int{risk.StratumAll: 0}, true, true, slab); r != nil {
		t.Fatal(r.err)
	}
}
