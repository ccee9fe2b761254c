package plan

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/textfile"
)

// parseHTML reads a plan published as a web page and saved from the browser (.html, .htm):
// most offices first see the plan as a table on a government site's article page.
//
// The page is read as a browser shows it: its text decoded as a text plan's (UTF-8, else
// GB18030, which gb2312 and gbk pages are), entities decoded, runs of white space one space
// (see collapseSpace); script, style, forms' option lists and the head are not read.
//
// A table whose rows hold a plan header is read as rows: a cell over several columns
// (colspan) fills each of them, a cell over several rows (rowspan, 0 to the end of its
// section) gives its value to the rows below, both marked merged as an xlsx merged range; the
// lines of a cell (<p>, <br>, <div>) are the lines of a multi-line cell. A table that only
// holds such a table (the page's layout) is not a plan table: its text is read around it.
// Of the lines before the first header row (the site's menus, breadcrumbs, the notice) only
// the plan's title is kept: the last that names a 计划 or 清单 and a year (the name inside 《》
// when a notice quotes it, without a leading 附件：), else the last that names one, else the
// page's <title> read the same way.
func parseHTML(data []byte, name string, opts Options) (*Plan, error) {
	if int64(len(data)) > MaxTextBytes {
		return nil, textTooLarge(name, -1)
	}
	// Decoded as a text plan is (a byte-order mark; else UTF-8 if the whole page is; else
	// GB18030, which covers the gb2312 and gbk that Chinese sites declare): the <meta>
	// charset is not read, what Chinese pages declare is what this finds.
	text, _, err := textfile.Decode("计划 "+name, data)
	if err != nil {
		return nil, err
	}
	doc, err := readHTMLDoc(text, name)
	if err != nil {
		return nil, err
	}
	src := &sourceRows{name: name}
	doc.emit(doc.body, src)
	h := headerIndex(src.rows)
	if h < 0 {
		return nil, noTableHeader(name, "网页", htmlHint)
	}
	// Rows are numbered from the header row (第1行), as a reader counts them on the page.
	rows := src.rows[h:]
	for i := range rows {
		rows[i].line = i + 1
	}
	if t := htmlTitle(src.rows[:h], doc.title); t != "" {
		rows = append([]rawRow{{line: 0, cells: []string{t}}}, rows...)
	}
	src.rows = rows
	return rowsPlan(src, data, opts)
}

const htmlHint = "请在浏览器中打开计划所在的网页，另存为“网页，仅 HTML”（.html）再试；或选中表格复制到 Excel/WPS 表格中另存为 .xlsx"

// An htmlItem is a line of text or a table, in the order of the page.
type htmlItem struct {
	line  string
	table *htmlTable
}

type htmlTable struct {
	rows []htmlRow
	// Set once the table is closed: its rows laid out by column (grid), and whether they hold
	// a plan header.
	laid   []rawRow
	header bool
}

type htmlRow struct {
	section int // thead/tbody/tfoot it is in: a rowspan ends with its section
	cells   []*htmlCell
}

type htmlCell struct {
	items            []htmlItem
	colspan, rowspan int
}

type htmlDoc struct {
	title string
	body  []htmlItem
}

// maxHTMLNesting bounds tables inside tables (a layout seldom nests more than five deep).
const maxHTMLNesting = 32

// readHTMLDoc tokenizes the page (linear work, whatever the markup) into lines and tables,
// closing cells, rows and tables the page leaves open as a browser does.
func readHTMLDoc(text []byte, name string) (*htmlDoc, error) {
	z := html.NewTokenizer(bytes.NewReader(text))
	doc := &htmlDoc{}
	type open struct {
		t    *htmlTable
		sect int
		cell *htmlCell // the open cell of the table's last row, or nil
		row  bool      // a row is open
		into *[]htmlItem
	}
	var (
		tables []*open
		line   strings.Builder
		skip   string // inside an element whose text is not shown, its tag
		title  strings.Builder
		inHead bool
		inTitl bool
		cells  int
	)
	items := func() *[]htmlItem {
		if n := len(tables); n > 0 {
			if c := tables[n-1].cell; c != nil {
				return &c.items
			}
			return tables[n-1].into
		}
		return &doc.body
	}
	flush := func() {
		s := collapseSpace(line.String())
		line.Reset()
		if s == "" {
			return
		}
		if n := len(tables); n > 0 && tables[n-1].cell == nil {
			// Text in a table but in no cell (a <caption>, text between rows): a browser
			// shows it above the table. The open table is the last item of its container.
			o := tables[n-1]
			it := *o.into
			table := it[len(it)-1]
			*o.into = append(it[:len(it)-1], htmlItem{line: s}, table)
			return
		}
		it := items()
		*it = append(*it, htmlItem{line: s})
	}
	closeCell := func(o *open) {
		if o.cell != nil {
			flush()
			o.cell = nil
		}
	}
	closeRow := func(o *open) {
		closeCell(o)
		o.row = false
	}
	// laidOut counts the cells of the tables laid out so far (those spans fill included):
	// the page is refused once they pass MaxTableCells, before more are made.
	laidOut := 0
	spansError := func() error {
		return apperr.Hint(fmt.Errorf("读取计划 %s: 网页表格的单元格超过 %d 个（含合并单元格所占的格），不像一份抽查计划，已拒绝", name, MaxTableCells), tooLargeHint)
	}
	closeTable := func() error {
		o := tables[len(tables)-1]
		closeRow(o)
		tables = tables[:len(tables)-1]
		laid, ok := o.t.grid(MaxTableCells - laidOut)
		if !ok {
			return spansError()
		}
		for _, r := range laid {
			laidOut += len(r.cells)
		}
		o.t.laid, o.t.header = laid, headerIndex(laid) >= 0
		return nil
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); err != io.EOF {
				return nil, apperr.Hint(fmt.Errorf("读取计划 %s: 网页无法读取: %v", name, err), htmlHint)
			}
			break
		}
		tok := z.Token()
		tag := tok.Data
		switch tt {
		case html.TextToken:
			switch {
			case inTitl:
				title.WriteString(tok.Data)
			case skip != "" || inHead:
			default:
				line.WriteString(tok.Data)
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
			if skip != "" {
				continue
			}
			switch tag {
			case "head":
				inHead = true
			case "body":
				inHead = false
			case "title":
				inTitl = tt == html.StartTagToken
			case "script", "style", "noscript", "template", "select", "textarea", "object", "iframe", "svg", "math":
				if tt == html.StartTagToken {
					skip = tag
				}
			case "br", "hr":
				flush()
			case "table":
				if inHead {
					continue
				}
				flush()
				if len(tables) >= maxHTMLNesting {
					return nil, apperr.Hint(fmt.Errorf("读取计划 %s: 网页中的表格嵌套超过 %d 层，不像一份抽查计划，已拒绝", name, maxHTMLNesting), htmlHint)
				}
				t := &htmlTable{}
				it := items()
				*it = append(*it, htmlItem{table: t})
				tables = append(tables, &open{t: t, into: it})
			case "thead", "tbody", "tfoot":
				if n := len(tables); n > 0 {
					closeRow(tables[n-1])
					tables[n-1].sect++
				}
			case "tr":
				if n := len(tables); n > 0 {
					o := tables[n-1]
					closeRow(o)
					o.t.rows = append(o.t.rows, htmlRow{section: o.sect})
					o.row = true
				}
			case "td", "th":
				if n := len(tables); n > 0 {
					o := tables[n-1]
					closeCell(o)
					if !o.row {
						o.t.rows = append(o.t.rows, htmlRow{section: o.sect})
						o.row = true
					}
					cells++
					if cells > MaxTableCells {
						return nil, apperr.Hint(fmt.Errorf("读取计划 %s: 网页表格的单元格超过 %d 个，不像一份抽查计划，已拒绝", name, MaxTableCells), tooLargeHint)
					}
					c := &htmlCell{colspan: spanAttr(tok, "colspan", 1, 1000), rowspan: spanAttr(tok, "rowspan", 1, 65534)}
					r := &o.t.rows[len(o.t.rows)-1]
					r.cells = append(r.cells, c)
					o.cell = c
				}
			default:
				if htmlBlock[tag] {
					flush()
				}
			}
		case html.EndTagToken:
			if skip != "" {
				if tag == skip {
					skip = ""
				}
				continue
			}
			switch tag {
			case "head":
				inHead = false
			case "title":
				inTitl = false
			case "table":
				if len(tables) > 0 {
					if err := closeTable(); err != nil {
						return nil, err
					}
				}
			case "tr", "thead", "tbody", "tfoot":
				if n := len(tables); n > 0 {
					closeRow(tables[n-1])
				}
			case "td", "th":
				if n := len(tables); n > 0 {
					closeCell(tables[n-1])
				}
			case "br":
				flush() // </br> is a line break too, as browsers read it
			default:
				if htmlBlock[tag] {
					flush()
				}
			}
		}
	}
	flush()
	for len(tables) > 0 {
		if err := closeTable(); err != nil {
			return nil, err
		}
	}
	doc.title = collapseSpace(title.String())
	return doc, nil
}

// htmlBlock are the elements that begin and end a line.
var htmlBlock = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true, "section": true,
	"article": true, "header": true, "footer": true, "nav": true, "aside": true, "main": true,
	"blockquote": true, "pre": true, "center": true, "address": true, "form": true,
	"fieldset": true, "caption": true, "figure": true, "figcaption": true, "legend": true,
}

// spanAttr reads colspan or rowspan as browsers do: leading digits ("2px" is 2), 0 only for
// rowspan (to the end of the section), clamped to HTML's limits.
func spanAttr(t html.Token, key string, def, limit int) int {
	for _, a := range t.Attr {
		if a.Key != key {
			continue
		}
		v := strings.TrimSpace(a.Val)
		end := 0
		for end < len(v) && v[end] >= '0' && v[end] <= '9' {
			end++
		}
		n, err := strconv.Atoi(v[:min(end, 6)])
		if err != nil {
			return def
		}
		if n == 0 && key == "rowspan" {
			return limit
		}
		return max(1, min(n, limit))
	}
	return def
}

// collapseSpace is how a browser shows the text of a line: runs of white space (line breaks
// of the page's source among them) one space, none at the ends; a no-break space is a space.
// A source line break between two Chinese characters is a space too: LibreOffice's exports
// wrap the source only where the text has a space ("沁源县委宣传部 宣传教育理论股" in the
// Changzhi plan), and a reader that dropped it would join the two names.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, htmlSpace), " ")
}

func htmlSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

// text is the cell's lines, a table inside it as lines of its cells.
func (c *htmlCell) text() string {
	var lines []string
	var walk func(items []htmlItem)
	walk = func(items []htmlItem) {
		for _, it := range items {
			if it.table == nil {
				lines = append(lines, it.line)
				continue
			}
			for _, r := range it.table.rows {
				for _, c := range r.cells {
					walk(c.items)
				}
			}
		}
	}
	walk(c.items)
	return strings.Join(lines, "\n")
}

// grid lays the table's rows out by column, as a browser does: a cell takes the first column
// no cell from above still covers, colspan fills columns to its right and rowspan the rows
// below within its section. ok is false (and the layout left off) once it would hold more
// than budget cells.
func (t *htmlTable) grid(budget int) (out []rawRow, ok bool) {
	type cover struct {
		left  int
		value string
	}
	var (
		down []cover // by column: what a rowspan from above puts there
		sect = -1
	)
	for _, r := range t.rows {
		if r.section != sect {
			sect, down = r.section, nil
		}
		var cells []string
		var merged []bool
		fill := func() bool {
			col := len(cells)
			if col < len(down) && down[col].left > 0 {
				cells, merged = append(cells, down[col].value), append(merged, true)
				down[col].left--
				return true
			}
			return false
		}
		for _, c := range r.cells {
			for fill() {
			}
			v := c.text()
			if budget -= c.colspan; budget < 0 {
				return nil, false
			}
			for k := range c.colspan {
				col := len(cells)
				cells, merged = append(cells, v), append(merged, k > 0)
				for len(down) <= col {
					down = append(down, cover{})
				}
				down[col] = cover{left: c.rowspan - 1, value: v}
			}
		}
		if budget -= max(0, len(down)-len(cells)); budget < 0 {
			return nil, false // the columns rowspans from above fill
		}
		for col := len(cells); col < len(down); col = len(cells) {
			if !fill() {
				cells, merged = append(cells, ""), append(merged, false)
			}
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" && !merged[len(cells)-1] {
			cells, merged = cells[:len(cells)-1], merged[:len(merged)-1]
		}
		out = append(out, rawRow{cells: cells, merged: merged})
	}
	return out, true
}

// emit appends the rows of items to src: a line is a row of one cell, a plan table its rows,
// a layout table (one that holds a plan table in a cell) the rows of its cells' items. (The
// cells were counted against MaxTableCells when the tables were laid out.)
func (d *htmlDoc) emit(items []htmlItem, src *sourceRows) {
	for _, it := range items {
		switch {
		case it.table == nil:
			src.rows = append(src.rows, rawRow{line: len(src.rows) + 1, cells: []string{it.line}})
		case !it.table.header && it.table.holdsHeader():
			for _, r := range it.table.rows {
				for _, c := range r.cells {
					d.emit(c.items, src)
				}
			}
		default:
			for _, r := range it.table.laid {
				r.line = len(src.rows) + 1
				src.rows = append(src.rows, r)
			}
		}
	}
}

// holdsHeader: a table inside one of the table's cells (at any depth) has a plan header.
func (t *htmlTable) holdsHeader() bool {
	for _, r := range t.rows {
		for _, c := range r.cells {
			for _, it := range c.items {
				if it.table != nil && (it.table.header || it.table.holdsHeader()) {
					return true
				}
			}
		}
	}
	return false
}

// htmlTitle picks the plan's title from the rows above the header (see parseHTML).
func htmlTitle(pre []rawRow, pageTitle string) string {
	var lines []string
	for _, r := range pre {
		for _, c := range r.cells {
			if c = strings.TrimSpace(c); c != "" {
				lines = append(lines, strings.ReplaceAll(c, "\n", ""))
				break
			}
		}
	}
	lines = append([]string{pageTitle}, lines...)
	best := ""
	for _, l := range lines {
		if l = quotedPlan(l); strings.Contains(l, "计划") || strings.Contains(l, "清单") {
			if best == "" || yearOf(l) != 0 || yearOf(best) == 0 {
				best = l
			}
		}
	}
	return best
}

// quotedPlan is the name inside 《》 when a line quotes a plan ("关于印发《…计划》的通知"),
// else the line without a leading "附件1：".
func quotedPlan(l string) string {
	if i := strings.Index(l, "《"); i >= 0 {
		if j := strings.Index(l[i:], "》"); j > 0 {
			if in := l[i+len("《") : i+j]; strings.Contains(in, "计划") || strings.Contains(in, "清单") {
				return in
			}
		}
	}
	if rest, ok := strings.CutPrefix(l, "附件"); ok {
		rest = strings.TrimLeft(rest, "0123456789一二三四五六七八九十 ")
		if r, ok := strings.CutPrefix(rest, "："); ok {
			return strings.TrimSpace(r)
		}
		if r, ok := strings.CutPrefix(rest, ":"); ok {
			return strings.TrimSpace(r)
		}
	}
	return l
}
