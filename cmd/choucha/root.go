package main

import (
	"context"
	"errors"
	"fmt"
	"golang.org/x/term"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/spf13/cobra"
)

// Exit codes, documented in the root command's help.
const (
	exitOK          = 0
	exitFailure     = apperr.CodeFailure
	exitUsage       = apperr.CodeUsage
	exitInterrupted = apperr.CodeInterrupted
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
	tz     string // --tz: zone of times shown to people (stored times are UTC)
	// ttyErr is stderr itself when it is a terminal (for the progress bar, which draws with
	// control characters); stderr is then a termWriter.
	ttyErr *os.File
}

// run is the whole program: main only maps its result to an exit code. Tests call run.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globalOptions{stdout: stdout, stderr: stderr}
	// On a terminal, text from user files is shown with its control and bidi characters
	// escaped (termEscape); in a pipe or file the bytes stay as they are.
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		g.stdout = &termWriter{w: stdout}
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		g.stderr, g.ttyErr = &termWriter{w: stderr}, f
	}
	stdout, stderr = g.stdout, g.stderr
	root := newRootCommand(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := unknownCommand(root, args)
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if err == nil {
		return exitOK
	}
	printError(stderr, err)
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return apperr.CodeInterrupted
	}
	return apperr.CodeOf(err)
}

// printError prints err in the one message style of the tool:
// `choucha: 错误: …` then any `choucha: 提示: …` lines; a hint's indented lines (an example
// to copy, such as a --dept-map entry) are printed as they are.
func printError(w io.Writer, err error) {
	msg := strings.TrimSpace(err.Error())
	// An interrupted run ends in context.Canceled, whose text is Go's English.
	msg = strings.ReplaceAll(msg, context.Canceled.Error(), "已中断（收到 Ctrl-C 或终止信号），没有写出一半的文件")
	msg = strings.ReplaceAll(msg, context.DeadlineExceeded.Error(), "超过时间限制，已停止")
	hint := apperr.HintOf(err)
	if apperr.IsUsage(err) {
		msg = chineseUsage(msg)
		if hint == "" {
			hint = "用 choucha --help 或 choucha <命令> --help 查看用法"
		}
	}
	// Messages quote user files (a cell, a header): escaped and cut like table cells.
	fmt.Fprintf(w, "choucha: 错误: %s\n", cutRunes(termEscape(msg), 2000))
	if hint != "" {
		for i, line := range strings.Split(hint, "\n") {
			if i > 0 && strings.HasPrefix(line, "  ") {
				// An example to copy (a --dept-map entry): indented, without the prefix.
				fmt.Fprintf(w, "%s\n", cutRunes(termEscape(line), 2000))
				continue
			}
			fmt.Fprintf(w, "choucha: 提示: %s\n", cutRunes(termEscape(line), 2000))
		}
	}
}

// cobraMessages turn the English errors of Cobra's argument checks (cobra.ExactArgs…) into
// the tool's language; flag errors are translated by type (flagError).
var cobraMessages = []struct {
	re   *regexp.Regexp
	tmpl string
}{
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "该命令需要 $1 个参数，收到 $2 个"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "该命令最多 $1 个参数，收到 $2 个"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "该命令至少需要 $1 个参数，只收到 $2 个"},
}

func chineseUsage(msg string) string {
	for _, m := range cobraMessages {
		if m.re.MatchString(msg) {
			return m.re.ReplaceAllString(msg, m.tmpl)
		}
	}
	return msg
}

// usageTemplate is Cobra's usage text in Chinese.
const usageTemplate = `用法：{{if .Runnable}}
  {{useLine .UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} <命令>{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{flagUsages .LocalFlags}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{flagUsages .InheritedFlags}}{{end}}{{if .HasAvailableSubCommands}}

用 "{{.CommandPath}} <命令> --help" 查看各命令的说明。{{end}}
`

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
	addTemplateFuncs()
	root.SetUsageTemplate(usageTemplate)
	root.PersistentFlags().BoolP("help", "h", false, "显示帮助")
	root.Flags().BoolP("version", "v", false, "显示版本")
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示某个命令的说明",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil {
				return apperr.Usage(fmt.Errorf("没有命令“%s”", strings.Join(args, " ")))
			}
			return cmd.Help()
		},
	})
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "不在标准错误输出进度和提示")
	root.PersistentFlags().StringVar(&g.db, "db", "", "抽取台账数据库 `文件`（默认 $CHOUCHA_DB 或当前目录下 choucha.db）")
	root.PersistentFlags().StringVar(&g.tz, "tz", defaultTZ, "显示时间所用的 `时区`（台账和清单中存的是 UTC）")
	root.SetFlagErrorFunc(flagError)
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
		newTicketCommand(g),
		newServeCommand(g),
		newSQLCommand(g),
	)
	registerCompletions(root)
	usageArgs(root)
	return root
}

// usageArgs makes the argument checks of every command (cobra.ExactArgs…) return usage
// errors (exit 2), so no error is classified by its text.
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error { return apperr.Usage(check(cmd, args)) }
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

// unknownCommand finds the command args name before it runs: a word that names no command
// (`choucha nosuch`, `choucha plan nosuch`) is a usage error, not a help page.
func unknownCommand(root *cobra.Command, args []string) error {
	if len(args) > 0 && strings.HasPrefix(args[0], "__complete") {
		return nil // shell completion: Cobra's own hidden command
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd(args...)
	cmd, rest, err := root.Find(args)
	if err != nil {
		// Cobra's "unknown command" (English, with "Did you mean this?"): said again here.
		word := ""
		if root.ParseFlags(args) == nil && len(root.Flags().Args()) > 0 {
			word = root.Flags().Args()[0]
		} else {
			for _, a := range args {
				if !strings.HasPrefix(a, "-") {
					word = a
					break
				}
			}
		}
		err := apperr.Usagef("“%s”没有命令或参数“%s”", root.CommandPath(), word)
		if s := root.SuggestionsFor(word); len(s) > 0 {
			return apperr.Hint(err, "是否要用："+strings.Join(s, "、")+"（choucha --help 查看全部命令）")
		}
		return err
	}
	if cmd.Runnable() || !cmd.HasSubCommands() {
		return nil
	}
	if cmd.ParseFlags(rest) != nil {
		return nil // the flag error is reported when the command runs
	}
	if words := cmd.Flags().Args(); len(words) > 0 {
		return apperr.Usagef("“%s”没有命令“%s”", cmd.CommandPath(), words[0])
	}
	return nil
}
