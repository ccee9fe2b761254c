package plan

import (
	"fmt"
	"slices"
	"strings"
)

// Override says what a draw of a task must be given explicitly: a flagged ratio needs
// --ratio, a flagged window (or one in another year than the plan) needs --window. Why holds
// the flags' messages.
type Override struct {
	Ratio  bool
	Window bool
	Why    []string
}

// NeedsOverride is the rule for drawing a task: which explicit values it needs.
func (t *Task) NeedsOverride() Override {
	var o Override
	if t.Ratio.Unspecified {
		o.Ratio = true
	}
	for _, f := range t.Flags {
		switch f.Kind {
		case FlagRatio:
			o.Ratio = true
			o.Why = append(o.Why, f.String())
		case FlagWindow, FlagOtherYear:
			o.Window = true
			o.Why = append(o.Why, f.String())
		}
	}
	if h := t.LevelHint(); h != "" && o.Ratio {
		o.Why = append(o.Why, h)
	}
	return o
}

// InYear is the task as a draw that counts in year sees it (the plan's year, or the draw's own
// when the plan has none: Plan.Year): a window in another year (2023年6-12月) is flagged as the
// reader flags it in a plan of that year (FlagOtherYear), so that the draw asks for --window.
// The task itself is returned when nothing changes.
func (t *Task) InYear(year int) *Task {
	if t.Window.Year == 0 || t.Window.Year == year || year == 0 {
		return t
	}
	for _, f := range t.Flags {
		if f.Kind == FlagOtherYear || f.Kind == FlagWindow {
			return t
		}
	}
	c := *t
	c.Flags = append(slices.Clip(t.Flags), otherYearFlag(t.Window,
		fmt.Sprintf("抽查时间在%d年，本次抽取计入%d年度（计划标题没有年份，各任务的抽查时间也不在同一年）：抽取时须用 --window 指定本年度的抽查时间", t.Window.Year, year)))
	return &c
}

// otherYearFlag is the flag of a window in another year than the draw's, saying why.
func otherYearFlag(w Window, why string) Flag {
	return Flag{Kind: FlagOtherYear, Cell: columnWords[colWindow], Text: w.Text, Message: why}
}

// WindowOpen reports whether the task's window has no single reading (no time column, an
// unreadable cell, another year): the draw asks for --window, and until then the task is in
// no month — a month filter does not list it and the calendar puts it apart (Calendar.Undated)
// instead of in all twelve months of its placeholder window.
func (t *Task) WindowOpen() bool { return t.NeedsOverride().Window }

// LevelHint is what a task given by level (重点监管对象:每季度最低抽查12.5%; …) tells the
// operator when a level's words carry a period the reader does not take: which --ratio draws
// it. "" for any other task.
func (t *Task) LevelHint() string {
	if eg := levelRatioExample(t.Ratio.Levels); eg != "" {
		return "分级比例中写有频次，计划按每年1次读取：抽取时请写明所抽一级的比例和频次，如 --ratio " + eg
	}
	return ""
}

// WindowExample is the --window a message suggests for a task whose window needs one: the
// months of a window in another year, in this one; otherwise 3月—11月.
func (t *Task) WindowExample() string {
	if w := t.Window; w.Year != 0 && w.From >= 1 && w.From <= w.To && w.To <= 12 {
		return fmt.Sprintf("%d月—%d月", w.From, w.To)
	}
	return "3月—11月"
}

// RatioExample is the --ratio a message suggests for a task whose plan gives no single
// percentage: for a task given by level, the first level's own percentage (with its period,
// levelRatioExample), so that the example is one the plan wrote; otherwise 5.
func (t *Task) RatioExample() string {
	if eg := levelRatioExample(t.Ratio.Levels); eg != "" {
		return eg
	}
	for _, l := range t.Ratio.Levels {
		if m := pctRE.FindStringSubmatch(narrow(l)); m != nil && m[2] == "" {
			return m[1]
		}
	}
	return "5"
}

// levelRatioExample is the --ratio that draws the first level with a period other than the
// year in its text ("重点监管对象:每季度最低抽查12.5%" → "每季度12.5%"), or "" when no level has
// one (a yearly level is what the plan's reading already gives).
func levelRatioExample(levels []string) string {
	for _, l := range levels {
		n := narrow(l)
		m := pctRE.FindStringSubmatch(n)
		if m == nil || m[2] != "" {
			continue
		}
		head := n[:strings.Index(n, m[0])]
		best := ""
		for _, p := range periodWordsIn {
			if p.per != PerYear && leadingPeriod(p.word) && strings.Contains(head, p.word) && len(p.word) > len(best) {
				best = p.word
			}
		}
		if best != "" {
			return best + m[1] + "%"
		}
	}
	return ""
}

// RatioGiven is a --ratio as read (ParseRatioGiven): the percentage, and the frequency when
// the text writes one.
type RatioGiven struct {
	Percent string // canonical decimal, 0 < Percent ≤ 100
	// Times and Per are the frequency written with it ("每季度12.5%" → 1, PerQuarter; "5%，2次"
	// → 2, PerYear); Times is 0 when none is written: the task's frequency stands.
	Times int
	Per   string
}

// ParseRatioGiven reads a --ratio: a bare percentage (5, 4.5, 12.5%), or a percentage with its
// frequency written as a plan's 抽查比例及频次 cell writes it ("每季度12.5%", "12.5%/季度",
// "5%，1次/月", "不低于5%，每半年1次"). It is for a task whose plan gives no single percentage —
// a level of a 分级 cell (重点监管对象:每季度最低抽查12.5%), a range, a cap — and the
// operator's reading of the plan goes on record with the draw. Anything but one percentage
// (class ratios, counts, ranges, caps, a frequency word left in the text) is refused: the
// operator then says exactly which reading is drawn.
func ParseRatioGiven(s string) (RatioGiven, error) {
	s = strings.TrimSpace(s)
	bare := strings.TrimSuffix(narrow(s), "%")
	bad := func(why string) (RatioGiven, error) {
		return RatioGiven{}, fmt.Errorf("--ratio %q 无效：%s。应为大于 0、不超过 100 的百分数（如 5 或 4.5），"+
			"任务按季度、按月等多轮抽取时可写上频次（如 每季度12.5%% 或 12.5%%，1次/月）", s, why)
	}
	if plainDecimal(bare) {
		// A number is read; one out of range says so ("0%"必须大于0), not 看不懂.
		p, err := checkPercent(canonDecimal(bare))
		if err != nil {
			return bad(err.Error())
		}
		return RatioGiven{Percent: p}, nil
	}
	rd := readRatio(s, "", "")
	r := rd.r
	switch {
	case rd.flag != "":
		return bad(strings.TrimPrefix(rd.flag, "抽查比例及频次"))
	case r.PerClass != nil:
		return bad("分类比例只能写在计划中")
	case r.MinCount > 0 || r.Count > 0:
		return bad("户数只能写在计划中")
	case r.Percent == "" || r.Base != "" || r.Note != "":
		return bad("看不懂其中的比例")
	case hasPeriodWord(r.Subject):
		// "重点监管对象:每季度最低抽查12.5%": the period sits inside the text before the
		// percentage, where it is not read; guessing it would be guessing the rounds.
		return bad("比例前的“" + r.Subject + "”中有频次，请把频次直接写在比例前后，如 每季度12.5%")
	}
	g := RatioGiven{Percent: r.Percent}
	if rd.freq {
		g.Times, g.Per = r.Times, r.Per
	}
	return g, nil
}

// plainDecimal reports whether s is digits with at most one decimal point inside them.
func plainDecimal(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return s != ""
}

// hasPeriodWord reports whether s holds a word of a period (每季度, 每个月, /年 …).
func hasPeriodWord(s string) bool {
	for _, p := range periodWordsIn {
		if strings.Contains(s, p.word) {
			return true
		}
	}
	return false
}

// ApplyRatio checks --ratio against the task (ParseRatioGiven; the plan's cap 不高于 or range)
// and returns the task to draw — with the frequency the --ratio writes, and the rounds it
// gives in the task's window — and the percentage package risk draws by ("" without --ratio).
// Whether the task may take a --ratio at all is package risk's rule (Strata).
func (t *Task) ApplyRatio(ratio string) (Task, string, error) {
	eff := *t
	if ratio = strings.TrimSpace(ratio); ratio == "" {
		return eff, "", nil
	}
	g, err := ParseRatioGiven(ratio)
	if err != nil {
		return eff, "", err
	}
	switch r := t.Ratio; {
	case r.Cap != "" && ratCmp(g.Percent, r.Cap) > 0:
		return eff, "", fmt.Errorf("任务 %s 的抽查比例不得高于%s%%（计划：%s），--ratio %s 超过了上限", t.Key, r.Cap, r.Text, ratio)
	case r.Range != nil && r.Range.Unit == "%" && (ratCmp(g.Percent, r.Range.Min) < 0 || ratCmp(g.Percent, r.Range.Max) > 0):
		return eff, "", fmt.Errorf("任务 %s 的抽查比例应在%s%%至%s%%之间（计划：%s），--ratio %s 不在其中", t.Key, r.Range.Min, r.Range.Max, r.Text, ratio)
	}
	if g.Times > 0 {
		eff.Ratio.Times, eff.Ratio.Per = g.Times, g.Per
		eff.Rounds = RoundsIn(eff.Ratio, eff.Window)
	}
	return eff, g.Percent, nil
}

// ApplyOverrides checks --ratio (ApplyRatio) and --window against the task and returns the
// task to draw and the percentage of --ratio ("" without one): a --window replaces the window
// (and the rounds it implies). A --window is accepted only for a task whose window needs one.
// A missing --ratio is left to package risk, which refuses an unspecified ratio with its hint.
func (t *Task) ApplyOverrides(ratio, window string) (Task, string, error) {
	eff, pct, err := t.ApplyRatio(ratio)
	if err != nil {
		return eff, "", err
	}
	need := t.NeedsOverride()
	window = strings.TrimSpace(window)
	switch {
	case window == "" && need.Window:
		return eff, "", fmt.Errorf("任务 %s 的抽查时间没有唯一的读法（%s），请用 --window 指定，如 --window %s", t.Key, strings.Join(windowWhy(t), "；"), t.WindowExample())
	case window != "" && !need.Window:
		return eff, "", fmt.Errorf("计划已规定任务 %s 的抽查时间（%s），不能用 --window 改变", t.Key, t.Window.Text)
	case window != "":
		w, _, err := parseWindow(window)
		if err != nil {
			return eff, "", fmt.Errorf("--window: %w", err)
		}
		eff.Window = w
		eff.Rounds = RoundsIn(eff.Ratio, w)
	}
	return eff, pct, nil
}

// CheckRound refuses a round the task does not have with this --ratio and --window
// (RoundsWith), saying where its rounds come from: the --ratio when it writes a frequency,
// else the plan's 抽查比例及频次.
func (t *Task) CheckRound(round int, ratio, window string) error {
	rounds := t.RoundsWith(ratio, window)
	if round <= rounds {
		return nil
	}
	from := t.Ratio.Text
	if g, err := ParseRatioGiven(ratio); err == nil && g.Times > 0 {
		from = "--ratio " + strings.TrimSpace(ratio)
	}
	return fmt.Errorf("任务 %s 全年共 %d 轮抽取（%s），没有第 %d 轮", t.Key, rounds, from, round)
}

// RoundsWith is the number of rounds the task has with these --ratio and --window (its
// own when they do not apply: ApplyOverrides says why when the draw is made).
func (t *Task) RoundsWith(ratio, window string) int {
	if eff, _, err := t.ApplyOverrides(ratio, window); err == nil {
		return max(eff.Rounds, 1)
	}
	return max(t.Rounds, 1)
}

func windowWhy(t *Task) []string {
	var out []string
	for _, f := range t.Flags {
		if f.Kind == FlagWindow || f.Kind == FlagOtherYear {
			out = append(out, f.Message)
		}
	}
	return out
}
