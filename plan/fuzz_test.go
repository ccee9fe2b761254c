package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// FuzzReadPlan runs the whole text reader (decoding, TSV, header search, every repair step,
// ratio and window grammar) on arbitrary bytes: it never panics, a refusal is only "no header
// row", every row with a 序号 becomes a task or a reported problem, and keys are unique.
func FuzzReadPlan(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(realSet, "*.tsv"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	lines := strings.SplitN(string(EmbeddedBytes()), "\n", 40)
	f.Add([]byte(strings.Join(lines[:39], "\n")))
	f.Add([]byte("序号\t抽查事项\t抽查对象\t抽查比例\n1\t甲\t乙\t\"10%\n(20户)\"\n\t\t丙\t30%\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		type res struct {
			p   *Plan
			err error
		}
		done := make(chan res, 1)
		go func() {
			p, err := Parse(bytes.NewReader(data), "fuzz.tsv", "F")
			done <- res{p, err}
		}()
		var r res
		select {
		case r = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("reading %q takes more than 5 s", data)
		}
		p, err := r.p, r.err
		if err != nil {
			if !strings.Contains(err.Error(), "找不到表头行") && !strings.Contains(err.Error(), "编码") && !strings.Contains(err.Error(), "UTF") {
				t.Fatalf("refused for another reason than a missing header: %v", err)
			}
			return
		}
		numbered := 0
		keys := map[string]bool{}
		for i := range p.Tasks {
			k := &p.Tasks[i]
			if k.Part <= 1 {
				numbered++
			}
			if keys[k.Key] {
				t.Fatalf("key %s twice", k.Key)
			}
			keys[k.Key] = true
			if k.Window.From < 1 || k.Window.To > 12 || k.Window.From > k.Window.To {
				t.Fatalf("task %s window %+v", k.Key, k.Window)
			}
			if k.Ratio.Unspecified != (k.Ratio.Percent == "" && k.Ratio.PerClass == nil && k.Ratio.MinCount == 0) && len(k.Flags) == 0 {
				t.Fatalf("task %s: unspecified %v with ratio %+v and no flag", k.Key, k.Ratio.Unspecified, k.Ratio)
			}
			if k.Rounds < 1 {
				t.Fatalf("task %s rounds %d", k.Key, k.Rounds)
			}
		}
		if numbered != p.NumberedRows+p.RowNumbered {
			t.Fatalf("%d numbered rows (%d by their place) but %d tasks from them", p.NumberedRows, p.RowNumbered, numbered)
		}
		_ = Lint(p)
		var buf bytes.Buffer
		if err := p.WriteJSON(&buf, nil); err != nil {
			t.Fatal(err)
		}
	})
}

// readsInTime runs read, a fuzzed reader of the file name, and fails the input when it takes
// more than limit or refuses without naming the file (a panic fails it by itself).
func readsInTime(t *testing.T, name string, limit time.Duration, read func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- read() }()
	select {
	case err := <-done:
		if err != nil && !strings.Contains(err.Error(), name) {
			t.Fatalf("refused without naming the file: %v", err)
		}
	case <-time.After(limit):
		t.Fatalf("no answer in %v", limit)
	}
}

// refusal is a file Load must refuse, with the words its message (or hint) must hold.
type refusal struct {
	path string
	want []string
}

// checkRefusals loads each file and requires a refusal naming the file and holding its words.
func checkRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	for _, c := range cases {
		_, err := Load(c.path, "X")
		if err == nil {
			t.Errorf("%s read", c.path)
			continue
		}
		for _, w := range append([]string{c.path}, c.want...) {
			if !strings.Contains(errText(err), w) {
				t.Errorf("%s: %q lacks %q", filepath.Base(c.path), errText(err), w)
			}
		}
	}
}

// realPlanWorkbooks writes each published plan of testdata/plans as a workbook (tsvToXLSX)
// and calls fn with its name (the plan's, .xlsx) and bytes.
func realPlanWorkbooks(t *testing.T, fn func(name string, xlsx []byte)) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(realSet, "*.tsv"))
	if len(files) < 10 {
		t.Fatalf("plans missing: %v", files)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text, _, err := decodeForTest(path, data)
		if err != nil {
			t.Fatal(err)
		}
		fn(strings.TrimSuffix(filepath.Base(path), ".tsv")+".xlsx", tsvToXLSX(t, text))
	}
}

// allocated is the bytes fn allocates (the collector run first, so that little else counts).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
