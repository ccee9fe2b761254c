package risk

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Percentages and multipliers are exact decimal strings. The canonical form of a
// non-negative decimal is:
//
//   - an integer part without leading zeros ("0" when the value is below 1),
//   - then, only when the value is not an integer, "." and the fraction digits without
//     trailing zeros;
//   - no sign, no exponent, no spaces, no thousands separators.
//
// So 4.5 is "4.5", one hundred is "100", three quarters is "0.75", zero is "0";
// "04.50", ".5", "5." and "1e2" are not canonical. CanonicalDecimal accepts any string of
// the form digits[.digits] and returns its canonical form.

var errNotDecimal = errors.New("不是十进制数")

// parseDecimal parses digits[.digits] exactly into a rational.
func parseDecimal(s string) (*big.Rat, error) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return nil, errNotDecimal
	}
	r, ok := new(big.Rat).SetString(intPart + "." + frac + "0")
	if !ok {
		return nil, errNotDecimal
	}
	return r, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatDecimal writes a non-negative rational with a finite decimal expansion in
// canonical form. Every value computed here is a product of decimals, so its denominator
// divides a power of ten; anything else is a programming error and reported as one.
func formatDecimal(r *big.Rat) (string, error) {
	if r.Sign() < 0 {
		return "", fmt.Errorf("内部错误：负数 %s", r.RatString())
	}
	den := new(big.Int).Set(r.Denom())
	k := 0
	ten := big.NewInt(10)
	pow := big.NewInt(1)
	for new(big.Int).Mod(pow, den).Sign() != 0 {
		pow.Mul(pow, ten)
		k++
		if k > 1000 {
			return "", fmt.Errorf("内部错误：%s 不是有限小数", r.RatString())
		}
	}
	// scaled = r × 10^k, an integer.
	scaled := new(big.Int).Mul(r.Num(), pow)
	scaled.Quo(scaled, den)
	digits := scaled.String()
	if k == 0 {
		return digits, nil
	}
	for len(digits) <= k {
		digits = "0" + digits
	}
	ip, fp := digits[:len(digits)-k], strings.TrimRight(digits[len(digits)-k:], "0")
	if fp == "" {
		return ip, nil
	}
	return ip + "." + fp, nil
}

// CanonicalDecimal returns the canonical form of a non-negative decimal string
// (digits, optionally "." and digits): "04.50" → "4.5", "100.0" → "100".
func CanonicalDecimal(s string) (string, error) {
	r, err := parseDecimal(s)
	if err != nil {
		return "", fmt.Errorf("%q %w（应为如 5、4.5、0.75 的十进制数）", s, err)
	}
	return formatDecimal(r)
}

// Count is n = min(N, ceil(N × ratio / 100)) in exact integer arithmetic; ratio is a
// percent decimal string in [0, 100]. Count(200, "7") = 14; Count(1, "0.5") = 1; Count(0, x) = 0.
func Count(n int, ratio string) (int, error) {
	if n < 0 {
		return 0, fmt.Errorf("企业数 %d 不能为负数", n)
	}
	r, err := parseDecimal(ratio)
	if err != nil {
		return 0, fmt.Errorf("抽查比例 %q %w", ratio, err)
	}
	if r.Cmp(hundred) > 0 {
		return 0, fmt.Errorf("抽查比例 %s%% 超过 100%%", ratio)
	}
	// ceil(a/b) for a ≥ 0, b > 0 is (a + b − 1) div b, with a = N × num and b = 100 × den.
	a := new(big.Int).Mul(big.NewInt(int64(n)), r.Num())
	b := new(big.Int).Mul(big.NewInt(100), r.Denom())
	a.Add(a, b)
	a.Sub(a, big.NewInt(1))
	a.Quo(a, b)
	if a.Cmp(big.NewInt(int64(n))) > 0 {
		return n, nil
	}
	return int(a.Int64()), nil
}

var (
	hundred = big.NewRat(100, 1)
	one     = big.NewRat(1, 1)
)
