package roster

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Benchmarks over rosters made by ../shared/tools/gen_roster.py in a temporary folder
// (nothing large is committed). CHOUCHA_BENCH_ROWS sets the size (default 100000);
// CHOUCHA_BENCH_XLSX names an existing generated xlsx of that many rows to use instead:
//
//	go test -run '^$' -bench . -benchtime 3x ./roster/
//	CHOUCHA_BENCH_ROWS=1000000 go test -run '^$' -bench . -benchtime 3x ./roster/

func benchRoster(b *testing.B, format string) (string, int) {
	b.Helper()
	n := 100000
	if s := os.Getenv("CHOUCHA_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	}
	if p := os.Getenv("CHOUCHA_BENCH_XLSX"); p != "" && format == "xlsx" {
		return p, n
	}
	p := filepath.Join(b.TempDir(), "firms."+format)
	genRoster(b, "firms", "--n", strconv.Itoa(n), "--seed", "1", "--format", format, "--out", p)
	return p, n
}

func benchCheck(b *testing.B, format string) {
	p, n := benchRoster(b, format)
	b.ResetTimer()
	for b.Loop() {
		rep, err := CheckFirms(context.Background(), p, Options{})
		if err != nil || rep.Rows != n {
			b.Fatalf("%v, rows %v", err, rep)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkCheckFirmsCSV(b *testing.B)  { benchCheck(b, "csv") }
func BenchmarkCheckFirmsXLSX(b *testing.B) { benchCheck(b, "xlsx") }

func BenchmarkReadFirmsCSV(b *testing.B) {
	p, n := benchRoster(b, "csv")
	b.ResetTimer()
	for b.Loop() {
		fr, _, err := ReadFirms(context.Background(), p, Options{})
		if err != nil || fr.Rows != n {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadFrameXLSX is the read of a draw from an xlsx roster: ReadFrame with a Prefetch
// that keeps the records of 57 rows in 1,000 (what task 292's lookahead keeps at 1M rows) and
// hashes every key as the lookahead does. BenchmarkCheckFirmsXLSX is the same file's check.
func BenchmarkReadFrameXLSX(b *testing.B) {
	p, n := benchRoster(b, "xlsx")
	prefetch := func(key, class string) (bool, uint64) {
		h := sha256.Sum256([]byte("CHOUCHA-SAMPLE-v1|20260401123456789012|CZ2026-292|1|" + key))
		tag := binary.BigEndian.Uint64(h[:8])
		return tag < math.MaxUint64/1000*57, tag
	}
	b.ResetTimer()
	for b.Loop() {
		fr, _, err := ReadFrame(context.Background(), p, Options{Prefetch: prefetch})
		if err != nil || fr.Rows != n {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkResolveID: the identifier decision per row, over the forms a roster holds.
func BenchmarkResolveID(b *testing.B) {
	cells := [][2]string{
		{"91140425MA4P13NW91", ""}, {"911404250X3JYLDX90", "140425134359097"}, {"", "140425137182305"},
		{"9.1140425479140787E+17", "140425190820049"}, {"140425NA0073171", ""}, {"91110000600037341M", ""},
	}
	for b.Loop() {
		for _, c := range cells {
			resolveID(c[0], c[1])
		}
	}
}
