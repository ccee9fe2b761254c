package roster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/choucha/choucha/internal/ctrlchar"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/textfile"
	"github.com/choucha/choucha/internal/xlsxstream"
)

// rowFunc receives one row of a sheet or CSV file (xlsxstream.RowFunc).
type rowFunc = xlsxstream.RowFunc

// sizeFunc receives an estimate of the number of rows (xlsxstream.SizeFunc).
type sizeFunc = xlsxstream.SizeFunc

// errStop ends a scan early without error.
var errStop = errors.New("stop")

// Extensions are the roster files the readers take (what the web page accepts for a roster
// and an inspector roster); sniffKind decides by extension, then by the first bytes.
var Extensions = []string{".xlsx", ".xls", ".csv"}

// fileKind says how to read a file: by extension, then by its first bytes.
type fileKind int

const (
	kindCSV fileKind = iota
	kindXLSX
	kindXLS // Excel 97–2003 (read whole: at most 65,536 rows)
)

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

func sniffKind(path string) (fileKind, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, openError(path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return 0, fmt.Errorf("%s 是一个文件夹，不是名录文件；请给出文件夹中的 .xlsx、.xls 或 .csv 文件", path)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case n == 0:
		return 0, fmt.Errorf("名录文件 %s 是空文件", path)
	case ext == ".et":
		return 0, withConvertHint(fmt.Errorf("%s 是 WPS 表格文件，无法直接读取", path))
	case bytes.HasPrefix(head, oleMagic) || ext == ".xls":
		// An Excel 97–2003 workbook, or an xlsx with an open password (also a compound
		// file): ScanXLS says which.
		return kindXLS, nil
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(head, zipMagic):
		return kindXLSX, nil
	case ext == ".ods":
		return 0, withConvertHint(fmt.Errorf("%s 是 OpenDocument 表格，无法直接读取", path))
	}
	return kindCSV, nil
}

func withConvertHint(err error) error {
	return &apperr.Error{Err: err, Hint: "请用 Excel/WPS 另存为 .xlsx，或运行：libreoffice --headless --convert-to xlsx 文件名.xls"}
}

func openError(path string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("找不到名录文件 %s", path)
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("没有权限读取名录文件 %s", path)
	}
	return fmt.Errorf("打开名录文件 %s: %w", path, err)
}

// hashFile returns the lowercase hex SHA-256 of the file's bytes.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", openError(path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("读取名录文件 %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashResult is hashFile's answer from another goroutine.
type hashResult struct {
	sum string
	err error
}

// scanSpec says which sheet of a workbook to read and how.
type scanSpec struct {
	sheet string // Options.Sheet: "" reads the first visible sheet
	// fill are merged ranges of the data area to fill (xlsxstream.FillMerges), known from an
	// earlier read of the same file (Frame.Lookup). With none, the first read learns them.
	fill []xlsxstream.Range
	// header, when not nil, gives the header row the last pass found (0: none): the merged
	// ranges are placed against it (sheetRead.dataMerges), and a sheet with merged ranges in
	// its data area is read again with them filled.
	header func() int
	// partial, when not nil, lets a workbook's first read leave control characters to the
	// reader (firmScan.data looks only at its identifiers when *partial is true): the fast
	// xlsx reader says at the end whether any value holds one (ScanResult.ControlFree), and
	// a sheet that may is read again with *partial false. Looking at every cell of a 1M-row
	// sheet for them cost about 0.5 CPU-s, most of it cache misses on cells nothing else reads.
	partial *bool
}

func specOf(opt Options, header func() int) scanSpec {
	return scanSpec{sheet: opt.Sheet, fill: opt.fill, header: header}
}

// specPartial is specOf for a read whose rows may leave control characters to the reader
// (scanSpec.partial).
func specPartial(opt Options, header func() int) scanSpec {
	sp := specOf(opt, header)
	sp.partial = new(bool)
	return sp
}

// scanFile reads every row of the file (first visible sheet or sheet) and hashes the
// file's bytes alongside, on another goroutine.
func scanFile(ctx context.Context, path string, sp scanSpec, start func() (rowFunc, sizeFunc)) (sha string, sr *sheetRead, err error) {
	return scanFileAt(ctx, path, sp, start, nil)
}

// offsetFunc receives, before each CSV record is handed on, the file offset where the record
// starts (blank lines before it included), or -1 when offsets into the file are not known
// (a GB18030 file, read through a decoder).
type offsetFunc func(off int64)

// scanFileAt is scanFile that also reports each CSV record's file offset to at (nil: none).
// sr is nil for a CSV file; for a workbook it says which sheet was read (also with err,
// when the workbook could be opened: sr.explain adds the other sheets to a message).
func scanFileAt(ctx context.Context, path string, sp scanSpec, start func() (rowFunc, sizeFunc), at offsetFunc) (sha string, sr *sheetRead, err error) {
	kind, err := sniffKind(path)
	if err != nil {
		return "", nil, err
	}
	hc := make(chan hashResult, 1)
	go func() {
		s, err := hashFile(path)
		hc <- hashResult{s, err}
	}()
	if kind == kindXLSX || kind == kindXLS {
		scan := xlsxstream.ScanSheet
		if kind == kindXLS {
			scan = xlsxstream.ScanXLSSheet
		}
		sr = &sheetRead{path: path, named: sp.sheet != "", filled: sp.fill}
		// mark notes a failure of the roster's own checks (not of the reader): the message
		// then names the workbook's other sheets, where the roster may be.
		mark := func(fn rowFunc) rowFunc {
			return func(row int, cells []string) error {
				err := fn(row, cells)
				if err != nil && err != errStop {
					sr.content = true
				}
				return err
			}
		}
		if sp.partial != nil {
			*sp.partial = kind == kindXLSX && os.Getenv(xlsxstream.ReaderEnv) != "excelize"
		}
		fn, size := start()
		sr.res, err = scan(ctx, path, sp.sheet, xlsxstream.FillMerges(mark(fn), sp.fill), size)
		// What the first read learnt at its end may need a second, from a fresh start — one
		// for both: merged ranges below the header (read with them filled), a value that may
		// hold a control character (read with every cell looked at).
		again := false
		if err == nil && sp.fill == nil && sp.header != nil {
			var fill []xlsxstream.Range
			if fill, err = sr.dataMerges(sp.header()); err == nil && len(fill) > 0 {
				sr.filled, again = fill, true
			}
		}
		if err == nil && sp.partial != nil && *sp.partial && !sr.res.ControlFree {
			*sp.partial, again = false, true
		}
		if again {
			fn, size = start()
			sr.res, err = scan(ctx, path, sr.res.Sheet, xlsxstream.FillMerges(mark(fn), sr.filled), size)
		}
		if err != nil && sr.content && sp.header != nil && sp.header() == 0 && sr.res.Sheet != "" {
			// No header was found, and the read stopped before the merged ranges: a header
			// under a row of merged group cells is worth naming (sheetRead.explain).
			if res, merr := scan(ctx, path, sr.res.Sheet, func(int, []string) error { return nil }, nil); merr == nil {
				sr.res.Merges, sr.res.MergesCut = res.Merges, res.MergesCut
			}
		}
		if sr.res.Sheet == "" && len(sr.res.Sheets) == 0 {
			sr = nil // the workbook could not be opened: nothing to say about its sheets
		}
	} else {
		if sp.sheet != "" {
			err = fmt.Errorf("%s 是 CSV 文件，没有工作表，不能使用 --sheet", path)
		} else {
			if sp.partial != nil {
				*sp.partial = true
			}
			err = scanCSV(ctx, path, start, at, sp.partial)
		}
	}
	hr := <-hc
	if errors.Is(err, errStop) {
		err = nil
	}
	if err != nil {
		if sr != nil && sr.content {
			err = sr.explain(err, nil)
		}
		return "", sr, err
	}
	return hr.sum, sr, hr.err
}

// scanCSV reads a CSV file in the encoding textfile decides for it: UTF-8 (with or without
// BOM) or, when the bytes are not valid UTF-8, GB18030 (a superset of GBK, what Excel on
// Chinese Windows writes). A second pass starts from a fresh start().
//
// With partial (scanSpec.partial) true, the rows may leave control characters to the parser,
// which looks at the bytes it reads, once; a file in which it saw one is read again with
// *partial false.
func scanCSV(ctx context.Context, path string, start func() (rowFunc, sizeFunc), at offsetFunc, partial *bool) error {
	var control bool
	err := scanCSVOnce(ctx, path, start, at, &control)
	if err == nil && partial != nil && *partial && control {
		*partial = false
		err = scanCSVOnce(ctx, path, start, at, nil)
	}
	return err
}

// scanCSVOnce is one read of scanCSV; control, when not nil, is set when the file's text holds
// a control character (ctrlchar).
func scanCSVOnce(ctx context.Context, path string, start func() (rowFunc, sizeFunc), at offsetFunc, control *bool) error {
	f, err := os.Open(path)
	if err != nil {
		return openError(path, err)
	}
	defer f.Close()
	var fileSize int64
	if fi, err := f.Stat(); err == nil {
		fileSize = fi.Size()
	}
	return textfile.Stream(path, f, func(r io.Reader, enc textfile.Encoding) error {
		fn, size := start()
		var estimate func(int, int64)
		if enc != textfile.GB18030 {
			estimate = estimator(fileSize, size)
		}
		var recAt func(int64)
		switch {
		case at == nil:
		case enc == textfile.GB18030:
			recAt = func(int64) { at(-1) }
		default:
			base := int64(0)
			if enc == textfile.UTF8BOM {
				base = 3 // the byte-order mark the reader skipped
			}
			recAt = func(off int64) { at(base + off) }
		}
		bad := &badBytes{}
		err := readCSVControl(ctx, r, bad.watch(fn, enc == textfile.GB18030), estimate, recAt, control)
		if err == nil {
			err = bad.err(path, enc)
		}
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Err != nil && !strings.Contains(ae.Err.Error(), path) {
			// Every message names the file.
			c := *ae
			c.Err = fmt.Errorf("名录 %s %w", path, ae.Err)
			return &c
		}
		return err
	})
}

// estimator turns the bytes per record of the first records into an estimate of the total.
func estimator(fileSize int64, size sizeFunc) func(records int, offset int64) {
	return func(records int, offset int64) {
		if offset > 0 && fileSize > 0 {
			size(int(fileSize*int64(records)/offset) + records/16)
		}
	}
}

// readCSV parses CSV records from r and numbers them as Excel shows them: one row per record
// (a quoted line break stays in its cell) and one row per blank line.
//
// It runs in two stages on two goroutines: this one decodes and parses the records
// (encoding/csv), the other calls at and fn for them, in order, in batches. On a roster the two
// take about as long as each other, so on two cores a read takes about half the time. fn, at
// and estimate are only ever called from the second goroutine, one at a time, in row order.
// The first error in row order is returned: fn's for a row, or the parser's after every row
// before it has been given to fn.
func readCSV(ctx context.Context, r io.Reader, fn rowFunc, estimate func(records int, offset int64), at func(off int64)) error {
	return readCSVControl(ctx, r, fn, estimate, at, nil)
}

// readCSVControl is readCSV that also says, in *control when not nil, whether the text it
// read holds a control character.
func readCSVControl(ctx context.Context, r io.Reader, fn rowFunc, estimate func(records int, offset int64), at func(off int64), control *bool) error {
	batches := make(chan *csvBatch, csvBatches-1)
	free := make(chan *csvBatch, csvBatches)
	for range csvBatches {
		free <- &csvBatch{}
	}
	stopped := make(chan struct{}) // closed when fn (or at) failed: the parser stops
	var fnErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range batches {
			if fnErr == nil {
				if fnErr = b.each(fn, estimate, at); fnErr != nil {
					close(stopped)
				}
			}
			free <- b
		}
	})
	parseErr := parseCSV(ctx, r, batches, free, stopped, control)
	close(batches)
	wg.Wait()
	if fnErr != nil {
		return fnErr
	}
	return parseErr
}

// csvBatches is how many batches of csvBatchRecords records are in flight.
const (
	csvBatches      = 4
	csvBatchRecords = 512
	noEstimate      = -1
)

// csvBatch is records handed from the parser to fn: record i is cells[start[i]:start[i+1]]
// at sheet row rows[i], file offset offs[i]. estimateAt is the record before which
// estimate(estimateRow, estimateOff) is called (noEstimate: none in this batch).
type csvBatch struct {
	rows                    []int
	offs                    []int64
	start                   []int
	cells                   []string
	estimateAt, estimateRow int
	estimateOff             int64
}

func (b *csvBatch) reset() {
	b.rows, b.offs, b.start, b.cells = b.rows[:0], b.offs[:0], append(b.start[:0], 0), b.cells[:0]
	b.estimateAt = noEstimate
}

func (b *csvBatch) each(fn rowFunc, estimate func(int, int64), at func(int64)) error {
	for i, row := range b.rows {
		if i == b.estimateAt && estimate != nil {
			estimate(b.estimateRow, b.estimateOff)
		}
		if at != nil {
			at(b.offs[i])
		}
		if err := fn(row, b.cells[b.start[i]:b.start[i+1]]); err != nil {
			return err
		}
	}
	return nil
}

// parseCSV is readCSV's first stage: it parses records into batches and sends them. It
// returns early, without error, once fn has failed (stopped); on its own error it first
// sends the records parsed before it.
func parseCSV(ctx context.Context, r io.Reader, batches chan<- *csvBatch, free <-chan *csvBatch, stopped <-chan struct{}, control *bool) error {
	ll := &lineLimitReader{r: csvInput(r), max: maxCSVLineBytes}
	tail := &recordTail{r: ll}
	if control != nil {
		defer func() { *control = tail.control }()
	}
	cr := csv.NewReader(tail)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true // the record's slice is reused; its strings are new for every record
	var b *csvBatch
	take := func() bool {
		select {
		case b = <-free:
			b.reset()
			return true
		case <-stopped:
			return false
		}
	}
	send := func() bool {
		select {
		case batches <- b:
			b = nil
			return true
		case <-stopped:
			return false
		}
	}
	if !take() {
		return nil
	}
	defer func() {
		if b != nil && len(b.rows) > 0 {
			send() // the rows before the error (or the end) still go to fn
		}
	}()
	row, prevEnd := 0, 0
	for {
		off := cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// The row as Excel shows it (records and blank lines, not physical lines),
				// and the field, not the byte.
				at := row + 1
				if gap := pe.StartLine - prevEnd - 1; gap > 0 {
					at += gap
				}
				where := fmt.Sprintf("第%d行", at)
				if field := tail.field(off, pe.Line-pe.StartLine, pe.Column); field > 0 {
					where += fmt.Sprintf("第%d个字段", field)
				}
				if pe.Line != pe.StartLine || at != pe.StartLine {
					where += fmt.Sprintf("（文件第%d行）", pe.Line)
				}
				return &apperr.Error{Err: fmt.Errorf("CSV %s格式错误：%s", where, csvErrText(pe.Err)),
					Hint: "请检查该行的引号是否成对，或在 Excel/WPS 中打开后另存为 .xlsx"}
			}
			if errors.Is(err, textfile.ErrNotUTF8) {
				return err
			}
			if errors.Is(err, errLineTooLong) {
				return &apperr.Error{Err: fmt.Errorf("CSV 第%d行之后有一行超过 %d MiB，已拒绝读取（不是名录的一行：可能是损坏或恶意的文件）", row, maxCSVLineBytes>>20),
					Hint: "请检查文件是否完整，或在 Excel/WPS 中打开后另存为 .xlsx"}
			}
			return fmt.Errorf("读取 CSV: %w", err)
		}
		tail.discard(cr.InputOffset())
		unforceCells(rec)
		if err := checkCSVRecord(rec); err != nil {
			line, _ := cr.FieldPos(0)
			return &apperr.Error{Err: fmt.Errorf("CSV 第%d行（文件第%d行）%s，已拒绝读取", row+1, line, err),
				Hint: "这不是 Excel 能打开的表格（可能是损坏或恶意的文件）；请重新导出名录"}
		}
		start, _ := cr.FieldPos(0)
		last := len(rec) - 1
		endLine, _ := cr.FieldPos(last)
		endLine += strings.Count(rec[last], "\n")
		// encoding/csv skips empty lines; Excel shows each as an empty row.
		if gap := start - prevEnd - 1; gap > 0 {
			row += gap
		}
		row++
		prevEnd = endLine
		if row&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if row == 1024 && b.estimateAt == noEstimate {
				b.estimateAt, b.estimateRow, b.estimateOff = len(b.rows), row, cr.InputOffset()
			}
		}
		b.rows, b.offs = append(b.rows, row), append(b.offs, off)
		b.cells = append(b.cells, rec...)
		b.start = append(b.start, len(b.cells))
		if len(b.rows) == csvBatchRecords {
			if !send() || !take() {
				return nil
			}
		}
	}
}

// recordTail keeps the bytes the CSV parser has read from the start of the record being
// parsed, so that a parse error can say which field it is in (encoding/csv gives the byte).
type recordTail struct {
	r       io.Reader
	buf     []byte
	base    int64 // file offset (in the parser's input) of buf[0]
	control bool  // a byte read so far begins a control character (ctrlchar)
	endC2   bool  // the last read ended in 0xC2, which may begin a C1 character
}

func (t *recordTail) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	// Every byte the parser reads passes here once, in large reads: the one look for
	// control characters a CSV needs (scanCSV's partial).
	if !t.control && n > 0 {
		// A C1 character (0xC2 0x80–0x9F) may straddle two reads.
		t.control = ctrlchar.HasBytes(p[:n]) || t.endC2 && p[0] >= 0x80 && p[0] <= 0x9f
		t.endC2 = p[n-1] == 0xC2
	}
	return n, err
}

// discard drops the bytes before offset off (the start of the next record).
func (t *recordTail) discard(off int64) {
	k := int(off - t.base)
	if k <= 0 || k > len(t.buf) {
		return
	}
	if k >= len(t.buf)/2 || k > 1<<16 {
		t.buf = t.buf[:copy(t.buf, t.buf[k:])]
		t.base = off
	}
}

// field is the 1-based field of the record starting at offset start in which the byte
// col (1-based) of the record's line-th line (0: its first) is; 0 when unknown.
func (t *recordTail) field(start int64, line, col int) int {
	k := int(start - t.base)
	if k < 0 || k > len(t.buf) {
		return 0
	}
	b := t.buf[k:]
	for len(b) > 0 && (b[0] == '\n' || b[0] == '\r') {
		b = b[1:] // the blank lines before the record
	}
	field, quoted, atStart := 1, false, true
	for i := 0; i < len(b); i++ {
		if line == 0 && col <= 1 {
			return field
		}
		c := b[i]
		switch {
		case c == '"' && (quoted || atStart):
			quoted = !quoted
		case c == ',' && !quoted:
			field++
			atStart = true
			col--
			continue
		case c == '\n':
			if line == 0 {
				return field
			}
			line--
			col = 1
			atStart = false
			continue
		}
		atStart = false
		if line == 0 {
			col--
		}
	}
	return 0
}

// maxCSVLineBytes bounds one physical line of a CSV file before it is parsed: a roster row
// is a few hundred bytes, and a line of hundreds of megabytes would be held whole by the CSV
// parser. Rows and cells are then held to Excel's limits (checkCSVRecord).
const maxCSVLineBytes = 16 << 20

var errLineTooLong = errors.New("CSV line too long")

// lineLimitReader fails once a line runs past max bytes without a line break.
type lineLimitReader struct {
	r   io.Reader
	max int
	cur int // bytes since the last '\n'
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	b := p[:n]
	first := bytes.IndexByte(b, '\n')
	switch {
	case first < 0:
		l.cur += n
	case l.cur+first > l.max:
		return 0, errLineTooLong
	default:
		// Lines inside one read are shorter than the read, and a read is far below max.
		l.cur = n - 1 - bytes.LastIndexByte(b, '\n')
	}
	if l.cur > l.max {
		return 0, errLineTooLong
	}
	return n, err
}

// checkCSVRecord holds a CSV record to Excel's limits: 16,384 columns a row, 32,767
// characters a cell. (CSV rows are not limited in number: the frame's memory grows with the
// firms kept, not with the file; see docs/ROSTER.md.)
func checkCSVRecord(rec []string) error {
	if len(rec) > xlsxstream.MaxColumns {
		return fmt.Errorf("有 %d 列，超过 Excel 每行 %d 列的上限", len(rec), xlsxstream.MaxColumns)
	}
	for i, c := range rec {
		if err := xlsxstream.CheckCell(c); err != nil {
			return fmt.Errorf("第%d列%s", i+1, strings.TrimPrefix(err.Error(), "有一个单元格"))
		}
	}
	return nil
}

func csvErrText(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "未加引号的字段中出现了引号"
	case errors.Is(err, csv.ErrQuote):
		return "引号没有成对（缺少结束引号）"
	}
	return err.Error()
}

// badBytes finds cells that no encoding reads cleanly: a NUL byte (a damaged file or a binary
// pasted in), and, in a file read as GB18030, the replacement character the decoder puts for
// bytes GBK does not have. Either would be dropped or garbled without a word, so the file is
// refused with the first place and the count.
type badBytes struct {
	row, col int
	nul      bool
	count    int
}

func (b *badBytes) watch(fn rowFunc, gbk bool) rowFunc {
	return func(row int, cells []string) error {
		for j, c := range cells {
			nul := strings.IndexByte(c, 0) >= 0
			if nul || (gbk && strings.ContainsRune(c, utf8.RuneError)) {
				if b.count == 0 {
					b.row, b.col, b.nul = row, j+1, nul
				}
				b.count++
			}
		}
		return fn(row, cells)
	}
}

func (b *badBytes) err(path string, enc textfile.Encoding) error {
	if b.count == 0 {
		return nil
	}
	what := "NUL 字节（文件可能已损坏，或混入了二进制内容）"
	if !b.nul {
		what = fmt.Sprintf("按 %s 读不出的字节", enc)
	}
	return apperr.Hint(fmt.Errorf("名录 %s 第%d行第%d列含有%s，共 %d 处", path, b.row, b.col, what, b.count),
		"这些单元格按任何方式读都会丢字或成为乱码：请从原系统重新导出，或在 Excel/WPS 中打开检查后另存为“CSV UTF-8（逗号分隔）”或 .xlsx")
}
