// Package xlsxstream reads the rows of an xlsx worksheet as a stream: (row number as Excel
// shows it, cells), with a context and a row-count hint, never holding the sheet in memory.
// The default reader (sheetxml.go) is a hand-written SpreadsheetML scanner over archive/zip;
// excelize's row iterator is the reference it is tested against (CHOUCHA_XLSX_READER=excelize
// selects it). Both refuse zip bombs and damaged or truncated sheets with a Chinese message
// and a hint (apperr.Error). roster and plan read xlsx files through it.
package xlsxstream

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/atomicfile"
	"github.com/xuri/excelize/v2"
)

// Unzip limits for xlsx files. MaxUnzipSize bounds the bytes of all parts together — both
// the sizes the zip's headers claim and the bytes actually decompressed — and anything larger
// is refused as a probable zip bomb, before a byte is parsed when the headers tell the truth.
// The value: gen_roster.py's full sheet (1,048,576 rows × 11 columns, shared strings, the way
// Excel and WPS write) unpacks to 579 MB (440 MB sheet, 138 MB shared strings, measured);
// the same rows with 16 columns come to about 840 MB, and Excel's per-cell style attributes
// add about 100 MB more. 1.5 GiB leaves about 1.6× that room for a real full-height roster
// and refuses at once the bombs of the hostile runs (a shared-strings part just under the
// 2 GiB this limit used to be, which peaked at 3.4 GB), without unpacking them. (What the
// shared strings may hold in memory is bounded on its own.) Parts above XMLInMemoryLimit are
// streamed from a private temporary folder that is removed on every path.
var (
	MaxUnzipSize     int64 = 1536 << 20
	XMLInMemoryLimit int64 = 16 << 20
)

// RowFunc receives one sheet row: its number as the user sees it in Excel (1-based) and its
// cells. The cells slice is reused between calls; the strings are not.
type RowFunc func(row int, cells []string) error

// SizeFunc receives an estimate of the number of rows, so the reader can size its tables
// once instead of growing them.
type SizeFunc func(rows int)

// ReaderEnv names the environment variable that selects the xlsx reader:
// CHOUCHA_XLSX_READER=excelize reads with excelize's row iterator (the reference, about 4×
// slower); unset or anything else uses the fast reader in sheetxml.go (ScanFast). Both give the row
// callback the same rows and cells (sheetxml_test.go checks this on every test roster), except
// that the fast reader refuses a row numbered at or before the row above it, which excelize
// merges into that row.
const ReaderEnv = "CHOUCHA_XLSX_READER"

// Scan streams the rows of one worksheet of the workbook at path (the first visible one
// when sheet is "") to fn, with the fast reader, or with excelize's when
// CHOUCHA_XLSX_READER=excelize. See Book.Scan.
func Scan(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc) error {
	_, err := ScanSheet(ctx, path, sheet, fn, size)
	return err
}

// ScanSheet is Scan that also returns which sheet was read, the workbook's sheets and the
// sheet's merged ranges (ScanResult).
func ScanSheet(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc) (ScanResult, error) {
	if os.Getenv(ReaderEnv) == "excelize" {
		return scanExcelize(ctx, path, sheet, fn, size, true)
	}
	return ScanFastSheet(ctx, path, sheet, fn, size)
}

// ScanExcelize streams a worksheet with excelize's row iterator. It is the reference the
// fast reader is tested and benchmarked against.
func ScanExcelize(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc) error {
	_, err := scanExcelize(ctx, path, sheet, fn, size, false)
	return err
}

// ScanExcelizeSheet is ScanExcelize that also returns what ScanSheet returns; the merged
// ranges are excelize's GetMergeCells (which reads the whole sheet into memory: the
// reference, not for million-row sheets).
func ScanExcelizeSheet(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc) (ScanResult, error) {
	return scanExcelize(ctx, path, sheet, fn, size, true)
}

func scanExcelize(ctx context.Context, path, sheet string, fn RowFunc, size SizeFunc, merges bool) (res ScanResult, err error) {
	if size == nil {
		size = func(int) {}
	}
	// excelize unpacks large parts into TmpDir, and leaves them behind when opening fails
	// half-way; a private folder removed on every path guarantees no temp file survives.
	tmp, err := atomicfile.TempDir("xlsx")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)

	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    MaxUnzipSize,
		UnzipXMLSizeLimit: min(XMLInMemoryLimit, MaxUnzipSize),
		TmpDir:            tmp,
		RawCellValue:      true,
	})
	if err != nil {
		return res, xlsxOpenError(path, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("关闭 %s: %w", path, cerr)
		}
	}()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return res, fmt.Errorf("%s 中没有工作表", path)
	}
	for _, name := range sheets {
		info := SheetInfo{Name: name}
		if f.WorkBook != nil {
			for _, ws := range f.WorkBook.Sheets.Sheet {
				if ws.Name == name {
					info.State = ws.State
					break
				}
			}
		}
		res.Sheets = append(res.Sheets, info)
	}
	i, ok := chooseSheet(res.Sheets, sheet)
	if !ok {
		return res, noSheetError(path, sheet, res.Sheets)
	}
	if idx, _ := f.GetSheetIndex(sheets[i]); idx < 0 {
		return res, noSheetError(path, sheet, res.Sheets)
	}
	sheet = sheets[i]
	res.Sheet = sheet
	lastRow := 0
	if dim, derr := f.GetSheetDimension(sheet); derr == nil && dim != "" {
		// A single-cell dimension ("A1") is what writers put on empty sheets: no check.
		if i := strings.IndexByte(dim, ':'); i >= 0 {
			if _, r, cerr := excelize.CellNameToCoordinates(dim[i+1:]); cerr == nil {
				lastRow = r
			}
		}
	}
	if lastRow > 0 {
		size(lastRow)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return res, fmt.Errorf("读取工作表“%s”: %w", sheet, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		cells, err := rows.Columns()
		if err != nil {
			return res, fmt.Errorf("读取工作表“%s”第%d行: %w", sheet, n, err)
		}
		if err := fn(n, cells); err != nil {
			return res, err
		}
	}
	if err := rows.Error(); err != nil {
		return res, fmt.Errorf("读取工作表“%s”第%d行之后: %w", sheet, n, err)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	// excelize's row iterator stops quietly at an XML error; a damaged or truncated sheet must
	// not be read short, so the rows seen are checked against the sheet's own dimension.
	if lastRow > n {
		return res, &apperr.Error{
			Err:  fmt.Errorf("%s 工作表“%s”应有%d行（尺寸 %s），但只读到第%d行：文件已损坏或被截断", path, sheet, lastRow, mustDim(f, sheet), n),
			Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx，或重新导出名录",
		}
	}
	if merges {
		mc, err := f.GetMergeCells(sheet, true)
		if err != nil {
			return res, fmt.Errorf("读取工作表“%s”的合并单元格: %w", sheet, err)
		}
		for _, m := range mc {
			if len(res.Merges) == MaxMerges {
				res.MergesCut = true
				break
			}
			if len(m) > 0 {
				res.Merges = append(res.Merges, m[0])
			}
		}
	}
	return res, nil
}

func mustDim(f *excelize.File, sheet string) string {
	d, _ := f.GetSheetDimension(sheet)
	return d
}

func xlsxOpenError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unzip size exceeds"):
		return &apperr.Error{
			Err:  fmt.Errorf("%s 解压后超过 %d MiB 上限，已拒绝读取（可能是压缩炸弹或损坏的文件）", path, MaxUnzipSize>>20),
			Hint: "名录应在 Excel 的 1,048,576 行以内；请确认文件来源，或导出为 CSV 后再试",
		}
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, excelize.ErrWorkbookFileFormat):
		return &apperr.Error{
			Err:  fmt.Errorf("%s 不是有效的 xlsx 文件（文件已损坏、被截断或不是 Excel 格式）", path),
			Hint: "请在 Excel/WPS 中打开后另存为 .xlsx，或重新导出名录",
		}
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return fmt.Errorf("%s 设有密码，请先在 Excel/WPS 中取消密码", path)
	}
	return &apperr.Error{
		Err:  fmt.Errorf("无法打开 xlsx 文件 %s: %v", path, err),
		Hint: "请在 Excel/WPS 中打开后另存为 .xlsx，或重新导出名录",
	}
}
