package plan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/cfb"
)

// parseDOC reads a plan in a Word 97–2003 document (.doc, the binary format many offices
// still attach to a 红头文件), as MS-DOC describes it: the compound file's WordDocument and
// table streams (internal/cfb), the File Information Block, the piece table
// (the main text, 8-bit or UTF-16 pieces), and each paragraph's properties from the
// PlcBtePapx pages. Those say which paragraph marks end a table cell and which a table row; a
// row's own properties (sprmTDefTable) give its cells' edges, from which a cell over several
// columns is laid out, and which cells continue a vertical merge (sprmTVertMerge, or the
// cell's own flags). The rows are then read as a Word table's are (docxGrid): paragraphs
// outside tables are rows of one cell, a cell's paragraphs its lines, a merged cell the value
// where its merge starts, marked merged. A field's code is not read, its result is; a table
// nested in a cell is lines of that cell. An encrypted document, and Word 95 and older, are
// refused with what to do.
func parseDOC(data []byte, name string, opts Options) (*Plan, error) {
	src, err := docRowsGuarded(data, name)
	if err != nil {
		return nil, err
	}
	if !hasHeader(src) {
		return nil, noTableHeader(name, "文档", docHint)
	}
	return rowsPlan(src, data, opts)
}

const docHint = "请在 Word/WPS 中打开计划后另存为 .docx（Word 文档）再试"

// docRowsGuarded is docRows, with any fault in a damaged file's structures (an offset past
// its stream the checks missed) refused as a damaged document rather than a crash.
func docRowsGuarded(data []byte, name string) (src *sourceRows, err error) {
	defer func() {
		if r := recover(); r != nil {
			src, err = nil, docBroken(name, fmt.Sprint(r))
		}
	}()
	return docRows(data, name)
}

func docBroken(name, why string) error {
	return apperr.Hint(fmt.Errorf("读取计划 %s: 不是有效的 Word 97–2003 文档（%s）", name, why), docHint)
}

// docStreams reads the WordDocument stream, both table streams and the Data stream (where
// large paragraph properties are kept), each at most MaxXLSXUnzip bytes.
func docStreams(data []byte, name string) (word, table0, table1, dataStream []byte, err error) {
	st, names, err := cfb.Streams(data, []string{"WordDocument", "0Table", "1Table", "Data"}, MaxXLSXUnzip)
	var big *cfb.TooLargeError
	switch {
	case errors.As(err, &big):
		return nil, nil, nil, nil, apperr.Hint(fmt.Errorf("读取计划 %s: %s 超过 %d MB，不像一份抽查计划，已拒绝", name, big.Stream, MaxXLSXUnzip>>20), docHint)
	case err != nil:
		return nil, nil, nil, nil, docBroken(name, err.Error())
	case slices.Contains(names, "EncryptedPackage"):
		return nil, nil, nil, nil, apperr.Hint(fmt.Errorf("读取计划 %s: 文档设有打开密码，无法读取", name), "请在 Word/WPS 中打开、取消密码后另存为 .docx 再试")
	case st["WordDocument"] == nil:
		return nil, nil, nil, nil, apperr.Hint(fmt.Errorf("读取计划 %s: 文件中没有 Word 正文（WordDocument），不是 Word 文档", name), docHint)
	}
	return st["WordDocument"], st["0Table"], st["1Table"], st["Data"], nil
}

// docFIB is what the reader takes from the File Information Block.
type docFIB struct {
	ccpText         uint32 // characters of the main document
	fcClx, lcbClx   uint32 // the piece table, in the table stream
	fcPapx, lcbPapx uint32 // PlcBtePapx, in the table stream
	fcChpx, lcbChpx uint32 // PlcBteChpx, in the table stream
	table1          bool   // the table stream is 1Table (else 0Table)
}

func readFIB(word []byte, name string) (docFIB, error) {
	var f docFIB
	le := binary.LittleEndian
	if len(word) < 34 || le.Uint16(word) != 0xA5EC {
		return f, docBroken(name, "文件信息块的标识不对")
	}
	nFib, flags := le.Uint16(word[2:]), le.Uint16(word[10:])
	if flags&0x0100 != 0 {
		return f, apperr.Hint(fmt.Errorf("读取计划 %s: 文档已加密（设有打开密码），无法读取", name), "请在 Word/WPS 中打开、取消密码后另存为 .docx 再试")
	}
	if nFib < 0x00C1 {
		return f, apperr.Hint(fmt.Errorf("读取计划 %s: 这是 Word 95 或更早版本的文档，无法读取", name), docHint)
	}
	f.table1 = flags&0x0200 != 0
	// FibBase (32 bytes), then three arrays, each after its count: fibRgW (16-bit),
	// fibRgLw (32-bit), fibRgFcLcb (pairs of 32-bit fc, lcb).
	at := 32
	csw := int(le.Uint16(word[at:]))
	at += 2 + 2*csw
	if at+2 > len(word) {
		return f, docBroken(name, "文件信息块不完整")
	}
	cslw := int(le.Uint16(word[at:]))
	lw := at + 2
	at = lw + 4*cslw
	if cslw < 4 || at+2 > len(word) {
		return f, docBroken(name, "文件信息块不完整")
	}
	f.ccpText = le.Uint32(word[lw+12:])
	cb := int(le.Uint16(word[at:]))
	rg := at + 2
	pair := func(i int) (uint32, uint32, bool) {
		o := rg + 8*i
		if i >= cb || o+8 > len(word) {
			return 0, 0, false
		}
		return le.Uint32(word[o:]), le.Uint32(word[o+4:]), true
	}
	var ok1, ok2, ok3 bool
	f.fcChpx, f.lcbChpx, ok1 = pair(12)
	f.fcPapx, f.lcbPapx, ok2 = pair(13)
	f.fcClx, f.lcbClx, ok3 = pair(33)
	if !ok1 || !ok2 || !ok3 {
		return f, docBroken(name, "文件信息块不完整")
	}
	return f, nil
}

// docPiece is one piece of the text: characters [cp, cpEnd) at byte fc of the WordDocument
// stream, one byte each (compressed) or two.
type docPiece struct {
	cp, cpEnd  uint32
	fc         uint32
	compressed bool
}

func readPieces(table []byte, f docFIB, name string) ([]docPiece, error) {
	le := binary.LittleEndian
	end := uint64(f.fcClx) + uint64(f.lcbClx)
	if end > uint64(len(table)) {
		return nil, docBroken(name, "段落表超出表流")
	}
	clx := table[f.fcClx:end]
	for len(clx) > 0 && clx[0] == 0x01 { // Prc: property modifiers, not needed
		if len(clx) < 3 {
			return nil, docBroken(name, "段落表损坏")
		}
		n := 3 + int(int16(le.Uint16(clx[1:])))
		if n < 3 || n > len(clx) {
			return nil, docBroken(name, "段落表损坏")
		}
		clx = clx[n:]
	}
	if len(clx) < 5 || clx[0] != 0x02 {
		return nil, docBroken(name, "没有分段表")
	}
	lcb := le.Uint32(clx[1:])
	plc := clx[5:]
	if uint64(lcb) > uint64(len(plc)) || lcb < 16 || (lcb-4)%12 != 0 {
		return nil, docBroken(name, "分段表损坏")
	}
	n := int(lcb-4) / 12
	pieces := make([]docPiece, 0, n)
	for i := range n {
		cp, cpEnd := le.Uint32(plc[4*i:]), le.Uint32(plc[4*i+4:])
		pcd := plc[4*(n+1)+8*i:]
		fc := le.Uint32(pcd[2:])
		p := docPiece{cp: cp, cpEnd: cpEnd, fc: fc & 0x3FFFFFFF, compressed: fc&0x40000000 != 0}
		if p.compressed {
			p.fc /= 2
		}
		if cpEnd < cp {
			return nil, docBroken(name, "分段表损坏")
		}
		pieces = append(pieces, p)
	}
	return pieces, nil
}

// cp1252 are the characters 0x80–0x9F of 8-bit text (Windows-1252); the rest is Latin-1.
var cp1252 = [32]rune{0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178}

// docChar is one character of the main text and the byte of the stream it stands at (what
// paragraph properties are found by).
type docChar struct {
	r  rune
	fc uint32
}

// maxDocChars bounds the main text of a .doc: the Changzhi plan has 52,156 characters.
const maxDocChars = 1 << 22

// mainText is the main document's characters (the first ccpText), in order.
func mainText(word []byte, pieces []docPiece, ccp uint32, name string) ([]docChar, error) {
	if ccp > maxDocChars {
		return nil, apperr.Hint(fmt.Errorf("读取计划 %s: 正文超过 %d 个字符，不像一份抽查计划，已拒绝", name, maxDocChars), tooLargeHint)
	}
	// Each character is at least a byte of the stream; pieces out of order (a damaged file)
	// give no more than ccp characters in all.
	out := make([]docChar, 0, min(int(ccp), len(word)))
	for _, p := range pieces {
		if p.cp >= ccp || uint32(len(out)) >= ccp {
			break
		}
		n := min(p.cpEnd, ccp) - p.cp
		n = min(n, ccp-uint32(len(out)))
		if p.compressed {
			if uint64(p.fc)+uint64(n) > uint64(len(word)) {
				return nil, docBroken(name, "正文超出文档流")
			}
			for i := range n {
				b := word[p.fc+i]
				r := rune(b)
				if b >= 0x80 && b <= 0x9F {
					r = cp1252[b-0x80]
				}
				out = append(out, docChar{r, p.fc + i})
			}
			continue
		}
		if uint64(p.fc)+2*uint64(n) > uint64(len(word)) {
			return nil, docBroken(name, "正文超出文档流")
		}
		for i := uint32(0); i < n; i++ {
			fc := p.fc + 2*i
			u := binary.LittleEndian.Uint16(word[fc:])
			if utf16.IsSurrogate(rune(u)) && i+1 < n {
				if r := utf16.DecodeRune(rune(u), rune(binary.LittleEndian.Uint16(word[fc+2:]))); r != 0xFFFD {
					out = append(out, docChar{r, fc})
					i++
					continue
				}
			}
			out = append(out, docChar{rune(u), fc})
		}
	}
	return out, nil
}

// docPap is what a paragraph mark's properties say of the table it may end a part of.
type docPap struct {
	inTable, ttp       bool // in a table; the mark ends a row (TTP)
	itap               int  // table depth: 1 the outermost table, 2 a table in its cells …
	innerCell, innerTp bool // in a nested table: the mark ends a cell, a row
	edges              []int16
	merge              []uint8 // by cell: 0 none, 1 continues a vertical merge, 3 starts one
	hmerge             []bool  // by cell: continues a horizontal merge (fMerged)
}

// bte finds the formatted disk page (FKP, 512 bytes of the WordDocument stream) that holds
// the properties of the text at a stream position: a PlcBteChpx or PlcBtePapx of the table
// stream, fcs[i] ≤ fc < fcs[i+1] being on page pns[i].
type bte struct {
	word []byte
	fcs  []uint32
	pns  []uint32
}

func readBte(word, table []byte, fc, lcb uint32, what, name string) (*bte, error) {
	end := uint64(fc) + uint64(lcb)
	if end > uint64(len(table)) || lcb < 12 || (lcb-4)%8 != 0 {
		return nil, docBroken(name, what+"表损坏")
	}
	plc := table[fc:end]
	n := int(lcb-4) / 8
	t := &bte{word: word}
	le := binary.LittleEndian
	for i := 0; i <= n; i++ {
		t.fcs = append(t.fcs, le.Uint32(plc[4*i:]))
	}
	for i := range n {
		t.pns = append(t.pns, le.Uint32(plc[4*(n+1)+4*i:])&0x3FFFFF)
	}
	return t, nil
}

// run finds the run of the page that holds fc: the page, the run's index and its range of
// stream positions [lo, hi); ok is false when no page or run holds fc. entry is the size of
// the page's entry a run (13 for paragraphs, 1 for characters) after the run's positions.
func (t *bte) run(fc uint32, entry int) (fkp []byte, j int, lo, hi uint32, ok bool) {
	i, found := slices.BinarySearch(t.fcs, fc)
	if !found {
		i--
	}
	if i < 0 || i >= len(t.pns) {
		return nil, 0, 0, 0, false
	}
	o := uint64(t.pns[i]) * 512
	if o+512 > uint64(len(t.word)) {
		return nil, 0, 0, 0, false
	}
	fkp = t.word[o : o+512]
	crun := int(fkp[511])
	if 4*(crun+1)+entry*crun > 511 {
		return nil, 0, 0, 0, false
	}
	le := binary.LittleEndian
	for k := range crun {
		if lo, hi = le.Uint32(fkp[4*k:]), le.Uint32(fkp[4*k+4:]); lo <= fc && fc < hi {
			return fkp, k, lo, hi, true
		}
	}
	return nil, 0, 0, 0, false
}

// paps finds paragraph properties by the stream position of their mark.
type paps struct {
	*bte
	data []byte // the Data stream: sprmPHugePapx points into it
}

// at returns the grpprl (the properties) of the paragraph whose mark stands at fc, or nil.
func (p *paps) at(fc uint32) []byte {
	fkp, j, _, _, ok := p.run(fc, 13)
	if !ok {
		return nil
	}
	crun := int(fkp[511])
	o := 2 * int(fkp[4*(crun+1)+13*j])
	if o == 0 || o >= 511 {
		return nil
	}
	var b []byte
	if cb := int(fkp[o]); cb != 0 {
		b = fkp[o+1 : min(511, o+1+2*cb-1)]
	} else if o+1 < 511 {
		b = fkp[o+2 : min(511, o+2+2*int(fkp[o+1]))]
	}
	if len(b) < 2 {
		return nil
	}
	g := b[2:] // after the style (istd)
	// Properties too large for the page (a row of many cells) are in the Data stream; the
	// page holds only sprmPHugePapx with their offset.
	if len(g) >= 6 && binary.LittleEndian.Uint16(g) == 0x6646 {
		o := uint64(binary.LittleEndian.Uint32(g[2:]))
		if o+2 > uint64(len(p.data)) {
			return nil
		}
		n := uint64(binary.LittleEndian.Uint16(p.data[o:]))
		if o+2+n > uint64(len(p.data)) {
			return nil
		}
		return p.data[o+2 : o+2+n]
	}
	return g
}

// chps tells which characters Word does not show: a deleted revision (sprmCFRMarkDel) or
// hidden text (sprmCFVanish, sprmCFFldVanish). The last run looked up is kept: characters
// are asked for in order.
type chps struct {
	*bte
	lo, hi uint32
	hidden bool
}

func (c *chps) hiddenAt(fc uint32) bool {
	if c.lo <= fc && fc < c.hi {
		return c.hidden
	}
	fkp, j, lo, hi, ok := c.run(fc, 1)
	if !ok {
		c.lo, c.hi, c.hidden = fc, fc+1, false
		return false
	}
	c.lo, c.hi, c.hidden = lo, hi, false
	crun := int(fkp[511])
	o := 2 * int(fkp[4*(crun+1)+j])
	if o == 0 || o >= 511 {
		return false
	}
	g := fkp[o+1 : min(511, o+1+int(fkp[o]))]
	for len(g) >= 2 {
		sprm := binary.LittleEndian.Uint16(g)
		n := sprmSize(sprm, g[2:])
		if n < 0 || 2+n > len(g) {
			break
		}
		if (sprm == 0x0800 || sprm == 0x083C || sprm == 0x0802) && n == 1 && (g[2] == 1 || g[2] == 0x81) {
			c.hidden = true
		}
		g = g[2+n:]
	}
	return c.hidden
}

// sprmSize is the size of a sprm's operand (op: the bytes after the sprm), -1 when op is too
// short to say.
func sprmSize(sprm uint16, op []byte) int {
	switch sprm >> 13 {
	case 0, 1:
		return 1
	case 2, 4, 5:
		return 2
	case 3:
		return 4
	case 7:
		return 3
	}
	if sprm == 0xD608 || sprm == 0xD606 { // sprmTDefTable: a 16-bit size, counting itself less one
		if len(op) < 2 {
			return -1
		}
		return 1 + int(binary.LittleEndian.Uint16(op))
	}
	if len(op) < 1 {
		return -1
	}
	return 1 + int(op[0])
}

// readPap reads the sprms a table needs from a paragraph's grpprl.
func readPap(g []byte) docPap {
	var d docPap
	le := binary.LittleEndian
	for len(g) >= 2 {
		sprm := le.Uint16(g)
		g = g[2:]
		n := sprmSize(sprm, g)
		if n < 0 {
			return d
		}
		if n > len(g) {
			return d
		}
		op := g[:n]
		g = g[n:]
		switch sprm {
		case 0x2416:
			d.inTable = op[0] != 0
		case 0x2417:
			d.ttp = op[0] != 0
		case 0x6649:
			d.itap = int(int32(le.Uint32(op)))
		case 0x664A: // sprmPDtap: depth relative to the style's
			d.itap += int(int32(le.Uint32(op)))
		case 0x244B:
			d.innerCell = op[0] != 0
		case 0x244C:
			d.innerTp = op[0] != 0
		case 0xD608:
			d.tdef(op[2:])
		case 0xD62B: // sprmTVertMerge: cb, itc, flags
			if len(op) >= 3 {
				for len(d.merge) <= int(op[1]) {
					d.merge = append(d.merge, 0)
				}
				d.merge[op[1]] = op[2]
			}
		}
	}
	if d.inTable && d.itap == 0 {
		d.itap = 1
	}
	return d
}

// tdef reads a TDefTableOperand after its size: itcMac, the cells' edges (itcMac+1, in
// twips), then a TC80 (20 bytes) for each of the first cells.
func (d *docPap) tdef(b []byte) {
	if len(b) < 1 {
		return
	}
	n := int(b[0])
	b = b[1:]
	if len(b) < 2*(n+1) {
		return
	}
	le := binary.LittleEndian
	d.edges = d.edges[:0]
	for i := 0; i <= n; i++ {
		d.edges = append(d.edges, int16(le.Uint16(b[2*i:])))
	}
	b = b[2*(n+1):]
	for i := 0; i < n && len(b) >= 20*(i+1); i++ {
		flags := le.Uint16(b[20*i:])
		for len(d.merge) <= i {
			d.merge = append(d.merge, 0)
		}
		for len(d.hmerge) <= i {
			d.hmerge = append(d.hmerge, false)
		}
		switch {
		case flags&0x0040 != 0: // fVertRestart
			d.merge[i] = 3
		case flags&0x0020 != 0: // fVertMerge
			d.merge[i] = 1
		}
		d.hmerge[i] = flags&0x0002 != 0 // fMerged
	}
}

// docRow is a table row as the document stores it: its cells' text and its properties.
type docRow struct {
	cells []string
	pap   docPap
}

// docRows reads the main text into rows (see parseDOC).
func docRows(data []byte, name string) (*sourceRows, error) {
	word, t0, t1, dataStream, err := docStreams(data, name)
	if err != nil {
		return nil, err
	}
	return docParse(word, t0, t1, dataStream, name)
}

// docParse reads the rows from the document's streams.
func docParse(word, t0, t1, dataStream []byte, name string) (*sourceRows, error) {
	fib, err := readFIB(word, name)
	if err != nil {
		return nil, err
	}
	table := t0
	if fib.table1 {
		table = t1
	}
	if table == nil {
		return nil, docBroken(name, "没有表流")
	}
	pieces, err := readPieces(table, fib, name)
	if err != nil {
		return nil, err
	}
	text, err := mainText(word, pieces, fib.ccpText, name)
	if err != nil {
		return nil, err
	}
	pb, err := readBte(word, table, fib.fcPapx, fib.lcbPapx, "段落属性", name)
	if err != nil {
		return nil, err
	}
	props := &paps{bte: pb, data: dataStream}
	cb, err := readBte(word, table, fib.fcChpx, fib.lcbChpx, "字符属性", name)
	if err != nil {
		return nil, err
	}
	chars := &chps{bte: cb}
	src := &sourceRows{name: name}
	var (
		line    strings.Builder // the paragraph being read
		lines   []string        // the paragraphs of the cell being read
		cells   []string        // the cells of the row being read
		rows    []docRow        // the rows of the table being read
		fields  []bool          // open fields: true once past the separator (their result shows)
		ncells  int             // cells of the rows emitted
		pending int             // cells of the table's rows not laid out yet
		tooMany = fmt.Errorf("读取计划 %s: 表格单元格超过 %d 个，不像一份抽查计划，已拒绝", name, MaxTableCells)
	)
	emit := func(cs []string, merged []bool) error {
		ncells += len(cs)
		if ncells > MaxTableCells {
			return apperr.Hint(tooMany, docHint)
		}
		src.rows = append(src.rows, rawRow{line: len(src.rows) + 1, cells: cs, merged: merged})
		return nil
	}
	flushTable := func() error {
		grid, ok := docGrid(rows, MaxTableCells-ncells)
		if !ok {
			return apperr.Hint(tooMany, docHint)
		}
		for _, r := range grid {
			if err := emit(r.cells, r.merged); err != nil {
				return err
			}
		}
		rows, pending = rows[:0], 0
		return nil
	}
	for _, c := range text {
		if c.r != 0x0D && c.r != 0x07 && chars.hiddenAt(c.fc) {
			continue // a deleted revision, hidden text (a paragraph's mark still ends it)
		}
		if len(fields) > 0 && !fields[len(fields)-1] && c.r != 0x13 && c.r != 0x14 && c.r != 0x15 {
			continue // a field's code
		}
		switch c.r {
		case 0x13:
			fields = append(fields, false)
		case 0x14:
			if len(fields) > 0 {
				fields[len(fields)-1] = true
			}
		case 0x15:
			if len(fields) > 0 {
				fields = fields[:len(fields)-1]
			}
		case 0x0D, 0x07, 0x0C:
			pap := readPap(props.at(c.fc))
			switch {
			case pap.itap > 1 || pap.innerCell || pap.innerTp:
				// A table inside a cell: its cells and rows are lines of that cell.
				lines = append(lines, line.String())
				line.Reset()
			case pap.inTable && c.r == 0x07 && pap.ttp:
				// The row's end (its own mark holds the row's properties).
				if pending += len(cells); ncells+pending > MaxTableCells {
					return nil, apperr.Hint(tooMany, docHint)
				}
				rows = append(rows, docRow{cells: cells, pap: pap})
				cells, lines = nil, lines[:0]
				line.Reset()
			case pap.inTable && c.r == 0x07:
				lines = append(lines, line.String())
				cells = append(cells, strings.Trim(strings.Join(lines, "\n"), "\n "))
				lines = lines[:0]
				line.Reset()
			case pap.inTable:
				lines = append(lines, line.String())
				line.Reset()
			default:
				if len(rows) > 0 {
					if err := flushTable(); err != nil {
						return nil, err
					}
				}
				if s := strings.TrimSpace(line.String()); s != "" {
					if err := emit([]string{s}, nil); err != nil {
						return nil, err
					}
				}
				line.Reset()
			}
		case 0x0B:
			line.WriteByte('\n')
		case 0x09, 0xA0, 0x3000:
			line.WriteByte(' ')
		case 0x1E:
			line.WriteByte('-')
		default:
			if c.r >= 0x20 { // below: pictures, drawings, note marks — no text
				line.WriteRune(c.r)
			}
		}
	}
	if err := flushTable(); err != nil {
		return nil, err
	}
	return src, nil
}

type docGridRow struct {
	cells  []string
	merged []bool
}

// docGrid lays a table's rows out on one grid: the columns are between the edges of any
// row's cells (Word keeps no grid in a .doc; a cell spans the columns between its edges), a
// cell continuing a vertical merge takes the value above it, one continuing a horizontal
// merge the value on its left. ok is false when the cells laid out would pass budget.
func docGrid(rows []docRow, budget int) ([]docGridRow, bool) {
	var edges []int16
	for _, r := range rows {
		edges = append(edges, r.pap.edges...)
	}
	slices.Sort(edges)
	edges = slices.Compact(edges)
	col := func(x int16) int {
		i, _ := slices.BinarySearch(edges, x)
		return i
	}
	var out []docGridRow
	var prev []string
	for _, r := range rows {
		cs := make([]docxCell, len(r.cells))
		for i, t := range r.cells {
			c := docxCell{text: t, span: 1}
			if e := r.pap.edges; i+1 < len(e) {
				if s := col(e[i+1]) - col(e[i]); s > 1 {
					c.span = min(s, 64)
				}
			}
			if i < len(r.pap.merge) {
				switch r.pap.merge[i] {
				case 1:
					c.vMerge = "continue"
				case 3:
					c.vMerge = "restart"
				}
			}
			c.hMerge = i < len(r.pap.hmerge) && r.pap.hmerge[i]
			cs[i] = c
		}
		before := 0
		if e := r.pap.edges; len(e) > 0 {
			before = min(col(e[0]), 64)
		}
		for _, c := range cs {
			if budget -= c.span; budget < 0 {
				return nil, false // (before is at most 64 a row: counted when emitted)
			}
		}
		cells, merged := docxGrid(cs, before, prev)
		prev = cells
		out = append(out, docGridRow{cells, merged})
	}
	return out, true
}
