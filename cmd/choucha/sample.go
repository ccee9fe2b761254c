package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/choucha/choucha/batch"
	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/overlap"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/warehouse"
	"github.com/spf13/cobra"
)

type sampleOptions struct {
	plan         planFlags
	task         int
	taskSuffix   string // ".k" or "~d" of a --task 3.2 / 6~2
	roster       string
	sheet        string
	seed         string
	round        int
	policy       string
	ratio        string
	window       string
	out          string
	inspectors   string
	deptMap      string
	strict       bool
	assumeValid  bool
	exclude      string
	operator     string
	redrawReason string
	keepPersonal bool
	fromSQL      string
	batch        string
	atomic       bool
}

func newSampleCommand(g *globalOptions) *cobra.Command {
	o := &sampleOptions{}
	cmd := &cobra.Command{
		Use:   "sample --task 序号 --roster 名录文件",
		Short: "按公开种子抽取一项任务的检查对象（和检查人员），记入台账并写出名单",
		Long: `按 CHOUCHA-SAMPLE-v1 从名录中分层随机抽取检查对象；给出 --inspectors 时再按
CHOUCHA-ASSIGN-v1 从发起部门和各配合部门随机选派执法检查人员。两次抽取都由同一个公开种子
决定，任何人可按 docs/ALGORITHM.md 复算。每次运行（包括事后放弃的）都记入抽取台账。

  $ choucha sample --task 292 --roster 沁县房地产.xlsx --seed 20260401123456789012
  $ choucha sample --task 292 --roster 沁县房地产.xlsx --inspectors 沁县执法人员.xlsx

输出目录（默认 draws/<任务编号>-r<轮次>-<时间>/）：manifest.json、抽查名单.csv、抽查名单.xlsx。

批量抽取（--batch）：一个种子、多项任务，每项任务一条台账记录、一个目录，最后一张汇总表。某项失败
不影响其他任务，在汇总中写明原因（退出码 1）；--atomic 时先在台账副本上试抽全部任务，有一项失败则一项
也不抽取、不记台账。批量抽取文件（路径相对于该文件所在目录）：

  seed: "20260601123456789012"      # 可省略：用 --seed，或自动生成并显示
  inspectors: 沁县执法人员.xlsx       # 各项任务共用（可省略）
  tasks:
    - {task: 292, roster: 沁县房地产.xlsx}
    - {task: 274, round: 2, roster: 沁县中小学校.xlsx, exclude: 第1轮名单.txt}
    - {task: 56, roster: 沁县食品.csv, ratio: "10", no_inspectors: true}

  $ choucha sample --batch 6月.yaml --out draws/沁县-6月

退出码：0 成功；1 输入有误或抽取失败（不写任何文件、不记台账）；2 用法错误；130 被中断。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.batch != "" {
				for _, name := range []string{"task", "roster", "sheet", "round", "ratio", "window", "exclude", "from-sql-result", "redraw-reason"} {
					if cmd.Flags().Changed(name) {
						return apperr.Usage(fmt.Errorf("--batch 与 --%s 不能同时使用：每项任务的 %s 写在批量抽取文件中", name, name))
					}
				}
				return runSampleBatch(cmd.Context(), g, o)
			}
			if o.atomic {
				return apperr.Usage(errors.New("--atomic 只与 --batch 一起使用"))
			}
			return runSample(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	addPlanFlags(cmd, &o.plan)
	addTaskFlag(f, &o.task, &o.taskSuffix, "计划中的任务`序号`（必填；分组中的任务写作 3.2）")
	f.StringVar(&o.roster, "roster", "", "检查对象名录`文件`（.xlsx、.xls 或 .csv，必填）")
	f.StringVar(&o.sheet, "sheet", "", "名录所在工作表`名称`（默认第一个未隐藏的工作表）")
	f.StringVar(&o.seed, "seed", "", "公开随机种子：20–128 位十进制`数字`（不给则自动生成并显示）")
	f.IntVar(&o.round, "round", 1, "本年度第几`轮`抽取（1次/月、1次/季等任务有多轮）")
	f.StringVar(&o.policy, "policy", "", "风险分类抽查政策 YAML `文件`（默认内置，见 choucha policy show）")
	f.StringVar(&o.ratio, "ratio", "", "计划未写比例或比例没有唯一读法（上限、范围、分级）时使用的抽查比例（`百分数`，如 10 或 2.5；按季度、按月等多轮抽取时写上频次，如 每季度12.5% 或 5%，1次/月），记入台账")
	f.StringVar(&o.window, "window", "", "计划的抽查时间没有唯一读法（如只写了一个日期、不在计划年度）时使用的`时间`（如 3月—11月），记入台账")
	f.StringVar(&o.out, "out", "", "输出`目录`（须不存在；默认 draws/<任务编号>-r<轮次>-<时间>/，同一秒内再抽时加 -2、-3）")
	f.StringVar(&o.inspectors, "inspectors", "", "执法检查人员名录`文件`：同时随机选派检查人员")
	f.StringVar(&o.deptMap, "dept-map", "", "部门同义词 YAML `文件`（默认内置）")
	f.BoolVar(&o.strict, "strict", false, "配合部门没有可选派人员时报错（默认只警告）")
	f.BoolVar(&o.assumeValid, "assume-valid", false, "人员名录没有执法证有效期（无此列或为空）时视为有效（记入台账；默认这些人员不选派）")
	f.StringVar(&o.exclude, "exclude", "", "前几轮已抽中的企业代码`文件`（每行一个统一社会信用代码或注册号，# 开头为注释），本轮排除")
	f.StringVar(&o.operator, "operator", "", "操作人`姓名`，记入台账（默认当前系统用户）")
	f.StringVar(&o.fromSQL, "from-sql-result", "", "choucha sql 脚本在数据平台算出的结果 `CSV`：逐项核对一致才记入台账（--roster 给出同一名录表的导出）")
	f.StringVar(&o.redrawReason, "redraw-reason", "", "该任务轮次名单已锁定时，重新抽取的`理由`（记入台账）")
	f.StringVar(&o.batch, "batch", "", "批量抽取`文件`（YAML：一个种子，多项任务各自的名录；见 choucha sample --help）")
	f.BoolVar(&o.atomic, "atomic", false, "与 --batch 一起用：全部任务都能抽取才记入台账，否则一项也不抽取")
	f.BoolVar(&o.keepPersonal, "keep-personal", false, "在抽取清单、台账和名单中保留名录的法定代表人、联系电话列（默认不保留）")
	return cmd
}

func runSample(ctx context.Context, g *globalOptions, o *sampleOptions) error {
	switch {
	case o.task == 0:
		return apperr.Usage(errors.New("请用 --task 指定计划中的任务序号"))
	case o.task < 0:
		return apperr.Usage(fmt.Errorf("--task 须为正整数（计划中的任务序号），收到 %d", o.task))
	}
	if o.roster == "" {
		return apperr.Usage(errors.New("请用 --roster 指定检查对象名录文件"))
	}
	if o.round < 1 {
		return apperr.Usage(fmt.Errorf("--round 须为正整数，收到 %d", o.round))
	}
	p, err := o.plan.load()
	if err != nil {
		return err
	}
	var check func(*draw.Manifest, *roster.Frame) error
	if o.fromSQL != "" {
		if strings.TrimSpace(o.seed) == "" {
			return apperr.Usage(errors.New("--from-sql-result 须与 --seed 一起使用：给出数据平台执行脚本时用的种子"))
		}
		res, err := warehouse.ReadResultFile(o.fromSQL)
		if err != nil {
			return err
		}
		check = func(m *draw.Manifest, frame *roster.Frame) error { return warehouse.CheckFrame(res, m, frame) }
	}
	pol, err := loadPolicyOption(o.policy)
	if err != nil {
		return err
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	insp, err := loadInspectors(ctx, g, o.inspectors, o.deptMap, o.strict, o.assumeValid)
	if err != nil {
		return err
	}
	operator := o.operator
	if operator == "" {
		operator = defaultOperator()
	}

	defer gcPercent(sampleGCPercent)()
	var mem afterRead
	defer mem.restore()
	progress, done := rowProgress(g)
	oc, err := draw.Record(ctx, draw.RecordRequest{
		Plan: p, TaskSeq: o.task, TaskSuffix: o.taskSuffix, Round: o.round, Seed: o.seed,
		Roster:     draw.RosterInput{File: o.roster, Sheet: o.sheet, Progress: progress, Read: mem.set},
		Inspectors: insp, ExcludeFile: o.exclude, Policy: &pol, Ratio: o.ratio, Window: o.window, KeepPersonal: o.keepPersonal,
		Ledger: g.ledgerPath(), Out: o.out, Location: loc,
		Operator: operator, RedrawReason: o.redrawReason, ToolVersion: version,
		WriteDraw: export.WriteDraw, MarkOverCap: overlap.MarkOverCap, Check: check,
	})
	done()
	if err != nil {
		return recordError(err)
	}
	printSampleTalk(g, oc)
	return printSampleData(g, oc.Manifest, oc.Dir, oc.Entry, oc.Head)
}

// recordError adds the command line's next step to what draw.Record refused.
func recordError(err error) error {
	var locked *ledger.LockedError
	var werr *draw.WriteError
	switch {
	case errors.As(err, &locked):
		return apperr.Hint(fmt.Errorf("任务 %s 第%d轮的名单已于台账第 %d 条锁定", locked.Task, locked.Round, locked.LockedID),
			"如确需重新抽取，请用 --redraw-reason \"理由\" 说明，重抽及理由将记入台账并公开可查")
	case errors.As(err, &werr):
		return apperr.Hint(fmt.Errorf("写出抽取结果到 %s: %w", werr.Dir, werr.Err),
			fmt.Sprintf("抽取已记入台账第 %d 条；可用 choucha export %d --format xlsx --out 目录 重新写出名单", werr.LedgerID, werr.LedgerID))
	}
	return ledgerOpenError(err)
}

// sampleGCPercent trades some speed for memory while a draw reads its roster. A draw keeps
// the whole frame, so a fixed soft limit (as roster check has) would sit below the live data
// of a large frame and keep the collector running. Measured on one-district rosters (task 292,
// 2026-12-02): 1M-row xlsx 265–271 → 241–251 MiB, 1M-row csv 219–243 → 207–213 MiB, 10M-row
// csv 1,863 → 1,534 MiB (51.8 → 54.2 s), for about 7% more time than at 50.
const sampleGCPercent = 30

// gcPercent sets the collector's target percentage unless GOGC is set, and returns the
// function that restores it.
func gcPercent(p int) (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(p)
	return func() { debug.SetGCPercent(prev) }
}

// rowProgress is a row counter on stderr for reading a large roster (only on a terminal, and
// not with --quiet), and the function that clears it.
func rowProgress(g *globalOptions) (progress func(int), done func()) {
	bar := newRowProgress(g)
	if bar == nil {
		return nil, func() {}
	}
	// Finish stops the spinner's own ticker (Clear alone let it draw 读取名录 again, issue 16);
	// with OptionClearOnFinish it also erases the line.
	return func(n int) { _ = bar.Set(n) }, func() { _ = bar.Finish(); _ = bar.Clear() }
}

// loadInspectors reads the inspector roster and the department synonyms (nil when no
// inspector roster is given: a draw of firms only) and says what the roster's shape means.
func loadInspectors(ctx context.Context, g *globalOptions, file, deptMap string, strict, assumeValid bool) (*draw.Inspectors, error) {
	if file == "" {
		return nil, nil
	}
	dm, err := loadDeptMap(deptMap)
	if err != nil {
		return nil, err
	}
	insp, rep, err := draw.LoadInspectors(ctx, file, dm, strict, assumeValid)
	if err != nil {
		return nil, err
	}
	if !g.quiet {
		printInspectorWarnings(g.stderr, file, rep)
	}
	return insp, nil
}

// printInspectorWarnings tells what the shape of an inspector roster means for the draw:
// the roster-wide warnings once, the rows without a 执法证有效期 counted.
func printInspectorWarnings(w io.Writer, file string, rep *roster.Report) {
	for _, n := range rep.Notes("执法检查人员名录", roster.SheetChoiceCLI) {
		fmt.Fprintln(w, n)
	}
	noValidity := 0
	for _, is := range rep.Issues {
		switch is.Code {
		case roster.CodeNoStatusColumn, roster.CodeDeptFromCategory:
			fmt.Fprintf(w, "choucha: 警告: 执法检查人员名录 %s：%s\n", file, is.Message)
		case roster.CodeNoValidity:
			noValidity++
		}
	}
	if noValidity > 0 {
		fmt.Fprintf(w, "choucha: 警告: 执法检查人员名录 %s 中 %d 名人员没有执法证有效期：%s\n", file, noValidity,
			map[bool]string{true: "已按 --assume-valid 视为有效", false: "不会被选派（确认全部有效后可加 --assume-valid）"}[rep.AssumedValid])
	}
}

func printSampleTalk(g *globalOptions, oc *draw.Outcome) {
	if g.quiet {
		return
	}
	m, rep, outDir, w := oc.Manifest, oc.Report, oc.Dir, g.stderr
	if len(oc.Undrawn) > 0 {
		rounds := make([]string, len(oc.Undrawn))
		for i, r := range oc.Undrawn {
			rounds[i] = strconv.Itoa(r)
		}
		if len(oc.Excluded) > 0 {
			fmt.Fprintf(w, "台账中没有任务 %s 第%s轮的抽取：按 --exclude 给出的 %d 户排除\n", m.Task, strings.Join(rounds, "、"), len(oc.Excluded))
		} else {
			fmt.Fprintf(w, "choucha: 警告: 台账中没有任务 %s 第%s轮的抽取，这些轮次抽中的企业无法排除（如在别处抽取，请用 --exclude 给出名单）\n",
				m.Task, strings.Join(rounds, "、"))
		}
	}
	if oc.SeedGenerated {
		fmt.Fprintf(w, "\n  随机种子（已自动生成，请公布）：%s\n\n", m.Seed)
	} else {
		fmt.Fprintf(w, "随机种子：%s\n", m.Seed)
	}
	levels := map[string]int{}
	for _, is := range rep.Issues {
		levels[is.Level]++
	}
	fmt.Fprintf(w, "名录 %s：%d 行，可抽取 %d 户；排除 %d 行，重复合并 %d 行，其他区县 %d 行，警告 %d 条（choucha roster check 查看明细）\n",
		rep.File, rep.Rows, rep.Eligible, rep.Excluded, rep.Merged, rep.OutOfScope, levels[roster.LevelWarning])
	for _, n := range rep.Notes("名录", roster.SheetChoiceCLI) {
		fmt.Fprintln(w, n)
	}
	for _, is := range rep.Issues {
		if is.Code == roster.CodeNoDistrictColumn {
			fmt.Fprintf(w, "choucha: 警告: %s\n", is.Message)
		}
	}
	for _, warn := range oc.Warnings {
		fmt.Fprintf(w, "choucha: 警告: %s\n", warn)
	}
	if len(oc.LeftOut) > 0 {
		fmt.Fprintf(w, "不能选派的检查人员 %d 名：\n", len(oc.LeftOut))
		for _, lo := range oc.LeftOut {
			fmt.Fprintf(w, "  %s %s（%s）：%s\n", lo.ID, lo.Name, lo.Dept, lo.Reason)
		}
	}
	if len(m.OverCap) > 0 {
		fmt.Fprintf(w, "choucha: 警告: %d 户本年度抽查次数将超过政策上限（仍在名单中，已标注）：%s\n", len(m.OverCap), strings.Join(m.OverCap, "、"))
	}
	fmt.Fprintf(w, "已记入抽取台账第 %d 条；名单写入 %s\n", m.LedgerID, outDir)
}

// maxListedFirms is how many drawn firms the terminal table shows; a city-wide task can draw
// tens of thousands, and the list files are the place for those.
const maxListedFirms = 200

func printSampleData(g *globalOptions, m *draw.Manifest, outDir string, entry, head ledger.Published) error {
	w := g.stdout
	fmt.Fprintf(w, "任务 %s 第%d轮：%s\n", m.Task, m.Round, m.TaskInfo.Name)
	fmt.Fprintf(w, "台账条目：%s；台账头（公布时）：%s\n", entry, head)
	var rows [][]string
	total := 0
	for _, s := range m.Strata {
		rows = append(rows, []string{stratumLabel(s.Class), strconv.Itoa(s.N), s.Ratio + "%", strconv.Itoa(s.Count), strconv.Itoa(s.Excluded)})
		total += s.Count
	}
	if err := printTable(w, []string{"分层", "名录户数", "抽查比例", "应抽户数", "前轮已抽"}, rows); err != nil {
		return err
	}
	for _, n := range m.Notes {
		fmt.Fprintf(w, "说明：%s\n", n)
	}
	if len(m.Selected) != total {
		fmt.Fprintf(w, "按最低户数要求补足后共抽取 %d 户\n", len(m.Selected))
	}
	teams := map[string]string{}
	for _, t := range m.Assignments {
		var names []string
		for _, mem := range t.Team {
			names = append(names, mem.Name+"（"+mem.Dept+"）")
		}
		teams[t.Key] = strings.Join(names, "、")
	}
	header := []string{"序", "统一社会信用代码", "企业名称", "分层", "位次", "签号（前12位）"}
	if len(m.Assignments) > 0 {
		header = append(header, "检查组")
	}
	rows = rows[:0]
	for i, s := range m.Selected[:min(len(m.Selected), maxListedFirms)] {
		name := s.Name
		if s.Repeat {
			name += "（前轮已抽，补足）"
		}
		r := []string{strconv.Itoa(i + 1), s.Key, name, stratumLabel(s.Class), strconv.Itoa(s.Rank), s.Ticket[:12]}
		if len(m.Assignments) > 0 {
			r = append(r, teams[s.Key])
		}
		rows = append(rows, r)
	}
	if err := printTable(w, header, rows); err != nil {
		return err
	}
	if len(m.Selected) > maxListedFirms {
		fmt.Fprintf(w, "以上为前 %d 户，共 %d 户；完整名单见 %s\n", maxListedFirms, len(m.Selected), filepath.Join(outDir, export.ListXLSXFile))
	}
	if len(m.Loads) > 0 {
		names := map[string][2]string{}
		for _, t := range m.Assignments {
			for _, mem := range t.Team {
				names[mem.ID] = [2]string{mem.Name, mem.Dept}
			}
		}
		rows = rows[:0]
		for _, id := range sortedMapKeys(m.Loads) {
			rows = append(rows, []string{id, names[id][0], names[id][1], strconv.Itoa(m.Loads[id])})
		}
		return printTable(w, []string{"执法证号", "姓名", "部门", "检查户数"}, rows)
	}
	return nil
}

func stratumLabel(class string) string {
	if class == risk.StratumAll {
		return "全部"
	}
	return class + "类"
}

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// runSampleBatch draws the tasks of a batch file (package batch) and prints the summary.
func runSampleBatch(ctx context.Context, g *globalOptions, o *sampleOptions) error {
	f, err := batch.Read(o.batch)
	if err != nil {
		return err
	}
	p, err := o.plan.load()
	if err != nil {
		return err
	}
	pol, err := loadPolicyOption(o.policy)
	if err != nil {
		return err
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	if o.inspectors != "" {
		for i := range f.Tasks {
			if f.Tasks[i].Inspectors == "" && !f.Tasks[i].NoInspectors {
				f.Tasks[i].Inspectors = o.inspectors
			}
		}
	}
	dm, err := loadDeptMap(o.deptMap)
	if err != nil {
		return err
	}
	operator := o.operator
	if operator == "" {
		operator = defaultOperator()
	}
	defer gcPercent(sampleGCPercent)()
	n := len(f.Tasks)
	res, err := batch.Run(ctx, batch.Request{
		File: f, Seed: o.seed, Out: o.out, Atomic: o.atomic,
		Template: draw.RecordRequest{
			Plan: p, Policy: &pol, KeepPersonal: o.keepPersonal, Ledger: g.ledgerPath(), Location: loc,
			Operator: operator, ToolVersion: version, WriteDraw: export.WriteDraw, MarkOverCap: overlap.MarkOverCap,
		},
		Inspectors: func(ctx context.Context, file string) (*draw.Inspectors, error) {
			insp, rep, err := draw.LoadInspectors(ctx, file, dm, o.strict, o.assumeValid)
			if err == nil && !g.quiet {
				printInspectorWarnings(g.stderr, file, rep)
			}
			return insp, err
		},
		Started: func(i int, t batch.Task) {
			if !g.quiet {
				fmt.Fprintf(g.stderr, "[%d/%d] 任务 %d 第%d轮（名录 %s）\n", i+1, n, t.Task, t.Round, t.Roster)
			}
		},
	})
	if err != nil {
		return err
	}
	if !g.quiet {
		if res.SeedGenerated {
			fmt.Fprintf(g.stderr, "\n  随机种子（已自动生成，请公布）：%s\n\n", res.Seed)
		} else {
			fmt.Fprintf(g.stderr, "随机种子：%s\n", res.Seed)
		}
		for _, it := range res.Items {
			if it.Outcome != nil {
				for _, w := range it.Outcome.Warnings {
					fmt.Fprintf(g.stderr, "choucha: 警告: %s：%s\n", it.Task.Label, w)
				}
			}
		}
	}
	h, rows := res.Table()
	fmt.Fprintf(g.stdout, "批量抽取：%d 项任务，种子 %s\n", len(res.Items), res.Seed)
	// The terminal shows the short columns; the CSV summary has every column.
	short := make([][]string, len(rows))
	for i, r := range rows {
		short[i] = []string{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[9]}
	}
	if err := printTable(g.stdout, []string{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[9]}, short); err != nil {
		return err
	}
	if res.Summary != "" {
		fmt.Fprintf(g.stdout, "汇总写入 %s\n", res.Summary)
	}
	failed := res.Failed()
	switch {
	case res.RolledBack:
		return apperr.Hint(fmt.Errorf("批量抽取（--atomic）中 %d 项任务不能抽取，全部任务均未抽取、未记入台账", failed), "按汇总中的原因改正后重新运行")
	case failed > 0:
		return apperr.Hint(fmt.Errorf("批量抽取中 %d 项任务失败（其余 %d 项已抽取并记入台账）", failed, len(res.Items)-failed), "按汇总中的原因改正后，只重新抽取失败的任务")
	}
	return nil
}
