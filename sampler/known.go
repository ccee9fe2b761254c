package sampler

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/choucha/choucha/risk"
)

// Known is what a reader already computed of a draw's tickets while it read the frame
// (Lookahead.Prefix, on every firm of it): the first 8 bytes of the tickets of the units it
// kept, and the limits below which it kept every unit of a class. A draw given it (DrawKnown)
// hashes only the units of strata the known prefixes do not settle, instead of all of them
// again — at 1M firms, 0.2 s of CPU that the reader had already spent.
//
// It never changes a draw: a stratum is settled only when at least as many of its units as the
// draw reads of it (its count, reserves and earlier rounds' firms) are known to lie below the
// stratum's limit, and then those are exactly the first of its order (every unit below the
// limit is known, and orders before every unit at or above it). Every such prefix is hashed
// again and compared, and a sample of the other units is hashed to check that they lie at or
// above the limit: a Known that breaks its promise is an error, not another draw.
type Known struct {
	msg      string            // the ticket message up to the firm key (newTicketer): whose tickets these are
	limit    map[string]uint64 // per class (ClassA..ClassD): every unit of the class with a prefix below it is in units
	units    []int32           // indexes into the frame's units, increasing
	prefixes []uint64          // the ticket prefix of each of units
}

// Known returns the Known of a frame read with this lookahead: at[i] is the index in the
// frame's units of a unit that Prefix kept, prefixes[i] the prefix it returned for it, at
// increasing. The caller promises that every unit of the frame was passed to Prefix with
// the unit's key and class, so that every unit Prefix kept is in at.
func (l *Lookahead) Known(at []int32, prefixes []uint64) (*Known, error) {
	if len(at) != len(prefixes) {
		return nil, fmt.Errorf("已知票号 %d 个，位置 %d 个，不一致", len(prefixes), len(at))
	}
	for i := 1; i < len(at); i++ {
		if at[i] <= at[i-1] {
			return nil, fmt.Errorf("已知票号的位置未按升序排列（第 %d 个）", i+1)
		}
	}
	return &Known{msg: l.prefix, limit: l.limit, units: at, prefixes: prefixes}, nil
}

// stratumLimit is the limit below which every unit of stratum class is known: the class's,
// or for ALL the lowest of those of the classes among its members m (a roster without a class
// column has class B only); 0, nothing known, for a class the lookahead kept none of.
func (k *Known) stratumLimit(o order, class string, m []int32) uint64 {
	if class != risk.StratumAll {
		return k.limit[class]
	}
	lim := uint64(math.MaxUint64)
	var seen [4]bool // A–D: prepareUnits refused any other class
	n := 0
	for _, i := range m {
		if c := o.units.Unit(int(i)).Class; !seen[c[0]-'A'] {
			seen[c[0]-'A'] = true
			lim = min(lim, k.limit[c])
			if n++; n == len(seen) {
				break
			}
		}
	}
	return lim
}

// unknownPrefix marks, in the slab of a draw with a Known, a unit whose prefix was not
// computed: it sorts after every limit, which is all a settled stratum asks of it.
const unknownPrefix = math.MaxUint64

// spotCheckEvery is how often, among the members of a settled stratum in frame order, a unit
// not known is hashed to check that it does lie at or above the stratum's limit.
const spotCheckEvery = 509

// settle applies known to a draw whose slab was prepared without prefixes (every one
// unknownPrefix): it sets the known prefixes, and for each stratum decides whether the known
// ones settle it (limits[i] > 0: its head is its units below limits[i]) or its units must all
// be hashed, which it does. need is what the draw reads of each stratum (sortStratum).
func settle(o order, known *Known, spec Spec, slab []entry, members [][]int32, need []int) (limits []uint64, err error) {
	n := len(slab)
	for i, u := range known.units {
		if u < 0 || int(u) >= n {
			return nil, fmt.Errorf("已知票号的位置 %d 超出抽样框（%d 户）", u, n)
		}
		slab[u].prefix = known.prefixes[i]
	}
	limits = make([]uint64, len(members))
	for i, m := range members {
		lim := known.stratumLimit(o, spec.Strata[i].Class, m)
		below := 0
		if lim > 0 && need[i] < len(m) {
			for _, k := range m {
				if slab[k].prefix < lim {
					below++
				}
			}
		}
		if below > 0 && below >= need[i] {
			limits[i] = lim
		}
	}
	// A settled stratum's known prefixes are hashed again and a sample of its other units;
	// every unit of a stratum not settled (lim 0) is hashed. In chunks, so that one large
	// stratum uses every core.
	type job struct {
		m   []int32
		lim uint64
	}
	var jobs []job
	const chunk = 1 << 15
	for i, m := range members {
		for lo := 0; lo < len(m); lo += chunk {
			jobs = append(jobs, job{m: m[lo:min(lo+chunk, len(m))], lim: limits[i]})
		}
	}
	errs := make([]error, len(jobs))
	onCores(len(jobs), true, func(w int) {
		j := jobs[w]
		for pos, k := range j.m {
			e := &slab[k]
			if j.lim == 0 {
				e.prefix = rawPrefix(o.msg, o.units.Unit(int(e.unit)).Key)
				continue
			}
			switch {
			case e.prefix < j.lim:
				if p := rawPrefix(o.msg, o.units.Unit(int(e.unit)).Key); p != e.prefix {
					errs[w] = fmt.Errorf("内部错误：企业 %s 的预先计算的票号与重新计算的不符，请重新抽取并报告此问题", o.units.Unit(int(e.unit)).Key)
					return
				}
			case e.prefix == unknownPrefix && pos%spotCheckEvery == 0:
				if p := rawPrefix(o.msg, o.units.Unit(int(e.unit)).Key); p < j.lim {
					errs[w] = fmt.Errorf("内部错误：企业 %s 的票号低于预先计算的范围却未被记录，请重新抽取并报告此问题", o.units.Unit(int(e.unit)).Key)
					return
				}
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return limits, nil
}

// rawPrefix is the first 8 bytes of rawTicket, big-endian.
func rawPrefix(msg, key string) uint64 {
	t := rawTicket(msg, key)
	return binary.BigEndian.Uint64(t[:8])
}
