package plan

import "golang.org/x/text/encoding/simplifiedchinese"

func gbEncode(s string) ([]byte, error) {
	return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
}
