package plan

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/xlsxstream"
)

// parseXLSX reads the first sheet that holds a plan header row. Real merged ranges are
// expanded (every cell of the range gets the range's value) before the table is parsed, so
// they need no repair; an empty cell outside any merge is repaired as in text.
//
// The workbook is read like a roster, through internal/xlsxstream (no excelize reader, no
// temporary file): it may unpack to at most MaxXLSXUnzip bytes, a sheet holds at most
// MaxTableCells cells (counting the empty ones before a value), a shared-string index out of
// range and Excel's row, column and cell limits are refused, and merged ranges are clipped to
// the used range of the sheet (a range A1:XFD1048576 does not expand to 17 billion cells).
// Cells read as excelize's GetRows shows them (number formats applied), so a plan reads to
// the same tasks as it did through excelize (xlsx_ref_test.go keeps that reader to compare).
func parseXLSX(data []byte, name string, opts Options) (*Plan, error) {
	b, err := xlsxstream.OpenReaderLimit(bytes.NewReader(data), int64(len(data)), name, MaxXLSXUnzip)
	if err != nil {
		return nil, xlsxError(name, err)
	}
	defer b.Close()
	for _, sheet := range b.Sheets() {
		g, err := b.ReadGrid(context.Background(), sheet, MaxTableCells)
		if err != nil {
			return nil, xlsxError(name, err)
		}
		if p, err := gridPlan(g, data, name, opts); p != nil || err != nil {
			return p, err
		}
	}
	return nil, noHeaderInSheets(name)
}

// gridPlan reads the plan in a sheet of the workbook data, or nil (and no error) when the
// sheet has no header row.
func gridPlan(g *xlsxstream.Grid, data []byte, name string, opts Options) (*Plan, error) {
	src, err := gridRows(g, name)
	if err != nil || !hasHeader(src) {
		return nil, err
	}
	return rowsPlan(src, data, opts)
}

func noHeaderInSheets(name string) error {
	return fmt.Errorf("读取计划 %s: 所有工作表中都找不到表头行（应含“序号”“抽查任务名称”“抽查比例及频次”等列）", name)
}

// parseXLS reads the first sheet that holds a plan header row of an Excel 97–2003 workbook
// (.xls), through xlsxstream.ReadXLS: the same grid as an xlsx sheet gives (cells as shown,
// merged ranges), read by the same steps, within the same limits.
func parseXLS(data []byte, name string, opts Options) (*Plan, error) {
	grids, err := xlsxstream.ReadXLS(data, MaxTableCells, MaxXLSXUnzip)
	if err != nil {
		return nil, xlsError(name, err)
	}
	for _, g := range grids {
		if p, err := gridPlan(g, data, name, opts); p != nil || err != nil {
			return p, err
		}
	}
	return nil, noHeaderInSheets(name)
}

func xlsError(name string, err error) error {
	const hint = "请在 Excel/WPS 中打开计划后另存为 .xlsx 再试"
	switch {
	case errors.Is(err, xlsxstream.ErrXLSEncrypted):
		return &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 工作簿设有打开密码，无法读取", name), Hint: "请在 Excel/WPS 中打开、取消密码后另存为 .xlsx 再试"}
	case errors.Is(err, xlsxstream.ErrZipBomb):
		return &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 工作簿超过 %d MB，不像一份抽查计划，已拒绝", name, MaxXLSXUnzip>>20), Hint: hint}
	}
	if e := gridLimitError(name, err, hint); e != nil {
		return e
	}
	return &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 不是有效的 Excel 97–2003 工作簿（%v）", name, err), Hint: hint}
}

// MaxXLSXUnzip bounds the unpacked size of a plan workbook (the embedded plan's unpacks to
// under 1 MB).
var MaxXLSXUnzip int64 = 64 << 20

func xlsxError(name string, err error) error {
	const hint = "请在 Excel/WPS 中打开计划后另存为 .xlsx，或另存为制表符分隔的文本（.txt）"
	if errors.Is(err, xlsxstream.ErrZipBomb) {
		return &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 解压后超过 %d MB，不像一份抽查计划（可能是压缩炸弹），已拒绝", name, MaxXLSXUnzip>>20), Hint: hint}
	}
	if e := gridLimitError(name, err, hint); e != nil {
		return e
	}
	return &apperr.Error{Err: fmt.Errorf("读取计划: %w", err), Hint: hint}
}

// gridLimitError is the refusal of a sheet past MaxTableCells (an xlsx or an .xls), or nil
// when err is not that.
func gridLimitError(name string, err error, hint string) error {
	var le *xlsxstream.GridLimitError
	if !errors.As(err, &le) {
		return nil
	}
	return &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s 工作表“%s”: 单元格超过 %d 个（连同有值单元格之前的空单元格），不像一份抽查计划，已拒绝", name, le.Sheet, MaxTableCells), Hint: hint}
}

func hasHeader(src *sourceRows) bool { return headerIndex(src.rows) >= 0 }

// headerIndex is the index of the first row that is a plan header row, or -1.
func headerIndex(rows []rawRow) int {
	for i := range rows {
		if _, h, _ := headerAt(rows, i); h != nil {
			return i
		}
	}
	return -1
}

// rowsPlan parses the rows a reader made of the file data and stamps the plan with the file's
// SHA-256: the last step of every reader.
func rowsPlan(src *sourceRows, data []byte, opts Options) (*Plan, error) {
	p, err := parseRows(src, opts)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	p.SHA256 = hex.EncodeToString(sum[:])
	return p, nil
}

// noTableHeader refuses a document (Word, a web page) none of whose tables has a header row.
func noTableHeader(name, where, hint string) error {
	return apperr.Hint(fmt.Errorf("读取计划 %s: %s中找不到表头行（应有一个表格，表头含“序号”“抽查任务名称”“抽查比例及频次”等列）", name, where), hint)
}

// gridRows turns a sheet into the table rows: the cells as shown, percentages stored as
// numbers exact, merged ranges filled within the used range.
func gridRows(g *xlsxstream.Grid, name string) (*sourceRows, error) {
	grid := make([][]string, len(g.Rows))
	merged := make([][]bool, len(g.Rows))
	cells := 0
	for i, r := range g.Rows {
		if len(r) > 0 { // a row of no cells stays nil, as the excelize reference reads it
			grid[i] = make([]string, len(r))
		}
		merged[i] = make([]bool, len(r))
		cells += len(r)
		for j, c := range r {
			grid[i][j] = c.Text
			// Percentages stored as numbers: the formatted text may round (0.005 shown as
			// "1%"); use the exact stored value instead.
			if !c.Number || !strings.HasSuffix(c.Text, "%") {
				continue
			}
			if v, ok := new(big.Rat).SetString(strings.TrimSpace(c.Raw)); ok {
				v.Mul(v, big.NewRat(100, 1))
				grid[i][j] = ratString(v) + "%"
			}
		}
	}
	// The used range: the rows read and the widest of them.
	usedRows, usedCols := len(grid), 0
	for _, r := range grid {
		usedCols = max(usedCols, len(r))
	}
	// covered marks the cells of the merged ranges filled so far: Excel never lets two merged
	// ranges overlap, so a file where they do is refused rather than guessed at (excelize
	// joined such ranges into one, only when a corner of one lay in the other).
	covered := make([][]bool, len(grid))
	for _, mc := range g.Merges {
		if mc.Row1 > usedRows || mc.Col1 > usedCols {
			continue
		}
		r1, c1 := mc.Row1, mc.Col1
		r2, c2 := min(mc.Row2, usedRows), min(mc.Col2, usedCols)
		if area := (r2 - r1 + 1) * (c2 - c1 + 1); cells+area > MaxTableCells {
			return nil, &apperr.Error{
				Msg:  fmt.Sprintf("读取计划 %s 工作表“%s”: 合并单元格 %s 在已用范围内覆盖 %d 个单元格，单元格合计超过 %d 个，不像一份抽查计划，已拒绝", name, g.Sheet, mc.Ref, area, MaxTableCells),
				Hint: "请在 Excel/WPS 中取消多余的合并单元格后另存为 .xlsx",
			}
		} else {
			cells += area
		}
		v := ""
		if r1-1 < len(grid) && c1-1 < len(grid[r1-1]) {
			v = grid[r1-1][c1-1]
		}
		for r := r1; r <= r2; r++ {
			for len(grid[r-1]) < c2 {
				grid[r-1] = append(grid[r-1], "")
				merged[r-1] = append(merged[r-1], false)
			}
			for len(covered[r-1]) < c2 {
				covered[r-1] = append(covered[r-1], false)
			}
			for c := c1; c <= c2; c++ {
				if covered[r-1][c-1] {
					return nil, &apperr.Error{
						Msg:  fmt.Sprintf("读取计划 %s 工作表“%s”: 合并单元格 %s 与另一个合并单元格重叠（Excel 不允许），无法确定单元格的值", name, g.Sheet, mc.Ref),
						Hint: "请在 Excel/WPS 中打开计划（会提示修复），检查合并单元格后另存为 .xlsx",
					}
				}
				covered[r-1][c-1] = true
				grid[r-1][c-1] = v
				merged[r-1][c-1] = merged[r-1][c-1] || r != r1 || c != c1
			}
		}
	}
	src := &sourceRows{name: name, where: fmt.Sprintf("工作表“%s”", g.Sheet)}
	for i := range grid {
		src.rows = append(src.rows, rawRow{line: i + 1, cells: grid[i], merged: merged[i]})
	}
	return src, nil
}

// ratString writes an exact rational as a decimal string when it terminates, else with
// 12 decimals (a percentage from Excel's binary double; never used in arithmetic).
func ratString(v *big.Rat) string {
	for prec := 0; prec <= 12; prec++ {
		s := v.FloatString(prec)
		back, _ := new(big.Rat).SetString(s)
		if back.Cmp(v) == 0 {
			return s
		}
	}
	return canonDecimal(v.FloatString(12))
}

func xlsxOpen(data []byte, name string) (*xlsxstream.Book, error) {
	return xlsxstream.OpenReaderLimit(bytes.NewReader(data), int64(len(data)), name, MaxXLSXUnzip)
}
