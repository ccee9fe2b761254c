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
	if len(flags) != 1 || !strings.Contains(flags[0].Message, "--district") {
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
