package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Published is a ledger position someone holds on paper or in a published file: the hash of
// entry ID (0 when only the hash is known). Every notice and every `sample` run carries
// "第N条:HASH" for the draw's own entry and for the ledger's head at publication.
type Published struct {
	ID   int64
	Hash string
}

// String is the published form, "第N条:HASH" (what ParsePublished reads back).
func (p Published) String() string {
	if p.ID == 0 {
		return p.Hash
	}
	return fmt.Sprintf("第%d条:%s", p.ID, p.Hash)
}

var (
	publishedRe = regexp.MustCompile(`第\s*(\d{1,18})\s*条\s*[:：]?\s*([0-9a-fA-F]{64})\b`)
	bareHashRe  = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
)

// ParsePublished reads the ledger positions in s: one bare 64-digit hash, or every
// "第N条:HASH" in a text (a notice's CSV or HTML, a sample transcript).
func ParsePublished(s string) ([]Published, error) {
	t := strings.TrimSpace(s)
	if bareHashRe.MatchString(t) {
		return []Published{{Hash: strings.ToLower(t)}}, nil
	}
	seen := map[Published]bool{}
	var out []Published
	for _, m := range publishedRe.FindAllStringSubmatch(s, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		p := Published{ID: id, Hash: strings.ToLower(m[2])}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		if len(t) < 200 {
			return nil, fmt.Errorf("“%s”不是台账哈希：应为 64 位十六进制数字，或“第N条:哈希”", t)
		}
		return nil, errors.New("其中没有“第N条:哈希”形式的台账位置")
	}
	return out, nil
}

// Contains says whether the published position is still in the verified chain: entry ID
// still has that hash (so nothing up to it was deleted or rewritten). It needs a result of
// VerifyWith with KeepHashes.
func (r VerifyResult) Contains(p Published) error {
	if p.ID == 0 {
		for _, h := range r.Hashes {
			if h == p.Hash {
				return nil
			}
		}
		return fmt.Errorf("公布的台账哈希 %s 不在当前的链中：公布之前的记录被删除或改写", p.Hash)
	}
	h, ok := r.Hashes[p.ID]
	switch {
	case !ok:
		return fmt.Errorf("公布时台账已有第 %d 条（哈希 %s），现在台账只到第 %d 条：公布过的记录被删除", p.ID, p.Hash, r.LastID)
	case h != p.Hash:
		return fmt.Errorf("公布时第 %d 条的哈希是 %s，现在是 %s：第 %d 条或它之前的记录被删除或改写", p.ID, p.Hash, h, p.ID)
	}
	return nil
}

// Head returns the newest entry's position (ID 0 and GenesisHash for an empty ledger): what
// a notice publishes as the ledger's head.
func (l *Ledger) Head(ctx context.Context) (Published, error) {
	var p Published
	err := l.db.QueryRowContext(ctx, `SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1`).Scan(&p.ID, &p.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Published{Hash: GenesisHash}, nil
	}
	if err != nil {
		return Published{}, l.readError(err)
	}
	return p, nil
}

// Position returns entry id's position and the head's, read in one snapshot.
func (l *Ledger) Position(ctx context.Context, id int64) (entry, head Published, err error) {
	err = l.readTx(ctx, func(tx *sql.Tx) error {
		entry.ID = id
		if err := tx.QueryRowContext(ctx, `SELECT hash FROM entries WHERE id = ?`, id).Scan(&entry.Hash); err != nil {
			return l.readError(err)
		}
		err := tx.QueryRowContext(ctx, `SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1`).Scan(&head.ID, &head.Hash)
		if err != nil {
			return l.readError(err)
		}
		return nil
	})
	return entry, head, err
}
