package export

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestGuard(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"长治市平安燃气有限公司", "长治市平安燃气有限公司"},
		{`=HYPERLINK("http://example.invalid","点击")`, `'=HYPERLINK("http://example.invalid","点击")`},
		{"+86开头商贸有限公司", "'+86开头商贸有限公司"},
		{"-减号商行", "'-减号商行"},
		{"@艾特科技有限公司", "'@艾特科技有限公司"},
		{"\t制表", "'\t制表"},
		{"\r回车", "'\r回车"},
		{"a=1", "a=1"},
		{"＝全角等号", "＝全角等号"}, // full-width = is not a formula
		{"'已有撇号", "'已有撇号"},
		{"911404038769823907", "911404038769823907"},
		// Issue 19: white space, a no-break space or a BOM before the formula.
		{" =1+1", "' =1+1"},
		{"\u00a0=HYPERLINK(\"x\")", "'\u00a0=HYPERLINK(\"x\")"},
		{"\ufeff@SUM(A1)", "'\ufeff@SUM(A1)"},
		{"\u3000-1", "'\u3000-1"},
		{"\n=1", "'\n=1"},
		{" 长治市", " 长治市"},
	} {
		if got := Guard(c.in); got != c.want {
			t.Errorf("Guard(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzGuard(f *testing.F) {
	for _, s := range []string{"", "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "正常", "'x", "\n=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := Guard(s)
		if g != "" && strings.ContainsRune("=+-@\t\r", rune(g[0])) {
			t.Fatalf("Guard(%q) = %q still starts with a formula character", s, g)
		}
		if g != s && g != "'"+s {
			t.Fatalf("Guard(%q) = %q: neither unchanged nor apostrophe-prefixed", s, g)
		}
		if r := strings.TrimLeft(s, guardSpace); g != s && (s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0]))) &&
			(r == "" || !strings.ContainsRune("=+-@", rune(r[0]))) {
			t.Fatalf("Guard(%q) changed a harmless cell", s)
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, UTF8, []string{"h", "i"}, [][]string{{s, "x"}}); err != nil {
			if !utf8.ValidString(s) {
				return
			}
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(bom)))).ReadAll()
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.String(), err)
		}
		// What a CSV reader gets back is the guarded cell, with a tab before it where a
		// spreadsheet would make it a number (KeepText), exactly.
		k := KeepText(g)
		if k != g && (k != "\t"+g || !spreadsheetNumberRegexp.MatchString(g)) {
			t.Fatalf("KeepText(%q) = %q", g, k)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(k, "\r\n", "\n"), "\r", "\n")
		if len(recs) != 2 || len(recs[1]) != 2 {
			t.Fatalf("records %q for %q", recs, s)
		}
		if recs[1][0] != want {
			t.Fatalf("read back %q, want %q", recs[1][0], want)
		}
	})
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading our CSV back: %v", err)
	}
	return recs
}

func TestListCSVHostileNames(t *testing.T) {
	m := testManifest(t, true)
	var buf bytes.Buffer
	if err := WriteListCSV(&buf, m, UTF8); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 BOM: % x", b[:8])
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("lines do not end in CRLF (RFC 4180)")
	}
	recs := readCSV(t, b[3:])
	if len(recs) != len(m.Selected)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(m.Selected)+1)
	}
	h := recs[0]
	nameCol, keyCol, teamCol := index(h, "企业名称"), index(h, "主体标识"), index(h, "检查组成员")
	if nameCol < 0 || keyCol < 0 || teamCol < 0 {
		t.Fatalf("header %q lacks 企业名称/主体标识/检查组成员", h)
	}
	for i, s := range m.Selected {
		rec := recs[i+1]
		for j, cell := range rec {
			// A tab is ours only before a number kept as text (KeepText), never before a formula.
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !spreadsheetNumberRegexp.MatchString(strings.TrimPrefix(cell, "\t")) {
				t.Errorf("row %d col %s: cell %q starts with a formula character", i+2, h[j], cell)
			}
		}
		got := rec[nameCol]
		if got != csvCell(s.Name) {
			t.Errorf("name %q read back as %q", s.Name, got)
		}
		if strings.TrimPrefix(got, "'") != strings.ReplaceAll(s.Name, "\r", "\n") {
			t.Errorf("name %q not readable from %q", s.Name, got)
		}
		if strings.TrimSpace(rec[keyCol]) != s.Key || (rec[keyCol] != s.Key) != spreadsheetNumberRegexp.MatchString(s.Key) {
			t.Errorf("key %q read back as %q", s.Key, rec[keyCol])
		}
		if !strings.Contains(rec[teamCol], "（沁县市场监督管理局）") {
			t.Errorf("team cell %q lacks the names and departments", rec[teamCol])
		}
	}
}

func index(h []string, name string) int {
	for i, c := range h {
		if c == name {
			return i
		}
	}
	return -1
}

func TestCSVGBKRoundTrip(t *testing.T) {
	m := testManifest(t, true)
	var u, g bytes.Buffer
	if err := WriteListCSV(&u, m, UTF8); err != nil {
		t.Fatal(err)
	}
	if err := WriteListCSV(&g, m, GBK); err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(g.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Error("GBK file starts with a UTF-8 BOM")
	}
	if utf8.Valid(g.Bytes()) {
		t.Error("GBK output is valid UTF-8: not converted")
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(g.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := readCSV(t, u.Bytes()[3:])
	got := readCSV(t, dec)
	if len(got) != len(want) {
		t.Fatalf("GBK: %d records, UTF-8: %d", len(got), len(want))
	}
	for i := range want {
		if strings.Join(got[i], "\x00") != strings.Join(want[i], "\x00") {
			t.Errorf("record %d differs:\n gbk  %q\n utf8 %q", i, got[i], want[i])
		}
	}
}

func TestCSVGBKUnsupported(t *testing.T) {
	for _, bad := range []string{"𠮷野家餐饮有限公司", "한국상사", "笑脸😀商行"} {
		var buf bytes.Buffer
		err := WriteCSV(&buf, GBK, []string{"序号", "企业名称"}, [][]string{{"1", "正常商行"}, {"2", bad}})
		if err == nil {
			t.Errorf("%q: no error", bad)
			continue
		}
		if !strings.Contains(err.Error(), "第3行") || !strings.Contains(err.Error(), "企业名称") || !strings.Contains(err.Error(), "GBK") {
			t.Errorf("%q: error does not name the row, column and encoding: %v", bad, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%q: %d bytes written before the error", bad, buf.Len())
		}
	}
}

func TestCSVQuoting(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{`逗号,公司`, `引号"公司`, "换行\n公司"}}
	if err := WriteCSV(&buf, UTF8, []string{"a", "b", "c"}, rows); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffa,b,c\r\n\"逗号,公司\",\"引号\"\"公司\",\"换行\r\n公司\"\r\n"
	if buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"": UTF8, "UTF-8": UTF8, "utf8": UTF8, "GBK": GBK} {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseEncoding("big5"); err == nil {
		t.Error("big5 accepted")
	}
}

func TestKeepText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"20260401123456789012", "\t20260401123456789012"}, // a seed
		{"911404038769823907", "\t911404038769823907"},     // a numeric 统一社会信用代码
		{"140403824667485", "\t140403824667485"},           // a 15-digit 注册号
		{"123456789012", "\t123456789012"},                 // 12 digits: Excel shows 1.23457E+11
		{"12345678901", "12345678901"},                     // 11 digits (a mobile number) survive
		{"0355123456", "\t0355123456"},                     // leading zero
		{"0", "0"},
		{"0012e345", "\t0012e345"}, // a ticket that reads as a number in exponent form
		{"1.5E+10", "\t1.5E+10"},   // exponent form with a sign
		{"2026-04-01", "\t2026-04-01"},
		{"2026/4/1", "\t2026/4/1"},
		{"91140430MA9A3GNL0Y", "91140430MA9A3GNL0Y"},
		{"000ee787cf354e17bb1fb1cfacaec02b274937341690d7c3e17143b3e8e6ea88", "000ee787cf354e17bb1fb1cfacaec02b274937341690d7c3e17143b3e8e6ea88"},
		{"18", "18"},
		{"5%", "5%"},
		{"", ""},
		{"CZ2026-292", "CZ2026-292"},
	} {
		if got := KeepText(c.in); got != c.want {
			t.Errorf("KeepText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// A formula is guarded, never given a tab.
	if got := csvCell("\t=1+2"); got != "'\t=1+2" {
		t.Errorf("csvCell(tab formula) = %q", got)
	}
}

// spreadsheetNumberRegexp is what spreadsheetNumber matches by hand: the reference.
var spreadsheetNumberRegexp = regexp.MustCompile(`^(?:[0-9]{12,}|0[0-9]+|[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2})$`)

// KeepText matches by hand and Guard looks at the first character before TrimLeft: the
// result must be what the regexp and TrimLeft alone give, on strings made of the characters
// that matter to them (a second alphabet mostly of digits, so that 12-digit runs, dates and
// exponents come up).
func TestCellFastPathsChangeNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 4))
	alphabet := []string{"0", "1", "9", "e", "E", "+", "-", "/", ".", "a", " ", "\u00a0", "\u3000", "\ufeff", "\u200b", "\n", "=", "@", "长"}
	digitsy := []string{"0", "1", "2", "5", "9", "0", "3", "7", "e", "E", "+", "-", "/", ".", "x"}
	for i := range 400000 {
		abc, n := alphabet, r.IntN(14)
		if i%2 == 1 {
			abc, n = digitsy, r.IntN(16)
		}
		var b strings.Builder
		for range n {
			b.WriteString(abc[r.IntN(len(abc))])
		}
		s := b.String()
		wantKeep := s
		if spreadsheetNumberRegexp.MatchString(s) {
			wantKeep = "\t" + s
		}
		if got := KeepText(s); got != wantKeep {
			t.Fatalf("KeepText(%q) = %q, the regexp alone gives %q", s, got, wantKeep)
		}
		wantGuard := s
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			wantGuard = "'" + s
		} else if rest := strings.TrimLeft(s, guardSpace); rest != s && rest != "" && strings.ContainsRune("=+-@", rune(rest[0])) {
			wantGuard = "'" + s
		}
		if got := Guard(s); got != wantGuard {
			t.Fatalf("Guard(%q) = %q, TrimLeft alone gives %q", s, got, wantGuard)
		}
	}
}
