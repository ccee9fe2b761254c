package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
}

// Verify recomputes the hash chain and checks each entry's columns against its chained
// bytes. It stops at the first bad entry.
func (l *Ledger) Verify(ctx context.Context) (VerifyResult, error) {
	// One read transaction: a consistent snapshot even while others append.
	tx, err := l.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	defer tx.Rollback()
	res := VerifyResult{OK: true, Head: GenesisHash}
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, task, round, year, seed, created_at, operator,
		redraw_reason, target, prev_hash, hash, entry FROM entries ORDER BY id`)
	if err != nil {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	defer rows.Close()
	kinds := map[int64]string{}
	bad := func(id int64, format string, args ...any) {
		if res.OK {
			res.OK, res.BadID, res.Problem = false, id, fmt.Sprintf(format, args...)
		}
	}
	prevHash := GenesisHash
	refs := map[string]int64{} // frame hash → first draw entry that references it
	var refOrder []string
	for rows.Next() {
		var c columns
		var target sql.NullInt64
		if err := rows.Scan(&c.id, &c.kind, &c.task, &c.round, &c.year, &c.seed, &c.createdAt, &c.operator,
			&c.redrawReason, &target, &c.prevHash, &c.hash, &c.entry); err != nil {
			return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
		}
		c.target = target.Int64
		res.Entries++
		if res.OK {
			if id, problem := checkEntry(&c, res.LastID, prevHash, kinds); problem != "" {
				bad(id, "%s", problem)
			}
		}
		if c.kind == KindDraw && res.OK {
			if ref := entryFrameRef(c.entry); ref != "" {
				if _, ok := refs[ref]; !ok {
					refs[ref] = c.id
					refOrder = append(refOrder, ref)
				}
			}
		}
		kinds[c.id] = c.kind
		prevHash = c.hash
		res.LastID = c.id
		res.Head = c.hash
	}
	if err := rows.Err(); err != nil {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	var seq sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'entries'`).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return VerifyResult{}, fmt.Errorf("读取台账: %w", err)
	}
	switch {
	case seq.Int64 > res.LastID:
		bad(res.LastID+1, "第 %d 条至第 %d 条缺失：序号已用到 %d，台账只到第 %d 条，最新的条目被删除",
			res.LastID+1, seq.Int64, seq.Int64, res.LastID)
	case seq.Int64 < res.LastID:
		bad(res.LastID, "序号计数（%d）小于最后一条的序号（%d）：台账被改动", seq.Int64, res.LastID)
	}
	if err := verifyFrames(ctx, tx, refs, refOrder, bad); err != nil {
		return VerifyResult{}, err
	}
	if !res.OK {
		res.Head = ""
	}
	return res, nil
}

// entryFrameRef is the frame hash a draw entry references from the frames table ("" when its
// manifest carries the frame inline, as version-1 entries do).
func entryFrameRef(entry string) string {
	var e struct {
		Manifest frameRef `json:"manifest"`
	}
	if json.Unmarshal([]byte(entry), &e) != nil {
		return ""
	}
	if inline := e.Manifest.Frame; len(inline) > 0 && string(inline) != "null" {
		return ""
	}
	return e.Manifest.Roster.FrameSHA256
}

// verifyFrames checks every stored frame against its hash and line count, and that every
// frame a draw references is stored.
func verifyFrames(ctx context.Context, tx *sql.Tx, refs map[string]int64, order []string, bad func(int64, string, ...any)) error {
	rows, err := tx.QueryContext(ctx, `SELECT sha256, lines, gzip FROM frames ORDER BY rowid`)
	if err != nil {
		return fmt.Errorf("读取台账: %w", err)
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var hash string
		var lines int64
		var blob []byte
		if err := rows.Scan(&hash, &lines, &blob); err != nil {
			return fmt.Errorf("读取台账: %w", err)
		}
		stored[hash] = true
		if _, problem := checkFrame(hash, lines, blob); problem != "" {
			id, ok := refs[hash]
			if !ok {
				bad(0, "%s（没有条目引用它）", problem)
				continue
			}
			bad(id, "第 %d 条引用的%s", id, problem)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("读取台账: %w", err)
	}
	for _, hash := range order {
		if !stored[hash] {
			bad(refs[hash], "第 %d 条引用的抽样框 %s 不在台账中：被删除", refs[hash], short(hash))
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
}

// checkEntry checks one row; it returns the bad entry's ID and the problem, or "".
func checkEntry(c *columns, lastID int64, prevHash string, kinds map[int64]string) (int64, string) {
	if want := lastID + 1; c.id != want {
		if c.id > want {
			if c.id == want+1 {
				return want, fmt.Sprintf("第 %d 条缺失（序号从 %d 跳到 %d）：条目被删除", want, lastID, c.id)
			}
			return want, fmt.Sprintf("第 %d 条至第 %d 条缺失（序号从 %d 跳到 %d）：条目被删除", want, c.id-1, lastID, c.id)
		}
		return c.id, fmt.Sprintf("序号 %d 无效", c.id)
	}
	var b body
	if err := json.Unmarshal([]byte(c.entry), &b); err != nil || b.Format != Format {
		return c.id, fmt.Sprintf("第 %d 条的内容不是有效的台账条目：被改动", c.id)
	}
	if b.ID != c.id {
		return c.id, fmt.Sprintf("第 %d 条的内容属于第 %d 条：条目被调换或改动", c.id, b.ID)
	}
	if ChainHash(c.prevHash, []byte(c.entry)) != c.hash {
		return c.id, fmt.Sprintf("第 %d 条的哈希与内容不符：内容被改动", c.id)
	}
	if c.prevHash != prevHash {
		if lastID == 0 {
			return c.id, fmt.Sprintf("第 %d 条没有链接到起点（前一哈希不是 %s…）：前面的条目被删除或改动", c.id, GenesisHash[:8])
		}
		return c.id, fmt.Sprintf("第 %d 条记录的前一哈希与第 %d 条的哈希不符：第 %d 条被改动或条目被删除、调换", c.id, lastID, lastID)
	}
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
	switch b.Kind {
	case KindDraw:
		if len(b.Manifest) == 0 || string(b.Manifest) == "null" {
			return c.id, fmt.Sprintf("第 %d 条是抽取记录却没有抽取清单", c.id)
		}
	case KindLock:
		if kinds[b.Target] != KindDraw {
			return c.id, fmt.Sprintf("第 %d 条锁定的第 %d 条不是此前的抽取记录", c.id, b.Target)
		}
	default:
		return c.id, fmt.Sprintf("第 %d 条的类型 %q 未知", c.id, b.Kind)
	}
	return 0, ""
}
