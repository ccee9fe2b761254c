package plan

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadTSV(t *testing.T) {
	cases := []struct {
		in   string
		want [][]string
		line []int
	}{
		{"a\tb\n\nc\td\n", [][]string{{"a", "b"}, {"c", "d"}}, []int{1, 3}},
		// A cell with a line break, as Excel copies it: quoted.
		{"1\t\"10%;\n1次\"\t3月\n2\tx\ty\n", [][]string{{"1", "10%;\n1次", "3月"}, {"2", "x", "y"}}, []int{1, 3}},
		{"a\t\"say \"\"hi\"\"\"\n", [][]string{{"a", `say "hi"`}}, []int{1}},
		// A quote inside a cell is kept (LazyQuotes).
		{"a\tb\"c\n", [][]string{{"a", `b"c`}}, []int{1}},
		// A stray quote that opens a cell would swallow the rows below: split by lines instead.
		{"1\t\"x\n2\ty\n3\tz\n", [][]string{{"1", `"x`}, {"2", "y"}, {"3", "z"}, {""}}, []int{1, 2, 3, 4}},
		{"a\tb\r\nc\td\r\n", [][]string{{"a", "b"}, {"c", "d"}}, []int{1, 2}},
	}
	for _, c := range cases {
		rows := readTSV(c.in)
		var got [][]string
		var lines []int
		for _, r := range rows {
			got = append(got, r.cells)
			lines = append(lines, r.line)
		}
		if !reflect.DeepEqual(got, c.want) || !reflect.DeepEqual(lines, c.line) {
			t.Errorf("readTSV(%q) = %q lines %v, want %q %v", c.in, got, lines, c.want, c.line)
		}
	}
}

// TestQuotedMultilineCell is B5 of issue 13: a plan copied from Excel whose ratio cell has a
// line break was read line by line and refused with 抽查比例及频次为空.
func TestQuotedMultilineCell(t *testing.T) {
	in := "某县2026年度计划\n" +
		"地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t\"抽查比例\n及频次\"\t智慧监管(信用风险分类)要求\t抽查检查起止时间\t发起部门\t配合部门\t抽查检查模式\n" +
		"沁县\t1\t任务\t事项\t范围\t\"10%;\n1次\"\t无\t3月—5月\t沁县甲局\t\"沁县乙局、\n沁县丙局\"\t县抽县查\n" +
		"沁县\t2\t任务二\t事项\t范围\t20%;1次\t无\t6月\t沁县甲局\t沁县乙局\t县抽县查\n"
	p, err := Parse(strings.NewReader(in), "x.tsv", "X")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	k := p.Tasks[0]
	if k.Ratio.Percent != "10" || k.Ratio.Times != 1 || len(k.Flags) != 0 || !reflect.DeepEqual(k.Cooperators, []string{"沁县乙局", "沁县丙局"}) {
		t.Errorf("task 1 = %+v", k)
	}
	if p.Tasks[1].Line != 7 {
		t.Errorf("task 2 on line %d, want 7 (the line it starts on: task 1 spans lines 4–6)", p.Tasks[1].Line)
	}
}

// TestTenBadCells: a plan with ten bad cells prints ten problems in one run, each with its
// row and cell (issue 11 item 4).
func TestTenBadCells(t *testing.T) {
	hdr := "序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例\t抽查频次\t抽查时间\t牵头部门\t参与部门\n"
	rows := []string{
		"1\t甲\t事项\t对象\t约一成\t1\t全年\t甲局\t乙局",      // 1 ratio
		"2\t乙\t事项\t对象\t10%\t1\t春季\t甲局\t乙局",      // 2 window
		"3\t丙\t事项\t对象\t不高于10%\t1\t全年\t甲局\t乙局",   // 3 cap
		"4\t丁\t事项\t对象\t10-20%\t1\t全年\t甲局\t乙局",   // 4 range
		"5\t戊\t事项\t对象\t10%\t三次半\t全年\t甲局\t乙局",    // 5 frequency
		"6\t己\t事项\t对象\t10%\t1\t2025年3月\t甲局\t乙局", // 6 other year
		"6\t庚\t事项\t对象\t10%\t1\t全年\t甲局\t乙局",      // 7 duplicate 序号
		"7\t辛\t事项\t对象\t待定\t1\t全年\t甲局\t乙局",       // 8 待定
		"8\t壬\t事项\t对象\t10%\t1\t13月\t甲局\t乙局",     // 9 month 13
		"9\t癸\t事项\t对象\t10%\t1\t全年\t甲局\t12%",     // 10 a ratio in the department column
	}
	in := "某市2026年度抽查计划\n" + hdr + strings.Join(rows, "\n") + "\n"
	p, err := Parse(strings.NewReader(in), "ten.tsv", "T")
	if err != nil {
		t.Fatal(err)
	}
	var problems []Finding
	for _, f := range Lint(p) {
		switch f.Kind {
		case LintUnspecified, LintRatio, LintWindow, LintSeq, LintDept:
			problems = append(problems, f)
		}
	}
	if len(problems) != 10 {
		for _, f := range problems {
			t.Logf("%+v", f)
		}
		t.Fatalf("%d problems, want 10", len(problems))
	}
	for i, f := range problems {
		if f.Line != i+3 || f.Cell == "" {
			t.Errorf("problem %d on line %d cell %q, want line %d with a cell: %+v", i+1, f.Line, f.Cell, i+3, f)
		}
	}
}

// Issue 19 item 6: a plan saved with carriage returns alone as line ends reads like the same
// plan with line feeds.
func TestCROnlyPlan(t *testing.T) {
	lf := "某县2026年度计划\n序号\t抽查事项\t抽查对象范围\t抽查比例\t抽查频次\t抽查时间\t牵头部门\n1\t事项\t对象\t10%\t1\t全年\t甲局\n2\t事项二\t对象\t20%\t1\t全年\t甲局\n"
	a, err := Parse(strings.NewReader(lf), "lf.tsv", "X")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(strings.NewReader(strings.ReplaceAll(lf, "\n", "\r")), "cr.tsv", "X")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tasks) != 2 || len(b.Tasks) != 2 || b.Tasks[1].Ratio.Percent != "20" || b.Tasks[1].Line != a.Tasks[1].Line {
		t.Errorf("lf %d tasks, cr %d tasks (%+v)", len(a.Tasks), len(b.Tasks), b.Tasks)
	}
}
