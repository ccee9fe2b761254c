package xlsxstream

// Small sheets read whole: the annual plan. A plan is a few hundred rows, but the file is
// user data like a roster, so it goes through the same package layer (zip-bomb budget,
// duplicate parts refused, CRC checked, Excel's row, column and cell limits, out-of-range
// shared-string indexes refused) and the same XML scanner, never through excelize's reader
// (which leaves temporary files and expands merged ranges as given).
//
// What ReadGrid gives is what excelize's GetRows and GetMergeCells gave the plan reader:
//   - Rows as GetRows numbers and fills them: row i is sheet row i+1, a row the file does not
//     have is empty, trailing rows without cells are dropped, empty cells without a formula
//     are not added and the cells before a value are padded with "".
//   - Cell text formatted as GetRows formats it (number formats applied, booleans as TRUE and
//     FALSE). The formatting is excelize's own: a scratch workbook in memory is given the
//     cell's stored value and number format, and excelize formats it (format.go). No user
//     file is ever parsed by excelize.
//   - The merged ranges of <mergeCells> (after <sheetData>) as written, in file order.
//
// Where it differs, it refuses what excelize read silently: a row number that goes backwards
// or repeats (excelize then adds cells to the row being read), a shared-string index out of
// range (excelize's GetRows stopped at it and returned the rows before it), a merged range
// whose reference is not a range of cells.

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/xuri/excelize/v2"
)

// ErrZipBomb is in the chain of every error that refuses a workbook for unpacking past its
// limit (errors.Is), so a caller with its own limit can word the refusal.
var ErrZipBomb = errZipBomb

// Grid is one worksheet read whole.
type Grid struct {
	Sheet  string
	State  string // .xls: the sheet's state ("", "hidden", "veryHidden"); "" from ReadGrid
	Rows   [][]GridCell
	Merges []Range
}

// GridCell is one cell: Text as Excel shows it (as excelize's GetRows gives it), Raw as
// stored (as excelize gives it with RawCellValue), Number when stored as a number (no t
// attribute, or t="n").
type GridCell struct {
	Text, Raw string
	Number    bool
}

// Range is a merged range: its reference as written and its corners (1-based, ordered).
type Range struct {
	Ref                    string
	Col1, Row1, Col2, Row2 int
}

// OpenReaderLimit is OpenReader with a smaller unzip limit than MaxUnzipSize: the parts read
// may unpack to at most maxUnzip bytes in all (errors.Is(err, ErrZipBomb) past it).
func OpenReaderLimit(r io.ReaderAt, size int64, name string, maxUnzip int64) (*Book, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, xlsxOpenError(name, err)
	}
	var claimed int64
	for _, f := range zr.File {
		claimed += int64(f.UncompressedSize64)
		if f.UncompressedSize64 > uint64(maxUnzip) || claimed > maxUnzip || claimed < 0 {
			return nil, zipBombError(name)
		}
	}
	pkg, err := newXLSXPackage(name, zr, nil)
	if err != nil {
		return nil, err
	}
	pkg.budget = min(pkg.budget, maxUnzip)
	return newBook(name, pkg)
}

// GridLimitError refuses a sheet with more cells than ReadGrid was allowed to hold.
type GridLimitError struct {
	Sheet string
	Max   int
}

func (e *GridLimitError) Error() string {
	return fmt.Sprintf("工作表“%s”的单元格超过 %d 个（连同有值单元格之前的空单元格）", e.Sheet, e.Max)
}

// ReadGrid reads one worksheet (the one named so, ignoring case) whole, holding at most
// maxCells cells (counting the empty cells before a value; a *GridLimitError past it). ctx
// is checked every 1024 rows.
func (b *Book) ReadGrid(ctx context.Context, sheet string, maxCells int) (*Grid, error) {
	file := b.file
	fail := func(row int, err error) error {
		if e, ok := archiveError(file, err); ok {
			return e
		}
		if le := (*LimitError)(nil); errors.As(err, &le) {
			return &apperr.Error{
				Err:  fmt.Errorf("读取 %s 工作表“%s”第%d行: %s，已拒绝读取", file, sheet, row, le.Msg),
				Hint: "这不是 Excel 能打开的工作表（可能是恶意或生成出错的文件）；请在 Excel/WPS 中打开检查后另存为 .xlsx",
			}
		}
		if row > 0 {
			err = fmt.Errorf("读取 %s 工作表“%s”第%d行: %w（文件已损坏或被截断）", file, sheet, row, err)
		} else {
			err = fmt.Errorf("读取 %s 工作表“%s”: %w（文件已损坏或被截断）", file, sheet, err)
		}
		return &apperr.Error{Err: err, Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx"}
	}
	name := ""
	for _, s := range b.sheets {
		if strings.EqualFold(s.name, sheet) {
			name = s.name
			break
		}
	}
	part := b.pkg.lookup(b.sheetPath[name])
	if name == "" || b.sheetPath[name] == "" || part == nil {
		return nil, fmt.Errorf("读取 %s 工作表“%s”: 文件中没有这个工作表的数据", file, sheet)
	}
	if err := b.loadSharedStrings(); err != nil {
		return nil, err
	}
	format, err := b.formatter()
	if err != nil {
		return nil, fail(0, err)
	}
	rc, err := b.pkg.open(part)
	if err != nil {
		return nil, damagedXLSXError(file, err)
	}
	defer rc.Close()
	fs := &fastSheet{s: newXMLScanner(rc, 64<<10), sst: b.sst}
	g := &Grid{Sheet: name}
	rowNum := 0          // the current row's number
	var cur []GridCell   // its cells
	col := 0             // the last cell's column
	inSheetData := false // between <sheetData> and </sheetData>
	inMerges := false    // inside <mergeCells>
	cells := 0           // cells held
	flush := func() {
		if len(cur) == 0 {
			return
		}
		for len(g.Rows) < rowNum-1 {
			g.Rows = append(g.Rows, nil)
		}
		g.Rows = append(g.Rows, cur)
		cur = nil
	}
	s := fs.s
	for n := 0; ; {
		k, err := s.next()
		if err != nil {
			return nil, fail(rowNum, err)
		}
		if k == tokEOF {
			break
		}
		switch k {
		case tokText:
			if err := s.checkText(); err != nil {
				return nil, fail(rowNum, err)
			}
		case tokEnd:
			switch string(s.local) {
			case "sheetData":
				inSheetData = false
			case "mergeCells":
				inMerges = false
			}
		case tokStart:
			switch {
			case string(s.local) == "sheetData" && s.depth() == 2:
				inSheetData = !s.selfClose
			case string(s.local) == "mergeCells" && s.depth() == 2:
				inMerges = !s.selfClose
			case inMerges && string(s.local) == "mergeCell":
				var ref []byte
				err := eachAttr(s.attrs, func(at attr) (bool, error) {
					if string(at.local) != "ref" {
						return false, nil
					}
					var err error
					ref, err = attrValue(nil, at.value)
					return true, err
				})
				if err != nil {
					return nil, fail(0, err)
				}
				rg, err := parseRange(string(ref))
				if err != nil {
					return nil, &apperr.Error{
						Err:  fmt.Errorf("读取 %s 工作表“%s”: 合并单元格“%s”不是有效的单元格范围", file, name, ref),
						Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx",
					}
				}
				g.Merges = append(g.Merges, rg)
				if !s.selfClose {
					if err := skipElement(s); err != nil {
						return nil, fail(0, err)
					}
				}
			case inSheetData && string(s.local) == "row":
				flush()
				num := 0
				err := eachAttr(s.attrs, func(at attr) (bool, error) {
					if string(at.local) != "r" {
						return false, nil
					}
					v, err := attrValue(nil, at.value)
					if err == nil {
						num, err = strconv.Atoi(string(v))
						if err != nil {
							err = fmt.Errorf("行号“%s”无效", v)
						}
					}
					return true, err
				})
				if err != nil {
					return nil, fail(rowNum+1, err)
				}
				switch {
				case num == 0:
					num = rowNum + 1
				case num <= rowNum:
					return nil, fail(num, fmt.Errorf("行号 %d 不在第%d行之后（行的顺序错乱）", num, rowNum))
				}
				if num > MaxRows {
					return nil, fail(num, rowLimitError())
				}
				rowNum, col = num, 0
				if n++; n&1023 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
			case inSheetData && string(s.local) == "c":
				if rowNum == 0 {
					return nil, fail(0, syntaxErr("单元格不在任何行内"))
				}
				style := 0
				err := eachAttr(s.attrs, func(at attr) (bool, error) {
					if string(at.local) != "s" {
						return false, nil
					}
					v, err := attrValue(nil, at.value)
					if err == nil {
						if style, err = strconv.Atoi(strings.TrimSpace(string(v))); err != nil {
							err = fmt.Errorf("单元格样式编号“%s”无效", v)
						}
					}
					return true, err
				})
				if err != nil {
					return nil, fail(rowNum, err)
				}
				if err := fs.cell(); err != nil {
					return nil, fail(rowNum, err)
				}
				col++
				if len(fs.cellRef) > 0 {
					if col, err = cellColumn(fs.cellRef); err != nil {
						return nil, fail(rowNum, fmt.Errorf("单元格 %s: %w", fs.cellRef, err))
					}
				}
				if col > MaxColumns {
					return nil, fail(rowNum, columnLimitError())
				}
				c, err := b.gridCell(fs, style, format)
				if err != nil {
					return nil, fail(rowNum, fmt.Errorf("单元格 %s: %w", fs.cellRef, err))
				}
				if err := CheckCell(c.Text); err != nil {
					return nil, fail(rowNum, err)
				}
				if c.Text == "" && !fs.hasF {
					continue
				}
				if cells += max(col-len(cur), 1); cells > maxCells {
					return nil, &GridLimitError{Sheet: name, Max: maxCells}
				}
				for len(cur) < col-1 {
					cur = append(cur, GridCell{})
				}
				cur = append(cur, c)
			}
		}
	}
	flush()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

// loadSharedStrings reads the shared-string table once, for Scan and ReadGrid.
func (b *Book) loadSharedStrings() error {
	if b.sstRead || b.sstPath == "" {
		b.sstRead = true
		return nil
	}
	f := b.pkg.lookup(b.sstPath)
	rc, err := b.pkg.open(f)
	if err != nil {
		return damagedXLSXError(b.file, err)
	}
	b.sst, err = readSharedStrings(rc, int64(f.UncompressedSize64))
	rc.Close()
	if err != nil {
		if e, ok := archiveError(b.file, err); ok {
			return e
		}
		switch {
		case errors.Is(err, errSharedSize), errors.Is(err, errSharedCount):
			what := fmt.Sprintf("文字超过 %d MiB", maxSharedStringBytes>>20)
			if errors.Is(err, errSharedCount) {
				what = fmt.Sprintf("超过 %d 项", maxSharedStrings)
			}
			return &apperr.Error{
				Err:  fmt.Errorf("读取 %s 的共享字符串表（%s）: %s，已拒绝读取（上限按 Excel 的 1,048,576 行、每行 128 字节各不相同的文字计，是 100 万行名录所需的四倍）", b.file, b.sstPath, what),
				Hint: "请删去不需要的列（如经营范围）后另存为 .xlsx，或另存为 CSV 后再试（CSV 逐行读取，没有这个上限）",
			}
		}
		return &apperr.Error{Err: fmt.Errorf("读取 %s 的共享字符串表（%s）: %w", b.file, b.sstPath, err),
			Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx，或重新导出名录"}
	}
	b.sstRead = true
	return nil
}

// gridCell turns the <c> element fs just read into its raw and shown values, as excelize's
// getValueFrom does (cell.go): raw for RawCellValue, formatted otherwise.
func (b *Book) gridCell(fs *fastSheet, style int, format *cellFormatter) (GridCell, error) {
	v := string(fs.cellV)
	c := GridCell{}
	switch string(fs.cellT) {
	case "s":
		if len(fs.cellV) == 0 {
			c.Raw = ""
			c.Text = format.text(style, c.Raw)
			return c, nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return c, fmt.Errorf("共享字符串索引“%s”不是数字", v)
		}
		if b.sst == nil || i < 0 || i >= b.sst.len() {
			return c, fmt.Errorf("共享字符串索引 %d 超出范围（共享字符串表只有 %d 项）", i, b.sst.lenOrZero())
		}
		c.Raw = b.sst.get(i)
		c.Text = format.text(style, c.Raw)
	case "inlineStr":
		c.Raw = v
		if fs.hasIS {
			c.Raw = string(fs.cellIS)
		}
		c.Text = format.text(style, c.Raw)
	case "str":
		c.Raw, c.Text = v, v
	case "b":
		c.Raw = v
		switch v {
		case "1":
			c.Text = "TRUE"
		case "0":
			c.Text = "FALSE"
		default:
			c.Text = format.text(style, v)
		}
	case "d":
		c.Raw = v
		c.Text = format.date(style, v)
	default:
		c.Raw = v
		c.Number = len(fs.cellT) == 0 || string(fs.cellT) == "n"
		c.Text = format.number(style, v)
	}
	return c, nil
}

func (t *sharedStrings) lenOrZero() int {
	if t == nil {
		return 0
	}
	return t.len()
}

// parseRange reads a merged range's reference as excelize's xlsxMergeCell.Rect does ("B2"
// is the range B2:B2), with its corners put in order.
func parseRange(ref string) (Range, error) {
	r := strings.ReplaceAll(ref, "$", "")
	if !strings.Contains(r, ":") {
		r += ":" + r
	}
	a, z, ok := strings.Cut(r, ":")
	if !ok || strings.Contains(z, ":") {
		return Range{}, fmt.Errorf("range %q", ref)
	}
	c1, r1, err := excelize.CellNameToCoordinates(a)
	if err != nil {
		return Range{}, err
	}
	c2, r2, err := excelize.CellNameToCoordinates(z)
	if err != nil {
		return Range{}, err
	}
	return Range{Ref: ref, Col1: min(c1, c2), Row1: min(r1, r2), Col2: max(c1, c2), Row2: max(r1, r2)}, nil
}

// ---- styles: which number format each cell style has ----

type xlsxStyleParts struct {
	NumFmts []struct {
		ID     int    `xml:"numFmtId,attr"`
		Code   string `xml:"formatCode,attr"`
		Code16 string `xml:"http://schemas.microsoft.com/office/spreadsheetml/2015/02/main formatCode16,attr"`
	} `xml:"numFmts>numFmt"`
	CellXfs *struct {
		Xf []struct {
			NumFmtID *int `xml:"numFmtId,attr"`
		} `xml:"xf"`
	} `xml:"cellXfs"`
}

type workbookPr struct {
	Pr *struct {
		Date1904 bool `xml:"date1904,attr"`
	} `xml:"workbookPr"`
}

// maxNumFmtCode bounds a number format code (Excel allows 255 characters).
const maxNumFmtCode = 255

// formatter reads the workbook's styles (xl/styles.xml, where excelize reads them) and its
// date system once.
func (b *Book) formatter() (*cellFormatter, error) {
	cf := &cellFormatter{custom: map[int]string{}, cache: map[fmtKey]string{}}
	if data, err := b.pkg.readSmallPart("xl/styles.xml"); err != nil {
		return nil, err
	} else if data != nil {
		var st xlsxStyleParts
		if err := xml.Unmarshal(data, &st); err != nil {
			return nil, fmt.Errorf("xl/styles.xml: %w", err)
		}
		for _, nf := range st.NumFmts {
			code := nf.Code
			if nf.Code16 != "" {
				code = nf.Code16
			}
			if len([]rune(code)) > maxNumFmtCode {
				return nil, &LimitError{Msg: fmt.Sprintf("数字格式长达 %d 个字符，超过 Excel 的 %d 个字符上限", len([]rune(code)), maxNumFmtCode)}
			}
			if _, seen := cf.custom[nf.ID]; !seen { // excelize takes the first
				cf.custom[nf.ID] = code
			}
		}
		if st.CellXfs != nil {
			cf.hasXfs = true
			for _, xf := range st.CellXfs.Xf {
				id := 0
				if xf.NumFmtID != nil {
					id = *xf.NumFmtID
				}
				cf.xf = append(cf.xf, id)
			}
		}
	}
	if data, err := b.pkg.readSmallPart(b.workbookPath()); err != nil {
		return nil, err
	} else if data != nil {
		var wb workbookPr
		if xml.Unmarshal(data, &wb) == nil && wb.Pr != nil {
			cf.date1904 = wb.Pr.Date1904
		}
	}
	return cf, nil
}

func (b *Book) workbookPath() string {
	rootRels, err := b.pkg.rels("_rels/.rels")
	if err == nil {
		for _, r := range rootRels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				return partPath("", r.Target)
			}
		}
	}
	return "xl/workbook.xml"
}
