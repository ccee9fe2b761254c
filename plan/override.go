package plan

import (
	"fmt"
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
			o.Why = append(o.Why, f.Cell+"“"+f.Text+"”："+f.Message)
		case FlagWindow, FlagOtherYear:
			o.Window = true
			o.Why = append(o.Why, f.Cell+"“"+f.Text+"”："+f.Message)
		}
	}
	return o
}

// ApplyOverrides checks --ratio and --window against the task and returns the task to draw:
// a --window replaces the window (and the rounds it implies). A --window is accepted only for
// a task whose window needs one; a --ratio must respect the plan's cap (不高于) or range.
// A missing --ratio is left to package risk, which refuses an unspecified ratio with its hint.
func (t *Task) ApplyOverrides(ratio, window string) (Task, error) {
	eff := *t
	need := t.NeedsOverride()
	if ratio = strings.TrimSpace(ratio); ratio != "" {
		p, err := checkPercent(canonDecimal(ratio))
		if err == nil {
			switch r := t.Ratio; {
			case r.Cap != "" && ratCmp(p, r.Cap) > 0:
				return eff, fmt.Errorf("任务 %s 的抽查比例不得高于%s%%（计划：%s），--ratio %s 超过了上限", t.Key, r.Cap, r.Text, ratio)
			case r.Range != nil && r.Range.Unit == "%" && (ratCmp(p, r.Range.Min) < 0 || ratCmp(p, r.Range.Max) > 0):
				return eff, fmt.Errorf("任务 %s 的抽查比例应在%s%%至%s%%之间（计划：%s），--ratio %s 不在其中", t.Key, r.Range.Min, r.Range.Max, r.Text, ratio)
			}
		}
	}
	window = strings.TrimSpace(window)
	switch {
	case window == "" && need.Window:
		return eff, fmt.Errorf("任务 %s 的抽查时间没有唯一的读法（%s），请用 --window 指定，如 --window 3月—11月", t.Key, strings.Join(windowWhy(t), "；"))
	case window != "" && !need.Window:
		return eff, fmt.Errorf("计划已规定任务 %s 的抽查时间（%s），不能用 --window 改变", t.Key, t.Window.Text)
	case window != "":
		w, _, err := parseWindow(window)
		if err != nil {
			return eff, fmt.Errorf("--window: %w", err)
		}
		eff.Window = w
		eff.Rounds = RoundsIn(eff.Ratio, w)
	}
	return eff, nil
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
