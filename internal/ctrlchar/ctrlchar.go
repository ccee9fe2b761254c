// Package ctrlchar finds control characters in text: C0 except tab, line feed and carriage
// return, DEL, and C1 (U+0080–U+009F) — the characters unicode.IsControl names less the white
// space a cell may hold. Package roster refuses or removes them (roster/control.go); package
// xlsxstream says whether a workbook's values can hold any, so that a clean one is not looked
// at byte by byte twice.
package ctrlchar

// Has reports whether s holds a control character.
func Has(s string) bool { return has(s) }

// HasBytes is Has for bytes (a reader's buffer, not copied).
func HasBytes(b []byte) bool { return has(b) }

// Strip returns s without the control characters Has finds; every other byte stays as it is
// (a byte that is not UTF-8 too). s itself when it has none.
func Strip(s string) string {
	if !has(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !at(s, i) {
			b = append(b, s[i])
		} else if s[i] == 0xC2 {
			i++ // the C1 character's second byte
		}
	}
	return string(b)
}

// First returns the first control character of s that Has finds.
func First(s string) (rune, bool) {
	for i := 0; i < len(s); i++ {
		if at(s, i) {
			if s[i] == 0xC2 {
				return rune(s[i+1]), true // U+0080–U+009F is 0xC2 followed by its low byte
			}
			return rune(s[i]), true
		}
	}
	return 0, false
}

func has[T string | []byte](s T) bool {
	// Eight bytes at a time: a word with no byte below 0x20, no 0x7F and no 0xC2 (the lead
	// byte of C1) has none; a word with one is looked at byte by byte.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if !mayHave(w) {
			continue
		}
		for j := i; j < i+8; j++ {
			if at(s, j) {
				return true
			}
		}
	}
	for ; i < len(s); i++ {
		if at(s, i) {
			return true
		}
	}
	return false
}

// at: the byte at i is a control character Has counts, or begins one: C0 (not tab, LF, CR),
// DEL, or U+0080–U+009F (0xC2 0x80–0x9F).
func at[T string | []byte](s T, i int) bool {
	c := s[i]
	return lead[c] && (c != 0xC2 || i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f)
}

// lead marks the bytes that are, or may begin (0xC2), a control character.
var lead = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t[0x7f], t[0xC2] = true, true
	return t
}()

// mayHave reports whether a word of eight bytes has a byte below 0x20, 0x7F or 0xC2: the
// classic bit tricks (exact for the first, the zero-byte test for the other two), never a
// false negative.
func mayHave(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (w - ones*0x20) & ^w & highs
	del := w ^ (ones * 0x7f)
	c2 := w ^ (ones * 0xc2)
	return below|((del-ones)&^del&highs)|((c2-ones)&^c2&highs) != 0
}
