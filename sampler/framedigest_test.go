package sampler

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestFrameDigestVectors pins CHOUCHA-FRAME-v2 against values computed with coreutils alone
// (docs/ALGORITHM.md §8.3 gives the recipe), not with this code:
//
//	for i in $(seq 1 40); do printf 'K%03d|%s\n' $i $(echo ABCD | cut -c$(( (i%4)+1 ))); done > frame.txt
//	while IFS= read -r line; do key=${line%|*}; b=$(printf '%s' "$key" | sha256sum | cut -c1-2)
//	  echo "$b $key $line"; done < frame.txt | LC_ALL=C sort -k1,1 -k2,2 > rows
//	for b in $(cut -d' ' -f1 rows | uniq); do d=$(grep "^$b " rows | cut -d' ' -f3 |
//	  while IFS= read -r l; do printf '%s\n' "$l"; done | sha256sum | cut -c1-64); printf '%s %s\n' "$b" "$d"; done > top
//	{ printf 'CHOUCHA-FRAME-v2\n'; cat top; } | sha256sum
//
// The 40 keys fall in 35 buckets, four of them (69, 9c, a1, f0) holding two keys, so the order
// within a bucket is pinned too.
func TestFrameDigestVectors(t *testing.T) {
	var units []Unit
	for i := 1; i <= 40; i++ {
		units = append(units, Unit{Key: fmt.Sprintf("K%03d", i), Class: string("ABCD"[i%4])})
	}
	const want40 = "518a97ef4bf1fc8ffa1e76bfa68c8163bd82e94320eef603066fe9448d3b2eab"
	if got := FrameDigest(units); got != want40 {
		t.Errorf("FrameDigest(40 keys) = %s, want %s", got, want40)
	}
	// Row order never matters.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	if got := FrameDigest(units); got != want40 {
		t.Errorf("FrameDigest(shuffled) = %s, want %s", got, want40)
	}
	four := []Unit{{"91140430MA9A3GNL0Y", "A"}, {"91140430MA8C92KM4K", "D"}, {"140430000012345", "B"}, {"911404305G70Q6HX43", "C"}}
	if got, want := FrameDigest(four), "4d03323e302ce93f9807155bf04bde2237d39969a0b2b8c2190b12196e0e727d"; got != want {
		t.Errorf("FrameDigest(four) = %s, want %s", got, want)
	}
	// A reclassified firm changes the digest.
	four[0].Class = "B"
	if FrameDigest(four) == "4d03323e302ce93f9807155bf04bde2237d39969a0b2b8c2190b12196e0e727d" {
		t.Error("a changed class left the digest unchanged")
	}
}
