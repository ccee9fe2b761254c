// Package xlsxwrite writes plain workbooks — text and whole-number cells, a few fixed cell
// styles, column widths, frozen header rows, A4 page setup, print titles, hidden sheets and
// list validations — straight to a zip stream, one row at a time.
//
// It exists because excelize's StreamWriter, the reference it is benchmarked and tested
// against (export's BenchmarkListXLSX and TestFastWorkbookMatchesExcelize), spends most of a
// draw's folder time on a large list: an interface value, a struct and an XML-escaping
// buffer per cell, then a second pass copying the sheet from a temp buffer into the zip.
// Here each row's XML is appended to one reused buffer and goes straight into the
// compressor. Everything else about a workbook (reading, formulas, merged cells, rich text)
// stays with excelize.
package xlsxwrite

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Style is a cell format. Styles are numbered by their place in Workbook.Styles, from 1
// (0 is the default, unformatted cell).
type Style struct {
	NumFmt int    // built-in number format id: 49 text ("@"), 1 whole number ("0")
	Bold   bool   // bold font
	Fill   string // solid fill colour as RRGGBB, "" for none
	Wrap   bool   // wrap text
	Top    bool   // align to the top of the cell
}

// Cell is one cell of a row.
type Cell struct {
	Style  int    // index into Workbook.Styles plus one; 0 for none
	Text   string // the value as text
	Number bool   // write Text as a number (it must be a decimal integer: strconv.Atoi)
}

// Validation is a drop-down list on a range of one column.
type Validation struct {
	Col              int    // 0-based column
	FromRow, ToRow   int    // 0-based rows, inclusive
	Source           string // range the list comes from, e.g. "'结果代码'!$A$1:$A$13"
	ErrTitle, ErrMsg string // shown when a typed value is not in the list (stop)
	InTitle, InMsg   string // shown when the cell is selected
}

// Sheet is one worksheet. Rows are produced by Row, called once for each r in 0..Rows-1 in
// order, which appends the row's cells to dst and returns it (dst is reused: the cells need
// not outlive the call).
type Sheet struct {
	Name       string // valid and unique in the workbook (the caller's job)
	Hidden     bool
	Widths     []float64 // column widths in Excel units, from column A
	FreezeRows int       // rows frozen at the top
	// Page setup: A4, fitted to one page wide, as many long as needed, this orientation;
	// PrintTitleRow (1-based, 0 for none) is repeated at the top of every printed page.
	PageSetup     bool
	Landscape     bool
	PrintTitleRow int
	Validation    *Validation
	Rows          int
	Row           func(r int, dst []Cell) []Cell
}

// Workbook is what Write writes.
type Workbook struct {
	Styles      []Style
	Sheets      []Sheet
	Creator     string
	Description string
}

var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// maxCellChars is Excel's limit on the characters of a cell; longer text is cut there, as
// excelize does (Excel refuses the file otherwise).
const maxCellChars = 32767

// rowsPerCheck is how often the row loop looks at ctx.
const rowsPerCheck = 256

// Compressor makes the deflate writer for each part (archive/zip's RegisterCompressor).
type Compressor func(w io.Writer) (io.WriteCloser, error)

// Write writes wb to w as an .xlsx file. compress, when not nil, replaces the standard
// library's deflate. The parts are written in a fixed order with no timestamps: the same
// workbook gives the same bytes.
func Write(ctx context.Context, w io.Writer, wb *Workbook, compress Compressor) error {
	if len(wb.Sheets) == 0 {
		return errors.New("工作簿没有工作表")
	}
	zw := zip.NewWriter(w)
	if compress != nil {
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return compress(out) })
	}
	part := func(name string, write func(b *buf) error) error {
		// 1980-01-01, the zip format's first day: a fixed date, so the bytes do not depend on
		// when the file was written (no date at all would read as the invalid 1980-00-00).
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch})
		if err != nil {
			return err
		}
		b := &buf{w: f}
		if err := write(b); err != nil {
			return err
		}
		return b.flush()
	}
	parts := []struct {
		name  string
		write func(b *buf) error
	}{
		{"[Content_Types].xml", wb.contentTypes},
		{"_rels/.rels", func(b *buf) error { b.str(rootRels); return nil }},
		{"docProps/app.xml", func(b *buf) error { b.str(appXML); return nil }},
		{"docProps/core.xml", wb.core},
		{"xl/workbook.xml", wb.workbook},
		{"xl/_rels/workbook.xml.rels", wb.workbookRels},
		{"xl/styles.xml", wb.styles},
	}
	for _, p := range parts {
		if err := part(p.name, p.write); err != nil {
			return err
		}
	}
	for i := range wb.Sheets {
		s := &wb.Sheets[i]
		if err := part(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), func(b *buf) error {
			return s.write(ctx, b, i == wb.activeSheet(), len(wb.Styles))
		}); err != nil {
			return fmt.Errorf("工作表 %s: %w", s.Name, err)
		}
	}
	return zw.Close()
}

// activeSheet is the first visible sheet (a hidden active sheet is an error to Excel).
func (wb *Workbook) activeSheet() int {
	for i, s := range wb.Sheets {
		if !s.Hidden {
			return i
		}
	}
	return 0
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	header = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

	rootRels = header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
		`</Relationships>`
	appXML = header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>choucha</Application></Properties>`
)

func (wb *Workbook) contentTypes(b *buf) error {
	b.str(header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	for i := range wb.Sheets {
		b.str(`<Override PartName="/xl/worksheets/sheet`)
		b.int(i + 1)
		b.str(`.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
	}
	b.str(`</Types>`)
	return nil
}

func (wb *Workbook) core(b *buf) error {
	b.str(header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	if wb.Creator != "" {
		b.str(`<dc:creator>`)
		b.text(wb.Creator)
		b.str(`</dc:creator>`)
	}
	if wb.Description != "" {
		b.str(`<dc:description>`)
		b.text(wb.Description)
		b.str(`</dc:description>`)
	}
	b.str(`</cp:coreProperties>`)
	return nil
}

func (wb *Workbook) workbook(b *buf) error {
	b.str(header + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView activeTab="`)
	b.int(wb.activeSheet())
	b.str(`"/></bookViews><sheets>`)
	for i, s := range wb.Sheets {
		b.str(`<sheet name="`)
		b.attr(s.Name)
		b.str(`" sheetId="`)
		b.int(i + 1)
		if s.Hidden {
			b.str(`" state="hidden`)
		}
		b.str(`" r:id="rId`)
		b.int(i + 1)
		b.str(`"/>`)
	}
	b.str(`</sheets>`)
	titles := false
	for i, s := range wb.Sheets {
		if s.PrintTitleRow <= 0 {
			continue
		}
		if !titles {
			b.str(`<definedNames>`)
			titles = true
		}
		n := strconv.Itoa(s.PrintTitleRow)
		b.str(`<definedName name="_xlnm.Print_Titles" localSheetId="`)
		b.int(i)
		b.str(`">`)
		b.text("'" + strings.ReplaceAll(s.Name, "'", "''") + "'!$" + n + ":$" + n)
		b.str(`</definedName>`)
	}
	if titles {
		b.str(`</definedNames>`)
	}
	b.str(`</workbook>`)
	return nil
}

func (wb *Workbook) workbookRels(b *buf) error {
	b.str(header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := range wb.Sheets {
		b.str(`<Relationship Id="rId`)
		b.int(i + 1)
		b.str(`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet`)
		b.int(i + 1)
		b.str(`.xml"/>`)
	}
	b.str(`<Relationship Id="rId`)
	b.int(len(wb.Sheets) + 1)
	b.str(`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)
	return nil
}

// styles writes one font per boldness, one fill per colour and one cell format per Style
// (after the default format 0), each format with its own font and fill.
func (wb *Workbook) styles(b *buf) error {
	var fills []string
	fillID := map[string]int{}
	for _, s := range wb.Styles {
		if s.Fill != "" && fillID[s.Fill] == 0 {
			if len(s.Fill) != 6 || strings.Trim(strings.ToUpper(s.Fill), "0123456789ABCDEF") != "" {
				return fmt.Errorf("填充颜色 %q 不是 RRGGBB", s.Fill)
			}
			fills = append(fills, strings.ToUpper(s.Fill))
			fillID[s.Fill] = len(fills) + 1 // after the two fills every workbook has
		}
	}
	b.str(header + `<styleSheet xmlns="` + nsMain + `">`)
	b.str(`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="`)
	b.int(2 + len(fills))
	b.str(`"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`)
	for _, f := range fills {
		b.str(`<fill><patternFill patternType="solid"><fgColor rgb="FF` + f + `"/></patternFill></fill>`)
	}
	b.str(`</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="`)
	b.int(1 + len(wb.Styles))
	b.str(`"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`)
	for _, s := range wb.Styles {
		font := 0
		if s.Bold {
			font = 1
		}
		b.str(`<xf numFmtId="`)
		b.int(s.NumFmt)
		b.str(`" fontId="`)
		b.int(font)
		b.str(`" fillId="`)
		b.int(fillID[s.Fill])
		b.str(`" borderId="0" xfId="0"`)
		if s.NumFmt != 0 {
			b.str(` applyNumberFormat="1"`)
		}
		if s.Bold {
			b.str(` applyFont="1"`)
		}
		if s.Fill != "" {
			b.str(` applyFill="1"`)
		}
		if s.Wrap || s.Top {
			b.str(` applyAlignment="1"><alignment`)
			if s.Top {
				b.str(` vertical="top"`)
			}
			if s.Wrap {
				b.str(` wrapText="1"`)
			}
			b.str(`/></xf>`)
		} else {
			b.str(`/>`)
		}
	}
	b.str(`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`)
	return nil
}

func (s *Sheet) write(ctx context.Context, b *buf, active bool, styles int) error {
	b.str(header + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	if s.PageSetup {
		b.str(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`)
	}
	b.str(`<sheetViews><sheetView`)
	if active {
		b.str(` tabSelected="1"`)
	}
	b.str(` workbookViewId="0">`)
	if s.FreezeRows > 0 {
		top := "A" + strconv.Itoa(s.FreezeRows+1)
		b.str(`<pane ySplit="`)
		b.int(s.FreezeRows)
		b.str(`" topLeftCell="` + top + `" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="` + top + `" sqref="` + top + `"/>`)
	}
	b.str(`</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(s.Widths) > 0 {
		b.str(`<cols>`)
		for c, w := range s.Widths {
			b.str(`<col min="`)
			b.int(c + 1)
			b.str(`" max="`)
			b.int(c + 1)
			b.str(`" width="`)
			b.b = strconv.AppendFloat(b.b, w, 'f', -1, 64)
			b.str(`" customWidth="1"/>`)
		}
		b.str(`</cols>`)
	}
	b.str(`<sheetData>`)
	var cells []Cell
	for r := range s.Rows {
		if r%rowsPerCheck == rowsPerCheck-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells = s.Row(r, cells[:0])
		rowNum := strconv.Itoa(r + 1)
		b.str(`<row r="` + rowNum + `">`)
		for c := range cells {
			cell := &cells[c]
			if cell.Style < 0 || cell.Style > styles {
				return fmt.Errorf("第%d行第%d列: 没有第 %d 种单元格格式", r+1, c+1, cell.Style)
			}
			b.str(`<c r="`)
			b.b = appendColumn(b.b, c)
			b.str(rowNum)
			if cell.Style > 0 {
				b.str(`" s="`)
				b.int(cell.Style)
			}
			switch {
			case cell.Number:
				if _, err := strconv.Atoi(cell.Text); err != nil {
					return fmt.Errorf("第%d行第%d列: %q 不是整数", r+1, c+1, cell.Text)
				}
				b.str(`"><v>` + cell.Text + `</v></c>`)
			case cell.Text == "":
				b.str(`"/>`)
			default:
				text := cell.Text
				if len(text) > maxCellChars {
					text = cutUTF16(text, maxCellChars)
				}
				b.str(`" t="inlineStr"><is><t`)
				if needsPreserve(text) {
					b.str(` xml:space="preserve"`)
				}
				b.str(`>`)
				if strings.Contains(text, "_x") {
					text = escapeHexRefs(text)
				}
				b.text(text)
				b.str(`</t></is></c>`)
			}
		}
		b.str(`</row>`)
		if len(b.b) >= flushAt {
			if err := b.flush(); err != nil {
				return err
			}
		}
	}
	b.str(`</sheetData>`)
	if v := s.Validation; v != nil && v.ToRow >= v.FromRow {
		col := string(appendColumn(nil, v.Col))
		b.str(`<dataValidations count="1"><dataValidation type="list" errorStyle="stop" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorTitle="`)
		b.attr(v.ErrTitle)
		b.str(`" error="`)
		b.attr(v.ErrMsg)
		b.str(`" promptTitle="`)
		b.attr(v.InTitle)
		b.str(`" prompt="`)
		b.attr(v.InMsg)
		b.str(`" sqref="` + col + strconv.Itoa(v.FromRow+1) + ":" + col + strconv.Itoa(v.ToRow+1) + `"><formula1>`)
		b.text(v.Source)
		b.str(`</formula1></dataValidation></dataValidations>`)
	}
	b.str(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
	if s.PageSetup {
		orientation := "portrait"
		if s.Landscape {
			orientation = "landscape"
		}
		b.str(`<pageSetup paperSize="9" orientation="` + orientation + `" fitToWidth="1" fitToHeight="0"/>`)
	}
	b.str(`</worksheet>`)
	return nil
}

// appendColumn appends the letters of 0-based column c (A, …, Z, AA, …).
func appendColumn(dst []byte, c int) []byte {
	var tmp [4]byte
	i := len(tmp)
	for c++; c > 0; c = (c - 1) / 26 {
		i--
		tmp[i] = byte('A' + (c-1)%26)
	}
	return append(dst, tmp[i:]...)
}

// cutUTF16 cuts s to at most n UTF-16 code units (Excel counts a cell's characters so; a
// character beyond the Basic Multilingual Plane is two).
func cutUTF16(s string, n int) string {
	for i, r := range s {
		if n -= utf16.RuneLen(r); n < 0 {
			return s[:i]
		}
	}
	return s
}

// escapeHexRefs writes the underscore of every "_xHHHH_" in s as "_x005F_" (overlapping ones
// too): a spreadsheet
// reads "_xHHHH_" in a cell's text as the character U+HHHH (ECMA-376 ST_Xstring), so text
// that contains it literally must escape it to read back as written.
func escapeHexRefs(s string) string {
	var out strings.Builder
	last := 0
	for i := 0; i+7 <= len(s); i++ {
		if s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' && isHex(s[i+2:i+6]) {
			out.WriteString(s[last:i])
			out.WriteString("_x005F")
			last = i // the "_xHHHH_" itself follows, unchanged; its last underscore may begin
			// another (in "_x005F_x0041_" both are escaped, or "_x0041_" would be read as "A")
		}
	}
	if last == 0 && out.Len() == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// needsPreserve: leading or trailing white space is kept only with xml:space="preserve".
func needsPreserve(s string) bool {
	if s == "" {
		return false
	}
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	return isSpace(s[0]) || isSpace(s[len(s)-1])
}

// flushAt is the size at which a part's buffer goes into the compressor.
const flushAt = 64 << 10

// buf is a part's XML being built; flush hands it to the zip entry.
type buf struct {
	w io.Writer
	b []byte
}

func (b *buf) str(s string) { b.b = append(b.b, s...) }
func (b *buf) int(n int)    { b.b = strconv.AppendInt(b.b, int64(n), 10) }

func (b *buf) flush() error {
	_, err := b.w.Write(b.b)
	b.b = b.b[:0]
	return err
}

// text appends s escaped as XML character data, as encoding/xml's EscapeText does but for
// quotes and line breaks (see escape).
//
// escape writes &, < and >, tab and carriage return as references (a carriage return would
// otherwise be read as a line break), quotes and newlines too inside an attribute (inAttr),
// and what XML 1.0 cannot hold (control characters, invalid UTF-8, U+FFFE, U+FFFF) as
// U+FFFD.
func (b *buf) text(s string) { b.escape(s, false) }

func (b *buf) escape(s string, inAttr bool) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && n == 1) || r == 0xFFFE || r == 0xFFFF {
				b.b = append(b.b, s[last:i]...)
				b.b = append(b.b, "\uFFFD"...)
				last = i + n
			}
			i += n
			continue
		}
		var esc string
		switch c {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'', '"':
			if !inAttr {
				i++
				continue
			}
			esc = "&#34;"
			if c == '\'' {
				esc = "&#39;"
			}
		case '\t':
			esc = "&#x9;"
		case '\n':
			if !inAttr {
				i++
				continue
			}
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if c < 0x20 {
				esc = "\uFFFD"
			} else {
				i++
				continue
			}
		}
		b.b = append(b.b, s[last:i]...)
		b.b = append(b.b, esc...)
		i++
		last = i
	}
	b.b = append(b.b, s[last:]...)
}

// attr appends s escaped for a double-quoted attribute: quotes and line breaks as references.
func (b *buf) attr(s string) { b.escape(s, true) }
