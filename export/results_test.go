package export

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/plan"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Deadlines come from plan.Window and the manifest's year on the State Council's schedule;
// expected dates counted by hand (see workday's tests for the day-by-day count).
func TestPublicationDeadline(t *testing.T) {
	m := testManifest(t, false)
	for _, c := range []struct {
		from, to int
		year     int
		want     string
		note     bool
	}{
		{4, 6, 2026, "2026-07-28", false},  // plain July
		{9, 9, 2026, "2026-11-03", false},  // over 国庆 2026 (weekends only: 10/28)
		{1, 1, 2026, "2026-03-05", false},  // over 春节 2026 (weekends only: 2/27)
		{7, 9, 2025, "2025-11-04", false},  // over 国庆、中秋 2025
		{10, 12, 2026, "2027-01-28", true}, // into 2027: no schedule, said so
		{4, 6, 2027, "2027-07-28", true},
	} {
		m.TaskInfo.Window = ploy(c.from, c.to)
		m.Year = c.year
		d, err := PublicationDeadline(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Date.Format("2006-01-02"); got != c.want {
			t.Errorf("%d年%d–%d月: deadline %s, want %s", c.year, c.from, c.to, got, c.want)
		}
		if (d.Note() != "") != c.note {
			t.Errorf("%d年%d–%d月: note %q", c.year, c.from, c.to, d.Note())
		}
		if method := DeadlineMethod(m, d); c.note != strings.Contains(method, "未收录") {
			t.Errorf("method %q", method)
		}
	}
}

func TestWindow(t *testing.T) {
	m := testManifest(t, false)
	from, to, err := Window(m)
	if err != nil || !from.Equal(day("2026-04-01")) || !to.Equal(day("2026-06-30")) {
		t.Errorf("Window = %s %s %v", from, to, err)
	}
	// The year is the manifest's, not a guess from the plan ID (bug B2).
	m.Plan.ID, m.Task = "CZ2026", "CZ2026-12"
	m.Year = 2027
	m.TaskInfo.Window = ploy(2, 2)
	if _, to, _ := Window(m); !to.Equal(day("2027-02-28")) {
		t.Errorf("February end %s", to)
	}
	m.Year = 0
	if _, _, err := Window(m); err == nil {
		t.Error("no year, no error")
	}
	m.Year = 2026
	m.TaskInfo.Window = ploy(7, 3)
	if _, _, err := Window(m); err == nil {
		t.Error("backwards window accepted")
	}
	if _, err := PublicationDeadline(m, nil); err == nil {
		t.Error("deadline of a bad window")
	}
}

func TestResultsXLSX(t *testing.T) {
	m := testManifest(t, true)
	var buf bytes.Buffer
	if err := WriteResultsXLSX(t.Context(), &buf, m, nil); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got := strings.Join(f.GetSheetList(), ","); got != "检查结果录入,说明,结果代码" {
		t.Fatalf("sheets %s", got)
	}
	if v, _ := f.GetSheetVisible("结果代码"); v {
		t.Error("结果代码 sheet visible")
	}
	codes, _ := f.GetRows("结果代码")
	if len(codes) != 13 || codes[0][0] != "未发现问题" || codes[12][0] != "不予配合情节严重" {
		t.Errorf("codes %q", codes)
	}
	rows, _ := f.GetRows("检查结果录入")
	h := rows[0]
	for _, c := range []string{"检查日期", "检查结果", "备注", "检查人员", "结果公示截止日期"} {
		if index(h, c) < 0 {
			t.Errorf("no column %s in %q", c, h)
		}
	}
	if index(h, "检查结果") != resultCol {
		t.Errorf("检查结果 is column %d, validation on %d", index(h, "检查结果"), resultCol)
	}
	if len(rows) != len(m.Selected)+1 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, s := range m.Selected {
		r := rows[i+1]
		if r[1] != s.Name || r[2] != s.Key {
			t.Errorf("row %d: %q", i+2, r)
		}
		if r[index(h, "结果公示截止日期")] != "2026年7月28日" {
			t.Errorf("row %d deadline %q", i+2, r[index(h, "结果公示截止日期")])
		}
		if !strings.Contains(r[index(h, "检查人员")], "李四") {
			t.Errorf("row %d inspectors %q", i+2, r[index(h, "检查人员")])
		}
		cellIsText(t, f, "检查结果录入", "B"+itoa(i+2))
		cellIsText(t, f, "检查结果录入", "C"+itoa(i+2))
	}
	dvs, err := f.GetDataValidations("检查结果录入")
	if err != nil || len(dvs) != 1 {
		t.Fatalf("validations %v %v", dvs, err)
	}
	dv := dvs[0]
	if dv.Type != "list" || dv.Sqref != "I2:I13" || !strings.Contains(dv.Formula1, "结果代码") || !strings.Contains(dv.Formula1, "$A$13") {
		t.Errorf("validation %+v", dv)
	}
	about, _ := f.GetRows("说明")
	if txt := flatten(about); !strings.Contains(txt, "结果公示截止日期\t2026年7月28日") || !strings.Contains(txt, m.Seed) {
		t.Errorf("说明:\n%s", txt)
	}
	panes, _ := f.GetPanes("检查结果录入")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
}

func TestSheets(t *testing.T) {
	m := testManifest(t, true)
	teams := Teams(m)
	// Members cycle through three initiator pairs with the same cooperator.
	if len(teams) != 3 {
		t.Fatalf("%d teams", len(teams))
	}
	firms := 0
	for _, tm := range teams {
		firms += len(tm.Firms)
		if len(tm.Members) != 3 {
			t.Errorf("team of %d", len(tm.Members))
		}
	}
	if firms != len(m.Selected) {
		t.Errorf("%d firms in teams, %d drawn", firms, len(m.Selected))
	}
	var html, xl bytes.Buffer
	if err := WriteSheetsHTML(&html, m); err != nil {
		t.Fatal(err)
	}
	out := html.String()
	if n := strings.Count(out, `<section class="page`); n != 3 {
		t.Errorf("%d pages", n)
	}
	if n := strings.Count(out, `class="page break"`); n != 2 {
		t.Errorf("%d page breaks, want 2 (none after the last)", n)
	}
	for _, want := range []string{"检查任务单", "<bdi>李四</bdi>（沁县市场监督管理局，执法证号 14040388001）", m.TaskInfo.Items, "2026年4月1日至2026年6月30日", "沁县定昌镇第一街", "&lt;script&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("sheets lack %q", want)
		}
	}
	if err := WriteSheetsXLSX(t.Context(), &xl, m); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, xl.Bytes())
	if got := strings.Join(f.GetSheetList(), ","); got != "检查组1,检查组2,检查组3" {
		t.Errorf("sheets %s", got)
	}
	// Without assignments: one page with blanks for the inspectors.
	m2 := testManifest(t, false)
	if tm := Teams(m2); len(tm) != 1 || len(tm[0].Firms) != len(m2.Selected) {
		t.Errorf("teams without assignments: %d", len(tm))
	}
	html.Reset()
	WriteSheetsHTML(&html, m2)
	if !strings.Contains(html.String(), "不少于两名持证执法人员") {
		t.Error("no blanks for inspectors")
	}
}

func ploy(from, to int) plan.Window { return plan.Window{From: from, To: to} }

func itoa(i int) string { return strconv.Itoa(i) }
