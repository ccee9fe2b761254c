package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// ApplicationID marks a SQLite file as a choucha ledger (PRAGMA application_id, "CHCH").
const ApplicationID = 0x43484348

// SchemaVersion is the newest schema this code knows (PRAGMA user_version). A ledger with
// a higher version is refused; a lower one is migrated on Open.
const SchemaVersion = 2

// migrations[v] takes a ledger from schema version v to v+1. Append only: a released
// migration is never edited.
var migrations = []string{
	// 0 → 1: the entries table. The columns other than id, prev_hash, hash and entry are an
	// index for queries; Verify checks them against entry, the chained bytes. The triggers
	// stop accidental edits; a determined editor drops them, which is what the chain is for.
	`CREATE TABLE entries (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		kind          TEXT    NOT NULL CHECK (kind IN ('draw', 'lock')),
		task          TEXT    NOT NULL,
		round         INTEGER NOT NULL,
		year          INTEGER NOT NULL,
		seed          TEXT    NOT NULL,
		created_at    TEXT    NOT NULL,
		operator      TEXT    NOT NULL,
		redraw_reason TEXT    NOT NULL,
		target        INTEGER REFERENCES entries (id),
		prev_hash     TEXT    NOT NULL,
		hash          TEXT    NOT NULL UNIQUE,
		entry         TEXT    NOT NULL
	);
	CREATE INDEX entries_round ON entries (task, round, year, kind);
	CREATE INDEX entries_target ON entries (target);
	CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
		BEGIN SELECT RAISE(ABORT, 'choucha 抽取台账只能追加，不能修改'); END;
	CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
		BEGIN SELECT RAISE(ABORT, 'choucha 抽取台账只能追加，不能删除'); END;`,
	// 1 → 2: sampling frames stored once per frame_sha256, gzip-compressed, instead of inside
	// every draw's manifest. A draw entry references its frame by the manifest's
	// roster.frame_sha256 (chained with the entry); Verify checks each blob against its hash.
	// Version-1 entries keep their inline frames: chained bytes are never rewritten.
	`CREATE TABLE frames (
		sha256 TEXT    PRIMARY KEY,
		lines  INTEGER NOT NULL,
		gzip   BLOB    NOT NULL
	);
	CREATE TRIGGER frames_no_update BEFORE UPDATE ON frames
		BEGIN SELECT RAISE(ABORT, 'choucha 抽取台账只能追加，不能修改'); END;
	CREATE TRIGGER frames_no_delete BEFORE DELETE ON frames
		BEGIN SELECT RAISE(ABORT, 'choucha 抽取台账只能追加，不能删除'); END;`,
}

// busyTimeout is how long an operation waits for another process's lock on the ledger.
const busyTimeout = 10 * time.Second

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// Open opens (creating when missing) the ledger at path, migrating an older schema and
// refusing one from a newer version (ErrNewerSchema) and a file that is not a choucha
// ledger (ErrNotLedger).
func Open(path string) (*Ledger, error) {
	if path == "" {
		return nil, errors.New("打开台账: 没有给出台账文件")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("打开台账 %s: 文件名不能含有“?”", path)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	dsn := fmt.Sprintf("%s?_busy_timeout=%d&_foreign_keys=1&_txlock=immediate", path, busyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("打开台账 %s: %w", path, err)
	}
	l := &Ledger{db: db, path: path}
	if err := l.init(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return l, nil
}

// OpenExisting is Open for a ledger that must already exist: it never creates a file, and
// the error wraps os.ErrNotExist when there is none.
func OpenExisting(path string) (*Ledger, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("打开台账 %s: %w", path, err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("打开台账 %s: 这是一个文件夹", path)
	}
	return Open(path)
}

// checkHeader refuses an existing, non-empty file that is not a SQLite database, before
// SQLite touches it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("打开台账 %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("打开台账 %s: %w", path, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("打开台账 %s: 这是一个文件夹", path)
	}
	if fi.Size() == 0 {
		return nil
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteHeader {
		return fmt.Errorf("%s 不是 SQLite 数据库: %w", path, ErrNotLedger)
	}
	return nil
}

// init checks that the database is a choucha ledger (or empty), switches it to WAL and
// migrates it to SchemaVersion.
func (l *Ledger) init(ctx context.Context) error {
	appID, version, objects, err := l.identity(ctx, l.db)
	if err != nil {
		return err
	}
	if err := l.checkIdentity(appID, version, objects); err != nil {
		return err
	}
	if err := l.useWAL(ctx); err != nil {
		return err
	}
	if version == SchemaVersion {
		return nil
	}
	return l.writeTx(ctx, func(tx *sql.Tx) error {
		// Read again under the write lock: another process may have migrated meanwhile.
		appID, version, objects, err := l.identity(ctx, tx)
		if err != nil {
			return err
		}
		if err := l.checkIdentity(appID, version, objects); err != nil {
			return err
		}
		for v := version; v < SchemaVersion; v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("升级台账 %s 到格式版本 %d: %w", l.path, v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, ApplicationID)); err != nil {
			return fmt.Errorf("升级台账 %s: %w", l.path, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion)); err != nil {
			return fmt.Errorf("升级台账 %s: %w", l.path, err)
		}
		return nil
	})
}

// useWAL switches the database to WAL mode (persistent, once per file). The switch needs
// the database to itself and SQLite reports SQLITE_BUSY at once instead of waiting when
// another process holds it (two first runs at the same moment), so it is retried here.
func (l *Ledger) useWAL(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeout)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		var mode string
		err := l.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		if err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		if err == nil {
			err = l.db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
			if err == nil && strings.EqualFold(mode, "wal") {
				return nil
			}
			if err == nil {
				err = fmt.Errorf("journal_mode 仍为 %s", mode)
			}
		}
		if !isBusy(err) || time.Now().After(deadline) {
			return fmt.Errorf("打开台账 %s: 切换到 WAL 模式: %w", l.path, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

func isBusy(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked") || strings.Contains(s, "journal_mode 仍为")
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (l *Ledger) identity(ctx context.Context, q rowQuerier) (appID, version, objects int64, err error) {
	// One statement is one read snapshot: three separate queries could see a ledger that
	// another process is creating half before and half after its commit (an application_id
	// of 0 beside its tables), and call it a foreign database.
	err = q.QueryRowContext(ctx, `SELECT
		(SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_master)`).Scan(&appID, &version, &objects)
	if err != nil {
		return 0, 0, 0, l.openError(err)
	}
	return appID, version, objects, nil
}

func (l *Ledger) openError(err error) error {
	if strings.Contains(err.Error(), "file is not a database") {
		return fmt.Errorf("%s 不是 SQLite 数据库或已损坏: %w", l.path, ErrNotLedger)
	}
	return fmt.Errorf("打开台账 %s: %w", l.path, err)
}

func (l *Ledger) checkIdentity(appID, version, objects int64) error {
	switch {
	case appID == ApplicationID && version > SchemaVersion:
		return fmt.Errorf("台账 %s 的格式版本为 %d，本版 choucha 只支持到 %d，请升级 choucha 后再使用此台账: %w",
			l.path, version, SchemaVersion, ErrNewerSchema)
	case appID == ApplicationID:
		return nil
	case appID == 0 && version == 0 && objects == 0:
		return nil // a new, empty database
	default:
		return fmt.Errorf("%s 是 SQLite 数据库，但%w", l.path, ErrNotLedger)
	}
}

// readTx runs fn in a read-only transaction: one consistent snapshot.
func (l *Ledger) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return l.readError(err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// readError explains a failure to read the ledger.
func (l *Ledger) readError(err error) error {
	return fmt.Errorf("读取台账 %s: %w", l.path, err)
}

// writeTx runs fn in a transaction that holds the database's write lock from its start
// (BEGIN IMMEDIATE, from _txlock), so what fn reads is still current when it writes.
func (l *Ledger) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("台账 %s: 取得写入锁: %w", l.path, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("台账 %s: 提交: %w", l.path, err)
	}
	return nil
}
