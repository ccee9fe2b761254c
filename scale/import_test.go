package scale

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
)

// buildChoucha builds the choucha binary of the main module (the parent folder).
func buildChoucha(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "choucha")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/choucha")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func choucha(t *testing.T, bin, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHOUCHA_DB="+filepath.Join(dir, "choucha.db"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// runToCSV executes a script on db and saves its final SELECT as CSV, as
// `duckdb -csv … < draw.sql > result.csv` does.
func runToCSV(t *testing.T, db *sql.DB, script, out string) {
	t.Helper()
	stmts := strings.Split(script, ";\n")
	last := len(stmts) - 1
	for strings.TrimSpace(stmts[last]) == "" {
		last--
	}
	for _, s := range stmts[:last] {
		if strings.TrimSpace(s) != "" {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%v\n%s", err, s)
			}
		}
	}
	q := fmt.Sprintf("COPY (%s) TO '%s' (HEADER, DELIMITER ',')", stmts[last], out)
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestImportSQLResult is the whole warehouse path through the CLI: `choucha sql` writes the
// script (round 2 takes round 1's firms from the ledger), DuckDB runs it, and
// `choucha sample --from-sql-result` records the result only because it equals choucha's own
// draw; replay of the recorded entry is identical; a result with one firm changed is refused
// and nothing is recorded.
func TestImportSQLResult(t *testing.T) {
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	seq := monthlyTask(t, p) // several rounds, a ratio below 100%: reserves and exclusions
	pt, _ := p.Task(seq)
	task := fmt.Sprint(seq)
	bin := buildChoucha(t)
	dir := t.TempDir()
	firms := genRoster(t, dir, "firms.csv", "--n", "240", "--seed", "11", "--district", pt.District, "--risk-style", "mixed")
	db := openDuckDB(t, firms)
	for round := 1; round <= 2; round++ {
		script, err := choucha(t, bin, dir, "sql", "--task", task, "--round", fmt.Sprint(round), "--seed", seed, "--dialect", "duckdb", "-q")
		if err != nil {
			t.Fatalf("choucha sql: %v\n%s", err, script)
		}
		if round == 2 && !strings.Contains(script, "(VALUES") {
			t.Fatal("round 2's script does not exclude round 1's firms from the ledger")
		}
		result := filepath.Join(dir, fmt.Sprintf("result-r%d.csv", round))
		runToCSV(t, db, script, result)
		out, err := choucha(t, bin, dir, "sample", "--task", task, "--round", fmt.Sprint(round), "--roster", firms, "--seed", seed,
			"--from-sql-result", result, "--out", filepath.Join(dir, fmt.Sprintf("draw-r%d", round)))
		if err != nil {
			t.Fatalf("round %d: sample --from-sql-result: %v\n%s", round, err, out)
		}
		out, err = choucha(t, bin, dir, "replay", fmt.Sprint(round), "--roster", firms)
		if err != nil || !strings.HasPrefix(out, "一致：") {
			t.Fatalf("replay %d: %v\n%s", round, err, out)
		}
	}

	// One drawn firm swapped for its stratum's first reserve: refused, nothing recorded.
	data, err := os.ReadFile(filepath.Join(dir, "result-r2.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var sel, res int
	for i, l := range lines {
		if strings.HasPrefix(l, "selected,") && sel == 0 {
			sel = i
		}
		if strings.HasPrefix(l, "reserve,") && res == 0 {
			res = i
		}
	}
	if sel == 0 || res == 0 {
		t.Fatalf("result has no selected or reserve rows:\n%s", data)
	}
	lines[sel], lines[res] = strings.Replace(lines[res], "reserve,", "selected,", 1), strings.Replace(lines[sel], "selected,", "reserve,", 1)
	forged := filepath.Join(dir, "forged.csv")
	if err := os.WriteFile(forged, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := choucha(t, bin, dir, "sample", "--task", task, "--round", "2", "--roster", firms, "--seed", seed,
		"--from-sql-result", forged, "--out", filepath.Join(dir, "forged-draw"), "--redraw-reason", "test")
	if err == nil || !strings.Contains(out, "不一致") {
		t.Fatalf("a forged result was accepted: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "forged-draw")); !os.IsNotExist(err) {
		t.Error("the refused import wrote its output folder")
	}
	out, err = choucha(t, bin, dir, "ledger", "list")
	if err != nil || strings.Count(out, pt.Key) != 2 {
		t.Fatalf("ledger after the refused import: %v\n%s", err, out)
	}
}
