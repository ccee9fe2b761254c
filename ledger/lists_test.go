package ledger

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testList is a drawn-firm list shaped as draw.Manifest.Stored writes it.
func testList(t *testing.T, keys ...string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"format": "CHOUCHA-LIST-v1", "firms": len(keys),
		"columns": []map[string]any{{"name": "key", "values": keys}, {"name": "values.0", "same_as": "key"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// listDraw is a draw in the stored form: its manifest names its frame and its list, and the
// entry chains no keys.
func listDraw(t *testing.T, task string, frame, list []byte, firms int) Entry {
	t.Helper()
	m, err := json.Marshal(map[string]any{
		"spec": "CHOUCHA-SAMPLE-v1", "task": task,
		"roster":   map[string]any{"file": "f.csv", "frame_sha256": FrameHash(frame)},
		"selected": nil,
		"list":     map[string]any{"sha256": FrameHash(list), "firms": firms},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := drawEntry(task, 1, "2026-04-01T09:30:00Z")
	e.Manifest, e.Frame, e.List, e.Keys = m, frame, list, nil
	return e
}

func TestListStored(t *testing.T) {
	l, path := openTemp(t)
	list := testList(t, "91140430MA0000002C", "91140430MA0000000A")
	id := mustAppend(t, l, listDraw(t, "T1", testFrame, list, 2))
	mustAppend(t, l, listDraw(t, "T2", testFrame, list, 2)) // the same list is stored once
	mustVerify(t, l)

	e, err := l.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// The keys are the list's (sorted, as chained keys are), the list comes back as given.
	if strings.Join(e.Keys, ",") != "91140430MA0000000A,91140430MA0000002C" || e.Firms != 2 || !bytes.Equal(e.List, list) {
		t.Errorf("read back: keys %v, %d firms, list %q", e.Keys, e.Firms, e.List)
	}
	// GetLater: the entry as chained, then with attach the same as Get's.
	later, attach, err := l.GetLater(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if later.List != nil || len(later.Keys) != 0 || later.Manifest == nil {
		t.Errorf("GetLater before attach: list %q, keys %v", later.List, later.Keys)
	}
	if err := attach(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*later, e) {
		t.Errorf("GetLater after attach:\n %+v\nGet:\n %+v", *later, e)
	}
	var chained struct {
		Keys []string `json:"keys"`
	}
	var entry string
	db := rawDB(t, path)
	if err := db.QueryRow(`SELECT entry FROM entries WHERE id = ?`, id).Scan(&entry); err != nil {
		t.Fatal(err)
	}
	if json.Unmarshal([]byte(entry), &chained); chained.Keys == nil || len(chained.Keys) != 0 {
		t.Errorf("chained keys %v, want []", chained.Keys)
	}
	listed, err := l.List(ctx, Filter{})
	if err != nil || len(listed) != 2 || listed[0].Firms != 2 || listed[0].List != nil {
		t.Fatalf("List: %+v %v", listed, err)
	}
	// The year's standing draws with their lists, or as chained (the calendar needs counts).
	if st, err := l.StandingYear(ctx, 2026); err != nil || len(st) != 2 || !bytes.Equal(st[0].List, list) || len(st[0].Keys) != 2 {
		t.Errorf("StandingYear: %+v %v", st, err)
	}
	if st, err := l.StandingYearStored(ctx, 2026); err != nil || len(st) != 2 || st[0].List != nil || st[0].Firms != 2 || len(st[0].Keys) != 0 {
		t.Errorf("StandingYearStored: %+v %v", st, err)
	}
	var n, firms int
	var blob []byte
	if err := db.QueryRow(`SELECT count(*) FROM lists`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("lists rows = %d (%v), want 1", n, err)
	}
	if err := db.QueryRow(`SELECT firms, gzip FROM lists WHERE sha256 = ?`, FrameHash(list)).Scan(&firms, &blob); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if firms != 2 || !bytes.Equal(got, list) {
		t.Errorf("stored: %d firms, gunzip %q", firms, got)
	}
}

func TestListAppendChecks(t *testing.T) {
	l, _ := openTemp(t)
	list := testList(t, "K1")
	for name, tc := range map[string]struct {
		edit func(*Entry)
		want string
	}{
		"list of another hash":   {func(e *Entry) { e.List = testList(t, "K2") }, "list.sha256"},
		"firms count wrong":      {func(e *Entry) { *e = listDraw(t, "T", testFrame, list, 3) }, "list.firms"},
		"keys besides the list":  {func(e *Entry) { e.Keys = []string{"K1"} }, "不另列 keys"},
		"named but not given":    {func(e *Entry) { e.List = nil }, "没有给出名单"},
		"list not a keyed table": {func(e *Entry) { *e = listDraw(t, "T", testFrame, []byte(`{"format":"x","firms":1,"columns":[]}`), 1) }, "企业标识"},
	} {
		e := listDraw(t, "T", testFrame, list, 1)
		tc.edit(&e)
		if _, err := l.Append(ctx, e); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want …%s…", name, err, tc.want)
		}
	}
	if res := mustVerify(t, l); res.Entries != 0 {
		t.Errorf("refused appends left %d entries", res.Entries)
	}
}

func TestListTamper(t *testing.T) {
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"list replaced", `UPDATE lists SET gzip = (SELECT gzip FROM lists WHERE firms = 1) WHERE firms = 2`, "第 2 条引用的抽中企业名单"},
		{"firm count edited", `UPDATE lists SET firms = 5 WHERE firms = 2`, "户数一栏"},
		{"list deleted", `DELETE FROM lists WHERE firms = 2`, "不在台账中：被删除"},
		{"not gzip", `UPDATE lists SET gzip = x'00' WHERE firms = 2`, "无法解压"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, path := openTemp(t)
			mustAppend(t, l, listDraw(t, "T1", testFrame, testList(t, "K1"), 1))
			mustAppend(t, l, listDraw(t, "T2", testFrame, testList(t, "K1", "K2"), 2))
			mustVerify(t, l)
			tamper(t, path, `DROP TRIGGER lists_no_update`, `DROP TRIGGER lists_no_delete`, tc.sql)
			res, err := l.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.BadID != 2 || !strings.Contains(res.Problem, tc.want) {
				t.Errorf("Verify = %+v, want entry 2: …%s…", res, tc.want)
			}
			if _, err := l.Get(ctx, 2); err == nil || !(errors.Is(err, ErrListMissing) || strings.Contains(err.Error(), "ledger verify")) {
				t.Errorf("Get of the entry: %v", err)
			}
			// GetLater says so too: a missing list at once, a changed one when attached.
			_, attach, err := l.GetLater(ctx, 2)
			if err == nil {
				err = attach()
			} else if !errors.Is(err, ErrListMissing) {
				t.Errorf("GetLater refused an entry whose list is there: %v", err)
			}
			if err == nil || !(errors.Is(err, ErrListMissing) || strings.Contains(err.Error(), "ledger verify")) {
				t.Errorf("GetLater of the entry: %v", err)
			}
			// A decision on this ledger is refused.
			if _, err := l.Append(ctx, drawEntry("T1", 1, "2026-05-01T08:00:00Z", "X")); !errors.Is(err, ErrBadLedger) {
				t.Errorf("append on a tampered ledger: %v", err)
			}
		})
	}
}

func TestListTriggers(t *testing.T) {
	l, path := openTemp(t)
	mustAppend(t, l, listDraw(t, "T1", testFrame, testList(t, "K1"), 1))
	db := rawDB(t, path)
	if _, err := db.Exec(`UPDATE lists SET firms = 2`); err == nil || !strings.Contains(err.Error(), "只能追加") {
		t.Errorf("update: %v", err)
	}
	if _, err := db.Exec(`DELETE FROM lists`); err == nil || !strings.Contains(err.Error(), "只能追加") {
		t.Errorf("delete: %v", err)
	}
}

// TestMigrateVersion2 opens a real version-2 ledger, made by choucha before drawn-firm lists
// were stored apart (testdata/ledger-v2.db, by main at f16b9f7: task 292 drawn from the xlsx
// with inspectors, locked, redrawn from the csv with a reason; task 291 drawn from the csv),
// and migrates it.
func TestMigrateVersion2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "choucha.db")
	b, err := os.ReadFile("testdata/ledger-v2.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var version int
	rawDB(t, path).QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != 2 {
		t.Fatalf("fixture user_version = %d, want 2", version)
	}
	// Read-only, it is read as it is, unmigrated.
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	const head = "42a22bbee826dfce491d82de0e01a784a767e3dee2530ef89f7cc6c02a003f94" // printed by v2 `ledger verify`
	if res := mustVerify(t, ro); res.Entries != 4 || res.Head != head {
		t.Errorf("read-only Verify = %+v", res)
	}
	ro.Close()
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rawDB(t, path).QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != SchemaVersion {
		t.Errorf("after Open: user_version = %d, want %d", version, SchemaVersion)
	}
	res := mustVerify(t, l)
	if res.Entries != 4 || res.Head != head {
		t.Errorf("Verify = %+v, want 4 entries, head %s", res, head)
	}
	// The version-2 entries keep their drawn firms and keys inline.
	e, err := l.Get(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Roster struct {
			FrameSHA256 string `json:"frame_sha256"`
		} `json:"roster"`
		Selected []struct {
			Key string `json:"key"`
		} `json:"selected"`
	}
	if err := json.Unmarshal(e.Manifest, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Selected) != 18 || len(e.Keys) != 18 || e.Firms != 18 || e.List != nil || e.RedrawReason == "" {
		t.Errorf("entry 3: %d selected, %d keys, firms %d, list %v", len(m.Selected), len(e.Keys), e.Firms, e.List != nil)
	}
	frame, err := l.Frame(ctx, m.Roster.FrameSHA256)
	if err != nil {
		t.Fatal(err)
	}
	// A new draw from the same roster, in the stored form, chains to the old head.
	ne := listDraw(t, "CZ2026-290", frame, testList(t, m.Selected[0].Key), 1)
	id := mustAppend(t, l, ne)
	got, err := l.Get(ctx, id)
	if err != nil || got.PrevHash != head || len(got.Keys) != 1 {
		t.Errorf("new entry %d: prev %s, keys %v (%v), want %s", id, got.PrevHash, got.Keys, err, head)
	}
	mustVerify(t, l)
	var frames int
	rawDB(t, path).QueryRow(`SELECT count(*) FROM frames`).Scan(&frames)
	if frames != 1 {
		t.Errorf("%d frames stored, want 1 (the roster's frame once)", frames)
	}
	l.Close()
	l2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if res := mustVerify(t, l2); res.Entries != 5 {
		t.Errorf("reopened: %+v", res)
	}
}

// A large list is compressed in parts like a frame (cut anywhere, not at line ends: a list is
// one line); the blob reads back as one gzip stream.
func TestGzipListParts(t *testing.T) {
	keys := make([]string, 300000)
	for i := range keys {
		keys[i] = fmt.Sprintf("91140430MA%08d", i)
	}
	list := testList(t, keys...)
	if len(list) < 4<<20 {
		t.Fatalf("list of %d bytes is too small to be cut", len(list))
	}
	blob, err := gzipList(list)
	if err != nil {
		t.Fatal(err)
	}
	got, keysBack, problem := checkList(FrameHash(list), int64(len(keys)), blob)
	if problem != "" || !bytes.Equal(got, list) || len(keysBack) != len(keys) {
		t.Fatalf("round trip: %s", problem)
	}
}
