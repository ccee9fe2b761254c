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

// referenceStrip is Strip by unicode.IsControl, rune by rune: the control characters go, and
// every other rune's bytes are copied as they are (a byte that is not UTF-8 decodes as one
// RuneError of width 1, and is kept).
func referenceStrip(s string) (out string, first rune, found bool) {
	var b strings.Builder
	for i, r := range s {
		_, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			if !found {
				first, found = r, true
			}
			continue
		}
		b.WriteString(s[i : i+w])
	}
	return b.String(), first, found
}

func TestStrip(t *testing.T) {
	for _, c := range []struct{ s, want string }{
		{"", ""}, {"长治市沁县", "长治市沁县"}, {"a\tb\r\nc", "a\tb\r\nc"}, {"a\x00b\x1bc\x7f", "abc"},
		{"名称\u0085\u009f有限公司", "名称有限公司"}, {"\u00a0\u00c2\u00e9", "\u00a0\u00c2\u00e9"},
		// Bytes that are not UTF-8 stay (strings.Map, which roster's stripControl used, made
		// each a U+FFFD when the cell had a control character too).
		{"\xff\x01a\xc2", "\xffa\xc2"}, {"\xe2\xc2\x85x", "\xe2x"},
	} {
		got := Strip(c.s)
		ref, _, _ := referenceStrip(c.s)
		if got != c.want || got != ref {
			t.Errorf("Strip(%q) = %q, want %q (reference %q)", c.s, got, c.want, ref)
		}
		if r, ok := First(c.s); ok != Has(c.s) || ok && Strip(c.s) == c.s {
			t.Errorf("First(%q) = %U, %v; Has %v", c.s, r, ok, Has(c.s))
		}
	}
	if r, _ := First("ab\u009fc\x01"); r != 0x9f {
		t.Errorf("First = %U, want U+009F", r)
	}
}

// FuzzStrip: Strip, First and Has agree with unicode.IsControl on any string, UTF-8 or not.
func FuzzStrip(f *testing.F) {
	for _, s := range []string{"长治市沁县", "a\x00b", "\u0085x", "é\tß\n", "\xff\x01", "\xc2\xc2\x85"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, first, found := referenceStrip(s)
		if got := Strip(s); got != want {
			t.Fatalf("Strip(%q) = %q, want %q", s, got, want)
		}
		if r, ok := First(s); r != first || ok != found || Has(s) != found {
			t.Fatalf("First(%q) = %U, %v; Has %v; want %U, %v", s, r, ok, Has(s), first, found)
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
