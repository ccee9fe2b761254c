package sampler

import (
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
)

// prefixedUnits are units with prefixes given (PrefixedUnits).
type prefixedUnits struct {
	unitSlice
	forDraw  string
	prefixes []uint64
}

func (u prefixedUnits) PrefixesFor() string { return u.forDraw }
func (u prefixedUnits) Prefix(i int) uint64 { return u.prefixes[i] }

// A draw over units that carry their prefixes is the draw without them; prefixes for another
// draw are not used; a wrong prefix where the draw checks it stops the draw.
func TestDrawWithGivenPrefixes(t *testing.T) {
	units := frame(map[string]int{"A": 30000, "B": 9000, "C": 700, "D": 300}) // above parallelMin
	strata, err := risk.Strata(plan.Task{Key: "CZ2026-5", Risk: plan.Risk{Kind: plan.RiskProgressive}, Ratio: plan.Ratio{Percent: "5"}},
		classCounts(units), risk.DefaultPolicy(), "")
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{Seed: seed20, TaskKey: "CZ2026-5", Round: 1, Strata: strata, Reserves: 5}
	want, err := Draw(spec, units)
	if err != nil {
		t.Fatal(err)
	}
	with := func(p Prefixer) prefixedUnits {
		u := prefixedUnits{unitSlice: units, forDraw: p.For(), prefixes: make([]uint64, len(units))}
		for i := range units {
			u.prefixes[i] = p.Prefix(units[i].Key)
		}
		return u
	}
	own := with(NewPrefixer(spec.Seed, spec.TaskKey, spec.Round))
	if got, err := DrawUnits(spec, own); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("with its own prefixes: %v, same draw %v", err, reflect.DeepEqual(got, want))
	}
	other := with(NewPrefixer(spec.Seed, spec.TaskKey, 2)) // a frame read for round 2
	if got, err := DrawUnits(spec, other); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("with another draw's prefixes: %v, same draw %v", err, reflect.DeepEqual(got, want))
	}

	picked := want.Selected[len(want.Selected)/2].Unit
	for _, tc := range []struct {
		name string
		at   int
	}{
		{"a checked unit", 3 * prefixCheck},
		{"a pick", picked},
		{"a reserve", want.Reserves[0].Unit},
	} {
		bad := own
		bad.prefixes = append([]uint64(nil), own.prefixes...)
		if tc.at%prefixCheck != 0 {
			// Lowered to 0, so that the unit stays among the first of its stratum: a pick.
			bad.prefixes[tc.at] = 0
		} else {
			bad.prefixes[tc.at]++
		}
		if _, err := DrawUnits(spec, bad); err == nil || !strings.Contains(err.Error(), units[tc.at].Key) {
			t.Errorf("%s with a wrong prefix: %v", tc.name, err)
		}
	}
}
