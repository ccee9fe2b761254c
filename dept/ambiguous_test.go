package dept

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// resolveOne resolves one initiator cell against roster in a task of district, and checks
// that the answer does not depend on the roster's order.
func resolveOne(t *testing.T, m Map, district, cell string, roster []string) []Match {
	t.Helper()
	sc := Scope{Districts: []string{district}, District: district}
	got := m.Resolve(sc, []Cell{{Role: "initiator", Text: cell}}, roster)
	rev := slices.Clone(roster)
	slices.Reverse(rev)
	if again := m.Resolve(sc, []Cell{{Role: "initiator", Text: cell}}, rev); !reflect.DeepEqual(got, again) {
		t.Errorf("%q: depends on the roster's order: %+v vs %+v", cell, got, again)
	}
	return got
}

// A roster that lists people by sub-unit only, for a plan that names the bureau: no sub-unit is
// picked (it was the byte-wise first, 南门所, leaving out 执法大队's people).
func TestAmbiguousSubUnits(t *testing.T) {
	m := DefaultMap()
	roster := []string{"海曙区市场监督管理局执法大队", "海曙区市场监督管理局南门所"}
	// By hand: 南 (U+5357) sorts before 执 (U+6267).
	want := []string{"海曙区市场监督管理局南门所", "海曙区市场监督管理局执法大队"}
	for _, cell := range []string{"海曙区市场监管局", "市场监管部门", "区市场监管局", "海曙区市场监管局价监股"} {
		got := resolveOne(t, m, "海曙区", cell, roster)
		if len(got) != 1 {
			t.Fatalf("%q: %d pieces", cell, len(got))
		}
		r := got[0]
		if r.Flag != Ambiguous || r.Roster != "" || !reflect.DeepEqual(r.Candidates, want) || r.Tie != TieSubUnits || r.Dept != "市场监督管理局" {
			t.Errorf("%q: %+v; want ambiguous between %q (sub-units)", cell, r, want)
		}
	}
	if Ambiguous.Note() == "" {
		t.Error("Ambiguous has no note")
	}
	if got, ok := m.MatchIn("海曙区市场监管局", "海曙区", roster); ok || got != "" {
		t.Errorf("MatchIn on a tie = %q, %v; want no match", got, ok)
	}
}

// One department written two ways in the roster: neither spelling is picked (the people under
// the other were left out).
func TestAmbiguousSpellings(t *testing.T) {
	m := DefaultMap()
	roster := []string{"沁县市场监管局", "沁县市场监督管理局", "沁县住房和城乡建设管理局"}
	// By hand: 督 (U+7763) sorts before 管 (U+7BA1).
	want := []string{"沁县市场监督管理局", "沁县市场监管局"}
	for _, cell := range []string{"沁县市场监管局价监股", "沁县市场监管局", "沁县市场监督管理局", "县市场局", "市场监管部门"} {
		got := resolveOne(t, m, "沁县", cell, roster)
		if len(got) != 1 || got[0].Flag != Ambiguous || got[0].Roster != "" || !reflect.DeepEqual(got[0].Candidates, want) || got[0].Tie != TieSpellings {
			t.Errorf("%q: %+v; want ambiguous between %q (spellings)", cell, got, want)
		}
	}
	// The other department of the cell is matched as before.
	sc := Scope{Districts: []string{"沁县"}, District: "沁县"}
	got := m.Resolve(sc, []Cell{{Role: "initiator", Text: "沁县市场监管局价监股"}, {Role: "cooperator", Text: "沁县住建局"}}, roster)
	if len(got) != 2 || got[0].Flag != Ambiguous || got[1].Flag != "" || got[1].Roster != "沁县住房和城乡建设管理局" {
		t.Errorf("cells: %+v", got)
	}
}

// Where the preferences decide, nothing changes: the plan's own sub-unit (none: the bureau
// itself) over the bureau's sub-units, the bureau over another sub-unit, same district over
// none, exact over merged.
func TestNoTieKeepsPreferences(t *testing.T) {
	m := DefaultMap()
	tests := []struct {
		district, cell string
		roster         []string
		want           string
	}{
		{"海曙区", "海曙区市场监管局", []string{"海曙区市场监督管理局执法大队", "海曙区市场监督管理局", "海曙区市场监督管理局南门所"}, "海曙区市场监督管理局"},
		{"海曙区", "海曙区市场监管局南门所", []string{"海曙区市场监督管理局执法大队", "海曙区市场监督管理局", "海曙区市场监督管理局南门所"}, "海曙区市场监督管理局南门所"},
		{"海曙区", "海曙区市场监管局价监股", []string{"海曙区市场监督管理局执法大队", "海曙区市场监督管理局", "海曙区市场监督管理局南门所"}, "海曙区市场监督管理局"},
		// The bureau by another spelling still beats a sub-unit.
		{"海曙区", "海曙区市场监管局价监股", []string{"海曙区市场监督管理局执法大队", "海曙区市场监管局"}, "海曙区市场监管局"},
		{"海曙区", "市场监管部门", []string{"市场监督管理局", "海曙区市场监督管理局"}, "海曙区市场监督管理局"},
		{"海曙区", "市场监管部门", []string{"市场监督管理局", "海曙区市场监督管理局执法大队"}, "海曙区市场监督管理局执法大队"},
		{"海曙区", "市场监管部门", []string{"市场监督管理局", "鄞州区市场监督管理局"}, "市场监督管理局"},
		{"沁县", "沁县卫健局", []string{"沁县卫生健康和体育局", "沁县卫生健康局"}, "沁县卫生健康局"},
		{"沁县", "沁县卫健局", []string{"沁县卫生健康和体育局"}, "沁县卫生健康和体育局"},
		{"沁县", "沁县市场监管局", []string{"沁县市场监督管理局", "沁县市场监督管理局价监股"}, "沁县市场监督管理局"},
	}
	for _, tc := range tests {
		got := resolveOne(t, m, tc.district, tc.cell, tc.roster)
		if len(got) != 1 || got[0].Flag != "" || got[0].Roster != tc.want || got[0].Candidates != nil {
			t.Errorf("%s %q in %q: %+v; want %q", tc.district, tc.cell, tc.roster, got, tc.want)
		}
	}
}

// A task without a district and a roster of several districts: the district is not guessed.
func TestAmbiguousDistricts(t *testing.T) {
	m := DefaultMap()
	got := m.Resolve(Scope{Districts: changzhi.Districts}, []Cell{{Text: "市场监管部门"}}, []string{"潞州区市场监督管理局", "沁县市场监督管理局"})
	want := []string{"沁县市场监督管理局", "潞州区市场监督管理局"} // 沁 U+6C81 before 潞 U+6F5E
	if len(got) != 1 || got[0].Flag != Ambiguous || !reflect.DeepEqual(got[0].Candidates, want) || got[0].Tie != TieDistricts {
		t.Errorf("%+v", got)
	}
	if !strings.Contains(got[0].Remedy(nil), "--plan-district") {
		t.Errorf("remedy: %s", got[0].Remedy(nil))
	}
}

// The cells entry a Remedy prints reads back as --dept-map and settles the tie: the roster's
// names in it match those departments, even for one office written two ways.
func TestRemedyEntrySettles(t *testing.T) {
	tests := []struct {
		district, cell string
		roster         []string
		count          map[string]int
		tie            Tie
		want           []string // the roster departments the entry makes the cell mean
	}{
		{"海曙区", "海曙区市场监管局", []string{"海曙区市场监督管理局执法大队", "海曙区市场监督管理局南门所"}, map[string]int{"海曙区市场监督管理局执法大队": 4, "海曙区市场监督管理局南门所": 2},
			TieSubUnits, []string{"海曙区市场监督管理局南门所", "海曙区市场监督管理局执法大队"}},
		// The spelling most inspectors are listed under.
		{"沁县", "沁县市场监管局价监股", []string{"沁县市场监管局", "沁县市场监督管理局"}, map[string]int{"沁县市场监管局": 5, "沁县市场监督管理局": 2},
			TieSpellings, []string{"沁县市场监管局"}},
		{"沁县", "沁县市场监管局价监股", []string{"沁县市场监管局", "沁县市场监督管理局"}, nil, TieSpellings, []string{"沁县市场监督管理局"}},
	}
	for _, tc := range tests {
		got := resolveOne(t, DefaultMap(), tc.district, tc.cell, tc.roster)
		if len(got) != 1 || got[0].Flag != Ambiguous || got[0].Tie != tc.tie {
			t.Fatalf("%q: %+v", tc.cell, got)
		}
		remedy := got[0].Remedy(tc.count)
		at := strings.Index(remedy, "cells:\n")
		if at < 0 {
			t.Fatalf("%q: no cells entry in the remedy:\n%s", tc.cell, remedy)
		}
		entry := remedy[at:]
		entry = entry[:strings.LastIndex(entry, "\n")+1] // the YAML lines, without the sentence after them
		m, err := LoadMap(strings.NewReader(entry), "remedy.yaml")
		if err != nil {
			t.Fatalf("%q: the printed entry does not load: %v\n%s", tc.cell, err, entry)
		}
		var matched []string
		for _, r := range resolveOne(t, m, tc.district, tc.cell, tc.roster) {
			if r.Flag != "" || !r.Explicit {
				t.Errorf("%q with the entry: %+v", tc.cell, r)
			}
			matched = append(matched, r.Roster)
		}
		if !reflect.DeepEqual(matched, tc.want) {
			t.Errorf("%q with the entry\n%s matches %q, want %q", tc.cell, entry, matched, tc.want)
		}
	}
}

// A cells entry naming a department loosely is no way round the tie: it is flagged too, and
// the remedy asks for the roster's full names.
func TestAmbiguousExplicit(t *testing.T) {
	m, err := LoadMap(strings.NewReader("cells:\n  - text: 海曙区市场监管局\n    departments: [市场监督管理局]\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := resolveOne(t, m, "海曙区", "海曙区市场监管局", []string{"海曙区市场监督管理局执法大队", "海曙区市场监督管理局南门所"})
	if len(got) != 1 || got[0].Flag != Ambiguous || !got[0].Explicit || !strings.Contains(got[0].Remedy(nil), "departments 中改写为名录中所属部门的全称") {
		t.Errorf("%+v", got)
	}
}

// CellsEntry quotes what YAML would misread.
func TestCellsEntryQuotes(t *testing.T) {
	for _, d := range []string{"甲局: 乙队 #1", "{丙局}", "- 丁局", "*己局", "true", "'戊局'"} {
		y := CellsEntry("某局", []string{d})
		m, err := LoadMap(strings.NewReader(y), "q.yaml")
		if err != nil {
			t.Errorf("%q: %v\n%s", d, err, y)
			continue
		}
		if got := m.cells["某局"]; !reflect.DeepEqual(got, []string{normalize(d)}) {
			t.Errorf("%q reads back as %q:\n%s", d, got, y)
		}
	}
}

// A map read from a file remembers it (name, SHA-256, text) for the draw to record; the
// built-in table has no source.
func TestMapSource(t *testing.T) {
	if DefaultMap().Source() != nil {
		t.Fatal("the built-in table has a source")
	}
	text := "cells:\n  - text: 相关部门\n    departments: [沁县住建局]\n"
	m, err := LoadMap(strings.NewReader(text), "对照.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := m.Source()
	if src == nil || src.Name != "对照.yaml" || src.Text != text || src.SHA256 != "065b5da0c2a2ba05e5adba64da971ddbbfb302a72137c185cb41e7a12b7deaa0" { // sha256sum of the text
		t.Fatalf("source %+v", src)
	}
	if _, err := LoadMap(strings.NewReader("cells: [\n"), "坏.yaml"); err == nil {
		t.Fatal("a broken map read")
	}
}

// Bureau: a roster name of a bureau's section is the bureau; a bureau, a 分局 (an office of its
// own, in the district it names) and an office the table does not know keep their names.
func TestBureau(t *testing.T) {
	m := DefaultMap()
	sc := Scope{District: "沁县", Districts: []string{"沁县", "沁源县"}}
	for in, want := range map[string]string{
		"沁县市场监督管理局执法大队": "沁县市场监督管理局",
		"沁县市场监管局价监股":    "沁县市场监督管理局",
		"沁县市场监督管理局":     "沁县市场监督管理局",
		"沁县住房和城乡建设管理局":  "沁县住房和城乡建设管理局",
		"长治市生态环境局沁源分局":  "长治市生态环境局沁源分局",
		"沁县乡村振兴服务中心综合股": "沁县乡村振兴服务中心综合股",
	} {
		if got := m.Bureau(in, sc); got != want {
			t.Errorf("Bureau(%q) = %q, want %q", in, got, want)
		}
	}
}
