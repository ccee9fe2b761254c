package plan

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// xlsPlan is the Changzhi workbook as LibreOffice Calc saves it in Excel 97–2003 format,
// committed so that the CLI test reads an .xls without LibreOffice.
const xlsPlan = "../testdata/plan/changzhi-2026.xls"

// TestXLSSameTasks: the Changzhi workbook saved by LibreOffice Calc as Excel 97–2003 (its
// long shared string table split over CONTINUE records, its merged cells as MERGEDCELLS)
// reads to the same 397 tasks as the text. The binary layout is LibreOffice's.
func TestXLSSameTasks(t *testing.T) {
	sameTasksAsEmbedded(t, xlsPlan, "xls")
	sameTasksConverted(t, "xls:MS Excel 97", xlsxPlan, "xls")
}

// TestXLSSameAsXLSX: workbooks written as an office keeps them (the published plans of
// testdata/plans with numbers, percent formats and merged ranges; a sheet of dates, custom
// formats, rounding percentages, long numbers, booleans, formulas and rich text) read the
// same from the .xlsx and from LibreOffice's .xls of it: the same cells, as shown, give the
// same tasks.
func TestXLSSameAsXLSX(t *testing.T) {
	lo := sofficeFor(t)
	dir := t.TempDir()
	var xlsx []string
	realPlanWorkbooks(t, func(name string, b []byte) {
		out := filepath.Join(dir, name)
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
		xlsx = append(xlsx, out)
	})
	formats := filepath.Join(dir, "formats.xlsx")
	if err := os.WriteFile(formats, formatsWorkbook(t), 0o644); err != nil {
		t.Fatal(err)
	}
	xlsx = append(xlsx, formats)
	profile := filepath.Join(dir, "profile")
	for _, x := range xlsx {
		xls := soffice(t, lo, profile, "", "xls:MS Excel 97", filepath.Join(dir, "xls"), x)
		a, err := Load(x, "R")
		if err != nil {
			t.Fatal(err)
		}
		b, err := Load(xls, "R")
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(xls), err)
		}
		if len(a.Tasks) != len(b.Tasks) || a.Title != b.Title {
			t.Errorf("%s: %d tasks %q, xls %d tasks %q", filepath.Base(x), len(a.Tasks), a.Title, len(b.Tasks), b.Title)
			continue
		}
		as, bs := stripped(a.Tasks), stripped(b.Tasks)
		if x == formats {
			// Two cells differ by what LibreOffice wrote, not by the readers: it restates the
			// built-in date format 14 as its own FORMAT record (M/D/YYYY, which the .xls then
			// shows, as an xlsx shows a restated format), and it calculated the formula
			// A1&B1, which excelize never did (the .xlsx has no value for it, and the cell is
			// repaired from above).
			if got := bs[0].Window.Text; got != "3/1/2026" {
				t.Errorf("formats.xls date cell %q, want 3/1/2026", got)
			}
			if got := bs[2].Risk.Text; got != "某县2026年度部门联合双随机抽查工作计划" {
				t.Errorf("formats.xls formula cell %q, want the value of A1&B1", got)
			}
			as[0].Window, as[0].Flags = bs[0].Window, bs[0].Flags
			as[2].Risk = bs[2].Risk
		}
		for i := range as {
			if !reflect.DeepEqual(as[i], bs[i]) {
				t.Errorf("%s task %s differs:\n xlsx %+v\n xls  %+v", filepath.Base(x), as[i].Key, as[i], bs[i])
			}
		}
	}
}

// TestXLSRefusals: what is not an Excel 97–2003 plan is refused with the file named and what to do.
func TestXLSRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := mustRead(t, xlsPlan)
	checkRefusals(t, []refusal{
		{write("text.xls", []byte("序号\t抽查任务名称\n")), []string{"不是有效的 Excel 97–2003 工作簿", "另存为 .xlsx"}},
		{write("cut.xls", good[:len(good)/3]), []string{"另存为 .xlsx"}},
		{write("计划.et", good), []string{"WPS 表格格式", "另存为 .xlsx"}},
	})
}

// FuzzXLS: any bytes as an .xls read without a panic or a hang.
func FuzzXLS(f *testing.F) {
	good, err := os.ReadFile(xlsPlan)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		readsInTime(t, "fuzz.xls", 10*time.Second, func() error {
			_, err := parseXLS(data, "fuzz.xls", Options{ID: "F"})
			return err
		})
	})
}
