package xlsxstream

import "sync"

// Scanning a sheet and using its rows overlap: Book.Scan runs the scanner (fastSheet.next)
// on a goroutine of its own, which hands the rows over in batches, while the caller's
// function (a roster's checks) runs on the caller's goroutine, in row order, as before. With
// the inflater on a third goroutine the reading of a large sheet uses both cores. The cells
// of a row are strings that are never written again (shared strings, or one string per
// row), so they may cross goroutines; the batch only holds their headers.

const (
	batchRows  = 256  // rows per batch
	batchCells = 8192 // cells per batch, at most (past it the batch is handed over early)
	batchRing  = 4    // batches in flight
)

// rowBatch is consecutive rows of a sheet: row numbers and their cells back to back.
type rowBatch struct {
	rows  []int
	ends  []int // end of each row's cells in cells
	cells []string
	// dimFrom is the index of the first row read once the sheet's dimension (dim) was known,
	// -1 if none: the size callback runs before that row, as it did without batches.
	dimFrom int
	dim     string
	endDim  string // on the last batch: the dimension at the end of the sheet
	last    bool   // no batch follows
	err     error  // on the last batch: why the scan stopped, nil at the end of the sheet
}

func (b *rowBatch) row(i int) []string {
	from := 0
	if i > 0 {
		from = b.ends[i-1]
	}
	return b.cells[from:b.ends[i]:b.ends[i]]
}

// rowSource is the scanning goroutine of one Book.Scan.
type rowSource struct {
	full, free chan *rowBatch
	quit       chan struct{}
	wg         sync.WaitGroup
	once       sync.Once
	dimension  string // the sheet's dimension, for messages; set before the last batch is sent
}

// startRows scans fs on a new goroutine. rowErr turns an error of fs.next at a row into the
// error the caller returns; rest reads the part after the last row (n: the last row number).
func startRows(fs *fastSheet, rowErr func(row int, err error) error, rest func(n int) error) *rowSource {
	src := &rowSource{full: make(chan *rowBatch, batchRing), free: make(chan *rowBatch, batchRing), quit: make(chan struct{})}
	for range batchRing {
		src.free <- &rowBatch{}
	}
	src.wg.Add(1)
	go src.run(fs, rowErr, rest)
	return src
}

func (src *rowSource) run(fs *fastSheet, rowErr func(int, error) error, rest func(int) error) {
	defer src.wg.Done()
	n := 0
	for {
		var b *rowBatch
		select {
		case b = <-src.free:
		case <-src.quit:
			return
		}
		b.rows, b.ends, b.cells, b.dimFrom, b.dim, b.endDim = b.rows[:0], b.ends[:0], b.cells[:0], -1, "", ""
		for len(b.rows) < batchRows && len(b.cells) < batchCells {
			row, cells, ok, err := fs.next()
			if err != nil {
				b.last, b.err = true, rowErr(row, err)
				break
			}
			if !ok {
				b.last, b.err = true, rest(n)
				break
			}
			if b.dimFrom < 0 && fs.dimension != "" {
				b.dimFrom, b.dim = len(b.rows), fs.dimension
			}
			n = row
			b.rows = append(b.rows, row)
			b.cells = append(b.cells, cells...)
			b.ends = append(b.ends, len(b.cells))
		}
		if b.last {
			b.endDim = fs.dimension
			src.dimension = fs.dimension
		}
		select {
		case src.full <- b:
		case <-src.quit:
			return
		}
		if b.last {
			return
		}
	}
}

// next waits for the next batch; after one marked last it must not be called again.
func (src *rowSource) next() *rowBatch { return <-src.full }

// done gives a used batch back to the scanner.
func (src *rowSource) done(b *rowBatch) { src.free <- b }

// stop ends the scanning goroutine and waits for it, so the part may be closed after it.
func (src *rowSource) stop() {
	src.once.Do(func() { close(src.quit) })
	src.wg.Wait()
}
