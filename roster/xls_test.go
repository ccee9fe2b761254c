package roster

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/lotest"
	"github.com/choucha/choucha/internal/xlsxstream"
	"github.com/xuri/excelize/v2"
)

// TestXLSRosterSameAsXLSX: the shared rosters (the dirty one with its traps among them) saved
// by LibreOffice Calc as Excel 97–2003 read as the .xlsx reads: the same frame (keys, classes,
// rows: the same frame_sha256), the same counts and the same issues, and the same inspectors.
// One difference is what the formats are, not the readers: a code stored as a number shows in
// the .xls as Excel's General format shows it (9.114040388E+17) where the xlsx, whose cell has
// no style, shows the number as stored; both are the same issue (numeric_id) on the same row.
func TestXLSRosterSameAsXLSX(t *testing.T) {
	lo := lotest.Find(t)
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	ctx := context.Background()
	for _, name := range []string{"qinxian-realestate", "luzhou-gas-dirty", "changzhi-annual-reports-all-districts", "pingshun-firms"} {
		x := shared + name + ".xlsx"
		xls := lotest.Convert(t, lo, profile, "", "xls:MS Excel 97", dir, x)
		fa, ra, err := ReadFirms(ctx, x, Options{})
		if err != nil {
			t.Fatal(err)
		}
		fb, rb, err := ReadFirms(ctx, xls, Options{})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(xls), err)
		}
		if !reflect.DeepEqual(fa.FrameKeys(), fb.FrameKeys()) || ra.FrameSHA256 != rb.FrameSHA256 {
			t.Errorf("%s: the frames differ", name)
		}
		if ra.Rows != rb.Rows || ra.Eligible != rb.Eligible || !reflect.DeepEqual(ra.Classes, rb.Classes) || ra.Unclassified != rb.Unclassified {
			t.Errorf("%s: report %+v, xls %+v", name, ra, rb)
		}
		if len(ra.Issues) != len(rb.Issues) {
			t.Fatalf("%s: %d issues, xls %d", name, len(ra.Issues), len(rb.Issues))
		}
		for i := range ra.Issues {
			a, b := ra.Issues[i], rb.Issues[i]
			if a.Code == "numeric_id" && b.Code == a.Code && a.Row == b.Row {
				continue // the number shown by another format (see above)
			}
			if a != b {
				t.Errorf("%s issue %d:\n xlsx %+v\n xls  %+v", name, i, a, b)
			}
		}
	}
	for _, name := range []string{"qinxian-inspectors", "luzhou-inspectors"} {
		x := shared + name + ".xlsx"
		xls := lotest.Convert(t, lo, profile, "", "xls:MS Excel 97", dir, x)
		ia, _, err := ReadInspectors(ctx, x, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ib, _, err := ReadInspectors(ctx, xls, Options{})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(xls), err)
		}
		if !reflect.DeepEqual(ia, ib) {
			t.Errorf("%s: inspectors differ:\n xlsx %+v\n xls  %+v", name, ia, ib)
		}
	}
}

// TestXLSRosterCellLimit: an .xls is read whole, so its cells are bounded; past the bound the
// roster is refused, with the file named and the formats read row by row offered.
func TestXLSRosterCellLimit(t *testing.T) {
	old := xlsxstream.XLSMaxCells
	defer func() { xlsxstream.XLSMaxCells = old }()
	xlsxstream.XLSMaxCells = 100
	path := "../testdata/rosters/qinxian-realestate.xls"
	_, _, err := ReadFirms(context.Background(), path, Options{})
	var ae *apperr.Error
	if err == nil || !errors.As(err, &ae) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "单元格超过 100 个") || !strings.Contains(ae.Hint, ".xlsx 或 CSV") {
		t.Fatalf("a roster past the cell bound: %v", err)
	}
}

// TestXLSHiddenSheet: an .xls whose first sheet is hidden (an old roster kept out of sight) is
// read from its first visible sheet, as the .xlsx it was saved from; the hidden one only when
// named; WorkbookSheets marks it hidden. The workbook is made with excelize and saved as
// Excel 97–2003 by LibreOffice Calc, as an office's file would be.
func TestXLSHiddenSheet(t *testing.T) {
	lo := lotest.Find(t)
	dir := t.TempDir()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "旧名录")
	f.NewSheet("名录")
	_ = f.SetSheetRow("旧名录", "A1", &[]any{"统一社会信用代码", "企业名称", "信用风险分类"})
	_ = f.SetSheetRow("旧名录", "A2", &[]any{"91110000600037341L", "旧甲", "A"})
	_ = f.SetSheetRow("旧名录", "A3", &[]any{"91140400MA0GRX4D0F", "旧乙", "B"})
	_ = f.SetSheetRow("名录", "A1", &[]any{"统一社会信用代码", "企业名称", "信用风险分类"})
	_ = f.SetSheetRow("名录", "A2", &[]any{"911404007011239586", "新甲", "C"})
	f.SetActiveSheet(1)
	if err := f.SetSheetVisible("旧名录", false); err != nil {
		t.Fatal(err)
	}
	x := filepath.Join(dir, "hidden.xlsx")
	if err := f.SaveAs(x); err != nil {
		t.Fatal(err)
	}
	f.Close()
	xls := lotest.Convert(t, lo, filepath.Join(dir, "profile"), "", "xls:MS Excel 97", filepath.Join(dir, "out"), x)
	ctx := context.Background()
	for _, file := range []string{x, xls} {
		fr, _, err := ReadFirms(ctx, file, Options{})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(file), err)
		}
		if keys := fr.FrameKeys(); len(keys) != 1 || keys[0].Key != "911404007011239586" || fr.Sheet != "名录" {
			t.Errorf("%s by default: sheet %q, frame %+v; want 名录's one firm", filepath.Base(file), fr.Sheet, keys)
		}
		fr, _, err = ReadFirms(ctx, file, Options{Sheet: "旧名录"})
		if err != nil {
			t.Fatalf("%s, 旧名录: %v", filepath.Base(file), err)
		}
		if n := len(fr.FrameKeys()); n != 2 {
			t.Errorf("%s, the hidden sheet named: %d firms, want 2", filepath.Base(file), n)
		}
		sheets, err := WorkbookSheets(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(sheets) != 2 || sheets[0].Name != "旧名录" || !sheets[0].Hidden || sheets[1].Name != "名录" || sheets[1].Hidden {
			t.Errorf("%s: sheets %+v", filepath.Base(file), sheets)
		}
	}
}
