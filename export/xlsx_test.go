package export

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("reading our xlsx back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// cellIsText checks that a cell is a string cell with no formula.
func cellIsText(t *testing.T, f *excelize.File, sheet, ref string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s: cell type %v, want a string cell", sheet, ref, typ)
	}
	if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
		t.Errorf("%s!%s: has formula %q", sheet, ref, fm)
	}
}

func TestListXLSX(t *testing.T) {
	m := testManifest(t, true)
	var buf bytes.Buffer
	if err := WriteListXLSX(t.Context(), &buf, m); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	sheets := f.GetSheetList()
	if sheets[0] != "抽查名单" || sheets[1] != "说明" {
		t.Fatalf("sheets %q", sheets)
	}
	rows, err := f.GetRows("抽查名单")
	if err != nil {
		t.Fatal(err)
	}
	h, want := rows[0], append([]string(nil), rosterHeader...)
	if strings.Join(h[:len(want)], ",") != strings.Join(want, ",") {
		t.Errorf("header starts %q, want the roster header %q", h, want)
	}
	nameCol, keyCol, phoneCol, seqCol := index(h, "企业名称"), index(h, "主体标识"), index(h, "联系电话"), index(h, "抽取序号")
	for i, s := range m.Selected {
		r := i + 2
		for _, c := range []int{0, nameCol, keyCol, phoneCol} {
			ref, _ := excelize.CoordinatesToCellName(c+1, r)
			cellIsText(t, f, "抽查名单", ref)
		}
		// XLSX keeps the exact name: a string cell is never evaluated.
		if got := rows[i+1][nameCol]; got != s.Name {
			t.Errorf("row %d: name %q read back as %q", r, s.Name, got)
		}
		if got := rows[i+1][keyCol]; got != s.Key {
			t.Errorf("row %d: key %q read back as %q", r, s.Key, got)
		}
		ref, _ := excelize.CoordinatesToCellName(seqCol+1, r)
		if typ, _ := f.GetCellType("抽查名单", ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("抽取序号 %s is %v, want a number", ref, typ)
		}
	}
	// Codes keep every digit (no 9.1E+17) and are formatted as text ("@").
	st, _ := f.GetCellStyle("抽查名单", "A2")
	style, err := f.GetStyle(st)
	if err != nil || style.NumFmt != 49 {
		t.Errorf("A2 number format %v (%v), want 49 (@ text)", style, err)
	}
	hs, _ := f.GetCellStyle("抽查名单", "A1")
	if hstyle, err := f.GetStyle(hs); err != nil || hstyle.Font == nil || !hstyle.Font.Bold {
		t.Error("header is not bold")
	}
	panes, err := f.GetPanes("抽查名单")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("抽查名单", "A"); w < 18 || w > 50 {
		t.Errorf("code column width %v", w)
	}
	// 说明 carries the draw's identity.
	about, _ := f.GetRows("说明")
	text := flatten(about)
	for _, s := range []string{m.Seed, m.Spec, m.Task, m.Plan.SHA256, m.Roster.SHA256, m.Roster.FrameSHA256, m.Roster.File, "台账编号", "7", m.CreatedAt, "总数 38"} {
		if !strings.Contains(text, s) {
			t.Errorf("说明 lacks %q", s)
		}
	}
	// One 检查任务单 sheet per inspector, names valid and unique.
	if got := len(sheets) - 2; got != 4 {
		t.Errorf("%d inspector sheets, want 4: %q", got, sheets)
	}
	for _, s := range sheets[2:] {
		if n := len(utf16.Encode([]rune(s))); n > 31 {
			t.Errorf("sheet name %q is %d units", s, n)
		}
		rows, _ := f.GetRows(s)
		txt := flatten(rows)
		for _, want := range []string{"检查任务单", m.TaskInfo.Items, "2026年4月1日至2026年6月30日", "住所"} {
			if !strings.Contains(txt, want) {
				t.Errorf("sheet %s lacks %q", s, want)
			}
		}
	}
	first, _ := f.GetRows(sheets[2])
	if !strings.Contains(flatten(first), "李四") && !strings.Contains(flatten(first), "钱二") {
		t.Errorf("sheet %s lacks team mates", sheets[2])
	}
}

func flatten(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteString("\n")
	}
	return b.String()
}

func TestListXLSXWithoutValues(t *testing.T) {
	m := testManifest(t, false)
	m.Roster.Header = nil
	for i := range m.Selected {
		m.Selected[i].Values = nil
	}
	var buf bytes.Buffer
	if err := WriteListXLSX(t.Context(), &buf, m); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); len(got) != 2 {
		t.Errorf("sheets %q, want 抽查名单 and 说明 only", got)
	}
	rows, _ := f.GetRows("抽查名单")
	if rows[0][0] != "统一社会信用代码/注册号" || rows[1][0] != m.Selected[0].Key || rows[1][1] != m.Selected[0].Name {
		t.Errorf("fallback columns: %q %q", rows[0], rows[1])
	}
}

func TestSheetNames(t *testing.T) {
	long := strings.Repeat("长", 40)
	got := uniqueSheetNames([]sheet{{name: long}, {name: long}, {name: "a/b:c"}, {name: "'x'"}, {name: ""}, {name: "Sheet"}, {name: "任务单-𠮷" + strings.Repeat("字", 30)}})
	seen := map[string]bool{}
	for _, n := range got {
		if len(utf16.Encode([]rune(n))) > 31 || n == "" || strings.ContainsAny(n, `[]:*?/\`) || strings.HasPrefix(n, "'") {
			t.Errorf("invalid sheet name %q", n)
		}
		if seen[strings.ToLower(n)] {
			t.Errorf("duplicate sheet name %q", n)
		}
		seen[strings.ToLower(n)] = true
	}
	if got[2] != "a_b_c" || got[3] != "x" {
		t.Errorf("got %q", got)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "长治": 4, "ＡＢ": 4, "长治\nabcdefg": 7} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// columnWidths measures only the cells that could widen their column; the widths must be
// those of measuring every cell. Columns of every kind: short and long, CJK and Latin, lines,
// a wrapping column, rows of different lengths, cells past the limit.
func TestColumnWidthsSkipChangesNothing(t *testing.T) {
	naive := func(rows [][]string, wrap map[int]bool) []float64 {
		var w []int
		for _, row := range rows {
			for c, v := range row {
				for len(w) <= c {
					w = append(w, 0)
				}
				w[c] = max(w[c], displayWidth(v))
			}
		}
		out := make([]float64, len(w))
		for c, n := range w {
			limit := 50
			if wrap[c] {
				limit = 40
			}
			out[c] = float64(min(max(n+2, 6), limit))
		}
		return out
	}
	r := rand.New(rand.NewPCG(7, 7))
	pieces := []string{"a", "长", "Ａ", "é", "\n", " ", "治", "1", "😀", "ｶ"}
	for trial := range 200 {
		rows := make([][]string, r.IntN(30))
		for i := range rows {
			rows[i] = make([]string, r.IntN(6))
			for c := range rows[i] {
				var b strings.Builder
				for range r.IntN(1 + trial%60) {
					b.WriteString(pieces[r.IntN(len(pieces))])
				}
				rows[i][c] = b.String()
			}
		}
		wrap := map[int]bool{r.IntN(6): true}
		if got, want := columnWidths(rows, wrap), naive(rows, wrap); !slices.Equal(got, want) {
			t.Fatalf("trial %d: columnWidths = %v, measuring every cell gives %v (rows %q)", trial, got, want, rows)
		}
	}
	// A cell exactly one byte longer than its column is wide, all ASCII: it widens it.
	ascii := [][]string{{"abcdefgh", "长治市"}, {"abcdefghi", "长治市潞州区"}}
	if got, want := columnWidths(ascii, nil), []float64{11, 14}; !slices.Equal(got, want) {
		t.Fatalf("columnWidths(%q) = %v, want %v", ascii, got, want)
	}
	_, rows := ListTable(testManifest(t, true))
	if got, want := columnWidths(rows, nil), naive(rows, nil); !slices.Equal(got, want) {
		t.Fatalf("the list: columnWidths = %v, measuring every cell gives %v", got, want)
	}
}

// Every published workbook prints on A4, one page wide, the header row on every page, the
// header frozen; wide sheets (the list, the result sheet) landscape, narrow ones portrait.
func TestXLSXPageSetup(t *testing.T) {
	m := testManifest(t, true)
	landscape := map[string]bool{"抽查名单": true, "检查结果录入": true}
	for _, format := range []string{FormatXLSX, FormatResults, FormatSheets} {
		files, err := Files(m, format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if !strings.HasSuffix(file.Name, ".xlsx") {
				continue
			}
			var buf bytes.Buffer
			if err := file.Write(t.Context(), &buf); err != nil {
				t.Fatal(err)
			}
			f := openXLSX(t, buf.Bytes())
			titles := map[string]string{}
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm.Print_Titles" {
					titles[dn.Scope] = dn.RefersTo
				}
			}
			checked := 0
			for _, sh := range f.GetSheetList() {
				if v, _ := f.GetSheetVisible(sh); !v {
					continue
				}
				checked++
				where := file.Name + "/" + sh
				pl, err := f.GetPageLayout(sh)
				if err != nil {
					t.Fatal(err)
				}
				if pl.Size == nil || *pl.Size != 9 {
					t.Errorf("%s: paper size %v, want 9 (A4)", where, pl.Size)
				}
				if pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
					t.Errorf("%s: fit to %v wide × %v tall, want 1 × any", where, pl.FitToWidth, pl.FitToHeight)
				}
				// Landscape exactly when the columns are wider than a portrait A4 page.
				rows, _ := f.GetRows(sh)
				ncol := 0
				for _, r := range rows {
					ncol = max(ncol, len(r))
				}
				total := 0.0
				for c := 1; c <= ncol; c++ {
					name, _ := excelize.ColumnNumberToName(c)
					w, _ := f.GetColWidth(sh, name)
					total += w
				}
				want := "portrait"
				if total > portraitWidth {
					want = "landscape"
				}
				if landscape[sh] && want != "landscape" || sh == "说明" && want != "portrait" {
					t.Errorf("%s: columns %.0f wide", where, total)
				}
				if pl.Orientation == nil || *pl.Orientation != want {
					t.Errorf("%s: orientation %v, want %s", where, *pl.Orientation, want)
				}
				props, err := f.GetSheetProps(sh)
				if err != nil || props.FitToPage == nil || !*props.FitToPage {
					t.Errorf("%s: fitToPage not set (%v)", where, err)
				}
				panes, err := f.GetPanes(sh)
				if err != nil || !panes.Freeze || panes.YSplit < 1 {
					t.Errorf("%s: header not frozen: %+v %v", where, panes, err)
				}
				row := panes.YSplit
				if got, want := titles[sh], "'"+sh+"'!$"+itoa(row)+":$"+itoa(row); got != want {
					t.Errorf("%s: print titles %q, want %q (the header row)", where, got, want)
				}
				if rows, _ := f.GetRows(sh); row <= len(rows) && (len(rows[row-1]) < 2 || !strings.Contains(strings.Join(rows[row-1], ","), "序号") && sh != "说明") {
					t.Errorf("%s: repeated row %d is %q, not the header", where, row, rows[row-1])
				}
			}
			if checked == 0 {
				t.Errorf("%s: no visible sheet", file.Name)
			}
		}
	}
}
