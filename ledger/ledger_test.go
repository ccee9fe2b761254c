package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var ctx = context.Background()

func openTemp(t *testing.T) (*Ledger, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "choucha.db")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, path
}

// manifest returns manifest bytes shaped like draw.Manifest.Canonical output, with pad
// bytes of padding so that an entry can be made large.
func manifest(task string, round int, seed string, keys []string, pad int) []byte {
	type sel struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	m := struct {
		Spec     string `json:"spec"`
		Task     string `json:"task"`
		Round    int    `json:"round"`
		Seed     string `json:"seed"`
		N        int    `json:"n"`
		Selected []sel  `json:"selected"`
		Pad      string `json:"pad,omitempty"`
	}{Spec: "CHOUCHA-SAMPLE-v1", Task: task, Round: round, Seed: seed, N: len(keys), Pad: strings.Repeat("x", pad)}
	for _, k := range keys {
		m.Selected = append(m.Selected, sel{Key: k, Name: "公司<" + k + ">&"})
	}
	b, err := json.Marshal(&m)
	if err != nil {
		panic(err)
	}
	return b
}

func drawEntry(task string, round int, at string, keys ...string) Entry {
	seed := "12345678901234567890"
	return Entry{
		Kind: KindDraw, Task: task, Round: round, Seed: seed, CreatedAt: at, Operator: "张三",
		Manifest: manifest(task, round, seed, keys, 0), Keys: keys,
	}
}

func mustAppend(t *testing.T, l *Ledger, e Entry) int64 {
	t.Helper()
	id, err := l.Append(ctx, e)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return id
}

func mustVerify(t *testing.T, l *Ledger) VerifyResult {
	t.Helper()
	res, err := l.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("Verify: entry %d: %s", res.BadID, res.Problem)
	}
	return res
}

func TestAppendGetList(t *testing.T) {
	l, _ := openTemp(t)
	e1 := drawEntry("CZ2026-1", 1, "2026-03-01T08:00:00Z", "91110000600037341L", "91512081MA62K0260E")
	id1 := mustAppend(t, l, e1)
	id2 := mustAppend(t, l, drawEntry("CZ2026-2", 1, "2026-03-02T08:00:00Z", "K2"))
	id3 := mustAppend(t, l, drawEntry("CZ2026-1", 1, "2025-12-31T23:59:59Z", "K3"))
	if id1 != 1 || id2 != 2 || id3 != 3 {
		t.Fatalf("ids = %d %d %d, want 1 2 3", id1, id2, id3)
	}

	got, err := l.Get(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Manifest) != string(e1.Manifest) {
		t.Errorf("manifest not stored byte for byte:\n got %s\nwant %s", got.Manifest, e1.Manifest)
	}
	if got.Kind != KindDraw || got.Task != "CZ2026-1" || got.Round != 1 || got.Year != 2026 ||
		got.Seed != e1.Seed || got.Operator != "张三" || got.CreatedAt != e1.CreatedAt ||
		strings.Join(got.Keys, ",") != "91110000600037341L,91512081MA62K0260E" || got.Locked {
		t.Errorf("Get = %+v", got)
	}
	if got.PrevHash != GenesisHash {
		t.Errorf("first entry's prev hash = %s, want genesis", got.PrevHash)
	}
	if got.Hash == "" || len(got.Hash) != 64 {
		t.Errorf("hash = %q", got.Hash)
	}
	g2, _ := l.Get(ctx, id2)
	if g2.PrevHash != got.Hash {
		t.Errorf("entry 2 prev hash %s, want entry 1 hash %s", g2.PrevHash, got.Hash)
	}
	if _, err := l.Get(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(99) error = %v, want ErrNotFound", err)
	}

	for _, tc := range []struct {
		f    Filter
		want []int64
	}{
		{Filter{}, []int64{1, 2, 3}},
		{Filter{Task: "CZ2026-1"}, []int64{1, 3}},
		{Filter{Year: 2026}, []int64{1, 2}},
		{Filter{Task: "CZ2026-1", Year: 2025}, []int64{3}},
		{Filter{Task: "none"}, nil},
	} {
		es, err := l.List(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range es {
			ids = append(ids, e.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("List(%+v) = %v, want %v", tc.f, ids, tc.want)
		}
	}
	res := mustVerify(t, l)
	if res.Entries != 3 || res.LastID != 3 {
		t.Errorf("Verify = %+v", res)
	}
	g3, _ := l.Get(ctx, 3)
	if res.Head != g3.Hash {
		t.Errorf("head %s, want %s", res.Head, g3.Hash)
	}
}

func TestChainHashDefinition(t *testing.T) {
	// The documented rule: sha256(prev_hash || entry), as `printf %s "$prev$entry" | sha256sum`.
	l, path := openTemp(t)
	mustAppend(t, l, drawEntry("T", 1, "2026-01-01T00:00:00Z", "A"))
	db := rawDB(t, path)
	var prev, hash, entry string
	if err := db.QueryRow(`SELECT prev_hash, hash, entry FROM entries WHERE id = 1`).Scan(&prev, &hash, &entry); err != nil {
		t.Fatal(err)
	}
	if want := "0000000000000000000000000000000000000000000000000000000000000000"; prev != want {
		t.Errorf("prev_hash = %s", prev)
	}
	if ChainHash(prev, []byte(entry)) != hash {
		t.Error("hash is not sha256(prev_hash || entry)")
	}
	if !strings.HasPrefix(entry, `{"format":"CHOUCHA-LEDGER-v1","id":1,"kind":"draw","task":"T","round":1,"year":2026,`) ||
		strings.ContainsAny(entry, "\n\r") {
		t.Errorf("entry = %s", entry)
	}
}

func TestAppendChecks(t *testing.T) {
	l, _ := openTemp(t)
	ok := drawEntry("T", 1, "2026-01-01T00:00:00Z", "A")
	for name, mutate := range map[string]func(*Entry){
		"no operator":  func(e *Entry) { e.Operator = " " },
		"no task":      func(e *Entry) { e.Task = "" },
		"bad manifest": func(e *Entry) { e.Manifest = []byte("{") },
		"no manifest":  func(e *Entry) { e.Manifest = nil },
		"bad time":     func(e *Entry) { e.CreatedAt = "2026-01-01 08:00" },
		"bad kind":     func(e *Entry) { e.Kind = "edit" },
		"draw target":  func(e *Entry) { e.Target = 1 },
		"negative":     func(e *Entry) { e.Round = -1 },
	} {
		e := ok
		mutate(&e)
		if _, err := l.Append(ctx, e); err == nil {
			t.Errorf("%s: Append accepted %+v", name, e)
		}
	}
	if res := mustVerify(t, l); res.Entries != 0 || res.Head != GenesisHash {
		t.Errorf("after refused appends: %+v", res)
	}

	// Defaults: the time is now, the year that of the time; a given year is kept.
	e := ok
	e.CreatedAt = ""
	id := mustAppend(t, l, e)
	got, _ := l.Get(ctx, id)
	if got.CreatedAt == "" || got.Year < 2026 {
		t.Errorf("defaults: %+v", got)
	}
	e = ok
	e.Year = 2030
	got, _ = l.Get(ctx, mustAppend(t, l, e))
	if got.Year != 2030 {
		t.Errorf("given year: %d", got.Year)
	}
}

func TestLockAndRounds(t *testing.T) {
	l, _ := openTemp(t)
	const at = "2026-04-01T08:00:00Z"
	d1 := mustAppend(t, l, drawEntry("T", 1, at, "A", "B")) // 1
	d2 := mustAppend(t, l, drawEntry("T", 1, at, "C", "D")) // 2: an unlocked redraw
	mustAppend(t, l, drawEntry("T", 2, at, "E"))            // 3

	e, err := l.Standing(ctx, "T", 1, 2026)
	if err != nil || e == nil || e.ID != d2 {
		t.Fatalf("Standing before lock = %v, %v; want the latest, %d", e, err, d2)
	}
	if e, _ := l.Locked(ctx, "T", 1, 2026); e != nil {
		t.Fatalf("Locked before lock = %d", e.ID)
	}
	if e, _ := l.Standing(ctx, "T", 3, 2026); e != nil {
		t.Errorf("Standing of an undrawn round = %d", e.ID)
	}
	if e, _ := l.Standing(ctx, "T", 1, 2025); e != nil {
		t.Errorf("Standing of another year = %d", e.ID)
	}

	lk, err := l.Lock(ctx, d1, "李四") // 4: lock the first draw, not the latest
	if err != nil {
		t.Fatal(err)
	}
	lock, _ := l.Get(ctx, lk)
	if lock.Kind != KindLock || lock.Target != d1 || lock.Task != "T" || lock.Round != 1 || lock.Year != 2026 || lock.Operator != "李四" {
		t.Errorf("lock entry = %+v", lock)
	}
	e, err = l.Locked(ctx, "T", 1, 2026)
	if err != nil || e == nil || e.ID != d1 || !e.Locked {
		t.Fatalf("Locked = %v, %v; want %d", e, err, d1)
	}
	if e, _ := l.Standing(ctx, "T", 1, 2026); e == nil || e.ID != d1 {
		t.Errorf("Standing after lock = %v, want the locked %d", e, d1)
	}
	if g, _ := l.Get(ctx, d2); g.Locked {
		t.Error("draw 2 reads as locked")
	}
	// StandingYear: one entry per task round, the locked one for round 1, with manifests.
	st, err := l.StandingYear(ctx, 2026)
	if err != nil || len(st) != 2 || st[0].ID != d1 || st[1].ID != 3 || len(st[0].Manifest) == 0 {
		t.Errorf("StandingYear = %+v, %v; want draws %d and 3", st, err, d1)
	}
	if st, _ := l.StandingYear(ctx, 2025); len(st) != 0 {
		t.Errorf("StandingYear of another year = %d entries", len(st))
	}
	if es, _ := l.List(ctx, Filter{}); len(es) != 3 || !es[0].Locked || es[1].Locked {
		t.Errorf("List after lock: %+v", es)
	}

	for name, id := range map[string]int64{"again": d1, "other draw of the round": d2, "a lock": lk, "unknown": 99} {
		if _, err := l.Lock(ctx, id, "李四"); err == nil {
			t.Errorf("Lock(%s) accepted", name)
		}
	}

	// A draw of the locked round without a reason is refused, inside the ledger too.
	_, err = l.Append(ctx, drawEntry("T", 1, at, "X"))
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) || le.LockedID != d1 {
		t.Fatalf("redraw without reason: %v", err)
	}
	// With a reason it is recorded as a redraw, and may be locked.
	re := drawEntry("T", 1, at, "F")
	re.RedrawReason = "名录有误，已更正"
	rd := mustAppend(t, l, re)
	if g, _ := l.Get(ctx, rd); g.RedrawReason != "名录有误，已更正" {
		t.Errorf("redraw reason = %q", g.RedrawReason)
	}
	if _, err := l.Lock(ctx, d2, "李四"); err == nil {
		t.Error("locking an earlier draw of a locked round was accepted")
	}
	if _, err := l.Lock(ctx, rd, "王五"); err != nil {
		t.Fatalf("locking the redraw: %v", err)
	}
	if e, _ := l.Locked(ctx, "T", 1, 2026); e == nil || e.ID != rd {
		t.Errorf("Locked after relock = %v, want %d", e, rd)
	}
	if _, err := l.Lock(ctx, d1, "李四"); err == nil {
		t.Error("locking the superseded draw again was accepted")
	}
	// Other rounds are unaffected.
	mustAppend(t, l, drawEntry("T", 2, at, "G"))
	mustVerify(t, l)
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()

	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte("这不是数据库\n"), 0o644)
	if _, err := Open(text); !errors.Is(err, ErrNotLedger) || !strings.Contains(err.Error(), "不是 SQLite 数据库") {
		t.Errorf("text file: %v", err)
	}
	if b, _ := os.ReadFile(text); string(b) != "这不是数据库\n" {
		t.Error("text file was changed")
	}

	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(other); !errors.Is(err, ErrNotLedger) || !strings.Contains(err.Error(), "不是 choucha 抽取台账") {
		t.Errorf("other SQLite db: %v", err)
	}

	newer := filepath.Join(dir, "newer.db")
	l, err := Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, l, drawEntry("T", 1, "2026-01-01T00:00:00Z", "A"))
	l.Close()
	db = rawDB(t, newer)
	if _, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion+1)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(newer); !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "请升级 choucha") {
		t.Errorf("newer schema: %v", err)
	}

	missing := filepath.Join(dir, "missing.db")
	if _, err := OpenExisting(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenExisting(missing): %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("OpenExisting created the file")
	}

	// An empty file (e.g. from touch) becomes a ledger; reopening keeps it.
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	l, err = Open(empty)
	if err != nil {
		t.Fatalf("empty file: %v", err)
	}
	mustAppend(t, l, drawEntry("T", 1, "2026-01-01T00:00:00Z", "A"))
	l.Close()
	l, err = OpenExisting(empty)
	if err != nil {
		t.Fatal(err)
	}
	if res := mustVerify(t, l); res.Entries != 1 {
		t.Errorf("reopened: %+v", res)
	}
	l.Close()
	db = rawDB(t, empty)
	var mode string
	var version int
	db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.QueryRow(`PRAGMA user_version`).Scan(&version)
	if mode != "wal" || version != SchemaVersion {
		t.Errorf("journal_mode %s, user_version %d", mode, version)
	}
}

// rawDB opens the ledger file as a plain SQLite database, as someone with sqlite3 would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
