// Package batch draws several tasks in one run: one seed for all of them, one ledger entry
// and one folder per task, and one summary. Every task is a draw.Record call — the same
// checks, ledger rules and files as `choucha sample` — so a batch adds no draw rule of its own.
//
// A task that fails stops nothing else: it is reported in the summary with its reason. With
// Atomic, the batch is all or nothing: every task is first drawn against a copy of the
// ledger without writing a folder (a rehearsal); only when all succeed are they drawn and
// recorded for real.
package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/choucha/choucha/internal/yamltext"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/atomicfile"
	"github.com/choucha/choucha/ledger"
)

// Task is one draw of a batch file.
type Task struct {
	Task         int    `yaml:"task"`          // 序号 of the task in the plan
	Round        int    `yaml:"round"`         // default 1
	Roster       string `yaml:"roster"`        // firm roster (xlsx/csv), relative to the batch file
	Sheet        string `yaml:"sheet"`         // roster sheet
	Inspectors   string `yaml:"inspectors"`    // inspector roster; default the file's
	Ratio        string `yaml:"ratio"`         // as sample --ratio
	Window       string `yaml:"window"`        // as sample --window
	Exclude      string `yaml:"exclude"`       // as sample --exclude
	RedrawReason string `yaml:"redraw_reason"` // as sample --redraw-reason
	Line         int    `yaml:"-"`             // line of the entry in the batch file
	Label        string `yaml:"-"`             // "第N项（任务 292 第1轮）", for messages
	NoInspectors bool   `yaml:"no_inspectors"` // draw this task's firms only, despite the file's inspectors
}

// File is a batch file.
type File struct {
	Path       string `yaml:"-"`
	Seed       string `yaml:"seed"`       // the batch's seed; --seed wins; none: one is generated
	Inspectors string `yaml:"inspectors"` // inspector roster for every task without its own
	Tasks      []Task `yaml:"tasks"`
}

// Read reads a batch file. Paths in it are relative to its folder. Every task needs a task
// number and a roster; the same task round twice is refused (the second draw would be a
// redraw of the first).
func Read(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, apperr.New("读取批量抽取文件: %w", apperr.FromOS(path, err))
	}
	var node yaml.Node
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, apperr.Usage(yamltext.Error("批量抽取文件 "+path, err))
	}
	_ = yaml.Unmarshal(b, &node)
	lines := taskLines(&node)
	f.Path = path
	if len(f.Tasks) == 0 {
		return nil, apperr.Usage(fmt.Errorf("批量抽取文件 %s 中没有任务（应有 tasks: 列表，每项写 task 和 roster）", path))
	}
	base := filepath.Dir(path)
	rel := func(p string) string {
		p = strings.TrimSpace(p)
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	f.Inspectors = rel(f.Inspectors)
	seen := map[[2]int]int{}
	for i := range f.Tasks {
		t := &f.Tasks[i]
		if i < len(lines) {
			t.Line = lines[i]
		}
		if t.Round == 0 {
			t.Round = 1
		}
		t.Label = fmt.Sprintf("第%d项（任务 %d 第%d轮）", i+1, t.Task, t.Round)
		where := fmt.Sprintf("批量抽取文件 %s 第%d行（第%d项）", path, t.Line, i+1)
		switch {
		case t.Task <= 0:
			return nil, apperr.Usage(fmt.Errorf("%s: task 须为计划中的任务序号（正整数）", where))
		case t.Round < 0:
			return nil, apperr.Usage(fmt.Errorf("%s: round 须为正整数", where))
		case strings.TrimSpace(t.Roster) == "":
			return nil, apperr.Usage(fmt.Errorf("%s: 缺少 roster（检查对象名录文件）", where))
		}
		k := [2]int{t.Task, t.Round}
		if j, dup := seen[k]; dup {
			return nil, apperr.Usage(fmt.Errorf("%s: 任务 %d 第%d轮与第%d项重复", where, t.Task, t.Round, j+1))
		}
		seen[k] = i
		t.Roster, t.Inspectors, t.Exclude = rel(t.Roster), rel(t.Inspectors), rel(t.Exclude)
		if t.Inspectors == "" && !t.NoInspectors {
			t.Inspectors = f.Inspectors
		}
	}
	return &f, nil
}

// taskLines are the line numbers of the entries of the top-level tasks list.
func taskLines(doc *yaml.Node) []int {
	if doc == nil || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "tasks" {
			var out []int
			for _, n := range m.Content[i+1].Content {
				out = append(out, n.Line)
			}
			return out
		}
	}
	return nil
}

// Request is a batch to draw.
type Request struct {
	File *File
	Seed string // wins over File.Seed
	// Template carries what every task shares: Plan, Policy, Ledger, Location, Operator,
	// ToolVersion, KeepPersonal, Now, WriteDraw, MarkOverCap. Its per-task fields are replaced.
	Template draw.RecordRequest
	// Out is the batch's folder (it must not exist): one folder per task in it, and the
	// summary. "" is draws/批量抽取-<time>.
	Out string
	// Inspectors reads an inspector roster (called once per file).
	Inspectors func(ctx context.Context, file string) (*draw.Inspectors, error)
	Atomic     bool
	// Started, when set, is told before each task is drawn.
	Started func(i int, t Task)
}

// Item is the result of one task.
type Item struct {
	Task    Task
	Key     string // the task's key in the plan ("" when the plan has no such task)
	Dir     string
	Outcome *draw.Outcome // nil when the task failed
	Err     error
}

// Result is a batch's result.
type Result struct {
	Seed          string
	SeedGenerated bool
	Dir           string
	Summary       string // path of the summary CSV ("" when nothing was written)
	Items         []Item
	// RolledBack: Atomic and a task failed in the rehearsal, so nothing was recorded or written.
	RolledBack bool
}

// Failed counts the tasks that failed.
func (r *Result) Failed() int {
	n := 0
	for _, it := range r.Items {
		if it.Err != nil {
			n++
		}
	}
	return n
}

// SummaryFile is the name of the summary in the batch folder.
const SummaryFile = "批量抽取汇总.csv"

// Run draws the batch. The error is for the batch as a whole (no seed, an existing folder,
// a ledger that cannot be copied); a task's failure is in its Item.
func Run(ctx context.Context, req Request) (*Result, error) {
	if req.File == nil || len(req.File.Tasks) == 0 {
		return nil, apperr.Usage(errors.New("批量抽取没有任务"))
	}
	seed := req.Seed
	if strings.TrimSpace(seed) == "" {
		seed = req.File.Seed
	}
	seed, generated, err := draw.Seed(seed)
	if err != nil {
		return nil, err
	}
	now := req.Template.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc := req.Template.Location
	if loc == nil {
		loc = time.UTC
	}
	dir := req.Out
	if dir == "" {
		dir = filepath.Join("draws", "批量抽取-"+now.In(loc).Format("20060102-150405"))
	}
	if _, err := os.Lstat(dir); err == nil {
		return nil, apperr.Hint(fmt.Errorf("批量抽取目录 %s 已存在", dir), "换一个 --out 目录，或先移走旧目录；choucha 不会覆盖已有的抽取结果")
	}
	res := &Result{Seed: seed, SeedGenerated: generated, Dir: dir}

	insp := map[string]*draw.Inspectors{}
	inspErr := map[string]error{}
	inspectorsOf := func(ctx context.Context, file string) (*draw.Inspectors, error) {
		if file == "" || req.Inspectors == nil {
			return nil, nil
		}
		if _, ok := insp[file]; !ok {
			if _, failed := inspErr[file]; !failed {
				insp[file], inspErr[file] = req.Inspectors(ctx, file)
				if inspErr[file] != nil {
					delete(insp, file)
				}
			}
		}
		return insp[file], inspErr[file]
	}

	if req.Atomic {
		items, err := rehearse(ctx, req, seed, now, dir, inspectorsOf)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.Err != nil {
				res.Items, res.RolledBack = items, true
				return res, nil
			}
		}
	}
	res.Items = drawAll(ctx, req, seed, now, dir, req.Template.Ledger, req.Template.WriteDraw, inspectorsOf)
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, apperr.New("创建批量抽取目录: %w", apperr.FromOS(dir, err))
	}
	res.Summary = filepath.Join(dir, SummaryFile)
	h, rows := res.Table()
	if err := export.WriteFileAtomic(res.Summary, func(w io.Writer) error { return export.WriteCSV(w, export.UTF8, h, rows) }); err != nil {
		res.Summary = ""
		return res, apperr.New("写出批量抽取汇总: %w", err)
	}
	return res, nil
}

// drawAll records each task in turn; a failure is kept in its item and the next task drawn.
func drawAll(ctx context.Context, req Request, seed string, now time.Time, dir, ledgerPath string,
	write func(context.Context, string, *draw.Manifest) error, inspectorsOf func(context.Context, string) (*draw.Inspectors, error)) []Item {
	var items []Item
	for i, t := range req.File.Tasks {
		it := Item{Task: t, Key: taskKey(req, t), Dir: filepath.Join(dir, folderName(req, t))}
		if err := ctx.Err(); err != nil {
			it.Err = err
			items = append(items, it)
			continue
		}
		if req.Started != nil {
			req.Started(i, t)
		}
		ins, err := inspectorsOf(ctx, t.Inspectors)
		if err != nil {
			it.Err = err
			items = append(items, it)
			continue
		}
		r := req.Template
		r.TaskSeq, r.Round, r.Seed = t.Task, t.Round, seed
		r.Roster = draw.RosterInput{File: t.Roster, Sheet: t.Sheet, Progress: req.Template.Roster.Progress}
		r.Inspectors, r.ExcludeFile, r.Exclude = ins, t.Exclude, nil
		r.Ratio, r.Window, r.RedrawReason = t.Ratio, t.Window, t.RedrawReason
		r.Ledger, r.Out, r.OutRoot, r.Now, r.WriteDraw = ledgerPath, it.Dir, "", now, write
		it.Outcome, it.Err = draw.Record(ctx, r)
		if it.Err != nil {
			var werr *draw.WriteError
			if !errors.As(it.Err, &werr) {
				it.Outcome = nil
			}
		}
		items = append(items, it)
	}
	return items
}

// rehearse draws every task against a copy of the ledger, writing no folder.
func rehearse(ctx context.Context, req Request, seed string, now time.Time, dir string,
	inspectorsOf func(context.Context, string) (*draw.Inspectors, error)) ([]Item, error) {
	tmp, err := atomicfile.TempDir("batch")
	if err != nil {
		return nil, apperr.New("批量抽取（--atomic）: %w", err)
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, "台账副本.db")
	if err := copyLedger(req.Template.Ledger, copyPath); err != nil {
		return nil, err
	}
	noWrite := func(context.Context, string, *draw.Manifest) error { return nil }
	return drawAll(ctx, req, seed, now, dir, copyPath, noWrite, inspectorsOf), nil
}

// copyLedger copies the ledger file (after a checkpoint, so the copy holds every committed
// entry) for a rehearsal; a missing ledger is no copy (the rehearsal starts one).
func copyLedger(from, to string) error {
	if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	l, err := ledger.OpenExisting(from)
	if err != nil {
		return err
	}
	if err := l.Close(); err != nil {
		return err
	}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			return apperr.New("复制台账以试抽: %w", apperr.FromOS(from+suffix, err))
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			return apperr.New("复制台账以试抽: %w", err)
		}
	}
	return nil
}

func taskKey(req Request, t Task) string {
	if req.Template.Plan != nil {
		if task, err := req.Template.Plan.Task(t.Task); err == nil {
			return task.Key
		}
	}
	return ""
}

// folderName is a task's folder in the batch folder: <task key>-r<round>.
func folderName(req Request, t Task) string {
	key := taskKey(req, t)
	if key == "" {
		key = "任务" + strconv.Itoa(t.Task)
	}
	key = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, key)
	return fmt.Sprintf("%s-r%d", key, t.Round)
}

// Table is the summary: one row per task, in batch order.
func (r *Result) Table() (header []string, rows [][]string) {
	header = []string{"序号", "任务序号", "任务编号", "轮次", "结果", "抽中户数", "台账条目", "名单目录", "检查对象名录", "原因"}
	for i, it := range r.Items {
		row := []string{strconv.Itoa(i + 1), strconv.Itoa(it.Task.Task), it.Key, strconv.Itoa(it.Task.Round), "", "", "", "", it.Task.Roster, ""}
		var werr *draw.WriteError
		switch {
		case it.Err == nil && it.Outcome != nil:
			m := it.Outcome.Manifest
			row[2], row[4], row[5], row[6], row[7] = m.Task, "成功", strconv.Itoa(len(m.Selected)), strconv.FormatInt(m.LedgerID, 10), it.Dir
		case errors.As(it.Err, &werr):
			row[2], row[4], row[6], row[9] = it.Outcome.Manifest.Task, "已记入台账，名单未写出", strconv.FormatInt(werr.LedgerID, 10), oneLine(it.Err)
		case r.RolledBack:
			row[4], row[9] = "未抽取（--atomic：有任务失败，全部不抽取）", oneLine(it.Err)
		default:
			row[4], row[9] = "失败", oneLine(it.Err)
		}
		if r.RolledBack && it.Err == nil {
			row[4] = "未抽取（--atomic：有任务失败，全部不抽取）"
			row[5], row[6], row[7] = "", "", ""
		}
		rows = append(rows, row)
	}
	return header, rows
}

func oneLine(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Hint != "" {
		s += "（" + ae.Hint + "）"
	}
	return strings.Join(strings.Fields(s), " ")
}
