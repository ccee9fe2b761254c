package xlsxstream

// The fast xlsx reader. excelize's streaming row iterator spends about half its time on
// shared strings (over its in-memory limit it spills the table to disk and reads each string
// back with one pread) and most of the rest in encoding/xml (issue 3). This file reads the
// same SpreadsheetML with archive/zip and a hand-written byte scanner, and gives the row
// callback exactly what ScanExcelize gives it: the same row numbers and the same cells.
// excelize stays the reference; CHOUCHA_XLSX_READER=excelize selects it (see Scan), and
// sheetxml_test.go checks the two against each other on every roster we have.
//
// What "the same" means, taken from excelize v2.11.1 (rows.go, cell.go, lib.go):
//   - Rows are numbered by their r attribute, or one past the previous row without it; a row
//     missing from the file is reported with no cells, and cells of a row whose number goes
//     backwards are added to the row being read (excelize's Rows.Next/Columns state machine,
//     reproduced in fastSheet.next).
//   - A cell's column comes from its r attribute, or is one past the previous cell. Empty cells
//     without a formula are not added; the cells before a value are padded with "" (so no
//     trailing empty cells). A cell whose column does not move right is appended at the end.
//   - Values are raw (RawCellValue): <v> as written for numbers, booleans, errors, dates and
//     formula results; the shared string for t="s"; the <is> text for t="inlineStr".
//   - Text is decoded as encoding/xml does it (entities, character references, CR LF and lone
//     CR become LF, characters outside XML's range are errors), a string item is its <t> then
//     its runs' <t> (phonetic runs skipped), then OOXML _xHHHH_ escapes are decoded as
//     excelize's bstrUnmarshal does.
//
// Where excelize is lenient with a damaged file this reader is not: XML that is not well
// formed (also in attributes no one reads), a sheet that ends early, a shared-string index
// that is not a number, and a zip part whose checksum fails are all errors, never a short
// read. FuzzSheetXML (fuzz_test.go) holds the two readers to this on arbitrary XML.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/choucha/choucha/internal/ctrlchar"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/apperr"
	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html/charset"
)

const (
	// xlsxMaxRows is Excel's row limit (excelize.TotalRows).
	xlsxMaxRows = 1048576
	// maxXMLToken bounds one tag or one text run of the sheet: Excel's cells hold at most
	// 32,767 characters, so anything near this is a damaged or hostile file.
	maxXMLToken = 16 << 20
)

// Shared-string limits. The table is held in memory while the sheet is read, so it is bounded
// by what a roster needs, not by the unzip limit (a table unpacking to just under the 2 GiB
// limit of then made roster check peak at 3.4 GB, issue 19; one of 1.5 GB took 20 s and 2.8 GB,
// now refused in under 1.5 s at 150 MiB). The generated 1,048,576-row roster (Excel's row
// limit, 11 columns; bench/scale.sh) has 2.3 million items and 32 MB of text: 128 MiB of text
// (128 bytes no other cell repeats on every row of a full sheet) and 8,388,608 items (8
// distinct strings a row) are four times that, and keep the table, with its offsets, under
// 160 MiB. Both also keep the offsets within uint32. A roster past them reads as CSV, which is
// streamed and has no table.
var (
	maxSharedStringBytes int64 = 128 << 20
	maxSharedStrings           = 1 << 23
)

var (
	errZipBomb     = errors.New("zip bomb")
	errXMLToken    = errors.New("XML 元素过长")
	errXMLTrunc    = errors.New("XML 意外结束")
	errSharedSize  = errors.New("共享字符串表的文字过多")
	errSharedCount = errors.New("共享字符串表的项数过多")
)

// xmlSyntaxError is a well-formedness error found by the scanner.
type xmlSyntaxError struct{ msg string }

func (e *xmlSyntaxError) Error() string { return "XML 格式错误：" + e.msg }

func syntaxErr(format string, args ...any) error {
	return &xmlSyntaxError{msg: fmt.Sprintf(format, args...)}
}

// ---- zip layer: parts, limits ----

// xlsxPackage is an opened xlsx: its zip parts by name and the budget of bytes that may still
// be decompressed, shared by every part read (the zip-bomb limit counts real bytes, not the
// sizes the headers claim).
type xlsxPackage struct {
	zr     *zip.Reader
	close  func() error
	parts  map[string]*zip.File
	budget int64
}

func openXLSXPackage(file string) (*xlsxPackage, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, xlsxOpenError(file, err)
	}
	p, err := newXLSXPackage(file, &zr.Reader, zr.Close)
	if err != nil {
		zr.Close()
		return nil, err
	}
	return p, nil
}

func newXLSXPackage(file string, zr *zip.Reader, closeFn func() error) (*xlsxPackage, error) {
	registerInflater(zr)
	p := &xlsxPackage{zr: zr, close: closeFn, parts: make(map[string]*zip.File, len(zr.File)), budget: MaxUnzipSize}
	// Like excelize's ReadZipReader: the sizes the headers claim must fit the limit too.
	var claimed int64
	for _, f := range zr.File {
		claimed += int64(f.UncompressedSize64)
		if f.UncompressedSize64 > uint64(MaxUnzipSize) || claimed > MaxUnzipSize || claimed < 0 {
			return nil, zipBombError(file)
		}
		name := strings.ReplaceAll(f.Name, "\\", "/")
		if _, dup := p.parts[name]; dup {
			// Readers disagree on which copy counts (excelize takes the last): refuse.
			return nil, &apperr.Error{
				Err:  fmt.Errorf("%s 中部件 %s 出现了不止一次，无法确定哪一份是真正的内容，已拒绝读取", file, name),
				Hint: "请在 Excel/WPS 中打开后另存为新的 .xlsx",
			}
		}
		p.parts[name] = f
	}
	return p, nil
}

func (p *xlsxPackage) Close() error {
	if p.close == nil {
		return nil
	}
	return p.close()
}

// lookup finds a part by name, exactly or else ignoring case (as excelize does for the
// shared strings).
func (p *xlsxPackage) lookup(name string) *zip.File {
	if f, ok := p.parts[name]; ok {
		return f
	}
	for n, f := range p.parts {
		if strings.EqualFold(n, name) {
			return f
		}
	}
	return nil
}

// open returns a reader of the part's decompressed bytes that fails once the package's
// budget is spent. Read to the end, archive/zip also checks the part's CRC-32.
func (p *xlsxPackage) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	if f.UncompressedSize64 >= pipeMinSize {
		rc = newPipeReader(rc)
	}
	return &budgetReader{rc: rc, budget: &p.budget}, nil
}

type budgetReader struct {
	rc     io.ReadCloser
	budget *int64
}

func (r *budgetReader) Read(b []byte) (int, error) {
	n, err := r.rc.Read(b)
	*r.budget -= int64(n)
	if *r.budget < 0 {
		return n, errZipBomb
	}
	return n, err
}

func (r *budgetReader) Close() error { return r.rc.Close() }

// readSmallPart reads a whole part (workbook, rels); these are small, but still limited.
func (p *xlsxPackage) readSmallPart(name string) ([]byte, error) {
	f := p.lookup(name)
	if f == nil {
		return nil, nil
	}
	rc, err := p.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func zipBombError(file string) error {
	return &apperr.Error{
		Msg:  fmt.Sprintf("%s 解压后超过 %d MiB 上限，已拒绝读取（可能是压缩炸弹或损坏的文件）", file, MaxUnzipSize>>20),
		Err:  errZipBomb,
		Hint: "名录应在 Excel 的 1,048,576 行以内；请确认文件来源，或导出为 CSV 后再试",
	}
}

func damagedXLSXError(file string, err error) error {
	return &apperr.Error{
		Err:  fmt.Errorf("%s 不是有效的 xlsx 文件（文件已损坏、被截断或不是 Excel 格式）: %w", file, zipCause(err)),
		Hint: "请在 Excel/WPS 中打开后另存为 .xlsx，或重新导出名录",
	}
}

// archiveError is the refusal of a fault the zip layer found in a part — a bomb, or a damaged,
// truncated or size-lying archive — and ok false for any other error. It is the one place
// these faults are told apart; every reader of the package's parts goes through it.
func archiveError(file string, err error) (error, bool) {
	if errors.Is(err, errZipBomb) {
		return zipBombError(file), true
	}
	if cause := zipCause(err); cause != err {
		return damagedXLSXError(file, err), true
	}
	return nil, false
}

// zipCause says in Chinese what archive/zip or the inflater found wrong, so a refusal of a
// damaged or hostile zip is Chinese to its end (it ended in Go's "zip: not a valid zip file");
// the error is kept underneath for errors.Is. Any other error is returned as it is.
func zipCause(err error) error {
	var msg string
	var corrupt kflate.CorruptInputError
	var stdCorrupt flate.CorruptInputError
	switch {
	case errors.Is(err, zip.ErrFormat):
		msg = "不是 zip 格式，或目录区与文件内容对不上（文件头谎报了大小或被截断）"
	case errors.Is(err, zip.ErrChecksum):
		msg = "解压后的校验和不符（文件已损坏）"
	case errors.Is(err, zip.ErrAlgorithm):
		msg = "使用了 Excel 不用的压缩方法"
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "数据意外结束（文件被截断）"
	case errors.As(err, &corrupt), errors.As(err, &stdCorrupt):
		msg = "压缩数据已损坏"
	default:
		return err
	}
	return &chineseCause{msg: msg, err: err}
}

type chineseCause struct {
	msg string
	err error
}

func (c *chineseCause) Error() string { return c.msg }
func (c *chineseCause) Unwrap() error { return c.err }

// ---- workbook: sheet list, relationships ----

type xlsxRel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

type xlsxRels struct {
	Rels []xlsxRel `xml:"Relationship"`
}

type workbookSheet struct {
	name, relID string
	state       string // the sheet's state attribute: "" (visible), "hidden", "veryHidden"
}

// partPath resolves a relationship target against the folder of the part that owns it, as
// excelize's getWorksheetPath does: "/xl/worksheets/sheet1.xml" is absolute within the
// package, "worksheets/sheet1.xml" is relative to xl/.
func partPath(ownerDir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(ownerDir+"/"+target), "/")
}

func (p *xlsxPackage) rels(name string) ([]xlsxRel, error) {
	b, err := p.readSmallPart(name)
	if err != nil || b == nil {
		return nil, err
	}
	var r xlsxRels
	if err := xml.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return r.Rels, nil
}

// workbookParts finds the workbook, its sheets in order (with the part each is stored in)
// and the shared strings part ("" if there is none).
func (p *xlsxPackage) workbookParts() (sheets []workbookSheet, sheetPath map[string]string, sst string, err error) {
	wbPath := "xl/workbook.xml"
	rootRels, err := p.rels("_rels/.rels")
	if err != nil {
		return nil, nil, "", err
	}
	for _, r := range rootRels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wbPath = partPath("", r.Target)
			break
		}
	}
	wb, err := p.readSmallPart(wbPath)
	if err != nil {
		return nil, nil, "", err
	}
	d := xml.NewDecoder(bytes.NewReader(wb))
	for {
		tok, terr := d.Token()
		if terr == io.EOF {
			break
		}
		if terr != nil {
			return nil, nil, "", fmt.Errorf("%s: %w", wbPath, terr)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "sheet" {
			continue
		}
		var s workbookSheet
		for _, a := range se.Attr {
			switch {
			case a.Name.Local == "name" && a.Name.Space == "":
				s.name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				s.relID = a.Value
			case a.Name.Local == "state" && a.Name.Space == "":
				s.state = a.Value
			}
		}
		sheets = append(sheets, s)
	}
	dir := path.Dir(wbPath)
	wbRels, err := p.rels(strings.TrimPrefix(dir+"/_rels/"+path.Base(wbPath)+".rels", "./"))
	if err != nil {
		return nil, nil, "", err
	}
	sheetPath = map[string]string{}
	for _, s := range sheets {
		for _, r := range wbRels {
			if r.ID == s.relID {
				if pp := partPath(dir, r.Target); p.lookup(pp) != nil {
					sheetPath[s.name] = pp
				}
			}
		}
	}
	for _, r := range wbRels {
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			sst = partPath(dir, r.Target)
			break
		}
	}
	if sst == "" || p.lookup(sst) == nil {
		// excelize reads xl/sharedStrings.xml whatever the relationships say.
		sst = ""
		if p.lookup("xl/sharedStrings.xml") != nil {
			sst = "xl/sharedStrings.xml"
		}
	}
	return sheets, sheetPath, sst, nil
}

// ---- the byte scanner ----

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// xmlScanner splits XML into start tags, end tags and text. The slices it returns point into
// its buffer and are valid until the next call to next. It checks that tags nest, that the
// document ends with every element closed, and that names are well formed; text is checked
// when it is decoded (appendXMLText).
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	rerr     error // the reader's error once it has returned one (io.EOF at the end)

	kind      tokKind
	qname     []byte // qualified name of a start or end tag
	local     []byte // its local part
	attrs     []byte // raw attributes of a start tag
	selfClose bool
	text      []byte // raw text, or CDATA contents
	cdata     bool

	tmp      []byte // scratch for checkText
	stack    []byte // qualified names of the open elements, back to back
	stackLen []int
	seenRoot bool
}

func newXMLScanner(r io.Reader, size int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, size)}
}

// more reads more bytes, keeping buf[pos:end]; it reports false at the end of input.
func (s *xmlScanner) more() (bool, error) {
	if s.rerr != nil {
		if s.rerr == io.EOF {
			return false, nil
		}
		return false, s.rerr
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxXMLToken {
			return false, errXMLToken
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
			if err != io.EOF {
				return false, err
			}
			return n > 0, nil
		}
		if n > 0 {
			return true, nil
		}
	}
}

// index finds c at or after pos+off and returns its offset from pos, reading more as needed;
// -1 at the end of input.
func (s *xmlScanner) index(off int, c byte) (int, error) {
	for {
		if i := bytes.IndexByte(s.buf[s.pos+off:s.end], c); i >= 0 {
			return off + i, nil
		}
		off = s.end - s.pos
		ok, err := s.more()
		if err != nil {
			return -1, err
		}
		if !ok {
			return -1, nil
		}
	}
}

// indexSeq finds seq at or after pos+off (offset from pos), or -1 at the end of input.
func (s *xmlScanner) indexSeq(off int, seq string) (int, error) {
	for {
		if i := bytes.Index(s.buf[s.pos+off:s.end], []byte(seq)); i >= 0 {
			return off + i, nil
		}
		off = max(0, s.end-s.pos-len(seq)+1)
		ok, err := s.more()
		if err != nil {
			return -1, err
		}
		if !ok {
			return -1, nil
		}
	}
}

// have makes sure n bytes from pos are buffered, or reports false at the end of input.
func (s *xmlScanner) have(n int) (bool, error) {
	for s.end-s.pos < n {
		ok, err := s.more()
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (s *xmlScanner) depth() int { return len(s.stackLen) }

func (s *xmlScanner) next() (tokKind, error) {
	for {
		if s.pos >= s.end {
			ok, err := s.more()
			if err != nil {
				return tokEOF, err
			}
			if !ok {
				if len(s.stackLen) > 0 || !s.seenRoot {
					return tokEOF, errXMLTrunc
				}
				s.kind = tokEOF
				return tokEOF, nil
			}
		}
		if s.buf[s.pos] != '<' {
			i, err := s.index(0, '<')
			if err != nil {
				return tokEOF, err
			}
			if i < 0 {
				i = s.end - s.pos
			}
			s.text, s.cdata = s.buf[s.pos:s.pos+i], false
			s.pos += i
			if len(s.stackLen) == 0 {
				// Text outside the root (white space, a byte-order mark) is ignored, as
				// encoding/xml ignores it, but must still be characters.
				if err := s.checkText(); err != nil {
					return tokEOF, err
				}
				continue
			}
			s.kind = tokText
			return tokText, nil
		}
		if ok, err := s.have(2); err != nil {
			return tokEOF, err
		} else if !ok {
			return tokEOF, errXMLTrunc
		}
		switch s.buf[s.pos+1] {
		case '?':
			i, err := s.indexSeq(2, "?>")
			if err != nil {
				return tokEOF, err
			}
			if i < 0 {
				return tokEOF, errXMLTrunc
			}
			enc, err := checkProcInst(s.buf[s.pos : s.pos+i+2])
			if err != nil {
				return tokEOF, err
			}
			s.pos += i + 2
			if enc != "" {
				if err := s.switchEncoding(enc); err != nil {
					return tokEOF, err
				}
			}
			continue
		case '!':
			if ok, err := s.have(4); err != nil {
				return tokEOF, err
			} else if !ok {
				return tokEOF, errXMLTrunc
			}
			if !bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<!--")) {
				if ok, err := s.have(9); err != nil {
					return tokEOF, err
				} else if !ok {
					return tokEOF, errXMLTrunc
				}
			}
			switch {
			case bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<!--")):
				i, err := s.indexSeq(4, "-->")
				if err != nil {
					return tokEOF, err
				}
				if i < 0 {
					return tokEOF, errXMLTrunc
				}
				s.pos += i + 3
				continue
			case bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<![CDATA[")):
				if len(s.stackLen) == 0 {
					return tokEOF, syntaxErr("根元素之外有 CDATA")
				}
				i, err := s.indexSeq(9, "]]>")
				if err != nil {
					return tokEOF, err
				}
				if i < 0 {
					return tokEOF, errXMLTrunc
				}
				s.text, s.cdata = s.buf[s.pos+9:s.pos+i], true
				s.pos += i + 3
				s.kind = tokText
				return tokText, nil
			}
			return tokEOF, syntaxErr("不支持的声明（DOCTYPE 等）")
		case '/':
			i, err := s.index(2, '>')
			if err != nil {
				return tokEOF, err
			}
			if i < 0 {
				return tokEOF, errXMLTrunc
			}
			name := s.buf[s.pos+2 : s.pos+i]
			for len(name) > 0 && isXMLSpace(name[len(name)-1]) {
				name = name[:len(name)-1]
			}
			s.pos += i + 1
			n := len(s.stackLen)
			if n == 0 {
				return tokEOF, syntaxErr("多余的结束标记 </%s>", name)
			}
			open := s.stack[s.stackLen[n-1]:]
			if !bytes.Equal(open, name) {
				return tokEOF, syntaxErr("元素 <%s> 被 </%s> 结束", open, name)
			}
			s.qname = open
			s.local = localName(open)
			s.stack = s.stack[:s.stackLen[n-1]]
			s.stackLen = s.stackLen[:n-1]
			s.kind = tokEnd
			return tokEnd, nil
		}
		// A start tag: find its '>' outside quoted attribute values.
		end, err := s.tagEnd()
		if err != nil {
			return tokEOF, err
		}
		tag := s.buf[s.pos+1 : s.pos+end]
		s.pos += end + 1
		s.selfClose = len(tag) > 0 && tag[len(tag)-1] == '/'
		if s.selfClose {
			tag = tag[:len(tag)-1]
		}
		k := 0
		for k < len(tag) && !isXMLSpace(tag[k]) {
			k++
		}
		s.qname, s.attrs = tag[:k], tag[k:]
		if !validName(s.qname) {
			return tokEOF, syntaxErr("元素名称无效 <%s>", s.qname)
		}
		s.local = localName(s.qname)
		if err := s.checkAttrs(); err != nil {
			return tokEOF, err
		}
		if len(s.stackLen) == 0 && s.seenRoot {
			return tokEOF, syntaxErr("根元素之后还有元素 <%s>", s.qname)
		}
		s.seenRoot = true
		if !s.selfClose {
			s.stackLen = append(s.stackLen, len(s.stack))
			s.stack = append(s.stack, s.qname...)
		}
		s.kind = tokStart
		return tokStart, nil
	}
}

// tagEnd returns the offset from pos of the '>' that ends the start tag at pos.
func (s *xmlScanner) tagEnd() (int, error) {
	off := 1
	var quote byte
	for {
		b := s.buf[s.pos:s.end]
		for i := off; i < len(b); i++ {
			c := b[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				return i, nil
			case c == '<':
				return 0, syntaxErr("标记中出现“<”")
			}
		}
		off = len(b)
		ok, err := s.more()
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, errXMLTrunc
		}
	}
}

// checkProcInst checks a processing instruction, the XML declaration among them, as
// encoding/xml reads it for excelize: its target must be an XML name, a declaration's version
// 1.0 if it gives one, and its encoding UTF-8 or one excelize's charset reader
// (golang.org/x/net/html/charset) knows. encoding/xml refuses the others, and excelize with it
// (or its iterator stops quietly there, reading the sheet short); skipping them read what the
// reference does not (FuzzSheetXML). A part has one or none, so encoding/xml itself checks it.
// enc is the encoding a declaration names when it is not UTF-8 (the rest of the part is read
// through it, as encoding/xml reads it), else "".
func checkProcInst(pi []byte) (enc string, err error) {
	d := xml.NewDecoder(bytes.NewReader(pi))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		enc = label
		return charset.NewReaderLabel(label, r)
	}
	if _, err := d.Token(); err == nil {
		return enc, nil
	}
	target := pi[2:]
	for i, c := range target {
		if c < utf8.RuneSelf && !isNameByte(c) {
			target = target[:i]
			break
		}
	}
	shown := pi
	if len(shown) > 60 {
		shown = append(append([]byte(nil), shown[:60]...), "…"...)
	}
	if string(target) == "xml" {
		return "", syntaxErr("XML 声明 %q 无法读取：只读 1.0 版，编码须为 UTF-8 或可识别的字符集", shown)
	}
	return "", syntaxErr("处理指令 %q 的名称不是有效的 XML 名称", shown)
}

// switchEncoding reads the rest of the part, from the scanner's position on, decoded from enc
// into UTF-8 (encoding/xml's switchToReader after such a declaration; Excel itself writes
// only UTF-8, some exporters GBK).
func (s *xmlScanner) switchEncoding(enc string) error {
	var rest io.Reader = bytes.NewReader(append([]byte(nil), s.buf[s.pos:s.end]...))
	switch s.rerr {
	case nil:
		rest = io.MultiReader(rest, s.r)
	case io.EOF:
	default:
		return s.rerr
	}
	r, err := charset.NewReaderLabel(enc, rest)
	if err != nil {
		return syntaxErr("XML 声明的编码 %q 无法识别", enc)
	}
	s.r, s.rerr, s.pos, s.end = r, nil, 0, 0
	return nil
}

// isNameByte is encoding/xml's: the ASCII bytes a name may hold (bytes from 0x80 up are
// checked as characters).
func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// validName reports whether b is an XML name as encoding/xml accepts it: ASCII characters
// are checked here, a name with others also through encoding/xml itself (rare in a sheet).
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	other := false
	for i, c := range b {
		switch {
		case c >= 0x80:
			other = true
		case c == '_' || c == ':' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z':
		case i > 0 && isNameByte(c):
		default:
			return false
		}
	}
	if bytes.Count(b, []byte(":")) > 1 {
		return false
	}
	if !other {
		return true
	}
	if !utf8.Valid(b) {
		return false
	}
	_, err := xml.NewDecoder(strings.NewReader("<" + string(b) + "/>")).Token()
	return err == nil
}

// localName drops a namespace prefix ("x:row" → "row"), as encoding/xml does.
func localName(q []byte) []byte {
	if i := bytes.IndexByte(q, ':'); i > 0 && i < len(q)-1 {
		return q[i+1:]
	}
	return q
}

// attr is one attribute of a start tag, raw (entities not decoded): its qualified name, the
// local part of it, and its value.
type attr struct{ name, local, value []byte }

// eachAttr calls fn for each attribute of a start tag in order, until fn says stop or fails.
func eachAttr(a []byte, fn func(at attr) (stop bool, err error)) error {
	for {
		at, rest, ok, err := nextAttr(a)
		if err != nil || !ok {
			return err
		}
		a = rest
		if stop, err := fn(at); stop || err != nil {
			return err
		}
	}
}

// nextAttr parses the first attribute of a and returns the rest; ok is false at the end.
func nextAttr(a []byte) (at attr, rest []byte, ok bool, err error) {
	i := 0
	for i < len(a) && isXMLSpace(a[i]) {
		i++
	}
	if i == len(a) {
		return at, nil, false, nil
	}
	j := i
	for j < len(a) && a[j] != '=' && !isXMLSpace(a[j]) {
		j++
	}
	name := a[i:j]
	for j < len(a) && isXMLSpace(a[j]) {
		j++
	}
	if j == len(a) || a[j] != '=' || !validName(name) {
		return at, nil, false, syntaxErr("属性格式错误")
	}
	j++
	for j < len(a) && isXMLSpace(a[j]) {
		j++
	}
	if j == len(a) || (a[j] != '"' && a[j] != '\'') {
		return at, nil, false, syntaxErr("属性值缺少引号")
	}
	q := a[j]
	k := bytes.IndexByte(a[j+1:], q)
	if k < 0 {
		return at, nil, false, syntaxErr("属性值缺少结束引号")
	}
	at = attr{name: name, local: localName(name), value: a[j+1 : j+1+k]}
	// encoding/xml (and so excelize) reads attributes not separated by white space.
	rest = a[j+2+k:]
	return at, rest, true, nil
}

// checkAttrs checks every attribute of the start tag just read, also those the reader never
// looks at: name="value" pairs, and values that are characters with valid references, as
// encoding/xml requires (excelize's iterator stops quietly at such a tag, choucha refuses it).
func (s *xmlScanner) checkAttrs() error {
	if plainAttrs(s.attrs) {
		return nil
	}
	a := s.attrs
	for {
		at, rest, ok, err := nextAttr(a)
		if err != nil || !ok {
			return err
		}
		a = rest
		if s.tmp, err = attrValue(s.tmp[:0], at.value); err != nil {
			return err
		}
	}
}

// plainAttrs is checkAttrs' fast path, one pass over the bytes: true when the attributes are
// well formed with ASCII names and values of printable ASCII without references (what every
// writer puts in a sheet); false sends them to the full check.
func plainAttrs(a []byte) bool {
	i, n := 0, len(a)
	for i < n {
		if attrClass[a[i]]&acSpace == 0 {
			return false
		}
		for i < n && attrClass[a[i]]&acSpace != 0 {
			i++
		}
		if i == n {
			return true
		}
		if attrClass[a[i]]&acNameStart == 0 {
			return false
		}
		colons := 0
		for ; i < n && attrClass[a[i]]&acName != 0; i++ {
			if a[i] == ':' {
				colons++
			}
		}
		if colons > 1 {
			return false
		}
		for i < n && attrClass[a[i]]&acSpace != 0 {
			i++
		}
		if i == n || a[i] != '=' {
			return false
		}
		for i++; i < n && attrClass[a[i]]&acSpace != 0; i++ {
		}
		if i == n || a[i] != '"' && a[i] != '\'' {
			return false
		}
		q := a[i]
		for i++; i < n && a[i] != q; i++ {
			if attrClass[a[i]]&acValue == 0 {
				return false
			}
		}
		if i == n {
			return false
		}
		i++
	}
	return true
}

// attrClass classifies ASCII bytes for plainAttrs.
var attrClass = func() (t [256]uint8) {
	for c := 0; c < 0x80; c++ {
		b := byte(c)
		if isXMLSpace(b) {
			t[c] |= acSpace
		}
		if b == '_' || b == ':' || 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' {
			t[c] |= acNameStart | acName
		}
		if '0' <= b && b <= '9' || b == '.' || b == '-' {
			t[c] |= acName
		}
		if b >= 0x20 && b != '&' && b != '<' {
			t[c] |= acValue
		}
	}
	return t
}()

const (
	acSpace = 1 << iota
	acNameStart
	acName
	acValue
)

// attrValue decodes an attribute value only when it holds a reference, a line break or a
// byte that is not printable ASCII (which must be checked).
func attrValue(dst, raw []byte) ([]byte, error) {
	plain := true
	for _, c := range raw {
		if c < 0x20 || c >= 0x80 || c == '&' || c == '<' {
			plain = false
			break
		}
	}
	if plain {
		return append(dst, raw...), nil
	}
	if bytes.IndexByte(raw, '<') >= 0 {
		return dst, syntaxErr("属性值中出现“<”")
	}
	return appendXMLText(dst, raw, false)
}

// appendXMLText appends the character data raw decodes to, as encoding/xml decodes it.
func appendXMLText(dst, raw []byte, cdata bool) ([]byte, error) {
	start := 0
	for i := 0; i < len(raw); {
		c := raw[i]
		if c >= 0x20 && c < 0x80 && c != '&' {
			i++
			continue
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				return dst, syntaxErr("无效的 UTF-8 字节")
			}
			if !isInCharacterRange(r) {
				return dst, syntaxErr("非法字符 %U", r)
			}
			i += size
			continue
		}
		dst = append(dst, raw[start:i]...)
		switch {
		case c == '\r':
			dst = append(dst, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c == '\n' || c == '\t':
			dst = append(dst, c)
			i++
		case c == '&' && cdata:
			dst = append(dst, c)
			i++
		case c == '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return dst, syntaxErr("无效的字符实体（缺少分号）")
			}
			ent := raw[i+1 : i+semi]
			r, ok := decodeEntity(ent)
			if !ok || !isInCharacterRange(r) {
				return dst, syntaxErr("无效的字符实体 &%s;", ent)
			}
			dst = utf8.AppendRune(dst, r)
			i += semi + 1
		default:
			return dst, syntaxErr("非法字符 %U", rune(c))
		}
		start = i
	}
	return append(dst, raw[start:]...), nil
}

// decodeEntity decodes the five predefined entities and character references. A reference
// to a surrogate decodes to U+FFFD, as encoding/xml's string(rune(n)) does.
func decodeEntity(e []byte) (rune, bool) {
	switch string(e) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	digits, base := e[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, d := range digits {
		if !('0' <= d && d <= '9' || base == 16 && ('a' <= d && d <= 'f' || 'A' <= d && d <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	r := rune(n)
	if 0xD800 <= r && r <= 0xDFFF {
		r = utf8.RuneError
	}
	return r, true
}

// isInCharacterRange is XML 1.0's Char production (encoding/xml's check).
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// appendBstrUnmarshal decodes OOXML _xHHHH_ escapes in s as excelize's bstrUnmarshal does:
// left to right, "_x005F_" is "_", any other is the code point, and one that is not a valid
// code point (a surrogate) is dropped.
func appendBstrUnmarshal(dst, s []byte) []byte {
	if !bytes.Contains(s, []byte("_x")) {
		return append(dst, s...)
	}
	start := 0
	for i := 0; i+7 <= len(s); {
		if s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' || !isHex4(s[i+2:i+6]) {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		v, _ := strconv.ParseUint(string(s[i+2:i+6]), 16, 32)
		if r := rune(v); utf8.ValidRune(r) {
			if v == 0x5F {
				dst = append(dst, '_')
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		}
		i += 7
		start = i
	}
	return append(dst, s[start:]...)
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// ---- string items (shared strings and inline strings) ----

// itemReader reads string items (<si>, <is>) with buffers reused from item to item.
type itemReader struct{ t, runs, all []byte }

// read reads the element just opened (an <si> or <is>) to its end and appends its text to
// dst: the <t> directly inside it, then the <t> of each run <r>; the last <t> wins where a
// parent has several (as encoding/xml fills xlsxSI). Phonetic runs and the rest are skipped.
func (ir *itemReader) read(s *xmlScanner, dst []byte) ([]byte, error) {
	base := s.depth()
	ir.t, ir.runs = ir.t[:0], ir.runs[:0]
	hasT := false
	runStart := -1 // where the current run's text starts in ir.runs
	inT := 0       // depth of the <t> being read, 0 if none
	runT := false  // that <t> belongs to a run
	for {
		k, err := s.next()
		if err != nil {
			return dst, err
		}
		switch k {
		case tokStart:
			d := s.depth()
			if s.selfClose {
				d++
			}
			switch {
			case inT == 0 && d == base+1 && string(s.local) == "t":
				ir.t, hasT = ir.t[:0], true
				if !s.selfClose {
					inT, runT = d, false
				}
			case inT == 0 && d == base+1 && string(s.local) == "r":
				runStart = len(ir.runs)
				if s.selfClose {
					runStart = -1
				}
			case inT == 0 && d == base+2 && runStart >= 0 && string(s.local) == "t":
				ir.runs = ir.runs[:runStart]
				if !s.selfClose {
					inT, runT = d, true
				}
			default:
				if !s.selfClose {
					if err := skipElement(s); err != nil {
						return dst, err
					}
				}
			}
		case tokEnd:
			switch d := s.depth() + 1; {
			case d == base:
				if hasT {
					ir.all = append(append(ir.all[:0], ir.t...), ir.runs...)
					return appendBstrUnmarshal(dst, ir.all), nil
				}
				return appendBstrUnmarshal(dst, ir.runs), nil
			case d == inT:
				inT = 0
			case d == base+1:
				runStart = -1
			}
		case tokText:
			switch {
			case inT != 0 && runT:
				ir.runs, err = appendXMLText(ir.runs, s.text, s.cdata)
			case inT != 0:
				ir.t, err = appendXMLText(ir.t, s.text, s.cdata)
			default:
				err = s.checkText()
			}
			if err != nil {
				return dst, err
			}
		}
	}
}

// skipElement reads to the end of the element just opened, checking the XML on the way.
func skipElement(s *xmlScanner) error {
	base := s.depth()
	for s.depth() >= base {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokText {
			if err := s.checkText(); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkText checks the current text token without keeping it.
func (s *xmlScanner) checkText() error {
	var err error
	s.tmp, err = appendXMLText(s.tmp[:0], s.text, s.cdata)
	return err
}

// sharedStrings is the shared-string table in one string with offsets: item i is
// text[off[i]:off[i+1]]. Cells are substrings of text, so reading a string costs nothing.
type sharedStrings struct {
	text string
	off  []uint32
	// control: some shared string holds a control character (ctrlchar.Has over the whole
	// text once, in order, while it is in cache: ScanResult.ControlFree).
	control bool
}

func (t *sharedStrings) len() int { return len(t.off) - 1 }

func (t *sharedStrings) get(i int) string { return t.text[t.off[i]:t.off[i+1]] }

// readSharedStrings loads the table once. sizeHint (the part's uncompressed size) bounds the
// text, which is never longer than its XML.
func readSharedStrings(r io.Reader, sizeHint int64) (*sharedStrings, error) {
	s := newXMLScanner(r, 1<<20)
	var b strings.Builder
	b.Grow(int(min(sizeHint, maxSharedStringBytes)))
	off := make([]uint32, 1, 1024)
	var item []byte
	var ir itemReader
	rootSeen := false
	for {
		if s.depth() == 1 {
			var ok bool
			if item, ok = quickItem(s, item[:0]); ok {
				if err := sharedStringFits(&b, off, item); err != nil {
					return nil, err
				}
				b.Write(item)
				off = append(off, uint32(b.Len()))
				continue
			}
		}
		k, err := s.next()
		if err != nil {
			return nil, err
		}
		if k == tokEOF {
			break
		}
		if k == tokText {
			if err := s.checkText(); err != nil {
				return nil, err
			}
			continue
		}
		if k == tokStart && !rootSeen {
			rootSeen = true
			if err := checkSSTRoot(s); err != nil {
				return nil, err
			}
			continue
		}
		if k != tokStart || string(s.local) != "si" || s.depth() != 2 && !(s.selfClose && s.depth() == 1) {
			continue
		}
		item = item[:0]
		if !s.selfClose {
			if item, err = ir.read(s, item); err != nil {
				return nil, err
			}
		}
		if err := sharedStringFits(&b, off, item); err != nil {
			return nil, err
		}
		b.Write(item)
		off = append(off, uint32(b.Len()))
	}
	text := b.String()
	if b.Cap()-b.Len() > b.Len()/8 {
		// The text is shorter than its XML (the markup, the escapes): a 1M-row roster's
		// table of about 60 MB sat in a 113 MB buffer for the whole read. Copied once to its
		// size, while nothing else of the sheet is in memory yet.
		text = strings.Clone(text)
	}
	return &sharedStrings{text: text, off: off, control: ctrlchar.Has(text)}, nil
}

// sharedStringFits checks the limits before item is added to the table: checked before
// writing, as past its capacity the Builder would double, holding the old and the new buffer
// at once.
func sharedStringFits(b *strings.Builder, off []uint32, item []byte) error {
	if int64(b.Len()+len(item)) > maxSharedStringBytes {
		return errSharedSize
	}
	if len(off) > maxSharedStrings {
		return errSharedCount
	}
	return nil
}

// checkSSTRoot refuses a shared-strings part whose root is not <sst> in the SpreadsheetML
// namespace (transitional, or strict, which excelize reads as transitional), as excelize
// refuses it (and then fails every row of every sheet).
func checkSSTRoot(s *xmlScanner) error {
	decl := "xmlns"
	if i := bytes.IndexByte(s.qname, ':'); i > 0 {
		decl = "xmlns:" + string(s.qname[:i])
	}
	var ns []byte
	err := eachAttr(s.attrs, func(at attr) (bool, error) {
		if string(at.name) == decl {
			var err error
			ns, err = attrValue(nil, at.value)
			return err != nil, err
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	if string(s.local) != "sst" || string(ns) != "http://schemas.openxmlformats.org/spreadsheetml/2006/main" &&
		string(ns) != "http://purl.oclc.org/ooxml/spreadsheetml/main" {
		return fmt.Errorf("共享字符串表的根元素是 <%s>（命名空间“%s”），应为 SpreadsheetML 的 <sst>", s.qname, ns)
	}
	return nil
}

// ---- the worksheet ----

type sheetEvent uint8

const (
	evEnd  sheetEvent = iota // end of the sheet data, or of the document
	evRow                    // a <row> start tag: rowNum (0 without r), rowErr
	evCell                   // a whole <c> element: the cell fields below
)

// fastSheet reads a worksheet's rows.
type fastSheet struct {
	s   *xmlScanner
	sst *sharedStrings

	dimension string // <dimension ref>, once seen
	sawDim    bool   // a <dimension ref> was seen
	sawData   bool   // a <sheetData> was seen
	rowAttr   []byte // scratch for a row's r

	// the current event
	rowNum  int
	rowErr  error
	cellRef []byte
	cellT   []byte
	cellV   []byte
	cellIS  []byte
	hasV    bool
	hasF    bool
	hasIS   bool
	items   itemReader

	// excelize's iterator state (Rows.curRow, seekRow, token)
	curRow, seekRow int
	pendingRow      bool
	done            bool

	// the current row's values: bytes back to back, then one string per row
	rowBytes []byte
	entries  []cellEntry
	cells    []string

	// control: a value not from the shared strings held a control character (ScanResult.ControlFree)
	control bool

	// the merged ranges (<mergeCells>): references as written, at most MaxMerges
	inMerges  bool
	merges    []string
	mergesCut bool
}

// mergeToken collects the merged ranges from the token the scanner just read: the ref of
// each <mergeCell> inside the worksheet's <mergeCells>. A reference that cannot be decoded
// is kept as written: the caller refuses what it cannot place (the reader does not refuse
// the sheet for what excelize's row reader does not read).
func (fs *fastSheet) mergeToken(k tokKind) {
	s := fs.s
	switch {
	case k == tokEnd && string(s.local) == "mergeCells":
		fs.inMerges = false
	case k != tokStart:
	case string(s.local) == "mergeCells" && s.depth() == 2:
		fs.inMerges = !s.selfClose
	case fs.inMerges && string(s.local) == "mergeCell":
		_ = eachAttr(s.attrs, func(at attr) (bool, error) {
			if string(at.local) != "ref" {
				return false, nil
			}
			v, err := attrValue(nil, at.value)
			if err != nil {
				v = at.value
			}
			if len(fs.merges) < MaxMerges {
				fs.merges = append(fs.merges, string(v))
			} else {
				fs.mergesCut = true
			}
			return true, nil
		})
	}
}

// event returns the next row start or cell of the sheet, or evEnd.
func (fs *fastSheet) event() (sheetEvent, error) {
	s := fs.s
	for {
		if ev, ok := fs.quickEvent(); ok {
			return ev, nil
		}
		k, err := s.next()
		if err != nil {
			return evEnd, err
		}
		switch k {
		case tokEOF:
			return evEnd, nil
		case tokEnd:
			if string(s.local) == "sheetData" {
				return evEnd, nil
			}
			if fs.inMerges {
				fs.mergeToken(k) // only </mergeCells> matters, never inside <sheetData>
			}
		case tokText:
			if err := s.checkText(); err != nil {
				return evEnd, err
			}
		case tokStart:
			switch string(s.local) {
			case "row":
				fs.rowNum, fs.rowErr = 0, nil
				err := eachAttr(s.attrs, func(at attr) (bool, error) {
					if string(at.local) == "r" {
						// As excelize's attrValToInt: the last r counts, up to the first
						// that is not a number; entities decoded.
						v, err := attrValue(fs.rowAttr[:0], at.value)
						if err != nil {
							return true, err
						}
						fs.rowAttr = v
						fs.rowNum, fs.rowErr = atoiBytes(v)
						return fs.rowErr != nil, nil
					}
					return false, nil
				})
				if err != nil {
					return evEnd, err
				}
				return evRow, nil
			case "c":
				return evCell, fs.cell()
			case "mergeCells", "mergeCell":
				fs.mergeToken(k)
			case "sheetData":
				fs.sawData = true
				if s.selfClose {
					// <sheetData/> ends the data as <sheetData></sheetData> does.
					return evEnd, nil
				}
			case "dimension":
				if fs.sawData || fs.sawDim {
					// excelize's GetSheetDimension: the first <dimension ref> before
					// <sheetData>, its first ref.
					break
				}
				err := eachAttr(s.attrs, func(at attr) (bool, error) {
					if string(at.local) == "ref" {
						v, err := attrValue(nil, at.value)
						if err != nil {
							return true, err
						}
						fs.dimension, fs.sawDim = string(v), true
						return true, nil
					}
					return false, nil
				})
				if err != nil {
					return evEnd, err
				}
			}
		}
	}
}

// atoiBytes is strconv.Atoi without the allocation for plain digits.
func atoiBytes(b []byte) (int, error) {
	if len(b) > 0 && len(b) < 10 {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return strconv.Atoi(string(b))
			}
			n = n*10 + int(c-'0')
		}
		return n, nil
	}
	return strconv.Atoi(string(b))
}

// cell reads the <c> element just opened: its r and t attributes and its <v>, <f>, <is>.
func (fs *fastSheet) cell() error {
	s := fs.s
	fs.cellRef, fs.cellT = fs.cellRef[:0], fs.cellT[:0]
	fs.cellV, fs.cellIS = fs.cellV[:0], fs.cellIS[:0]
	fs.hasV, fs.hasF, fs.hasIS = false, false, false
	err := eachAttr(s.attrs, func(at attr) (stop bool, err error) {
		switch string(at.local) {
		case "r":
			fs.cellRef, err = attrValue(fs.cellRef[:0], at.value)
		case "t":
			fs.cellT, err = attrValue(fs.cellT[:0], at.value)
		}
		return err != nil, err
	})
	if err != nil {
		return err
	}
	if s.selfClose {
		return nil
	}
	base := s.depth()
	inV := 0
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tokStart:
			if inV != 0 {
				// encoding/xml keeps only the character data directly inside <v>.
				if !s.selfClose {
					if err := skipElement(s); err != nil {
						return err
					}
				}
				continue
			}
			switch string(s.local) {
			case "v":
				fs.cellV, fs.hasV = fs.cellV[:0], true
				if !s.selfClose {
					inV = s.depth()
				}
			case "f":
				fs.hasF = true
				if !s.selfClose {
					if err := skipElement(s); err != nil {
						return err
					}
				}
			case "is":
				fs.cellIS, fs.hasIS = fs.cellIS[:0], true
				if !s.selfClose {
					if fs.cellIS, err = fs.items.read(s, fs.cellIS); err != nil {
						return err
					}
				}
			}
		case tokEnd:
			if s.depth() < base {
				return nil
			}
			if s.depth() < inV {
				inV = 0
			}
		case tokText:
			if inV != 0 && s.depth() == inV {
				if fs.cellV, err = appendXMLText(fs.cellV, s.text, s.cdata); err != nil {
					return err
				}
			} else if err := s.checkText(); err != nil {
				return err
			}
		}
	}
}

// cellColumn is excelize.CellNameToCoordinates' column, fast for the usual "AB12".
func cellColumn(ref []byte) (int, error) {
	col, i := 0, 0
	for i < len(ref) && 'A' <= ref[i] && ref[i] <= 'Z' && i < 3 {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i > 0 && i < len(ref) && ref[i] >= '1' && ref[i] <= '9' && len(ref)-i <= 7 {
		row := 0
		for _, c := range ref[i:] {
			if c < '0' || c > '9' {
				goto slow
			}
			row = row*10 + int(c-'0')
		}
		if col <= 16384 && row <= xlsxMaxRows {
			return col, nil
		}
	}
slow:
	c, _, err := excelize.CellNameToCoordinates(string(ref))
	if err != nil {
		// A reference past column XFD (such as XFE2) is a limit, said in Chinese, not
		// excelize's English message.
		letters := 0
		for letters < len(ref) && ('A' <= ref[letters] && ref[letters] <= 'Z' || 'a' <= ref[letters] && ref[letters] <= 'z') {
			letters++
		}
		if letters > 3 || letters == 3 && strings.ToUpper(string(ref[:3])) > "XFD" {
			return 0, columnLimitError()
		}
	}
	return c, err
}

// next is excelize's Rows.Next followed by Rows.Columns: it returns the next row number and
// its cells (nil for a row the file does not have), or ok false after the last row.
func (fs *fastSheet) next() (n int, cells []string, ok bool, err error) {
	if fs.done {
		return 0, nil, false, nil
	}
	// Rows.Next
	fs.seekRow++
	if fs.curRow < fs.seekRow {
		for {
			ev, err := fs.event()
			if err != nil {
				return fs.seekRow, nil, false, err
			}
			if ev == evEnd {
				fs.done = true
				return 0, nil, false, nil
			}
			if ev == evRow {
				fs.curRow++
				if fs.curRow > xlsxMaxRows && fs.rowNum == 0 {
					return fs.curRow, nil, false, rowLimitError()
				}
				if fs.rowErr == nil && fs.rowNum > xlsxMaxRows {
					return fs.rowNum, nil, false, rowNumLimitError(fs.rowNum)
				}
				if fs.rowErr == nil && fs.rowNum != 0 {
					fs.curRow = fs.rowNum
				}
				fs.pendingRow = true
				break
			}
		}
	}
	// Rows.Columns
	if fs.curRow > fs.seekRow {
		return fs.seekRow, nil, true, nil
	}
	fs.rowBytes, fs.entries = fs.rowBytes[:0], fs.entries[:0]
	cellCol := 0
	handleRow := func() error {
		if fs.rowErr != nil {
			return fmt.Errorf("行号无效：%w", fs.rowErr)
		}
		return nil
	}
	// fail returns err, unless a shared string of a cell before it is too long: that came
	// first in the file, so it is the error (shared strings are looked up at the row's end).
	fail := func(err error) (int, []string, bool, error) {
		if e := fs.checkEntries(); e != nil {
			err = e
		}
		return fs.seekRow, nil, false, err
	}
	if fs.pendingRow {
		fs.pendingRow = false
		if err := handleRow(); err != nil {
			return fs.seekRow, nil, false, err
		}
		if fs.rowNum != 0 {
			fs.curRow = fs.rowNum
		}
	}
rows:
	for {
		ev, err := fs.event()
		if err != nil {
			return fail(err)
		}
		switch ev {
		case evEnd:
			break rows
		case evRow:
			if err := handleRow(); err != nil {
				return fail(err)
			}
			if fs.rowNum > xlsxMaxRows {
				if e := fs.checkEntries(); e != nil {
					return fs.seekRow, nil, false, e
				}
				return fs.rowNum, nil, false, rowNumLimitError(fs.rowNum)
			}
			if fs.rowNum != 0 && fs.rowNum <= fs.seekRow {
				// Excel writes rows in increasing order. excelize puts such a row's cells
				// into the row before, cells of two rows in one, without a word; a roster
				// read so would have a firm's cells in another's row (or in the header).
				return fail(fmt.Errorf("行号 %d 不在第%d行之后（行的顺序错乱）", fs.rowNum, fs.seekRow))
			}
			if fs.rowNum != 0 {
				fs.curRow = fs.rowNum
			} else {
				fs.curRow++
			}
			if fs.curRow > xlsxMaxRows {
				if e := fs.checkEntries(); e != nil {
					return fs.seekRow, nil, false, e
				}
				return fs.curRow, nil, false, rowLimitError()
			}
			if fs.curRow > fs.seekRow {
				fs.pendingRow = true
				break rows
			}
		case evCell:
			cellCol++
			if len(fs.cellRef) > 0 {
				if cellCol, err = cellColumn(fs.cellRef); err != nil {
					var le *LimitError
					if errors.As(err, &le) {
						return fail(err)
					}
					return fail(fmt.Errorf("单元格 %s: %w", fs.cellRef, err))
				}
			}
			if cellCol > MaxColumns {
				return fail(columnLimitError())
			}
			start := len(fs.rowBytes)
			sst, err := fs.cellValue()
			if err != nil {
				return fail(fmt.Errorf("单元格 %s: %w", fs.cellRef, err))
			}
			if sst < 0 {
				b := fs.rowBytes[start:]
				if len(b) > MaxCellChars && utf8.RuneCount(b) > MaxCellChars {
					return fail(CheckCell(string(b)))
				}
				if len(b) == 0 && !fs.hasF {
					continue
				}
			}
			fs.entries = append(fs.entries, cellEntry{col: cellCol, sst: sst, start: start, end: len(fs.rowBytes), hasF: fs.hasF})
		}
	}
	// The row's cells, padded with "" up to each cell's column. The shared strings are
	// looked up here, in one loop, rather than cell by cell: in a large table each lookup
	// is a cache miss, and independent misses in a short loop overlap.
	var row string
	if len(fs.rowBytes) > 0 {
		row = string(fs.rowBytes)
		// The values that are not shared strings, just written: checked here, while in
		// cache, so that the roster need not look at every cell for control characters.
		fs.control = fs.control || ctrlchar.Has(row)
	}
	fs.cells = fs.cells[:0]
	for _, e := range fs.entries {
		var v string
		if e.sst >= 0 {
			v = fs.sst.get(int(e.sst))
			if len(v) > MaxCellChars {
				if err := CheckCell(v); err != nil {
					return fs.seekRow, nil, false, err
				}
			}
			if v == "" && !e.hasF {
				continue
			}
		} else {
			v = row[e.start:e.end]
		}
		for len(fs.cells) < e.col-1 {
			fs.cells = append(fs.cells, "")
		}
		fs.cells = append(fs.cells, v)
	}
	if len(fs.cells) == 0 {
		return fs.seekRow, nil, true, nil
	}
	return fs.seekRow, fs.cells, true, nil
}

// cellEntry is one cell of the row being read: its column and its value, a shared string
// or bytes of rowBytes.
type cellEntry struct {
	col        int
	sst        int32 // shared-string index, or -1: the value is rowBytes[start:end]
	start, end int
	hasF       bool
}

// checkEntries holds the row's shared strings read so far to MaxCellChars.
func (fs *fastSheet) checkEntries() error {
	for _, e := range fs.entries {
		if e.sst >= 0 {
			if v := fs.sst.get(int(e.sst)); len(v) > MaxCellChars {
				if err := CheckCell(v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// LimitError is a row that exceeds one of Excel's limits (MaxColumns, xlsxMaxRows,
// MaxCellChars): the file is not damaged, it is not a worksheet Excel could hold.
type LimitError struct{ Msg string }

func (e *LimitError) Error() string { return e.Msg }

// Excel's own limits, which every roster and plan sheet is held to (and CSV files too).
const (
	MaxColumns   = 16384 // XFD
	MaxRows      = xlsxMaxRows
	MaxCellChars = 32767
)

// CheckCell refuses a cell longer than Excel can hold (MaxCellChars characters).
func CheckCell(v string) error {
	if len(v) > MaxCellChars && utf8.RuneCountInString(v) > MaxCellChars {
		return &LimitError{Msg: fmt.Sprintf("有一个单元格长达 %d 个字符，超过 Excel 每个单元格 %d 个字符的上限", utf8.RuneCountInString(v), MaxCellChars)}
	}
	return nil
}

func rowLimitError() error {
	return &LimitError{Msg: fmt.Sprintf("超过 Excel 的 %d 行上限", xlsxMaxRows)}
}

// rowNumLimitError is a row numbered (r=) past Excel's last row.
func rowNumLimitError(n int) error {
	return &LimitError{Msg: fmt.Sprintf("行号 %d 超过 Excel 的 %d 行上限", n, xlsxMaxRows)}
}

func columnLimitError() error {
	return &LimitError{Msg: fmt.Sprintf("有超过 %d 列的单元格（Excel 每行最多 %d 列，即 XFD 列）", MaxColumns, MaxColumns)}
}

// cellValue appends the current cell's raw value to rowBytes, or returns its shared-string
// index (excelize's getValueFrom with RawCellValue).
func (fs *fastSheet) cellValue() (int32, error) {
	switch string(fs.cellT) {
	case "s":
		if len(fs.cellV) == 0 {
			return -1, nil
		}
		i, err := atoiBytes(bytes.TrimSpace(fs.cellV))
		if err != nil {
			return -1, fmt.Errorf("共享字符串索引“%s”不是数字", fs.cellV)
		}
		if fs.sst == nil || i < 0 || i >= fs.sst.len() {
			return -1, fmt.Errorf("共享字符串索引 %d 超出范围", i)
		}
		return int32(i), nil
	case "inlineStr":
		if fs.hasIS {
			fs.rowBytes = append(fs.rowBytes, fs.cellIS...)
			return -1, nil
		}
	}
	fs.rowBytes = append(fs.rowBytes, fs.cellV...)
	return -1, nil
}

// Book is an xlsx workbook opened for streaming its sheets with the fast reader.
type Book struct {
	file      string // for messages
	pkg       *xlsxPackage
	sheets    []workbookSheet
	sheetPath map[string]string
	sstPath   string
	sst       *sharedStrings
	sstRead   bool
}

// Open opens the workbook at path. Its parts are read only when a sheet is scanned.
func Open(path string) (*Book, error) {
	pkg, err := openXLSXPackage(path)
	if err != nil {
		return nil, err
	}
	b, err := newBook(path, pkg)
	if err != nil {
		pkg.Close()
		return nil, err
	}
	return b, nil
}

// OpenReader opens a workbook held in r (size bytes); name is used in messages.
func OpenReader(r io.ReaderAt, size int64, name string) (*Book, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, xlsxOpenError(name, err)
	}
	pkg, err := newXLSXPackage(name, zr, nil)
	if err != nil {
		return nil, err
	}
	return newBook(name, pkg)
}

func newBook(file string, pkg *xlsxPackage) (*Book, error) {
	partErr := func(err error) error {
		if e, ok := archiveError(file, err); ok {
			return e
		}
		return err
	}
	sheets, sheetPath, sstPath, err := pkg.workbookParts()
	if err != nil {
		if e := partErr(err); e != err {
			return nil, e
		}
		return nil, damagedXLSXError(file, err)
	}
	return &Book{file: file, pkg: pkg, sheets: sheets, sheetPath: sheetPath, sstPath: sstPath}, nil
}

// Close releases the file.
func (b *Book) Close() error { return b.pkg.Close() }

// Sheets lists the sheet names in workbook order.
func (b *Book) Sheets() []string {
	list := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		list[i] = s.name
	}
	return list
}

// SheetInfos lists the sheets in workbook order, with their states.
func (b *Book) SheetInfos() []SheetInfo {
	list := make([]SheetInfo, len(b.sheets))
	for i, s := range b.sheets {
		list[i] = SheetInfo{Name: s.name, State: s.state}
	}
	return list
}

// Scan streams the rows of one worksheet (the first visible one when sheet is "", else the
// one named so, ignoring case) to fn, numbered as Excel shows them; size receives the row
// count the sheet declares, once, before most rows. The whole sheet is never in memory. ctx
// is checked every 1024 rows.
func (b *Book) Scan(ctx context.Context, sheet string, fn RowFunc, size SizeFunc) error {
	_, err := b.ScanSheet(ctx, sheet, fn, size)
	return err
}

// ScanSheet is Scan that also says which sheet it read, what sheets the workbook has and,
// when it read the sheet to its end, the sheet's merged ranges.
func (b *Book) ScanSheet(ctx context.Context, sheet string, fn RowFunc, size SizeFunc) (res ScanResult, err error) {
	file, pkg, sheets, sheetPath := b.file, b.pkg, b.sheets, b.sheetPath
	res.Sheets = b.SheetInfos()
	if size == nil {
		size = func(int) {}
	}
	partErr := func(err error) error {
		if e, ok := archiveError(file, err); ok {
			return e
		}
		return err
	}
	if len(sheets) == 0 {
		return res, fmt.Errorf("%s 中没有工作表", file)
	}
	i, ok := chooseSheet(res.Sheets, sheet)
	if !ok {
		return res, noSheetError(file, sheet, res.Sheets)
	}
	name := sheets[i].name
	sheet, res.Sheet = name, name
	part := pkg.lookup(sheetPath[name])
	if sheetPath[name] == "" || part == nil {
		return res, fmt.Errorf("读取 %s 工作表“%s”: 文件中没有这个工作表的数据", file, sheet)
	}

	if err := b.loadSharedStrings(); err != nil {
		return res, err
	}
	sst := b.sst

	rc, err := pkg.open(part)
	if err != nil {
		return res, damagedXLSXError(file, err)
	}
	defer rc.Close()
	fs := &fastSheet{s: newXMLScanner(rc, 1<<20), sst: sst}
	rowErr := func(row int, err error) error {
		if e := partErr(err); e != err {
			return e
		}
		var le *LimitError
		if errors.As(err, &le) {
			return &apperr.Error{
				Err:  fmt.Errorf("读取 %s 工作表“%s”第%d行: %s，已拒绝读取", file, sheet, row, le.Msg),
				Hint: "这不是 Excel 能打开的工作表（可能是恶意或生成出错的文件）；请重新导出名录",
			}
		}
		return &apperr.Error{
			Err:  fmt.Errorf("读取 %s 工作表“%s”第%d行: %w（文件已损坏或被截断）", file, sheet, row, err),
			Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx，或重新导出名录",
		}
	}
	// rest reads to the end of the part after the last row: the rest of the XML must be
	// well formed, and the zip's checksum is verified at its end. On the way (and in
	// fs.event, which reads past </sheetData> to find no more rows) the merged ranges are
	// collected, on the scanning goroutine: they are read here only after the last batch
	// came over.
	rest := func(n int) error {
		for {
			k, err := fs.s.next()
			if err != nil {
				if e := partErr(err); e != err {
					return e
				}
				return &apperr.Error{
					Err:  fmt.Errorf("读取 %s 工作表“%s”第%d行之后: %w（文件已损坏或被截断）", file, sheet, n, err),
					Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx，或重新导出名录",
				}
			}
			if k == tokEOF {
				return nil
			}
			if k == tokText {
				if err := fs.s.checkText(); err != nil {
					return damagedXLSXError(file, err)
				}
			}
			fs.mergeToken(k)
		}
	}
	lastRow, sized := 0, false
	dimRow := func(dim string) {
		if dim == "" || sized {
			return
		}
		sized = true
		// A single-cell dimension ("A1") is what writers put on empty sheets: no check.
		if i := strings.IndexByte(dim, ':'); i >= 0 {
			if _, r, cerr := excelize.CellNameToCoordinates(dim[i+1:]); cerr == nil {
				lastRow = r
			}
		}
		if lastRow > 0 {
			size(lastRow)
		}
	}
	// The rows are scanned on another goroutine and handed over in batches; fn runs on this
	// one, in order (see pipeline.go).
	src := startRows(fs, rowErr, rest)
	defer src.stop()
	n := 0
	for {
		bt := src.next()
		for i, row := range bt.rows {
			if i == bt.dimFrom {
				dimRow(bt.dim)
			}
			n = row
			if n&1023 == 0 {
				if err := ctx.Err(); err != nil {
					return res, err
				}
			}
			if err := fn(n, bt.row(i)); err != nil {
				return res, err
			}
		}
		if bt.last {
			if bt.err != nil {
				return res, bt.err
			}
			dimRow(bt.endDim)
			break
		}
		src.done(bt)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Merges, res.MergesCut = fs.merges, fs.mergesCut
	res.ControlFree = !fs.control && (sst == nil || !sst.control)
	if lastRow > n {
		return res, &apperr.Error{
			Err:  fmt.Errorf("%s 工作表“%s”应有%d行（尺寸 %s），但只读到第%d行：文件已损坏或被截断", file, sheet, lastRow, src.dimension, n),
			Hint: "请在 Excel/WPS 中打开并检查后另存为 .xlsx，或重新导出名录",
		}
	}
	return res, nil
}

// ScanFast is Scan with the fast reader whatever CHOUCHA_XLSX_READER says.
func ScanFast(ctx context.Context, file, sheet string, fn RowFunc, size SizeFunc) error {
	b, err := Open(file)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.Scan(ctx, sheet, fn, size)
}

// ScanFastSheet is ScanFast that also returns what Book.ScanSheet learns.
func ScanFastSheet(ctx context.Context, file, sheet string, fn RowFunc, size SizeFunc) (ScanResult, error) {
	b, err := Open(file)
	if err != nil {
		return ScanResult{}, err
	}
	defer b.Close()
	return b.ScanSheet(ctx, sheet, fn, size)
}
