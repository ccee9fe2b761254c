package roster

import (
	"slices"
	"strings"
)

// The words offices write for credit-risk classes and registration statuses. They are data,
// not code, so that every reader of these cells — parseClass and parseStatus here, and the
// SQL that `choucha sql` generates for a data warehouse (package warehouse) — uses the same
// vocabulary.

// UnclassifiedWords are class cells that mean "not classified" (read as class B, with a warning).
// The empty cell is one of them.
var UnclassifiedWords = []string{"", "未分类", "未分级", "未评级", "暂未分类", "无", "-", "/"}

// ClassWords maps the worded classes to A–D, after normalising the cell (NFKC, no white space,
// upper case) and removing a trailing 类 and a leading 信用.
//
// Besides the market-supervision classes (国市监信发〔2022〕6号), the four credit tiers some
// other regulators grade by — a 交通运输 plan: "对守信、警示、失信、严重失信企业分别按1%、10%、
// 50%和80%比例抽取" — are the same four steps from low to high risk, and are read as A–D.
var ClassWords = map[string]string{
	"低风险": ClassA, "风险低": ClassA, "低": ClassA,
	"一般风险": ClassB, "风险一般": ClassB, "一般": ClassB, "中风险": ClassB,
	"较高风险": ClassC, "风险较高": ClassC, "较高": ClassC, "中高风险": ClassC, // 中高: Henan's four classes 低/中/中高/高
	"高风险": ClassD, "风险高": ClassD, "高": ClassD,
	"守信": ClassA, "警示": ClassB, "失信": ClassC, "严重失信": ClassD,
}

// tierWords are the credit tiers among ClassWords (see there).
var tierWords = map[string]bool{"守信": true, "警示": true, "失信": true, "严重失信": true}

// StandaloneClassWord reports whether a ClassWords word names a class by itself in running
// text, as a plan's ratio cell has it ("低风险企业3%", "对守信、警示…企业分别按…"): a word
// that says 风险, or a credit tier. The bare degrees (低, 一般, 较高, 高) name a class only as
// a class cell of their own.
func StandaloneClassWord(w string) bool {
	return strings.Contains(w, "风险") || tierWords[w]
}

// ClassLetterSuffixes may follow a class letter: "A类", "B级" (then at most ClassFirmSuffix or
// a bracketed note: "B级企业", "C类(较高风险)").
var ClassLetterSuffixes = []string{"类", "级"}

// What may surround a class word in a cell of its own (classWordOf): "信用低风险", "低风险类",
// "低风险企业", "低风险类企业" are 低风险.
const (
	ClassWordPrefix = "信用"
	ClassWordSuffix = "类"
	ClassFirmSuffix = "企业"
)

// StandaloneClassWords are the ClassWords that name a class in running text (StandaloneClassWord),
// longest first (严重失信 before 失信, 中高风险 before 高风险): a cell is read for the classes it
// names by trying them in this order at each place.
var StandaloneClassWords = func() []string {
	var w []string
	for k := range ClassWords {
		if StandaloneClassWord(k) {
			w = append(w, k)
		}
	}
	slices.SortFunc(w, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return w
}()

// ClosedStatusWords mark a firm that is no longer open (checked before OpenStatusWords:
// "吊销，未注销" is closed).
var ClosedStatusWords = []string{"注销", "吊销", "撤销", "迁出", "停业", "清算", "歇业"}

// AbnormalStatusWords mark a firm that is still registered but flagged by an authority: a
// 非正常户 is a 税务 finding (a taxpayer that stopped filing), 经营异常 a 市场监管 list
// (经营异常名录). Neither is a registration status: the firm is open and in the draw, with a
// warning (checked before OpenStatusWords, since 非正常户 contains 正常).
var AbnormalStatusWords = []string{"非正常", "经营异常", "异常名录"}

// StatusNegations negate the status word right after them: 未注销, 非正常, 不在营, 无吊销
// ("存续（未注销）" is open).
var StatusNegations = []string{"未", "非", "不", "无", "没有"}

// OpenStatusWords mark an open firm.
var OpenStatusWords = []string{"存续", "在业", "在营", "开业", "在册", "正常", "确立"}
