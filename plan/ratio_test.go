package plan

import (
	"encoding/json"
	"math/big"
	"reflect"
	"strings"
	"testing"
)

type cls = map[string]string

const (
	Y = PerYear
	Q = PerQuarter
	M = PerMonth
)

// ratioCases pins the parse of every distinct 抽查比例及频次 string in the 2026 plan
// (TestRatioTableCoversPlan fails when the plan gains one that is not here), plus a few
// forms of the grammar the plan does not use.
var ratioCases = []struct {
	text     string
	percent  string
	atLeast  bool
	minCount int
	perClass map[string]string
	times    int
	per      string
	unspec   bool
}{
	{"0.5%，1次", "0.5", false, 0, nil, 1, Y, false},
	{"1% 1次", "1", false, 0, nil, 1, Y, false},
	{"1%；1次", "1", false, 0, nil, 1, Y, false},
	{"10% 1次", "10", false, 0, nil, 1, Y, false},
	{"10%/年；1次", "10", false, 0, nil, 1, Y, false},
	{"10%; 1次", "10", false, 0, nil, 1, Y, false},
	{"10%， 1次", "10", false, 0, nil, 1, Y, false},
	{"10%，1次", "10", false, 0, nil, 1, Y, false},
	{"10%；1次", "10", false, 0, nil, 1, Y, false},
	{"10%；1次1年", "10", false, 0, nil, 1, Y, false},
	{"10%；2次/年", "10", false, 0, nil, 2, Y, false},
	{"100%", "100", false, 0, nil, 1, Y, false},
	{"100% 1次", "100", false, 0, nil, 1, Y, false},
	{"100%， 1次", "100", false, 0, nil, 1, Y, false},
	{"100%，1次", "100", false, 0, nil, 1, Y, false},
	{"100%；1次", "100", false, 0, nil, 1, Y, false},
	{"100%；1次/季", "100", false, 0, nil, 1, Q, false},
	{"100%；2次", "100", false, 0, nil, 2, Y, false},
	{"15%；1次", "15", false, 0, nil, 1, Y, false},
	{"1次", "", false, 0, nil, 1, Y, true},
	{"2%；2次", "2", false, 0, nil, 2, Y, false},
	{"20% 1次", "20", false, 0, nil, 1, Y, false},
	{"20%; 1次", "20", false, 0, nil, 1, Y, false},
	{"20%，1次", "20", false, 0, nil, 1, Y, false},
	{"20%；1次", "20", false, 0, nil, 1, Y, false},
	{"20%；1次/月", "20", false, 0, nil, 1, M, false},
	{"10%；1次/半年", "10", false, 0, nil, 1, PerHalf, false},
	{"每半年不低于5%", "5", true, 0, nil, 1, PerHalf, false},
	{"每季度不低于5%", "5", true, 0, nil, 1, PerQuarter, false},
	{"25%/年；1次", "25", false, 0, nil, 1, Y, false},
	{"25%，1次", "25", false, 0, nil, 1, Y, false},
	{"25%；1次", "25", false, 0, nil, 1, Y, false},
	{"25%；1次/季", "25", false, 0, nil, 1, Q, false},
	{"3% 1次", "3", false, 0, nil, 1, Y, false},
	{"3%；1次", "3", false, 0, nil, 1, Y, false},
	{"30%; 1次", "30", false, 0, nil, 1, Y, false},
	{"30%，1次", "30", false, 0, nil, 1, Y, false},
	{"30%；1次", "30", false, 0, nil, 1, Y, false},
	{"30%；2次", "30", false, 0, nil, 2, Y, false},
	{"5% 1次", "5", false, 0, nil, 1, Y, false},
	{"5%，1次", "5", false, 0, nil, 1, Y, false},
	{"5%；1次", "5", false, 0, nil, 1, Y, false},
	{"5%；2次", "5", false, 0, nil, 2, Y, false},
	{"50% 1次", "50", false, 0, nil, 1, Y, false},
	{"50%; 1次", "50", false, 0, nil, 1, Y, false},
	{"50%，1次", "50", false, 0, nil, 1, Y, false},
	{"50%；1次", "50", false, 0, nil, 1, Y, false},
	{"50%；2次", "50", false, 0, nil, 2, Y, false},
	{"60%；1次", "60", false, 0, nil, 1, Y, false},
	{"7%；1次", "7", false, 0, nil, 1, Y, false},
	{"80%；1次", "80", false, 0, nil, 1, Y, false},
	{"A类3%，B类5%，C类7%，D类9% 1次", "", false, 0, cls{"A": "3", "B": "5", "C": "7", "D": "9"}, 1, Y, false},
	{"不低于1%；1次", "1", true, 0, nil, 1, Y, false},
	{"不低于10%", "10", true, 0, nil, 1, Y, false},
	{"不低于10% 1次", "10", true, 0, nil, 1, Y, false},
	{"不低于10%， 1次", "10", true, 0, nil, 1, Y, false},
	{"不低于10%，1次", "10", true, 0, nil, 1, Y, false},
	{"不低于10%； 1次", "10", true, 0, nil, 1, Y, false},
	{"不低于10%；1次", "10", true, 0, nil, 1, Y, false},
	{"不低于10%；1次。", "10", true, 0, nil, 1, Y, false},
	{"不低于100%", "100", true, 0, nil, 1, Y, false},
	{"不低于100%，1次", "100", true, 0, nil, 1, Y, false},
	{"不低于100%； 1次", "100", true, 0, nil, 1, Y, false},
	{"不低于100%；1次", "100", true, 0, nil, 1, Y, false},
	{"不低于15%，1次", "15", true, 0, nil, 1, Y, false},
	{"不低于2%，1次", "2", true, 0, nil, 1, Y, false},
	{"不低于2%；1次", "2", true, 0, nil, 1, Y, false},
	{"不低于20% 1次", "20", true, 0, nil, 1, Y, false},
	{"不低于20%，1次", "20", true, 0, nil, 1, Y, false},
	{"不低于20%；1次", "20", true, 0, nil, 1, Y, false},
	{"不低于20%；2次", "20", true, 0, nil, 2, Y, false},
	{"不低于25%；1次", "25", true, 0, nil, 1, Y, false},
	{"不低于3% 1次", "3", true, 0, nil, 1, Y, false},
	{"不低于3%，1次", "3", true, 0, nil, 1, Y, false},
	{"不低于3%；1次", "3", true, 0, nil, 1, Y, false},
	{"不低于3%；1次。", "3", true, 0, nil, 1, Y, false},
	{"不低于30%", "30", true, 0, nil, 1, Y, false},
	{"不低于30%， 1次", "30", true, 0, nil, 1, Y, false},
	{"不低于30%，1次", "30", true, 0, nil, 1, Y, false},
	{"不低于30%，2次", "30", true, 0, nil, 2, Y, false},
	{"不低于30%； 1次", "30", true, 0, nil, 1, Y, false},
	{"不低于30%；1次", "30", true, 0, nil, 1, Y, false},
	{"不低于33%；1次", "33", true, 0, nil, 1, Y, false},
	{"不低于35%；1次", "35", true, 0, nil, 1, Y, false},
	{"不低于4%；1次", "4", true, 0, nil, 1, Y, false},
	{"不低于40%，1次", "40", true, 0, nil, 1, Y, false},
	{"不低于40%；1次", "40", true, 0, nil, 1, Y, false},
	{"不低于5%", "5", true, 0, nil, 1, Y, false},
	{"不低于5%，1次", "5", true, 0, nil, 1, Y, false},
	{"不低于5%；1次", "5", true, 0, nil, 1, Y, false},
	{"不低于50%", "50", true, 0, nil, 1, Y, false},
	{"不低于50% 1次", "50", true, 0, nil, 1, Y, false},
	{"不低于50%，1次", "50", true, 0, nil, 1, Y, false},
	{"不低于50%； 1次", "50", true, 0, nil, 1, Y, false},
	{"不低于50%；1次", "50", true, 0, nil, 1, Y, false},
	{"不低于50%；1次年", "50", true, 0, nil, 1, Y, false},
	{"不低于5户，1次", "", true, 5, nil, 1, Y, false},
	{"不低于60%，1次", "60", true, 0, nil, 1, Y, false},
	{"不小于5%；1次", "5", true, 0, nil, 1, Y, false},
	{"比例10%; 1次", "10", false, 0, nil, 1, Y, false},
	{"比例10%；1次", "10", false, 0, nil, 1, Y, false},
	{"比例5%；1次", "5", false, 0, nil, 1, Y, false},
	// Beyond the plan: the rest of the grammar.
	{"１０％；１次／季", "10", false, 0, nil, 1, Q, false},
	{"不少于5户", "", true, 5, nil, 1, Y, false},
	{"3户；1次", "", false, 3, nil, 1, Y, false},
	{"每月1次", "", false, 0, nil, 1, M, true},
	{"05.50%", "5.5", false, 0, nil, 1, Y, false},
	{"0.50%；3次/季度", "0.5", false, 0, nil, 3, Q, false},
	{"A类不低于2%、D类100%；2次/年", "", true, 0, cls{"A": "2", "D": "100"}, 2, Y, false},
	{"比例不低于10%，1次/1年", "10", true, 0, nil, 1, Y, false},
	{"10%，不低于5户，1次", "10", true, 5, nil, 1, Y, false},
	// A class written with a colon, with or without 类 (Chongqing 2024: one class a line).
	{"A:3%;\nB:4%;\nC:5%;\nD:6%", "", false, 0, cls{"A": "3", "B": "4", "C": "5", "D": "6"}, 1, Y, false},
	{"A：3%；B：5%", "", false, 0, cls{"A": "3", "B": "5"}, 1, Y, false},
	{"A类：3%，B类:不低于5%，1次", "", true, 0, cls{"A": "3", "B": "5"}, 1, Y, false},
}

func TestParseRatio(t *testing.T) {
	for _, c := range ratioCases {
		r, err := ParseRatio(c.text)
		if err != nil {
			t.Errorf("ParseRatio(%q): %v", c.text, err)
			continue
		}
		if r.Text != c.text || r.Percent != c.percent || r.AtLeast != c.atLeast || r.MinCount != c.minCount ||
			r.Times != c.times || r.Per != c.per || r.Unspecified != c.unspec || !sameClasses(r.PerClass, c.perClass) {
			t.Errorf("ParseRatio(%q) = %+v, want percent=%q at_least=%v min=%d per_class=%v times=%d per=%s unspecified=%v",
				c.text, r, c.percent, c.atLeast, c.minCount, c.perClass, c.times, c.per, c.unspec)
		}
	}
}

func sameClasses(a, b map[string]string) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRatioTableCoversPlan(t *testing.T) {
	p := embedded(t)
	known := map[string]bool{}
	for _, c := range ratioCases {
		known[c.text] = true
	}
	distinct := map[string]bool{}
	for _, task := range p.Tasks {
		distinct[task.Ratio.Text] = true
		if !known[task.Ratio.Text] {
			t.Errorf("task %d: ratio %q is not pinned in ratioCases", task.Seq, task.Ratio.Text)
		}
	}
	if len(distinct) != 99 {
		t.Errorf("the plan has %d distinct ratio strings, want 99", len(distinct))
	}
}

func TestParseRatioErrors(t *testing.T) {
	for _, s := range []string{
		"", "。", "无", "约10%", "10", "10%%", "0%；1次", "101%", "100.01%", "10%；0次", "10%；1.5次",
		"10%；1次；2次", "10%，20%", "A类3%，A类5%", "E类3%", "10%；1次/周", "10%/月；1次/年",
		"99999999999999999999次", "1000次", "10%；1次/",
		"A:3%，A类5%", "E:3%", "A:", "A:类3%", "A类::3%", "A3%",
	} {
		if r, err := ParseRatio(s); err == nil {
			t.Errorf("ParseRatio(%q) = %+v, want an error", s, r)
		}
	}
}

// FuzzParseRatio: whatever the cell, a parse that succeeds is in range (times, period,
// percentages in (0, 100] exactly, classes A–D, canonical decimals), keeps the cell as its
// text, reads back whole from the plan's JSON, and is the same when the cell is written in
// full-width forms (０-９, ％, ；…).
func FuzzParseRatio(f *testing.F) {
	for _, c := range ratioCases {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRatio(s)
		if err != nil {
			return
		}
		if r.Times < 1 || r.Times > maxTimes {
			t.Errorf("ParseRatio(%q): times %d out of range", s, r.Times)
		}
		if r.Per != PerYear && r.Per != PerHalf && r.Per != PerQuarter && r.Per != PerMonth {
			t.Errorf("ParseRatio(%q): per %q", s, r.Per)
		}
		if r.Unspecified != (r.Percent == "" && r.PerClass == nil && r.MinCount == 0) {
			t.Errorf("ParseRatio(%q): unspecified %v inconsistent", s, r.Unspecified)
		}
		for _, pct := range append([]string{r.Percent}, values(r.PerClass)...) {
			if pct != "" && canonDecimal(pct) != pct {
				t.Errorf("ParseRatio(%q): percent %q not canonical", s, pct)
			}
		}
		for k, pct := range r.PerClass {
			if len(k) != 1 || k < "A" || k > "D" {
				t.Errorf("ParseRatio(%q): class %q", s, k)
			}
			if !inPercentRange(pct) {
				t.Errorf("ParseRatio(%q): class %s percent %q not in (0, 100]", s, k, pct)
			}
		}
		if r.Percent != "" && !inPercentRange(r.Percent) {
			t.Errorf("ParseRatio(%q): percent %q not in (0, 100]", s, r.Percent)
		}
		if r.Text != s || r.MinCount < 0 {
			t.Errorf("ParseRatio(%q): text %q, min count %d", s, r.Text, r.MinCount)
		}
		// The plan's JSON carries the parse whole: reading it back gives the same ratio.
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Ratio
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, r) {
			t.Errorf("ParseRatio(%q): JSON %s reads back as %+v (%v), want %+v", s, b, back, err, r)
		}
		// Full-width digits and punctuation read as their ASCII forms.
		wide, werr := ParseRatio(widen(s))
		wide.Text = r.Text
		if werr != nil || !reflect.DeepEqual(wide, r) {
			t.Errorf("ParseRatio(%q) = %+v, but written in full-width forms %+v (%v)", s, r, wide, werr)
		}
		if got := RoundsIn(r, Window{From: 1, To: 12}); got < 1 {
			t.Errorf("ParseRatio(%q): %d rounds in a year", s, got)
		}
		_ = r.Describe()
	})
}

// inPercentRange reports whether a decimal string is a percentage in (0, 100], exactly.
func inPercentRange(p string) bool {
	v, ok := new(big.Rat).SetString(p)
	return ok && v.Sign() > 0 && v.Cmp(big.NewRat(100, 1)) <= 0
}

// widen writes s in full-width forms: printable ASCII as U+FF01–U+FF5E, space as U+3000.
func widen(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0x20 && r < 0x7F:
			return r + 0xFEE0
		case r == ' ':
			return 0x3000
		}
		return r
	}, s)
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestRoundsIn(t *testing.T) {
	cases := []struct {
		ratio    string
		from, to int
		want     int
	}{
		{"20%；1次", 3, 12, 1},
		{"10%；2次/年", 3, 12, 2},
		{"20%；1次/月", 2, 12, 11}, // task 218
		{"20%；1次/月", 3, 5, 3},   // task 267
		{"25%；1次/季", 4, 6, 1},   // task 268: one quarter
		{"100%；1次/季", 3, 12, 4}, // task 291: Q1 (March) to Q4
		{"100%；1次/季", 1, 12, 4}, // task 295
		{"10%；2次/季", 3, 4, 4},   // March is Q1, April Q2
		{"10%；1次/季", 7, 7, 1},
		{"10%；1次/半年", 1, 12, 2},
		{"10%；1次/半年", 4, 9, 2}, // April is the first half, September the second
		{"10%；2次/半年", 7, 12, 2},
		{"10%；1次/半年", 3, 6, 1},
	}
	for _, c := range cases {
		r, err := ParseRatio(c.ratio)
		if err != nil {
			t.Fatal(err)
		}
		if got := RoundsIn(r, Window{From: c.from, To: c.to}); got != c.want {
			t.Errorf("RoundsIn(%q, %d–%d) = %d, want %d", c.ratio, c.from, c.to, got, c.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	cases := map[string]string{
		"不低于30%，1次":              "抽查比例不低于30%（户数向上取整），每年抽查1次",
		"A类3%，B类5%，C类7%，D类9% 1次": "按信用风险分类抽查：A类3%、B类5%、C类7%、D类9%，每年抽查1次",
		"不低于5户，1次":               "抽查不少于5户，每年抽查1次",
		"1次":                     "未规定抽查比例或户数，每年抽查1次",
		"20%；1次/月":               "抽查比例20%（户数向上取整），每月抽查1次",
		"25%；1次/季":               "抽查比例25%（户数向上取整），每季度抽查1次",
	}
	for in, want := range cases {
		r, err := ParseRatio(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Describe(); got != want {
			t.Errorf("Describe(%q) = %q, want %q", in, got, want)
		}
	}
}
