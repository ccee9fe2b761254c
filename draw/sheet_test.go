package draw

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// roster.sheet is omitted when empty: the manifests of draws from CSV files and single-sheet
// workbooks (and every manifest before the member existed) keep their bytes.
func TestRosterSheetOmittedWhenEmpty(t *testing.T) {
	b, err := json.Marshal(RosterRef{File: "a.xlsx"})
	if err != nil || strings.Contains(string(b), "sheet") {
		t.Fatalf("%s %v", b, err)
	}
	b, _ = json.Marshal(RosterRef{File: "a.xlsx", Sheet: "名录 (2)"})
	if !strings.HasPrefix(string(b), `{"file":"a.xlsx","sheet":"名录 (2)","sha256"`) {
		t.Errorf("%s", b)
	}
}

func TestReplaySheet(t *testing.T) {
	f := excelize.NewFile()
	f.NewSheet("名录")
	// Sheet1 hidden: a record from before sheets were recorded still reads it (the first
	// sheet, as the reader then did), not the first visible one.
	if err := f.SetSheetVisible("Sheet1", false); err != nil {
		t.Fatal(err)
	}
	two := filepath.Join(t.TempDir(), "two.xlsx")
	if err := f.SaveAs(two); err != nil {
		t.Fatal(err)
	}
	f.Close()
	one := "../testdata/rosters/qinxian-realestate.xlsx"
	rec := func(sheet string) *Manifest { return &Manifest{Roster: RosterRef{Sheet: sheet}} }
	for _, tc := range []struct {
		rec, file, asked, want, err string
	}{
		{"名录", two, "", "名录", ""},
		{"名录", two, "名录", "名录", ""},
		{"名录", two, "Sheet1", "", "--sheet 给的是“Sheet1”"},
		{"", two, "名录", "名录", ""},
		// Recorded before sheets were: the first sheet, hidden or not, as then.
		{"", two, "", "Sheet1", ""},
		{"", one, "", "", ""},
		{"", "../testdata/rosters/qinxian-realestate.csv", "", "", ""},
	} {
		got, err := ReplaySheet(rec(tc.rec), tc.file, tc.asked)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ReplaySheet(%q, %s, %q) = %q, %v; want %q, %q", tc.rec, filepath.Base(tc.file), tc.asked, got, err, tc.want, tc.err)
		}
	}
}
