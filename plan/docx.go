package plan

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
)

// parseDOCX reads a plan published as a Word document (.docx, as Word, WPS and LibreOffice
// save it): most offices receive the plan as the attachment of a 红头文件, a Word table.
//
// The document's body is read in order into table rows, as an office would copy it into a
// spreadsheet: a paragraph outside any table is a row of one cell (the title lines above the
// table, "附件" lines between tables), each table row a row of its cells. Within a cell the
// paragraphs are lines of a multi-line cell. A cell merged across columns (w:gridSpan) fills
// every column it covers, a cell merged down (w:vMerge) takes the value of the cell where the
// merge starts, and both are marked merged, as the xlsx reader marks a merged range; the
// columns a row leaves out at its start (w:gridBefore) are empty. Several tables in one
// document are one table read on (a plan split at a page, a second table with its header
// again). Text that Word does not show — deleted revisions, field codes, the fallback copy of a
// drawing — is not read, nor the text of text boxes (drawn over the page, not in the table).
func parseDOCX(data []byte, name string, opts Options) (*Plan, error) {
	body, err := docxBody(data, name)
	if err != nil {
		return nil, err
	}
	src, err := docxRows(body, name)
	if err != nil {
		return nil, err
	}
	if !hasHeader(src) {
		return nil, noTableHeader(name, "文档", docxHint)
	}
	return rowsPlan(src, data, opts)
}

const docxHint = "请在 Word/WPS 中打开计划后另存为 .docx（Word 文档），或把表格复制到 Excel/WPS 表格中另存为 .xlsx"

// docxBody returns the main document part: the target of the package's officeDocument
// relationship (word/document.xml as Word writes it), unpacked to at most MaxXLSXUnzip bytes.
func docxBody(data []byte, name string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 不是有效的 .docx 文件（无法按 zip 打开）", name), Hint: docxHint}
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	part := "word/document.xml"
	if rels, ok := files["_rels/.rels"]; ok {
		b, err := readZipPart(rels, name)
		if err != nil {
			return nil, err
		}
		if t := officeDocument(b); t != "" {
			part = t
		}
	}
	f, ok := files[part]
	if !ok {
		return nil, &apperr.Error{Msg: fmt.Sprintf("读取计划 %s: 文件中没有 Word 正文（%s），不是 Word 文档", name, part), Hint: docxHint}
	}
	return readZipPart(f, name)
}

// officeDocument is the main part's name from a package's _rels/.rels, or "".
func officeDocument(rels []byte) string {
	var r struct {
		Rels []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(rels, &r) != nil {
		return ""
	}
	for _, rel := range r.Rels {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			return strings.TrimPrefix(path.Clean("/"+rel.Target), "/")
		}
	}
	return ""
}

func readZipPart(f *zip.File, name string) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 无法解压 %s: %v", name, f.Name, err), Hint: docxHint}
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxXLSXUnzip+1))
	if err != nil {
		return nil, &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: 无法解压 %s: %v", name, f.Name, err), Hint: docxHint}
	}
	if int64(len(b)) > MaxXLSXUnzip {
		return nil, &apperr.Error{Msg: fmt.Sprintf("读取计划 %s: %s 解压后超过 %d MB，不像一份抽查计划（可能是压缩炸弹），已拒绝", name, f.Name, MaxXLSXUnzip>>20), Hint: docxHint}
	}
	return b, nil
}

// docxCell is one cell of a table row as the document writes it.
type docxCell struct {
	text   string
	span   int    // grid columns covered (w:gridSpan), at least 1
	vMerge string // "" not merged down, "restart" starts a merge, "continue" continues one
	hMerge bool   // continues a horizontal merge (w:hMerge, Word 97's way)
}

// docxRows reads the body into rows. Only the outermost tables make rows: the text of a table
// inside a cell is lines of that cell.
func docxRows(body []byte, name string) (*sourceRows, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	src := &sourceRows{name: name}
	var (
		depth     int             // table nesting
		skip      int             // >0 inside an element whose text is not shown
		para      strings.Builder // the paragraph being read
		cellParas []string        // the paragraphs of the cell being read (outermost table)
		cell      *docxCell
		row       []docxCell
		inRow     bool
		inText    bool     // inside w:t, the only element whose character data is text
		before    int      // w:gridBefore of the row
		prev      []string // the previous row of this table, by grid column
		cells     int
	)
	emit := func(cs []string, merged []bool) error {
		cells += len(cs)
		if cells > MaxTableCells {
			return tooManyDOCXCells(name)
		}
		src.rows = append(src.rows, rawRow{line: len(src.rows) + 1, cells: cs, merged: merged})
		return nil
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: Word 正文不是有效的 XML（第%d行: %s）", name, se.Line, se.Msg), Hint: docxHint}
			}
			return nil, &apperr.Error{Err: err, Msg: fmt.Sprintf("读取计划 %s: Word 正文无法读取: %v", name, err), Hint: docxHint}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "del", "moveFrom", "instrText", "delText", "Fallback", "pPrChange", "rPrChange", "tblPrChange", "trPrChange", "tcPrChange", "txbxContent":
				// Not shown: a deleted revision, a field's code, a drawing's fallback copy,
				// the properties before a tracked change. Not in the table: a text box (its
				// paragraphs stand inside the paragraph that anchors it, and would otherwise
				// cut that paragraph's text in two; a seal's caption, a note beside the table).
				skip = 1
			case "tbl":
				depth++
				if depth == 1 {
					prev = nil
				}
			case "tr":
				if depth == 1 {
					inRow, row, before = true, row[:0], 0
				}
			case "gridBefore":
				if depth == 1 && inRow && cell == nil {
					before = max(0, min(atoiAttr(t, "val"), 64))
				}
			case "tc":
				if depth == 1 {
					cell, cellParas = &docxCell{span: 1}, cellParas[:0]
				}
			case "gridSpan":
				if depth == 1 && cell != nil {
					cell.span = max(1, min(atoiAttr(t, "val"), 64))
				}
			case "vMerge":
				if depth == 1 && cell != nil {
					if v := attr(t, "val"); v == "restart" {
						cell.vMerge = "restart"
					} else {
						cell.vMerge = "continue"
					}
				}
			case "hMerge":
				if depth == 1 && cell != nil && attr(t, "val") != "restart" {
					cell.hMerge = true
				}
			case "p":
				para.Reset()
			case "t":
				inText = true
			case "tab", "ptab":
				para.WriteByte(' ')
			case "br", "cr":
				para.WriteByte('\n')
			case "noBreakHyphen":
				para.WriteByte('-')
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				switch {
				case depth == 0:
					if s := strings.TrimSpace(para.String()); s != "" {
						if err := emit([]string{s}, nil); err != nil {
							return nil, err
						}
					}
				case cell != nil:
					cellParas = append(cellParas, para.String())
					para.Reset()
				}
			case "tc":
				if depth == 1 && cell != nil {
					cell.text = strings.Trim(strings.Join(cellParas, "\n"), "\n")
					row = append(row, *cell)
					cell = nil
				}
			case "tr":
				if depth == 1 && inRow {
					// Counted before the row is laid out: spans multiply its cells.
					n := before
					for _, c := range row {
						n += c.span
					}
					if cells+n > MaxTableCells {
						return nil, tooManyDOCXCells(name)
					}
					cs, merged := docxGrid(row, before, prev)
					prev = cs
					inRow = false
					if err := emit(cs, merged); err != nil {
						return nil, err
					}
				}
			case "tbl":
				depth--
			}
		case xml.CharData:
			if inText && skip == 0 {
				para.Write(t)
			}
		}
	}
	return src, nil
}

func tooManyDOCXCells(name string) error {
	return &apperr.Error{Msg: fmt.Sprintf("读取计划 %s: 表格单元格超过 %d 个，不像一份抽查计划，已拒绝", name, MaxTableCells), Hint: docxHint}
}

// docxGrid lays a row's cells out on the table grid: before empty columns, each cell over
// its span; a cell merged down takes the value above it (prev, the previous row by grid
// column), a horizontal continuation the value to its left.
func docxGrid(row []docxCell, before int, prev []string) (cells []string, merged []bool) {
	for range before {
		cells, merged = append(cells, ""), append(merged, false)
	}
	for _, c := range row {
		v, m := c.text, false
		col := len(cells)
		switch {
		case c.vMerge == "continue":
			v, m = "", true
			if col < len(prev) {
				v = prev[col]
			}
		case c.hMerge && col > 0:
			v, m = cells[col-1], true
		}
		for k := range c.span {
			cells, merged = append(cells, v), append(merged, m || k > 0)
		}
	}
	return cells, merged
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func atoiAttr(e xml.StartElement, local string) int {
	n, err := strconv.Atoi(strings.TrimSpace(attr(e, local)))
	if err != nil {
		return 0
	}
	return n
}
