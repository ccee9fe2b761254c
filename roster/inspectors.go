package roster

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/xlsxstream"
)

// Options control reading a roster.
type Options struct {
	Sheet    string         // xlsx/xls sheet name; "" = the first visible sheet
	District string         // when set, firms of other districts are left out (info other_district)
	Progress func(rows int) // called now and then with the data rows read so far; may be nil
	// Prefetch (ReadFrame only): an eligible firm for which it returns keep keeps its whole
	// record in the lean frame, so that Frame.Lookup answers for it without reading the file
	// again (sampler.Lookahead.Prefix: the firms a draw will probably pick), and tag with it
	// (Frame.Tags: the draw's ticket prefix, so that the draw need not hash it again). It is
	// called with the firm's key and class (ClassA..ClassD), one call at a time, on a goroutine
	// of ReadFrame's own (prefetcher), and may be nil. It is not asked
	// for the records of a CSV read in UTF-8: Lookup reads those at their file offsets, one
	// record each, which costs less than keeping them (a 1M-row draw's peak 280 → 225 MiB).
	Prefetch func(key, class string) (keep bool, tag uint64)
	// AssumeValid (inspector rosters, --assume-valid): an inspector whose 执法证有效期 is not
	// recorded (no such column, or a blank cell) is taken as holding a valid certificate.
	// Without it such an inspector is never eligible.
	AssumeValid bool

	// fill: the merged ranges a read of the file found below its header (Frame.Lookup
	// reads the file again with them filled from the first row).
	fill []xlsxstream.Range
}

// Issue codes of the inspector roster (missing_id is shared with the firm roster).
const (
	CodeDuplicateInspector = "duplicate_id"       // the same 执法证号 twice: the later row is excluded
	CodeBadDate            = "bad_date"           // 证件有效期至 unreadable: kept, never eligible
	CodeBadRecuse          = "bad_recuse"         // a 回避 entry that is not a firm identifier: kept as written
	CodeIneligible         = "ineligible"         // not eligible on the day checked (info)
	CodeNoStatusColumn     = "no_status_column"   // no 在岗状态 column: everyone on duty (one warning)
	CodeNoValidity         = "no_validity"        // no 执法证有效期 (column or cell): eligible only with --assume-valid
	CodeDeptFromCategory   = "dept_from_category" // no department column: 执法类别 names the department
	CodeNumericInspectorID = "numeric_id"         // a 执法证号 stored as a number that lost digits
	CodeMissingInspector   = "missing_name"       // no 姓名: a team cannot name the inspector, excluded
	CodeMissingDept        = "missing_dept"       // a blank 所属部门: no plan department matches, excluded
)

type inspectorScan struct {
	path   string
	opt    Options
	hdr    *header
	first  []string
	before int
	other  int // the row of a firm roster's header seen before any inspector header (0: none)
	rows   int
	seen   map[string]int
	list   []Inspector
	rep    *Report
}

// noHeader is the error of a roster whose header was not found.
func (s *inspectorScan) noHeader() error {
	return fmt.Errorf("执法检查人员名录 %s: %w", s.path, noHeader(s.first, "“姓名”“执法证号”", s.other, firmsGivenAsInspectors))
}

func (s *inspectorScan) cell(cells []string, role int) string {
	i := s.hdr.col[role]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

func (s *inspectorScan) issue(row int, id, level, code, msg string) {
	s.rep.Issues = append(s.rep.Issues, Issue{Row: row, ID: id, Level: level, Code: code, Message: msg})
}

func (s *inspectorScan) row(row int, cells []string) error {
	if blankRow(cells) {
		return nil
	}
	if s.hdr == nil {
		cleanControl(cells, nil) // titles and the header: names, not data
		if s.first == nil {
			s.first = append([]string(nil), cells...)
		}
		if h := matchHeader(row, cells, inspectorIndex, numInspCols); h != nil {
			var miss []string
			if h.col[icolName] < 0 {
				miss = append(miss, "“姓名”")
			}
			if h.col[icolID] < 0 {
				miss = append(miss, "“执法证号”")
			}
			if len(miss) > 0 {
				return apperr.Hint(fmt.Errorf("执法检查人员名录 %s 第%d行的表头缺少%s列；看到的表头：%s", s.path, row, strings.Join(miss, "和"), describeCells(cells)),
					headerHint)
			}
			s.hdr = h
			if h.col[icolDept] < 0 && h.col[icolCategory] >= 0 {
				// Offices that keep one roster per 执法类别 write the department there.
				h.col[icolDept] = h.col[icolCategory]
				s.issue(row, "", LevelWarning, CodeDeptFromCategory, fmt.Sprintf(
					"名录没有所属部门列，以“%s”列作为部门；请用 choucha dept match 核对部门对应", strings.TrimSpace(cells[h.col[icolCategory]])))
			}
			if h.col[icolStatus] < 0 {
				s.issue(row, "", LevelWarning, CodeNoStatusColumn, "名录没有在岗状态列，全部人员按在岗处理；请确认名录中没有休假、借调、退休人员")
			}
			return nil
		}
		if s.other == 0 && isFirmHeader(row, cells) {
			s.other = row
		}
		if s.before++; s.before >= headerScanRows {
			return s.noHeader()
		}
		return nil
	}
	s.rows++
	if s.opt.Progress != nil && s.rows%progressEvery == 0 {
		s.opt.Progress(s.rows)
	}
	changed := cleanControl(cells, s.hdr, s.hdr.col[icolID])
	if raw := s.cell(cells, icolID); hasControl(raw) {
		id := stripControl(raw)
		s.issue(row, id, LevelError, CodeBadID, fmt.Sprintf(
			"执法证号“%s”中有看不见的控制字符（%s），已排除；请核对后重新导出", id, firstControl(raw)))
		return nil
	}
	id := CanonicalKey(s.cell(cells, icolID))
	name := s.cell(cells, icolName)
	if changed != nil {
		s.issue(row, id, LevelWarning, CodeControlChars, fmt.Sprintf(
			"%s含有看不见的控制字符，已删除；请在原文件中核对", strings.Join(changed, "、")))
	}
	if d, ok := numericCell(id); ok {
		if d == "" {
			s.issue(row, id, LevelError, CodeNumericInspectorID, fmt.Sprintf(
				"执法人员“%s”的执法证号“%s”以数字保存，后几位已丢失，已排除；请把该列设为“文本”格式后重新导出", name, id))
			return nil
		}
		id = d // a 执法证号 stored as a number, e.g. "1404031234567.0"
	}
	if footerLine(name) || blankText(name) && (id == "" || footerLine(id)) {
		// A 合计 or 注 line under the table (footerLine), in the 姓名 column or another.
		s.issue(row, "", LevelError, CodeMissingID, notARecordMessage("姓名和执法证号", "执法人员", cells))
		return nil
	}
	if id == "" {
		s.issue(row, "", LevelError, CodeMissingID, fmt.Sprintf("执法人员“%s”没有执法证号，已排除；请补齐", name))
		return nil
	}
	// A team shows who inspects and for which department: a row without either is excluded
	// (like a firm without a name), never assigned as "（某某局）" with nobody's name — and
	// before its 执法证号 is taken, so that a later row of the same number with a name is not
	// refused as a duplicate of an excluded row.
	if blankText(name) {
		s.issue(row, id, LevelError, CodeMissingInspector,
			fmt.Sprintf("执法证号 %s 的人员姓名为空（或只有空格、不可见字符），无法列入检查组，已排除；请补齐姓名", id))
		return nil
	}
	if s.hdr.col[icolDept] >= 0 && blankText(s.cell(cells, icolDept)) {
		s.issue(row, id, LevelError, CodeMissingDept,
			fmt.Sprintf("执法人员“%s”的%s为空，无法对应抽查任务的部门，已排除；请补齐", name, orColumn(s.hdr, icolDept, "所属部门")))
		return nil
	}
	if prev, ok := s.seen[id]; ok {
		s.issue(row, id, LevelError, CodeDuplicateInspector,
			fmt.Sprintf("执法证号与第%d行重复，本行已排除；请核对", prev))
		return nil
	}
	s.seen[id] = row
	status := s.cell(cells, icolStatus)
	in := Inspector{
		Row: row, ID: id, Name: name,
		Dept:     s.cell(cells, icolDept),
		Category: s.cell(cells, icolCategory),
		Status:   status,
		OnDuty:   s.hdr.col[icolStatus] < 0 || onDuty(status),
		Phone:    s.cell(cells, icolPhone),
		License:  s.cell(cells, icolLicense),
	}
	v := s.cell(cells, icolValid)
	switch t, ok := parseValidity(v); {
	case v == "":
		in.ValidityUnknown = true
		in.AssumedValid = s.opt.AssumeValid
		what := "名录没有执法证有效期列"
		if s.hdr.col[icolValid] >= 0 {
			what = "执法证有效期为空"
		}
		if s.opt.AssumeValid {
			s.issue(row, id, LevelWarning, CodeNoValidity, what+"，已按 --assume-valid 视为有效；请核对执法证")
		} else {
			s.issue(row, id, LevelWarning, CodeNoValidity, what+"，无法核对执法证是否有效，该人员不会被选派；补齐有效期，或确认全部有效后加 --assume-valid")
		}
	case ok:
		in.ValidUntil = t
	default:
		in.BadDate = true
		s.issue(row, id, LevelWarning, CodeBadDate,
			fmt.Sprintf("证件有效期至“%s”无法识别为日期，该人员不会被选派；请改为 2026-12-31 这样的日期", v))
	}
	for _, c := range splitCodes(s.cell(cells, icolRecuse)) {
		if _, kind := classifyID(c); !kind.usable() {
			s.issue(row, id, LevelWarning, CodeBadRecuse,
				fmt.Sprintf("回避企业“%s”不是统一社会信用代码或注册号；已按原样保留，请核对", c))
		}
		in.Recuse = append(in.Recuse, c)
	}
	s.list = append(s.list, in)
	return nil
}

// blankText reports whether a cell shows nothing: only white space (the full-width space
// included) and invisible format characters (zero-width space, BOM, joiners, controls).
func blankText(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// orColumn is the header text of a role's column, or def.
func orColumn(h *header, role int, def string) string {
	if i := h.col[role]; i >= 0 && i < len(h.cells) {
		if c := strings.TrimSpace(h.cells[i]); c != "" {
			return "“" + c + "”"
		}
	}
	return "“" + def + "”"
}

// voidLicenseWords in a 持证状态 cell mean the certificate is not in force (domain notes: only
// holders of a valid 执法证 inspect). A cell with none of them (有效, 正常, 在用, or empty) leaves
// the 有效期 to decide.
var voidLicenseWords = []string{"注销", "吊销", "撤销", "暂扣", "收回", "作废", "失效", "无效", "过期", "停用", "冻结"}

func licenseVoid(c string) bool {
	for _, w := range voidLicenseWords {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// offDutyWords mark staff who may not inspect (domain notes: off-duty, seconded, retired),
// checked first: "在岗（借调）" is seconded.
var offDutyWords = []string{"不在岗", "非在岗", "离岗", "借调", "休假", "退休", "病假", "停职", "调离", "离职", "挂职"}

// onDuty: 在岗 (and none of offDutyWords); 在职, 正常, and 是 of a 是否在岗 column.
func onDuty(status string) bool {
	c := normCell(status)
	for _, w := range offDutyWords {
		if strings.Contains(c, w) {
			return false
		}
	}
	return strings.Contains(c, "在岗") || c == "在职" || c == "正常" || c == "是"
}

// longTerm is the ValidUntil of a certificate written as 长期 (no end date).
var longTerm = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// parseValidity reads a 执法证有效期 cell: a date (parseDate, Excel serials included, a
// date-time serial counts by its day), a range whose end is the validity
// ("2023-01-01至2027-12-31", "2023.01.01-2027.12.31"), or 长期/长期有效.
func parseValidity(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if c := normCell(s); c == "长期" || c == "长期有效" || c == "永久" {
		return longTerm, true
	}
	if i := strings.IndexByte(s, '.'); i >= 1 && i <= 5 && allDigits(s[:i]) && allDigits(s[i+1:]) {
		s = s[:i] // 46387.5: a date-time serial
	}
	// A time of day after a date ("2027-05-30 00:00:00", as platforms export dates, also in a
	// range) is not a date's digits: the day counts.
	s = timeOfDay.ReplaceAllString(s, "")
	if t, ok := parseDate(s); ok && !isRange(s) {
		return t, true
	}
	for _, sep := range []string{"至", "~", "～", "—", "－", "到"} {
		if i := strings.LastIndex(s, sep); i > 0 {
			return parseDate(s[i+len(sep):])
		}
	}
	// "2023.01.01-2027.12.31": six digit groups, the last three are the end.
	if g := digitGroups(s); len(g) == 6 {
		return parseDate(strings.Join(g[3:], "-"))
	}
	return time.Time{}, false
}

// timeOfDay is a time after a date (" 00:00:00", "T0:00", " 23:59:59.000").
var timeOfDay = regexp.MustCompile(`(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?`)

// isRange reports whether s holds two dates (six digit groups, or a range separator).
func isRange(s string) bool {
	if len(digitGroups(s)) >= 6 {
		return true
	}
	return strings.ContainsAny(s, "至~～—－到")
}

func digitGroups(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// Kinds of ineligibility, as counted by Ineligibility.
const (
	ReasonOffDuty         = "不在岗"
	ReasonExpired         = "执法证已到期"
	ReasonValidityUnknown = "执法证有效期不明"
	ReasonBadDate         = "执法证有效期无法识别"
	ReasonLicenseVoid     = "执法证已失效"
)

// Ineligibility counts the inspectors of list who may not inspect on day, by kind (an
// inspector may count under several kinds), and returns how many may.
func Ineligibility(list []Inspector, day time.Time) (eligible int, byKind map[string]int) {
	byKind = map[string]int{}
	for _, in := range list {
		kinds := in.reasons(day)
		if len(kinds) == 0 {
			eligible++
		}
		for _, k := range kinds {
			byKind[k]++
		}
	}
	return eligible, byKind
}

// NoneEligibleError is the error for a roster in which nobody may inspect on day, with the
// reasons counted by kind; nil when someone may.
func NoneEligibleError(file string, list []Inspector, day time.Time) error {
	n, byKind := Ineligibility(list, day)
	if n > 0 {
		return nil
	}
	var parts []string
	for _, k := range []string{ReasonOffDuty, ReasonLicenseVoid, ReasonExpired, ReasonValidityUnknown, ReasonBadDate} {
		if byKind[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 人", k, byKind[k]))
		}
	}
	err := fmt.Errorf("执法检查人员名录 %s 中 %d 名人员在 %s 都不可选派：%s", file, len(list), day.Format("2006-01-02"), strings.Join(parts, "，"))
	hint := "用 choucha roster check " + file + " --inspectors 查看每个人的原因"
	if byKind[ReasonValidityUnknown] > 0 {
		hint += "；名录没有执法证有效期时，确认全部有效后可加 --assume-valid"
	}
	return &apperr.Error{Err: err, Hint: hint}
}

// ReadInspectors reads an inspector roster (.xlsx or .csv). Rows without a 执法证号 and repeated
// 执法证号 are excluded (errors); unreadable 证件有效期至 is a warning (the inspector is kept
// and never eligible). The report's Rows counts data rows and Eligible the inspectors kept.
// The list is sorted by 执法证号.
func ReadInspectors(ctx context.Context, path string, opt Options) ([]Inspector, *Report, error) {
	var s *inspectorScan
	sha, sr, err := scanFile(ctx, path, specOf(opt, func() int { return s.hdr.rowOf() }), func() (rowFunc, sizeFunc) {
		s = &inspectorScan{path: path, opt: opt, seen: map[string]int{},
			rep: &Report{File: path, Classes: map[string]int{}, Issues: []Issue{}}}
		return s.row, func(int) {}
	})
	if err != nil {
		return nil, nil, err
	}
	switch {
	case s.hdr == nil && s.first == nil:
		return nil, nil, sr.explain(fmt.Errorf("执法检查人员名录 %s 没有任何内容（空表）", path), nil)
	case s.hdr == nil:
		return nil, nil, sr.explain(s.noHeader(), nil)
	case s.rows == 0:
		return nil, nil, sr.explain(fmt.Errorf("执法检查人员名录 %s 只有表头（第%d行），没有数据行", path, s.hdr.row), s.hdr)
	}
	sr.describe(s.rep)
	slices.SortFunc(s.list, func(a, b Inspector) int { return strings.Compare(a.ID, b.ID) })
	s.rep.SHA256 = sha
	s.rep.AssumedValid = opt.AssumeValid
	s.rep.Rows = s.rows
	s.rep.Eligible = len(s.list)
	s.rep.countRows()
	return s.list, s.rep, nil
}

// EligibleOn says whether the inspector may inspect on day (在岗 and certificate valid),
// and if not, why (Chinese). Only the calendar date of day counts.
func (in Inspector) EligibleOn(day time.Time) (bool, string) {
	kinds := in.reasons(day)
	if len(kinds) == 0 {
		return true, ""
	}
	why := make([]string, 0, len(kinds))
	for _, k := range kinds {
		switch k {
		case ReasonOffDuty:
			why = append(why, fmt.Sprintf("不在岗（在岗状态：%s）", orBlank(in.Status)))
		case ReasonLicenseVoid:
			why = append(why, fmt.Sprintf("执法证已失效（持证状态：%s）", in.License))
		case ReasonExpired:
			why = append(why, fmt.Sprintf("执法证已于 %s 到期", in.ValidUntil.Format("2006-01-02")))
		case ReasonValidityUnknown:
			why = append(why, "执法证有效期不明（名录未记录；确认有效后可加 --assume-valid）")
		default:
			why = append(why, k)
		}
	}
	return false, strings.Join(why, "；")
}

// reasons lists the kinds of ineligibility of the inspector on day.
func (in Inspector) reasons(day time.Time) []string {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	var kinds []string
	if !in.OnDuty {
		kinds = append(kinds, ReasonOffDuty)
	}
	if licenseVoid(in.License) {
		kinds = append(kinds, ReasonLicenseVoid)
	}
	switch {
	case in.BadDate:
		kinds = append(kinds, ReasonBadDate)
	case in.ValidityUnknown:
		if !in.AssumedValid {
			kinds = append(kinds, ReasonValidityUnknown)
		}
	case in.ValidUntil.IsZero():
		kinds = append(kinds, ReasonValidityUnknown)
	case d.After(in.ValidUntil):
		kinds = append(kinds, ReasonExpired)
	}
	return kinds
}
