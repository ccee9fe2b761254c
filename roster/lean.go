package roster

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// FrameKey is one firm of a frame: what a draw needs of it. A lean frame does not hold them
// (leanKeys); KeyList.At makes one as it is read.
type FrameKey struct {
	Key   string // canonical 统一社会信用代码 or 15-digit 注册号
	Row   int32  // sheet row number, to fetch the firm's record later (Frame.Lookup)
	class byte   // 'A'..'D'
}

// NewFrameKey is the frame key of a firm of class (ClassA..ClassD) on row. A class of any
// other form is kept as "" (which a draw refuses), never turned into another class.
func NewFrameKey(key, class string, row int) FrameKey {
	var c byte
	if len(class) == 1 {
		c = class[0]
	}
	return FrameKey{Key: key, Row: int32(row), class: c}
}

// Class is the firm's class, ClassA..ClassD ("" when it was none of them).
func (k FrameKey) Class() string {
	switch k.class {
	case 'A', 'B', 'C', 'D':
		return classConst(k.class)
	}
	return ""
}

// classConst returns the package constant for a class byte, so a million keys share four strings.
func classConst(c byte) string {
	switch c {
	case 'A':
		return ClassA
	case 'C':
		return ClassC
	case 'D':
		return ClassD
	}
	return ClassB
}

// ReadFrame reads a firm roster like ReadFirms but keeps, per eligible firm, only its key,
// class and row (KeyList; Frame.Keys and Frame.Firms stay nil): memory in O(frame keys), not O(roster
// columns). The keys share one string: a caller keeping a few of them beyond the frame
// should copy them (strings.Clone). The rows a draw needs are read again by number with Frame.Lookup.
func ReadFrame(ctx context.Context, path string, opt Options) (*Frame, *Report, error) {
	var s *firmScan
	offsets := true
	// Prefetch's goroutine is always ended: on a read that failed, and when a CSV's second
	// pass (another encoding) begins a new scan.
	defer func() {
		if s != nil && s.prefetch != nil {
			s.prefetch.stop()
		}
	}()
	sp := specPartial(opt, func() int { return s.hdr.rowOf() })
	sha, sr, err := scanFileAt(ctx, path, sp, func() (rowFunc, sizeFunc) {
		if s != nil && s.prefetch != nil {
			s.prefetch.stop()
		}
		s = newFirmScan(path, opt, false)
		s.partial = sp.partial
		s.curOff = -1
		return s.row, s.expect
	}, func(off int64) {
		s.curOff = off
		if off < 0 {
			offsets = false
		}
	})
	if err == nil && s.prefetch != nil {
		s.prefetch.flush()
	}
	// The frame's keys are made from the final candidates while finish hashes their lines,
	// each on its own core: this is the one part of the read `roster check` does not do, and
	// after each other the two took 0.1 s at 1M rows on one core, the other idle.
	var keys frameKeysMade
	if err == nil {
		err = sr.explain(s.finishWith(func() { keys = s.frameKeys(offsets) }), s.hdr)
	}
	if err != nil {
		return nil, nil, err
	}
	s.rep.SHA256 = sha
	fr := &Frame{File: path, SHA256: sha, Header: s.header(), Rows: s.rep.Rows, NoClasses: s.rep.NoClassColumn,
		Personal: s.personal(), opt: opt}
	sr.frame(fr, s.rep)
	if !keys.badClass {
		// finish hashed the candidates' lines as Bytes gives them, but for a class Bytes does
		// not write (none the scan lets through).
		fr.linesSHA256 = s.rep.FrameSHA256
	}
	fr.Unclassified, fr.tagAt, fr.tags = keys.unclassified, keys.tagAt, keys.tags
	s.cands = nil
	fr.lean, fr.offs, fr.kept = keys.lean, keys.offs, s.kept
	fr.tagsComplete = opt.Prefetch != nil && s.unoffered == 0
	return fr, s.rep, nil
}

// frameKeysMade is what frameKeys makes of the final candidates for a lean frame.
type frameKeysMade struct {
	lean         *leanKeys
	offs         []int64 // CSV: each firm's record offset (nil: none noted)
	unclassified int
	tagAt        []int32 // indexes of the firms whose own row Prefetch kept, and their tags
	tags         []uint64
	badClass     bool // a class FrameKey.Class does not give (none the scan lets through)
}

// frameKeys makes a lean frame's keys of the final candidates (finishWith's alongside).
// keyLen and putKey rather than key, which builds the key apart.
func (s *firmScan) frameKeys(offsets bool) frameKeysMade {
	var m frameKeysMade
	if offsets && len(s.cands) > 0 && s.cands[0].off >= 0 {
		m.offs = make([]int64, len(s.cands))
		for i := range s.cands {
			m.offs[i] = s.cands[i].off
		}
	}
	n := len(s.cands)
	size := 0
	for i := range s.cands {
		size += s.cands[i].keyLen()
	}
	var all strings.Builder
	all.Grow(size)
	var kb [18]byte
	lk := &leanKeys{keys: packed{ends: make([]uint32, n)}, rows: make([]int32, n), classes: make([]byte, n)}
	for i := range s.cands {
		c := &s.cands[i]
		all.Write(kb[:c.putKey(&kb)])
		lk.keys.ends[i], lk.rows[i], lk.classes[i] = uint32(all.Len()), c.row, c.class
		m.badClass = m.badClass || (FrameKey{class: c.class}).Class() == ""
		if c.uncl {
			m.unclassified++
		}
		if c.kept { // the frame's firm's own row was kept (not only a row that lost a duplicate)
			m.tagAt, m.tags = append(m.tagAt, int32(i)), append(m.tags, s.kept[c.row].tag)
		}
	}
	lk.keys.text = all.String()
	m.lean = lk
	return m
}

// Tags returns the tags Options.Prefetch gave the firms of the frame it kept: at[i] is the
// firm's index in the frame (KeyList), tags[i] its tag, at increasing. complete reports whether every firm
// of the frame was offered to Prefetch (its record, and so its tag, kept whenever Prefetch
// chose it): false for a frame read without Prefetch, or a CSV read in UTF-8, whose records
// are read again at their offsets instead. A kept row of a firm that lost a duplicate is not
// the firm's row and has no tag here.
func (f *Frame) Tags() (at []int32, tags []uint64, complete bool) {
	if !f.tagsComplete {
		return nil, nil, false
	}
	return f.tagAt, f.tags, true
}

// LinesSHA256 is the SHA-256 of Bytes in lower-case hex (frame_sha256) when the read that
// made the frame computed it on the way (Report.FrameSHA256), else "": a draw need not hash
// 20 MB of lines again at 1M firms.
func (f *Frame) LinesSHA256() string { return f.linesSHA256 }

// Bytes returns the frame's defining bytes: the line "<key>|<class>\n" of each firm, in key
// order. frame_sha256 is their SHA-256 (the same as HashFrameLines of FrameLines).
func (f *Frame) Bytes() []byte {
	keys := f.KeyList()
	n := 0
	for i := range keys.Len() {
		k := keys.At(i)
		n += len(k.Key) + len(k.Class()) + 2
	}
	return keys.AppendLines(make([]byte, 0, n), 0, keys.Len())
}

// FrameKeys returns the frame's keys as a slice: Keys; for a lean frame (ReadFrame), a slice
// made of them (KeyList reads them without one); for a frame built by hand with Firms only,
// the firms' keys, classes and rows sorted by key.
func (f *Frame) FrameKeys() []FrameKey {
	if f.lean != nil {
		keys := make([]FrameKey, f.lean.keys.len())
		for i := range keys {
			keys[i] = f.lean.at(i)
		}
		return keys
	}
	if f.Keys != nil || f.Firms == nil {
		return f.Keys
	}
	keys := keysOf(f.Firms)
	slices.SortStableFunc(keys, func(a, b FrameKey) int { return strings.Compare(a.Key, b.Key) })
	return keys
}

// leanKeys are a lean frame's keys (ReadFrame) without a pointer a firm: the keys back to
// back in one string, and where each ends, its row and its class. As a []FrameKey, a million
// firms were 24 MB holding a million pointers, traced by the collector on every cycle of the
// draw; this is 9 MB that it does not look into, beside the one string.
type leanKeys struct {
	keys    packed
	rows    []int32
	classes []byte
}

func (k *leanKeys) at(i int) FrameKey {
	return FrameKey{Key: k.keys.at(i), Row: k.rows[i], class: k.classes[i]}
}

// packed is strings held back to back in one string, cut where each ends: one pointer for
// the collector where a []string holds one a string. A lean frame's keys and each record the
// prefetch keeps are held so.
type packed struct {
	text string
	ends []uint32
}

func (p *packed) len() int { return len(p.ends) }

// at is the i-th string.
func (p *packed) at(i int) string {
	from := uint32(0)
	if i > 0 {
		from = p.ends[i-1]
	}
	return p.text[from:p.ends[i]]
}

// KeyList is a frame's keys in key order, read one at a time: what a draw goes through
// (every firm, a million at 1M rows) without a slice of them made.
type KeyList struct {
	keys []FrameKey
	lean *leanKeys
}

// Len is the number of firms in the frame, without making or sorting a slice of their keys.
func (f *Frame) Len() int {
	switch {
	case f.lean != nil:
		return f.lean.keys.len()
	case f.Keys != nil || f.Firms == nil:
		return len(f.Keys)
	}
	return len(f.Firms) // FrameKeys makes one key a firm
}

// KeyList returns the frame's keys (FrameKeys, without making a slice of a lean frame's).
func (f *Frame) KeyList() KeyList {
	if f.lean != nil {
		return KeyList{lean: f.lean}
	}
	return KeyList{keys: f.FrameKeys()}
}

// Len is the number of keys.
func (l KeyList) Len() int {
	if l.lean != nil {
		return l.lean.keys.len()
	}
	return len(l.keys)
}

// At is the i-th key (0 ≤ i < Len).
func (l KeyList) At(i int) FrameKey {
	if l.lean != nil {
		return l.lean.at(i)
	}
	return l.keys[i]
}

// AppendLines appends the lines of Bytes of the keys [from, to) to dst: a large frame's bytes
// hashed or compressed piece by piece, never whole (200 MB at 10M firms).
func (l KeyList) AppendLines(dst []byte, from, to int) []byte {
	for i := from; i < to; i++ {
		k := l.At(i)
		dst = append(dst, k.Key...)
		dst = append(dst, '|')
		dst = append(dst, k.Class()...)
		dst = append(dst, '\n')
	}
	return dst
}

// header is the frame's header: the roster's header cells, then 第N列 for cells beyond them.
func (s *firmScan) header() []string {
	// Copies: an xlsx's cells are substrings of its whole shared-string table (see packFirm).
	hdr := make([]string, len(s.hdr.cells))
	for i, c := range s.hdr.cells {
		hdr[i] = strings.Clone(c)
	}
	for i := len(hdr); i < s.width; i++ {
		hdr = append(hdr, fmt.Sprintf("第%d列", i+1))
	}
	return hdr
}

// personal lists the header columns that hold personal data (法定代表人, 联系电话).
func (s *firmScan) personal() []int {
	var out []int
	for _, role := range []int{colLegalRep, colPhone} {
		if i := s.hdr.col[role]; i >= 0 {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// Lookup returns the full records of the given firms of the frame, in the order given. A
// frame from ReadFirms answers from memory; a lean one (ReadFrame) reads the file again,
// keeping only those rows (by row number), and refuses a file whose bytes changed since the
// first read or a row that no longer gives the same firm.
func (f *Frame) Lookup(ctx context.Context, firms []FrameKey) ([]Firm, error) {
	return f.lookup(ctx, firms, nil)
}

// LookupAt is Lookup of the firms FrameKeys()[i] for each i of at, in that order: the caller
// knows where they are, so none is searched for (at 10M rows, 410,000 binary searches over the
// keys were 2.6 s of CPU).
func (f *Frame) LookupAt(ctx context.Context, at []int) ([]Firm, error) {
	keys := f.KeyList()
	firms := make([]FrameKey, len(at))
	for i, j := range at {
		if j < 0 || j >= keys.Len() {
			return nil, fmt.Errorf("抽样框只有 %d 户，没有第 %d 户", keys.Len(), j+1)
		}
		firms[i] = keys.At(j)
	}
	return f.lookup(ctx, firms, at)
}

// lookup is Lookup; at, when not nil, is where each firm is in the frame (KeyList).
func (f *Frame) lookup(ctx context.Context, firms []FrameKey, at []int) ([]Firm, error) {
	out := make([]Firm, len(firms))
	if f.Firms != nil {
		byKey := make(map[string]*Firm, len(firms))
		for _, k := range firms {
			byKey[k.Key] = nil
		}
		for i := range f.Firms {
			if _, ok := byKey[f.Firms[i].Key]; ok {
				byKey[f.Firms[i].Key] = &f.Firms[i]
			}
		}
		for i, k := range firms {
			fm := byKey[k.Key]
			if fm == nil {
				return nil, fmt.Errorf("名录 %s 中没有抽样框中的 %s", f.File, k.Key)
			}
			out[i] = *fm
		}
		return out, nil
	}
	if f.kept != nil {
		return f.lookupKept(ctx, firms, at)
	}
	return f.lookupFile(ctx, firms, at)
}

// lookupKept is Lookup for a frame that kept some records on its first read
// (Options.Prefetch): those come from memory, only the others from the file.
func (f *Frame) lookupKept(ctx context.Context, firms []FrameKey, at []int) ([]Firm, error) {
	out := make([]Firm, len(firms))
	// The records kept are made in two halves, one a core: at 1M rows a draw's 41,000 took
	// 0.05–0.08 s on one core, the other with nothing to do.
	type missing struct {
		keys     []FrameKey
		from, at []int // keys[i] is firms[from[i]], the frame's at[i]-th when at is given
	}
	halves := 1
	if len(firms) >= 1<<12 && runtime.GOMAXPROCS(0) > 1 {
		halves = 2
	}
	miss := make([]missing, halves)
	var wg sync.WaitGroup
	for h := range halves {
		wg.Go(func() {
			m := &miss[h]
			for i := len(firms) * h / halves; i < len(firms)*(h+1)/halves; i++ {
				k := firms[i]
				fm, ok := f.kept[int32(k.Row)]
				if !ok || fm.key() != k.Key {
					m.keys, m.from = append(m.keys, k), append(m.from, i)
					if at != nil {
						m.at = append(m.at, at[i])
					}
					continue
				}
				out[i] = fm.firm(len(f.Header))
			}
		})
	}
	wg.Wait()
	var rest []FrameKey
	var from, restAt []int
	for _, m := range miss {
		rest, from = append(rest, m.keys...), append(from, m.from...)
		if at != nil {
			restAt = append(restAt, m.at...)
		}
	}
	if len(rest) == 0 {
		return out, nil
	}
	got, err := f.lookupFile(ctx, rest, restAt)
	if err != nil {
		return nil, err
	}
	for i, fm := range got {
		out[from[i]] = fm
	}
	return out, nil
}

// lookupFile is Lookup for a lean frame: the firms' rows read from the file again.
func (f *Frame) lookupFile(ctx context.Context, firms []FrameKey, at []int) ([]Firm, error) {
	out := make([]Firm, len(firms))
	if f.offs != nil {
		return f.lookupAt(ctx, firms, at)
	}
	want := make(map[int]bool, len(firms))
	last := 0
	for _, k := range firms {
		want[int(k.Row)] = true
		last = max(last, int(k.Row))
	}
	if len(want) == 0 {
		return out, nil
	}
	got := make(map[int]Firm, len(want))
	opt := f.opt
	opt.Progress = nil
	var s *firmScan
	sha, _, err := scanFile(ctx, f.File, specOf(opt, nil), func() (rowFunc, sizeFunc) {
		s = newFirmScan(f.File, opt, true)
		return func(row int, cells []string) error {
			if s.hdr == nil {
				return s.row(row, cells)
			}
			if row > last {
				return errStop
			}
			if !want[row] {
				return nil
			}
			// The same checks as the first read (the file is the same, byte for byte); an
			// eligible row leaves its record in s.firms.
			s.firms = s.firms[:0]
			if err := s.data(row, cells); err != nil {
				return err
			}
			if len(s.firms) == 1 {
				got[row] = s.firms[0]
			}
			return nil
		}, func(int) {}
	})
	if err != nil {
		return nil, fmt.Errorf("再次读取名录 %s: %w", f.File, err)
	}
	if sha != f.SHA256 {
		return nil, fmt.Errorf("名录 %s 在抽取过程中被改动（文件内容与第一次读取时不同），请重新抽取", f.File)
	}
	for i, k := range firms {
		fm, ok := got[int(k.Row)]
		if !ok || fm.Key != k.Key {
			return nil, fmt.Errorf("再次读取名录 %s: 第%d行已不是抽样框中的 %s，请重新抽取", f.File, k.Row, k.Key)
		}
		for len(fm.Values) < len(f.Header) {
			fm.Values = append(fm.Values, "")
		}
		out[i] = fm
	}
	return out, nil
}

// lookupAt is Lookup for a CSV frame whose records' file offsets were noted on the first
// read: the header is read again, the file hashed (it must be the same bytes; on another
// goroutine, while the records are read) and each wanted record parsed where it starts,
// instead of the whole file. The records are taken in file order from a window of the file
// that moves forward, so the file is read once at most, in large reads.
func (f *Frame) lookupAt(ctx context.Context, firms []FrameKey, at []int) ([]Firm, error) {
	hashed := make(chan hashResult, 1)
	go func() {
		sum, err := hashFile(f.File)
		hashed <- hashResult{sum, err}
	}()
	out, err := f.readAt(ctx, firms, at)
	hr := <-hashed
	// A file that changed says so, whatever the re-read made of it (a record moved or cut
	// by the change reads as a CSV error or as another firm: the change is the cause).
	if hr.err == nil && hr.sum != f.SHA256 {
		return nil, fmt.Errorf("名录 %s 在抽取过程中被改动（文件内容与第一次读取时不同），请重新抽取", f.File)
	}
	if err == nil {
		err = hr.err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lookupWindow is how much of the file lookupAt reads at a time (it grows for a record
// longer than that). Tests make it small.
var lookupWindow = 1 << 20

// readAt is lookupAt's reading: the header, then each wanted record at its offset (at, when not
// nil, is where each firm is in the frame; else it is searched for).
func (f *Frame) readAt(ctx context.Context, firms []FrameKey, at []int) ([]Firm, error) {
	opt := f.opt
	opt.Progress = nil
	var s *firmScan
	err := scanCSV(ctx, f.File, func() (rowFunc, sizeFunc) {
		s = newFirmScan(f.File, opt, true)
		return func(row int, cells []string) error {
			if s.hdr == nil {
				return s.row(row, cells)
			}
			return errStop
		}, func(int) {}
	}, nil, nil)
	if errors.Is(err, errStop) {
		err = nil
	}
	if err == nil && s.hdr == nil {
		err = errors.New("没有表头")
	}
	if err != nil {
		return nil, fmt.Errorf("再次读取名录 %s: %w", f.File, err)
	}
	type want struct {
		i   int // in firms
		off int64
	}
	wants := make([]want, len(firms))
	keys := f.KeyList()
	for i, k := range firms {
		j, ok := 0, false
		if at != nil {
			j = at[i]
			ok = j >= 0 && j < keys.Len() && keys.At(j) == k
		} else {
			j = sort.Search(keys.Len(), func(j int) bool { return keys.At(j).Key >= k.Key })
			ok = j < keys.Len() && keys.At(j).Key == k.Key
		}
		if !ok || keys.At(j).Row != k.Row {
			return nil, fmt.Errorf("名录 %s 第%d行不是抽样框中的 %s", f.File, k.Row, k.Key)
		}
		wants[i] = want{i, f.offs[j]}
	}
	slices.SortFunc(wants, func(a, b want) int { return cmp.Compare(a.off, b.off) })
	file, err := os.Open(f.File)
	if err != nil {
		return nil, openError(f.File, err)
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("再次读取名录 %s: %w", f.File, err)
	}
	size := fi.Size()
	out := make([]Firm, len(firms))
	// The window holds the file's bytes [winAt, winAt+len(win)).
	var win []byte
	winAt := int64(0)
	load := func(at int64, n int) error {
		n = int(min(int64(n), size-at))
		if cap(win) < n {
			win = make([]byte, n)
		}
		win = win[:n]
		winAt = at
		if _, err := file.ReadAt(win, at); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return nil
	}
	// One reader chain for every record: a csv.Reader given a *bufio.Reader of at least
	// 4096 bytes reads from it directly instead of making its own.
	var src bytes.Reader
	inner := bufio.NewReaderSize(&src, 4096)
	outer := bufio.NewReaderSize(csvInput(inner), 4096)
	// And one csv.Reader, kept while records read cleanly (its record buffers are reused: a
	// new one per record was 41,000 sets of growing buffers); it keeps no input of its own
	// between records, so resetting outer under it starts it at the next record. Its
	// InputOffset and line numbers count across records: from0 is where this record began,
	// and a record that fails is read again by a new reader, whose error counts its lines
	// from the record's first.
	var cr *csv.Reader
	newReader := func() *csv.Reader {
		r := csv.NewReader(outer)
		r.FieldsPerRecord = -1
		return r
	}
	for n, w := range wants {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		k := firms[w.i]
		if w.off < 0 || w.off > size {
			return nil, fmt.Errorf("再次读取名录 %s: 第%d行已不是抽样框中的 %s，请重新抽取", f.File, k.Row, k.Key)
		}
		var rec []string
		for span := lookupWindow; ; span *= 2 {
			// The window moves on when less than half of it is left after the record's start.
			if end := winAt + int64(len(win)); w.off < winAt || end-w.off <= int64(span/2) && end < size {
				if err := load(w.off, span); err != nil {
					return nil, fmt.Errorf("再次读取名录 %s 第%d行: %w", f.File, k.Row, err)
				}
			}
			part := win[w.off-winAt:]
			src.Reset(part)
			inner.Reset(&src)
			outer.Reset(csvInput(inner))
			if cr == nil {
				cr = newReader()
			}
			from0 := cr.InputOffset()
			rec, err = cr.Read()
			read := cr.InputOffset() - from0
			if err != nil && from0 > 0 {
				src.Reset(part)
				inner.Reset(&src)
				outer.Reset(csvInput(inner))
				cr = newReader()
				rec, err = cr.Read()
				read = cr.InputOffset()
			}
			if err != nil {
				cr = nil // a failed read may leave it mid-record
			}
			// A record that reaches the end of the window may go on past it: read it again
			// from a larger window (unless the window ends where the file does).
			if (err != nil || read >= int64(len(part))) && winAt+int64(len(win)) < size {
				winAt, win = 0, win[:0]
				continue
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("再次读取名录 %s 第%d行: %w", f.File, k.Row, err)
		}
		unforceCells(rec)
		s.firms = s.firms[:0]
		if err := s.data(int(k.Row), rec); err != nil {
			return nil, err
		}
		if len(s.firms) != 1 || s.firms[0].Key != k.Key {
			return nil, fmt.Errorf("再次读取名录 %s: 第%d行已不是抽样框中的 %s，请重新抽取", f.File, k.Row, k.Key)
		}
		fm := s.firms[0]
		for len(fm.Values) < len(f.Header) {
			fm.Values = append(fm.Values, "")
		}
		out[w.i] = fm
	}
	return out, nil
}

// keptFields is the number of a Firm's string fields before its Values (packFirm).
const keptFields = 8

// packFirm keeps f's text in one string of its own. The cells of an xlsx row are substrings
// of the shared-string table (one string of the whole table's text, about 110 MB for a
// 1M-row roster): a record kept from the first read (Options.Prefetch) that pointed into it
// would keep the whole table alive until the draw's folder is written.
func packFirm(f Firm, tag uint64) keptFirm {
	fixed := [keptFields]string{f.Key, f.Name, f.Class, f.District, f.Authority, f.Address, f.LegalRep, f.Phone}
	n := 0
	for _, s := range fixed {
		n += len(s)
	}
	for _, s := range f.Values {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	ends := make([]uint32, 0, keptFields+len(f.Values))
	for _, s := range fixed {
		b.WriteString(s)
		ends = append(ends, uint32(b.Len()))
	}
	for _, s := range f.Values {
		b.WriteString(s)
		ends = append(ends, uint32(b.Len()))
	}
	return keptFirm{fields: packed{text: b.String(), ends: ends}, row: f.Row, uncl: f.Unclassified, tag: tag}
}

func (k *keptFirm) key() string { return k.fields.at(0) }

// firm is the kept record, its strings cut from the one string, with at least width values
// (blank ones added for header columns the row did not reach).
func (k *keptFirm) firm(width int) Firm {
	f := &k.fields
	vals := make([]string, max(f.len()-keptFields, width))
	for i := keptFields; i < f.len(); i++ {
		vals[i-keptFields] = f.at(i)
	}
	return Firm{
		Row: k.row, Key: f.at(0), Name: f.at(1), Class: f.at(2), District: f.at(3),
		Authority: f.at(4), Address: f.at(5), LegalRep: f.at(6), Phone: f.at(7),
		Values: vals, Unclassified: k.uncl,
	}
}

// firm is the kept record of an eligible row.
func (s *firmScan) firm(row int, key, name, class string, cells []string, nameless, unclassified bool) Firm {
	vals := make([]string, max(len(cells), len(s.hdr.cells)))
	copy(vals, cells)
	if i := s.hdr.col[colName]; nameless && i >= 0 {
		// The internal list (抽查名单, not for publication) shows who the operator is.
		vals[i] = NamelessGetihu + s.cell(cells, colLegalRep)
	}
	for i := range vals {
		if i < len(s.hdr.date) && s.hdr.date[i] {
			if d, ok := serialDate(vals[i]); ok {
				vals[i] = d
			}
		}
	}
	return Firm{
		Row: row, Key: key, Name: name, Class: class,
		District:     s.cell(cells, colDistrict),
		Authority:    s.cell(cells, colAuthority),
		Address:      s.cell(cells, colAddress),
		LegalRep:     s.cell(cells, colLegalRep),
		Phone:        s.cell(cells, colPhone),
		Values:       vals,
		Unclassified: unclassified,
	}
}
