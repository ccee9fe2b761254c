package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/sampler"
)

// runCLI runs choucha with args and returns the exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// testDraw appends a draw of task T whose manifest passes draw.Validate (tickets from the
// seed, counts within the stratum), as ledger verify and export require.
func testDraw(t *testing.T, l *ledger.Ledger, round int, reason string, keys ...string) int64 {
	t.Helper()
	m := &draw.Manifest{
		Spec: "CHOUCHA-SAMPLE-v1", ToolVersion: version, CreatedAt: "2026-03-02T08:00:00Z",
		Task: "CZ2026-1", TaskInfo: plan.Task{Key: "CZ2026-1"}, Round: round, Seed: "31415926535897932384",
		Strata: []draw.Stratum{{Class: "C", N: len(keys), Ratio: "100", Count: len(keys)}},
	}
	for i, k := range keys {
		m.Selected = append(m.Selected, draw.Selected{Key: k, Name: "长治市" + k + "有限公司", Class: "C", Rank: i + 1,
			Ticket: sampler.Ticket(m.Seed, m.Task, round, k)})
	}
	b, err := m.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	id, err := l.Append(context.Background(), ledger.Entry{
		Kind: ledger.KindDraw, Task: m.Task, Round: round, Seed: m.Seed, CreatedAt: m.CreatedAt,
		Operator: "张三", RedrawReason: reason, Manifest: b, Keys: keys,
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestLedgerCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "台账.db")
	l, err := ledger.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	testDraw(t, l, 1, "", "K1", "K2") // 1
	testDraw(t, l, 1, "", "K3")       // 2: redrawn before any lock
	l.Close()

	// lock
	code, out, errs := runCLI(t, "--db", db, "ledger", "lock", "1", "--operator", "李四")
	if code != 0 || !strings.Contains(out, "已锁定第 1 条") || !strings.Contains(out, "第 3 条") {
		t.Fatalf("lock: %d\n%s%s", code, out, errs)
	}
	code, _, errs = runCLI(t, "--db", db, "ledger", "lock", "2")
	if code != 1 || !strings.Contains(errs, "已锁定台账第 1 条") {
		t.Errorf("second lock of the round: %d %s", code, errs)
	}
	for _, arg := range []string{"3", "99"} {
		if code, _, errs := runCLI(t, "--db", db, "ledger", "lock", arg); code != 1 || !strings.HasPrefix(errs, "choucha: 错误: ") {
			t.Errorf("lock %s: %d %s", arg, code, errs)
		}
	}
	if code, _, _ := runCLI(t, "--db", db, "ledger", "lock", "x"); code != 2 {
		t.Errorf("lock x: exit %d, want 2", code)
	}

	l, err = ledger.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	testDraw(t, l, 1, "检查对象名录有误", "K4") // 4: a redraw of the locked round
	testDraw(t, l, 2, "", "K5")         // 5
	head, err := l.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l.Close()

	// list (table)
	code, out, errs = runCLI(t, "--db", db, "ledger", "list")
	if code != 0 {
		t.Fatalf("list: %d %s", code, errs)
	}
	for _, want := range []string{"序号", "重抽", "已锁定", "第2次抽取", "第3次抽取，理由：检查对象名录有误", "31415926535897932384", "张三"} {
		if !strings.Contains(out, want) {
			t.Errorf("list table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "李四") {
		t.Errorf("list shows a lock as a draw:\n%s", out)
	}
	// Times are stored in UTC (08:00Z) and shown in the local zone: Beijing by default.
	if !strings.Contains(out, "2026-03-02 16:00:00 +08:00") || strings.Contains(out, "08:00:00Z") {
		t.Errorf("list does not show Beijing time:\n%s", out)
	}
	if _, out, _ := runCLI(t, "--db", db, "--tz", "UTC", "ledger", "list"); !strings.Contains(out, "2026-03-02 08:00:00 +00:00") {
		t.Errorf("list --tz UTC:\n%s", out)
	}
	if _, out, _ := runCLI(t, "--db", db, "--tz", "Asia/Urumqi", "ledger", "show", "1"); !strings.Contains(out, "2026-03-02 14:00:00 +06:00") || !strings.Contains(out, "2026-03-02T08:00:00Z") {
		t.Errorf("show --tz Asia/Urumqi:\n%s", out)
	}
	if code, _, errs := runCLI(t, "--db", db, "--tz", "Mars/Olympus", "ledger", "list"); code != 2 || !strings.Contains(errs, "时区") {
		t.Errorf("bad --tz: %d %s", code, errs)
	}

	// list (json): exactly the published fields
	code, out, _ = runCLI(t, "--db", db, "ledger", "list", "--format", "json", "--task", "CZ2026-1", "--year", "2026")
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); code != 0 || err != nil {
		t.Fatalf("list json: %d %v\n%s", code, err, out)
	}
	if len(items) != 4 {
		t.Fatalf("list json: %d items", len(items))
	}
	want := map[string]any{
		"id": 4.0, "task": "CZ2026-1", "round": 1.0, "seed": "31415926535897932384",
		"created_at": "2026-03-02T08:00:00Z", "operator": "张三", "locked": false, "redraw_reason": "检查对象名录有误",
	}
	if !reflect.DeepEqual(items[2], want) {
		t.Errorf("list json item 3 = %v\nwant %v", items[2], want)
	}
	if items[0]["locked"] != true || items[1]["locked"] != false {
		t.Errorf("locked flags: %v", items)
	}
	if _, out, _ := runCLI(t, "--db", db, "ledger", "list", "--format", "json", "--year", "2025"); strings.TrimSpace(out) != "[]" {
		t.Errorf("empty json list = %q", out)
	}
	if code, _, _ := runCLI(t, "--db", db, "ledger", "list", "--format", "xml"); code != 2 {
		t.Errorf("--format xml: exit %d, want 2", code)
	}

	// show (text)
	code, out, errs = runCLI(t, "--db", db, "ledger", "show", "1")
	if code != 0 {
		t.Fatalf("show: %d %s", code, errs)
	}
	for _, want := range []string{"CZ2026-1", "31415926535897932384", "张三", "2026-03-02T08:00:00Z", "已锁定：    是", "抽中：      2 户", "1. K1  长治市K1有限公司", "2. K2"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if _, out, _ := runCLI(t, "--db", db, "ledger", "show", "3"); !strings.Contains(out, "类型：      锁定") || !strings.Contains(out, "第 1 条") {
		t.Errorf("show of a lock:\n%s", out)
	}

	// show (json): still a manifest, with the ledger ID and entry metadata
	code, out, _ = runCLI(t, "--db", db, "ledger", "show", "4", "--format", "json")
	var m draw.Manifest
	if err := json.Unmarshal([]byte(out), &m); code != 0 || err != nil {
		t.Fatalf("show json: %d %v\n%s", code, err, out)
	}
	if m.LedgerID != 4 || m.Task != "CZ2026-1" || len(m.Selected) != 1 || m.Selected[0].Key != "K4" {
		t.Errorf("show json manifest = %+v", m)
	}
	var meta struct {
		Ledger map[string]any `json:"ledger"`
	}
	json.Unmarshal([]byte(out), &meta)
	if meta.Ledger["redraw_reason"] != "检查对象名录有误" || meta.Ledger["operator"] != "张三" || len(meta.Ledger["hash"].(string)) != 64 {
		t.Errorf("show json ledger = %v", meta.Ledger)
	}
	if code, _, errs := runCLI(t, "--db", db, "ledger", "show", "99"); code != 1 || !strings.Contains(errs, "没有第 99 条") {
		t.Errorf("show 99: %d %s", code, errs)
	}
	if code, _, _ := runCLI(t, "--db", db, "ledger", "show", "abc"); code != 2 {
		t.Errorf("show abc: exit %d, want 2", code)
	}

	// verify
	code, out, errs = runCLI(t, "--db", db, "ledger", "verify")
	if code != 0 || !strings.Contains(out, "台账完好：共 5 条") || !strings.Contains(out, head.Head) {
		t.Fatalf("verify: %d\n%s%s", code, out, errs)
	}

	// An edit by hand is found and named.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER entries_no_update`, `UPDATE entries SET entry = replace(entry, '"K3"', '"K9"') WHERE id = 2`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	code, out, errs = runCLI(t, "--db", db, "ledger", "verify")
	if code != 1 || out != "" || !strings.Contains(errs, "校验不通过：第 2 条") || !strings.Contains(errs, "choucha: 提示: ") {
		t.Errorf("verify after edit: %d\n%s%s", code, out, errs)
	}
}

func TestLedgerCommandsWithoutLedger(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "choucha.db")
	for _, args := range [][]string{
		{"ledger", "list"}, {"ledger", "list", "--format", "json"}, {"ledger", "show", "1"},
		{"ledger", "verify"}, {"ledger", "lock", "1"},
	} {
		code, out, errs := runCLI(t, append([]string{"--db", db}, args...)...)
		if code != 1 || out != "" || !strings.Contains(errs, "还没有抽取台账") {
			t.Errorf("%v: %d %q %q", args, code, out, errs)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a read command created the ledger")
	}

	notLedger := filepath.Join(dir, "notes.txt")
	os.WriteFile(notLedger, []byte("hello"), 0o644)
	code, _, errs := runCLI(t, "--db", notLedger, "ledger", "verify")
	if code != 1 || !strings.Contains(errs, "不是 SQLite 数据库") || !strings.Contains(errs, "提示") {
		t.Errorf("not a ledger: %d %s", code, errs)
	}
}

func TestLedgerPathAndOperator(t *testing.T) {
	t.Setenv("CHOUCHA_DB", "")
	g := &globalOptions{}
	if p := g.ledgerPath(); p != "choucha.db" {
		t.Errorf("default path %q", p)
	}
	t.Setenv("CHOUCHA_DB", "/srv/抽查/台账.db")
	if p := g.ledgerPath(); p != "/srv/抽查/台账.db" {
		t.Errorf("env path %q", p)
	}
	g.db = "x.db"
	if p := g.ledgerPath(); p != "x.db" {
		t.Errorf("--db path %q", p)
	}
	t.Setenv("USER", "zhangsan")
	if o := defaultOperator(); o != "zhangsan" {
		t.Errorf("operator %q", o)
	}
	t.Setenv("USER", "")
	t.Setenv("USERNAME", "")
	if o := defaultOperator(); o == "" {
		t.Error("no operator without $USER")
	}
}
