package xlsxstream

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// biffRec is one record: its type and data.
func biffRec(id uint16, data ...[]byte) []byte {
	d := bytes.Join(data, nil)
	h := make([]byte, 4)
	binary.LittleEndian.PutUint16(h, id)
	binary.LittleEndian.PutUint16(h[2:], uint16(len(d)))
	return append(h, d...)
}

func u16(v ...int) []byte {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(x))
	}
	return b
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func wide(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// handBIFF is a workbook stream written by hand from [MS-XLS]: globals with a custom percent
// format (id 164) and a percent XF, a shared string table whose third string ("抽查比例")
// is split over a CONTINUE record (which begins with its own width byte), a chart sheet
// (skipped) and a worksheet with every kind of cell record and a merged range.
func handBIFF() []byte {
	var g []byte
	g = append(g, biffRec(0x0809, u16(0x0600, 0x0005, 0, 0, 0, 0, 0, 0))...)
	g = append(g, biffRec(0x041E, u16(164, 4), []byte{0}, []byte("0.0%"))...)
	for i := 0; i < 16; i++ { // style XFs and the default cell XF (15)
		g = append(g, biffRec(0x00E0, u16(0, 0), make([]byte, 16))...)
	}
	g = append(g, biffRec(0x00E0, u16(0, 9), make([]byte, 16))...)   // XF 16: 0%
	g = append(g, biffRec(0x00E0, u16(0, 164), make([]byte, 16))...) // XF 17: 0.0%
	// SST: "序号" (wide), "plain" (8-bit), "抽查比例" split after two characters.
	sst := bytes.Join([][]byte{u32(3), u32(3), u16(2), {1}, wide("序号"), u16(5), {0}, []byte("plain"), u16(4), {1}, wide("抽查")}, nil)
	g = append(g, biffRec(0x00FC, sst)...)
	g = append(g, biffRec(0x003C, []byte{1}, wide("比例"))...)
	sheetAt := len(g) + len(biffRec(0x0085, u32(0), []byte{0, 2, 5, 0}, []byte("Chart"))) + len(biffRec(0x0085, u32(0), []byte{0, 0, 2, 1}, wide("附件"))) + len(biffRec(0x000A))
	g = append(g, biffRec(0x0085, u32(0), []byte{0, 2, 5, 0}, []byte("Chart"))...)
	g = append(g, biffRec(0x0085, u32(uint32(sheetAt)), []byte{0, 0, 2, 1}, wide("附件"))...)
	g = append(g, biffRec(0x000A)...)
	var s []byte
	s = append(s, biffRec(0x0809, u16(0x0600, 0x0010, 0, 0, 0, 0, 0, 0))...)
	s = append(s, biffRec(0x00FD, u16(0, 0, 15), u32(0))...)                        // A1 序号
	s = append(s, biffRec(0x00FD, u16(0, 1, 15), u32(2))...)                        // B1 抽查比例
	s = append(s, biffRec(0x0204, u16(0, 3, 15), u16(2), []byte{1}, wide("配合"))...) // D1 LABEL
	s = append(s, biffRec(0x027E, u16(1, 0, 15), u32(7<<2|2))...)                   // A2 RK 7
	pct := math.Float64bits(0.3)
	s = append(s, biffRec(0x0203, u16(1, 1, 16), binary.LittleEndian.AppendUint64(nil, pct))...)            // B2 30%
	s = append(s, biffRec(0x00BD, u16(2, 0, 15), u32(125<<2|3), u16(17), u32(125<<2|3), u16(1))...)         // A3:B3 MULRK 1.25, 1.25 as 0.0%
	s = append(s, biffRec(0x0006, u16(3, 0, 15), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6))...) // A4 formula → string
	s = append(s, biffRec(0x0207, u16(4), []byte{0}, []byte("calc"))...)
	s = append(s, biffRec(0x0205, u16(3, 1, 15), []byte{1, 0})...)    // B4 TRUE
	s = append(s, biffRec(0x0205, u16(3, 2, 15), []byte{0x2A, 1})...) // C4 #N/A
	s = append(s, biffRec(0x00E5, u16(1), u16(0, 1, 3, 4))...)        // D1:E2
	s = append(s, biffRec(0x000A)...)
	return append(g, s...)
}

// TestReadBIFFHandWritten: every cell of handBIFF as Excel shows it, from the record spec.
func TestReadBIFFHandWritten(t *testing.T) {
	grids, err := readBIFF(handBIFF(), 1<<18)
	if err != nil {
		t.Fatal(err)
	}
	if len(grids) != 1 || grids[0].Sheet != "附件" {
		t.Fatalf("grids %+v", grids)
	}
	g := grids[0]
	text := func(r, c int) string {
		if r >= len(g.Rows) || c >= len(g.Rows[r]) {
			return "<none>"
		}
		return g.Rows[r][c].Text
	}
	want := map[[2]int]string{
		{0, 0}: "序号", {0, 1}: "抽查比例", {0, 2}: "", {0, 3}: "配合",
		{1, 0}: "7", {1, 1}: "30%",
		{2, 0}: "1.25", {2, 1}: "125.0%",
		{3, 0}: "calc", {3, 1}: "TRUE", {3, 2}: "#N/A",
	}
	for at, w := range want {
		if got := text(at[0], at[1]); got != w {
			t.Errorf("row %d col %d: %q, want %q", at[0]+1, at[1]+1, got, w)
		}
	}
	if c := g.Rows[1][1]; !c.Number || c.Raw != "0.3" {
		t.Errorf("B2 %+v: a number stored as 0.3", c)
	}
	if !reflect.DeepEqual(g.Merges, []Range{{Ref: "D1:E2", Col1: 4, Row1: 1, Col2: 5, Row2: 2}}) {
		t.Errorf("merges %+v", g.Merges)
	}
	// A string index past the table, a cut record and a BIFF5 BOF are refused.
	bad := handBIFF()
	if _, err := readBIFF(bad[:len(bad)-8], 1<<18); err == nil { // into the MERGEDCELLS record
		t.Error("a cut record read")
	}
	old := append([]byte(nil), bad...)
	binary.LittleEndian.PutUint16(old[4:], 0x0500)
	if _, err := readBIFF(old, 1<<18); err != ErrXLSOld {
		t.Errorf("BIFF5: %v", err)
	}
	past := handBIFF()
	past = append(past[:len(past)-4], append(biffRec(0x00FD, u16(5, 0, 15), u32(9)), biffRec(0x000A)...)...)
	if _, err := readBIFF(past, 1<<18); err == nil || !strings.Contains(err.Error(), "共享字符串索引 9 超出范围") {
		t.Errorf("a string index past the table: %v", err)
	}
	if _, err := readBIFF(handBIFF(), 3); err == nil {
		t.Error("more cells than the limit read")
	}
}

// FuzzBIFF: any bytes as the workbook stream of a compound file that opened read without a
// panic or a hang (the plan package's FuzzXLS seldom gets past the compound file).
func FuzzBIFF(f *testing.F) {
	f.Add(handBIFF())
	f.Fuzz(func(t *testing.T, stream []byte) {
		done := make(chan struct{})
		go func() {
			readBIFF(stream, 1<<18)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("no answer in 10 s")
		}
	})
}
