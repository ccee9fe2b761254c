package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// No test can hide behind a skip on CI: every t.Skip in the repository's tests is either for
// -short (CI runs without it) or preceded, within four lines, by a CI=true check that fails
// instead. A skip for a missing ../shared, python3, chromium or LibreOffice must look like
//
//	if os.Getenv("CI") == "true" { t.Fatal(…) }
//	t.Skip(…)
func TestNoSkipUnderCI(t *testing.T) {
	skipRE := regexp.MustCompile(`\b[tbf]\.(Skip|Skipf|SkipNow)\(`)
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if !skipRE.MatchString(l) || strings.HasPrefix(strings.TrimSpace(l), "//") {
				continue
			}
			checked++
			ctx := strings.Join(lines[max(0, i-4):i+1], "\n")
			if !strings.Contains(ctx, `"CI"`) && !strings.Contains(ctx, "testing.Short()") {
				t.Errorf("%s:%d: a skip without a CI=true failure before it:\n%s", path, i+1, ctx)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 5 {
		t.Errorf("only %d skips found: is the walk reading the repository?", checked)
	}
	// Scripts: a `skip` in a testscript file is not allowed at all.
	scripts, _ := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	for _, p := range scripts {
		b, _ := os.ReadFile(p)
		for i, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "skip") || strings.Contains(l, "] skip") {
				t.Errorf("%s:%d: testscript skip", p, i+1)
			}
		}
	}
}
