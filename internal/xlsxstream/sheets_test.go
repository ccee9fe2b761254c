package xlsxstream

import (
	"context"
	"slices"
	"strings"
	"testing"
)

var sheetReaders = []struct {
	name string
	scan func(context.Context, string, string, RowFunc, SizeFunc) (ScanResult, error)
}{
	{"fast", ScanFastSheet},
	{"excelize", ScanExcelizeSheet},
}

func firstCells(t *testing.T, scan func(context.Context, string, string, RowFunc, SizeFunc) (ScanResult, error), p, sheet string) (string, ScanResult) {
	t.Helper()
	var first string
	res, err := scan(context.Background(), p, sheet, func(_ int, cells []string) error {
		if first == "" && len(cells) > 0 {
			first = cells[0]
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return first, res
}

// Without a sheet name both readers read the first visible sheet; a hidden one is read
// when named. (The state attribute is put into the sheet's name attribute's quotes: the
// test package's xlsxParts writes names as given.)
func TestDefaultSheetIsFirstVisible(t *testing.T) {
	sheet := func(v string) string {
		return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>` + v + `</t></is></c></row></sheetData></worksheet>`
	}
	for _, tc := range []struct {
		names []string
		want  string // the first cell read by default
	}{
		{[]string{`旧名录" state="hidden`, `名录`}, "new"},
		{[]string{`x" state="veryHidden`, `名录`}, "new"},
		{[]string{`a" state="visible`, `名录`}, "old"},
		{[]string{`a" state="hidden`, `b" state="hidden`}, "old"}, // none visible: the first
	} {
		p := xlsxParts(t, tc.names, []string{sheet("old"), sheet("new")}, "", false)
		for _, r := range sheetReaders {
			got, res := firstCells(t, r.scan, p, "")
			if got != tc.want {
				t.Errorf("%s %v: read %q, want %q", r.name, tc.names, got, tc.want)
			}
			if len(res.Sheets) != 2 || res.Sheets[0].Hidden() != strings.Contains(tc.names[0], "idden") {
				t.Errorf("%s %v: sheets %+v", r.name, tc.names, res.Sheets)
			}
			name, _, _ := strings.Cut(tc.names[0], `"`)
			if got, res := firstCells(t, r.scan, p, name); got != "old" || res.Sheet != name {
				t.Errorf("%s %v: --sheet %s read %q from %q", r.name, tc.names, name, got, res.Sheet)
			}
		}
	}
}

// Both readers report a sheet's merged ranges, as written, after its rows.
func TestReadersReportMerges(t *testing.T) {
	rows := `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="B2"><v>1</v></c></row></sheetData>`
	for _, tc := range []struct {
		after string
		want  []string
	}{
		{``, nil},
		{`<mergeCells/>`, nil},
		{`<mergeCells count="2"><mergeCell ref="E2:E11"/><mergeCell ref="H2:H11"></mergeCell></mergeCells>`, []string{"E2:E11", "H2:H11"}},
		{`<mergeCells count="1"><mergeCell ref="A1:K1"/></mergeCells><pageMargins left="0.7"/>`, []string{"A1:K1"}},
	} {
		p := xlsxParts(t, []string{"S"}, []string{`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + rows + tc.after + `</worksheet>`}, "", false)
		for _, r := range sheetReaders {
			_, res := firstCells(t, r.scan, p, "")
			if !slices.Equal(res.Merges, tc.want) {
				t.Errorf("%s %s: merges %q, want %q", r.name, tc.after, res.Merges, tc.want)
			}
		}
	}
}

func TestFillMerges(t *testing.T) {
	in := map[int][]string{
		1: {"代码", "名称", "分类"},
		2: {"1", "甲", "A"},
		3: {"2", "乙"},
		4: nil, // a row without cells stays empty
		5: {"3", "丙"},
		6: {"4", "丁", "C"},
		7: {"5", "戊", "", "x"},
	}
	merges := []Range{
		{Ref: "C2:C5", Col1: 3, Row1: 2, Col2: 3, Row2: 5},
		{Ref: "C7:D8", Col1: 3, Row1: 7, Col2: 4, Row2: 8}, // top-left empty: nothing
		{Ref: "A6:B6", Col1: 1, Row1: 6, Col2: 2, Row2: 6},
	}
	var got []string
	fn := FillMerges(func(row int, cells []string) error {
		got = append(got, strings.Join(cells, ","))
		return nil
	}, merges)
	for r := 1; r <= 7; r++ {
		cells := slices.Clone(in[r])
		if err := fn(r, cells); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cells, in[r]) {
			t.Fatalf("row %d: the caller's cells were changed: %q", r, cells)
		}
	}
	want := []string{"代码,名称,分类", "1,甲,A", "2,乙,A", "", "3,丙,A", "4,4,C", "5,戊,,x"}
	if !slices.Equal(got, want) {
		t.Errorf("filled\n%q\nwant\n%q", got, want)
	}
}
