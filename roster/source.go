package roster

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Unzip limits for xlsx files. A full sheet of 1,048,576 rows × 30 columns unpacks to under
// 2 GiB; anything larger is refused as a probable zip bomb. Parts above xmlInMemoryLimit are
// streamed from a private temporary folder that is removed on every path.
var (
	maxUnzipSize     int64 = 2 << 30
	xmlInMemoryLimit int64 = 16 << 20
)

// rowFunc receives one sheet row: its number as the user sees it in Excel (1-based) and its
// cells. The cells slice is reused between calls; the strings are not.
type rowFunc func(row int, cells []string) error

// sizeFunc receives an estimate of the number of rows, so the reader can size its tables
// once instead of growing them.
type sizeFunc func(rows int)

// errStop ends a scan early without error.
var errStop = errors.New("stop")

// fileKind says how to read a file: by extension, then by its first bytes.
type fileKind int

const (
	kindCSV fileKind = iota
	kindXLSX
)

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

func sniffKind(path string) (fileKind, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, openError(path, err)
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case n == 0:
		return 0, fmt.Errorf("名录文件 %s 是空文件", path)
	case bytes.HasPrefix(head, oleMagic) || ext == ".xls" || ext == ".et":
		return 0, withConvertHint(fmt.Errorf("%s 是旧版 Excel 97-2003（.xls）文件或加密的工作簿，无法直接读取", path))
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(head, zipMagic):
		return kindXLSX, nil
	case ext == ".ods":
		return 0, withConvertHint(fmt.Errorf("%s 是 OpenDocument 表格，无法直接读取", path))
	}
	return kindCSV, nil
}

// HintError carries advice on what to do next; the CLI prints it as a hint line.
type HintError struct {
	Err  error
	Hint string
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

func withConvertHint(err error) error {
	return &HintError{Err: err, Hint: "请用 Excel/WPS 另存为 .xlsx，或运行：libreoffice --headless --convert-to xlsx 文件名.xls"}
}

func openError(path string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("找不到名录文件 %s", path)
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("没有权限读取名录文件 %s", path)
	}
	return fmt.Errorf("打开名录文件 %s: %w", path, err)
}

// hashFile returns the lowercase hex SHA-256 of the file's bytes.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", openError(path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("读取名录文件 %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// scanFile reads every row of the file (first sheet or sheet) and hashes the file's bytes
// alongside, on another goroutine.
func scanFile(ctx context.Context, path, sheet string, start func() (rowFunc, sizeFunc)) (sha string, err error) {
	kind, err := sniffKind(path)
	if err != nil {
		return "", err
	}
	type hashResult struct {
		sum string
		err error
	}
	hc := make(chan hashResult, 1)
	go func() {
		s, err := hashFile(path)
		hc <- hashResult{s, err}
	}()
	if kind == kindXLSX {
		fn, size := start()
		err = scanXLSX(ctx, path, sheet, fn, size)
	} else {
		if sheet != "" {
			err = fmt.Errorf("%s 是 CSV 文件，没有工作表，不能使用 --sheet", path)
		} else {
			err = scanCSV(ctx, path, start)
		}
	}
	hr := <-hc
	if errors.Is(err, errStop) {
		err = nil
	}
	if err != nil {
		return "", err
	}
	return hr.sum, hr.err
}

// xlsxReaderEnv names the environment variable that selects the xlsx reader:
// CHOUCHA_XLSX_READER=excelize reads with excelize's row iterator (the reference, about 4×
// slower); unset or anything else uses the fast reader in sheetxml.go. Both give the row
// callback the same rows and cells (sheetxml_test.go checks this on every test roster).
const xlsxReaderEnv = "CHOUCHA_XLSX_READER"

// scanXLSX streams a worksheet; the whole sheet is never in memory.
func scanXLSX(ctx context.Context, path, sheet string, fn rowFunc, size sizeFunc) error {
	if os.Getenv(xlsxReaderEnv) == "excelize" {
		return scanXLSXExcelize(ctx, path, sheet, fn, size)
	}
	return scanXLSXFast(ctx, path, sheet, fn, size)
}

// scanXLSXExcelize streams a worksheet with excelize's row iterator. It is the reference the
// fast reader is tested and benchmarked against.
func scanXLSXExcelize(ctx context.Context, path, sheet string, fn rowFunc, size sizeFunc) (err error) {
	// excelize unpacks large parts into TmpDir, and leaves them behind when opening fails
	// half-way; a private folder removed on every path guarantees no temp file survives.
	tmp, err := os.MkdirTemp("", "choucha-xlsx-")
	if err != nil {
		return fmt.Errorf("创建临时目录: %w", err)
	}
	defer os.RemoveAll(tmp)

	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    maxUnzipSize,
		UnzipXMLSizeLimit: min(xmlInMemoryLimit, maxUnzipSize),
		TmpDir:            tmp,
		RawCellValue:      true,
	})
	if err != nil {
		return xlsxOpenError(path, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("关闭 %s: %w", path, cerr)
		}
	}()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%s 中没有工作表", path)
	}
	if sheet == "" {
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return &HintError{Err: fmt.Errorf("%s 中没有名为“%s”的工作表", path, sheet),
			Hint: "现有工作表：" + strings.Join(sheets, "、")}
	}
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
		return fmt.Errorf("读取工作表“%s”: %w", sheet, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("读取工作表“%s”第%d行: %w", sheet, n, err)
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fmt.Errorf("读取工作表“%s”第%d行之后: %w", sheet, n, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// excelize's row iterator stops quietly at an XML error; a damaged or truncated sheet must
	// not be read short, so the rows seen are checked against the sheet's own dimension.
	if lastRow > n {
		return &HintError{
			Err:  fmt.Errorf("工作表“%s”应有%d行（尺寸 %s），但只读到第%d行：文件已损坏或被截断", sheet, lastRow, mustDim(f, sheet), n),
			Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx，或重新导出名录",
		}
	}
	return nil
}

func mustDim(f *excelize.File, sheet string) string {
	d, _ := f.GetSheetDimension(sheet)
	return d
}

func xlsxOpenError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unzip size exceeds"):
		return &HintError{
			Err:  fmt.Errorf("%s 解压后超过 %d MiB 上限，已拒绝读取（可能是压缩炸弹或损坏的文件）", path, maxUnzipSize>>20),
			Hint: "名录应在 Excel 的 1,048,576 行以内；请确认文件来源，或导出为 CSV 后再试",
		}
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, excelize.ErrWorkbookFileFormat):
		return &HintError{
			Err:  fmt.Errorf("%s 不是有效的 xlsx 文件（文件已损坏、被截断或不是 Excel 格式）", path),
			Hint: "请在 Excel/WPS 中打开后另存为 .xlsx，或重新导出名录",
		}
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return fmt.Errorf("%s 设有密码，请先在 Excel/WPS 中取消密码", path)
	}
	return &HintError{
		Err:  fmt.Errorf("无法打开 xlsx 文件 %s: %v", path, err),
		Hint: "请在 Excel/WPS 中打开后另存为 .xlsx，或重新导出名录",
	}
}

// scanCSV reads a CSV file in UTF-8 (with or without BOM) or, when the bytes are not valid
// UTF-8, GB18030 (a superset of GBK, what Excel on Chinese Windows writes).
func scanCSV(ctx context.Context, path string, start func() (rowFunc, sizeFunc)) error {
	f, err := os.Open(path)
	if err != nil {
		return openError(path, err)
	}
	defer f.Close()
	// First as UTF-8, checking every record; at the first invalid byte, start over as GB18030.
	// Chinese text in GBK is practically never valid UTF-8, so this is decided on the header.
	var fileSize int64
	if fi, err := f.Stat(); err == nil {
		fileSize = fi.Size()
	}
	fn, size := start()
	err = readCSV(ctx, bufio.NewReaderSize(f, 1<<20), true, fn, estimator(fileSize, size))
	if !errors.Is(err, errNotUTF8) {
		return err
	}
	head := make([]byte, 2)
	if n, _ := f.ReadAt(head, 0); n == 2 && (bytes.Equal(head, []byte{0xFF, 0xFE}) || bytes.Equal(head, []byte{0xFE, 0xFF})) {
		return &HintError{Err: fmt.Errorf("%s 是 UTF-16 编码的文本，无法读取", path),
			Hint: "请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx"}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("读取名录文件 %s: %w", path, err)
	}
	r := transform.NewReader(bufio.NewReaderSize(f, 1<<20), simplifiedchinese.GB18030.NewDecoder())
	fn, size = start()
	return readCSV(ctx, r, false, fn, nil)
}

// estimator turns the bytes per record of the first records into an estimate of the total.
func estimator(fileSize int64, size sizeFunc) func(records int, offset int64) {
	return func(records int, offset int64) {
		if offset > 0 && fileSize > 0 {
			size(int(fileSize*int64(records)/offset) + records/16)
		}
	}
}

// errNotUTF8 makes scanCSV start over as GB18030.
var errNotUTF8 = errors.New("not UTF-8")

// readCSV parses CSV records from r and numbers them as Excel shows them: one row per record
// (a quoted line break stays in its cell) and one row per blank line.
func readCSV(ctx context.Context, r io.Reader, checkUTF8 bool, fn rowFunc, estimate func(records int, offset int64)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	row, prevEnd, first := 0, 0, true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &HintError{Err: fmt.Errorf("CSV 第%d行第%d列格式错误：%s", pe.StartLine, pe.Column, csvErrText(pe.Err)),
					Hint: "请检查该行的引号是否成对，或在 Excel/WPS 中打开后另存为 .xlsx"}
			}
			return fmt.Errorf("读取 CSV: %w", err)
		}
		if checkUTF8 {
			for _, f := range rec {
				if !utf8.ValidString(f) {
					return errNotUTF8
				}
			}
		}
		start, _ := cr.FieldPos(0)
		last := len(rec) - 1
		endLine, _ := cr.FieldPos(last)
		endLine += strings.Count(rec[last], "\n")
		// encoding/csv skips empty lines; Excel shows each as an empty row.
		if gap := start - prevEnd - 1; gap > 0 {
			row += gap
		}
		row++
		prevEnd = endLine
		if first {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			first = false
		}
		if row&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if row == 1024 && estimate != nil {
				estimate(row, cr.InputOffset())
			}
		}
		if err := fn(row, rec); err != nil {
			return err
		}
	}
}

func csvErrText(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "未加引号的字段中出现了引号"
	case errors.Is(err, csv.ErrQuote):
		return "引号没有成对（缺少结束引号）"
	}
	return err.Error()
}
