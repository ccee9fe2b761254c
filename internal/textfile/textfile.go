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
	err = pass(&utf8Reader{r: bufio.NewReaderSize(f, 1<<20)}, enc)
	if hasBOM || !errors.Is(err, ErrNotUTF8) {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("读取 %s: %w", name, err)
	}
	return pass(transform.NewReader(bufio.NewReaderSize(f, 1<<20), simplifiedchinese.GB18030.NewDecoder()), GB18030)
}

// utf8Reader passes bytes through and fails with ErrNotUTF8 at the first chunk holding a
// byte that is not UTF-8 (a character split between chunks is carried over).
type utf8Reader struct {
	r     io.Reader
	carry []byte // the incomplete character at the end of the previous chunk
	err   error
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
			u.err = ErrNotUTF8
			return 0, u.err
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
		u.err = ErrNotUTF8
		return 0, u.err
	}
	if rest := chunk[len(body):]; len(rest) > 0 {
		if err == io.EOF {
			u.err = ErrNotUTF8
			return 0, u.err
		}
		u.carry = append(u.carry[:0], rest...)
	}
	return n, err
}
