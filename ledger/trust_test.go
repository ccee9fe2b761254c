package ledger

import (
	"errors"
	"strings"
	"testing"
)

// forge appends an entry by hand, as someone with sqlite3 and sha256sum could: the
// canonical bytes, a correctly recomputed hash, the counter moved on. The chain links are
// sound; only the rules can tell.
func forge(t *testing.T, path string, b body) {
	t.Helper()
	db := rawDB(t, path)
	defer db.Close()
	var lastID int64
	var prev string
	if err := db.QueryRow(`SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1`).Scan(&lastID, &prev); err != nil {
		t.Fatal(err)
	}
	b.Format, b.ID = Format, lastID+1
	canon, err := b.canonical()
	if err != nil {
		t.Fatal(err)
	}
	var target any
	if b.Kind == KindLock {
		target = b.Target
	}
	if _, err := db.Exec(`INSERT INTO entries (id, kind, task, round, year, seed, created_at, operator, redraw_reason, target, prev_hash, hash, entry)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.Kind, b.Task, b.Round, b.Year, b.Seed, b.CreatedAt, b.Operator,
		b.RedrawReason, target, prev, ChainHash(prev, canon), string(canon)); err != nil {
		t.Fatal(err)
	}
}

// TestDecisionsVerifyFirst: today's failure was a redraw of a locked round going through
// without a reason once the lock entry was deleted from the file. Every lock decision now
// verifies the chain first and names the first bad entry.
func TestDecisionsVerifyFirst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sql   []string
		badID int64
	}{
		{"lock deleted", []string{`DELETE FROM entries WHERE id = 4`}, 4},
		{"lock deleted and later entries renumbered", []string{
			`DELETE FROM entries WHERE id = 4`, `UPDATE entries SET id = id - 1 WHERE id > 4`,
			`UPDATE sqlite_sequence SET seq = 4 WHERE name = 'entries'`}, 4},
		{"lock's task column edited", []string{`UPDATE entries SET task = 'X' WHERE id = 4`}, 4},
		{"lock's kind column edited", []string{`UPDATE entries SET kind = 'draw' WHERE id = 4`}, 4},
		{"another task's draw edited", []string{`UPDATE entries SET entry = replace(entry, '"E"', '"Z"') WHERE id = 3`}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := tamperFixture(t) // draws 1, 2 (T r1), 3 (U r1), lock of 2 (4), draw 5 (T r2)
			tamper(t, path, tc.sql...)
			l, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			check := func(what string, err error) {
				t.Helper()
				var be *BadLedgerError
				if !errors.Is(err, ErrBadLedger) || !errors.As(err, &be) || be.BadID != tc.badID ||
					!strings.Contains(err.Error(), "校验不通过") {
					t.Errorf("%s: %v; want a refusal naming entry %d", what, err, tc.badID)
				}
			}
			_, err = l.Append(ctx, drawEntry("T", 1, "2026-06-01T08:00:00Z", "X"))
			check("redraw without reason", err)
			_, err = l.Locked(ctx, "T", 1, 2026)
			check("Locked", err)
			_, err = l.RoundDraw(ctx, "T", 1, 2026)
			check("RoundDraw", err)
			_, err = l.StandingYear(ctx, 2026)
			check("StandingYear", err)
			_, err = l.Lock(ctx, 1, "李四")
			check("Lock", err)
			if n := count(t, path); n > 5 {
				t.Errorf("%d entries after refusals", n)
			}
		})
	}
}

// TestScopedCheck: above fullCheckBelow a decision reads the task's entries and every lock in
// full and the rest by links; what it reads in full catches a column edit, what it links
// catches a deletion.
func TestScopedCheck(t *testing.T) {
	path, _ := tamperFixture(t)
	tamper(t, path, `UPDATE entries SET task = 'X' WHERE id = 4`)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res, err := verifyTx(ctx, l.db, scope{task: "T", year: 2026}, VerifyOptions{})
	if err != nil || res.OK || res.BadID != 4 {
		t.Errorf("scoped, lock column edited: %+v %v", res, err)
	}
	path, _ = tamperFixture(t)
	tamper(t, path, `DELETE FROM entries WHERE id = 3`)
	l2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	res, err = verifyTx(ctx, l2.db, scope{task: "T", year: 2026}, VerifyOptions{})
	if err != nil || res.OK || res.BadID != 3 {
		t.Errorf("scoped, other task's entry deleted: %+v %v", res, err)
	}
	// An out-of-scope entry's content is not read: a change there is for ledger verify.
	path, _ = tamperFixture(t)
	tamper(t, path, `UPDATE entries SET entry = replace(entry, '"E"', '"Z"') WHERE id = 3`)
	l3, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l3.Close()
	if res, _ := verifyTx(ctx, l3.db, scope{task: "T", year: 2026}, VerifyOptions{}); !res.OK {
		t.Errorf("scoped check read another task's content: %+v", res)
	}
	if res := must(l3.Verify(ctx)); res.OK || res.BadID != 3 {
		t.Errorf("full verify missed it: %+v", res)
	}
}

func must(res VerifyResult, err error) VerifyResult {
	if err != nil {
		panic(err)
	}
	return res
}

func count(t *testing.T, path string) int {
	db := rawDB(t, path)
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVerifyLockRules: entries forged with correctly recomputed hashes verified before
// (issue 19: "a forged lock on an already-locked round without a reason ... verify"); now
// the lock rules are checked over the whole chain.
func TestVerifyLockRules(t *testing.T) {
	const seed = "12345678901234567890"
	for _, tc := range []struct {
		name    string
		forged  []body
		badID   int64
		problem string
	}{
		{"draw of a locked round without reason", []body{{Kind: KindDraw, Task: "T", Round: 1, Year: 2026, Seed: seed,
			CreatedAt: "2026-12-01T00:00:00Z", Operator: "x", Keys: []string{"Q"}, Manifest: manifest("T", 1, seed, []string{"Q"}, 0)}},
			6, "没有重抽理由"},
		{"second lock of a locked round", []body{{Kind: KindLock, Task: "T", Round: 1, Year: 2026, Seed: seed,
			CreatedAt: "2027-01-01T00:00:00Z", Operator: "x", Target: 1}}, 6, "已锁定第 2 条"},
		{"the same draw locked twice", []body{{Kind: KindLock, Task: "T", Round: 1, Year: 2026, Seed: seed,
			CreatedAt: "2027-01-01T00:00:00Z", Operator: "x", Target: 2}}, 6, "再次锁定"},
		{"lock of a later entry", []body{{Kind: KindLock, Task: "T", Round: 2, Year: 2026, Seed: seed,
			CreatedAt: "2027-01-01T00:00:00Z", Operator: "x", Target: 9}}, 6, "不是此前的抽取记录"},
		{"lock with another round than its draw", []body{{Kind: KindLock, Task: "T", Round: 3, Year: 2026, Seed: seed,
			CreatedAt: "2027-01-01T00:00:00Z", Operator: "x", Target: 5}}, 6, "不符"},
		{"lock older than its draw", []body{{Kind: KindLock, Task: "T", Round: 2, Year: 2026, Seed: seed,
			CreatedAt: "2026-01-01T00:00:00Z", Operator: "x", Target: 5}}, 6, "时间顺序"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := tamperFixture(t)
			for _, b := range tc.forged {
				forge(t, path, b)
			}
			l, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			res := must(l.Verify(ctx))
			if res.OK || res.BadID != tc.badID || !strings.Contains(res.Problem, tc.problem) {
				t.Errorf("Verify = %+v; want entry %d, %q", res, tc.badID, tc.problem)
			}
		})
	}
	// A redraw with a reason after the lock, then its lock: the legitimate path verifies.
	path, _ := tamperFixture(t)
	forge(t, path, body{Kind: KindDraw, Task: "T", Round: 1, Year: 2026, Seed: seed, CreatedAt: "2027-01-01T00:00:00Z",
		Operator: "x", RedrawReason: "名录有误", Keys: []string{"Q"}, Manifest: manifest("T", 1, seed, []string{"Q"}, 0)})
	forge(t, path, body{Kind: KindLock, Task: "T", Round: 1, Year: 2026, Seed: seed, CreatedAt: "2027-01-02T00:00:00Z",
		Operator: "x", Target: 6})
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if res := must(l.Verify(ctx)); !res.OK {
		t.Errorf("legitimate relock: %+v", res)
	}
}

// TestVerifyDrawHook: the Draw check sees every draw with its manifest and its verdict
// names the entry.
func TestVerifyDrawHook(t *testing.T) {
	path, _ := tamperFixture(t)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var seen []int64
	res := must(l.VerifyWith(ctx, VerifyOptions{Draw: func(e Entry, _ []byte) error {
		seen = append(seen, e.ID)
		if len(e.Manifest) == 0 {
			t.Errorf("entry %d without manifest", e.ID)
		}
		if e.ID == 3 {
			return errors.New("签号不符")
		}
		return nil
	}}))
	if res.OK || res.BadID != 3 || !strings.Contains(res.Problem, "签号不符") || len(seen) != 3 {
		t.Errorf("res %+v, seen %v", res, seen)
	}
}
