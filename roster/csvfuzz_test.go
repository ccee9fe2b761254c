package roster

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/xlsxstream"
)

// csvRow is one row as readCSV hands it on: its number as Excel shows it and its cells.
type csvRow struct {
	n     int
	cells []string
}

// stdlibCSV is the reference FuzzReadCSV holds readCSV to, computed without readCSV's code:
// every lone CR made a LF (what Excel and textfile.LineEnds take it for), the records
// encoding/csv reads from that (any number of fields), and each numbered as Excel shows it —
// one row per record, one per blank line that encoding/csv skips (counted from the bytes
// between the end of the previous record and the start of this one).
func stdlibCSV(data []byte) ([]csvRow, error) {
	norm := make([]byte, len(data))
	for i, c := range data {
		if c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			c = '\n'
		}
		norm[i] = c
	}
	// Excel's text-forcing: an unquoted ="…" is read as a quoted field (textForcing, which
	// keeps the length), and every forced cell as its text (unforceCells).
	forced, err := io.ReadAll(&textForcing{r: bytes.NewReader(norm)})
	if err != nil {
		return nil, err
	}
	norm = forced
	cr := csv.NewReader(bytes.NewReader(norm))
	cr.FieldsPerRecord = -1
	var rows []csvRow
	row, prev := 0, int64(0)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		// The blank lines encoding/csv skipped before this record are the line ends it starts
		// with (a record never starts with a line end).
		for b := norm[prev:cr.InputOffset()]; ; {
			if bytes.HasPrefix(b, []byte("\n")) {
				b = b[1:]
			} else if bytes.HasPrefix(b, []byte("\r\n")) {
				b = b[2:]
			} else {
				break
			}
			row++
		}
		row++
		prev = cr.InputOffset()
		unforceCells(rec)
		rows = append(rows, csvRow{row, rec})
	}
}

// checkReadCSV reads data with readCSV and with stdlibCSV: the same rows, numbered the same,
// or both refuse; readCSV may also refuse a row encoding/csv reads when the row is past
// Excel's limits (columns, characters per cell), and then only at that row.
func checkReadCSV(t *testing.T, data []byte) {
	t.Helper()
	var got []csvRow
	gerr := readCSV(context.Background(), bytes.NewReader(data), func(n int, cells []string) error {
		got = append(got, csvRow{n, append([]string(nil), cells...)})
		return nil
	}, nil, nil)
	want, werr := stdlibCSV(data)
	if werr != nil {
		var pe *csv.ParseError
		if !errors.As(werr, &pe) {
			t.Fatalf("encoding/csv: %v", werr)
		}
		if gerr == nil {
			t.Fatalf("readCSV reads what encoding/csv refuses (%v): %v", werr, got)
		}
		if !strings.Contains(gerr.Error(), "格式错误") && !strings.Contains(gerr.Error(), "上限") {
			t.Fatalf("readCSV refuses with %v, encoding/csv with %v", gerr, werr)
		}
		want = want[:min(len(want), len(got))]
	} else if gerr != nil {
		// Only a limit of Excel's, at the first row past it.
		bad := -1
		for i, r := range want {
			if len(r.cells) > xlsxstream.MaxColumns {
				bad = i
			}
			for _, c := range r.cells {
				if utf8.RuneCountInString(c) > xlsxstream.MaxCellChars {
					bad = i
				}
			}
			if bad >= 0 {
				break
			}
		}
		if bad < 0 || !strings.Contains(gerr.Error(), "上限") || len(got) != bad {
			t.Fatalf("readCSV refuses what encoding/csv reads: %v (after %d rows; first row past a limit: %d)", gerr, len(got), bad)
		}
		want = want[:bad]
	}
	if len(got) != len(want) {
		t.Fatalf("readCSV read %d rows, encoding/csv %d\nreadCSV:      %v\nencoding/csv: %v", len(got), len(want), got, want)
	}
	for i := range got {
		if fmt.Sprintf("%q", got[i].cells) != fmt.Sprintf("%q", want[i].cells) || got[i].n != want[i].n {
			t.Fatalf("row %d differs\nreadCSV:      %d %q\nencoding/csv: %d %q", i, got[i].n, got[i].cells, want[i].n, want[i].cells)
		}
	}
}
