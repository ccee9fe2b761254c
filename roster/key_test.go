package roster

import "testing"

// TestUsableKey: the keys an --exclude file may give are those a roster row is drawn under —
// also a 统一社会信用代码 with a wrong check character (kept by the roster) — and nothing else.
func TestUsableKey(t *testing.T) {
	for _, c := range []struct {
		in, key string
		ok      bool
	}{
		{"91140430ma9a3gnl0y", "91140430MA9A3GNL0Y", true},
		{"91140430MA9A3GNL0X", "91140430MA9A3GNL0X", true}, // wrong check character: kept
		{"统一社会信用代码", "", false},
		{"9.11404E+17", "", false},
	} {
		key, err := UsableKey(c.in)
		if (err == nil) != c.ok || (c.ok && key != c.key) {
			t.Errorf("UsableKey(%q) = %q, %v; want %q, ok %v", c.in, key, err, c.key, c.ok)
		}
	}
}
