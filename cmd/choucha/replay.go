package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
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
	f.StringVar(&o.sheet, "sheet", "", "名录所在工作表`名称`")
	f.StringVar(&o.inspectors, "inspectors", "", "执法检查人员名录`文件`（原抽取选派了人员时必填）")
	f.StringVar(&o.deptMap, "dept-map", "", "部门同义词 YAML `文件`（原抽取用过时须相同）")
	return cmd
}

// errNotIdentical is returned (exit 1) when a replay differs from the record.
var errNotIdentical = errors.New("重放结果与记录不一致")

func runReplay(ctx context.Context, g *globalOptions, o *replayOptions, which string) error {
	if o.roster == "" {
		return apperr.Usage(errors.New("请用 --roster 指定检查对象名录文件"))
	}
	rec, _, err := loadDrawArg(ctx, g, which)
	if err != nil {
		return err
	}
	if rec.Spec != sampler.SampleSpec || (rec.AssignSpec != "" && rec.AssignSpec != sampler.AssignSpec) {
		return fmt.Errorf("该抽取使用的算法 %s %s 与本版本（%s %s）不同，无法重放；请使用记录的 choucha %s",
			rec.Spec, rec.AssignSpec, sampler.SampleSpec, sampler.AssignSpec, rec.ToolVersion)
	}
	if rec.Assignments != nil && o.inspectors == "" {
		return apperr.Usage(errors.New("该抽取同时选派了检查人员，请用 --inspectors 给出当时的执法检查人员名录"))
	}

	p, task, err := replayPlan(o, rec)
	if err != nil {
		return err
	}
	frame, _, err := roster.ReadFrame(ctx, o.roster, roster.Options{Sheet: o.sheet, District: task.District})
	if err != nil {
		return err
	}
	insp, err := loadInspectors(ctx, g, o.inspectors, o.deptMap, false, rec.Inspectors != nil && rec.Inspectors.AssumeValid)
	if err != nil {
		return err
	}
	created, _ := time.Parse(time.RFC3339, rec.CreatedAt)
	var rerun *draw.Manifest
	rerunFrame := frame.Bytes()
	if len(frame.Keys) > 0 {
		oc, err := draw.Run(draw.Request{
			Plan: p, Task: task, Frame: frame, Policy: rec.Policy, Seed: rec.Seed, Round: rec.Round,
			RatioOverride: rec.RatioGiven, WindowOverride: rec.WindowGiven, Earlier: rec.Earlier, Inspectors: insp, Now: created, ToolVersion: version,
			KeysOnly: true, Context: ctx,
		})
		if err != nil {
			return fmt.Errorf("重放失败: %w", err)
		}
		rerun = oc.Manifest
	} else {
		rerun = &draw.Manifest{Roster: draw.RosterRef{SHA256: frame.SHA256, FrameSHA256: roster.FrameHash(nil)}, ToolVersion: version}
	}
	var recFrame []byte
	if rec.Roster.FrameSHA256 != rerun.Roster.FrameSHA256 {
		recFrame = recordedFrame(ctx, g, rec)
	}
	d := draw.CompareFrames(rec, rerun, recFrame, rerunFrame)
	printReplay(g.stdout, rec, d)
	if !d.Identical {
		return errNotIdentical
	}
	return nil
}

// recordedFrame is the frame a recorded draw was made from: inline in a version-1 manifest,
// else from the ledger, which stores each frame once by its hash. nil when neither has it
// (a manifest.json without its ledger): the replay then says the frame changed without
// listing the firms.
func recordedFrame(ctx context.Context, g *globalOptions, rec *draw.Manifest) []byte {
	if rec.Frame != nil {
		return draw.LinesBytes(rec.Frame)
	}
	l, err := ledger.OpenExisting(g.ledgerPath())
	if err != nil {
		return nil
	}
	defer l.Close()
	b, err := l.Frame(ctx, rec.Roster.FrameSHA256)
	if err != nil {
		return nil
	}
	return b
}

// replayPlan finds the plan the draw used: --plan when given, else the embedded plan; its
// bytes must be the recorded ones.
func replayPlan(o *replayOptions, rec *draw.Manifest) (*plan.Plan, *plan.Task, error) {
	if o.plan.id == "" {
		o.plan.id = rec.Plan.ID
	}
	p, err := o.plan.load()
	if err != nil {
		return nil, nil, err
	}
	if p.SHA256 != rec.Plan.SHA256 {
		return nil, nil, apperr.Hint(fmt.Errorf("计划文件与记录不同（记录 %s sha256 %s，当前 %s sha256 %s）", rec.Plan.ID, rec.Plan.SHA256[:12], p.ID, p.SHA256[:12]),
			"请用 --plan 给出抽取时使用的计划文件")
	}
	t, err := p.Task(rec.TaskInfo.Seq)
	if err != nil {
		return nil, nil, err
	}
	if t.Key != rec.Task {
		return nil, nil, fmt.Errorf("计划中的任务 %s 与记录的任务 %s 不同", t.Key, rec.Task)
	}
	return p, t, nil
}

func printReplay(w io.Writer, rec *draw.Manifest, d draw.Diff) {
	ref := rec.Task + " 第" + strconv.Itoa(rec.Round) + "轮"
	if rec.LedgerID > 0 {
		ref = fmt.Sprintf("台账第 %d 条（%s）", rec.LedgerID, ref)
	}
	if d.Identical {
		fmt.Fprintf(w, "identical：%s 重放结果与记录一致（%d 户）\n", ref, len(rec.Selected))
	} else {
		fmt.Fprintf(w, "different：%s 重放结果与记录不一致\n", ref)
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
}

func list(w io.Writer, label string, keys []string) {
	if len(keys) > 0 {
		fmt.Fprintf(w, "%s %d 户：%s\n", label, len(keys), strings.Join(keys, "、"))
	}
}
