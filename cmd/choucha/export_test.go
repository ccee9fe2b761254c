package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/ledger"
)

// TestExportFromLedger exports a draw by its ledger entry ID: the manifest comes from the
// ledger, its ledger_id is set, and without --out the files go to draws/<task>-r<round>-ledger<id>.
func TestExportFromLedger(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m, err := export.ParseManifest([]byte(exportTestManifest), "test")
	if err != nil {
		t.Fatal(err)
	}
	// The ledger stores the draw's frame (here: its one firm) once, by frame_sha256.
	frame := []byte(m.Selected[0].Key + "|" + m.Selected[0].Class + "\n")
	m.Roster.FrameSHA256 = ledger.FrameHash(frame)
	canon, err := m.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "台账.db")
	l, err := ledger.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := l.Append(ctx, ledger.Entry{Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Seed: m.Seed,
		CreatedAt: m.CreatedAt, Operator: "tester", Manifest: canon, Keys: []string{m.Selected[0].Key}, Frame: frame})
	if err != nil {
		t.Fatal(err)
	}
	lockID, err := l.Lock(ctx, id, "tester")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()

	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"--db", db, "export", "1", "--format", "xlsx"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := filepath.Join("draws", "QX2026-7-r1-ledger1", "抽查名单.xlsx")
	if strings.TrimSpace(stdout.String()) != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
	// The 说明 sheet names the ledger entry.
	x, err := excelize.OpenFile(want)
	if err != nil {
		t.Fatal(err)
	}
	about, _ := x.GetRows("说明")
	x.Close()
	found := false
	for _, r := range about {
		if len(r) == 2 && r[0] == "台账编号" && r[1] == "1" {
			found = true
		}
	}
	if !found {
		t.Errorf("说明 does not name ledger entry 1: %q", about)
	}

	stdout.Reset()
	stderr.Reset()
	out := filepath.Join(dir, "公告")
	if code := run(ctx, []string{"--db", db, "export", "1", "--format", "announce", "--out", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	html, _ := os.ReadFile(filepath.Join(out, "抽查任务公告.html"))
	if !bytes.Contains(html, []byte("平安置业")) {
		t.Error("announcement lacks the firm")
	}

	// A lock entry is not a draw; a missing entry is named.
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--db", db, "export", strconv.FormatInt(lockID, 10), "--format", "csv"}, "锁定记录"},
		{[]string{"--db", db, "export", "99", "--format", "csv"}, "没有第 99 条"},
		{[]string{"--db", filepath.Join(dir, "nope.db"), "export", "1", "--format", "csv"}, "还没有抽取台账"},
	} {
		stderr.Reset()
		if code := run(ctx, c.args, &stdout, &stderr); code != exitFailure || !strings.Contains(stderr.String(), c.msg) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.args, code, stderr.String(), c.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.db")); err == nil {
		t.Error("export created a ledger")
	}
	// Usage errors exit 2.
	for _, args := range [][]string{
		{"export", "draws", "--format", "pdf"},
		{"export", "draws"},
		{"export", "draws", "--format", "xlsx", "--encoding", "gbk"},
	} {
		stderr.Reset()
		if code := run(ctx, args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}

const exportTestManifest = `{"spec":"CHOUCHA-SAMPLE-v1","tool_version":"0.1.0-test","created_at":"2026-04-01T02:03:04Z",
"plan":{"id":"QX2026","sha256":""},"task":"QX2026-7",
"task_info":{"seq":7,"key":"QX2026-7","name":"房地产开发企业检查","items":"资质检查","scopes":["房地产开发企业"],
"window":{"text":"4-6月","from":4,"to":6},"initiator":"沁县住建局","cooperators":["沁县市场监管局"]},
"round":1,"seed":"20260401123456789012",
"roster":{"file":"r.csv","sha256":"","frame_sha256":"ef","header":["统一社会信用代码","企业名称","联系电话"],"rows":1,"eligible":1},
"policy":{},"strata":[{"class":"ALL","N":1,"ratio":"100","n":1,"excluded":0}],
"selected":[{"key":"911404038769823907","name":"沁县平安置业有限公司","class":"A","ticket":"184f4e7ea5b6d197579d69e2619faf81a77ae1e7df1f56c4a895eab08e80b8b8","rank":1,"repeat":false,
"authority":"沁县市场监督管理局","values":["911404038769823907","沁县平安置业有限公司","13912345678"]}],"reserves":[]}`

// A redraw's notice says it is one and why (the ledger's 重抽理由), in the HTML and the CSV;
// exporting the list it replaced warns that it is not the round's list any more.
func TestExportRedrawNoticeAndSuperseded(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	args := func(out string, more ...string) []string {
		return append([]string{"sample", "--task", "292", "--roster", rosterPath("qinxian-realestate.csv"), "--seed", testSeed, "--out", filepath.Join(dir, out)}, more...)
	}
	if _, stderr, code := cli(t, db, args("1")...); code != 0 {
		t.Fatalf("draw 1: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := cli(t, db, args("2", "--redraw-reason", "核对时发现名录有误")...); code != 0 {
		t.Fatalf("draw 2: exit %d\n%s", code, stderr)
	}
	_, stderr, code := cli(t, db, "export", "2", "--format", "announce", "--out", filepath.Join(dir, "a2"))
	if code != 0 || strings.Contains(stderr, "不是任务") {
		t.Fatalf("export 2: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"抽查任务公告.html", "抽查任务公告.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, "a2", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "本轮第2次抽取；重抽理由：核对时发现名录有误") {
			t.Errorf("%s does not say the draw is a redraw and why", f)
		}
	}
	_, stderr, code = cli(t, db, "export", "1", "--format", "announce", "--out", filepath.Join(dir, "a1"))
	if code != 0 || !strings.Contains(stderr, "台账第 1 条不是任务 CZ2026-292 第1轮现行的名单：现行的是第 2 条") {
		t.Errorf("export 1: exit %d, stderr:\n%s\nwant the superseded warning", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a1", "抽查任务公告.csv")); strings.Contains(string(b), "重抽说明") {
		t.Errorf("the first draw's notice has a 重抽说明 column")
	}
}
