package sampler

import (
	"fmt"
	"math/big"
	"strconv"
	"testing"
)

// Likely keeps exactly the firms whose ticket, read as a 256-bit number, is below the share
// of the ticket space given for their class: for 1/2 those whose ticket's first hex digit is
// 0–7, for 1/16 those starting with 0, for 3/16 those starting with 0, 1 or 2.
func TestLookaheadKeepsTheLowTickets(t *testing.T) {
	seed, task := "20260401123456789012", "CZ2026-292"
	la := NewLookahead(seed, task, 2, map[string]*big.Rat{
		"A": big.NewRat(1, 2), "B": big.NewRat(1, 16), "C": big.NewRat(3, 16), "D": big.NewRat(7, 5),
	})
	limit := map[string]byte{"A": '8', "B": '1', "C": '3'}
	kept := map[string]int{}
	for i := range 4000 {
		key := fmt.Sprintf("91140430MA%08d", i)
		for _, class := range []string{"A", "B", "C", "D", "E"} {
			got := la.Likely(key, class)
			if byPrefix := la.LikelyPrefix(la.Prefixer().Prefix(key), class); byPrefix != got {
				t.Fatalf("LikelyPrefix(%s, %s) = %v, Likely %v", key, class, byPrefix, got)
			}
			want := false
			switch class {
			case "D":
				want = true // a share of 1 or more keeps every firm
			case "E":
				want = false // a class not given keeps none
			default:
				want = Ticket(seed, task, 2, key)[0] < limit[class]
			}
			if got != want {
				t.Fatalf("Likely(%s, %s) = %v, ticket %s", key, class, got, Ticket(seed, task, 2, key))
			}
			if got {
				kept[class]++
			}
		}
	}
	// About half, a sixteenth and three sixteenths of 4,000.
	if kept["A"] < 1800 || kept["A"] > 2200 || kept["B"] < 180 || kept["B"] > 320 || kept["C"] < 650 || kept["C"] > 850 || kept["D"] != 4000 {
		t.Errorf("kept per class: %v", kept)
	}
}

// A Prefixer's prefix is the ticket's first 16 hex digits, and For names the draw: two draws
// that differ in seed, task or round have different ones.
func TestPrefixer(t *testing.T) {
	p := NewPrefixer("20260401123456789012", "CZ2026-292", 1)
	for i := range 2000 {
		key := fmt.Sprintf("91140430MA%08d", i)
		want, err := strconv.ParseUint(Ticket("20260401123456789012", "CZ2026-292", 1, key)[:16], 16, 64)
		if err != nil || p.Prefix(key) != want {
			t.Fatalf("Prefix(%s) = %016x, ticket starts %016x", key, p.Prefix(key), want)
		}
	}
	for _, o := range []Prefixer{NewPrefixer("20260401123456789013", "CZ2026-292", 1), NewPrefixer("20260401123456789012", "CZ2026-293", 1), NewPrefixer("20260401123456789012", "CZ2026-292", 2)} {
		if o.For() == p.For() {
			t.Errorf("two draws share For %q", o.For())
		}
	}
}
