package dept

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		cell string
		want []string
	}{
		{"潞州区市场监管、税务、交通运输局", []string{"潞州区市场监管局", "潞州区税务局", "潞州区交通运输局"}},
		{"潞州区住房城乡建设、交通运输局", []string{"潞州区住房城乡建设局", "潞州区交通运输局"}},
		{"黎城县市场监管、税务部门", []string{"黎城县市场监管部门", "黎城县税务部门"}},
		{"潞州区文旅/市场/公安", []string{"潞州区文旅", "潞州区市场", "潞州区公安"}},
		{"潞城区市场监管局、区消防救援大队", []string{"潞城区市场监管局", "潞城区消防救援大队"}},
		{"壶关县市场监管局壶关县税务局", []string{"壶关县市场监管局", "壶关县税务局"}},
		{"沁源县市场监管局应急管理局", []string{"沁源县市场监管局", "沁源县应急管理局"}},
		{"黎城县农业农村局和水利局", []string{"黎城县农业农村局", "黎城县水利局"}},
		{"长子县市场局 长子县应急局 长子县城建局", []string{"长子县市场局", "长子县应急局", "长子县城建局"}},
		{"县教育局、县民政局等", []string{"县教育局", "县民政局"}}, // the 等 marker: TestPlaceholdersFlagged
		{"长治市屯留区卫生健康和体育局或长治市屯留区文化和旅游局", []string{"长治市屯留区卫生健康和体育局或长治市屯留区文化和旅游局"}},
		{"壶关县市场监管局、", []string{"壶关县市场监管局"}},
		{"沁县市场监管局、沁县市场监管局", []string{"沁县市场监管局"}},
		// One department, not two.
		{"住房和城乡建设局", []string{"住房和城乡建设局"}},
		{"黎城县城乡建设和交通运输局", []string{"黎城县城乡建设和交通运输局"}},
		{"沁源县公安局交通管理大队", []string{"沁源县公安局交通管理大队"}},
		{"沁县发改局-人防部门", []string{"沁县发改局-人防部门"}},
		{"潞州区发改局（潞州区国动办）", []string{"潞州区发改局"}},
		// One department at several levels (forestry-2019, wuwei-2023): not a list.
		{"市、县级林业主管部门", []string{"县级林业主管部门"}},
		{"省、市、县三级市场监管部门", []string{"县级市场监管部门"}},
		{"市县两级林业部门", []string{"县级林业部门"}},
		{"市、县(市、区)粮食行政管理部门", []string{"县粮食行政管理部门"}},
		{"县市场监管局", []string{"县市场监管局"}},
		{"区市场监管局、区税务局", []string{"区市场监管局", "区税务局"}},
		// Sub-units after a separator stay with their department.
		{"沁源县卫体局监督二、三股", []string{"沁源县卫体局监督二、三股"}},
		{"沁源县民政局 养老股", []string{"沁源县民政局 养老股"}},
		{"长治市生态环境局 沁源分局法制科", []string{"长治市生态环境局 沁源分局法制科"}},
		// Nothing a department: kept for the caller to report.
		{"区抽区查", []string{"区抽区查"}},
		{"  ", nil},
	}
	for _, tc := range tests {
		got := Texts(DefaultMap().Split(tc.cell, changzhi))
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, want %q", tc.cell, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		want Name
		ok   bool
	}{
		{"沁县市场监管局价监股", Name{Dept: "市场监督管理局", District: "沁县", SubUnit: "价监股", Known: true}, true},
		{"县市场局", Name{Dept: "市场监督管理局", Known: true}, true},
		{"市场监管部门", Name{Dept: "市场监督管理局", Known: true}, true},
		{" 沁县 住建局 ", Name{Dept: "住房和城乡建设局", District: "沁县", Known: true}, true},
		{"沁县住房和城乡建设管理局", Name{Dept: "住房和城乡建设局", District: "沁县", Known: true}, true},
		{"ＡＢ沁县市场局", Name{Dept: "AB沁县市场局", Known: false}, true}, // NFKC; unknown text falls back
		{"长治市公安局屯留分局", Name{Dept: "公安局", District: "屯留区", Known: true}, true},
		{"长治市生态环境局沁源分局法制科", Name{Dept: "生态环境局", District: "沁源县", SubUnit: "法制科", Known: true}, true},
		{"中共武乡县委宣传部", Name{Dept: "宣传部", District: "武乡县", Known: true}, true},
		{"国家税务总局长治市屯留区税务局", Name{Dept: "税务局", District: "屯留区", Known: true}, true},
		{"沁县乡村振兴局综合股", Name{Dept: "乡村振兴局", District: "沁县", SubUnit: "综合股"}, true},
		{"各乡镇", Name{}, false},
		{"区抽区查", Name{}, false},
		{"", Name{}, false},
	}
	m := DefaultMap().WithDistricts(changzhi.Districts...)
	for _, tc := range tests {
		got, ok := m.Parse(tc.name)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// Departments of the shared inspector rosters (testdata/rosters/*-inspectors.xlsx, 所属部门).
var (
	qinxianRoster = []string{"沁县市场监督管理局", "沁县住房和城乡建设管理局", "沁县农业农村局", "沁县民政局", "沁县公安局", "沁县教育局"}
	luzhouRoster  = []string{"潞州区市场监督管理局", "潞州区住房和城乡建设局", "潞州区公安局", "潞州区文化和旅游局", "潞州区应急管理局"}
)

// TestRosterDepartmentsOfTheirTasks: every department of a 沁县 or 潞州区 task of the plan that
// the district's roster has, matches it (cells from the plan, tasks 1–42 and 267–297).
func TestRosterDepartmentsOfTheirTasks(t *testing.T) {
	tests := []struct {
		district string
		roster   []string
		plan     []string // plan cells (initiators and cooperators) of the district's tasks
		want     map[string]string
	}{
		{"沁县", qinxianRoster,
			[]string{"沁县市场监管局价监股", "沁县住建局", "沁县市场监管局", "沁县市场局、沁县应急局、沁县商务局、沁县消防队、沁县公安局、各乡镇",
				"沁县市场监管局食品股", "沁县教育局", "沁县市场监管局市场信用股", "沁县人社局", "沁县市场监管局特种设备股",
				"沁县环保局", "沁县住房和城乡建设管理局", "沁县农业农村局", "沁县民政局", "沁县公安局", "沁县市场监管局、沁县税务局",
				"沁县市场监管局 沁县卫体局", "沁县市场监管局 沁县审批局 沁县消防救援大队", "县教育局、县民政局、县商务局、县文旅局、县卫健局等",
				"沁县林业局", "沁县烟草专卖局", "沁县文化和旅游局", "沁县交通运输局", "沁县发改局-粮食和储备部门", "市场监管部门"},
			map[string]string{
				"沁县市场监管局价监股": "沁县市场监督管理局", "沁县住建局": "沁县住房和城乡建设管理局", "沁县市场监管局": "沁县市场监督管理局",
				"沁县市场局": "沁县市场监督管理局", "沁县市场监管局食品股": "沁县市场监督管理局",
				"沁县教育局": "沁县教育局", "沁县市场监管局市场信用股": "沁县市场监督管理局", "沁县市场监管局特种设备股": "沁县市场监督管理局",
				"沁县住房和城乡建设管理局": "沁县住房和城乡建设管理局", "沁县农业农村局": "沁县农业农村局", "沁县民政局": "沁县民政局",
				"沁县公安局": "沁县公安局", "县教育局": "沁县教育局", "县民政局": "沁县民政局", "市场监管部门": "沁县市场监督管理局",
			}},
		{"潞州区", luzhouRoster,
			[]string{"潞州区新闻出版局", "潞州区市场", "潞州区教育局", "潞州区市场监管局、税务局", "潞州区市场监管局", "潞州区民政局",
				"潞州区人社局", "潞州区市场监管、税务、交通运输局", "潞州区住房城乡建设、交通运输局", "潞州区住建局", "潞州区商务局",
				"潞州区文旅局", "潞州区发改局（潞州区国动办）", "潞州区消防大队", "潞州区发改局（潞州区粮食局）", "潞州区市场监督管理局",
				"潞州区医疗保障局", "潞州区行政审批局", "市公安局潞州区分局、潞州区卫生健康委、潞州区市场监督管理局", "潞州区烟草专卖局",
				"潞州区市场局", "潞州区市场局、潞州区公安局", "市公安局潞州分局", "潞州区应急管理局", "潞州区农业农村局", "潞州区文旅/市场/公安",
				"市生态局潞州区分局", "潞州区卫体局", "潞州区交通局", "潞州区水利局"},
			map[string]string{
				"潞州区市场": "潞州区市场监督管理局", "潞州区市场监管局": "潞州区市场监督管理局",
				"潞州区住房城乡建设局": "潞州区住房和城乡建设局", "潞州区住建局": "潞州区住房和城乡建设局", "潞州区文旅局": "潞州区文化和旅游局",
				"潞州区市场监督管理局": "潞州区市场监督管理局", "市公安局潞州区分局": "潞州区公安局", "潞州区市场局": "潞州区市场监督管理局",
				"潞州区公安局": "潞州区公安局", "市公安局潞州分局": "潞州区公安局", "潞州区应急管理局": "潞州区应急管理局",
				"潞州区文旅": "潞州区文化和旅游局", "潞州区公安": "潞州区公安局",
			}},
	}
	m := DefaultMap()
	for _, tc := range tests {
		matched := map[string]bool{}
		for _, cell := range tc.plan {
			for _, r := range m.Resolve(Scope{Districts: changzhi.Districts, District: tc.district}, []Cell{{Text: cell}}, tc.roster) {
				p, got, ok := r.Text, r.Roster, r.Roster != ""
				want, listed := tc.want[p]
				if !listed {
					// Not in the roster: it must not match anything by accident.
					if ok {
						t.Errorf("%s: MatchIn(%q) = %q, want no match", tc.district, p, got)
					}
					continue
				}
				if got != want || !ok {
					t.Errorf("%s: MatchIn(%q) = %q, %v; want %q", tc.district, p, got, ok, want)
				}
				matched[got] = true
			}
		}
		for _, r := range tc.roster {
			if r == "沁县农业农村局" || r == "沁县民政局" || r == "沁县教育局" || r == "沁县公安局" ||
				r == "潞州区公安局" || r == "潞州区文化和旅游局" || r == "潞州区应急管理局" ||
				r == "沁县市场监督管理局" || r == "沁县住房和城乡建设管理局" || r == "潞州区市场监督管理局" || r == "潞州区住房和城乡建设局" {
				if !matched[r] {
					t.Errorf("%s: roster department %q matched by no plan department", tc.district, r)
				}
			}
		}
	}
}

func TestMatchInPreferences(t *testing.T) {
	m := DefaultMap()
	roster := []string{"潞州区市场监督管理局", "沁县市场监督管理局", "市场监督管理局", "沁县卫生健康和体育局", "潞州区卫生健康局", "沁县市场监督管理局价监股"}
	tests := []struct {
		plan, district string
		want           string
		ok             bool
	}{
		{"县市场局", "沁县", "沁县市场监督管理局", true},        // district from the task
		{"市场监管部门", "潞州区", "潞州区市场监督管理局", true},    // same district before no district
		{"市场监管部门", "潞州", "潞州区市场监督管理局", true},     // short district form
		{"市场监管部门", "武乡县", "市场监督管理局", true},       // no own office: the roster's district-less one
		{"沁县市场监管局价监股", "", "沁县市场监督管理局价监股", true}, // same sub-unit
		{"沁县市场监管局食品股", "", "沁县市场监督管理局", true},
		{"潞州区市场监管局", "沁县", "潞州区市场监督管理局", true}, // the name's own district wins over the task's
		{"沁县卫健局", "", "沁县卫生健康和体育局", true},      // merged office stands for 卫生健康局
		{"潞州区卫体局", "", "潞州区卫生健康局", true},       // and the other way round
		{"武乡县卫体局", "", "", false},              // another district never matches
		{"沁县税务局", "沁县", "", false},
		{"各乡镇", "沁县", "", false},
	}
	for _, tc := range tests {
		got, ok := m.MatchIn(tc.plan, tc.district, roster)
		if got != tc.want || ok != tc.ok {
			t.Errorf("MatchIn(%q, %q) = %q, %v; want %q, %v", tc.plan, tc.district, got, ok, tc.want, tc.ok)
		}
	}
	// Match without a district: a plan name with district still only matches its district.
	if got, ok := m.Match("沁县市场局", roster); !ok || got != "沁县市场监督管理局" {
		t.Errorf("Match(沁县市场局) = %q, %v", got, ok)
	}
	// Deterministic whatever the roster order.
	rev := append([]string(nil), roster...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	for _, tc := range tests {
		a, _ := m.MatchIn(tc.plan, tc.district, roster)
		b, _ := m.MatchIn(tc.plan, tc.district, rev)
		if a != b {
			t.Errorf("MatchIn(%q) depends on roster order: %q vs %q", tc.plan, a, b)
		}
	}
}

func TestLoadMap(t *testing.T) {
	m, err := LoadMap(strings.NewReader(`
version: 1
districts:
  - {name: 新区, short: [新]}
departments:
  - name: 乡村振兴局
    aliases: [振兴局, 乡村振兴部门]
  - name: 城市管理局
    aliases: [城管执法队]
  - name: 市场监督管理局
    aliases: [市监局]
`), "extra.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for plan, want := range map[string]string{
		"新区振兴局":      "新区乡村振兴局",
		"新区市监局":      "新区市场监督管理局",
		"新区市场监管局价监股": "新区市场监督管理局", // the embedded aliases still work
		"新区城管执法队":    "新区城市管理局",
	} {
		got, ok := m.MatchIn(plan, "", []string{"新区乡村振兴局", "新区市场监督管理局", "新区城市管理局", "沁县乡村振兴局"})
		if !ok || got != want {
			t.Errorf("MatchIn(%q) = %q, %v; want %q", plan, got, ok, want)
		}
	}
	// The default map is not changed by loading another.
	if _, ok := DefaultMap().Parse("新区振兴局"); ok {
		if n, _ := DefaultMap().Parse("新区振兴局"); n.Known {
			t.Error("LoadMap changed the default map")
		}
	}

	for _, bad := range []struct{ yaml, msg string }{
		{"departments:\n  - name: 甲局\n    aliases: [同名]\n  - name: 乙局\n    aliases: [同名]\n", "同时属于"},
		{"departments:\n  - aliases: [x]\n", "没有名称"},
		{"departments:\n  - name: 甲局\n    merges: [不存在局]\n", "不在对照表中"},
		{"version: 2\n", "版本"},
		{"departmentz: []\n", "departmentz"},
		{"departments: [\n", "extra.yaml"},
	} {
		_, err := LoadMap(strings.NewReader(bad.yaml), "extra.yaml")
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("LoadMap(%q) error = %v, want it to mention %q", bad.yaml, err, bad.msg)
		}
	}
}

func TestDefaultMapValid(t *testing.T) {
	m := DefaultMap()
	// Every canonical department is its own canonical form.
	for a, c := range m.alias {
		if m.alias[c] != c {
			t.Errorf("alias %q → %q, which is not canonical", a, c)
		}
	}
	if w := m.WithDistricts(changzhi.Districts...); w.District("潞州") != "潞州区" || w.District("长治市沁县") != "沁县" || w.District("") != "" ||
		m.District("山西省长治市沁县") != "沁县" || m.District("海南省万宁市") != "万宁市" {
		t.Error("District normalisation is wrong")
	}
}
