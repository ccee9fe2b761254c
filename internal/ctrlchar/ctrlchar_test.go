package ctrlchar

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// reference is Has by unicode.IsControl, rune by rune.
func reference(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return true
		}
	}
	return false
}

func TestHas(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", false}, {"长治市沁县盛世锦地产房地产开发有限公司", false}, {"a\tb\r\nc", false},
		{"a\x00b", true}, {"长治市沁县\x1b有限公司", true}, {"x\x7f", true}, {"\u0085", true}, {"名称\u009f", true},
		{"é ü ß", false}, {strings.Repeat("沁", 40) + "\x01", true}, {"\u00a0\u00c2", false},
	} {
		if got := Has(c.s); got != c.want || got != reference(c.s) || HasBytes([]byte(c.s)) != got {
			t.Errorf("Has(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func FuzzHas(f *testing.F) {
	for _, s := range []string{"长治市沁县", "a\x00b", "\u0085x", "é\tß\n", "12345678\x1f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if utf8.ValidString(s) && (Has(s) != reference(s) || HasBytes([]byte(s)) != Has(s)) {
			t.Fatalf("Has(%q) = %v", s, Has(s))
		}
	})
}

func BenchmarkHas(b *testing.B) {
	s := strings.Repeat("长治市沁县盛世锦地产房地产开发有限公司", 3)
	for b.Loop() {
		if Has(s) {
			b.Fatal()
		}
	}
}
