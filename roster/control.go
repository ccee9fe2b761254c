package roster

import (
	"fmt"
	"strings"

	"github.com/choucha/choucha/internal/ctrlchar"
)

// Control characters in cells. An xlsx cell can hold any character as an _xHHHH_ escape
// (_x0000_, _x001B_), and a CSV any byte; none of them shows in Excel, and written raw into
// the outputs (抽查名单.csv, the notice) they garble or cut the line that holds them.
//
//   - In an identifier (the code or 注册号 cell) a control character is an error (bad_id): the
//     key would otherwise be read without it, and a code no one can see is not the firm's code.
//   - In any other cell it is removed, with a warning (control_chars) naming the columns.
//
// Tab, line feed and carriage return are not counted: they are white space that Excel shows
// (a cell with line breaks), and trimmed or kept as the cell's text. A raw NUL byte in a CSV
// file is refused with the file (badBytes: a NUL in a text file means a damaged file or binary
// content, not a character someone wrote), before these rules apply.

// CodeControlChars: control characters were removed from a cell (warning).
const CodeControlChars = "control_chars"

// hasControl reports whether s holds a control character other than tab, LF and CR (C0,
// DEL and C1): ctrlchar.Has, the one home of the rule.
func hasControl(s string) bool { return ctrlchar.Has(s) }

// stripControl removes the control characters hasControl finds (ctrlchar.Strip).
func stripControl(s string) string { return ctrlchar.Strip(s) }

// firstControl is the first control character of s, as U+XXXX ("" when it has none).
func firstControl(s string) string {
	if r, ok := ctrlchar.First(s); ok {
		return fmt.Sprintf("U+%04X", r)
	}
	return ""
}

// cleanControl removes control characters from the cells of a row except those of the
// columns keep (identifiers, judged by the caller), in place, and returns the header names
// (or column numbers) of the cells it changed.
func cleanControl(cells []string, hdr *header, keep ...int) (changed []string) {
	for i, c := range cells {
		if !hasControl(c) {
			continue
		}
		skip := false
		for _, k := range keep {
			if k == i {
				skip = true
			}
		}
		if skip {
			continue
		}
		cells[i] = stripControl(c)
		name := fmt.Sprintf("第%d列", i+1)
		if hdr != nil && i < len(hdr.cells) && strings.TrimSpace(hdr.cells[i]) != "" {
			name = "“" + strings.TrimSpace(hdr.cells[i]) + "”"
		}
		changed = append(changed, name+"（"+firstControl(c)+"）")
	}
	return changed
}
