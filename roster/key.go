package roster

import (
	"errors"
	"fmt"
	"strings"
)

// ChecksumError is an identifier whose last character is not the check character of the rest:
// a 统一社会信用代码 against GB 32100-2015 (the roster reader keeps such a row, with a warning:
// some codes issued before 2016 genuinely fail the check) or a 15-digit 注册号 against
// GS 15-2006 (the reader excludes the row). ParseKey returns the key with it.
type ChecksumError struct {
	Key  string // the canonical identifier
	Want byte   // the check character the other characters give
}

func (e *ChecksumError) Error() string {
	last := e.Key[len(e.Key)-1]
	if len(e.Key) == 15 {
		return fmt.Sprintf("15位注册号 %s 的校验位不符：按 GS 15-2006，第15位应为 %c，而不是 %c", e.Key, e.Want, last)
	}
	return fmt.Sprintf("统一社会信用代码 %s 的校验位不符：按 GB 32100-2015，第18位应为 %c，而不是 %c", e.Key, e.Want, last)
}

// ParseKey reads one identifier given on its own (choucha ticket --key) by the rule the roster
// reader applies to a code cell: the canonical key (CanonicalKey: NFKC, no spaces, upper case)
// a roster row with this 统一社会信用代码 or 注册号 is drawn under, or why no row can have it.
// An identifier with a wrong check character comes back with its key and a *ChecksumError.
func ParseKey(s string) (string, error) {
	key, kind := classifyID(s)
	switch {
	case kind == idBadChecksum:
		want, _ := usccCheck(key)
		return key, &ChecksumError{Key: key, Want: want}
	case kind == idRegNoCheck:
		return key, &ChecksumError{Key: key, Want: RegNoCheckDigit(key[:14])}
	case kind.usable():
		return key, nil
	case kind == idMissing:
		return "", fmt.Errorf("代码为空")
	case kind == idNumeric:
		return "", fmt.Errorf("代码“%s”是以数字保存的（科学计数法或后几位被补成0），后几位已丢失，不是统一社会信用代码或注册号", strings.TrimSpace(s))
	}
	return "", fmt.Errorf("“%s”既不是18位统一社会信用代码，也不是15位、13位或农民专业合作社注册号", strings.TrimSpace(s))
}

// UsableKey is ParseKey for a list of firms' codes (an --exclude file): the key a roster row
// with this identifier is drawn under, and nil; a 统一社会信用代码 with a wrong check character
// is such a key (the roster keeps that row, with a warning). err says why no row can have it.
func UsableKey(s string) (string, error) {
	key, err := ParseKey(s)
	var ce *ChecksumError
	if errors.As(err, &ce) && len(ce.Key) == 18 {
		return key, nil
	}
	return key, err
}
