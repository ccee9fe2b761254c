package roster

import (
	"io"
	"strings"

	"github.com/choucha/choucha/internal/textfile"
)

// Excel text-forcing in CSV. Many platforms export a code as ="91140430MA0K2B3C4T" so that
// Excel opens it as text and keeps every digit (and does not show 9.11404E+17); some write
// '91140430MA0K2B3C4T, the apostrophe Excel's own cells use. Such a cell is its text: the
// reader takes the text inside, in every column, whether the field is quoted
// ("=""9114…""", read by encoding/csv as ="9114…") or not (=“9114…”, which encoding/csv
// refuses as a bare quote).
//
// An unquoted ="…" is turned, in the byte stream and without changing its length (the CSV
// offsets of records must stay those of the file), into a quoted field whose text starts
// with forcedMark: '=' '"' becomes '"' 0xFF. 0xFF is in no UTF-8 text (the stream given to the
// parser has been checked or decoded to UTF-8), so a cell starting with it came from ="…".

// forcedMark is the byte that replaces the quote of an unquoted ="…" inside its field.
const forcedMark = 0xFF

// csvInput is the stream the CSV parser reads: line ends made \n (textfile.LineEnds), and an
// unquoted ="…" made a quoted field (textForcing).
func csvInput(r io.Reader) io.Reader { return &textForcing{r: textfile.LineEnds(r)} }

// States of textForcing.
const (
	tfFieldStart = iota
	tfUnquoted
	tfQuoted
	tfQuoteInQuoted // a quote inside a quoted field: its end, or the first of ""
)

// textForcing rewrites '=' '"' at the start of an unquoted field as '"' forcedMark.
type textForcing struct {
	r       io.Reader
	state   int
	pending bool // an '=' at a field start ended the last read; not yet given out
}

func (t *textForcing) Read(p []byte) (int, error) {
	if len(p) < 2 {
		return t.r.Read(p) // never with encoding/csv's buffers; no rewriting
	}
	off := 0
	if t.pending {
		p[0], off, t.pending = '=', 1, false
	}
	n, err := t.r.Read(p[off:])
	b := p[:off+n]
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch t.state {
		case tfFieldStart:
			switch c {
			case '=':
				switch {
				case i+1 < len(b) && b[i+1] == '"':
					b[i], b[i+1] = '"', forcedMark
					i++
					t.state = tfQuoted
				case i+1 == len(b) && err == nil:
					t.pending = true // the next byte decides
					return i, nil
				default:
					t.state = tfUnquoted
				}
			case '"':
				t.state = tfQuoted
			case ',', '\n', '\r':
			default:
				t.state = tfUnquoted
			}
		case tfUnquoted:
			if c == ',' || c == '\n' {
				t.state = tfFieldStart
			}
		case tfQuoted:
			if c == '"' {
				t.state = tfQuoteInQuoted
			}
		case tfQuoteInQuoted:
			switch c {
			case '"':
				t.state = tfQuoted
			case ',', '\n':
				t.state = tfFieldStart
			default:
				t.state = tfUnquoted
			}
		}
	}
	return len(b), err
}

// unforceCells replaces each Excel text-forced cell of a CSV record by its text: ="…"
// (quoted in the file, or unquoted and marked by textForcing) and '… before a code, number or
// date (printable ASCII without spaces: an apostrophe before words is left as written).
func unforceCells(rec []string) {
	for i, c := range rec {
		if c == "" {
			continue
		}
		switch c[0] {
		case forcedMark:
			rec[i] = c[1:]
		case '=':
			if len(c) >= 3 && c[1] == '"' && c[len(c)-1] == '"' && !strings.Contains(c[2:len(c)-1], `"`) {
				rec[i] = c[2 : len(c)-1]
			}
		case '\'':
			if len(c) >= 2 && forcedASCII(c[1:]) {
				rec[i] = c[1:]
			}
		}
	}
}

// forcedASCII: printable ASCII without spaces or apostrophes.
func forcedASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == '\'' {
			return false
		}
	}
	return true
}
