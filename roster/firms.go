package roster

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/apperr"
)

// Issue codes of the firm roster.
const (
	CodeBadChecksum       = "bad_checksum"
	CodeNumericID         = "numeric_id"
	CodeLegacyRegNo       = "legacy_regno"
	CodeMissingID         = "missing_id"
	CodeBadID             = "bad_id"
	CodeBadRegNo          = "bad_regno" // a 15-digit 注册号 whose check digit is wrong: excluded
	CodeDuplicate         = "duplicate"
	CodeDuplicateConflict = "duplicate_conflict"
	CodeClassConflict     = "class_conflict" // rows of one code with different classes: all excluded
	CodeDuplicateExcluded = "duplicate_of_excluded"
	CodeClosed            = "closed"
	CodeNoStatus          = "no_status"
	CodeUnknownStatus     = "unknown_status"
	CodeAbnormalStatus    = "abnormal_status" // 非正常户, 经营异常: still registered, kept with a warning
	CodeUnclassified      = "unclassified"
	CodeBadClass          = "bad_class"
	CodeOtherDistrict     = "other_district"
	CodeBlankDistrict     = "blank_district" // --district given, the row's 所属区县 empty: kept, warning
	CodeBadDistrict       = "bad_district"   // --district given, the row's 所属区县 names no district: excluded
	CodeMissingName       = "missing_name"   // no 企业名称: the firm could not be published, excluded
	CodeExtraCells        = "extra_cells"    // cells beyond the header: kept in the row, not in any column
	CodeNoTradeName       = "no_trade_name"  // a 个体工商户 without a 字号: kept under NamelessGetihu
	CodeNoClassColumn     = "no_class_column"
	CodeNoDistrictColumn  = "no_district_column"
)

// NamelessGetihu is the name a 个体工商户 without a 字号 is drawn and published under.
const NamelessGetihu = "（无字号个体工商户）"

// isGetihu reports whether a row is a 个体工商户: its type column says so, or its key says so
// — a 统一社会信用代码 of 登记管理部门 9 (市场监管), 机构类别 2 (GB 32100-2015), or a 15-digit
// 注册号 whose sequence number begins with 6–9 (GS 15-2006 gives those to 个体工商户).
func isGetihu(key, kind string) bool {
	if strings.Contains(kind, "个体") {
		return true
	}
	switch {
	case len(key) == 18:
		return key[0] == '9' && key[1] == '2'
	case len(key) == 15 && allDigits(key):
		return key[6] >= '6'
	}
	return false
}

// progressEvery is how often (in data rows) Options.Progress is called.
const progressEvery = 8192

// candidate is a row that passed every check but the duplicate one. Candidates are
// pointer-free (the GC never scans them) and are sorted by key and row at the end, which
// both finds duplicates and gives the frame order.
type candidate struct {
	hi, mid  uint64 // key bytes 0–15, big-endian (zero-padded)
	lo       uint16 // key bytes 16–17
	class    byte
	row      int32
	nameHash uint64
	idx      int32 // index in firms (keep mode)
	uncl     bool  // the class cell was blank or 未分类 (treated as B)
	ghost    bool  // an excluded row with a usable key (closed, bad class, no name): not in the frame
	kept     bool  // Options.Prefetch kept the row's record (ReadFrame: the row has a tag)
	off      int64 // CSV: file offset of the row's record (-1 unknown)
}

func newCandidate(key string) candidate {
	var p [18]byte
	copy(p[:], key)
	return candidate{
		hi:  binary.BigEndian.Uint64(p[0:8]),
		mid: binary.BigEndian.Uint64(p[8:16]),
		lo:  binary.BigEndian.Uint16(p[16:18]),
	}
}

func (c *candidate) key() []byte {
	var p [18]byte
	binary.BigEndian.PutUint64(p[0:8], c.hi)
	binary.BigEndian.PutUint64(p[8:16], c.mid)
	binary.BigEndian.PutUint16(p[16:18], c.lo)
	b := p[:]
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// putKey writes the key's bytes (those of key) into the start of p and returns their number.
func (c *candidate) putKey(p *[18]byte) int {
	binary.BigEndian.PutUint64(p[0:8], c.hi)
	binary.BigEndian.PutUint64(p[8:16], c.mid)
	binary.BigEndian.PutUint16(p[16:18], c.lo)
	return c.keyLen()
}

// keyLen is len(c.key()): the bytes up to the zero padding (a key has no zero byte).
func (c *candidate) keyLen() int {
	switch {
	case c.lo&0xff != 0:
		return 18
	case c.lo != 0:
		return 17
	case c.mid != 0:
		return 16 - bits.TrailingZeros64(c.mid)/8
	}
	return 8 - bits.TrailingZeros64(c.hi)/8
}

func (c *candidate) sameKey(d *candidate) bool { return c.hi == d.hi && c.mid == d.mid && c.lo == d.lo }

// cmpCandidate orders by key bytewise (zero padding sorts before every key character), then row.
func cmpCandidate(a, b candidate) int {
	switch {
	case a.hi != b.hi:
		return cmpU(a.hi, b.hi)
	case a.mid != b.mid:
		return cmpU(a.mid, b.mid)
	case a.lo != b.lo:
		return cmpU(uint64(a.lo), uint64(b.lo))
	}
	return int(a.row) - int(b.row)
}

// sortCandidates sorts by cmpCandidate on two cores when there are many: split once in
// place around a pivot (the median of a sample), then each side sorted on its own core. No
// two candidates compare equal (rows differ), so the order is the one slices.SortFunc gives;
// no extra memory (a million candidates are 48 MB).
func sortCandidates(c []candidate) {
	if len(c) < 1<<16 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(c, cmpCandidate)
		return
	}
	sample := make([]candidate, 0, 1025)
	for i := 0; i < len(c); i += len(c) / 1024 {
		sample = append(sample, c[i])
	}
	slices.SortFunc(sample, cmpCandidate)
	pivot := sample[len(sample)/2]
	lo := 0 // c[:lo] < pivot
	for i := range c {
		if cmpCandidate(c[i], pivot) < 0 {
			c[lo], c[i] = c[i], c[lo]
			lo++
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(c[:lo], cmpCandidate) })
	slices.SortFunc(c[lo:], cmpCandidate)
	wg.Wait()
}

func cmpU(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// firmScan turns rows into the frame and the report. With keep false it remembers only
// keys, classes and name hashes (the memory of `roster check` on a million rows).
type firmScan struct {
	// partial: while *partial, data leaves control characters to the reader (scanSpec.partial)
	partial *bool
	path    string
	opt     Options
	keep    bool
	hdr     *header
	first   []string // first non-blank row, for the no-header message
	before  int      // non-blank rows seen before the header
	other   int      // the row of an inspector roster's header seen before any firm header (0: none)
	width   int      // widest row
	cands   []candidate
	rawIDs  map[int32]string // the identifier as written, for rows where it is not the key
	firms   []Firm
	kept    map[int32]keptFirm // rows Options.Prefetch chose, by row (ReadFrame)
	// prefetch asks Options.Prefetch on its own goroutine (ReadFrame flushes or stops it).
	prefetch *prefetcher
	// unoffered counts the eligible rows not offered to Options.Prefetch (ReadFrame): the
	// frame's Tags are complete only when it is 0.
	unoffered int
	rep       *Report
	dist      string
	// otherMsg interns the other_district message per district as written: a roster of a
	// whole city has hundreds of thousands of such rows.
	otherMsg map[string]string
	curOff   int64 // CSV: file offset of the record being read (-1 unknown)
	statuses map[string]statusVerdict
}

func newFirmScan(path string, opt Options, keep bool) *firmScan {
	return &firmScan{
		path: path, opt: opt, keep: keep,
		rawIDs: make(map[int32]string),
		rep: &Report{File: path, Classes: map[string]int{ClassA: 0, ClassB: 0, ClassC: 0, ClassD: 0},
			Issues: []Issue{}},
		dist: normDistrict(opt.District),
	}
}

func normDistrict(s string) string { return normCell(s) }

// districtLike reports whether a 所属区县 cell (normalised) is a district's name: at most 12
// characters ending in 区, 县, 市, 旗 or 林区 and not a column's name (所属区县 repeated as a
// header). Anything else — an address, a class letter, a code — is a row that slid.
func districtLike(d string) bool {
	if n := utf8.RuneCountInString(d); n < 2 || n > 12 || strings.Contains(d, "所属") || strings.Contains(d, "区县") && n <= 4 {
		return false
	}
	for _, suf := range []string{"区", "县", "市", "旗", "林区", "特区"} {
		if strings.HasSuffix(d, suf) {
			return true
		}
	}
	return false
}

// orDash is s, or "—" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func sameDistrict(want, got string) bool {
	return got == want || strings.HasSuffix(got, want) || strings.HasSuffix(want, got)
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readsBackByOffset reports whether the record being read has a known file offset (CSV),
// so a drawn row can be read back from the file later and need not be kept now.
func (s *firmScan) readsBackByOffset() bool { return s.curOff >= 0 }

// expect sizes the tables for about n rows (capped: an estimate, not a promise).
func (s *firmScan) expect(n int) {
	n = min(n, 1<<21)
	if n > cap(s.cands) {
		s.cands = slices.Grow(s.cands, n-len(s.cands))
	}
	if s.keep && n > cap(s.firms) {
		s.firms = slices.Grow(s.firms, n-len(s.firms))
	}
}

func (s *firmScan) row(row int, cells []string) error {
	if blankRow(cells) {
		return nil
	}
	if s.hdr == nil {
		cleanControl(cells, nil) // titles and the header: names, not data
		if s.first == nil {
			s.first = append([]string(nil), cells...)
		}
		if h := matchHeader(row, cells, firmIndex, numFirmCols); h != nil {
			if h.col[colCode] < 0 && h.col[colRegNo] < 0 || h.col[colName] < 0 {
				return apperr.Hint(fmt.Errorf("名录 %s 第%d行的表头缺少%s列；看到的表头：%s", s.path, row, missingFirmCols(h), describeCells(cells)),
					headerHint)
			}
			s.hdr = h
			if h.col[colClass] < 0 {
				s.rep.NoClassColumn = true
				s.issue(row, "", LevelWarning, CodeNoClassColumn,
					"名录没有信用风险分类列：抽取时全部企业作为一层（ALL）按计划比例统一抽取，不按分类递加")
			}
			if s.dist != "" && h.col[colDistrict] < 0 {
				s.rep.NoDistrictColumn = true
				s.issue(row, "", LevelWarning, CodeNoDistrictColumn, fmt.Sprintf(
					"名录没有所属区县列，无法按区县“%s”筛选，名录中的全部市场主体都纳入；请确认名录只含该区县的市场主体", s.opt.District))
			}
			return nil
		}
		if s.other == 0 && isInspectorHeader(row, cells) {
			s.other = row
		}
		s.before++
		if s.before >= headerScanRows {
			return s.noHeader()
		}
		return nil
	}
	return s.data(row, cells)
}

// noHeader is the error of a roster whose header was not found.
func (s *firmScan) noHeader() error {
	return fmt.Errorf("名录 %s: %w", s.path, noHeader(s.first, "“统一社会信用代码”“企业名称”", s.other, inspectorsGivenAsFirms))
}

func missingFirmCols(h *header) string {
	var m []string
	if h.col[colCode] < 0 && h.col[colRegNo] < 0 {
		m = append(m, "“统一社会信用代码”（或“注册号”）")
	}
	if h.col[colName] < 0 {
		m = append(m, "“企业名称”")
	}
	return strings.Join(m, "和")
}

func (s *firmScan) cell(cells []string, role int) string {
	i := s.hdr.col[role]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return trimCell(cells[i])
}

// trimCell is strings.TrimSpace, without its Unicode path for the usual cell that neither
// starts nor ends with white space. Every rune unicode.IsSpace knows beyond ASCII starts with
// 0xC2, 0xE1, 0xE2 or 0xE3 and ends with one of the bytes endsSpace lists; any other first and
// last byte cannot begin or end a space.
func trimCell(c string) string {
	if c == "" {
		return c
	}
	first, last := c[0], c[len(c)-1]
	if first < 0x80 && first > ' ' || first >= 0x80 && first != 0xC2 && first != 0xE1 && first != 0xE2 && first != 0xE3 {
		if last < 0x80 && last > ' ' || last >= 0x80 && !endsSpace[last&0x7f] {
			return c
		}
	}
	return strings.TrimSpace(c)
}

// endsSpace[b&0x7f] is true for the continuation bytes b that end a non-ASCII space:
// U+0085 (85), U+00A0 (A0), U+1680 (80), U+2000–U+200A (80–8A), U+2028 (A8), U+2029 (A9),
// U+202F (AF), U+205F (9F), U+3000 (80).
var endsSpace = func() (t [128]bool) {
	for _, b := range []byte{0x85, 0xA0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0x89, 0x8A, 0xA8, 0xA9, 0xAF, 0x9F} {
		t[b&0x7f] = true
	}
	return t
}()

func (s *firmScan) issue(row int, id, level, code, msg string) {
	// The id is a slice of the row's cells, which share one backing string per record:
	// keeping it uncloned would keep the whole row alive for every issue.
	s.rep.Issues = append(s.rep.Issues, Issue{Row: row, ID: strings.Clone(id), Level: level, Code: code, Message: msg})
}

func (s *firmScan) data(row int, cells []string) error {
	s.rep.Rows++
	if s.opt.Progress != nil && s.rep.Rows%progressEvery == 0 {
		s.opt.Progress(s.rep.Rows)
	}
	if len(cells) > s.width {
		s.width = len(cells)
	}
	// Control characters: every cell is looked at, unless the reader will say whether any
	// value holds one (scanSpec.partial; the sheet is then read again if one may).
	full := s.partial == nil || !*s.partial
	var changed []string
	if full {
		changed = cleanControl(cells, s.hdr, s.hdr.col[colCode], s.hdr.col[colRegNo])
	}
	rawID := s.cell(cells, colCode)
	regNo := s.cell(cells, colRegNo)
	shownID := rawID
	if shownID == "" {
		shownID = regNo
	}
	idControl := full && (hasControl(rawID) || hasControl(regNo))
	if idControl {
		shownID = stripControl(shownID) // the report shows no control character either
	}
	if changed != nil {
		s.issue(row, shownID, LevelWarning, CodeControlChars, fmt.Sprintf(
			"%s含有看不见的控制字符，已删除；请在原文件中核对", strings.Join(changed, "、")))
	}

	// A row with neither an identifier nor a name is no firm: a 合计 or 注 line under the
	// table, typed in a column of its own or in the name or code column (footerLine). It is
	// excluded as missing_id, saying what it holds, without the warnings about the class or
	// district a firm's row would get.
	if name := s.cell(cells, colName); footerLine(name) ||
		blankText(name) && regNo == "" && (rawID == "" || footerLine(rawID)) {
		s.issue(row, "", LevelError, CodeMissingID, notARecordMessage("代码和名称", "市场主体", cells))
		return nil
	}

	// 7. District: firms of another district are out of scope, not faulty. A cell that names
	// no district is a row that slid or a header repeated: an error, not another district;
	// an empty cell keeps the firm, with a word.
	if s.dist != "" && s.hdr.col[colDistrict] >= 0 {
		d := s.cell(cells, colDistrict)
		if d == "" {
			s.issue(row, shownID, LevelWarning, CodeBlankDistrict, fmt.Sprintf("所属区县为空，已按%s的企业纳入（登记机关：%s）；请核对", s.opt.District, orDash(s.cell(cells, colAuthority))))
		} else if nd := normDistrict(d); !sameDistrict(s.dist, nd) && !districtLike(nd) {
			s.issue(row, shownID, LevelError, CodeBadDistrict, fmt.Sprintf("所属区县“%s”不是区县名称（本行可能错位、是重复的表头，或写的是乡镇、街道），已排除；请核对本行", d))
			return nil
		}
		if d != "" && !sameDistrict(s.dist, normDistrict(d)) {
			msg, ok := s.otherMsg[d]
			if !ok {
				msg = fmt.Sprintf("所属区县为“%s”，不属于%s，未纳入本次名录", d, s.opt.District)
				if s.otherMsg == nil {
					s.otherMsg = map[string]string{}
				}
				s.otherMsg[strings.Clone(d)] = msg
			}
			s.issue(row, shownID, LevelInfo, CodeOtherDistrict, msg)
			return nil
		}
	}

	// Cells past the last header column belong to no column; say so rather than carry them
	// silently (a shifted or damaged row usually shows this way).
	if extra := nonEmptyBeyond(cells, len(s.hdr.cells)); extra > 0 {
		s.issue(row, shownID, LevelWarning, CodeExtraCells,
			fmt.Sprintf("本行比表头多出 %d 个有内容的单元格，它们不属于任何列，请核对本行是否错位", extra))
	}

	excluded := false
	if idControl {
		// A control character nobody sees is not dropped from a key: the code as written is
		// not the code on the licence.
		c := firstControl(rawID)
		if c == "" {
			c = firstControl(regNo)
		}
		s.issue(row, shownID, LevelError, CodeBadID, fmt.Sprintf(
			"代码“%s”中有看不见的控制字符（%s），不能作为标识，已排除；请在原系统中核对代码后重新导出", shownID, c))
		return nil
	}
	// 3. Identifier (resolveID: the code, else a 注册号 of the same row, else excluded).
	key, _, notes := resolveID(rawID, regNo)
	for _, n := range notes {
		s.issue(row, shownID, n.level, n.code, n.msg)
	}
	if key == "" {
		excluded = true
	}

	// 5. Status.
	if s.hdr.col[colStatus] >= 0 {
		st := s.cell(cells, colStatus)
		switch s.status(st) {
		case statusClosed:
			s.issue(row, shownID, LevelError, CodeClosed, fmt.Sprintf("登记状态为“%s”，不在抽查范围，已排除", st))
			excluded = true
		case statusBlank:
			s.issue(row, shownID, LevelWarning, CodeNoStatus, "登记状态为空，按存续处理；请核对")
		case statusAbnormal:
			s.issue(row, shownID, LevelWarning, CodeAbnormalStatus, fmt.Sprintf(
				"登记状态为“%s”：非正常户（税务认定）或经营异常不是注销、吊销，市场主体仍在登记中，已按存续纳入抽查；请核对", st))
		case statusUnknown:
			s.issue(row, shownID, LevelWarning, CodeUnknownStatus, fmt.Sprintf("登记状态“%s”无法识别，按存续处理；请核对", st))
		}
	}

	// 6. Credit class.
	class, unclassified := ClassB, false
	if s.hdr.col[colClass] >= 0 {
		raw := s.cell(cells, colClass)
		c, v, readings := readClass(raw)
		switch v {
		case classOK:
			class = c
		case classUnclassified:
			s.rep.Unclassified++
			unclassified = true
			s.issue(row, shownID, LevelWarning, CodeUnclassified,
				fmt.Sprintf("信用风险分类为“%s”，按B类（一般风险）处理", orBlank(raw)))
		case classBad:
			msg := fmt.Sprintf("信用风险分类“%s”无法识别（应为 A/B/C/D、低风险/一般风险/较高风险/高风险 或 守信/警示/失信/严重失信），已排除", raw)
			if readings != "" {
				msg = fmt.Sprintf("信用风险分类“%s”写了不止一种分类（%s），无法确定是哪一类，已排除；请核对后只填一个分类", raw, readings)
			}
			s.issue(row, shownID, LevelError, CodeBadClass, msg)
			excluded = true
		}
	}
	if excluded {
		s.addGhost(row, key)
		return nil
	}

	// A firm without a name cannot be announced (一公开 lists 市场主体名称), and a nameless
	// row must not win a duplicate over a named one.
	name := s.cell(cells, colName)
	nameless := false
	if blankText(name) {
		// A 个体工商户 may lawfully have no 字号 (个体工商户登记管理办法): it is drawn under a
		// placeholder, never under its operator's name in public.
		if !isGetihu(key, s.cell(cells, colKind)) {
			s.issue(row, shownID, LevelError, CodeMissingName, "企业名称为空，无法公示，已排除；请补齐名称")
			s.addGhost(row, key)
			return nil
		}
		nameless = true
		name = NamelessGetihu
		s.issue(row, shownID, LevelWarning, CodeNoTradeName,
			"无字号的个体工商户，以“"+NamelessGetihu+"”作为名称；公示时不显示经营者姓名")
	}

	// 4. Duplicates.
	nh := nameHash(normCell(name))
	c := newCandidate(key)
	c.row, c.class, c.nameHash, c.idx, c.uncl, c.off = int32(row), class[0], nh, int32(len(s.firms)), unclassified, s.curOff
	s.cands = append(s.cands, c)
	if shownID != key {
		s.rawIDs[int32(row)] = strings.Clone(shownID) // not the whole record
	}
	if s.keep {
		s.firms = append(s.firms, s.firm(row, key, name, class, cells, nameless, unclassified))
	} else if s.opt.Prefetch != nil && !s.readsBackByOffset() {
		if s.prefetch == nil {
			s.prefetch = newPrefetcher(s)
		}
		s.prefetch.add(len(s.cands)-1, row, key, name, class, cells, nameless, unclassified)
	} else {
		s.unoffered++
	}
	return nil
}

// addGhost remembers an excluded row whose key is usable, so that a row of the same key that
// is kept says that another row of it was excluded, and why (a 注销 row and a 存续 row of one
// code are not resolved without a word). Why is what the row's errors say (excludedWhy).
func (s *firmScan) addGhost(row int, key string) {
	if key == "" {
		return
	}
	c := newCandidate(key)
	c.row, c.idx, c.ghost, c.off = int32(row), -1, true, -1
	s.cands = append(s.cands, c)
}

// excludedWhy is why a row was excluded: the messages of its errors among issues (in row
// order, as the scan recorded them; an excluded row's errors are its reasons: closed,
// bad_class, missing_name).
func excludedWhy(issues []Issue, row int32) string {
	i, _ := slices.BinarySearchFunc(issues, int(row), func(is Issue, r int) int { return is.Row - r })
	var why []string
	for ; i < len(issues) && issues[i].Row == int(row); i++ {
		if issues[i].Level == LevelError {
			why = append(why, issues[i].Message)
		}
	}
	return strings.Join(why, "；")
}

// status is parseStatus, remembered for the few distinct statuses a roster has (each is
// matched against every status word otherwise).
func (s *firmScan) status(st string) statusVerdict {
	if v, ok := s.statuses[st]; ok {
		return v
	}
	v := parseStatus(st)
	if len(s.statuses) < 256 {
		if s.statuses == nil {
			s.statuses = map[string]statusVerdict{}
		}
		s.statuses[strings.Clone(st)] = v
	}
	return v
}

func orBlank(s string) string {
	if s == "" {
		return "空白"
	}
	return s
}

// finish checks that something was read and fills the report's totals.
func (s *firmScan) finish() error { return s.finishWith(nil) }

// finishWith is finish; alongside, when not nil, runs on another goroutine while the frame's
// lines are hashed, once the candidates are final (sorted, duplicates resolved): it may read
// them, not change them.
func (s *firmScan) finishWith(alongside func()) error {
	if s.hdr == nil {
		if s.first == nil {
			return fmt.Errorf("名录 %s 没有任何内容（空表）", s.path)
		}
		return s.noHeader()
	}
	if s.rep.Rows == 0 {
		return fmt.Errorf("名录 %s 只有表头（第%d行），没有数据行", s.path, s.hdr.row)
	}
	// 4. Duplicates (resolveDuplicates).
	sortCandidates(s.cands)
	nIssues := len(s.rep.Issues)
	s.resolveDuplicates()
	if len(s.rep.Issues) > nIssues {
		// A duplicate is the last check of its row: a stable sort by row puts it in place.
		slices.SortStableFunc(s.rep.Issues, func(a, b Issue) int { return a.Row - b.Row })
	}
	var wg sync.WaitGroup
	if alongside != nil {
		wg.Go(alongside)
	}
	defer wg.Wait()
	h := sha256.New()
	buf := make([]byte, 0, 64*1024)
	var classes [256]int
	for i := range s.cands {
		c := &s.cands[i]
		classes[c.class]++
		buf = append(buf, c.key()...)
		buf = append(buf, '|', c.class, '\n')
		if len(buf) > 60*1024 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	for c, n := range classes {
		if n > 0 {
			s.rep.Classes[string(rune(c))] += n
		}
	}
	s.rep.Eligible = len(s.cands)
	s.rep.countRows()
	s.rep.FrameSHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}

// resolveDuplicates keeps one row of each key of the sorted candidates, and drops the ghosts
// (excluded rows). Among the rows of a key that passed every check:
//
//   - if they name different classes (blank and 未分类 aside), every one is excluded
//     (class_conflict): the class decides the stratum and the ratio, and picking the first row
//     would make the frame depend on the row order;
//   - else the first row with a class (or the first row) is kept; another row with the same
//     name is merged into it (duplicate, info: the row is not in the frame), one with another
//     name is excluded (duplicate_conflict).
//
// A kept row whose key also has excluded rows (a 注销 row, an unreadable class) gets a warning
// naming them (duplicate_of_excluded): the rows disagree, and the office should say which is right.
func (s *firmScan) resolveDuplicates() {
	// The issues of the scan, in row order (the ones added here come after them).
	scanned := s.rep.Issues[:len(s.rep.Issues):len(s.rep.Issues)]
	kept := s.cands[:0] // in place: len(kept) never passes the start of the group being read
	idOf := func(d *candidate) string {
		if id, ok := s.rawIDs[d.row]; ok {
			return id
		}
		return string(d.key())
	}
	for i := 0; i < len(s.cands); {
		j := i + 1
		for j < len(s.cands) && s.cands[j].sameKey(&s.cands[i]) {
			j++
		}
		group := s.cands[i:j]
		i = j
		if len(group) == 1 {
			if !group[0].ghost {
				kept = append(kept, group[0])
			}
			continue
		}
		keep := -1
		var classes []byte
		var byClass []string
		for k := range group {
			d := &group[k]
			if d.ghost {
				continue
			}
			if keep < 0 || group[keep].uncl && !d.uncl {
				keep = k
			}
			if !d.uncl {
				byClass = append(byClass, fmt.Sprintf("第%d行%c类", d.row, d.class))
				if !slices.Contains(classes, d.class) {
					classes = append(classes, d.class)
				}
			}
		}
		if keep < 0 {
			continue // every row of the key was excluded, each with its reason
		}
		if len(classes) > 1 {
			msg := fmt.Sprintf("同一代码的各行信用风险分类不一致（%s），无法确定该市场主体的分类，本行已排除；请核对后只保留正确的一行",
				strings.Join(byClass, "、"))
			for k := range group {
				if d := &group[k]; !d.ghost {
					s.issue(int(d.row), idOf(d), LevelError, CodeClassConflict, msg)
				}
			}
			continue
		}
		first := group[keep]
		for k := range group {
			d := &group[k]
			switch {
			case k == keep:
			case d.ghost:
				s.issue(int(first.row), idOf(&first), LevelWarning, CodeDuplicateExcluded,
					fmt.Sprintf("同一代码的第%d行：%s。本行纳入抽查，请核对哪一行正确", d.row, excludedWhy(scanned, d.row)))
			case d.nameHash == first.nameHash:
				msg := fmt.Sprintf("与第%d行是同一市场主体（代码、名称相同），已合并到第%d行，本行不计入名录", first.row, first.row)
				if d.uncl && !first.uncl {
					msg += fmt.Sprintf("；本行未填分类，按第%d行的%c类", first.row, first.class)
				}
				s.issue(int(d.row), idOf(d), LevelInfo, CodeDuplicate, msg)
			default:
				s.issue(int(d.row), idOf(d), LevelError, CodeDuplicateConflict,
					fmt.Sprintf("代码与第%d行相同但企业名称不同，本行已排除；请核对哪一条正确", first.row))
			}
		}
		// Only now: kept shares s.cands' array, and may overwrite the group's first entry.
		kept = append(kept, first)
	}
	s.cands = kept
}

// countRows fills the row accounting of a report from its issues: a row with an error is
// excluded, a merged duplicate and a row of another district are left out on purpose.
// For a firm roster Rows = Eligible + Excluded + Merged + OutOfScope.
func (r *Report) countRows() {
	r.Excluded, r.Merged, r.OutOfScope = 0, 0, 0
	last := -1
	for _, is := range r.Issues { // in row order
		if is.Level != LevelError || is.Row == last {
			continue
		}
		r.Excluded++
		last = is.Row
	}
	for _, is := range r.Issues {
		switch is.Code {
		case CodeDuplicate:
			r.Merged++
		case CodeOtherDistrict:
			r.OutOfScope++
		}
	}
}

// FrameLines are the lines that define a frame: "<key>|<class>" of each firm, sorted by key
// (bytewise). The manifest records them; frame_sha256 is their hash (HashFrameLines).
func FrameLines(firms []Firm) []string {
	lines := make([]string, len(firms))
	for i, f := range firms {
		lines[i] = f.Key + "|" + f.Class
	}
	// By key, not by line: a 15-digit 注册号 can be a prefix of an 18-character code, and '|'
	// sorts after every code character.
	slices.SortStableFunc(lines, func(a, b string) int { return strings.Compare(frameKey(a), frameKey(b)) })
	return lines
}

func frameKey(line string) string { return line[:strings.LastIndexByte(line, '|')] }

// HashFrameLines is frame_sha256 of frame lines: SHA-256 of each line followed by "\n".
func HashFrameLines(lines []string) string {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FrameHash is frame_sha256 of the firms. The same frame read from xlsx or csv, in any row
// order, has the same hash.
func FrameHash(firms []Firm) string { return HashFrameLines(FrameLines(firms)) }

// ReadFirms reads a firm roster (.xlsx or .csv) into the sampling frame and a report of
// every row's problems. An error means the file as a whole could not be read.
func ReadFirms(ctx context.Context, path string, opt Options) (*Frame, *Report, error) {
	var s *firmScan
	sp := specPartial(opt, func() int { return s.hdr.rowOf() })
	sha, sr, err := scanFile(ctx, path, sp, func() (rowFunc, sizeFunc) {
		s = newFirmScan(path, opt, true)
		s.partial = sp.partial
		return s.row, s.expect
	})
	if err == nil {
		err = sr.explain(s.finish(), s.hdr)
	}
	if err != nil {
		return nil, nil, err
	}
	s.rep.SHA256 = sha
	hdr := s.header()
	fr := &Frame{File: path, SHA256: sha, Header: hdr, Rows: s.rep.Rows, NoClasses: s.rep.NoClassColumn, Personal: s.personal(), opt: opt}
	sr.frame(fr, s.rep)
	// The candidates are in key order and without duplicates: that is the frame.
	firms := make([]Firm, len(s.cands))
	for i, c := range s.cands {
		firms[i] = s.firms[c.idx]
		for len(firms[i].Values) < len(hdr) {
			firms[i].Values = append(firms[i].Values, "")
		}
		if firms[i].Unclassified {
			fr.Unclassified++
		}
	}
	s.firms = nil
	fr.Firms = firms
	fr.Keys = keysOf(firms)
	return fr, s.rep, nil
}

func keysOf(firms []Firm) []FrameKey {
	keys := make([]FrameKey, len(firms))
	for i, f := range firms {
		keys[i] = NewFrameKey(f.Key, f.Class, f.Row)
	}
	return keys
}

// CheckFirms reads a firm roster like ReadFirms and returns only the report. It keeps no
// firm records (only keys, classes and name hashes), so its memory stays small on a
// million-row roster; `choucha roster check` uses it.
func CheckFirms(ctx context.Context, path string, opt Options) (*Report, error) {
	var s *firmScan
	sp := specPartial(opt, func() int { return s.hdr.rowOf() })
	sha, sr, err := scanFile(ctx, path, sp, func() (rowFunc, sizeFunc) {
		s = newFirmScan(path, opt, false)
		s.partial = sp.partial
		return s.row, s.expect
	})
	if err == nil {
		err = sr.explain(s.finish(), s.hdr)
	}
	if err != nil {
		return nil, err
	}
	s.rep.SHA256 = sha
	sr.describe(s.rep)
	return s.rep, nil
}

// nameHash is a fixed 64-bit hash of a normalised name: only rows with the same key are
// compared, and a fixed hash keeps the duplicate/conflict verdict the same on every run.
func nameHash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// nonEmptyBeyond counts the non-empty cells at index n and after.
func nonEmptyBeyond(cells []string, n int) int {
	k := 0
	for i := n; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			k++
		}
	}
	return k
}
