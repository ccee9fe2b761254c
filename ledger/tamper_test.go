package ledger

import (
	"fmt"
	"strings"
	"testing"
)

// tamperFixture makes a ledger of five entries — draws 1, 2, 3, a lock of 2 (4), draw 5 —
// and returns its path, closed, and entry 5's hash.
func tamperFixture(t *testing.T) (string, string) {
	t.Helper()
	l, path := openTemp(t)
	const at = "2026-05-01T08:00:00Z"
	mustAppend(t, l, drawEntry("T", 1, at, "A", "B"))
	mustAppend(t, l, drawEntry("T", 1, at, "C", "D"))
	mustAppend(t, l, drawEntry("U", 1, at, "E"))
	if _, err := l.Lock(ctx, 2, "李四"); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, l, drawEntry("T", 2, at, "F"))
	res := mustVerify(t, l)
	if res.Entries != 5 {
		t.Fatalf("fixture has %d entries", res.Entries)
	}
	l.Close()
	return path, res.Head
}

// TestTamper edits the database as someone with sqlite3 could (after dropping the
// append-only triggers) and checks that Verify names the first bad entry.
func TestTamper(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sql     []string
		badID   int64
		problem string // part of the message
	}{
		{
			name:  "edit a manifest",
			sql:   []string{`UPDATE entries SET entry = replace(entry, '"key":"C"', '"key":"Z"') WHERE id = 2`},
			badID: 2, problem: "哈希与内容不符",
		},
		{
			name:  "edit the drawn keys",
			sql:   []string{`UPDATE entries SET entry = replace(entry, '"keys":["E"]', '"keys":["Z"]') WHERE id = 3`},
			badID: 3, problem: "哈希与内容不符",
		},
		{
			name:  "edit the operator column",
			sql:   []string{`UPDATE entries SET operator = '王五' WHERE id = 2`},
			badID: 2, problem: "操作人",
		},
		{
			name:  "edit the seed column",
			sql:   []string{`UPDATE entries SET seed = '1' WHERE id = 1`},
			badID: 1, problem: "种子",
		},
		{
			name:  "move a lock to another draw",
			sql:   []string{`UPDATE entries SET target = 1 WHERE id = 4`},
			badID: 4, problem: "锁定对象",
		},
		{
			// The editor recomputes the row's own hash; the next entry no longer links to it.
			name: "edit an entry and rehash it",
			sql: []string{
				`UPDATE entries SET entry = replace(entry, '"operator":"张三"', '"operator":"王五"'), operator = '王五' WHERE id = 2`,
				rehash + "2",
			},
			badID: 3, problem: "第 2 条被改动",
		},
		{
			name:  "delete a middle entry",
			sql:   []string{`DELETE FROM entries WHERE id = 3`},
			badID: 3, problem: "第 3 条缺失",
		},
		{
			name:  "delete the lock (unlock by editing)",
			sql:   []string{`DELETE FROM entries WHERE id = 4`},
			badID: 4, problem: "第 4 条缺失",
		},
		{
			name:  "delete the first entry",
			sql:   []string{`DELETE FROM entries WHERE id = 1`},
			badID: 1, problem: "第 1 条缺失",
		},
		{
			name: "delete a middle entry and renumber",
			sql: []string{
				`DELETE FROM entries WHERE id = 3`,
				`UPDATE entries SET id = id - 1 WHERE id > 3`,
			},
			badID: 3, problem: "属于第 4 条",
		},
		{
			name: "swap two entries' contents",
			sql: []string{
				`UPDATE entries SET id = -1 WHERE id = 1`,
				`UPDATE entries SET id = 1 WHERE id = 3`,
				`UPDATE entries SET id = 3 WHERE id = -1`,
			},
			badID: 1, problem: "属于第 3 条",
		},
		{
			name:  "delete the newest entry",
			sql:   []string{`DELETE FROM entries WHERE id = 5`},
			badID: 5, problem: "最新的条目被删除",
		},
		{
			name:  "counter edited down",
			sql:   []string{`UPDATE sqlite_sequence SET seq = 3 WHERE name = 'entries'`},
			badID: 5, problem: "序号计数",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := tamperFixture(t)
			tamper(t, path, tc.sql...)
			l, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			res, err := l.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.BadID != tc.badID || !strings.Contains(res.Problem, tc.problem) {
				t.Errorf("Verify = %+v; want entry %d, %q", res, tc.badID, tc.problem)
			}
			if res.Head != "" {
				t.Errorf("a failed Verify reports head %s", res.Head)
			}
		})
	}
}

// TestTruncationLimit pins the documented limit: deleting the newest entry together with
// the AUTOINCREMENT counter leaves a valid, shorter chain. Only a published head hash (or
// entry count) shows the change.
func TestTruncationLimit(t *testing.T) {
	path, head := tamperFixture(t)
	tamper(t, path,
		`DELETE FROM entries WHERE id = 5`,
		`UPDATE sqlite_sequence SET seq = 4 WHERE name = 'entries'`)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res := mustVerify(t, l)
	if res.Entries != 4 || res.Head == head {
		t.Errorf("after truncation: %+v; the head must differ from the published %s", res, head)
	}
}

// TestAppendOnlyTriggers: an ordinary UPDATE or DELETE is refused by the database itself.
func TestAppendOnlyTriggers(t *testing.T) {
	path, _ := tamperFixture(t)
	db := rawDB(t, path)
	for _, q := range []string{`UPDATE entries SET operator = 'x' WHERE id = 1`, `DELETE FROM entries WHERE id = 5`} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "只能追加") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// rehash, followed by an ID, recomputes that entry's hash after an edit.
const rehash = "REHASH "

func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db := rawDB(t, path)
	for _, q := range append([]string{
		`DROP TRIGGER entries_no_update`, `DROP TRIGGER entries_no_delete`,
	}, stmts...) {
		if id, ok := strings.CutPrefix(q, rehash); ok {
			// sqlite3 has no sha256(); the editor computes the hash outside, as sha256sum would.
			var prev, entry string
			if err := db.QueryRow(`SELECT prev_hash, entry FROM entries WHERE id = ?`, id).Scan(&prev, &entry); err != nil {
				t.Fatal(err)
			}
			q = fmt.Sprintf(`UPDATE entries SET hash = '%s' WHERE id = %s`, ChainHash(prev, []byte(entry)), id)
		}
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
}
