package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Entries int
	OK      bool
	BadID   int64  // first bad entry (0 when OK)
	Problem string // Chinese, what is wrong with it
	// Head is the hash of the newest entry (GenesisHash for an empty ledger). Publishing it
	// with the entry count makes a later truncation of the ledger detectable.
	Head   string
	LastID int64 // ID of the newest entry
	// Hashes holds every entry's hash by ID (filled only when VerifyOptions.KeepHashes).
	Hashes map[int64]string
}

// VerifyOptions adds checks to Verify that need more than the ledger knows.
type VerifyOptions struct {
	// Draw, when set, is called with every draw entry whose chain bytes are sound (manifest
	// included); an error makes the entry the bad one, with the error's text as the problem.
	// `choucha ledger verify` uses it to re-derive every drawn firm's ticket from the seed and
	// the recorded frame, as export does.
	// frame is the entry's stored frame ("<key>|<class>\n" lines, already checked against its
	// hash), nil when the manifest carries its frame inline or the ledger lacks it (which
	// Verify reports itself).
	Draw func(e Entry, frame []byte) error
	// KeepHashes fills VerifyResult.Hashes (for checking a published head).
	KeepHashes bool
}

// Verify recomputes the hash chain, checks each entry's columns against its chained bytes,
// and checks the lock rules over the whole history: a lock names an earlier draw of the same
// task round and is not older than it; a round has one locked list at a time (a round is
// locked again only for a later redraw that gives a reason); a draw of a locked round gives a
// redraw reason. It stops at the first bad entry.
func (l *Ledger) Verify(ctx context.Context) (VerifyResult, error) {
	return l.VerifyWith(ctx, VerifyOptions{})
}

// VerifyWith is Verify with extra checks.
func (l *Ledger) VerifyWith(ctx context.Context, o VerifyOptions) (VerifyResult, error) {
	// One read transaction: a consistent snapshot even while others append.
	tx, err := l.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return VerifyResult{}, l.readError(err)
	}
	defer tx.Rollback()
	return verifyTx(ctx, tx, scopeAll, o)
}

// scope says which entries a verification reads in full (hash of the chained bytes,
// columns, lock rules). Entries outside it are checked only for their place in the chain:
// consecutive IDs and each prev_hash equal to the stored hash before it.
type scope struct {
	all  bool
	task string // "" for every task of year
	year int
}

var scopeAll = scope{all: true}

// fullCheckBelow is the ledger file size under which a check before a draw or lock reads the
// whole chain; a larger ledger is checked in full for the task's entries and every lock, and
// by chain links for the rest (see checkBefore).
const fullCheckBelow = 256 << 20

// BadLedgerError is returned by a lock or redraw decision (Append, Lock, Locked, RoundDraw)
// on a ledger that does not verify: choucha does not decide on a record it cannot trust.
type BadLedgerError struct {
	Path    string
	BadID   int64
	Problem string
}

func (e *BadLedgerError) Error() string {
	return fmt.Sprintf("台账 %s 校验不通过（%s），不能据此判断锁定和前轮名单，本次操作未执行；请运行 choucha ledger verify，保留台账文件原样并报告管理员",
		e.Path, e.Problem)
}

// Is makes errors.Is(err, ErrBadLedger) true.
func (e *BadLedgerError) Is(target error) bool { return target == ErrBadLedger }

// checkBefore verifies what a decision about task (in year) rests on, inside q's snapshot or
// transaction. A ledger below fullCheckBelow bytes is verified whole.
func (l *Ledger) checkBefore(ctx context.Context, q verifyQuerier, task string, year int) error {
	sc := scope{task: task, year: year}
	if fi, err := os.Stat(l.path); err == nil && fi.Size() < fullCheckBelow {
		sc = scopeAll
	}
	res, err := verifyTx(ctx, q, sc, VerifyOptions{})
	if err != nil {
		return err
	}
	if !res.OK {
		return &BadLedgerError{Path: l.path, BadID: res.BadID, Problem: res.Problem}
	}
	return nil
}

type verifyQuerier interface {
	querier
	rowQuerier
}

func verifyTx(ctx context.Context, q verifyQuerier, sc scope, o VerifyOptions) (VerifyResult, error) {
	res := VerifyResult{OK: true, Head: GenesisHash}
	if o.KeepHashes {
		res.Hashes = map[int64]string{}
	}
	// Out of scope, the entry column is not read at all (SQLite loads a column only when the
	// CASE needs it).
	rows, err := q.QueryContext(ctx, `SELECT id, kind, task, round, year, seed, created_at, operator,
		redraw_reason, target, prev_hash, hash,
		CASE WHEN ?1 OR kind <> 'draw' OR ((?2 = '' OR task = ?2) AND year = ?3) THEN entry END
		FROM entries ORDER BY id`, sc.all, sc.task, sc.year)
	if err != nil {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	defer rows.Close()
	r := newRules()
	fc := &frameCache{}
	bad := func(id int64, problem string) {
		if res.OK {
			res.OK, res.BadID, res.Problem = false, id, problem
		}
	}
	prevHash := GenesisHash
	refs := map[string]int64{} // frame hash → first draw entry that references it
	var refOrder []string
	listRefs := map[string]int64{} // list hash → first draw entry that references it
	var listOrder []string
	for rows.Next() {
		var c columns
		var target sql.NullInt64
		var entry sql.NullString
		if err := rows.Scan(&c.id, &c.kind, &c.task, &c.round, &c.year, &c.seed, &c.createdAt, &c.operator,
			&c.redrawReason, &target, &c.prevHash, &c.hash, &entry); err != nil {
			return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
		}
		c.target, c.entry, c.full = target.Int64, entry.String, entry.Valid
		res.Entries++
		if res.OK {
			if id, problem := checkEntry(&c, res.LastID, prevHash, r); problem != "" {
				bad(id, problem)
			} else if c.full && c.kind == KindDraw && o.Draw != nil {
				frameHash, _ := entryRefs(c.entry)
				e, err := decodeEntry(c.id, []byte(c.entry), true)
				if err == nil {
					err = attachList(ctx, q, &e)
				}
				if errors.Is(err, ErrListMissing) {
					err = nil // missing: verifyLists names it
				} else if err == nil {
					var frame []byte
					frame, err = fc.get(ctx, q, frameHash)
					if err == nil {
						err = o.Draw(e, frame)
					}
				}
				if err != nil {
					bad(c.id, fmt.Sprintf("第 %d 条: %v", c.id, err))
				}
			}
		}
		if c.full && c.kind == KindDraw && res.OK {
			frameHash, listHash := entryRefs(c.entry)
			if ref := frameHash; ref != "" {
				if _, ok := refs[ref]; !ok {
					refs[ref] = c.id
					refOrder = append(refOrder, ref)
				}
			}
			if ref := listHash; ref != "" {
				if _, ok := listRefs[ref]; !ok {
					listRefs[ref] = c.id
					listOrder = append(listOrder, ref)
				}
			}
		}
		if res.Hashes != nil {
			res.Hashes[c.id] = c.hash
		}
		prevHash = c.hash
		res.LastID = c.id
		res.Head = c.hash
		if err := ctx.Err(); err != nil {
			return VerifyResult{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	var seq sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'entries'`).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	switch {
	case seq.Int64 > res.LastID:
		bad(res.LastID+1, fmt.Sprintf("第 %d 条至第 %d 条缺失：序号已用到 %d，台账只到第 %d 条，最新的条目被删除",
			res.LastID+1, seq.Int64, seq.Int64, res.LastID))
	case seq.Int64 < res.LastID:
		bad(res.LastID, fmt.Sprintf("序号计数（%d）小于最后一条的序号（%d）：台账被改动", seq.Int64, res.LastID))
	}
	badf := func(id int64, format string, args ...any) { bad(id, fmt.Sprintf(format, args...)) }
	if sc.all && hasFrames(ctx, q) {
		if err := verifyFrames(ctx, q, refs, refOrder, badf); err != nil {
			return VerifyResult{}, err
		}
	}
	if sc.all && hasLists(ctx, q) {
		if err := verifyLists(ctx, q, listRefs, listOrder, badf); err != nil {
			return VerifyResult{}, err
		}
	} else if sc.all && len(listOrder) > 0 {
		badf(listRefs[listOrder[0]], "第 %d 条引用的抽中企业名单 %s 不在台账中：被删除", listRefs[listOrder[0]], short(listOrder[0]))
	}
	if !res.OK {
		res.Head = ""
	}
	return res, nil
}

// frameCache keeps the last stored frame read for a draw check: a frame is stored once and
// draws of one roster follow each other.
type frameCache struct {
	hash  string
	frame []byte
}

func (c *frameCache) get(ctx context.Context, q querier, hash string) ([]byte, error) {
	if hash == "" {
		return nil, nil
	}
	if hash == c.hash {
		return c.frame, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT lines, gzip FROM frames WHERE sha256 = ?`, hash)
	if err != nil {
		return nil, nil // no frames table (a version-1 ledger): nothing to add
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, nil // missing: verifyFrames names it
	}
	var lines int64
	var blob []byte
	if err := rows.Scan(&lines, &blob); err != nil {
		return nil, fmt.Errorf("读取台账: %w", err)
	}
	frame, problem := checkFrame(hash, lines, blob)
	if problem != "" {
		return nil, errors.New(problem)
	}
	c.hash, c.frame = hash, frame
	return frame, nil
}

// hasFrames says whether the ledger has the frames table (schema 2; a version-1 ledger opened
// read-only has not been migrated).
func hasFrames(ctx context.Context, q rowQuerier) bool {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'frames'`).Scan(&n)
	return err == nil && n > 0
}

// entryRefs are the frame hash a draw entry references from the frames table ("" when its
// manifest carries the frame inline, as version-1 entries do) and the hash of the drawn-firm
// list it references from the lists table ("" when its drawn firms are inline).
func entryRefs(entry string) (frame, list string) {
	var e struct {
		Manifest frameRef `json:"manifest"`
	}
	if json.Unmarshal([]byte(entry), &e) != nil {
		return "", ""
	}
	if l := e.Manifest.List; l != nil {
		list = l.SHA256
	}
	if inline := e.Manifest.Frame; len(inline) > 0 && string(inline) != "null" {
		return "", list
	}
	return e.Manifest.Roster.FrameSHA256, list
}

// verifyFrames checks every stored frame against its hash and line count, and that every
// frame a draw references is stored.
func verifyFrames(ctx context.Context, tx querier, refs map[string]int64, order []string, bad func(int64, string, ...any)) error {
	return verifyBlobs(ctx, tx, `SELECT sha256, lines, gzip FROM frames ORDER BY rowid`, "抽样框", func(hash string, lines int64, blob []byte) string {
		return checkFrameTo(nil, hash, lines, blob)
	}, refs, order, bad)
}

// verifyBlobs checks every blob the query gives (hash, count, gzip) with check, on all cores
// while the rows are read, and reports the problems in row order; then that every blob a draw
// references is stored (what names the kind of blob, in messages).
func verifyBlobs(ctx context.Context, q querier, query, what string, check func(hash string, n int64, blob []byte) string,
	refs map[string]int64, order []string, bad func(int64, string, ...any)) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("读取台账: %w", err)
	}
	defer rows.Close()
	var (
		hashes   []string
		problems []string
		mu       sync.Mutex
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	stored := map[string]bool{}
	for rows.Next() {
		var hash string
		var n int64
		var blob []byte
		if err := rows.Scan(&hash, &n, &blob); err != nil {
			wg.Wait()
			return fmt.Errorf("读取台账: %w", err)
		}
		stored[hash] = true
		i := len(hashes)
		hashes = append(hashes, hash)
		mu.Lock()
		problems = append(problems, "")
		mu.Unlock()
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p := check(hash, n, blob)
			mu.Lock()
			problems[i] = p
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("读取台账: %w", err)
	}
	for i, problem := range problems {
		if problem == "" {
			continue
		}
		id, ok := refs[hashes[i]]
		if !ok {
			bad(0, "%s（没有条目引用它）", problem)
			continue
		}
		bad(id, "第 %d 条引用的%s", id, problem)
	}
	for _, hash := range order {
		if !stored[hash] {
			bad(refs[hash], "第 %d 条引用的%s %s 不在台账中：被删除", refs[hash], what, short(hash))
		}
	}
	return nil
}

type columns struct {
	id                                      int64
	kind, task                              string
	round, year                             int
	seed, createdAt, operator, redrawReason string
	target                                  int64
	prevHash, hash, entry                   string
	full                                    bool // entry was read: check the content too
}

// roundKey names a task round in a year.
type roundKey struct {
	task        string
	round, year int
}

// drawInfo is what the lock rules need of a draw.
type drawInfo struct {
	round     roundKey
	seed      string
	createdAt string
	reason    string
}

// rules replays the lock rules of Append over the chain.
type rules struct {
	draws  map[int64]drawInfo
	kinds  map[int64]string
	locked map[roundKey]int64 // the round's locked draw (target of its newest lock)
}

func newRules() *rules {
	return &rules{draws: map[int64]drawInfo{}, kinds: map[int64]string{}, locked: map[roundKey]int64{}}
}

// checkEntry checks one row; it returns the bad entry's ID and the problem, or "".
func checkEntry(c *columns, lastID int64, prevHash string, r *rules) (int64, string) {
	if want := lastID + 1; c.id != want {
		if c.id > want {
			if c.id == want+1 {
				return want, fmt.Sprintf("第 %d 条缺失（序号从 %d 跳到 %d）：条目被删除", want, lastID, c.id)
			}
			return want, fmt.Sprintf("第 %d 条至第 %d 条缺失（序号从 %d 跳到 %d）：条目被删除", want, c.id-1, lastID, c.id)
		}
		return c.id, fmt.Sprintf("序号 %d 无效", c.id)
	}
	b := body{
		Kind: c.kind, Task: c.task, Round: c.round, Year: c.year, Seed: c.seed, CreatedAt: c.createdAt,
		Operator: c.operator, RedrawReason: c.redrawReason, Target: c.target,
	}
	if c.full {
		if err := json.Unmarshal([]byte(c.entry), &b); err != nil || b.Format != Format {
			return c.id, fmt.Sprintf("第 %d 条的内容不是有效的台账条目：被改动", c.id)
		}
		if b.ID != c.id {
			return c.id, fmt.Sprintf("第 %d 条的内容属于第 %d 条：条目被调换或改动", c.id, b.ID)
		}
		if ChainHash(c.prevHash, []byte(c.entry)) != c.hash {
			return c.id, fmt.Sprintf("第 %d 条的哈希与内容不符：内容被改动", c.id)
		}
	}
	if c.prevHash != prevHash {
		if lastID == 0 {
			return c.id, fmt.Sprintf("第 %d 条没有链接到起点（前一哈希不是 %s…）：前面的条目被删除或改动", c.id, GenesisHash[:8])
		}
		return c.id, fmt.Sprintf("第 %d 条记录的前一哈希与第 %d 条的哈希不符：第 %d 条被改动或条目被删除、调换", c.id, lastID, lastID)
	}
	if c.full {
		for _, f := range []struct {
			name      string
			col, body any
		}{
			{"类型", c.kind, b.Kind}, {"任务", c.task, b.Task}, {"轮次", c.round, b.Round}, {"年度", c.year, b.Year},
			{"种子", c.seed, b.Seed}, {"时间", c.createdAt, b.CreatedAt}, {"操作人", c.operator, b.Operator},
			{"重抽理由", c.redrawReason, b.RedrawReason}, {"锁定对象", c.target, b.Target},
		} {
			if f.col != f.body {
				return c.id, fmt.Sprintf("第 %d 条的%s一栏（%v）与链入的内容（%v）不符：被改动", c.id, f.name, f.col, f.body)
			}
		}
		if b.Kind == KindDraw && (len(b.Manifest) == 0 || string(b.Manifest) == "null") {
			return c.id, fmt.Sprintf("第 %d 条是抽取记录却没有抽取清单", c.id)
		}
	}
	if problem := r.apply(c.id, &b); problem != "" {
		return c.id, problem
	}
	return 0, ""
}

// apply checks entry id (body b) against the lock rules and records it.
func (r *rules) apply(id int64, b *body) string {
	r.kinds[id] = b.Kind
	rk := roundKey{b.Task, b.Round, b.Year}
	switch b.Kind {
	case KindDraw:
		if cur, ok := r.locked[rk]; ok && b.RedrawReason == "" {
			return fmt.Sprintf("第 %d 条重抽了已于第 %d 条锁定的任务 %s %d年第%d轮，却没有重抽理由：锁定后的重抽必须说明理由",
				id, cur, b.Task, b.Year, b.Round)
		}
		r.draws[id] = drawInfo{round: rk, seed: b.Seed, createdAt: b.CreatedAt, reason: b.RedrawReason}
	case KindLock:
		d, ok := r.draws[b.Target]
		if !ok || b.Target >= id {
			return fmt.Sprintf("第 %d 条锁定的第 %d 条不是此前的抽取记录", id, b.Target)
		}
		if d.round != rk || d.seed != b.Seed {
			return fmt.Sprintf("第 %d 条锁定记录的任务、轮次、年度或种子与所锁定的第 %d 条不符：被改动", id, b.Target)
		}
		if lt, err1 := time.Parse(time.RFC3339, b.CreatedAt); err1 == nil {
			if dt, err2 := time.Parse(time.RFC3339, d.createdAt); err2 == nil && lt.Before(dt) {
				return fmt.Sprintf("第 %d 条锁定记录的时间（%s）早于所锁定的第 %d 条抽取（%s）：时间顺序不对", id, b.CreatedAt, b.Target, d.createdAt)
			}
		} else {
			return fmt.Sprintf("第 %d 条的时间 %q 不是 RFC 3339 格式", id, b.CreatedAt)
		}
		if cur, ok := r.locked[rk]; ok {
			switch {
			case cur == b.Target:
				return fmt.Sprintf("第 %d 条再次锁定了已锁定的第 %d 条：每轮只有一份最终名单", id, cur)
			case b.Target < cur || d.reason == "":
				return fmt.Sprintf("第 %d 条锁定了第 %d 条，但任务 %s %d年第%d轮已锁定第 %d 条：只有锁定之后说明理由的重抽才能再锁定",
					id, b.Target, b.Task, b.Year, b.Round, cur)
			}
		}
		r.locked[rk] = b.Target
	default:
		return fmt.Sprintf("第 %d 条的类型 %q 未知", id, b.Kind)
	}
	return ""
}
