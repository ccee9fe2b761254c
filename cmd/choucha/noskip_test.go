package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// No test can hide behind a skip on CI: every t.Skip in the repository's tests for something
// missing on the machine (a tool, ../shared) is preceded, within four lines, by a CI=true
// check that fails instead (skips for -short, another platform or a machine capability
// are not about CI). A skip for a missing ../shared, python3, chromium or LibreOffice must look like
//
//	if os.Getenv("CI") == "true" { t.Fatal(…) }
//	t.Skip(…)
func TestNoSkipUnderCI(t *testing.T) {
	skipRE := regexp.MustCompile(`\b[tbf]\.(Skip|Skipf|SkipNow)\(`)
	// What a skip for something missing on the machine looks like.
	needsTool := regexp.MustCompile(`LookPath|os\.Stat|not found|not installed|shared|python|chromium|libreoffice|soffice|duckdb|exec\.Command`)
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
			if !needsTool.MatchString(ctx) || strings.Contains(ctx, "testing.Short()") || strings.Contains(ctx, "runtime.GOOS") {
				continue // -short, another platform, or a capability of the machine (mkfifo)
			}
			if !strings.Contains(ctx, `"CI"`) {
				t.Errorf("%s:%d: a skip for a missing tool or file without a CI=true failure before it:\n%s", path, i+1, ctx)
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
