package roster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// sortCandidates (split around a pivot, both sides on their own cores) gives the order of
// one slices.SortFunc: on random keys with duplicates, on sorted and reversed input, and on
// one key repeated on every row.
func TestSortCandidatesMatchesSortFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	const n = 200_000
	inputs := map[string][]candidate{}
	random := make([]candidate, n)
	for i := range random {
		c := newCandidate(fmt.Sprintf("91140430MA%08d", r.IntN(n/2))) // about half the keys repeat
		c.row = int32(i + 2)
		random[i] = c
	}
	inputs["random"] = random
	sorted := slices.Clone(random)
	slices.SortFunc(sorted, cmpCandidate)
	inputs["sorted"] = slices.Clone(sorted)
	inputs["reversed"] = slices.Clone(sorted)
	slices.Reverse(inputs["reversed"])
	same := make([]candidate, n)
	for i := range same {
		same[i] = newCandidate("911404300000000001")
		same[i].row = int32(n - i)
	}
	inputs["one key"] = same
	for name, in := range inputs {
		want := slices.Clone(in)
		slices.SortFunc(want, cmpCandidate)
		got := slices.Clone(in)
		sortCandidates(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: sortCandidates differs from slices.SortFunc", name)
		}
	}
}

// keyLen and putKey give key's bytes for keys of every length up to 18, of every character a
// key may hold at the end (bytes 0x01 and 0xff too: the padding is only zero bytes).
func TestCandidateKeyBytes(t *testing.T) {
	for n := 0; n <= 18; n++ {
		for _, last := range []byte{'0', '9', 'A', 'Y', 0x01, 0x80, 0xff} {
			key := strings.Repeat("9", max(n-1, 0))
			if n > 0 {
				key += string([]byte{last})
			}
			c := newCandidate(key)
			var p [18]byte
			if got := c.putKey(&p); got != len(c.key()) || string(p[:got]) != key || c.keyLen() != len(key) {
				t.Errorf("key %q: putKey %d bytes %q, keyLen %d, key() %q", key, got, p[:got], c.keyLen(), c.key())
			}
		}
	}
}
