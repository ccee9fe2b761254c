package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/plan"
	"github.com/spf13/cobra"
)

func TestPlanFlags(t *testing.T) {
	var o planFlags
	cmd := &cobra.Command{Use: "x"}
	addPlanFlags(cmd, &o)
	if cmd.Flags().Lookup("plan") == nil || cmd.Flags().Lookup("plan-id") == nil {
		t.Fatal("addPlanFlags did not add --plan and --plan-id")
	}
	p, err := o.load()
	if err != nil || p.ID != "CZ2026" || len(p.Tasks) != 397 {
		t.Fatalf("embedded: %v %v", p, err)
	}
	xlsx := filepath.Join("..", "..", "testdata", "plan", "changzhi-2026.xlsx")
	for _, c := range []struct {
		o      planFlags
		usage  bool
		wantID string
	}{
		{planFlags{id: "OTHER"}, true, ""},
		{planFlags{file: xlsx, id: "bad id"}, true, ""},
		{planFlags{file: "nope.txt"}, false, ""},
		{planFlags{file: xlsx}, false, "changzhi-2026"},
		{planFlags{file: xlsx, id: "CZ2026x"}, false, "CZ2026x"},
	} {
		p, err := c.o.load()
		switch {
		case c.wantID != "":
			if err != nil || p.ID != c.wantID {
				t.Errorf("%+v: %v, %v", c.o, p, err)
			}
		case err == nil:
			t.Errorf("%+v: no error", c.o)
		case apperr.IsUsage(err) != c.usage:
			t.Errorf("%+v: usage %v for %v", c.o, apperr.IsUsage(err), err)
		default:
			if !c.usage && apperr.HintOf(err) == "" {
				t.Errorf("%+v: no hint on %v", c.o, err)
			}
		}
	}
}

// TestPlanListRefusesOversizeTextPlan: plan list on a generated text plan past the cell limit
// (300,000 cells) or past the byte limit (17 MB) exits 1 with a Chinese message naming the
// file and the limit, and prints no table.
func TestPlanListRefusesOversizeTextPlan(t *testing.T) {
	dir := t.TempDir()
	head := "序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\n"
	for _, c := range []struct {
		name, row string
		rows      int
		want      string
	}{
		{"三十万格.tsv", "1\t任务\t事项\t企业\t3%\n", 60_000, fmt.Sprintf("单元格有 300000 个，超过 %d 个", plan.MaxTableCells)},
		{"十七兆.txt", "1\t任务\t" + strings.Repeat("事", 6000) + "\t企业\t3%\n", 1000, fmt.Sprintf("文件有 17 MB，超过 %d MB", plan.MaxTextBytes>>20)},
	} {
		file := filepath.Join(dir, c.name)
		if err := os.WriteFile(file, []byte(head+strings.Repeat(c.row, c.rows-1)), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runCLI(t, "plan", "list", "--plan", file)
		if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "choucha: 错误: 读取计划 "+file+": ") || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "拆成") {
			t.Errorf("%s: exit %d, %d bytes out, stderr:\n%s", c.name, code, len(stdout), stderr)
		}
	}
}
