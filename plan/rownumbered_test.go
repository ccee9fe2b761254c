package plan

import (
	"strings"
	"testing"
)

func parseLines(t *testing.T, rows ...string) *Plan {
	t.Helper()
	p, err := Parse(strings.NewReader(strings.Join(rows, "\n")+"\n"), "t.tsv", "T")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTableWithoutSeq: a table without a 序号 column (台山 2021) is read, each row with a name
// of its own a task numbered by its place; a footer line is no task; the window's end in a
// column of its own is read with its start.
func TestTableWithoutSeq(t *testing.T) {
	p := parseLines(t,
		"任务名称\t任务开始时间\t任务结束时间\t抽查类型\t参与联合抽查部门\t抽查范围\t抽查比例",
		"公共场所卫生监督抽检\t2021.04.01\t2021.10.31\t本部门抽查\t\t美容美发场所\t3%",
		"生活饮用水卫生监督抽检\t2021.05.01\t2021.08.31\t多部门联合抽查\t卫健局、水利局\t集中式供水单位\t40%",
		"备注:1.抽查类型是指本部门抽查或跨部门联合抽查。")
	if len(p.Tasks) != 2 || p.RowNumbered != 2 || p.NumberedRows != 0 {
		t.Fatalf("%d tasks, %d by place, %d numbered", len(p.Tasks), p.RowNumbered, p.NumberedRows)
	}
	k := p.Tasks[1]
	if k.Key != "T-2" || k.SeqText != "" || k.Ratio.Percent != "40" || k.Window.From != 5 || k.Window.To != 8 || k.Window.ToDay != 31 || len(k.Flags) != 0 {
		t.Errorf("task 2 %+v", k)
	}
	if got := k.Cooperators; len(got) != 2 || got[1] != "水利局" {
		t.Errorf("cooperators %q", got)
	}
}

// TestCountOnly: a 数量 cell with no ratio anywhere is the number drawn (连州 2023), not a
// task "without a ratio or count"; a percentage in the scope cell beside it is flagged.
func TestCountOnly(t *testing.T) {
	p := parseLines(t,
		"抽查单位\t序号\t抽查任务名称\t抽查数量\t抽查对象范围\t抽取日期",
		"连州市卫生健康局\t1\t学校卫生\t5户\t辖区学校总数的 20%\t2023年1月至12月",
		"\t2\t公共场所卫生\t49户\t游泳场所\t2023年1月至12月")
	a, b := p.Tasks[0], p.Tasks[1]
	if b.Ratio.MinCount != 49 || b.Ratio.Count != 49 || len(b.Flags) != 0 || b.Initiator != "连州市卫生健康局" {
		t.Errorf("task 2 %+v", b)
	}
	if len(a.Flags) != 1 || a.Flags[0].Kind != FlagRatio || a.Ratio.MinCount != 0 || !strings.Contains(a.Flags[0].Message, "20%") {
		t.Errorf("task 1 %+v", a)
	}
}

// TestCutRowKeepsMergeBefore: the table's last row cut off after its 6th cell flags what the
// columns after the cut take from above, not a merged column before it.
func TestCutRowKeepsMergeBefore(t *testing.T) {
	p := parseLines(t,
		"抽查单位\t序号\t抽查任务名称\t抽查事项\t抽查比例\t抽取日期",
		"连州市卫生健康局\t1\t学校卫生\t检查\t5%\t2023年1月至12月",
		"\t2\t放射诊疗\t参照")
	for _, f := range p.Tasks[1].Flags {
		if f.Kind == FlagDept {
			t.Errorf("flagged the merged 抽查单位: %+v", f)
		}
	}
	if len(p.Tasks[1].Flags) != 2 {
		t.Errorf("flags %+v, want ratio and window", p.Tasks[1].Flags)
	}
}
