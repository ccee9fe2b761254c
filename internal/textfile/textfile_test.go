package textfile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/choucha/choucha/internal/apperr"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const text = "统一社会信用代码,企业名称\n91110000600037341L,长治市甲公司\n"

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		enc  Encoding
	}{
		{"utf8", []byte(text), UTF8},
		{"bom", []byte("\ufeff" + text), UTF8BOM},
		{"gbk", gbk(t, text), GB18030},
		{"empty", nil, UTF8},
	}
	for _, tt := range tests {
		got, enc, err := Decode("f.csv", tt.data)
		if err != nil || enc != tt.enc {
			t.Fatalf("%s: enc %v err %v", tt.name, enc, err)
		}
		if tt.data != nil && string(got) != text {
			t.Errorf("%s: text %q", tt.name, got)
		}
	}
	for _, b := range [][]byte{{0xFF, 0xFE, 'a', 0}, {0xFE, 0xFF, 0, 'a'}} {
		_, _, err := Decode("f.csv", b)
		var e *apperr.Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "f.csv 是 UTF-16") || e.Hint == "" {
			t.Errorf("UTF-16 not refused by name: %v", err)
		}
	}
}

func TestDecodeHeadCutCharacter(t *testing.T) {
	b := []byte("\u4e2d\u6587")
	for cut := 1; cut < len(b); cut++ {
		_, enc := DecodeHead(b[:cut])
		if enc != UTF8 {
			t.Errorf("cut at %d: %v", cut, enc)
		}
	}
	if _, enc := DecodeHead(gbk(t, text)[:7]); enc != GB18030 {
		t.Errorf("gbk head: %v", enc)
	}
}

func readStream(t *testing.T, data []byte, chunked bool) (string, []Encoding, error) {
	t.Helper()
	var encs []Encoding
	var out string
	err := Stream("f.csv", bytes.NewReader(data), func(r io.Reader, enc Encoding) error {
		encs = append(encs, enc)
		if chunked {
			r = iotest.OneByteReader(r)
		}
		b, err := io.ReadAll(r)
		out = string(b)
		return err
	})
	return out, encs, err
}

func TestStream(t *testing.T) {
	long := strings.Repeat(text, 40000) // over the 1 MiB buffer: characters split between reads
	for _, chunked := range []bool{false, true} {
		data := []byte(long)
		if chunked {
			data = []byte(text)
		}
		got, encs, err := readStream(t, data, chunked)
		if err != nil || got != string(data) || len(encs) != 1 || encs[0] != UTF8 {
			t.Errorf("utf8 chunked=%v: %v %v", chunked, encs, err)
		}
		got, encs, err = readStream(t, append([]byte(bom), data...), chunked)
		if err != nil || got != string(data) || len(encs) != 1 || encs[0] != UTF8BOM {
			t.Errorf("bom chunked=%v: %v %v", chunked, encs, err)
		}
		// GBK late in the file: the first pass fails, the second is GB18030 from the start.
		mixed := append([]byte(strings.Repeat("a,b\n", 300000)), gbk(t, text)...)
		if chunked {
			mixed = append([]byte("a,b\n"), gbk(t, text)...)
		}
		got, encs, err = readStream(t, mixed, chunked)
		if err != nil || !strings.HasSuffix(got, text) || len(encs) != 2 || encs[1] != GB18030 {
			t.Errorf("gbk chunked=%v: %v %v", chunked, encs, err)
		}
	}
	// A UTF-8 file cut inside a character is not UTF-8.
	if _, encs, err := readStream(t, []byte("a\xe4\xb8"), false); err != nil || len(encs) != 2 {
		t.Errorf("cut character: %v %v", encs, err)
	}
	// With a BOM the file is UTF-8: an invalid byte is an error, not a second pass.
	if _, encs, err := readStream(t, append([]byte(bom), gbk(t, text)...), false); !errors.Is(err, ErrNotUTF8) || len(encs) != 1 {
		t.Errorf("bom + gbk: %v %v", encs, err)
	}
	called := false
	err := Stream("f.csv", bytes.NewReader([]byte{0xFF, 0xFE, 'a', 0}), func(io.Reader, Encoding) error { called = true; return nil })
	if err == nil || called || !strings.Contains(err.Error(), "UTF-16LE") {
		t.Errorf("UTF-16: called %v, err %v", called, err)
	}
}

// Issue 19 item 6: a file whose first rows are UTF-8 and whose later rows were pasted in
// from a GBK file is refused with the first line of each, by Decode and by Stream; a GBK file
// (whose first Chinese text is already not UTF-8) and a UTF-8 file are read as before.
func TestMixedEncodings(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf8Part := "统一社会信用代码,企业名称\n91140430MA9A3GNL0Y,长治市沁县盛世锦地产房地产开发有限公司\n"
	gbkPart := gbk("91140430MA8C92KM4K,长治市沁县晋龙鑫地产房地产开发有限公司\n")
	mixed := []byte(utf8Part + gbkPart)
	for name, read := range map[string]func([]byte) error{
		"Decode": func(b []byte) error { _, _, err := Decode("m.csv", b); return err },
		"Stream": func(b []byte) error {
			return Stream("m.csv", bytes.NewReader(b), func(r io.Reader, _ Encoding) error { _, err := io.ReadAll(r); return err })
		},
	} {
		err := read(mixed)
		if err == nil {
			t.Fatalf("%s read a mixed file", name)
		}
		for _, want := range []string{"m.csv 混用了两种文字编码", "第1行是 UTF-8（统一社会信用代码,企业名称）", "第3行不是 UTF-8（按 GBK 读为：91140430MA8C92KM4K,长治市沁县晋龙鑫"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v\nlacks %q", name, err, want)
			}
		}
		// The other order: GBK rows first, UTF-8 rows pasted below them.
		err = read([]byte(gbk(utf8Part) + "91140430MA8C92KM4K,长治市沁县晋龙鑫地产房地产开发有限公司\n"))
		if err == nil {
			t.Fatalf("%s read a GBK-then-UTF-8 file", name)
		}
		for _, want := range []string{"m.csv 混用了两种文字编码：第1行不是 UTF-8（按 GBK 读为：统一社会信用代码,企业名称），第3行是 UTF-8（91140430MA8C92KM4K,长治市沁县晋龙鑫"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v\nlacks %q", name, err, want)
			}
		}
		if err := read([]byte(gbk(utf8Part) + gbkPart)); err != nil {
			t.Errorf("%s refused a GBK file: %v", name, err)
		}
		if err := read([]byte(utf8Part + utf8Part)); err != nil {
			t.Errorf("%s refused a UTF-8 file: %v", name, err)
		}
	}
	// Past the reader's first chunks the line of the first GBK byte is still exact.
	big := utf8Part + strings.Repeat("91140430MA9A3GNL0Y,长治市沁县盛世锦地产房地产开发有限公司\n", 40000) + gbkPart
	err := Stream("big.csv", strings.NewReader(big), func(r io.Reader, _ Encoding) error { _, err := io.ReadAll(r); return err })
	if err == nil || !strings.Contains(err.Error(), "第40003行不是 UTF-8") {
		t.Errorf("big mixed file: %v", err)
	}
	// And the UTF-8 rows far below the GBK ones, across the reader's chunks.
	bigGBK := gbk(utf8Part) + strings.Repeat(gbk("91140430MA9A3GNL0Y,长治市沁县盛世锦地产房地产开发有限公司\n"), 40000) + "91140430MA8C92KM4K,长治市沁县晋龙鑫地产房地产开发有限公司\n"
	err = Stream("big.csv", strings.NewReader(bigGBK), func(r io.Reader, _ Encoding) error { _, err := io.ReadAll(r); return err })
	if err == nil || !strings.Contains(err.Error(), "第1行不是 UTF-8（按 GBK 读为：统一社会信用代码,企业名称），第40003行是 UTF-8") {
		t.Errorf("big GBK-then-UTF-8 file: %v", err)
	}
}

func TestLineEnds(t *testing.T) {
	for in, want := range map[string]string{
		"a\rb\rc":      "a\nb\nc",
		"a\r\nb\r\n":   "a\r\nb\r\n",
		"a\r":          "a\n",
		"\r\r\n\r":     "\n\r\n\n",
		"名称\r统一社会信用代码": "名称\n统一社会信用代码",
	} {
		// One byte a read puts every carriage return at the end of a read.
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			got, err := io.ReadAll(LineEnds(r))
			if err != nil || string(got) != want {
				t.Errorf("LineEnds(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
	}
}
