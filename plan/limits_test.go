package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
)

// limitPlanText is a text plan of exactly cells cells (a multiple of 8): a title-less header
// of 8 columns and rows of 8 cells, each ending in a line break.
func limitPlanText(cells int) []byte {
	var b bytes.Buffer
	b.WriteString("序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t抽查检查起止时间\t发起部门\t抽查检查模式\n")
	for i := 1; i < cells/8; i++ {
		n := strconv.Itoa(i)
		b.WriteString(n + "\t任务" + n + "\t事项" + n + "\t本辖区企业\t3%;1次/年\t3月—12月\t市市场监管局\t市抽市查\n")
	}
	return b.Bytes()
}

// TestTextPlanCellLimit: a text plan of MaxTableCells cells (the limit of an xlsx sheet, the
// same variable) reads, every row a task; one cell more — one tab at the end of the last row,
// or a line break — is refused with the file, the count, the limit and what to do named.
func TestTextPlanCellLimit(t *testing.T) {
	at := limitPlanText(MaxTableCells)
	if got := textCells(at); got != MaxTableCells {
		t.Fatalf("the test plan has %d cells, want %d", got, MaxTableCells)
	}
	p, err := Parse(bytes.NewReader(at), "at-limit.tsv", "LIM")
	if err != nil {
		t.Fatalf("a plan of %d cells: %v", MaxTableCells, err)
	}
	if want := MaxTableCells/8 - 1; len(p.Tasks) != want {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), want)
	}
	for name, past := range map[string][]byte{
		"one-tab-past.tsv":  append(bytes.TrimSuffix(bytes.Clone(at), []byte("\n")), "\t\n"...),
		"one-line-past.tsv": append(bytes.Clone(at), '\n'),
		"cr-only-past.txt":  append(bytes.ReplaceAll(at, []byte("\n"), []byte("\r")), '\r'),
	} {
		_, err := Parse(bytes.NewReader(past), name, "LIM")
		want := "读取计划 " + name + ": 单元格有 " + strconv.Itoa(MaxTableCells+1) + " 个，超过 " + strconv.Itoa(MaxTableCells) + " 个"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", name, err, want)
		}
		if h := apperr.HintOf(err); !strings.Contains(h, "拆成几个计划文件") || !strings.Contains(h, "选对了文件") {
			t.Errorf("%s: hint %q", name, h)
		}
	}
}

// TestTextPlanByteLimit: a text plan of MaxTextBytes bytes reads; one byte more is refused
// before it is read (a file, its size named) or once read (a stream).
func TestTextPlanByteLimit(t *testing.T) {
	old := MaxTextBytes
	defer func() { MaxTextBytes = old }()
	text := limitPlanText(800)
	MaxTextBytes = int64(len(text))
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.tsv")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, "LIM"); err != nil {
		t.Fatalf("a plan of MaxTextBytes bytes: %v", err)
	}
	if _, err := Parse(bytes.NewReader(text), "plan.tsv", "LIM"); err != nil {
		t.Fatalf("a stream of MaxTextBytes bytes: %v", err)
	}
	MaxTextBytes = int64(len(text)) - 1
	_, err := Load(path, "LIM")
	if err == nil || !strings.Contains(err.Error(), "读取计划 "+path+": 文件有 0 MB，超过 0 MB") || !strings.Contains(apperr.HintOf(err), "拆成") {
		t.Errorf("file: %v", err)
	}
	_, err = Parse(bytes.NewReader(text), "stdin.tsv", "LIM")
	if err == nil || !strings.Contains(err.Error(), "读取计划 stdin.tsv: 文件超过 0 MB") {
		t.Errorf("stream: %v", err)
	}
}

// The embedded plan is far inside both limits.
func TestEmbeddedPlanInsideTextLimits(t *testing.T) {
	if n := textCells(embeddedPlan); n*20 > MaxTableCells || int64(len(embeddedPlan))*20 > MaxTextBytes {
		t.Errorf("the Changzhi plan has %d cells, %d bytes: the limits %d, %d leave no room", n, len(embeddedPlan), MaxTableCells, MaxTextBytes)
	}
}

// BenchmarkTextPlanAtLimit reads a text plan of MaxTableCells cells (32,767 rows).
func BenchmarkTextPlanAtLimit(b *testing.B) {
	text := limitPlanText(MaxTableCells)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(text), "at-limit.tsv", "LIM"); err != nil {
			b.Fatal(err)
		}
	}
}
