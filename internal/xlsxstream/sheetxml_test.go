package xlsxstream

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/xuri/excelize/v2"
)

// The fast reader must give the row callback exactly what the excelize reference gives it.

type sheetRow struct {
	n     int
	cells []string
}

func readRows(scan func(context.Context, string, string, RowFunc, SizeFunc) error, path, sheet string) ([]sheetRow, error) {
	var rows []sheetRow
	err := scan(context.Background(), path, sheet, func(n int, cells []string) error {
		rows = append(rows, sheetRow{n, append([]string(nil), cells...)})
		return nil
	}, func(int) {})
	return rows, err
}

// assertSameRows reads path (sheet) with both readers and compares the (n, cells) sequences.
func assertSameRows(t *testing.T, path, sheet string) {
	t.Helper()
	want, werr := readRows(ScanExcelize, path, sheet)
	got, gerr := readRows(ScanFast, path, sheet)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%s [%s]: excelize error %v, fast error %v", path, sheet, werr, gerr)
	}
	if len(got) != len(want) {
		t.Errorf("%s [%s]: fast read %d rows, excelize %d", path, sheet, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.n != w.n || fmt.Sprintf("%q", g.cells) != fmt.Sprintf("%q", w.cells) {
			t.Fatalf("%s [%s]: row %d differs\nfast:     %d %q\nexcelize: %d %q", path, sheet, i, g.n, g.cells, w.n, w.cells)
		}
	}
}

func sheetNames(t *testing.T, path string) []string {
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.GetSheetList()
}

func TestFastReaderMatchesExcelizeOnRosters(t *testing.T) {
	files, _ := filepath.Glob(rosters + "*.xlsx")
	if len(files) < 5 {
		t.Fatalf("test rosters missing: %v", files)
	}
	for _, p := range files {
		for _, s := range append([]string{""}, sheetNames(t, p)...) {
			assertSameRows(t, p, s)
		}
	}
}

func TestFastReaderMatchesExcelizeOnGenerated(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{"firms", "--n", "3000", "--seed", "11", "--dirty"},
		{"firms", "--n", "3000", "--seed", "12", "--risk-style", "mixed"},
		{"inspectors", "--n", "300", "--seed", "13"},
	}
	for i, args := range cases {
		p := filepath.Join(dir, fmt.Sprintf("g%d.xlsx", i))
		genRoster(t, append(args, "--out", p)...)
		assertSameRows(t, p, "")
	}
}

// edgeWorkbook writes, with excelize itself, the cases a roster from Excel or WPS can hold.
func edgeWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set(s, "A1", "统一社会信用代码")
	set(s, "B1", "企业名称")
	set(s, "D1", "gap before me")
	set(s, "A2", "91110000600037341L")
	set(s, "B2", `A&B <c> "d" 'e'`)
	set(s, "C2", "line1\r\nline2\rline3\nend")
	set(s, "D2", "_x000D_ and _x005F_ and _xD800_ literal")
	set(s, "E2", 9.1140403876982394e+17)
	set(s, "F2", true)
	set(s, "G2", false)
	set(s, "H2", 3.25)
	set(s, "I2", -17)
	set(s, "J2", "  spaced  ")
	set(s, "K2", "tab\there")
	set(s, "L2", "emoji 😀 and 𠀀")
	if err := f.SetCellFormula(s, "M2", "H2*2"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula(s, "N2", `"x"&"y"`); err != nil {
		t.Fatal(err)
	}
	// Row 3 empty; row 4 sparse.
	set(s, "C4", "only C")
	set(s, "Z4", "far")
	if err := f.SetCellRichText(s, "A5", []excelize.RichTextRun{
		{Text: "富"}, {Text: "文本", Font: &excelize.Font{Bold: true}}, {Text: " & run"},
	}); err != nil {
		t.Fatal(err)
	}
	set(s, "B5", "")
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set(s, "C5", 45000.5)
	if err := f.SetCellStyle(s, "C5", "C5", style); err != nil {
		t.Fatal(err)
	}
	set(s, "A8", "after gap")
	// A second sheet with a CJK name, written by the stream writer (inline strings).
	cjk := "名录（二）"
	if _, err := f.NewSheet(cjk); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter(cjk)
	if err != nil {
		t.Fatal(err)
	}
	_ = sw.SetRow("A1", []any{"统一社会信用代码", "企业名称", "数"})
	_ = sw.SetRow("A2", []any{"91110000600037341L", "甲 & 乙", 12.5})
	_ = sw.SetRow("B4", []any{"稀疏", nil, true})
	_ = sw.SetRow("A5", []any{excelize.Cell{Formula: "C2+1", Value: 13.5}, "_x0041_"})
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "edge.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFastReaderMatchesExcelizeOnEdgeCases(t *testing.T) {
	p := edgeWorkbook(t)
	for _, s := range []string{"", "Sheet1", "名录（二）", "sheet1"} {
		assertSameRows(t, p, s)
	}
	rows, err := readRows(ScanFast, p, "")
	if err != nil {
		t.Fatal(err)
	}
	// Spot checks, so the test also fails if both readers change together.
	if got := rows[1].cells[4]; got != "911404038769824000" {
		t.Errorf("E2 = %q", got)
	}
	if got := rows[1].cells[5]; got != "1" {
		t.Errorf("F2 = %q, want raw boolean 1", got)
	}
	if got := rows[4].cells[0]; got != "富文本 & run" {
		t.Errorf("A5 = %q", got)
	}
	if len(rows) != 8 || rows[2].cells != nil || rows[7].cells[0] != "after gap" {
		t.Errorf("rows %v", rows)
	}
}

// xlsxParts writes a minimal package around hand-written parts; targets may be absolute.
func xlsxParts(t *testing.T, sheets []string, sheetXML []string, sst string, absolute bool) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	ct := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
	wb := `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	for i, name := range sheets {
		target := fmt.Sprintf("worksheets/sheet%d.xml", i+1)
		if absolute {
			target = "/xl/" + target
		}
		wb += fmt.Sprintf(`<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		rels += fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="%s"/>`, i+1, target)
		ct += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), sheetXML[i])
	}
	if sst != "" {
		rels += `<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
		ct += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		add("xl/sharedStrings.xml", sst)
	}
	add("[Content_Types].xml", ct+`</Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", wb+`</sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", rels+`</Relationships>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "hand.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const testSST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>统一社会信用代码</t></si>
<si><t xml:space="preserve"> A &amp; B &lt;&gt; &quot;&apos; &#20013;&#x6587; </t></si>
<si><r><rPr><b/></rPr><t>富</t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>line&#13;&#10;two
three_x000D_four_x005F_x0041_</t></si>
<si/>
<si><t><![CDATA[cdata <kept> &amp;]]></t></si>
</sst>`

// Sheets that exercise the XML forms excelize accepts: prefixes, quotes, attribute order,
// missing r attributes, gaps, self-closing cells, formulas, inline rich text.
var handSheets = []string{
	`<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E7"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="2" spans="1:5"><c t="s" r="A2"><v> 3 </v></c><c r='C2' t='s'><v>4</v></c><c r="D2" t="s"><v>5</v></c></row>
<row><c t="inlineStr"><is><t>inline &amp; </t><r><t>rich</t></r></is></c><c/><c t="n"><v>9.1140403876982394E+17</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row>
<row r="5"><c r="B5"><f>1+1</f><v>2</v></c><c r="C5" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="D5"><f>A1</f></c><c r="E5" s="3"/></row>
<row r="7"><c r="E7" t="d"><v>2024-01-02T00:00:00Z</v></c><c r="A7"><v>first?</v></c></row>
</sheetData></worksheet>`,
	`<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:B3"/><x:sheetData>
<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r="B1"><x:v>1</x:v></x:c></x:row>
<!-- a comment -->
<x:row r="3"><x:c r="B3" t="str"><x:v>crlf
in value</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`,
	`<worksheet><sheetData><row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="B2"><v>back</v></c></row><row><c><v>x</v></c></row></sheetData></worksheet>`,
	`<worksheet><dimension ref="A1"/><sheetData/></worksheet>`,
	"\ufeff<?xml version=\"1.0\"?>\r\n<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"str\"><v>bom</v></c></row></sheetData></worksheet>\r\n<!---->",
}

func TestFastReaderMatchesExcelizeOnHandWrittenXML(t *testing.T) {
	names := []string{"第一", "Prefixed", "Backwards", "空表", "BOM"}
	for _, abs := range []bool{false, true} {
		p := xlsxParts(t, names, handSheets, testSST, abs)
		for _, s := range append([]string{""}, names...) {
			if s == "Backwards" {
				// excelize puts row 2's cells into row 3; the fast reader refuses the sheet.
				_, werr := readRows(ScanExcelize, p, s)
				_, gerr := readRows(ScanFast, p, s)
				if werr != nil || gerr == nil || !strings.Contains(gerr.Error(), "行号 2 不在第3行之后（行的顺序错乱）") {
					t.Errorf("rows numbered backwards: excelize %v, fast %v", werr, gerr)
				}
				continue
			}
			assertSameRows(t, p, s)
		}
	}
	rows, err := readRows(ScanFast, xlsxParts(t, names, handSheets, testSST, false), "")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"统一社会信用代码", " A & B <> \"' 中文 ", "富文本"},
		{"line\r\ntwo\nthree\rfour_x0041_", "", "", "cdata <kept> &amp;"},
	}
	for i, w := range want {
		if got := rows[i].cells; fmt.Sprintf("%q", got) != fmt.Sprintf("%q", w) {
			t.Errorf("row %d = %q, want %q", i+1, got, w)
		}
	}
	// No shared strings part at all is fine for a sheet without t="s" cells.
	assertSameRows(t, xlsxParts(t, names[1:], handSheets[1:], "", false), "")
}

func TestFastReaderRefusesDamage(t *testing.T) {
	good, err := os.ReadFile(rosters + "qinxian-realestate.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	bad := func(name string, sheet string) string {
		return xlsxParts(t, []string{"S"}, []string{sheet}, testSST, false)
	}
	tests := []struct {
		name, file, want string
	}{
		{"truncated zip", writeFile(t, "t.xlsx", string(good[:len(good)*2/3])), "不是有效的 xlsx"},
		{"sheet cut", writeFile(t, "d.xlsx", string(damageSheet(t, good))), "已损坏或被截断"},
		{"mismatched tag", bad("m", `<worksheet><sheetData><row r="1"><c><v>1</c></v></row></sheetData></worksheet>`), "已损坏或被截断"},
		{"unknown entity", bad("e", `<worksheet><sheetData><row r="1"><c t="str"><v>&nbsp;</v></c></row></sheetData></worksheet>`), "已损坏或被截断"},
		{"control char", bad("c", "<worksheet><sheetData><row r=\"1\"><c t=\"str\"><v>a\x01b</v></c></row></sheetData></worksheet>"), "已损坏或被截断"},
		{"bad utf-8", bad("u", "<worksheet><sheetData><row r=\"1\"><c t=\"str\"><v>a\xffb</v></c></row></sheetData></worksheet>"), "已损坏或被截断"},
		{"unclosed", bad("x", `<worksheet><sheetData><row r="1"><c><v>1</v></c></row>`), "已损坏或被截断"},
		{"sst index", bad("i", `<worksheet><sheetData><row r="1"><c t="s"><v>99</v></c></row></sheetData></worksheet>`), "共享字符串索引"},
		{"sst not a number", bad("n", `<worksheet><sheetData><row r="1"><c t="s"><v>x</v></c></row></sheetData></worksheet>`), "共享字符串索引"},
		{"bad cell ref", bad("r", `<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>`), "第1行"},
		{"row limit", bad("l", `<worksheet><sheetData><row r="1048577"><c><v>1</v></c></row></sheetData></worksheet>`), "上限"},
		{"doctype", bad("d", `<!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>`), "已损坏或被截断"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readRows(ScanFast, tt.file, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to mention %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.file) && tt.name != "sheet cut" {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

// A stored (uncompressed) sheet with one byte changed: only the zip's CRC-32 shows it.
func TestFastReaderChecksCRC(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	src, err := zip.OpenReader(rosters + "qinxian-realestate.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, f := range src.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		w.Write(b)
	}
	zw.Close()
	data := buf.Bytes()
	i := bytes.Index(data, []byte("<sheetData>"))
	j := bytes.Index(data[i:], []byte("<v>"))
	if i < 0 || j < 0 {
		t.Fatal("no sheet data")
	}
	data[i+j+3] ^= 0x01 // a digit stays a digit-like byte; the XML stays well formed
	p := writeFile(t, "crc.xlsx", string(data))
	_, err = readRows(ScanFast, p, "")
	if err == nil || !errors.Is(err, zip.ErrChecksum) && !strings.Contains(err.Error(), "不是有效的 xlsx") {
		t.Fatalf("error %v, want a checksum failure", err)
	}
}

func TestFastReaderZipBomb(t *testing.T) {
	old := MaxUnzipSize
	defer func() { MaxUnzipSize = old }()
	MaxUnzipSize = 64 << 10
	_, err := readRows(ScanFast, rosters+"qinxian-realestate.xlsx", "")
	var h *apperr.Error
	if err == nil || !strings.Contains(err.Error(), "压缩炸弹") || !errors.As(err, &h) {
		t.Fatalf("error %v", err)
	}
	// The budget counts bytes actually decompressed, whatever the headers claim.
	budget := int64(10)
	r := &budgetReader{rc: io.NopCloser(strings.NewReader(strings.Repeat("x", 100))), budget: &budget}
	if _, err := io.ReadAll(r); !errors.Is(err, errZipBomb) {
		t.Errorf("budget reader: %v", err)
	}
}

func TestBstrUnmarshalMatchesExcelize(t *testing.T) {
	// excelize's own writer escapes "_x" sequences (bstrMarshal); reading back through both
	// readers must give the original text.
	for _, s := range []string{"_x000D_", "_x005F_x000D_", "a_x0041_b", "_xD800_", "_x12_", "__x0041__", "_X0041_", "_x00e9_", "_x005f_"} {
		f := excelize.NewFile()
		if err := f.SetCellValue("Sheet1", "A1", s); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "b.xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		f.Close()
		assertSameRows(t, p, "")
		// And raw, as a shared string that was not escaped by excelize.
		sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` + s + `</t></si></sst>`
		assertSameRows(t, xlsxParts(t, []string{"S"}, []string{`<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c></row></sheetData></worksheet>`}, sst, false), "")
	}
}
