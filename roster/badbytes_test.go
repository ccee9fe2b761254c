package roster

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Issue 19 item 6: a NUL byte in a cell, and in a GBK file bytes GBK does not have (the
// decoder's U+FFFD), were dropped or garbled silently; the file is now refused naming the
// first row and column and the count. A clean GBK file reads as before.
func TestBadBytesRefused(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(b)
	}
	head := "统一社会信用代码,企业名称,信用风险分类\n"
	join := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cases := []struct {
		name string
		data []byte
		want string // "" when the file must read
	}{
		{"nul utf8", []byte(head + "91140430MA9A3GNL0Y,甲\x00公司,A\n91140430MA8C92KM4K,乙\x00公司,B\n"), "第2行第2列含有NUL 字节（文件可能已损坏，或混入了二进制内容），共 2 处"},
		{"bad gbk byte", join(gbk(head), gbk("91140430MA9A3GNL0Y,长治市"), []byte{0xff, 0xff}, gbk("公司,A\n")), "第2行第2列含有按 GB18030/GBK 读不出的字节，共 1 处"},
		{"clean gbk", gbk(head + "91140430MA9A3GNL0Y,长治市沁县公司,A\n"), ""},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadFirms(context.Background(), p, Options{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p)):
			t.Errorf("%s: %v, want …%s", c.name, err, c.want)
		}
	}
}

// Issue 19 item 6: a roster saved with carriage returns alone as line ends (old Mac programs)
// reads as the same frame as with line feeds, rows numbered alike.
func TestCROnlyLineEnds(t *testing.T) {
	lf := "统一社会信用代码,企业名称,信用风险分类\n91140430MA9A3GNL0Y,甲公司,A\n91140430MA8C92KM4K,乙公司,D\n"
	dir := t.TempDir()
	var hashes []string
	for name, data := range map[string]string{"lf.csv": lf, "cr.csv": strings.ReplaceAll(lf, "\n", "\r")} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		fr, rep, err := ReadFirms(context.Background(), p, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows := map[string]int{}
		for _, f := range fr.Firms {
			rows[f.Name] = f.Row
		}
		if rep.Rows != 2 || len(fr.Firms) != 2 || rows["甲公司"] != 2 || rows["乙公司"] != 3 {
			t.Errorf("%s: %d rows, firms %+v", name, rep.Rows, fr.Firms)
		}
		hashes = append(hashes, FrameHash(fr.Firms))
	}
	if hashes[0] != hashes[1] {
		t.Errorf("frame hashes differ: %v", hashes)
	}
}
