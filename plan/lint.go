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
	LintSeq         = "序号"     // numbering gaps, duplicates, 序号 without digits
	LintRatio       = "比例待定"   // a ratio without a single reading: --ratio needed
	LintWindow      = "时间待定"   // a window without a single reading or in another year: --window needed
	LintDistrict    = "地市"     // no district
	LintProblem     = "无法读取"   // a row or column the reader could not use
	LintReading     = "读法"     // how the reader took a part it did read (another table, a title row)
	LintCount       = "核对"     // numbered rows against tasks
	LintClasses     = "分类比例"   // class ratios that leave out a class: no draw can be made
)

// LintKinds are the kinds of lint findings, in the order a summary lists them.
var LintKinds = []string{LintProblem, LintUnspecified, LintRatio, LintClasses, LintWindow, LintDistrict, LintSeq, LintCount, LintReading, LintRepair, LintSwapped, LintSelf, LintDept, LintMode}

// Finding is one lint remark about a task (Seq 0: about the plan), with the line (text) or
// sheet row (xlsx) and the cell it is about when known.
type Finding struct {
	Seq     int    `json:"seq"`
	Key     string `json:"key"`
	Line    int    `json:"line"`
	Cell    string `json:"cell"`
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
			f.Seq, f.Key, f.Line = t.Seq, t.Key, t.Line
		}
		out = append(out, f)
	}
	for _, pr := range p.Problems {
		kind := pr.Kind
		if kind == "" {
			kind = LintProblem
		}
		out = append(out, Finding{Line: pr.Line, Cell: pr.Cell, Kind: kind, Message: pr.Message})
	}
	prev := 0
	numbered, parts := 0, 0
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if t.Part > 1 {
			parts++
		} else {
			numbered++
			if prev != 0 && t.Seq != prev+1 && t.Seq != prev {
				add(t, LintSeq, "序号%d之后是%d，不连续", prev, t.Seq)
			}
			prev = t.Seq
		}
		for _, r := range t.Repairs {
			add(t, LintRepair, "%s", r)
		}
		for _, fl := range t.Flags {
			kind := map[string]string{FlagRatio: LintUnspecified, FlagWindow: LintWindow, FlagOtherYear: LintWindow,
				FlagSeq: LintSeq, FlagDistrict: LintDistrict, FlagDept: LintDept}[fl.Kind]
			msg := fl.Message
			if fl.Kind == FlagRatio {
				if t.Ratio.Cap != "" || t.Ratio.Range != nil || len(t.Ratio.Levels) > 0 {
					kind = LintRatio
				}
				msg = fl.String() + "，抽取时须用 --ratio 指定"
			}
			out = append(out, Finding{Seq: t.Seq, Key: t.Key, Line: t.Line, Cell: fl.Cell, Kind: kind, Message: msg})
		}
		if pc := t.Ratio.PerClass; pc != nil && len(pc) < 4 {
			var missing []string
			for _, c := range []string{"A", "B", "C", "D"} {
				if _, ok := pc[c]; !ok {
					missing = append(missing, c)
				}
			}
			add(t, LintClasses, "分类比例“%s”缺少%s类：这些类别的比例无法确定，不能抽取；请核对计划原文，在计划文件中补全各类比例",
				t.Ratio.Text, strings.Join(missing, "、"))
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
		} else if len(splitDepts(t.Initiator, t.District)) > 1 || strings.Contains(t.Initiator, "或") {
			// Several departments as package dept splits the cell: levels before one
			// department (省、市、县级自然资源部门) are one.
			add(t, LintDept, "发起部门“%s”似乎含有多个部门", t.Initiator)
		}
		if t.Mode != "" && !IsMode(t.Mode) && !strings.Contains(t.Mode, "检查") && !strings.Contains(t.Mode, "核查") && !strings.Contains(t.Mode, "随机") {
			add(t, LintMode, "检查模式“%s”无法识别（如区抽区查、县抽县查、市抽市查、区级发起,区级检查）", t.Mode)
		}
	}
	if p.NumberedRows > 0 || p.RowNumbered > 0 || len(p.Problems) > 0 {
		msg := fmt.Sprintf("有序号的行%d行，读成任务%d个", p.NumberedRows, numbered)
		if p.RowNumbered > 0 {
			msg = fmt.Sprintf("表中没有序号列，按顺序编号的行%d行，读成任务%d个", p.RowNumbered, numbered)
		}
		if parts > 0 {
			msg += fmt.Sprintf("，另有%d个任务来自分组中有自己比例的行", parts)
		}
		if numbered != p.NumberedRows+p.RowNumbered {
			msg += "：数目不符，请报告这个问题"
		}
		out = append(out, Finding{Kind: LintCount, Message: msg})
	}
	return out
}
