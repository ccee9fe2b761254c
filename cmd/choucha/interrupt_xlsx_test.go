package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/roster"
)

// bigDrawInputs writes a roster of n firms of 沁县 and a plan whose one task draws them all,
// so the draw folder's workbook takes a few seconds to write.
func bigDrawInputs(t *testing.T, dir string, n int) (rosterFile, planFile string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称,法定代表人,登记机关,所属区县,住所,对象类型,信用风险分类,登记状态,成立日期,联系电话\n")
	for i := range n {
		reg := fmt.Sprintf("140430%08d", i)
		fmt.Fprintf(&b, "%s%c,沁县第%d商贸有限公司,张三,长治市沁县市场监督管理局,沁县,山西省长治市沁县紫金路%d号,房地产从业单位,B,存续（在营、开业、在册）,2004-07-11,13505504920\n",
			reg, roster.RegNoCheckDigit(reg), i, i)
	}
	rosterFile = filepath.Join(dir, "big.csv")
	planFile = filepath.Join(dir, "plan.tsv")
	plan := "某县2026年度抽查计划\n地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t智慧监管(信用风险分类)要求\t抽查检查起止时间\t发起部门\t配合部门\t抽查检查模式\n" +
		"沁县\t1\t全面检查\t登记事项检查\t辖区企业\t100%；1次\t无\t3月—5月\t沁县市场监督管理局\t沁县住建局\t县抽县查\n"
	if err := os.WriteFile(rosterFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(planFile, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	return rosterFile, planFile
}

// interruptWhenWriting starts cmd, sends it Ctrl-C (SIGINT) as soon as a temporary file or
// folder appears in dir — the workbook is being written — and ready (when not nil) says yes,
// and returns its exit code and stderr. missed is true when the output appeared whole first
// (on a loaded machine sample can finish its folder before its entry stands): the moment to
// interrupt never came, and the command has run to its end.
func interruptWhenWriting(t *testing.T, cmd *exec.Cmd, dir string, ready func() bool) (code int, stderr string, missed bool) {
	t.Helper()
	var errs strings.Builder
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ents, _ := os.ReadDir(dir)
		temp := len(ents) > 0 && strings.HasPrefix(ents[0].Name(), ".choucha-tmp-")
		if temp && (ready == nil || ready()) {
			break
		}
		if len(ents) > 0 && !temp {
			cmd.Wait()
			t.Logf("%s wrote %v before it could be interrupted:\n%s", cmd.Args[1], ents, errs.String())
			return cmd.ProcessState.ExitCode(), errs.String(), true
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no temporary output seen in %s (found %v)\n%s", dir, ents, errs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	sent := time.Now()
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	t.Logf("%s stopped %v after Ctrl-C:\n%s", cmd.Args[1], time.Since(sent), errs.String())
	return cmd.ProcessState.ExitCode(), errs.String(), false
}

// Issue 19 item 8: Ctrl-C was ignored while an xlsx was being written. Sent while sample
// writes the draw folder of 30,000 firms (its 抽查名单.xlsx), and while export writes the same
// list, it stops the write: exit 130, 已中断, no folder, no file, no temporary left. The draw
// was recorded before the folder was written (sample writes it while it records the entry, and is interrupted once the entry stands); the message says so and how to write it again,
// and that works.
func TestInterruptWhileWritingXLSX(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 30,000-firm draw")
	}
	// The moment is after the entry stands and before the folder is in place. On a loaded
	// machine the entry's sync can take longer than writing the folder: then the draw ends
	// whole, and the test is tried again with a roster twice as large (three tries).
	var dir, db string
	for try, n := 1, 30000; ; try, n = try+1, 2*n {
		dir = t.TempDir()
		rosterFile, planFile := bigDrawInputs(t, dir, n)
		db = filepath.Join(dir, "c.db")
		draws := filepath.Join(dir, "draws")
		if err := os.Mkdir(draws, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := child(db, "sample", "--plan", planFile, "--plan-id", "T", "--task", "1", "--roster", rosterFile,
			"--seed", testSeed, "--out", filepath.Join(draws, "a"), "-q")
		// sample writes its folder while it records the entry: Ctrl-C once the entry stands.
		recorded := func() bool {
			l, err := ledger.OpenReadOnly(db)
			if err != nil {
				return false
			}
			defer l.Close()
			h, err := l.Head(context.Background())
			return err == nil && h.ID == 1
		}
		code, stderr, missed := interruptWhenWriting(t, cmd, draws, recorded)
		if missed {
			if code != 0 || try == 3 {
				t.Fatalf("sample of %d firms: exit %d, never seen writing its folder after its entry\n%s", n, code, stderr)
			}
			continue
		}
		if code != exitInterrupted || !strings.Contains(stderr, "已中断") || !strings.Contains(stderr, "台账第 1 条") || !strings.Contains(stderr, "choucha export 1") {
			t.Errorf("sample after Ctrl-C: exit %d\n%s", code, stderr)
		}
		if ents, _ := os.ReadDir(draws); len(ents) != 0 {
			t.Errorf("sample left %v", ents)
		}
		break
	}

	out := filepath.Join(dir, "export")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	code, stderr, missed := interruptWhenWriting(t, child(db, "export", "1", "--format", "xlsx", "--out", out), out, nil)
	if missed || code != exitInterrupted || !strings.Contains(stderr, "已中断") {
		t.Errorf("export after Ctrl-C: exit %d\n%s", code, stderr)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("export left %v", ents)
	}

	// Not interrupted, the export writes the recorded draw's list.
	if stdout, stderr, code := cli(t, db, "export", "1", "--format", "xlsx", "--out", out); code != 0 || !strings.Contains(stdout, "抽查名单.xlsx") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
}
