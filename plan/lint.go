package plan

import (
	"fmt"
	"strings"
)

// Kinds of lint findings.
const (
	LintRepair      = "修正"     // the reader repaired a cell
	LintUnspecified = "未规定比例"  // neither ratio nor count
	LintSwapped     = "事项范围颠倒" // items and scope look swapped
	LintSelf        = "发起兼配合"  // the initiator is also a cooperator
	LintMode        = "检查模式"   // mode not recognised
	LintDept        = "部门"     // department cell looks odd
	LintSeq         = "序号"     // numbering gaps or disorder
)

// Finding is one lint remark about a task (Seq 0: about the plan).
type Finding struct {
	Seq     int    `json:"seq"`
	Key     string `json:"key"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// itemWords mark a cell that describes what is checked (抽查事项), not whom.
var itemWords = []string{"检查", "情况", "监督", "监管", "抽查", "是否"}

// scopeWords in a scope cell strongly suggest it holds the items instead.
var scopeWords = []string{"检查", "情况", "是否"}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func looksLikeItems(s string) bool {
	for _, w := range itemWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Lint reports what a user should look at: every repair, unspecified ratios, suspicious
// cells. It never fails; it informs.
func Lint(p *Plan) []Finding {
	var out []Finding
	add := func(t *Task, kind, format string, a ...any) {
		f := Finding{Kind: kind, Message: fmt.Sprintf(format, a...)}
		if t != nil {
			f.Seq, f.Key = t.Seq, t.Key
		}
		out = append(out, f)
	}
	prev := 0
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if prev != 0 && t.Seq != prev+1 {
			add(t, LintSeq, "序号%d之后是%d，不连续", prev, t.Seq)
		}
		prev = t.Seq
		for _, r := range t.Repairs {
			add(t, LintRepair, "%s", r)
		}
		if t.Ratio.Unspecified {
			add(t, LintUnspecified, "抽查比例及频次“%s”没有规定比例或户数，抽取时需另行指定（如 --ratio）", t.Ratio.Text)
		}
		for _, s := range t.Scopes {
			if containsAny(s, scopeWords) && !looksLikeItems(t.Items) {
				add(t, LintSwapped, "抽查事项“%s”像是对象范围，抽查对象范围“%s”像是检查事项，可能填反了", shorten(t.Items, 30), shorten(s, 30))
			}
		}
		for _, c := range t.Cooperators {
			if c == t.Initiator {
				add(t, LintSelf, "发起部门“%s”同时列为配合部门", t.Initiator)
			}
		}
		if t.Initiator == "" {
			add(t, LintDept, "没有发起部门")
		} else if strings.ContainsAny(t.Initiator, "、，,；;") {
			add(t, LintDept, "发起部门“%s”似乎含有多个部门", t.Initiator)
		}
		if t.Mode != ModeDistrict && t.Mode != ModeCounty {
			add(t, LintMode, "检查模式“%s”无法识别（应为区抽区查或县抽县查）", t.Mode)
		}
	}
	return out
}
