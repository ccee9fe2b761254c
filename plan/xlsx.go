package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/xuri/excelize/v2"
)

// parseXLSX reads the first sheet that holds a plan header row. Real merged ranges are
// expanded (every cell of the range gets the range's value) before the table is parsed, so
// they need no repair; an empty cell outside any merge is repaired as in text.
//
// A plan is a small table: the workbook may unpack to at most MaxXLSXUnzip bytes, every part is
// unpacked in memory (excelize then writes no temporary file), and merged ranges are clipped to
// the used range of the sheet (a range A1:XFD1048576 no longer expands to 17 billion cells).
func parseXLSX(data []byte, name string, opts Options) (*Plan, error) {
	sum := sha256.Sum256(data)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxXLSXUnzip, UnzipXMLSizeLimit: MaxXLSXUnzip})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, fmt.Errorf("读取计划 %s: 解压后超过 %d MB，不像一份抽查计划（可能是压缩炸弹），已拒绝", name, MaxXLSXUnzip>>20)
		}
		return nil, fmt.Errorf("读取计划 %s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		src, err := sheetRows(f, sheet, name)
		if err != nil {
			return nil, err
		}
		if !hasHeader(src) {
			continue
		}
		p, err := parseRows(src, opts)
		if err != nil {
			return nil, err
		}
		p.SHA256 = hex.EncodeToString(sum[:])
		return p, nil
	}
	return nil, fmt.Errorf("读取计划 %s: 所有工作表中都找不到表头行（应含“序号”“抽查任务名称”“抽查比例及频次”等列）", name)
}

// MaxXLSXUnzip bounds the unpacked size of a plan workbook (the embedded plan's unpacks to
// under 1 MB).
var MaxXLSXUnzip int64 = 64 << 20

func hasHeader(src *sourceRows) bool {
	for _, r := range src.rows {
		cells := make([]string, len(r.cells))
		for j, c := range r.cells {
			cells[j] = cleanCell(c)
		}
		if _, ok := headerOf(cells); ok {
			return true
		}
	}
	return false
}

func sheetRows(f *excelize.File, sheet, name string) (*sourceRows, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, fmt.Errorf("读取计划 %s 工作表“%s”: %v", name, sheet, err)
	}
	grid := make([][]string, len(rows))
	merged := make([][]bool, len(rows))
	for i, r := range rows {
		grid[i] = append([]string(nil), r...)
		merged[i] = make([]bool, len(r))
	}
	set := func(row, col int, v string, isMerge bool) {
		for len(grid) <= row {
			grid = append(grid, nil)
			merged = append(merged, nil)
		}
		for len(grid[row]) <= col {
			grid[row] = append(grid[row], "")
			merged[row] = append(merged[row], false)
		}
		grid[row][col] = v
		merged[row][col] = merged[row][col] || isMerge
	}
	// Percentages stored as numbers: the formatted text may round (0.005 shown as "1%");
	// use the exact stored value instead.
	for i, r := range grid {
		for j, c := range r {
			if !strings.HasSuffix(c, "%") {
				continue
			}
			axis, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if typ, _ := f.GetCellType(sheet, axis); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				continue
			}
			raw, err := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
			if err != nil {
				continue
			}
			v, ok := new(big.Rat).SetString(strings.TrimSpace(raw))
			if !ok {
				continue
			}
			v.Mul(v, big.NewRat(100, 1))
			set(i, j, ratString(v)+"%", false)
		}
	}
	mcs, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, fmt.Errorf("读取计划 %s 工作表“%s”的合并单元格: %v", name, sheet, err)
	}
	// The used range: the rows read and the widest of them.
	usedRows, usedCols := len(grid), 0
	for _, r := range grid {
		usedCols = max(usedCols, len(r))
	}
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > usedRows || c1 > usedCols {
			continue
		}
		r2, c2 = min(r2, usedRows), min(c2, usedCols)
		v := mc.GetCellValue()
		if r1-1 < len(grid) && c1-1 < len(grid[r1-1]) {
			v = grid[r1-1][c1-1] // the exact value read above, if any
		}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				set(r-1, c-1, v, r != r1 || c != c1)
			}
		}
	}
	src := &sourceRows{name: name, where: fmt.Sprintf("工作表“%s”", sheet)}
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
