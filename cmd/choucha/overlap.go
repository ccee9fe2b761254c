package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/overlap"
	"github.com/choucha/choucha/sampler"
	"github.com/spf13/cobra"
)

// overlapOptions are the flags of `choucha overlap`.
type overlapOptions struct {
	year     int
	district string
	format   string
	out      string
}

func newOverlapCommand(g *globalOptions) *cobra.Command {
	opts := &overlapOptions{}
	cmd := &cobra.Command{
		Use:   "overlap",
		Short: "一业一查：找出一年中被几个任务抽中、检查时间重叠的企业，建议合并为一次联合检查",
		Long: `读取抽取台账中一年的抽取（每个任务每一轮取已锁定的那次，没有锁定的取最近一次；
放弃的重新抽取不算），找出被两个以上任务（或轮次）抽中、且检查时间有重叠的企业，
给出建议的联合检查：共同的检查时间（各任务时间的交集）、合并的检查事项、
由各任务已选派人员组成的一个检查组。只在时间上不重叠的抽取不列出。

一个任务的各轮次都按该任务的抽查检查起止时间计算（计划没有分轮次的时间）。
三个以上任务依次首尾相接、没有共同月份时（1–3月、3–6月、6–9月），
按最早结束的时间分成最少的几组，每组都有共同月份；同一企业因此可能列出两次。

同时列出抽取次数超过年度检查上限的企业（上限取最近一次抽取所用的政策
yearly_cap，按企业在最近一次抽取时的信用风险分类）；它们仍在名单中，只作提示。

  $ choucha overlap --year 2026 --district 沁县
  $ choucha overlap --format json
  $ choucha overlap --format xlsx --out 联合检查.xlsx

--format json 输出一个列表，每个联合检查一项：
  [{"key":"…","name":"…","tasks":["CZ2026-278","CZ2026-283"],
    "rounds":[{"task":"CZ2026-278","round":1},{"task":"CZ2026-283","round":1}],"window":{"from":5,"to":6}}]
tasks 是不同的任务编号（同一任务的两轮只列一次），rounds 是合并的每一轮抽取（任务和轮次）。
csv（UTF-8 带 BOM）和 xlsx 给检查人员使用；xlsx 另有“超过年度上限”工作表。

退出码：
  0  成功（没有重叠也是成功）
  1  台账无法读取
  2  用法错误`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runOverlap(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.year, "year", 0, "计划 `年度`（默认台账中最近的年度）")
	f.StringVar(&opts.district, "district", "", "只看该 `区县` 的任务")
	enumVar(f, &opts.format, "format", "", "table", "输出 `格式`：table、json、csv 或 xlsx", []string{"table", "json", "csv", "xlsx"}, nil)
	f.StringVar(&opts.out, "out", "", "写入 `文件`（xlsx 必须给出；其他格式默认写到标准输出）")
	return cmd
}

// overlapJSON is one entry of `choucha overlap --format json` (a published interface).
type overlapJSON struct {
	Key   string   `json:"key"`
	Name  string   `json:"name"`
	Tasks []string `json:"tasks"` // distinct task keys
	// Rounds are the task rounds joined, in visit order: rounds 1 and 2 of one task are
	// one entry of Tasks and two of Rounds.
	Rounds []overlap.Ref     `json:"rounds"`
	Window overlapJSONWindow `json:"window"`
}

type overlapJSONWindow struct {
	From int `json:"from"`
	To   int `json:"to"`
}

func runOverlap(ctx context.Context, g *globalOptions, opts *overlapOptions) error {
	if opts.format == "xlsx" && opts.out == "" {
		return apperr.Usage(errors.New("--format xlsx 需要用 --out 给出文件名"))
	}
	if opts.year < 0 {
		return apperr.Usage(fmt.Errorf("--year %d 无效", opts.year))
	}
	draws, year, err := overlapDraws(ctx, g, opts)
	if err != nil {
		return err
	}
	groups := overlap.Find(draws)
	caps := map[string]int(nil)
	if len(draws) > 0 {
		caps = draws[len(draws)-1].Policy.YearlyCap
	}
	excess := overlap.OverCap(draws, caps)

	if !g.quiet {
		fmt.Fprintf(g.stderr, "choucha: %d年 %d 次抽取，%d 处可合并为联合检查，%d 户超过年度检查上限\n",
			year, len(draws), len(groups), len(excess))
	}
	write := func(fn func(w io.Writer) error) error {
		if opts.out == "" {
			return fn(g.stdout)
		}
		if err := export.WriteFileAtomic(opts.out, fn); err != nil {
			return fmt.Errorf("写入 %s: %w", opts.out, err)
		}
		if !g.quiet {
			fmt.Fprintf(g.stderr, "choucha: 已写入 %s\n", opts.out)
		}
		return nil
	}
	switch opts.format {
	case "json":
		if len(excess) > 0 && !g.quiet {
			for _, e := range excess {
				fmt.Fprintf(g.stderr, "choucha: 提示: %s %s 本年已被抽取 %d 次，超过年度上限 %d 次\n", e.Key, e.Name, e.Count, e.Cap)
			}
		}
		list := make([]overlapJSON, 0, len(groups))
		for _, gr := range groups {
			rounds := make([]overlap.Ref, 0, len(gr.Visits))
			for _, v := range gr.Visits {
				rounds = append(rounds, overlap.Ref{Task: v.Task, Round: v.Round})
			}
			list = append(list, overlapJSON{Key: gr.Key, Name: gr.Name, Tasks: gr.Tasks, Rounds: rounds,
				Window: overlapJSONWindow{From: gr.Window.From, To: gr.Window.To}})
		}
		return write(func(w io.Writer) error { return writeJSON(w, list) })
	case "csv":
		h, rows := overlapRows(groups)
		return write(func(w io.Writer) error { return export.WriteCSV(w, export.UTF8, h, rows) })
	case "xlsx":
		return write(func(w io.Writer) error { return writeOverlapXLSX(ctx, w, groups, excess) })
	}
	return write(func(w io.Writer) error {
		rows := make([][]string, 0, len(groups))
		for _, gr := range groups {
			var tasks []string
			for _, v := range gr.Visits {
				tasks = append(tasks, visitLabel(v)+" "+overlap.WindowText(v.Window.From, v.Window.To))
			}
			rows = append(rows, []string{gr.Key, gr.Name, strings.Join(tasks, "\n"), gr.Window.Text,
				strings.Join(gr.Depts, "\n"), teamText(gr.Team)})
		}
		if err := printTable(w, []string{"统一社会信用代码", "企业名称", "抽查任务及时间", "联合检查时间", "部门", "检查组"}, rows); err != nil {
			return err
		}
		if len(excess) == 0 {
			return nil
		}
		fmt.Fprintln(w, "\n超过年度检查上限：")
		h, rows := excessRows(excess)
		return printTable(w, h, rows)
	})
}

// overlapDraws reads the draws the report covers (overlap.YearDraws).
func overlapDraws(ctx context.Context, g *globalOptions, opts *overlapOptions) ([]*draw.Manifest, int, error) {
	l, err := openReadOnlyLedger(g)
	if err != nil {
		return nil, 0, err
	}
	defer l.Close()
	return overlap.YearDraws(ctx, l, opts.year, opts.district)
}

func visitLabel(v overlap.Visit) string {
	if v.Round > 1 {
		return fmt.Sprintf("%s（第%d轮）", v.Task, v.Round)
	}
	return v.Task
}

func teamText(team []sampler.Member) string {
	var parts []string
	for _, m := range team {
		parts = append(parts, fmt.Sprintf("%s（%s，%s）", m.Name, m.ID, m.Dept))
	}
	return strings.Join(parts, "\n")
}

// overlapRows is the field team's list: one row per joint visit.
func overlapRows(groups []overlap.Group) ([]string, [][]string) {
	h := []string{"统一社会信用代码", "企业名称", "区县", "抽查任务", "各任务检查时间", "联合检查时间", "部门", "检查事项", "检查组"}
	rows := make([][]string, 0, len(groups))
	for _, gr := range groups {
		var tasks, windows []string
		for _, v := range gr.Visits {
			tasks = append(tasks, visitLabel(v)+" "+v.TaskName)
			windows = append(windows, visitLabel(v)+" "+overlap.WindowText(v.Window.From, v.Window.To))
		}
		rows = append(rows, []string{gr.Key, gr.Name, gr.District, strings.Join(tasks, "\n"), strings.Join(windows, "\n"),
			gr.Window.Text, strings.Join(gr.Depts, "、"), strings.Join(gr.Items, "\n"), teamText(gr.Team)})
	}
	return h, rows
}

func excessRows(excess []overlap.CapExcess) ([]string, [][]string) {
	h := []string{"统一社会信用代码", "企业名称", "年度上限", "抽取次数", "抽中的任务", "超出上限的抽取"}
	rows := make([][]string, 0, len(excess))
	refs := func(rs []overlap.Ref) string {
		var s []string
		for _, r := range rs {
			s = append(s, visitLabel(overlap.Visit{Task: r.Task, Round: r.Round}))
		}
		return strings.Join(s, "、")
	}
	for _, e := range excess {
		rows = append(rows, []string{e.Key, e.Name, strconv.Itoa(e.Cap), strconv.Itoa(e.Count), refs(e.Draws), refs(e.Over)})
	}
	return h, rows
}

func writeOverlapXLSX(ctx context.Context, w io.Writer, groups []overlap.Group, excess []overlap.CapExcess) error {
	h1, r1 := overlapRows(groups)
	h2, r2 := excessRows(excess)
	return export.WriteTablesXLSX(ctx, w, export.Table{Name: "联合检查", Header: h1, Rows: r1},
		export.Table{Name: "超过年度上限", Header: h2, Rows: r2})
}
