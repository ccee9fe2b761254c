package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 19 item 2: roster check's table padded every row to its widest cell (a 256 KB roster
// printed 802 MB) and a 10 MB first row came back as a 10 MB message. Table cells and message
// lines are cut on the terminal; --format json keeps the full text.
func TestRosterCheckCutsLongCells(t *testing.T) {
	b, err := os.ReadFile(rosterPath("qinxian-realestate.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	long := strings.Repeat("9", 30000)
	for i := 1; i < len(lines); i++ {
		code, rest, _ := strings.Cut(lines[i], ",")
		if i == 1 {
			code = long // one invalid code of 30,000 characters
		} else {
			code = code[:17] + "?" // and 399 more invalid codes
		}
		lines[i] = code + "," + rest
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "c.db")
	stdout, stderr, code := cli(t, db, "roster", "check", file)
	if code != 0 && code != 1 {
		t.Fatalf("roster check: exit %d %s", code, stderr)
	}
	// Uncut, the 400 rows of the problem table are padded to 30,000 columns each: 12 MB.
	if len(stdout) > 1<<20 || !strings.Contains(stdout, "已截断") || strings.Contains(stdout, long) {
		t.Errorf("roster check printed %d bytes (cut: %v)", len(stdout), strings.Contains(stdout, "已截断"))
	}
	stdout, _, _ = cli(t, db, "roster", "check", file, "--format", "json")
	if !strings.Contains(stdout, long) {
		t.Error("--format json does not have the full cell")
	}

	// A first row of 300 cells of 30,000 characters (9 MB) is no header: the message quotes
	// a little of it.
	cells := make([]string, 300)
	for i := range cells {
		cells[i] = strings.Repeat("长", 30000)
	}
	wide := filepath.Join(dir, "wide.csv")
	if err := os.WriteFile(wide, []byte(strings.Join(cells, ",")+"\n"+lines[1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = cli(t, db, "roster", "check", wide)
	if code != 1 || len(stderr) > 10000 || !strings.Contains(stderr, "wide.csv") {
		t.Errorf("exit %d, message of %d bytes: %.300s", code, len(stderr), stderr)
	}
}
