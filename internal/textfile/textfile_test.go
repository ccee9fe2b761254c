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
