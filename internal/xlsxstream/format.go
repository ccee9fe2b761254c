package xlsxstream

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// cellFormatter shows a stored value as excelize's GetRows shows it. Number formatting is
// excelize's (numfmt.go, thousands of lines, not exported): a scratch workbook held in memory
// gets the value and the cell's number format and excelize formats it. The scratch workbook
// is excelize's own new file, never a user file, so nothing of the user's is parsed by
// excelize and no temporary file is written.
//
// Which format applies is decided as excelize's formattedValue decides it (cell.go): style 0,
// a workbook without <cellXfs> and a style index out of range show the value as stored; else
// the style's numFmtId, looked up first among the workbook's own formats (<numFmts>), then
// among excelize's built-in ones; an id found in neither shows the value as stored.
type cellFormatter struct {
	xf       []int          // numFmtId of each cell style (<cellXfs>)
	hasXfs   bool           // the workbook has <cellXfs>
	custom   map[int]string // the workbook's own formats by id
	date1904 bool

	scratch *excelize.File
	styles  map[int]int // cell style → scratch style (0: show as stored)
	byFmt   map[int]int // number format id → scratch style
	cache   map[fmtKey]string
}

type fmtKey struct {
	style int
	kind  byte
	v     string
}

// maxFormatCache bounds the memo of formatted values (a plan has a few thousand cells).
const maxFormatCache = 1 << 14

// builtInNumFmt lists the ids of excelize's built-in formats (numfmt.go's builtInNumFmt);
// the language-dependent ids (27–36, 50–58) are built in only with a CultureInfo, which the
// plan reader never set.
func builtInNumFmt(id int) bool {
	return 0 <= id && id <= 4 || 9 <= id && id <= 22 || 37 <= id && id <= 49
}

// scratchStyle returns the scratch workbook's style with style's number format, 0 when the
// value is shown as stored.
func (cf *cellFormatter) scratchStyle(style int) int {
	if style == 0 || !cf.hasXfs || style < 0 || style >= len(cf.xf) {
		return 0
	}
	if id, ok := cf.styles[style]; ok {
		return id
	}
	if cf.scratch == nil {
		cf.scratch = excelize.NewFile()
		cf.styles = map[int]int{}
		if cf.date1904 {
			d := true
			_ = cf.scratch.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &d})
		}
	}
	// The alignment keeps the scratch style distinct from the scratch workbook's style 0,
	// which excelize would never format.
	st := &excelize.Style{Alignment: &excelize.Alignment{Indent: 1}}
	numFmt := cf.xf[style]
	// Styles of one number format share a scratch style: a workbook of tens of thousands of
	// styles (an .xls gives one to each cell's XF) makes as many scratch styles as formats.
	if id, ok := cf.byFmt[numFmt]; ok {
		cf.styles[style] = id
		return id
	}
	if cf.byFmt == nil {
		cf.byFmt = map[int]int{}
	}
	defer func() { cf.byFmt[numFmt] = cf.styles[style] }()
	if code, ok := cf.custom[numFmt]; ok {
		st.CustomNumFmt = &code
	} else if builtInNumFmt(numFmt) {
		st.NumFmt = numFmt
	} else {
		cf.styles[style] = 0
		return 0
	}
	id, err := cf.scratch.NewStyle(st)
	if err != nil {
		id = 0
	}
	cf.styles[style] = id
	return id
}

const scratchSheet, scratchCell = "Sheet1", "A1"

func (cf *cellFormatter) memo(style int, kind byte, v string, fn func(id int) string) string {
	id := cf.scratchStyle(style)
	if id == 0 && kind != 'n' {
		return v
	}
	k := fmtKey{id, kind, v}
	if s, ok := cf.cache[k]; ok {
		return s
	}
	s := fn(id)
	if len(cf.cache) < maxFormatCache {
		cf.cache[k] = s
	}
	return s
}

// text shows a string (shared, inline) or any value excelize formats as text.
func (cf *cellFormatter) text(style int, v string) string {
	return cf.memo(style, 's', v, func(id int) string {
		if err := cf.scratch.SetCellStr(scratchSheet, scratchCell, v); err != nil {
			return v
		}
		return cf.get(id, v)
	})
}

// number shows a cell stored as a number (or an error value): excelize first rewrites a
// numeric value in Go's shortest form (getCellDefault: "1.0" → "1", more than 15 digits → 15
// significant ones), whatever the style.
func (cf *cellFormatter) number(style int, v string) string {
	if v == "" {
		return ""
	}
	if cf.scratchStyle(style) == 0 && plainInt(v) {
		return v // what getCellDefault gives back for digits that fit in a float exactly
	}
	return cf.memo(style, 'n', v, func(id int) string {
		if cf.scratch == nil {
			cf.scratch = excelize.NewFile()
			cf.styles = map[int]int{}
		}
		if err := cf.scratch.SetCellDefault(scratchSheet, scratchCell, v); err != nil {
			return v
		}
		return cf.get(id, v)
	})
}

// date shows a t="d" cell: excelize turns the ISO 8601 text into a date serial and formats
// it (getCellDate); a value it cannot parse is formatted as it is.
func (cf *cellFormatter) date(style int, v string) string {
	layout := "20060102T150405.999"
	if strings.HasSuffix(v, "Z") {
		layout = "20060102T150405Z"
		if strings.Contains(v, "-") {
			layout = "2006-01-02T15:04:05Z"
		}
	} else if strings.Contains(v, "-") {
		layout = "2006-01-02 15:04:05Z"
	}
	serial := v
	if t, err := time.Parse(layout, strings.ReplaceAll(v, ",", ".")); err == nil {
		// excelize's timeToExcelTime, for dates after 1900-03-01 (a plan's dates).
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		days := float64(t.Sub(base)) / float64(24*time.Hour)
		serial = strconv.FormatFloat(days, 'G', 15, 64)
	}
	return cf.number(style, serial)
}

func (cf *cellFormatter) get(id int, v string) string {
	if err := cf.scratch.SetCellStyle(scratchSheet, scratchCell, scratchCell, id); err != nil {
		return v
	}
	s, err := cf.scratch.GetCellValue(scratchSheet, scratchCell)
	if err != nil {
		return v
	}
	return s
}

// plainInt reports digits without a sign or leading zero, short enough to be exact in a
// float64.
func plainInt(v string) bool {
	if len(v) == 0 || len(v) > 15 || v[0] == '0' && len(v) > 1 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
