package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/overlap"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/sampler"
	"github.com/xuri/excelize/v2"
)

// overlapLedger writes a ledger with a year of constructed draws:
//
//	CZ2026-278 沁县 5–10月:  F1 F2
//	CZ2026-283 沁县 1–12月:  F1 F2 F3 — locked; a later redraw (F9) does not count
//	CZ2026-280 沁县 1–3月:   F3 F4
//	CZ2026-292 沁县 4–6月:   first F4 F5, redrawn (not locked): F5 F6 — the latest counts
//	CZ2026-8  潞州区 6–8月:  F1 (another district)
//	CZ2025-278 (year 2025): F2
func overlapLedger(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "choucha.db")
	l, err := ledger.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	add := func(key, district string, year, from, to int, reason string, firms ...string) int64 {
		m := draw.Manifest{
			Spec:   sampler.SampleSpec,
			Seed:   "12345678901234567890",
			Strata: []draw.Stratum{{Class: "ALL", N: 10, Ratio: "100", Count: len(firms)}},
			Task:   key,
			Round:  1,
			TaskInfo: plan.Task{Key: key, District: district, Name: "任务" + key, Items: "事项" + key,
				Window: plan.Window{From: from, To: to}, Initiator: district + "市场监管局", Cooperators: []string{district + "住建局"}},
			Policy: risk.Policy{YearlyCap: map[string]int{"A": 1}},
		}
		for _, f := range firms {
			m.Selected = append(m.Selected, draw.Selected{Key: f, Name: "企业" + f, Class: "A",
				Ticket: sampler.Ticket(m.Seed, key, 1, f)})
			m.Assignments = append(m.Assignments, sampler.Team{Key: f, Team: []sampler.Member{{ID: "P" + key, Name: "人" + key, Dept: district + "市场监督管理局", Role: "initiator"}}})
		}
		b, err := m.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		id, err := l.Append(ctx, ledger.Entry{Kind: ledger.KindDraw, Task: key, Round: 1, Year: year, Seed: "12345678901234567890",
			CreatedAt: "2026-03-01T00:00:00Z", Operator: "tester", RedrawReason: reason, Manifest: b, Keys: firms})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	add("CZ2026-278", "沁县", 2026, 5, 10, "", "F1", "F2")
	locked := add("CZ2026-283", "沁县", 2026, 1, 12, "", "F1", "F2", "F3")
	if _, err := l.Lock(ctx, locked, "tester"); err != nil {
		t.Fatal(err)
	}
	add("CZ2026-283", "沁县", 2026, 1, 12, "测试：锁定后重抽", "F9")
	add("CZ2026-280", "沁县", 2026, 1, 3, "", "F3", "F4")
	add("CZ2026-292", "沁县", 2026, 4, 6, "", "F4", "F5")
	add("CZ2026-292", "沁县", 2026, 4, 6, "", "F5", "F6")
	add("CZ2026-8", "潞州区", 2026, 6, 8, "", "F1")
	add("CZ2025-278", "沁县", 2025, 1, 12, "", "F2")
	return path
}

func overlapRun(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), code
}

func TestOverlapJSON(t *testing.T) {
	db := overlapLedger(t)
	out, errOut, code := overlapRun(t, "overlap", "--db", db, "--year", "2026", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// F1: 283 (1–12), 278 (5–10), 8 (6–8, 潞州区): 6–8. F2: 283 and 278 (the 2025 draw is
	// another year): 5–10. F3: 283 and 280: 1–3. F4: 280 (1–3) and 292 — but 292's latest
	// draw has no F4, and 1–3 does not meet 4–6 anyway. F5, F6: one draw each. F9: the
	// redraw of a locked round does not count.
	want := `[{"key":"F1","name":"企业F1","tasks":["CZ2026-283","CZ2026-278","CZ2026-8"],` +
		`"rounds":[{"task":"CZ2026-283","round":1},{"task":"CZ2026-278","round":1},{"task":"CZ2026-8","round":1}],"window":{"from":6,"to":8}},` +
		`{"key":"F2","name":"企业F2","tasks":["CZ2026-283","CZ2026-278"],"rounds":[{"task":"CZ2026-283","round":1},{"task":"CZ2026-278","round":1}],"window":{"from":5,"to":10}},` +
		`{"key":"F3","name":"企业F3","tasks":["CZ2026-280","CZ2026-283"],"rounds":[{"task":"CZ2026-280","round":1},{"task":"CZ2026-283","round":1}],"window":{"from":1,"to":3}}]`
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(out)); err != nil {
		t.Fatal(err)
	}
	if compact.String() != want {
		t.Errorf("overlap --format json:\n got  %s\n want %s", compact.String(), want)
	}
	// Cap excess (A: 1 a year) is talk on stderr in JSON mode: F1 (3 draws), F2 (2), F3 (2).
	for _, k := range []string{"F1 企业F1 本年已被抽取 3 次", "F2 企业F2 本年已被抽取 2 次", "F3 企业F3 本年已被抽取 2 次"} {
		if !strings.Contains(errOut, k) {
			t.Errorf("stderr lacks %q:\n%s", k, errOut)
		}
	}
	if strings.Contains(errOut, "F9") || strings.Contains(errOut, "F4") {
		t.Errorf("stderr names a firm not over the cap:\n%s", errOut)
	}

	// --district keeps 沁县's tasks only: F1 is then 283 and 278 (5–10).
	out, _, code = overlapRun(t, "overlap", "--db", db, "--year", "2026", "--district", "沁县", "--format", "json", "-q")
	compact.Reset()
	if err := json.Compact(&compact, []byte(out)); err != nil || code != 0 {
		t.Fatal(code, err)
	}
	if !strings.HasPrefix(compact.String(), `[{"key":"F1","name":"企业F1","tasks":["CZ2026-283","CZ2026-278"],"rounds":[{"task":"CZ2026-283","round":1},{"task":"CZ2026-278","round":1}],"window":{"from":5,"to":10}}`) {
		t.Errorf("--district 沁县: %s", compact.String())
	}
	// The district may be written with its city (no built-in list: the draws' districts are
	// the places).
	out2, _, code := overlapRun(t, "overlap", "--db", db, "--year", "2026", "--district", "山西省长治市沁县", "--format", "json", "-q")
	if code != 0 || out2 != out {
		t.Errorf("--district 山西省长治市沁县 (exit %d) differs from --district 沁县:\n%s", code, out2)
	}

	// The default year is the ledger's latest; 2025 alone has no overlap: an empty list.
	out, _, _ = overlapRun(t, "overlap", "--db", db, "--format", "json", "-q")
	if !strings.Contains(out, `"CZ2026-278"`) {
		t.Errorf("default year is not 2026: %s", out)
	}
	out, _, _ = overlapRun(t, "overlap", "--db", db, "--year", "2025", "--format", "json", "-q")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("2025: %q, want []", out)
	}
}

func TestOverlapTableCSVXLSX(t *testing.T) {
	db := overlapLedger(t)
	out, _, code := overlapRun(t, "overlap", "--db", db, "--year", "2026", "-q")
	if code != 0 {
		t.Fatal(code)
	}
	for _, s := range []string{"联合检查时间", "企业F1", "6月—8月", "超过年度检查上限", "CZ2026-278、CZ2026-283、CZ2026-8", "CZ2026-283 1月—12月"} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q:\n%s", s, out)
		}
	}

	dir := t.TempDir()
	csvPath := filepath.Join(dir, "联合检查.csv")
	if _, e, code := overlapRun(t, "overlap", "--db", db, "--year", "2026", "--format", "csv", "--out", csvPath); code != 0 {
		t.Fatal(e)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff统一社会信用代码,企业名称")) {
		t.Errorf("csv does not start with a BOM and the header: %q", b[:min(len(b), 60)])
	}
	if n := bytes.Count(b, []byte("\r\nF")); n != 3 {
		t.Errorf("csv has %d firm rows, want 3:\n%s", n, b)
	}
	if !bytes.Contains(b, []byte("人CZ2026-283（PCZ2026-283，沁县市场监督管理局）")) {
		t.Errorf("csv lacks the joint team:\n%s", b)
	}

	xlsxPath := filepath.Join(dir, "联合检查.xlsx")
	if _, e, code := overlapRun(t, "overlap", "--db", db, "--year", "2026", "--format", "xlsx", "--out", xlsxPath); code != 0 {
		t.Fatal(e)
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("联合检查")
	if err != nil || len(rows) != 4 || rows[1][0] != "F1" || rows[1][5] != "6月—8月" {
		t.Errorf("sheet 联合检查: %v %q", err, rows)
	}
	rows, err = f.GetRows("超过年度上限")
	if err != nil || len(rows) != 4 || rows[1][0] != "F1" || rows[1][3] != "3" {
		t.Errorf("sheet 超过年度上限: %v %q", err, rows)
	}
}

func TestOverlapErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"overlap", "--db", filepath.Join(dir, "none.db")}, 1, "没有抽取台账"},
		{[]string{"overlap", "--db", filepath.Join(dir, "none.db"), "--format", "xml"}, 2, "--format"},
		{[]string{"overlap", "--db", filepath.Join(dir, "none.db"), "--format", "xlsx"}, 2, "--out"},
	} {
		_, e, code := overlapRun(t, tc.args...)
		if code != tc.code || !strings.Contains(e, tc.msg) || !strings.HasPrefix(e, "choucha: 错误: ") {
			t.Errorf("%q: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, e, tc.code, tc.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Error("overlap created a ledger")
	}
}

// Tester's report, item 7: a firm drawn in rounds 1 and 2 of one task (task 274, 30%; 2次: the
// classes C and D have too few firms left for round 2, which takes some again as repeats) was
// listed with "tasks":["CZ2026-274"] alone; "rounds" now names both rounds, as the table's
// 第2轮 does.
func TestOverlapJSONRounds(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	for round, seed := range []string{testSeed, "20260401123456789013"} {
		if _, stderr, code := cli(t, db, "sample", "--task", "274", "--round", fmt.Sprint(round+1), "--roster", rosterPath("qinxian-realestate.xlsx"),
			"--seed", seed, "--out", filepath.Join(dir, fmt.Sprint(round+1))); code != 0 {
			t.Fatalf("round %d: %d %s", round+1, code, stderr)
		}
	}
	out, stderr, code := cli(t, db, "-q", "overlap", "--format", "json")
	if code != 0 {
		t.Fatalf("overlap: %d %s", code, stderr)
	}
	var got []overlapJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	repeats := 0
	for _, s := range readManifest(t, filepath.Join(dir, "2")).Selected {
		if s.Repeat {
			repeats++
		}
	}
	if repeats == 0 || len(got) != repeats {
		t.Fatalf("%d joint visits, want the %d firms drawn in both rounds:\n%s", len(got), repeats, out)
	}
	for _, g := range got {
		want := []overlap.Ref{{Task: "CZ2026-274", Round: 1}, {Task: "CZ2026-274", Round: 2}}
		if len(g.Tasks) != 1 || g.Tasks[0] != "CZ2026-274" || fmt.Sprint(g.Rounds) != fmt.Sprint(want) {
			t.Errorf("%s: tasks %v rounds %v, want [CZ2026-274] %v", g.Key, g.Tasks, g.Rounds, want)
		}
	}
	table, _, _ := cli(t, db, "-q", "overlap")
	if !strings.Contains(table, "第2轮") {
		t.Errorf("the table does not name round 2:\n%s", table)
	}
}
