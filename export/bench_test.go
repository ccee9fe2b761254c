package export

import (
	"context"
	"testing"
)

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// BenchmarkListXLSX writes the 41,000-firm list workbook with the compressor the export uses
// (klauspost flate) and with the standard library's (the reference).
func BenchmarkListXLSX(b *testing.B) {
	m := bigManifest(b, 41_000)
	defer func(v bool) { fastZip = v }(fastZip)
	for _, fast := range []bool{true, false} {
		name := "std"
		if fast {
			name = "klauspost"
		}
		b.Run(name, func(b *testing.B) {
			fastZip = fast
			var size int64
			for b.Loop() {
				var c countWriter
				if err := WriteListXLSX(context.Background(), &c, m); err != nil {
					b.Fatal(err)
				}
				size = c.n
			}
			b.ReportMetric(float64(size), "file-bytes")
		})
	}
}
