package sampler

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/choucha/choucha/risk"
)

// TestInclusionFrequency checks fairness: over 2,000 fixed seeds, each firm's inclusion
// count must match n_h/N_h of its stratum.
//
// In one draw the inclusion indicators of a stratum's N firms (n of them 1) have variance
// p(1−p), p = n/N, and covariance −p(1−p)/(N−1). Summed over S independent seeds, the
// statistic Σ_i (c_i − S·p)² · (N−1) / (S·p·(1−p)·N) is asymptotically χ² with N−1 degrees
// of freedom, and independent strata add up. With strata of N = 20, 10, 6, 4 firms there
// are 19 + 9 + 5 + 3 = 36 degrees of freedom; the critical value of χ²(36) at α = 0.001
// is 67.985. The seeds are fixed, so the test is deterministic: it passes or fails the
// same way every run, and a biased sampler (e.g. one that favours file order, small keys
// or ignores part of the ticket) fails it by a wide margin.
func TestInclusionFrequency(t *testing.T) {
	const seeds = 2000
	const critical = 67.985 // χ²(36), α = 0.001
	units := frame(map[string]int{"A": 20, "B": 10, "C": 6, "D": 4})
	strata := []risk.Stratum{
		{Class: "A", N: 20, Ratio: "10", Count: 2},
		{Class: "B", N: 10, Ratio: "30", Count: 3},
		{Class: "C", N: 6, Ratio: "50", Count: 3},
		{Class: "D", N: 4, Ratio: "75", Count: 3},
	}
	counts := map[string]int{}
	for i := range seeds {
		seed := fmt.Sprintf("%020d", 31415926535+int64(i)*7919)
		res, err := Draw(Spec{Seed: seed, TaskKey: "CZ2026-292", Round: 1, Strata: strata}, units)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Selected {
			counts[p.Key]++
		}
	}
	// Exact arithmetic for the statistic, converted to a float only for the comparison.
	stat := new(big.Rat)
	for _, s := range strata {
		S, N, n := int64(seeds), int64(s.N), int64(s.Count)
		// (c − S·n/N)² · (N−1) / den, with den = S·p·(1−p)·N = S·n·(N−n)/N.
		den := big.NewRat(S*n*(N-n), N)
		for _, u := range units {
			if u.Class != s.Class {
				continue
			}
			d := new(big.Rat).Sub(big.NewRat(int64(counts[u.Key]), 1), big.NewRat(S*n, N))
			d.Mul(d, d)
			d.Mul(d, big.NewRat(N-1, 1))
			d.Quo(d, den)
			stat.Add(stat, d)
		}
	}
	x, _ := stat.Float64()
	t.Logf("χ² = %.2f with 36 degrees of freedom (critical %.3f at α = 0.001)", x, critical)
	if x > critical {
		t.Fatalf("inclusion frequencies deviate from n_h/N_h: χ² = %.2f > %.3f", x, critical)
	}
}
