package roster

import (
	"context"
	"fmt"
	"strings"
	"testing"
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
		"王五,1404031000006,,在岗,2027-12-31\n")
	list, rep, err := ReadInspectors(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3 error missing_name", "4 error missing_name", "5 error missing_name", "6 error missing_dept", "7 error missing_dept"}
	if got := issueList(rep); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("issues %v, want %v", got, want)
	}
	if len(list) != 1 || list[0].Name != "张三" {
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
	if got := issueList(rep); fmt.Sprint(got) != "[2 error missing_name no_class_column]" && fmt.Sprint(got) != "[1 warning no_class_column 2 error missing_name]" {
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
