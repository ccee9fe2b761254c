package roster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Options control reading a roster.
type Options struct {
	Sheet    string         // xlsx sheet name; "" = first sheet
	District string         // when set, firms of other districts are left out (info other_district)
	Progress func(rows int) // called now and then with the data rows read so far; may be nil
}

// Issue codes of the inspector roster (missing_id is shared with the firm roster).
const (
	CodeDuplicateInspector = "duplicate_id" // the same 执法证号 twice: the later row is excluded
	CodeBadDate            = "bad_date"     // 证件有效期至 unreadable: kept, never eligible
	CodeBadRecuse          = "bad_recuse"   // a 回避 entry that is not a firm identifier: kept as written
	CodeIneligible         = "ineligible"   // not eligible on the day checked (info)
)

type inspectorScan struct {
	path   string
	opt    Options
	hdr    *header
	first  []string
	before int
	rows   int
	seen   map[string]int
	list   []Inspector
	rep    *Report
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
				return fmt.Errorf("第%d行的表头缺少%s列；看到的表头：%s", row, strings.Join(miss, "和"), describeCells(cells))
			}
			s.hdr = h
			return nil
		}
		if s.before++; s.before >= headerScanRows {
			return errNoHeader(s.first, "“姓名”“执法证号”")
		}
		return nil
	}
	s.rows++
	if s.opt.Progress != nil && s.rows%progressEvery == 0 {
		s.opt.Progress(s.rows)
	}
	id := CanonicalKey(s.cell(cells, icolID))
	if d, ok := numericCell(id); ok && d != "" {
		id = d // a 执法证号 stored as a number, e.g. "1404031234567.0"
	}
	name := s.cell(cells, icolName)
	if id == "" {
		s.issue(row, "", LevelError, CodeMissingID, fmt.Sprintf("执法人员“%s”没有执法证号，已排除；请补齐", name))
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
		OnDuty:   onDuty(status),
		Phone:    s.cell(cells, icolPhone),
	}
	if s.hdr.col[icolValid] >= 0 {
		v := s.cell(cells, icolValid)
		if t, ok := parseDate(v); ok {
			in.ValidUntil = t
		} else {
			s.issue(row, id, LevelWarning, CodeBadDate,
				fmt.Sprintf("证件有效期至“%s”无法识别为日期，该人员不会被选派；请改为 2026-12-31 这样的日期", orBlank(v)))
		}
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

// onDuty: 在岗 (and not 不在岗/离岗).
func onDuty(status string) bool {
	c := normCell(status)
	if strings.Contains(c, "不在岗") || strings.Contains(c, "非在岗") {
		return false
	}
	return strings.Contains(c, "在岗") || c == "在职" || c == "正常"
}

// ReadInspectors reads an inspector roster (.xlsx or .csv). Rows without a 执法证号 and repeated
// 执法证号 are excluded (errors); unreadable 证件有效期至 is a warning (the inspector is kept
// and never eligible). The report's Rows counts data rows and Eligible the inspectors kept.
// The list is sorted by 执法证号.
func ReadInspectors(ctx context.Context, path string, opt Options) ([]Inspector, *Report, error) {
	var s *inspectorScan
	sha, err := scanFile(ctx, path, opt.Sheet, func() (rowFunc, sizeFunc) {
		s = &inspectorScan{path: path, opt: opt, seen: map[string]int{},
			rep: &Report{File: path, Classes: map[string]int{}, Issues: []Issue{}}}
		return s.row, func(int) {}
	})
	if err != nil {
		return nil, nil, err
	}
	switch {
	case s.hdr == nil && s.first == nil:
		return nil, nil, fmt.Errorf("执法检查人员名录 %s 没有任何内容（空表）", path)
	case s.hdr == nil:
		return nil, nil, fmt.Errorf("执法检查人员名录 %s: %w", path, errNoHeader(s.first, "“姓名”“执法证号”"))
	case s.rows == 0:
		return nil, nil, fmt.Errorf("执法检查人员名录 %s 只有表头（第%d行），没有数据行", path, s.hdr.row)
	}
	slices.SortFunc(s.list, func(a, b Inspector) int { return strings.Compare(a.ID, b.ID) })
	s.rep.SHA256 = sha
	s.rep.Rows = s.rows
	s.rep.Eligible = len(s.list)
	return s.list, s.rep, nil
}

// EligibleOn says whether the inspector may inspect on day (在岗 and certificate valid),
// and if not, why (Chinese). Only the calendar date of day counts.
func (in Inspector) EligibleOn(day time.Time) (bool, string) {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	var why []string
	if !in.OnDuty {
		st := in.Status
		if st == "" {
			st = "空白"
		}
		why = append(why, fmt.Sprintf("不在岗（在岗状态：%s）", st))
	}
	switch {
	case in.ValidUntil.IsZero():
		why = append(why, "执法证有效期不明")
	case d.After(in.ValidUntil):
		why = append(why, fmt.Sprintf("执法证已于 %s 到期", in.ValidUntil.Format("2006-01-02")))
	}
	if len(why) > 0 {
		return false, strings.Join(why, "；")
	}
	return true, ""
}
