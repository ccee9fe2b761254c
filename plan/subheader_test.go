package plan

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A header of two rows: a group cell (抽查要求) over sub-columns (抽查比例 | 抽查频次), the
// other header cells merged over both rows. Written by hand as an office lays it out in Excel;
// each task's ratio and frequency by hand from the table.
var twoRowHeader = [][]string{
	{"某县2026年度部门联合双随机抽查工作计划"},
	{"序号", "抽查任务名称", "抽查对象", "抽查要求", "", "起止时间", "实施部门", ""},
	{"", "", "", "抽查比例", "抽查频次", "", "发起部门", "配合部门"},
	{"1", "食品检查", "食品企业", "5%", "1次", "3月—6月", "县市场监管局", "县卫健局"},
	{"2", "药品检查", "药店", "10%", "2次", "4月—9月", "县市场监管局", "县医保局"},
	// The header again at a page break: both rows are skipped.
	{"序号", "抽查任务名称", "抽查对象", "抽查要求", "", "起止时间", "实施部门", ""},
	{"", "", "", "抽查比例", "抽查频次", "", "发起部门", "配合部门"},
	{"3", "特种设备检查", "使用单位", "不低于3%", "每季度", "1月—12月", "县市场监管局", "县应急局"},
}

type subWant struct {
	pct     string
	times   int
	per     string
	rounds  int
	ini, co string
}

var twoRowWants = []subWant{
	{"5", 1, PerYear, 1, "县市场监管局", "县卫健局"},
	{"10", 2, PerYear, 2, "县市场监管局", "县医保局"},
	{"3", 1, PerQuarter, 4, "县市场监管局", "县应急局"},
}

func checkTwoRow(t *testing.T, p *Plan) {
	t.Helper()
	if len(p.Tasks) != len(twoRowWants) {
		t.Fatalf("%d tasks, want %d: %+v", len(p.Tasks), len(twoRowWants), p.Problems)
	}
	for i, w := range twoRowWants {
		k := p.Tasks[i]
		co := strings.Join(k.Cooperators, "、")
		if k.Ratio.Percent != w.pct || k.Ratio.Times != w.times || k.Ratio.Per != w.per || k.Rounds != w.rounds || k.Initiator != w.ini || co != w.co || len(k.Flags) != 0 {
			t.Errorf("task %d: %q %d/%s rounds %d ini %q co %q flags %+v, want %+v", i+1, k.Ratio.Percent, k.Ratio.Times, k.Ratio.Per, k.Rounds, k.Initiator, co, k.Flags, w)
		}
	}
	for _, pr := range p.Problems {
		if strings.Contains(pr.Message, "抽查要求") || strings.Contains(pr.Message, "实施部门") || strings.Contains(pr.Message, "没有抽查比例列") || strings.Contains(pr.Message, "没有序号") {
			t.Errorf("problem %q: the group cells are covered by the second row", pr.Message)
		}
	}
}

func TestTwoRowHeaderText(t *testing.T) {
	var b strings.Builder
	for _, r := range twoRowHeader {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	p, err := Parse(strings.NewReader(b.String()), "two-row.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	checkTwoRow(t, p)
}

// In a workbook the cells are really merged: the reader fills each merged range, so the second
// row repeats 序号, 抽查任务名称 … and the first repeats 抽查要求 over both its columns.
func TestTwoRowHeaderXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range twoRowHeader {
		for j, c := range r {
			if c == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, hr := range []int{2, 6} {
		for _, m := range [][2]string{{"A", "A"}, {"B", "B"}, {"C", "C"}, {"F", "F"}} {
			if err := f.MergeCell("Sheet1", m[0]+strconv.Itoa(hr), m[1]+strconv.Itoa(hr+1)); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range [][2]string{{"D", "E"}, {"G", "H"}} {
			if err := f.MergeCell("Sheet1", m[0]+strconv.Itoa(hr), m[1]+strconv.Itoa(hr)); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "two-row.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	checkTwoRow(t, p)
}

// A saved web page: rowspan and colspan, as a county site publishes the same table.
func TestTwoRowHeaderHTML(t *testing.T) {
	head := `<tr><td rowspan="2">序号</td><td rowspan="2">抽查任务名称</td><td rowspan="2">抽查对象</td><td colspan="2">抽查要求</td><td rowspan="2">起止时间</td><td colspan="2">实施部门</td></tr>
<tr><td>抽查比例</td><td>抽查频次</td><td>发起部门</td><td>配合部门</td></tr>`
	var rows strings.Builder
	for _, r := range twoRowHeader[3:5] {
		rows.WriteString("<tr><td>" + strings.Join(r, "</td><td>") + "</td></tr>\n")
	}
	last := twoRowHeader[7]
	page := `<html><head><meta charset="utf-8"><title>计划</title></head><body><p>某县2026年度部门联合双随机抽查工作计划</p><table>` +
		head + rows.String() + head + "<tr><td>" + strings.Join(last, "</td><td>") + "</td></tr></table></body></html>"
	path := filepath.Join(t.TempDir(), "two-row.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	checkTwoRow(t, p)
}

// A row below the header that is data without a 序号, or that names nothing new, is not a
// second header row.
func TestSubHeaderRefused(t *testing.T) {
	top := []string{"序号", "抽查任务名称", "抽查比例", "起止时间"}
	for _, below := range [][]string{
		{"", "食品检查", "5%", "3月"},     // data
		{"", "", "抽查比例", ""},         // the same column at the same place
		{"", "", "", ""},             // empty
		{"1", "", "抽查频次", ""},        // a 序号
		{"", "说明", "", ""},           // names nothing
		{"", "抽查频次", "抽查事项2024", ""}, // a cell with digits
	} {
		h, ok := headerOf(top)
		if !ok {
			t.Fatal("top is a header")
		}
		if h.subHeader(top, below) {
			t.Errorf("subHeader(%q) merged", below)
		}
	}
}

// TestSecondTable: a page with the bureau's own plan and then the joint plan, each with its
// title and a header of its own, in another column order: the second table's cells are read
// by its own header (they were read by the first one's, into the wrong fields), nothing is
// inherited across, and the second table's title line is reported, not read as a task.
func TestSecondTable(t *testing.T) {
	text := "某市2025年度本部门抽查工作计划\n" +
		"序号\t抽查任务名称\t抽查对象\t抽查比例\t实施时间\t实施单位\n" +
		"1\t甲\t甲企业\t5%\t3月\t市政府办公室\n" +
		"2\t乙\t乙企业\t\t4月\t市商务局\n" +
		"某市2025年度部门联合抽查工作计划\n" +
		"序号\t抽查任务名称\t发起部门\t配合部门\t抽查对象\t抽查比例\t实施时间\n" +
		"1\t丙\t市市场监管局\t市卫健局\t丙企业\t10%\t\n" +
		"2\t丁\t市教育局\t市市场监管局\t丁企业\t\t6月\n"
	p, err := Parse(strings.NewReader(text), "two.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key, name, scope, pct, ini, co string
		from                           int
	}{
		{"two-1", "甲", "甲企业", "5", "市政府办公室", "", 3},
		{"two-2", "乙", "乙企业", "5", "市商务局", "", 4},          // the ratio merged from 甲's row
		{"two-1~2", "丙", "丙企业", "10", "市市场监管局", "市卫健局", 1}, // no time: 乙's 4月 is another table's
		{"two-2~2", "丁", "丁企业", "10", "市教育局", "市市场监管局", 6},
	}
	if len(p.Tasks) != len(want) {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), len(want))
	}
	for i, w := range want {
		k := p.Tasks[i]
		scope := strings.Join(k.Scopes, "")
		if k.Key != w.key || k.Name != w.name || scope != w.scope || k.Ratio.Percent != w.pct || k.Initiator != w.ini || strings.Join(k.Cooperators, "、") != w.co || k.Window.From != w.from {
			t.Errorf("task %d: %s %s %s %q %s %v %d, want %+v", i+1, k.Key, k.Name, scope, k.Ratio.Percent, k.Initiator, k.Cooperators, k.Window.From, w)
		}
	}
	if !hasFlag(p.Tasks[2], FlagWindow) {
		t.Errorf("丙 has no time and nothing to inherit it from: flags %+v", p.Tasks[2].Flags)
	}
	var saw []string
	for _, pr := range p.Problems {
		if strings.Contains(pr.Message, "另一张表") || strings.Contains(pr.Message, "标题行") {
			saw = append(saw, pr.Message)
		}
	}
	if len(saw) != 2 {
		t.Errorf("reported %q, want the title line and the new header", saw)
	}
}

// TestRepeatedHeaderLostCell: a header repeated at a page break that lost a cell (配合部门) is
// the same table's: the rows below it keep their 配合部门.
func TestRepeatedHeaderLostCell(t *testing.T) {
	text := "序号\t抽查任务名称\t抽查对象\t抽查比例\t起止时间\t发起部门\t配合部门\n" +
		"1\t甲\t甲企业\t5%\t3月\t县市场监管局\t县卫健局\n" +
		"序号\t抽查任务名称\t抽查对象\t抽查比例\t起止时间\t发起部门\t\n" +
		"2\t乙\t乙企业\t5%\t4月\t县市场监管局\t县商务局\n"
	p, err := Parse(strings.NewReader(text), "page.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 || strings.Join(p.Tasks[1].Cooperators, "") != "县商务局" {
		t.Fatalf("tasks %+v", p.Tasks)
	}
	for _, pr := range p.Problems {
		if strings.Contains(pr.Message, "另一张表") {
			t.Errorf("a repeated header taken for another table: %q", pr.Message)
		}
	}
}
