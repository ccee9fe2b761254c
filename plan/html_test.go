package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// htmlPlan is the Calc export of the Changzhi workbook (see TestHTMLSameTasks), committed so
// that the CLI test reads a web page without LibreOffice.
const htmlPlan = "../testdata/plan/changzhi-2026.html"

// TestHTMLSameTasks: the Changzhi workbook as LibreOffice writes it as a web page — Calc's
// export of the sheet (merged cells as rowspan and colspan, the title a cell over every
// column) and Writer's of the Word document (each cell's text in <p>, the source wrapped at
// the text's spaces) — reads to the same 397 tasks as the text plan. The markup is
// LibreOffice's, not ours; the committed page is Calc's, and must still be what Calc writes.
func TestHTMLSameTasks(t *testing.T) {
	sameTasksAsEmbedded(t, htmlPlan, "html")
	lo := sofficeFor(t)
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	calc := soffice(t, lo, profile, "", "html", filepath.Join(dir, "calc"), xlsxPlan)
	writer := soffice(t, lo, profile, "", "html:HTML (StarWriter)", filepath.Join(dir, "writer"), "../testdata/plan/changzhi-2026.docx")
	for _, f := range []string{calc, writer} {
		page := mustRead(t, f)
		for _, want := range []string{"rowspan", "colspan"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Fatalf("%s has no %s: the test no longer reads merged cells", f, want)
			}
		}
		sameTasksAsEmbedded(t, f, "html")
	}
	// The committed page is Calc's export but for the dates LibreOffice stamps it with.
	stamp := func(b []byte) string {
		var keep []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.Contains(l, `<meta name="created"`) && !strings.Contains(l, `<meta name="changed"`) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if stamp(mustRead(t, calc)) != stamp(mustRead(t, htmlPlan)) {
		t.Errorf("%s is not Calc's export of %s: convert it again (soffice --convert-to html)", htmlPlan, xlsxPlan)
	}
}

// govPage is a plan as a county government site publishes it, saved from the browser: GB2312,
// the site's menu and breadcrumbs (a menu item 工作计划), a metadata table, the notice quoting
// the plan's name in 《》, the plan table inside the page's layout table with its title as a
// <caption> (shown above it, so the title), a script and a style
// holding table-like text, Word's conditional comments, and the table written the way hand
// or CMS markup is: <th> in <thead>, cells left unclosed, a rowspan over rows (and one of 0, to
// the end of its section), a colspan, <br> and <p> in cells, &nbsp;, source lines wrapped,
// a second <tbody> (the first one's rowspan of 4 ends with its section, after 3 rows), a table inside a cell.
const govPage = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发《某县2025年度部门联合双随机抽查工作计划》的通知_某县人民政府</title>
<style>td { border: 1px } .x:before { content: "序号	抽查任务名称" }</style>
<script>var t = "<table><tr><td>序号</td><td>抽查任务名称</td></tr></table>";</script>
</head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/gzjh">工作计划</a></li></ul></div>
<select><option>某县人民政府</option><option>2024年度工作计划</option></select>
<table class="layout" width="100%"><tr><td class="left">当前位置：首页 &gt; 政务公开 &gt; 双随机一公开</td></tr>
<tr><td>
<table class="meta"><tr><td>索引号：</td><td>11140000-2025-00012</td><td>发布机构：</td><td>某县市场监督管理局</td></tr>
<tr><td>成文日期：</td><td>2025-03-01</td></tr></table>
<h1>关于印发《某县2025年度部门联合双随机抽查工作计划》的通知</h1>
<p>各乡镇人民政府，县直各有关单位：<br>现将《某县2025年度部门联合双随机抽查工作计划》印发给你们，请认真贯彻落实。</p>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<p class=MsoNormal>附件：某县2025年度部门联合双随机抽查工作计划</p>
<table border="1" cellspacing="0"><caption>某县2025年度部门联合双随机抽查工作计划表</caption>
<thead><tr><th>序号<th>抽查任务名称<th>抽查事项<th>抽查对象范围<th>抽查比例及频次<th>抽查检查起止时间<th>发起部门<th>配合部门</tr></thead>
<tbody>
<tr><td>1<td>食品经营检查<td><p>食品安全</p><p>经营许可</p><td>辖区食品经营者<td>不低于5%；1次<td>4月—7月<td rowspan="4">县市场监管局<td>县卫健局
<tr><td>2</td><td>药品检查</td><td>药品&nbsp;质量</td><td>零售药店</td><td>20%；<br>1次</td><td>5月—9月</td><td>县公安局<br/>县商务局</td></tr>
<tr><td>3</td><td>计量检查</td><td colspan="2">计量器具
    使用单位</td><td>10%</td><td>全年</td><td><table><tr><td>县发改局</td></tr></table></td></tr>
</tbody>
<tbody>
<tr><td>4</td><td>广告检查</td><td>广告</td><td>广告发布者</td><td>15%；1次</td><td>8月</td><td rowspan="0">县市场监管局</td><td>县文旅局</td></tr>
<tr><td>5</td><td>特种设备检查</td><td>电梯</td><td>使用单位</td><td>3%</td><td>6月</td><td>县住建局</td></tr>
</tbody></table>
<p>&nbsp;</p>
</td></tr></table>
<div class="foot">版权所有：某县人民政府　主办：某县人民政府办公室</div>
</body></html>
`

func gb2312(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHTMLGovernmentPage reads govPage; every expectation is from the page as a browser shows it.
func TestHTMLGovernmentPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "某县计划.html")
	if err := os.WriteFile(path, gb2312(t, govPage), 0o644); err != nil {
		t.Fatal(err)
	}
	pl, err := Load(path, "X2025")
	if err != nil {
		t.Fatal(err)
	}
	if pl.Title != "某县2025年度部门联合双随机抽查工作计划表" || pl.Year() != 2025 {
		t.Errorf("title %q year %d", pl.Title, pl.Year())
	}
	type want struct {
		key, items, scope, ratio, ini string
		coops                         []string
		from, to                      int
	}
	// Lines of a cell (<p>, <br>) are a multi-line cell's: joined in 抽查事项 (a layout break),
	// kept in the ratio's text.
	wants := []want{
		{"X2025-1", "食品安全经营许可", "辖区食品经营者", "不低于5%；1次", "县市场监管局", []string{"县卫健局"}, 4, 7},
		{"X2025-2", "药品 质量", "零售药店", "20%；\n1次", "县市场监管局", []string{"县公安局", "县商务局"}, 5, 9},
		{"X2025-3", "计量器具 使用单位", "计量器具 使用单位", "10%", "县市场监管局", []string{"县发改局"}, 1, 12},
		{"X2025-4", "广告", "广告发布者", "15%；1次", "县市场监管局", []string{"县文旅局"}, 8, 8},
		{"X2025-5", "电梯", "使用单位", "3%", "县市场监管局", []string{"县住建局"}, 6, 6},
	}
	if len(pl.Tasks) != len(wants) {
		var keys []string
		for _, k := range pl.Tasks {
			keys = append(keys, k.Key)
		}
		t.Fatalf("%d tasks %v, want %d", len(pl.Tasks), keys, len(wants))
	}
	for i, w := range wants {
		k := pl.Tasks[i]
		got := want{k.Key, k.Items, strings.Join(k.Scopes, "|"), k.Ratio.Text, k.Initiator, k.Cooperators, k.Window.From, k.Window.To}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("task %d:\n got  %+v\n want %+v\n flags %q repairs %q", i+1, got, w, k.Flags, k.Repairs)
		}
		// The 发起部门 below the first row of its rowspan is merged, not an empty cell repaired.
		if strings.Contains(strings.Join(k.Repairs, ""), "空单元格") {
			t.Errorf("%s repaired %q: the rowspan was not read as a merge", k.Key, k.Repairs)
		}
	}
}

// TestHTMLTitle: the title is the last line above the header naming a 计划 or 清单 and a year.
func TestHTMLTitle(t *testing.T) {
	row := func(cells ...string) rawRow { return rawRow{cells: cells} }
	cases := []struct {
		pre  []rawRow
		page string
		want string
	}{
		{[]rawRow{row("工作计划"), row("关于印发《甲县2025年度部门联合双随机抽查工作计划》的通知"), row("各单位：")}, "", "甲县2025年度部门联合双随机抽查工作计划"},
		{[]rawRow{row("关于印发《甲县2025年度部门联合双随机抽查工作计划》的通知"), row("附件：乙县2025年度抽查计划")}, "", "乙县2025年度抽查计划"},
		{[]rawRow{row("附件1:乙县2025年度随机抽查事项清单"), row("", "工作计划")}, "", "乙县2025年度随机抽查事项清单"},
		{[]rawRow{row("首页"), row("规划计划")}, "关于印发《丙县2024年度联合抽查计划》的通知_丙县人民政府", "丙县2024年度联合抽查计划"},
		{[]rawRow{row("规划计划")}, "", "规划计划"},
		{[]rawRow{row("首页")}, "丙县人民政府", ""},
	}
	for _, c := range cases {
		if got := htmlTitle(c.pre, c.page); got != c.want {
			t.Errorf("htmlTitle(%v, %q) = %q, want %q", c.pre, c.page, got, c.want)
		}
	}
}

// TestHTMLRefusals: pages that hold no plan are refused with the file named and what to do.
func TestHTMLRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name, page string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	deep := strings.Repeat("<table><tr><td>", 40) + "序号"
	checkRefusals(t, []refusal{
		{write("list.html", `<html><body><ul><li>2025年度工作计划</li></ul><table><tr><td>序号</td><td>标题</td></tr></table></body></html>`), []string{"网页中找不到表头行", "另存为"}},
		{write("deep.htm", deep), []string{"表格嵌套超过 32 层"}},
		{write("page.mht", "MIME-Version: 1.0"), []string{"单个文件网页", "网页，仅 HTML"}},
		{write("plan.pdf", "%PDF-1.7"), []string{"版式文件", "Word 或 Excel 原件"}},
		{write("plan.ofd", "PK"), []string{"版式文件"}},
	})
	// A table of more cells than MaxTableCells (merged ones counted) is refused as text is.
	old := MaxTableCells
	defer func() { MaxTableCells = old }()
	MaxTableCells = 40
	big := write("big.html", "<table><tr><td>序号<td>抽查任务名称<td>抽查比例及频次<td>抽查检查起止时间<td>发起部门<tr><td colspan=1000 rowspan=0>1</table>")
	if _, err := Load(big, "X"); err == nil || !strings.Contains(errText(err), "超过 40 个") {
		t.Errorf("a 1000-column span read: %v", err)
	}
}

// TestHTMLSpansBoundedWork: cells that span many columns are counted against MaxTableCells
// while a table is laid out, not after: a page of a few hundred cells each over 1,000 columns
// is refused having laid out about MaxTableCells cells, not all of them.
func TestHTMLSpansBoundedWork(t *testing.T) {
	old := MaxTableCells
	defer func() { MaxTableCells = old }()
	MaxTableCells = 1000
	page := "<table><tr><td>序号<td>抽查任务名称<td>抽查比例及频次<td>抽查检查起止时间<td>发起部门" + strings.Repeat("<tr><td colspan=1000>x", 400) + "</table>"
	var err error
	n := allocated(func() { _, err = parseHTML([]byte(page), "spans.html", Options{ID: "X"}) })
	if err == nil || !strings.Contains(errText(err), "超过 1000 个") {
		t.Fatalf("400 cells over 1,000 columns each: %v", err)
	}
	// 400,000 cells laid out would allocate over 6 MB; 1,000 a few tens of KB.
	if n > 1<<20 {
		t.Errorf("refusing the page allocated %d bytes: the spans were laid out before they were counted", n)
	}
}

// FuzzHTMLPage: any bytes as a saved page read without a panic or a hang.
func FuzzHTMLPage(f *testing.F) {
	f.Add([]byte(govPage))
	f.Add([]byte(govPage[:len(govPage)/2]))
	f.Add([]byte("<table><tr><td rowspan=0 colspan=1000>序号<td>抽查任务名称<tr><td>1</table>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		readsInTime(t, "fuzz.html", 10*time.Second, func() error {
			_, err := parseHTML(page, "fuzz.html", Options{ID: "F"})
			return err
		})
	})
}
