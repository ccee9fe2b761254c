package pflate

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	kflate "github.com/klauspost/compress/flate"
)

// sheetLike is n bytes of text shaped like a list sheet's XML (repeated markup, varying
// values), so that the blocks have matches to find across the cuts.
func sheetLike(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	for row := 1; b.Len() < n; row++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" s="1" t="inlineStr"><is><t>9114043%011d</t></is></c><c r="B%d" t="inlineStr"><is><t>长治市沁县%d有限公司</t></is></c></row>`,
			row, row, r.Int64N(1e11), row, r.IntN(100000))
	}
	return b.Bytes()[:n]
}

// compress writes data to a Writer in pieces of the sizes cut gives, and returns the stream.
func compress(t *testing.T, data []byte, cut func() int) []byte {
	t.Helper()
	var out bytes.Buffer
	z, err := NewWriter(&out, kflate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	for p := data; len(p) > 0; {
		n := min(cut(), len(p))
		if m, err := z.Write(p[:n]); err != nil || m != n {
			t.Fatalf("Write(%d bytes) = %d, %v", n, m, err)
		}
		p = p[n:]
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestRoundTrip: the standard library's inflater reads back exactly what was written, at
// sizes around the block size (empty, one byte, one block exactly, one block and a byte,
// many blocks), and the stream is the same however the writes were cut.
func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, dictSize - 1, dictSize, BlockSize - 1, BlockSize, BlockSize + 1, 3*BlockSize + 12345, 9 * BlockSize} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			data := sheetLike(n, uint64(n))
			whole := compress(t, data, func() int { return len(data) + 1 })
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(whole)))
			if err != nil {
				t.Fatalf("inflate: %v", err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("read back %d bytes, not the %d written", len(got), len(data))
			}
			r := rand.New(rand.NewPCG(uint64(n), 2))
			pieces := compress(t, data, func() int { return 1 + r.IntN(70000) })
			if !bytes.Equal(pieces, whole) {
				t.Fatalf("written in random pieces: %d bytes of stream, written whole %d: not the same", len(pieces), len(whole))
			}
		})
	}
}

// TestNearOneCore: cutting the stream costs almost nothing in size against one compressor
// over the whole input (the dictionary carries the matches across the cuts).
func TestNearOneCore(t *testing.T) {
	data := sheetLike(8*BlockSize, 7)
	par := compress(t, data, func() int { return 64 << 10 })
	var one bytes.Buffer
	fw, _ := kflate.NewWriter(&one, kflate.BestSpeed)
	fw.Write(data)
	fw.Close()
	if limit := one.Len() + one.Len()/100; len(par) > limit {
		t.Fatalf("parallel stream %d bytes, one compressor %d: more than 1%% larger", len(par), one.Len())
	}
}

type failWriter struct{ after int }

var errDisk = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errDisk
	}
	return len(p), nil
}

// TestWriteError: a failing underlying writer's error comes back from Write or Close, and
// nothing is written after it.
func TestWriteError(t *testing.T) {
	data := sheetLike(6*BlockSize, 3)
	z, err := NewWriter(&failWriter{after: 100}, kflate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for p := data; len(p) > 0 && werr == nil; p = p[min(len(p), 1<<16):] {
		_, werr = z.Write(p[:min(len(p), 1<<16)])
	}
	cerr := z.Close()
	if !errors.Is(werr, errDisk) && !errors.Is(cerr, errDisk) {
		t.Fatalf("Write said %v and Close %v; want %v", werr, cerr, errDisk)
	}
	if _, err := z.Write([]byte("x")); err == nil {
		t.Fatal("Write after Close succeeded")
	}
}

func TestBadLevel(t *testing.T) {
	if _, err := NewWriter(io.Discard, 42); err == nil {
		t.Fatal("level 42 accepted")
	}
}

// BenchmarkSheet: a 44 MB part (a 41,000-firm list sheet's size) through this writer and
// through one klauspost compressor, the reference.
func BenchmarkSheet(b *testing.B) {
	data := sheetLike(44<<20, 1)
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			z, _ := NewWriter(io.Discard, kflate.BestSpeed)
			for p := data; len(p) > 0; p = p[min(len(p), 64<<10):] {
				z.Write(p[:min(len(p), 64<<10)])
			}
			z.Close()
		}
	})
	b.Run("one-core", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			fw, _ := kflate.NewWriter(io.Discard, kflate.BestSpeed)
			for p := data; len(p) > 0; p = p[min(len(p), 64<<10):] {
				fw.Write(p[:min(len(p), 64<<10)])
			}
			fw.Close()
		}
	})
}
