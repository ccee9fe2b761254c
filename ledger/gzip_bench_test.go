package ledger

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// benchFrame is a frame of n lines as a roster gives them: 18-character codes, sorted, each
// with its class.
func benchFrame(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	const digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "91140430%06d", i) // the sorted prefix a district's codes share
		for range 4 {
			b.WriteByte(digits[r.IntN(len(digits))])
		}
		b.WriteString("|")
		b.WriteByte("ABCD"[r.IntN(4)])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func stdGzipPart(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// BenchmarkGzipFrame compresses a 1M-line frame in one part with the compressor the ledger
// uses (klauspost at frameLevel), klauspost's default level and the standard library's (the
// references).
func BenchmarkGzipFrame(b *testing.B) {
	frame := benchFrame(1_000_000)
	for _, c := range []struct {
		name string
		fn   func([]byte) ([]byte, error)
	}{
		{"klauspost-fastest", gzipPart},
		{"klauspost-default", func(b []byte) ([]byte, error) { return gzipPartLevel(b, kgzip.DefaultCompression) }},
		{"std", stdGzipPart},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(frame)))
			var size int
			for b.Loop() {
				out, err := c.fn(frame)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "blob-bytes")
		})
	}
}

// BenchmarkGunzipFrame inflates a 1M-line frame's blob with the reader the ledger uses
// (klauspost, into io.Discard as Verify does) and with compress/gzip, the reference.
func BenchmarkGunzipFrame(b *testing.B) {
	frame := benchFrame(1_000_000)
	blob, err := gzipFrame(frame)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		fn   func() error
	}{
		{"klauspost", func() error { return inflate(io.Discard, blob, int64(len(frame))) }},
		{"std", func() error {
			zr, err := gzip.NewReader(bytes.NewReader(blob))
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, zr)
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				if err := c.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestGzipPartReadsBack: what the ledger compresses, the standard gzip reader inflates to the
// same bytes (a ledger written by this version stays readable by any gzip reader).
func TestGzipPartReadsBack(t *testing.T) {
	frame := benchFrame(200_000)
	blob, err := gzipFrame(frame)
	if err != nil {
		t.Fatal(err)
	}
	back, err := gunzipFrame(blob, int64(len(frame)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, frame) {
		t.Fatalf("inflated %d bytes, want the %d compressed", len(back), len(frame))
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	if std, err := io.ReadAll(zr); err != nil || !bytes.Equal(std, frame) {
		t.Fatalf("compress/gzip read %d bytes (%v), want the %d compressed", len(std), err, len(frame))
	}
	again, err := gzipFrame(frame)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, blob) {
		t.Fatal("the same frame compressed twice gave two blobs")
	}
}
