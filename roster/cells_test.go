package roster

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// issueList is a report's issues as "row level code", in order.
func issueList(rep *Report) []string {
	var got []string
	for _, is := range rep.Issues {
		got = append(got, fmt.Sprintf("%d %s %s", is.Row, is.Level, is.Code))
	}
	return got
}

func findIssue(rep *Report, row int, code string) *Issue {
	for i := range rep.Issues {
		if rep.Issues[i].Row == row && rep.Issues[i].Code == code {
			return &rep.Issues[i]
		}
	}
	return nil
}

// A blank 姓名 (empty, a full-width space, a zero-width space) or a blank 所属部门 excludes the
// inspector with its row: a team never shows "（沁县市场监督管理局）" with nobody's name.
func TestInspectorBlankNameOrDept(t *testing.T) {
	p := writeFile(t, "i.csv", "姓名,执法证号,所属部门,在岗状态,证件有效期至\n"+
		"张三,1404031000001,沁县市场监督管理局,在岗,2027-12-31\n"+
		",1404031000002,沁县市场监督管理局,在岗,2027-12-31\n"+
		"\u3000,1404031000003,沁县市场监督管理局,在岗,2027-12-31\n"+
		"\u200b,1404031000004,沁县市场监督管理局,在岗,2027-12-31\n"+
		"李四,1404031000005,\u3000,在岗,2027-12-31\n"+
		"王五,1404031000006,,在岗,2027-12-31\n"+
		// The number of row 3, now with a name: kept, not a duplicate of an excluded row.
		"赵六,1404031000002,沁县市场监督管理局,在岗,2027-12-31\n")
	list, rep, err := ReadInspectors(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3 error missing_name", "4 error missing_name", "5 error missing_name", "6 error missing_dept", "7 error missing_dept"}
	if got := issueList(rep); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("issues %v, want %v", got, want)
	}
	if len(list) != 2 || list[0].Name != "张三" || list[1].Name != "赵六" {
		t.Errorf("list %+v", list)
	}
	if is := findIssue(rep, 6, CodeMissingDept); is == nil || !strings.Contains(is.Message, "“所属部门”为空") {
		t.Errorf("missing_dept message: %+v", is)
	}
}

// A firm name of only invisible characters is no name.
func TestFirmInvisibleName(t *testing.T) {
	p := writeFile(t, "f.csv", "统一社会信用代码,企业名称\n91110000600037341L,\u200b\n")
	_, rep := readFirms(t, p, Options{})
	if got := issueList(rep); fmt.Sprint(got) != "[1 warning no_class_column 2 error missing_name]" {
		t.Errorf("issues %v", got)
	}
}

// A class cell naming more than one class, or whose letter and words disagree, is bad_class
// with both readings; the single-class forms still read.
func TestParseClassCompound(t *testing.T) {
	for in, want := range map[string]string{
		"A类、B类": "“A”为A类，“B”为B类", "A类/B类": "“A”为A类，“B”为B类", "A类 B类": "“A”为A类，“B”为B类",
		"A（高风险）": "“A”为A类，“高风险”为D类", "D(低风险)": "“D”为D类，“低风险”为A类", "C类→B类": "“C”为C类，“B”为B类",
		"D类（已修复为A类）": "“D”为D类，“A”为A类", "A、B": "“A”为A类，“B”为B类", "A（较高）": "“A”为A类，“较高”为C类",
		"低风险、高风险": "“低风险”为A类，“高风险”为D类", "B级以上": "",
	} {
		c, v, why := readClass(in)
		if c != "" || v != classBad || why != want {
			t.Errorf("readClass(%q) = %q, %d, %q; want bad_class, %q", in, c, v, why, want)
		}
	}
	for in, want := range map[string]string{
		"A级": "A", "B类（一般风险）": "B", "A类（低风险）": "A", "A级（待复核）": "A", "Ｄ（高）": "D", "a类": "A",
		"信用风险较高": "C", "严重失信": "D", "中高风险": "C", "C类企业": "C", "低风险企业": "A",
	} {
		if c, v, why := readClass(in); c != want || v != classOK {
			t.Errorf("readClass(%q) = %q, %d, %q; want %s", in, c, v, why, want)
		}
	}
	p := writeFile(t, "f.csv", "统一社会信用代码,企业名称,信用风险分类\n91110000600037341L,甲公司,A（高风险）\n")
	_, rep := readFirms(t, p, Options{})
	if is := findIssue(rep, 2, CodeBadClass); is == nil || !strings.Contains(is.Message, "“A”为A类，“高风险”为D类") || rep.Eligible != 0 {
		t.Errorf("A（高风险）: %+v, eligible %d", rep.Issues, rep.Eligible)
	}
}

// A negated closed word does not close a firm (存续（未注销）, 未注销); 非正常户 and 经营异常 are
// open with a warning, not 正常.
func TestParseStatusNegation(t *testing.T) {
	for in, want := range map[string]statusVerdict{
		"存续（未注销）": statusOpen, "未注销": statusOpen, "非注销": statusOpen, "存续(非注销)": statusOpen,
		"吊销，未注销": statusClosed, "吊销未注销": statusClosed, "注销": statusClosed, "已注销（未吊销）": statusClosed,
		"非正常户": statusAbnormal, "非正常": statusAbnormal, "经营异常": statusAbnormal, "被列入经营异常名录": statusAbnormal,
		"存续（非正常户）": statusAbnormal, "正常": statusOpen, "不正常": statusUnknown,
	} {
		if got := parseStatus(in); got != want {
			t.Errorf("parseStatus(%q) = %d, want %d", in, got, want)
		}
	}
	p := writeFile(t, "f.csv", "统一社会信用代码,企业名称,登记状态\n91110000600037341L,甲公司,存续（未注销）\n91512081MA62K0260E,乙公司,非正常户\n")
	_, rep := readFirms(t, p, Options{})
	if rep.Eligible != 2 || findIssue(rep, 3, CodeAbnormalStatus) == nil || findIssue(rep, 2, CodeClosed) != nil {
		t.Errorf("eligible %d, issues %v", rep.Eligible, issueList(rep))
	}
}

// The kept row of a code quotes what the errors of its excluded rows say, each row's errors
// together (a row both closed and of an unreadable class), in ReadFirms, ReadFrame and
// CheckFirms alike (the issues are the ones the scan recorded, in row order).
func TestDuplicateOfExcludedQuotesErrors(t *testing.T) {
	p := writeFile(t, "f.csv", "统一社会信用代码,企业名称,信用风险分类,登记状态\n"+
		"91110000600037341L,甲公司,高低,吊销\n"+ // 2: closed and bad class
		"91512081MA62K0260E,,A,存续\n"+ // 3: no name
		"91110000600037341L,甲公司,A,存续\n"+ // 4: kept, quotes row 2
		"91512081MA62K0260E,乙公司,A,存续\n") // 5: kept, quotes row 3
	want := map[int]string{
		4: "同一代码的第2行：登记状态为“吊销”，不在抽查范围，已排除；信用风险分类“高低”无法识别（应为 A/B/C/D、低风险/一般风险/较高风险/高风险 或 守信/警示/失信/严重失信），已排除。本行纳入抽查，请核对哪一行正确",
		5: "同一代码的第3行：企业名称为空，无法公示，已排除；请补齐名称。本行纳入抽查，请核对哪一行正确",
	}
	_, full := readFirms(t, p, Options{})
	_, lean, err := ReadFrame(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check, err := CheckFirms(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, rep := range map[string]*Report{"ReadFirms": full, "ReadFrame": lean, "CheckFirms": check} {
		for row, msg := range want {
			if is := findIssue(rep, row, CodeDuplicateExcluded); is == nil || is.Message != msg {
				t.Errorf("%s row %d: %+v\nwant %s", name, row, is, msg)
			}
		}
	}
}

// Rows of one code that disagree are not resolved without a word: a kept row names the
// excluded row of its code (注销, an unreadable class), rows with different classes are all
// excluded, and the report's rows add up (Rows = Eligible + Excluded + Merged + OutOfScope).
func TestDuplicatesThatDisagree(t *testing.T) {
	p := writeFile(t, "f.csv", "统一社会信用代码,企业名称,信用风险分类,登记状态,所属区县\n"+
		"91110000600037341L,甲公司,A,注销,沁县\n"+ // 2: closed
		"91110000600037341L,甲公司,A,存续,沁县\n"+ // 3: kept, names row 2
		"91512081MA62K0260E,乙公司,A类、B类,存续,沁县\n"+ // 4: bad class
		"91512081MA62K0260E,乙公司,B,存续,沁县\n"+ // 5: kept, names row 4
		"12440600MB2C07549J,丙公司,A,存续,沁县\n"+ // 6: class A …
		"12440600MB2C07549J,丙公司,D,存续,沁县\n"+ // 7: … and D: both excluded
		"91140430MA0K2B3C4T,丁公司,,存续,沁县\n"+ // 8: unclassified …
		"91140430MA0K2B3C4T,丁公司,C,存续,沁县\n"+ // 9: … and C: row 9 kept, row 8 merged
		"91110000600037341L,甲公司,A,存续,沁县\n"+ // 10: a plain duplicate of row 3: merged
		"91140430750123456X,戊公司,A,存续,襄垣县\n") // 11: another district
	fr, rep := readFirms(t, p, Options{District: "沁县"})
	want := []string{"2 error closed", "3 warning duplicate_of_excluded", "4 error bad_class", "5 warning duplicate_of_excluded",
		"6 error class_conflict", "7 error class_conflict", "8 warning unclassified", "8 info duplicate", "10 info duplicate", "11 info other_district"}
	if got := issueList(rep); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("issues\n%v\nwant\n%v", got, want)
	}
	if is := findIssue(rep, 3, CodeDuplicateExcluded); is == nil || !strings.Contains(is.Message, "同一代码的第2行：登记状态为“注销”，不在抽查范围，已排除。本行纳入抽查") {
		t.Errorf("row 3: %+v", is)
	}
	if is := findIssue(rep, 5, CodeDuplicateExcluded); is == nil || !strings.Contains(is.Message, "第4行：信用风险分类“A类、B类”写了不止一种分类（“A”为A类，“B”为B类），无法确定是哪一类") {
		t.Errorf("row 5: %+v", is)
	}
	if is := findIssue(rep, 6, CodeClassConflict); is == nil || !strings.Contains(is.Message, "第6行A类、第7行D类") {
		t.Errorf("row 6: %+v", is)
	}
	var rows []string
	for _, f := range fr.Firms {
		rows = append(rows, fmt.Sprintf("%d%s", f.Row, f.Class))
	}
	slices.Sort(rows)
	if fmt.Sprint(rows) != "[3A 5B 9C]" {
		t.Errorf("frame rows %v", rows)
	}
	if rep.Rows != 10 || rep.Eligible != 3 || rep.Excluded != 4 || rep.Merged != 2 || rep.OutOfScope != 1 {
		t.Errorf("rows %d = eligible %d + excluded %d + merged %d + out of scope %d", rep.Rows, rep.Eligible, rep.Excluded, rep.Merged, rep.OutOfScope)
	}
	// The class conflict does not depend on the row order: the frame is the same reversed.
	lines := strings.Split(strings.TrimSuffix(mustRead(t, p), "\n"), "\n")
	for i, j := 1, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	q := writeFile(t, "r.csv", strings.Join(lines, "\n")+"\n")
	_, rev := readFirms(t, q, Options{District: "沁县"})
	if rev.FrameSHA256 != rep.FrameSHA256 {
		t.Errorf("reversed roster: frame %s, want %s", rev.FrameSHA256, rep.FrameSHA256)
	}
}

// Every row of the shared rosters is accounted for.
func TestRowAccountingShared(t *testing.T) {
	for _, f := range []string{"xiangyuan-tobacco-dirty-gbk.csv", "luzhou-gas-dirty.xlsx", "qinxian-realestate.xlsx"} {
		rep, err := CheckFirms(context.Background(), shared+f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != rep.Eligible+rep.Excluded+rep.Merged+rep.OutOfScope {
			t.Errorf("%s: rows %d ≠ eligible %d + excluded %d + merged %d + out of scope %d", f, rep.Rows, rep.Eligible, rep.Excluded, rep.Merged, rep.OutOfScope)
		}
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Excel text-forcing in a CSV (="…" quoted or not, '… before a code) reads as the text
// inside, in every column, by the first read and by Lookup at the records' offsets.
func TestCSVTextForcing(t *testing.T) {
	body := "\ufeff统一社会信用代码,企业名称,信用风险分类,成立日期\n" +
		"\"=\"\"91110000600037341L\"\"\",甲公司,A,2020-01-01\n" + // 2: quoted ="…"
		"=\"91512081MA62K0260E\",乙公司,=\"B\",=\"2020-01-02\"\n" + // 3: unquoted
		"'12440600MB2C07549J,丙公司,C,'2020-01-03\n" + // 4: apostrophe
		"91140430MA0K2B3C4T,'t 丁公司,=\"\",a=\"b\"\n" // 5: apostrophe before words kept; ="" is empty; a="b" mid-field stays
	p := writeFile(t, "f.csv", body)
	_, rep, err := ReadFirms(context.Background(), p, Options{})
	if err == nil || !strings.Contains(err.Error(), "第5行") {
		t.Fatalf("a bare quote mid-field is still refused: %v %v", err, rep)
	}
	body = strings.Replace(body, `a="b"`, "2020-01-04", 1)
	p = writeFile(t, "f.csv", body)
	fr, rep := readFirms(t, p, Options{})
	if len(rep.Issues) != 1 || rep.Issues[0].Code != CodeUnclassified || rep.Eligible != 4 {
		t.Fatalf("issues %v eligible %d", issueList(rep), rep.Eligible)
	}
	got := map[int]string{}
	for _, f := range fr.Firms {
		got[f.Row] = f.Key + " " + f.Name + " " + f.Class + " " + f.Values[3]
	}
	want := map[int]string{2: "91110000600037341L 甲公司 A 2020-01-01", 3: "91512081MA62K0260E 乙公司 B 2020-01-02",
		4: "12440600MB2C07549J 丙公司 C 2020-01-03", 5: "91140430MA0K2B3C4T 't 丁公司 B 2020-01-04"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("firms %v, want %v", got, want)
	}
	lean, _, err := ReadFrame(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := lean.Lookup(context.Background(), lean.FrameKeys())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again {
		if w := got[f.Row]; f.Key+" "+f.Name+" "+f.Class+" "+f.Values[3] != w {
			t.Errorf("Lookup row %d: %s %s, want %s", f.Row, f.Key, f.Name, w)
		}
	}
}

// textForcing rewrites ="… only at a field start outside quotes, also when the '=' ends one
// read and the quote begins the next.
func TestTextForcingReads(t *testing.T) {
	in := `a,="x",b` + "\n" + `"q,=""y""",=z` + "\n" + `="w"`
	for size := 2; size <= len(in)+1; size++ {
		r := &textForcing{r: &chunked{s: in, n: size - 1}}
		var out []byte
		buf := make([]byte, size)
		for {
			n, err := r.Read(buf)
			out = append(out, buf[:n]...)
			if err != nil {
				break
			}
		}
		want := "a,\"\xffx\",b\n\"q,=\"\"y\"\"\",=z\n\"\xffw\""
		if string(out) != want {
			t.Fatalf("reads of %d: %q, want %q", size, out, want)
		}
	}
}

// chunked gives s n bytes (at least one) a read.
type chunked struct {
	s string
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), max(c.n, 1))], c.s)
	c.s = c.s[k:]
	return k, nil
}

// A CSV with a UTF-8 byte-order mark and then a byte that is not UTF-8 is refused with the
// file, the line and what to do — not a bare "不是 UTF-8 编码".
func TestBOMThenNotUTF8(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("91512081MA62K0260E,乙公司\n")
	for name, body := range map[string]string{
		"gbk-row.csv": "\ufeff统一社会信用代码,企业名称\n91110000600037341L,甲公司\n" + gbk,
		"cut.csv":     "\ufeff统一社会信用代码,企业名称\n91110000600037341L,甲公司\n91512081MA62K0260E,乙公\xe5\x8f",
	} {
		p := writeFile(t, name, body)
		_, _, err := ReadFirms(context.Background(), p, Options{})
		var ae *apperr.Error
		if err == nil || !errors.As(err, &ae) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "第3行") ||
			!strings.Contains(ae.Hint, "另存为") {
			t.Errorf("%s: %v (%+v)", name, err, ae)
		}
	}
}

// A header with a bracketed note matches its column; a header without a required column
// names the file and says what to do.
func TestHeaderNotesAndMessage(t *testing.T) {
	p := writeFile(t, "f.csv", "统一社会信用代码（必填）,企业名称[必填],信用风险分类（A/B/C/D）,住所(经营场所)\n91110000600037341L,甲公司,C,某地\n")
	fr, rep := readFirms(t, p, Options{})
	if rep.Eligible != 1 || fr.Firms[0].Class != ClassC || fr.Firms[0].Address != "某地" {
		t.Errorf("eligible %d, firms %+v, issues %v", rep.Eligible, fr.Firms, issueList(rep))
	}
	p = writeFile(t, "g.csv", "企业基本信息,,登记信息,信用风险分类,联系电话\n")
	_, _, err := ReadFirms(context.Background(), p, Options{})
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(apperr.HintOf(err), "一行表头") {
		t.Errorf("firm header: %v / %s", err, apperr.HintOf(err))
	}
	p = writeFile(t, "i.csv", "姓名,所属部门,在岗状态\n张三,某局,在岗\n")
	_, _, err = ReadInspectors(context.Background(), p, Options{})
	if err == nil || !strings.Contains(err.Error(), p) || apperr.HintOf(err) == "" {
		t.Errorf("inspector header: %v", err)
	}
}

// A directory given as a roster is called a directory, not an empty file.
func TestRosterIsDirectory(t *testing.T) {
	d := t.TempDir()
	_, _, err := ReadFirms(context.Background(), d, Options{})
	if err == nil || !strings.Contains(err.Error(), "文件夹") {
		t.Errorf("%v", err)
	}
}

// A CSV format error names the row as Excel shows it (records, not physical lines) and the
// field, not the byte.
func TestCSVParseErrorPlace(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{`"统一社会信用代码", "企业名称"` + "\n", "第1行第2个字段格式错误"},
		{"统一社会信用代码,企业名称,住所\n91110000600037341L,甲公司,\"一行\n两行\n三行\"\n\n91512081MA62K0260E,乙\"公司,某地\n",
			"第4行第2个字段（文件第6行）格式错误"},
	} {
		p := writeFile(t, "f.csv", tt.body)
		_, _, err := ReadFirms(context.Background(), p, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %s", tt.body, err, tt.want)
		}
	}
}

// A control character in a code excludes the row (bad_id) instead of being dropped from the
// key; elsewhere it is removed with a warning, so no output carries it (xlsx _x0000_/_x001B_
// escapes, and an ESC in a CSV).
func TestControlCharacters(t *testing.T) {
	is := func(s string) string { return `<c t="inlineStr"><is><t>` + s + `</t></is></c>` }
	xlsx := writeLimitXLSX(t, func(w *bufio.Writer) {
		w.WriteString(`<row>` + is("统一社会信用代码") + is("企业名称") + is("住所") + `</row>` +
			`<row>` + is("91110000600037341L") + is("甲_x001B_[31m公司") + is("某_x0000_地") + `</row>` +
			`<row>` + is("91512081MA62K_x0000_0260E") + is("乙公司") + is("某地") + `</row>`)
	}, nil)
	// The same rows with the texts as shared strings: the reader's first pass leaves control
	// characters to it (scanSpec.partial), says they are there, and the sheet is read again.
	sc := func(i int) string { return `<c t="s"><v>` + strconv.Itoa(i) + `</v></c>` }
	shared := writeLimitXLSX(t, func(w *bufio.Writer) {
		w.WriteString(`<row>` + sc(0) + sc(1) + sc(2) + `</row><row>` + sc(3) + sc(4) + sc(5) + `</row><row>` + sc(6) + sc(7) + sc(8) + `</row>`)
	}, []string{"统一社会信用代码", "企业名称", "住所", "91110000600037341L", "甲_x001B_[31m公司", "某_x0000_地", "91512081MA62K_x0000_0260E", "乙公司", "某地"})
	for _, p := range []string{xlsx, shared,
		writeFile(t, "f.csv", "统一社会信用代码,企业名称,住所\n91110000600037341L,甲\x1b[31m公司,某地\n91512081MA62K\x1b0260E,乙公司,某地\n")} {
		fr, rep := readFirms(t, p, Options{})
		if is := findIssue(rep, 2, CodeControlChars); is == nil || !strings.Contains(is.Message, "“企业名称”（U+001B）") {
			t.Errorf("%s: row 2 %v", p, issueList(rep))
		}
		if is := findIssue(rep, 3, CodeBadID); is == nil || strings.ContainsAny(is.ID+is.Message, "\x00\x1b") {
			t.Errorf("%s: row 3 %+v", p, is)
		}
		if len(fr.Firms) != 1 || fr.Firms[0].Name != "甲[31m公司" {
			t.Fatalf("%s: firms %+v", p, fr.Firms)
		}
		for _, v := range fr.Firms[0].Values {
			if hasControl(v) {
				t.Errorf("%s: value %q", p, v)
			}
		}
		lean, _, err := ReadFrame(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		again, err := lean.Lookup(context.Background(), lean.FrameKeys())
		if err != nil || len(again) != 1 || again[0].Name != "甲[31m公司" {
			t.Errorf("%s: Lookup %+v %v", p, again, err)
		}
	}
}

// oneByteReader hands out its bytes one read at a time, so that every character straddles reads.
type oneByteReader struct{ b []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	p[0], r.b = r.b[0], r.b[1:]
	return 1, nil
}

// TestRecordTailControl: the CSV parser's one look at its bytes finds a control character
// wherever the reads split it — a C1 character (0xC2 0x85) across two reads too — and finds
// none in text without one.
func TestRecordTailControl(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{{"统一社会信用代码,名称\n9111,甲\u0085乙\n", true}, {"a,b\n1,\x1b\n", true}, {"统一社会信用代码,名称\n9111,Âé\n", false}} {
		tail := &recordTail{r: &oneByteReader{b: []byte(c.text)}}
		if _, err := io.ReadAll(tail); err != nil {
			t.Fatal(err)
		}
		if tail.control != c.want {
			t.Errorf("%q: control %v, want %v", c.text, tail.control, c.want)
		}
	}
}

// TestDistrictCells: with --district, an empty 所属区县 keeps the firm with a warning naming its
// 登记机关; a cell that names no district (an address slid into the column, a class letter, the
// header repeated) is an error, not another district; another district is left out (info).
func TestDistrictCells(t *testing.T) {
	p := writeFile(t, "d.csv", "统一社会信用代码,企业名称,登记机关,所属区县,信用风险分类\n"+
		"91110000600037341L,甲公司,长治市潞州区市场监督管理局,,A\n"+
		"91512081MA62K0260E,乙公司,沁县市场监督管理局,山西省长治市沁县解放路273号,A\n"+
		"统一社会信用代码,企业名称,登记机关,所属区县,信用风险分类\n"+
		"91140430MA9A3GNL0Y,丙公司,沁县市场监督管理局,沁县,B\n"+
		"91140430MA0GRKCY2X,丁公司,潞州区市场监督管理局,潞州区,A\n")
	fr, rep := readFirms(t, p, Options{District: "沁县"})
	if is := findIssue(rep, 2, CodeBlankDistrict); is == nil || is.Level != LevelWarning || !strings.Contains(is.Message, "长治市潞州区市场监督管理局") {
		t.Errorf("row 2 (empty 所属区县): %v", issueList(rep))
	}
	for _, row := range []int{3, 4} {
		if is := findIssue(rep, row, CodeBadDistrict); is == nil || is.Level != LevelError {
			t.Errorf("row %d: %v, want bad_district", row, issueList(rep))
		}
	}
	if findIssue(rep, 6, CodeOtherDistrict) == nil {
		t.Errorf("row 6 (潞州区): %v, want other_district", issueList(rep))
	}
	var keys []string
	for _, f := range fr.Firms {
		keys = append(keys, f.Key)
	}
	if strings.Join(keys, " ") != "91110000600037341L 91140430MA9A3GNL0Y" {
		t.Errorf("frame %v, want the blank-district firm and 丙公司", keys)
	}
	if rep.Rows != rep.Eligible+rep.Excluded+rep.Merged+rep.OutOfScope {
		t.Errorf("rows %d ≠ %d + %d + %d + %d", rep.Rows, rep.Eligible, rep.Excluded, rep.Merged, rep.OutOfScope)
	}
}
