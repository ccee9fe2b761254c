package roster

// The words offices write for credit-risk classes and registration statuses. They are data,
// not code, so that every reader of these cells — parseClass and parseStatus here, and the
// SQL that `choucha sql` generates for a data warehouse (package warehouse) — uses the same
// vocabulary.

// UnclassifiedWords are class cells that mean "not classified" (read as class B, with a warning).
// The empty cell is one of them.
var UnclassifiedWords = []string{"", "未分类", "未分级", "未评级", "暂未分类", "无", "-", "/"}

// ClassWords maps the worded classes to A–D, after normalising the cell (NFKC, no white space,
// upper case) and removing a trailing 类 and a leading 信用.
var ClassWords = map[string]string{
	"低风险": ClassA, "风险低": ClassA, "低": ClassA,
	"一般风险": ClassB, "风险一般": ClassB, "一般": ClassB, "中风险": ClassB,
	"较高风险": ClassC, "风险较高": ClassC, "较高": ClassC, "中高风险": ClassC, // 中高: Henan's four classes 低/中/中高/高
	"高风险": ClassD, "风险高": ClassD, "高": ClassD,
}

// ClassLetterSuffixes may follow a class letter: "A类", "B级", "C(较高风险)".
var ClassLetterSuffixes = []string{"类", "级", "("}

// ClosedStatusWords mark a firm that is no longer open (checked before OpenStatusWords:
// "吊销，未注销" is closed).
var ClosedStatusWords = []string{"注销", "吊销", "撤销", "迁出", "停业", "清算", "歇业"}

// OpenStatusWords mark an open firm.
var OpenStatusWords = []string{"存续", "在业", "在营", "开业", "在册", "正常", "确立"}
