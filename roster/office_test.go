package roster

import (
	"strings"
	"testing"
	"time"
)

// Rosters shaped after material published by other offices (testdata/rosters/README.md says
// where each comes from and what the office added). The verdicts were written from the
// source before choucha read them.

// 浙江's data-warehouse export of 市场主体信息（含个体）: 主体身份代码 (the register's internal
// key) stands before 统一社会信用代码, and must not be taken for it.
func TestOfficeNingboMarketEntities(t *testing.T) {
	fr, rep := readFirms(t, shared+"ningbo-scztxx.xlsx", Options{})
	if rep.Rows != 3 || rep.Eligible != 1 || len(fr.Firms) != 1 {
		t.Fatalf("rows %d, eligible %d, issues %v", rep.Rows, rep.Eligible, issueList(rep))
	}
	f := fr.Firms[0]
	if f.Key != "91330203674737244W" || f.Name != "宁波海曙引钲机电设备有限公司" || f.Class != ClassA {
		t.Errorf("firm %+v", f)
	}
	for _, w := range []struct {
		row  int
		code string
	}{{2, CodeDuplicateExcluded}, {3, CodeClosed}, {4, CodeClosed}} {
		if findIssue(rep, w.row, w.code) == nil {
			t.Errorf("row %d: no %s in %v", w.row, w.code, issueList(rep))
		}
	}
	for _, is := range rep.Issues {
		if is.Code == CodeLegacyRegNo || is.Code == CodeBadID {
			t.Errorf("the 统一社会信用代码 column was not used: %+v", is)
		}
	}
}

// 浙江's 严重违法失信企业名单 as a GBK CSV: the district is in 所属区/县.
func TestOfficeNingboSeriousDishonestyList(t *testing.T) {
	fr, rep := readFirms(t, shared+"ningbo-yzwfsx-gbk.csv", Options{District: "海曙区"})
	if rep.NoDistrictColumn || rep.OutOfScope != 1 || len(fr.Firms) != 1 || fr.Firms[0].Key != "91330203674737244W" ||
		fr.Firms[0].Class != ClassD || findIssue(rep, 2, CodeOtherDistrict) == nil {
		t.Errorf("firms %+v, issues %v", fr.Firms, issueList(rep))
	}
}

// A 检查结果公告 copied into Excel: one row per 检查事项 with the name merged down, a 合计 line
// and a note under the table. The lines under it are no firms, and say so.
func TestOfficeZhejiangResultsNotice(t *testing.T) {
	fr, rep := readFirms(t, shared+"zhejiang-2017-001-results.xlsx", Options{})
	if rep.Eligible != 1 || rep.Merged != 2 || len(fr.Firms) != 1 || fr.Firms[0].Name != "安利（中国）日用品有限公司宁波分公司" {
		t.Fatalf("eligible %d, merged %d, issues %v", rep.Eligible, rep.Merged, issueList(rep))
	}
	for row, text := range map[int]string{6: "“合计：1户”", 7: "“注：检查结果以国家企业信用信息公示系统公示为准。”"} {
		is := findIssue(rep, row, CodeMissingID)
		if is == nil || !strings.Contains(is.Message, text) || !strings.Contains(is.Message, "合计、注释或说明行") {
			t.Errorf("row %d: %+v", row, is)
		}
		if findIssue(rep, row, CodeUnclassified) != nil {
			t.Errorf("row %d: a note line is given a firm's class warning: %v", row, issueList(rep))
		}
	}
}

// An inspector roster in the columns of 浙江's 人员维护 form and the national 行政执法证
// (证件号码, 有效期止), with dates written four ways and a 合计 line.
func TestOfficeHaishuInspectors(t *testing.T) {
	on := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ins, rep, err := ReadInspectors(t.Context(), shared+"haishu-inspectors.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	eligible := 0
	for _, in := range ins {
		if ok, _ := in.EligibleOn(on); ok {
			eligible++
		}
	}
	if len(ins) != 6 || eligible != 5 {
		t.Fatalf("%d inspectors, %d eligible, issues %v", len(ins), eligible, issueList(rep))
	}
	want := map[string]string{"33020300101": "2027-05-01", "33020300102": "2027-05-01", "33020300103": "2027-05-01",
		"33020300104": "9999-12-31", "33020300105": "2027-12-31", "33020300106": "2024-03-31"}
	for _, in := range ins {
		if got := in.ValidUntil.Format("2006-01-02"); got != want[in.ID] || in.Dept == "" {
			t.Errorf("%s: valid until %s, want %s; dept %q", in.ID, got, want[in.ID], in.Dept)
		}
	}
	if is := findIssue(rep, 10, CodeMissingID); is == nil || !strings.Contains(is.Message, "“合计：6人”") {
		t.Errorf("合计 line: %v", issueList(rep))
	}
}

// A 合计 or 注 line is no record wherever the office typed it: in the name column (合计：3户
// under 企业名称, 合计 under 姓名, the first column of a list without 序号) or the code column,
// not only in a column of its own. Such a row is excluded as missing_id quoting the line,
// never told to fill in its code, and gets no class warning.
func TestFooterLineInNameOrCodeColumn(t *testing.T) {
	p := writeFile(t, "f.csv", "统一社会信用代码,企业名称,信用风险分类,登记状态\n"+
		"91140430MAHXBE1M21,长治市沁县天晟晋地产房产经纪有限公司,A,存续\n"+
		",合计：1户,,\n"+
		"合计,,,\n"+
		",注：本表由沁县市场监督管理局提供,,\n"+
		"总计 1,,,\n")
	fr, rep := readFirms(t, p, Options{})
	if len(fr.Firms) != 1 {
		t.Fatalf("firms %+v", fr.Firms)
	}
	for row, text := range map[int]string{3: "“合计：1户”", 4: "“合计”", 5: "“注：本表由沁县市场监督管理局提供”", 6: "“总计 1”"} {
		is := findIssue(rep, row, CodeMissingID)
		if is == nil || !strings.Contains(is.Message, text) || !strings.Contains(is.Message, "合计、注释或说明行") {
			t.Errorf("row %d: %+v; issues %v", row, is, issueList(rep))
		}
		if findIssue(rep, row, CodeUnclassified) != nil || findIssue(rep, row, CodeNoStatus) != nil || findIssue(rep, row, CodeBadID) != nil {
			t.Errorf("row %d: a footer line is read as a firm: %v", row, issueList(rep))
		}
	}
	ip := writeFile(t, "i.csv", "姓名,执法证号,所属部门,证件有效期至\n"+
		"张三,14040312345,沁县市场监督管理局,2030-12-31\n"+
		"合计,,,\n"+
		"合计：1人,,,\n"+
		",合计,,\n")
	_, irep, err := ReadInspectors(t.Context(), ip, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for row, text := range map[int]string{3: "“合计”", 4: "“合计：1人”", 5: "“合计”"} {
		is := findIssue(irep, row, CodeMissingID)
		if is == nil || !strings.Contains(is.Message, text) || !strings.Contains(is.Message, "合计、注释或说明行") {
			t.Errorf("inspectors row %d: %+v; issues %v", row, is, issueList(irep))
		}
	}
}

// 主体身份代码 gives way to any other code column, before or after it, and is the code column
// when it is the only one (fallbackNames).
func TestSubjectIDCodeFallback(t *testing.T) {
	const code, key = "91140430MAHXBE1M21", "3302140000185548"
	for name, csv := range map[string]string{
		"before": "主体身份代码,统一社会信用代码,企业名称,信用风险分类\n" + key + "," + code + ",甲公司,A\n",
		"after":  "统一社会信用代码,主体身份代码,企业名称,信用风险分类\n" + code + "," + key + ",甲公司,A\n",
		"alone":  "主体身份代码,企业名称,信用风险分类\n" + code + ",甲公司,A\n",
	} {
		fr, rep := readFirms(t, writeFile(t, name+".csv", csv), Options{})
		if len(fr.Firms) != 1 || fr.Firms[0].Key != code {
			t.Errorf("%s: firms %+v, issues %v", name, fr.Firms, issueList(rep))
		}
	}
}

// TestFooterLine: a total or a note's label opens a line under the table; a firm's name that
// merely starts with the same characters does not.
func TestFooterLine(t *testing.T) {
	for _, c := range []string{"合计", "合计：6人", " 总计 3", "小计:2", "共计12户", "合计（户）", "注：以上企业…", "备注:无", "说明：", "填表说明"} {
		if !footerLine(c) {
			t.Errorf("%q is not read as a footer line", c)
		}
	}
	for _, c := range []string{"小计算机维修部", "注册会计师事务所", "说明书印刷厂", "长治合计科技有限公司", "备注", "合计划有限公司"} {
		if footerLine(c) {
			t.Errorf("%q is read as a footer line", c)
		}
	}
}
