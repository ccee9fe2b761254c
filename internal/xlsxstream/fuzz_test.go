package xlsxstream

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fuzzRead reads the first sheet of path with scan and returns its rows in compact form: the
// rows that have cells (row number and cells) and the number of rows reported in all. It
// also checks what both readers promise the row callback: rows are numbered 1, 2, 3, …
// (a row the file leaves out is reported with no cells).
func fuzzRead(t *testing.T, scan func(context.Context, string, string, RowFunc, SizeFunc) error, who, path string) (rows []sheetRow, count int, err error) {
	err = scan(context.Background(), path, "", func(n int, cells []string) error {
		if n != count+1 {
			t.Fatalf("%s: row %d after row %d", who, n, count)
		}
		count = n
		if len(cells) > 0 {
			rows = append(rows, sheetRow{n, append([]string(nil), cells...)})
		}
		return nil
	}, nil)
	return rows, count, err
}

// FuzzSheetXML puts arbitrary worksheet XML and shared-strings XML into an otherwise valid
// xlsx package and reads it with the fast reader and with excelize (the reference).
//
// "Equal" means: both read the sheet, report the same number of rows, and the same cells in
// every row, byte for byte — the raw values excelize returns with RawCellValue (entities and
// line ends decoded as encoding/xml does, _xHHHH_ escapes decoded, no trailing empty cells);
// or both refuse the file.
//
// The fast reader may refuse where excelize reads (see the top of sheetxml.go); each such
// case is allowed only when it is verifiably one of these (fuzzCarveOut):
//   - the fast reader reports bad XML, and the sheet or shared-strings part is not a
//     well-formed XML document (wellFormed: encoding/xml's strict decoder refuses it, or it
//     has no single root element): excelize's iterator stops quietly at an XML error, which
//     can read a damaged sheet short;
//   - the fast reader refuses a DOCTYPE (it reads no DTDs: entity bombs) and there is one;
//   - a row exceeds a limit of Excel's (columns, rows, characters per cell) that excelize
//     does not enforce, and excelize's own rows show it;
//   - the shared strings are not SpreadsheetML's <sst> and the sheet has no rows: excelize
//     refuses such a table only when it reads the first row;
//   - a t="s" cell whose index is not a number or not in the table: excelize reads an index
//     it cannot parse as 0 and one past the table as "", choucha refuses the file.
//
// Nothing else may differ: excelize refusing what the fast reader reads is a divergence too.
// TestReadersAgreeOnOddXML and TestReadersAgreeOnOddSharedStrings hold the forms the fuzzer
// is unlikely to reach by mutation; TestFastReaderFuzzRegressions the divergences found.
func FuzzSheetXML(f *testing.F) {
	for _, s := range handSheets {
		f.Add([]byte(s), []byte(testSST))
	}
	f.Add([]byte(`<worksheet><sheetData><row r="2"><c r="B2" t="s"><v>1</v></c></row></sheetData></worksheet>`), []byte(testSST))
	f.Add([]byte(`<worksheet><sheetData><row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c></row></sheetData></worksheet>`), []byte(nil))
	// A part declared GB18030 ("沁县"), read through its encoding, for mutations of it.
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"GB18030\"?><worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>\xc7\xdf\xcf\xd8</t></is></c></row></sheetData></worksheet>"), []byte(testSST))
	f.Fuzz(compareReaders)
}

// compareReaders is FuzzSheetXML's check on one input (see there).
func compareReaders(t *testing.T, sheet, sst []byte) {
	t.Helper()
	p := xlsxParts(t, []string{"S"}, []string{string(sheet)}, string(sst), false)
	want, wantN, werr := fuzzRead(t, ScanExcelize, "excelize", p)
	got, gotN, gerr := fuzzRead(t, ScanFast, "fast", p)
	if gerr != nil && werr == nil {
		if why := fuzzCarveOut(sheet, sst, want, wantN, gerr); why != "" {
			return
		}
		t.Fatalf("fast reader refuses what excelize reads: %v\nexcelize: %d rows %s", gerr, wantN, rowsText(want))
	}
	if werr != nil && gerr == nil {
		t.Fatalf("excelize refuses what the fast reader reads: %v\nfast: %d rows %s", werr, gotN, rowsText(got))
	}
	if werr != nil {
		return
	}
	if gotN != wantN || rowsText(got) != rowsText(want) {
		t.Fatalf("rows differ\nfast:     %d rows %s\nexcelize: %d rows %s", gotN, rowsText(got), wantN, rowsText(want))
	}
}

// fuzzCarveOut says why the fast reader may refuse a file excelize reads, or "" if it may not.
func fuzzCarveOut(sheet, sst []byte, excelizeRows []sheetRow, excelizeN int, err error) string {
	var se *xmlSyntaxError
	isXML := errors.As(err, &se) || errors.Is(err, errXMLTrunc) || errors.Is(err, errXMLToken)
	msg := err.Error()
	switch {
	case se != nil && strings.HasPrefix(se.msg, "不支持的声明") && (hasDirective(sheet) || hasDirective(sst)):
		// choucha reads no DTD declarations (entity bombs): a DOCTYPE, and any other
		// directive, which encoding/xml — and so excelize — skips wherever it stands, even
		// inside an element (FuzzSheetXML, 2026-12-05: "<t><!D[ACAT[…]]></t>").
		return "DOCTYPE"
	case isXML:
		if !wellFormed(sheet) || len(sst) > 0 && !wellFormed(sst) {
			return "XML not well formed"
		}
	case strings.Contains(msg, "共享字符串表的根元素") && excelizeN == 0:
		// excelize reads the shared strings for the first row it reads, and refuses them
		// then; a sheet without rows never gets there. choucha reads them first.
		return "shared strings not SpreadsheetML, no rows"
	case strings.Contains(msg, "共享字符串索引"):
		return "shared-string index"
	case strings.Contains(msg, "（行的顺序错乱）") && rowsBackwards(sheet):
		// excelize merges a row numbered at or before the one before it into that row.
		return "rows backwards"
	case strings.Contains(msg, "上限，已拒绝读取"):
		for _, r := range excelizeRows {
			if r.n > MaxRows || len(r.cells) > MaxColumns {
				return "Excel limit"
			}
			for _, c := range r.cells {
				if utf8.RuneCountInString(c) > MaxCellChars {
					return "Excel limit"
				}
			}
		}
	}
	return ""
}

var (
	rowTagRE  = regexp.MustCompile(`<(?:[A-Za-z_][\w.-]*:)?row(?:\s[^>]*)?/?>`)
	rowAttrRE = regexp.MustCompile(`\sr\s*=\s*["']\s*0*(\d+)\s*["']`)
)

// rowsBackwards reports whether the sheet has a row whose number (its r=, or the one after
// the row before) is not after the row before it.
func rowsBackwards(sheet []byte) bool {
	prev := 0
	for _, tag := range rowTagRE.FindAll(sheet, -1) {
		n := prev + 1
		if m := rowAttrRE.FindSubmatch(tag); m != nil {
			v, err := strconv.Atoi(string(m[1]))
			if err != nil {
				return false
			}
			n = v
		}
		if n <= prev {
			return true
		}
		prev = n
	}
	return false
}

// hasDirective reports whether b holds a directive as encoding/xml reads one — "<!" not starting a comment
// ("<!-") or a CDATA section ("<![").
func hasDirective(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("<!"))
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if c := b[i+2]; c != '-' && c != '[' {
			return true
		}
		b = b[i+2:]
	}
}

// wellFormed reports whether b is a well-formed XML document: encoding/xml's strict decoder
// reads it to its end, and it has exactly one root element with nothing but white space,
// comments and processing instructions outside it (XML 1.0's document production, which
// encoding/xml does not check).
func wellFormed(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return roots == 1 && depth == 0
		}
		if err != nil {
			return false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.Trim(tok, " \t\r\n")) > 0 {
				return false
			}
		}
	}
}

func rowsText(rows []sheetRow) string {
	var b bytes.Buffer
	for _, r := range rows {
		fmt.Fprintf(&b, "%d:%q ", r.n, r.cells)
	}
	return b.String()
}

// Worksheet XML that real writers rarely produce but a file can hold: both readers must agree
// (or the fast one refuse for one of FuzzSheetXML's reasons).
func TestReadersAgreeOnOddXML(t *testing.T) {
	ws := func(rows string) string { return `<worksheet><sheetData>` + rows + `</sheetData></worksheet>` }
	cases := map[string]string{
		"lower-case ref":       ws(`<row r="1"><c r="b1"><v>1</v></c></row>`),
		"absolute ref":         ws(`<row r="1"><c r="$B$1"><v>1</v></c></row>`),
		"ref without row":      ws(`<row r="1"><c r="B"><v>1</v></c></row>`),
		"row zero":             ws(`<row r="0"><c><v>1</v></c></row><row><c><v>2</v></c></row>`),
		"row negative":         ws(`<row r="-3"><c><v>1</v></c></row>`),
		"row spaced":           ws(`<row r=" 2"><c><v>1</v></c></row>`),
		"row plus":             ws(`<row r="+2"><c><v>1</v></c></row>`),
		"row empty attr":       ws(`<row r=""><c><v>1</v></c></row>`),
		"cell ref other row":   ws(`<row r="1"><c r="A5"><v>1</v></c></row>`),
		"cell left of last":    ws(`<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c></row>`),
		"two v":                ws(`<row r="1"><c><v>1</v><v>2</v></c></row>`),
		"v with child":         ws(`<row r="1"><c><v>a<x>b</x>c</v></c></row>`),
		"t=s empty v":          ws(`<row r="1"><c t="s"><v></v></c><c t="s"><v>0</v></c></row>`),
		"t=s spaced index":     ws(`<row r="1"><c t="s"><v> 1 </v></c></row>`),
		"inline without is":    ws(`<row r="1"><c t="inlineStr"><v>x</v></c></row>`),
		"is without inline":    ws(`<row r="1"><c><is><t>x</t></is><v>y</v></c></row>`),
		"is two t":             ws(`<row r="1"><c t="inlineStr"><is><t>a</t><t>b</t></is></c></row>`),
		"nested sheetData":     `<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData><sheetData><row r="2"><c><v>2</v></c></row></sheetData></worksheet>`,
		"row outside data":     `<worksheet><row r="1"><c><v>1</v></c></row><sheetData/></worksheet>`,
		"namespaced other":     `<w:worksheet xmlns:w="urn:other"><w:sheetData><w:row r="1"><w:c><w:v>1</w:v></w:c></w:row></w:sheetData></w:worksheet>`,
		"prefixed attrs":       `<worksheet xmlns:x="urn:x"><sheetData><row x:r="3"><c x:r="B3" x:t="s"><v>1</v></c></row></sheetData></worksheet>`,
		"cdata in v":           ws(`<row r="1"><c t="str"><v><![CDATA[a<b]]></v></c></row>`),
		"entity in ref":        ws(`<row r="1"><c r="&#66;1"><v>1</v></c></row>`),
		"entity in row":        ws(`<row r="&#50;"><c><v>1</v></c></row>`),
		"xml:space":            ws(`<row r="1"><c t="inlineStr"><is><t xml:space="preserve">  a  </t></is></c></row>`),
		"gbk declaration":      `<?xml version="1.0" encoding="GBK"?>` + ws(`<row r="1"><c t="str"><v>a</v></c></row>`),
		"formula only":         ws(`<row r="1"><c r="B1"><f>1</f></c></row>`),
		"empty t":              ws(`<row r="1"><c t=""><v>1</v></c></row>`),
		"unknown t":            ws(`<row r="1"><c t="zz"><v>1</v></c></row>`),
		"bool t":               ws(`<row r="1"><c t="b"><v>true</v></c></row>`),
		"dimension late":       `<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData><dimension ref="A1:A3"/></worksheet>`,
		"dimension bad":        `<worksheet><dimension ref="A1:ZZZZ9"/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
		"column XFD":           ws(`<row r="1"><c r="XFD1"><v>1</v></c></row>`),
		"column XFE":           ws(`<row r="1"><c r="XFE1"><v>1</v></c></row>`),
		"bstr in v":            ws(`<row r="1"><c t="str"><v>_x0041_</v></c></row>`),
		"tab newline in attr":  ws("<row r=\"1\"><c r=\"A1\"\tt=\"str\"\n><v>x</v></c></row>"),
		"self-closing row":     ws(`<row r="2"/><row><c><v>x</v></c></row>`),
		"empty ref attr":       ws(`<row r="1"><c r=""><v>1</v></c></row>`),
		"duplicate row r":      ws(`<row r="2" r="3"><c><v>1</v></c></row>`),
		"row r and x:r":        `<worksheet xmlns:x="urn:x"><sheetData><row x:r="2" r="3"><c><v>1</v></c></row></sheetData></worksheet>`,
		"duplicate cell r":     ws(`<row r="1"><c r="B1" r="C1"><v>1</v></c></row>`),
		"duplicate cell t":     ws(`<row r="1"><c t="s" t="str"><v>1</v></c></row>`),
		"bad then good row r":  ws(`<row r="x" r="2"><c><v>1</v></c></row>`),
		"two dimensions":       `<worksheet><dimension ref="A1:A1"/><dimension ref="A1:A9"/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
		"dimension two refs":   `<worksheet><dimension ref="A1:A1" ref="A1:A9"/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
		"dimension no ref":     `<worksheet><dimension/><dimension ref="A1:A9"/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
		"dimension in data":    ws(`<row r="1"><c><v>1</v></c></row><dimension ref="A1:A9"/>`),
		"sheetData self-close": `<worksheet><sheetData/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
	}
	sst := []byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>zero</t></si><si><t>one</t></si></sst>`)
	for name, sheet := range cases {
		t.Run(name, func(t *testing.T) { compareReaders(t, []byte(sheet), sst) })
	}
}

// Shared-strings parts of odd shapes, read through a sheet that uses them and one that does not.
func TestReadersAgreeOnOddSharedStrings(t *testing.T) {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	cases := map[string]string{
		"no namespace":     `<sst><si><t>a</t></si><si><t>b</t></si></sst>`,
		"strict namespace": `<sst xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><si><t>a</t></si><si><t>b</t></si></sst>`,
		"other namespace":  `<sst xmlns="urn:other"><si><t>a</t></si><si><t>b</t></si></sst>`,
		"prefixed":         `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>a</x:t></x:si><x:si><x:t>b</x:t></x:si></x:sst>`,
		"wrong root":       `<foo ` + ns + `><si><t>a</t></si><si><t>b</t></si></foo>`,
		"nested si":        `<sst ` + ns + `><si><t>a</t></si><x><si><t>hidden</t></si></x><si><t>b</t></si></sst>`,
		"si two t":         `<sst ` + ns + `><si><t>a</t><t>A</t></si><si><t>b</t></si></sst>`,
		"t and runs":       `<sst ` + ns + `><si><t>a</t><r><t>1</t></r><r><t>2</t></r></si><si><r><t>b</t></r></si></sst>`,
		"run two t":        `<sst ` + ns + `><si><r><t>a</t><t>A</t></r></si><si><t>b</t></si></sst>`,
		"empty si":         `<sst ` + ns + `><si/><si></si></sst>`,
		"bstr":             `<sst ` + ns + `><si><t>_x0041__x005F_</t></si><si><t>_xD800_b</t></si></sst>`,
		"text in sst":      `<sst ` + ns + `>junk<si><t>a</t></si>more<si><t>b</t></si></sst>`,
	}
	sheets := map[string]string{
		"uses":   `<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row></sheetData></worksheet>`,
		"unused": `<worksheet><sheetData><row r="1"><c><v>0</v></c></row></sheetData></worksheet>`,
	}
	for name, sst := range cases {
		for sn, sheet := range sheets {
			t.Run(name+"/"+sn, func(t *testing.T) { compareReaders(t, []byte(sheet), []byte(sst)) })
		}
	}
}

// Divergences FuzzSheetXML and the tables above found between the fast reader and excelize,
// each fixed in sheetxml.go; the expected reads are spelled out so that the test fails also
// if both readers change together.
func TestFastReaderFuzzRegressions(t *testing.T) {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	sst := `<sst ` + ns + `><si><t>zero</t></si></sst>`
	cases := []struct {
		name, sheet, sst string
		want             string // rowsText of the fast read, or the error it must mention
		refused          bool
	}{
		// A control character in an attribute the reader never looks at: not XML; excelize's
		// iterator stopped quietly and read no rows, the fast reader read them all.
		{name: "control char in xmlns", sheet: "<worksheet xmlns=\"urn:a\x15b\"><sheetData><row r=\"1\"><c t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
			sst: sst, want: "XML 格式错误", refused: true},
		{name: "attribute without value", sheet: `<worksheet foo><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: "XML 格式错误", refused: true},
		// A byte that is not UTF-8 in an element or attribute name (found in the phonetic
		// properties of a shared string): excelize fails every row, the fast reader read on.
		{name: "bad byte in element name", sheet: `<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: "<sst " + ns + "><si><t>a</t><p\xffoneticPr/></si></sst>", want: "元素名称无效", refused: true},
		{name: "bad byte in attribute name", sheet: "<worksheet><sheetData><row r=\"1\" sp\xffans=\"1:2\"><c><v>1</v></c></row></sheetData></worksheet>",
			sst: sst, want: "属性格式错误", refused: true},
		{name: "punctuation in element name", sheet: `<worksheet><sheetData><row r="1"><c><v>1</v><x;y/></c></row></sheetData></worksheet>`,
			sst: sst, want: "元素名称无效", refused: true},
		// <sheetData/> ends the data: rows in a later <sheetData> are not read (excelize).
		{name: "self-closed sheetData", sheet: `<worksheet><sheetData/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: ""},
		// Only the first <dimension ref> before <sheetData> counts; a later one made the fast
		// reader call a whole sheet truncated.
		{name: "dimension after sheetData", sheet: `<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData><dimension ref="A1:A3"/></worksheet>`,
			sst: sst, want: `1:["1"] `},
		{name: "second dimension", sheet: `<worksheet><dimension ref="A1:A1"/><dimension ref="A1:A9"/><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: `1:["1"] `},
		// A character reference in a row number is the number.
		{name: "reference in row number", sheet: `<worksheet><sheetData><row r="&#50;"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: `2:["1"] `},
		// Processing instructions were skipped unread (FuzzSheetXML, 2026-12-04: a shared-strings
		// part beginning "<?xml\xff\x00…", which excelize refuses at the first row even when no
		// cell uses the table). encoding/xml, and so excelize, refuses a target that is not a
		// name, an XML version other than 1.0 and an encoding it has no reader for.
		// A directive that is no DOCTYPE, inside an element: encoding/xml, and so excelize,
		// skips it (the string is ""); choucha refuses every DTD declaration, as DOCTYPE.
		{name: "directive inside a shared string", sheet: `<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c></row></sheetData></worksheet>`,
			sst: "<sst " + ns + "><si><t><!ELEMENT t ANY></t></si></sst>", want: "不支持的声明", refused: true},
		{name: "sst declaration name not a name", sheet: `<worksheet><sheetData><row r="1"><c t="str"><v>bom</v></c></row></sheetData></worksheet>`,
			sst: "<?xml\xff\x00\x00\x00sion=\"1.0\"?>" + sst, want: "不是有效的 XML 名称", refused: true},
		{name: "sheet declaration version 1.1", sheet: `<?xml version="1.1"?><worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: "只读 1.0 版", refused: true},
		{name: "sst declaration version 2.0", sheet: `<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c></row></sheetData></worksheet>`,
			sst: `<?xml version="2.0"?>` + sst, want: "只读 1.0 版", refused: true},
		{name: "unknown encoding", sheet: `<?xml version="1.0" encoding="foo"?><worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: "可识别的字符集", refused: true},
		{name: "declaration inside a row", sheet: `<worksheet><sheetData><row r="1"><?xml version="1.1"?><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: "只读 1.0 版", refused: true},
		{name: "instruction without a target", sheet: `<?=x?><worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: "不是有效的 XML 名称", refused: true},
		{name: "instruction target not UTF-8", sheet: "<worksheet><sheetData><row r=\"1\"><?p\x80i x?><c><v>1</v></c></row></sheetData></worksheet>",
			sst: sst, want: "不是有效的 XML 名称", refused: true},
		// What encoding/xml reads is still read: another instruction, a declaration with a
		// known charset (GB2312's ASCII is ASCII), one with single quotes and standalone.
		{name: "other instruction", sheet: `<worksheet><?mso-application progid="Excel.Sheet"?><sheetData><row r="1"><?pi?><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: sst, want: `1:["1"] `},
		{name: "declaration GB2312", sheet: `<?xml version="1.0" encoding="GB2312"?><worksheet><sheetData><row r="1"><c t="s"><v>0</v></c></row></sheetData></worksheet>`,
			sst: `<?xml version='1.0' encoding='utf-8' standalone='yes'?>` + sst, want: `1:["zero"] `},
		// A part declared in another encoding is read through it, as encoding/xml reads it
		// (it used to fail as "无效的 UTF-8 字节"): a GBK sheet, a GB18030 table.
		{name: "GBK sheet", sheet: encode(t, simplifiedchinese.GBK, `<?xml version="1.0" encoding="GBK"?><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>沁县市场监督管理局</t></is></c><c t="str"><v>中</v></c></row></sheetData></worksheet>`),
			sst: sst, want: `1:["沁县市场监督管理局" "中"] `},
		{name: "GB18030 shared strings", sheet: `<worksheet><sheetData><row r="1"><c t="s"><v>1</v></c><c t="s"><v>0</v></c></row></sheetData></worksheet>`,
			sst: encode(t, simplifiedchinese.GB18030, `<?xml version="1.0" encoding="GB18030" standalone="yes"?><sst `+ns+`><si><t>统一社会信用代码</t></si><si><t>企业名称</t></si></sst>`), want: `1:["企业名称" "统一社会信用代码"] `},
		// A shared-strings part that is not SpreadsheetML's <sst>: excelize fails every row.
		{name: "sst without namespace", sheet: `<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
			sst: `<sst><si><t>a</t></si></sst>`, want: "共享字符串表的根元素", refused: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			compareReaders(t, []byte(c.sheet), []byte(c.sst))
			p := xlsxParts(t, []string{"S"}, []string{c.sheet}, c.sst, false)
			rows, _, err := fuzzRead(t, ScanFast, "fast", p)
			switch {
			case c.refused && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			case !c.refused && err != nil:
				t.Fatal(err)
			case !c.refused && rowsText(rows) != c.want:
				t.Fatalf("rows %s, want %s", rowsText(rows), c.want)
			}
		})
	}
}

// The attribute check (plainAttrs, then checkAttrs) accepts exactly the start tags
// encoding/xml accepts.
func TestCheckAttrsMatchesEncodingXML(t *testing.T) {
	for _, a := range []string{
		``, ` r="A1"`, ` r="A1" s="3" t="s"`, "\tr='1'\n", ` r = "1" `, ` x14ac:dyDescent="0.25"`, ` a="&amp;&#65;"`,
		` a="中"`, ` a="x>y"`, ` a='"'`, ` a="'"`,
		`r="1"`, ` r`, ` r=`, ` r=1`, ` r="1`, ` r="1"s="2"`, ` 1r="1"`, ` -r="1"`, ` r;="1"`, ` a="<"`, ` a="&"`,
		` a="&nbsp;"`, " a=\"\x01\"", " a=\"\xff\"", " \xffa=\"1\"", ` 中="1"`, ` a:b:c="1"`, ` :a="1"`, ` a:="1"`,
	} {
		s := newXMLScanner(strings.NewReader("<x"+a+"/>"), 64)
		_, err := s.next()
		if want := wellFormed([]byte("<x" + a + "/>")); (err == nil) != want {
			t.Errorf("<x%s/>: scanner error %v, encoding/xml accepts it: %v", a, err, want)
		}
		if plainAttrs([]byte(a)) && err != nil {
			t.Errorf("%q: plainAttrs accepts what checkAttrs refuses", a)
		}
	}
}

// encode is text in e (GBK, GB18030), as an exporter writing a declared encoding writes it.
func encode(t *testing.T, e encoding.Encoding, text string) string {
	t.Helper()
	b, err := e.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A GBK sheet larger than the scanner's buffer: the part is decoded as it streams, from the
// declaration on, and every row is read (the row numbers and a cell of each spelled out here).
func TestGBKSheetStreams(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="GBK"?><worksheet><sheetData>`)
	const rows = 40000 // about 2.4 MB in GBK, past the 1 MiB buffer
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>长治市第%d户</t></is></c><c r="B%d"><v>%d</v></c></row>`, i, i, i, i, i)
	}
	b.WriteString(`</sheetData></worksheet>`)
	p := xlsxParts(t, []string{"S"}, []string{encode(t, simplifiedchinese.GBK, b.String())}, "", false)
	got, n, err := fuzzRead(t, ScanFast, "fast", p)
	if err != nil {
		t.Fatal(err)
	}
	if n != rows || len(got) != rows {
		t.Fatalf("%d rows (%d with cells), want %d", n, len(got), rows)
	}
	for _, r := range got {
		if want := []string{fmt.Sprintf("长治市第%d户", r.n), strconv.Itoa(r.n)}; !slices.Equal(r.cells, want) {
			t.Fatalf("row %d: %q, want %q", r.n, r.cells, want)
		}
	}
}
