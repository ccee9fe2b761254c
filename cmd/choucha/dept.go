package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
	"github.com/spf13/cobra"
)

func newDeptCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dept",
		Short: "把计划中的部门名称对应到执法检查人员名录的所属部门",
	}
	cmd.AddCommand(newDeptMatchCommand(g), newDeptMapCommand(g))
	return cmd
}

// deptMapHelp documents every key of a --dept-map file (dept/synonyms.yaml).
const deptMapHelp = `部门对照表（--dept-map 读取的 YAML）的各项，均可省略：

  version: 1          格式版本，只能是 1
  replace: true       本文件就是完整的对照表；不写时，本文件加在内置对照表之上
                      （其中的别名改归本文件写的部门，其余各项增加）
  departments:        每个标准部门一项：
    - name: 市场监督管理局            标准部门名称（不含地名）
      aliases: [市场监管局, 市场监管部门, 市场监管]
                                      其他写法，包括词干（公安、文旅）；其后的“部门”“行政部门”
                                      “主管部门”“机关”“机构”等通称都算作部门名称的一部分
      merges: [民政局, 人力资源和社会保障局]
                                      合并设置的机构所代表的标准部门（民政和人力资源社会保障局）；
                                      名录中没有同名部门时，计划部门与合并机构互相匹配
      legal: "国家税务总局{district}税务局"
                                      法定名称不是“区县+标准名称”时的写法，{district} 为区县
  cells:              计划中未指明部门的写法的明确含义：
    - text: 市场监管领域相关部门       整个单元格或 dept match 列出的一项（“相关部门”“各乡镇”、
                                      以“等”结尾的整个单元格、“甲或乙”）
      departments: [市场监督管理局, 公安局]
                                      它指的部门；[] 表示不派任何部门。这类写法没有明确含义时，
                                      dept match 标为“须指定”，抽取（sample）拒绝执行。名录中几个
                                      部门同样对得上一个计划部门时，在这里写名录中的全称
                                      （海曙区市场监督管理局执法大队），它就对应名录中的这个部门
  prefixes: [中共, 国家税务总局]    名称前不表示地方的词
  generic: [县, 区, 市]             表示“本区县”的词（县市场局、区消防救援大队）
  districts:                        早期版本的写法，仍可读取：额外的区县及简称
    - {name: 潞州区, short: [潞州]}  （不再需要：计划中各任务的地市和 --district 已作为地名）

区县不来自内置列表：计划各任务的“地市”和 --district 就是地名，连同简称（潞州区→潞州、
万宁市→万宁，高新区↔高新技术产业开发区，经开区↔经济技术开发区）；名称中其他以省、市、州、盟、
地区、县、区、旗、自治…结尾的地名（山西省长治市）也能识别，写了几级地名时以最后一级为区县。`

func newDeptMapCommand(g *globalOptions) *cobra.Command {
	var doPrint bool
	cmd := &cobra.Command{
		Use:   "map --print",
		Short: "写出内置部门对照表（可编辑后用 --dept-map 读取）",
		Long: `把内置的部门对照表以 YAML 写到标准输出，格式与 --dept-map 读取的相同。写出的表含
replace: true，编辑后用 --dept-map 读取时即为完整的对照表（删去的别名不再生效）。

  $ choucha dept map --print > 本地部门对照.yaml
  $ choucha dept match --task 292 --inspectors 名录.xlsx --dept-map 本地部门对照.yaml

` + deptMapHelp + `

退出码：0 已写出；2 用法错误（没有 --print）`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !doPrint {
				return apperr.Usage(apperr.Hint(fmt.Errorf("请用 --print 写出内置部门对照表"), "choucha dept map --print > 部门对照.yaml"))
			}
			_, err := g.stdout.Write(dept.DefaultYAML())
			return err
		},
	}
	cmd.Flags().BoolVar(&doPrint, "print", false, "把内置部门对照表写到标准输出")
	return cmd
}

// deptMatchOptions are the flags of `choucha dept match`.
type deptMatchOptions struct {
	task       int
	taskSuffix string // ".k" or "~d" of a --task 3.2 / 6~2
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
（沁县市场监督管理局）。本命令按部门对照表（去掉地名前缀和股、科等内设机构，再查同义词；
全国通用的部门名称如 市场监管部门、人力资源社会保障部门、消防救援机构 对任何地方都适用）
把任务的每个发起、配合部门对应到执法检查人员名录的所属部门，并给出该部门的人数。
一个单元格写了几个部门（潞州区市场监管、税务、交通运输局）时逐个列出。
列出的就是 sample 用同一 --dept-map 选派检查人员时所用的部门。

“相关部门”“各有关部门”“各乡镇”、以“等”结尾的列举、“甲或乙”不会被自动对应，标为“须指定”：
抽取前须在 --dept-map 的 cells 中写明它指哪些部门。名录中几个部门同样对得上时（名录只按内设机构
列出人员，或同一部门写成两种名称）也标为“须指定”并列出这几个部门，标准错误输出给出可保存为
--dept-map 文件的 cells 条目（departments 写名录中的全称）。

  $ choucha dept match --task 292 --inspectors 沁县执法人员.xlsx
  $ choucha dept match --task 8 --inspectors 潞州区执法人员.xlsx --format json
  $ choucha dept match --task 292 --inspectors 名录.xlsx --dept-map 本地部门对照.yaml

--dept-map 文件与内置对照表格式相同（choucha dept map --print 写出内置表），其内容加在内置表之上：
  departments:
    - name: 乡村振兴局
      aliases: [振兴局, 乡村振兴部门]
  cells:
    - text: 市场监管领域相关部门
      departments: [市场监督管理局]

` + deptMapHelp + `

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
	addTaskFlag(f, &opts.task, &opts.taskSuffix, "计划中任务的 `序号`（分组中的任务写作 3.2）")
	f.StringVar(&opts.inspectors, "inspectors", "", "执法检查人员名录 `文件`（xlsx/xls/csv）")
	addPlanFlags(cmd, &opts.plan)
	f.StringVar(&opts.deptMap, "dept-map", "", "部门对照表 `文件`（YAML，加在内置对照表之上）")
	enumVar(f, &opts.format, "format", "", "table", "输出 `格式`：table 或 json", []string{"table", "json"}, nil)
	return cmd
}

// deptMatchRow is one plan department of the task; its JSON form is the output of
// `choucha dept match --format json`.
type deptMatchRow struct {
	Role       string   `json:"role"` // initiator or cooperator
	Cell       string   `json:"cell"` // the plan cell as written (the cooperators joined with 、)
	Plan       string   `json:"plan"` // one department of the cell
	Dept       string   `json:"dept"` // the roster department; "" when none matched
	Matched    bool     `json:"matched"`
	Flag       string   `json:"flag,omitempty"`       // placeholder, incomplete, alternative or ambiguous: needs a cells entry of --dept-map
	Candidates []string `json:"candidates,omitempty"` // ambiguous: the roster departments that match equally, sorted
	Tie        string   `json:"tie,omitempty"`        // ambiguous: why they tie (spellings, sub_units, districts, other)
	Explicit   bool     `json:"explicit,omitempty"`   // from a cells entry of --dept-map
	None       bool     `json:"none,omitempty"`       // a cells entry says the text means no department
	Inspectors int      `json:"inspectors"`           // inspectors of that roster department
	OnDuty     int      `json:"on_duty"`              // of which 在岗

	match dept.Match // what Resolve said, for the hint of an ambiguous row
}

type deptMatchResult struct {
	Task        string         `json:"task"`
	District    string         `json:"district"`
	Inspectors  string         `json:"inspectors"`
	RosterDepts []string       `json:"roster_depts"`
	Departments []deptMatchRow `json:"departments"`
}

func runDeptMatch(ctx context.Context, g *globalOptions, opts *deptMatchOptions) error {
	if opts.task <= 0 {
		return apperr.Usage(apperr.Hint(fmt.Errorf("请用 --task 给出任务序号"), "用 choucha plan list 查看计划中的任务"))
	}
	if opts.inspectors == "" {
		return apperr.Usage(fmt.Errorf("请用 --inspectors 给出执法检查人员名录文件"))
	}
	p, err := opts.plan.load()
	if err != nil {
		return err
	}
	t, err := p.TaskRef(opts.task, opts.taskSuffix)
	if err != nil {
		return err
	}
	m, err := loadDeptMap(opts.deptMap)
	if err != nil {
		return err
	}
	list, _, err := roster.ReadInspectors(ctx, opts.inspectors, roster.Options{})
	if err != nil {
		return err
	}
	res := matchTaskDepts(m, p, t, list)
	res.Inspectors = opts.inspectors

	count := map[string]int{}
	for _, in := range list {
		count[in.Dept]++
	}
	var unmatched []string
	var ambiguous []deptMatchRow
	flagged := 0
	for _, r := range res.Departments {
		switch {
		case r.Flag == string(dept.Ambiguous):
			ambiguous = append(ambiguous, r)
		case r.Flag != "":
			flagged++
		case !r.Matched && !r.None:
			unmatched = append(unmatched, "「"+r.Plan+"」")
		}
	}
	if !g.quiet {
		district := t.District
		if district == "" {
			district = "计划中未写，可用 --plan-district 给出"
		}
		if len(unmatched) > 0 {
			fmt.Fprintf(g.stderr, "choucha: 提示: 计划部门%s在名录 %s 中没有对应部门（任务 %s 的区县：%s）；名录中的部门：%s\n",
				strings.Join(unmatched, ""), opts.inspectors, t.Key, district, joinOr(res.RosterDepts, "（无）"))
		}
		if flagged > 0 {
			fmt.Fprintf(g.stderr, "choucha: 提示: %d 处计划写法未指明部门（相关部门、等、或），抽取前须在 --dept-map 的 cells 中写明（见 choucha dept map --help）\n", flagged)
		}
		for _, r := range ambiguous {
			// Unprefixed after the first line, so that the cells entry can be copied as it is.
			fmt.Fprintf(g.stderr, "choucha: 提示: 计划部门「%s」同样对得上名录中的 %d 个部门（%s），抽取会拒绝执行。%s\n",
				r.Plan, len(r.Candidates), r.match.TiedList(count), strings.TrimSuffix(r.match.Remedy(count), "\n"))
		}
		if len(unmatched) > 0 {
			first := strings.Trim(unmatched[0], "「」")
			fmt.Fprintf(g.stderr, "choucha: 提示: 名录中其他区县的同名部门不会对上。若名录中有该部门而名称写法不同，在 --dept-map 文件中写明它是名录中的哪个部门，例如：\n"+
				"  cells:\n    - text: %s\n      departments: [名录中该部门的全称]\n"+
				"（text 照抄上表“计划部门”列，见 choucha dept map --help）\n", first)
		}
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
		switch {
		case r.Flag == string(dept.Ambiguous):
			d, n = "须指定（同样对得上几个部门）："+strings.Join(r.Candidates, "、"), "-"
		case r.Flag != "":
			d, n = "须指定："+dept.Flag(r.Flag).Note(), "-"
		case r.None:
			d, n = "（对照表：不派人）", "-"
		case !r.Matched:
			d, n = "未匹配", "-"
		}
		rows = append(rows, []string{role, r.Plan, d, n})
	}
	fmt.Fprintf(g.stdout, "任务 %s %s（%s）\n", t.Key, t.Name, t.District)
	return printTable(g.stdout, []string{"角色", "计划部门", "名录部门", "人数"}, rows)
}

// matchTaskDepts is dept.Resolve over the task's cells in the plan's districts, with the
// roster's inspector counts: the very departments a draw with the same map assigns from.
func matchTaskDepts(m dept.Map, p *plan.Plan, t *plan.Task, list []roster.Inspector) deptMatchResult {
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
	sc := dept.Scope{Districts: p.Districts(), District: t.District}
	for _, r := range m.Resolve(sc, dept.TaskCells(t.Initiator, t.DeptCells()), rosterDepts) {
		row := deptMatchRow{Role: r.Role, Cell: r.Cell, Plan: r.Text, Flag: string(r.Flag), Candidates: r.Candidates, Tie: string(r.Tie),
			Explicit: r.Explicit, None: r.Explicit && r.Dept == "" && r.Flag == "", match: r}
		if r.Roster != "" {
			row.Dept, row.Matched, row.Inspectors, row.OnDuty = r.Roster, true, count[r.Roster], onDuty[r.Roster]
		}
		res.Departments = append(res.Departments, row)
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
		return dept.Map{}, fmt.Errorf("读取部门对照表: %w", apperr.FromOS(path, err))
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
