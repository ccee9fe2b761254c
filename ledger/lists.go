package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Drawn-firm lists (schema version 3). A draw's drawn firms — tens of thousands of them for a
// 1M-firm roster — are not written into the chained manifest. The manifest names them by
// list.sha256 (and list.firms); the list itself, a JSON document whose first column is the
// drawn keys (draw.Manifest.Stored defines the rest), is stored once per hash in the table
// lists, gzip-compressed. The chain covers it as it covers a frame: the hash is inside the
// chained manifest, and Verify checks every stored list against its hash and firm count.
// Such an entry chains "keys":[]: its keys are the list's.

// ErrListMissing: the ledger has no drawn-firm list with the hash.
var ErrListMissing = errors.New("台账中没有该抽中企业名单")

// maxListFirmBytes bounds what one drawn firm may take in a stored list: a tampered blob
// inflating beyond firms × this (plus maxListExtra) is refused.
const (
	maxListFirmBytes = 64 << 10
	maxListExtra     = 16 << 20
)

// listKeys returns the firm count and the drawn keys (sorted) of list bytes. A list made by
// draw.Manifest.Stored is {"format":…,"firms":N,"columns":[{"name":"key","values":[…]},…],…};
// it is read only as far as its first column, the keys.
func listKeys(list []byte) (int, []string, error) {
	bad := func(what string) (int, []string, error) {
		return 0, nil, fmt.Errorf("抽中企业名单%s", what)
	}
	d := json.NewDecoder(bytes.NewReader(list))
	want := func(delim json.Delim) bool {
		tok, err := d.Token()
		return err == nil && tok == delim
	}
	if !want('{') {
		return bad("不是 JSON 对象")
	}
	firms := -1
	var keys []string
	for d.More() {
		tok, err := d.Token()
		name, ok := tok.(string)
		if err != nil || !ok {
			return bad("不是有效的 JSON")
		}
		switch name {
		case "firms":
			if err := d.Decode(&firms); err != nil || firms < 0 {
				return bad("的户数（firms）无效")
			}
		case "columns":
			var c struct {
				Name   string   `json:"name"`
				Values []string `json:"values"`
			}
			if !want('[') || !d.More() || d.Decode(&c) != nil || c.Name != "key" {
				return bad("的第一列不是企业标识（key）")
			}
			if keys = c.Values; keys == nil {
				keys = []string{}
			}
			if firms >= 0 {
				break
			}
			for d.More() { // firms comes later: read over the other columns
				var skip json.RawMessage
				if err := d.Decode(&skip); err != nil {
					return bad("不是有效的 JSON")
				}
			}
			if !want(']') {
				return bad("不是有效的 JSON")
			}
			continue
		default:
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return bad("不是有效的 JSON")
			}
			continue
		}
		if firms >= 0 && keys != nil {
			break
		}
	}
	switch {
	case keys == nil:
		return bad("没有企业标识一列")
	case firms < 0:
		return bad("没有户数（firms）")
	case len(keys) != firms:
		return 0, nil, fmt.Errorf("抽中企业名单的户数（%d）与企业标识的个数（%d）不符", firms, len(keys))
	}
	slices.Sort(keys)
	return firms, keys, nil
}

// gzipList compresses list bytes as a frame is compressed (default level, in parts on all
// cores). Best compression would make a 1M-firm draw's list 4 % smaller and take 2 s more.
func gzipList(b []byte) ([]byte, error) {
	return gzipParts(b, false)
}

// checkList decompresses a stored list and checks it against its hash and firm count; keys
// are the list's drawn keys, sorted.
func checkList(hash string, firms int64, blob []byte) (list []byte, keys []string, problem string) {
	list, err := gunzipFrame(blob, max(firms, 0)*maxListFirmBytes+maxListExtra)
	if err != nil {
		return nil, nil, fmt.Sprintf("抽中企业名单 %s 无法解压（%v）：被改动", short(hash), err)
	}
	if FrameHash(list) != hash {
		return nil, nil, fmt.Sprintf("抽中企业名单 %s 的内容与其哈希不符：被改动", short(hash))
	}
	n, keys, err := listKeys(list)
	if err != nil {
		return nil, nil, fmt.Sprintf("抽中企业名单 %s: %v", short(hash), err)
	}
	if int64(n) != firms {
		return nil, nil, fmt.Sprintf("抽中企业名单 %s 的户数一栏（%d）与内容（%d 户）不符：被改动", short(hash), firms, n)
	}
	return list, keys, ""
}

// pendingList is a list prepared for Append outside the write lock.
type pendingList struct {
	hash  string
	firms int
	gzip  []byte
	keys  []string
}

// prepareList checks the list given with a draw against its manifest's list reference and
// compresses it.
func prepareList(list []byte, ref *listRef) (*pendingList, error) {
	if ref == nil {
		return nil, errors.New("记入台账: 抽取清单没有引用抽中企业名单（list），却给出了名单")
	}
	hash := FrameHash(list)
	if ref.SHA256 != hash {
		return nil, fmt.Errorf("记入台账: 抽中企业名单的哈希 %s 与抽取清单的 list.sha256（%s）不符", short(hash), short(ref.SHA256))
	}
	n, keys, err := listKeys(list)
	if err != nil {
		return nil, fmt.Errorf("记入台账: %w", err)
	}
	if n != ref.Firms {
		return nil, fmt.Errorf("记入台账: 抽中企业名单有 %d 户，抽取清单的 list.firms 为 %d", n, ref.Firms)
	}
	gz, err := gzipList(list)
	if err != nil {
		return nil, fmt.Errorf("记入台账: 压缩抽中企业名单: %w", err)
	}
	return &pendingList{hash: hash, firms: n, gzip: gz, keys: keys}, nil
}

// storeListTx stores a prepared list inside Append's write transaction (once per hash).
func storeListTx(ctx context.Context, tx *sql.Tx, p *pendingList) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM lists WHERE sha256 = ?`, p.hash).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("读取台账: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lists (sha256, firms, gzip) VALUES (?, ?, ?)`, p.hash, p.firms, p.gzip); err != nil {
		return fmt.Errorf("写入台账: %w", err)
	}
	return nil
}

// fetchList reads the stored list with the hash, compressed and unchecked (checkList).
func fetchList(ctx context.Context, q rowQuerier, hash string) (firms int64, blob []byte, err error) {
	err = q.QueryRowContext(ctx, `SELECT firms, gzip FROM lists WHERE sha256 = ?`, hash).Scan(&firms, &blob)
	if errors.Is(err, sql.ErrNoRows) || (err != nil && !hasLists(ctx, q)) {
		return 0, nil, fmt.Errorf("抽中企业名单 %s: %w", short(hash), ErrListMissing)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("读取台账: %w", err)
	}
	return firms, blob, nil
}

// hasLists says whether the ledger has the lists table (schema 3).
func hasLists(ctx context.Context, q rowQuerier) bool {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'lists'`).Scan(&n)
	return err == nil && n > 0
}

// verifyLists checks every stored list against its hash and firm count, and that every list
// a draw references is stored.
func verifyLists(ctx context.Context, q querier, refs map[string]int64, order []string, bad func(int64, string, ...any)) error {
	return verifyBlobs(ctx, q, `SELECT sha256, firms, gzip FROM lists ORDER BY rowid`, "抽中企业名单", func(hash string, firms int64, blob []byte) string {
		_, _, problem := checkList(hash, firms, blob)
		return problem
	}, refs, order, bad)
}
