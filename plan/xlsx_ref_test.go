package plan

// The reader plans used before internal/xlsxstream (excelize's GetRows and GetMergeCells),
// kept here only as the reference the new reader is compared against: every plan xlsx we
// have must read to the same table and the same tasks through both.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/textfile"
	"github.com/xuri/excelize/v2"
)

// parseXLSXExcelize is parseXLSX as it was, reading through excelize.
func parseXLSXExcelize(data []byte, name string, opts Options) (*Plan, *sourceRows, error) {
	sum := sha256.Sum256(data)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxXLSXUnzip, UnzipXMLSizeLimit: MaxXLSXUnzip})
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		src, err := sheetRowsExcelize(f, sheet, name)
		if err != nil {
			return nil, nil, err
		}
		if !hasHeader(src) {
			continue
		}
		p, err := parseRows(src, opts)
		if err != nil {
			return nil, src, err
		}
		p.SHA256 = hex.EncodeToString(sum[:])
		return p, src, nil
	}
	return nil, nil, fmt.Errorf("no header")
}

func sheetRowsExcelize(f *excelize.File, sheet, name string) (*sourceRows, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	grid := make([][]string, len(rows))
	merged := make([][]bool, len(rows))
	for i, r := range rows {
		grid[i] = append([]string(nil), r...)
		merged[i] = make([]bool, len(r))
	}
	set := func(row, col int, v string, isMerge bool) {
		for len(grid) <= row {
			grid = append(grid, nil)
			merged = append(merged, nil)
		}
		for len(grid[row]) <= col {
			grid[row] = append(grid[row], "")
			merged[row] = append(merged[row], false)
		}
		grid[row][col] = v
		merged[row][col] = merged[row][col] || isMerge
	}
	for i, r := range grid {
		for j, c := range r {
			if !strings.HasSuffix(c, "%") {
				continue
			}
			axis, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if typ, _ := f.GetCellType(sheet, axis); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				continue
			}
			raw, err := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
			if err != nil {
				continue
			}
			v, ok := new(big.Rat).SetString(strings.TrimSpace(raw))
			if !ok {
				continue
			}
			v.Mul(v, big.NewRat(100, 1))
			set(i, j, ratString(v)+"%", false)
		}
	}
	mcs, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, err
	}
	usedRows, usedCols := len(grid), 0
	for _, r := range grid {
		usedCols = max(usedCols, len(r))
	}
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > usedRows || c1 > usedCols {
			continue
		}
		r2, c2 = min(r2, usedRows), min(c2, usedCols)
		v := mc.GetCellValue()
		if r1-1 < len(grid) && c1-1 < len(grid[r1-1]) {
			v = grid[r1-1][c1-1]
		}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				set(r-1, c-1, v, r != r1 || c != c1)
			}
		}
	}
	src := &sourceRows{name: name, where: fmt.Sprintf("工作表“%s”", sheet)}
	for i := range grid {
		src.rows = append(src.rows, rawRow{line: i + 1, cells: grid[i], merged: merged[i]})
	}
	return src, nil
}

// assertSameAsExcelize reads data through both readers and compares the table (cells and
// merged flags) and the plan.
func assertSameAsExcelize(t *testing.T, data []byte, name string) *Plan {
	t.Helper()
	want, wantSrc, werr := parseXLSXExcelize(data, name, Options{ID: "REF"})
	got, gerr := parseXLSX(data, name, Options{ID: "REF"})
	if werr != nil || gerr != nil {
		t.Fatalf("%s: excelize error %v, xlsxstream error %v", name, werr, gerr)
	}
	// The table itself, row by row (empty trailing cells and rows aside, as the parser
	// ignores them).
	b, err := xlsxOpen(data, name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := b.ReadGrid(t.Context(), wantSrc.where[len("工作表“"):len(wantSrc.where)-len("”")], MaxTableCells)
	if err != nil {
		t.Fatal(err)
	}
	gotSrc, err := gridRows(g, name)
	if err != nil {
		t.Fatal(err)
	}
	if gotSrc.where != wantSrc.where || len(gotSrc.rows) != len(wantSrc.rows) {
		t.Fatalf("%s: %s %d rows, excelize %s %d rows", name, gotSrc.where, len(gotSrc.rows), wantSrc.where, len(wantSrc.rows))
	}
	for i := range wantSrc.rows {
		w, g := wantSrc.rows[i], gotSrc.rows[i]
		if w.line != g.line || !reflect.DeepEqual(w.cells, g.cells) || !reflect.DeepEqual(w.merged, g.merged) {
			t.Fatalf("%s row %d differs\n xlsxstream %d %q %v\n excelize   %d %q %v", name, i+1, g.line, g.cells, g.merged, w.line, w.cells, w.merged)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the plans differ", name)
	}
	return got
}

// planXLSXFiles are the plan workbooks of the repository and of shared/ (beside it).
func planXLSXFiles(t *testing.T) []string {
	files, _ := filepath.Glob("../testdata/plan*/*.xlsx")
	shared, _ := filepath.Glob("../../shared/plan/*.xlsx")
	if len(shared) == 0 && os.Getenv("CI") == "true" {
		t.Log("shared/plan not beside the repository: only the repository's plans compared")
	}
	files = append(files, shared...)
	if len(files) == 0 {
		t.Fatal("no plan xlsx found")
	}
	return files
}

func TestXLSXReaderMatchesExcelizeOnPlans(t *testing.T) {
	for _, path := range planXLSXFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p := assertSameAsExcelize(t, data, path)
		if len(p.Tasks) < 100 {
			t.Errorf("%s: %d tasks", path, len(p.Tasks))
		}
	}
}

// tsvToXLSX writes a text plan as a workbook the way an office would keep it: whole numbers
// as numbers, percentages as numbers with a percent format, the rest as shared strings, and
// the empty cells under a value in the first column merged with it.
func tsvToXLSX(t *testing.T, text string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	pct0, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
	pct2, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	rows := readTSV(text)
	for i, r := range rows {
		for j, c := range r.cells {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var err error
			switch {
			case c == "":
				continue
			case isSeq(c) && c[0] != '0':
				err = f.SetCellDefault("Sheet1", cell, c)
			case strings.HasSuffix(c, "%") && isDecimal(strings.TrimSuffix(c, "%")):
				v, _ := new(big.Rat).SetString(strings.TrimSuffix(c, "%"))
				v.Quo(v, big.NewRat(100, 1))
				err = f.SetCellDefault("Sheet1", cell, v.FloatString(6))
				st := pct0
				if strings.Contains(c, ".") {
					st = pct2
				}
				if err == nil {
					err = f.SetCellStyle("Sheet1", cell, cell, st)
				}
			default:
				err = f.SetCellStr("Sheet1", cell, c)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && len(rows[j].cells) > 1 && rows[j].cells[0] == "" {
			j++
		}
		// A title line (one cell) merges with nothing: the row below it may be a header whose
		// first cell is empty (testdata/plans/linyi-2023-build.tsv).
		if len(rows[i].cells) > 1 && rows[i].cells[0] != "" && j > i+1 {
			a, _ := excelize.CoordinatesToCellName(1, i+1)
			z, _ := excelize.CoordinatesToCellName(1, j)
			if err := f.MergeCell("Sheet1", a, z); err != nil {
				t.Fatal(err)
			}
		}
		i = j
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func isDecimal(s string) bool {
	_, ok := new(big.Rat).SetString(s)
	return ok && s != "" && !strings.ContainsAny(s, "/eE")
}

// TestXLSXReaderMatchesExcelizeOnRealPlans: the eleven published plans of testdata/plans,
// kept as text, written as workbooks (numbers, percent formats, shared strings, merged
// ranges) read the same through both readers.
func TestXLSXReaderMatchesExcelizeOnRealPlans(t *testing.T) {
	realPlanWorkbooks(t, func(name string, x []byte) { assertSameAsExcelize(t, x, name) })
}

// TestXLSXReaderMatchesExcelizeOnFormats: cells excelize formats (dates, custom formats,
// rounding percentages, long numbers under a General style, booleans, formulas, rich text,
// inline strings) show the same through the new reader.
func TestXLSXReaderMatchesExcelizeOnFormats(t *testing.T) {
	p := assertSameAsExcelize(t, formatsWorkbook(t), "formats.xlsx")
	// The exact stored percentage, not the rounded "1%" the format shows.
	if k := task(t, p, 1); k.Ratio.Percent != "0.5" {
		t.Errorf("task 1 ratio %+v", k.Ratio)
	}
}

// formatsWorkbook is TestXLSXReaderMatchesExcelizeOnFormats' workbook.
func formatsWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	header := []any{"地市", "序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次", "智慧监管(信用风险分类)要求", "抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式"}
	if err := f.SetSheetRow("Sheet1", "A2", &header); err != nil {
		t.Fatal(err)
	}
	f.SetCellStr("Sheet1", "A1", "某县2026年度部门联合双随机抽查工作计划")
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	code := func(c string) *string { return &c }
	general := style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true}})
	pct := style(&excelize.Style{NumFmt: 9})
	pct2 := style(&excelize.Style{NumFmt: 10})
	date := style(&excelize.Style{NumFmt: 14})
	month := style(&excelize.Style{CustomNumFmt: code(`yyyy"年"m"月"`)})
	text := style(&excelize.Style{NumFmt: 49})
	type cell struct {
		v     string
		style int
		kind  string // "n" number, "s" shared string, "b" bool, "f" formula
	}
	rows := [][]cell{
		{{"沁县", 0, "s"}, {"1", general, "n"}, {"任务一", 0, "s"}, {"事项", 0, "s"}, {"范围", 0, "s"}, {"0.005", pct, "n"}, {"无", 0, "s"}, {"46082", date, "n"}, {"沁县甲局", 0, "s"}, {"沁县乙局", 0, "s"}, {"县抽县查", 0, "s"}},
		{{"", 0, ""}, {"2", 0, "n"}, {"任务二", 0, "s"}, {"事项", 0, "s"}, {"范围", 0, "s"}, {"0.1234", pct2, "n"}, {"无", 0, "s"}, {"46113.5", month, "n"}, {"沁县甲局", 0, "s"}, {"", 0, ""}, {"县抽县查", 0, "s"}},
		{{"", 0, ""}, {"3.0", general, "n"}, {"1", 0, "b"}, {"123456789012345", general, "n"}, {"0.30000000000000004", 0, "n"}, {"10%", text, "s"}, {"A1&B1", 0, "f"}, {"3月—5月", date, "s"}, {"沁县甲局", 0, "s"}, {"沁县乙局", 0, "s"}, {"", 0, ""}},
	}
	for i, r := range rows {
		for j, c := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+3)
			var err error
			switch c.kind {
			case "":
				continue
			case "n":
				err = f.SetCellDefault("Sheet1", cell, c.v)
			case "s":
				err = f.SetCellStr("Sheet1", cell, c.v)
			case "b":
				err = f.SetCellBool("Sheet1", cell, c.v == "1")
			case "f":
				err = f.SetCellFormula("Sheet1", cell, c.v)
			}
			if err == nil && c.style != 0 {
				err = f.SetCellStyle("Sheet1", cell, cell, c.style)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SetCellRichText("Sheet1", "E5", []excelize.RichTextRun{{Text: "各类"}, {Text: "企业", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	for _, m := range [][2]string{{"A3", "A5"}, {"I4", "J4"}, {"K4", "K5"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decodeForTest(path string, data []byte) (string, textfile.Encoding, error) {
	b, enc, err := textfile.Decode(path, data)
	return string(b), enc, err
}

// FuzzXLSXReaderMatchesExcelize writes arbitrary sheet XML (and shared strings) into a
// workbook: whenever the new reader reads it, excelize's reader of before reads the same
// table, cells, merged flags and plan. (The new reader may refuse what excelize read: XML that
// is not well formed, a shared-string index out of range, rows numbered backwards, overlapping
// merges, the limits.)
func FuzzXLSXReaderMatchesExcelize(f *testing.F) {
	head := `<sheetData>` + planHead + planTask(3, 1) + planTask(4, 2)
	f.Add(head+`</sheetData><mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells>`, `<si><t>任务</t></si>`)
	f.Add(head+`<row r="5"><c r="A5" t="s"><v>0</v></c><c r="B5"><v>3.0</v></c><c r="F5" s="1"><v>0.005</v></c></row></sheetData>`, `<si><t>沁县</t></si>`)
	f.Add(head+`<row><c t="b"><v>1</v></c><c><v>1E-3</v></c><c r="C6" t="str"><v>x</v></c><c t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row></sheetData><mergeCells><mergeCell ref="I3:J4"/><mergeCell ref="K3"/></mergeCells>`, ``)
	f.Fuzz(func(t *testing.T, body, sst string) {
		path := rawPlanXLSX(t, body, sst)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := parseXLSX(data, "fuzz.xlsx", Options{ID: "F"})
		if gerr != nil {
			return
		}
		want, wantSrc, werr := parseXLSXExcelize(data, "fuzz.xlsx", Options{ID: "F"})
		if werr != nil {
			t.Fatalf("the new reader read what excelize refused (%v)", werr)
		}
		b, err := xlsxOpen(data, "fuzz.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		g, err := b.ReadGrid(t.Context(), "附件1", MaxTableCells)
		if err != nil {
			t.Fatal(err)
		}
		gotSrc, err := gridRows(g, "fuzz.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if len(gotSrc.rows) != len(wantSrc.rows) {
			t.Fatalf("%d rows, excelize %d", len(gotSrc.rows), len(wantSrc.rows))
		}
		for i := range wantSrc.rows {
			w, g := wantSrc.rows[i], gotSrc.rows[i]
			if !reflect.DeepEqual(w.cells, g.cells) || !reflect.DeepEqual(w.merged, g.merged) {
				t.Fatalf("row %d differs\n new      %#v %#v\n excelize %#v %#v", i+1, g.cells, g.merged, w.cells, w.merged)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatal("the plans differ")
		}
	})
}
