package xlsxstream

// Which sheet a workbook is read from, and what a scan learns of it besides its rows.
//
// Without a sheet name the sheet read is the first visible one: a workbook whose first
// sheet is hidden (state="hidden" or "veryHidden", an old roster kept out of sight) was
// read from that hidden sheet, and a draw was made from firms nobody saw. A workbook whose
// sheets are all hidden (Excel does not save one) is read from its first sheet. A sheet
// named explicitly is read whether hidden or not.
//
// Merged ranges (<mergeCells>) come after the rows in a worksheet part, so a streaming scan
// learns them at its end (ScanResult.Merges), after every row has been handed on; a caller
// that wants them filled reads the sheet again with FillMerges (see roster's scanFileAt).

import (
	"fmt"
	"slices"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
)

// SheetInfo is one sheet of a workbook: its name and its state as the workbook says it
// ("" or "visible"; "hidden"; "veryHidden").
type SheetInfo struct {
	Name  string
	State string
}

// Hidden says whether the sheet is hidden, as excelize's GetSheetVisible decides it: any
// state but "" and "visible".
func (s SheetInfo) Hidden() bool { return s.State != "" && s.State != "visible" }

// ScanResult is what a scan learned of the workbook besides the sheet's rows.
type ScanResult struct {
	Sheet  string      // the sheet read, as the workbook spells it
	Sheets []SheetInfo // every sheet of the workbook, in workbook order
	// Merges are the references of the sheet's merged ranges (<mergeCell ref>) as written,
	// in file order; known only when the scan read the sheet to its end. At most MaxMerges
	// are kept; MergesCut says there were more.
	Merges    []string
	MergesCut bool
	// ControlFree: the reader saw every value of the sheet and none holds a control character
	// (ctrlchar.Has; the fast reader, read to the end). False when it cannot say (excelize,
	// .xls, a scan stopped early): a caller then looks at the cells itself.
	ControlFree bool
}

// MaxMerges bounds the merged ranges a scan keeps (a hostile sheet could hold millions).
const MaxMerges = 1 << 16

// defaultSheet is the index of the sheet read when none is named: the first visible one,
// else the first.
func defaultSheet(sheets []SheetInfo) int {
	for i, s := range sheets {
		if !s.Hidden() {
			return i
		}
	}
	return 0
}

// chooseSheet finds the sheet to read: the one named so (case aside), or the default.
// ok is false when no sheet has the name.
func chooseSheet(sheets []SheetInfo, name string) (i int, ok bool) {
	if name == "" {
		return defaultSheet(sheets), len(sheets) > 0
	}
	for i, s := range sheets {
		if strings.EqualFold(s.Name, name) {
			return i, true
		}
	}
	return -1, false
}

// noSheetError refuses a sheet name the workbook does not have, listing those it has.
func noSheetError(file, name string, sheets []SheetInfo) error {
	return &apperr.Error{Err: fmt.Errorf("%s 中没有名为“%s”的工作表", file, name),
		Hint: "现有工作表：" + SheetList(sheets)}
}

// SheetList is the names of sheets, a hidden one marked 「（隐藏）」, joined by 、.
func SheetList(sheets []SheetInfo) string {
	list := make([]string, len(sheets))
	for i, s := range sheets {
		list[i] = "“" + s.Name + "”"
		if s.Hidden() {
			list[i] += "（隐藏）"
		}
	}
	return strings.Join(list, "、")
}

// ParseRange reads a merged range's reference ("H2:H11"; "B2" is B2:B2), corners ordered.
func ParseRange(ref string) (Range, error) { return parseRange(ref) }

// FillMerges wraps fn so that every cell of each merged range holds the value of the
// range's top-left cell, as Excel shows the range. The value is the top-left cell's as the
// row reaches fn (so a range below another is filled from what was filled in). Only rows
// that have a cell of their own are filled: a row the file leaves empty stays empty (a
// merged class over a blank line does not make the line a firm). The ranges must not
// overlap (roster refuses overlapping ranges before it reads with them).
func FillMerges(fn RowFunc, merges []Range) RowFunc {
	if len(merges) == 0 {
		return fn
	}
	ms := slices.Clone(merges)
	slices.SortStableFunc(ms, func(a, b Range) int { return a.Row1 - b.Row1 })
	type active struct {
		Range
		value string
	}
	var live []active
	next := 0
	var buf []string
	return func(row int, cells []string) error {
		// Ranges that ended above this row are done; those starting on it take their value.
		k := 0
		for _, a := range live {
			if a.Row2 >= row {
				live[k] = a
				k++
			}
		}
		live = live[:k]
		for next < len(ms) && ms[next].Row1 < row {
			next++ // a range whose first row the file did not have: nothing to fill from
		}
		for next < len(ms) && ms[next].Row1 == row {
			m := ms[next]
			next++
			if c := m.Col1 - 1; c < len(cells) && cells[c] != "" {
				live = append(live, active{m, cells[c]})
			}
		}
		if len(live) == 0 || !hasValue(cells) {
			return fn(row, cells)
		}
		buf = append(buf[:0], cells...)
		for _, a := range live {
			for c := a.Col1; c <= a.Col2; c++ {
				for len(buf) < c {
					buf = append(buf, "")
				}
				buf[c-1] = a.value
			}
		}
		return fn(row, buf)
	}
}

func hasValue(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}
