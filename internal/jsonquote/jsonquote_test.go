package jsonquote

import (
	"encoding/json"
	"strings"
	"testing"
)

// cases are strings that take every branch: plain ASCII and CJK, each escape, invalid UTF-8
// (a lone continuation byte, a cut rune, an overlong form, a surrogate), U+2028 and U+2029
// and their neighbours U+2027 and U+202A, and the byte E2 in other runes (U+2000, U+20AC).
var cases = []string{
	"", "a", "91140430MA23MPJK6A", "长治市沁县锦华晋有限公司", "存续（在营、开业、在册）",
	`"`, `\`, "<", ">", "&", "a<b>&c", "\x00", "\x01\x1f", "\b\f\n\r\t", "\x7f", " ",
	"\x80", "中\xe4\xb8", "\xc0\xaf", "\xed\xa0\x80", "\xff\xfe", "a\xe2\x80",
	"\u2028", "\u2029", "x\u2028y\u2029z", "\u2027\u202a", "\u2000\u20ac€", "\U0001F600", "\uFFFD",
	strings.Repeat("长治", 1000) + "\n",
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAppendIsMarshal(t *testing.T) {
	for _, s := range cases {
		if got, want := string(Append([]byte("x"), s)), "x"+marshal(t, s); got != want {
			t.Errorf("Append(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	}
	for _, ss := range [][]string{nil, {}, {""}, cases} {
		if got, want := string(AppendStrings(nil, ss)), marshal(t, ss); got != want {
			t.Errorf("AppendStrings(%q) = %s, json.Marshal gives %s", ss, got, want)
		}
	}
}

// TestUnsafeASCII checks the word test against the table for every byte in every lane, next
// to lanes of each kind (safe ASCII, unsafe ASCII, ≥ 0x80).
func TestUnsafeASCII(t *testing.T) {
	for _, bg := range []byte{'a', 0, '"', 0x7f, 0x80, 0xe4, 0xff, 0x1f, 0x20} {
		for lane := 0; lane < 8; lane++ {
			for b := 0; b < 256; b++ {
				var x uint64
				for l := 0; l < 8; l++ {
					v := uint64(bg)
					if l == lane {
						v = uint64(b)
					}
					x |= v << (8 * l)
				}
				got := unsafeASCII(x)>>(8*lane+7)&1 == 1
				if want := b < 0x80 && !safe[b]; got != want {
					t.Fatalf("byte %#x in lane %d beside %#x: flagged %v, want %v", b, lane, bg, got, want)
				}
			}
		}
	}
}

// TestAppendEveryOffset puts each byte that needs an escape at every position of strings
// long enough for the word loop, ASCII and CJK around it.
func TestAppendEveryOffset(t *testing.T) {
	for _, bad := range []string{`"`, `\`, "<", ">", "&", "\x00", "\x1f", "\n", "\xff", "\xe4\xb8", "\u2028", "\u2029"} {
		for _, fill := range []string{"a", "长", "a长"} {
			for at := 0; at <= 24; at++ {
				s := strings.Repeat(fill, 30)
				s = s[:min(at, len(s))] + bad + s[min(at, len(s)):]
				if got, want := string(Append(nil, s)), marshal(t, s); got != want {
					t.Fatalf("Append(%q) = %s, json.Marshal gives %s", s, got, want)
				}
			}
		}
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(Append(nil, s)), marshal(t, s); got != want {
			t.Errorf("Append(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	})
}

// BenchmarkAppend compares Append with json.Marshal on the strings of a drawn firm (code,
// name, authority, address, status).
func BenchmarkAppend(b *testing.B) {
	firm := []string{"91140430MA23MPJK6A", "长治市沁县锦华晋有限公司", "长治市沁县市场监督管理局", "山西省长治市沁县东街路738号", "存续（在营、开业、在册）", "2010-05-12", "A"}
	n := 0
	for _, s := range firm {
		n += len(s)
	}
	b.Run("jsonquote", func(b *testing.B) {
		b.SetBytes(int64(n))
		var buf []byte
		for b.Loop() {
			buf = buf[:0]
			for _, s := range firm {
				buf = Append(buf, s)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(n))
		for b.Loop() {
			for _, s := range firm {
				if _, err := json.Marshal(s); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
