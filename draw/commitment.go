package draw

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/roster"
)

// FrameCommitmentSpec names the published frame commitment (docs/ALGORITHM.md).
const FrameCommitmentSpec = "CHOUCHA-FRAME-COMMIT-v1"

// FrameCommitment is the frame commitment a notice publishes in place of frame_sha256:
// lower-case hex HMAC-SHA256 with the draw's frame salt (the 64 hex digits, as ASCII) as key,
// over "CHOUCHA-FRAME-COMMIT-v1\n" followed by the frame's defining bytes ("<key>|<class>\n"
// lines sorted by key — the bytes whose SHA-256 is frame_sha256).
//
// frame_sha256 is an unsalted hash of those lines: with the keys known (the roster is public
// in part) and four classes, a small frame's classes fall to brute force (4^7 guesses for seven
// firms). The salt is 32 random bytes recorded in the ledger's manifest, never published by
// choucha; an auditor given the frame and the salt recomputes the commitment, anyone else
// cannot test a guess.
func FrameCommitment(salt string, frame []byte) string {
	mac := newFrameMAC(salt)
	mac.Write(frame)
	return hex.EncodeToString(mac.Sum(nil))
}

// newFrameMAC is the commitment's HMAC with salt as key, its spec line written: the frame's
// bytes follow, whole (FrameCommitment) or a run of lines at a time (streamDigest).
func newFrameMAC(salt string) hash.Hash {
	mac := hmac.New(sha256.New, []byte(salt))
	mac.Write([]byte(FrameCommitmentSpec + "\n"))
	return mac
}

// FrameDigest is what a draw records of its frame: the frame's defining bytes
// (roster.Frame.Bytes), their SHA-256 (frame_sha256, ledger.FrameHash) and the salted
// commitment to them (FrameCommitment).
type FrameDigest struct {
	Bytes              []byte
	SHA256, Commitment string
}

// DigestFrame is the FrameDigest of f with salt.
func DigestFrame(f *roster.Frame, salt string) FrameDigest {
	b := f.Bytes()
	return FrameDigest{Bytes: b, SHA256: ledger.FrameHash(b), Commitment: FrameCommitment(salt, b)}
}

// frameSource is a frame's keys as the lines of its defining bytes (ledger.FrameSource).
type frameSource roster.KeyList

func (k frameSource) Lines() int { return roster.KeyList(k).Len() }
func (k frameSource) AppendLines(dst []byte, from, to int) []byte {
	return roster.KeyList(k).AppendLines(dst, from, to)
}

// streamDigest is DigestFrame without the bytes: they are hashed a run of lines at a time,
// never held whole (200 MB at 10M firms). Bytes is nil. The SHA-256 the read took of the
// same lines (roster.Frame.LinesSHA256) is not taken again.
func streamDigest(f *roster.Frame, salt string) FrameDigest {
	keys := frameSource(f.KeyList())
	d := FrameDigest{SHA256: f.LinesSHA256()}
	var sum hash.Hash
	if d.SHA256 == "" {
		sum = sha256.New()
	}
	mac := newFrameMAC(salt)
	var lines []byte
	const run = 1 << 15
	for lo := 0; lo < keys.Lines(); lo += run {
		lines = keys.AppendLines(lines[:0], lo, min(lo+run, keys.Lines()))
		if sum != nil {
			sum.Write(lines)
		}
		mac.Write(lines)
	}
	if sum != nil {
		d.SHA256 = hex.EncodeToString(sum.Sum(nil))
	}
	d.Commitment = hex.EncodeToString(mac.Sum(nil))
	return d
}

// NewFrameSalt returns 32 random bytes as 64 lower-case hex digits.
func NewFrameSalt() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("生成抽样框承诺的随机盐: %w", err)
	}
	return hex.EncodeToString(b), nil
}
