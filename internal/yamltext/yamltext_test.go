package yamltext

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestError(t *testing.T) {
	type task struct {
		Task   int    `yaml:"task"`
		Roster string `yaml:"roster"`
	}
	decode := func(src string) error {
		var v struct {
			Tasks []task `yaml:"tasks"`
		}
		dec := yaml.NewDecoder(strings.NewReader(src))
		dec.KnownFields(true)
		return dec.Decode(&v)
	}
	cases := []struct{ src, want string }{
		{"tasks:\n  - task: 1\n    bogus: 2\n", "b.yaml 格式有误：第3行未知的键“bogus”"},
		{"tasks:\n  - task: abc\n", "b.yaml 格式有误：第2行值“abc”的类型不对（此处应为整数）"},
		{"tasks: [\n", "b.yaml 格式有误："},
		{"tasks:\n\t- task: 1\n", "b.yaml 格式有误：第2行有不能出现在开头的字符（如制表符，请用空格缩进）"},
		{"a: 1\na: 2\n", "b.yaml 格式有误：第2行键“a”重复（第1行已有）"},
	}
	for _, c := range cases {
		err := Error("b.yaml", decode(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q…", c.src, err, c.want)
		}
		for _, en := range []string{"field ", "cannot unmarshal", "did not find", "not found in type"} {
			if err != nil && strings.Contains(err.Error(), en) {
				t.Errorf("%q: English reaches the user: %v", c.src, err)
			}
		}
	}
	if Error("b.yaml", nil) != nil {
		t.Error("nil error became an error")
	}
}
