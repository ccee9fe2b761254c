package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// termEscape makes text from user files safe to show on a terminal: control characters
// (C0 except line feed and tab, DEL, C1) and the characters that reorder or hide text (bidi
// embeddings, overrides and isolates, the marks, zero-width characters, a BOM) are shown as
// escapes — `\x1b`, `\u202e` — so a roster cell cannot clear the screen, set the window
// title or make a code read backwards. Invalid UTF-8 bytes are shown as `\xff`.
func termEscape(s string) string {
	i := strings.IndexFunc(s, needsEscape)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case needsEscape(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

func needsEscape(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidi marks, embeddings, overrides, isolates
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff:
		return true // zero-width characters and the BOM
	}
	return false
}

// maxShownRunes bounds one table cell or one message line on the terminal; the full text is
// in --format json (or the file itself).
const maxShownRunes = 200

// termCell is termEscape plus a cut after maxShownRunes characters.
func termCell(s string) string {
	return cutRunes(termEscape(s), maxShownRunes)
}

func cutRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + fmt.Sprintf("…（共 %d 字，已截断）", utf8.RuneCountInString(s))
		}
		n++
	}
	return s
}

// termWriter escapes what it writes with termEscape (for stdout and stderr on a terminal). A
// rune split between two writes is held until it is complete.
type termWriter struct {
	w    io.Writer
	tail []byte
}

func (t *termWriter) Write(p []byte) (int, error) {
	buf := append(t.tail, p...)
	cut := len(buf)
	// Hold back an incomplete rune at the end (at most 3 bytes).
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	t.tail = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(t.w, termEscape(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}
