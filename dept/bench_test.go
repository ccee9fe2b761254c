package dept

import (
	"reflect"
	"slices"
	"testing"
)

// BenchmarkResolvePlanCells resolves every department cell of the embedded plan against a
// district roster (the work of `plan calendar` and of dept match over a whole plan).
func BenchmarkResolvePlanCells(b *testing.B) {
	m := DefaultMap()
	cells := make([]Cell, len(planCells))
	for i, tc := range planCells {
		cells[i] = Cell{Role: "cooperator", Text: tc.cell}
	}
	sc := Scope{Districts: changzhi.Districts, District: "沁县"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Resolve(sc, cells, qinxianRoster)
	}
}

// BenchmarkParseLongUnknown is the worst case of place reading: a long name of Han
// characters with place suffixes and no department.
func BenchmarkParseLongUnknown(b *testing.B) {
	m := DefaultMap()
	for i := 0; i < b.N; i++ {
		m.Parse("区县市区县市区县市区县市区县市区县市区县市区县市")
	}
}

// FuzzResolve: any cell is read without panic, the same way twice, and a flagged piece
// never matches.
func FuzzResolve(f *testing.F) {
	for _, tc := range planCells {
		f.Add(tc.cell, "沁县")
	}
	for _, s := range []string{"市场监管领域相关部门", "人力资源和社会保障、商务、税务部门等", "文化和旅游或卫生健康或宣传部门(检查电影院时宣传部门发起)", "内蒙古自治区呼和浩特市土默特左旗商务局"} {
		f.Add(s, "万宁市")
	}
	m := DefaultMap()
	roster := append(append([]string(nil), qinxianRoster...), luzhouRoster...)
	reversed := slices.Clone(roster)
	slices.Reverse(reversed)
	f.Fuzz(func(t *testing.T, cell, district string) {
		sc := Scope{Districts: append([]string{district}, changzhi.Districts...), District: district}
		a := m.Resolve(sc, []Cell{{Role: "cooperator", Text: cell}}, roster)
		// The same whatever the roster's order.
		b := m.Resolve(sc, []Cell{{Role: "cooperator", Text: cell}}, reversed)
		if len(a) != len(b) {
			t.Fatalf("not deterministic: %d vs %d pieces", len(a), len(b))
		}
		for i := range a {
			if !reflect.DeepEqual(a[i], b[i]) {
				t.Fatalf("not deterministic: %+v vs %+v", a[i], b[i])
			}
			if a[i].Flag != "" && a[i].Roster != "" {
				t.Fatalf("flagged piece %q matched %q", a[i].Text, a[i].Roster)
			}
			if (a[i].Flag == Ambiguous) != (len(a[i].Candidates) > 1) || !slices.IsSorted(a[i].Candidates) {
				t.Fatalf("piece %q: flag %q, candidates %q", a[i].Text, a[i].Flag, a[i].Candidates)
			}
		}
		m.LegalName(cell, sc)
		m.District(cell)
	})
}
