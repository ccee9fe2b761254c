// Package textfile decides, once per file, how a text file that a user brings (a CSV roster,
// a plan copied from Excel, a CSV we wrote earlier) is encoded, and hands the rest of the
// program UTF-8:
//
//   - a UTF-8 byte-order mark means UTF-8 (the mark is removed);
//   - a UTF-16 byte-order mark is recognised and refused by name, with what to do instead;
//   - otherwise bytes that are valid UTF-8 are UTF-8, and anything else is GB18030 (a
//     superset of GBK, what Excel and WPS write on Chinese Windows). Chinese text in GBK is
//     practically never valid UTF-8.
//
// Decode works on a whole file in memory, DecodeHead on its first bytes, and Stream on a file
// read once from start to end (started over as GB18030 at the first byte that is not UTF-8).
package textfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/apperr"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding is what a file was found to be.
type Encoding int

const (
	UTF8    Encoding = iota // UTF-8 without a byte-order mark
	UTF8BOM                 // UTF-8 with a byte-order mark (what Excel's "CSV UTF-8" writes)
	GB18030                 // GB18030 / GBK
	UTF16LE                 // refused
	UTF16BE                 // refused
)

func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8（带 BOM）"
	case GB18030:
		return "GB18030/GBK"
	case UTF16LE:
		return "UTF-16LE"
	case UTF16BE:
		return "UTF-16BE"
	}
	return "未知编码"
}

const bom = "\xef\xbb\xbf"

// ErrNotUTF8 is what the reader given by Stream returns at the first byte that is not UTF-8;
// Stream then starts the file over as GB18030.
var ErrNotUTF8 = errors.New("不是 UTF-8 编码")

// sniffBOM says what the byte-order mark at the start of head declares (ok false: none).
func sniffBOM(head []byte) (Encoding, bool) {
	switch {
	case bytes.HasPrefix(head, []byte(bom)):
		return UTF8BOM, true
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE, true
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE, true
	}
	return 0, false
}

// utf16Error refuses a UTF-16 file by name.
func utf16Error(name string, enc Encoding) error {
	return &apperr.Error{
		Msg:  fmt.Sprintf("%s 是 %s 编码的文本，无法读取", name, enc),
		Hint: "请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx；记事本中另存为时选“UTF-8”编码",
	}
}

// Decode returns the whole text of a file as UTF-8 and the encoding it was found in; name is
// used in messages. A UTF-16 file is an error.
func Decode(name string, data []byte) ([]byte, Encoding, error) {
	if enc, ok := sniffBOM(data); ok {
		if enc != UTF8BOM {
			return nil, enc, utf16Error(name, enc)
		}
		return data[len(bom):], UTF8BOM, nil
	}
	if utf8.Valid(data) {
		return data, UTF8, nil
	}
	u := &utf8Reader{}
	u.fail(data, firstInvalid(data))
	if u.mixed != nil {
		return nil, GB18030, u.mixed.err(name)
	}
	w := &gbkWatch{r: bytes.NewReader(data)}
	if _, err := io.Copy(io.Discard, w); err == nil && w.mixed != nil {
		return nil, GB18030, w.mixed.err(name)
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return nil, GB18030, &apperr.Error{Msg: fmt.Sprintf("%s 既不是 UTF-8 也不是 GBK 编码的文本", name), Err: err}
	}
	return dec, GB18030, nil
}

// DecodeHead is Decode for the first bytes of a file: a character cut off at the end is not
// held against UTF-8. UTF-16 is reported, not decoded (the text is nil).
func DecodeHead(head []byte) ([]byte, Encoding) {
	if enc, ok := sniffBOM(head); ok {
		if enc != UTF8BOM {
			return nil, enc
		}
		return head[len(bom):], UTF8BOM
	}
	if utf8.Valid(trimCutRune(head)) {
		return head, UTF8
	}
	dec, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(head)
	return dec, GB18030
}

// trimCutRune drops an incomplete UTF-8 sequence at the end of b (at most 3 bytes).
func trimCutRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if c := b[len(b)-i]; c >= 0xC0 {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		} else if c < 0x80 {
			break
		}
	}
	return b
}

// Stream reads f, a file positioned at its start, through pass: first as UTF-8 (the reader
// returns ErrNotUTF8 at the first invalid byte), and, if pass fails with ErrNotUTF8 and the
// file has no UTF-8 byte-order mark, once more from the start as GB18030. The reader pass
// gets never yields a byte-order mark. A UTF-16 file is refused before pass is called.
// pass must be ready to be called twice (a second call starts from nothing).
func Stream(name string, f io.ReadSeeker, pass func(r io.Reader, enc Encoding) error) error {
	head := make([]byte, 3)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("读取 %s: %w", name, err)
	}
	head = head[:n]
	enc, hasBOM := sniffBOM(head)
	if hasBOM && enc != UTF8BOM {
		return utf16Error(name, enc)
	}
	skip := int64(0)
	if hasBOM {
		skip = int64(len(bom))
	} else {
		enc = UTF8
	}
	if _, err := f.Seek(skip, io.SeekStart); err != nil {
		return fmt.Errorf("读取 %s: %w", name, err)
	}
	ur := &utf8Reader{r: bufio.NewReaderSize(f, 1<<20)}
	err = pass(ur, enc)
	if hasBOM && errors.Is(err, ErrNotUTF8) {
		return ur.bomError(name)
	}
	if hasBOM || !errors.Is(err, ErrNotUTF8) {
		return err
	}
	if ur.mixed != nil {
		return ur.mixed.err(name)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("读取 %s: %w", name, err)
	}
	w := &gbkWatch{r: bufio.NewReaderSize(f, 1<<20)}
	err = pass(transform.NewReader(w, simplifiedchinese.GB18030.NewDecoder()), GB18030)
	if w.mixed != nil {
		return w.mixed.err(name)
	}
	return err
}

// utf8Reader passes bytes through and fails with ErrNotUTF8 at the first chunk holding a
// byte that is not UTF-8 (a character split between chunks is carried over).
type utf8Reader struct {
	r     io.Reader
	carry []byte // the incomplete character at the end of the previous chunk
	err   error

	// For telling a GBK file from a file that mixes UTF-8 and GBK lines: the line count so
	// far, the Chinese characters seen as valid UTF-8 (counted up to mixedCJK), the first
	// line that had one, and — at the first invalid byte — the verdict.
	lines     int
	cjk       int
	firstLine int
	firstText string
	mixed     *Mixed
	// badLine and badText: the line of the first byte that is not UTF-8, and that line read
	// as GBK (badText "": the file ends inside a character).
	badLine int
	badText string
}

// notUTF8Error is ErrNotUTF8 (errors.Is) with a message of its own.
type notUTF8Error string

func (e notUTF8Error) Error() string { return string(e) }
func (e notUTF8Error) Unwrap() error { return ErrNotUTF8 }

// bomError is the error for a file that declares UTF-8 with a byte-order mark and has a byte
// that is not: it is not read again as GBK (the mark says what it is), so the message says
// where and what to do.
func (u *utf8Reader) bomError(name string) error {
	line := u.badLine
	if line == 0 {
		line = u.lines + 1
	}
	what := fmt.Sprintf("第%d行有不是 UTF-8 的字节", line)
	if u.badText != "" {
		what += fmt.Sprintf("（按 GBK 读为：%s）", u.badText)
	} else {
		what = fmt.Sprintf("在第%d行的一个字符中间结束（文件可能不完整）", line)
	}
	return apperr.Hint(notUTF8Error(fmt.Sprintf("%s 以 UTF-8 的 BOM 开头，但%s", name, what)),
		"文件混入了其他编码的内容或已损坏：请在 Excel/WPS 中打开原文件，另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV、或 .xlsx 后再读取；文件不完整时请重新导出")
}

// mixedCJK is how many Chinese characters must have read as valid UTF-8 before the first
// byte that is not UTF-8 for a file to count as mixed. Chinese text in GBK practically never
// forms four valid UTF-8 characters (the header line of a UTF-8 roster has a dozen).
const mixedCJK = 4

// Mixed is a file whose first lines are UTF-8 and whose later lines are not (typically rows
// pasted in from a GBK file): read as either encoding, some rows would be garbled.
type Mixed struct {
	UTF8Line  int    // first line with Chinese text in UTF-8
	UTF8Text  string // that line, cut
	OtherLine int    // line of the first byte that is not UTF-8
	OtherText string // that line read as GB18030, cut
}

func (m *Mixed) err(name string) error {
	utf8Part := fmt.Sprintf("第%d行是 UTF-8（%s）", m.UTF8Line, m.UTF8Text)
	otherPart := fmt.Sprintf("第%d行不是 UTF-8（按 GBK 读为：%s）", m.OtherLine, m.OtherText)
	first, second := utf8Part, otherPart
	if m.OtherLine < m.UTF8Line {
		first, second = otherPart, utf8Part
	}
	return apperr.Hint(fmt.Errorf("%s 混用了两种文字编码：%s，%s", name, first, second),
		"按任何一种编码读，都会有一部分名称成为乱码：请在 Excel/WPS 中打开各部分的原文件，统一另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再合并")
}

// gbkWatch passes the bytes of a file being read as GB18030 through and looks at each line
// as it was in the file: a line with Chinese text that is valid UTF-8 (mixedCJK characters),
// after a line that is not, means UTF-8 rows were pasted below GBK ones — the other order of
// the mix the UTF-8 pass catches. Read as GBK, those rows would come out garbled.
type gbkWatch struct {
	r       io.Reader
	lines   int    // complete lines seen
	line    []byte // the current line's first bytes (at most watchedLine)
	gbkLine int    // first line that is not UTF-8, and its text read as GBK
	gbkText string
	mixed   *Mixed
}

// watchedLine is how much of a line is looked at: the code and the name come first.
const watchedLine = 4 << 10

func (w *gbkWatch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	w.feed(p[:n])
	if err == io.EOF && len(w.line) > 0 {
		w.check()
	}
	return n, err
}

func (w *gbkWatch) feed(b []byte) {
	for len(b) > 0 && w.mixed == nil {
		i := bytes.IndexByte(b, '\n')
		seg := b
		if i >= 0 {
			seg = b[:i]
		}
		if room := watchedLine - len(w.line); room > 0 {
			w.line = append(w.line, seg[:min(room, len(seg))]...)
		}
		if i < 0 {
			return
		}
		w.check()
		b = b[i+1:]
	}
}

// check judges the current line and starts the next.
func (w *gbkWatch) check() {
	line := w.line
	if len(line) == watchedLine {
		line = trimCutRune(line)
	}
	switch {
	case !utf8.Valid(line):
		if w.gbkLine == 0 {
			w.gbkLine, w.gbkText = w.lines+1, lineAt(line, 0, true)
		}
	case w.gbkLine > 0 && countCJK(line) >= mixedCJK:
		w.mixed = &Mixed{UTF8Line: w.lines + 1, UTF8Text: lineAt(line, 0, false), OtherLine: w.gbkLine, OtherText: w.gbkText}
	}
	w.lines++
	w.line = w.line[:0]
}

// countCJK counts the Chinese characters of valid UTF-8 text b, up to mixedCJK.
func countCJK(b []byte) int {
	n := 0
	for i := 0; i < len(b) && n < mixedCJK; {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x3400 && r <= 0x9fff {
			n++
		}
		i += size
	}
	return n
}

// note counts the lines of valid UTF-8 text b and, until mixedCJK are seen, its Chinese
// characters, keeping the first line that has one.
func (u *utf8Reader) note(b []byte) {
	if u.cjk < mixedCJK {
		for i := 0; i < len(b) && u.cjk < mixedCJK; {
			r, size := utf8.DecodeRune(b[i:])
			if r >= 0x3400 && r <= 0x9fff {
				if u.cjk == 0 {
					u.firstLine = u.lines + bytes.Count(b[:i], []byte{'\n'}) + 1
					u.firstText = lineAt(b, i, false)
				}
				u.cjk++
			}
			i += size
		}
	}
	u.lines += bytes.Count(b, []byte{'\n'})
}

// fail is called with the chunk whose byte at bad is not UTF-8.
func (u *utf8Reader) fail(chunk []byte, bad int) error {
	u.note(chunk[:bad])
	if u.cjk >= mixedCJK {
		u.mixed = &Mixed{UTF8Line: u.firstLine, UTF8Text: u.firstText, OtherLine: u.lines + 1, OtherText: lineAt(chunk, bad, true)}
	}
	u.badLine, u.badText = u.lines+1, lineAt(chunk, bad, true)
	u.err = ErrNotUTF8
	return u.err
}

// lineAt is the line of b around offset i (as far as b holds it), cut to 40 characters;
// gbk decodes it as GB18030.
func lineAt(b []byte, i int, gbk bool) string {
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	end := len(b)
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		end = i + j
	}
	line := bytes.TrimRight(b[start:end], "\r")
	if gbk {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(line); err == nil {
			line = d
		}
	}
	r := []rune(string(line))
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return string(r)
}

// firstInvalid is the offset of the first byte of b that does not start a valid UTF-8 character.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	n, err := u.r.Read(p)
	chunk := p[:n]
	if len(u.carry) > 0 {
		// Complete the carried character with the first bytes of this chunk.
		k := min(len(chunk), 4-len(u.carry))
		c := append(append([]byte(nil), u.carry...), chunk[:k]...)
		r, size := utf8.DecodeRune(c)
		switch {
		case r == utf8.RuneError && size <= 1 && utf8.FullRune(c):
			return 0, u.fail(c, 0)
		case !utf8.FullRune(c):
			if err == io.EOF {
				u.err = ErrNotUTF8
				return 0, u.err
			}
			u.carry = c
			return n, err
		}
		chunk = chunk[size-len(u.carry):]
		u.carry = nil
	}
	body := trimCutRune(chunk)
	if !utf8.Valid(body) {
		return 0, u.fail(body, firstInvalid(body))
	}
	u.note(body)
	if rest := chunk[len(body):]; len(rest) > 0 {
		if err == io.EOF {
			u.err = ErrNotUTF8
			return 0, u.err
		}
		u.carry = append(u.carry[:0], rest...)
	}
	return n, err
}

// LineEnds reads r with every lone carriage return (the line end of files saved by old Mac
// programs) turned into a line feed; CR LF stays as it is. Every byte keeps its offset, so
// positions found in the converted text are positions in the file.
func LineEnds(r io.Reader) io.Reader {
	if br, ok := r.(*bufio.Reader); ok {
		return &crReader{br: br}
	}
	return &crReader{br: bufio.NewReader(r)}
}

type crReader struct{ br *bufio.Reader }

func (c *crReader) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\r')
		if j < 0 {
			break
		}
		i += j
		switch {
		case i+1 < n:
			if p[i+1] != '\n' {
				p[i] = '\n'
			}
		default: // the last byte read: look at the next one without taking it
			if next, perr := c.br.Peek(1); perr != nil || next[0] != '\n' {
				p[i] = '\n'
			}
		}
		i++
	}
	return n, err
}
