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
	"github.com/choucha/choucha/warehouse"
	"github.com/spf13/cobra"
)

type sqlOptions struct {
	plan         planFlags
	task         int
	taskSuffix   string // ".k" or "~d" of a --task 3.2 / 6~2
	round        int
	seed         string
	ratio        string
	window       string
	policy       string
	dialect      string
	district     string
	exclude      string
	earlierTable string
	cols         warehouse.Columns
}

func newSQLCommand(g *globalOptions) *cobra.Command {
	o := &sqlOptions{}
	cmd := &cobra.Command{
		Use:   "sql --task 序号 --seed 种子 --dialect duckdb|spark",
		Short: "生成在数据仓库中执行同一抽取（CHOUCHA-SAMPLE-v1）的 SQL 脚本",
		Long: `把一项任务一轮的 CHOUCHA-SAMPLE-v1 抽取写成一个自成一体的 SQL 脚本，在名录所在的数据平台
（DuckDB、Spark SQL）中直接执行，不必导出名录。脚本的结果与 choucha sample 对同一批企业的抽取
逐项相同：分层、户数、签号、位次、重复、备选，以及抽样框摘要 CHOUCHA-FRAME-v2（docs/ALGORITHM.md 第8节）。

  $ choucha sql --task 292 --seed 20260401123456789012 --dialect duckdb > draw.sql
  $ duckdb -csv 名录库.duckdb < draw.sql > result.csv
  $ choucha sample --task 292 --roster 名录表导出.csv --seed 20260401123456789012 --from-sql-result result.csv

最后一步用 choucha 自己从同一名录重新抽取，逐项核对结果后才记入台账；不一致则拒绝，不记台账。
前几轮已抽中的企业取自台账（与 sample 相同），或用 --exclude 文件、--earlier-table 表给出。
名录表中的代码须是有效、规范的统一社会信用代码或注册号（可先用 choucha roster check 检查）；
分类、登记状态和同一代码的多行按 choucha 读名录的规则处理；代码为空或含 | 时脚本报错停止。DuckDB 方言经测试实际执行；Spark SQL 方言只核对了生成的脚本，未在本机执行。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSQL(cmd.Context(), g, o) },
	}
	f := cmd.Flags()
	addPlanFlags(cmd, &o.plan)
	addTaskFlag(f, &o.task, &o.taskSuffix, "计划中的任务`序号`（必填；分组中的任务写作 3.2）")
	f.IntVar(&o.round, "round", 1, "本年度第几`轮`抽取")
	f.StringVar(&o.seed, "seed", "", "公开随机种子：20–128 位十进制`数字`（必填：抽取在数据平台执行，种子须事先公开）")
	f.StringVar(&o.ratio, "ratio", "", "计划未写比例时使用的抽查比例（`百分数`，可带频次，如 每季度12.5%，与 sample --ratio 相同）")
	f.StringVar(&o.window, "window", "", "计划的抽查时间没有唯一读法时使用的检查起止`时间`（如 3月—11月，与 sample --window 相同；决定全年轮数）")
	f.StringVar(&o.policy, "policy", "", "风险分类抽查政策 YAML `文件`（默认内置）")
	dialects := make([]string, len(warehouse.Dialects))
	for i, d := range warehouse.Dialects {
		dialects[i] = string(d)
	}
	enumVar(f, &o.dialect, "dialect", "", "", "SQL `方言`：duckdb 或 spark（必填）", dialects, nil)
	f.StringVar(&o.cols.Table, "table", "firms", "名录`表`名")
	f.StringVar(&o.cols.Key, "key-col", "统一社会信用代码", "企业代码`列`名")
	f.StringVar(&o.cols.Class, "class-col", "信用风险分类", "信用风险分类`列`名（名录无此列时给空字符串）")
	f.StringVar(&o.cols.District, "district-col", "所属区县", "所属区县`列`名（名录无此列时给空字符串：不按区县筛选）")
	f.StringVar(&o.cols.Status, "status-col", "登记状态", "登记状态`列`名（给空字符串则不排除注销、吊销等企业）")
	f.StringVar(&o.district, "district", "", "只抽该`区县`的企业（默认任务所属区县）")
	f.StringVar(&o.exclude, "exclude", "", "前几轮已抽中的企业代码`文件`（每行一个），本轮排除")
	f.StringVar(&o.earlierTable, "earlier-table", "", "前几轮已抽中企业的`表`（列 key），代替台账和 --exclude")
	return cmd
}

func runSQL(ctx context.Context, g *globalOptions, o *sqlOptions) error {
	switch {
	case o.task <= 0:
		return apperr.Usage(errors.New("请用 --task 指定计划中的任务序号（正整数）"))
	case o.seed == "":
		return apperr.Usage(errors.New("请用 --seed 给出公开的随机种子：抽取在数据平台中执行，种子须在执行前公开"))
	case o.dialect == "":
		return apperr.Usage(errors.New("请用 --dialect 指定 SQL 方言：duckdb 或 spark"))
	case o.round < 1:
		return apperr.Usage(fmt.Errorf("--round 须为正整数，收到 %d", o.round))
	case o.earlierTable != "" && o.exclude != "":
		return apperr.Usage(errors.New("--earlier-table 与 --exclude 只能给出一个"))
	}
	p, err := o.plan.load()
	if err != nil {
		return err
	}
	task, err := draw.DrawTask(p, o.task, o.taskSuffix, time.Now())
	if err != nil {
		return err
	}
	// --ratio and --window as sample takes them: the plan's cap or range, a frequency written
	// with the ratio (每季度12.5%) and the window giving the rounds; a window without a single
	// reading needs --window here too, or the round checked would not be sample's.
	eff, ratioPct, err := task.ApplyOverrides(o.ratio, o.window)
	if err != nil {
		return err
	}
	if err := task.CheckRound(o.round, o.ratio, o.window); err != nil {
		return apperr.Usage(err)
	}
	seed, _, err := draw.Seed(o.seed)
	if err != nil {
		return err
	}
	pol, err := loadPolicyOption(o.policy)
	if err != nil {
		return err
	}
	spec := warehouse.Spec{Dialect: warehouse.Dialect(o.dialect), Seed: seed, Round: o.round, District: o.district,
		EarlierTable: o.earlierTable, Columns: o.cols}
	if o.district == "全部" {
		spec.District, spec.Columns.District = "", ""
	}
	if o.earlierTable == "" && o.round > 1 {
		keys, err := sqlEarlierKeys(ctx, g, task.Key, draw.PlanYear(p, time.Now()), o)
		if err != nil {
			return err
		}
		spec.Earlier = keys
	}
	spec, err = warehouse.ForTask(spec, &eff, pol, ratioPct)
	if err != nil {
		return err
	}
	if spec.Columns.District == "" && task.District != "" && !g.quiet {
		fmt.Fprintf(g.stderr, "choucha: 注意: 未给出区县列，脚本不按任务所属区县（%s）筛选，抽取整张表\n", task.District)
	}
	script, err := warehouse.Script(spec)
	if err != nil {
		return err
	}
	_, err = io.WriteString(g.stdout, script)
	return err
}

// sqlEarlierKeys are the earlier rounds' keys as sample takes them (draw.EarlierKeys): the
// ledger's standing draw of each earlier round, and --exclude. A missing ledger is not created.
// year is the draw's year as sample takes it (draw.PlanYear).
func sqlEarlierKeys(ctx context.Context, g *globalOptions, taskKey string, year int, o *sqlOptions) ([]string, error) {
	keys, undrawn, noLedger, err := draw.EarlierKeys(ctx, g.ledgerPath(), taskKey, o.round, year, o.exclude)
	if err != nil {
		return nil, ledgerOpenError(err)
	}
	switch {
	case g.quiet:
	case noLedger && o.exclude == "":
		fmt.Fprintf(g.stderr, "choucha: 警告: 没有台账 %s，任务 %s 前几轮抽中的企业无法排除（可用 --exclude 或 --earlier-table 给出）\n", g.ledgerPath(), taskKey)
	case !noLedger && len(undrawn) > 0:
		rounds := make([]string, len(undrawn))
		for i, r := range undrawn {
			rounds[i] = strconv.Itoa(r)
		}
		fmt.Fprintf(g.stderr, "choucha: 警告: 台账中没有任务 %s 第%s轮的抽取，这些轮次抽中的企业无法排除\n", taskKey, strings.Join(rounds, "、"))
	}
	return keys, nil
}
