package xlsxstream

import "unicode/utf8"

// Quick paths. Nearly every tag of a roster's sheet is a <c> element of the form writers
// produce, <c r="B2" s="1" t="s"><v>17</v></c>, and nearly every item of its shared strings
// is <si><t>text</t></si>. Reading those through the general scanner (one token at a time,
// each tag pushed and popped, each attribute through a callback) cost about 300 ns a cell.
// The quick paths below read such an element straight from the scanner's buffer and set
// exactly what the general path would set; anything they do not recognise (another
// spacing, a prefix, a reference or a character that needs decoding, a child element, the
// element cut by the end of the buffer) is left untouched for the general path, so the two
// readers agree on every file by construction — sheetxml_test.go still compares the result
// with excelize on every test roster, and quick_test.go compares the quick and general
// paths on the forms they split.

// quickLook is how many bytes the quick paths want buffered ahead: a plain cell or row tag
// is far shorter, and a longer one is simply read by the general path.
const quickLook = 512

// generalOnly turns the quick paths off (tests compare the two paths with it).
var generalOnly = false

// plainTag parses a start tag's attributes from b[i:] (just past the element name) when
// every attribute is name="value" after one space, the name an unprefixed ASCII XML name,
// and every value printable ASCII without '&' or '<' (what the general path's checkAttrs
// passes unchanged, and attrValue copies as it is): it returns the offset just past the
// tag's '>', whether the tag closes itself, and the values of the r and t attributes. ok is
// false for any other form, and when r or t appears twice.
func plainTag(b []byte, i int) (end int, selfClose bool, r, t []byte, ok bool) {
	hasR, hasT := false, false
	for {
		if i >= len(b) {
			return 0, false, nil, nil, false
		}
		switch b[i] {
		case '>':
			return i + 1, false, r, t, true
		case '/':
			if i+1 < len(b) && b[i+1] == '>' {
				return i + 2, true, r, t, true
			}
			return 0, false, nil, nil, false
		case ' ':
			i++
		default:
			return 0, false, nil, nil, false
		}
		// name
		if i >= len(b) || !isPlainNameStart(b[i]) {
			return 0, false, nil, nil, false
		}
		j := i + 1
		for j < len(b) && isPlainNameByte(b[j]) {
			j++
		}
		if j+1 >= len(b) || b[j] != '=' || b[j+1] != '"' {
			return 0, false, nil, nil, false
		}
		name := b[i:j]
		k := j + 2
		for k < len(b) && b[k] != '"' {
			if c := b[k]; c < 0x20 || c >= 0x80 || c == '&' || c == '<' {
				return 0, false, nil, nil, false
			}
			k++
		}
		if k == len(b) {
			return 0, false, nil, nil, false
		}
		val := b[j+2 : k]
		if len(name) == 1 {
			switch name[0] {
			case 'r':
				if hasR {
					return 0, false, nil, nil, false
				}
				r, hasR = val, true
			case 't':
				if hasT {
					return 0, false, nil, nil, false
				}
				t, hasT = val, true
			}
		}
		i = k + 1
	}
}

// isPlainNameStart and isPlainNameByte: the ASCII name characters other than ':' (a prefix
// sends a tag to the general path, which resolves it).
func isPlainNameStart(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

func isPlainNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

// quickEvent reads a <row> start tag or a whole <c> element at the scanner's position when
// it has the plain form, as event would; ok is false, with nothing consumed, otherwise.
func (fs *fastSheet) quickEvent() (ev sheetEvent, ok bool) {
	s := fs.s
	if generalOnly || s.depth() == 0 {
		return evEnd, false
	}
	if s.end-s.pos < quickLook {
		_, _ = s.have(quickLook) // an error stays with the reader; the general path reports it
	}
	b := s.buf[s.pos:s.end]
	if len(b) < 4 || b[0] != '<' {
		return evEnd, false
	}
	switch {
	case b[1] == 'c' && (b[2] == ' ' || b[2] == '>' || b[2] == '/'):
		n, ok := fs.quickCell(b)
		if !ok {
			return evEnd, false
		}
		s.pos += n
		return evCell, true
	case b[1] == 'r' && b[2] == 'o' && len(b) > 5 && b[3] == 'w' && (b[4] == ' ' || b[4] == '>'):
		end, selfClose, r, _, ok := plainTag(b, 4)
		if !ok || selfClose {
			return evEnd, false
		}
		// As event: the row number from r, raw (0 without r).
		fs.rowNum, fs.rowErr = 0, nil
		if r != nil {
			fs.rowNum, fs.rowErr = atoiBytes(r)
		}
		s.stackLen = append(s.stackLen, len(s.stack))
		s.stack = append(s.stack, "row"...)
		s.pos += end
		return evRow, true
	}
	return evEnd, false
}

// quickCell reads <c …/>, <c …></c> or <c …><v>text</v></c> from b, whose text is printable
// ASCII without '&', and sets the cell fields as cell does; it returns the bytes read.
func (fs *fastSheet) quickCell(b []byte) (int, bool) {
	end, selfClose, r, t, ok := plainTag(b, 2)
	if !ok {
		return 0, false
	}
	hasV := false
	var v []byte
	if !selfClose {
		rest := b[end:]
		switch {
		case len(rest) >= 4 && string(rest[:4]) == "</c>":
			end += 4
		case len(rest) >= 3 && string(rest[:3]) == "<v>":
			i := 3
			for i < len(rest) && rest[i] != '<' {
				c := rest[i]
				if c >= 0x80 || c == '&' || c < 0x20 && c != '\t' && c != '\n' {
					return 0, false
				}
				i++
			}
			if len(rest)-i < 8 || string(rest[i:i+8]) != "</v></c>" {
				return 0, false
			}
			v, hasV = rest[3:i], true
			end += i + 8
		default:
			return 0, false
		}
	}
	fs.cellRef = append(fs.cellRef[:0], r...)
	fs.cellT = append(fs.cellT[:0], t...)
	fs.cellV = append(fs.cellV[:0], v...)
	fs.cellIS = fs.cellIS[:0]
	fs.hasV, fs.hasF, fs.hasIS = hasV, false, false
	return end, true
}

// quickItem reads an <si> element at the scanner's position when it is <si><t>text</t></si>
// (the <t> bare or with xml:space="preserve"), its text needing no decoding (no reference,
// no CR; every character one XML allows): it appends the item's text, _xHHHH_ escapes
// decoded, to dst, as ir.read would. ok is false, with nothing consumed, otherwise.
func quickItem(s *xmlScanner, dst []byte) ([]byte, bool) {
	if generalOnly {
		return dst, false
	}
	if s.end-s.pos < quickLook {
		_, _ = s.have(quickLook)
	}
	b := s.buf[s.pos:s.end]
	const (
		open     = "<si><t>"
		preserve = `<si><t xml:space="preserve">`
		close    = "</t></si>"
	)
	var i int
	switch {
	case len(b) >= len(open) && string(b[:len(open)]) == open:
		i = len(open)
	case len(b) >= len(preserve) && string(b[:len(preserve)]) == preserve:
		i = len(preserve)
	default:
		return dst, false
	}
	start := i
	under := false
	for i < len(b) {
		c := b[i]
		if c < 0x80 {
			switch {
			case c == '<':
				goto text
			case c == '&' || c < 0x20 && c != '\t' && c != '\n':
				return dst, false
			case c == '_':
				under = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !isInCharacterRange(r) {
			return dst, false
		}
		i += size
	}
	return dst, false
text:
	if len(b)-i < len(close) || string(b[i:i+len(close)]) != close {
		return dst, false
	}
	if under {
		dst = appendBstrUnmarshal(dst, b[start:i])
	} else {
		dst = append(dst, b[start:i]...)
	}
	s.pos += i + len(close)
	return dst, true
}
