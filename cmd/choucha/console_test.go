package main

import (
	"bytes"
	"strings"
	"testing"
)

// Ambiguous-width characters (— “ ” …) are one column on UTF-8 terminals and two on a GBK
// console; the table's borders line up for the console it is printed on.
func TestTableAmbiguousWidth(t *testing.T) {
	for _, c := range []struct {
		lang string
		wide bool
	}{
		{"zh_CN.UTF-8", false},
		{"C.UTF-8", false},
		{"", false},
		{"zh_CN.GBK", true},
		{"zh_CN.gb18030", true},
	} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_CTYPE", "")
		t.Setenv("LANG", c.lang)
		if got := ambiguousWide(); got != c.wide {
			t.Errorf("LANG=%q: ambiguousWide %v, want %v", c.lang, got, c.wide)
		}
		var buf bytes.Buffer
		if err := printTable(&buf, []string{"时间"}, [][]string{{"4月—6月"}, {"4月至6月"}}); err != nil {
			t.Fatal(err)
		}
		// 4月至6月 is 1+2+2+1+2 = 8 columns; 4月—6月 is 7 with — narrow (one padding space more
		// than the two around every cell), 8 with — wide.
		row := strings.Split(strings.TrimSpace(buf.String()), "\n")[3] // "| 4月—6月  |"
		want := map[bool]int{false: 3, true: 2}[c.wide]
		if n := strings.Count(row, " "); n != want {
			t.Errorf("LANG=%q: row %q has %d spaces, want %d", c.lang, row, n, want)
		}
	}
}
