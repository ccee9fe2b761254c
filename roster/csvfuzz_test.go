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
	// Excel's text-forcing, by the reference's own rules (refForceText, refUnforce), not
	// textForcing's and unforceCells'.
	norm, forced := refForceText(norm)
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
		for i := range rec {
			line, col := cr.FieldPos(i)
			rec[i] = refUnforce(rec[i], forced[[2]int{line, col}])
		}
		rows = append(rows, csvRow{row, rec})
	}
}

// refForceText is the reference's reading of an unquoted ="…" (docs/ROSTER.md, "Excel
// text-forcing in CSV"): a field that starts with =" outside quotes is the quoted field that
// follows the =, its text taken as written. The = is dropped (the reference need not keep the
// file's length), and forced holds the line and column, as encoding/csv's FieldPos gives them,
// of each such field's opening quote. The state is followed byte by byte over the whole input,
// where textForcing counts quotes read by read.
func refForceText(data []byte) (out []byte, forced map[[2]int]bool) {
	out = make([]byte, 0, len(data))
	forced = map[[2]int]bool{}
	line, lineStart := 1, 0 // lineStart: the index in out where the line begins
	inQuotes, fieldStart := false, true
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inQuotes && c == '"' && i+1 < len(data) && data[i+1] == '"':
			out = append(out, c, c) // a quote inside a quoted field
			i++
			continue
		case inQuotes && c == '"':
			inQuotes = false
		case inQuotes:
		case fieldStart && c == '=' && i+1 < len(data) && data[i+1] == '"':
			forced[[2]int{line, len(out) - lineStart + 1}] = true
			out = append(out, '"')
			inQuotes, fieldStart = true, false
			i++
			continue
		case fieldStart && c == '"':
			inQuotes, fieldStart = true, false
		case c == ',' || c == '\n':
			fieldStart = true
		case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
		default:
			fieldStart = false
		}
		out = append(out, c)
		if c == '\n' {
			line, lineStart = line+1, len(out)
		}
	}
	return out, forced
}

// refUnforce is the reference's reading of a cell: a cell of an unquoted ="…" is its text; a
// cell ="…" (how encoding/csv reads "=""…""") is the text between the quotes when no quote is
// inside; a cell ' followed by printable ASCII without spaces or apostrophes is what follows.
func refUnforce(cell string, forced bool) string {
	if forced {
		return cell
	}
	if inner, ok := strings.CutPrefix(cell, `="`); ok {
		if text, ok := strings.CutSuffix(inner, `"`); ok && !strings.ContainsRune(text, '"') {
			return text
		}
		return cell
	}
	if text, ok := strings.CutPrefix(cell, "'"); ok && text != "" {
		for _, b := range []byte(text) {
			if b < '!' || b > '~' || b == '\'' {
				return cell
			}
		}
		return text
	}
	return cell
}

// checkReadCSV reads data with readCSV and with stdlibCSV: the same rows, numbered the same,
// or both refuse; readCSV may also refuse a row encoding/csv reads when the row is past
// Excel's limits (columns, characters per cell), and then only at that row.
func checkReadCSV(t *testing.T, data []byte) {
	t.Helper()
	// readCSV reads UTF-8 text (a file is checked or decoded first), which has no byte 0xFF:
	// textForcing's mark (forcedMark). Any other byte is kept.
	data = bytes.ReplaceAll(data, []byte{forcedMark}, []byte{0xFE})
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
