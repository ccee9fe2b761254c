package plan

import (
	"bytes"
	"fmt"

	"github.com/choucha/choucha/internal/apperr"
)

// MaxTableCells bounds the cells of a plan table, a sheet of a workbook or a text plan: the
// 2026 Changzhi plan has 4,400 (400 rows × 11 columns). 262,144 is sixty times that, and keeps
// a hostile table (a value in column XFD on every row, a merged range over a used range of the
// whole sheet, 16 MB of tabs) to tens of MB and the table parse to about a second (90,000 rows
// of 11 numbers took 13 s and 520 MB through plan list). A sheet counts the empty cells before
// a value and the cells merged ranges fill; a text counts the fields between tabs and line
// breaks (a quoted cell holding a line break counts as two).
var MaxTableCells = 1 << 18

// MaxTextBytes bounds the size of a text plan, checked before it is read: the Changzhi plan is
// 156 KB as text (36 bytes a cell), so MaxTableCells of its cells are 9 MB; 16 MB leaves room
// for longer cells and keeps the copies the reader makes (decoded text, rows) under 300 MB.
var MaxTextBytes int64 = 16 << 20

const tooLargeHint = "请确认选对了文件（抽查计划通常几百行、不到 1 MB）；如果计划确实这么大，请按地市或部门拆成几个计划文件分别读取"

// textTooLarge refuses a text plan of size bytes (-1: more than MaxTextBytes, size unknown).
func textTooLarge(name string, size int64) error {
	have := "超过"
	if size >= 0 {
		have = fmt.Sprintf("有 %d MB，超过", size>>20)
	}
	return apperr.Hint(fmt.Errorf("读取计划 %s: 文件%s %d MB，不像一份抽查计划，已拒绝", name, have, MaxTextBytes>>20), tooLargeHint)
}

// textCells counts the cells of a text plan as MaxTableCells does: the tabs, and the lines
// (LF, CR LF or a lone CR ends one; a last line without an end counts too).
func textCells(text []byte) int {
	n := bytes.Count(text, []byte("\t")) + bytes.Count(text, []byte("\n")) + bytes.Count(text, []byte("\r")) - bytes.Count(text, []byte("\r\n"))
	if len(text) > 0 && !bytes.HasSuffix(text, []byte("\n")) && !bytes.HasSuffix(text, []byte("\r")) {
		n++
	}
	return n
}

func textTooManyCells(name string, cells int) error {
	return apperr.Hint(fmt.Errorf("读取计划 %s: 单元格有 %d 个，超过 %d 个（按制表符和换行分隔计），不像一份抽查计划，已拒绝", name, cells, MaxTableCells), tooLargeHint)
}
