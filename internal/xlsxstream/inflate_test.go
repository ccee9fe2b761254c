package xlsxstream

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

// The ring of buffers hands on exactly the bytes of the part, then its error.
func TestPipeReader(t *testing.T) {
	data := make([]byte, 3*pipeBufSize*pipeBufs+12345)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.IntN(256))
	}
	p := newPipeReader(io.NopCloser(bytes.NewReader(data)))
	got, err := io.ReadAll(p)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes (%v), want %d", len(got), err, len(data))
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	bad := errors.New("crc")
	p = newPipeReader(io.NopCloser(&errAfter{bytes.NewReader(data[:1000]), bad}))
	got, err = io.ReadAll(p)
	if !errors.Is(err, bad) || !bytes.Equal(got, data[:1000]) {
		t.Errorf("error after 1000 bytes: got %d bytes, %v", len(got), err)
	}
	p.Close()

	// Closed half-way: the goroutine stops (Close returns) with buffers still full.
	p = newPipeReader(io.NopCloser(bytes.NewReader(data)))
	if _, err := p.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}
