package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Modes of inspection (抽查检查模式), normalised.
const (
	ModeDistrict = "区抽区查"
	ModeCounty   = "县抽县查"
)

// ParseWindow parses a 抽查检查起止时间 cell: "4月—7月", "3—12月", "10—12月", "7月", "全年".
func ParseWindow(s string) (Window, error) {
	w := Window{Text: s}
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, narrow(s))
	if t == "" {
		return w, errors.New("抽查检查起止时间为空")
	}
	if t == "全年" {
		w.From, w.To = 1, 12
		return w, nil
	}
	from, rest, ok := leadingMonth(t)
	if !ok {
		return w, fmt.Errorf("抽查检查起止时间“%s”无法识别", s)
	}
	rest = strings.TrimPrefix(rest, "份")
	if rest == "" || rest == "月" {
		if rest == "" && !strings.HasSuffix(t, "月") {
			return w, fmt.Errorf("抽查检查起止时间“%s”无法识别", s)
		}
		w.From, w.To = from, from
	} else {
		rest = strings.TrimPrefix(rest, "月")
		sep := false
		for _, d := range []string{"——", "—", "–", "－", "-", "~", "～", "至", "到"} {
			if strings.HasPrefix(rest, d) {
				rest = strings.TrimPrefix(rest, d)
				sep = true
				break
			}
		}
		to, tail, ok := leadingMonth(rest)
		if !sep || !ok || (tail != "月" && tail != "月份") {
			return w, fmt.Errorf("抽查检查起止时间“%s”无法识别", s)
		}
		w.From, w.To = from, to
	}
	if w.From < 1 || w.From > 12 || w.To < 1 || w.To > 12 {
		return w, fmt.Errorf("抽查检查起止时间“%s”的月份应在1到12之间", s)
	}
	if w.From > w.To {
		return w, fmt.Errorf("抽查检查起止时间“%s”的开始月份晚于结束月份", s)
	}
	return w, nil
}

func leadingMonth(s string) (int, string, bool) {
	i := 0
	for i < len(s) && i < 2 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, s, false
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:], true
}

// Contains reports whether the window includes the month (1–12).
func (w Window) Contains(month int) bool { return month >= w.From && month <= w.To }

// FirstDay is the first day of the window in the given year (UTC midnight).
func (w Window) FirstDay(year int) time.Time {
	return time.Date(year, time.Month(w.From), 1, 0, 0, 0, 0, time.UTC)
}

// LastDay is the last day of the window in the given year (UTC midnight).
func (w Window) LastDay(year int) time.Time {
	return time.Date(year, time.Month(w.To)+1, 0, 0, 0, 0, 0, time.UTC)
}

// ParseRisk classifies a credit-risk requirement cell: progressive when it raises the
// ratio by credit class (递加, or 判别 by the classification), none for 无 or 不涉及, other
// for any other basis (防雷安全级别, 消防安全稳定情况, a single class name).
func ParseRisk(s string) Risk {
	t := strings.TrimSpace(s)
	switch {
	case strings.Contains(t, "递加"), strings.Contains(t, "判别"):
		return Risk{Text: s, Kind: RiskProgressive}
	case t == "" || t == "无" || t == "/" || strings.Contains(t, "不涉及"):
		return Risk{Text: s, Kind: RiskNone}
	default:
		return Risk{Text: s, Kind: RiskOther}
	}
}

// NormalizeMode maps a 抽查检查模式 cell to 区抽区查 or 县抽县查 ("区抽查" → 区抽区查,
// "县抽县检" → 县抽县查). ok is false when the cell is not a mode.
func NormalizeMode(s string) (string, bool) {
	t := strings.Join(strings.Fields(s), "")
	if len([]rune(t)) > 6 {
		return "", false
	}
	switch {
	case strings.HasPrefix(t, "区抽"):
		return ModeDistrict, true
	case strings.HasPrefix(t, "县抽"):
		return ModeCounty, true
	}
	return "", false
}

// NormalizeDistrict removes stray spaces and the city prefix: "平 顺 县" → "平顺县",
// "长治市 潞州区" → "潞州区", "长治市高新区" → "高新区".
func NormalizeDistrict(s string) string {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if rest, ok := strings.CutPrefix(t, "长治市"); ok && rest != "" {
		t = rest
	}
	return t
}

// deptSuffixes end a department name; a district name right after one starts a new name.
const deptSuffixes = "局队委门心所站办院股科组会部处"

// SplitDepartments splits a 配合部门 cell into department names. Separators are 、，,；;/／
// and spaces. A name glued to the next one without a separator ("壶关县市场监管局壶关县税务局")
// is split where the district's name starts again after a department suffix; glued reports it.
func SplitDepartments(s, district string) (depts []string, glued bool) {
	fields := strings.FieldsFunc(narrow(s), func(r rune) bool {
		return r == '、' || r == ',' || r == ';' || r == '/' || r == '，' || r == '；' || unicode.IsSpace(r)
	})
	for _, f := range fields {
		parts := splitGlued(f, district)
		if len(parts) > 1 {
			glued = true
		}
		depts = append(depts, parts...)
	}
	return depts, glued
}

func splitGlued(f, district string) []string {
	// Only a name that itself starts with the district ("壶关县市场监管局壶关县税务局") is
	// split: "市公安局潞州区分局" and "国家税务总局长治市屯留区税务局" are single names.
	if district == "" || !(strings.HasPrefix(f, district) || strings.HasPrefix(f, "长治市"+district)) {
		return []string{f}
	}
	var out []string
	for {
		cut := -1
		for _, name := range []string{"长治市" + district, district} {
			from := 1
			for {
				k := strings.Index(f[from:], name)
				if k < 0 {
					break
				}
				k += from
				prev := []rune(f[:k])
				if len(prev) > 0 && strings.ContainsRune(deptSuffixes, prev[len(prev)-1]) {
					if cut < 0 || k < cut {
						cut = k
					}
					break
				}
				from = k + 1
			}
		}
		if cut <= 0 {
			return append(out, f)
		}
		out = append(out, f[:cut])
		f = f[cut:]
	}
}
