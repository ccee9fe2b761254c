package roster

import "sync"

// prefetcher asks Options.Prefetch about the eligible rows on a goroutine of its own, a batch
// of rows at a time, while the rows goroutine reads on: for a draw's lookahead that is a
// SHA-256 per row (0.1 s of the 1M-row xlsx read when it ran on the rows goroutine). The rows
// goroutine keeps each batch's rows — their cells are strings, never written again, so only
// the slice headers are copied; the same goroutine makes the records of the rows Prefetch
// chose (firmScan.firm reads nothing but the header, which is fixed before the first data
// row), and the rows goroutine files them when the batch comes back, in the order read. The
// records, tags and rows kept are those of asking Prefetch row by row.
type prefetcher struct {
	s          *firmScan
	cur        *prefetchBatch
	todo, done chan *prefetchBatch
	free       []*prefetchBatch
	inflight   int
	stopped    bool
	wg         sync.WaitGroup
}

// prefetchBatch is up to prefetchRows eligible rows and, once asked, Prefetch's answers.
type prefetchBatch struct {
	rows  []pendingRow
	cells []string // the rows' cells back to back
	keep  []bool
	firms []keptFirm // the records of the rows kept, with their tags, in row order
}

// pendingRow is an eligible row waiting for Prefetch's answer: what firmScan.firm needs.
type pendingRow struct {
	key, name, class   string
	nameless, uncl     bool
	cand               int // its index in firmScan.cands
	rowNum, from, upto int // the row's number; its cells are cells[from:upto] of its batch
}

const (
	prefetchRows = 1024 // rows per batch
	prefetchRing = 3    // batches in flight at most
)

func newPrefetcher(s *firmScan) *prefetcher {
	p := &prefetcher{s: s, todo: make(chan *prefetchBatch, prefetchRing), done: make(chan *prefetchBatch, prefetchRing)}
	ask := s.opt.Prefetch
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for b := range p.todo {
			b.keep, b.firms = b.keep[:0], b.firms[:0]
			for i := range b.rows {
				r := &b.rows[i]
				keep, tag := ask(r.key, r.class)
				b.keep = append(b.keep, keep)
				if keep {
					b.firms = append(b.firms, packFirm(s.firm(r.rowNum, r.key, r.name, r.class, b.cells[r.from:r.upto], r.nameless, r.uncl), tag))
				}
			}
			p.done <- b
		}
	}()
	return p
}

// add queues an eligible row, cands[cand] (firmScan.data, in row order).
func (p *prefetcher) add(cand, row int, key, name, class string, cells []string, nameless, uncl bool) {
	if p.cur == nil {
		p.cur = p.batch()
	}
	b := p.cur
	from := len(b.cells)
	b.cells = append(b.cells, cells...)
	b.rows = append(b.rows, pendingRow{key: key, name: name, class: class, nameless: nameless, uncl: uncl, cand: cand, rowNum: row, from: from, upto: len(b.cells)})
	if len(b.rows) == prefetchRows {
		p.send()
	}
}

// batch is an empty batch: a free one, or the oldest in flight once prefetchRing are, its
// answers used first.
func (p *prefetcher) batch() *prefetchBatch {
	if p.inflight >= prefetchRing {
		p.use(<-p.done)
	}
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		return b
	}
	return &prefetchBatch{rows: make([]pendingRow, 0, prefetchRows)}
}

func (p *prefetcher) send() {
	p.todo <- p.cur
	p.cur = nil
	p.inflight++
}

// use files the records of an answered batch's rows that Prefetch chose.
func (p *prefetcher) use(b *prefetchBatch) {
	p.inflight--
	s := p.s
	k := 0
	for i := range b.rows {
		if !b.keep[i] {
			continue
		}
		if s.kept == nil {
			s.kept = map[int32]keptFirm{}
		}
		s.kept[int32(b.rows[i].rowNum)] = b.firms[k]
		s.cands[b.rows[i].cand].kept = true
		k++
	}
	clear(b.cells) // the strings are not kept alive by a free batch
	clear(b.firms)
	b.rows, b.cells, b.firms = b.rows[:0], b.cells[:0], b.firms[:0]
	p.free = append(p.free, b)
}

// flush waits for every row's answer and makes the records; the prefetcher is done.
func (p *prefetcher) flush() {
	if p.stopped {
		return
	}
	if p.cur != nil && len(p.cur.rows) > 0 {
		p.send()
	}
	for p.inflight > 0 {
		p.use(<-p.done)
	}
	p.stop()
}

// stop ends the goroutine without using what is in flight (a read that failed, or a scan
// begun again). It never waits on an answer nobody takes: done holds prefetchRing batches,
// and no more are ever in flight.
func (p *prefetcher) stop() {
	if p.stopped {
		return
	}
	p.stopped = true
	close(p.todo)
	p.wg.Wait()
}
