// Package jsonquote writes a string as JSON, byte for byte as encoding/json's Marshal does
// (HTML characters escaped). It is the one piece of JSON the large draw files are made of:
// a draw from a 1M-row roster writes about 1.5 million strings into manifest.json and the
// ledger's list (draw.List), and encoding/json, going through reflection and decoding every
// non-ASCII rune, wrote manifest.json at about 150 MB/s. encoding/json stays the reference:
// the tests compare every output with it, on fixed cases and under the fuzzer.
package jsonquote

import (
	"strings"
	"unicode/utf8"
)

// Append appends s quoted, as json.Marshal(s) writes it: `"`, `\`, the control characters,
// '<', '>' and '&' escaped (\", \\, \b, \f, \n, \r, \t, else \u00XX), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 as \u2028 and \u2029.
func Append(dst []byte, s string) []byte {
	if plain(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return appendEscaped(dst, s)
}

// plain reports whether s needs no escape: no ASCII byte outside the safe set, valid UTF-8
// and neither U+2028 nor U+2029 (E2 80 A8, E2 80 A9). Three passes that each run at memory
// speed instead of one that decodes every rune.
func plain(s string) bool {
	multibyte := false
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= utf8.RuneSelf {
			multibyte = true
		} else if !safe[b] {
			return false
		}
	}
	if !multibyte {
		return true
	}
	return utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
}

// safe is what an ASCII byte is written as itself: ≥ 0x20, not '"', '\\', '<', '>' or '&'
// (encoding/json's htmlSafeSet).
var safe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = true
	}
	for _, b := range `"\<>&` {
		t[b] = false
	}
	return t
}()

const hex = "0123456789abcdef"

// appendEscaped is encoding/json's appendString (Go 1.26, escapeHTML true), for a string that
// needs an escape.
func appendEscaped(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if safe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendStrings appends ss as json.Marshal writes a []string: null when nil, else [] with the
// strings between commas.
func AppendStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = Append(dst, s)
	}
	return append(dst, ']')
}
