package sampler

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/risk"
)

// knownOf is the Known a reader hands over after reading units with la: the prefix of every
// unit la.Prefix kept.
func knownOf(t testing.TB, la *Lookahead, units []Unit) *Known {
	t.Helper()
	var at []int32
	var prefixes []uint64
	for i, u := range units {
		if keep, p := la.Prefix(u.Key, u.Class); keep {
			at, prefixes = append(at, int32(i)), append(prefixes, p)
		}
	}
	known, err := la.Known(at, prefixes)
	if err != nil {
		t.Fatal(err)
	}
	return known
}

// knownFrame is a frame of n firms with skewed classes (many B, few D), the strata of a draw
// of ratio percent per class (ALL when all), and the Known a reader with fractions would hand
// over: the prefix of every unit Lookahead.Prefix kept.
func knownFrame(t *testing.T, rng *rand.Rand, n int, ratio map[string]int, all bool, fractions map[string]*big.Rat, spec Spec) ([]Unit, Spec, *Known) {
	t.Helper()
	units := make([]Unit, n)
	counts := map[string]int{}
	for i := range units {
		c := "B"
		switch r := rng.IntN(100); {
		case r < 15:
			c = "A"
		case r < 25:
			c = "C"
		case r < 28:
			c = "D"
		}
		units[i] = Unit{Key: fmt.Sprintf("91140430MA%08dX", i*7+rng.IntN(7)), Class: c}
		counts[c]++
	}
	spec.Strata = nil
	if all {
		spec.Strata = []risk.Stratum{{Class: risk.StratumAll, N: n, Count: (n*ratio["B"] + 99) / 100}}
	} else {
		for _, c := range risk.Classes {
			if counts[c] > 0 {
				spec.Strata = append(spec.Strata, risk.Stratum{Class: c, N: counts[c], Count: (counts[c]*ratio[c] + 99) / 100})
			}
		}
	}
	spec.Earlier = map[string]bool{}
	for i := range units {
		if rng.IntN(100) == 0 {
			spec.Earlier[units[i].Key] = true
		}
	}
	la := NewLookahead(spec.Seed, spec.TaskKey, spec.Round, fractions)
	known := knownOf(t, la, units)
	return units, spec, known
}

// A draw given the prefixes its lookahead computed is the draw without them — firm for firm,
// ticket, rank, reserve and stratum — whether the known prefixes settle every stratum, some
// (a share too small for the larger ratios), or none; on frames small and large enough to
// be hashed on all cores; by class and ALL; with earlier rounds excluded, reserves and a
// minimum count.
func TestDrawKnownIsTheDraw(t *testing.T) {
	ratio := map[string]int{"A": 3, "B": 5, "C": 7, "D": 9}
	share := func(scale int64, add int64) map[string]*big.Rat {
		f := map[string]*big.Rat{}
		for c, r := range ratio {
			x := big.NewRat(int64(r)*scale, 1000) // r% × scale/10
			f[c] = x.Add(x, big.NewRat(add, 1000))
		}
		return f
	}
	shares := []struct {
		name string
		f    map[string]*big.Rat
	}{
		{"the draw's own (r×22/10 + 1/500)", share(22, 2)}, // round 2, earlier rounds excluded
		{"too small for any stratum", share(5, 0)},
		{"every firm", map[string]*big.Rat{"A": big.NewRat(1, 1), "B": big.NewRat(1, 1), "C": big.NewRat(1, 1), "D": big.NewRat(1, 1)}},
		{"some classes only", map[string]*big.Rat{"B": big.NewRat(1, 5), "D": big.NewRat(1, 100)}},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	settledSome := false
	for _, n := range []int{40, 3000, 60000} {
		for _, sh := range shares {
			name, f := sh.name, sh.f
			for _, all := range []bool{false, true} {
				for _, extra := range []Spec{{}, {Reserves: 3}, {MinCount: 5}, {Reserves: 2, AllIn: true}} {
					spec := Spec{Seed: seed20, TaskKey: "CZ2026-292", Round: 2, Reserves: extra.Reserves, MinCount: extra.MinCount, AllIn: extra.AllIn}
					units, spec, known := knownFrame(t, rng, n, ratio, all, f, spec)
					want, err := Draw(spec, units)
					if err != nil {
						t.Fatal(err)
					}
					got, err := DrawKnown(spec, unitSlice(units), known)
					if err != nil {
						t.Fatalf("n=%d, %s, all=%v, %+v: %v", n, name, all, extra, err)
					}
					settled := got.Settled
					got.Settled = 0
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("n=%d, %s, all=%v, reserves %d, min %d: the draw with known prefixes differs", n, name, all, spec.Reserves, spec.MinCount)
					}
					// Half the share a stratum needs settles none of a large frame's (a small
					// one's stratum of a few firms may be settled by chance, rightly).
					if n == 60000 && name == "too small for any stratum" && settled != 0 || spec.MinCount > 0 && settled != 0 {
						t.Fatalf("n=%d, %s, min %d: %d strata settled", n, name, spec.MinCount, settled)
					}
					if n == 60000 && name == "the draw's own (r×22/10 + 1/500)" && spec.MinCount == 0 {
						if settled != len(spec.Strata) {
							t.Fatalf("n=%d, all=%v: %d of %d strata settled by the draw's own share", n, all, settled, len(spec.Strata))
						}
						// The prefixes the test hands over must be used, or it compares a draw with itself.
						bad := *known
						bad.prefixes = append([]uint64(nil), known.prefixes...)
						for i := range bad.prefixes {
							bad.prefixes[i] ^= 1 << 40
						}
						if _, err := DrawKnown(spec, unitSlice(units), &bad); err == nil || !strings.Contains(err.Error(), "重新计算的不符") {
							t.Fatalf("n=%d, all=%v: changed known prefixes were not caught: %v", n, all, err)
						}
						settledSome = true
					}
				}
			}
		}
	}
	if !settledSome {
		t.Fatal("no case settled a stratum with the known prefixes")
	}
}

// A Known that leaves out a unit below its limit breaks its promise: the sample of the other
// units hashed finds it when it is one of them, and the draw is refused, not made another way.
// A Known of another round is not used at all.
func TestDrawKnownRefusesABrokenPromise(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	ratio := map[string]int{"A": 3, "B": 5, "C": 7, "D": 9}
	f := map[string]*big.Rat{"A": big.NewRat(1, 4), "B": big.NewRat(1, 4), "C": big.NewRat(1, 4), "D": big.NewRat(1, 4)}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-292", Round: 1}
	units, spec, known := knownFrame(t, rng, 20000, ratio, true, f, spec)
	want, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	// The one stratum (ALL) has the units in frame order; every spotCheckEvery-th of the first
	// 2^15 is in the sample. Leave the first such one that is known out of the known units.
	drop := -1
	for i, u := range known.units {
		if u%spotCheckEvery == 0 {
			drop = i
			break
		}
	}
	if drop < 0 {
		t.Fatal("no known unit in the sample of the others")
	}
	broken := &Known{msg: known.msg, limit: known.limit,
		units:    append(append([]int32(nil), known.units[:drop]...), known.units[drop+1:]...),
		prefixes: append(append([]uint64(nil), known.prefixes[:drop]...), known.prefixes[drop+1:]...)}
	if _, err := DrawKnown(spec, unitSlice(units), broken); err == nil || !strings.Contains(err.Error(), "却未被记录") {
		t.Fatalf("a unit below the limit left out of the known ones: %v", err)
	}
	other := NewLookahead(seed20, "CZ2026-292", 2, f)
	round2 := knownOf(t, other, units)
	if got, err := DrawKnown(spec, unitSlice(units), round2); err != nil || got.Settled != 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("a Known of round 2 for a draw of round 1 must be ignored: %v", err)
	}
	if _, err := other.Known([]int32{3, 3}, []uint64{1, 2}); err == nil {
		t.Fatal("Known accepted a unit twice")
	}
}

// A roster without a class column makes every firm class B, drawn as one stratum ALL: the
// stratum's limit is that of the classes among its firms, so the share kept for B settles it
// even when the lookahead keeps less (or nothing) of the classes the roster does not have.
func TestDrawKnownSettlesAllOfOneClass(t *testing.T) {
	units := make([]Unit, 50000)
	for i := range units {
		units[i] = Unit{Key: fmt.Sprintf("91140430MA%08dX", i), Class: "B"}
	}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-292", Round: 1, Reserves: 2,
		Strata: []risk.Stratum{{Class: risk.StratumAll, N: len(units), Count: len(units) / 20}}}
	la := NewLookahead(spec.Seed, spec.TaskKey, spec.Round, map[string]*big.Rat{"A": big.NewRat(1, 100), "B": big.NewRat(57, 1000)})
	known := knownOf(t, la, units)
	want, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DrawKnown(spec, unitSlice(units), known)
	if err != nil {
		t.Fatal(err)
	}
	if got.Settled != 1 {
		t.Fatalf("the ALL stratum of class B firms was not settled by B's share (%d settled)", got.Settled)
	}
	got.Settled = 0
	if !reflect.DeepEqual(got, want) {
		t.Fatal("the draw with known prefixes differs")
	}
}
