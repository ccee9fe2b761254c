package sampler

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/choucha/choucha/risk"
)

// benchFrame is n firms with the typical class mix of a roster (65% A, 25% B, 8% C, 2% D).
func benchFrame(n int) ([]Unit, []risk.Stratum) {
	units := make([]Unit, n)
	counts := map[string]int{}
	for i := range units {
		c := "A"
		switch r := i % 200; {
		case r >= 196:
			c = "D"
		case r >= 180:
			c = "C"
		case r >= 130:
			c = "B"
		}
		units[i] = Unit{Key: fmt.Sprintf("91140430MA%08d", i), Class: c}
		counts[c]++
	}
	var strata []risk.Stratum
	for _, c := range []string{"A", "B", "C", "D"} {
		n, err := risk.Count(counts[c], "5")
		if err != nil {
			panic(err)
		}
		strata = append(strata, risk.Stratum{Class: c, N: counts[c], Ratio: "5", Count: n})
	}
	return units, strata
}

// BenchmarkDraw1M is CHOUCHA-SAMPLE-v1 over a million-firm frame: a SHA-256 ticket per firm
// and a selection per stratum.
func BenchmarkDraw1M(b *testing.B) {
	units, strata := benchFrame(1_000_000)
	spec := Spec{Seed: "12345678901234567890", TaskKey: "CZ2026-292", Round: 1, Strata: strata, Reserves: 5}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Draw(spec, units); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDraw1MKnown is BenchmarkDraw1M given the prefixes a reader's Lookahead computed
// while it read the frame (the share of each class a draw keeps: 5% × 11/10 + 1/500), as a
// draw from an xlsx roster has them: the same draw, with only the known prefixes and a sample
// of the others hashed again.
func BenchmarkDraw1MKnown(b *testing.B) {
	units, strata := benchFrame(1_000_000)
	spec := Spec{Seed: "12345678901234567890", TaskKey: "CZ2026-292", Round: 1, Strata: strata, Reserves: 5}
	share := big.NewRat(57, 1000) // 5% × 11/10 + 0.2%
	la := NewLookahead(spec.Seed, spec.TaskKey, spec.Round, map[string]*big.Rat{"A": share, "B": share, "C": share, "D": share})
	known := knownOf(b, la, units)
	want, err := Draw(spec, units)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := DrawKnown(spec, unitSlice(units), known)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Selected) != len(want.Selected) || got.Selected[len(got.Selected)-1] != want.Selected[len(want.Selected)-1] {
			b.Fatal("DrawKnown drew another sample")
		}
	}
	b.ReportMetric(float64(len(known.units)), "known")
}

// BenchmarkAssign is CHOUCHA-ASSIGN-v1 for 10,000 drawn firms, teams of 2+1 from departments
// of 40 and 20 inspectors.
func BenchmarkAssign(b *testing.B) {
	units, strata := benchFrame(200_000)
	res, err := Draw(Spec{Seed: "12345678901234567890", TaskKey: "CZ2026-292", Round: 1, Strata: strata, Reserves: 5}, units)
	if err != nil {
		b.Fatal(err)
	}
	dept := func(name, role string, slots, n int) Department {
		d := Department{Name: name, Role: role, Slots: slots}
		for i := range n {
			d.Candidates = append(d.Candidates, Candidate{ID: fmt.Sprintf("%s%04d", role[:1], i), Name: "x"})
		}
		return d
	}
	depts := []Department{dept("市场监督管理局", RoleInitiator, 2, 40), dept("住房和城乡建设管理局", RoleCooperator, 1, 20)}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Assign("12345678901234567890", "CZ2026-292", 1, res.Selected, depts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(res.Selected)), "firms")
}

// BenchmarkTickets1M is the ticket hashing of a draw alone: one SHA-256 per firm of a
// million-firm frame, on all cores, with the checks of each firm's key and class made in the
// same pass (prepareUnits).
func BenchmarkTickets1M(b *testing.B) {
	units, _ := benchFrame(1_000_000)
	spec := Spec{Seed: "12345678901234567890", TaskKey: "CZ2026-292", Round: 1}
	slab := make([]entry, len(units))
	b.ResetTimer()
	for b.Loop() {
		if r, _ := prepareUnits(spec, unitSlice(units), map[string]int{risk.StratumAll: 0}, true, true, slab); r != nil {
			b.Fatal(r.err)
		}
	}
}

// BenchmarkStratum1M is the stratum selection alone: ordering a million tickets.
func BenchmarkStratum1M(b *testing.B) {
	units, _ := benchFrame(1_000_000)
	spec := Spec{Seed: "12345678901234567890", TaskKey: "CZ2026-292", Round: 1}
	slab := make([]entry, len(units))
	if r, _ := prepareUnits(spec, unitSlice(units), map[string]int{risk.StratumAll: 0}, true, true, slab); r != nil {
		b.Fatal(r.err)
	}
	m := make([]int32, len(units))
	b.ResetTimer()
	for b.Loop() {
		for i := range m {
			m[i] = int32(i)
		}
		sortStratum(newOrder(spec, unitSlice(units)), slab, m, len(m))
	}
}
