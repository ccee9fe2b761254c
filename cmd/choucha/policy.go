package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/risk"
	"github.com/spf13/cobra"
)

func newPolicyCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "查看抽查策略（信用风险分类递加倍数、检查组人数、备选户数、年度上限）",
		Long: `抽查策略是计划没有写明、由本地确定的规则：按信用风险分类递加的倍数、每户检查组人数、
每层公布的备选户数，以及每户每年的抽查次数上限。程序内置一份默认策略；抽取时可用
--policy 文件 换用本地策略，所用策略记入抽取清单（manifest.json）。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPolicyShowCommand(g))
	return cmd
}

// policyShowOptions are the flags of `choucha policy show`.
type policyShowOptions struct {
	file string
}

func newPolicyShowCommand(g *globalOptions) *cobra.Command {
	opts := &policyShowOptions{}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "以 YAML 显示当前生效的抽查策略",
		Long: `以 YAML 显示当前生效的抽查策略（默认为内置策略，或 --policy 指定的文件经校验后的内容）。
输出可以另存为文件、修改后用 --policy 使用。

  $ choucha policy show
  $ choucha policy show > 本地策略.yaml
  $ choucha policy show --policy 本地策略.yaml

策略文件的规则：version 为 1；multipliers 写全 A、B、C、D 四类，十进制数字串，每个不小于 1，
且 A < B < C < D；team 的 initiator、cooperator 不小于 0，minimum 不小于 2；reserves 不小于 0；
yearly_cap 可不写（不设上限），写了则每类不小于 1。

退出码：
  0  成功
  1  策略文件无法读取或不符合规则
  2  用法错误`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPolicyShow(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.file, "policy", "", "使用策略 `文件`（YAML）而不是内置策略")
	return cmd
}

func runPolicyShow(_ context.Context, g *globalOptions, opts *policyShowOptions) error {
	p, err := loadPolicyOption(opts.file)
	if err != nil {
		return err
	}
	b, err := p.YAML()
	if err != nil {
		return err
	}
	if !g.quiet {
		if opts.file == "" {
			fmt.Fprintln(g.stderr, "内置策略（risk/policy.yaml）：")
		} else {
			fmt.Fprintf(g.stderr, "策略文件 %s：\n", opts.file)
		}
	}
	_, err = g.stdout.Write(b)
	return err
}

// loadPolicyOption returns the policy a --policy flag names: the embedded policy when file
// is "", else the file's policy, validated. Every command with --policy uses it.
func loadPolicyOption(file string) (risk.Policy, error) {
	if file == "" {
		return risk.DefaultPolicy(), nil
	}
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return risk.Policy{}, apperr.Hint(fmt.Errorf("找不到策略文件 %s", file),
				"用 choucha policy show > 策略.yaml 导出内置策略，修改后再用 --policy 指定")
		}
		return risk.Policy{}, fmt.Errorf("打开策略文件: %w", apperr.FromOS(file, err))
	}
	defer f.Close()
	p, err := risk.LoadPolicy(f, file)
	if err != nil {
		return risk.Policy{}, apperr.Hint(err, "用 choucha policy show 查看内置策略的写法")
	}
	return p, nil
}
