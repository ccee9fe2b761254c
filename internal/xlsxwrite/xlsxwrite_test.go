package xlsxwrite

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/xlsxstream"
	"github.com/xuri/excelize/v2"
)

func table(rows [][]string) Sheet {
	return Sheet{
		Name: "名单", Rows: len(rows), FreezeRows: 1, PageSetup: true, PrintTitleRow: 1,
		Row: func(r int, dst []Cell) []Cell {
			for _, v := range rows[r] {
				dst = append(dst, Cell{Style: 1, Text: v})
			}
			return dst
		},
	}
}

var tricky = [][]string{
	{"统一社会信用代码", "名称", "备注"},
	{"91140430MA0KX0001X", "A&B <有限> \"公司\" '甲'", " 两端空格 "},
	{"_x0041_", "_x005F_x0041_", "前_x00zz_后_x1234_"},
	{"多\n行\r\n文本", "\t制表", "=SUM(A1:A2)"},
	{"", "", "末列"},
	{},
	{"𠀀𠀁 扩展区汉字", "emoji 😀", "0012"},
}

// Text written is text read, through excelize and through choucha's own roster reader.
func TestRoundTrip(t *testing.T) {
	var b bytes.Buffer
	wb := &Workbook{Styles: []Style{{NumFmt: 49, Top: true}}, Sheets: []Sheet{table(tricky)}, Creator: "choucha"}
	if err := Write(t.Context(), &b, wb, nil); err != nil {
		t.Fatal(err)
	}
	want := [][]string{}
	for _, r := range tricky {
		row := append([]string(nil), r...)
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		want = append(want, row) // a carriage return too: it is written as &#xD;, not as a raw CR that XML would read as LF
	}

	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("名单")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nonNil(got), nonNil(want)) {
		t.Errorf("excelize read\n %q\nwant\n %q", got, want)
	}

	path := filepath.Join(t.TempDir(), "名单.xlsx")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var ours [][]string
	err = xlsxstream.Scan(t.Context(), path, "", func(row int, cells []string) error {
		for len(ours) < row-1 {
			ours = append(ours, nil)
		}
		c := append([]string(nil), cells...)
		for len(c) > 0 && c[len(c)-1] == "" {
			c = c[:len(c)-1]
		}
		ours = append(ours, c)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for len(ours) < len(want) {
		ours = append(ours, nil)
	}
	if !reflect.DeepEqual(nonNil(ours), nonNil(want)) {
		t.Errorf("xlsxstream read\n %q\nwant\n %q", ours, want)
	}
}

func nonNil(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append([]string{}, r...)
	}
	return out
}

func TestEscapeHexRefs(t *testing.T) {
	for in, want := range map[string]string{
		"无":              "无",
		"_x0041_":        "_x005F_x0041_",
		"_x005F_x0041_":  "_x005F_x005F_x005F_x0041_",
		"a_x00zz_b":      "a_x00zz_b",
		"_x0041__x0042_": "_x005F_x0041__x005F_x0042_",
		"_x004":          "_x004",
	} {
		if got := escapeHexRefs(in); got != want {
			t.Errorf("escapeHexRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

// Same workbook, same bytes (no timestamps), and a cell longer than Excel allows is cut at
// 32,767 UTF-16 units, not in the middle of a character.
func TestDeterministicAndCut(t *testing.T) {
	long := strings.Repeat("长", 32766) + "𠀀"
	wb := &Workbook{Styles: []Style{{NumFmt: 49}}, Sheets: []Sheet{table([][]string{{"a"}, {long}})}}
	var a, b bytes.Buffer
	if err := Write(t.Context(), &a, wb, nil); err != nil {
		t.Fatal(err)
	}
	if err := Write(t.Context(), &b, wb, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of one workbook differ")
	}
	if got := cutUTF16(long, maxCellChars); got != strings.Repeat("长", 32766) {
		t.Errorf("cut to %d bytes", len(got))
	}
}

func TestBadCells(t *testing.T) {
	for name, cell := range map[string]Cell{
		"not a number": {Style: 1, Text: "1.5", Number: true},
		"no style 2":   {Style: 2, Text: "x"},
	} {
		s := Sheet{Name: "a", Rows: 1, Row: func(_ int, dst []Cell) []Cell { return append(dst, cell) }}
		err := Write(t.Context(), &bytes.Buffer{}, &Workbook{Styles: []Style{{}}, Sheets: []Sheet{s}}, nil)
		if err == nil || !strings.Contains(err.Error(), "第1行第1列") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := Write(t.Context(), &bytes.Buffer{}, &Workbook{}, nil); err == nil {
		t.Error("a workbook without sheets was written")
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	rows := 0
	s := Sheet{Name: "a", Rows: 100_000, Row: func(r int, dst []Cell) []Cell {
		if rows++; rows == 1000 {
			cancel()
		}
		return append(dst, Cell{Text: "x"})
	}}
	err := Write(ctx, &bytes.Buffer{}, &Workbook{Sheets: []Sheet{s}}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if rows > 1000+rowsPerCheck {
		t.Errorf("%d rows made after the cancel", rows-1000)
	}
}
