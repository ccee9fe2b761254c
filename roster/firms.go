package roster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
)

// Issue codes of the firm roster.
const (
	CodeBadChecksum       = "bad_checksum"
	CodeNumericID         = "numeric_id"
	CodeLegacyRegNo       = "legacy_regno"
	CodeMissingID         = "missing_id"
	CodeBadID             = "bad_id"
	CodeDuplicate         = "duplicate"
	CodeDuplicateConflict = "duplicate_conflict"
	CodeClosed            = "closed"
	CodeNoStatus          = "no_status"
	CodeUnknownStatus     = "unknown_status"
	CodeUnclassified      = "unclassified"
	CodeBadClass          = "bad_class"
	CodeOtherDistrict     = "other_district"
)

// progressEvery is how often (in data rows) Options.Progress is called.
const progressEvery = 8192

// seenFirm is what the duplicate check remembers of a firm already in the frame.
type seenFirm struct {
	row      int32
	class    byte
	nameHash uint64
}

// firmScan turns rows into the frame and the report. With keep false it remembers only
// keys, classes and name hashes (the memory of `roster check` on a million rows).
type firmScan struct {
	path   string
	opt    Options
	keep   bool
	hdr    *header
	first  []string // first non-blank row, for the no-header message
	before int      // non-blank rows seen before the header
	width  int      // widest row
	seed   maphash.Seed
	seen   map[string]seenFirm
	firms  []Firm
	rep    *Report
	dist   string
}

func newFirmScan(path string, opt Options, keep bool) *firmScan {
	return &firmScan{
		path: path, opt: opt, keep: keep,
		seed: maphash.MakeSeed(),
		seen: make(map[string]seenFirm),
		rep: &Report{File: path, Classes: map[string]int{ClassA: 0, ClassB: 0, ClassC: 0, ClassD: 0},
			Issues: []Issue{}},
		dist: normDistrict(opt.District),
	}
}

func normDistrict(s string) string { return normCell(s) }

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

func (s *firmScan) row(row int, cells []string) error {
	if blankRow(cells) {
		return nil
	}
	if s.hdr == nil {
		if s.first == nil {
			s.first = append([]string(nil), cells...)
		}
		if h := matchHeader(row, cells, firmIndex, numFirmCols); h != nil {
			if h.col[colCode] < 0 && h.col[colRegNo] < 0 || h.col[colName] < 0 {
				return fmt.Errorf("第%d行的表头缺少%s列；看到的表头：%s", row, missingFirmCols(h), describeCells(cells))
			}
			s.hdr = h
			if h.col[colClass] < 0 {
				s.issue(row, "", LevelWarning, CodeUnclassified, "名录没有信用风险分类列，全部按B类（一般风险）处理")
			}
			return nil
		}
		s.before++
		if s.before >= headerScanRows {
			return errNoHeader(s.first, "“统一社会信用代码”“企业名称”")
		}
		return nil
	}
	return s.data(row, cells)
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
	return strings.TrimSpace(cells[i])
}

func (s *firmScan) issue(row int, id, level, code, msg string) {
	s.rep.Issues = append(s.rep.Issues, Issue{Row: row, ID: id, Level: level, Code: code, Message: msg})
}

func (s *firmScan) data(row int, cells []string) error {
	s.rep.Rows++
	if s.opt.Progress != nil && s.rep.Rows%progressEvery == 0 {
		s.opt.Progress(s.rep.Rows)
	}
	if len(cells) > s.width {
		s.width = len(cells)
	}
	rawID := s.cell(cells, colCode)
	regNo := s.cell(cells, colRegNo)
	shownID := rawID
	if shownID == "" {
		shownID = regNo
	}

	// 7. District: firms of another district are out of scope, not faulty.
	if s.dist != "" && s.hdr.col[colDistrict] >= 0 {
		if d := s.cell(cells, colDistrict); d != "" && !sameDistrict(s.dist, normDistrict(d)) {
			s.issue(row, shownID, LevelInfo, CodeOtherDistrict,
				fmt.Sprintf("所属区县为“%s”，不属于%s，未纳入本次名录", d, s.opt.District))
			return nil
		}
	}

	excluded := false
	// 3. Identifier.
	key, kind := classifyID(rawID)
	if kind == idMissing && regNo != "" {
		var rk idKind
		key, rk = classifyID(regNo)
		switch rk {
		case idValid, idBadChecksum, idLegacy:
			kind = idLegacy
			if rk != idLegacy {
				kind = rk
			}
		default:
			kind = rk
		}
	}
	switch kind {
	case idValid:
	case idBadChecksum:
		s.issue(row, shownID, LevelWarning, CodeBadChecksum, idMessage(kind, key, shownID))
	case idLegacy:
		s.issue(row, shownID, LevelWarning, CodeLegacyRegNo, idMessage(kind, key, shownID))
	case idNumeric:
		s.issue(row, shownID, LevelError, CodeNumericID, idMessage(kind, key, shownID))
		excluded = true
	case idMissing:
		s.issue(row, shownID, LevelError, CodeMissingID, idMessage(kind, key, shownID))
		excluded = true
	default:
		s.issue(row, shownID, LevelError, CodeBadID, idMessage(kind, key, shownID))
		excluded = true
	}

	// 5. Status.
	if s.hdr.col[colStatus] >= 0 {
		st := s.cell(cells, colStatus)
		switch parseStatus(st) {
		case statusClosed:
			s.issue(row, shownID, LevelError, CodeClosed, fmt.Sprintf("登记状态为“%s”，不在抽查范围，已排除", st))
			excluded = true
		case statusBlank:
			s.issue(row, shownID, LevelWarning, CodeNoStatus, "登记状态为空，按存续处理；请核对")
		case statusUnknown:
			s.issue(row, shownID, LevelWarning, CodeUnknownStatus, fmt.Sprintf("登记状态“%s”无法识别，按存续处理；请核对", st))
		}
	}

	// 6. Credit class.
	class := ClassB
	if s.hdr.col[colClass] >= 0 {
		raw := s.cell(cells, colClass)
		c, v := parseClass(raw)
		switch v {
		case classOK:
			class = c
		case classUnclassified:
			s.issue(row, shownID, LevelWarning, CodeUnclassified,
				fmt.Sprintf("信用风险分类为“%s”，按B类（一般风险）处理", orBlank(raw)))
		case classBad:
			s.issue(row, shownID, LevelError, CodeBadClass,
				fmt.Sprintf("信用风险分类“%s”无法识别（应为 A/B/C/D 或 低风险/一般风险/较高风险/高风险），已排除", raw))
			excluded = true
		}
	}
	if excluded {
		return nil
	}

	// 4. Duplicates.
	name := s.cell(cells, colName)
	nh := maphash.String(s.seed, normCell(name))
	if prev, ok := s.seen[key]; ok {
		if prev.nameHash == nh {
			s.issue(row, shownID, LevelWarning, CodeDuplicate,
				fmt.Sprintf("与第%d行是同一市场主体（代码、名称相同），只保留第%d行", prev.row, prev.row))
		} else {
			s.issue(row, shownID, LevelError, CodeDuplicateConflict,
				fmt.Sprintf("代码与第%d行相同但企业名称不同，本行已排除；请核对哪一条正确", prev.row))
		}
		return nil
	}
	s.seen[key] = seenFirm{row: int32(row), class: class[0], nameHash: nh}
	if s.keep {
		vals := make([]string, max(len(cells), len(s.hdr.cells)))
		copy(vals, cells)
		for i := range vals {
			if i < len(s.hdr.date) && s.hdr.date[i] {
				if d, ok := serialDate(vals[i]); ok {
					vals[i] = d
				}
			}
		}
		s.firms = append(s.firms, Firm{
			Row: row, Key: key, Name: name, Class: class,
			District:  s.cell(cells, colDistrict),
			Authority: s.cell(cells, colAuthority),
			Address:   s.cell(cells, colAddress),
			LegalRep:  s.cell(cells, colLegalRep),
			Phone:     s.cell(cells, colPhone),
			Values:    vals,
		})
	}
	return nil
}

func orBlank(s string) string {
	if s == "" {
		return "空白"
	}
	return s
}

// finish checks that something was read and fills the report's totals.
func (s *firmScan) finish() error {
	if s.hdr == nil {
		if s.first == nil {
			return fmt.Errorf("名录 %s 没有任何内容（空表）", s.path)
		}
		return fmt.Errorf("名录 %s: %w", s.path, errNoHeader(s.first, "“统一社会信用代码”“企业名称”"))
	}
	if s.rep.Rows == 0 {
		return fmt.Errorf("名录 %s 只有表头（第%d行），没有数据行", s.path, s.hdr.row)
	}
	pairs := make([]keyClass, 0, len(s.seen))
	for k, v := range s.seen {
		pairs = append(pairs, keyClass{k, v.class})
		s.rep.Classes[string(v.class)]++
	}
	slices.SortFunc(pairs, func(a, b keyClass) int { return strings.Compare(a.key, b.key) })
	s.rep.Eligible = len(pairs)
	s.rep.FrameSHA256 = hashPairs(pairs)
	return nil
}

type keyClass struct {
	key   string
	class byte
}

func hashPairs(pairs []keyClass) string {
	h := sha256.New()
	buf := make([]byte, 0, 64*1024)
	for _, p := range pairs {
		buf = append(buf, p.key...)
		buf = append(buf, '|', p.class, '\n')
		if len(buf) > 60*1024 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// FrameHash is frame_sha256: SHA-256 of "<key>|<class>\n" lines of the firms sorted by key
// (bytewise). The same frame read from xlsx or csv, in any row order, has the same hash.
func FrameHash(firms []Firm) string {
	pairs := make([]keyClass, len(firms))
	for i, f := range firms {
		c := byte(0)
		if f.Class != "" {
			c = f.Class[0]
		}
		pairs[i] = keyClass{f.Key, c}
	}
	slices.SortStableFunc(pairs, func(a, b keyClass) int { return strings.Compare(a.key, b.key) })
	h := sha256.New()
	for _, p := range pairs {
		// Class is one letter for every firm a Frame holds; write it in full to be safe.
		h.Write([]byte(p.key))
		h.Write([]byte{'|'})
		if p.class != 0 {
			h.Write([]byte{p.class})
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ReadFirms reads a firm roster (.xlsx or .csv) into the sampling frame and a report of
// every row's problems. An error means the file as a whole could not be read.
func ReadFirms(ctx context.Context, path string, opt Options) (*Frame, *Report, error) {
	s := newFirmScan(path, opt, true)
	sha, err := scanFile(ctx, path, opt.Sheet, s.row)
	if err == nil {
		err = s.finish()
	}
	if err != nil {
		return nil, nil, err
	}
	s.rep.SHA256 = sha
	hdr := append([]string(nil), s.hdr.cells...)
	for i := len(hdr); i < s.width; i++ {
		hdr = append(hdr, fmt.Sprintf("第%d列", i+1))
	}
	for i := range s.firms {
		for len(s.firms[i].Values) < len(hdr) {
			s.firms[i].Values = append(s.firms[i].Values, "")
		}
	}
	slices.SortFunc(s.firms, func(a, b Firm) int { return strings.Compare(a.Key, b.Key) })
	fr := &Frame{File: path, SHA256: sha, Header: hdr, Rows: s.rep.Rows, Firms: s.firms}
	return fr, s.rep, nil
}

// CheckFirms reads a firm roster like ReadFirms and returns only the report. It keeps no
// firm records (only keys, classes and name hashes), so its memory stays small on a
// million-row roster; `choucha roster check` uses it.
func CheckFirms(ctx context.Context, path string, opt Options) (*Report, error) {
	s := newFirmScan(path, opt, false)
	sha, err := scanFile(ctx, path, opt.Sheet, s.row)
	if err == nil {
		err = s.finish()
	}
	if err != nil {
		return nil, err
	}
	s.rep.SHA256 = sha
	return s.rep, nil
}
