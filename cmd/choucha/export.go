package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/workday"
	"github.com/spf13/cobra"
)

// exportOptions are the flags of `choucha export`.
type exportOptions struct {
	format    string
	out       string
	encoding  string
	force     bool
	planTitle string
	holidays  string
}

func newExportCommand(g *globalOptions) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export DRAW --format announce|results|sheets|csv|xlsx",
		Short: "导出抽查任务公告、检查结果录入表、检查任务单和名单",
		Long: `把一次抽取导出为给公众、检查组和其他系统的文件。DRAW 是抽取目录（或其中的 manifest.json），
或抽取台账中的条目编号（choucha ledger list 可查）。

  $ choucha export draws/CZ2026-292-r1 --format announce
  draws/CZ2026-292-r1/抽查任务公告.html
  draws/CZ2026-292-r1/抽查任务公告.csv
  $ choucha export 12 --format results --out 结果录入
  $ choucha export draws/CZ2026-292-r1 --format csv --encoding gbk

格式：
  announce  抽查任务公告（一公开）：可打印的单页 HTML 和 CSV。列出抽查计划、任务编号和名称、抽查类型、
            事项、对象范围、检查日期、检查机关、户数和名单（名称、统一社会信用代码/注册号、登记机关），
            以及复核数据（算法、种子、抽样框 SHA-256、每户签号）。不含信用风险分类、法定代表人、
            电话和检查人员信息。
  results   检查结果录入表（xlsx）：每户一行，检查结果从13种标准结果中下拉选择，并注明结果公示截止
            日期（检查时间结束后第20个工作日，按国务院办公厅公布的节假日和调休安排；
            内置2025、2026年，其他年份用 --holidays 文件 提供，未提供时只跳过周末并在表中注明）。
  sheets    检查任务单：每个检查组一页的可打印 HTML 和 xlsx（检查对象、住所、事项、时间、组员）。
  csv       抽查名单 CSV（内部使用，含名录的全部列）。
  xlsx      抽查名单 xlsx（内部使用，含说明页和每名检查人员的任务单）。

文件写到 --out 目录，默认是抽取目录；台账条目没有抽取目录时默认写到 draws/<任务>-r<轮次>-ledger<编号>/。
每个文件先写临时文件再改名就位。同名文件若是 choucha 以前导出的就替换，否则不覆盖（--force 强制覆盖）。
CSV 默认 UTF-8 带 BOM（Excel、WPS 直接打开）；--encoding gbk 写 GBK（文件名加 -GBK），遇到 GBK 不能
表示的字符时报错并指出行列。CSV 中以 =、+、-、@、制表符或回车开头的单元格前加 '，防止被当作公式执行。

标准输出：写出的文件路径，每行一个。

退出码：
  0  已导出
  1  抽取目录、台账条目无法读取，或文件无法写出、已存在
  2  用法错误（格式、编码不对）`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), g, opts, args[0])
		},
	}
	f := cmd.Flags()
	enumVar(f, &opts.format, "format", "f", "", "导出 `格式`：announce、results、sheets、csv、xlsx", export.Formats, nil)
	f.StringVarP(&opts.out, "out", "o", "", "写到 `目录`（默认抽取目录）")
	enumVar(f, &opts.encoding, "encoding", "", "utf-8", "CSV `编码`：utf-8（带 BOM）或 gbk", []string{"utf-8", "gbk"}, map[string]string{"utf8": "utf-8"})
	f.BoolVar(&opts.force, "force", false, "覆盖不是 choucha 导出的同名文件")
	f.StringVar(&opts.planTitle, "plan-title", "", "公告中的抽查计划 `名称`（默认：内置计划取其标题，否则写计划编号）")
	f.StringVar(&opts.holidays, "holidays", "", "节假日安排 `文件`（YAML，格式同内置 workday/schedule.yaml）：本地或内置之外年度的放假和调休")
	return cmd
}

var ledgerIDRE = regexp.MustCompile(`^[0-9]+$`)

func runExport(ctx context.Context, g *globalOptions, opts *exportOptions, arg string) error {
	if opts.format == "" {
		return apperr.Usage(fmt.Errorf("请用 --format 指定导出格式：%s", strings.Join(export.Formats, "、")))
	}
	enc, err := export.ParseEncoding(opts.encoding)
	if err != nil {
		return apperr.Usage(err)
	}
	if enc == export.GBK && opts.format != export.FormatCSV && opts.format != export.FormatAnnounce {
		return apperr.Usage(fmt.Errorf("--encoding 只用于 CSV（格式 csv、announce），%s 格式没有 CSV 文件", opts.format))
	}
	cal := workday.Official()
	if opts.holidays != "" {
		if cal, err = workday.Load(opts.holidays); err != nil {
			return err
		}
	}
	loc, err := g.location()
	if err != nil {
		return err
	}

	m, folder, err := loadDrawArg(ctx, g, arg)
	if err != nil {
		return err
	}
	out := opts.out
	if out == "" {
		out = folder
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("创建输出目录: %w", apperr.FromOS(out, err))
	}
	title := opts.planTitle
	if title == "" {
		title = builtinPlanTitle(m)
	}
	xo := export.Options{Encoding: enc, PlanTitle: title, Calendar: cal, Location: loc}
	facts := ledgerFacts(ctx, g, m)
	facts.Apply(&xo)
	if by := facts.Standing; by > 0 && by != m.LedgerID && !g.quiet {
		// Exporting is allowed (an old list is part of the record), publishing it by mistake
		// is what this says.
		fmt.Fprintf(g.stderr, "choucha: 警告: 台账第 %d 条不是任务 %s 第%d轮现行的名单：现行的是第 %d 条（锁定或其后的重抽）；公布请导出第 %d 条\n",
			m.LedgerID, m.Task, m.Round, by, by)
	}
	paths, err := export.Export(ctx, out, m, opts.format, xo, opts.force)
	for _, p := range paths {
		fmt.Fprintln(g.stdout, p)
	}
	var exists *export.ExistsError
	if errors.As(err, &exists) {
		return apperr.Hint(err, "用 --out 目录 写到别处，或确认可以覆盖后加 --force")
	}
	if err != nil {
		return err
	}
	if opts.format == export.FormatResults && !g.quiet {
		if d, err := export.PublicationDeadline(m, cal); err == nil {
			fmt.Fprintf(g.stderr, "结果公示截止日期：%s（检查时间结束后第%d个工作日，按国务院办公厅公布的节假日安排）\n", export.ChineseDate(d.Date), export.ResultWorkdays)
			if n := d.Note(); n != "" {
				fmt.Fprintf(g.stderr, "注意：%s\n", n)
			}
		}
	}
	return nil
}

// loadDrawArg reads the draw named by arg (export's DRAW, replay's argument): a draw folder
// or manifest file, or else a ledger entry ID; a missing ledger is not created. It returns the
// manifest and the folder the exports go to by default.
func loadDrawArg(ctx context.Context, g *globalOptions, arg string) (*draw.Manifest, string, error) {
	return loadDraw(ctx, g, arg, func(e *ledger.Entry, attach func() error, name string) (*draw.Manifest, error) {
		if err := attach(); err != nil {
			return nil, err
		}
		return export.ParseEntry(*e, name)
	})
}

// loadDraw is loadDrawArg with the ledger entry read by parse (draw.EntryDrawnLater for a
// replay, which needs no roster rows), given as ledger.GetLater gives it: parse calls attach
// before it needs the entry's list (a replay, beside reading its roster).
func loadDraw(ctx context.Context, g *globalOptions, arg string, parse func(e *ledger.Entry, attach func() error, name string) (*draw.Manifest, error)) (*draw.Manifest, string, error) {
	if st, err := os.Stat(arg); err == nil {
		m, err := export.LoadDraw(arg)
		if err != nil {
			return nil, "", err
		}
		if st.IsDir() {
			return m, arg, nil
		}
		return m, filepath.Dir(arg), nil
	}
	if !ledgerIDRE.MatchString(arg) {
		return nil, "", apperr.Hint(fmt.Errorf("抽取目录 %s 不存在", arg),
			"DRAW 是 choucha sample 写出的抽取目录，或抽取台账的条目编号（choucha ledger list 可查）")
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return nil, "", apperr.Usage(fmt.Errorf("台账条目编号 %q 无效", arg))
	}
	l, err := openReadOnlyLedger(g)
	if err != nil {
		return nil, "", err
	}
	defer l.Close()
	e, attach, err := l.GetLater(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return nil, "", apperr.Hint(fmt.Errorf("台账 %s 中没有第 %d 条", g.ledgerPath(), id), "用 choucha ledger list 查看条目编号")
	}
	if err != nil {
		return nil, "", err
	}
	if e.Kind != ledger.KindDraw {
		return nil, "", apperr.Hint(fmt.Errorf("台账第 %d 条是锁定记录，不是抽取", id), fmt.Sprintf("导出它锁定的抽取：choucha export %d", e.Target))
	}
	m, err := parse(e, attach, fmt.Sprintf("台账第 %d 条", id))
	if err != nil {
		return nil, "", err
	}
	m.LedgerID = e.ID
	folder := filepath.Join("draws", fmt.Sprintf("%s-r%d-ledger%d", exportFolderName(m.Task), m.Round, e.ID))
	return m, folder, nil
}

// ledgerFacts is export.LedgerFactsOf on the ledger at hand (opened read-only); zero when
// there is none.
func ledgerFacts(ctx context.Context, g *globalOptions, m *draw.Manifest) export.LedgerFacts {
	if m.LedgerID <= 0 {
		return export.LedgerFacts{}
	}
	l, err := ledger.OpenReadOnly(g.ledgerPath())
	if err != nil {
		return export.LedgerFacts{}
	}
	defer l.Close()
	return export.LedgerFactsOf(ctx, l, m)
}

// builtinPlanTitle is the title of the compiled-in plan when the draw used it, else "".
func builtinPlanTitle(m *draw.Manifest) string {
	if !m.Plan.BuiltIn() {
		return ""
	}
	p, err := plan.Embedded()
	if err != nil {
		return ""
	}
	return p.Title
}

// exportFolderName keeps a task key usable as a folder name.
func exportFolderName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "draw"
	}
	return s
}
