package roster

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/choucha/choucha/internal/xlsxstream"
)

// The rows the two xlsx readers give are compared in internal/xlsxstream; here the whole
// roster reports built on them.

// assertSameReports checks ReadFirms and CheckFirms give the same results through both readers.
func assertSameReports(t *testing.T, path string, opt Options) {
	t.Helper()
	fast := func() string {
		fr, rep, err := ReadFirms(context.Background(), path, opt)
		crep, cerr := CheckFirms(context.Background(), path, opt)
		return fmt.Sprintf("%+v\n%+v\n%v\n%+v\n%v", fr, rep, err, crep, cerr)
	}
	a := fast()
	t.Setenv(xlsxstream.ReaderEnv, "excelize")
	b := fast()
	if a != b {
		t.Errorf("%s: reports differ between the fast reader and excelize\nfast:\n%.2000s\nexcelize:\n%.2000s", path, a, b)
	}
}

func TestReportsSameWithBothXLSXReaders(t *testing.T) {
	files, _ := filepath.Glob(shared + "*.xlsx")
	if len(files) < 5 {
		t.Fatalf("test rosters missing: %v", files)
	}
	more, _ := filepath.Glob(forms + "pingshun-export*.xlsx") // number cells, title lines (issue 12)
	if len(more) < 2 {
		t.Fatalf("form rosters missing: %v", more)
	}
	for _, p := range append(files, more...) {
		assertSameReports(t, p, Options{})
	}
	dir := t.TempDir()
	for i, seed := range []string{"11", "12"} {
		p := filepath.Join(dir, fmt.Sprintf("g%d.xlsx", i))
		args := []string{"firms", "--n", "3000", "--seed", seed, "--out", p}
		if i == 0 {
			args = append(args, "--dirty")
		} else {
			args = append(args, "--risk-style", "mixed")
		}
		genRoster(t, args...)
		assertSameReports(t, p, Options{})
	}
}
