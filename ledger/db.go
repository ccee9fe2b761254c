package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// ApplicationID marks a SQLite file as a choucha ledger (PRAGMA application_id, "CHCH").
const ApplicationID = 0x43484348

// SchemaVersion is the newest schema this code knows (PRAGMA user_version). A ledger with
// a higher version is refused; a lower one is migrated on Open.
const SchemaVersion = 3

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
	// 2 → 3: drawn-firm lists stored apart, gzip-compressed, instead of inside the chained
	// manifest. A draw entry references its list by the manifest's list.sha256 (chained with
	// the entry) and chains "keys":[]; Verify checks each blob against its hash. Entries
	// written before keep their inline lists: chained bytes are never rewritten.
	`CREATE TABLE lists (
		sha256 TEXT    PRIMARY KEY,
		firms  INTEGER NOT NULL,
		gzip   BLOB    NOT NULL
	);
	CREATE TRIGGER lists_no_update BEFORE UPDATE ON lists
		BEGIN SELECT RAISE(ABORT, 'choucha 抽取台账只能追加，不能修改'); END;
	CREATE TRIGGER lists_no_delete BEFORE DELETE ON lists
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
	if err := checkFile(path); err != nil {
		return nil, err
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

// OpenReadOnly opens an existing ledger for reading only (list, show, verify, export, replay):
// it never creates, migrates or writes anything, so a copy on a read-only folder or medium,
// or a file owned by someone else, can be audited. It opens with mode=ro and, where SQLite
// cannot open the database that way (a WAL database in a folder it may not create the -shm
// file in), with immutable=1.
func OpenReadOnly(path string) (*Ledger, error) {
	if path == "" {
		return nil, errors.New("打开台账: 没有给出台账文件")
	}
	if strings.ContainsRune(path, '?') || strings.ContainsRune(path, '#') {
		return nil, fmt.Errorf("打开台账 %s: 文件名不能含有“?”或“#”", path)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("打开台账 %s: %w", path, err)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("台账 %s 是空文件，还没有任何抽取记录: %w", path, ErrEmpty)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("打开台账 %s: %w", path, err)
	}
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	var firstErr error
	for _, mode := range []string{"mode=ro", "mode=ro&immutable=1"} {
		dsn := fmt.Sprintf("%s?%s&_busy_timeout=%d", u, mode, busyTimeout.Milliseconds())
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("打开台账 %s: %w", path, err)
		}
		l := &Ledger{db: db, path: path, readOnly: true}
		appID, version, objects, err := l.identity(context.Background(), db)
		if err == nil {
			err = l.checkIdentity(appID, version, objects)
			if err == nil && objects == 0 {
				err = fmt.Errorf("台账 %s 是空数据库，还没有任何抽取记录: %w", path, ErrEmpty)
			}
			if err == nil {
				_, err = db.Exec(`SELECT 1 FROM entries LIMIT 1`)
				if err != nil {
					err = explain(path, err)
				}
			}
			if err != nil {
				db.Close()
				return nil, err
			}
			return l, nil
		}
		db.Close()
		if firstErr == nil {
			firstErr = err
		}
		if errors.Is(err, ErrNotLedger) {
			break
		}
	}
	return nil, firstErr
}

// checkFile refuses a path that is not a regular file (a FIFO would block the opening, a
// device is not a ledger) or a symbolic link that points nowhere (SQLite would create its
// target somewhere unexpected). A missing file passes: Open creates it.
func checkFile(path string) error {
	li, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("打开台账 %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) && li.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("台账 %s 是指向不存在文件的符号链接，请给出台账文件本身的路径", path)
	}
	if err != nil {
		return fmt.Errorf("打开台账 %s: %w", path, err)
	}
	switch {
	case fi.IsDir():
		return fmt.Errorf("打开台账 %s: 这是一个文件夹", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("台账 %s 不是普通文件（是管道、设备或套接字），不能作为抽取台账", path)
	}
	return nil
}

// explain turns SQLite's errors into Chinese.
func explain(path string, err error) error {
	s := err.Error()
	switch {
	case err == nil:
		return nil
	case strings.Contains(s, "file is not a database"):
		return fmt.Errorf("%s 不是 SQLite 数据库或已损坏: %w", path, ErrNotLedger)
	case strings.Contains(s, "malformed") || strings.Contains(s, "SQLITE_CORRUPT") || strings.Contains(s, "(11)"):
		return fmt.Errorf("台账 %s 已损坏（文件不完整或被截断），无法读取；请用备份恢复，保留此文件原样: %w", path, ErrNotLedger)
	case strings.Contains(s, "database or disk is full") || strings.Contains(s, "(13)"):
		return fmt.Errorf("台账 %s 所在磁盘已满，未写入任何内容；请腾出空间后重试", path)
	case strings.Contains(s, "disk I/O error") || strings.Contains(s, "SQLITE_IOERR"):
		return fmt.Errorf("读写台账 %s 失败：磁盘已满或磁盘读写出错，未写入任何内容；请检查磁盘空间后重试", path)
	case strings.Contains(s, "readonly") || strings.Contains(s, "read-only") || strings.Contains(s, "(8)"):
		return fmt.Errorf("台账 %s 是只读的（文件或所在文件夹不可写），不能记入；查看和校验不受影响", path)
	case strings.Contains(s, "unable to open database file") || strings.Contains(s, "(14)"):
		return fmt.Errorf("无法打开台账 %s：文件夹不存在、不可写或没有权限", path)
	case strings.Contains(s, "no such table"):
		return fmt.Errorf("%s 是 SQLite 数据库，但没有台账的条目表: %w", path, ErrNotLedger)
	case strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY"):
		return fmt.Errorf("台账 %s 正被其他程序长时间占用（等待 %s 后放弃），请稍后重试", path, busyTimeout)
	}
	return fmt.Errorf("台账 %s: %w", path, err)
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
	if appID == ApplicationID && version >= 1 {
		// Marked as a ledger: its entries table must be there (checked before anything is
		// written to the file).
		if _, err := l.db.ExecContext(ctx, `SELECT 1 FROM entries LIMIT 1`); err != nil {
			return explain(l.path, err)
		}
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
	return explain(l.path, err)
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
	return explain(l.path, err)
}

// writeTx runs fn in a transaction that holds the database's write lock from its start
// (BEGIN IMMEDIATE, from _txlock), so what fn reads is still current when it writes.
func (l *Ledger) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if l.readOnly {
		return fmt.Errorf("台账 %s 以只读方式打开，不能记入", l.path)
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return explain(l.path, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return explain(l.path, err)
	}
	return nil
}
