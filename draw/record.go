package draw

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/atomicfile"
	"github.com/choucha/choucha/internal/textfile"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// RecordRequest is one draw to be made and recorded, as `choucha sample`, a batch of draws or
// the web page asks for it. Files are named, not opened: Record reads them.
type RecordRequest struct {
	Plan    *plan.Plan
	TaskSeq int // the task's 序号 in the plan
	// TaskSuffix picks one task of a 序号 over several: ".k" (the k-th part), "~d" (a duplicate).
	TaskSuffix string
	Round      int // 1-based round of the task in the plan year
	Seed       string
	// Roster is the firm roster: a file (and sheet) Record reads, or a frame already read.
	Roster RosterInput
	// Inspectors, when not nil, are drawn into teams (CHOUCHA-ASSIGN-v1); LoadInspectors reads them.
	Inspectors *Inspectors
	// ExcludeFile lists keys drawn elsewhere in earlier rounds (one a line, # comments);
	// Exclude adds keys directly. Both join the earlier rounds' draws from the ledger.
	ExcludeFile string
	Exclude     []string
	Policy      *risk.Policy // nil: risk.DefaultPolicy()
	Ratio       string       // ratio for a task whose plan gives none ("" when not given)
	Window      string       // window for a task whose plan window has no single reading (Request.WindowOverride)
	// KeepPersonal keeps the roster's personal columns in the manifest (Request.KeepPersonal).
	KeepPersonal bool

	Ledger string // ledger path; created when the first draw is recorded
	// Out is the folder to write (it must not exist); "" makes OutRoot/<task>-r<round>-<time>,
	// the time in Location (nil: UTC).
	Out      string
	OutRoot  string // "" is "draws"
	Location *time.Location

	Operator     string
	RedrawReason string // required when the round is locked
	Now          time.Time
	ToolVersion  string

	// WriteDraw writes a draw folder atomically (export.WriteDraw) and MarkOverCap marks
	// the firms a draw takes over the policy's yearly caps (overlap.MarkOverCap). They are
	// passed in because export and overlap build on this package.
	WriteDraw   func(ctx context.Context, dir string, m *Manifest) error
	MarkOverCap func(earlier []*Manifest, m *Manifest, caps map[string]int) []string
	// Check, when set, may still refuse the finished draw before it is recorded (sample
	// --from-sql-result: the data warehouse's result must be this draw).
	Check func(m *Manifest, frame *roster.Frame) error
}

// RosterInput is the firm roster of a draw: File (and Sheet) to read as a lean frame
// (roster.ReadFrame), or Frame and Report already read. Progress, when set, receives the
// rows read so far. Read, when set, is called once File has been read, before the draw (not
// for a Frame given, nor after a read that failed): the command line changes its memory
// collector's setting there, for the part of the work whose memory no longer grows with the
// roster (cmd/choucha memlimit.go).
type RosterInput struct {
	File     string
	Sheet    string
	Frame    *roster.Frame
	Report   *roster.Report
	Progress func(rows int)
	Read     func()
}

// read reads File as a lean frame with opt, its Sheet and Progress the input's, and calls
// Read once it has.
func (in RosterInput) read(ctx context.Context, opt roster.Options) (*roster.Frame, *roster.Report, error) {
	opt.Sheet, opt.Progress = in.Sheet, in.Progress
	frame, report, err := roster.ReadFrame(ctx, in.File, opt)
	if err == nil && in.Read != nil {
		in.Read()
	}
	return frame, report, err
}

// WriteError is returned by Record when the draw was recorded but its folder could not be
// written; the list can be written again from the ledger entry.
type WriteError struct {
	LedgerID int64
	Dir      string
	Err      error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("抽取已记入台账第 %d 条，但写出名单到 %s 失败: %v", e.LedgerID, e.Dir, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// Record makes one draw and records it: every input is checked first (plan task, round,
// seed, policy, exclusions, output folder, ledger file), so a draw that fails leaves no file
// and no ledger entry behind — the ledger is not even created. Then, in this order: the lock
// of the round (checked before a large roster is read, and again by the ledger inside its
// write transaction), the roster, the earlier rounds' standing draws, the draw itself
// (Run), the yearly caps, the ledger entry, and the folder, written atomically.
//
// A locked round without a redraw reason is a *ledger.LockedError; a folder that could not
// be written after the entry was recorded is a *WriteError.
func Record(ctx context.Context, req RecordRequest) (*Outcome, error) {
	// ---- inputs, before anything is opened
	if req.Plan == nil {
		return nil, errors.New("抽取缺少计划")
	}
	if req.WriteDraw == nil {
		return nil, errors.New("抽取缺少名单的写出方式（WriteDraw）")
	}
	if req.TaskSeq <= 0 {
		return nil, apperr.Usagef("任务序号须为正整数（计划中的任务序号），收到 %d", req.TaskSeq)
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	task, err := DrawTask(req.Plan, req.TaskSeq, req.TaskSuffix, now)
	if err != nil {
		return nil, err
	}
	if req.Round < 1 {
		return nil, apperr.Usagef("轮次须为正整数，收到 %d", req.Round)
	}
	// --ratio and --window before anything is read: a bad one, or a round the task does not
	// have with them (a --ratio may write a frequency: 每季度12.5% gives four rounds), is
	// refused before a large roster is read.
	eff, ratioPct, err := task.ApplyOverrides(req.Ratio, req.Window)
	if err != nil {
		return nil, err
	}
	if err := task.CheckRound(req.Round, req.Ratio, req.Window); err != nil {
		return nil, apperr.Usage(err)
	}
	if y, drawYear := eff.Window.Year, PlanYear(req.Plan, now); req.Window != "" && y != 0 && y != drawYear {
		// The --window a window of another year asks for is this year's: one naming another
		// year again would record the window the flag stops (a 2023 window in a 2026 draw).
		// Here, not in Run: a replay re-runs what was recorded.
		return nil, apperr.Usagef("--window %s 在%d年，本次抽取计入%d年度：请给出%d年度的抽查时间（可不写年份，如 --window %d月—%d月）",
			req.Window, y, drawYear, drawYear, eff.Window.From, eff.Window.To)
	}
	seed, generated, err := Seed(req.Seed)
	if err != nil {
		return nil, err
	}
	pol := risk.DefaultPolicy()
	if req.Policy != nil {
		pol = *req.Policy
	}
	if len(pol.YearlyCap) > 0 && req.MarkOverCap == nil {
		return nil, errors.New("抽取缺少年度上限的计算方式（MarkOverCap）")
	}
	if req.Roster.Frame == nil && req.Roster.File == "" {
		return nil, apperr.Usage(errors.New("请指定检查对象名录文件"))
	}
	excluded, err := ReadExclusions(req.ExcludeFile)
	if err != nil {
		return nil, err
	}
	excluded = append(excluded, req.Exclude...)
	year := PlanYear(req.Plan, now) // rounds, locks and caps count within it
	outDir, err := outFolder(req, task, now)
	if err != nil {
		return nil, err
	}
	l, err := openIfExists(req.Ledger)
	if err != nil {
		return nil, err
	}
	if l != nil {
		defer l.Close()
	}

	// ---- the lock, before a large roster is read
	if l != nil && strings.TrimSpace(req.RedrawReason) == "" {
		// Also the year the draw is made in, when the draw counts in another: before a plan
		// without a title year took its windows' year (Plan.Year), its draws counted in the
		// year they were made, and a round locked then stays locked.
		years := []int{year}
		if y := now.Year(); y != year {
			years = append(years, y)
		}
		for _, y := range years {
			locked, err := l.Locked(ctx, task.Key, req.Round, y)
			if err != nil {
				return nil, err
			}
			if locked != nil {
				return nil, &ledger.LockedError{Task: task.Key, Round: req.Round, Year: y, LockedID: locked.ID}
			}
		}
	}

	// ---- earlier rounds: their standing draws, and the exclusions given (before the
	// roster is read: how many there are shapes the lookahead)
	earlier, undrawn, err := earlierKeys(ctx, l, task.Key, req.Round, year)
	if err != nil {
		return nil, err
	}
	earlier = append(earlier, excluded...)

	// ---- the roster
	frame, report := req.Roster.Frame, req.Roster.Report
	var la *sampler.Lookahead
	if frame == nil {
		opt := roster.Options{District: task.District}
		if useLookahead {
			if la = lookahead(eff, pol, ratioPct, seed, req.Round, len(earlier)); la != nil {
				opt.Prefetch = la.Prefix
			}
		}
		frame, report, err = req.Roster.read(ctx, opt)
		if err != nil {
			return nil, err
		}
	}
	if frame.Len() == 0 {
		return nil, EmptyFrameError(frame, task, report)
	}

	// ---- the draw
	// The frame's bytes are hashed (frame_sha256, the commitment) and, unless the ledger holds
	// them already, compressed for it on the other core while the firms are drawn and their
	// rows fetched (Fill): none of that needs the others. At 1M firms the draw leaves that
	// core mostly idle; done after it, the frame's part took 0.04 s of wall time in the draw
	// and another 0.03–0.04 s after Fill. The bytes are made a run of lines at a time for the
	// hashes and again for the compressors, never whole: at 10M rows they were 200 MB, and
	// live beside the draw's tables they raised the peak by 96 MiB.
	salt, err := NewFrameSalt()
	if err != nil {
		return nil, err
	}
	digested := make(chan FrameDigest, 1)
	type prepared struct {
		frame *ledger.PreparedFrame
		err   error
	}
	prep := make(chan prepared, 1)
	// A draw that is refused stops the compression instead of waiting for it (0.1 s at 1M).
	pctx, stopPrep := context.WithCancel(ctx)
	defer stopPrep()
	go func() {
		d := streamDigest(frame, salt)
		digested <- d
		var p prepared
		p.frame, p.err = ledger.PrepareFrameSource(pctx, l, frameSource(frame.KeyList()), d.SHA256)
		prep <- p
	}()
	oc, err := Run(Request{
		Plan: req.Plan, Task: task, Frame: frame, Policy: pol, Seed: seed, Round: req.Round,
		RatioOverride: req.Ratio, WindowOverride: req.Window, Earlier: earlier, Inspectors: req.Inspectors, Now: now, ToolVersion: req.ToolVersion,
		KeepPersonal: req.KeepPersonal, Context: ctx, KeysOnly: true, Lookahead: la,
		FrameSalt: salt, Digest: func() FrameDigest { return <-digested },
	})
	var ferr error
	if err == nil {
		ferr = oc.Fill(ctx, frame, req.KeepPersonal)
	}
	if err != nil || ferr != nil {
		stopPrep()
	}
	pf := <-prep // always sent: the goroutine does not outlive Record
	if err != nil {
		return nil, err
	}
	if ferr != nil {
		return nil, ferr
	}
	if pf.err != nil {
		return nil, pf.err
	}
	oc.Report, oc.SeedGenerated, oc.Undrawn, oc.Dir, oc.Excluded = report, generated, undrawn, outDir, excluded
	m := oc.Manifest
	if req.Check != nil {
		if err := req.Check(m, frame); err != nil {
			return nil, err
		}
	}
	if caps := pol.YearlyCap; len(caps) > 0 && l != nil {
		standing, err := StandingDraws(ctx, l, year)
		if err != nil {
			return nil, err
		}
		m.OverCap = req.MarkOverCap(standing, m, caps)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// ---- the ledger entry, then the folder
	if l == nil {
		if l, err = ledger.Open(req.Ledger); err != nil {
			return nil, err
		}
		defer l.Close()
	}
	// The folder is written while the entry is recorded, on the other core: under a staged
	// name beside it (atomicfile.StagedDir), moved into place once the entry stands, removed
	// if it does not. Its 台账编号 is the ledger's next ID; should another process record an
	// entry first, the folder is written again with the ID the draw got. The folders it goes
	// in (draws/ on a first draw) are made for the stage and removed again if they stay empty:
	// a refused entry must not leave a new folder behind.
	head, err := l.Head(ctx)
	if err != nil {
		return nil, err
	}
	next, staged := head.ID+1, ""
	parent := filepath.Dir(filepath.Clean(outDir))
	made := makeParents(parent)
	// Whatever happens, the folders made here do not stay empty (a refused entry, or a
	// writer that writes nothing, as a batch's rehearsal).
	defer removeParents(parent, made)
	wrote := make(chan error, 1)
	if fi, err := os.Stat(parent); err == nil && fi.IsDir() {
		m.LedgerID, staged = next, atomicfile.StagedDir(outDir)
		go func() { wrote <- req.WriteDraw(ctx, staged, m) }()
	} else {
		wrote <- errors.New("没有预先写出")
	}
	// The entry's stored form, while the folder is being written (both only read m).
	stored, list, err := m.Stored()
	if err != nil {
		<-wrote
		if staged != "" {
			os.RemoveAll(staged)
		}
		return nil, err
	}
	if beforeAppend != nil {
		beforeAppend()
	}
	id, err := l.Append(ctx, ledger.Entry{
		Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Year: m.Year, Seed: m.Seed,
		CreatedAt: m.CreatedAt, Operator: req.Operator, RedrawReason: strings.TrimSpace(req.RedrawReason),
		Manifest: stored, List: list, PreparedFrame: pf.frame,
	})
	var perr error
	if err == nil && afterAppend != nil {
		afterAppend()
	}
	if err == nil {
		// At once: a Ctrl-C while the folder is still being written must find the entry's
		// position known (the message names the entry and how to write the folder again).
		// Not cancelled by that Ctrl-C: the entry stands, and a Ctrl-C that came just after
		// it (a few milliseconds) was reported as 已中断 without naming it.
		oc.Entry, oc.Head, perr = l.Position(context.WithoutCancel(ctx), id)
	}
	werr := <-wrote
	unstage := func() {
		if staged != "" {
			os.RemoveAll(staged)
		}
	}
	if err != nil {
		unstage()
		m.LedgerID = 0
		var le *ledger.LockedError
		if errors.As(err, &le) {
			return nil, err
		}
		return nil, fmt.Errorf("记入抽取台账: %w", err)
	}
	m.LedgerID = id
	if perr != nil {
		unstage()
		return nil, perr
	}
	if werr == nil && id == next && ctx.Err() == nil && atomicfile.MoveDir(staged, outDir) == nil {
		return oc, nil
	}
	unstage()
	// Written again, in place: the ID differed, or writing or moving the staged folder failed
	// (WriteDraw then says why, as it would have without the stage).
	if err := req.WriteDraw(ctx, outDir, m); err != nil {
		return oc, &WriteError{LedgerID: id, Dir: outDir, Err: err}
	}
	return oc, nil
}

// makeParents makes the folder dir and the folders above it that are missing, and returns
// the topmost one it made ("" when dir was there, or could not be made: the folder is then
// written after the entry, and says why it cannot be).
func makeParents(dir string) string {
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		return ""
	}
	top := dir
	for p := filepath.Dir(dir); p != top; p = filepath.Dir(p) {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			break
		}
		top = p
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	return top
}

// removeParents removes what makeParents made, from dir up to top, as long as each folder is
// empty (os.Remove never removes anything else).
func removeParents(dir, top string) {
	if top == "" {
		return
	}
	for p := dir; ; p = filepath.Dir(p) {
		if os.Remove(p) != nil || p == top {
			return
		}
	}
}

// useLookahead is false only in the test that compares draws made with and without it.
var useLookahead = true

// beforeAppend, when set (tests only), runs after the folder is staged and before the entry
// is appended: another process's entry or lock can be made to come first.
var beforeAppend func()

// afterAppend, when set (tests only), runs once the entry is appended, before its position is
// read: a Ctrl-C can be made to come just then.
var afterAppend func()

// Seed normalises a seed as given (sampler.NormalizeSeed; a bad one is a usage error), or
// makes a fresh one when none is given (generated: it must be published).
func Seed(s string) (seed string, generated bool, err error) {
	if strings.TrimSpace(s) == "" {
		seed, err = sampler.NewSeed()
		return seed, true, err
	}
	if seed, err = sampler.NormalizeSeed(s); err != nil {
		return "", false, apperr.Usage(err)
	}
	return seed, false, nil
}

// earlierKeys are the keys of the standing draws (ledger.Standing) of the task's rounds
// before round in year; undrawn lists the earlier rounds without a draw. l may be nil (no
// ledger yet: every earlier round is undrawn).
func earlierKeys(ctx context.Context, l *ledger.Ledger, task string, round, year int) (keys []string, undrawn []int, err error) {
	for r := 1; r < round; r++ {
		var e *ledger.Entry
		if l != nil {
			if e, err = l.Standing(ctx, task, r, year); err != nil {
				return nil, nil, err
			}
		}
		if e == nil {
			undrawn = append(undrawn, r)
			continue
		}
		keys = append(keys, e.Keys...)
	}
	return keys, undrawn, nil
}

// EarlierKeys is what a draw of a task round excludes: the keys of the earlier rounds'
// standing draws in the ledger at ledgerPath (not created when missing: noLedger is then
// true and every earlier round is undrawn) and those of excludeFile (ReadExclusions).
func EarlierKeys(ctx context.Context, ledgerPath, task string, round, year int, excludeFile string) (keys []string, undrawn []int, noLedger bool, err error) {
	excluded, err := ReadExclusions(excludeFile)
	if err != nil {
		return nil, nil, false, err
	}
	l, err := openIfExists(ledgerPath)
	if err != nil {
		return nil, nil, false, err
	}
	if l != nil {
		defer l.Close()
	}
	keys, undrawn, err = earlierKeys(ctx, l, task, round, year)
	if err != nil {
		return nil, nil, false, err
	}
	return append(keys, excluded...), undrawn, l == nil, nil
}

// outFolder is the draw's folder: Out, or OutRoot/<task>-r<round>-<time>; it must not exist,
// and what is above it must be a folder (or not exist yet).
func outFolder(req RecordRequest, task *plan.Task, now time.Time) (string, error) {
	dir := req.Out
	if dir == "" {
		root := req.OutRoot
		if root == "" {
			root = "draws"
		}
		loc := req.Location
		if loc == nil {
			loc = time.UTC
		}
		dir = filepath.Join(root, fmt.Sprintf("%s-r%d-%s", task.Key, req.Round, now.In(loc).Format("20060102-150405")))
		// The name is choucha's, not the operator's: a second draw of the round in the same
		// second (a redraw right after a lock, a script) takes the next free one, -2, -3 ….
		for n := 2; n <= 100; n++ {
			if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
				dir = filepath.Join(root, fmt.Sprintf("%s-r%d-%s-%d", task.Key, req.Round, now.In(loc).Format("20060102-150405"), n))
				continue
			}
			break
		}
	}
	if fi, err := os.Lstat(dir); err == nil {
		const hint = "换一个 --out 目录，或先移走旧目录；choucha 不会覆盖已有的抽取结果"
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			return "", apperr.Hint(fmt.Errorf("输出目录 %s 是一个符号链接（choucha 只写入新建的目录，不跟随链接）", dir), hint)
		case !fi.IsDir():
			return "", apperr.Hint(fmt.Errorf("输出目录 %s 已是一个文件或设备，不是新目录", dir), hint)
		}
		return "", apperr.Hint(fmt.Errorf("输出目录 %s 已存在", dir), hint)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", apperr.New("检查输出目录: %w", apperr.FromOS(dir, err))
	}
	for p := filepath.Dir(filepath.Clean(dir)); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err == nil {
			if !fi.IsDir() {
				return "", apperr.New("输出目录 %s 无法建立：%s 不是文件夹", dir, p)
			}
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", apperr.New("检查输出目录: %w", apperr.FromOS(p, err))
		}
		if next := filepath.Dir(p); next == p {
			break
		}
	}
	return dir, nil
}

// openIfExists opens the ledger at path when there is one (nil when there is none yet);
// a ledger that is missing is created only when a draw is recorded. The folder it goes in
// must exist.
func openIfExists(path string) (*ledger.Ledger, error) {
	if path == "" {
		return nil, errors.New("没有给出抽取台账文件")
	}
	l, err := ledger.OpenExisting(path)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return l, err
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, apperr.Hint(fmt.Errorf("抽取台账 %s 所在的文件夹 %s 不存在", path, dir), "先建立该文件夹，或换一个台账文件")
	}
	return nil, nil
}

// ReadExclusions reads a file of keys drawn elsewhere (one a line; blank lines and lines
// starting with # are skipped; encoding as textfile decides). "" reads nothing.
func ReadExclusions(file string) ([]string, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, apperr.Hint(apperr.New("读取排除名单: %w", apperr.FromOS(file, err)),
			"排除名单是前几轮已抽中企业的代码，每行一个")
	}
	text, _, err := textfile.Decode("排除名单 "+file, data)
	if err != nil {
		return nil, err
	}
	var keys []string
	for i, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, err := roster.UsableKey(line)
		if err != nil {
			// A line that is no firm's code would be recorded as excluded and exclude nothing:
			// a header line, a name, a code that lost digits.
			return nil, apperr.Hint(fmt.Errorf("排除名单 %s 第%d行“%s”: %w", file, i+1, line, err),
				"排除名单每行一个企业代码；表头、说明等请删去或在行首加 # 作为注释")
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// LoadInspectors reads the inspector roster of a draw (nil without a file); depts is the
// department map the plan's departments are matched with (dept match shows the same). The
// report says what the roster's shape means (missing columns, rows without validity).
func LoadInspectors(ctx context.Context, file string, depts dept.Map, strict, assumeValid bool) (*Inspectors, *roster.Report, error) {
	if file == "" {
		return nil, nil, nil
	}
	list, rep, err := roster.ReadInspectors(ctx, file, roster.Options{AssumeValid: assumeValid})
	if err != nil {
		return nil, nil, err
	}
	return &Inspectors{File: file, SHA256: rep.SHA256, List: list, Depts: depts, Strict: strict, AssumeValid: assumeValid}, rep, nil
}

// EmptyFrameError explains why no firm of the roster can be drawn for the task (sample and
// the web page say the same).
func EmptyFrameError(frame *roster.Frame, t *plan.Task, rep *roster.Report) error {
	if rep == nil {
		return fmt.Errorf("名录 %s 中没有符合条件的检查对象（共读取 %d 行），无法抽取", frame.File, frame.Rows)
	}
	other, errs := 0, 0
	for _, is := range rep.Issues {
		switch {
		case is.Code == "other_district":
			other++
		case is.Level == roster.LevelError:
			errs++
		}
	}
	file := rep.File
	if file == "" {
		file = frame.File
	}
	if other > 0 && other >= rep.Rows-errs {
		return apperr.Hint(fmt.Errorf("名录 %s 的 %d 行都不属于任务 %s 的区县「%s」", file, other, t.Key, t.District),
			"请确认名录与任务对应（choucha plan show "+strconv.Itoa(t.Seq)+" 查看任务所属区县）")
	}
	return apperr.Hint(fmt.Errorf("名录 %s 中没有可抽取的检查对象（共 %d 行，%d 行有错误）", file, rep.Rows, errs),
		"用 choucha roster check "+file+" 查看每一行的问题")
}

// StandingDraws returns the manifests of the draws that stand for the year (ledger.Standing:
// for each task round the locked draw, else the newest), in ledger order. Their drawn firms
// are what the year's overlap, caps and calendar count — key, name, class, ticket, rank —
// and, for a draw stored with its list apart, come without their roster rows (Authority,
// Address, Values: export reads a draw with EntryManifest).
func StandingDraws(ctx context.Context, l *ledger.Ledger, year int) ([]*Manifest, error) {
	entries, err := l.StandingYear(ctx, year)
	if err != nil {
		return nil, err
	}
	// Each draw is read on its own: on all cores.
	out := make([]*Manifest, len(entries))
	errs := make([]error, len(entries))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, d := range entries {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			name := fmt.Sprintf("第 %d 条（任务 %s 第%d轮）", d.ID, d.Task, d.Round)
			m, err := entryManifestRows(d, name, false) // validated there
			if err != nil {
				errs[i] = err
				return
			}
			m.LedgerID = d.ID
			out[i] = m
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
