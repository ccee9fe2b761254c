package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A real version-2 ledger (ledger/testdata/ledger-v2.db, made by choucha before drawn-firm
// lists were stored apart) is audited read-only as it is, its draws shown, replayed and
// exported as before; the first draw on it migrates it, and the old entries stay in the chain.
func TestLedgerVersion2File(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "choucha.db")
	b, err := os.ReadFile(filepath.Join("..", "..", "ledger", "testdata", "ledger-v2.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o644); err != nil {
		t.Fatal(err)
	}
	const head = "42a22bbee826dfce491d82de0e01a784a767e3dee2530ef89f7cc6c02a003f94"
	if out, errb, code := cli(t, db, "ledger", "verify"); code != 0 || !strings.Contains(out, "共 4 条") || !strings.Contains(out, head) {
		t.Fatalf("verify of the version-2 file: %d %s %s", code, out, errb)
	}
	show, errb, code := cli(t, db, "ledger", "show", "3", "--format", "json")
	if code != 0 || !strings.Contains(show, `"selected": [`) {
		t.Fatalf("show 3: %d %s", code, errb)
	}
	m3 := filepath.Join(dir, "entry3.json")
	os.WriteFile(m3, []byte(show), 0o644)
	if out, errb, code := cli(t, db, "replay", m3, "--roster", rosterPath("qinxian-realestate.csv"), "--inspectors", rosterPath("qinxian-inspectors.xlsx")); code != 0 || !strings.HasPrefix(out, "一致：") {
		t.Errorf("replay of entry 3 as shown: %d %s %s", code, out, errb)
	}
	if out, errb, code := cli(t, db, "export", "4", "--format", "csv", "--out", filepath.Join(dir, "e4")); code != 0 {
		t.Errorf("export 4: %d %s %s", code, out, errb)
	}
	// A new draw migrates the file; it is stored in the new form and chained to the old head.
	if _, errb, code := cli(t, db, sampleArgs(filepath.Join(dir, "new"), "--task", "291", "--seed", "31415926535897932384")...); code != 0 {
		t.Fatalf("draw on the version-2 file: %s", errb)
	}
	out, errb, code := cli(t, db, "ledger", "verify", "--against", "第4条:"+head)
	if code != 0 || !strings.Contains(out, "共 5 条") {
		t.Errorf("verify after the draw: %d %s %s", code, out, errb)
	}
	rows := rawQuery(t, db, `SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM lists),
		json_extract(entry, '$.manifest.list.firms'), json_array_length(json_extract(entry, '$.keys')) FROM entries WHERE id = 5`)
	if rows != "3|1|400|0" {
		t.Errorf("after the draw (version, lists, list.firms, chained keys) = %s, want 3|1|400|0", rows)
	}
	if show, _, code := cli(t, db, "ledger", "show", "5"); code != 0 || !strings.Contains(show, "400 户") {
		t.Errorf("show 5: %s", show)
	}
}

// rawQuery runs one query on a ledger file and returns its row as sqlite3 prints it (a|b|c).
func rawQuery(t *testing.T, db, q string) string {
	t.Helper()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		t.Fatalf("%s: no row", q)
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.String
	}
	return strings.Join(out, "|")
}
