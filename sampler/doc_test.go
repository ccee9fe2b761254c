package sampler

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestAlgorithmDocTickets checks that every hashed string and ticket quoted in
// docs/ALGORITHM.md is right, so the document cannot drift from the implementation.
func TestAlgorithmDocTickets(t *testing.T) {
	b, err := os.ReadFile("../docs/ALGORITHM.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	// Table rows: | `message` | `ticket` |  (pipes inside the message escaped as \|)
	row := regexp.MustCompile("(?m)^\\| `(CHOUCHA-[^`]+)` \\| `([0-9a-f]{64})` \\|$")
	// Shell examples: printf '%s' 'message' | sha256sum, then the digest line.
	shell := regexp.MustCompile(`printf '%s' '(CHOUCHA-[^']+)' \| sha256sum\n([0-9a-f]{64})  -`)
	n := 0
	for _, m := range append(row.FindAllStringSubmatch(doc, -1), shell.FindAllStringSubmatch(doc, -1)...) {
		msg := strings.ReplaceAll(m[1], `\|`, "|")
		if got := hash(msg); got != m[2] {
			t.Errorf("docs/ALGORITHM.md: SHA-256 of %q is %s, the document says %s", msg, got, m[2])
		}
		n++
	}
	if n < 10 {
		t.Fatalf("found only %d tickets in docs/ALGORITHM.md; the pattern no longer matches the document", n)
	}
}
