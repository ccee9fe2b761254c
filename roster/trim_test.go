package roster

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// trimCell is strings.TrimSpace: every rune alone, before and after text, and in runs.
func TestTrimCellIsTrimSpace(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		c := string(r)
		for _, s := range []string{c, c + "企业", "企业" + c, c + "x" + c, c + c, "A" + c + "B"} {
			if got, want := trimCell(s), strings.TrimSpace(s); got != want {
				t.Fatalf("trimCell(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"", " ", "\u3000长治\u3000", "\xff", "a\xc2", "\xe3\x80", " \xe3\x80\x80"} {
		if got, want := trimCell(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimCell(%q) = %q, want %q", s, got, want)
		}
	}
}
