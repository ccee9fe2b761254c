// Command duckbench times the draw of `choucha sql` on DuckDB over a large table generated
// inside DuckDB (bench/warehouse.sh runs it under /usr/bin/time -v for the peak memory):
//
//	duckbench gen  -db firms.duckdb -rows 50000000
//	duckbench draw -db firms.duckdb -task 292 -seed 20260401123456789012
//
// gen writes a table firms(统一社会信用代码, 信用风险分类, 所属区县, 登记状态) of distinct
// 18-character codes with classes A–D (about 55/30/10/5 %) and a few closed firms, all in
// the task's district; draw runs the script and prints the time, the strata and the digest.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/warehouse"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: duckbench gen|draw [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dbFile := fs.String("db", "firms.duckdb", "DuckDB database file")
	rows := fs.Int("rows", 50_000_000, "rows to generate")
	task := fs.Int("task", 292, "task of the embedded plan")
	seed := fs.String("seed", "20260401123456789012", "seed")
	threads := fs.Int("threads", 0, "DuckDB threads (0 = DuckDB's default, one per core)")
	memory := fs.String("memory", "4GB", "DuckDB memory_limit (it spills to temp_directory beyond)")
	_ = fs.Parse(os.Args[2:])
	if err := run(os.Args[1], *dbFile, *rows, *task, *seed, *threads, *memory); err != nil {
		fmt.Fprintln(os.Stderr, "duckbench:", err)
		os.Exit(1)
	}
}

func run(mode, dbFile string, rows, seq int, seed string, threads int, memory string) error {
	db, err := sql.Open("duckdb", dbFile)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(fmt.Sprintf("SET memory_limit = '%s'", memory)); err != nil {
		return err
	}
	if _, err := db.Exec(fmt.Sprintf("SET temp_directory = '%s.tmp'", dbFile)); err != nil {
		return err
	}
	if threads > 0 {
		if _, err := db.Exec(fmt.Sprintf("SET threads = %d", threads)); err != nil {
			return err
		}
	}
	p, err := plan.Embedded()
	if err != nil {
		return err
	}
	task, err := p.Task(seq)
	if err != nil {
		return err
	}
	start := time.Now()
	switch mode {
	case "gen":
		q := fmt.Sprintf(`CREATE OR REPLACE TABLE firms AS
SELECT '9114' || lpad(CAST(i AS VARCHAR), 14, '0') AS "统一社会信用代码",
  CASE WHEN i %% 20 < 11 THEN 'A' WHEN i %% 20 < 17 THEN 'B类' WHEN i %% 20 < 19 THEN '较高风险' ELSE 'D' END AS "信用风险分类",
  '%s' AS "所属区县",
  CASE WHEN i %% 97 = 0 THEN '注销' ELSE '存续（在营、开业、在册）' END AS "登记状态"
FROM range(%d) t(i)`, task.District, rows)
		if _, err := db.Exec(q); err != nil {
			return err
		}
		fmt.Printf("generated %d rows in %.1f s\n", rows, time.Since(start).Seconds())
		return nil
	case "draw":
		spec, err := warehouse.ForTask(warehouse.Spec{Dialect: warehouse.DuckDB, Seed: seed, Round: 1,
			Columns: warehouse.Columns{Table: "firms", Key: "统一社会信用代码", Class: "信用风险分类", District: "所属区县", Status: "登记状态"}},
			task, risk.DefaultPolicy(), "")
		if err != nil {
			return err
		}
		script, err := warehouse.Script(spec)
		if err != nil {
			return err
		}
		stmts := strings.Split(script, ";\n")
		last := len(stmts) - 1
		for strings.TrimSpace(stmts[last]) == "" {
			last--
		}
		for _, s := range stmts[:last] {
			if strings.TrimSpace(s) == "" {
				continue
			}
			t0 := time.Now()
			if _, err := db.Exec(s); err != nil {
				return fmt.Errorf("%w\n%s", err, s)
			}
			name := strings.Fields(strings.TrimSpace(s[strings.Index(s, "CREATE"):]))
			fmt.Fprintf(os.Stderr, "%6.2f s  %s\n", time.Since(t0).Seconds(), name[len(name)-2])
		}
		rs, err := db.Query(stmts[last])
		if err != nil {
			return err
		}
		defer rs.Close()
		selected := 0
		for rs.Next() {
			var kind, stratum, key, class, ticket, ratio, digest sql.NullString
			var seqN, rank, nTotal, n, excluded sql.NullInt64
			var repeat, added sql.NullBool
			if err := rs.Scan(&kind, &seqN, &stratum, &key, &class, &ticket, &rank, &repeat, &added, &nTotal, &ratio, &n, &excluded, &digest); err != nil {
				return err
			}
			switch kind.String {
			case "stratum":
				fmt.Printf("stratum %s N=%d ratio=%s n=%d\n", stratum.String, nTotal.Int64, ratio.String, n.Int64)
			case "selected":
				selected++
			case "frame":
				fmt.Printf("frame %d firms, CHOUCHA-FRAME-v2 %s\n", nTotal.Int64, digest.String)
			}
		}
		if err := rs.Err(); err != nil {
			return err
		}
		fmt.Printf("drew %d firms in %.1f s\n", selected, time.Since(start).Seconds())
		return nil
	}
	return fmt.Errorf("unknown mode %q", mode)
}
