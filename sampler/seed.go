package sampler

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"
)

// Seed lengths, in decimal digits.
const (
	MinSeedDigits = 20
	MaxSeedDigits = 128
	NewSeedDigits = 20
)

// NormalizeSeed checks a seed (20–128 decimal digits; full-width digits map to ASCII).
//
// The seed is a string of digits, not a number: leading zeros are kept and count. Leading
// and trailing white space (as left by copy and paste) is trimmed; full-width digits
// ０–９ (U+FF10–U+FF19) become 0–9. Anything else — spaces or separators between the
// digits, letters, signs, other scripts' digits — is refused, so that a seed has exactly
// one written form and everyone hashes the same bytes.
func NormalizeSeed(s string) (string, error) {
	t := strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(t))
	for i, r := range t {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + (r - '０')))
		case r == utf8.RuneError:
			return "", fmt.Errorf("种子 %q 不是有效的 UTF-8 文本", s)
		default:
			return "", fmt.Errorf("种子第 %d 个字符 %q 不是数字：种子只能由 %d–%d 位十进制数字组成，中间不能有空格、字母或其他符号",
				utf8.RuneCountInString(t[:i])+1, r, MinSeedDigits, MaxSeedDigits)
		}
	}
	d := b.String()
	switch {
	case d == "":
		return "", fmt.Errorf("种子为空：种子应为 %d–%d 位十进制数字（例如当众掷骰子得到）", MinSeedDigits, MaxSeedDigits)
	case len(d) < MinSeedDigits:
		return "", fmt.Errorf("种子只有 %d 位数字，至少要 %d 位", len(d), MinSeedDigits)
	case len(d) > MaxSeedDigits:
		return "", fmt.Errorf("种子有 %d 位数字，最多 %d 位", len(d), MaxSeedDigits)
	}
	return d, nil
}

// NewSeed makes a 20-digit seed from crypto/rand.
//
// The seed is a uniformly random integer in [0, 10^20) written with exactly 20 digits
// (leading zeros kept); crypto/rand.Int draws it by rejection, so there is no modulo bias.
func NewSeed() (string, error) {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(NewSeedDigits), nil)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return "", fmt.Errorf("生成随机种子失败: %w", err)
	}
	d := n.String()
	return strings.Repeat("0", NewSeedDigits-len(d)) + d, nil
}

// checkInputs verifies what every ticket of a draw is built from: a normalised seed, a
// task key and a round. Keys must not contain "|" (the field separator of the hashed
// string) or be empty, so that different inputs never hash the same bytes.
func checkInputs(seed, taskKey string, round int) error {
	if n, err := NormalizeSeed(seed); err != nil {
		return err
	} else if n != seed {
		return fmt.Errorf("种子 %q 未规范化（应为 %s）", seed, n)
	}
	if err := checkKey("任务编号", taskKey); err != nil {
		return err
	}
	if round < 1 {
		return fmt.Errorf("轮次 %d 无效：轮次从 1 开始", round)
	}
	return nil
}

func checkKey(what, k string) error {
	if plainKey(k) {
		return nil
	}
	switch {
	case k == "":
		return fmt.Errorf("%s为空", what)
	case strings.ContainsAny(k, "|\r\n"):
		return fmt.Errorf("%s %q 含有竖线或换行，不能用于计算签号", what, k)
	case !utf8.ValidString(k):
		return fmt.Errorf("%s %q 不是有效的 UTF-8 文本", what, k)
	}
	return nil
}

// plainKey reports whether k is a key checkKey accepts at a glance: not empty, ASCII only,
// no "|" and no line break — every canonical 统一社会信用代码 and 注册号. One pass over the
// bytes; at 1M keys the general checks (ContainsAny, ValidString) were most of a draw's
// check of its frame.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c >= utf8.RuneSelf || c == '|' || c == '\r' || c == '\n' {
			return false
		}
	}
	return true
}

// CheckTicketInputs verifies the inputs of one ticket as a draw does: a normalised seed, a
// task key, a round ≥ 1 and keys (firm key, 执法证号) without "|" or line breaks.
func CheckTicketInputs(seed, taskKey string, round int, keys ...string) error {
	if err := checkInputs(seed, taskKey, round); err != nil {
		return err
	}
	for _, k := range keys {
		if err := checkKey("代码", k); err != nil {
			return err
		}
	}
	return nil
}
