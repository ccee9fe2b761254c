// Package pflate writes one deflate stream on all cores, as pigz does for gzip. The input is
// cut into blocks of BlockSize bytes; each block is compressed on a goroutine of its own
// (klauspost flate, the 32 KiB before it as its dictionary, so that matches still reach back
// across the cut) and ends with a sync flush — a byte-aligned empty stored block — so that
// the blocks, written out in order, are one stream; the last block ends with the final one.
//
// The stream depends only on the bytes written and the level, not on how the writes were
// cut: the same workbook still gives the same file. It exists for the draw's workbook, whose
// list sheet (44 MB of XML at 41,000 firms) was compressed on one core at the end of a draw,
// while the other core had nothing left to do (bench/RESULTS.md, seventeenth round).
package pflate

import (
	"bytes"
	"errors"
	"io"
	"runtime"

	kflate "github.com/klauspost/compress/flate"
)

// BlockSize is the size of the blocks compressed in parallel: large enough that the sync
// flush after each (5 bytes) and the dictionary primed before each (32 KiB, about 3% more
// work) cost nothing measurable, small enough that a 10 MB part uses both cores.
const BlockSize = 1 << 20

// dictSize is deflate's window: the most a match can reach back.
const dictSize = 32 << 10

// Writer compresses what is written to it into w. It is not safe for concurrent use; the
// goroutines it starts end by Close (or on their own, after an error).
type Writer struct {
	w      io.Writer
	level  int
	buf    []byte // the block being filled
	dict   []byte // the dictSize bytes before buf (the end of the block dispatched last)
	queue  []*job // dispatched and not yet written out, in order
	spare  [][]byte
	sem    chan struct{}
	free   chan *kflate.Writer
	done   []byte // the input of the block written out last: the next block's dictionary
	err    error
	closed bool
}

type job struct {
	in, dict []byte
	final    bool
	out      bytes.Buffer
	err      error
	ready    chan struct{}
}

// NewWriter returns a Writer compressing at level (klauspost flate's levels; an invalid one
// is an error, as kflate.NewWriter says).
func NewWriter(w io.Writer, level int) (*Writer, error) {
	if _, err := kflate.NewWriter(io.Discard, level); err != nil {
		return nil, err
	}
	n := runtime.GOMAXPROCS(0)
	return &Writer{w: w, level: level, sem: make(chan struct{}, n), free: make(chan *kflate.Writer, n)}, nil
}

// Write compresses p.
func (z *Writer) Write(p []byte) (int, error) {
	if z.closed {
		return 0, errors.New("pflate: write after close")
	}
	if z.err != nil {
		return 0, z.err
	}
	written := 0
	for len(p) > 0 {
		if len(z.buf) == BlockSize {
			// A full block goes only once more input follows: the last block of all, full or
			// not, is compressed by Close with the final block.
			z.dispatch(false)
			if z.err != nil {
				return written, z.err
			}
		}
		if z.buf == nil {
			z.buf = z.newBuf()
		}
		n := copy(z.buf[len(z.buf):BlockSize], p)
		z.buf = z.buf[:len(z.buf)+n]
		p = p[n:]
		written += n
	}
	return written, nil
}

// Close compresses the last block with the final one and writes out every block. It does
// not close w.
func (z *Writer) Close() error {
	if z.closed {
		return z.err
	}
	z.closed = true
	if z.err == nil {
		z.dispatch(true)
	}
	for len(z.queue) > 0 {
		z.writeHead()
	}
	return z.err
}

func (z *Writer) newBuf() []byte {
	if n := len(z.spare); n > 0 {
		b := z.spare[n-1]
		z.spare = z.spare[:n-1]
		return b[:0]
	}
	return make([]byte, 0, BlockSize)
}

// dispatch starts the compression of the block in buf, after writing out the blocks already
// done, and waits for the oldest first when as many blocks as twice the cores are pending
// (the memory stays a few MB however large the part).
func (z *Writer) dispatch(final bool) {
	for len(z.queue) > 0 && isReady(z.queue[0]) {
		z.writeHead()
	}
	for len(z.queue) >= 2*cap(z.sem) {
		z.writeHead()
	}
	if z.err != nil {
		return
	}
	j := &job{in: z.buf, dict: z.dict, final: final, ready: make(chan struct{})}
	if n := len(z.buf); n >= dictSize {
		z.dict = z.buf[n-dictSize:]
	} else {
		// A short block (only ever the last) leaves no next block to prime.
		z.dict = nil
	}
	z.buf = nil
	z.queue = append(z.queue, j)
	z.sem <- struct{}{}
	fw := z.flateWriter()
	go func() {
		defer func() {
			z.free <- fw
			<-z.sem
			close(j.ready)
		}()
		fw.ResetDict(&j.out, j.dict)
		if _, err := fw.Write(j.in); err != nil {
			j.err = err
			return
		}
		if j.final {
			j.err = fw.Close()
		} else {
			j.err = fw.Flush()
		}
	}()
}

// flateWriter is a compressor for the next block: one of those the finished blocks gave
// back, or a new one (at most one a core is ever made: one is taken only with the slot).
func (z *Writer) flateWriter() *kflate.Writer {
	select {
	case fw := <-z.free:
		return fw
	default:
		fw, _ := kflate.NewWriter(io.Discard, z.level) // the level was checked by NewWriter
		return fw
	}
}

func isReady(j *job) bool {
	select {
	case <-j.ready:
		return true
	default:
		return false
	}
}

// writeHead waits for the oldest pending block and writes it out. Its input is kept until
// the block after it is written (that block's dictionary is its end), then reused.
func (z *Writer) writeHead() {
	j := z.queue[0]
	<-j.ready
	z.queue = z.queue[1:]
	if z.err == nil {
		if j.err != nil {
			z.err = j.err
		} else if _, err := z.w.Write(j.out.Bytes()); err != nil {
			z.err = err
		}
	}
	if z.done != nil {
		z.spare = append(z.spare, z.done)
	}
	z.done = j.in
}
