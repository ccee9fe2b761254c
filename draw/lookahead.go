package draw

import (
	"math/big"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// lookahead is the guess, made before the roster is read, of which firms this draw will pick
// (sampler.Lookahead): the reader keeps those rows whole, so the drawn firms' names and
// columns need no second read of the file (for an xlsx roster a second full scan of the
// sheet). Per class it keeps the share r_h × 11/10 + 1/500 of the ticket space, where r_h is
// the stratum's ratio: the picked firms of a stratum of N_h are its n_h = ⌈N_h × r_h⌉
// lowest tickets, whose highest lies near r_h (within about √n_h / N_h: at 1M rows, 0.03–0.2
// points, against a margin of 0.5–1.2 points), plus the reserves. Each earlier round whose firms are excluded adds r_h again. Nothing depends on
// the guess being right: a picked firm outside it is read again from the file
// (roster.Frame.Lookup). The tickets it hashes are handed to the draw with the rows it kept
// (roster.Frame.Tags, sampler.Known), which then need not be hashed again. nil when the
// strata cannot be known before reading (the draw itself will then say why).
func lookahead(t plan.Task, pol risk.Policy, ratioOverride, seed string, round int, earlier int) *sampler.Lookahead {
	one := map[string]int{roster.ClassA: 1, roster.ClassB: 1, roster.ClassC: 1, roster.ClassD: 1}
	rounds := int64(1)
	if earlier > 0 {
		rounds = int64(max(round, 1))
	}
	fraction := map[string]*big.Rat{}
	// The roster's header decides later whether it has classes. Without a class column every
	// firm is class B (roster.Frame.NoClasses) and drawn as one stratum (StrataUnclassified):
	// that way's share is needed for class B only, and B takes the larger of the two. (Taking
	// it for every class kept, for task 292, 5.7% of the A firms instead of 3.5%.)
	for pass, strataOf := range []func(plan.Task, map[string]int, risk.Policy, string) ([]risk.Stratum, error){risk.Strata, risk.StrataUnclassified} {
		strata, err := strataOf(t, one, pol, ratioOverride)
		if err != nil {
			return nil
		}
		for _, s := range strata {
			r, ok := new(big.Rat).SetString(s.Ratio)
			if !ok {
				return nil
			}
			f := r.Mul(r, big.NewRat(11*rounds, 1000)) // r_h% × 11/10 per round
			f.Add(f, big.NewRat(1, 500))
			classes := []string{s.Class}
			switch {
			case pass == 1:
				classes = []string{roster.ClassB}
			case s.Class == risk.StratumAll:
				classes = []string{roster.ClassA, roster.ClassB, roster.ClassC, roster.ClassD}
			}
			for _, c := range classes {
				if old := fraction[c]; old == nil || f.Cmp(old) > 0 {
					fraction[c] = f
				}
			}
		}
	}
	return sampler.NewLookahead(seed, t.Key, round, fraction)
}
