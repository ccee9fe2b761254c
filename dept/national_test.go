package dept

import (
	"reflect"
	"strings"
	"testing"
)

// National names of the 部门联合抽查 lists match the local bureaus of any place, with the
// plan's district as the only place known (no built-in district list).
func TestNationalNamesAnyPlace(t *testing.T) {
	m := DefaultMap()
	tests := []struct {
		district, plan, roster string
	}{
		{"万宁市", "市场监管部门", "万宁市市场监督管理局"},
		{"万宁市", "住建", "万宁市住房和城乡建设局"},
		{"万宁市", "住房和城乡建设部门", "万宁市住房和城乡建设局"},
		{"万宁市", "发展改革部门", "万宁市发展和改革委员会"},
		{"万宁市", "人力资源社会保障部门", "万宁市人力资源和社会保障局"},
		{"万宁市", "生态环境部门", "海南省万宁市生态环境局"},
		{"无为市", "交通运输部门", "无为市交通运输局"},
		{"无为市", "卫生健康部门", "无为市卫生健康委员会"},
		{"无为市", "卫生健康行政部门", "无为市卫生健康委员会"},
		{"无为市", "应急管理部门", "无为市应急管理局"},
		{"无为市", "文化和旅游部门", "无为市文化和旅游局"},
		{"无为市", "教育行政部门", "无为市教育局"},
		{"无为市", "粮食行政管理部门", "无为市粮食和物资储备局"},
		{"无为市", "同级市场监管部门", "无为市市场监督管理局"},
		{"鄂城区", "公安部门", "鄂州市公安局鄂城分局"},
		{"鄂城区", "公安机关", "鄂州市公安局鄂城分局"},
		{"鄂城区", "税务部门", "国家税务总局鄂州市鄂城区税务局"},
		{"鄂城区", "税务机关", "国家税务总局鄂州市鄂城区税务局"},
		{"土默特左旗", "农业农村部门", "土默特左旗农业农村局"},
		{"土默特左旗", "商务部门", "内蒙古自治区呼和浩特市土默特左旗商务局"},
		{"土默特左旗", "民政部门", "土默特左旗民政局"},
		{"琼中黎族苗族自治县", "自然资源部门", "琼中黎族苗族自治县自然资源和规划局"},
		{"琼中黎族苗族自治县", "水利部门", "琼中黎族苗族自治县水务局"},
		{"琼中黎族苗族自治县", "林业部门", "琼中黎族苗族自治县林业局"},
		{"汾阳市", "消防救援机构", "汾阳市消防救援大队"},
		{"汾阳市", "烟草专卖局", "汾阳市烟草专卖局"},
		{"汾阳市", "烟草专卖行政主管部门", "汾阳市烟草专卖局"},
		{"汾阳市", "邮政管理局", "汾阳市邮政管理局"},
		{"汾阳市", "邮政管理部门", "汾阳市邮政管理局"},
		{"汾阳市", "医保局", "汾阳市医疗保障局"},
		{"汾阳市", "医疗保障部门", "汾阳市医疗保障局"},
		{"汾阳市", "宣传部门", "中共汾阳市委宣传部"},
		{"汾阳市", "教育部门", "汾阳市教育科技局"},
		{"汾阳市", "退役军人事务部门", "汾阳市退役军人事务局"},
		{"汾阳市", "气象主管机构", "汾阳市气象局"},
		{"汾阳市", "司法行政部门", "汾阳市司法局"},
		{"汾阳市", "知识产权部门", "汾阳市市场监督管理局"},
		{"长治高新区", "市场监管部门", "长治高新技术产业开发区市场监督管理局"},
		{"高新区", "市场监管部门", "高新技术产业开发区市场监督管理局"},
		{"经开区", "应急管理部门", "经济技术开发区应急管理局"},
		{"万宁市", "万宁市场监管局", "万宁市市场监督管理局"}, // short form of the plan's district
	}
	for _, tc := range tests {
		// The roster has the bureau of the task's district and the same bureau of another place.
		roster := []string{"定安县" + m.Canonical(tc.roster), "长治市沁县市场监督管理局", tc.roster}
		sc := Scope{Districts: []string{tc.district}, District: tc.district}
		got := m.Resolve(sc, []Cell{{Role: "initiator", Text: tc.plan}}, roster)
		if len(got) != 1 || got[0].Roster != tc.roster || got[0].Flag != "" {
			t.Errorf("%s: %q → %+v, want %q", tc.district, tc.plan, got, tc.roster)
		}
	}
}

// The same department of another district never matches, whatever form its name has.
func TestOtherPlaceNeverMatches(t *testing.T) {
	m := DefaultMap()
	for _, roster := range []string{"琼海市市场监督管理局", "海南省琼海市市场监督管理局", "长治市沁县市场监督管理局", "沁县市场监督管理局", "万宁高新区市场监督管理局"} {
		sc := Scope{Districts: []string{"万宁市"}, District: "万宁市"}
		if got := m.Resolve(sc, []Cell{{Text: "市场监管部门"}}, []string{roster}); got[0].Roster != "" {
			t.Errorf("万宁市 市场监管部门 matched %q", got[0].Roster)
		}
	}
}

// Places: the last of several is the district; no list of places is needed.
func TestPlaces(t *testing.T) {
	m := DefaultMap()
	tests := []struct{ name, district, dept string }{
		{"万宁市市场监督管理局", "万宁市", "市场监督管理局"},
		{"海南省万宁市市场监督管理局", "万宁市", "市场监督管理局"},
		{"吕梁市汾阳市公安局", "汾阳市", "公安局"},
		{"内蒙古自治区呼和浩特市土默特左旗商务局", "土默特左旗", "商务局"},
		{"琼中黎族苗族自治县水务局", "琼中黎族苗族自治县", "水利局"},
		{"恩施土家族苗族自治州恩施市应急管理局", "恩施市", "应急管理局"},
		{"鄂州市公安局鄂城分局", "鄂州市", "公安局"}, // without the plan 鄂城 is not known as a place
		{"国家税务总局鄂州市鄂城区税务局", "鄂城区", "税务局"},
		{"中共汾阳市委宣传部", "汾阳市", "宣传部"},
		{"杭州市市场监督管理局", "杭州市", "市场监督管理局"},
		{"沁县市场监管局价监股", "沁县", "市场监督管理局"},
		{"公安县市场监督管理局", "公安县", "市场监督管理局"}, // a place longer than the alias it starts with
		{"公安局交通管理大队", "", "公安局"},
		{"城市管理局", "", "城市管理局"},
		{"景区管理委员会", "", "景区管理委员会"},
	}
	for _, tc := range tests {
		n, ok := m.Parse(tc.name)
		if !ok || n.District != tc.district || n.Dept != tc.dept {
			t.Errorf("Parse(%q) = %+v, %v; want district %q, dept %q", tc.name, n, ok, tc.district, tc.dept)
		}
	}
	// With the plan's district the branch gets its full name.
	if n, _ := m.WithDistricts("鄂城区").Parse("鄂州市公安局鄂城分局"); n.District != "鄂城区" {
		t.Errorf("鄂州市公安局鄂城分局 in a 鄂城区 plan: district %q", n.District)
	}
	// Short forms and zone forms come from the plan's districts only.
	w := m.WithDistricts("潞州区", "万宁市", "长治高新区", "屯留区")
	for name, want := range map[string]string{
		"潞州区": "潞州区", "潞州": "潞州区", "万宁": "万宁市", "长治市潞州区": "潞州区", "山西省长治市屯留区": "屯留区",
		"长治高新技术产业开发区": "长治高新区", "长治高新技术开发区": "长治高新区",
	} {
		if got := w.District(name); got != want {
			t.Errorf("District(%q) = %q, want %q", name, got, want)
		}
	}
	if got := m.District("潞州"); got != "潞州" {
		t.Errorf("without the plan, District(潞州) = %q, want it unchanged", got)
	}
}

// Shared suffixes: a list with one suffix names one department per item.
func TestSharedSuffix(t *testing.T) {
	m := DefaultMap()
	tests := []struct {
		cell string
		want []string
	}{
		{"人力资源和社会保障、商务、税务部门", []string{"人力资源和社会保障局@汾阳市", "商务局@汾阳市", "税务局@汾阳市"}},
		{"市场监管、税务部门", []string{"市场监督管理局@汾阳市", "税务局@汾阳市"}},
		{"教育、卫生健康部门", []string{"教育局@汾阳市", "卫生健康局@汾阳市"}},
		{"公安、税务部门", []string{"公安局@汾阳市", "税务局@汾阳市"}},
		{"汾阳市市场监管、税务、交通运输局", []string{"市场监督管理局@汾阳市", "税务局@汾阳市", "交通运输局@汾阳市"}},
		{"宣传部门、消防救援机构", []string{"宣传部@汾阳市", "消防救援大队@汾阳市"}},
	}
	for _, tc := range tests {
		var got []string
		for _, p := range m.Split(tc.cell, Scope{Districts: []string{"汾阳市"}, District: "汾阳市"}) {
			got = append(got, describe(p))
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, want %q", tc.cell, got, tc.want)
		}
	}
	// The first example spelled out: the texts the draw and dept match show.
	got := Texts(m.Split("人力资源和社会保障、商务、税务部门", Scope{}))
	if want := []string{"人力资源和社会保障部门", "商务部门", "税务部门"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Split = %q, want %q", got, want)
	}
}

// Placeholders and vague lists are flagged, never matched, and never swallowed as a
// sub-unit of the department before them.
func TestPlaceholdersFlagged(t *testing.T) {
	m := DefaultMap()
	roster := []string{"万宁市市场监督管理局", "万宁市教育局", "万宁市公安局", "万宁市民政局"}
	sc := Scope{Districts: []string{"万宁市"}, District: "万宁市"}
	tests := []struct {
		cell string
		want []string // "roster" or "!flag text"
	}{
		{"相关部门", []string{"!placeholder 相关部门"}},
		{"市场监管领域相关部门", []string{"!placeholder 市场监管领域相关部门"}},
		{"各有关部门", []string{"!placeholder 各有关部门"}},
		{"有关部门", []string{"!placeholder 有关部门"}},
		{"行业主管部门", []string{"!placeholder 行业主管部门"}},
		{"其他相关部门", []string{"!placeholder 其他相关部门"}},
		{"市场监管部门、相关部门", []string{"万宁市市场监督管理局", "!placeholder 相关部门"}},
		{"万宁市公安局、各乡镇", []string{"万宁市公安局", "!placeholder 各乡镇"}},
		{"教育、民政等部门", []string{"万宁市教育局", "万宁市民政局", "!incomplete 教育、民政等部门"}},
		{"市场监管部门等", []string{"万宁市市场监督管理局", "!incomplete 市场监管部门等"}},
		{"教育部门等相关部门", []string{"万宁市教育局", "!incomplete 教育部门等相关部门"}},
		{"教育或民政部门", []string{"!alternative 教育或民政部门"}},
		{"公安部门或市场监管部门、民政部门", []string{"!alternative 公安部门或市场监管部门", "万宁市民政局"}},
	}
	for _, tc := range tests {
		var got []string
		for _, r := range m.Resolve(sc, []Cell{{Role: "cooperator", Text: tc.cell}}, roster) {
			if r.Flag != "" {
				if r.Roster != "" {
					t.Errorf("%q: flagged piece %q matched %q", tc.cell, r.Text, r.Roster)
				}
				got = append(got, "!"+string(r.Flag)+" "+r.Text)
				continue
			}
			got = append(got, r.Roster)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Resolve(%q) = %q, want %q", tc.cell, got, tc.want)
		}
	}
	if _, ok := m.MatchIn("市场监管领域相关部门", "万宁市", roster); ok {
		t.Error("MatchIn matched a placeholder")
	}
	if got := m.LegalName("相关部门", sc); got != "" {
		t.Errorf("LegalName(相关部门) = %q", got)
	}
	for _, f := range []Flag{Placeholder, Incomplete, Alternative} {
		if f.Note() == "" {
			t.Errorf("flag %s has no note", f)
		}
	}
}

// cells entries make a flagged text explicit; the entry may name no department.
func TestCellsEntries(t *testing.T) {
	m, err := LoadMap(strings.NewReader(`
cells:
  - text: 市场监管领域相关部门
    departments: [市场监管部门, 公安部门]
  - text: 教育、民政等部门
    departments: [教育部门, 民政部门]
  - text: 教育或民政部门
    departments: [民政部门]
  - text: 各乡镇
    departments: []
`), "cells.yaml")
	if err != nil {
		t.Fatal(err)
	}
	roster := []string{"万宁市市场监督管理局", "万宁市教育局", "万宁市公安局", "万宁市民政局"}
	sc := Scope{Districts: []string{"万宁市"}, District: "万宁市"}
	tests := []struct {
		cell string
		want []string
	}{
		{"市场监管领域相关部门", []string{"万宁市市场监督管理局", "万宁市公安局"}},
		{"教育、民政等部门", []string{"万宁市教育局", "万宁市民政局"}},
		{"教育或民政部门、公安部门", []string{"万宁市民政局", "万宁市公安局"}},
		{"万宁市公安局、各乡镇", []string{"万宁市公安局", "(none)"}},
	}
	for _, tc := range tests {
		var got []string
		for _, r := range m.Resolve(sc, []Cell{{Text: tc.cell}}, roster) {
			switch {
			case r.Flag != "":
				got = append(got, "!"+string(r.Flag))
			case r.Explicit && r.Dept == "":
				got = append(got, "(none)")
			default:
				got = append(got, r.Roster)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Resolve(%q) = %q, want %q", tc.cell, got, tc.want)
		}
	}
	if _, err := LoadMap(strings.NewReader("cells:\n  - departments: [公安部门]\n"), "x.yaml"); err == nil || !strings.Contains(err.Error(), "text") {
		t.Errorf("a cells entry without text: %v", err)
	}
}

// LegalName: the bureau a plan department means, without a roster (for the notice).
func TestLegalName(t *testing.T) {
	m := DefaultMap()
	tests := []struct {
		name string
		sc   Scope
		want string
	}{
		{"沁县市场监管局价监股", Scope{}, "沁县市场监督管理局"},
		{"县市场局", Scope{District: "沁县"}, "沁县市场监督管理局"},
		{"市场监管部门", Scope{District: "万宁市"}, "万宁市市场监督管理局"},
		{"万宁市市场监督管理局", Scope{District: "万宁市"}, "万宁市市场监督管理局"},
		{"税务部门", Scope{District: "万宁市"}, "国家税务总局万宁市税务局"},
		{"宣传部门", Scope{District: "汾阳市"}, "中共汾阳市委宣传部"},
		{"潞州区人社局", Scope{}, "潞州区人力资源和社会保障局"},
		{"市公安局潞州分局", Scope{Districts: []string{"潞州区"}, District: "潞州区"}, "潞州区公安局"},
		{"长治市生态环境局沁源分局法制科", Scope{Districts: []string{"沁源县"}}, "沁源县生态环境局"},
		{"消防救援机构", Scope{District: "汾阳市"}, "汾阳市消防救援大队"},
		{"乡村振兴局", Scope{District: "沁县"}, ""}, // not in the table
		{"各乡镇", Scope{District: "沁县"}, ""},
	}
	for _, tc := range tests {
		if got := m.LegalName(tc.name, tc.sc); got != tc.want {
			t.Errorf("LegalName(%q, %+v) = %q, want %q", tc.name, tc.sc, got, tc.want)
		}
	}
}

// The printed table reads back as the same table; replace: true drops the built-in entries.
func TestPrintedTableRoundTrip(t *testing.T) {
	printed, err := LoadMap(strings.NewReader(string(DefaultYAML())), "printed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := DefaultMap()
	if !reflect.DeepEqual(printed.alias, d.alias) || !reflect.DeepEqual(printed.merges, d.merges) ||
		!reflect.DeepEqual(printed.legal, d.legal) || !reflect.DeepEqual(printed.prefixes, d.prefixes) || !reflect.DeepEqual(printed.generic, d.generic) {
		t.Error("the printed table read back differs from the built-in one")
	}
	// An edited copy with replace: true is the whole table: an alias deleted from it is gone.
	edited := strings.Replace(string(DefaultYAML()), " 工商局, 工商行政管理局, 工商,", "", 1)
	if edited == string(DefaultYAML()) {
		t.Fatal("the aliases to delete are not in the table")
	}
	em, err := LoadMap(strings.NewReader(edited), "edited.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := em.Parse("沁县工商局"); n.Known {
		t.Errorf("edited table still knows 工商局: %+v", n)
	}
	if n, _ := DefaultMap().Parse("沁县工商局"); !n.Known {
		t.Errorf("the built-in table does not know 工商局: %+v", n)
	}
	// Without replace the file is added over the built-in table.
	am, err := LoadMap(strings.NewReader("departments:\n  - name: 乡村振兴局\n    aliases: [振兴局]\n"), "add.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := am.Parse("沁县市场局"); !n.Known {
		t.Error("an added file lost the built-in aliases")
	}
	// districts: read for compatibility, its names are places.
	om, err := LoadMap(strings.NewReader("districts:\n  - {name: 新区, short: [新]}\n"), "old.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := om.Parse("新市场局"); n.District != "新区" {
		t.Errorf("districts key not read: %+v", n)
	}
}

// TestSharedSuffixBack: a list's unit word is shared back from the next piece that has one, to
// names the table knows and to names it does not (投资促进); a piece that ends in a unit of its
// own (消防救援机构, 县政府) takes none and passes none back. Lists from the 青山区 2024 plan.
func TestSharedSuffixBack(t *testing.T) {
	m := DefaultMap()
	for _, c := range []struct {
		cell string
		want []string
	}{
		{"人力资源和社会保障、投资促进、税务部门", []string{"人力资源和社会保障部门", "投资促进部门", "税务部门"}},
		{"公安、卫生健康、市场监管部门、消防救援机构", []string{"公安部门", "卫生健康部门", "市场监管部门", "消防救援机构"}},
		{"城乡建设、卫生健康、市场监管部门 消防救援机构", []string{"城乡建设部门", "卫生健康部门", "市场监管部门", "消防救援机构"}},
		{"县政府、教育部门", []string{"县政府", "教育部门"}},
		{"市场监管部门、税务", []string{"市场监管部门", "税务"}},
		{"潞州区市场监管、税务、交通运输局", []string{"潞州区市场监管局", "潞州区税务局", "潞州区交通运输局"}},
	} {
		if got := Texts(m.Split(c.cell, Scope{})); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.cell, got, c.want)
		}
	}
}
