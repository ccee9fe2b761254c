package release_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// scripts/fuzz.sh (run by .ci/run) lists every fuzzer; a Fuzz function it does not list fails
// here already, not only in CI's fuzz step. The files are read here too (not only by the
// script) so that go test's cache notices a new fuzzer.
func TestFuzzScriptListsEveryFuzzer(t *testing.T) {
	out, err := exec.Command("bash", "fuzz.sh", "--check").CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/fuzz.sh --check: %v\n%s", err, out)
	}
	script, err := os.ReadFile("fuzz.sh")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^  "(\./\S+ Fuzz\w*)"$`).FindAllStringSubmatch(string(script), -1) {
		listed = append(listed, m[1])
	}
	var found []string
	fuzzFunc := regexp.MustCompile(`(?m)^func (Fuzz\w*)\(`)
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(b), -1) {
			found = append(found, "./"+filepath.ToSlash(filepath.Dir(strings.TrimPrefix(p, "../")))+" "+m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(listed)
	slices.Sort(found)
	if len(found) < 8 || !slices.Equal(listed, found) {
		t.Fatalf("scripts/fuzz.sh lists %q, the code has %q", listed, found)
	}
}
