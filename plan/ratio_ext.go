package plan

import (
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/choucha/choucha/roster"
)

// The wider ratio grammar, tried when a cell is not of the strict template form (ParseRatio).
// The cell is cut into clauses at ; , 。 and line breaks; each clause is one of
//
//	percent = [subject] [cmp] [base "的"] number [("-"|"—"|"~"|"至") number] "%" ["(" N ("户"|"家") ")"] [period]
//	count   = [subject] [cmp] N [("-"|…) N] ("户"|"家") ["(" remark ")"]
//	times   = [抽查|检查] ["="|">="|"≥"] (N | 一 | 两 …) ["次"] [period]      =1  >=1  1  抽查1次  两次  2次/年
//	period  = 每年 | 每季度 | 每月 | 每周 | 每天 (alone: once per period)   /年 /季度 /月 /周 /天
//	class   = ("A"|"B"|"C"|"D") ("类"[":"] | ":") [cmp] number "%" {…}       A类3%  A:3%  A类3%B类5% (the class items of ParseRatio)
//	batches = 分 N 批[次]                                                    N rounds a year
//	base    = 基数:N
//	remark  = a clause without digits (不设上限): kept in Ratio.Note
//	cmp     = 不低于 | 不少于 | 不小于 | 至少 | ≥ | >= | = | ＞ | > | 不高于 | 不超过 | 不大于 | ≤ | <=
//
// One percentage with ≥ or no comparison reads exactly (the subject text is kept). A cap
// (不高于), a range, a strict ＞, two percentages (two levels), 待定 or a clause that is none of
// the above have no single reading: the ratio is kept with what could be read and flagged.

// ratioReading is the result of reading the ratio cells of one row.
type ratioReading struct {
	r       Ratio
	repairs []string
	flag    string // non-empty: why the ratio has no single reading
	freq    bool   // the cell writes a frequency: r.Times and r.Per are not the default
	// open: the cells give no ratio or count to draw by and nothing unreadable or undecided —
	// at most a cap and notes — so class ratios written elsewhere in the row can be the
	// task's (takeRiskClasses).
	open bool
}

// takeRiskClasses makes the class ratios of the credit-risk requirement cell the task's when
// the ratio cells give none of their own (rd.open): a 交通运输 plan writes 抽查比例 "总体比例
// 不超过5%" and 信用风险分类监管要求 "对守信、警示、失信、严重失信企业分别按1%、10%、50%和80%
// 比例抽取". A cap the ratio cells give stays (Ratio.Cap): the draw refuses a total above it
// (risk.Strata). It reports whether it took them.
func (rd *ratioReading) takeRiskClasses(riskCell string) bool {
	if !rd.open {
		return false
	}
	var items [][]string
	for _, c := range ratioClauses(riskCell) {
		if it := classRatios(c); it != nil {
			if items != nil {
				return false // two clauses of class ratios: which one?
			}
			items = it
		}
	}
	if items == nil {
		return false
	}
	per := map[string]string{}
	least := false
	for _, m := range items {
		pct, err := checkPercent(m[3])
		if err != nil {
			return false
		}
		per[m[1]] = pct
		least = least || m[2] != ""
	}
	r := &rd.r
	r.PerClass, r.AtLeast, r.Unspecified = per, least, false
	rd.flag = ""
	msg := "抽查比例取自信用风险分类要求“" + strings.TrimSpace(oneLine(riskCell)) + "”：" + classList(per)
	if r.Cap != "" {
		msg += fmt.Sprintf("；抽查比例及频次规定总体不高于%s%%，抽取时核对抽中总数", r.Cap)
	}
	rd.repairs = append(rd.repairs, msg)
	return true
}

// wanRE is a count written in 万 (ten thousand): 0.39万户, 约1.2万家.
var wanRE = regexp.MustCompile(`(^|[^0-9.])([0-9]+)(?:\.([0-9]{1,4}))?万(户|家|个)`)

// wanCount rewrites the counts in 万 of a clause as whole counts ("0.39万户" → "3900户"),
// exactly (no floats); ok is false when the clause has none. A count in 万 with more than
// four decimals is not a whole count and is left as written (unread).
func wanCount(c string) (string, bool) {
	if !strings.Contains(c, "万") {
		return c, false
	}
	found := false
	out := wanRE.ReplaceAllStringFunc(c, func(m string) string {
		sm := wanRE.FindStringSubmatch(m)
		whole, err := strconv.Atoi(sm[2])
		if err != nil || len(sm[2]) > 5 {
			return m
		}
		frac := 0
		if sm[3] != "" {
			f, _ := strconv.Atoi(sm[3] + strings.Repeat("0", 4-len(sm[3])))
			frac = f
		}
		found = true
		return sm[1] + strconv.Itoa(whole*10_000+frac) + sm[4]
	})
	return out, found
}

var (
	pctRE   = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)(?:%?(?:-|—|–|~|至|到)([0-9]+(?:\.[0-9]+)?))?%`)
	countRE = regexp.MustCompile(`^(.*?)([0-9]+)(?:(?:-|—|–|~|至|到)([0-9]+))?(?:户|家|个)(?:\((.*)\))?$`)
	// timesSpanRE is a frequency given as a span of times a year: "1-2次", "每年1～2次", "2至3次/年".
	timesSpanRE = regexp.MustCompile(`^(?:抽查|检查|频次|抽查频次)?[:]?(?:每年|全年|年度)?([0-9]+|[一二两三四五六七八九十])\s*(?:-|－|—|~|～|至|到)\s*([0-9]+|[一二两三四五六七八九十])\s*次(?:/年|每年)?$`)
	timesRE     = regexp.MustCompile(`^(?:抽查|检查|频次|抽查频次)?[:]?(=|>=|≥|不少于|至少)?([0-9]+|[一二两三四五六七八九十])(次)?(.*)$`)
	batchesRE   = regexp.MustCompile(`^分([一二两三四五六七八九十1-9])批次?$`)
	baseRE      = regexp.MustCompile(`^(?:抽查)?基数[:]?([0-9]+)(?:户|家|个)?$`)
	parenRE     = regexp.MustCompile(`^\((?:抽查数量|抽查户数|抽取数量|数量)?(?:原则上)?(不少于|不低于|至少|最少)?([0-9]+)(?:户|家)\)`)
	// classRE is one class item; a clause is class items when they make it up whole, one
	// after another or apart by 、 (white space is gone by then: "A类3% B类5%" is one clause).
	// A class is a letter with 类, 级 or a colon ("A类3%", "B级5%", "C:7%", "A类企业3%"), or
	// the class's name (classNames: "低风险企业3%", "高风险企业抽查比例为30%").
	classRE = regexp.MustCompile(`(?:([A-D])(?:(?:类|级)(?:企业)?:?|:)|(` + classNames() + `)(?:类)?(?:企业)?)(?:抽查比例|比例)?(?:为)?:?(不低于|不少于|不小于|至少|≥|>=)?([0-9]+(?:\.[0-9]+)?)%`)
)

// classNames is the alternation of the credit classes' names that stand alone in running
// text (roster.ClassWords, the one vocabulary, and roster.StandaloneClassWord: 低风险, 一般风险,
// 较高风险, 高风险, 中风险 …, 守信, 失信 …), longest first so that 较高风险 is not read as 高风险
// nor 严重失信 as 失信.
func classNames() string {
	var names []string
	for w := range roster.ClassWords {
		if roster.StandaloneClassWord(w) {
			names = append(names, regexp.QuoteMeta(w))
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return strings.Join(names, "|")
}

// onceWords follow a period word (每季度…) to say once in it; "各" before them (每季度各抽查1次)
// is taken off first.
// A bare 抽查 / 检查 / 抽取 is once too: "每季度抽查" is a round each quarter.
var onceWords = map[string]bool{"": true, "一次": true, "1次": true, "抽查": true, "抽查1次": true, "抽查一次": true,
	"检查": true, "检查1次": true, "检查一次": true, "抽取": true, "抽取1次": true, "抽取一次": true}

var atLeastCmp = []string{"不低于", "不少于", "不小于", "至少", "≥", ">=", "＞=", "=", ">", "＞"}
var capCmp = []string{"不高于", "不超过", "不大于", "≤", "<="}

var periodWordsIn = []struct{ word, per string }{
	{"/年", PerYear}, {"每年", PerYear}, {"/半年", PerHalf}, {"每半年", PerHalf}, {"/季度", PerQuarter}, {"/季", PerQuarter}, {"每个季度", PerQuarter}, {"每季度", PerQuarter}, {"每季", PerQuarter},
	{"按季度", PerQuarter}, {"按季", PerQuarter},
	{"/月", PerMonth}, {"每个月", PerMonth}, {"每月", PerMonth}, {"按月", PerMonth}, {"/周", PerWeek}, {"每周", PerWeek}, {"/天", PerDay}, {"/日", PerDay}, {"每天", PerDay}, {"每日", PerDay},
}

func periodWord(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	for _, p := range periodWordsIn {
		if s == p.word || s == "/1"+strings.TrimPrefix(p.word, "/") {
			return p.per, true
		}
	}
	return "", false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// subjectOK: the text before a ratio is a subject when it is words, not stray symbols.
func subjectOK(s string) bool {
	if s == "" {
		return true
	}
	if !hasHan(s) {
		return false
	}
	for _, r := range s {
		if !(unicode.Is(unicode.Han, r) || strings.ContainsRune("()（）“”\"《》/、:-", r)) {
			return false
		}
	}
	return true
}

// clauseMarks narrows the full-width parentheses and colon of a ratio cell (built once: a
// Replacer built per cell cost a third of the parse of a 90,000-row plan).
var clauseMarks = strings.NewReplacer("（", "(", "）", ")", "：", ":")

// levelSpace is white space after a percentage and before the words of another level with a
// figure of its own ("市级2% 区级10%"): it parts two clauses as a comma does. Words without a
// figure stay with the percentage ("5% 以上", "按5% 的比例抽取").
var levelSpace = regexp.MustCompile(`%\s+(\p{Han}+[0-9])`)

func ratioClauses(s string) []string {
	t := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ';'
		}
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, levelSpace.ReplaceAllString(narrow(s), "%;$1"))
	t = clauseMarks.Replace(t)
	// Cut at ; , 。 outside parentheses: "1户(实际以牵头单位抽查数为准。)" is one clause.
	// 且 joins two clauses as a comma does ("不低于3%且不少于5户").
	t = strings.ReplaceAll(t, "并且", "且")
	depth := 0
	return strings.FieldsFunc(t, func(r rune) bool {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		}
		return depth == 0 && (r == ';' || r == ',' || r == '。' || r == '且')
	})
}

// wholeWords are clauses that mean every firm: 100%.
var wholeWords = map[string]bool{"全覆盖": true, "全覆盖检查": true, "全面覆盖": true, "全部抽查": true, "全部检查": true}

// pctTails may follow a percentage without changing it ("按5%比例抽取", "100%全覆盖").
var pctTails = []string{"的比例抽取", "的比例抽查", "比例抽取", "比例抽查", "的比例", "比例", "进行抽查", "抽取", "抽查", "全覆盖"}

// periodTimes reads a frequency written after its period: "每年抽查至少1次", "每季度各抽查2次",
// and with the year as 全年 or 年度 ("年度抽查1次", "全年抽查2次": a 交通运输 plan of 2024).
// least is true for 至少 / 不少于 (read as that many). ok is false for anything else.
func periodTimes(c string) (n int, per string, least, ok bool) {
	best := ""
	for _, p := range periodWordsIn {
		if leadingPeriod(p.word) && strings.HasPrefix(c, p.word) && len(p.word) > len(best) {
			best, per = p.word, p.per
		}
	}
	for _, y := range []string{"全年", "年度"} {
		if strings.HasPrefix(c, y) {
			best, per = y, PerYear
		}
	}
	if best == "" {
		return 0, "", false, false
	}
	m := timesRE.FindStringSubmatch(strings.TrimPrefix(strings.TrimPrefix(c, best), "各"))
	if m == nil || m[3] != "次" || m[4] != "" {
		return 0, "", false, false
	}
	n = cnDigit(m[2])
	if n < 1 || n > maxTimes {
		return 0, "", false, false
	}
	return n, per, m[1] == ">=" || m[1] == "≥" || m[1] == "不少于" || m[1] == "至少", true
}

// leadingPeriod: a period word that stands before what it times (每季度…, 按月…), not after it
// (…/季度).
func leadingPeriod(word string) bool {
	return strings.HasPrefix(word, "每") || strings.HasPrefix(word, "按")
}

// subjectPeriod takes a period word off the front of a percentage's subject ("每季度抽查5%":
// 5% each quarter): the period, and the subject without it (without a bare 抽查 / 抽取 / 按
// left over). per is "" when the subject starts with none.
func subjectPeriod(subject string) (per, rest string) {
	for _, p := range periodWordsIn {
		if leadingPeriod(p.word) && strings.HasPrefix(subject, p.word) && len(p.word) > len(per) {
			per, rest = p.per, strings.TrimPrefix(subject, p.word)
		}
	}
	if per == "" {
		rest = subject
	}
	switch rest {
	case "抽查", "抽取", "按", "按照":
		rest = ""
	}
	return per, rest
}

type pctClause struct {
	text, subject, cmp, base, num, num2 string
	count, minCount                     int
}

// readRatio reads the ratio cell with the row's separate 频次 and 数量 cells ("" when the
// table has no such column).
func readRatio(ratioCell, freqCell, countCell string) ratioReading {
	var rd ratioReading
	r := Ratio{Text: ratioCell, Per: PerYear, Times: 1}
	if strings.TrimSpace(freqCell) == "" && strings.TrimSpace(countCell) == "" {
		if strict, freq, err := parseRatio(ratioCell); err == nil {
			if strict.Unspecified {
				rd.flag = fmt.Sprintf("抽查比例及频次“%s”没有规定比例或户数", ratioCell)
				rd.open = true
			}
			rd.r, rd.freq = strict, freq
			return rd
		}
	}
	if strings.TrimSpace(ratioCell) == "" && strings.TrimSpace(countCell) == "" {
		r.Unspecified = true
		rd.flag = "没有抽查比例"
	}
	var (
		pcts      []pctClause
		notes     []string
		bad       []string
		spans     [][3]string // frequencies given as a span ("1-2次"): the clause, its two ends
		timesSeen bool
		countSeen bool
		undecided bool
	)
	addTimes := func(n int, per string) bool {
		if timesSeen {
			// The same frequency again (each level's "每月抽查比例不得低于…"): one frequency;
			// another one: no single reading.
			return n == r.Times && per == r.Per
		}
		timesSeen = true
		r.Times, r.Per = n, per
		return true
	}
	clause := func(c string, fromCount bool) {
		switch {
		case c == "":
			return
		case strings.Contains(c, "待定") || strings.Contains(c, "另定") || strings.Contains(c, "自行确定"):
			undecided = true
			notes = append(notes, c)
			return
		}
		if strings.HasPrefix(c, "不足") {
			// "不足1户的按1户抽取", "不足5家的全部抽查": what a small frame gets, which the
			// draw's rounding up and minimum already do.
			notes = append(notes, c)
			return
		}
		if m := baseRE.FindStringSubmatch(c); m != nil || strings.Contains(c, "基数") {
			// The base (抽查基数, "全市抽查基数约40065户(动态更新)") is what the roster is: its
			// figure is neither a count nor a minimum.
			notes = append(notes, c)
			return
		}
		if w, ok := wanCount(c); ok {
			// "0.39万户" (抽查目标数 of an Anhui plan): a count in 万, read as 3900户.
			rd.repairs = append(rd.repairs, fmt.Sprintf("“%s”按“%s”读", c, w))
			c = w
		}
		if m := batchesRE.FindStringSubmatch(c); m != nil {
			if !addTimes(cnDigit(m[1]), PerYear) {
				bad = append(bad, c)
			}
			return
		}
		for _, p := range periodWordsIn {
			if rest, ok := strings.CutPrefix(c, p.word); ok && leadingPeriod(p.word) && onceWords[strings.TrimPrefix(rest, "各")] {
				if !addTimes(1, p.per) {
					bad = append(bad, c)
				}
				return
			}
		}
		if n, per, least, ok := periodTimes(c); ok {
			if !addTimes(n, per) {
				bad = append(bad, c)
			} else if least {
				rd.repairs = append(rd.repairs, fmt.Sprintf("抽查频次“%s”是至少%d次，按%d次读", c, n, n))
			}
			return
		}
		if items := classRatios(c); items != nil && !fromCount {
			for _, m := range items {
				pct, err := checkPercent(m[3])
				_, dup := r.PerClass[m[1]]
				if err != nil || dup {
					bad = append(bad, c)
					return
				}
				if r.PerClass == nil {
					r.PerClass = map[string]string{}
				}
				r.PerClass[m[1]] = pct
				r.AtLeast = r.AtLeast || m[2] != ""
			}
			return
		}
		if wholeWords[c] {
			c = "100%"
		} else if s, ok := strings.CutSuffix(c, "全覆盖"); ok && !hasDigit(c) {
			c = s + "100%" // "重点企业全覆盖": 100% of them, a level of its own
		}
		if loc := pctRE.FindStringSubmatchIndex(c); loc != nil && !fromCount {
			pc := pctClause{text: c, num: c[loc[2]:loc[3]]}
			if loc[4] >= 0 {
				pc.num2 = c[loc[4]:loc[5]]
			}
			before, after := c[:loc[0]], c[loc[1]:]
			if strings.HasSuffix(before, "的") {
				best, bestAt := "", -1
				for _, w := range append(append([]string{}, atLeastCmp...), capCmp...) {
					if k := strings.LastIndex(before, w); k > bestAt || (k == bestAt && k >= 0 && len(w) > len(best)) {
						best, bestAt = w, k
					}
				}
				if bestAt >= 0 {
					pc.base = strings.TrimSuffix(before[bestAt+len(best):], "的")
					before = before[:bestAt+len(best)]
				}
			}
			for _, w := range append(append([]string{}, capCmp...), atLeastCmp...) {
				if strings.HasSuffix(before, w) && len(w) > len(pc.cmp) {
					pc.cmp = w
				}
			}
			pc.subject = strings.TrimSuffix(strings.TrimSuffix(before, pc.cmp), ":")
			if strings.HasSuffix(pc.subject, "比例为") {
				// "项目抽查比例为5%", "抽查比例为不低于5%": 为 joins, as ":" does (a subject
				// ending in 行为 keeps it).
				pc.subject = strings.TrimSuffix(pc.subject, "为")
			}
			lead, subject := subjectPeriod(pc.subject)
			pc.subject = subject
			if m := parenRE.FindStringSubmatch(after); m != nil {
				n, _ := strconv.Atoi(m[2])
				if m[1] != "" {
					pc.minCount = n
				} else {
					pc.count = n
				}
				after = after[len(m[0]):]
			}
			for _, w := range []string{"及以上", "或以上", "以上"} {
				// "5%以上": at least 5% (以上 includes the number itself).
				if rest, ok := strings.CutPrefix(after, w); ok && pc.cmp == "" {
					pc.cmp, after = "不低于", rest
					break
				}
			}
			for _, tail := range pctTails {
				if strings.HasSuffix(after, tail) {
					after = strings.TrimSuffix(after, tail)
					break
				}
			}
			if lead != "" && lead != PerYear {
				// 每年 is what a ratio means anyway; another period is the frequency.
				if after != "" || !addTimes(1, lead) {
					bad = append(bad, c)
					return
				}
			}
			per, ok := periodWord(after)
			if !ok || !subjectOK(pc.subject) || hasDigit(pc.subject) {
				bad = append(bad, c)
				return
			}
			if after != "" && !addTimes(1, per) {
				bad = append(bad, c)
				return
			}
			pcts = append(pcts, pc)
			return
		}
		if m := countRE.FindStringSubmatch(c); m != nil && subjectOK(stripCmp(m[1])) {
			n, err := smallInt(m[2], 1_000_000_000)
			if err != nil || countSeen {
				bad = append(bad, c)
				return
			}
			countSeen = true
			cmp := cmpOf(m[1])
			switch {
			case m[3] != "":
				n2, err := smallInt(m[3], 1_000_000_000)
				if err != nil || n2 < n {
					bad = append(bad, c)
					return
				}
				r.Range = &Range{Min: strconv.Itoa(n), Max: strconv.Itoa(n2), Unit: "户"}
			case containsStr(capCmp, cmp):
				r.Range = &Range{Min: "1", Max: strconv.Itoa(n), Unit: "户"}
			case cmp != "" && cmp != "=":
				r.MinCount, r.AtLeast = n, true
			case fromCount:
				r.Count = n
			default:
				r.MinCount = n
			}
			if m[4] != "" {
				notes = append(notes, m[4])
			}
			return
		}
		if fromCount {
			if n, err := smallInt(c, 1_000_000_000); err == nil && c == strconv.Itoa(n) {
				if countSeen {
					bad = append(bad, c)
					return
				}
				countSeen = true
				r.Count = n
				return
			}
		}
		if m := timesSpanRE.FindStringSubmatch(c); m != nil {
			// "1-2次": the plan leaves the number of rounds to the office within the span; a
			// draw needs one of them (--ratio with its frequency).
			if lo, hi := cnDigit(m[1]), cnDigit(m[2]); lo > 0 && hi > lo && hi <= maxTimes {
				spans = append(spans, [3]string{c, strconv.Itoa(lo), strconv.Itoa(hi)})
				return
			}
		}
		if m := timesRE.FindStringSubmatch(c); m != nil {
			n := cnDigit(m[2])
			if n == 0 || n > maxTimes || (m[3] == "" && m[4] != "" && !strings.HasPrefix(m[4], "/")) {
				bad = append(bad, c)
				return
			}
			per, ok := periodWord(m[4])
			if !ok {
				bad = append(bad, c)
				return
			}
			if per == "" {
				per = PerYear
			}
			if !addTimes(n, per) {
				bad = append(bad, c)
				return
			}
			if m[1] == ">=" || m[1] == "≥" || m[1] == "不少于" || m[1] == "至少" {
				rd.repairs = append(rd.repairs, fmt.Sprintf("抽查频次“%s”是至少%d次，按%d次读", c, n, n))
			}
			return
		}
		if !hasDigit(c) || (!hasDigit(yearRE.ReplaceAllString(c, "")) && !strings.ContainsAny(c, "%户家次")) {
			// Words only, or words and a year (yearRE: "以2020年以来…审批的建设项目为重点"):
			// a note; a year's digits are not a ratio, count or frequency.
			notes = append(notes, c)
			return
		}
		bad = append(bad, c)
	}
	for _, c := range ratioClauses(ratioCell) {
		clause(c, false)
	}
	for _, c := range ratioClauses(freqCell) {
		clause(c, false)
	}
	for _, c := range ratioClauses(countCell) {
		clause(c, true)
	}
	r.Note = strings.Join(notes, "；")
	var flags []string
	switch len(pcts) {
	case 0:
	case 1:
		pc := pcts[0]
		r.Subject, r.Base, r.Count, r.MinCount = pc.subject, pc.base, max(r.Count, pc.count), max(r.MinCount, pc.minCount)
		lo, err := checkPercent(pc.num)
		if err != nil {
			flags = append(flags, "比例"+err.Error())
			break
		}
		switch {
		case pc.num2 != "":
			hi, err := checkPercent(pc.num2)
			if err != nil || ratCmp(lo, hi) > 0 {
				flags = append(flags, fmt.Sprintf("比例范围“%s”无效", pc.text))
				break
			}
			r.Range = &Range{Min: lo, Max: hi, Unit: "%"}
		case containsStr(capCmp, pc.cmp):
			r.Cap = lo
		case pc.cmp == ">" || pc.cmp == "＞":
			r.Range = &Range{Min: lo, Max: "100", Unit: "%"}
			flags = append(flags, fmt.Sprintf("比例应高于%s%%，没有唯一的读法", lo))
		default:
			r.Percent = lo
			r.AtLeast = r.AtLeast || (pc.cmp != "" && pc.cmp != "=")
		}
	default:
		for _, pc := range pcts {
			r.Levels = append(r.Levels, pc.text)
		}
		flags = append(flags, fmt.Sprintf("一个单元格里有%d个比例（%s），不知按哪一个抽取", len(pcts), strings.Join(r.Levels, " / ")))
	}
	switch {
	case r.Cap != "" && r.PerClass != nil && r.Percent == "" && r.Range == nil:
		// "A类3%，B类5%，C类7%，D类9%，总体比例不高于6%": the class ratios are what is drawn, the
		// cap bounds their total, as when the classes come from the credit-risk cell
		// (takeRiskClasses; risk.Strata refuses a total above it).
		rd.repairs = append(rd.repairs, fmt.Sprintf("抽查比例及频次规定总体不高于%s%%，按各类比例抽取，抽取时核对抽中总数", r.Cap))
	case r.Cap != "":
		flags = append(flags, fmt.Sprintf("只规定了比例上限（不高于%s%%），--ratio 不得超过%s", r.Cap, r.Cap))
	}
	if r.Range != nil && len(flags) == 0 {
		unit := "%"
		if r.Range.Unit == "户" {
			unit = "户"
		}
		flags = append(flags, fmt.Sprintf("规定的是范围%s%s至%s%s，须指定其中的一个值", r.Range.Min, unit, r.Range.Max, unit))
	}
	for _, sp := range spans {
		pct := r.Percent + r.Cap
		if pct == "" {
			pct = "P"
		}
		flags = append(flags, fmt.Sprintf("频次“%s”是每年%s至%s次，须选定其中一个：抽取时用 --ratio 给出比例和次数，如 --ratio %s%%，每年%s次", sp[0], sp[1], sp[2], pct, sp[2]))
	}
	if len(bad) > 0 {
		flags = append(flags, fmt.Sprintf("看不懂“%s”", strings.Join(bad, "”“")))
	}
	if undecided && r.Percent == "" && r.MinCount == 0 {
		flags = append(flags, "比例待定或由部门自行确定")
	}
	if r.Percent == "" && r.PerClass == nil && r.MinCount == 0 && r.Count > 0 && r.Range == nil && len(pcts) == 0 &&
		len(flags) == 0 && rd.flag == "" && !undecided && strings.TrimSpace(ratioCell) == "" {
		// 抽查数量 "5户" and no ratio anywhere (连州 2023): the plan's figure is all there is to
		// draw by, as "1户" in a ratio cell is.
		r.MinCount = r.Count
		rd.repairs = append(rd.repairs, fmt.Sprintf("没有抽查比例，只规定了抽查数量%d户：按抽取%d户读", r.Count, r.Count))
	}
	if r.Percent == "" && r.PerClass == nil && r.MinCount == 0 && len(flags) == 0 && rd.flag == "" {
		flags = append(flags, "没有规定比例或户数")
	}
	if r.Base != "" {
		rd.repairs = append(rd.repairs, fmt.Sprintf("抽查比例是“%s”的%s%%，抽取时以名录中的对象为基数", r.Base, r.Percent+r.Cap))
	}
	if r.Note != "" {
		rd.repairs = append(rd.repairs, fmt.Sprintf("抽查比例中的说明“%s”已保留，未用于计算", r.Note))
	}
	rd.open = r.Percent == "" && r.PerClass == nil && r.MinCount == 0 && r.Count == 0 && r.Range == nil &&
		len(pcts) <= 1 && len(bad) == 0 && !undecided && r.Base == ""
	if len(flags) > 0 {
		if rd.flag != "" {
			flags = append([]string{rd.flag}, flags...)
		}
		rd.flag = strings.Join(flags, "；")
	}
	if rd.flag != "" {
		// No single reading: nothing to draw by until --ratio is given.
		r.Percent, r.AtLeast, r.PerClass = "", false, nil
		if r.MinCount != 0 && r.Range == nil {
			r.MinCount = 0
		}
		r.Unspecified = true
	} else {
		r.Unspecified = r.Percent == "" && r.PerClass == nil && r.MinCount == 0
	}
	rd.r, rd.freq = r, timesSeen
	return rd
}

// isFrequency reports whether a cell is a frequency and nothing else ("每季度各抽查1次",
// "2次/年"), as the frequency grammar of readRatio reads it.
func isFrequency(cell string) bool {
	if strings.TrimSpace(cell) == "" {
		return false
	}
	rr := readRatio("1%", cell, "")
	return rr.flag == "" && rr.r.Note == "" && rr.r.Percent == "1"
}

// classRatios returns the class items of a clause that is class ratios: classItems ("A类3%、
// B类5%"), or respectiveItems ("对A、B、C、D类企业分别按3%、5%、7%、9%比例抽取").
func classRatios(c string) [][]string {
	if items := classItems(c); items != nil {
		return items
	}
	return respectiveItems(c)
}

var (
	// respectiveClassRE is one class of a respective list: a letter, with 类 or 级 or bare
	// ("A、B、C、D类": the last 类 is the list's), or a class name (classNames).
	respectiveClassRE = regexp.MustCompile(`^(?:([A-D])(?:类|级)?|(` + classNames() + `)(?:类)?)$`)
	respectivePctRE   = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)%$`)
	// respectiveSep parts the items of either list: 、 and the words that join the last one.
	respectiveSep = regexp.MustCompile(`、|和|及|与`)
)

// respectiveItems reads class ratios written as two lists joined by 分别 ("respectively"): the
// classes, then as many percentages, matched in order — "对守信、警示、失信、严重失信企业分别按1%、
// 10%、50%和80%比例抽取", "A、B、C、D类分别为3%、5%、7%、9%", "对低风险、一般风险企业分别抽查
// 不低于3%、5%". nil unless the clause is that whole: at least two classes, each once, and
// exactly one percentage for each. The items are classItems' ([text, class, cmp, percent]).
func respectiveItems(c string) [][]string {
	left, right, ok := strings.Cut(c, "分别")
	if !ok {
		return nil
	}
	left = strings.TrimPrefix(left, "对")
	for _, w := range []string{"的企业", "企业", "的经营主体", "经营主体", "的市场主体", "市场主体", "的对象", "对象"} {
		if s, ok := strings.CutSuffix(left, w); ok {
			left = s
			break
		}
	}
	names := respectiveSep.Split(left, -1)
	for _, w := range []string{"按照", "按", "为", "抽查", "抽取", "以"} {
		if s, ok := strings.CutPrefix(right, w); ok {
			right = s
			break
		}
	}
	cmp := ""
	for _, w := range atLeastCmp {
		if s, ok := strings.CutPrefix(right, w); ok && w != "=" && w != ">" && w != "＞" {
			right, cmp = s, w
			break
		}
	}
	end := strings.LastIndex(right, "%")
	if end < 0 {
		return nil
	}
	switch strings.TrimPrefix(right[end+1:], "的") {
	case "", "比例", "比例抽取", "比例抽查", "比例进行抽查", "抽取", "抽查", "进行抽查", "的比例":
	default:
		return nil
	}
	pcts := respectiveSep.Split(right[:end+1], -1)
	if len(names) < 2 || len(names) != len(pcts) {
		return nil
	}
	items := make([][]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		m := respectiveClassRE.FindStringSubmatch(n)
		p := respectivePctRE.FindStringSubmatch(pcts[i])
		if m == nil || p == nil {
			return nil
		}
		class := m[1]
		if class == "" {
			class = roster.ClassWords[m[2]]
		}
		if seen[class] {
			return nil
		}
		seen[class] = true
		items[i] = []string{n + pcts[i], class, cmp, p[1]}
	}
	return items
}

// classItems returns the class items (classRE's submatches) that make up the clause c whole,
// or nil.
func classItems(c string) [][]string {
	locs := classRE.FindAllStringSubmatchIndex(c, -1)
	at := 0
	for i, l := range locs {
		if i > 0 && strings.HasPrefix(c[at:], "、") {
			at += len("、")
		}
		if l[0] != at {
			return nil
		}
		at = l[1]
	}
	if len(locs) == 0 || at != len(c) {
		return nil
	}
	items := make([][]string, len(locs))
	for i, l := range locs {
		class := ""
		if l[2] >= 0 {
			class = c[l[2]:l[3]]
		} else {
			class = roster.ClassWords[c[l[4]:l[5]]]
		}
		items[i] = []string{c[l[0]:l[1]], class, "", c[l[8]:l[9]]}
		if l[6] >= 0 {
			items[i][2] = c[l[6]:l[7]]
		}
	}
	return items
}

func stripCmp(s string) string {
	for _, w := range append(append([]string{}, capCmp...), atLeastCmp...) {
		s = strings.TrimSuffix(s, w)
	}
	return s
}

func cmpOf(s string) string {
	best := ""
	for _, w := range append(append([]string{}, capCmp...), atLeastCmp...) {
		if strings.HasSuffix(s, w) && len(w) > len(best) {
			best = w
		}
	}
	return best
}

func containsStr(list []string, s string) bool {
	for _, w := range list {
		if w == s {
			return true
		}
	}
	return false
}

// ratCmp compares two canonical decimal strings exactly.
func ratCmp(a, b string) int {
	x, _ := new(big.Rat).SetString(a)
	y, _ := new(big.Rat).SetString(b)
	if x == nil || y == nil {
		return 0
	}
	return x.Cmp(y)
}
