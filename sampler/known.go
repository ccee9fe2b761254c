package sampler

import (
	"fmt"
	"math"
	"runtime"
	"sync"

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
	var present [4]bool // A–D (prepareUnits refused any other class)
	seen := 0
	for _, i := range m {
		if c := o.units.Unit(int(i)).Class; len(c) == 1 && c[0] >= 'A' && c[0] <= 'D' && !present[c[0]-'A'] {
			present[c[0]-'A'] = true
			if seen++; seen == len(present) {
				break
			}
		}
	}
	lim := uint64(math.MaxUint64)
	for j, c := range risk.Classes {
		if j < len(present) && present[j] {
			lim = min(lim, k.limit[c])
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
	var hashAll [][]int32
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
		} else {
			hashAll = append(hashAll, m)
		}
	}
	// The settled strata's known prefixes hashed again, a sample of their other units, and
	// every unit of the strata not settled: on all cores.
	type job struct {
		m     []int32
		lim   uint64 // 0: hash every unit of m
		check bool
	}
	var jobs []job
	for i, m := range members {
		if limits[i] > 0 {
			jobs = append(jobs, job{m: m, lim: limits[i], check: true})
		}
	}
	for _, m := range hashAll {
		jobs = append(jobs, job{m: m})
	}
	var split []job // jobs cut into chunks, so that one large stratum uses every core
	const chunk = 1 << 15
	for _, j := range jobs {
		for lo := 0; lo < len(j.m); lo += chunk {
			split = append(split, job{m: j.m[lo:min(lo+chunk, len(j.m))], lim: j.lim, check: j.check})
		}
	}
	errs := make([]error, len(split))
	work := func(w int) {
		j := split[w]
		for pos, k := range j.m {
			e := &slab[k]
			if !j.check {
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
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	if len(split) < 2 || workers < 2 {
		for w := range split {
			work(w)
		}
	} else {
		next := make(chan int, len(split))
		for w := range split {
			next <- w
		}
		close(next)
		var wg sync.WaitGroup
		for range min(workers, len(split)) {
			wg.Go(func() {
				for w := range next {
					work(w)
				}
			})
		}
		wg.Wait()
	}
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
	return uint64(t[0])<<56 | uint64(t[1])<<48 | uint64(t[2])<<40 | uint64(t[3])<<32 |
		uint64(t[4])<<24 | uint64(t[5])<<16 | uint64(t[6])<<8 | uint64(t[7])
}
