package roster

import (
	"bytes"
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

// textForcing rewrites '=' '"' at the start of an unquoted field as '"' forcedMark.
//
// Whether a '=' is inside a quoted field is told by the parity of the quotes before it: in
// CSV that encoding/csv reads, a quoted field opens and closes with a quote and a quote inside
// it is doubled. (In CSV it refuses, the refusal comes at or before the first place the
// parity goes wrong.) So a read costs a search for `="` and a count of quotes, not a look at
// every byte.
type textForcing struct {
	r        io.Reader
	inQuotes bool
	prev     byte // the last byte given out (0: none yet, the start of the stream)
	pending  bool // an '=' ended the last read; not yet given out (the next byte decides)
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
	end := len(b)
	if end > 0 && b[end-1] == '=' && err == nil {
		end-- // held back: '=' then '"' may span two reads
		t.pending = true
	}
	i := 0
	for {
		j := bytes.Index(b[i:end], forcedPrefix)
		if j < 0 {
			break
		}
		at := i + j
		if bytes.Count(b[i:at], quote)%2 == 1 {
			t.inQuotes = !t.inQuotes
		}
		before := t.prev
		if at > 0 {
			before = b[at-1]
		}
		if !t.inQuotes && (before == 0 || before == ',' || before == '\n' || before == '\r') {
			b[at], b[at+1] = '"', forcedMark
			t.inQuotes = true // the field's opening quote
		} else if bytes.Count(b[at:at+2], quote)%2 == 1 {
			t.inQuotes = !t.inQuotes
		}
		i = at + 2
	}
	if bytes.Count(b[i:end], quote)%2 == 1 {
		t.inQuotes = !t.inQuotes
	}
	if end > 0 {
		t.prev = b[end-1]
	}
	return end, err
}

var (
	forcedPrefix = []byte(`="`)
	quote        = []byte(`"`)
)

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
