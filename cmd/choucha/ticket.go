package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
	"github.com/spf13/cobra"
)

// ticketOptions are the flags of `choucha ticket`.
type ticketOptions struct {
	seed, task, key, id string
	round               int
	assign              bool
	badChecksum         bool
	plan                planFlags
}

func newTicketCommand(g *globalOptions) *cobra.Command {
	o := &ticketOptions{}
	cmd := &cobra.Command{
		Use:   "ticket --seed 种子 --task 任务 --round 轮次 --key 代码",
		Short: "计算一户市场主体的签号（或一名检查人员的选派签号），核对公告",
		Long: `按公开算法计算一个签号并输出，用来核对公告中的名单，不读名录、不写台账。

  $ choucha ticket --seed 20260401123456789012 --task CZ2026-292 --round 1 --key 91140430MA9A3GNL0Y
  000ee787cf354e17bb1fb1cfacaec02b274937341690d7c3e17143b3e8e6ea88
  $ choucha ticket --assign --seed 20260401123456789012 --task CZ2026-292 --key 91140430MA9A3GNL0Y --id 1404307673612

签号是“CHOUCHA-SAMPLE-v1|种子|任务编号|轮次|代码”的 SHA-256（小写十六进制）；--assign 时是
“CHOUCHA-ASSIGN-v1|种子|任务编号|轮次|代码|执法证号”的 SHA-256（见 docs/ALGORITHM.md）。
--task 写任务编号（如 CZ2026-292，计划编号不分大小写）或序号（292、分组中的 3.2），须是计划中的任务：
默认内置计划，其他计划用 --plan 文件 读取。--key 按读名录时的同一规则规范化（全角转半角、去空白、
字母转大写），所以 91140430ma9a3gnl0y 与名录中的 91140430MA9A3GNL0Y 是同一户；校验位不符的统一社会信用
代码和15位注册号被拒绝并指出应有的校验位（名录中确有这样的统一社会信用代码时，抽取照样保留它，
此时加 --allow-bad-checksum）。
--id 同样规范化。标准错误输出同一签号的 sha256sum 和 Windows PowerShell 复算命令。

标准输出：签号，一行。

退出码：
  0  已计算
  1  --plan 的计划文件无法读取
  2  用法错误（种子、任务编号、轮次或代码无效；任务不在计划中；代码校验位不符）`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTicket(cmd.Context(), g, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.seed, "seed", "", "公告中的随机 `种子`")
	f.StringVar(&o.task, "task", "", "抽查任务 `编号`（如 CZ2026-292；只写序号指内置计划）")
	f.IntVar(&o.round, "round", 1, "抽取 `轮次`")
	f.StringVar(&o.key, "key", "", "市场主体的统一社会信用代码或注册号（`代码`）")
	f.BoolVar(&o.assign, "assign", false, "计算检查人员选派签号（CHOUCHA-ASSIGN-v1，需 --id）")
	f.StringVar(&o.id, "id", "", "检查人员的执法证号（`证号`，与 --assign 一起用）")
	f.BoolVar(&o.badChecksum, "allow-bad-checksum", false, "计算校验位不符的代码的签号（名录中保留了这样的统一社会信用代码时）")
	addPlanFlags(cmd, &o.plan)
	return cmd
}

func runTicket(_ context.Context, g *globalOptions, o *ticketOptions) error {
	for _, req := range []struct{ name, v string }{{"--seed", o.seed}, {"--task", o.task}, {"--key", o.key}} {
		if strings.TrimSpace(req.v) == "" {
			return apperr.Usage(fmt.Errorf("请给出 %s", req.name))
		}
	}
	if o.assign != (o.id != "") {
		if o.assign {
			return apperr.Usage(fmt.Errorf("--assign 需要 --id 执法证号"))
		}
		return apperr.Usage(fmt.Errorf("--id 只与 --assign 一起使用"))
	}
	seed, err := sampler.NormalizeSeed(o.seed)
	if err != nil {
		return apperr.Usage(err)
	}
	p, err := o.plan.load()
	if err != nil {
		return err
	}
	t, err := ticketTask(p, o.task)
	if err != nil {
		return err
	}
	task := t.Key
	// The key a roster row is drawn under: a lower-case or full-width code typed here would
	// otherwise hash to another ticket than the draw's.
	key, err := roster.ParseKey(o.key)
	var bad *roster.ChecksumError
	switch {
	case errors.As(err, &bad) && !o.badChecksum:
		return apperr.Hint(apperr.Usage(fmt.Errorf("--key: %w", err)),
			"请核对代码；若公告中的代码确实如此（名录中校验位不符的统一社会信用代码照样抽取），加 --allow-bad-checksum 计算它的签号")
	case err != nil && !errors.As(err, &bad):
		return apperr.Usage(fmt.Errorf("--key: %w", err))
	}
	id := roster.CanonicalKey(o.id) // as the inspector roster reads 执法证号
	keys := []string{key}
	if o.assign {
		keys = append(keys, id)
	}
	if err := sampler.CheckTicketInputs(seed, task, o.round, keys...); err != nil {
		return apperr.Usage(err)
	}
	var ticket, msg string
	if o.assign {
		ticket = sampler.AssignTicket(seed, task, o.round, key, id)
		msg = export.TicketMessage(sampler.AssignSpec, seed, task, o.round, key) + "|" + id
	} else {
		ticket = sampler.Ticket(seed, task, o.round, key)
		msg = export.TicketMessage(sampler.SampleSpec, seed, task, o.round, key)
	}
	if !g.quiet {
		fmt.Fprintf(g.stderr, "签号的原文：%s\n", msg)
		fmt.Fprintf(g.stderr, "Linux/macOS 复算：%s\n", export.ShellRecipe(msg))
		fmt.Fprintf(g.stderr, "Windows PowerShell 复算：%s\n", export.PowerShellRecipe(msg))
	}
	fmt.Fprintln(g.stdout, ticket)
	return nil
}

// ticketTask is the task --task names in p: a task key (CZ2026-292, the plan's ID in any
// case) or a 序号 as sample's --task takes it (292, 3.2, 6~2).
func ticketTask(p *plan.Plan, s string) (*plan.Task, error) {
	ref := strings.TrimSpace(s)
	if len(ref) > len(p.ID) && strings.EqualFold(ref[:len(p.ID)+1], p.ID+"-") {
		ref = ref[len(p.ID)+1:]
	}
	seq, suffix, err := plan.ParseTaskRef(ref)
	if err != nil {
		if strings.Contains(ref, "-") {
			return nil, apperr.Hint(apperr.Usage(fmt.Errorf("任务“%s”不是计划 %s 的任务编号", strings.TrimSpace(s), p.ID)),
				fmt.Sprintf("任务编号写作 %s-序号；其他计划的任务用 --plan 文件 读取该计划", p.ID))
		}
		return nil, apperr.Usage(err)
	}
	t, err := p.TaskRef(seq, suffix)
	if err != nil {
		return nil, apperr.Usage(err)
	}
	return t, nil
}
