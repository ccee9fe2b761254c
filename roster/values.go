package roster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normCell is the form cells are compared in: NFKC, whitespace removed, upper case.
func normCell(s string) string { return CanonicalKey(s) }

// classVerdict is the outcome of reading a credit-risk class cell.
type classVerdict int

const (
	classOK classVerdict = iota
	classUnclassified
	classBad
)

// parseClass maps the ways offices write the credit-risk class to A–D.
// "A", "a", "A类", "B类（一般风险）", "低风险", "信用风险较高" …; blank and 未分类 → B (unclassified).
func parseClass(s string) (string, classVerdict) {
	c, v, _ := readClass(s)
	return c, v
}

// readClass is parseClass that also says, for a cell that names more than one class or whose
// letter and words disagree ("A类、B类", "A（高风险）", "D类（已修复为A类）"), what each part
// reads as ("“A”为A类，“高风险”为D类"); why is "" for a cell that names no class at all.
//
// A letter is read only as a letter, 类 or 级, and a bracketed note that names no other class
// ("B类（一般风险）", "A级（待复核）", "Ｄ（高）"): "B级以上" or "C类→B类" is no one class.
func readClass(s string) (class string, v classVerdict, why string) {
	if t := strings.TrimSpace(s); len(t) == 1 && t[0] >= 'A' && t[0] <= 'D' {
		return t, classOK, "" // the common case, without normalising
	}
	c := normCell(s)
	if slices.Contains(UnclassifiedWords, c) {
		return ClassB, classUnclassified, ""
	}
	named := classesNamed(c)
	if len(named) > 1 {
		var parts []string
		for _, n := range named {
			parts = append(parts, fmt.Sprintf("“%s”为%s类", n.text, n.class))
		}
		return "", classBad, strings.Join(parts, "，")
	}
	if l := c[0]; l >= 'A' && l <= 'D' && letterForm(c[1:]) {
		return string(l), classOK, ""
	}
	if k, ok := ClassWords[classWordOf(c)]; ok {
		return k, classOK, ""
	}
	return "", classBad, ""
}

// letterForm reports whether rest, what follows a class letter, is one of the forms a single
// class is written in: nothing, 类 or 级, then at most a bracketed note ("(一般风险)").
func letterForm(rest string) bool {
	for _, p := range ClassLetterSuffixes {
		if strings.HasPrefix(rest, p) {
			rest = rest[len(p):]
			break
		}
	}
	if rest == "" || rest == ClassFirmSuffix {
		return true
	}
	if !strings.HasPrefix(rest, "(") {
		return false
	}
	i := strings.IndexByte(rest, ')')
	return i == len(rest)-1
}

// classWordOf strips what may surround a class word in a cell of its own: a trailing 企业, then
// a trailing 类, and a leading 信用.
func classWordOf(c string) string {
	c = strings.TrimSuffix(c, ClassFirmSuffix)
	return strings.TrimPrefix(strings.TrimSuffix(c, ClassWordSuffix), ClassWordPrefix)
}

// classMention is one part of a class cell that names a class.
type classMention struct {
	text  string // as it is in the normalised cell
	class string
}

// classesNamed lists the parts of a normalised class cell that name a class, one for each
// distinct class named (the first part that names it): a letter A–D not next to another ASCII
// letter, a class word of running text (StandaloneClassWord: 低风险, 守信 …), and a bracketed
// note that is a class word on its own ("Ｄ（高）").
func classesNamed(c string) []classMention {
	var out []classMention
	add := func(text, class string) {
		for _, m := range out {
			if m.class == class {
				return
			}
		}
		out = append(out, classMention{text, class})
	}
	isLetter := func(i int) bool {
		return i >= 0 && i < len(c) && (c[i] >= 'A' && c[i] <= 'Z' || c[i] >= 'a' && c[i] <= 'z')
	}
	for i := 0; i < len(c); {
		if b := c[i]; b >= 'A' && b <= 'D' && !isLetter(i-1) && !isLetter(i+1) {
			add(c[i:i+1], c[i:i+1])
			i++
			continue
		}
		if b := c[i]; b == '(' {
			if j := strings.IndexByte(c[i:], ')'); j > 0 {
				if k, ok := ClassWords[classWordOf(c[i+1:i+j])]; ok {
					add(c[i+1:i+j], k)
					i += j + 1
					continue
				}
			}
		}
		matched := false
		for _, w := range StandaloneClassWords {
			if strings.HasPrefix(c[i:], w) {
				add(w, ClassWords[w])
				i += len(w)
				matched = true
				break
			}
		}
		if !matched {
			_, n := utf8.DecodeRuneInString(c[i:])
			i += n
		}
	}
	return out
}

// statusVerdict is the outcome of reading a registration-status cell.
type statusVerdict int

const (
	statusOpen statusVerdict = iota
	statusBlank
	statusClosed
	statusUnknown
	statusAbnormal // open, with a warning: 非正常户, 经营异常 (AbnormalStatusWords)
)

// parseStatus: 存续/在业/在营/开业/在册/正常 (and long forms) are open; 注销/吊销/撤销/迁出/停业/清算
// are closed (checked first: "吊销，未注销" is closed); a negated word does not count
// ("存续（未注销）" is open, "非正常" is not 正常), and a negated closed word alone ("未注销")
// is open; 非正常户 and 经营异常 are open with a warning; blank is open with a warning.
func parseStatus(s string) statusVerdict {
	// The words are CJK ideographs, which NFKC leaves alone: no normalising needed.
	c := strings.TrimSpace(s)
	if c == "" {
		return statusBlank
	}
	negatedClosed := false
	for _, w := range ClosedStatusWords {
		switch hasWord(c, w) {
		case wordSaid:
			return statusClosed
		case wordNegated:
			negatedClosed = true
		}
	}
	for _, w := range AbnormalStatusWords {
		if strings.Contains(c, w) {
			return statusAbnormal
		}
	}
	for _, w := range OpenStatusWords {
		if hasWord(c, w) == wordSaid {
			return statusOpen
		}
	}
	if negatedClosed {
		return statusOpen
	}
	return statusUnknown
}

// Outcomes of hasWord.
const (
	wordAbsent = iota
	wordNegated
	wordSaid
)

// hasWord says whether c says w (an occurrence not right after a negation), only negates it,
// or does not have it.
func hasWord(c, w string) int {
	found := wordAbsent
	for i := 0; ; {
		j := strings.Index(c[i:], w)
		if j < 0 {
			return found
		}
		at := i + j
		if slices.ContainsFunc(StatusNegations, func(n string) bool { return strings.HasSuffix(c[:at], n) }) {
			found = wordNegated
		} else {
			return wordSaid
		}
		i = at + len(w)
	}
}

// excelEpoch is day 0 of Excel's 1900 date system (with its 1900-02-29 bug accounted for
// from serial 61 on).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serialDate turns an Excel serial day number ("41789", "41789.0") into "2014-05-30".
func serialDate(s string) (string, bool) {
	t, ok := serialTime(s)
	if !ok {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func serialTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 12 {
		return time.Time{}, false
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if strings.Trim(s[i+1:], "0") != "" {
			return time.Time{}, false
		}
		s = s[:i]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 2958465 {
		return time.Time{}, false
	}
	if n >= 1900 && n <= 2199 && len(s) == 4 {
		// "2027", "2015": a year alone (a 执法证有效期, a 成立日期), not Excel's serial 2027
		// (1905-07-19) — no roster date is in 1905 or 1906.
		return time.Time{}, false
	}
	if n < 61 {
		n++ // serials 1–60 count the non-existent 1900-02-29 differently
	}
	return excelEpoch.AddDate(0, 0, n), true
}

// parseDate reads the dates offices write: 2026-12-31, 2026/12/31, 2026.12.31, 20261231,
// 2026年12月31日, and Excel serial numbers. The result is UTC midnight.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(norm.NFKC.String(s))
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := serialTime(s); ok && len(s) <= 7 {
		return t, true
	}
	// Take the first three digit groups: year, month, day.
	var parts []int
	cur, in := 0, false
	for _, r := range s {
		if unicode.IsDigit(r) && r < 128 {
			cur = cur*10 + int(r-'0')
			in = true
			if cur > 99999999 {
				return time.Time{}, false
			}
			continue
		}
		if in {
			parts = append(parts, cur)
			cur, in = 0, false
		}
		if len(parts) >= 3 || r == ' ' || r == 'T' {
			break
		}
	}
	if in {
		parts = append(parts, cur)
	}
	if len(parts) == 1 && parts[0] >= 19000101 && parts[0] <= 99991231 {
		p := parts[0]
		parts = []int{p / 10000, p / 100 % 100, p % 100}
	}
	if len(parts) < 3 {
		return time.Time{}, false
	}
	y, m, d := parts[0], parts[1], parts[2]
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 2026-02-30
	}
	return t, true
}

// splitCodes splits a list of firm codes on 、 , ; ，； and whitespace and canonicalises each.
func splitCodes(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', ',', ';', '，', '；', '/', '|':
			return true
		}
		return unicode.IsSpace(r)
	})
	var out []string
	for _, x := range f {
		if k := CanonicalKey(x); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// footerLine reports whether a cell opens a line under a table rather than a record: a
// total (合计, 总计, 小计, 共计, with what follows: 合计：6人, 总计 3) or a note's label (注：,
// 备注：, 说明：, 填表说明). Offices type these in whichever column comes first — often the name
// or code column — so a row whose name or identifier cell is one is no record either.
//
// It runs on every row's name: prefixes, not a regular expression (which cost the 1M-row
// check about 0.15 CPU-s).
func footerLine(c string) bool {
	c = strings.TrimSpace(c)
	for _, w := range footerTotals {
		// What follows a total is its figure or a colon (合计：6人, 总计 3), not more of a name
		// (小计算机维修部 is a firm).
		if rest, ok := strings.CutPrefix(c, w); ok && (rest == "" || strings.ContainsRune(":：(（ \t", firstRune(rest)) || rest[0] >= '0' && rest[0] <= '9') {
			return true
		}
	}
	for _, w := range footerLabels {
		if rest, ok := strings.CutPrefix(c, w); ok && (strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：")) {
			return true
		}
	}
	return false
}

// firstRune is the first character of a non-empty s.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// footerTotals open a total line, footerLabels (with a colon after) a note under a table.
var (
	footerTotals = []string{"合计", "总计", "小计", "共计", "填表说明"}
	footerLabels = []string{"注", "备注", "说明"}
)

// notARecordMessage is the message of a data row that lacks the cells naming a record
// (what: "代码和名称"; kind: "市场主体") but holds other text: under a table, the 合计 line
// (“合计：6人”) or a note (“注：…”) an office types below its list. Its cells are quoted, so
// that the office sees which line it is.
func notARecordMessage(what, kind string, cells []string) string {
	return fmt.Sprintf("本行没有%s，只有%s：像是合计、注释或说明行，不是%s，已排除；如确是合计或说明，可从名录中删去，否则请补齐%s",
		what, describeCells(cells), kind, what)
}
