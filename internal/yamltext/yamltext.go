// Package yamltext turns the errors of gopkg.in/yaml.v3 into Chinese: the files choucha
// reads as YAML (policy, department map, holidays, batch) are written by hand by office
// staff, and "line 2: field bogus not found in type batch.Task" tells them nothing.
package yamltext

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	lineRE     = regexp.MustCompile(`^line (\d+): (.*)$`)
	fieldRE    = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	unmarshRE  = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")
	alreadyRE  = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	typeWords  = map[string]string{"int": "整数", "string": "文字", "bool": "true 或 false", "float64": "数字", "map": "键值对", "seq": "列表", "str": "文字"}
	syntaxRepl = []struct{ en, zh string }{
		{"did not find expected node content", "缺少内容或缩进不对"},
		{"did not find expected key", "缩进不对或缺少冒号"},
		{"mapping values are not allowed in this context", "此处不能写“键: 值”（缩进不对或值中有未加引号的冒号）"},
		{"found character that cannot start any token", "有不能出现在开头的字符（如制表符，请用空格缩进）"},
		{"could not find expected ':'", "缺少冒号"},
		{"found unexpected end of stream", "文件意外结束（引号或括号没有成对）"},
		{"did not find expected '-' indicator", "列表项缩进不对"},
	}
)

// Error describes a YAML error of the file name in Chinese, one problem a line, keeping the
// line numbers. Errors that are not YAML's are returned as they are.
func Error(name string, err error) error {
	if err == nil {
		return nil
	}
	d, ok := detail(err)
	if !ok {
		return err
	}
	return fmt.Errorf("%s 格式有误：%s", name, d)
}

// Detail is the Chinese description of a YAML error alone ("第3行未知的键“bogus”"), or
// the error's own text when it is not YAML's.
func Detail(err error) string {
	d, _ := detail(err)
	return d
}

func detail(err error) (string, bool) {
	var te *yaml.TypeError
	var lines []string
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		msg := err.Error()
		if !strings.HasPrefix(msg, "yaml: ") {
			return msg, false
		}
		lines = []string{strings.TrimPrefix(msg, "yaml: ")}
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, line(strings.TrimSpace(l)))
	}
	return strings.Join(out, "；"), true
}

func line(s string) string {
	where := ""
	if m := lineRE.FindStringSubmatch(s); m != nil {
		where, s = "第"+m[1]+"行", m[2]
	}
	what := s
	switch {
	case fieldRE.MatchString(s):
		what = fmt.Sprintf("未知的键“%s”（检查拼写，可用的键见说明）", fieldRE.FindStringSubmatch(s)[1])
	case unmarshRE.MatchString(s):
		m := unmarshRE.FindStringSubmatch(s)
		want := typeWords[strings.TrimPrefix(strings.TrimPrefix(m[3], "[]"), "map[string]")]
		if want == "" {
			want = "另一种写法"
		}
		what = fmt.Sprintf("值“%s”的类型不对（此处应为%s）", m[2], want)
	case alreadyRE.MatchString(s):
		m := alreadyRE.FindStringSubmatch(s)
		what = fmt.Sprintf("键“%s”重复（第%s行已有）", m[1], m[2])
	default:
		for _, r := range syntaxRepl {
			if strings.Contains(s, r.en) {
				what = r.zh
				break
			}
		}
		if what == s {
			what = "YAML 写法有误（" + s + "）"
		}
	}
	if where == "" {
		return what
	}
	return where + what
}
