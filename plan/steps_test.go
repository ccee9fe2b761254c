package plan

import (
	"reflect"
	"strings"
	"testing"
)

// Table tests of parseRows' named steps on a Changzhi-template header.

func templateReader(t *testing.T) *reader {
	t.Helper()
	h, ok := headerOf(strings.Split("地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t智慧监管(信用风险分类)要求\t抽查检查起止时间\t发起部门\t配合部门\t抽查检查模式", "\t"))
	if !ok {
		t.Fatal("no header")
	}
	return &reader{src: &sourceRows{name: "t"}, p: &Plan{ID: "T"}, hdr: h, bySeq: map[int]int{}, dups: map[int]int{}, group: -1}
}

func TestStepReadSeq(t *testing.T) {
	rd := templateReader(t)
	rd.lastN = 7
	cases := []struct {
		in     string
		n      int
		coded  bool
		number bool
	}{
		{"12", 12, false, true}, {"001", 1, false, true}, {"****002", 2, false, true}, {"1.", 1, false, true},
		{"(3)", 3, false, true}, {"３、", 3, false, true}, {"第4", 4, false, true},
		{"****", 8, true, true}, {"0", 8, true, true},
		{"填报人:", 0, false, false}, {"合计", 0, false, false}, {"1234567", 0, false, false},
	}
	for _, c := range cases {
		n, coded, ok := rd.readSeq(c.in)
		if n != c.n || (coded != "") != c.coded || ok != c.number {
			t.Errorf("readSeq(%q) = %d, %q, %v", c.in, n, coded, ok)
		}
	}
}

func TestStepRestoreLostDistrict(t *testing.T) {
	rd := templateReader(t)
	row := func(s string) []string { return strings.Split(s, "\t") }
	cases := []struct {
		in      string
		want    string
		repairs int
	}{
		// Lost its district cell: one column left, the last column missing.
		{"313\t任务\t事项\t范围\t10%\t无\t7月\t甲局\t乙局\t县抽县查", "\t313\t任务\t事项\t范围\t10%\t无\t7月\t甲局\t乙局\t县抽县查", 1},
		// A full row whose district cell is a number is not shifted (readDistrict flags it).
		{"390\t任务\t事项\t范围\t10%\t无\t7月\t甲局\t乙局\t县抽县查\t多", "390\t任务\t事项\t范围\t10%\t无\t7月\t甲局\t乙局\t县抽县查\t多", 0},
		{"沁县\t5\t任务\t事项", "沁县\t5\t任务\t事项", 0},
		{"\t5\t任务\t事项", "\t5\t任务\t事项", 0},
		{"5\t6\t任务", "5\t6\t任务", 0},
	}
	for _, c := range cases {
		got, reps := rd.restoreLostDistrict(rawRow{}, row(c.in), nil)
		if strings.Join(got, "\t") != c.want || len(reps) != c.repairs {
			t.Errorf("restoreLostDistrict(%q) = %q, %v", c.in, strings.Join(got, "\t"), reps)
		}
	}
}

func TestStepReadDistrict(t *testing.T) {
	rd := templateReader(t)
	var v [numCols]string
	v[colDistrict], v[colSeq] = "长治市 潞州区", "1"
	reps, flags := rd.readDistrict(rawRow{}, &v, nil, nil)
	if rd.district != "潞州区" || len(reps) != 1 || len(flags) != 0 {
		t.Errorf("district %q repairs %v flags %v", rd.district, reps, flags)
	}
	v[colDistrict], v[colSeq] = "390", "2"
	_, flags = rd.readDistrict(rawRow{}, &v, nil, nil)
	if rd.district != "潞州区" || len(flags) != 1 || flags[0].Kind != FlagDistrict {
		t.Errorf("a digit district: district %q flags %v", rd.district, flags)
	}
	rd2 := templateReader(t)
	v[colDistrict], v[colSeq] = "", "1"
	_, flags = rd2.readDistrict(rawRow{}, &v, nil, nil)
	if len(flags) != 1 || !strings.Contains(flags[0].Message, "--plan-district") {
		t.Errorf("no district: flags %v", flags)
	}
}

func TestStepUnslide(t *testing.T) {
	rd := templateReader(t)
	cases := []struct{ ini, co, mode, window, wantIni, wantCo, wantMode, wantWindow string }{
		{"", "区抽区查", "", "4月", "", "", "区抽区查", "4月"},
		{"乙局", "区抽区查", "", "4月", "", "乙局", "区抽区查", "4月"},
		{"甲局", "乙局", "5月—7月", "", "甲局", "乙局", "", "5月—7月"},
		{"甲局", "", "潞州区住建局", "4月", "甲局", "潞州区住建局", "", "4月"},
		{"甲局", "乙局", "市级发起,下派区级检查", "4月", "甲局", "乙局", "市级发起,下派区级检查", "4月"},
		{"甲局", "乙局", "市抽县(区)查", "4月", "甲局", "乙局", "市抽县(区)查", "4月"},
	}
	for _, c := range cases {
		var v [numCols]string
		v[colInitiator], v[colCooperators], v[colMode], v[colWindow] = c.ini, c.co, c.mode, c.window
		rd.unslide(&v, nil)
		got := []string{v[colInitiator], v[colCooperators], v[colMode], v[colWindow]}
		if want := []string{c.wantIni, c.wantCo, c.wantMode, c.wantWindow}; !reflect.DeepEqual(got, want) {
			t.Errorf("unslide(%q %q %q %q) = %q, want %q", c.ini, c.co, c.mode, c.window, got, want)
		}
	}
}

func TestStepInherit(t *testing.T) {
	rd := templateReader(t)
	var a, b [numCols]string
	a[colName], a[colRatio], a[colInitiator] = "任务", "10%", "甲局"
	rd.inherit(rawRow{}, &a, nil)
	b[colName] = "任务二"
	reps := rd.inherit(rawRow{}, &b, nil)
	if b[colRatio] != "10%" || b[colInitiator] != "甲局" || b[colName] != "任务二" || len(reps) != 1 {
		t.Errorf("inherit: %q %q %q %v", b[colName], b[colRatio], b[colInitiator], reps)
	}
}

// sourceOf makes the rows of a text table (cells split by tabs), numbered from 1.
func sourceOf(lines ...string) *sourceRows {
	src := &sourceRows{name: "t.tsv"}
	for i, l := range lines {
		src.rows = append(src.rows, rawRow{line: i + 1, cells: strings.Split(l, "\t")})
	}
	return src
}

func TestStepFindHeader(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		at      int    // index of the header row; -1 for a refusal
		title   string // the title taken from the lines above
		problem string // a problem the header itself causes ("" for none)
	}{
		{"template header first", []string{"地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t抽查检查起止时间\t发起部门"}, 0, "", ""},
		{"title lines above, merged title repeated in every cell",
			[]string{"上高县市场监督管理局2023年度双随机抽查计划\t上高县市场监督管理局2023年度双随机抽查计划", "", "序号\t抽查事项\t抽查对象\t抽查比例\t抽查频次\t抽查时间\t实施部门"},
			2, "上高县市场监督管理局2023年度双随机抽查计划", ""},
		{"synonyms, no time column", []string{"序号\t检查事项\t检查对象\t抽查比例\t牵头部门\t参与部门"}, 0, "", "表中没有抽查时间列"},
		{"no ratio column", []string{"序号\t抽查事项\t抽查对象范围\t抽查检查起止时间"}, 0, "", "表中没有抽查比例列"},
		{"no header at all", []string{"长治市2026年计划", "1\t任务\t10%"}, -1, "", ""},
	}
	for _, c := range cases {
		rd := &reader{src: sourceOf(c.lines...), p: &Plan{ID: "T"}, bySeq: map[int]int{}, dups: map[int]int{}, group: -1}
		at, err := rd.findHeader()
		if c.at < 0 {
			// The one refusal names the file and shows the lines it looked at.
			if err == nil || !strings.Contains(err.Error(), "t.tsv") || !strings.Contains(err.Error(), "第1行：长治市2026年计划") {
				t.Errorf("%s: err %v", c.name, err)
			}
			continue
		}
		if err != nil || at != c.at || rd.title != c.title {
			t.Errorf("%s: at %d title %q err %v", c.name, at, rd.title, err)
			continue
		}
		found := c.problem == ""
		for _, p := range rd.p.Problems {
			found = found || strings.Contains(p.Message, c.problem)
		}
		if !found {
			t.Errorf("%s: problems %v lack %q", c.name, rd.p.Problems, c.problem)
		}
	}
}

func TestStepSkipRow(t *testing.T) {
	rd := templateReader(t)
	row := func(s string) []string { return strings.Split(s, "\t") }
	cases := []struct {
		in       string
		skip     bool
		reported bool
	}{
		{"\t\t\t", true, false},
		{"长治市2026年度部门联合双随机抽查工作计划", true, false}, // the title again
		{"第 3 页", true, false},
		{"- 12 -", true, false},
		{"填表说明：比例为最低比例", true, true}, // one cell of nothing known: skipped and reported
		{"沁县\t5\t任务\t事项\t范围\t10%", false, false},
		{"\t\t\t\t\t\t\t\t\t县交通局", false, false}, // a cooperator-only sub-row
	}
	for _, c := range cases {
		before := len(rd.p.Problems)
		skip := rd.skipRow(rawRow{line: 9}, row(c.in))
		if skip != c.skip || (len(rd.p.Problems) > before) != c.reported {
			t.Errorf("skipRow(%q) = %v, problems %v", c.in, skip, rd.p.Problems[before:])
		}
	}
}

// TestStepHeaderRow: a page's repeated header is taken (with nothing reported), a data row
// or a title line is not a header row.
func TestStepHeaderRow(t *testing.T) {
	rd := templateReader(t)
	rows := []rawRow{
		{line: 9, cells: strings.Split("地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次", "\t")},
		{line: 10, cells: strings.Split("沁县\t5\t任务\t事项\t范围\t10%", "\t")},
		{line: 11, cells: []string{"长治市2026年度部门联合双随机抽查工作计划"}},
	}
	for i, want := range []int{1, 0, 0} {
		before := len(rd.p.Problems)
		if got := rd.headerRow(rows, i, cleanCells(rows[i].cells)); got != want || len(rd.p.Problems) != before {
			t.Errorf("headerRow(%q) = %d, want %d; problems %v", rows[i].cells, got, want, rd.p.Problems[before:])
		}
	}
}

func TestStepBuild(t *testing.T) {
	rd := templateReader(t)
	rd.district, rd.planYear = "沁县", 2026
	var v [numCols]string
	v[colSeq], v[colName], v[colScope] = "007", "任务", "范围"
	v[colRatio], v[colWindow], v[colMode] = "不低于5%，1次/季", "2026年4月1日-2026年9月30日", "县抽县查"
	v[colInitiator], v[colCooperators] = "沁县市场监管局", "沁县住建局、沁县交通局"
	got := rd.build(rawRow{line: 12}, v, 7, nil, nil)
	if got.Seq != 7 || got.SeqText != "007" || got.District != "沁县" || got.Line != 12 ||
		got.Ratio.Percent != "5" || got.Rounds != 2 || got.Window.From != 4 || got.Window.To != 9 || got.Window.ToDay != 30 ||
		!reflect.DeepEqual(got.Cooperators, []string{"沁县住建局", "沁县交通局"}) || len(got.Flags) != 0 {
		t.Errorf("build = %+v", got)
	}
	// Cells without a single reading flag the task; the task is kept.
	v[colRatio], v[colWindow], v[colCooperators] = "10-20%", "2025年3月", "30%"
	got = rd.build(rawRow{line: 13}, v, 8, nil, nil)
	kinds := map[string]bool{}
	for _, f := range got.Flags {
		kinds[f.Kind] = true
	}
	if !kinds[FlagRatio] || !kinds[FlagOtherYear] || !kinds[FlagDept] || got.Seq != 8 {
		t.Errorf("flags %+v", got.Flags)
	}
}

func TestStepSubRow(t *testing.T) {
	newTask := func(rd *reader) {
		var v [numCols]string
		v[colSeq], v[colName], v[colScope], v[colRatio], v[colWindow] = "3", "任务", "范围一", "10%", "4月"
		v[colInitiator] = "沁县市场监管局"
		rd.district = "沁县"
		rd.add(rd.build(rawRow{line: 5}, v, 3, nil, nil), true)
		rd.above = v
	}
	// A further scope and a cooperator join the task above.
	rd := templateReader(t)
	newTask(rd)
	var v [numCols]string
	v[colScope], v[colCooperators] = "范围二", "沁县公安局"
	rd.subRow(rawRow{line: 6}, v, []string{"", "", "", "", "范围二"}, nil, nil)
	if len(rd.p.Tasks) != 1 || !reflect.DeepEqual(rd.p.Tasks[0].Scopes, []string{"范围一", "范围二"}) ||
		!reflect.DeepEqual(rd.p.Tasks[0].Cooperators, []string{"沁县公安局"}) {
		t.Errorf("further scope: %+v", rd.p.Tasks)
	}
	// A row with a ratio of its own is a task of its own under the same 序号: 3.1 and 3.2.
	rd = templateReader(t)
	newTask(rd)
	v = [numCols]string{}
	v[colScope], v[colRatio] = "范围二", "30%"
	rd.subRow(rawRow{line: 6}, v, []string{"", "", "", "", "范围二", "30%"}, nil, nil)
	if len(rd.p.Tasks) != 2 || rd.p.Tasks[0].Part != 1 || rd.p.Tasks[1].Part != 2 ||
		rd.p.Tasks[1].Ratio.Percent != "30" || rd.p.Tasks[0].Ratio.Percent != "10" || rd.p.Tasks[1].Seq != 3 {
		t.Errorf("own ratio: %+v", rd.p.Tasks)
	}
	// Before any task, a row without 序号 is reported, not lost silently.
	rd = templateReader(t)
	rd.subRow(rawRow{line: 2}, v, []string{"范围二"}, nil, nil)
	if len(rd.p.Tasks) != 0 || len(rd.p.Problems) != 1 {
		t.Errorf("before any task: tasks %v problems %v", rd.p.Tasks, rd.p.Problems)
	}
}

// TestHeaderJointDepts: 联查部门 is the initiator column of a table without another, the
// cooperators column beside 牵头部门 or 发起部门, and ignored beside a 配合部门 column too.
func TestHeaderJointDepts(t *testing.T) {
	cases := []struct {
		head            string
		ini, coop       int
		joint           bool
		ignoredJointCol bool
	}{
		{"序号\t行业\t任务名称\t联查部门\t抽查事项\t联查对象", 3, -1, false, false},
		{"序号\t行业\t牵头部门\t任务名称\t联查部门\t抽查事项\t联查对象", 2, 4, true, false},
		{"序号\t任务名称\t联查部门\t抽查事项\t发起部门", 4, 2, true, false},
		{"序号\t任务名称\t牵头部门\t联查部门\t参与部门\t抽查事项", 2, 4, false, true},
	}
	for _, c := range cases {
		h, ok := headerOf(strings.Split(c.head, "\t"))
		if !ok {
			t.Fatalf("%q: no header", c.head)
		}
		ignored := false
		for _, s := range h.ignored {
			ignored = ignored || s == "联查部门"
		}
		if h.col[colInitiator] != c.ini || h.col[colCooperators] != c.coop || h.jointCoops != c.joint || ignored != c.ignoredJointCol {
			t.Errorf("%q: initiator %d cooperators %d joint %v 联查部门 ignored %v, want %d %d %v %v", c.head,
				h.col[colInitiator], h.col[colCooperators], h.jointCoops, ignored, c.ini, c.coop, c.joint, c.ignoredJointCol)
		}
	}
}
