package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
)

// rosterTemplateOptions are the flags of `choucha roster template`.
type rosterTemplateOptions struct {
	plan planFlags
	task int
	out  string
}

func newRosterTemplateCommand(g *globalOptions) *cobra.Command {
	o := &rosterTemplateOptions{}
	cmd := &cobra.Command{
		Use:   "template --task 序号",
		Short: "写出一项任务的检查对象名录模板（xlsx）",
		Long: `写出一项任务的检查对象名录模板：表头是 choucha 认得的列名，每一列都是文本格式（代码、电话不会
被 Excel 改成科学计数法），信用风险分类有下拉列表；“填写说明”页写明任务和各列的填法。

  $ choucha roster template --task 292
  检查对象名录模板-CZ2026-292.xlsx

标准输出：写出的文件路径。文件已存在时不覆盖。

退出码：0 已写出；1 文件已存在或无法写出；2 用法错误（任务序号不对）`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.task <= 0 {
				return apperr.Usage(errors.New("请用 --task 指定计划中的任务序号（正整数）"))
			}
			p, err := o.plan.load()
			if err != nil {
				return err
			}
			t, err := p.Task(o.task)
			if err != nil {
				return apperr.Usage(err)
			}
			out := o.out
			if out == "" {
				out = "检查对象名录模板-" + exportFolderName(t.Key) + ".xlsx"
			}
			if _, err := os.Lstat(out); err == nil {
				return apperr.Hint(fmt.Errorf("%s 已存在，不会覆盖", out), "用 --out 文件 写到别处")
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return apperr.New("创建目录: %w", apperr.FromOS(filepath.Dir(out), err))
			}
			if err := export.WriteFileAtomic(out, func(w io.Writer) error { return export.WriteRosterTemplate(w, t) }); err != nil {
				return apperr.New("写出名录模板: %w", err)
			}
			fmt.Fprintln(g.stdout, out)
			return nil
		},
	}
	addPlanFlags(cmd, &o.plan)
	cmd.Flags().IntVar(&o.task, "task", 0, "计划中的任务`序号`（必填）")
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "写到 `文件`（默认 检查对象名录模板-<任务编号>.xlsx）")
	return cmd
}
