package plan

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The 抽查检查起止时间 grammar (full-width forms read as ASCII, white space ignored):
//
//	window = months | dates | word | before | batches
//	months = M ["月"|"月份"] sep M ("月"|"月份") | M ("月"|"月份")     4月—7月  3—12月  7月
//	dates  = date [sep date]        2026年2月24日-2026年11月30日  2026年1月—11月  2016.2.1
//	date   = [YYYY "年"] M "月" [D "日"] | YYYY ("."|"-"|"/") M [("."|"-"|"/") D]
//	word   = [YYYY "年"] (全年 | 上半年 | 下半年 | [第] (一|二|三|四|1-4) 季度) | YYYY "年度"
//	         | YYYY ("年"|"年度") window, a window without a year of its own  2023年6-12月  2023年度第三季度
//	before = (date | M "月底" | M "月末") ["之"] "前" ["完成"]           9月底前
//	batches= "分" N "批" ["次"] (";" "第" N "批" before)*              two rounds, each with its deadline
//	sep    = — | -- | - | – | ~ | ～ | 至 | 到
//
// A bare month range without 月 (4—10) is read as months and recorded as a repair. A lone
// date (2016.2.1) and a date whose 年/月 were lost (2023720日) have no single reading: the
// window is flagged. The year of a date is kept in Window.Year; a window in another year than
// the plan is flagged by the table reader.

// yearWordRE is a year and what follows it: a window written without a year after it (a
// word, a quarter, months: 2020年全年, 2024年上半年, 2023年第三季度, 2023年6-12月, 2020年度) is that
// window in that year.
var yearWordRE = regexp.MustCompile(`^((?:19|20)[0-9]{2})年(.+)$`)

// parseDeadline reads a cell of a column of deadlines (完成时限). A window is read as
// parseWindow reads it, but a date the inspections must be done by — one with no window of
// its own ("10月底") or a bare month or day ("10月", "10月份", "2023年10月", "10月15日") — is read
// as that date with 前 ("10月底前", "10月15日前"): from January to it, not that month alone. by
// is that reading ("" when the cell was read as a window of its own).
func parseDeadline(s string) (w Window, by, note string, err error) {
	w, note, err = parseWindow(s)
	cell := strings.TrimSpace(s)
	switch {
	case err != nil:
		by = cell + "前"
	case bareDate.MatchString(strings.Join(strings.Fields(narrow(cell)), "")):
		by = strings.TrimSuffix(cell, "份")
		if !strings.HasSuffix(by, "日") {
			by += "底"
		}
		by += "前"
	}
	if by == "" {
		return w, "", note, err
	}
	dw, _, derr := parseWindow(by)
	if derr != nil {
		return w, "", note, err
	}
	dw.Text = s
	return dw, by, "", nil
}

// bareDate is a cell (narrowed, without spaces) that names one month or one day and no range:
// 10月, 10月份, 2023年10月, 10月15日. In a column of deadlines it is the date to finish by.
var bareDate = regexp.MustCompile(`^(\d{4}年)?\d{1,2}月(份|\d{1,2}日)?$`)

// ParseWindow parses a 抽查检查起止时间 cell; an error says why the cell has no single reading.
func ParseWindow(s string) (Window, error) {
	w, _, err := parseWindow(s)
	return w, err
}

var errNoWindow = errors.New("抽查检查起止时间为空")

// parseWindow also returns a repair note when it had to read something (a bare month range).
func parseWindow(s string) (Window, string, error) { return windowIn(s, s, 0) }

// windowIn reads text as the window of the cell cell: the cell is what Window.Text, notes and
// errors quote (a year's window reads the text after the year and quotes the whole cell). year
// is the year written before text (0 for none): a day without a year of its own must exist in
// it (2023年2月29日前 has none).
func windowIn(text, cell string, year int) (Window, string, error) {
	w := Window{Text: cell}
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, narrow(text))
	t = strings.TrimRight(t, "。.;；")
	if t == "" {
		return w, "", errNoWindow
	}
	bad := func(why string) (Window, string, error) {
		if why == "" {
			return w, "", fmt.Errorf("抽查检查起止时间“%s”无法识别", cell)
		}
		return w, "", fmt.Errorf("抽查检查起止时间“%s”%s", cell, why)
	}
	if m := yearWordRE.FindStringSubmatch(t); m != nil {
		// "2020年全年", "2024年上半年", "2023年第三季度", "2023年6-12月" (黄石 2024: a month
		// range whose first month has no 月): a window of the grammar, the year before it.
		// "2020年度" (内) is the whole year; 年度 before a window is 年.
		rest := m[2]
		switch rest {
		case "度", "度内", "内":
			rest = "全年"
		default:
			rest = strings.TrimPrefix(rest, "度") // 2023年度第三季度, 2023年度3月至10月
		}
		y, _ := strconv.Atoi(m[1])
		if yw, note, err := windowIn(rest, cell, y); err == nil && yw.Year == 0 {
			yw.Year = y
			return yw, note, nil
		}
	}
	switch t {
	case "全年", "全年度", "年内", "1—12月", "1-12月", "年底前", "年底前完成", "年内完成", "全年完成", "年度内":
		w.From, w.To = 1, 12
		return w, "", nil
	case "上半年":
		w.From, w.To = 1, 6
		return w, "", nil
	case "下半年":
		w.From, w.To = 7, 12
		return w, "", nil
	}
	if open := strings.LastIndexAny(t, "(（"); open > 0 && (strings.HasSuffix(t, ")") || strings.HasSuffix(t, "）")) {
		// "2024年3月至10月(各地根据实际情况分阶段开展,…)": a note in parentheses after the
		// window.
		if w2, note, err := parseWindow(t[:open]); err == nil {
			w2.Text = cell
			extra := fmt.Sprintf("抽查检查起止时间后括号中的说明“%s”已保留，未用于计算", t[open:])
			if note != "" {
				extra = note + "；" + extra
			}
			return w2, extra, nil
		}
	}
	if strings.Contains(t, "次年") || strings.Contains(t, "翌年") {
		// "10月-次年3月": a window of one plan year cannot run into the next.
		return bad("跨到了次年，本年度的抽查时间须另行确定")
	}
	if w2, ok := parseMonthWindow(t, cell); ok {
		return w2, "", nil
	}
	if m := quarterRE.FindStringSubmatch(t); m != nil {
		q := cnDigit(m[1])
		w.From, w.To = 3*q-2, 3*q
		return w, "", nil
	}
	if m := quarterRangeRE.FindStringSubmatch(t); m != nil {
		if a, b := cnDigit(m[1]), cnDigit(m[2]); a < b {
			w.From, w.To = 3*a-2, 3*b
			return w, "", nil
		}
		return bad("的季度先后颠倒")
	}
	if m := batchRE.FindStringSubmatch(t); m != nil {
		n := cnDigit(m[1])
		rest := t[len(m[0]):]
		var deadlines []string
		var last date
		for _, part := range batchPartRE.FindAllStringSubmatch(rest, -1) {
			d, ok, why := beforeDate(part[2], year)
			if !ok {
				return bad(fmt.Sprintf("中第%s批的期限“%s”%s", part[1], part[2], why))
			}
			if d.y != 0 && last.y != 0 && d.y != last.y {
				return bad("各批次不在同一年")
			}
			if len(deadlines) > 0 && d.key(true) < last.key(true) {
				return bad("各批次的期限先后颠倒")
			}
			last = d
			deadlines = append(deadlines, d.String())
		}
		if len(deadlines) == 0 {
			return bad(fmt.Sprintf("分%d批，但没有写每批的完成期限", n))
		}
		if len(deadlines) != n {
			return bad(fmt.Sprintf("写分%d批，却列了%d个期限", n, len(deadlines)))
		}
		w.From, w.To, w.ToDay, w.Year, w.Deadlines = 1, last.m, last.d, last.y, deadlines
		return w, "", nil
	}
	if d, ok, why := beforeDate(t, year); ok || why != "" {
		if !ok {
			return bad(why)
		}
		w.From, w.To, w.ToDay, w.Year = 1, d.m, d.d, d.y
		return w, "", nil
	}
	if m := bareMonthsRE.FindStringSubmatch(t); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if a >= 1 && b <= 12 && a <= b {
			w.From, w.To = a, b
			return w, fmt.Sprintf("抽查检查起止时间“%s”没有写“月”，按%d月至%d月读", cell, a, b), nil
		}
	}
	if digitRunRE.MatchString(t) {
		return bad("中的日期缺少“年”“月”，读不出唯一的日期")
	}
	d1, rest, ok := parseDate(t)
	if !ok {
		return bad("")
	}
	if rest == "" {
		if d1.d != 0 || d1.dotted {
			return bad("只写了一个日期，不知是开始、截止还是当天")
		}
		w.From, w.To, w.Year = d1.m, d1.m, d1.y
		return w, "", d1.check(cell, year)
	}
	sep := false
	for _, d := range []string{"——", "—", "--", "-", "–", "~", "～", "至", "到"} {
		if strings.HasPrefix(rest, d) {
			rest = rest[len(d):]
			sep = true
			break
		}
	}
	if !sep {
		return bad("")
	}
	d2, tail, ok := parseDate(rest)
	if !ok {
		// "2019年9月至11": the last month lost its 月 (as bareMonthsRE's ranges lost both).
		if n, err := strconv.Atoi(rest); err == nil && len(rest) <= 2 && d1.d == 0 && !d1.dotted && n >= d1.m && n <= 12 && d1.m >= 1 {
			w.From, w.To, w.Year = d1.m, n, d1.y
			return w, fmt.Sprintf("抽查检查起止时间“%s”的结束月份没有写“月”，按%d月至%d月读", cell, d1.m, n), d1.check(cell, year)
		}
		// "3—12月": the first month without 月.
		return bad("")
	}
	if tail != "" {
		return bad("")
	}
	if d2.y == 0 {
		d2.y = d1.y
	}
	if d1.y == 0 {
		// "3月至2024年5月": the year written once, at the end, is the window's (and
		// 2023年3月至2024年5月 runs across two years).
		d1.y = d2.y
	}
	if err := d1.check(cell, year); err != nil {
		return w, "", err
	}
	if err := d2.check(cell, year); err != nil {
		return w, "", err
	}
	if d1.y != 0 && d2.y != d1.y {
		return bad("跨了年份")
	}
	if d2.key(true) < d1.key(false) {
		return bad("的开始晚于结束")
	}
	w.From, w.FromDay, w.To, w.ToDay, w.Year = d1.m, d1.d, d2.m, d2.d, d1.y
	return w, "", nil
}

var (
	quarterRE = regexp.MustCompile(`^第?([一二三四1-4])季度$`)
	// "第二、三季度", "3-4季度", "第三季度至第四季度": the quarters from one to another.
	quarterRangeRE = regexp.MustCompile(`^第?([一二三四1-4])(?:季度)?(?:、|和|至|到|——|—|--|-|–|~|～)第?([一二三四1-4])季度$`)
	batchRE        = regexp.MustCompile(`^分([一二两三四五六七八九十1-9])(?:个)?批次?[;,，、:：]?`)
	batchPartRE    = regexp.MustCompile(`第([一二两三四五六七八九十1-9])批(?:次)?[:：]?([^;,，；]*)`)
	bareMonthsRE   = regexp.MustCompile(`^([0-9]{1,2})(?:——|—|--|-|–|~|～|至|到)([0-9]{1,2})$`)
	digitRunRE     = regexp.MustCompile(`(^|[^0-9])[0-9]{5,8}(日|$|前)`)
	dateRE         = regexp.MustCompile(`^(?:([0-9]{4})年)?([0-9]{1,2})(?:月份|月)(?:([0-9]{1,2})日)?`)
	dottedRE       = regexp.MustCompile(`^([0-9]{4})([./-])([0-9]{1,2})(?:([./-])([0-9]{1,2}))?`)
)

// cnDigit reads one Chinese or ASCII digit 1–10 (一 二 两 … 十); 0 when it is none.
func cnDigit(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}[s]
}

type date struct {
	y, m, d int
	dotted  bool
}

func (d date) String() string {
	y := d.y
	switch {
	case y == 0 && d.d == 0:
		return fmt.Sprintf("%02d", d.m)
	case y == 0:
		return fmt.Sprintf("%02d-%02d", d.m, d.d)
	case d.d == 0:
		return fmt.Sprintf("%04d-%02d", y, d.m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, d.m, d.d)
}

// key orders dates within a year; a date without a day is the month's first day as a start
// and its last as an end.
func (d date) key(end bool) int {
	dd := d.d
	if dd == 0 {
		dd = 1
		if end {
			dd = 31
		}
	}
	return d.m*100 + dd
}

// check: the month exists, and the day in the date's year, else in year (the one written
// before the window), else in a leap year.
func (d date) check(cell string, year int) error {
	if d.m < 1 || d.m > 12 {
		return fmt.Errorf("抽查检查起止时间“%s”的月份应在1到12之间", cell)
	}
	if d.d != 0 {
		y := d.y
		if y == 0 {
			y = year
		}
		if y == 0 {
			y = 2000 // a leap year: 2月29日 is possible when the year is not written
		}
		if d.d < 1 || d.d > time.Date(y, time.Month(d.m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			return fmt.Errorf("抽查检查起止时间“%s”中没有%d月%d日", cell, d.m, d.d)
		}
	}
	return nil
}

// parseMonthWindow is the month grammar of the Changzhi template: "4月—7月", "3—12月",
// "10—12月", "7月", "7月份". ok is false when t is not of this form.
func parseMonthWindow(t, cell string) (Window, bool) {
	w := Window{Text: cell}
	from, rest, ok := leadingMonth(t)
	if !ok {
		return w, false
	}
	rest = strings.TrimPrefix(rest, "份")
	if rest == "月" || rest == "月份" {
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
		if !sep || !ok || (tail != "月" && tail != "月份" && tail != "月底") {
			return w, false
		}
		w.From, w.To = from, to
	}
	if w.From < 1 || w.From > 12 || w.To < 1 || w.To > 12 || w.From > w.To {
		return w, false
	}
	return w, true
}

func leadingMonth(s string) (int, string, bool) {
	i := 0
	for i < len(s) && i < 2 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || (i < len(s) && s[i] >= '0' && s[i] <= '9') {
		return 0, s, false
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:], true
}

// parseDate reads one date at the start of s.
func parseDate(s string) (date, string, bool) {
	if m := dottedRE.FindStringSubmatch(s); m != nil && (m[4] == "" || m[4] == m[2]) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[3])
		d := 0
		if m[5] != "" {
			d, _ = strconv.Atoi(m[5])
		}
		return date{y: y, m: mo, d: d, dotted: true}, s[len(m[0]):], true
	}
	if m := dateRE.FindStringSubmatch(s); m != nil {
		var d date
		if m[1] != "" {
			d.y, _ = strconv.Atoi(m[1])
		}
		d.m, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			d.d, _ = strconv.Atoi(m[3])
		}
		return d, s[len(m[0]):], true
	}
	return date{}, s, false
}

// beforeDate reads "9月底前", "2023年10月15日前完成", "11月10日之前": ok with the date; why
// non-empty when the cell is of this form but has no single reading; both zero when the cell
// is not of this form. year is the one written before s (0 for none), for a date without its
// own.
func beforeDate(s string, year int) (date, bool, string) {
	t := strings.TrimSuffix(s, "完成")
	t = strings.TrimSuffix(t, "前")
	if len(t) == len(s) || t == "" {
		return date{}, false, ""
	}
	t = strings.TrimSuffix(t, "之")
	if digitRunRE.MatchString(t) {
		return date{}, false, "中的日期缺少“年”“月”，读不出唯一的日期"
	}
	for _, suf := range []string{"月底", "月末"} {
		if strings.HasSuffix(t, suf) {
			t = strings.TrimSuffix(t, suf) + "月"
		}
	}
	d, rest, ok := parseDate(t)
	if !ok || rest != "" {
		return date{}, false, "无法识别"
	}
	if err := d.check(s, year); err != nil {
		return date{}, false, "中的日期不存在"
	}
	return d, true, ""
}

// Contains reports whether the window includes the month (1–12).
func (w Window) Contains(month int) bool { return month >= w.From && month <= w.To }

// FirstDay is the first day of the window in the given year (UTC midnight); the window's own
// year when it writes one.
func (w Window) FirstDay(year int) time.Time {
	if w.Year != 0 {
		year = w.Year
	}
	d := w.FromDay
	if d == 0 {
		d = 1
	}
	return time.Date(year, time.Month(w.From), d, 0, 0, 0, 0, time.UTC)
}

// LastDay is the last day of the window in the given year (UTC midnight); the window's own
// year when it writes one.
func (w Window) LastDay(year int) time.Time {
	if w.Year != 0 {
		year = w.Year
	}
	if w.ToDay != 0 {
		return time.Date(year, time.Month(w.To), w.ToDay, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, time.Month(w.To)+1, 0, 0, 0, 0, 0, time.UTC)
}
