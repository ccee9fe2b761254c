package plan

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// The 抽查比例及频次 grammar. A cell is a sequence of items separated by any of
// ; ； , ， 、 and spaces, with an optional trailing 。:
//
//	item     = {prefix} (percent | count | class | times)
//	prefix   = 不低于 | 不小于 | 不少于 | 至少 | 比例 | 抽查比例 | 每年 | 每季度 | 每季 | 每月
//	percent  = number "%" [period]                     20%   10%/年
//	count    = integer ("户" | "家")                    5户
//	class    = ("A"|"B"|"C"|"D") ("类" [":"] | ":") {prefix} number "%"   A类3%  A类：3%  A：3%
//	times    = integer "次" [period]                    1次  1次/月  1次/季  2次/年  1次1年  1次年
//	period   = ["/" | "每"] ["1"] ("年" | "季度" | "季" | "月")
//
// Full-width digits and punctuation are read as their ASCII forms. Percentages are kept
// as canonical decimal strings ("05.50" → "5.5"); no float is ever formed.

// maxTimes bounds the number of draws per period: more is certainly a typo.
const maxTimes = 366

// ParseRatio parses a 抽查比例及频次 cell.
func ParseRatio(s string) (Ratio, error) {
	r, _, err := parseRatio(s)
	return r, err
}

// parseRatio is ParseRatio, and whether the cell writes a frequency (times, or a period other
// than the year a ratio means anyway): without one, Times and Per are the default 1 a year.
func parseRatio(s string) (Ratio, bool, error) {
	r := Ratio{Text: s, Per: PerYear}
	t := strings.TrimSpace(narrow(s))
	t = strings.TrimRight(t, "。. ")
	if t == "" {
		return r, false, errors.New("抽查比例及频次为空")
	}
	sc := &ratioScanner{rs: []rune(t)}
	var (
		timesSeen bool
		pctPer    string // period written after the percentage ("10%/年")
		timesPer  string // period written with the times ("1次/月", "每月1次")
	)
	for {
		sc.skipSeps()
		if sc.eof() {
			break
		}
		start := sc.i
		atLeast := false
		prePer := ""
	prefixes:
		for {
			switch {
			case sc.lit("不低于"), sc.lit("不小于"), sc.lit("不少于"), sc.lit("至少"), sc.lit(">="), sc.lit("≥"):
				atLeast = true
			case sc.lit("抽查比例"), sc.lit("比例"):
			case sc.lit("每年"):
				prePer = PerYear
			case sc.lit("每半年"):
				prePer = PerHalf
			case sc.lit("每季度"), sc.lit("每季"):
				prePer = PerQuarter
			case sc.lit("每月"):
				prePer = PerMonth
			default:
				break prefixes
			}
		}
		if c, n := sc.classMark(); n > 0 {
			sc.i += n
			for sc.lit("不低于") || sc.lit("不小于") || sc.lit("不少于") || sc.lit("至少") {
				atLeast = true
			}
			num, ok := sc.number()
			if !ok || !sc.lit("%") {
				return r, false, fmt.Errorf("“%s”中的%c类比例无法识别", s, c)
			}
			pct, err := checkPercent(num)
			if err != nil {
				return r, false, fmt.Errorf("“%s”中的%c类比例%s", s, c, err)
			}
			if r.PerClass == nil {
				r.PerClass = map[string]string{}
			}
			if _, dup := r.PerClass[string(c)]; dup {
				return r, false, fmt.Errorf("“%s”中%c类比例出现了两次", s, c)
			}
			r.PerClass[string(c)] = pct
			r.AtLeast = r.AtLeast || atLeast
			continue
		}
		num, ok := sc.number()
		if !ok {
			return r, false, fmt.Errorf("“%s”无法识别：看不懂“%s”", s, string(sc.rs[start:]))
		}
		switch {
		case sc.lit("%"):
			if r.Percent != "" {
				return r, false, fmt.Errorf("“%s”中出现了两个抽查比例", s)
			}
			pct, err := checkPercent(num)
			if err != nil {
				return r, false, fmt.Errorf("“%s”中的比例%s", s, err)
			}
			r.Percent = pct
			r.AtLeast = r.AtLeast || atLeast
			if p, ok, err := sc.period(); err != nil {
				return r, false, fmt.Errorf("“%s”: %w", s, err)
			} else if ok {
				pctPer = p
			} else if prePer != PerYear {
				pctPer = prePer // "每季度不低于5%": 5% each quarter
			}
		case sc.lit("户"), sc.lit("家"):
			n, err := smallInt(num, 1_000_000_000)
			if err != nil {
				return r, false, fmt.Errorf("“%s”中的户数%s", s, err)
			}
			if r.MinCount != 0 {
				return r, false, fmt.Errorf("“%s”中出现了两个户数", s)
			}
			r.MinCount = n
			r.AtLeast = r.AtLeast || atLeast
		case sc.lit("次"):
			if timesSeen {
				return r, false, fmt.Errorf("“%s”中出现了两个次数", s)
			}
			n, err := smallInt(num, maxTimes)
			if err != nil {
				return r, false, fmt.Errorf("“%s”中的次数%s", s, err)
			}
			timesSeen = true
			r.Times = n
			timesPer = prePer
			if p, ok, err := sc.period(); err != nil {
				return r, false, fmt.Errorf("“%s”: %w", s, err)
			} else if ok {
				if timesPer != "" && timesPer != p {
					return r, false, fmt.Errorf("“%s”中的频次周期前后矛盾", s)
				}
				timesPer = p
			}
		default:
			return r, false, fmt.Errorf("“%s”无法识别：数字“%s”后面应是“%%”“户”或“次”", s, num)
		}
	}
	if !timesSeen {
		r.Times = 1
	}
	switch {
	case pctPer != "" && timesPer != "" && pctPer != timesPer:
		return r, false, fmt.Errorf("“%s”中的比例周期与频次周期不一致", s)
	case timesPer != "":
		r.Per = timesPer
	case pctPer != "":
		r.Per = pctPer
	}
	r.Unspecified = r.Percent == "" && r.PerClass == nil && r.MinCount == 0
	return r, timesSeen || pctPer != "" || timesPer != "", nil
}

type ratioScanner struct {
	rs []rune
	i  int
}

func (sc *ratioScanner) eof() bool { return sc.i >= len(sc.rs) }

func (sc *ratioScanner) peek() rune { return sc.peekAt(0) }

func (sc *ratioScanner) peekAt(k int) rune {
	if sc.i+k < len(sc.rs) {
		return sc.rs[sc.i+k]
	}
	return 0
}

func (sc *ratioScanner) lit(s string) bool {
	rs := []rune(s)
	if sc.i+len(rs) > len(sc.rs) {
		return false
	}
	for k, r := range rs {
		if sc.rs[sc.i+k] != r {
			return false
		}
	}
	sc.i += len(rs)
	return true
}

func (sc *ratioScanner) skipSeps() {
	for !sc.eof() {
		switch c := sc.peek(); {
		case c == ';' || c == ',' || c == '、' || unicode.IsSpace(c):
			sc.i++
		default:
			return
		}
	}
}

// classMark reads the class letter that starts a class item — A类, A类：, A： (a colon
// without 类 is how some plans write it: Chongqing's 2024 plan has “A:3%;” one class a line)
// — without moving: the class and the item's length, or 0 when none starts here.
func (sc *ratioScanner) classMark() (class rune, n int) {
	c := sc.peek()
	if c < 'A' || c > 'D' {
		return 0, 0
	}
	switch {
	case sc.peekAt(1) == '类' && sc.peekAt(2) == ':':
		return c, 3
	case sc.peekAt(1) == '类', sc.peekAt(1) == ':':
		return c, 2
	}
	return 0, 0
}

// number reads digits with at most one decimal point and returns them as written.
func (sc *ratioScanner) number() (string, bool) {
	start := sc.i
	for !sc.eof() && sc.peek() >= '0' && sc.peek() <= '9' {
		sc.i++
	}
	if sc.i == start {
		return "", false
	}
	if sc.peek() == '.' && sc.peekAt(1) >= '0' && sc.peekAt(1) <= '9' {
		sc.i++
		for !sc.eof() && sc.peek() >= '0' && sc.peek() <= '9' {
			sc.i++
		}
	}
	return string(sc.rs[start:sc.i]), true
}

// period reads an optional frequency period after "次" or "%".
func (sc *ratioScanner) period() (string, bool, error) {
	save := sc.i
	slash := sc.lit("/") || sc.lit("每")
	sc.lit("1")
	switch {
	case sc.lit("半年"):
		return PerHalf, true, nil
	case sc.lit("年"):
		return PerYear, true, nil
	case sc.lit("季度"), sc.lit("季"):
		return PerQuarter, true, nil
	case sc.lit("月"):
		return PerMonth, true, nil
	}
	if slash {
		return "", false, fmt.Errorf("“/”后面应是“年”“半年”“季”或“月”")
	}
	sc.i = save
	return "", false, nil
}

// checkPercent canonicalises a decimal percentage and checks 0 < p ≤ 100, exactly.
func checkPercent(num string) (string, error) {
	c := canonDecimal(num)
	if len(c) > 20 {
		return "", fmt.Errorf("“%s%%”位数过多", num)
	}
	v, ok := new(big.Rat).SetString(c)
	if !ok {
		return "", fmt.Errorf("“%s%%”不是数字", num)
	}
	if v.Sign() <= 0 {
		return "", fmt.Errorf("“%s%%”必须大于0", num)
	}
	if v.Cmp(big.NewRat(100, 1)) > 0 {
		return "", fmt.Errorf("“%s%%”超过了100%%", num)
	}
	return c, nil
}

// canonDecimal drops leading zeros of the integer part and trailing zeros of the fraction.
func canonDecimal(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

func smallInt(num string, max int) (int, error) {
	if strings.Contains(num, ".") {
		return 0, fmt.Errorf("“%s”应是整数", num)
	}
	if len(num) > 10 {
		return 0, fmt.Errorf("“%s”过大", num)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, fmt.Errorf("“%s”不是整数", num)
	}
	if n < 1 {
		return 0, fmt.Errorf("“%s”必须至少为1", num)
	}
	if n > max {
		return 0, fmt.Errorf("“%s”过大（最多%d）", num, max)
	}
	return n, nil
}

// narrow maps full-width ASCII forms (０-９, ％, ；, ，, Ａ …) and the ideographic space
// to their ASCII equivalents, leaving other characters alone.
func narrow(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// periodWords names a period in Chinese.
var periodWords = map[string]string{PerYear: "每年", PerHalf: "每半年", PerQuarter: "每季度", PerMonth: "每月", PerWeek: "每周", PerDay: "每天"}

// Describe says the ratio in Chinese words.
func (r Ratio) Describe() string {
	var parts []string
	floor := ""
	if r.AtLeast {
		floor = "不低于"
	}
	if len(r.PerClass) > 0 {
		parts = append(parts, "按信用风险分类抽查"+floor+"："+classList(r.PerClass))
	}
	if r.Percent != "" {
		parts = append(parts, "抽查比例"+floor+r.Percent+"%（户数向上取整）")
	}
	if r.MinCount > 0 {
		if r.AtLeast {
			parts = append(parts, fmt.Sprintf("抽查不少于%d户", r.MinCount))
		} else {
			parts = append(parts, fmt.Sprintf("抽查%d户", r.MinCount))
		}
	}
	switch {
	case r.Cap != "" && len(r.PerClass) > 0:
		parts = append(parts, "总体比例不高于"+r.Cap+"%")
	case r.Cap != "":
		parts = append(parts, "比例不高于"+r.Cap+"%")
	}
	if r.Range != nil {
		parts = append(parts, fmt.Sprintf("范围%s至%s%s", r.Range.Min, r.Range.Max, r.Range.Unit))
	}
	if len(r.Levels) > 0 {
		parts = append(parts, "分级比例："+strings.Join(r.Levels, " / "))
	}
	if r.Count > 0 {
		parts = append(parts, fmt.Sprintf("计划写明%d户", r.Count))
	}
	if r.Unspecified {
		parts = append(parts, "未规定抽查比例或户数")
	}
	per := periodWords[r.Per]
	if per == "" {
		per = "每年"
	}
	times := r.Times
	if times < 1 {
		times = 1
	}
	parts = append(parts, fmt.Sprintf("%s抽查%d次", per, times))
	return strings.Join(parts, "，")
}

// classList says class ratios in class order: "A类3%、B类5%、C类7%、D类9%".
func classList(pc map[string]string) string {
	classes := make([]string, 0, len(pc))
	for c := range pc {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	cs := make([]string, len(classes))
	for i, c := range classes {
		cs[i] = c + "类" + pc[c] + "%"
	}
	return strings.Join(cs, "、")
}

// RoundsIn is the number of draws in the year for a ratio over a window: the times for a
// yearly period, times × the half-years (1–6, 7–12) or quarters the window touches for a
// half-yearly or quarterly one, times × the months of the window for a monthly one.
func RoundsIn(r Ratio, w Window) int {
	times := r.Times
	if times < 1 {
		times = 1
	}
	switch r.Per {
	case PerHalf:
		return times * ((w.To-1)/6 - (w.From-1)/6 + 1)
	case PerQuarter:
		return times * ((w.To-1)/3 - (w.From-1)/3 + 1)
	case PerMonth:
		return times * (w.To - w.From + 1)
	case PerWeek, PerDay:
		// Whole days of the window in a common year (the window's own year when it has one).
		days := int(w.LastDay(2025).Sub(w.FirstDay(2025)).Hours()/24) + 1
		if days < 1 {
			days = 1
		}
		if r.Per == PerWeek {
			return times * ((days + 6) / 7)
		}
		return times * days
	default:
		if len(w.Deadlines) > times {
			return len(w.Deadlines)
		}
		return times
	}
}
