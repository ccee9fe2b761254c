package sampler

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// FrameSpec names the frame digest that engines other than choucha can compute without
// concatenating the whole frame into one string (docs/ALGORITHM.md §8). It is a check value
// between an engine and `choucha import`, not a published commitment: like frame_sha256 it
// is a plain hash of key|class lines.
const FrameSpec = "CHOUCHA-FRAME-v2"

// FrameBucket is the bucket of a firm key in CHOUCHA-FRAME-v2: the first two lowercase hex
// digits of SHA-256(key), "00".."ff".
func FrameBucket(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:1])
}

// FrameDigest is CHOUCHA-FRAME-v2 of a frame:
//
//	line(f)     = key + "|" + class
//	bucket(f)   = first two hex digits of lowercase_hex(SHA-256(key))
//	digest(b)   = lowercase_hex(SHA-256( concat over the firms of b, by key bytewise, of line + "\n" ))
//	FrameDigest = lowercase_hex(SHA-256( "CHOUCHA-FRAME-v2\n" +
//	              concat over the non-empty buckets b, ascending, of b + " " + digest(b) + "\n" ))
//
// Every bucket is a bounded share (1/256) of the frame, so an engine aggregates 256 strings of
// N/256 lines instead of one string of N lines.
func FrameDigest(units []Unit) string {
	byBucket := map[string][]Unit{}
	for _, u := range units {
		b := FrameBucket(u.Key)
		byBucket[b] = append(byBucket[b], u)
	}
	buckets := make([]string, 0, len(byBucket))
	for b := range byBucket {
		buckets = append(buckets, b)
	}
	sort.Strings(buckets)
	var top strings.Builder
	top.WriteString(FrameSpec + "\n")
	for _, b := range buckets {
		us := byBucket[b]
		sort.Slice(us, func(i, j int) bool { return us[i].Key < us[j].Key })
		h := sha256.New()
		for _, u := range us {
			h.Write([]byte(u.Key + "|" + u.Class + "\n"))
		}
		top.WriteString(b + " " + hex.EncodeToString(h.Sum(nil)) + "\n")
	}
	sum := sha256.Sum256([]byte(top.String()))
	return hex.EncodeToString(sum[:])
}
