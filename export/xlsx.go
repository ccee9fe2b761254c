package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/pflate"
	"github.com/choucha/choucha/internal/xlsxwrite"
	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// sheet is one worksheet to write: rows of text cells (numeric columns excepted), some rows
// bold (headers), the top rows frozen, column widths from the content.
type sheet struct {
	name    string
	rows    [][]string
	bold    map[int]bool // 0-based rows written bold (headers, titles)
	freeze  int          // rows frozen at the top; 0 for none
	numeric map[int]bool // 0-based columns written as numbers (ordinals only)
	// dropList, when set, adds a list validation to column dropCol (0-based) of rows
	// dropFrom..len(rows)-1 from the range source (e.g. "'结果代码'!$A$1:$A$13").
	dropList string
	dropCol  int
	dropFrom int
	hidden   bool
	wrapCols map[int]bool // 0-based columns whose cells wrap (long free text)
}

// cellStyle is one of the package's four cell formats (numbered from 1, as xlsxwrite's
// styles are).
type cellStyle int

const (
	styleText   cellStyle = iota + 1 // text format ("@"), top-aligned
	styleWrap                        // text, wrapped
	styleBold                        // a header: text, bold, grey fill
	styleNumber                      // a whole number ("0")
)

// format is how cell (r, c) of s, holding v, is written: its style, and whether v goes in as
// a number (only in a numeric column outside the bold rows, and only a plain decimal integer,
// so that "007" stays text). Both workbook writers follow it.
func (s *sheet) format(r, c int, v string) (style cellStyle, number bool) {
	switch {
	case s.bold[r]:
		return styleBold, false
	case s.numeric[c]:
		n, err := strconv.Atoi(v)
		return styleNumber, err == nil && strconv.Itoa(n) == v
	case s.wrapCols[c]:
		return styleWrap, false
	}
	return styleText, false
}

// writeWorkbook writes sheets to w with internal/xlsxwrite: every cell text in the text
// format ("@") unless its column is numeric, the bold rows in the header style, column widths
// from the content (columnWidths), the top rows frozen, A4 page setup (pageSetup's rules) and
// print titles, a hidden sheet hidden, a drop-down list where the sheet has one.
//
// writeWorkbookExcelize writes the same workbook with excelize (StreamWriter for plain
// sheets): it is the reference TestFastWorkbookMatchesExcelize compares every workbook of
// this package against, and BenchmarkListXLSX times both (on a 41,000-firm list excelize
// took about three times as long, most of a draw's folder time).
//
// Ctrl-C stops it promptly: ctx is checked between sheets and every rowsPerCheck rows, and
// the workbook's bytes go through a writer that fails once ctx is done. The caller writes w
// to a temp file (internal/atomicfile) that it removes on the error.
func writeWorkbook(ctx context.Context, w io.Writer, sheets []sheet) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	names := uniqueSheetNames(sheets)
	wb := &xlsxwrite.Workbook{
		Styles: []xlsxwrite.Style{
			styleText - 1:   {NumFmt: 49, Top: true},
			styleWrap - 1:   {NumFmt: 49, Top: true, Wrap: true},
			styleBold - 1:   {NumFmt: 49, Top: true, Bold: true, Fill: "E7E6E6"},
			styleNumber - 1: {NumFmt: 1, Top: true},
		},
		Creator:     "choucha",
		Description: "choucha 双随机抽查",
	}
	for i := range sheets {
		s := &sheets[i]
		widths := columnWidths(s.rows, s.wrapCols)
		xs := xlsxwrite.Sheet{
			Name: names[i], Hidden: s.hidden, Widths: widths, FreezeRows: s.freeze,
			Rows: len(s.rows),
			Row: func(r int, dst []xlsxwrite.Cell) []xlsxwrite.Cell {
				for c, v := range s.rows[r] {
					style, number := s.format(r, c, v)
					dst = append(dst, xlsxwrite.Cell{Style: int(style), Text: v, Number: number})
				}
				return dst
			},
		}
		if !s.hidden {
			xs.PageSetup = true
			xs.Landscape = landscape(widths)
			xs.PrintTitleRow = s.freeze
		}
		if s.dropList != "" && len(s.rows) > s.dropFrom {
			xs.Validation = &xlsxwrite.Validation{
				Col: s.dropCol, FromRow: s.dropFrom, ToRow: len(s.rows) - 1, Source: s.dropList,
				ErrTitle: dropErrTitle, ErrMsg: dropErrMsg, InTitle: dropInTitle, InMsg: dropInMsg,
			}
		}
		wb.Sheets = append(wb.Sheets, xs)
	}
	var compress xlsxwrite.Compressor
	if fastZip {
		// On all cores: the list sheet of a large draw (44 MB of XML at 41,000 firms) was the
		// last file of the folder to be done, compressed on one core while the other had
		// nothing left to do; in parallel that tail took 0.03–0.07 s instead of 0.06–0.16 s
		// (bench/RESULTS.md, eighteenth round).
		compress = func(out io.Writer) (io.WriteCloser, error) {
			if !parallelZip {
				return kflate.NewWriter(out, zipLevel)
			}
			return pflate.NewWriter(out, zipLevel)
		}
	}
	return xlsxwrite.Write(ctx, ctxWriter{ctx, w}, wb, compress)
}

// The drop-down's messages (检查结果).
const (
	dropErrTitle = "检查结果"
	dropErrMsg   = "请从下拉列表中选择标准检查结果"
	dropInTitle  = "检查结果"
	dropInMsg    = "请从下拉列表中选择"
)

// writeWorkbookExcelize is writeWorkbook done with excelize: the reference (see writeWorkbook).
func writeWorkbookExcelize(ctx context.Context, w io.Writer, sheets []sheet) (err error) {
	f := excelize.NewFile()
	defer f.Close()
	if fastZip {
		f.SetZipWriter(newFastZip)
	}
	names := uniqueSheetNames(sheets)
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		NumFmt:    49,
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Alignment: &excelize.Alignment{Vertical: "top"},
	})
	if err != nil {
		return err
	}
	number, err := f.NewStyle(&excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	for i := range sheets {
		if err := ctx.Err(); err != nil {
			return err
		}
		s := &sheets[i]
		name := names[i]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		ids := map[cellStyle]int{styleText: text, styleWrap: wrap, styleBold: bold, styleNumber: number}
		styleOf := func(r, c int) int {
			style, _ := s.format(r, c, "")
			return ids[style]
		}
		valueOf := func(r, c int, v string) any {
			if _, number := s.format(r, c, v); number {
				n, _ := strconv.Atoi(v)
				return n
			}
			return v
		}
		widths := columnWidths(s.rows, s.wrapCols)
		// Before the stream writer starts: it writes the sheet properties first.
		if err := pageSetup(f, name, s, widths); err != nil {
			return fmt.Errorf("工作表 %s 的页面设置: %w", name, err)
		}
		if s.dropList == "" {
			if err := streamSheet(ctx, f, name, s, widths, styleOf, valueOf); err != nil {
				return fmt.Errorf("写工作表 %s: %w", name, err)
			}
		} else if err := plainSheet(ctx, f, name, s, widths, styleOf, valueOf); err != nil {
			return fmt.Errorf("写工作表 %s: %w", name, err)
		}
		if s.hidden {
			if err := f.SetSheetVisible(name, false); err != nil {
				return err
			}
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "choucha", Description: "choucha 双随机抽查"}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = f.WriteTo(ctxWriter{ctx, w})
	return err
}

// fastZip: the workbook's parts are deflated with github.com/klauspost/compress/flate
// instead of the standard library's compress/flate (the zip format and every reader are the
// same; only the compressor differs). On a 41,000-firm list it deflates in about a third of
// the time, for a file a few percent larger; BenchmarkListXLSX keeps the standard
// compressor as the reference (fastZip = false).
var fastZip = true

// zipLevel is klauspost's level for the workbook: its fastest. On a 41,000-firm list the
// whole workbook is written in about 0.6× the time of its default level, for a file 5%
// larger (4.4 against 4.2 MB); BenchmarkListXLSX keeps the default level as a reference.
var zipLevel = kflate.BestSpeed

// parallelZip: the workbook's parts are compressed on all cores (internal/pflate); false (in
// BenchmarkListXLSX only) on one, with klauspost flate, the reference.
var parallelZip = true

func newFastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return kflate.NewWriter(out, zipLevel)
	})
	return zw
}

// rowsPerCheck is how often the row loops look at ctx: a 70,000-row list takes about a
// second to build, so Ctrl-C is seen within a few milliseconds.
const rowsPerCheck = 256

// ctxWriter fails its writes once ctx is done (excelize's WriteTo zips the whole workbook).
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}

func streamSheet(ctx context.Context, f *excelize.File, name string, s *sheet, widths []float64, styleOf func(r, c int) int, valueOf func(r, c int, v string) any) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for c, wd := range widths {
		if err := sw.SetColWidth(c+1, c+1, wd); err != nil {
			return err
		}
	}
	if s.freeze > 0 {
		if err := sw.SetPanes(freezePanes(s.freeze)); err != nil {
			return err
		}
	}
	for r, row := range s.rows {
		if r%rowsPerCheck == rowsPerCheck-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells := make([]any, len(row))
		for c, v := range row {
			cells[c] = excelize.Cell{StyleID: styleOf(r, c), Value: valueOf(r, c, v)}
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func plainSheet(ctx context.Context, f *excelize.File, name string, s *sheet, widths []float64, styleOf func(r, c int) int, valueOf func(r, c int, v string) any) error {
	for c, wd := range widths {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(name, col, col, wd); err != nil {
			return err
		}
	}
	for r, row := range s.rows {
		if r%rowsPerCheck == rowsPerCheck-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			val := valueOf(r, c, v)
			var err error
			if str, ok := val.(string); ok {
				// SetCellStr, never SetCellValue's guessing: a code stays a string.
				err = f.SetCellStr(name, ref, str)
			} else {
				err = f.SetCellValue(name, ref, val)
			}
			if err != nil {
				return err
			}
			// Empty input cells (检查日期, 备注) get the text style too: what is typed stays as typed.
			if err := f.SetCellStyle(name, ref, ref, styleOf(r, c)); err != nil {
				return err
			}
		}
	}
	if s.freeze > 0 {
		if err := f.SetPanes(name, freezePanes(s.freeze)); err != nil {
			return err
		}
	}
	if s.dropList != "" && len(s.rows) > s.dropFrom {
		col, _ := excelize.ColumnNumberToName(s.dropCol + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s%d:%s%d", col, s.dropFrom+1, col, len(s.rows)))
		dv.SetSqrefDropList(s.dropList)
		dv.SetError(excelize.DataValidationErrorStyleStop, dropErrTitle, dropErrMsg)
		dv.SetInput(dropInTitle, dropInMsg)
		if err := f.AddDataValidation(name, dv); err != nil {
			return err
		}
	}
	return nil
}

// portraitWidth is the widest sheet, in Excel column units, printed upright on A4: 210 mm
// less the default 0.7-inch margins is about 174 mm, some 93 columns of one character.
const portraitWidth = 93

// pageSetup makes a sheet print on A4 — landscape when its columns are wider than a
// portrait page — scaled to one page wide (as many pages long as needed), with the header
// row (the last frozen row) repeated at the top of every page.
func pageSetup(f *excelize.File, name string, s *sheet, widths []float64) error {
	if s.hidden {
		return nil
	}
	orientation := "portrait"
	if landscape(widths) {
		orientation = "landscape"
	}
	a4, one, tall := 9, 1, 0
	fit := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	if s.freeze > 0 {
		return f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(name, "'", "''"), s.freeze, s.freeze),
			Scope:    name,
		})
	}
	return nil
}

// landscape: columns wider than a portrait page are printed across a landscape one.
func landscape(widths []float64) bool {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	return total > portraitWidth
}

func freezePanes(rows int) *excelize.Panes {
	top, _ := excelize.CoordinatesToCellName(1, rows+1)
	return &excelize.Panes{Freeze: true, YSplit: rows, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}
}

// displayWidth is the width of s in Excel column units: CJK wide and full-width characters
// count two, others one; the widest line of a multi-line cell counts.
func displayWidth(s string) int {
	best := 0
	for line := range strings.SplitSeq(s, "\n") {
		n := 0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// columnWidths sizes each column to its widest cell, within 6..50 (40 for wrapping columns).
//
// A cell is measured only when it could widen its column: a cell is never wider than its
// UTF-8 length (a wide character takes three or four bytes, any other at least one) nor than
// twice its characters (counting them is far cheaper than looking each up: Chinese text is
// three bytes but two columns a character), and a column at its limit stays there. On a
// 41,000-firm list that skips almost every cell; the widths are the same.
func columnWidths(rows [][]string, wrap map[int]bool) []float64 {
	var w, limits []int
	for _, row := range rows {
		for c, v := range row {
			for len(w) <= c {
				limit := 50
				if wrap[len(w)] {
					limit = 40
				}
				w, limits = append(w, 0), append(limits, limit)
			}
			if len(v) > w[c] && w[c]+2 < limits[c] && 2*utf8.RuneCountInString(v) > w[c] {
				w[c] = max(w[c], displayWidth(v))
			}
		}
	}
	out := make([]float64, len(w))
	for c, n := range w {
		out[c] = float64(min(max(n+2, 6), limits[c]))
	}
	return out
}

// uniqueSheetNames makes each sheet's name valid for Excel (no []:*?/\, no leading or
// trailing apostrophe, at most 31 UTF-16 units) and unique (case-insensitively).
func uniqueSheetNames(sheets []sheet) []string {
	seen := map[string]bool{}
	out := make([]string, len(sheets))
	for i, s := range sheets {
		base := sheetName(s.name)
		name := base
		for n := 2; seen[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf("(%d)", n)
			name = truncUTF16(base, 31-len(suffix)) + suffix
		}
		seen[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\', '\n', '\r', '\t':
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, "' ")
	s = truncUTF16(s, 31)
	s = strings.Trim(s, "' ")
	if s == "" {
		s = "Sheet"
	}
	return s
}

func truncUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += len(utf16.Encode([]rune{r}))
		if units > n {
			return s[:i]
		}
	}
	return s
}

// Table is one worksheet of plain text: a header row and rows.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
}

// WriteTablesXLSX writes one worksheet per table, in this package's one xlsx style: every
// cell text, the header bold and frozen, widths from the content, long cells wrapped.
func WriteTablesXLSX(ctx context.Context, w io.Writer, tables ...Table) error {
	return writeWorkbook(ctx, w, tableSheets(tables))
}

// tableSheets are WriteTablesXLSX's sheets.
func tableSheets(tables []Table) []sheet {
	sheets := make([]sheet, len(tables))
	for i, t := range tables {
		wrap := map[int]bool{}
		for c := range t.Header {
			wrap[c] = true
		}
		sheets[i] = sheet{name: t.Name, rows: append([][]string{t.Header}, t.Rows...),
			bold: map[int]bool{0: true}, freeze: 1, wrapCols: wrap}
	}
	return sheets
}
