package sampler

import (
	"math"
	"math/big"
	"strconv"
)

// Lookahead tells, while a roster is still being read and before the frame is complete,
// which firms a draw is likely to pick: those whose ticket falls in the lowest part of the
// ticket space for their class. A reader keeps the whole record of such a row, so that the
// rows a draw picks need not be read a second time. It is only a guess and never decides
// anything: a picked firm whose record was not kept is read again as before, so the draw and
// its outputs are the same with or without it.
type Lookahead struct {
	prefix string
	limit  map[string]uint64 // class → the first 8 bytes of a ticket below which the row is kept
}

// NewLookahead makes the lookahead of one draw: fraction gives, per class, the share of the
// ticket space to keep (1 or more keeps every firm of the class; a class not given keeps
// none).
func NewLookahead(seed, taskKey string, round int, fraction map[string]*big.Rat) *Lookahead {
	l := &Lookahead{prefix: SampleSpec + "|" + seed + "|" + taskKey + "|" + strconv.Itoa(round) + "|", limit: map[string]uint64{}}
	space := new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 64))
	for class, f := range fraction {
		if f.Sign() <= 0 {
			continue
		}
		lim := new(big.Rat).Mul(f, space)
		if lim.Cmp(space) >= 0 {
			l.limit[class] = math.MaxUint64
			continue
		}
		l.limit[class] = new(big.Int).Quo(lim.Num(), lim.Denom()).Uint64()
	}
	return l
}

// Likely reports whether the firm's ticket falls below its class's limit. It is safe for
// concurrent use.
func (l *Lookahead) Likely(key, class string) bool {
	keep, _ := l.Prefix(key, class)
	return keep
}

// Prefix is Likely, and when the firm is kept the first 8 bytes of its ticket, big-endian
// (what a draw orders by: Known hands them to it). It hashes the key unless the class keeps
// no firm. It is safe for concurrent use.
func (l *Lookahead) Prefix(key, class string) (keep bool, prefix uint64) {
	lim, ok := l.limit[class]
	if !ok {
		return false, 0
	}
	p := rawPrefix(l.prefix, key)
	if lim == math.MaxUint64 || p < lim {
		return true, p
	}
	return false, 0
}
