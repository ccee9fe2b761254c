package xlsxstream

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/cfb"
)

// ErrXLSEncrypted: the .xls workbook has an open password (a FILEPASS record).
var ErrXLSEncrypted = errors.New("工作簿设有打开密码")

// ErrXLSOld: the .xls workbook is of Excel 95 or older (BIFF5 and before: a "Book" stream).
var ErrXLSOld = errors.New("这是 Excel 95 或更早版本的工作簿")

// ReadXLS reads the worksheets of an Excel 97–2003 workbook (.xls, BIFF8, as [MS-XLS]
// describes it) into grids, as ReadGrid reads an xlsx sheet: strings of the shared string
// table (its strings split over CONTINUE records read whole) and of LABEL records, numbers
// (NUMBER, RK, MULRK, a formula's cached value) shown with their cell's number format as
// excelize shows them (the same cellFormatter, fed with the workbook's FORMAT and XF
// records), booleans and errors as Excel shows them, and the MERGEDCELLS ranges. Chart
// sheets and macro sheets are skipped. At most maxCells cells are read in all, counting the
// empty ones before a value; the workbook stream may be at most maxBytes.
func ReadXLS(data []byte, maxCells int, maxBytes int64) ([]*Grid, error) {
	stream, err := xlsWorkbookStream(data, maxBytes)
	if err != nil {
		return nil, err
	}
	return readBIFF(stream, maxCells)
}

// readBIFF reads the grids of a BIFF8 workbook stream.
func readBIFF(stream []byte, maxCells int) ([]*Grid, error) {
	recs, err := biffRecords(stream)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || recs[0].id != 0x0809 || len(recs[0].data) < 4 {
		return nil, errors.New("工作簿流不以 BOF 记录开始，不是 Excel 工作簿")
	}
	if v := binary.LittleEndian.Uint16(recs[0].data); v != 0x0600 {
		return nil, ErrXLSOld
	}
	g := &biffGlobals{format: &cellFormatter{custom: map[int]string{}, cache: map[fmtKey]string{}, hasXfs: true}}
	type sheetRef struct {
		name  string
		pos   uint32
		state string
	}
	var sheets []sheetRef
	var sst biffSST
	for i := 1; i < len(recs); i++ {
		r := recs[i]
		d := r.data
		switch r.id {
		case 0x000A: // EOF of the globals
			i = len(recs)
		case 0x002F:
			return nil, ErrXLSEncrypted
		case 0x0022: // DATEMODE
			if len(d) >= 2 {
				g.format.date1904 = binary.LittleEndian.Uint16(d) == 1
			}
		case 0x041E: // FORMAT
			if len(d) >= 2 {
				s, _, err := biffString(d[2:], 2)
				if err != nil {
					return nil, fmt.Errorf("数字格式记录: %w", err)
				}
				if len([]rune(s)) > maxNumFmtCode {
					return nil, &LimitError{Msg: fmt.Sprintf("数字格式长达 %d 个字符，超过 Excel 的 %d 个字符上限", len([]rune(s)), maxNumFmtCode)}
				}
				id := int(binary.LittleEndian.Uint16(d))
				if _, seen := g.format.custom[id]; !seen {
					g.format.custom[id] = s
				}
			}
		case 0x00E0: // XF
			ifmt := 0
			if len(d) >= 4 {
				ifmt = int(binary.LittleEndian.Uint16(d[2:]))
			}
			g.format.xf = append(g.format.xf, ifmt)
		case 0x00FC: // SST, with the CONTINUE records after it
			parts := [][]byte{d}
			for i+1 < len(recs) && recs[i+1].id == 0x003C {
				i++
				parts = append(parts, recs[i].data)
			}
			if sst, err = readSST(parts); err != nil {
				return nil, fmt.Errorf("共享字符串表: %w", err)
			}
		case 0x0085: // BOUNDSHEET8
			if len(d) < 8 {
				return nil, errors.New("工作表目录记录不完整")
			}
			if d[5] != 0 { // not a worksheet (a chart, a macro sheet, a VB module)
				continue
			}
			name, _, err := biffString(d[6:], 1)
			if err != nil {
				return nil, fmt.Errorf("工作表名: %w", err)
			}
			state := "" // hsState, the low two bits of the byte after the position
			switch d[4] & 3 {
			case 1:
				state = "hidden"
			case 2:
				state = "veryHidden"
			}
			sheets = append(sheets, sheetRef{name, binary.LittleEndian.Uint32(d), state})
		}
	}
	g.sst = sst
	cells := 0
	var grids []*Grid
	for _, s := range sheets {
		start := -1
		for k, r := range recs {
			if r.pos == s.pos {
				start = k
				break
			}
		}
		if start < 0 {
			return nil, fmt.Errorf("工作表“%s”的位置 %d 不在工作簿流中", s.name, s.pos)
		}
		grid, err := g.sheet(s.name, recs[start:], &cells, maxCells)
		if err != nil {
			return nil, err
		}
		grid.State = s.state
		grids = append(grids, grid)
	}
	return grids, nil
}

func xlsWorkbookStream(data []byte, maxBytes int64) ([]byte, error) {
	st, names, err := cfb.Streams(data, []string{"Workbook"}, maxBytes)
	var big *cfb.TooLargeError
	switch {
	case errors.As(err, &big):
		return nil, ErrZipBomb
	case errors.Is(err, cfb.ErrNotCompound):
		return nil, errors.New("无法按复合文档打开，不是 Excel 97–2003 工作簿")
	case err != nil:
		return nil, err
	case slices.Contains(names, "EncryptedPackage"):
		return nil, ErrXLSEncrypted
	case st["Workbook"] != nil:
		return st["Workbook"], nil
	case slices.Contains(names, "Book"):
		return nil, ErrXLSOld
	}
	return nil, errors.New("文件中没有工作簿流（Workbook），不是 Excel 工作簿")
}

type biffRecord struct {
	id   uint16
	pos  uint32 // offset of the record in the stream
	data []byte
}

// biffRecords splits the stream into records (type, size, data).
func biffRecords(s []byte) ([]biffRecord, error) {
	var out []biffRecord
	for p := 0; p+4 <= len(s); {
		id, n := binary.LittleEndian.Uint16(s[p:]), int(binary.LittleEndian.Uint16(s[p+2:]))
		if p+4+n > len(s) {
			return nil, fmt.Errorf("记录在第 %d 字节处被截断", p)
		}
		out = append(out, biffRecord{id: id, pos: uint32(p), data: s[p+4 : p+4+n]})
		p += 4 + n
	}
	return out, nil
}

// biffString reads an XLUnicodeString (lenSize 2) or ShortXLUnicodeString (lenSize 1):
// its count of characters, a flag byte (bit 0: two bytes a character), the characters. n is
// the bytes read.
func biffString(d []byte, lenSize int) (s string, n int, err error) {
	if len(d) < lenSize+1 {
		return "", 0, errors.New("字符串不完整")
	}
	cch := int(d[0])
	if lenSize == 2 {
		cch = int(binary.LittleEndian.Uint16(d))
	}
	wide := d[lenSize]&1 != 0
	p := lenSize + 1
	size := cch
	if wide {
		size *= 2
	}
	if p+size > len(d) {
		return "", 0, errors.New("字符串不完整")
	}
	return decodeBIFFChars(d[p:p+size], wide), p + size, nil
}

func decodeBIFFChars(b []byte, wide bool) string {
	if !wide { // the low bytes of UTF-16 code units: Latin-1
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// biffSST is the shared string table.
type biffSST []string

// readSST reads the strings of an SST record and its CONTINUE records (parts). A string's
// characters may go on in the next part, which then begins with a new flag byte (the width of
// the rest); its formatting runs and phonetic data go on without one.
func readSST(parts [][]byte) (biffSST, error) {
	r := &sstReader{parts: parts}
	if _, err := r.bytes(4); err != nil { // cstTotal
		return nil, err
	}
	b, err := r.bytes(4)
	if err != nil {
		return nil, err
	}
	unique := binary.LittleEndian.Uint32(b)
	var out biffSST
	for k := uint32(0); k < unique; k++ {
		if r.done() {
			break // fewer strings than counted: the cells that use them are refused
		}
		h, err := r.bytes(3)
		if err != nil {
			return nil, err
		}
		cch, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			b, err := r.bytes(2)
			if err != nil {
				return nil, err
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&0x04 != 0 {
			b, err := r.bytes(4)
			if err != nil {
				return nil, err
			}
			ext = int(int32(binary.LittleEndian.Uint32(b)))
			if ext < 0 {
				return nil, errors.New("字符串的注音数据长度为负")
			}
		}
		s, err := r.chars(cch, flags&1 != 0)
		if err != nil {
			return nil, err
		}
		if _, err := r.bytes(4*runs + ext); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

type sstReader struct {
	parts [][]byte
	i, p  int // the part being read, the position in it
}

func (r *sstReader) done() bool {
	for r.i < len(r.parts) && r.p >= len(r.parts[r.i]) {
		r.i, r.p = r.i+1, 0
	}
	return r.i >= len(r.parts)
}

// bytes reads n bytes, across parts.
func (r *sstReader) bytes(n int) ([]byte, error) {
	out := make([]byte, 0, min(n, 1<<16))
	for n > 0 {
		if r.done() {
			return nil, errors.New("共享字符串表不完整")
		}
		k := min(n, len(r.parts[r.i])-r.p)
		out = append(out, r.parts[r.i][r.p:r.p+k]...)
		r.p += k
		n -= k
	}
	return out, nil
}

// chars reads cch characters from where the string's header ended; when they go on in the
// next part, that part begins with a flag byte giving the width of the rest (even when the
// header ended the part before), as xlrd and Excel read it.
func (r *sstReader) chars(cch int, wide bool) (string, error) {
	u := make([]uint16, 0, min(cch, 1<<16))
	for {
		if r.i < len(r.parts) {
			part := r.parts[r.i]
			w := 1
			if wide {
				w = 2
			}
			k := min(cch, (len(part)-r.p)/w)
			for j := range k {
				if wide {
					u = append(u, binary.LittleEndian.Uint16(part[r.p+2*j:]))
				} else {
					u = append(u, uint16(part[r.p+j]))
				}
			}
			r.p += k * w
			cch -= k
		}
		if cch == 0 {
			return string(utf16.Decode(u)), nil
		}
		r.i, r.p = r.i+1, 0
		if r.i >= len(r.parts) || len(r.parts[r.i]) == 0 {
			return "", errors.New("共享字符串表不完整")
		}
		wide, r.p = r.parts[r.i][0]&1 != 0, 1
	}
}

type biffGlobals struct {
	format *cellFormatter
	sst    biffSST
}

// sheet reads a worksheet's cells and merged ranges from its BOF to its EOF.
func (g *biffGlobals) sheet(name string, recs []biffRecord, cells *int, maxCells int) (*Grid, error) {
	grid := &Grid{Sheet: name}
	le := binary.LittleEndian
	put := func(row, col int, c GridCell) error {
		if row >= xlsxMaxRows || col >= MaxColumns {
			return fmt.Errorf("工作表“%s”: 单元格位置超出 Excel 的范围（第%d行第%d列）", name, row+1, col+1)
		}
		for len(grid.Rows) <= row {
			grid.Rows = append(grid.Rows, nil)
		}
		r := grid.Rows[row]
		if col < len(r) {
			r[col] = c // a second record for a cell: the last one stands, as in Excel
			return nil
		}
		if *cells += col + 1 - len(r); *cells > maxCells {
			return &GridLimitError{Sheet: name, Max: maxCells}
		}
		for len(r) < col {
			r = append(r, GridCell{})
		}
		grid.Rows[row] = append(r, c)
		return nil
	}
	number := func(ixfe int, v float64) GridCell {
		raw := strconv.FormatFloat(v, 'g', -1, 64)
		if math.IsInf(v, 0) || math.IsNaN(v) {
			raw = "#NUM!"
		}
		return GridCell{Raw: raw, Text: g.format.number(ixfe, raw), Number: true}
	}
	str := func(ixfe int, s string) GridCell {
		return GridCell{Raw: s, Text: g.format.text(ixfe, s)}
	}
	for i := 1; i < len(recs); i++ {
		d := recs[i].data
		if recs[i].id == 0x000A { // EOF
			break
		}
		if recs[i].id == 0x0809 { // a sheet without its EOF: the next one's BOF ends it
			break
		}
		var rw, col, ixfe int
		if len(d) >= 6 {
			rw, col, ixfe = int(le.Uint16(d)), int(le.Uint16(d[2:])), int(le.Uint16(d[4:]))
		}
		var err error
		switch recs[i].id {
		case 0x00FD: // LABELSST
			if len(d) < 10 {
				return nil, fmt.Errorf("工作表“%s”: 单元格记录不完整", name)
			}
			k := int(le.Uint32(d[6:]))
			if k >= len(g.sst) {
				return nil, fmt.Errorf("工作表“%s”第%d行: 共享字符串索引 %d 超出范围（共享字符串表只有 %d 项）", name, rw+1, k, len(g.sst))
			}
			err = put(rw, col, str(ixfe, g.sst[k]))
		case 0x0204, 0x00D6: // LABEL, RSTRING
			if len(d) < 6 {
				return nil, fmt.Errorf("工作表“%s”: 单元格记录不完整", name)
			}
			s, _, serr := biffString(d[6:], 2)
			if serr != nil {
				return nil, fmt.Errorf("工作表“%s”第%d行: %w", name, rw+1, serr)
			}
			err = put(rw, col, str(ixfe, s))
		case 0x0203: // NUMBER
			if len(d) < 14 {
				return nil, fmt.Errorf("工作表“%s”: 单元格记录不完整", name)
			}
			err = put(rw, col, number(ixfe, math.Float64frombits(le.Uint64(d[6:]))))
		case 0x027E: // RK
			if len(d) < 10 {
				return nil, fmt.Errorf("工作表“%s”: 单元格记录不完整", name)
			}
			err = put(rw, col, number(ixfe, rkValue(le.Uint32(d[6:]))))
		case 0x00BD: // MULRK: rw, colFirst, (ixfe, rk)…, colLast
			for k := 0; 4+6*k+6 <= len(d)-2 && err == nil; k++ {
				o := 4 + 6*k
				err = put(rw, col+k, number(int(le.Uint16(d[o:])), rkValue(le.Uint32(d[o+2:]))))
			}
		case 0x0006: // FORMULA: the value it last had
			if len(d) < 14 {
				return nil, fmt.Errorf("工作表“%s”: 单元格记录不完整", name)
			}
			v := d[6:14]
			if le.Uint16(v[6:]) != 0xFFFF {
				err = put(rw, col, number(ixfe, math.Float64frombits(le.Uint64(v))))
				break
			}
			switch v[0] {
			case 0: // a string, in the STRING record after it
				if i+1 < len(recs) && recs[i+1].id == 0x0207 {
					s, _, serr := biffString(recs[i+1].data, 2)
					if serr != nil {
						return nil, fmt.Errorf("工作表“%s”第%d行: %w", name, rw+1, serr)
					}
					err = put(rw, col, GridCell{Raw: s, Text: s})
				}
			case 1:
				err = put(rw, col, boolCell(v[2] != 0))
			case 2:
				err = put(rw, col, GridCell{Raw: biffError(v[2]), Text: biffError(v[2])})
			case 3:
				err = put(rw, col, GridCell{})
			}
		case 0x0205: // BOOLERR
			if len(d) < 8 {
				return nil, fmt.Errorf("工作表“%s”: 单元格记录不完整", name)
			}
			if d[7] == 0 {
				err = put(rw, col, boolCell(d[6] != 0))
			} else {
				err = put(rw, col, GridCell{Raw: biffError(d[6]), Text: biffError(d[6])})
			}
		case 0x00E5: // MERGEDCELLS
			if len(d) < 2 {
				break
			}
			n := int(le.Uint16(d))
			for k := 0; k < n && 2+8*k+8 <= len(d); k++ {
				o := 2 + 8*k
				r1, r2 := int(le.Uint16(d[o:])), int(le.Uint16(d[o+2:]))
				c1, c2 := int(le.Uint16(d[o+4:])), int(le.Uint16(d[o+6:]))
				if r2 < r1 || c2 < c1 || r2 >= xlsxMaxRows || c2 >= MaxColumns {
					continue // not a range Excel writes
				}
				a, _ := excelize.CoordinatesToCellName(c1+1, r1+1)
				b, _ := excelize.CoordinatesToCellName(c2+1, r2+1)
				ref := a + ":" + b
				grid.Merges = append(grid.Merges, Range{Ref: ref, Col1: c1 + 1, Row1: r1 + 1, Col2: c2 + 1, Row2: r2 + 1})
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return grid, nil
}

// rkValue decodes an RK number: a 30-bit integer or the high 30 bits of a double, divided by
// 100 when its low bit says so.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

func boolCell(b bool) GridCell {
	if b {
		return GridCell{Raw: "1", Text: "TRUE"}
	}
	return GridCell{Raw: "0", Text: "FALSE"}
}

func biffError(code byte) string {
	switch code {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	}
	return "#N/A"
}

// XLSMaxBytes bounds the .xls file ScanXLS reads: a full sheet of 65,536 rows of a roster's
// columns is 10–20 MB.
var XLSMaxBytes int64 = 64 << 20

// XLSMaxCells bounds the cells ScanXLS holds (the sheet is read whole): 65,536 rows of 48
// columns, about 150 MB of cells at most.
var XLSMaxCells = xlsMaxRows * 48

// ScanXLS gives the rows of one worksheet of the Excel 97–2003 workbook at path (the first
// when sheet is "", else the one of that name, case aside) to fn, as Scan gives an xlsx
// sheet's: each row present, numbered as Excel numbers it, its cells as shown. The sheet is
// read whole first (ReadXLS): a BIFF8 sheet is at most 65,536 rows.
func ScanXLS(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc) error {
	_, err := ScanXLSSheet(ctx, path, sheet, fn, size)
	return err
}

// ScanXLSSheet is ScanXLS that also returns what ScanSheet returns for an xlsx workbook:
// the sheet read (the first visible one when sheet is ""), the workbook's sheets and the
// sheet's merged ranges (MERGEDCELLS).
func ScanXLSSheet(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc) (res ScanResult, err error) {
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	st, err := f.Stat()
	if err == nil && st.Size() > XLSMaxBytes {
		f.Close()
		return res, &apperr.Error{Err: fmt.Errorf("%s 有 %d MB，超过 Excel 97–2003 工作簿可能的大小（%d MB）", path, st.Size()>>20, XLSMaxBytes>>20),
			Hint: "请确认选对了文件，或在 Excel/WPS 中另存为 .xlsx 再读"}
	}
	data, err := io.ReadAll(io.LimitReader(f, XLSMaxBytes+1))
	f.Close()
	if err != nil {
		return res, err
	}
	grids, err := ReadXLS(data, XLSMaxCells, XLSMaxBytes)
	if err != nil {
		return res, xlsScanError(path, err)
	}
	if len(grids) == 0 {
		return res, fmt.Errorf("%s 中没有工作表", path)
	}
	for _, x := range grids {
		res.Sheets = append(res.Sheets, SheetInfo{Name: x.Sheet, State: x.State})
	}
	i, ok := chooseSheet(res.Sheets, sheet)
	if !ok {
		return res, noSheetError(path, sheet, res.Sheets)
	}
	g := grids[i]
	res.Sheet = g.Sheet
	if size != nil {
		size(len(g.Rows))
	}
	var cells []string
	for i, r := range g.Rows {
		if r == nil {
			continue // no cell on this row, as an xlsx writes no <row> for it
		}
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		cells = cells[:0]
		for _, c := range r {
			cells = append(cells, c.Text)
		}
		if err := fn(i+1, cells); err != nil {
			return res, err
		}
	}
	for _, m := range g.Merges {
		if len(res.Merges) == MaxMerges {
			res.MergesCut = true
			break
		}
		res.Merges = append(res.Merges, m.Ref)
	}
	return res, nil
}

// BIFF8's rows a sheet.
const xlsMaxRows = 65536

func xlsScanError(path string, err error) error {
	hint := "请在 Excel/WPS 中打开后另存为 .xlsx 再读，或运行：libreoffice --headless --convert-to xlsx 文件名.xls"
	switch {
	case errors.Is(err, ErrXLSEncrypted):
		return &apperr.Error{Err: fmt.Errorf("%s: 工作簿设有打开密码，无法读取", path), Hint: "请在 Excel/WPS 中打开、取消密码后另存为 .xlsx 再读"}
	case errors.Is(err, ErrXLSOld):
		return &apperr.Error{Err: fmt.Errorf("%s: 这是 Excel 95 或更早版本的工作簿，无法读取", path), Hint: hint}
	}
	var le *GridLimitError
	if errors.As(err, &le) {
		return &apperr.Error{Err: fmt.Errorf("%s 工作表“%s”: 单元格超过 %d 个（连同有值单元格之前的空单元格），.xls 名录要整表读入，最多读这么多", path, le.Sheet, le.Max),
			Hint: "请在 Excel/WPS 中把名录另存为 .xlsx 或 CSV（逐行读取，不受此限）再读"}
	}
	return &apperr.Error{Err: fmt.Errorf("%s 不是有效的旧版 Excel 97–2003（.xls）工作簿（%v）", path, err), Hint: hint}
}
