package xlsxstream

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The quick paths (quick.go) must read every sheet and shared-strings table exactly as the
// general path does: the same rows, cells and errors, whatever the buffer size (a plain
// element cut by the end of the buffer goes to the general path).

// sheetDump reads sheet XML with the given shared strings and prints every row and the error.
func sheetDump(sheet []byte, sst *sharedStrings, bufSize int) string {
	fs := &fastSheet{s: newXMLScanner(&smallReads{r: bytes.NewReader(sheet), n: bufSize}, bufSize), sst: sst}
	var b strings.Builder
	for i := 0; i < 1<<12; i++ {
		n, cells, ok, err := fs.next()
		if err != nil {
			fmt.Fprintf(&b, "error at %d: %v\n", n, err)
			break
		}
		if !ok {
			break
		}
		fmt.Fprintf(&b, "%d %q\n", n, cells)
	}
	// Read to the end as Book.Scan does: the rest must be well formed too.
	for {
		k, err := fs.s.next()
		if err != nil {
			fmt.Fprintf(&b, "after: %v\n", err)
			break
		}
		if k == tokEOF {
			break
		}
		if k == tokText {
			if err := fs.s.checkText(); err != nil {
				fmt.Fprintf(&b, "after text: %v\n", err)
				break
			}
		}
	}
	fmt.Fprintf(&b, "dimension %q\n", fs.dimension)
	return b.String()
}

func sstDump(data []byte, bufSize int) (*sharedStrings, string) {
	t, err := readSharedStrings(&smallReads{r: bytes.NewReader(data), n: bufSize}, int64(len(data)))
	if err != nil {
		return nil, "error: " + err.Error()
	}
	var b strings.Builder
	for i := range t.len() {
		fmt.Fprintf(&b, "%q\n", t.get(i))
	}
	return t, b.String()
}

// smallReads hands out at most n bytes a read, so elements straddle buffer refills.
type smallReads struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (s *smallReads) Read(b []byte) (int, error) { return s.r.Read(b[:min(len(b), s.n)]) }

// bothPaths reads with the quick paths on and off and fails on any difference.
func bothPaths(t testing.TB, sheet, sst []byte) {
	t.Helper()
	for _, size := range []int{64, 100, 1 << 20} {
		generalOnly = true
		gt, gs := sstDump(sst, size)
		var gsh string
		if gt != nil {
			gsh = sheetDump(sheet, gt, size)
		}
		generalOnly = false
		qt, qs := sstDump(sst, size)
		var qsh string
		if qt != nil {
			qsh = sheetDump(sheet, qt, size)
		}
		if gs != qs {
			t.Fatalf("buffer %d: shared strings differ\ngeneral:\n%s\nquick:\n%s", size, gs, qs)
		}
		if gsh != qsh {
			t.Fatalf("buffer %d: sheet %q differs\ngeneral:\n%s\nquick:\n%s", size, sheet, gsh, qsh)
		}
	}
}

// quickSST has items of every form the quick path takes and of each form it leaves alone
// (all valid: quickBadItems are the ones that fail).
const quickSST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="20" uniqueCount="20"><si><t>统一社会信用代码</t></si><si><t xml:space="preserve"> 空格 </t></si><si><t></t></si><si><t>a&amp;b</t></si><si><t>tab	and
newline</t></si><si><t>cr` + "\r" + `lf</t></si><si><t>_x0041__x005F_x0042_</t></si><si><t xml:space='preserve'>quote</t></si><si><t>x</t><r><t>run</t></r></si><si><t>a</t> </si><si><t>` + "\uFFFD\U0001F600" + `</t></si><si ><t>sp</t></si><si><t>91140430JURQ283F54</t></si>
<si><t>after newline</t></si><si/><si><t>end</t></si></sst>`

// sstOpen is the root a shared-strings part must have.
const sstOpen = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`

// quickBadItems are shared-string items that are not well formed.
var quickBadItems = []string{"<si><t>bad\x01</t></si>", "<si><t>bad\xff</t></si>", "<si><t>\xef\xbf\xbe</t></si>", "<si><t>&nbsp;</t></si>", "<si><t>a</t></sx>"}

// quickSheetCells are cells of the plain form and near misses of it.
var quickSheetCells = []string{
	`<c r="A%d" t="s"><v>0</v></c>`,
	`<c r="B%d" s="1" t="s"><v>13</v></c>`,
	`<c t="s" r="C%d"><v> 1 </v></c>`,
	`<c r="D%d"><v>9.1140403876982394E+17</v></c>`,
	`<c r="E%d"/>`,
	`<c r="F%d" s="2"></c>`,
	`<c r="G%d" t="str"><v>a&amp;b</v></c>`,
	`<c r="H%d" t="str"><v>中文</v></c>`,
	`<c r='I%d' t="s"><v>1</v></c>`,
	`<c  r="J%d" t="s"><v>2</v></c>`,
	`<c r="K%d" t="s" ><v>3</v></c>`,
	`<c r="L%d"><f>1+1</f><v>2</v></c>`,
	`<c r="M%d" t="inlineStr"><is><t>inline</t></is></c>`,
	`<c r="N%d" t="s"><v>4</v></c >`,
	`<c r="O%d" t="s"><v>5</v ></c>`,
	`<c r="P%d" r="Q1" t="s"><v>6</v></c>`,
	`<c r="R%d" t="s" t="n"><v>7</v></c>`,
	`<c x:r="S%d" t="s"><v>8</v></c>`,
	`<c r="T%d" t="s"><v/></c>`,
	`<c r="U%d" t="str"><v>cr` + "\r" + `</v></c>`,
	`<c r="V%d" t="str"><v>` + "\x01" + `</v></c>`,
	`<c r="W%d" t="s"><v>9</v><extLst/></c>`,
	`<c r="X%d" t="s"><v>999</v></c>`,
	`<c r="1Y%d"><v>1</v></c>`,
	`<c	r="Z%d"><v>tab</v></c>`,
	`<c><v>no ref</v></c>`,
	`<c r="AA%d" t="s"><v>10</v></c>`,
	`<c r="AB%d" t="s"/>`,
	`<c r="AC%d" t="s"><v></v></c>`,
	`<c r="AD%d" foo="a&lt;b"><v>x</v></c>`,
	`<c r="AE%d" foo="a<b"><v>x</v></c>`,
	`<c r="AF%d"/ >`,
	`<c r="AG%d" ta="s"><v>1</v></c>`, `<c rr="y"><v>1</v></c>`,
	"<c r=\"AH%d\" s=\"a\x01b\"><v>1</v></c>", "<c r=\"AI%d\" s=\"a\tb\"><v>1</v></c>", "<c r=\"AJ%d\" s=\"a\nb\"><v>1</v></c>",
	`<c r="AK%d" s="中"><v>1</v></c>`, "<c r=\"AL%d\" s=\"\xff\"><v>1</v></c>", `<c r="AM%d" 1s="1"><v>1</v></c>`,
	`<c r="AN%d" -s="1"><v>1</v></c>`, `<c r="AO%d" .s="1"><v>1</v></c>`, `<c r="AP%d" s1.-_="1"><v>1</v></c>`,
	`<c r="AQ%d" s="&#1;"><v>1</v></c>`, `<c r="AR%d"t="s"><v>1</v></c>`, `<c r="AS%d" _s="1"><v>1</v></c>`,
	`<c r="AT%d" s=><v>1</v></c>`, `<c r="AU%d" s><v>1</v></c>`, `<c r="AV%d" s="1"x="2"><v>1</v></c>`,
}

func TestQuickPathsMatchGeneral(t *testing.T) {
	if _, s := sstDump([]byte(quickSST), 1<<20); strings.HasPrefix(s, "error") {
		t.Fatalf("quickSST: %s", s)
	}
	// Each cell form alone in a row, in several row forms, then all of them in one sheet.
	rowForms := []string{"<row r=\"%d\" x=\"\x01\">", `<row r="%d" 1x="1">`, `<row r="%d"spans="1:2">`, `<row r="%d">`, `<row r="%d" spans="1:11">`, `<row spans="1:3" r="%d">`, `<row r='%d'>`, `<row r="%dx">`, `<row>`, `<row r="%d" r="1">`, `<row r="%d" >`}
	var all strings.Builder
	all.WriteString(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:AF300"/><sheetData>`)
	n := 0
	for _, rf := range rowForms {
		for _, c := range quickSheetCells {
			n++
			row := rf
			if strings.Contains(rf, "%d") {
				row = fmt.Sprintf(rf, n)
			}
			cell := c
			if strings.Contains(c, "%d") {
				cell = fmt.Sprintf(c, n)
			}
			one := `<worksheet><sheetData>` + row + cell + `</row></sheetData></worksheet>`
			bothPaths(t, []byte(one), []byte(quickSST))
			all.WriteString(row + cell + cell + "</row>\n")
		}
	}
	all.WriteString(`<row r="400"/><row r="401"><c r="A401" t="s"><v>1</v></c></row></sheetData><c r="A1"><v>outside sheetData</v></c></worksheet>`)
	bothPaths(t, []byte(all.String()), []byte(quickSST))
	// A cell as the root element is not inside a sheet: the general path decides.
	bothPaths(t, []byte(`<c r="A1" t="s"><v>0</v></c>`), []byte(quickSST))
	bothPaths(t, []byte(`<row r="1"><c r="A1"><v>1</v></c></row>`), []byte(quickSST))
	// Truncated inside a plain cell, and a row left open.
	bothPaths(t, []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c`), []byte(quickSST))
	bothPaths(t, []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></sheetData></worksheet>`), []byte(quickSST))
	// Shared strings: one by one too, so each near miss is seen on its own.
	for _, it := range strings.SplitAfter(quickSST, "</si>") {
		if !strings.Contains(it, "<si") {
			continue
		}
		it = it[strings.Index(it, "<si"):]
		if _, s := sstDump([]byte(sstOpen+it+`</sst>`), 64); strings.HasPrefix(s, "error") {
			t.Fatalf("%s: %s", it, s)
		}
		bothPaths(t, []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`),
			[]byte(sstOpen+it+`</sst>`))
	}
	for _, it := range quickBadItems {
		bothPaths(t, []byte(`<worksheet/>`), []byte(sstOpen+`<si><t>ok</t></si>`+it+`</sst>`))
	}
	bothPaths(t, []byte(`<worksheet/>`), []byte(sstOpen+`<si><t>cut`))
	bothPaths(t, []byte(`<worksheet/>`), []byte(`<si><t>root</t></si>`))
}

// The handwritten sheets of sheetxml_test.go read the same both ways.
func TestQuickPathsMatchGeneralOnHandSheets(t *testing.T) {
	for _, s := range handSheets {
		bothPaths(t, []byte(s), []byte(testSST))
	}
}

// FuzzQuickPaths mutates sheet XML and shared strings: the quick and general paths must agree.
func FuzzQuickPaths(f *testing.F) {
	for _, s := range handSheets {
		f.Add([]byte(s), []byte(testSST))
	}
	for _, c := range quickSheetCells {
		if strings.Contains(c, "%d") {
			c = fmt.Sprintf(c, 1)
		}
		f.Add([]byte(`<worksheet><sheetData><row r="1">`+c+`</row></sheetData></worksheet>`), []byte(quickSST))
	}
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		bothPaths(t, sheet, sst)
	})
}

// Shared strings are looked up at the end of a row, but a too-long one is still the error
// when a later cell of its row is faulty too: it comes first in the file.
func TestLongSharedStringBeforeLaterError(t *testing.T) {
	long := strings.Repeat("长", MaxCellChars+1)
	sst := sstOpen + `<si><t>ok</t></si><si><t>` + long + `</t></si></sst>`
	for _, later := range []string{`<c r="1B1"><v>1</v></c>`, `<c r="C1" t="s"><v>x</v></c>`, `<c r="D1"><v>1</c>`, `</row><row r="0">`, `<c r="E1" t="s"><v>1</v></c>`, ``} {
		sheet := `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>` + later + `</row></sheetData></worksheet>`
		_, err := readRows(ScanFast, xlsxParts(t, []string{"S"}, []string{sheet}, sst, false), "")
		var le *LimitError
		if !errors.As(err, &le) && (err == nil || !strings.Contains(err.Error(), "超过 Excel 每个单元格")) {
			t.Errorf("%s: error %v, want the cell limit", later, err)
		}
		bothPaths(t, []byte(sheet), []byte(sst))
	}
}
