package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/xlsxstream"
	"github.com/xuri/excelize/v2"
)

// sheetsWorkbook writes the Qinxian roster as the sheet 名录 of a workbook whose first sheet
// 旧名录 holds 100 other firms: hidden when hidden, else visible (and so read by default).
func sheetsWorkbook(t *testing.T, hidden bool) string {
	t.Helper()
	var rows [][]string
	err := xlsxstream.Scan(context.Background(), rosterPath("qinxian-realestate.xlsx"), "", func(_ int, cells []string) error {
		rows = append(rows, slices.Clone(cells))
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	put := func(sheet string, rows [][]string) {
		for i, r := range rows {
			vals := make([]any, len(r))
			for j, v := range r {
				vals[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.SetSheetName("Sheet1", "旧名录")
	if _, err := f.NewSheet("名录"); err != nil {
		t.Fatal(err)
	}
	put("旧名录", append([][]string{rows[0]}, rows[301:]...))
	put("名录", rows)
	if hidden {
		f.SetActiveSheet(1)
		if err := f.SetSheetVisible("旧名录", false); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "两个工作表.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// Without --sheet a draw reads the first visible sheet, says which, and records it; replay
// reads the recorded sheet without being told, and refuses another one.
func TestSampleReadsFirstVisibleSheetAndReplayRecordsIt(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "choucha.db")
	hidden := sheetsWorkbook(t, true)
	_, stderr, code := cli(t, db, "sample", "--task", "292", "--roster", hidden, "--seed", testSeed, "--out", filepath.Join(dir, "d1"))
	if code != 0 {
		t.Fatalf("sample: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "读取工作表“名录”（另有工作表：“旧名录”（隐藏））；用 --sheet 选择其他工作表") {
		t.Errorf("no note of the sheet read:\n%s", stderr)
	}
	m := readManifest(t, filepath.Join(dir, "d1"))
	plain := sampleManifest(t, dir, db, rosterPath("qinxian-realestate.xlsx"), "d0")
	if m.Roster.Sheet != "名录" || m.Roster.FrameSHA256 != plain.Roster.FrameSHA256 {
		t.Fatalf("recorded sheet %q, frame %s; want 名录 and the 400 firms' frame %s", m.Roster.Sheet, m.Roster.FrameSHA256, plain.Roster.FrameSHA256)
	}
	// A single-sheet workbook's manifest has no sheet member: its bytes are as before.
	if b, _ := os.ReadFile(filepath.Join(dir, "d0", "manifest.json")); strings.Contains(string(b), `"sheet"`) {
		t.Errorf("single-sheet manifest names a sheet")
	}

	// The same workbook with the old sheet visible again: replay still reads 名录.
	visible := sheetsWorkbook(t, false)
	out, stderr, code := cli(t, db, "replay", "1", "--roster", visible)
	if code != 0 || !strings.HasPrefix(out, "一致") || !strings.Contains(stderr, "按台账的记录读取工作表“名录”") {
		t.Fatalf("replay: exit %d\n%s\n%s", code, out, stderr)
	}
	_, stderr, code = cli(t, db, "replay", "1", "--roster", visible, "--sheet", "旧名录")
	if code != exitUsage || !strings.Contains(stderr, "抽取时读取的是名录的工作表“名录”，--sheet 给的是“旧名录”") {
		t.Fatalf("replay --sheet 旧名录: exit %d\n%s", code, stderr)
	}
	if out, stderr, code = cli(t, db, "replay", "1", "--roster", visible, "--sheet", "名录"); code != 0 || !strings.HasPrefix(out, "一致") {
		t.Fatalf("replay --sheet 名录: exit %d\n%s\n%s", code, out, stderr)
	}
	// roster check says the same on stderr, and its JSON lists the sheets.
	out, stderr, code = cli(t, db, "roster", "check", hidden, "--format", "json")
	if code != 0 || !strings.Contains(stderr, "读取工作表“名录”") || !strings.Contains(out, `"sheet": "名录"`) || !strings.Contains(out, `"hidden": true`) {
		t.Fatalf("roster check: exit %d\n%s\n%s", code, out, stderr)
	}
}

// sampleManifest draws task 292 from roster into dir/out and returns the manifest.
func sampleManifest(t *testing.T, dir, db, roster, out string) *draw.Manifest {
	t.Helper()
	_, stderr, code := cli(t, db, "sample", "--task", "292", "--roster", roster, "--seed", testSeed, "--out", filepath.Join(dir, out))
	if code != 0 {
		t.Fatalf("sample %s: exit %d\n%s", roster, code, stderr)
	}
	return readManifest(t, filepath.Join(dir, out))
}

// Merged class cells in the data area are filled as Excel shows them, with a note; a draw
// from the merged workbook replays identical from it.
func TestMergedClassCellsFilled(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "choucha.db")
	f, err := excelize.OpenFile(rosterPath("qinxian-realestate.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, _ := f.GetRows("名录")
	col := slices.Index(header[0], "信用风险分类")
	if col < 0 {
		t.Fatal("no class column")
	}
	c, _ := excelize.ColumnNumberToName(col + 1)
	for r := 3; r <= 11; r++ {
		if err := f.SetCellValue("名录", c+strconv.Itoa(r), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.MergeCell("名录", c+"2", c+"11"); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "合并.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := cli(t, db, "roster", "check", p, "--format", "json")
	if code != 0 || !strings.Contains(out, `"merged_ranges": [`) || !strings.Contains(stderr, "合并单元格 "+c+"2:"+c+"11 按左上角单元格的值填入") {
		t.Fatalf("roster check: exit %d\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(out, `"unclassified": 0`) {
		t.Errorf("the merged rows were read as unclassified:\n%s", out)
	}
	sampleManifest(t, dir, db, p, "d1")
	if out, stderr, code = cli(t, db, "replay", "1", "--roster", p); code != 0 || !strings.HasPrefix(out, "一致") {
		t.Fatalf("replay: exit %d\n%s\n%s", code, out, stderr)
	}
}
