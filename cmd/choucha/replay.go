package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/spf13/cobra"
)

type replayOptions struct {
	plan       planFlags
	roster     string
	sheet      string
	inspectors string
	deptMap    string
}

func newReplayCommand(g *globalOptions) *cobra.Command {
	o := &replayOptions{}
	cmd := &cobra.Command{
		Use:   "replay 台账编号|manifest.json --roster 名录文件",
		Short: "用记录的种子重新运行一次抽取，核对结果是否与记录一致",
		Long: `按台账记录（或抽取目录中的 manifest.json）里的种子、计划、任务、轮次和政策重新运行抽取，
与记录逐项比较：一致时说明“一致”；名录文件变了但可抽取范围（frame_sha256）未变，也视为一致
并说明；范围变了则列出新增、删除和风险分类改变的企业，以及名单会如何变化。

  $ choucha replay 12 --roster 沁县房地产.xlsx
  $ choucha replay draws/CZ2026-292-r1-20260401-093000/manifest.json --roster 沁县房地产.xlsx

退出码：0 一致；1 不一致或无法重放；2 用法错误。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runReplay(cmd.Context(), g, o, args[0]) },
	}
	f := cmd.Flags()
	addPlanFlags(cmd, &o.plan)
	f.StringVar(&o.roster, "roster", "", "检查对象名录`文件`（必填）")
	f.StringVar(&o.sheet, "sheet", "", "名录所在工作表`名称`（默认按台账记录的工作表）")
	f.StringVar(&o.inspectors, "inspectors", "", "执法检查人员名录`文件`（原抽取选派了人员时必填）")
	f.StringVar(&o.deptMap, "dept-map", "", "部门同义词 YAML `文件`（默认按抽取时记录的对照表；给出时按给出的，与记录不同会说明）")
	return cmd
}

// errNotIdentical is returned (exit 1) when a replay differs from the record.
var errNotIdentical = errors.New("重放结果与记录不一致")

func runReplay(ctx context.Context, g *globalOptions, o *replayOptions, which string) error {
	if o.roster == "" {
		return apperr.Usage(errors.New("请用 --roster 指定检查对象名录文件"))
	}
	load := o.plan.load
	if o.plan.file == "" {
		// The built-in plan is parsed while the ledger entry is read: 0.06 s, on the other
		// core (a plan file's ID may come from the record: loaded after it).
		load = sync.OnceValues(o.plan.load)
		go load()
	}
	// Without the drawn firms' roster rows: a replay compares keys, tickets and ranks. A
	// ledger entry's drawn firms are checked and expanded while the roster is read
	// (ledger.GetLater, draw.EntryDrawnLater).
	var expand func() error
	rec, _, err := loadDraw(ctx, g, which, func(e *ledger.Entry, attach func() error, name string) (*draw.Manifest, error) {
		m, x, err := draw.EntryDrawnLater(e, attach, name)
		expand = x
		return m, err
	})
	if err != nil {
		return err
	}
	if err := draw.CheckReplayable(rec, o.inspectors != ""); err != nil {
		return err
	}
	if o.plan.file == "" {
		// Without --plan the embedded plan is read; a draw from a plan file needs that file
		// (before, the recorded plan ID was passed on as if --plan-id had been given).
		if !rec.Plan.BuiltIn() {
			return apperr.Hint(apperr.Usage(fmt.Errorf("该抽取使用的是计划文件（计划编号 %s，sha256 %s），不是本程序内置的计划 %s",
				rec.Plan.ID, rec.Plan.SHA256, plan.EmbeddedID)), "请用 --plan 给出抽取时使用的计划文件（sha256 须相同）")
		}
	} else if o.plan.id == "" {
		o.plan.id = rec.Plan.ID
	}
	p, err := load()
	if err != nil {
		return err
	}
	if _, err := draw.ReplayTask(rec, p); err != nil {
		return err // before any roster is read
	}
	insp, err := loadInspectors(ctx, g, o.inspectors, o.deptMap, false, rec.Inspectors != nil && rec.Inspectors.AssumeValid)
	if err != nil {
		return err
	}
	if r := rec.Inspectors; insp != nil && o.deptMap == "" && r != nil && r.DeptMap != nil && !g.quiet {
		// draw.Replay matches by it (DeptMapGiven false).
		fmt.Fprintf(g.stderr, "按抽取时记录的部门对照表 %s 对应部门（sha256 %s）\n", r.DeptMap.File, r.DeptMap.SHA256)
	}
	sheet, err := draw.ReplaySheet(rec, o.roster, o.sheet) // once: Replay reads the sheet given
	if err != nil {
		return err
	}
	if rec.Roster.Sheet != "" && o.sheet == "" && !g.quiet {
		fmt.Fprintf(g.stderr, "名录 %s：按台账的记录读取工作表“%s”\n", o.roster, sheet)
	}
	var mem afterRead
	defer mem.restore()
	d, err := draw.Replay(ctx, draw.ReplayRequest{
		Record: rec, Expand: expand, Plan: p, Roster: draw.RosterInput{File: o.roster, Sheet: sheet, Read: mem.set},
		Inspectors: insp, DeptMapGiven: o.deptMap != "", Ledger: g.ledgerPath(), ToolVersion: version,
	})
	if err != nil {
		return err
	}
	printReplay(g.stdout, rec, d)
	if !d.Identical {
		if len(d.TeamChanged) > 0 && o.deptMap == "" && insp != nil && rec.Inspectors != nil && rec.Inspectors.DeptMap == nil {
			// A draw from before the map was recorded (or one that did not record it).
			if t, err := draw.ReplayTask(rec, p); err == nil {
				if other := deptsNotResolved(rec, p, t, insp); len(other) > 0 {
					return apperr.Hint(errNotIdentical, fmt.Sprintf("原抽取从 %s 选派了检查人员，按内置部门对照表，任务的计划部门对应不到这些部门："+
						"原抽取用了部门对照表（--dept-map），请用 --dept-map 给出当时的文件", strings.Join(other, "、")))
				}
			}
		}
		return errNotIdentical
	}
	return nil
}

// deptsNotResolved are the departments the recorded teams came from that the department map
// at hand (the built-in one, in a replay without --dept-map) does not resolve the task's
// plan departments to: the sign that the draw was made with a --dept-map.
func deptsNotResolved(rec *draw.Manifest, p *plan.Plan, t *plan.Task, insp *draw.Inspectors) []string {
	now := map[string]bool{}
	for _, r := range matchTaskDepts(insp.Depts, p, t, insp.List).Departments {
		if r.Matched {
			now[r.Dept] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, a := range rec.Assignments {
		for _, m := range a.Team {
			if !now[m.Dept] && !seen[m.Dept] {
				seen[m.Dept] = true
				out = append(out, m.Dept)
			}
		}
	}
	sort.Strings(out)
	return out
}

func printReplay(w io.Writer, rec *draw.Manifest, d draw.Diff) {
	ref := rec.Task + " 第" + strconv.Itoa(rec.Round) + "轮"
	if rec.LedgerID > 0 {
		ref = fmt.Sprintf("台账第 %d 条（%s）", rec.LedgerID, ref)
	}
	if d.Identical {
		fmt.Fprintf(w, "一致：%s 重放结果与记录相同（%d 户）\n", ref, len(rec.Selected))
	} else {
		fmt.Fprintf(w, "不一致：%s 重放结果与记录不同\n", ref)
	}
	switch {
	case d.RosterFileChanged && !d.FrameChanged:
		fmt.Fprintln(w, "  名录文件与记录不同，但可抽取范围（frame_sha256）相同，抽取结果不受影响")
	case d.FrameChanged:
		fmt.Fprintf(w, "  可抽取范围已变化：新增 %d 户，减少 %d 户，风险分类改变 %d 户\n", len(d.Added), len(d.Removed), len(d.Reclassified))
		list(w, "    新增", d.Added)
		list(w, "    减少", d.Removed)
		for _, c := range d.Reclassified {
			fmt.Fprintf(w, "    分类改变：%s %s→%s\n", c.Key, c.From, c.To)
		}
	}
	list(w, "  重算会新抽中", d.NowSelected)
	list(w, "  重算不再抽中", d.NoLonger)
	list(w, "  检查组不同", d.TeamChanged)
	for _, o := range d.Other {
		fmt.Fprintf(w, "  %s\n", o)
	}
	if d.ToolVersion[0] != "" {
		fmt.Fprintf(w, "  工具版本不同：记录 %s，当前 %s（算法 %s 相同）\n", d.ToolVersion[0], d.ToolVersion[1], rec.Spec)
	}
	if d.InspectorsOf[0] != "" {
		fmt.Fprintln(w, "  执法检查人员名录文件与记录不同")
	}
	if d.DeptMapOf[0] != "" {
		fmt.Fprintf(w, "  部门对应所用的对照表与记录不同：记录为%s，本次为%s\n", d.DeptMapOf[0], d.DeptMapOf[1])
	}
}

func list(w io.Writer, label string, keys []string) {
	if len(keys) > 0 {
		fmt.Fprintf(w, "%s %d 户：%s\n", label, len(keys), strings.Join(keys, "、"))
	}
}
