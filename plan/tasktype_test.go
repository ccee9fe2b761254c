package plan

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTaskType(t *testing.T) {
	for in, want := range map[string]int{
		"本部门抽查": typeOwn, "本部门": typeOwn, "部门内抽查": typeOwn, "单部门抽查": typeOwn, "部门抽查": typeOwn,
		"部门内部抽查": typeOwn, " 本部门\n抽查 ": typeOwn, "定向（本部门）": typeOwn,
		"多部门联合\n抽查": typeJoint, "跨部门联合抽查": typeJoint, "联合抽查": typeJoint, "部门联合抽查": typeJoint,
		"本部门牵头联合抽查": typeJoint, "局内部联合抽查": typeJoint,
		"": typeOther, "定向": typeOther, "不定向": typeOther, "定向抽查": typeOther, "重点检查": typeOther,
	} {
		if got := taskType(in); got != want {
			t.Errorf("taskType(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]bool{"无": true, "无。": true, "—": true, "/": true, "——": true, "／": true, "本部门": true,
		"": false, "水利局": false, "无锡市水利局": false} {
		if got := isNoDept(in); got != want {
			t.Errorf("isNoDept(%q) = %v, want %v", in, got, want)
		}
	}
	if got := titleDept("台山市卫生健康局2021年“双随机、一公开”监管年度抽查计划表"); got != "台山市卫生健康局" {
		t.Errorf("titleDept = %q", got)
	}
	if got := titleDept("2023年“双随机、一公开”抽查工作计划"); got != "" {
		t.Errorf("titleDept of a title without a department = %q", got)
	}
}

const ownTypeHeader = "任务名称\t任务开始时间\t任务结束时间\t抽查类型\t参与联合抽查部门\t抽查范围\t抽查比例"

func coopsOf(k Task) string {
	return strings.Join(k.Cooperators, "、") + "|" + strings.Join(k.CooperatorCells, "、")
}

// TestOwnTypeRowIsNoMerge: in text, a 本部门抽查 row's empty 参与联合抽查部门 under a joint row
// is no merge: the task has no cooperators (the repair says why), and the cooperators of the
// joint row above do not reach over it to the next joint row either. A joint row and a row
// whose 抽查类型 says neither (定向) inherit as before; an empty 抽查类型 cell is a merge of it.
func TestOwnTypeRowIsNoMerge(t *testing.T) {
	p := parseLines(t,
		"台山市卫生健康局2021年抽查计划表",
		ownTypeHeader,
		"生活饮用水卫生监督抽检\t2021.05.01\t2021.08.31\t多部门联合抽查\t卫健局、水利局\t集中式供水单位\t40%",
		"餐饮具集中消毒单位卫生监督抽检\t2021.07.01\t2021.09.30\t本部门抽查\t\t餐饮具集中消毒单位\t40%",
		"职业卫生监督抽检\t2021.04.01\t2021.11.10\t\t\t重点行业企业\t20%",
		"医疗卫生监督抽检\t2021.06.01\t2021.09.30\t多部门联合抽查\t\t定点医疗民营医院\t40%",
		"放射诊疗监督抽检\t2021.06.15\t2021.09.30\t多部门联合抽查\t卫健局、医保局\t放射诊疗机构\t40%",
		"公共场所卫生监督抽检\t2021.04.01\t2021.10.31\t多部门联合抽查\t\t住宿场所\t3%",
		"学校卫生监督抽检\t2021.04.01\t2021.10.31\t定向\t\t学校\t3%")
	want := []string{"卫健局、水利局|卫健局、水利局", "|", "|", "|", "卫健局、医保局|卫健局、医保局", "卫健局、医保局|卫健局、医保局", "卫健局、医保局|卫健局、医保局"}
	if len(p.Tasks) != len(want) {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	for i, k := range p.Tasks {
		if got := coopsOf(k); got != want[i] {
			t.Errorf("task %d cooperators %q, want %q (repairs %q)", i+1, got, want[i], k.Repairs)
		}
		if len(k.Flags) != 0 {
			t.Errorf("task %d flags %+v", i+1, k.Flags)
		}
	}
	if r := strings.Join(p.Tasks[1].Repairs, "；"); !strings.Contains(r, "抽查类型为“本部门抽查”") || !strings.Contains(r, "不沿用上方的“卫健局、水利局”") || strings.Contains(r, "沿用上方的值") {
		t.Errorf("task 2 repairs %q", p.Tasks[1].Repairs)
	}
	if r := strings.Join(p.Tasks[2].Repairs, "；"); strings.Contains(r, "配合部门") {
		t.Errorf("task 3 (本部门抽查 by merge, nothing above to take) repairs %q", p.Tasks[2].Repairs)
	}
}

// TestOwnTypeNamesItself: the cooperator cell of a 本部门抽查 row that names only the
// initiating department (the initiator column's, or without one the title's), 无, — or 本部门
// gives no cooperators, the repair noted; a sub-row's 无 adds none either.
func TestOwnTypeNamesItself(t *testing.T) {
	p := parseLines(t,
		"台山市卫生健康局2021年抽查计划表",
		ownTypeHeader,
		"甲\t2021.05.01\t2021.08.31\t本部门抽查\t卫健局\t甲对象\t40%",
		"乙\t2021.05.01\t2021.08.31\t本部门抽查\t无\t乙对象\t40%",
		"丙\t2021.05.01\t2021.08.31\t本部门抽查\t—\t丙对象\t40%",
		"丁\t2021.05.01\t2021.08.31\t本部门抽查\t台山市卫生健康局\t丁对象\t40%")
	for i, k := range p.Tasks {
		if got := coopsOf(k); got != "|" || len(k.Flags) != 0 {
			t.Errorf("task %d cooperators %q flags %+v", i+1, got, k.Flags)
		}
		if r := strings.Join(k.Repairs, "；"); !strings.Contains(r, "抽查类型为“本部门抽查”，参与联合抽查部门“") {
			t.Errorf("task %d repairs %q", i+1, k.Repairs)
		}
	}
	if r := strings.Join(p.Tasks[0].Repairs, "；"); !strings.Contains(r, "是发起部门本身") {
		t.Errorf("task 1 repairs %q", p.Tasks[0].Repairs)
	}
	q := parseLines(t,
		"序号\t抽查任务名称\t抽查类型\t抽查对象范围\t抽查比例\t抽查检查起止时间\t发起部门\t配合部门",
		"1\t甲\t本部门抽查\t甲对象\t5%\t3月—5月\t沁县市场监督管理局\t县市场局",
		"2\t乙\t联合抽查\t乙对象\t5%\t3月—5月\t沁县市场监督管理局\t沁县税务局",
		"3\t丙\t本部门抽查\t丙对象\t5%\t3月—5月\t沁县市场监督管理局\t",
		"\t\t\t丙对象二\t\t\t\t无")
	got := []string{coopsOf(q.Tasks[0]), coopsOf(q.Tasks[1]), coopsOf(q.Tasks[2])}
	if want := []string{"|", "沁县税务局|沁县税务局", "|"}; !slices.Equal(got, want) {
		t.Errorf("cooperators %q, want %q", got, want)
	}
	if k := q.Tasks[2]; len(k.Scopes) != 2 || len(k.Flags) != 0 {
		t.Errorf("task 3 %+v", k)
	}
}

// TestOwnTypeNamesOthers: a 本部门抽查 row whose cooperator cell names other departments
// keeps them as written, and the task is flagged (dept) for the clerk to say which the plan
// means; so is one a sub-row adds them to.
func TestOwnTypeNamesOthers(t *testing.T) {
	p := parseLines(t,
		"台山市卫生健康局2021年抽查计划表",
		ownTypeHeader,
		"甲\t2021.05.01\t2021.08.31\t本部门抽查\t卫健局、水利局\t甲对象\t40%",
		"乙\t2021.05.01\t2021.08.31\t本部门抽查\t医保局\t乙对象\t40%")
	for i, want := range []string{"卫健局、水利局|卫健局、水利局", "医保局|医保局"} {
		k := p.Tasks[i]
		if got := coopsOf(k); got != want {
			t.Errorf("task %d cooperators %q, want %q", i+1, got, want)
		}
		if len(k.Flags) != 1 || k.Flags[0].Kind != FlagDept || !strings.Contains(k.Flags[0].Message, "本部门抽查") {
			t.Errorf("task %d flags %+v", i+1, k.Flags)
		}
	}
	if lint := Lint(p); !slices.ContainsFunc(lint, func(f Finding) bool { return f.Kind == LintDept && strings.Contains(f.Message, "本部门抽查") }) {
		t.Errorf("lint does not tell: %+v", lint)
	}
	q := parseLines(t,
		"序号\t抽查任务名称\t抽查类型\t抽查对象范围\t抽查比例\t抽查检查起止时间\t发起部门\t配合部门",
		"1\t甲\t本部门抽查\t甲对象\t5%\t3月—5月\t沁县市场监督管理局\t",
		"\t\t\t甲对象二\t\t\t\t沁县税务局")
	if k := q.Tasks[0]; coopsOf(k) != "沁县税务局|沁县税务局" || !hasFlag(k, FlagDept) {
		t.Errorf("task 1 %q flags %+v", coopsOf(k), k.Flags)
	}
}

// TestOwnTypeXLSX: the same rules in a workbook. A really blank cooperator cell of a 本部门抽查
// row reads as the text's empty cell (台山 2021 written as a workbook reads the same
// cooperators as its text); a merged range over a joint and a 本部门抽查 row names the
// departments on both, which the 本部门抽查 task keeps, flagged.
func TestOwnTypeXLSX(t *testing.T) {
	const taishan = "../testdata/plans/taishan-2021-health.tsv"
	data, err := os.ReadFile(taishan)
	if err != nil {
		t.Fatal(err)
	}
	text, err := Parse(bytes.NewReader(data), "taishan.tsv", "TS")
	if err != nil {
		t.Fatal(err)
	}
	x, err := parseXLSX(tsvToXLSX(t, string(data)), "taishan.xlsx", Options{ID: "TS"})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Tasks) != len(text.Tasks) {
		t.Fatalf("xlsx %d tasks, text %d", len(x.Tasks), len(text.Tasks))
	}
	for i := range x.Tasks {
		if a, b := coopsOf(x.Tasks[i]), coopsOf(text.Tasks[i]); a != b {
			t.Errorf("task %d: xlsx cooperators %q, text %q", i+1, a, b)
		}
	}
	if got := coopsOf(x.Tasks[2]); got != "|" {
		t.Errorf("xlsx task 3 cooperators %q", got)
	}

	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"台山市卫生健康局2021年抽查计划表"},
		{"任务名称", "任务开始时间", "任务结束时间", "抽查类型", "参与联合抽查部门", "抽查范围", "抽查比例"},
		{"甲", "2021.05.01", "2021.08.31", "多部门联合抽查", "卫健局、水利局", "甲对象", "40%"},
		{"乙", "2021.05.01", "2021.08.31", "本部门抽查", "", "乙对象", "40%"},
		{"丙", "2021.05.01", "2021.08.31", "本部门抽查", "", "丙对象", "40%"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.MergeCell("Sheet1", "E3", "E4"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m, err := parseXLSX(buf.Bytes(), "merged.xlsx", Options{ID: "M"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tasks) != 3 {
		t.Fatalf("%d tasks", len(m.Tasks))
	}
	if k := m.Tasks[1]; coopsOf(k) != "卫健局、水利局|卫健局、水利局" || !hasFlag(k, FlagDept) {
		t.Errorf("merged task 2 %q flags %+v", coopsOf(k), k.Flags)
	}
	if k := m.Tasks[2]; coopsOf(k) != "|" || len(k.Flags) != 0 {
		t.Errorf("task 3 under the merge %q flags %+v", coopsOf(k), k.Flags)
	}
}

// TestTypeColumnNote: a 抽查类型 column that says 定向 / 不定向 on every row is still reported
// as unread, in its place among the other unread columns; one whose rows say 本部门抽查 or
// 联合抽查 is read and not reported.
func TestTypeColumnNote(t *testing.T) {
	notes := func(p *Plan) []string {
		var out []string
		for _, pr := range p.Problems {
			if pr.Kind == LintProblem {
				out = append(out, pr.Cell)
			}
		}
		return out
	}
	directed := parseLines(t,
		"序号\t抽查任务名称\t股室\t抽查类型\t抽查对象范围\t抽查比例\t备注",
		"1\t甲\t一股\t定向\t甲对象\t5%\t",
		"2\t乙\t一股\t\t乙对象\t5%\t")
	if got := notes(directed); !slices.Equal(got, []string{"股室", "抽查类型", "备注"}) {
		t.Errorf("notes %q", got)
	}
	own := parseLines(t,
		"序号\t抽查任务名称\t股室\t抽查类型\t抽查对象范围\t抽查比例\t备注",
		"1\t甲\t一股\t定向\t甲对象\t5%\t",
		"2\t乙\t一股\t本部门抽查\t乙对象\t5%\t")
	if got := notes(own); !slices.Equal(got, []string{"股室", "备注"}) {
		t.Errorf("notes %q", got)
	}
}

// TestNoDeptCooperatorCell: in any plan, with a 抽查类型 column or without, a cooperator cell
// of 无, — or / means no cooperators (with a repair), not a department of that name; the row
// below, merged with it, has none either; a sub-row's 无 adds none.
func TestNoDeptCooperatorCell(t *testing.T) {
	p := parseLines(t,
		"序号\t地市\t抽查事项\t抽查比例\t发起部门\t配合部门\t实施时间",
		"1\t沁县\t房地产经纪机构检查\t20%\t县市场监管局\t无\t6月—12月",
		"2\t沁县\t物业服务企业检查\t20%\t县市场监管局\t\t6月—12月",
		"3\t沁县\t停车场检查\t20%\t县市场监管局\t—\t6月—12月",
		"4\t沁县\t加油站检查\t20%\t县市场监管局\t／\t6月—12月",
		"5\t沁县\t餐饮检查\t20%\t县市场监管局\t县卫健局\t6月—12月",
		"\t\t\t\t\t无\t",
		"6\t沁县\t药店检查\t20%\t县市场监管局\t县医保局\t6月—12月")
	want := []string{"|", "|", "|", "|", "县卫健局|县卫健局", "县医保局|县医保局"}
	if len(p.Tasks) != len(want) {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), len(want))
	}
	for i, k := range p.Tasks {
		if got := coopsOf(k); got != want[i] {
			t.Errorf("task %d: cooperators %q, want %q", i+1, got, want[i])
		}
		for _, f := range k.Flags {
			if f.Kind == FlagDept {
				t.Errorf("task %d flagged: %+v", i+1, f)
			}
		}
	}
	for _, i := range []int{0, 2, 3} {
		if !slices.ContainsFunc(p.Tasks[i].Repairs, func(r string) bool { return strings.Contains(r, "即没有配合部门") }) {
			t.Errorf("task %d: no repair for its cell: %q", i+1, p.Tasks[i].Repairs)
		}
	}
}
