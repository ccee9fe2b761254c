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
	"hash"
	"io"
	"runtime"
	"sync"

	kgzip "github.com/klauspost/compress/gzip"
)

// Frames (schema version 2). A sampling frame — the lines "<key>|<class>\n" sorted by key,
// whose SHA-256 is the manifest's roster.frame_sha256 — is stored once per hash in the
// table frames, gzip-compressed, instead of inside every draw's manifest. Ten draws from one
// roster store it once. The chain covers it through the hash: the draw entry's manifest (chained)
// names frame_sha256, and Verify checks every blob against its hash.

// ErrFrameMissing: the ledger has no frame with the hash.
var ErrFrameMissing = errors.New("台账中没有该抽样框")

// frameRef is the part of a manifest the ledger reads: which frame it references, whether it
// carries the frame inline (version-1 entries), and which drawn-firm list it references
// (schema version 3; nil when its drawn firms are inline).
type frameRef struct {
	Roster struct {
		FrameSHA256 string `json:"frame_sha256"`
	} `json:"roster"`
	Frame json.RawMessage `json:"frame"`
	List  *listRef        `json:"list"`
}

// listRef is a manifest's reference to its drawn-firm list.
type listRef struct {
	SHA256 string `json:"sha256"`
	Firms  int    `json:"firms"`
}

func parseRefs(manifest []byte) (*frameRef, error) {
	var r frameRef
	if err := json.Unmarshal(manifest, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// referencedFrame returns the frame hash a draw manifest references from the frames table:
// "" when the manifest carries its frame inline (or names none).
func referencedFrame(manifest []byte) (string, error) {
	r, err := parseRefs(manifest)
	if err != nil {
		return "", err
	}
	if inline := bytes.TrimSpace(r.Frame); len(inline) > 0 && string(inline) != "null" {
		return "", nil
	}
	return r.Roster.FrameSHA256, nil
}

// FrameHash is frame_sha256 of frame bytes: lower-case hex SHA-256.
func FrameHash(frame []byte) string {
	s := sha256.Sum256(frame)
	return hex.EncodeToString(s[:])
}

// countLines checks frame bytes (lines each ending in "\n") and counts them.
func countLines(frame []byte) (int, error) {
	var c lineCounter
	c.add(frame)
	return c.result()
}

// lineCounter is countLines over frame bytes given in pieces (as they are inflated).
type lineCounter struct {
	lines int
	any   bool // a byte was seen
	last  byte // the last byte seen
}

func (c *lineCounter) add(p []byte) {
	if len(p) > 0 {
		c.lines += bytes.Count(p, []byte{'\n'})
		c.any, c.last = true, p[len(p)-1]
	}
}

// result is the number of lines, or an error when the bytes do not end in "\n".
func (c *lineCounter) result() (int, error) {
	if c.any && c.last != '\n' {
		return 0, errors.New("抽样框的最后一行没有换行符")
	}
	return c.lines, nil
}

// gzipFrame compresses frame bytes. The gzip header carries no name and no time, so the same
// frame always gives the same blob. A large frame is cut at line boundaries into parts
// compressed on all cores and concatenated: a multi-member gzip file, which gunzip and Go's
// gzip reader read as one stream.
func gzipFrame(frame []byte) ([]byte, error) {
	return gzipParts(frame, true)
}

// gzipParts compresses b on all cores (up to 4) when it is large: cut into parts (at line
// ends when lines), each a gzip member, concatenated. Deflate looks back 32 KB at most, so the
// parts compress almost as well as the whole.
func gzipParts(b []byte, lines bool) ([]byte, error) {
	parts := [][]byte{b}
	if workers := min(runtime.GOMAXPROCS(0), 4); workers > 1 && len(b) >= 4<<20 {
		parts = parts[:0]
		rest := b
		for w := workers; w > 1; w-- {
			cut := len(rest) / w
			if lines {
				if i := bytes.IndexByte(rest[cut:], '\n'); i >= 0 {
					cut += i + 1
				} else {
					cut = len(rest)
				}
			}
			parts = append(parts, rest[:cut])
			rest = rest[cut:]
		}
		parts = append(parts, rest)
	}
	out := make([][]byte, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = gzipPart(p)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return bytes.Join(out, nil), nil
}

// blobLevel is the level a frame's or a list's parts are compressed at: klauspost's fastest.
// On a 1M-line frame it takes 0.45× the time of its default level (BenchmarkGzipFrame, where
// the default level and the standard library's compress/gzip stay as references); a 1M-row
// draw's ledger grew 7.08 MB instead of 6.96. The blob needs no particular bytes: the chain
// covers what it inflates to (its SHA-256), and any gzip reader reads it.
const blobLevel = kgzip.BestSpeed

// gzipPart compresses one part with github.com/klauspost/compress/gzip at blobLevel.
func gzipPart(b []byte) ([]byte, error) { return gzipPartLevel(b, blobLevel) }

func gzipPartLevel(b []byte, level int) ([]byte, error) {
	return gzipWith(len(b)/3+64, level, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// gzipWith is one gzip member at level of what write writes, in a buffer of about size bytes.
func gzipWith(size, level int, write func(io.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(size)
	zw, err := kgzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	if err := write(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gunzipFrame decompresses a stored blob, refusing one that inflates beyond max bytes (a
// tampered blob must not exhaust memory).
func gunzipFrame(blob []byte, max int64) ([]byte, error) {
	var out chunks
	defer out.free()
	if err := inflate(&out, blob, max); err != nil {
		return nil, err
	}
	return out.bytes(), nil
}

// chunks collects inflated bytes in pooled 1 MiB chunks and hands them out as one slice of
// exactly their length. How far a blob inflates is not known before (a list inflates ten
// times, a frame three times its blob): a buffer grown by doubling writes a 10 MB list into
// 3.6, 7.2 and 14.4 MB of fresh memory in turn.
type chunks struct {
	full [][]byte
	cur  []byte
	n    int
}

const chunkSize = 1 << 20

var chunkPool = sync.Pool{New: func() any { b := make([]byte, 0, chunkSize); return &b }}

func (c *chunks) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(c.cur) == cap(c.cur) {
			if c.cur != nil {
				c.full = append(c.full, c.cur)
			}
			c.cur = (*chunkPool.Get().(*[]byte))[:0]
		}
		k := copy(c.cur[len(c.cur):cap(c.cur)], p)
		c.cur, p = c.cur[:len(c.cur)+k], p[k:]
	}
	c.n += n
	return n, nil
}

// bytes returns a copy of everything written, in one slice.
func (c *chunks) bytes() []byte {
	out := make([]byte, 0, c.n)
	for _, b := range c.full {
		out = append(out, b...)
	}
	return append(out, c.cur...)
}

// free returns the chunks to the pool.
func (c *chunks) free() {
	for _, b := range append(c.full, c.cur) {
		if cap(b) == chunkSize {
			b = b[:0]
			chunkPool.Put(&b)
		}
	}
	*c = chunks{}
}

// inflate decompresses a stored blob (one or more gzip members) into w, refusing one that
// inflates beyond max bytes. It reads with github.com/klauspost/compress/gzip, which checks
// each member's CRC-32 and length as compress/gzip does, in about two thirds of its time on a
// 1M-line frame (BenchmarkGunzipFrame: 72 against 110 ms; compress/gzip stays its reference).
func inflate(w io.Writer, blob []byte, max int64) error {
	zr, err := kgzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return err
	}
	n, err := io.Copy(w, io.LimitReader(zr, max+1))
	if err != nil {
		return err
	}
	if n > max {
		return fmt.Errorf("解压后超过 %d 字节", max)
	}
	return zr.Close()
}

// maxFrameLineBytes bounds one stored line: an 18-character key, '|', a class, '\n' — with
// room to spare. A blob inflating beyond lines × this is refused.
const maxFrameLineBytes = 64

// Frame returns the frame bytes stored under hash (lines "<key>|<class>\n"), checked against
// the hash. The error wraps ErrFrameMissing when the ledger has no such frame.
func (l *Ledger) Frame(ctx context.Context, hash string) ([]byte, error) {
	var lines int64
	var blob []byte
	err := l.db.QueryRowContext(ctx, `SELECT lines, gzip FROM frames WHERE sha256 = ?`, hash).Scan(&lines, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("抽样框 %s: %w", short(hash), ErrFrameMissing)
	}
	if err != nil {
		return nil, fmt.Errorf("读取台账: %w", err)
	}
	frame, problem := checkFrame(hash, lines, blob)
	if problem != "" {
		return nil, fmt.Errorf("台账 %s: %s，请运行 choucha ledger verify", l.path, problem)
	}
	return frame, nil
}

// checkFrame decompresses a stored frame and checks it against its hash and line count.
func checkFrame(hash string, lines int64, blob []byte) ([]byte, string) {
	var out chunks
	defer out.free()
	if problem := checkFrameTo(&out, hash, lines, blob); problem != "" {
		return nil, problem
	}
	return out.bytes(), ""
}

// checkFrameTo is checkFrame writing the frame bytes to w as they are inflated (nil: only
// checked, never held whole — Verify's check of every stored frame).
func checkFrameTo(w io.Writer, hash string, lines int64, blob []byte) string {
	sink := &frameSink{h: sha256.New(), w: w}
	if err := inflate(sink, blob, max(lines, 1)*maxFrameLineBytes); err != nil {
		return fmt.Sprintf("抽样框 %s 无法解压（%v）：被改动", short(hash), err)
	}
	if hex.EncodeToString(sink.h.Sum(nil)) != hash {
		return fmt.Sprintf("抽样框 %s 的内容与其哈希不符：被改动", short(hash))
	}
	if n, err := sink.result(); err != nil || int64(n) != lines {
		return fmt.Sprintf("抽样框 %s 的行数一栏（%d）与内容不符：被改动", short(hash), lines)
	}
	return ""
}

// frameSink hashes inflated frame bytes, counts their lines (countLines' rule) and passes
// them on to w, if any.
type frameSink struct {
	lineCounter
	h hash.Hash
	w io.Writer
}

func (s *frameSink) Write(p []byte) (int, error) {
	s.h.Write(p)
	s.add(p)
	if s.w != nil {
		return s.w.Write(p)
	}
	return len(p), nil
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// PreparedFrame is a draw's frame made ready for Append outside the write lock: hashed, its
// lines counted and, unless the ledger already held it, compressed. A caller that has other
// work to do prepares it on another goroutine meanwhile (Entry.PreparedFrame).
type PreparedFrame struct {
	hash  string
	lines int
	gzip  []byte // nil when the ledger already held the frame at prepare time
}

// PrepareFrame checks frame bytes and hashes and compresses them, for a ledger that may not
// exist yet.
func PrepareFrame(frame []byte) (*PreparedFrame, error) {
	p, err := hashFrame(frame)
	if err != nil {
		return nil, err
	}
	if err := p.compress(frame); err != nil {
		return nil, err
	}
	return p, nil
}

// PrepareFrame is the package's PrepareFrame, but leaves a frame the ledger already holds
// uncompressed (a second draw from the same roster stores nothing new). It writes nothing.
func (l *Ledger) PrepareFrame(ctx context.Context, frame []byte) (*PreparedFrame, error) {
	p, err := hashFrame(frame)
	if err != nil {
		return nil, err
	}
	if held, err := l.holdsFrame(ctx, p.hash); err != nil {
		return nil, err
	} else if held {
		return p, nil
	}
	if err := p.compress(frame); err != nil {
		return nil, err
	}
	return p, nil
}

// holdsFrame reports whether the ledger already stores the frame with the hash.
func (l *Ledger) holdsFrame(ctx context.Context, hash string) (bool, error) {
	var one int
	err := l.db.QueryRowContext(ctx, `SELECT 1 FROM frames WHERE sha256 = ?`, hash).Scan(&one)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	}
	return false, fmt.Errorf("读取台账: %w", err)
}

func hashFrame(frame []byte) (*PreparedFrame, error) {
	n, err := countLines(frame)
	if err != nil {
		return nil, fmt.Errorf("记入台账: %w", err)
	}
	return &PreparedFrame{hash: FrameHash(frame), lines: n}, nil
}

// FrameSource is a frame given by its lines instead of its bytes: Lines lines, AppendLines
// appending lines [from, to) ("<key>|<class>\n" each, in key order) to dst. A draw's frame
// of 10M firms is 200 MB of bytes that need never be held whole.
type FrameSource interface {
	Lines() int
	AppendLines(dst []byte, from, to int) []byte
}

// PrepareFrameSource is PrepareFrame for a frame given as a FrameSource whose FrameHash is
// hash (which the caller computed as it hashed the lines; a draw does for its manifest):
// compressed piece by piece on all cores unless l already holds it. l nil is a ledger that
// does not exist yet. Once ctx is done the compression stops at its next run of lines (a
// draw that was refused does not wait for it).
func PrepareFrameSource(ctx context.Context, l *Ledger, src FrameSource, hash string) (*PreparedFrame, error) {
	if len(hash) != sha256.Size*2 {
		return nil, fmt.Errorf("记入台账: 抽样框的哈希“%s”无效", hash)
	}
	n := src.Lines()
	if n == 0 {
		return nil, errors.New("记入台账: 抽样框为空")
	}
	p := &PreparedFrame{hash: hash, lines: n}
	if l != nil {
		if held, err := l.holdsFrame(ctx, hash); err != nil {
			return nil, err
		} else if held {
			return p, nil
		}
	}
	var err error
	if p.gzip, err = gzipSource(ctx, src); err != nil {
		return nil, fmt.Errorf("记入台账: 压缩抽样框: %w", err)
	}
	return p, nil
}

// gzipSource is gzipFrame of src's bytes: the lines cut into parts compressed on all cores
// (up to 4), each part fed to its compressor a run of lines at a time, until ctx is done.
func gzipSource(ctx context.Context, src FrameSource) ([]byte, error) {
	n := src.Lines()
	parts := 1
	if workers := min(runtime.GOMAXPROCS(0), 4); workers > 1 && n >= 1<<17 {
		parts = workers
	}
	out := make([][]byte, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		from, to := n*i/parts, n*(i+1)/parts
		wg.Go(func() {
			// About a third of 20-byte lines.
			out[i], errs[i] = gzipWith((to-from)*7+64, blobLevel, func(w io.Writer) error {
				var lines []byte
				const run = 1 << 15
				for lo := from; lo < to; lo += run {
					if err := ctx.Err(); err != nil {
						return err
					}
					lines = src.AppendLines(lines[:0], lo, min(lo+run, to))
					if _, err := w.Write(lines); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return bytes.Join(out, nil), nil
}

// compress sets p's blob from frame, the bytes p was hashed from.
func (p *PreparedFrame) compress(frame []byte) error {
	var err error
	if p.gzip, err = gzipFrame(frame); err != nil {
		return fmt.Errorf("记入台账: 压缩抽样框: %w", err)
	}
	return nil
}

// checkFrameRef checks a prepared frame against the frame_sha256 its draw's manifest
// references.
func checkFrameRef(p *PreparedFrame, manifest []byte) error {
	ref, err := referencedFrame(manifest)
	if err != nil {
		return fmt.Errorf("记入台账: 抽取清单（manifest）: %w", err)
	}
	if ref != p.hash {
		return fmt.Errorf("记入台账: 抽样框的哈希 %s 与抽取清单的 frame_sha256（%s）不符，或清单已内含抽样框", short(p.hash), short(ref))
	}
	return nil
}

// storeFrameTx stores a prepared frame inside Append's write transaction (once per hash).
func storeFrameTx(ctx context.Context, tx *sql.Tx, p *PreparedFrame) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM frames WHERE sha256 = ?`, p.hash).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("读取台账: %w", err)
	}
	if p.gzip == nil {
		return fmt.Errorf("写入台账: 抽样框 %s 在写入时已不在台账中", short(p.hash))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO frames (sha256, lines, gzip) VALUES (?, ?, ?)`, p.hash, p.lines, p.gzip); err != nil {
		return fmt.Errorf("写入台账: %w", err)
	}
	return nil
}

// referencedFrameTx checks, inside Append's transaction, that a draw manifest which references
// a frame instead of carrying it has that frame in the ledger (or is bringing it).
func referencedFrameTx(ctx context.Context, tx *sql.Tx, manifest []byte, p *PreparedFrame) error {
	ref, err := referencedFrame(manifest)
	if err != nil || ref == "" || (p != nil && p.hash == ref) {
		return nil
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM frames WHERE sha256 = ?`, ref).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("记入台账: 抽取清单引用的抽样框 %s 不在台账中，请一并给出抽样框", short(ref))
	}
	if err != nil {
		return fmt.Errorf("读取台账: %w", err)
	}
	return nil
}
