package export

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/choucha/choucha/draw"
	"github.com/xuri/excelize/v2"
)

// libreOffice finds LibreOffice (Debian: libreoffice-calc-nogui). Under CI a missing
// LibreOffice fails the test; .ci/run installs it.
func libreOffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"libreoffice", "soffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("libreoffice not installed (apt-get install libreoffice-calc-nogui)")
	}
	t.Skip("libreoffice not installed (apt-get install libreoffice-calc-nogui)")
	return ""
}

// openAndSave opens every file in with LibreOffice Calc and saves it as format into a new
// folder: what a user does with "open, then save". One LibreOffice run for all files, with
// a private profile so parallel runs do not meet.
func openAndSave(t *testing.T, lo, profile, infilter, format string, in []string) string {
	t.Helper()
	out := t.TempDir()
	args := []string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", format, "--outdir", out)
	cmd := exec.Command(lo, append(args, in...)...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, b)
	}
	return out
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(bom))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// TestLibreOfficeRoundTrip writes every published file of a draw — notice CSV and HTML, the
// lists, the result-entry sheet, the task sheets — opens each in LibreOffice Calc and saves
// it again, and compares: every cell of every CSV and every xlsx sheet comes back exactly as
// written (the 20-digit seed, numeric 18- and 15-digit codes, tickets included), xlsx code
// cells are still text, and every seed, code and ticket of the HTML pages reads back as text.
func TestLibreOfficeRoundTrip(t *testing.T) {
	lo := libreOffice(t)
	m := testManifest(t, true)
	dir := t.TempDir()
	var csvs, xlsxs, htmls []string
	for _, format := range Formats {
		paths, err := Export(t.Context(), dir, m, format, Options{PlanTitle: "长治市2026年度部门联合双随机抽查工作计划"}, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			switch filepath.Ext(p) {
			case ".csv":
				csvs = append(csvs, p)
			case ".xlsx":
				xlsxs = append(xlsxs, p)
			case ".html":
				htmls = append(htmls, p)
			}
		}
	}
	if len(csvs) != 2 || len(xlsxs) != 3 || len(htmls) != 2 {
		t.Fatalf("published files: %v %v %v", csvs, xlsxs, htmls)
	}
	profile := t.TempDir()

	// CSV: open as UTF-8, comma, double quote; save the same way.
	const csvFilter = "CSV:44,34,76,1"
	out := openAndSave(t, lo, profile, csvFilter, "csv:Text - txt - csv (StarCalc):44,34,76,1", csvs)
	for _, p := range csvs {
		want, got := readCSVFile(t, p), readCSVFile(t, filepath.Join(out, filepath.Base(p)))
		compareTable(t, filepath.Base(p), want, got)
		for _, id := range append(identifiers(m), m.Seed) {
			if !containsCell(got, id) && strings.Contains(filepath.Base(p), "公告") {
				t.Errorf("%s after open-and-save: %s not kept", filepath.Base(p), id)
			}
		}
	}

	// xlsx: open, save as xlsx; every sheet's cells equal, code cells still text.
	out = openAndSave(t, lo, profile, "", "xlsx:Calc MS Excel 2007 XML", xlsxs)
	for _, p := range xlsxs {
		compareWorkbooks(t, p, filepath.Join(out, filepath.Base(p)), identifiers(m))
	}

	// HTML (Excel and Calc open HTML tables): every seed, code and ticket reads back as a text
	// cell holding exactly the value, never 2.02604011234568E+019.
	out = openAndSave(t, lo, profile, "HTML (StarCalc)", "csv:Text - txt - csv (StarCalc):44,34,76,1", htmls)
	for _, p := range htmls {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		got := readCSVFile(t, filepath.Join(out, name+".csv"))
		ids := identifiers(m)
		if strings.Contains(name, "公告") {
			ids = append(ids, m.Seed)
			for _, s := range m.Selected {
				ids = append(ids, s.Ticket)
			}
		}
		for _, id := range ids {
			if !containsCell(got, id) {
				t.Errorf("%s opened in Calc: no cell %q (converted: %q)", filepath.Base(p), id, got)
			}
		}
	}
}

// identifiers are the codes of the drawn firms (two of the fixture's are digits only: the
// ones a spreadsheet turns into numbers).
func identifiers(m *draw.Manifest) []string {
	var ids []string
	for _, s := range m.Selected {
		ids = append(ids, s.Key)
	}
	return ids
}

func containsCell(recs [][]string, v string) bool {
	for _, r := range recs {
		if slices.Contains(r, v) || slices.Contains(r, "\t"+v) {
			return true
		}
	}
	return false
}

func compareTable(t *testing.T, name string, want, got [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows after open-and-save, %d before", name, len(got), len(want))
		return
	}
	for i := range want {
		w := want[i]
		g := got[i]
		// Calc drops trailing empty cells of a row; the cells present must be equal.
		for len(w) > len(g) && w[len(w)-1] == "" {
			w = w[:len(w)-1]
		}
		if !slices.Equal(w, g) {
			t.Errorf("%s row %d changed by open-and-save:\n before %q\n after  %q", name, i+1, w, g)
		}
	}
}

func compareWorkbooks(t *testing.T, before, after string, ids []string) {
	t.Helper()
	a, err := excelize.OpenFile(before)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := excelize.OpenFile(after)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	name := filepath.Base(before)
	if !slices.Equal(a.GetSheetList(), b.GetSheetList()) {
		t.Errorf("%s: sheets %q became %q", name, a.GetSheetList(), b.GetSheetList())
		return
	}
	for _, sh := range a.GetSheetList() {
		ra, _ := a.GetRows(sh)
		rb, _ := b.GetRows(sh)
		compareTable(t, name+"/"+sh, ra, rb)
		for r, row := range rb {
			for c, v := range row {
				if !slices.Contains(ids, v) {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				// No t attribute (CellTypeUnset) is a number too.
				if typ, _ := b.GetCellType(sh, ref); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
					t.Errorf("%s/%s %s: code %s is no longer text after open-and-save (type %v)", name, sh, ref, v, typ)
				}
			}
		}
	}
}
