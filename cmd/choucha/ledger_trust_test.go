package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/choucha/choucha/ledger"
)

// englishSQL matches what a raw SQLite or database/sql error looks like.
var englishSQL = regexp.MustCompile(`(?i)sqlite_|sql:|database|unable to open|no such|malformed|\(\d+\)`)

// sampleArgs draws task 292 from the small real roster.
func sampleArgs(out string, extra ...string) []string {
	return append([]string{"sample", "--task", "292", "--roster", rosterPath("qinxian-realestate.csv"), "--seed", testSeed, "--out", out}, extra...)
}

func rawExec(t *testing.T, db string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Issue 18 item 3: a redraw of a locked round went through without --redraw-reason once the
// lock entry was deleted from the database file. sample now verifies before deciding.
func TestSampleRefusesBadLedger(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "1"))...); code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, db, "ledger", "lock", "1"); code != 0 {
		t.Fatalf("lock: %d %s", code, stderr)
	}
	rawExec(t, db, `DROP TRIGGER entries_no_delete`, `DELETE FROM entries WHERE id = 2`,
		`UPDATE sqlite_sequence SET seq = 1 WHERE name = 'entries'`)
	// The lock was the newest entry and the counter was lowered: the chain is whole, but one
	// lock rule is gone with it — only a published head shows that (TestVerifyAgainst). Delete
	// a lock in the middle instead: the chain breaks at it.
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "2"), "--redraw-reason", "x")...); code != 0 {
		t.Fatalf("redraw: %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, db, "ledger", "lock", "2"); code != 0 {
		t.Fatalf("lock 2: %d %s", code, stderr)
	}
	if _, _, code := cli(t, db, sampleArgs(filepath.Join(dir, "3"), "--redraw-reason", "y")...); code != 0 {
		t.Fatal("third draw")
	}
	rawExec(t, db, `DELETE FROM entries WHERE id = 3`)
	out := filepath.Join(dir, "4")
	_, stderr, code := cli(t, db, sampleArgs(out)...)
	if code != 1 || !strings.Contains(stderr, "校验不通过") || !strings.Contains(stderr, "第 3 条缺失") {
		t.Fatalf("redraw on a ledger with a deleted lock: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the refused draw wrote its folder")
	}
}

// Issue 18 item 3, 19 item 8: --db that is not a ledger is a clear Chinese refusal, nothing
// written, the file unchanged — for the recording command and for a reading one.
func TestLedgerFileFaults(t *testing.T) {
	goodDB := func(t *testing.T, dir string) string {
		db := filepath.Join(dir, "good.db")
		if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "first"))...); code != 0 {
			t.Fatalf("draw: %d %s", code, stderr)
		}
		return db
	}
	cases := []struct {
		name string
		make func(t *testing.T, dir string) string
		want string
	}{
		{"FIFO", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "fifo.db")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatal("mkfifo under CI:", err)
				}
				t.Skip("mkfifo:", err)
			}
			return p
		}, "不是普通文件"},
		{"device", func(t *testing.T, dir string) string { return "/dev/null" }, "不是普通文件"},
		{"dangling symlink", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "link.db")
			os.Symlink(filepath.Join(dir, "nowhere", "x.db"), p)
			return p
		}, "符号链接"},
		{"random bytes", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "random.db")
			b := make([]byte, 8192)
			for i := range b {
				b[i] = byte(i*7919 + i/13)
			}
			os.WriteFile(p, b, 0o644)
			return p
		}, "不是 SQLite 数据库"},
		{"truncated", func(t *testing.T, dir string) string {
			db := goodDB(t, dir)
			b, _ := os.ReadFile(db)
			p := filepath.Join(dir, "truncated.db")
			os.WriteFile(p, b[:len(b)/3], 0o644)
			return p
		}, "损坏"},
		{"header only", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "header.db")
			os.WriteFile(p, []byte("SQLite format 3\x00"+strings.Repeat("\x00", 84)), 0o644)
			return p
		}, "损坏"},
		{"another program file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "other.db")
			rawExec(t, p, `CREATE TABLE notes (x TEXT)`, `INSERT INTO notes VALUES ('a')`)
			return p
		}, "不是 choucha 抽取台账"},
		{"choucha id without the entries table", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "noentries.db")
			rawExec(t, p, `CREATE TABLE x (y)`, `PRAGMA application_id = 1128809288`, fmt.Sprintf(`PRAGMA user_version = %d`, ledger.SchemaVersion))
			return p
		}, "没有台账的条目表"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			db := c.make(t, dir)
			regular := false
			if fi, err := os.Lstat(db); err == nil && fi.Mode().IsRegular() {
				regular = true
			}
			var before []byte
			if regular {
				before, _ = os.ReadFile(db)
			}
			for _, args := range [][]string{sampleArgs(filepath.Join(dir, "out")), {"ledger", "verify"}, {"ledger", "list"}} {
				done := make(chan struct{})
				var stderr string
				var code int
				go func() {
					_, stderr, code = cli(t, db, args...)
					close(done)
				}()
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					t.Fatalf("%s hangs", args[0])
				}
				if code != 1 || !strings.HasPrefix(stderr, "choucha: 错误: ") || !strings.Contains(stderr, c.want) {
					t.Errorf("%v: exit %d, want 1 with %q:\n%s", args[:2], code, c.want, stderr)
				}
				if englishSQL.MatchString(stderr) {
					t.Errorf("%v: raw SQL error:\n%s", args[:2], stderr)
				}
				if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
					t.Errorf("%v wrote its output", args[:2])
				}
			}
			if regular {
				if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
					t.Error("the file was changed")
				}
			}
		})
	}
}

// Issue 18 item 3: a full disk is a clear refusal and loses nothing. A small tmpfs is
// mounted for it (as root); elsewhere the test is skipped, never under CI=true.
func TestLedgerDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot mount a tmpfs under CI: %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	db := filepath.Join(mnt, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(t.TempDir(), "1"))...); code != 0 {
		t.Fatalf("first draw: %d %s", code, stderr)
	}
	// Fill the rest of the disk.
	f, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	f.Close()
	out := filepath.Join(t.TempDir(), "2")
	_, stderr, code := cli(t, db, sampleArgs(out, "--task", "291")...)
	if code != 1 || !strings.Contains(stderr, "磁盘已满") || englishSQL.MatchString(stderr) {
		t.Errorf("draw on a full disk: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a draw that could not be recorded wrote its folder")
	}
	os.Remove(filepath.Join(mnt, "filler"))
	stdout, stderr, code := cli(t, db, "ledger", "verify")
	if code != 0 || !strings.Contains(stdout, "共 1 条") {
		t.Errorf("after the full disk: %d %s%s", code, stdout, stderr)
	}
}

// Issue 19 item 5: an audit of a copy on a read-only folder, as a user who does not own it:
// verify, list, show and export read it (mode=ro, else immutable=1); lock and sample refuse
// in Chinese. As root the commands run in a child process as nobody.
func TestReadOnlyAudit(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "ro")
	os.Mkdir(dir, 0o755)
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(base, "d"))...); code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	// A copy of the test binary that nobody may run, in a folder nobody may read.
	bin := filepath.Join(base, "choucha.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Dir(base), base} {
		os.Chmod(p, 0o755)
	}
	os.Chmod(db, 0o444)
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	work := filepath.Join(base, "work")
	os.Mkdir(work, 0o777)
	os.Chmod(work, 0o777)
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		cmd.Env = []string{"CHOUCHA_TEST_MAIN=1", "CHOUCHA_DB=" + db, "HOME=" + work, "USER=auditor", "PATH=/usr/bin:/bin"}
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := run("ledger", "verify"); code != 0 || !strings.Contains(out, "台账完好：共 1 条") {
		t.Errorf("verify on a read-only folder: %d\n%s", code, out)
	}
	if out, code := run("ledger", "list"); code != 0 || !strings.Contains(out, "CZ2026-292") {
		t.Errorf("list: %d\n%s", code, out)
	}
	if out, code := run("ledger", "show", "1"); code != 0 || !strings.Contains(out, testSeed) {
		t.Errorf("show: %d\n%s", code, out)
	}
	if out, code := run("export", "1", "--format", "csv", "--out", filepath.Join(work, "x")); code != 0 {
		t.Errorf("export: %d\n%s", code, out)
	}
	if out, code := run("ledger", "lock", "1"); code != 1 || !strings.Contains(out, "只读") && !strings.Contains(out, "无法打开") || englishSQL.MatchString(out) {
		t.Errorf("lock on a read-only ledger: %d\n%s", code, out)
	}
	if out, code := run(append(sampleArgs(filepath.Join(work, "s")), "--task", "291")...); code != 1 || englishSQL.MatchString(out) {
		t.Errorf("sample on a read-only ledger: %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(work, "s")); err == nil {
		t.Error("a draw that could not be recorded wrote its folder")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the read-only folder gained files: %v", entries)
	}
}

// Issue 18 item 4: deleting the newest entries (and the counter) leaves a valid, shorter
// chain; the head published with the draw shows it.
func TestVerifyAgainstPublished(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	stdout, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "1"))...)
	if code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	pins, err := ledger.ParsePublished(stdout)
	if err != nil || len(pins) != 1 || pins[0].ID != 1 {
		t.Fatalf("sample output does not carry its ledger position: %v %v\n%s", pins, err, stdout)
	}
	stdout2, _, _ := cli(t, db, sampleArgs(filepath.Join(dir, "2"), "--task", "291")...)
	transcript := filepath.Join(dir, "draw2.txt")
	os.WriteFile(transcript, []byte(stdout2), 0o644)
	// A bare hash names the entry found with it (tester's report, item 4: it said 第 0 条).
	if out, stderr, code := cli(t, db, "ledger", "verify", "--against", pins[0].Hash); code != 0 || !strings.Contains(out, "（第 1 条 "+pins[0].Hash+"）仍在链中") {
		t.Fatalf("--against the first head: %d %s%s", code, out, stderr)
	}
	if out, stderr, code := cli(t, db, "ledger", "verify", "--published", transcript); code != 0 {
		t.Fatalf("--published: %d %s%s", code, out, stderr)
	}
	// Truncation with care: the chain alone still verifies.
	rawExec(t, db, `DROP TRIGGER entries_no_delete`, `DELETE FROM entries WHERE id = 2`,
		`UPDATE sqlite_sequence SET seq = 1 WHERE name = 'entries'`)
	if _, _, code := cli(t, db, "ledger", "verify"); code != 0 {
		t.Fatal("the truncated chain no longer verifies by itself; the test no longer shows the limit")
	}
	_, stderr, code = cli(t, db, "ledger", "verify", "--published", transcript)
	if code != 1 || !strings.Contains(stderr, "第 2 条") || !strings.Contains(stderr, "被删除") {
		t.Errorf("--published after truncation: %d\n%s", code, stderr)
	}
	// Rewritten: the same number of entries, another hash.
	if _, _, code := cli(t, db, sampleArgs(filepath.Join(dir, "3"), "--task", "291", "--seed", "99999999999999999999")...); code != 0 {
		t.Fatal("redraw")
	}
	_, stderr, code = cli(t, db, "ledger", "verify", "--published", transcript)
	if code != 1 || !strings.Contains(stderr, "改写") {
		t.Errorf("--published after a rewrite: %d\n%s", code, stderr)
	}
	if _, stderr, code := cli(t, db, "ledger", "verify", "--against", "abc"); code != 2 || !strings.Contains(stderr, "64 位") {
		t.Errorf("--against abc: %d %s", code, stderr)
	}
}

// Issue 18 item 4 / 19 items 3–4: the notice (CSV and HTML) carries the draw's entry and the
// head at publication and the salted frame commitment, never frame_sha256; a notice kept
// from before a truncation shows it.
func TestNoticeCarriesLedgerPosition(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "1"))...); code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "2"), "--task", "291")...); code != 0 {
		t.Fatalf("draw 2: %d %s", code, stderr)
	}
	out := filepath.Join(dir, "notice")
	if _, stderr, code := cli(t, db, "export", "2", "--format", "announce", "--out", out); code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	m := readManifest(t, filepath.Join(dir, "2"))
	for _, name := range []string{"抽查任务公告.csv", "抽查任务公告.html"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		pins, err := ledger.ParsePublished(string(b))
		if err != nil || len(pins) != 1 || pins[0].ID != 2 {
			t.Errorf("%s: ledger positions %v %v", name, pins, err)
		}
		if !strings.Contains(string(b), m.Roster.FrameCommitment) || strings.Contains(string(b), m.Roster.FrameSHA256) ||
			strings.Contains(string(b), m.Roster.FrameSalt) {
			t.Errorf("%s: must publish the frame commitment and neither frame_sha256 nor the salt", name)
		}
	}
	notice := filepath.Join(out, "抽查任务公告.csv")
	if _, stderr, code := cli(t, db, "ledger", "verify", "--published", notice); code != 0 {
		t.Fatalf("verify --published: %d %s", code, stderr)
	}
	rawExec(t, db, `DROP TRIGGER entries_no_delete`, `DELETE FROM entries WHERE id = 2`,
		`UPDATE sqlite_sequence SET seq = 1 WHERE name = 'entries'`)
	if _, stderr, code := cli(t, db, "ledger", "verify", "--published", notice); code != 1 || !strings.Contains(stderr, "被删除") {
		t.Errorf("verify --published after truncation: %d %s", code, stderr)
	}
}

// Issue 19 item 8: --out at a dangling symbolic link wrote the ledger entry and then failed
// (exit 1 promises nothing recorded); --out at a FIFO likewise. Both are refused before the
// ledger is touched.
func TestSampleOutValidatedFirst(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "nowhere", "x"), link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for out, says := range map[string]string{link: "是一个符号链接", fifo: "已是一个文件或设备", "/dev/null": "已是一个文件或设备"} {
		db := filepath.Join(dir, "c.db")
		_, stderr, code := cli(t, db, sampleArgs(out)...)
		if code != 1 || !strings.HasPrefix(stderr, "choucha: 错误: ") || !strings.Contains(stderr, says) {
			t.Errorf("--out %s: exit %d, want a message saying %q\n%s", out, code, says, stderr)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("--out %s: a ledger was written", out)
		}
	}
}
