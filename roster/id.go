package roster

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// usccChars is the alphabet of the 统一社会信用代码 (GB 32100-2015): no I, O, S, V, Z.
// A character's value is its index in this string.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1–17: 3^(i−1) mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps an ASCII byte to its value in usccChars, or -1.
var usccValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(usccChars); i++ {
		v[usccChars[i]] = int8(i)
	}
	return v
}()

// CanonicalKey is the canonical form of a firm identifier: NFKC, whitespace removed, upper case.
// Full-width letters and digits become ASCII; "91140403ymqw8tal25" becomes "91140403YMQW8TAL25".
func CanonicalKey(s string) string {
	if isCanonical(s) {
		return s
	}
	if !isASCII(s) {
		s = norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || unicode.IsControl(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// isCanonical is the fast path of CanonicalKey: printable ASCII without spaces or lower-case
// letters, and CJK unified ideographs (which NFKC leaves alone) are already canonical.
func isCanonical(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f || ('a' <= c && c <= 'z') {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 0x4E00 || r > 0x9FFF {
			return false
		}
		i += n
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// usccCheck returns the check character for the first 17 characters of a code, and false
// when a character is outside the alphabet.
func usccCheck(first17 string) (byte, bool) {
	if len(first17) < 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue[first17[i]]
		if v < 0 {
			return 0, false
		}
		sum += int(v) * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], true
}

// ValidUSCC reports whether s (already canonical) is an 18-character 统一社会信用代码 with a
// correct GB 32100-2015 check character.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := usccCheck(s)
	return ok && usccValue[s[17]] >= 0 && c == s[17]
}

// idKind is the verdict on one identifier cell.
type idKind int

const (
	idValid       idKind = iota // 统一社会信用代码, 18 characters, correct check character
	idBadChecksum               // 18 characters from the alphabet, wrong check character: kept, warning
	idRegNo15                   // 15-digit 注册号 (GS 15-2006) with a correct check digit
	idRegNoCoop                 // 15-character 农民专业合作社 注册号: 6 digits, "NA", 6 digits, digit or X
	idRegNo13                   // 13-digit 注册号 of before 2007 (no check digit exists)
	idRegNoCheck                // 15 digits whose GS 15-2006 check digit is wrong: excluded
	idNumeric                   // a number that lost digits (scientific notation, rounded): excluded
	idMissing                   // empty
	idBad                       // anything else: excluded
)

// isRegNo reports whether the kind is a usable 注册号.
func (k idKind) isRegNo() bool { return k == idRegNo15 || k == idRegNoCoop || k == idRegNo13 }

// usable reports whether the kind can be a frame key.
func (k idKind) usable() bool { return k == idValid || k == idBadChecksum || k.isRegNo() }

// classifyID canonicalises raw and says what kind of identifier it is. key is the canonical
// identifier for the usable kinds (idValid, idBadChecksum, idRegNo15, idRegNoCoop, idRegNo13).
//
// A number is a key only when its digits are exact: scientific notation ("4.69007E+14",
// "9.11404300857757E+17") never is — it is what Excel shows or writes for a long number, and
// the digits it drops cannot be recovered; nor is an 18-digit number ending in 000 (Excel
// keeps 15 significant digits and pads with zeros). A decimal such as "140403824667488.0"
// (how a CSV writer prints a double) is exact when it is a whole number below 2^53, which
// every 13- and 15-digit number is.
func classifyID(raw string) (key string, kind idKind) {
	c := CanonicalKey(raw)
	if c == "" {
		return "", idMissing
	}
	if digits, isNum := numericCell(c); isNum {
		if digits == "" {
			return "", idNumeric
		}
		if len(digits) != 13 && len(digits) != 15 {
			// An exact number of another length is not a code (an 18-digit code is above
			// 2^53, where numericCell never calls digits exact).
			return "", idBad
		}
		c = digits
	}
	if (len(c) == 15 || len(c) == 13) && allDigits(c) && len(strings.TrimRight(c, "0")) <= 6 {
		// 140425000000000: the six digits Excel's General format shows (1.40425E+14), padded
		// with zeros by whatever turned the text back into a number. No 注册号 has a
		// sequence number of 0.
		return "", idNumeric
	}
	switch len(c) {
	case 18:
		if !allUSCC(c) {
			return "", idBad
		}
		if allDigits(c) && strings.HasSuffix(c, "000") {
			// Excel keeps 15 significant digits of a number and shows the rest as zeros.
			return "", idNumeric
		}
		if ValidUSCC(c) {
			return c, idValid
		}
		if allDigits(c) && (strings.HasSuffix(c, "00") || isDouble(c)) {
			// A wrong check character on a number a double can hold exactly (a multiple of
			// 128 at this size): a tool printed the double Excel kept, not the code.
			return "", idNumeric
		}
		return c, idBadChecksum
	case 15:
		if allDigits(c) {
			if !provinceCode(c) {
				return "", idBad
			}
			if !regNoCheck(c) {
				return c, idRegNoCheck
			}
			return c, idRegNo15
		}
		if coopRegNo(c) {
			return c, idRegNoCoop
		}
	case 13:
		if allDigits(c) && provinceCode(c) {
			return c, idRegNo13
		}
	}
	return "", idBad
}

// isDouble reports whether the decimal integer s (18 digits) is exactly a float64 value.
func isDouble(s string) bool {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return false
	}
	f := float64(v)
	return f < 1<<64 && uint64(f) == v
}

// regNoCheck verifies the 15th digit of a 注册号: GS 15-2006 appendix A, the hybrid system
// ISO 7064 MOD 11,10 (GB/T 17710): P₁ = 10; Sᵢ = (Pᵢ + aᵢ) mod 10, 0 read as 10;
// Pᵢ₊₁ = 2·Sᵢ mod 11; the number is valid when (P₁₅ + a₁₅) mod 10 = 1.
func regNoCheck(s string) bool {
	if len(s) != 15 || !allDigits(s) {
		return false
	}
	p := 10
	for i := 0; i < 14; i++ {
		x := (p + int(s[i]-'0')) % 10
		if x == 0 {
			x = 10
		}
		p = x * 2 % 11
	}
	return (p+int(s[14]-'0'))%10 == 1
}

// RegNoCheckDigit is the GS 15-2006 check digit of the first 14 digits of a 注册号.
func RegNoCheckDigit(first14 string) byte {
	for c := byte('0'); c <= '9'; c++ {
		if regNoCheck(first14 + string(c)) {
			return c
		}
	}
	return 0
}

// coopRegNo recognises the 农民专业合作社 注册号 of 2007–2015: the registering authority's
// 6-digit code, "NA", a 6-digit sequence number and a last digit or X. No check algorithm
// for it is published, so only the shape is checked.
func coopRegNo(s string) bool {
	if len(s) != 15 || s[6:8] != "NA" || !allDigits(s[:6]) || !allDigits(s[8:14]) || !provinceCode(s) {
		return false
	}
	return s[14] == 'X' || (s[14] >= '0' && s[14] <= '9')
}

// provinceCode: the first two digits of a registering authority's code are a province of
// GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65), or 10 for the national authority
// (100000, 国家工商行政管理总局).
func provinceCode(s string) bool {
	if len(s) < 2 || !allDigits(s[:2]) {
		return false
	}
	switch p := int(s[0]-'0')*10 + int(s[1]-'0'); {
	case p == 10, p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65:
		return true
	}
	return false
}

// numericCell recognises a number as Excel or a CSV export writes it: "9.11404038769824E+17",
// "140403824667488.0". isNum is true for such a number; digits are its integer digits when
// they are exact — written as a plain decimal (no exponent), a whole number, below 2^53 —
// and "" when digits may have been lost. Plain digit strings are not numbers here.
func numericCell(c string) (digits string, isNum bool) {
	if c == "" || !(c[0] >= '0' && c[0] <= '9') {
		return "", false
	}
	hasE, hasDot := false, false
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case ch >= '0' && ch <= '9':
		case ch == '.':
			hasDot = true
		case ch == 'E' || ch == '+' || ch == '-':
			hasE = true
		default:
			return "", false
		}
	}
	if !hasE && !hasDot {
		return "", false
	}
	if hasE {
		// Scientific notation keeps only the digits of its mantissa (Excel's General format
		// shows six: 4.69007E+14); a code is never written this way.
		if _, ok := new(big.Rat).SetString(c); !ok {
			return "", false
		}
		return "", true
	}
	// Parsed as an exact decimal: 140403824667488.00000000001 is not a whole number.
	r, ok := new(big.Rat).SetString(c)
	if !ok {
		return "", false
	}
	if r.IsInt() && r.Sign() > 0 && r.Num().Cmp(big.NewInt(1<<53)) <= 0 {
		return r.Num().String(), true
	}
	return "", true
}

func allUSCC(s string) bool {
	for i := 0; i < len(s); i++ {
		if usccValue[s[i]] < 0 {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Names of the identifier kinds in messages.
func (k idKind) name() string {
	switch k {
	case idRegNo15:
		return "15位注册号"
	case idRegNoCoop:
		return "农民专业合作社注册号"
	case idRegNo13:
		return "13位注册号（2007年前的旧号，无校验位）"
	}
	return "统一社会信用代码"
}

// idNote is one issue about a row's identifier.
type idNote struct {
	level, code, msg string
}

// resolveID picks the key of a row from its 统一社会信用代码 cell and its 注册号 cell
// (docs/ROSTER.md, "Identifiers"):
//
//  1. a valid 统一社会信用代码;
//  2. else a usable 注册号 — in the 注册号 column or written in the code column — with a
//     warning that names why the 统一社会信用代码 was not used;
//  3. else a 统一社会信用代码 with a wrong check character (kept, warning: some genuine
//     codes issued before 2016 fail the check);
//  4. else the row is excluded, with the reason.
//
// key is "" when the row is excluded; shown is the identifier as written, for the report.
func resolveID(codeCell, regCell string) (key, shown string, notes []idNote) {
	uk, ukind := classifyID(codeCell)
	shown = codeCell
	if ukind == idValid {
		return uk, shown, nil
	}
	if ukind.isRegNo() {
		return uk, shown, []idNote{{LevelWarning, CodeLegacyRegNo,
			fmt.Sprintf("代码列中是%s，以它作为标识；请尽量补充统一社会信用代码", ukind.name())}}
	}
	rk, rkind := classifyID(regCell)
	if rkind.isRegNo() {
		if shown == "" {
			shown = regCell
		}
		return rk, shown, []idNote{{LevelWarning, CodeLegacyRegNo,
			fmt.Sprintf("%s，改以同一行的%s %s 作为标识；请尽量补充正确的统一社会信用代码", whyNotUSCC(ukind, codeCell, uk), rkind.name(), rk)}}
	}
	if ukind == idBadChecksum {
		want, _ := usccCheck(uk)
		msg := fmt.Sprintf("统一社会信用代码校验位不符（按 GB 32100-2015 应为 %c）；已保留（部分2016年前的代码确实不符），请核对营业执照", want)
		if rkind != idMissing {
			msg += fmt.Sprintf("；同一行的注册号“%s”也不能使用（%s）", regCell, kindProblem(rkind))
		}
		return uk, shown, []idNote{{LevelWarning, CodeBadChecksum, msg}}
	}
	// Excluded: the reason of the code cell, or of the 注册号 when the code cell is blank.
	kind, raw := ukind, codeCell
	if ukind == idMissing && rkind != idMissing {
		kind, raw, shown = rkind, regCell, regCell
	}
	note := idNote{level: LevelError}
	switch kind {
	case idNumeric:
		note.code = CodeNumericID
		note.msg = fmt.Sprintf("代码“%s”是以数字保存的（科学计数法或后几位被补成0），后几位已丢失，不能作为标识，已排除；"+
			"请从原系统重新导出名录，导出前把该列设为“文本”格式（在 Excel 里改格式找不回丢失的位数）", raw)
	case idMissing:
		note.code = CodeMissingID
		note.msg = "没有统一社会信用代码或注册号，已排除；请补齐代码"
	case idRegNoCheck:
		note.code = CodeBadRegNo
		note.msg = fmt.Sprintf("15位注册号“%s”的校验位不符（GS 15-2006，按前14位应为 %c），可能抄错，已排除；请核对营业执照",
			raw, RegNoCheckDigit(CanonicalKey(raw)[:14]))
	default:
		note.code = CodeBadID
		note.msg = fmt.Sprintf("标识“%s”既不是18位统一社会信用代码，也不是15位、13位或农民专业合作社注册号，已排除；请核对", raw)
	}
	if kind == ukind && rkind != idMissing {
		note.msg += fmt.Sprintf("；同一行的注册号“%s”也不能使用（%s）", regCell, kindProblem(rkind))
	}
	return "", shown, []idNote{note}
}

// whyNotUSCC says why a row's 统一社会信用代码 was not its key.
func whyNotUSCC(kind idKind, raw, key string) string {
	switch kind {
	case idMissing:
		return "没有统一社会信用代码"
	case idNumeric:
		return fmt.Sprintf("统一社会信用代码“%s”被存成了数字，后几位已丢失", raw)
	case idBadChecksum:
		want, _ := usccCheck(key)
		return fmt.Sprintf("统一社会信用代码“%s”校验位不符（应为 %c）", raw, want)
	case idRegNoCheck:
		return fmt.Sprintf("代码列中的注册号“%s”校验位不符", raw)
	}
	return fmt.Sprintf("统一社会信用代码“%s”格式不对", raw)
}

// kindProblem is a short reason why an identifier cannot be used.
func kindProblem(kind idKind) string {
	switch kind {
	case idNumeric:
		return "以数字保存，位数已丢失"
	case idRegNoCheck:
		return "校验位不符"
	}
	return "格式不对"
}
