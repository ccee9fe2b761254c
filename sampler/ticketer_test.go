package sampler

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

// The ticketer resumes SHA-256 from its state after the first block when a key shares that
// block's bytes with the key before it: every digest must still be SHA-256 of the whole
// message, for messages shorter and longer than a block, keys shorter than the block's key
// bytes, empty, in order (sharing the block) and out of order (not).
func TestTicketerIsSHA256(t *testing.T) {
	keys := []string{"", "9", "91140430", "91140430MA2", "91140430MA23", "91140430MA23MPJK6A",
		"91140430MA23MPJK6B", "91140430MA23ZZZZZZ", "91140430MA24MPJK6A", "91140430MA23MPJK6A",
		"140430600123456", "长治市沁县锦华晋有限公司", "91140430MA23MPJK6A" + strings.Repeat("X", 70)}
	for i := range 300 {
		keys = append(keys, fmt.Sprintf("91140430MA%02d%06d", i/50, i*7919%1000000))
	}
	for seedLen := 1; seedLen <= 150; seedLen++ {
		seed := strings.Repeat("7", seedLen)
		tk := newTicketer(seed, "CZ2026-292", 3)
		msg := SampleSpec + "|" + seed + "|CZ2026-292|3|"
		for _, k := range keys {
			if got, want := tk.digest(k), sha256.Sum256([]byte(msg+k)); got != want {
				t.Fatalf("message of %d bytes, key %q: digest %x, SHA-256 %x", len(msg), k, got, want)
			}
		}
	}
}
