package xlsxstream

import (
	"archive/zip"
	"io"
	"os"
	"sync"

	kflate "github.com/klauspost/compress/flate"
)

// Inflating a part. Measured on a generated 1M-row roster (bench/scale.sh, bench/inflate),
// github.com/klauspost/compress/flate inflates the parts faster than the standard library's
// compress/flate, so it is the zip's deflate decompressor; CHOUCHA_XLSX_FLATE=std selects the
// standard one (the reference, for benchmarks). Both give the same bytes, and archive/zip
// checks every part's CRC-32 either way.
const flateEnv = "CHOUCHA_XLSX_FLATE"

func registerInflater(zr *zip.Reader) {
	if os.Getenv(flateEnv) == "std" {
		return
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
}

// Large parts (the sheet, the shared strings) are inflated on another goroutine into a ring
// of buffers while the scanner works on the previous ones: on two cores the XML scan and the
// inflate overlap instead of taking turns.
const (
	pipeMinSize = 1 << 20   // parts smaller than this are read directly
	pipeBufSize = 256 << 10 // bytes per buffer
	pipeBufs    = 4         // buffers in the ring
)

type chunk struct {
	b   []byte
	err error
}

// pipeReader reads rc ahead on its own goroutine. Close stops the goroutine and closes rc.
type pipeReader struct {
	rc   io.ReadCloser
	full chan chunk
	free chan []byte
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	cur []byte // unread part of the current buffer
	buf []byte // the current buffer, returned to free when used up
	err error
}

func newPipeReader(rc io.ReadCloser) *pipeReader {
	p := &pipeReader{rc: rc, full: make(chan chunk, pipeBufs), free: make(chan []byte, pipeBufs), done: make(chan struct{})}
	for range pipeBufs {
		p.free <- make([]byte, pipeBufSize)
	}
	p.wg.Add(1)
	go p.fill()
	return p
}

func (p *pipeReader) fill() {
	defer p.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.done:
			return
		}
		n, err := io.ReadFull(p.rc, buf)
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		select {
		case p.full <- chunk{buf[:n], err}:
		case <-p.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (p *pipeReader) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.buf != nil {
			p.free <- p.buf[:cap(p.buf)] // never blocks: the ring has room for every buffer
			p.buf = nil
		}
		if p.err != nil {
			return 0, p.err
		}
		c := <-p.full
		p.cur, p.buf, p.err = c.b, c.b, c.err
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

func (p *pipeReader) Close() error {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
	return p.rc.Close()
}
