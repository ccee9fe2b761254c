package roster

// The sheet of a workbook a roster is read from, and merged cells.
//
// Without --sheet the roster is the workbook's first visible sheet (xlsxstream: a hidden
// sheet is an old roster kept out of sight, never the one to draw from); when the workbook
// has more than one sheet the reader says which it read (Report.Notes), a message about the
// sheet's contents names the others, and the frame records the sheet (Frame.Sheet, the
// manifest's roster.sheet) so that a replay reads the same one.
//
// Merged ranges (docs/ROSTER.md, "Merged cells"): a workbook keeps a merged range's value in
// its top-left cell only, and Excel shows it over the whole range. A roster whose class or
// district column is merged over ten firms means those ten firms have that class, so the
// ranges below the header are filled: every cell of the range gets the top-left value. The
// ranges are written after the rows (<mergeCells> follows <sheetData>), so a streaming read
// learns them at its end; a sheet with merged ranges below its header is read a second time
// with them filled (scanFileAt), and the frame keeps them for its later reads (Lookup).
// A range that starts on or above the header row and reaches below it is a header of two
// rows (a group cell over sub-headers): refused, since one header row names the columns.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/xlsxstream"
)

// Limits on the merged ranges filled: how many, and how many cells they cover in all. A
// roster's merged class or district cells are a few hundred ranges; a sheet past these is
// refused with what to do rather than filled for minutes.
const (
	maxDataMerges     = 10000
	maxDataMergeCells = 1 << 24
)

// sheetRead is what reading a workbook's sheet found: which sheet, the workbook's sheets
// and the merged ranges filled.
type sheetRead struct {
	path    string
	named   bool // the sheet was named (--sheet)
	res     xlsxstream.ScanResult
	filled  []xlsxstream.Range // merged ranges of the data area filled
	content bool               // a row check failed (not the reader)
}

// others are the workbook's sheets other than the one read.
func (sr *sheetRead) others() []xlsxstream.SheetInfo {
	var list []xlsxstream.SheetInfo
	for _, s := range sr.res.Sheets {
		if s.Name != sr.res.Sheet {
			list = append(list, s)
		}
	}
	return list
}

// recorded is the sheet a draw records (Frame.Sheet, roster.sheet): the sheet read when the
// workbook has more than one or it was named, else "" (a single-sheet workbook's draws stay
// as they were, byte for byte).
func (sr *sheetRead) recorded() string {
	if sr == nil || (!sr.named && len(sr.res.Sheets) < 2) {
		return ""
	}
	return sr.res.Sheet
}

// explain adds to a message about the roster's contents (no header, only a header, a
// header without the needed columns, an empty sheet) the sheet it was about and the
// workbook's other sheets, where the roster may be; and the file, if the message does not
// name it.
//
// hdr is the header the read found (nil: none): it tells a title over the table from the
// group names of a header of two rows (groupCells).
func (sr *sheetRead) explain(err error, hdr *header) error {
	if sr == nil || err == nil {
		return err
	}
	var ae *apperr.Error
	if !strings.Contains(err.Error(), sr.path) {
		if errors.As(err, &ae) && ae.Msg == "" && ae.Err != nil {
			c := *ae
			c.Err = fmt.Errorf("名录 %s: %w", sr.path, ae.Err)
			err = &c
		} else {
			err = fmt.Errorf("名录 %s: %w", sr.path, err)
		}
	}
	if top := sr.groupCells(hdr); len(top) > 0 {
		hint := fmt.Sprintf("工作表“%s”的表头上方或表头中有跨列的合并单元格 %s：表头若分两行（上一行是合并的分组名称，如“企业基本信息”），请删去分组名称那一行，只留一行列名后再读", sr.res.Sheet, refList(top))
		err = addHint(err, hint)
	}
	others := sr.others()
	if len(others) == 0 {
		return err
	}
	return addHint(err, fmt.Sprintf("读取的是工作表“%s”；工作簿另有工作表：%s。名录在其他工作表时用 --sheet 名称 选择", sr.res.Sheet, xlsxstream.SheetList(others)))
}

// addHint adds a line to err's hint.
func addHint(err error, hint string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		c := *ae
		if c.Hint != "" {
			c.Hint += "\n" + hint
		} else {
			c.Hint = hint
		}
		return &c
	}
	return &apperr.Error{Err: err, Hint: hint}
}

// groupCells are the merged ranges over several columns where the upper row of a header of
// two rows would have its group names (企业基本信息 over 统一社会信用代码 and 企业名称), in the
// rows the header is looked for. A title is not one: a range of one row from column A with no
// other range beside it (A1:I1 over the table), nor, once the header is found (hdr), a range
// further up than the row above it.
func (sr *sheetRead) groupCells(hdr *header) []xlsxstream.Range {
	var top []xlsxstream.Range
	for _, ref := range sr.res.Merges {
		if r, err := xlsxstream.ParseRange(ref); err == nil && r.Row1 <= headerScanRows && r.Col2 > r.Col1 {
			top = append(top, r)
		}
	}
	alone := func(r xlsxstream.Range) bool {
		for _, o := range top {
			if o != r && o.Row1 <= r.Row2 && r.Row1 <= o.Row2 {
				return false
			}
		}
		return true
	}
	var groups []xlsxstream.Range
	for _, r := range top {
		title := r.Row1 == r.Row2 && r.Col1 == 1 && alone(r)
		if title || hdr != nil && (r.Row2 < hdr.row-1 || r.Row1 > hdr.row) {
			continue
		}
		groups = append(groups, r)
	}
	return groups
}

// dataMerges places the sheet's merged ranges against its header row and returns those to
// fill: the ranges below the header. Ranges above it (a title over the table) and within
// the header row are left as they are; a range from the header row down is a header of
// several rows, refused.
func (sr *sheetRead) dataMerges(header int) ([]xlsxstream.Range, error) {
	if header == 0 || len(sr.res.Merges) == 0 {
		return nil, nil
	}
	file, sheet := sr.path, sr.res.Sheet
	if sr.res.MergesCut {
		return nil, apperr.Hint(fmt.Errorf("名录 %s 工作表“%s”有超过 %d 处合并单元格，已拒绝读取", file, sheet, xlsxstream.MaxMerges),
			"请在 Excel/WPS 中全选后取消合并单元格并填充（或重新导出名录），再读")
	}
	var fill, multi []xlsxstream.Range
	cells := 0
	for _, ref := range sr.res.Merges {
		r, err := xlsxstream.ParseRange(ref)
		if err != nil {
			return nil, apperr.Hint(fmt.Errorf("名录 %s 工作表“%s”: 合并单元格“%s”不是有效的单元格范围", file, sheet, ref),
				"请在 Excel/WPS 中打开并检查后另存为 .xlsx")
		}
		switch {
		case r.Row2 < header, r.Row1 == header && r.Row2 == header:
			// a title above the table, a cell of the header row: nothing to fill
		case r.Row1 <= header:
			multi = append(multi, r)
		case r.Row1 == r.Row2 && r.Col1 == r.Col2:
			// a range of one cell
		default:
			fill = append(fill, r)
			cells += (r.Row2 - r.Row1 + 1) * (r.Col2 - r.Col1 + 1)
		}
	}
	if len(multi) > 0 {
		return nil, apperr.Hint(fmt.Errorf("名录 %s 工作表“%s”的表头不止一行：合并单元格 %s 从表头所在的第%d行延伸到第%d行（两行表头，第二行会被当作数据读）",
			file, sheet, refList(multi), header, multi[0].Row2),
			"choucha 只读一行表头：请在 Excel/WPS 中取消表头的合并单元格，把每一列的名称（如“登记机关”“所属区县”“住所”）写在同一行，删去多余的表头行后再读")
	}
	if len(fill) > maxDataMerges || cells > maxDataMergeCells {
		return nil, apperr.Hint(fmt.Errorf("名录 %s 工作表“%s”的数据区有 %d 处合并单元格（共 %d 个单元格），超过可按合并填充读取的 %d 处、%d 个单元格", file, sheet, len(fill), cells, maxDataMerges, maxDataMergeCells),
			"请在 Excel/WPS 中全选后取消合并单元格并填充（或重新导出名录），再读")
	}
	if a, b, ok := overlap(fill); ok {
		return nil, apperr.Hint(fmt.Errorf("名录 %s 工作表“%s”的合并单元格 %s 与 %s 重叠（Excel 不会保存这样的文件）", file, sheet, a.Ref, b.Ref),
			"请在 Excel/WPS 中打开并检查后另存为 .xlsx，或取消合并单元格后再读")
	}
	return fill, nil
}

// overlap finds two ranges that share a cell.
func overlap(rs []xlsxstream.Range) (a, b xlsxstream.Range, ok bool) {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(x, y xlsxstream.Range) int { return x.Row1 - y.Row1 })
	var live []xlsxstream.Range
	for _, r := range s {
		k := 0
		for _, l := range live {
			if l.Row2 >= r.Row1 {
				if l.Col1 <= r.Col2 && r.Col1 <= l.Col2 {
					return l, r, true
				}
				live[k] = l
				k++
			}
		}
		live = append(live[:k], r)
	}
	return a, b, false
}

// refList names up to three ranges, and how many more there are.
func refList(rs []xlsxstream.Range) string {
	var names []string
	for i, r := range rs {
		if i == 3 {
			return strings.Join(names, "、") + fmt.Sprintf(" 等 %d 处", len(rs))
		}
		names = append(names, r.Ref)
	}
	return strings.Join(names, "、")
}

// SheetRef is one sheet of the workbook a roster was read from (Report.Sheets).
type SheetRef struct {
	Name   string `json:"name"`
	Hidden bool   `json:"hidden,omitempty"`
}

// describe fills what the report says of the sheet read: the sheet, the workbook's sheets
// (when more than one), the merged ranges filled.
func (sr *sheetRead) describe(rep *Report) {
	if sr == nil || rep == nil {
		return
	}
	rep.Sheet = sr.res.Sheet
	rep.sheetNamed = sr.named
	if len(sr.res.Sheets) > 1 || sr.named {
		rep.Sheets = rep.Sheets[:0]
		for _, s := range sr.res.Sheets {
			rep.Sheets = append(rep.Sheets, SheetRef{Name: s.Name, Hidden: s.Hidden()})
		}
	}
	rep.MergedRanges = nil
	for _, r := range sr.filled {
		rep.MergedRanges = append(rep.MergedRanges, r.Ref)
	}
}

// Notes are what the reader tells about how it read the file, for stderr: which sheet of
// a workbook of several (and the others), a hidden sheet read because it was named, the
// merged ranges filled. what names the roster ("名录", "执法检查人员名录"); choose says how to
// read another sheet where the reader is used ("用 --sheet 选择其他工作表" on the command line,
// SheetChoiceCLI).
func (r *Report) Notes(what, choose string) []string {
	if r == nil {
		return nil
	}
	var notes []string
	var read SheetRef
	var others []xlsxstream.SheetInfo
	for _, s := range r.Sheets {
		if s.Name == r.Sheet {
			read = s
			continue
		}
		st := ""
		if s.Hidden {
			st = "hidden"
		}
		others = append(others, xlsxstream.SheetInfo{Name: s.Name, State: st})
	}
	switch {
	case r.Sheet == "":
	case r.sheetNamed && read.Hidden:
		notes = append(notes, fmt.Sprintf("%s %s：按 --sheet 读取工作表“%s”（这是隐藏的工作表）", what, r.File, r.Sheet))
	case !r.sheetNamed && len(others) > 0:
		notes = append(notes, fmt.Sprintf("%s %s：读取工作表“%s”（另有工作表：%s）；%s", what, r.File, r.Sheet, xlsxstream.SheetList(others), choose))
	}
	if n := len(r.MergedRanges); n > 0 {
		refs := r.MergedRanges
		more := ""
		if n > 3 {
			refs, more = refs[:3], fmt.Sprintf(" 等 %d 处", n)
		}
		notes = append(notes, fmt.Sprintf("%s %s：数据区的合并单元格 %s%s 按左上角单元格的值填入范围内每一格（与 Excel 显示的一致）", what, r.File, strings.Join(refs, "、"), more))
	}
	return notes
}

// SheetChoiceCLI is Notes' advice on the command line.
const SheetChoiceCLI = "用 --sheet 选择其他工作表"

// frame records in fr how the sheet was read, for the draw (Frame.Sheet) and for reading
// the file again (Lookup: the same sheet, the same ranges filled); and in rep as describe.
func (sr *sheetRead) frame(fr *Frame, rep *Report) {
	if sr == nil {
		return
	}
	fr.Sheet = sr.recorded()
	fr.opt.Sheet, fr.opt.fill = sr.res.Sheet, sr.filled
	sr.describe(rep)
}

// WorkbookSheets lists the sheets of a workbook (.xlsx, .xls) in workbook order; nil for a
// CSV file.
func WorkbookSheets(path string) ([]SheetRef, error) {
	kind, err := sniffKind(path)
	if err != nil || kind == kindCSV {
		return nil, err
	}
	var infos []xlsxstream.SheetInfo
	if kind == kindXLS {
		res, err := xlsxstream.ScanXLSSheet(context.Background(), path, "", func(int, []string) error { return errStop }, nil)
		if err != nil && !errors.Is(err, errStop) {
			return nil, err
		}
		infos = res.Sheets
	} else {
		b, err := xlsxstream.Open(path)
		if err != nil {
			return nil, err
		}
		infos = b.SheetInfos()
		b.Close()
	}
	list := make([]SheetRef, len(infos))
	for i, s := range infos {
		list[i] = SheetRef{Name: s.Name, Hidden: s.Hidden()}
	}
	return list, nil
}
