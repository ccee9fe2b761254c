package roster

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/xlsxstream"
	"github.com/xuri/excelize/v2"
)

// testSheet is one sheet of a workbook written by writeBook.
type testSheet struct {
	name   string
	rows   [][]string
	state  string   // "", "hidden", "veryHidden"
	merges []string // ranges to merge, e.g. "H2:H11"
}

// writeBook writes the sheets with excelize, in order.
func writeBook(t *testing.T, name string, sheets ...testSheet) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			vals := make([]any, len(row))
			for j, v := range row {
				if v != "" {
					vals[j] = v
				}
			}
			if err := f.SetSheetRow(s.name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range s.merges {
			a, b, _ := strings.Cut(m, ":")
			if err := f.MergeCell(s.name, a, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The active sheet must be visible for excelize to hide the others.
	for i, s := range sheets {
		if s.state == "" {
			f.SetActiveSheet(i)
			break
		}
	}
	for _, s := range sheets {
		if s.state != "" {
			if err := f.SetSheetVisible(s.name, false, s.state == "veryHidden"); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// qinxianRows are the rows of the repository's Qinxian roster (header first).
func qinxianRows(t *testing.T) [][]string {
	t.Helper()
	var rows [][]string
	err := xlsxstream.Scan(context.Background(), "../testdata/rosters/qinxian-realestate.xlsx", "", func(_ int, cells []string) error {
		rows = append(rows, slices.Clone(cells))
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func colOf(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %s in %v", name, header)
	return -1
}

// bothReaders runs f with the fast reader and with excelize's (CHOUCHA_XLSX_READER).
func bothReaders(t *testing.T, f func(t *testing.T)) {
	for _, r := range []string{"fast", "excelize"} {
		t.Run(r, func(t *testing.T) {
			t.Setenv(xlsxstream.ReaderEnv, r)
			f(t)
		})
	}
}

// A workbook whose first sheet is hidden (an old roster kept out of sight) is read from its
// first visible sheet, and says so; --sheet still reads the hidden one.
func TestHiddenFirstSheetIsSkipped(t *testing.T) {
	all := qinxianRows(t)
	old := append([][]string{all[0]}, all[301:]...) // 100 other firms
	for _, state := range []string{"hidden", "veryHidden"} {
		p := writeBook(t, state+".xlsx",
			testSheet{name: "旧名录", rows: old, state: state},
			testSheet{name: "名录", rows: all})
		bothReaders(t, func(t *testing.T) {
			fr, rep := readFirms(t, p, Options{})
			if rep.Eligible != 400 || fr.Sheet != "名录" || rep.Sheet != "名录" {
				t.Fatalf("%s: read %d firms from sheet %q (frame %q), want the 400 of 名录", state, rep.Eligible, rep.Sheet, fr.Sheet)
			}
			notes := strings.Join(rep.Notes("名录", SheetChoiceCLI), "\n")
			if !strings.Contains(notes, "读取工作表“名录”（另有工作表：“旧名录”（隐藏））") || !strings.Contains(notes, "--sheet") {
				t.Errorf("notes: %q", notes)
			}
			lean, _, err := ReadFrame(context.Background(), p, Options{})
			if err != nil || lean.Sheet != "名录" || len(lean.FrameKeys()) != 400 {
				t.Fatalf("ReadFrame: %v, sheet %q, %d keys", err, lean.Sheet, len(lean.FrameKeys()))
			}
			fr, rep = readFirms(t, p, Options{Sheet: "旧名录"})
			if rep.Eligible != 100 || fr.Sheet != "旧名录" {
				t.Fatalf("--sheet 旧名录: %d firms, sheet %q", rep.Eligible, fr.Sheet)
			}
			if notes := strings.Join(rep.Notes("名录", SheetChoiceCLI), "\n"); !strings.Contains(notes, "隐藏的工作表") {
				t.Errorf("a hidden sheet read by name says nothing: %q", notes)
			}
		})
	}
}

// A workbook of one sheet records no sheet (its draws' manifests stay byte for byte as
// before); a named sheet is recorded even then.
func TestSheetRecordedOnlyWhenNeeded(t *testing.T) {
	p := "../testdata/rosters/qinxian-realestate.xlsx"
	fr, rep := readFirms(t, p, Options{})
	if fr.Sheet != "" || len(rep.Notes("名录", SheetChoiceCLI)) != 0 || rep.Sheets != nil {
		t.Errorf("single-sheet workbook: sheet %q, notes %q, sheets %v", fr.Sheet, rep.Notes("名录", SheetChoiceCLI), rep.Sheets)
	}
	if fr, _ := readFirms(t, p, Options{Sheet: "名录"}); fr.Sheet != "名录" {
		t.Errorf("--sheet 名录: recorded %q", fr.Sheet)
	}
	one := writeBook(t, "one.xlsx", testSheet{name: "Roster", rows: qinxianRows(t)})
	if fr, _ := readFirms(t, one, Options{Sheet: "roster"}); fr.Sheet != "Roster" {
		t.Errorf("--sheet roster: recorded %q, want the workbook's spelling Roster", fr.Sheet)
	}
	if fr, _ := readFirms(t, "../testdata/rosters/qinxian-realestate.csv", Options{}); fr.Sheet != "" {
		t.Errorf("csv: sheet %q", fr.Sheet)
	}
}

// A first sheet without the roster (instructions, or empty) names the other sheets and
// --sheet in its message.
func TestWrongFirstSheetNamesTheOthers(t *testing.T) {
	all := qinxianRows(t)
	for _, first := range []testSheet{
		{name: "说明", rows: [][]string{{"填表说明：统一社会信用代码请填写18位"}, {"企业名称填写全称"}}},
		{name: "Sheet1"},
	} {
		p := writeBook(t, "wrong.xlsx", first, testSheet{name: "名录", rows: all})
		bothReaders(t, func(t *testing.T) {
			for _, read := range []func() error{
				func() error { _, _, err := ReadFirms(context.Background(), p, Options{}); return err },
				func() error { _, _, err := ReadFrame(context.Background(), p, Options{}); return err },
				func() error { _, err := CheckFirms(context.Background(), p, Options{}); return err },
			} {
				err := read()
				var ae *apperr.Error
				if err == nil || !strings.Contains(err.Error(), p) {
					t.Fatalf("%s: %v", first.name, err)
				}
				if !errorsAs(err, &ae) || !strings.Contains(ae.Hint, "另有工作表：“名录”") || !strings.Contains(ae.Hint, "--sheet") {
					t.Errorf("%s: hint %q", first.name, ae.Hint)
				}
			}
		})
	}
}

// mergedRoster is the Qinxian roster with the class column merged over rows 2–11 (only row
// 2 holding the class, as Excel keeps a merged range) and the district over 20–24; and the
// same roster with those cells filled in by hand.
func mergedRoster(t *testing.T) (merged, filled string, ranges []string) {
	all := qinxianRows(t)
	class, dist := colOf(t, all[0], "信用风险分类"), colOf(t, all[0], "所属区县")
	m := make([][]string, len(all))
	f := make([][]string, len(all))
	for i, r := range all {
		m[i] = slices.Clone(r)
		f[i] = slices.Clone(r)
		for len(m[i]) <= max(class, dist) {
			m[i], f[i] = append(m[i], ""), append(f[i], "")
		}
	}
	for r := 2; r <= 10; r++ { // sheet rows 3–11
		m[r][class] = ""
		f[r][class] = f[1][class]
	}
	for r := 20; r <= 23; r++ { // sheet rows 21–24
		m[r][dist] = ""
		f[r][dist] = f[19][dist]
	}
	cc, _ := excelize.ColumnNumberToName(class + 1)
	dc, _ := excelize.ColumnNumberToName(dist + 1)
	ranges = []string{cc + "2:" + cc + "11", dc + "20:" + dc + "24"}
	return writeBook(t, "merged.xlsx", testSheet{name: "名录", rows: m, merges: ranges}),
		writeBook(t, "filled.xlsx", testSheet{name: "名录", rows: f}), ranges
}

// Merged cells below the header are read as Excel shows them: every cell of a range holds
// the top-left value — in the check, the frame and the rows a draw fetches again.
func TestMergedDataCellsAreFilled(t *testing.T) {
	merged, filled, ranges := mergedRoster(t)
	bothReaders(t, func(t *testing.T) {
		want, wantRep := readFirms(t, filled, Options{})
		got, rep := readFirms(t, merged, Options{})
		if rep.FrameSHA256 != wantRep.FrameSHA256 || rep.Unclassified != wantRep.Unclassified {
			t.Fatalf("merged roster: frame %s (%d unclassified), filled by hand %s (%d)", rep.FrameSHA256, rep.Unclassified, wantRep.FrameSHA256, wantRep.Unclassified)
		}
		if !slices.Equal(rep.MergedRanges, ranges) {
			t.Errorf("merged ranges %v, want %v", rep.MergedRanges, ranges)
		}
		if notes := strings.Join(rep.Notes("名录", SheetChoiceCLI), "\n"); !strings.Contains(notes, ranges[0]) || !strings.Contains(notes, "左上角") {
			t.Errorf("notes %q", notes)
		}
		for i := range want.Firms {
			if !slices.Equal(got.Firms[i].Values, want.Firms[i].Values) {
				t.Fatalf("firm %s: values %q, want %q", got.Firms[i].Key, got.Firms[i].Values, want.Firms[i].Values)
			}
		}
		check, err := CheckFirms(context.Background(), merged, Options{})
		if err != nil || check.FrameSHA256 != wantRep.FrameSHA256 {
			t.Fatalf("CheckFirms: %v, frame %s", err, check.FrameSHA256)
		}
		// The lean frame, and its records read again by row (Lookup), filled the same way.
		lean, _, err := ReadFrame(context.Background(), merged, Options{})
		if err != nil {
			t.Fatal(err)
		}
		firms, err := lean.Lookup(context.Background(), lean.FrameKeys())
		if err != nil {
			t.Fatal(err)
		}
		for i := range firms {
			if !slices.Equal(firms[i].Values, want.Firms[i].Values) {
				t.Fatalf("Lookup %s: values %q, want %q", firms[i].Key, firms[i].Values, want.Firms[i].Values)
			}
		}
	})
}

// A header of two rows (group cells merged over sub-headers, the other names merged down
// over both rows) is refused with the ranges, not read with its second row as data.
func TestMergedTwoRowHeaderIsRefused(t *testing.T) {
	all := qinxianRows(t)
	h1 := slices.Clone(all[0])
	h2 := make([]string, len(h1))
	var merges []string
	for i := range h1 {
		c, _ := excelize.ColumnNumberToName(i + 1)
		switch i {
		case 3, 4, 5: // 登记机关, 所属区县, 住所 under one group cell
			h2[i] = h1[i]
			h1[i] = ""
			if i == 3 {
				h1[i] = "登记信息"
				merges = append(merges, "D1:F1")
			}
		default:
			merges = append(merges, c+"1:"+c+"2")
		}
	}
	p := writeBook(t, "twoheader.xlsx", testSheet{name: "Sheet1", rows: append([][]string{h1, h2}, all[1:]...), merges: merges})
	bothReaders(t, func(t *testing.T) {
		_, _, err := ReadFirms(context.Background(), p, Options{})
		var ae *apperr.Error
		if err == nil || !strings.Contains(err.Error(), "表头不止一行") || !strings.Contains(err.Error(), "A1:A2") || !strings.Contains(err.Error(), p) {
			t.Fatalf("two-row header: %v", err)
		}
		if !errorsAs(err, &ae) || !strings.Contains(ae.Hint, "同一行") {
			t.Errorf("hint: %v", ae)
		}
	})
	// A title merged over the table, and a merged group row above a header without the
	// columns: the title is read past; the group row is named in the hint.
	title := writeBook(t, "title.xlsx", testSheet{name: "Sheet1", rows: append([][]string{{"沁县房地产企业名录"}, {}}, all...), merges: []string{"A1:K1"}})
	if _, rep := readFirms(t, title, Options{}); rep.Eligible != 400 || rep.MergedRanges != nil {
		t.Errorf("merged title: %d firms, filled %v", rep.Eligible, rep.MergedRanges)
	}
	g := make([]string, len(all[0]))
	g[0], g[4], g[7], g[10] = "企业基本信息", "登记信息", "信用风险分类", "联系电话"
	group := writeBook(t, "group.xlsx", testSheet{name: "Sheet1", rows: append([][]string{g}, all...), merges: []string{"A1:D1", "E1:G1"}})
	_, _, err := ReadFirms(context.Background(), group, Options{})
	var ae *apperr.Error
	if err == nil || !errorsAs(err, &ae) || !strings.Contains(ae.Hint, "A1:D1、E1:G1") {
		t.Errorf("group row above the header: %v (hint %v)", err, ae)
	}
}

// Overlapping merged ranges (which Excel does not write) are refused, naming both.
func TestOverlappingMergesRefused(t *testing.T) {
	sr := &sheetRead{path: "x.xlsx", res: xlsxstream.ScanResult{Sheet: "S", Merges: []string{"B3:B9", "A5:C5"}}}
	if _, err := sr.dataMerges(1); err == nil || !strings.Contains(err.Error(), "B3:B9") || !strings.Contains(err.Error(), "A5:C5") {
		t.Errorf("overlap: %v", err)
	}
	sr.res.Merges = []string{"B3:B9", "C3:C9", "B10:C12", "A1:K1", "Z"}
	if _, err := sr.dataMerges(2); err == nil || !strings.Contains(err.Error(), "“Z”") {
		t.Errorf("bad reference: %v", err)
	}
	sr.res.Merges = sr.res.Merges[:4]
	fill, err := sr.dataMerges(2)
	if err != nil || len(fill) != 3 {
		t.Errorf("adjacent ranges: %v %v", fill, err)
	}
}

func errorsAs(err error, target **apperr.Error) bool { return errors.As(err, target) }

// A header that lacks the code column gets the hint about a header of two rows only when a
// merged range is where a header's group names would be: a title merged over the whole table
// above it is no group name; group names over some of its columns are.
func TestGroupHintNotForTitle(t *testing.T) {
	header := []string{"序号", "企业名称", "登记机关", "住所", "信用风险分类"}
	row := []string{"1", "宁波某某有限公司", "海曙区市场监管局", "某路1号", "A"}
	const hint = "表头若分两行"
	for _, c := range []struct {
		name   string
		rows   [][]string
		merges []string
		want   bool
	}{
		{"title", [][]string{{"2024年海曙区市场主体名单"}, header, row}, []string{"A1:E1"}, false},
		{"title two rows up", [][]string{{"2024年海曙区市场主体名单"}, {"填报单位：海曙区"}, header, row}, []string{"A1:E1"}, false},
		{"groups", [][]string{{"企业基本信息", "", "监管信息"}, header, row}, []string{"A1:B1", "C1:E1"}, true},
		{"title and groups", [][]string{{"2024年海曙区市场主体名单"}, {"企业基本信息", "", "监管信息"}, header, row}, []string{"A1:E1", "A2:B2", "C2:E2"}, true},
	} {
		p := writeBook(t, c.name+".xlsx", testSheet{name: "名录", rows: c.rows, merges: c.merges})
		_, err := CheckFirms(context.Background(), p, Options{})
		var ae *apperr.Error
		if err == nil || !errors.As(err, &ae) {
			t.Fatalf("%s: %v, want a refusal with a hint", c.name, err)
		}
		if got := strings.Contains(ae.Hint, hint); got != c.want {
			t.Errorf("%s: hint %q; want the two-row hint: %v", c.name, ae.Hint, c.want)
		}
		if strings.Contains(ae.Hint, "A1:E1") {
			t.Errorf("%s: hint %q names the title A1:E1 as a group", c.name, ae.Hint)
		}
	}
}
