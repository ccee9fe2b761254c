package draw

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/roster"
)

// TestFrameCommitmentResistsBruteForce: issue 19 — the notice's 抽样框 SHA-256 was an unsalted
// hash of "key|class" lines, so for a small frame with known keys the classes fell to brute
// force (4^7 guesses). The published commitment is keyed with a secret per-draw salt: the same
// search finds nothing, while the auditor who is given the frame and the salt confirms it.
func TestFrameCommitmentResistsBruteForce(t *testing.T) {
	f := &roster.Frame{File: "small.csv", SHA256: "aa", Header: []string{"统一社会信用代码", "企业名称"}, Rows: 7}
	classes := []string{"A", "B", "C", "D", "B", "A", "C"}
	keys := make([]string, 7)
	for i := range keys {
		keys[i] = "9114043000000000" + string(rune('A'+i)) + "X"
		f.Firms = append(f.Firms, roster.Firm{Row: i + 2, Key: keys[i], Name: "企业" + keys[i], Class: classes[i], Values: []string{keys[i], "企业"}})
	}
	oc, err := Run(testRequest(t, 292, f))
	if err != nil {
		t.Fatal(err)
	}
	m := oc.Manifest
	if len(m.Roster.FrameSalt) != 64 || m.Roster.FrameCommitment == "" || m.Roster.FrameCommitment == m.Roster.FrameSHA256 {
		t.Fatalf("no salted commitment: %+v", m.Roster)
	}
	if FrameCommitment(m.Roster.FrameSalt, oc.Frame) != m.Roster.FrameCommitment {
		t.Fatal("the auditor with frame and salt cannot confirm the commitment")
	}
	// The attacker knows the keys (public list, public roster parts) and the seed (public).
	letters := []string{"A", "B", "C", "D"}
	var unsalted, committed []string
	guess := make([]string, 7)
	for n := range 1 << 14 { // 4^7
		for i := range guess {
			guess[i] = keys[i] + "|" + letters[(n>>(2*i))&3]
		}
		lines := []byte(strings.Join(guess, "\n") + "\n")
		if roster.HashFrameLines(guess) == m.Roster.FrameSHA256 {
			unsalted = append(unsalted, string(lines))
		}
		for _, salt := range []string{"", m.Seed, m.Task, m.Roster.FrameSHA256} {
			if FrameCommitment(salt, lines) == m.Roster.FrameCommitment {
				committed = append(committed, string(lines))
			}
		}
	}
	if len(unsalted) != 1 {
		t.Errorf("the unsalted frame hash should fall to the search (that is the leak); found %d", len(unsalted))
	}
	if len(committed) != 0 {
		t.Errorf("the published commitment fell to brute force: %q", committed)
	}
	// A manifest whose frame does not match its commitment is refused.
	m2 := clone(t, m)
	m2.Frame = strings.Split(strings.TrimSuffix(string(oc.Frame), "\n"), "\n")
	if err := m2.Validate(); err != nil {
		t.Fatalf("valid manifest with its frame: %v", err)
	}
	m2.Roster.FrameSalt = strings.Repeat("0", 64)
	if err := m2.Validate(); err == nil || !strings.Contains(err.Error(), "frame_commitment") {
		t.Errorf("wrong salt accepted: %v", err)
	}
}

// streamDigest hashes a frame a run of lines at a time: the same frame_sha256 and commitment
// as DigestFrame over the whole bytes, across many runs (100,000 firms: four runs and a part).
func TestStreamDigest(t *testing.T) {
	f := &roster.Frame{}
	for i := range 100_000 {
		f.Firms = append(f.Firms, roster.Firm{Key: fmt.Sprintf("91140430MA%08d", 99_999-i), Class: []string{roster.ClassA, roster.ClassB, roster.ClassC, roster.ClassD}[i%4]})
	}
	salt := strings.Repeat("ab", 32)
	whole, stream := DigestFrame(f, salt), streamDigest(f, salt)
	if whole.SHA256 != ledger.FrameHash(whole.Bytes) || whole.Commitment != FrameCommitment(salt, whole.Bytes) {
		t.Fatal("DigestFrame's hashes are not those of its bytes")
	}
	if stream.SHA256 != whole.SHA256 || stream.Commitment != whole.Commitment || stream.Bytes != nil {
		t.Errorf("streamed %s / %s (%d bytes), whole %s / %s", stream.SHA256, stream.Commitment, len(stream.Bytes), whole.SHA256, whole.Commitment)
	}
	// A lean frame, whose frame_sha256 the read took on the way (LinesSHA256).
	lean, _, err := roster.ReadFrame(context.Background(), qinxianCSV, roster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if lean.LinesSHA256() == "" {
		t.Fatal("the read of a lean frame took no hash of its lines")
	}
	whole, stream = DigestFrame(lean, salt), streamDigest(lean, salt)
	if stream.SHA256 != ledger.FrameHash(whole.Bytes) || stream.Commitment != whole.Commitment {
		t.Errorf("lean frame: streamed %s / %s, whole %s / %s", stream.SHA256, stream.Commitment, whole.SHA256, whole.Commitment)
	}
}

// The commitment of docs/ALGORITHM.md §6b, computed there with openssl (`{ printf
// 'CHOUCHA-FRAME-COMMIT-v1\n'; printf '%s\n' LINES; } | openssl dgst -sha256 -hmac SALT`), for
// the whole bytes and streamed a run of lines at a time.
func TestFrameCommitmentVector(t *testing.T) {
	salt := strings.Repeat("ab", 32)
	const want = "fa767d728c0ede7de98c7befb0e11bd210cf1c73d3cb57dca742104e5fe8377c"
	f := &roster.Frame{Firms: []roster.Firm{{Key: "91140430MA00000002", Class: roster.ClassC}, {Key: "91140430MA00000001", Class: roster.ClassA}}}
	if got := FrameCommitment(salt, []byte("91140430MA00000001|A\n91140430MA00000002|C\n")); got != want {
		t.Errorf("FrameCommitment = %s, openssl gives %s", got, want)
	}
	if got := streamDigest(f, salt).Commitment; got != want {
		t.Errorf("streamDigest's commitment = %s, openssl gives %s", got, want)
	}
}
