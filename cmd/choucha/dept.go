package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
	"github.com/spf13/cobra"
)

func newDeptCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dept",
		Short: "把计划中的部门名称对应到执法检查人员名录的所属部门",
	}
	cmd.AddCommand(newDeptMatchCommand(g))
	return cmd
}

// deptMatchOptions are the flags of `choucha dept match`.
type deptMatchOptions struct {
	task       int
	inspectors string
	plan       planFlags
	deptMap    string
	format     string
}

func newDeptMatchCommand(g *globalOptions) *cobra.Command {
	opts := &deptMatchOptions{}
	cmd := &cobra.Command{
		Use:   "match --task N --inspectors FILE",
		Short: "显示任务的每个发起、配合部门对应名录中的哪个部门",
		Long: `计划中的部门名称写法不一（沁县市场监管局价监股、县市场局、市场监管部门），名录中是全称
（沁县市场监督管理局）。本命令按内置部门对照表（去掉市、区县前缀和股、科等内设机构，再查同义词）
把任务的每个发起、配合部门对应到执法检查人员名录的所属部门，并给出该部门的人数。
一个单元格写了几个部门（潞州区市场监管、税务、交通运输局）时逐个列出。

  $ choucha dept match --task 292 --inspectors 沁县执法人员.xlsx
  $ choucha dept match --task 8 --inspectors 潞州区执法人员.xlsx --format json
  $ choucha dept match --task 292 --inspectors 名录.xlsx --dept-map 本地部门对照.yaml

--dept-map 文件与内置对照表（dept/synonyms.yaml）格式相同，其内容加在内置表之上：
  departments:
    - name: 乡村振兴局
      aliases: [振兴局, 乡村振兴部门]

退出码：
  0  已列出（未匹配的部门标为“未匹配”，并在标准错误输出提示）
  1  计划、名录或对照表无法读取，或没有该任务
  2  用法错误`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDeptMatch(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.task, "task", 0, "计划中任务的 `序号`")
	f.StringVar(&opts.inspectors, "inspectors", "", "执法检查人员名录 `文件`（xlsx/csv）")
	addPlanFlags(cmd, &opts.plan)
	f.StringVar(&opts.deptMap, "dept-map", "", "部门对照表 `文件`（YAML，加在内置对照表之上）")
	f.StringVar(&opts.format, "format", "table", "输出格式：`table` 或 json")
	return cmd
}

// deptMatchRow is one plan department of the task; its JSON form is the output of
// `choucha dept match --format json`.
type deptMatchRow struct {
	Role       string `json:"role"` // initiator or cooperator
	Cell       string `json:"cell"` // the plan cell as written
	Plan       string `json:"plan"` // one department of the cell
	Dept       string `json:"dept"` // the roster department; "" when none matched
	Matched    bool   `json:"matched"`
	Inspectors int    `json:"inspectors"` // inspectors of that roster department
	OnDuty     int    `json:"on_duty"`    // of which 在岗
}

type deptMatchResult struct {
	Task        string         `json:"task"`
	District    string         `json:"district"`
	Inspectors  string         `json:"inspectors"`
	RosterDepts []string       `json:"roster_depts"`
	Departments []deptMatchRow `json:"departments"`
}

func runDeptMatch(ctx context.Context, g *globalOptions, opts *deptMatchOptions) error {
	if opts.format != "table" && opts.format != "json" {
		return usageError{fmt.Errorf("--format 只能是 table 或 json，而不是“%s”", opts.format)}
	}
	if opts.task <= 0 {
		return usageError{withHint(fmt.Errorf("请用 --task 给出任务序号"), "用 choucha plan list 查看计划中的任务")}
	}
	if opts.inspectors == "" {
		return usageError{fmt.Errorf("请用 --inspectors 给出执法检查人员名录文件")}
	}
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	t, err := p.Task(opts.task)
	if err != nil {
		return err
	}
	m, err := loadDeptMap(opts.deptMap)
	if err != nil {
		return err
	}
	list, _, err := roster.ReadInspectors(ctx, opts.inspectors, roster.Options{})
	if err != nil {
		return rosterError(err)
	}
	res := matchTaskDepts(m, t, list)
	res.Inspectors = opts.inspectors

	unmatched := 0
	for _, r := range res.Departments {
		if !r.Matched {
			unmatched++
		}
	}
	if unmatched > 0 && !g.quiet {
		fmt.Fprintf(g.stderr, "choucha: 提示: %d 个计划部门在名录 %s 中没有对应部门；名录中的部门：%s\n",
			unmatched, opts.inspectors, joinOr(res.RosterDepts, "（无）"))
		fmt.Fprintf(g.stderr, "choucha: 提示: 名称写法不同的，可用 --dept-map 文件补充对照（见 choucha dept match --help）\n")
	}
	if opts.format == "json" {
		return writeJSON(g.stdout, res)
	}
	rows := make([][]string, 0, len(res.Departments))
	for _, r := range res.Departments {
		role := "配合"
		if r.Role == "initiator" {
			role = "发起"
		}
		d, n := r.Dept, strconv.Itoa(r.Inspectors)
		if !r.Matched {
			d, n = "未匹配", "-"
		}
		rows = append(rows, []string{role, r.Plan, d, n})
	}
	fmt.Fprintf(g.stdout, "任务 %s %s（%s）\n", t.Key, t.Name, t.District)
	return printTable(g.stdout, []string{"角色", "计划部门", "名录部门", "人数"}, rows)
}

// matchTaskDepts matches each department of the task (initiator, then cooperators, each
// cell expanded by Split) to the roster's departments, in the task's district.
func matchTaskDepts(m dept.Map, t *plan.Task, list []roster.Inspector) deptMatchResult {
	count, onDuty := map[string]int{}, map[string]int{}
	for _, in := range list {
		count[in.Dept]++
		if in.OnDuty {
			onDuty[in.Dept]++
		}
	}
	rosterDepts := make([]string, 0, len(count))
	for d := range count {
		rosterDepts = append(rosterDepts, d)
	}
	sort.Strings(rosterDepts)
	res := deptMatchResult{Task: t.Key, District: t.District, RosterDepts: rosterDepts, Departments: []deptMatchRow{}}
	add := func(role, cell string) {
		for _, name := range m.Split(cell) {
			r := deptMatchRow{Role: role, Cell: cell, Plan: name}
			if d, ok := m.MatchIn(name, t.District, rosterDepts); ok {
				r.Dept, r.Matched, r.Inspectors, r.OnDuty = d, true, count[d], onDuty[d]
			}
			res.Departments = append(res.Departments, r)
		}
	}
	if t.Initiator != "" {
		add("initiator", t.Initiator)
	}
	for _, c := range t.Cooperators {
		add("cooperator", c)
	}
	return res
}

// loadDeptMap reads --dept-map over the embedded table, or returns the embedded table.
func loadDeptMap(path string) (dept.Map, error) {
	if path == "" {
		return dept.DefaultMap(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return dept.Map{}, fmt.Errorf("读取部门对照表: %w", err)
	}
	defer f.Close()
	return dept.LoadMap(f, path)
}

func joinOr(list []string, empty string) string {
	if len(list) == 0 {
		return empty
	}
	s := ""
	for i, x := range list {
		if i > 0 {
			s += "、"
		}
		s += x
	}
	return s
}
