package roster

import (
	"fmt"
	"math/big"
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

// idKind is the verdict on a firm identifier.
type idKind int

const (
	idValid       idKind = iota // 18 characters, correct check character
	idBadChecksum               // 18 characters from the alphabet, wrong check character: kept, warning
	idLegacy                    // 15-digit 注册号: kept, warning
	idNumeric                   // stored as a number, digits lost: excluded
	idMissing                   // empty: excluded (unless a 注册号 stands in)
	idBad                       // anything else: excluded
)

// classifyID canonicalises raw and says what kind of identifier it is. key is the canonical
// identifier for idValid, idBadChecksum and idLegacy.
func classifyID(raw string) (key string, kind idKind) {
	c := CanonicalKey(raw)
	switch {
	case c == "":
		return "", idMissing
	case len(c) == 18 && allUSCC(c):
		if ValidUSCC(c) {
			return c, idValid
		}
		if allDigits(c) && strings.HasSuffix(c, "00") {
			// An 18-digit number Excel kept as a double: 15 significant digits, the rest zeros.
			return "", idNumeric
		}
		return c, idBadChecksum
	case len(c) == 15 && allDigits(c):
		return c, idLegacy
	}
	if digits, ok := numericCell(c); ok {
		if len(digits) == 15 {
			// A 15-digit 注册号 stored as a number is exact in a double.
			return digits, idLegacy
		}
		return "", idNumeric
	}
	return "", idBad
}

// numericCell recognises a number as Excel or a CSV export writes it: "9.11404038769824E+17",
// "140403824667485.0". It returns the integer digits when the value is a whole number that a
// double holds exactly (< 2^53), else ok with digits "".
func numericCell(c string) (digits string, ok bool) {
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
	// Parsed as an exact decimal: 140403824667485.00000000001 is not a whole number.
	r, ok := new(big.Rat).SetString(c)
	if !ok {
		return "", false
	}
	if r.IsInt() && r.Sign() > 0 && r.Num().Cmp(big.NewInt(1<<53)) < 0 {
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

// idMessage is the Chinese explanation of an identifier problem.
func idMessage(kind idKind, key, raw string) string {
	switch kind {
	case idBadChecksum:
		want, _ := usccCheck(key)
		return fmt.Sprintf("统一社会信用代码校验位不符（按 GB 32100-2015 应为 %c）；已保留（部分2016年前的代码确实不符），请核对营业执照", want)
	case idLegacy:
		return "15位注册号（旧版营业执照），以注册号作为标识保留；请尽量补充统一社会信用代码"
	case idNumeric:
		return fmt.Sprintf("代码“%s”被 Excel 存成了数字，后几位已丢失，已排除；请把该列设置为“文本”格式后重新导出", raw)
	case idMissing:
		return "没有统一社会信用代码或注册号，已排除；请补齐代码"
	default:
		return fmt.Sprintf("标识“%s”既不是18位统一社会信用代码，也不是15位注册号，已排除；请核对", raw)
	}
}
