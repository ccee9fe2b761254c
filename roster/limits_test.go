package roster

import (
	"archive/zip"
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/xlsxstream"
)

// Issue 18 item 1: one row per limit a roster is held to. The file at the limit reads; one
// past it is refused with a message naming the file, the row and the limit. (The limits live
// in internal/xlsxstream — Excel's own, and the unzip bound — and in source.go for the CSV
// physical line; CSV files have no row limit, see docs/ROSTER.md.)
func TestLimits(t *testing.T) {
	const firm = "91140430MAHXBE1M21,长治市沁县天晟晋地产房产经纪有限公司,A"
	const head = "统一社会信用代码,企业名称,信用风险分类"
	headCells := strings.Split(head, ",")
	firmCells := strings.Split(firm, ",")
	// csvOf writes a CSV file made by fill.
	csvOf := func(fill func(w *bufio.Writer)) func(t *testing.T) string {
		return func(t *testing.T) string { return writeStream(t, "名录.csv", fill) }
	}
	// wideCSV: the header and the firm, the firm's row padded to cols cells.
	wideCSV := func(cols int) func(t *testing.T) string {
		return csvOf(func(w *bufio.Writer) {
			w.WriteString(head + "\n" + firm + strings.Repeat(",", cols-3) + "\n")
		})
	}
	wideHeader := func(cols int) func(t *testing.T) string {
		return csvOf(func(w *bufio.Writer) {
			w.WriteString(head)
			for i := 4; i <= cols; i++ {
				w.WriteString(",列" + strconv.Itoa(i))
			}
			w.WriteString("\n" + firm + "\n")
		})
	}
	longCSVCell := func(chars int) func(t *testing.T) string {
		return csvOf(func(w *bufio.Writer) {
			w.WriteString(head + "\n" + strings.Replace(firm, "长治市沁县天晟晋地产房产经纪有限公司", strings.Repeat("长", chars), 1) + "\n")
		})
	}
	// longLine: the firm's row as one physical line of exactly n bytes (cells of at most
	// 1,024 characters, so that only the line is long).
	longLine := func(n int) func(t *testing.T) string {
		return csvOf(func(w *bufio.Writer) {
			w.WriteString(head + "\n" + firm)
			rest := n - len(firm)
			for rest > 0 {
				c := min(rest-1, 1024)
				w.WriteString("," + strings.Repeat("x", c))
				rest -= c + 1
			}
			w.WriteString("\n")
		})
	}
	// blankRowsCSV: the header, blanks blank lines, the firm.
	blankRowsCSV := func(blanks int) func(t *testing.T) string {
		return csvOf(func(w *bufio.Writer) {
			w.WriteString(head + "\n" + strings.Repeat("\n", blanks) + firm + "\n")
		})
	}
	inline := func(cells ...string) string {
		var b strings.Builder
		for _, c := range cells {
			b.WriteString(`<c t="inlineStr"><is><t>` + c + `</t></is></c>`)
		}
		return b.String()
	}
	xlsxOf := func(sheet func(w *bufio.Writer), sst ...string) func(t *testing.T) string {
		return func(t *testing.T) string { return writeLimitXLSX(t, sheet, sst) }
	}
	rowsXLSX := func(rows ...string) func(t *testing.T) string {
		return xlsxOf(func(w *bufio.Writer) {
			for _, r := range rows {
				w.WriteString(r)
			}
		})
	}
	// wideXLSX: the firm's row with cells cells, without references.
	wideXLSX := func(cells int) func(t *testing.T) string {
		return rowsXLSX("<row>"+inline(headCells...)+"</row>", "<row>"+inline(firmCells...)+strings.Repeat("<c/>", cells-3)+"</row>")
	}
	// lastColumn: the firm's row with one more cell, at column col (by reference).
	lastColumn := func(col string) func(t *testing.T) string {
		return rowsXLSX(`<row r="1">`+inline(headCells...)+`</row>`,
			`<row r="2">`+inline(firmCells...)+`<c r="`+col+`2" t="inlineStr"><is><t>x</t></is></c></row>`)
	}
	// unnumberedRows: the header, blank rows without r=, the firm: rows rows in all.
	unnumberedRows := func(rows int) func(t *testing.T) string {
		return xlsxOf(func(w *bufio.Writer) {
			w.WriteString("<row>" + inline(headCells...) + "</row>")
			for range rows - 2 {
				w.WriteString("<row/>")
			}
			w.WriteString("<row>" + inline(firmCells...) + "</row>")
		})
	}
	numberedRow := func(row int) func(t *testing.T) string {
		r := strconv.Itoa(row)
		return rowsXLSX(`<row r="1">`+inline(headCells...)+`</row>`, `<row r="`+r+`">`+inline(firmCells...)+`</row>`)
	}
	longXLSXCell := func(chars int) func(t *testing.T) string {
		return rowsXLSX("<row>"+inline(headCells...)+"</row>", "<row>"+inline(firmCells[0], strings.Repeat("长", chars), "A")+"</row>")
	}
	longSharedString := func(chars int) func(t *testing.T) string {
		return xlsxOf(func(w *bufio.Writer) {
			w.WriteString("<row>" + inline(headCells...) + "</row>" + `<row>` + inline(firmCells[0]) + `<c t="s"><v>0</v></c>` + inline("A") + "</row>")
		}, strings.Repeat("长", chars))
	}
	wideXLSXHeader := func(cols int) func(t *testing.T) string {
		return xlsxOf(func(w *bufio.Writer) {
			w.WriteString("<row>" + inline(headCells...))
			for i := 4; i <= cols; i++ {
				w.WriteString(inline("列" + strconv.Itoa(i)))
			}
			w.WriteString("</row><row>" + inline(firmCells...) + "</row>")
		})
	}

	cases := []struct {
		limit      string
		at, past   func(t *testing.T) string
		want       []string // in the refusal of past, besides the file's name
		setup      func(t *testing.T, at string)
		atRows     int // data rows the file at the limit reads (0: 1)
		wantIssues bool
	}{
		{limit: "CSV 每行列数 16384", at: wideCSV(16384), past: wideCSV(16385),
			want: []string{"第2行", "16385 列", "16384 列的上限"}},
		{limit: "CSV 表头列数 16384", at: wideHeader(16384), past: wideHeader(16385),
			want: []string{"第1行", "16384 列的上限"}},
		{limit: "CSV 每个单元格 32767 个字符", at: longCSVCell(32767), past: longCSVCell(32768),
			want: []string{"第2行", "第2列", "32768 个字符", "32767 个字符的上限"}},
		{limit: "CSV 一个物理行 16 MiB", at: longLine(16 << 20), past: longLine(16<<20 + 1),
			want: []string{"第1行之后", "超过 16 MiB"}, wantIssues: true},
		{limit: "CSV 行数：无上限（1048577 行照读）", at: blankRowsCSV(1_048_576), past: nil},
		{limit: "xlsx 每行单元格 16384（无引用）", at: wideXLSX(16384), past: wideXLSX(16385),
			want: []string{"第2行", "16384 列"}},
		{limit: "xlsx 列 XFD", at: lastColumn("XFD"), past: lastColumn("XFE"),
			want: []string{"第2行", "16384 列"}, wantIssues: true},
		{limit: "xlsx 表头列数 16384", at: wideXLSXHeader(16384), past: wideXLSXHeader(16385),
			want: []string{"第1行", "16384 列"}},
		{limit: "xlsx 行数 1048576（无行号）", at: unnumberedRows(1_048_576), past: unnumberedRows(1_048_577),
			want: []string{"第1048577行", "1048576 行上限"}},
		{limit: "xlsx 行号 1048576", at: numberedRow(1_048_576), past: numberedRow(1_048_577),
			want: []string{"第1048577行", "行号 1048577 超过 Excel 的 1048576 行上限，已拒绝读取"}},
		{limit: "xlsx 每个单元格 32767 个字符（内联）", at: longXLSXCell(32767), past: longXLSXCell(32768),
			want: []string{"第2行", "32768 个字符", "32767 个字符"}},
		{limit: "xlsx 每个单元格 32767 个字符（共享字符串）", at: longSharedString(32767), past: longSharedString(32768),
			want: []string{"32767 个字符"}},
		{limit: "xlsx 解压后字节数（MaxUnzipSize）", at: unzipExactly(t, 0), past: unzipExactly(t, 1),
			want: []string{"解压后超过", "MiB 上限"}, wantIssues: true,
			setup: func(t *testing.T, at string) {
				old := xlsxstream.MaxUnzipSize
				xlsxstream.MaxUnzipSize = unzippedSize(t, at)
				t.Cleanup(func() { xlsxstream.MaxUnzipSize = old })
			}},
	}
	for _, c := range cases {
		t.Run(c.limit, func(t *testing.T) {
			at := c.at(t)
			if c.setup != nil {
				c.setup(t, at)
			}
			rep, err := CheckFirms(context.Background(), at, Options{})
			if err != nil {
				t.Fatalf("at the limit: %v", err)
			}
			if rep.Eligible != 1 {
				t.Errorf("at the limit: %d firms kept, want 1", rep.Eligible)
			}
			if !c.wantIssues && len(rep.Issues) > 0 {
				t.Errorf("at the limit: %d issues, first %+v", len(rep.Issues), rep.Issues[0])
			}
			if c.past == nil {
				return
			}
			past := c.past(t)
			_, err = CheckFirms(context.Background(), past, Options{})
			if err == nil {
				t.Fatal("one past the limit: read")
			}
			msg := err.Error()
			for _, w := range append([]string{past}, c.want...) {
				if !strings.Contains(msg, w) {
					t.Errorf("one past the limit: the message lacks %q:\n%.600s", w, msg)
				}
			}
			if len(msg) > 1000 {
				t.Errorf("a %d-byte message", len(msg))
			}
		})
	}
}

func writeStream(t *testing.T, name string, fill func(w *bufio.Writer)) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeLimitXLSX writes a workbook of one sheet whose rows sheet writes, with the shared
// strings sst (none when empty).
func writeLimitXLSX(t *testing.T, sheet func(w *bufio.Writer), sst []string) string {
	return writeStream(t, "名录.xlsx", func(w *bufio.Writer) {
		zw := zip.NewWriter(w)
		part := func(name string, fill func(w *bufio.Writer)) {
			pw, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			bw := bufio.NewWriterSize(pw, 64<<10)
			fill(bw)
			bw.Flush()
		}
		text := func(s string) func(w *bufio.Writer) { return func(w *bufio.Writer) { w.WriteString(s) } }
		rels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
		if len(sst) > 0 {
			rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
		}
		part("[Content_Types].xml", text(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`))
		part("_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`))
		part("xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>`))
		part("xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels+`</Relationships>`))
		part("xl/worksheets/sheet1.xml", func(w *bufio.Writer) {
			w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			sheet(w)
			w.WriteString(`</sheetData></worksheet>`)
		})
		if len(sst) > 0 {
			part("xl/sharedStrings.xml", func(w *bufio.Writer) {
				w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
				for _, s := range sst {
					w.WriteString("<si><t>" + s + "</t></si>")
				}
				w.WriteString("</sst>")
			})
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// unzipExactly returns a maker of a small roster workbook that unpacks to extra bytes more
// than the one made with extra 0 (the limit is then set to that one's size).
func unzipExactly(t *testing.T, extra int) func(t *testing.T) string {
	return func(t *testing.T) string {
		return writeLimitXLSX(t, func(w *bufio.Writer) {
			w.WriteString(`<row><c t="inlineStr"><is><t>统一社会信用代码</t></is></c><c t="inlineStr"><is><t>企业名称</t></is></c></row>` +
				`<row><c t="inlineStr"><is><t>91140430MAHXBE1M21</t></is></c><c t="inlineStr"><is><t>长治市沁县天晟晋地产房产经纪有限公司</t></is></c></row>`)
			w.WriteString(strings.Repeat(" ", 1000+extra))
		}, nil)
	}
}

// unzippedSize is the total uncompressed size of the parts of the workbook at path.
func unzippedSize(t *testing.T, path string) int64 {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var n int64
	for _, f := range zr.File {
		n += int64(f.UncompressedSize64)
	}
	return n
}
