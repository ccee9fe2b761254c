package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Entry kinds.
const (
	KindDraw = "draw"
	KindLock = "lock"
)

// Format names the entry format and the chain rule; it is the first member of every
// entry's canonical bytes.
const Format = "CHOUCHA-LEDGER-v1"

// GenesisHash is the prev_hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one ledger entry. For a draw, Manifest holds the manifest bytes as chained — the
// canonical manifest (draw.Manifest.Canonical) or, since schema version 3, its stored form
// (draw.Manifest.Stored) with List beside it — and Keys the drawn firm keys.
type Entry struct {
	ID           int64
	Kind         string // KindDraw or KindLock
	Task         string // task key
	Round        int
	Year         int
	Seed         string
	CreatedAt    string // RFC 3339 UTC
	Operator     string
	RedrawReason string // non-empty for a redraw of a locked task round
	Target       int64  // for a lock: the draw entry it locks
	Locked       bool   // derived on read: a later lock entry names this draw
	Manifest     []byte
	Keys         []string
	// Frame, given to Append with a draw whose manifest references its frame by
	// roster.frame_sha256 instead of carrying it, is the frame's bytes (lines
	// "<key>|<class>\n" sorted by key). It is stored once per hash (see Ledger.Frame); entries
	// read back leave it nil.
	Frame []byte
	// PreparedFrame is Frame made ready beforehand (Ledger.PrepareFrame, PrepareFrame), for a
	// caller that compresses it while it does other work; at most one of the two is given.
	PreparedFrame *PreparedFrame
	// List, given to Append with a draw whose manifest names its drawn-firm list by
	// list.sha256 (schema version 3, draw.Manifest.Stored), is that list's bytes; it is stored
	// once per hash. Read back, an entry whose manifest names a list carries it here (checked
	// against its hash), and Keys are the list's keys.
	List []byte
	// Firms is the number of drawn firms (len(Keys); for an entry read without its manifest,
	// the count its list reference gives).
	Firms    int
	PrevHash string
	Hash     string
}

// Filter selects draw entries for List; zero fields match everything.
type Filter struct {
	Task string
	Year int
}

// Errors callers may test with errors.Is.
var (
	// ErrNotFound: no entry has the ID.
	ErrNotFound = errors.New("台账中没有该条目")
	// ErrLocked: a draw for a locked task round was appended without a redraw reason.
	ErrLocked = errors.New("该任务该轮次的名单已锁定")
	// ErrNewerSchema: the database was written by a newer choucha.
	ErrNewerSchema = errors.New("台账格式版本高于本版 choucha")
	// ErrNotLedger: the file is not a SQLite database, or not a choucha ledger.
	ErrNotLedger = errors.New("不是 choucha 抽取台账")
	// ErrBadLedger: a lock or redraw decision was refused because the ledger does not verify
	// (a *BadLedgerError names the first bad entry).
	ErrBadLedger = errors.New("台账校验不通过")
	// ErrEmpty: OpenReadOnly found an empty file or database (no entries were ever written).
	ErrEmpty = errors.New("台账为空")
)

// LockedError is returned by Append for a draw of a locked task round without a redraw
// reason; errors.Is(err, ErrLocked) holds.
type LockedError struct {
	Task     string
	Round    int
	Year     int
	LockedID int64 // the draw that is the round's locked list
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("任务 %s %d年第%d轮的名单已于台账第 %d 条锁定，重新抽取必须说明理由", e.Task, e.Year, e.Round, e.LockedID)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Ledger is an open ledger database. It is safe for concurrent use.
type Ledger struct {
	db       *sql.DB
	path     string
	readOnly bool
	mu       sync.Mutex // serialises appends within the process; SQLite serialises processes
}

// Path returns the file the ledger was opened from.
func (l *Ledger) Path() string { return l.path }

// Close closes the database.
func (l *Ledger) Close() error { return l.db.Close() }

// body is the canonical form of an entry: the bytes that are stored and chained. The field
// order is part of CHOUCHA-LEDGER-v1.
type body struct {
	Format       string          `json:"format"`
	ID           int64           `json:"id"`
	Kind         string          `json:"kind"`
	Task         string          `json:"task"`
	Round        int             `json:"round"`
	Year         int             `json:"year"`
	Seed         string          `json:"seed"`
	CreatedAt    string          `json:"created_at"`
	Operator     string          `json:"operator"`
	RedrawReason string          `json:"redraw_reason"`
	Target       int64           `json:"target"`
	Keys         []string        `json:"keys"`
	Manifest     json.RawMessage `json:"manifest"`
}

func (b *body) canonical() ([]byte, error) {
	c := *b
	if c.Keys == nil {
		c.Keys = []string{}
	}
	if len(c.Manifest) == 0 {
		c.Manifest = json.RawMessage("null")
	}
	return json.Marshal(&c)
}

// ChainHash returns the hash of an entry: lower-case hex SHA-256 of prevHash followed by the
// entry's canonical bytes.
func ChainHash(prevHash string, entry []byte) string {
	h := sha256.New()
	h.Write([]byte(prevHash))
	h.Write(entry)
	return hex.EncodeToString(h.Sum(nil))
}

// Append adds an entry, chaining it to the last one, and returns its ID. ID, PrevHash,
// Hash and Locked are set by the ledger.
//
// A draw needs a task, an operator and a manifest (JSON); CreatedAt defaults to now and Year
// to the year of CreatedAt (UTC). A draw for a task round that is locked is refused with a
// *LockedError unless RedrawReason is given. A lock (see Lock) needs only Target and
// Operator: its task, round, year and seed are those of the draw it locks.
func (l *Ledger) Append(ctx context.Context, e Entry) (int64, error) {
	b, err := prepare(e)
	if err != nil {
		return 0, err
	}
	var list *pendingList
	if e.List != nil {
		if e.Kind != KindDraw {
			return 0, errors.New("记入台账: 只有抽取记录带抽中企业名单")
		}
		refs, err := parseRefs(b.Manifest)
		if err != nil {
			return 0, fmt.Errorf("记入台账: 抽取清单（manifest）: %w", err)
		}
		if list, err = prepareList(e.List, refs.List); err != nil {
			return 0, err
		}
		if len(b.Keys) != 0 {
			return 0, errors.New("记入台账: 带抽中企业名单的抽取记录不另列 keys（抽中企业就是名单中的企业）")
		}
	} else if b.Kind == KindDraw {
		if refs, err := parseRefs(b.Manifest); err == nil && refs.List != nil {
			return 0, errors.New("记入台账: 抽取清单引用了抽中企业名单（list），却没有给出名单")
		}
	}
	frame := e.PreparedFrame
	if e.Frame != nil || frame != nil {
		if e.Kind != KindDraw {
			return 0, errors.New("记入台账: 只有抽取记录带抽样框")
		}
		if e.Frame != nil && frame != nil {
			return 0, errors.New("记入台账: 抽样框只能给出一次（Frame 或 PreparedFrame）")
		}
	}
	if e.Frame != nil {
		// Hashing and compressing a large frame happens before the write lock is taken.
		if frame, err = l.PrepareFrame(ctx, e.Frame); err != nil {
			return 0, err
		}
		e.Frame = nil // compressed: the raw bytes need not stay live through the write
	}
	if frame != nil {
		if err := checkFrameRef(frame, b.Manifest); err != nil {
			return 0, err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()

	var id int64
	err = l.writeTx(ctx, func(tx *sql.Tx) error {
		if b.Kind == KindDraw {
			// The ledger is checked as it stands, before this draw's frame and list join it:
			// the decision rests on what was there, and the new blobs were compressed here
			// from the bytes their hashes were taken of (ledger verify checks them later).
			// Checked after, a first draw from a 1M-row roster inflated its own new frame
			// again inside the write lock (about 0.2 s).
			if err := l.checkBefore(ctx, tx, b.Task, b.Year); err != nil {
				return err
			}
			if frame != nil {
				if err := storeFrameTx(ctx, tx, frame); err != nil {
					return err
				}
			}
			if err := referencedFrameTx(ctx, tx, b.Manifest, frame); err != nil {
				return err
			}
			if list != nil {
				if err := storeListTx(ctx, tx, list); err != nil {
					return err
				}
			}
		}
		var err error
		id, err = l.appendTx(ctx, tx, b, b.Kind == KindDraw)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// prepare checks an entry given to Append and turns it into its canonical body (ID unset).
func prepare(e Entry) (*body, error) {
	b := &body{
		Format: Format, Kind: e.Kind, Task: e.Task, Round: e.Round, Year: e.Year, Seed: e.Seed,
		CreatedAt: e.CreatedAt, Operator: strings.TrimSpace(e.Operator),
		RedrawReason: strings.TrimSpace(e.RedrawReason), Target: e.Target, Keys: e.Keys,
	}
	if b.Operator == "" {
		return nil, errors.New("记入台账: 没有操作人（请用 --operator 指明）")
	}
	if b.CreatedAt == "" {
		b.CreatedAt = time.Now().UTC().Format(time.RFC3339)
	}
	t, err := time.Parse(time.RFC3339, b.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("记入台账: 时间 %q 不是 RFC 3339 格式", b.CreatedAt)
	}
	switch e.Kind {
	case KindDraw:
		if strings.TrimSpace(e.Task) == "" {
			return nil, errors.New("记入台账: 抽取记录没有任务编号")
		}
		if e.Round < 0 {
			return nil, fmt.Errorf("记入台账: 轮次 %d 无效", e.Round)
		}
		if e.Target != 0 {
			return nil, errors.New("记入台账: 抽取记录不能指向其他条目")
		}
		if len(bytes.TrimSpace(e.Manifest)) == 0 || !json.Valid(e.Manifest) {
			return nil, errors.New("记入台账: 抽取清单（manifest）不是有效的 JSON")
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, e.Manifest); err != nil {
			return nil, fmt.Errorf("记入台账: 抽取清单（manifest）: %w", err)
		}
		b.Manifest = buf.Bytes()
		if b.Year == 0 {
			b.Year = t.UTC().Year()
		}
	case KindLock:
		if e.Target <= 0 {
			return nil, errors.New("记入台账: 锁定记录没有指明要锁定的抽取")
		}
		if len(e.Manifest) != 0 || len(e.Keys) != 0 {
			return nil, errors.New("记入台账: 锁定记录不带抽取清单")
		}
		// Task, round, year and seed come from the target, inside the transaction.
	default:
		return nil, fmt.Errorf("记入台账: 未知的条目类型 %q", e.Kind)
	}
	return b, nil
}

// appendTx does Append's work inside a write transaction (the database's write lock held).
// checked says the caller has already verified the chain inside tx (checkBefore).
func (l *Ledger) appendTx(ctx context.Context, tx *sql.Tx, b *body, checked bool) (int64, error) {
	// Decide only on a chain that verifies: a deleted lock or a forged entry must not let a
	// redraw through.
	task, year := b.Task, b.Year
	if b.Kind == KindLock {
		target, err := getTx(ctx, tx, b.Target)
		if err == nil {
			task, year = target.Task, target.Year
		}
	}
	if !checked {
		if err := l.checkBefore(ctx, tx, task, year); err != nil {
			return 0, err
		}
	}
	switch b.Kind {
	case KindDraw:
		cur, err := lockedTx(ctx, tx, b.Task, b.Round, b.Year)
		if err != nil {
			return 0, err
		}
		if cur != nil && b.RedrawReason == "" {
			return 0, &LockedError{Task: b.Task, Round: b.Round, Year: b.Year, LockedID: cur.ID}
		}
	case KindLock:
		target, err := getTx(ctx, tx, b.Target)
		if errors.Is(err, ErrNotFound) {
			return 0, fmt.Errorf("锁定: 台账中没有第 %d 条", b.Target)
		}
		if err != nil {
			return 0, err
		}
		if target.Kind != KindDraw {
			return 0, fmt.Errorf("锁定: 台账第 %d 条是锁定记录，不是抽取记录", b.Target)
		}
		cur, err := lockedTx(ctx, tx, target.Task, target.Round, target.Year)
		if err != nil {
			return 0, err
		}
		if cur != nil {
			switch {
			case cur.ID == target.ID:
				return 0, fmt.Errorf("锁定: 台账第 %d 条已是任务 %s %d年第%d轮的锁定名单", target.ID, target.Task, target.Year, target.Round)
			case target.ID < cur.ID || target.RedrawReason == "":
				return 0, fmt.Errorf("锁定: 任务 %s %d年第%d轮已锁定台账第 %d 条，每轮只有一份最终名单；只有锁定之后说明理由的重抽才能再锁定",
					target.Task, target.Year, target.Round, cur.ID)
			}
		}
		b.Task, b.Round, b.Year, b.Seed = target.Task, target.Round, target.Year, target.Seed
	}

	// The next ID is the AUTOINCREMENT counter + 1, not the last row's ID + 1: if the newest
	// entries were deleted, the gap stays visible to Verify.
	var seq sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'entries'`).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("读取台账: %w", err)
	}
	prev := GenesisHash
	var lastID int64
	err = tx.QueryRowContext(ctx, `SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1`).Scan(&lastID, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("读取台账: %w", err)
	}
	b.ID = max(seq.Int64, lastID) + 1
	canon, err := b.canonical()
	if err != nil {
		return 0, err
	}
	hash := ChainHash(prev, canon)
	var target any
	if b.Kind == KindLock {
		target = b.Target
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO entries
		(id, kind, task, round, year, seed, created_at, operator, redraw_reason, target, prev_hash, hash, entry)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Kind, b.Task, b.Round, b.Year, b.Seed, b.CreatedAt, b.Operator, b.RedrawReason, target, prev, hash, string(canon))
	if err != nil {
		return 0, explain(l.path, err)
	}
	return b.ID, nil
}

// Lock appends a lock entry for draw id (锁定名单).
//
// A task round has one final list: locking a draw of a round that is already locked is
// refused, except for a draw made after the lock as a redraw with a reason (the only way a
// locked round gets a new draw); that redraw may then be locked and becomes the round's list.
func (l *Ledger) Lock(ctx context.Context, id int64, operator string) (int64, error) {
	return l.Append(ctx, Entry{Kind: KindLock, Target: id, Operator: operator})
}

// Get returns one entry; the error wraps ErrNotFound when there is none.
func (l *Ledger) Get(ctx context.Context, id int64) (Entry, error) {
	e, attach, err := l.GetLater(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	return *e, attach()
}

// GetLater is Get with the work on the entry's list left to attach: the list is read from
// the ledger now (an entry whose list is missing is an error now), and is decompressed,
// checked against its hash and attached (List, Keys, Firms, as Get fills them) when attach is
// called. A replay calls it beside reading its roster: at 41,000 drawn firms it is 0.07 s of
// CPU that Get spends before the read begins. Until attach has returned nil, e.List is nil and
// e.Keys and e.Firms are as chained.
func (l *Ledger) GetLater(ctx context.Context, id int64) (e *Entry, attach func() error, err error) {
	got, err := getTx(ctx, l.db, id)
	if err != nil {
		return nil, nil, err
	}
	e = &got
	jobs := fetchLists(ctx, l.db, []*Entry{e})
	if err := listsError(jobs); err != nil {
		return nil, nil, err
	}
	return e, func() error {
		checkLists(jobs)
		return listsError(jobs)
	}, nil
}

// List returns the draw entries matching f, oldest first, without their manifests (Manifest
// is nil): a manifest records the whole frame and can be tens of megabytes, and a listing
// needs none of it. Get, Locked and Standing return entries with the manifest.
func (l *Ledger) List(ctx context.Context, f Filter) ([]Entry, error) {
	q := selectEntries + ` WHERE e.kind = 'draw'`
	var args []any
	if f.Task != "" {
		q += ` AND e.task = ?`
		args = append(args, f.Task)
	}
	if f.Year != 0 {
		q += ` AND e.year = ?`
		args = append(args, f.Year)
	}
	q += ` ORDER BY e.id`
	return queryEntryList(ctx, l.db, false, q, args...)
}

// Locked returns the locked draw of a task round in a year, or nil. When a round was locked
// again after a redraw, it is the draw of the newest lock. It is a lock decision: on a ledger
// that does not verify it returns a *BadLedgerError.
func (l *Ledger) Locked(ctx context.Context, task string, round, year int) (*Entry, error) {
	var out *Entry
	err := l.readTx(ctx, func(tx *sql.Tx) error {
		if err := l.checkBefore(ctx, tx, task, year); err != nil {
			return err
		}
		var err error
		if out, err = lockedTx(ctx, tx, task, round, year); err != nil || out == nil {
			return err
		}
		return attachList(ctx, tx, out)
	})
	return out, err
}

// Standing returns the draw that stands for a task round in a year: the locked draw (of the
// newest lock) or, when none is locked, the newest; nil when the round was never drawn. It is
// the one rule for "the round's list" — earlier-round exclusions, yearly caps, the calendar
// and the overlap report all use it. Like Locked it is a decision: on a ledger that does not
// verify it returns a *BadLedgerError.
func (l *Ledger) Standing(ctx context.Context, task string, round, year int) (*Entry, error) {
	var out *Entry
	err := l.readTx(ctx, func(tx *sql.Tx) error {
		if err := l.checkBefore(ctx, tx, task, year); err != nil {
			return err
		}
		var err error
		if out, err = standingTx(ctx, tx, task, round, year); err != nil || out == nil {
			return err
		}
		return attachList(ctx, tx, out)
	})
	return out, err
}

func standingTx(ctx context.Context, q querier, task string, round, year int) (*Entry, error) {
	e, err := lockedTx(ctx, q, task, round, year)
	if err != nil || e != nil {
		return e, err
	}
	es, err := queryEntries(ctx, q, selectEntries+` WHERE e.kind = 'draw' AND e.task = ? AND e.round = ? AND e.year = ?
		ORDER BY e.id DESC LIMIT 1`, task, round, year)
	if err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

// RoundDraw is Standing.
//
// Deprecated: use Standing.
func (l *Ledger) RoundDraw(ctx context.Context, task string, round, year int) (*Entry, error) {
	return l.Standing(ctx, task, round, year)
}

// StandingYear returns the standing draw (Standing) of every task round drawn in year, with
// its manifest (and list), in ledger order. The ledger is verified once for the year
// (*BadLedgerError).
func (l *Ledger) StandingYear(ctx context.Context, year int) ([]Entry, error) {
	return l.standingYear(ctx, year, true)
}

// StandingYearStored is StandingYear with each manifest as chained: a draw stored with its
// list apart comes without the list (List nil, Keys empty; Firms counts its firms).
func (l *Ledger) StandingYearStored(ctx context.Context, year int) ([]Entry, error) {
	return l.standingYear(ctx, year, false)
}

func (l *Ledger) standingYear(ctx context.Context, year int, lists bool) ([]Entry, error) {
	var out []Entry
	err := l.readTx(ctx, func(tx *sql.Tx) error {
		if err := l.checkBefore(ctx, tx, "", year); err != nil {
			return err
		}
		entries, err := queryEntryList(ctx, tx, false, selectEntries+` WHERE e.kind = 'draw' AND e.year = ? ORDER BY e.id`, year)
		if err != nil {
			return err
		}
		type round struct {
			task  string
			round int
		}
		seen := map[round]bool{}
		for _, e := range entries {
			r := round{e.Task, e.Round}
			if seen[r] {
				continue
			}
			seen[r] = true
			d, err := standingTx(ctx, tx, r.task, r.round, year)
			if err != nil {
				return err
			}
			if d != nil {
				out = append(out, *d)
			}
		}
		if lists {
			return attachLists(ctx, tx, out)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const selectEntries = `SELECT e.id, e.prev_hash, e.hash, e.entry,
	EXISTS (SELECT 1 FROM entries l WHERE l.kind = 'lock' AND l.target = e.id AND l.id > e.id)
	FROM entries e`

func lockedTx(ctx context.Context, q querier, task string, round, year int) (*Entry, error) {
	es, err := queryEntries(ctx, q, selectEntries+` WHERE e.kind = 'draw' AND e.id = (
		SELECT target FROM entries WHERE kind = 'lock' AND task = ? AND round = ? AND year = ?
		ORDER BY id DESC LIMIT 1)`, task, round, year)
	if err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

func getTx(ctx context.Context, q querier, id int64) (Entry, error) {
	es, err := queryEntries(ctx, q, selectEntries+` WHERE e.id = ?`, id)
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 {
		return Entry{}, fmt.Errorf("第 %d 条: %w", id, ErrNotFound)
	}
	return es[0], nil
}

func queryEntries(ctx context.Context, q querier, query string, args ...any) ([]Entry, error) {
	return queryEntryList(ctx, q, true, query, args...)
}

// queryEntryList reads entries; withManifest false skips decoding the manifests.
func queryEntryList(ctx context.Context, q querier, withManifest bool, query string, args ...any) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("读取台账: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var (
			id         int64
			prev, hash string
			canon      string
			locked     bool
		)
		if err := rows.Scan(&id, &prev, &hash, &canon, &locked); err != nil {
			return nil, fmt.Errorf("读取台账: %w", err)
		}
		e, err := decodeEntry(id, []byte(canon), withManifest)
		if err != nil {
			return nil, err
		}
		e.PrevHash, e.Hash, e.Locked = prev, hash, locked
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("读取台账: %w", err)
	}
	return out, nil
}

// attachList fills a draw entry's List (and Keys, when the entry chains none) from the stored
// list its manifest names; an entry without a list reference is left as it is.
func attachList(ctx context.Context, q querier, e *Entry) error {
	return attachLists(ctx, q, nil, e)
}

// attachLists is attachList for many entries (es, then more): the lists are read one after
// the other and decompressed and checked on all cores.
func attachLists(ctx context.Context, q querier, es []Entry, more ...*Entry) error {
	all := make([]*Entry, 0, len(es)+len(more))
	for i := range es {
		all = append(all, &es[i])
	}
	all = append(all, more...)
	jobs := fetchLists(ctx, q, all)
	checkLists(jobs)
	return listsError(jobs)
}

// listsError is the first error of the jobs, in entry order, naming its entry.
func listsError(jobs []*listJob) error {
	for _, j := range jobs {
		if j.err != nil {
			return fmt.Errorf("台账第 %d 条: %w", j.e.ID, j.err)
		}
	}
	return nil
}

// listJob is the stored list of a draw entry, read from the ledger (fetchLists), then
// decompressed, checked and attached to the entry (checkLists).
type listJob struct {
	e     *Entry
	hash  string
	firms int64
	blob  []byte
	err   error
}

// fetchLists reads the stored list of each draw entry that names one.
func fetchLists(ctx context.Context, q querier, all []*Entry) []*listJob {
	var jobs []*listJob
	for _, e := range all {
		if e.Kind != KindDraw || e.Manifest == nil {
			continue
		}
		refs, err := parseRefs(e.Manifest)
		if err != nil || refs.List == nil {
			continue
		}
		j := &listJob{e: e, hash: refs.List.SHA256}
		j.firms, j.blob, j.err = fetchList(ctx, q, j.hash)
		jobs = append(jobs, j)
	}
	return jobs
}

// checkLists decompresses and checks the lists read, on all cores, and attaches each good
// one to its entry (List, and Keys when the entry chains none); a bad one's job gets the error.
func checkLists(jobs []*listJob) {
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.err != nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			list, keys, problem := checkList(j.hash, j.firms, j.blob)
			if problem != "" {
				j.err = fmt.Errorf("%s，请运行 choucha ledger verify", problem)
				return
			}
			j.e.List = list
			if len(j.e.Keys) == 0 {
				j.e.Keys = keys
			}
			j.e.Firms = len(j.e.Keys)
		}()
	}
	wg.Wait()
}

// decodeEntry reads an entry from its chained bytes: what a reader sees is what was chained.
// Without withManifest the manifest is skipped by the decoder, not copied.
func decodeEntry(id int64, canon []byte, withManifest bool) (Entry, error) {
	var b body
	var err error
	listFirms := -1
	if withManifest {
		err = json.Unmarshal(canon, &b)
		if m := b.Manifest; err == nil && len(b.Keys) == 0 && len(m) > 0 && string(m) != "null" {
			if r, rerr := parseRefs(m); rerr == nil && r.List != nil {
				listFirms = r.List.Firms
			}
		}
	} else {
		var h struct {
			body
			// Shadows body.Manifest: parsed over, not kept, but for the size of its list.
			Manifest struct {
				List *listRef `json:"list"`
			} `json:"manifest"`
		}
		err = json.Unmarshal(canon, &h)
		b = h.body
		if l := h.Manifest.List; l != nil && len(b.Keys) == 0 {
			listFirms = l.Firms
		}
	}
	if err != nil || b.Format != Format {
		return Entry{}, fmt.Errorf("台账第 %d 条已损坏，请运行 choucha ledger verify", id)
	}
	e := Entry{
		ID: id, Kind: b.Kind, Task: b.Task, Round: b.Round, Year: b.Year, Seed: b.Seed,
		CreatedAt: b.CreatedAt, Operator: b.Operator, RedrawReason: b.RedrawReason,
		Target: b.Target, Keys: b.Keys,
	}
	if e.Keys == nil {
		e.Keys = []string{}
	}
	e.Firms = len(e.Keys)
	if listFirms >= 0 {
		e.Firms = listFirms
	}
	if m := b.Manifest; len(m) > 0 && string(m) != "null" {
		e.Manifest = []byte(m)
	}
	return e, nil
}
