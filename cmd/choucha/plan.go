package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// planFlags are --plan, --plan-id and --plan-district, shared by every command that reads the
// annual plan.
type planFlags struct {
	file     string
	id       string
	district string
}

// addPlanFlags adds --plan, --plan-id and --plan-district to cmd.
func addPlanFlags(cmd *cobra.Command, o *planFlags) {
	cmd.Flags().StringVar(&o.file, "plan", "", "读取该计划 `文件`（.txt/.tsv 制表符分隔文本、Excel 工作簿 .xlsx/.xls、Word 文档 .docx/.doc 或另存的网页 .html；默认内置的长治市2026年度计划）")
	cmd.Flags().StringVar(&o.id, "plan-id", "", "计划编号 `ID`（英文字母、数字和 . _ -；默认由文件名生成，内置计划为 CZ2026）")
	cmd.Flags().StringVar(&o.district, "plan-district", "", "计划表没有“地市”列时各任务所属的 `区县`（默认取自计划标题，如“济南市钢城区……”为钢城区）；只能与 --plan 一起使用")
}

// load reads the plan named by the flags: the embedded plan unless --plan is given.
func (o *planFlags) load() (*plan.Plan, error) {
	if o.file == "" {
		if o.district != "" {
			return nil, apperr.Usage(errors.New("--plan-district 只能与 --plan 一起使用（内置计划的每项任务都写有地市）"))
		}
		if o.id != "" && o.id != plan.EmbeddedID {
			return nil, apperr.Usage(fmt.Errorf("--plan-id 只能与 --plan 一起使用（内置计划的编号是 %s）", plan.EmbeddedID))
		}
		return plan.Embedded()
	}
	if o.id != "" && !plan.ValidID(o.id) {
		return nil, apperr.Usage(fmt.Errorf("--plan-id “%s”无效：只能用英文字母、数字和 . _ -", o.id))
	}
	p, err := plan.LoadWith(o.file, plan.Options{ID: o.id, District: strings.TrimSpace(o.district)})
	if err != nil {
		return nil, plan.ReadHint(err)
	}
	return p, nil
}

func newPlanCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "查看、导出、检查年度抽查计划",
		Long: `查看、导出、检查年度部门联合双随机抽查工作计划。

默认使用内置的长治市2026年度计划（计划编号 CZ2026，397项任务）；--plan 读取其他计划文件。

  $ choucha plan list --district 沁县 --month 6
  $ choucha plan show 292
  $ choucha plan export --format json --out 计划.json
  $ choucha plan lint
  $ choucha plan calendar --district 沁县`,
	}
	cmd.AddCommand(
		newPlanListCommand(g),
		newPlanShowCommand(g),
		newPlanExportCommand(g),
		newPlanLintCommand(g),
		newPlanCalendarCommand(g),
	)
	return cmd
}

// planFilterFlags are the task filters of `plan list` (and, partly, `plan calendar`).
type planFilterFlags struct {
	district string
	dept     string
	month    int
	keyword  string
	risk     string
}

func (f *planFilterFlags) filter(p *plan.Plan) (plan.Filter, error) {
	if f.month < 0 || f.month > 12 {
		return plan.Filter{}, apperr.Usage(fmt.Errorf("--month 应在1到12之间，而不是 %d", f.month))
	}
	if err := planCheckDistrict(p, f.district); err != nil {
		return plan.Filter{}, err
	}
	return plan.Filter{District: f.district, Dept: f.dept, Month: f.month, Keyword: f.keyword, Risk: f.risk, Canon: p.DeptNames()}, nil
}

// checkDistrict rejects a district the plan does not have, listing the ones it has.
func planCheckDistrict(p *plan.Plan, district string) error {
	if district == "" {
		return nil
	}
	d := plan.NormalizeDistrict(district)
	for _, x := range p.Districts() {
		if x == d {
			return nil
		}
	}
	return apperr.Hint(apperr.Usage(fmt.Errorf("计划 %s 中没有地市“%s”", p.ID, district)),
		"计划中的地市："+strings.Join(p.Districts(), "、"))
}

type planListOptions struct {
	plan   planFlags
	filter planFilterFlags
}

func newPlanListCommand(g *globalOptions) *cobra.Command {
	opts := &planListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "列出计划中的任务（可按地市、部门、月份、关键词、风险要求筛选）",
		Long: `列出计划中的任务，每项一行：序号、地市、任务名称、抽查比例及频次、起止时间、发起部门。

  $ choucha plan list --district 沁县
  $ choucha plan list --dept 住建 --month 6 --keyword 燃气
  $ choucha plan list --risk progressive --plan 计划.xlsx

--district 须与计划中的地市完全一致（“沁县”不含“沁源县”）；--dept 和 --keyword 按包含匹配。
没有任务符合条件时输出空表，退出码仍为 0。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlanList(cmd.Context(), g, opts)
		},
	}
	addPlanFlags(cmd, &opts.plan)
	f := cmd.Flags()
	f.StringVar(&opts.filter.district, "district", "", "只列该 `地市` 的任务（如 沁县、潞州区）")
	f.StringVar(&opts.filter.dept, "dept", "", "只列发起或配合部门名称含该 `文字` 的任务（如 住建；部门的全称或其他写法也可，如 沁县市场监督管理局）")
	f.IntVar(&opts.filter.month, "month", 0, "只列起止时间包含该 `月份`（1–12）的任务")
	f.StringVar(&opts.filter.keyword, "keyword", "", "只列任务名称、抽查事项或对象范围含该 `文字` 的任务")
	enumVar(f, &opts.filter.risk, "risk", "", "", "只列该信用风险要求 `类别` 的任务：progressive（按风险分类递加）、none（无）、other（其他依据）", []string{plan.RiskProgressive, plan.RiskNone, plan.RiskOther}, nil)
	return cmd
}

func runPlanList(_ context.Context, g *globalOptions, opts *planListOptions) error {
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	f, err := opts.filter.filter(p)
	if err != nil {
		return err
	}
	tasks := p.Select(f)
	rows := make([][]string, 0, len(tasks))
	for _, t := range tasks {
		// The 序号 as --task takes it: 292, or 3.2 for a part of a grouped 序号.
		rows = append(rows, []string{strings.TrimPrefix(t.Key, p.ID+"-"), t.District, planClip(t.Name, 30), t.Ratio.Text, t.Window.Text, planClip(t.Initiator, 16)})
	}
	if err := printTable(g.stdout, []string{"序号", "地市", "任务名称", "抽查比例及频次", "起止时间", "发起部门"}, rows); err != nil {
		return err
	}
	if !g.quiet {
		fmt.Fprintf(g.stderr, "计划 %s：%d 项任务中 %d 项符合条件\n", p.ID, len(p.Tasks), len(tasks))
		if f.Month != 0 {
			nf := f
			nf.Month = 0
			var open []string
			for _, t := range p.Select(nf) {
				if t.WindowOpen() {
					open = append(open, strings.TrimPrefix(t.Key, p.ID+"-"))
				}
			}
			if len(open) > 0 {
				fmt.Fprintf(g.stderr, "另有 %d 项任务的抽查时间未定（抽取时须用 --window 指定），不按月份列出：%s\n", len(open), planWrapList(open, 20))
			}
		}
	}
	return nil
}

// planWindowText is a task's window with the months it is read as, or why it has none.
func planWindowText(t *plan.Task) string {
	if t.WindowOpen() {
		return t.Window.Text + "（抽查时间未定：抽取时须用 --window 指定）"
	}
	return fmt.Sprintf("%s（%d月至%d月）", t.Window.Text, t.Window.From, t.Window.To)
}

// clip shortens long cells of a list table; `plan show` prints them in full.
func planClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

type planShowOptions struct {
	plan planFlags
	seq  string
}

func newPlanShowCommand(g *globalOptions) *cobra.Command {
	opts := &planShowOptions{}
	cmd := &cobra.Command{
		Use:   "show 序号",
		Short: "显示一项任务的全部内容：比例的含义、全年抽取轮次、读取时所做的修正",
		Long: `显示一项任务的全部字段，用文字说明抽查比例及频次的含义，给出全年抽取轮次和读取时所做的修正。

  $ choucha plan show 292

序号不存在时退出码为 1。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.seq = args[0]
			return runPlanShow(cmd.Context(), g, opts)
		},
	}
	addPlanFlags(cmd, &opts.plan)
	return cmd
}

func runPlanShow(_ context.Context, g *globalOptions, opts *planShowOptions) error {
	seq, suffix, err := plan.ParseTaskRef(opts.seq)
	if err != nil {
		return apperr.Hint(apperr.Usage(fmt.Errorf("任务序号应是整数，而不是“%s”", opts.seq)), "用 choucha plan list 查看全部任务的序号")
	}
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	t, err := p.TaskRef(seq, suffix)
	if err != nil {
		return apperr.Hint(err, "用 choucha plan list 查看全部任务（可加 --district、--keyword 筛选）")
	}
	risk := map[string]string{plan.RiskProgressive: "按企业信用风险分类递加", plan.RiskNone: "不按信用风险分类", plan.RiskOther: "其他依据"}[t.Risk.Kind]
	rows := [][]string{
		{"任务编号", t.Key},
		{"序号", strconv.Itoa(t.Seq)},
		{"地市", t.District},
		{"抽查任务名称", t.Name},
		{"抽查事项", t.Items},
	}
	for i, s := range t.Scopes {
		label := "抽查对象范围"
		if len(t.Scopes) > 1 {
			label = fmt.Sprintf("抽查对象范围（%d）", i+1)
		}
		rows = append(rows, []string{label, s})
	}
	rows = append(rows,
		[]string{"抽查比例及频次", t.Ratio.Text},
		[]string{"比例的含义", t.Ratio.Describe()},
		[]string{"全年抽取轮次", fmt.Sprintf("%d（%s）", t.Rounds, planRoundsWhy(t))},
		[]string{"信用风险分类要求", t.Risk.Text},
		[]string{"风险要求类别", fmt.Sprintf("%s（%s）", t.Risk.Kind, risk)},
		[]string{"抽查检查起止时间", planWindowText(t)},
		[]string{"发起部门", t.Initiator},
		[]string{"配合部门", strings.Join(t.Cooperators, "、")},
		[]string{"抽查检查模式", t.Mode},
	)
	// What the draw will ask for, as the web page's task page shows it.
	if t.Ratio.Unspecified {
		rows = append(rows, []string{"提示", "计划未写抽查比例：抽取时须用 --ratio 指定比例，并记入台账"})
	}
	for i, f := range t.Flags {
		rows = append(rows, []string{fmt.Sprintf("需核对（%d）", i+1), f.String()})
	}
	if h := t.LevelHint(); h != "" {
		rows = append(rows, []string{"提示", h})
	}
	if len(t.Repairs) == 0 {
		rows = append(rows, []string{"读取时的修正", "无"})
	}
	for i, r := range t.Repairs {
		rows = append(rows, []string{fmt.Sprintf("读取时的修正（%d）", i+1), r})
	}
	return printTable(g.stdout, []string{"字段", "内容"}, rows)
}

func planRoundsWhy(t *plan.Task) string {
	switch t.Ratio.Per {
	case plan.PerHalf:
		h := (t.Window.To-1)/6 - (t.Window.From-1)/6 + 1
		return fmt.Sprintf("每半年%d次 × 起止时间涉及的%d个半年", t.Ratio.Times, h)
	case plan.PerQuarter:
		q := (t.Window.To-1)/3 - (t.Window.From-1)/3 + 1
		return fmt.Sprintf("每季度%d次 × 起止时间涉及的%d个季度", t.Ratio.Times, q)
	case plan.PerMonth:
		return fmt.Sprintf("每月%d次 × 起止时间的%d个月", t.Ratio.Times, t.Window.To-t.Window.From+1)
	case plan.PerWeek:
		return fmt.Sprintf("每周%d次 × 起止时间的%d周", t.Ratio.Times, t.Rounds/max(t.Ratio.Times, 1))
	case plan.PerDay:
		return fmt.Sprintf("每天%d次 × 起止时间的%d天", t.Ratio.Times, t.Rounds/max(t.Ratio.Times, 1))
	default:
		return fmt.Sprintf("每年%d次", t.Ratio.Times)
	}
}

type planExportOptions struct {
	plan   planFlags
	format string
	out    string
}

func newPlanExportCommand(g *globalOptions) *cobra.Command {
	opts := &planExportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "把计划导出为 JSON、YAML 或 CSV（供其他工具读取）",
		Long: `把计划的全部任务导出为 JSON（默认）、YAML 或 CSV。

  $ choucha plan export --format json > 计划.json
  $ choucha plan export --format csv --out 计划.csv

JSON 的字段名固定：{"plan":{"id","title","sha256"},"tasks":[{"seq","key","district","name","items",
"scopes","ratio":{"text","percent","at_least","min_count","per_class","times","per","unspecified"},
"rounds","risk":{"text","kind"},"window":{"text","from","to"},"initiator","cooperators","mode","repairs"}]}；
没有的值为 null。sha256 是计划文件字节的 SHA-256。CSV 每个任务一行，中文表头，UTF-8 带 BOM。
--out 先写入同一文件夹中的临时文件再改名，出错时不留下半个文件。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlanExport(cmd.Context(), g, opts)
		},
	}
	addPlanFlags(cmd, &opts.plan)
	enumVar(cmd.Flags(), &opts.format, "format", "", "json", "导出 `格式`：json、yaml 或 csv", []string{"json", "yaml", "csv"}, map[string]string{"yml": "yaml"})
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "写入该 `文件`（默认标准输出）")
	return cmd
}

func runPlanExport(_ context.Context, g *globalOptions, opts *planExportOptions) error {
	var write func(p *plan.Plan, w io.Writer) error
	switch opts.format {
	case "json":
		write = func(p *plan.Plan, w io.Writer) error { return p.WriteJSON(w, nil) }
	case "yaml", "yml":
		write = func(p *plan.Plan, w io.Writer) error { return p.WriteYAML(w, nil) }
	case "csv":
		write = func(p *plan.Plan, w io.Writer) error {
			header, rows := p.CSVTable(nil)
			return export.WriteCSV(w, export.UTF8, header, rows)
		}
	default:
		return apperr.Usage(fmt.Errorf("--format 只能是 json、yaml 或 csv，而不是 %q", opts.format))
	}
	if opts.out != "" && opts.plan.file != "" && planSamePath(opts.out, opts.plan.file) {
		return apperr.Usage(fmt.Errorf("--out 不能是计划文件本身（%s）", opts.plan.file))
	}
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	if opts.out == "" {
		return write(p, g.stdout)
	}
	if err := export.WriteFileAtomic(opts.out, func(w io.Writer) error { return write(p, w) }); err != nil {
		return err
	}
	if !g.quiet {
		fmt.Fprintf(g.stderr, "已导出 %d 项任务到 %s\n", len(p.Tasks), opts.out)
	}
	return nil
}

func planSamePath(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

type planLintOptions struct {
	plan   planFlags
	format string
}

func newPlanLintCommand(g *globalOptions) *cobra.Command {
	opts := &planLintOptions{}
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "列出读取计划时所做的修正、未规定比例的任务和可疑的单元格",
		Long: `检查计划：列出读取时所做的每一处修正（合并单元格、错位的单元格、规范化的写法）、
没有规定抽查比例或户数的任务，以及可疑的单元格（抽查事项与对象范围疑似填反、发起部门同时是配合部门、
配合部门连写等）。

  $ choucha plan lint
  $ choucha plan lint --plan 计划.xlsx --format json

lint 只提示，不算失败：只要计划能读取，退出码就是 0。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlanLint(cmd.Context(), g, opts)
		},
	}
	addPlanFlags(cmd, &opts.plan)
	enumVar(cmd.Flags(), &opts.format, "format", "", "table", "输出 `格式`：table 或 json", []string{"table", "json"}, nil)
	return cmd
}

func runPlanLint(_ context.Context, g *globalOptions, opts *planLintOptions) error {
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	findings := plan.Lint(p)
	if findings == nil {
		findings = []plan.Finding{}
	}
	if opts.format == "json" {
		return writeJSON(g.stdout, findings)
	}
	rows := make([][]string, 0, len(findings))
	for _, f := range findings {
		seq, line := "", ""
		if f.Seq != 0 {
			seq = strings.TrimPrefix(f.Key, p.ID+"-")
		}
		if f.Line != 0 {
			line = strconv.Itoa(f.Line)
		}
		rows = append(rows, []string{seq, line, f.Cell, f.Kind, f.Message})
	}
	if err := printTable(g.stdout, []string{"任务", "行", "栏", "类别", "说明"}, rows); err != nil {
		return err
	}
	if !g.quiet {
		counts := map[string]int{}
		for _, f := range findings {
			counts[f.Kind]++
		}
		var parts []string
		for _, k := range plan.LintKinds {
			if counts[k] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
			}
		}
		fmt.Fprintf(g.stderr, "计划 %s：%d 项任务，%d 条提示（%s）\n", p.ID, len(p.Tasks), len(findings), strings.Join(parts, "，"))
	}
	return nil
}

type planCalendarOptions struct {
	plan     planFlags
	district string
	dept     string
	format   string
}

func newPlanCalendarCommand(g *globalOptions) *cobra.Command {
	opts := &planCalendarOptions{}
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "逐月查看运行的任务，以及每个部门发起、参与的任务数（一业一查）",
		Long: `逐月（1–12月）列出起止时间覆盖该月的任务，以及每个部门当月发起和配合的任务数。

  $ choucha plan calendar --district 沁县
  $ choucha plan calendar --dept 沁县市场监管局 --format csv > 月历.csv

表格输出两张表：每月的任务，和部门×月份的任务数（单元格为“发起/配合”）。
--format csv 每个（月份, 部门）一行；--format json 输出完整结构。
一个部门同时是某任务的发起部门和配合部门时，只按发起计一次。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlanCalendar(cmd.Context(), g, opts)
		},
	}
	addPlanFlags(cmd, &opts.plan)
	f := cmd.Flags()
	f.StringVar(&opts.district, "district", "", "只看该 `地市` 的任务")
	f.StringVar(&opts.dept, "dept", "", "只看名称含该 `文字` 的部门及其任务")
	enumVar(f, &opts.format, "format", "", "table", "输出 `格式`：table、csv 或 json", []string{"table", "csv", "json"}, nil)
	return cmd
}

func runPlanCalendar(ctx context.Context, g *globalOptions, opts *planCalendarOptions) error {
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	if err := planCheckDistrict(p, opts.district); err != nil {
		return err
	}
	canon := p.DeptNames()
	cal := plan.BuildCalendar(p.Tasks, plan.CalendarFilter{District: plan.NormalizeDistrict(opts.district), Dept: opts.dept, Canon: canon})
	if err := addLedgerDrawn(ctx, g, p, &cal, canon); err != nil {
		return err
	}
	switch opts.format {
	case "json":
		return writeJSON(g.stdout, cal)
	case "csv":
		return writeCalendarCSV(g.stdout, &cal)
	}
	// The 序号 as --task takes it: 292, or 1.2 for a part of a grouped 序号.
	ref := func(keys []string) []string {
		out := make([]string, 0, len(keys))
		for _, k := range keys {
			out = append(out, strings.TrimPrefix(k, p.ID+"-"))
		}
		return out
	}
	rows := make([][]string, 0, 13)
	for _, m := range cal.Months {
		rows = append(rows, []string{fmt.Sprintf("%d月", m.Month), strconv.Itoa(len(m.Tasks)), planWrapList(ref(m.Tasks), 20)})
	}
	if len(cal.Undated) > 0 {
		rows = append(rows, []string{"时间未定", strconv.Itoa(len(cal.Undated)), planWrapList(ref(cal.Undated), 20)})
	}
	if err := printTable(g.stdout, []string{"月份", "任务数", "任务序号"}, rows); err != nil {
		return err
	}
	if len(cal.Undated) > 0 {
		fmt.Fprintf(g.stdout, "“时间未定”的任务计划中没有可读的抽查时间，抽取时须用 --window 指定；部门×月份表不含它们，“全年”一栏含。\n")
	}
	fmt.Fprintln(g.stdout)
	header := []string{"部门（发起/配合）"}
	for m := 1; m <= 12; m++ {
		header = append(header, fmt.Sprintf("%d月", m))
	}
	header = append(header, "全年")
	rows = rows[:0]
	for _, d := range cal.Depts {
		row := []string{d}
		for m := 1; m <= 12; m++ {
			l := cal.Load(d, m)
			cell := ""
			if l.Initiates+l.Joins > 0 {
				cell = fmt.Sprintf("%d/%d", l.Initiates, l.Joins)
			}
			if cal.HasDrawn && l.Drawn > 0 {
				cell += fmt.Sprintf(" 已抽%d", l.Drawn)
			}
			row = append(row, cell)
		}
		tot := cal.Totals[d]
		row = append(row, fmt.Sprintf("%d/%d", tot.Initiates, tot.Joins))
		rows = append(rows, row)
	}
	return printTable(g.stdout, header, rows)
}

// wrapList joins items with "、", n per line, so long month lists stay readable.
func planWrapList(items []string, n int) string {
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			if i%n == 0 {
				b.WriteString("\n")
			} else {
				b.WriteString("、")
			}
		}
		b.WriteString(s)
	}
	return b.String()
}

func writeCalendarCSV(w io.Writer, cal *plan.Calendar) error {
	header := []string{"月份", "部门", "发起任务数", "配合任务数", "合计", "任务"}
	if cal.HasDrawn {
		header = append(header, "已抽取户数")
	}
	var rows [][]string
	for _, m := range cal.Months {
		for _, l := range m.Loads {
			rec := []string{strconv.Itoa(m.Month), l.Dept, strconv.Itoa(l.Initiates), strconv.Itoa(l.Joins),
				strconv.Itoa(l.Initiates + l.Joins), strings.Join(l.Tasks, " ")}
			if cal.HasDrawn {
				rec = append(rec, strconv.Itoa(l.Drawn))
			}
			rows = append(rows, rec)
		}
	}
	return export.WriteCSV(w, export.UTF8, header, rows)
}

// addLedgerDrawn adds to the calendar the firms already drawn per department and month
// (draw.DrawnCounts); a missing or empty ledger adds nothing.
func addLedgerDrawn(ctx context.Context, g *globalOptions, p *plan.Plan, cal *plan.Calendar, canon func(name, district string) string) error {
	l, err := ledger.OpenReadOnly(g.ledgerPath())
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, ledger.ErrEmpty) {
		return nil
	}
	if err != nil {
		return err
	}
	defer l.Close()
	counts, err := draw.DrawnCounts(ctx, l, p, draw.PlanYear(p, time.Now()), canon)
	if err != nil {
		return err
	}
	cal.AddDrawn(counts)
	return nil
}

// taskFlag is --task: a 序号 (292), or for a 序号 over several tasks the part (3.2) or the
// duplicate (6~2). The 序号 goes to *n, the rest of the key to *suffix.
type taskFlag struct {
	n      *int
	suffix *string
	text   string
}

func (f *taskFlag) String() string { return f.text }
func (f *taskFlag) Type() string   { return "序号" }
func (f *taskFlag) Set(s string) error {
	n, suffix, err := plan.ParseTaskRef(s)
	if errors.Is(err, strconv.ErrRange) {
		return err // flags.go words it (超出范围)
	}
	if err != nil {
		return apperr.Usage(err)
	}
	*f.n, *f.suffix, f.text = n, suffix, s
	return nil
}

// addTaskFlag registers --task into n and suffix.
func addTaskFlag(f *pflag.FlagSet, n *int, suffix *string, usage string) {
	f.Var(&taskFlag{n: n, suffix: suffix}, "task", usage)
}
