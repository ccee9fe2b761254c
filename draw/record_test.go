package draw

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
)

const qinxianCSV = "../testdata/rosters/qinxian-realestate.csv"

// writeDir is a stand-in for export.WriteDraw: a folder with the manifest's task in it.
func writeDir(_ context.Context, dir string, m *Manifest) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "task"), []byte(m.Task), 0o644)
}

func recordRequest(t *testing.T, dir string) RecordRequest {
	t.Helper()
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return RecordRequest{
		Plan: p, TaskSeq: 292, Round: 1, Seed: seed,
		Roster: RosterInput{File: qinxianCSV},
		Ledger: filepath.Join(dir, "c.db"), Out: filepath.Join(dir, "out"),
		Operator: "测试", Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), ToolVersion: "test",
		WriteDraw: writeDir, MarkOverCap: func([]*Manifest, *Manifest, map[string]int) []string { return nil },
	}
}

// Every input is checked before the ledger is created or a folder written (B6).
func TestRecordChecksInputsFirst(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := risk.DefaultPolicy()
	bad.YearlyCap = map[string]int{"A": 1}
	tests := []struct {
		name  string
		edit  func(*RecordRequest)
		want  string
		usage bool
	}{
		{"missing exclusions", func(r *RecordRequest) { r.ExcludeFile = filepath.Join(dir, "missing.txt") }, "读取排除名单: 找不到 ", false},
		{"no task", func(r *RecordRequest) { r.TaskSeq = 0 }, "任务序号", true},
		{"unknown task", func(r *RecordRequest) { r.TaskSeq = 99999 }, "没有序号为 99999 的任务", false},
		{"round", func(r *RecordRequest) { r.Round = 9 }, "没有第 9 轮", true},
		{"seed", func(r *RecordRequest) { r.Seed = "12x" }, "", true},
		{"roster missing", func(r *RecordRequest) { r.Roster.File = filepath.Join(dir, "nope.csv") }, "找不到", false},
		{"no roster", func(r *RecordRequest) { r.Roster.File = "" }, "名录", true},
		{"out exists", func(r *RecordRequest) { r.Out = dir }, "已存在", false},
		{"out under a file", func(r *RecordRequest) { r.Out = filepath.Join(notDir, "d") }, "不是文件夹", false},
		{"ledger folder missing", func(r *RecordRequest) { r.Ledger = filepath.Join(dir, "no", "c.db") }, "不存在", false},
		{"caps without MarkOverCap", func(r *RecordRequest) { r.Policy, r.MarkOverCap = &bad, nil }, "MarkOverCap", false},
		{"bad ratio", func(r *RecordRequest) { r.Ratio = "abc" }, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := recordRequest(t, dir)
			tt.edit(&req)
			_, err := Record(context.Background(), req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to mention %q", err, tt.want)
			}
			if apperr.IsUsage(err) != tt.usage {
				t.Errorf("usage %v for %v", apperr.IsUsage(err), err)
			}
			for _, p := range []string{filepath.Join(dir, "c.db"), filepath.Join(dir, "out")} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s was created", filepath.Base(p))
				}
			}
		})
	}
}

func TestRecordLockEarlierRoundsAndWriteError(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	req := recordRequest(t, dir)
	oc, err := Record(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if oc.Manifest.LedgerID != 1 || oc.Dir != req.Out || oc.Report == nil || oc.Report.Rows != 400 || oc.SeedGenerated {
		t.Errorf("outcome: id %d dir %s report %+v generated %v", oc.Manifest.LedgerID, oc.Dir, oc.Report, oc.SeedGenerated)
	}
	if b, _ := os.ReadFile(filepath.Join(req.Out, "task")); string(b) != "CZ2026-292" {
		t.Errorf("folder holds %q", b)
	}
	lockEntry(t, req.Ledger, 1)

	// A locked round: a typed error, before the roster is read (a missing roster is not reached).
	req2 := recordRequest(t, dir)
	req2.Out = filepath.Join(dir, "out2")
	req2.Roster.File = filepath.Join(dir, "never-read.csv")
	_, err = Record(ctx, req2)
	var le *ledger.LockedError
	if !errors.As(err, &le) || le.LockedID != 1 || le.Round != 1 || le.Year != 2026 {
		t.Fatalf("locked round: %v", err)
	}

	// With a reason it is drawn; a folder that cannot be written is a WriteError naming the entry.
	req3 := recordRequest(t, dir)
	req3.Out, req3.RedrawReason, req3.Seed = filepath.Join(dir, "out3"), "名录更正", ""
	req3.WriteDraw = func(context.Context, string, *Manifest) error { return errors.New("磁盘已满") }
	oc, err = Record(ctx, req3)
	var we *WriteError
	if !errors.As(err, &we) || we.LedgerID != 3 || oc == nil || !oc.SeedGenerated {
		t.Fatalf("write failure: %v (%+v)", err, oc)
	}

	// Round 2 of task 274 excludes the standing draw of round 1; an undrawn round is reported.
	r1 := recordRequest(t, dir)
	r1.TaskSeq, r1.Out = 274, filepath.Join(dir, "r1")
	oc1, err := Record(ctx, r1)
	if err != nil {
		t.Fatal(err)
	}
	r3 := recordRequest(t, dir)
	r3.TaskSeq, r3.Round, r3.Out, r3.Exclude = 274, 2, filepath.Join(dir, "r2"), []string{"91140430MA9A3GNL0Y"}
	oc3, err := Record(ctx, r3)
	if err != nil {
		t.Fatal(err)
	}
	if len(oc3.Undrawn) != 0 {
		t.Errorf("undrawn %v", oc3.Undrawn)
	}
	fresh := recordRequest(t, t.TempDir())
	fresh.TaskSeq, fresh.Round = 274, 2
	if oc, err := Record(ctx, fresh); err != nil {
		t.Error(err)
	} else if len(oc.Undrawn) != 1 || oc.Undrawn[0] != 1 {
		t.Errorf("round 2 without round 1: undrawn %v", oc.Undrawn)
	}
	want := map[string]bool{"91140430MA9A3GNL0Y": true}
	for _, s := range oc1.Manifest.Selected {
		want[s.Key] = true
	}
	if got := oc3.Manifest.Earlier; len(got) != len(want) {
		t.Errorf("earlier %d keys, want %d", len(got), len(want))
	} else {
		for _, k := range got {
			if !want[k] {
				t.Errorf("earlier key %s not from round 1 or the exclusions", k)
			}
		}
	}
}

func TestReadExclusions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(p, []byte("\ufeff# 第一轮\n91140430ma9a3gnl0y\r\n\n  91140430MA1B1GBAXH  \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := ReadExclusions(p)
	if err != nil || strings.Join(keys, ",") != "91140430MA9A3GNL0Y,91140430MA1B1GBAXH" {
		t.Errorf("keys %q, %v", keys, err)
	}
	if keys, err := ReadExclusions(""); keys != nil || err != nil {
		t.Errorf("no file: %v %v", keys, err)
	}
	// A line that is no firm's code (a header, a name) is refused with its line, not stored
	// as an exclusion that excludes nothing.
	if err := os.WriteFile(p, []byte("91140430MA9A3GNL0Y\n统一社会信用代码\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadExclusions(p); err == nil || !strings.Contains(err.Error(), "第2行“统一社会信用代码”") {
		t.Errorf("a header line: %v, want it refused with its line", err)
	}
}

// The folder is written while the entry is recorded, with the ledger's next ID; when another
// entry comes first it is written again with the ID the draw got, and a refused entry leaves
// no folder. No staged folder is left behind either way.
func TestRecordStagesFolder(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var calls []string // "folder:ledger ID" of each WriteDraw call
	write := func(ctx context.Context, d string, m *Manifest) error {
		calls = append(calls, filepath.Base(d)+":"+strconv.FormatInt(m.LedgerID, 10))
		if err := writeDir(ctx, d, m); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(d, "id"), []byte(strconv.FormatInt(m.LedgerID, 10)), 0o644)
	}
	leftovers := func() {
		t.Helper()
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".choucha-tmp-") {
				t.Errorf("left behind: %s", e.Name())
			}
		}
	}
	folderID := func(out string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, "id"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// The next ID guessed right: one write, staged, moved into place.
	req := recordRequest(t, dir)
	req.WriteDraw = write
	oc, err := Record(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if oc.Manifest.LedgerID != 1 || folderID(req.Out) != "1" || len(calls) != 1 || !strings.HasSuffix(calls[0], "-staged:1") {
		t.Errorf("first draw: id %d, folder %s, calls %v", oc.Manifest.LedgerID, folderID(req.Out), calls)
	}
	leftovers()

	// Another entry comes first: the folder is written again with the draw's ID.
	calls = nil
	other := recordRequest(t, dir)
	other.TaskSeq, other.Out = 274, filepath.Join(dir, "other")
	req2 := recordRequest(t, dir)
	req2.Out, req2.RedrawReason, req2.WriteDraw = filepath.Join(dir, "out2"), "名录更正", write
	beforeAppend = func() {
		beforeAppend = nil
		if _, err := Record(ctx, other); err != nil {
			t.Error(err)
		}
	}
	oc, err = Record(ctx, req2)
	beforeAppend = nil
	if err != nil {
		t.Fatal(err)
	}
	if oc.Manifest.LedgerID != 3 || folderID(req2.Out) != "3" || len(calls) != 2 || calls[1] != "out2:3" {
		t.Errorf("draw after another entry: id %d, folder %s, calls %v", oc.Manifest.LedgerID, folderID(req2.Out), calls)
	}
	leftovers()

	// The round is locked meanwhile: refused, and neither folder is there.
	req3 := recordRequest(t, dir)
	req3.Out, req3.WriteDraw = filepath.Join(dir, "out3"), write
	beforeAppend = func() {
		beforeAppend = nil
		l, err := ledger.Open(req3.Ledger)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if _, err := l.Lock(ctx, 1, "测试"); err != nil {
			t.Error(err)
		}
	}
	_, err = Record(ctx, req3)
	beforeAppend = nil
	var le *ledger.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("round locked meanwhile: %v", err)
	}
	if _, err := os.Stat(req3.Out); err == nil {
		t.Error("a refused draw left its folder")
	}
	leftovers()

	// Into folders that do not exist yet (draws/ on a first draw): made for the stage, so the
	// folder is still written while the entry is recorded.
	calls = nil
	req4 := recordRequest(t, dir)
	req4.TaskSeq, req4.Out, req4.WriteDraw = 279, filepath.Join(dir, "new", "sub", "out4"), write
	oc, err = Record(ctx, req4)
	if err != nil {
		t.Fatal(err)
	}
	if folderID(req4.Out) != strconv.FormatInt(oc.Manifest.LedgerID, 10) || len(calls) != 1 || !strings.HasSuffix(calls[0], "-staged:"+strconv.FormatInt(oc.Manifest.LedgerID, 10)) {
		t.Errorf("draw into new folders: folder %s, calls %v", folderID(req4.Out), calls)
	}
	// Refused, into new folders: the folders made for it are gone again, those there stay.
	req5 := recordRequest(t, dir)
	req5.TaskSeq, req5.Out, req5.WriteDraw = 274, filepath.Join(dir, "new", "gone", "deeper", "out5"), write // entry 2 is its draw
	beforeAppend = func() {
		beforeAppend = nil
		l, err := ledger.Open(req5.Ledger)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if _, err := l.Lock(ctx, 2, "测试"); err != nil {
			t.Error(err)
		}
	}
	_, err = Record(ctx, req5)
	beforeAppend = nil
	if !errors.As(err, &le) {
		t.Fatalf("round locked meanwhile (new folders): %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new", "gone")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused draw left the folders made for it: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new", "sub", "out4")); err != nil {
		t.Errorf("the earlier draw's folder: %v", err)
	}
}

// Two draws of a round in the same second with the default folder: the second takes the next
// free name (-2) instead of failing on the first's folder; a folder the operator names is never
// renamed.
func TestRecordDefaultFolderTaken(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	req := recordRequest(t, dir)
	req.Out, req.OutRoot = "", filepath.Join(dir, "draws")
	first, err := Record(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	req.RedrawReason = "测试：同一秒内重抽"
	second, err := Record(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if second.Dir != first.Dir+"-2" {
		t.Errorf("folders %s and %s, want the second to be the first's name with -2", first.Dir, second.Dir)
	}
	req.Out = first.Dir
	if _, err := Record(ctx, req); err == nil || !strings.Contains(err.Error(), "已存在") {
		t.Errorf("a named folder that exists: %v, want it refused", err)
	}
}

// A Ctrl-C that comes just after the entry is appended: the entry stands, so the error names
// it (a WriteError: the folder is not written, choucha export writes it again) instead of a
// bare 已中断 that reads as if nothing was recorded.
func TestRecordInterruptedAfterAppend(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := recordRequest(t, dir)
	req.WriteDraw = func(ctx context.Context, d string, m *Manifest) error {
		if err := ctx.Err(); err != nil {
			return err // as export.WriteDraw stops at its next write
		}
		return writeDir(ctx, d, m)
	}
	afterAppend = func() { afterAppend = nil; cancel() }
	defer func() { afterAppend = nil }()
	_, err := Record(ctx, req)
	var we *WriteError
	if !errors.As(err, &we) || we.LedgerID != 1 {
		t.Fatalf("Record after a Ctrl-C past the append: %v, want a WriteError naming entry 1", err)
	}
	if _, serr := os.Stat(req.Out); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("the folder %s is there after the interrupt", req.Out)
	}
}

// A task whose window is in another year than the draw's asks for --window "本年度的抽查时间":
// a --window that names another year again (the plan's 2023年6月—12月 in a 2026 draw) would
// record the window the flag is there to stop, and is refused; the months alone, or this
// year's, draw.
func TestRecordWindowOfAnotherYear(t *testing.T) {
	p, err := plan.Parse(strings.NewReader("序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n"+
		"1\t沁县\t房地产经纪机构检查\t20%\t县市场监管局\t2023年6-12月\n"+
		"2\t沁县\t物业服务企业检查\t20%\t县市场监管局\t2024年3-5月\n"), "years.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		window string
		ok     bool
	}{{"2023年6月—12月", false}, {"2025年6月—12月", false}, {"6月—12月", true}, {"2026年6月—12月", true}} {
		dir := t.TempDir()
		req := recordRequest(t, dir)
		req.Plan, req.TaskSeq, req.Window = p, 1, c.window
		_, err := Record(context.Background(), req)
		if (err == nil) != c.ok {
			t.Errorf("--window %s: %v, want accepted %v", c.window, err, c.ok)
		}
		if err != nil && !c.ok && (!strings.Contains(err.Error(), "2026") || !apperr.IsUsage(err)) {
			t.Errorf("--window %s: %v, want a usage error naming the draw's year", c.window, err)
		}
	}
}

// A round locked by a draw that counted in the year it was made (a plan without a title year,
// before such a plan took its windows' year) stays locked for a draw that now counts in the
// windows' year: the lock is looked for in both years.
func TestRecordLockOfTheYearMade(t *testing.T) {
	parse := func(window string) *plan.Plan {
		p, err := plan.Parse(strings.NewReader("序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n"+
			"1\t沁县\t房地产经纪机构检查\t20%\t县市场监管局\t"+window+"\n"), "y.tsv", "Y")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background()
	dir := t.TempDir()
	// The earlier draw: counted in 2026, the year it was made (its windows named none).
	req := recordRequest(t, dir)
	req.Plan, req.TaskSeq = parse("6-12月"), 1
	oc, err := Record(ctx, req)
	if err != nil || oc.Manifest.Year != 2026 {
		t.Fatalf("first draw: %v", err)
	}
	lockEntry(t, req.Ledger, 1)
	// The same task, its plan now a 2025 plan: still locked.
	req2 := recordRequest(t, dir)
	req2.Plan, req2.TaskSeq, req2.Out = parse("2025年6-12月"), 1, filepath.Join(dir, "out2")
	_, err = Record(ctx, req2)
	var le *ledger.LockedError
	if !errors.As(err, &le) || le.LockedID != 1 || le.Year != 2026 {
		t.Fatalf("a round locked in the year made: %v", err)
	}
}

// lockEntry locks the draw entry id of the ledger at path, as choucha lock does.
func lockEntry(t *testing.T, path string, id int64) {
	t.Helper()
	l, err := ledger.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Lock(context.Background(), id, "测试"); err != nil {
		t.Fatal(err)
	}
}

// Roster.Read is called once, after the roster file is read and before the draw, by Record
// and by Replay; not when the read fails.
func TestRosterReadHook(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	req := recordRequest(t, dir)
	calls := 0
	req.Roster.Read = func() { calls++ }
	oc, err := Record(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("Record called Roster.Read %d times, want once", calls)
	}
	calls = 0
	d, err := Replay(ctx, ReplayRequest{Record: oc.Manifest, Plan: req.Plan, Roster: RosterInput{File: qinxianCSV, Read: func() { calls++ }}, Ledger: req.Ledger})
	if err != nil || !d.Identical {
		t.Fatalf("replay: %v, identical %v", err, d.Identical)
	}
	if calls != 1 {
		t.Errorf("Replay called Roster.Read %d times, want once", calls)
	}
	calls = 0
	bad := recordRequest(t, t.TempDir())
	bad.Roster = RosterInput{File: filepath.Join(dir, "没有这个文件.csv"), Read: func() { calls++ }}
	if _, err := Record(ctx, bad); err == nil || calls != 0 {
		t.Errorf("a roster that cannot be read: err %v, Roster.Read called %d times (want an error, 0)", err, calls)
	}
}
