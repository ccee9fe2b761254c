package xlsxstream

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bigSheet is a sheet of n rows (more than one batch), with its dimension.
func bigSheet(t *testing.T, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<worksheet><dimension ref="A1:B%d"/><sheetData>`, n)
	for r := 1; r <= n; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d"><v>%d</v></c></row>`, r, r, r, r)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return xlsxParts(t, []string{"S"}, []string{b.String()}, sstOpen+`<si><t>x</t></si></sst>`, false)
}

// The rows reach fn in order, on the caller's goroutine, after the size callback; an error
// from fn ends the scan with that error and leaves no goroutine behind.
func TestScanPipeline(t *testing.T) {
	const n = 3*batchRows + 7
	p := bigSheet(t, n)
	var events []string
	err := ScanFast(context.Background(), p, "", func(row int, cells []string) error {
		if len(events) < 2 {
			events = append(events, fmt.Sprintf("row %d %q", row, cells))
		}
		if want := []string{"x", fmt.Sprint(row)}; fmt.Sprint(cells) != fmt.Sprint(want) {
			t.Fatalf("row %d: %q", row, cells)
		}
		return nil
	}, func(rows int) { events = append(events, fmt.Sprintf("size %d", rows)) })
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`[size %d row 1 ["x" "1"]]`, n); fmt.Sprint(events) != want {
		t.Errorf("events %v, want %s", events, want)
	}

	before := runtime.NumGoroutine()
	stop := errors.New("stop here")
	for _, at := range []int{1, batchRows, batchRows + 1, n} {
		last := 0
		err := ScanFast(context.Background(), p, "", func(row int, _ []string) error {
			last = row
			if row == at {
				return stop
			}
			return nil
		}, nil)
		if !errors.Is(err, stop) || last != at {
			t.Errorf("stop at %d: error %v, last row %d", at, err, last)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ScanFast(ctx, p, "", func(int, []string) error { return nil }, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after the scans, %d before", g, before)
	}
}

// An error in the sheet after several batches is reported with its row, after the rows
// before it were handed over.
func TestScanPipelineError(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<worksheet><sheetData>`)
	for r := 1; r <= 2*batchRows; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, r, r, r)
	}
	b.WriteString(`<row r="9999"><c r="A9999" t="s"><v>7</v></c></row></sheetData></worksheet>`)
	p := xlsxParts(t, []string{"S"}, []string{b.String()}, sstOpen+`<si><t>x</t></si></sst>`, false)
	rows := 0
	err := ScanFast(context.Background(), p, "", func(int, []string) error { rows++; return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), "第9999行") || !strings.Contains(err.Error(), "共享字符串索引") || !strings.Contains(err.Error(), filepath.Base(p)) {
		t.Fatalf("error %v", err)
	}
	if rows < 2*batchRows {
		t.Errorf("%d rows before the error, want all %d before it", rows, 2*batchRows)
	}
}
