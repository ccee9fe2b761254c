package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes, documented in the root command's help.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// version is the tool version recorded in every manifest; set by -ldflags at release.
var version = "0.1.0-dev"

// globalOptions are the flags every command shares, and the streams it writes to.
// stdout is data (tables, lists, JSON); stderr is talk (progress, warnings, errors).
type globalOptions struct {
	stdout io.Writer
	stderr io.Writer
	quiet  bool
	db     string // ledger path: --db, else $CHOUCHA_DB, else choucha.db
}

// usageError marks an error in how the command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// hintError carries a hint line: what the user should do next.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

// withHint wraps err so that the hint is printed after it as `choucha: 提示: …`.
func withHint(err error, hint string) error { return hintError{err: err, hint: hint} }

// run is the whole program: main only maps its result to an exit code. Tests call run.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globalOptions{stdout: stdout, stderr: stderr}
	root := newRootCommand(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	printError(stderr, err)
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case isUsage(err):
		return exitUsage
	default:
		return exitFailure
	}
}

// printError prints err in the one message style of the tool:
// `choucha: 错误: …` then any `choucha: 提示: …` lines.
func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "choucha: 错误: %s\n", strings.TrimSpace(err.Error()))
	var h hintError
	if errors.As(err, &h) && h.hint != "" {
		for _, line := range strings.Split(h.hint, "\n") {
			fmt.Fprintf(w, "choucha: 提示: %s\n", line)
		}
	}
}

func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	// Cobra's own flag and argument errors are plain errors; recognise them by text.
	msg := err.Error()
	for _, p := range []string{"unknown flag", "unknown command", "unknown shorthand", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func newRootCommand(g *globalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "choucha",
		Short: "双随机、一公开：按公开种子抽取检查对象和执法检查人员，留痕可复核",
		Long: `choucha 按年度部门联合双随机抽查工作计划，从检查对象名录库中按信用风险分类分层随机抽取
市场主体，从各参与部门的执法检查人员名录库中随机选派检查人员；每次抽取都由公开种子决定、
可由任何人复算，并记入防篡改的抽取台账。

内置计划：长治市2026年度部门联合双随机抽查工作计划（计划编号 CZ2026）。

退出码：
  0    成功
  1    失败（输入有误、抽取失败、台账校验不通过等）
  2    用法错误（参数或选项有误）
  130  被中断（Ctrl-C）`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version,
	}
	root.SetVersionTemplate("choucha {{.Version}}\n")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "不在标准错误输出进度和提示")
	root.PersistentFlags().StringVar(&g.db, "db", "", "抽取台账数据库 `文件`（默认 $CHOUCHA_DB 或当前目录下 choucha.db）")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newPlanCommand(g),
		newRosterCommand(g),
		newPolicyCommand(g),
		newDeptCommand(g),
		newSampleCommand(g),
		newLedgerCommand(g),
		newReplayCommand(g),
		newExportCommand(g),
		newOverlapCommand(g),
	)
	return root
}
