package main

import (
	"os"
	"strings"
)

// ambiguousWide tells whether the console draws East-Asian "ambiguous" characters (— “ ” …
// ① and the like) two columns wide: a GBK console (Windows code page 936, or a GBK/GB18030
// locale elsewhere) does; UTF-8 terminals draw them one column wide. CJK ideographs are two
// columns either way. Tables are laid out for what the console draws (issue 16: plan list was
// misaligned on terminals that draw — as one column).
func ambiguousWide() bool {
	if consoleCodePage() == 936 {
		return true
	}
	for _, v := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if s := strings.ToLower(os.Getenv(v)); s != "" {
			return strings.Contains(s, "gbk") || strings.Contains(s, "gb2312") || strings.Contains(s, "gb18030")
		}
	}
	return false
}
