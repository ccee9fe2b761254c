package export

import (
	"context"
	kflate "github.com/klauspost/compress/flate"
	"io"
	"testing"
)

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// BenchmarkListXLSX writes the 41,000-firm list workbook with internal/xlsxwrite (what the
// export uses) and with excelize (the reference), each with the compressor the export uses
// (klauspost flate) and with the standard library's.
func BenchmarkListXLSX(b *testing.B) {
	m := bigManifest(b, 41_000)
	defer func(v, p bool, l int) { fastZip, parallelZip, zipLevel = v, p, l }(fastZip, parallelZip, zipLevel)
	writers := []struct {
		name  string
		write func(ctx context.Context, w io.Writer, sheets []sheet) error
	}{{"xlsxwrite", writeWorkbook}, {"excelize", writeWorkbookExcelize}}
	compressors := []struct {
		name  string
		fast  bool
		par   bool
		level int
	}{{"pflate", true, true, zipLevel}, {"klauspost", true, false, zipLevel}, {"klauspost-default", true, false, kflate.DefaultCompression}, {"std", false, false, 0}}
	for _, wr := range writers {
		for _, c := range compressors {
			b.Run(wr.name+"/"+c.name, func(b *testing.B) {
				fastZip, parallelZip, zipLevel = c.fast, c.par, c.level
				var size int64
				for b.Loop() {
					var c countWriter
					if err := wr.write(context.Background(), &c, listSheets(m)); err != nil {
						b.Fatal(err)
					}
					size = c.n
				}
				b.ReportMetric(float64(size), "file-bytes")
			})
		}
	}
}
