package xlsxstream

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Benchmarks over a roster made by ../shared/tools/gen_roster.py in a temporary folder
// (nothing large is committed). CHOUCHA_BENCH_ROWS sets the size (default 100000);
// CHOUCHA_BENCH_XLSX names an existing generated xlsx of that many rows to use instead:
//
//	go test -run '^$' -bench . -benchtime 3x ./internal/xlsxstream/

func benchRoster(b *testing.B) (string, int) {
	b.Helper()
	n := 100000
	if s := os.Getenv("CHOUCHA_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	}
	if p := os.Getenv("CHOUCHA_BENCH_XLSX"); p != "" {
		return p, n
	}
	p := filepath.Join(b.TempDir(), "firms.xlsx")
	genRoster(b, "firms", "--n", strconv.Itoa(n), "--seed", "1", "--format", "xlsx", "--out", p)
	return p, n
}

// benchScan reads every row of the same generated xlsx with one reader and nothing else.
func benchScan(b *testing.B, scan func(context.Context, string, string, RowFunc, SizeFunc) error) {
	p, n := benchRoster(b)
	b.ResetTimer()
	for b.Loop() {
		rows, cells := 0, 0
		err := scan(context.Background(), p, "", func(_ int, c []string) error {
			rows++
			cells += len(c)
			return nil
		}, func(int) {})
		if err != nil || rows != n+1 {
			b.Fatalf("%v, rows %d", err, rows)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSXExcelize is the reference reader (ScanExcelize) and BenchmarkXLSXFast the
// default one (ScanFast, sheetxml.go), over the same file.
func BenchmarkXLSXExcelize(b *testing.B) { benchScan(b, ScanExcelize) }
func BenchmarkXLSXFast(b *testing.B)     { benchScan(b, ScanFast) }

// BenchmarkExcelizeRows is excelize's streaming reader alone (open with the same options,
// iterate, read each row's cells), with none of our checks: the floor of the reference path.
func BenchmarkExcelizeRows(b *testing.B) {
	p, n := benchRoster(b)
	tmp := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		f, err := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: MaxUnzipSize, UnzipXMLSizeLimit: XMLInMemoryLimit, TmpDir: tmp, RawCellValue: true})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows(f.GetSheetList()[0])
		if err != nil {
			b.Fatal(err)
		}
		got := 0
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
			got++
		}
		rows.Close()
		f.Close()
		if got != n+1 {
			b.Fatalf("rows %d", got)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
