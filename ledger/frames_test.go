package ledger

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// frameManifest is a draw manifest that references its frame by hash, as draw.Manifest does
// from schema version 2 on.
func frameManifest(t *testing.T, task, frameHash string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"spec": "CHOUCHA-SAMPLE-v1", "task": task,
		"roster":   map[string]any{"file": "f.csv", "frame_sha256": frameHash},
		"selected": []map[string]string{{"key": "K1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func frameDraw(t *testing.T, task string, frame []byte) Entry {
	e := drawEntry(task, 1, "2026-04-01T09:30:00Z", "K1")
	e.Manifest = frameManifest(t, task, FrameHash(frame))
	e.Frame = frame
	return e
}

var testFrame = []byte("91140430MA0000000A|A\n91140430MA0000001B|B\n91140430MA0000002C|D\n")

func TestFrameStoredOnce(t *testing.T) {
	l, path := openTemp(t)
	// The hash of a frame is plain SHA-256 of its bytes, written by hand here.
	sum := sha256.Sum256(testFrame)
	want := hex.EncodeToString(sum[:])
	if FrameHash(testFrame) != want {
		t.Fatalf("FrameHash = %s, want %s", FrameHash(testFrame), want)
	}
	mustAppend(t, l, frameDraw(t, "T1", testFrame))
	mustAppend(t, l, frameDraw(t, "T2", testFrame))
	// A draw that names the stored frame needs not bring it again.
	e := drawEntry("T3", 1, "2026-04-01T09:30:00Z", "K1")
	e.Manifest = frameManifest(t, "T3", want)
	mustAppend(t, l, e)
	mustVerify(t, l)

	db := rawDB(t, path)
	var n, lines int
	var blob []byte
	if err := db.QueryRow(`SELECT count(*) FROM frames`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("frames rows = %d (%v), want 1", n, err)
	}
	if err := db.QueryRow(`SELECT lines, gzip FROM frames WHERE sha256 = ?`, want).Scan(&lines, &blob); err != nil {
		t.Fatal(err)
	}
	if lines != 3 {
		t.Errorf("lines = %d, want 3", lines)
	}
	// The blob is plain gzip: `gunzip` gives the frame back.
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, testFrame) {
		t.Errorf("gunzip(blob) = %q", got)
	}
	fr, err := l.Frame(ctx, want)
	if err != nil || !bytes.Equal(fr, testFrame) {
		t.Errorf("Frame = %q, %v", fr, err)
	}
	if _, err := l.Frame(ctx, strings.Repeat("0", 64)); !errors.Is(err, ErrFrameMissing) {
		t.Errorf("Frame(unknown) = %v", err)
	}
}

func TestFrameAppendChecks(t *testing.T) {
	l, _ := openTemp(t)
	// The frame must be the one the manifest names.
	e := frameDraw(t, "T", testFrame)
	e.Frame = append([]byte("91140430MA0000009Z|A\n"), testFrame...)
	if _, err := l.Append(ctx, e); err == nil || !strings.Contains(err.Error(), "不符") {
		t.Errorf("frame of another hash: %v", err)
	}
	// A manifest that names a frame the ledger lacks, without bringing it.
	e = frameDraw(t, "T", testFrame)
	e.Frame = nil
	if _, err := l.Append(ctx, e); err == nil || !strings.Contains(err.Error(), "不在台账中") {
		t.Errorf("missing frame: %v", err)
	}
	// Lines end in a newline.
	bad := bytes.TrimSuffix(testFrame, []byte("\n"))
	if _, err := l.Append(ctx, frameDraw(t, "T", bad)); err == nil {
		t.Error("frame without final newline accepted")
	}
	// A lock carries no frame.
	if _, err := l.Append(ctx, Entry{Kind: KindLock, Target: 1, Operator: "李四", Frame: testFrame}); err == nil {
		t.Error("lock with a frame accepted")
	}
	if res := mustVerify(t, l); res.Entries != 0 {
		t.Errorf("refused appends left %d entries", res.Entries)
	}
}

// A frame prepared beforehand (PrepareFrame, Ledger.PrepareFrame) is stored as Frame would
// be, once; it is checked against the manifest as Frame is.
func TestPreparedFrame(t *testing.T) {
	l, path := openTemp(t)
	e := frameDraw(t, "T1", testFrame)
	p, err := PrepareFrame(e.Frame) // the ledger's own PrepareFrame is for a ledger that exists
	if err != nil {
		t.Fatal(err)
	}
	if p.hash != FrameHash(testFrame) || p.lines != 3 || p.gzip == nil {
		t.Fatalf("prepared: hash %s, %d lines, blob %d bytes", p.hash, p.lines, len(p.gzip))
	}
	e.Frame, e.PreparedFrame = nil, p
	mustAppend(t, l, e)
	// The ledger holds it now: a second prepare leaves it uncompressed, and Append stores
	// nothing new.
	p2, err := l.PrepareFrame(ctx, testFrame)
	if err != nil {
		t.Fatal(err)
	}
	if p2.gzip != nil {
		t.Error("a frame the ledger holds was compressed again")
	}
	e = frameDraw(t, "T2", testFrame)
	e.Frame, e.PreparedFrame = nil, p2
	mustAppend(t, l, e)
	mustVerify(t, l)
	var n int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM frames`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("frames rows = %d (%v), want 1", n, err)
	}
	fr, err := l.Frame(ctx, FrameHash(testFrame))
	if err != nil || !bytes.Equal(fr, testFrame) {
		t.Errorf("Frame = %q, %v", fr, err)
	}

	// Refused: a prepared frame of another hash than the manifest's, a frame given both ways,
	// a lock with a prepared frame.
	other, err := PrepareFrame(append([]byte("91140430MA0000009Z|A\n"), testFrame...))
	if err != nil {
		t.Fatal(err)
	}
	e = frameDraw(t, "T3", testFrame)
	e.Frame, e.PreparedFrame = nil, other
	if _, err := l.Append(ctx, e); err == nil || !strings.Contains(err.Error(), "不符") {
		t.Errorf("prepared frame of another hash: %v", err)
	}
	e = frameDraw(t, "T3", testFrame)
	e.PreparedFrame = p
	if _, err := l.Append(ctx, e); err == nil || !strings.Contains(err.Error(), "只能给出一次") {
		t.Errorf("frame given twice: %v", err)
	}
	if _, err := l.Append(ctx, Entry{Kind: KindLock, Target: 1, Operator: "李四", PreparedFrame: p}); err == nil {
		t.Error("lock with a prepared frame accepted")
	}
	if _, err := PrepareFrame(bytes.TrimSuffix(testFrame, []byte("\n"))); err == nil {
		t.Error("frame without final newline prepared")
	}
	if res := mustVerify(t, l); res.Entries != 2 {
		t.Errorf("refused appends: %d entries, want 2", res.Entries)
	}
}

func TestFrameTamper(t *testing.T) {
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"blob replaced", `UPDATE frames SET gzip = ?`, "内容与其哈希不符"},
		{"lines edited", `UPDATE frames SET lines = 2`, "行数"},
		{"frame deleted", `DELETE FROM frames`, "不在台账中"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, path := openTemp(t)
			mustAppend(t, l, drawEntry("T0", 1, "2026-04-01T09:30:00Z", "K0"))
			mustAppend(t, l, frameDraw(t, "T1", testFrame))
			db := rawDB(t, path)
			if _, err := db.Exec(`DROP TRIGGER frames_no_update; DROP TRIGGER frames_no_delete`); err != nil {
				t.Fatal(err)
			}
			var args []any
			if strings.Contains(tc.sql, "?") {
				other, _ := gzipFrame([]byte("91140430MA0000000A|D\n91140430MA0000001B|B\n91140430MA0000002C|D\n"))
				args = append(args, other)
			}
			if _, err := db.Exec(tc.sql, args...); err != nil {
				t.Fatal(err)
			}
			res, err := l.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.BadID != 2 || !strings.Contains(res.Problem, tc.want) {
				t.Errorf("Verify = %+v, want entry 2: …%s…", res, tc.want)
			}
			if _, err := l.Frame(ctx, FrameHash(testFrame)); err == nil {
				t.Error("Frame returned a tampered or missing frame")
			}
		})
	}
}

func TestFrameTriggers(t *testing.T) {
	l, path := openTemp(t)
	mustAppend(t, l, frameDraw(t, "T1", testFrame))
	db := rawDB(t, path)
	if _, err := db.Exec(`UPDATE frames SET lines = 5`); err == nil || !strings.Contains(err.Error(), "只能追加") {
		t.Errorf("update: %v", err)
	}
	if _, err := db.Exec(`DELETE FROM frames`); err == nil || !strings.Contains(err.Error(), "只能追加") {
		t.Errorf("delete: %v", err)
	}
}

// TestMigrateVersion1 opens a real version-1 ledger, made by choucha before frames were stored
// apart (testdata/ledger-v1.db: task 292 drawn from the xlsx with inspectors, locked, then
// redrawn from the csv with a reason), and migrates it.
func TestMigrateVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "choucha.db")
	b, err := os.ReadFile("testdata/ledger-v1.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var version int
	rawDB(t, path).QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != 1 {
		t.Fatalf("fixture user_version = %d, want 1", version)
	}
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
	const head = "35766d9d2f60faaef7aef74b741149b0e1befbf90c5d9a4c249526dff58021d8" // printed by v1 `ledger verify`
	if res.Entries != 3 || res.Head != head {
		t.Errorf("Verify = %+v, want 3 entries, head %s", res, head)
	}
	// The version-1 entries keep their inline frames; the chain is untouched.
	e, err := l.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Roster struct {
			FrameSHA256 string `json:"frame_sha256"`
		} `json:"roster"`
		Frame []string `json:"frame"`
	}
	if err := json.Unmarshal(e.Manifest, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Frame) != 400 || !e.Locked {
		t.Errorf("entry 1: %d frame lines, locked %v; want 400, true", len(m.Frame), e.Locked)
	}
	var frame []byte
	for _, line := range m.Frame {
		frame = append(frame, line+"\n"...)
	}
	if FrameHash(frame) != m.Roster.FrameSHA256 {
		t.Fatal("inline frame of entry 1 does not match its frame_sha256")
	}
	// A new draw from the same roster stores the frame apart and chains to the old head.
	ne := frameDraw(t, "CZ2026-292", frame)
	ne.Round, ne.RedrawReason = 1, "迁移后重抽"
	id := mustAppend(t, l, ne)
	got, err := l.Get(ctx, id)
	if err != nil || got.PrevHash != head {
		t.Errorf("new entry %d: prev %s (%v), want %s", id, got.PrevHash, err, head)
	}
	if fr, err := l.Frame(ctx, m.Roster.FrameSHA256); err != nil || !bytes.Equal(fr, frame) {
		t.Errorf("Frame after migration: %v", err)
	}
	mustVerify(t, l)
	l.Close()
	// Reopening does not migrate again.
	l2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if res := mustVerify(t, l2); res.Entries != 4 {
		t.Errorf("reopened: %+v", res)
	}
}

// A large frame is compressed in parts on all cores; the blob is still one gzip stream to a
// reader (gunzip reads concatenated members), and the same frame always gives the same blob.
func TestGzipFrameParts(t *testing.T) {
	var frame []byte
	for i := 0; len(frame) < 5<<20; i++ {
		frame = append(frame, []byte(strings.Repeat("9", 10)+strings.TrimPrefix(hex.EncodeToString([]byte{byte(i >> 16), byte(i >> 8), byte(i)}), "")+"|A\n")...)
	}
	a, err := gzipFrame(frame)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := gzipFrame(frame)
	if !bytes.Equal(a, b) {
		t.Error("two compressions of one frame differ")
	}
	got, err := gunzipFrame(a, int64(len(frame)))
	if err != nil || !bytes.Equal(got, frame) {
		t.Fatalf("round trip: %v", err)
	}
	if n := bytes.Count(a, []byte{0x1f, 0x8b, 0x08}); n < 2 {
		t.Logf("%d gzip members (GOMAXPROCS %d)", n, runtime.GOMAXPROCS(0))
	}
}

// TestCheckFrameStreamed: the check of a stored frame (checkFrameTo, streamed; checkFrame,
// which also keeps the bytes) accepts good blobs — one gzip member or several, small or
// across many chunks — giving back exactly what compress/gzip inflates, and names the fault of
// each kind of bad blob.
func TestCheckFrameStreamed(t *testing.T) {
	noNewline := bytes.TrimSuffix(testFrame, []byte("\n"))
	nul := append(slices.Clone(testFrame), 0) // ends in a NUL, not a newline
	big := bytes.Repeat([]byte("9"), 10*maxFrameLineBytes)
	large := benchFrame(200_000) // 4 MB: several gzip members, many 1 MiB chunks
	blob := func(b []byte) []byte {
		z, err := gzipFrame(b)
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	lines := func(b []byte) int64 { return int64(bytes.Count(b, []byte("\n"))) }
	for _, tc := range []struct {
		name  string
		hash  string
		lines int64
		blob  []byte
		want  string // "" for a good frame
	}{
		{"good", FrameHash(testFrame), lines(testFrame), blob(testFrame), ""},
		{"two members", FrameHash(append(slices.Clone(testFrame), testFrame...)), 2 * lines(testFrame), append(blob(testFrame), blob(testFrame)...), ""},
		{"large", FrameHash(large), lines(large), blob(large), ""},
		{"other hash", FrameHash([]byte("x\n")), lines(testFrame), blob(testFrame), "内容与其哈希不符"},
		{"lines wrong", FrameHash(testFrame), lines(testFrame) + 1, blob(testFrame), "行数一栏"},
		{"no final newline", FrameHash(noNewline), lines(noNewline), blob(noNewline), "行数一栏"},
		{"ends in NUL", FrameHash(nul), lines(nul), blob(nul), "行数一栏"},
		{"not gzip", FrameHash(testFrame), lines(testFrame), []byte("not gzip"), "无法解压"},
		{"truncated", FrameHash(testFrame), lines(testFrame), blob(testFrame)[:20], "无法解压"},
		{"inflates too far", FrameHash(big), 1, blob(big), "无法解压"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			streamed := checkFrameTo(nil, tc.hash, tc.lines, tc.blob)
			frame, whole := checkFrame(tc.hash, tc.lines, tc.blob)
			if tc.want == "" {
				if streamed != "" || whole != "" {
					t.Fatalf("good frame refused: %q / %q", streamed, whole)
				}
				zr, err := gzip.NewReader(bytes.NewReader(tc.blob))
				if err != nil {
					t.Fatal(err)
				}
				ref, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(frame, ref) {
					t.Errorf("checkFrame gave %d bytes, compress/gzip %d (%v)", len(frame), len(ref), err)
				}
				return
			}
			for _, problem := range []string{streamed, whole} {
				if !strings.Contains(problem, tc.want) {
					t.Errorf("problem %q, want …%s…", problem, tc.want)
				}
			}
			if frame != nil {
				t.Errorf("a bad frame's %d bytes were given back", len(frame))
			}
		})
	}
}

// TestChunks: what is written in pieces of any size, across chunk boundaries, comes back
// whole, and freed chunks serve the next writer without leaking into its bytes.
func TestChunks(t *testing.T) {
	for _, sizes := range [][]int{{}, {1}, {chunkSize}, {chunkSize - 1, 2}, {3 * chunkSize / 2, chunkSize, 7}, {5, 2*chunkSize + 3}} {
		var want []byte
		var c chunks
		for i, n := range sizes {
			p := bytes.Repeat([]byte{byte('a' + i)}, n)
			if k, err := c.Write(p); k != n || err != nil {
				t.Fatalf("Write(%d bytes) = %d, %v", n, k, err)
			}
			want = append(want, p...)
		}
		got := c.bytes()
		c.free()
		if !bytes.Equal(got, want) {
			t.Errorf("sizes %v: got %d bytes back, want %d (equal: false)", sizes, len(got), len(want))
		}
	}
}

// linesSource is a FrameSource over frame bytes, for PrepareFrameSource.
type linesSource [][]byte

func (s linesSource) Lines() int { return len(s) }
func (s linesSource) AppendLines(dst []byte, from, to int) []byte {
	for _, l := range s[from:to] {
		dst = append(dst, l...)
	}
	return dst
}

func sourceOf(frame []byte) linesSource {
	lines := bytes.SplitAfter(frame, []byte("\n"))
	return linesSource(lines[:len(lines)-1]) // after the last "\n", nothing
}

// A frame given by its lines (PrepareFrameSource) is compressed piece by piece, in parts on all
// cores when large, to a blob that inflates to the frame's bytes; a ledger holding it
// compresses nothing; a draw stores it as it would the bytes.
func TestPrepareFrameSource(t *testing.T) {
	// 300,000 lines: above the size cut into parts on the cores (the parts join exactly).
	var big []byte
	for i := range 300_000 {
		big = fmt.Appendf(big, "91140430MA%08d|%c\n", i, "ABCD"[i%4])
	}
	for _, frame := range [][]byte{testFrame, big} {
		src := sourceOf(frame)
		if src.Lines() != bytes.Count(frame, []byte("\n")) {
			t.Fatalf("source of %d lines", src.Lines())
		}
		p, err := PrepareFrameSource(ctx, nil, src, FrameHash(frame))
		if err != nil {
			t.Fatal(err)
		}
		if p.hash != FrameHash(frame) || p.lines != src.Lines() || p.gzip == nil {
			t.Fatalf("prepared: hash %s, %d lines, blob %d bytes", p.hash, p.lines, len(p.gzip))
		}
		got, err := gunzipFrame(p.gzip, int64(len(frame))+1)
		if err != nil || !bytes.Equal(got, frame) {
			t.Fatalf("the blob inflates to %d bytes (%v), want the frame's %d", len(got), err, len(frame))
		}
	}
	l, _ := openTemp(t)
	p, err := PrepareFrameSource(ctx, l, sourceOf(testFrame), FrameHash(testFrame))
	if err != nil || p.gzip == nil {
		t.Fatalf("prepared for an empty ledger: %v, blob %d bytes", err, len(p.gzip))
	}
	e := frameDraw(t, "T1", testFrame)
	e.Frame, e.PreparedFrame = nil, p
	mustAppend(t, l, e)
	if p2, err := PrepareFrameSource(ctx, l, sourceOf(testFrame), FrameHash(testFrame)); err != nil || p2.gzip != nil {
		t.Errorf("a frame the ledger holds: %v, compressed again: %v", err, p2 != nil && p2.gzip != nil)
	}
	mustVerify(t, l)
	if _, err := PrepareFrameSource(ctx, nil, sourceOf(testFrame), "abc"); err == nil {
		t.Error("a frame with a malformed hash prepared")
	}
	if _, err := PrepareFrameSource(ctx, nil, linesSource(nil), FrameHash(nil)); err == nil {
		t.Error("an empty frame prepared")
	}
	// A context that is done stops the compression (a refused draw does not wait for it).
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := PrepareFrameSource(done, nil, sourceOf(big), FrameHash(big)); !errors.Is(err, context.Canceled) {
		t.Errorf("prepared with a cancelled context: %v, want context.Canceled", err)
	}
}
