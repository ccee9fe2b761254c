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
// and neither U+2028 nor U+2029 (E2 80 A8, E2 80 A9). Passes that each run near memory
// speed instead of one that decodes every rune: the ASCII bytes are checked eight at a time
// (a word of CJK text, every byte ≥ 0x80, is passed over at once), then utf8.ValidString,
// then a search for E2 80. A byte loop doing the first pass made jsonquote run at 370 MB/s
// on a firm's strings.
func plain(s string) bool {
	multibyte := false
	rest := s
	for ; len(rest) >= 8; rest = rest[8:] {
		// The compiler makes this one 8-byte load, without a bounds check (w has 8 bytes).
		w := rest[:8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if hi := x & highBits; hi != 0 {
			multibyte = true
			if hi == highBits {
				continue
			}
		}
		if unsafeASCII(x) != 0 {
			return false
		}
	}
	for i := 0; i < len(rest); i++ {
		b := rest[i]
		if b >= utf8.RuneSelf {
			multibyte = true
		} else if !safe[b] {
			return false
		}
	}
	if !multibyte {
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	for j := 0; ; {
		k := strings.Index(s[j:], "\xe2\x80")
		if k < 0 {
			return true
		}
		j += k + 2
		if j < len(s) && (s[j] == 0xA8 || s[j] == 0xA9) {
			return false
		}
	}
}

const (
	highBits = 0x8080808080808080
	lowBits  = 0x7f7f7f7f7f7f7f7f
	ones     = 0x0101010101010101
)

// unsafeASCII flags (with 0x80) each byte of the word x that is ASCII (< 0x80) and not
// in safe: a control character (< 0x20) or one of " \ < > &. Bytes ≥ 0x80 are never
// flagged. No lane carries into the next: every sum stays below 0x100 within its lane.
func unsafeASCII(x uint64) uint64 {
	a := x & lowBits          // each byte's low seven bits
	flags := ^(a + 0x60*ones) // high bit set where a < 0x20
	for _, c := range [...]uint64{'"', '\\', '<', '>', '&'} {
		z := a ^ (c * ones) // zero where a == c
		flags |= ^((z + lowBits) | z)
	}
	return flags & ^x & highBits
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
