package warehouse

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
)

var update = flag.Bool("update", false, "rewrite the golden SQL files (review every change by hand)")

// TestScriptGolden pins the generated scripts. The DuckDB form is executed by the tests of
// module scale/; the Spark form has not been executed here, and its golden file is the
// reviewed text (sha2, div, CACHE TABLE, VALUES … AS, array_sort over structs).
func TestScriptGolden(t *testing.T) {
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file    string
		dialect Dialect
		task    int
		round   int
		earlier []string
	}{
		{"duckdb-292.sql", DuckDB, 292, 1, nil},
		{"spark-292.sql", Spark, 292, 1, nil},
		{"spark-283-r1.sql", Spark, 283, 1, nil},
		{"duckdb-83.sql", DuckDB, 83, 1, nil},
	} {
		task, err := p.Task(tc.task)
		if err != nil {
			t.Fatal(err)
		}
		spec, err := ForTask(Spec{Dialect: tc.dialect, Seed: "20260401123456789012", Round: tc.round, Earlier: tc.earlier,
			Columns: Columns{Table: "firms", Key: "统一社会信用代码", Class: "信用风险分类", District: "所属区县", Status: "登记状态"}},
			task, risk.DefaultPolicy(), "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := Script(spec)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s differs from the generated script (go test ./warehouse -update, then review the diff)", path)
		}
	}
}

func TestScriptParts(t *testing.T) {
	p, _ := plan.Embedded()
	task, _ := p.Task(292) // A3% B5% C7% D9%
	spec, err := ForTask(Spec{Dialect: DuckDB, Seed: "20260401123456789012", Round: 1,
		Columns: Columns{Table: "firms", Key: "k", Class: "c", District: "d"}}, task, risk.DefaultPolicy(), "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Script(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		// r_h = a/b as integers: 3% → a=3, 100·b=100; the ceiling in integers.
		"('A', 1, '3', 3, 100)", "('D', 4, '9', 9, 100)",
		"((CAST(count(p.key) AS BIGINT) * s.a + s.b100 - 1) // (s.b100))",
		"unhex(sha256('CHOUCHA-SAMPLE-v1|20260401123456789012|CZ2026-292|1|' || f.key))", "lower(hex(ticket))",
		"d = '沁县'",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	// A ratio with decimals stays exact: 4.5% = 9/2 → a=9, 100·b=200.
	spec.Strata[0].Ratio = "4.5"
	got, _ = Script(spec)
	if !strings.Contains(got, "('A', 1, '4.5', 9, 200)") {
		t.Error("4.5% is not written as 9/200")
	}
	// A task bound to a district cannot be drawn from a table without a district column.
	spec.Columns.District = ""
	if _, err := Script(spec); err == nil {
		t.Error("a district filter without a district column was accepted")
	}
	for _, bad := range []Spec{{Dialect: "oracle"}, {Dialect: Spark, Columns: Columns{Table: "t", Key: "k"}, Strata: spec.Strata, Seed: "1", TaskKey: "X-1", Round: 1}} {
		if _, err := Script(bad); err == nil {
			t.Errorf("Script(%+v) accepted", bad)
		}
	}
}
