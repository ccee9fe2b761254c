// Package ledger is the tamper-evident record of every draw (抽取台账): an embedded SQLite
// database whose entries are hash-chained, so an edited, deleted or reordered entry is found.
//
// # Entries
//
// Every `choucha sample` run appends a draw entry (KindDraw) — including draws that are later
// discarded — with the canonical manifest bytes, the drawn keys, the operator and the time.
// Locking a task round's final list (锁定名单) appends a lock entry (KindLock) whose Target is
// the draw it locks, so a lock is as tamper-evident as a draw: removing it breaks the chain.
//
// # Chain (CHOUCHA-LEDGER-v1)
//
// Each entry is stored with its canonical bytes (the column entry): one line of JSON,
//
//	{"format":"CHOUCHA-LEDGER-v1","id":…,"kind":…,"task":…,"round":…,"year":…,"seed":…,
//	 "created_at":…,"operator":…,"redraw_reason":…,"target":…,"keys":[…],"manifest":…}
//
// written by encoding/json in exactly that field order, with the manifest embedded as given
// (compacted; draw.Manifest.Canonical output is already compact, so it is stored byte for
// byte) and null for a lock. Its hash is
//
//	hash = lower-case hex SHA-256( prev_hash || entry )
//
// where prev_hash is the previous entry's hash as 64 lower-case hex ASCII characters and,
// for the first entry, the genesis value GenesisHash (64 zeros). The other columns (kind,
// task, round, …) are an index for queries; Verify checks that they agree with the chained
// bytes. docs/LEDGER.md shows how to verify a ledger with sqlite3 and sha256sum alone.
//
// # Limits
//
// A hash chain finds an edited, reordered or deleted entry, except the deletion of the
// newest entries together with the table's AUTOINCREMENT counter: the ledger that remains is a
// valid, shorter chain. Verify reports the head hash and the entry count; publishing them
// (or writing them on the announcement of each draw) makes a truncation detectable.
//
// # Frames and lists
//
// A draw's sampling frame (schema version 2) and its drawn-firm list (version 3) are stored
// beside the chain, once per SHA-256, gzip-compressed (tables frames and lists); the chained
// manifest names them by hash, and Verify checks every stored blob against its hash. A draw
// entry with a list chains "keys":[]: its keys are read from the list.
//
// # Concurrency and crashes
//
// The database runs in WAL mode with a busy timeout; Append takes the write lock
// (BEGIN IMMEDIATE) before it reads the chain head, so appends from several goroutines or
// processes are serialised and each one chains to the one before it. SQLite's atomic commit
// means a process killed at any point leaves either the whole entry or none of it.
package ledger
