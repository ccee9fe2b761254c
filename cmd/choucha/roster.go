package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/roster"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

func newRosterCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "roster",
		Short: "检查检查对象名录和执法检查人员名录",
	}
	cmd.AddCommand(newRosterCheckCommand(g), newRosterTemplateCommand(g))
	return cmd
}

// rosterCheckOptions are the flags of `choucha roster check`.
type rosterCheckOptions struct {
	file       string
	district   string
	sheet      string
	inspectors bool
	format     string
	on         string
	assume     bool
}

func newRosterCheckCommand(g *globalOptions) *cobra.Command {
	opts := &rosterCheckOptions{}
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "读取名录（xlsx/xls/csv），报告每一行的问题",
		Long: `读取检查对象名录（或用 --inspectors 读取执法检查人员名录），校验每个统一社会信用代码，
报告被排除的行和需要核对的行；行号与 Excel 中看到的行号一致。

  $ choucha roster check 燃气企业名录.xlsx --district 潞州区
  $ choucha roster check 名录.csv --format json > 检查结果.json
  $ choucha roster check 执法人员.xlsx --inspectors --on 2026-06-01

支持 .xlsx、Excel 97–2003 的 .xls（默认第一个未隐藏的工作表，或 --sheet 指定）和 .csv（UTF-8 带或不带 BOM、GBK/GB18030）。
WPS 的 .et 请先另存为 .xlsx。

问题代码（JSON 的 code 字段；规则见 docs/ROSTER.md）：
  排除（error）   numeric_id 代码以数字保存、位数已丢失（科学计数法等）   missing_id 没有代码
                  bad_id 代码格式不对   bad_regno 15位注册号校验位不符
                  duplicate_conflict 同一代码不同名称   class_conflict 同一代码各行分类不同（各行都排除）
                  closed 注销/吊销/迁出等
                  bad_class 风险分类无法识别   missing_name 没有企业名称（个体工商户除外）
                  bad_district 所属区县不是区县名称（本行可能错位）
  保留（warning） bad_checksum 校验位不符   legacy_regno 以注册号作为标识（说明原因）
                  duplicate_of_excluded 同一代码另有被排除的行   no_status 状态为空   unknown_status 状态无法识别
                  unclassified 未分类按B类   no_class_column 没有风险分类列（按计划比例统一抽取）
                  no_district_column 没有区县列，无法按 --district 筛选   blank_district 所属区县为空（按本区县纳入）
                  no_trade_name 无字号个体工商户   extra_cells 比表头多出单元格
                  abnormal_status 非正常户/经营异常（仍按存续纳入）   control_chars 删除了单元格中的控制字符
  说明（info）    other_district 属于其他区县   duplicate 重复行（已合并到首行，不计入名录）
  人员名录        no_status_column 无在岗状态列（全部按在岗）  no_validity 无执法证有效期（仅 --assume-valid 时选派）
                  dept_from_category 以执法类别列作为部门  bad_date 有效期无法识别  duplicate_id 执法证号重复
                  missing_name 姓名为空（已排除）  missing_dept 所属部门为空（已排除）
                  ineligible 当日不可选派；无一人可选派时退出码为 1，并按原因计数

退出码：
  0  名录可以读取（发现的问题在报告中列出，不算失败）
  1  名录无法读取（文件损坏、为空、只有表头、找不到表头等），或人员名录中没有一人可选派
  2  用法错误`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runRosterCheck(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.district, "district", "", "只保留该 `区县` 的市场主体，其余记为 other_district")
	f.StringVar(&opts.sheet, "sheet", "", "读取 xlsx/xls 中名为 `名称` 的工作表（默认第一个未隐藏的工作表）")
	f.BoolVar(&opts.inspectors, "inspectors", false, "文件是执法检查人员名录")
	enumVar(f, &opts.format, "format", "", "text", "输出 `格式`：text 或 json", []string{"text", "json"}, nil)
	f.StringVar(&opts.on, "on", "", "与 --inspectors 一起：按该 `日期`（YYYY-MM-DD，默认今天）判断是否可选派")
	f.BoolVar(&opts.assume, "assume-valid", false, "与 --inspectors 一起：没有执法证有效期的人员视为有效")
	return cmd
}

// rosterMemoryLimit is the soft heap limit of roster check (see runRosterCheck).
const rosterMemoryLimit = 200 << 20

// softMemoryLimit sets a soft heap limit unless GOMEMLIMIT is set, and returns the function
// that restores the previous one. Reading a large roster makes much short-lived garbage;
// without a limit the garbage collector lets the heap grow to twice the live data. A live set
// above the limit only makes the collector work harder (Go caps that), it never fails.
func softMemoryLimit(limit int64) (restore func()) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

func runRosterCheck(ctx context.Context, g *globalOptions, opts *rosterCheckOptions) error {
	if opts.on != "" && !opts.inspectors {
		return apperr.Usage(errors.New("--on 只能与 --inspectors 一起使用"))
	}
	if opts.assume && !opts.inspectors {
		return apperr.Usage(errors.New("--assume-valid 只能与 --inspectors 一起使用"))
	}
	if opts.inspectors && opts.district != "" {
		return apperr.Usage(errors.New("--district 只适用于检查对象名录，不能与 --inspectors 一起使用"))
	}
	day := time.Now()
	if opts.on != "" {
		t, err := time.Parse("2006-01-02", opts.on)
		if err != nil {
			return apperr.Usage(fmt.Errorf("--on 日期 %q 应写成 YYYY-MM-DD", opts.on))
		}
		day = t
	}
	// The live data of a million-row check is under 200 MiB; see softMemoryLimit.
	defer softMemoryLimit(rosterMemoryLimit)()
	ropt := roster.Options{Sheet: opts.sheet, District: opts.district, AssumeValid: opts.assume}
	bar := newRowProgress(g)
	if bar != nil {
		ropt.Progress = func(n int) { _ = bar.Set(n) }
	}
	var (
		rep  *roster.Report
		err  error
		list []roster.Inspector
	)
	if opts.inspectors {
		list, rep, err = roster.ReadInspectors(ctx, opts.file, ropt)
		if err == nil {
			addEligibility(rep, list, day)
		}
	} else {
		rep, err = roster.CheckFirms(ctx, opts.file, ropt)
	}
	if bar != nil {
		_ = bar.Finish() // stops the spinner's ticker; Clear alone let it draw again
		_ = bar.Clear()
	}
	if err != nil {
		return err
	}
	if !g.quiet {
		what := map[bool]string{false: "名录", true: "执法检查人员名录"}[opts.inspectors]
		for _, n := range rep.Notes(what, roster.SheetChoiceCLI) {
			fmt.Fprintln(g.stderr, n)
		}
	}
	if opts.format == "json" {
		err = writeJSON(g.stdout, rep)
	} else {
		err = printRosterReport(g.stdout, rep, opts.inspectors, day)
	}
	if err == nil && opts.inspectors {
		// A roster in which nobody may inspect is not usable: exit 1, the reasons counted.
		err = roster.NoneEligibleError(opts.file, list, day)
	}
	return err
}

// addEligibility reports every inspector who may not be sent on day (info, code ineligible)
// and sets Eligible to the number who may.
func addEligibility(rep *roster.Report, list []roster.Inspector, day time.Time) {
	n := 0
	for _, in := range list {
		ok, why := in.EligibleOn(day)
		if ok {
			n++
			continue
		}
		rep.Issues = append(rep.Issues, roster.Issue{Row: in.Row, ID: in.ID, Level: roster.LevelInfo,
			Code: roster.CodeIneligible, Message: fmt.Sprintf("%s：%s，%s 不可选派", in.Name, why, day.Format("2006-01-02"))})
	}
	rep.Eligible = n
	sortIssues(rep.Issues)
}

// sortIssues orders issues by row; a row's issues keep the order they were found in.
func sortIssues(is []roster.Issue) {
	slices.SortStableFunc(is, func(a, b roster.Issue) int { return a.Row - b.Row })
}

// newRowProgress returns a counter on stderr, or nil when stderr is not a terminal or --quiet.
func newRowProgress(g *globalOptions) *progressbar.ProgressBar {
	if g.quiet {
		return nil
	}
	if g.ttyErr == nil {
		return nil
	}
	return progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(g.ttyErr),
		progressbar.OptionSetDescription("读取名录"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("行"),
		progressbar.OptionShowIts(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

var levelNames = map[string]string{
	roster.LevelError:   "错误",
	roster.LevelWarning: "警告",
	roster.LevelInfo:    "信息",
}

// cleanCell keeps a table cell on one line.
func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

func printRosterReport(w io.Writer, rep *roster.Report, inspectors bool, day time.Time) error {
	count := map[string]int{}
	for _, is := range rep.Issues {
		count[is.Level]++
	}
	rows := [][]string{
		{"文件", rep.File},
		{"SHA-256", rep.SHA256},
		{"数据行", strconv.Itoa(rep.Rows)},
	}
	if inspectors {
		rows = append(rows, []string{"可选派（" + day.Format("2006-01-02") + "）", strconv.Itoa(rep.Eligible)})
	} else {
		rows = append(rows,
			[]string{"纳入名录", strconv.Itoa(rep.Eligible)},
			[]string{"frame_sha256", rep.FrameSHA256},
			[]string{"A类（低风险）", strconv.Itoa(rep.Classes[roster.ClassA])},
			[]string{"B类（一般风险）", strconv.Itoa(rep.Classes[roster.ClassB])},
			[]string{"C类（较高风险）", strconv.Itoa(rep.Classes[roster.ClassC])},
			[]string{"D类（高风险）", strconv.Itoa(rep.Classes[roster.ClassD])},
		)
	}
	// Every data row is in one of these: 纳入 + 排除 + 合并 + 其他区县 = 数据行.
	rows = append(rows, []string{"已排除的行（有错误）", strconv.Itoa(rep.Excluded)})
	if !inspectors {
		rows = append(rows,
			[]string{"重复行（已合并到首行）", strconv.Itoa(rep.Merged)},
			[]string{"其他区县的行（未纳入）", strconv.Itoa(rep.OutOfScope)})
	}
	rows = append(rows,
		[]string{"错误（条）", strconv.Itoa(count[roster.LevelError])},
		[]string{"警告（条）", strconv.Itoa(count[roster.LevelWarning])},
		[]string{"信息（条）", strconv.Itoa(count[roster.LevelInfo])},
	)
	if err := printTable(w, []string{"项目", "结果"}, rows); err != nil {
		return err
	}
	if len(rep.Issues) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	prob := make([][]string, 0, len(rep.Issues))
	for _, is := range rep.Issues {
		prob = append(prob, []string{strconv.Itoa(is.Row), cleanCell(is.ID), levelNames[is.Level], is.Code, cleanCell(is.Message)})
	}
	return printTable(w, []string{"行", "标识", "级别", "代码", "说明"}, prob)
}
