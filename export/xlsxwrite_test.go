package export

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFastWorkbookMatchesExcelize: every workbook this package writes, written by
// internal/xlsxwrite (writeWorkbook) and by excelize (writeWorkbookExcelize, the reference),
// reads back through excelize the same — sheets and their visibility, every cell's value and
// type, every written cell's number format, font, fill and alignment, column widths, frozen
// panes, page layout, print titles, drop-down lists and document properties.
func TestFastWorkbookMatchesExcelize(t *testing.T) {
	results, err := resultsSheets(testManifest(t, true), nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("长", 32760) + "𠀀𠀀𠀀𠀀" // over Excel's 32,767 UTF-16 units
	books := map[string][]sheet{
		"list with teams":    listSheets(testManifest(t, true)),
		"list without teams": listSheets(testManifest(t, false)),
		"results":            results,
		"team sheets":        teamSheets(testManifest(t, true)),
		"tables": tableSheets([]Table{
			{Name: "其他:表/[1]", Header: []string{"甲", "乙", "丙"}, Rows: [][]string{
				{" 前有空格", "后有空格 ", "\n换行开头"},
				{"_x0041_ 字面", "_x005F_x0041_", "a_x00zz_b_x1234_"},
				{"控制\x01字符\x1f", "坏\xff字节", "\uFFFE非字符"},
				{"&<>\"'", "=1+1", long},
				{},
				{"", "", "末尾"},
			}},
			{Name: "其他:表/[1]", Header: []string{"同名"}, Rows: [][]string{{"1"}}},
		}),
	}
	for name, sheets := range books {
		t.Run(name, func(t *testing.T) {
			var fast, ref bytes.Buffer
			if err := writeWorkbook(t.Context(), &fast, sheets); err != nil {
				t.Fatal(err)
			}
			if err := writeWorkbookExcelize(t.Context(), &ref, sheets); err != nil {
				t.Fatal(err)
			}
			sameAsExcelize(t, sheets, fast.Bytes(), ref.Bytes())
		})
	}
}

func sameAsExcelize(t *testing.T, sheets []sheet, fastBytes, refBytes []byte) {
	t.Helper()
	open := func(b []byte) *excelize.File {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	fast, ref := open(fastBytes), open(refBytes)
	// excelize reports a fill's colour only when the workbook has a theme part (xlsxwrite
	// writes none: its colours are RGB, which need none); lend it excelize's.
	fast.Theme = ref.Theme
	same := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n xlsxwrite %#v\n excelize  %#v", what, got, want)
		}
	}
	names := ref.GetSheetList()
	same("sheets", fast.GetSheetList(), names)
	if len(names) != len(sheets) {
		t.Fatalf("%d sheets for %d", len(names), len(sheets))
	}
	same("active sheet", fast.GetActiveSheetIndex(), ref.GetActiveSheetIndex())
	fp, _ := fast.GetDocProps()
	rp, _ := ref.GetDocProps()
	same("creator", fp.Creator, rp.Creator)
	same("description", fp.Description, rp.Description)
	fn, rn := fast.GetDefinedName(), ref.GetDefinedName()
	same("defined names", fn, rn)
	for i, name := range names {
		s := &sheets[i]
		fv, _ := fast.GetSheetVisible(name)
		rv, _ := ref.GetSheetVisible(name)
		same(name+" visible", fv, rv)
		fr, err := fast.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		rr, err := ref.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		same(name+" row count", len(fr), len(rr))
		for r := range min(len(fr), len(rr)) {
			same(fmt.Sprintf("%s row %d length", name, r+1), len(fr[r]), len(rr[r]))
			for c := range min(len(fr[r]), len(rr[r])) {
				if fr[r][c] != rr[r][c] {
					t.Errorf("%s row %d column %d:\n xlsxwrite %.80q (%d bytes)\n excelize  %.80q (%d bytes)",
						name, r+1, c+1, fr[r][c], len(fr[r][c]), rr[r][c], len(rr[r][c]))
				}
			}
		}
		cols := 0
		for r, row := range s.rows {
			cols = max(cols, len(row))
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				ft, _ := fast.GetCellType(name, cell)
				rt, _ := ref.GetCellType(name, cell)
				if (ft == excelize.CellTypeNumber) != (rt == excelize.CellTypeNumber) {
					t.Errorf("%s!%s: type %v, excelize %v", name, cell, ft, rt)
				}
				same(fmt.Sprintf("%s!%s style", name, cell), styleShown(t, fast, name, cell), styleShown(t, ref, name, cell))
			}
		}
		for c := 1; c <= cols; c++ {
			col, _ := excelize.ColumnNumberToName(c)
			fw, _ := fast.GetColWidth(name, col)
			rw, _ := ref.GetColWidth(name, col)
			same(name+" width of "+col, fw, rw)
		}
		fpn, _ := fast.GetPanes(name)
		rpn, _ := ref.GetPanes(name)
		same(name+" panes", [4]any{fpn.Freeze, fpn.YSplit, fpn.TopLeftCell, fpn.ActivePane},
			[4]any{rpn.Freeze, rpn.YSplit, rpn.TopLeftCell, rpn.ActivePane})
		fl, _ := fast.GetPageLayout(name)
		rl, _ := ref.GetPageLayout(name)
		same(name+" page layout", deref(fl), deref(rl))
		fsp, _ := fast.GetSheetProps(name)
		rsp, _ := ref.GetSheetProps(name)
		same(name+" fit to page", fsp.FitToPage != nil && *fsp.FitToPage, rsp.FitToPage != nil && *rsp.FitToPage)
		fd, _ := fast.GetDataValidations(name)
		rd, _ := ref.GetDataValidations(name)
		same(name+" validation count", len(fd), len(rd))
		for k := range min(len(fd), len(rd)) {
			same(name+" validation", *fd[k], *rd[k])
		}
	}
}

// styleShown is what a cell's format shows: number format, bold, fill, alignment.
func styleShown(t *testing.T, f *excelize.File, sheetName, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheetName, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("numfmt=%d", st.NumFmt)
	if st.Font != nil && st.Font.Bold {
		out += " bold"
	}
	if st.Fill.Pattern != 0 {
		out += fmt.Sprintf(" fill=%d%v", st.Fill.Pattern, st.Fill.Color)
	}
	if a := st.Alignment; a != nil {
		out += fmt.Sprintf(" valign=%s wrap=%v", a.Vertical, a.WrapText)
	}
	return out
}

func deref(l excelize.PageLayoutOptions) [4]any {
	v := func(p *int) any {
		if p == nil {
			return nil
		}
		return *p
	}
	o := any(nil)
	if l.Orientation != nil {
		o = *l.Orientation
	}
	return [4]any{v(l.Size), o, v(l.FitToWidth), v(l.FitToHeight)}
}
