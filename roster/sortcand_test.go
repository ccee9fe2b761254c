package roster

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
