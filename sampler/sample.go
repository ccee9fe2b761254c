package sampler

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	gohash "hash"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/choucha/choucha/risk"
)

// Ticket is lowercase hex SHA-256 of "CHOUCHA-SAMPLE-v1|<seed>|<task key>|<round>|<firm key>".
func Ticket(seed, taskKey string, round int, firmKey string) string {
	return hash(SampleSpec + "|" + seed + "|" + taskKey + "|" + strconv.Itoa(round) + "|" + firmKey)
}

// ticketer computes the tickets of one draw without an allocation per firm: the message
// prefix is built once, and the raw digest is kept. Comparing digests bytewise orders
// exactly as comparing their lowercase hex strings does.
//
// Keys in frame order share their first bytes with the key before them, a thousand and more
// at a time (a district's codes). SHA-256 compresses the message in 64-byte blocks, and the
// first block holds the message up to the key and the key's first bytes (12 with a 20-digit
// seed and task 292): for a key whose first bytes are those of the key before, the hash's
// state after that block is resumed (crypto/sha256's own state, MarshalBinary and
// UnmarshalBinary) and only the rest compressed. The digest is the same SHA-256 of the same
// bytes; a ticket costs 0.7× the time (105 against 152 ns). Keys out of order cost a state
// saved a key (the sampler's other hashing, of the drawn firms, uses rawTicket).
type ticketer struct {
	buf []byte // the message up to the key
	// cut is how many key bytes complete the first block (0 when the message alone does);
	// state is the hash's state after the message and head, the first cut bytes of a key.
	cut   int
	head  string
	saved bool
	state []byte
	h     gohash.Hash
	save  encoding.BinaryAppender    // h's; nil (no resuming) should it not save its state
	load  encoding.BinaryUnmarshaler // h's
	sum   []byte
	tail  []byte
}

func newTicketer(seed, taskKey string, round int) *ticketer {
	t := &ticketer{buf: []byte(SampleSpec + "|" + seed + "|" + taskKey + "|" + strconv.Itoa(round) + "|"), h: sha256.New()}
	t.cut = max(0, sha256.BlockSize-len(t.buf))
	save, ok1 := t.h.(encoding.BinaryAppender)
	load, ok2 := t.h.(encoding.BinaryUnmarshaler)
	if ok1 && ok2 {
		t.save, t.load = save, load
	}
	return t
}

func (t *ticketer) digest(firmKey string) [sha256.Size]byte {
	if t.save != nil && len(firmKey) >= t.cut && t.resume(firmKey[:t.cut]) {
		t.tail = append(t.tail[:0], firmKey[t.cut:]...)
		t.h.Write(t.tail)
		t.sum = t.h.Sum(t.sum[:0])
		return [sha256.Size]byte(t.sum)
	}
	n := len(t.buf)
	t.buf = append(t.buf, firmKey...)
	d := sha256.Sum256(t.buf)
	t.buf = t.buf[:n]
	return d
}

// resume sets the hash to its state after the message and head: the state saved for head, or
// one made and saved now. false (the whole message is then hashed) should the hash not save
// or restore its state.
func (t *ticketer) resume(head string) bool {
	if t.saved && head == t.head {
		return t.load.UnmarshalBinary(t.state) == nil
	}
	t.h.Reset()
	t.h.Write(t.buf)
	t.tail = append(t.tail[:0], head...)
	t.h.Write(t.tail)
	state, err := t.save.AppendBinary(t.state[:0])
	if err != nil {
		t.saved = false
		return false
	}
	t.state, t.head, t.saved = state, head, true
	return true
}

// prefix is the digest's first 8 bytes, big-endian.
func (t *ticketer) prefix(firmKey string) uint64 {
	d := t.digest(firmKey)
	return binary.BigEndian.Uint64(d[:8])
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Spec is everything a draw depends on besides the frame.
type Spec struct {
	Seed     string
	TaskKey  string
	Round    int
	Strata   []risk.Stratum  // from risk.Strata
	MinCount int             // 不低于m户; 0 when none
	Reserves int             // reserves per stratum
	Earlier  map[string]bool // keys drawn in earlier rounds of this task and year
	AllIn    bool            // ratio is 100%: earlier rounds are not excluded
}

// StratumResult is a stratum with the number of firms excluded as drawn in earlier rounds.
type StratumResult struct {
	risk.Stratum
	// Excluded counts the stratum's firms left out of the candidates as drawn in an
	// earlier round (0 when AllIn). They still count in N.
	Excluded int
	// Added counts the stratum's firms added to reach the minimum count (不低于m户);
	// they are not part of Count.
	Added int
}

// Result of a draw. Selected is ordered by stratum (A, B, C, D or ALL) then rank, with
// minimum-count additions after; Reserves by stratum then rank.
type Result struct {
	Strata   []StratumResult
	Selected []Pick
	Reserves []Pick
	// Settled counts the strata a Known settled (DrawKnown), whose units were not all hashed:
	// how the draw was computed, never part of it.
	Settled int
}

// entry is one firm of a stratum with the first 8 bytes of its ticket. It holds the firm's
// index in the units, not a copy of the unit, and no pointers: a million-firm frame costs 24
// bytes a firm and the collector never scans the slab.
type entry struct {
	prefix  uint64 // the ticket's first 8 bytes, big-endian: comparing them orders as the tickets do
	unit    int32  // index in units
	rank    int32
	taken   bool // selected (by ratio, shortfall or minimum count)
	excl    bool // drawn in an earlier round (and not AllIn)
	stratum int8 // index in Spec.Strata
}

// order compares the entries of one draw: by ticket, then key. An entry keeps only its
// ticket's first 8 bytes; the whole ticket is hashed again only where two entries tie on
// them (for distinct keys about once in 2^64/n² draws of n firms) and for the picks and
// reserves, whose tickets are published. The order is exactly that of comparing whole
// tickets.
type order struct {
	units Units
	msg   string // the ticket message up to the firm key (newTicketer)
}

func newOrder(spec Spec, units Units) order {
	return order{units: units, msg: string(newTicketer(spec.Seed, spec.TaskKey, spec.Round).buf)}
}

// ticket is the entry's whole ticket, raw.
func (o order) ticket(e *entry) [sha256.Size]byte {
	return rawTicket(o.msg, o.units.Unit(int(e.unit)).Key)
}

// rawTicket is the ticket of key, raw, given msg: newTicketer's message up to the key.
func rawTicket(msg, key string) [sha256.Size]byte {
	var buf [256]byte // on the stack for any key up to the spec's length
	return sha256.Sum256(append(append(buf[:0], msg...), key...))
}

func (o order) cmp(a, b *entry) int {
	switch {
	case a.prefix < b.prefix:
		return -1
	case a.prefix > b.prefix:
		return 1
	}
	ta, tb := o.ticket(a), o.ticket(b)
	if c := bytes.Compare(ta[:], tb[:]); c != 0 {
		return c
	}
	return strings.Compare(o.units.Unit(int(a.unit)).Key, o.units.Unit(int(b.unit)).Key)
}

// sortItem is what a stratum is sorted by: the ticket's first 8 bytes, big-endian (so
// comparing them orders as the tickets do), and the entry.
type sortItem struct {
	prefix uint64
	idx    int32
}

// sortStratum orders a stratum's entries (indexes into slab) by ticket, then key, as far as
// the draw needs them: m[:head] are the first head entries of the stratum in that order,
// head ≥ need, and m[head:] the rest in no order. need is what the draw reads of the
// stratum (its count, its reserves and the earlier rounds' firms among them); need ≥ len(m)
// sorts it whole.
//
// Tickets are uniform, so the need lowest of n fall below about need/n of the ticket space:
// the entries whose prefix is below a limit a little above that (need×9/8+64 of n) are
// sorted, the others only moved behind them. Every entry below the limit orders before
// every entry at or above it (prefixes compare as tickets do), so the head is exactly the
// start of the whole order. When fewer than need fall below the limit, the stratum is
// sorted whole: either way the draw is the same.
func sortStratum(o order, slab []entry, m []int32, need int) (head int) {
	if want := need + need/8 + 64; partialSort && need < len(m)/4 && want < len(m) {
		limit, _ := bits.Div64(uint64(want), 0, uint64(len(m))) // want/n of 2^64
		items := make([]sortItem, 0, want+want/4)
		for _, e := range m {
			if p := slab[e].prefix; p < limit {
				items = append(items, sortItem{p, e})
			}
		}
		if len(items) >= need {
			return sortBelow(o, slab, m, items, limit)
		}
	}
	items := make([]sortItem, len(m))
	for i, e := range m {
		items[i] = sortItem{slab[e].prefix, e}
	}
	sortItems(o, slab, items)
	for i := range items {
		m[i] = items[i].idx
	}
	return len(m)
}

// sortBelow puts items — the entries of m whose prefix is below limit — first in m, sorted,
// and the others behind them in no order; it returns how many were sorted.
func sortBelow(o order, slab []entry, m []int32, items []sortItem, limit uint64) (head int) {
	sortItems(o, slab, items)
	w := len(m) - 1 // the rest moved to the end, walking back (w never passes k)
	for k := len(m) - 1; k >= 0; k-- {
		if e := m[k]; slab[e].prefix >= limit {
			m[w] = e
			w--
		}
	}
	for i := range items {
		m[i] = items[i].idx
	}
	return len(items)
}

// sortSettled is sortStratum for a stratum settled by a Known (settle): its entries below
// limit, at least need of them, are the start of its order.
func sortSettled(o order, slab []entry, m []int32, limit uint64) (head int) {
	var items []sortItem
	for _, e := range m {
		if p := slab[e].prefix; p < limit {
			items = append(items, sortItem{p, e})
		}
	}
	return sortBelow(o, slab, m, items, limit)
}

// partialSort is false only in tests, to draw with every stratum sorted whole.
var partialSort = true

func sortItems(o order, slab []entry, items []sortItem) {
	slices.SortFunc(items, func(a, b sortItem) int {
		switch {
		case a.prefix < b.prefix:
			return -1
		case a.prefix > b.prefix:
			return 1
		}
		return o.cmp(&slab[a.idx], &slab[b.idx])
	})
}

// sortStrata orders every stratum (sortStratum, need[i] of stratum i; sortSettled for a
// stratum settled below settled[i] > 0, when settled is not nil), the large ones at the same
// time on all cores; each stratum's order is its own, so the result does not depend on the
// split. It returns each stratum's sorted head.
func sortStrata(o order, slab []entry, members [][]int32, need []int, settled []uint64) []int {
	heads := make([]int, len(members))
	sortOne := func(i int) {
		if settled != nil && settled[i] > 0 {
			heads[i] = sortSettled(o, slab, members[i], settled[i])
		} else {
			heads[i] = sortStratum(o, slab, members[i], need[i])
		}
	}
	// Largest first, each to the next free worker.
	order := make([]int, len(members))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(members[b]) - len(members[a]) })
	onCores(len(order), o.units.Len() >= parallelMin, func(k int) { sortOne(order[k]) })
	return heads
}

// onCores runs work(0) … work(n-1), each once: on up to all cores (at most 8), each worker
// taking the next index, when parallel; else one after the other on this goroutine.
func onCores(n int, parallel bool, work func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), 8, n)
	if !parallel || workers < 2 {
		for i := range n {
			work(i)
		}
		return
	}
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				work(i)
			}
		})
	}
	wg.Wait()
}

// parallelMin is the frame size from which tickets are hashed on all cores.
const parallelMin = 1 << 14

// refusal is why a unit cannot be drawn: at is its index.
type refusal struct {
	at  int
	err error
}

// prepareUnits checks every unit as the draw needs it (a drawable key, a class A–D with a
// stratum), and fills its entry in slab: its index, its stratum (index of spec.Strata),
// whether it is excluded, its ticket's first 8 bytes (unknownPrefix when not hash: a Known
// settles them). A large frame is split across the cores; the result does not depend on the
// split, and the refusal returned is that of the first unit refused, as one pass in frame
// order would find it (nil when none is). sorted reports whether the keys up to the first
// refused unit (all of them when none is) increase strictly: then none of them repeats (a
// frame in key order, as roster gives it), and no map is needed to find duplicates.
func prepareUnits(spec Spec, units Units, index map[string]int, all, hash bool, slab []entry) (r *refusal, sorted bool) {
	n := units.Len()
	// The stratum of each class letter, looked up by its byte rather than in index: at 1M
	// units the map was a quarter of this pass.
	var stratumOf [4]int8
	for c := range stratumOf {
		h := risk.StratumAll
		if !all {
			h = risk.Classes[c]
		}
		stratumOf[c] = -1
		if i, ok := index[h]; ok {
			stratumOf[c] = int8(i)
		}
	}
	type part struct {
		r      *refusal
		sorted bool
	}
	prepare := func(lo, hi int) part {
		tk := newTicketer(spec.Seed, spec.TaskKey, spec.Round)
		sorted, prev := true, ""
		if lo > 0 {
			prev = units.Unit(lo - 1).Key // the previous chunk's last key: order across the cut
		}
		for k := lo; k < hi; k++ {
			u := units.Unit(k)
			if err := checkKey("企业标识", u.Key); err != nil {
				return part{&refusal{k, err}, sorted}
			}
			if sorted && k > 0 && prev >= u.Key {
				sorted = false
			}
			prev = u.Key
			if !isClass(u.Class) {
				return part{&refusal{k, fmt.Errorf("企业 %s 的信用风险分类 %q 无效（应为 A、B、C、D）", u.Key, u.Class)}, sorted}
			}
			i := stratumOf[u.Class[0]-'A']
			if i < 0 {
				return part{&refusal{k, fmt.Errorf("抽样框中有 %s 类企业（如 %s），但分层中没有 %s 层", u.Class, u.Key, u.Class)}, sorted}
			}
			p := uint64(unknownPrefix)
			if hash {
				p = tk.prefix(u.Key)
			}
			slab[k] = entry{prefix: p, unit: int32(k), stratum: i, excl: !spec.AllIn && len(spec.Earlier) > 0 && spec.Earlier[u.Key]}
		}
		return part{nil, sorted}
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	if n < parallelMin || workers < 2 {
		p := prepare(0, n)
		return p.r, p.sorted
	}
	chunk := (n + workers - 1) / workers
	parts := make([]part, (n+chunk-1)/chunk)
	var wg sync.WaitGroup
	for w := range parts {
		wg.Go(func() { parts[w] = prepare(w*chunk, min((w+1)*chunk, n)) })
	}
	wg.Wait()
	sorted = true
	for _, p := range parts { // chunks in frame order: the first refusal is the first unit's
		sorted = sorted && p.sorted
		if p.r != nil {
			return p.r, sorted
		}
	}
	return nil, sorted
}

// firstDuplicate returns the refusal of the first unit, up to and including the refused one
// (r; nil for none), whose key an earlier unit already has — or r. (A refused key cannot repeat
// an earlier one: that one would have been refused first.)
func firstDuplicate(units Units, r *refusal) *refusal {
	end := units.Len()
	if r != nil {
		end = r.at + 1
	}
	seen := make(map[string]bool, end)
	for k := range end {
		key := units.Unit(k).Key
		if seen[key] {
			return &refusal{k, fmt.Errorf("抽样框中企业 %s 重复出现", key)}
		}
		seen[key] = true
	}
	return r
}

// Draw runs CHOUCHA-SAMPLE-v1 over the frame's units.
//
// It refuses (with an error, never a panic) an empty frame, a unit with an empty or
// duplicate key or a class other than A–D, strata that do not match the units (a class
// without a stratum, a stratum whose N differs from its units, a stratum given twice, ALL
// together with classes, n outside 0…N), a malformed seed, task key or round.
func Draw(spec Spec, units []Unit) (Result, error) {
	return DrawUnits(spec, unitSlice(units))
}

// Units is a frame as Draw reads it: Len firms, the i-th being Unit(i). A caller holding its
// frame in another form passes it as it is (DrawUnits) instead of copying it into []Unit.
// Unit is called from several goroutines at once.
type Units interface {
	Len() int
	Unit(i int) Unit
}

type unitSlice []Unit

func (u unitSlice) Len() int        { return len(u) }
func (u unitSlice) Unit(i int) Unit { return u[i] }

// DrawUnits is Draw over a frame given as Units.
func DrawUnits(spec Spec, units Units) (Result, error) {
	return drawUnits(spec, units, nil)
}

// DrawKnown is DrawUnits with the ticket prefixes a Lookahead computed while the frame was
// read (Known): the same draw, with fewer tickets hashed. A known of another seed, task or
// round is not used.
func DrawKnown(spec Spec, units Units, known *Known) (Result, error) {
	return drawUnits(spec, units, known)
}

func drawUnits(spec Spec, units Units, known *Known) (Result, error) {
	if err := checkInputs(spec.Seed, spec.TaskKey, spec.Round); err != nil {
		return Result{}, err
	}
	n := units.Len()
	if n == 0 {
		return Result{}, fmt.Errorf("抽样框为空：没有可抽取的检查对象")
	}
	if spec.MinCount < 0 || spec.Reserves < 0 {
		return Result{}, fmt.Errorf("最低户数 %d 或备选户数 %d 不能为负数", spec.MinCount, spec.Reserves)
	}
	if len(spec.Strata) == 0 {
		return Result{}, fmt.Errorf("没有分层，无法抽取")
	}

	// Strata: either exactly one ALL, or distinct classes A–D.
	index := map[string]int{}
	for i, s := range spec.Strata {
		if s.Class != risk.StratumAll && !isClass(s.Class) {
			return Result{}, fmt.Errorf("分层 %q 无效（应为 A、B、C、D 或 ALL）", s.Class)
		}
		if _, dup := index[s.Class]; dup {
			return Result{}, fmt.Errorf("分层 %s 重复", s.Class)
		}
		index[s.Class] = i
	}
	_, all := index[risk.StratumAll]
	if all && len(spec.Strata) != 1 {
		return Result{}, fmt.Errorf("分层 ALL 不能与按信用风险分类的分层同时使用")
	}

	o := newOrder(spec, units)
	if known != nil && (known.msg != o.msg || !partialSort || spec.MinCount > 0) {
		known = nil // another draw's tickets; or every stratum is sorted whole
	}
	slab := make([]entry, n) // one allocation for all entries
	refused, sorted := prepareUnits(spec, units, index, all, known == nil, slab)
	if !sorted {
		// Keys in key order cannot repeat; others are checked, in frame order.
		refused = firstDuplicate(units, refused)
	}
	if refused != nil {
		return Result{}, refused.err
	}
	members := make([][]int32, len(spec.Strata))
	for i, s := range spec.Strata {
		members[i] = make([]int32, 0, min(max(s.N, 0), n)) // N is checked below; here only a size hint
	}
	for k := range slab {
		i := slab[k].stratum
		members[i] = append(members[i], int32(k))
	}

	res := Result{Strata: make([]StratumResult, len(spec.Strata)), Selected: []Pick{}, Reserves: []Pick{}}
	pick := func(s risk.Stratum, e *entry, repeat bool) Pick {
		e.taken = true
		u := units.Unit(int(e.unit))
		return Pick{Key: u.Key, Class: u.Class, Rank: int(e.rank), Repeat: repeat, Stratum: s.Class, Unit: int(e.unit)} // Ticket: below
	}
	for i, s := range spec.Strata {
		if s.N != len(members[i]) {
			return Result{}, fmt.Errorf("分层 %s 的企业数 N=%d 与抽样框中的 %d 户不符", s.Class, s.N, len(members[i]))
		}
		if s.Count < 0 || s.Count > s.N {
			return Result{}, fmt.Errorf("分层 %s 的抽取户数 n=%d 应在 0 到 N=%d 之间", s.Class, s.Count, s.N)
		}
	}
	// What the draw reads of each stratum: its count, its reserves and its earlier rounds'
	// firms (all of it when a minimum count may add firms of any rank).
	need := make([]int, len(members))
	excluded := make([]int, len(members))
	for i, m := range members {
		for _, k := range m {
			if slab[k].excl {
				excluded[i]++
			}
		}
		need[i] = spec.Strata[i].Count + spec.Reserves + excluded[i]
		if spec.MinCount > 0 {
			need[i] = len(m)
		}
	}
	var settled []uint64
	if known != nil {
		var err error
		if settled, err = settle(o, known, spec, slab, members, need); err != nil {
			return Result{}, err
		}
	}
	for _, lim := range settled {
		if lim > 0 {
			res.Settled++
		}
	}
	heads := sortStrata(o, slab, members, need, settled)
	total := 0
	for _, s := range spec.Strata {
		total += max(s.Count, 0)
	}
	res.Selected = make([]Pick, 0, min(total, n)) // each unit is picked at most once
	for i, s := range spec.Strata {
		// Only the sorted head has ranks; it holds every pick and reserve (and, when a
		// stratum falls short, is the whole stratum).
		m := members[i][:heads[i]]
		r := StratumResult{Stratum: s, Excluded: excluded[i]}
		cands, excl := make([]*entry, 0, min(max(s.Count, 0), len(m))), []*entry(nil)
		for j, k := range m {
			e := &slab[k]
			e.rank = int32(j + 1)
			if e.excl {
				excl = append(excl, e)
			} else if len(cands) < s.Count {
				cands = append(cands, e)
			}
		}
		picks := make([]Pick, 0, min(max(s.Count, 0), len(m)))
		for j := 0; j < s.Count && j < len(cands); j++ {
			picks = append(picks, pick(s, cands[j], false))
		}
		for j := 0; j < s.Count-len(cands); j++ { // shortfall: repeat earlier rounds' firms
			picks = append(picks, pick(s, excl[j], true))
		}
		sort.Slice(picks, func(a, b int) bool { return picks[a].Rank < picks[b].Rank })
		res.Selected = append(res.Selected, picks...)
		res.Strata[i] = r
	}

	// Minimum count: while the total is below min(m, N), add the unselected firms of all
	// strata in ascending ticket order — candidates first, then earlier rounds' firms as repeats.
	if target := min(spec.MinCount, n); len(res.Selected) < target {
		var rest, restExcl []*entry
		owner := map[*entry]int{}
		for i, m := range members {
			for _, k := range m {
				e := &slab[k]
				owner[e] = i
				switch {
				case e.taken:
				case e.excl:
					restExcl = append(restExcl, e)
				default:
					rest = append(rest, e)
				}
			}
		}
		less := o.cmp
		slices.SortFunc(rest, less)
		slices.SortFunc(restExcl, less)
		for _, e := range append(rest, restExcl...) {
			if len(res.Selected) >= target {
				break
			}
			i := owner[e]
			res.Selected = append(res.Selected, pick(spec.Strata[i], e, e.excl))
			res.Strata[i].Added++
		}
	}

	// Reserves: the next unselected candidates of each stratum in ticket order.
	for i, s := range spec.Strata {
		k := 0
		for _, idx := range members[i][:heads[i]] {
			if k >= spec.Reserves {
				break
			}
			e := &slab[idx]
			if e.taken || e.excl {
				continue
			}
			u := units.Unit(int(e.unit))
			res.Reserves = append(res.Reserves, Pick{Key: u.Key, Class: u.Class, Rank: int(e.rank), Stratum: s.Class, Unit: int(e.unit)})
			k++
		}
	}
	// The published tickets, whole, of the picks and reserves (41,000 at 1M rows) on all cores.
	fillTickets(o.msg, res.Selected)
	fillTickets(o.msg, res.Reserves)
	return res, nil
}

// fillTickets sets the Ticket of every pick, in hex as Ticket gives it (rawTicket).
func fillTickets(msg string, picks []Pick) {
	fill := func(part []Pick) {
		for i := range part {
			t := rawTicket(msg, part[i].Key)
			part[i].Ticket = hex.EncodeToString(t[:])
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	if len(picks) < parallelMin/4 || workers < 2 {
		fill(picks)
		return
	}
	chunk := (len(picks) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(picks); lo += chunk {
		part := picks[lo:min(lo+chunk, len(picks))]
		wg.Go(func() { fill(part) })
	}
	wg.Wait()
}

func isClass(c string) bool {
	for _, k := range risk.Classes {
		if c == k {
			return true
		}
	}
	return false
}
