// Package ledger is the tamper-evident record of every draw (抽取台账): an embedded SQLite
// database whose entries are hash-chained, so an edited, deleted or reordered entry is found.
package ledger

import "context"

// STUB: the ledger helper replaces this file with the real implementation (same signatures).

// Entry kinds.
const (
	KindDraw = "draw"
	KindLock = "lock"
)

// Entry is one ledger entry. For a draw, Manifest holds the canonical manifest bytes
// (draw.Manifest.Canonical) and Keys the drawn firm keys.
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
	PrevHash     string
	Hash         string
}

// Filter selects draw entries for List; zero fields match everything.
type Filter struct {
	Task string
	Year int
}

// Ledger is an open ledger database.
type Ledger struct{}

// Open opens (creating when missing) the ledger at path, migrating an older schema and
// refusing one from a newer version.
func Open(path string) (*Ledger, error) { panic("stub") }

// Close closes the database.
func (l *Ledger) Close() error { panic("stub") }

// Append adds an entry, chaining it to the last one, and returns its ID. ID, PrevHash,
// Hash and Locked are set by the ledger.
func (l *Ledger) Append(ctx context.Context, e Entry) (int64, error) { panic("stub") }

// Get returns one entry.
func (l *Ledger) Get(ctx context.Context, id int64) (Entry, error) { panic("stub") }

// List returns the draw entries matching f, oldest first.
func (l *Ledger) List(ctx context.Context, f Filter) ([]Entry, error) { panic("stub") }

// Lock appends a lock entry for draw id (锁定名单).
func (l *Ledger) Lock(ctx context.Context, id int64, operator string) (int64, error) { panic("stub") }

// Locked returns the locked draw of a task round in a year, or nil.
func (l *Ledger) Locked(ctx context.Context, task string, round, year int) (*Entry, error) {
	panic("stub")
}

// RoundDraw returns the locked draw of a task round in a year or, when none is locked, the
// latest; nil when the round was never drawn.
func (l *Ledger) RoundDraw(ctx context.Context, task string, round, year int) (*Entry, error) {
	panic("stub")
}

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Entries int
	OK      bool
	BadID   int64  // first bad entry (0 when OK)
	Problem string // Chinese, what is wrong with it
}

// Verify recomputes the hash chain.
func (l *Ledger) Verify(ctx context.Context) (VerifyResult, error) { panic("stub") }
