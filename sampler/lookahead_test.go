package sampler

import (
	"fmt"
	"math/big"
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
