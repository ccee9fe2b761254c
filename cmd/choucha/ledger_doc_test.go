package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ledgerDoc is docs/LEDGER.md, the ledger's specification.
func ledgerDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "LEDGER.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func needSQLite3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("sqlite3 is not installed (.ci/run installs it)")
		}
		t.Skip("sqlite3 is not installed")
	}
	return p
}

// Issue 19 item 4: docs/LEDGER.md gave application_id 1128810312; the real value is
// 1128809288. The documented numbers are checked against a real ledger file with sqlite3.
func TestLedgerDocNumbers(t *testing.T) {
	sqlite3 := needSQLite3(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "1"))...); code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	doc := ledgerDoc(t)
	for pragma, re := range map[string]string{
		"application_id": "`PRAGMA application_id` is `0x43484348` \\(\"CHCH\", decimal (\\d+)",
		"user_version":   "`PRAGMA user_version` is the schema version \\(now \\*\\*(\\d+)\\*\\*\\)",
	} {
		m := regexp.MustCompile(re).FindStringSubmatch(doc)
		if m == nil {
			t.Errorf("docs/LEDGER.md no longer states %s as the test expects", pragma)
			continue
		}
		out, err := exec.Command(sqlite3, "-readonly", db, "PRAGMA "+pragma).CombinedOutput()
		if err != nil {
			t.Fatalf("sqlite3: %v %s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != m[1] {
			t.Errorf("PRAGMA %s of a real ledger is %s; docs/LEDGER.md says %s", pragma, got, m[1])
		}
	}
}

// Issue 19 item 5: the documented verification with sqlite3 and sha256sum alone is run as
// written, on a real ledger, on a read-only copy, and on a tampered one.
func TestLedgerDocRecipe(t *testing.T) {
	needSQLite3(t)
	doc := ledgerDoc(t)
	m := regexp.MustCompile("(?s)```sh\n(#!/bin/sh\n# Verify a choucha ledger.*?)```").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("docs/LEDGER.md has no verification script")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "verify.sh")
	os.WriteFile(script, []byte(m[1]), 0o755)
	db := filepath.Join(dir, "c.db")
	if _, _, code := cli(t, db, sampleArgs(filepath.Join(dir, "1"))...); code != 0 {
		t.Fatal("draw 1")
	}
	if _, _, code := cli(t, db, "ledger", "lock", "1"); code != 0 {
		t.Fatal("lock")
	}
	if _, _, code := cli(t, db, sampleArgs(filepath.Join(dir, "2"), "--task", "291")...); code != 0 {
		t.Fatal("draw 2")
	}
	stdout, _, _ := cli(t, db, "ledger", "verify")
	head := regexp.MustCompile(`台账头哈希：([0-9a-f]{64})`).FindStringSubmatch(stdout)
	if head == nil {
		t.Fatalf("verify: %s", stdout)
	}
	run := func(db string) (string, error) {
		out, err := exec.Command("sh", script, db).CombinedOutput()
		return string(out), err
	}
	if out, err := run(db); err != nil || !strings.Contains(out, "共 3 条，台账头哈希 "+head[1]) {
		t.Errorf("recipe on a real ledger: %v\n%s", err, out)
	}
	// A read-only copy (one file, no -wal or -shm beside it, folder not writable).
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o755)
	b, _ := os.ReadFile(db)
	os.WriteFile(filepath.Join(ro, "c.db"), b, 0o444)
	os.Chmod(ro, 0o555)
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	if out, err := run(filepath.Join(ro, "c.db")); err != nil || !strings.Contains(out, head[1]) {
		t.Errorf("recipe on a read-only copy: %v\n%s", err, out)
	}
	// A drawn-firm list (schema 3) replaced by another draw's is found.
	lists := filepath.Join(dir, "lists.db")
	os.WriteFile(lists, b, 0o644)
	rawExec(t, lists, `DROP TRIGGER lists_no_update`, `UPDATE lists SET gzip = (SELECT gzip FROM lists ORDER BY rowid LIMIT 1) WHERE rowid = (SELECT max(rowid) FROM lists)`)
	if out, err := run(lists); err == nil || !strings.Contains(out, "抽中企业名单") || !strings.Contains(out, "被改动") {
		t.Errorf("recipe on a ledger with a replaced list: %v\n%s", err, out)
	}
	// A tampered entry is found.
	rawExec(t, db, `DROP TRIGGER entries_no_update`, `UPDATE entries SET entry = replace(entry, '"operator":"tester"', '"operator":"x"') WHERE id = 2`)
	rawExec(t, db, `UPDATE entries SET entry = entry || ' ' WHERE id = 2`)
	if out, err := run(db); err == nil || !strings.Contains(out, "第 2 条的哈希与内容不符") {
		t.Errorf("recipe on a tampered ledger: %v\n%s", err, out)
	}
}
