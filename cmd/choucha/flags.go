package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/text/width"
)

// enumValue is a flag that takes one of a fixed set of words (--format, --risk, --encoding):
// anything else is refused while the flags are parsed, with the one message
// "--format 只能是 table 或 json，而不是“x”" (exit 2).
type enumValue struct {
	name    string
	p       *string
	allowed []string
	aliases map[string]string // other spellings → allowed word (utf8 → utf-8)
}

// enumVar defines --name (shorthand may be "") taking one of allowed; def is the default ("":
// none). aliases may map further spellings to allowed words.
func enumVar(f *pflag.FlagSet, p *string, name, shorthand, def, usage string, allowed []string, aliases map[string]string) {
	*p = def
	f.VarP(&enumValue{name: name, p: p, allowed: allowed, aliases: aliases}, name, shorthand, usage)
}

func (e *enumValue) String() string { return *e.p }
func (e *enumValue) Type() string   { return "string" }

func (e *enumValue) Set(s string) error {
	v := strings.ToLower(strings.TrimSpace(s))
	if a, ok := e.aliases[v]; ok {
		v = a
	}
	for _, a := range e.allowed {
		if v == a {
			*e.p = a
			return nil
		}
	}
	return apperr.Usagef("--%s 只能是 %s，而不是“%s”", e.name, orList(e.allowed), s)
}

// orList writes "a、b 或 c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], "、") + " 或 " + words[len(words)-1]
}

// flagError turns pflag's parse errors into the tool's language by their type (exit 2).
func flagError(_ *cobra.Command, err error) error {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		if sh := notExist.GetSpecifiedShortnames(); sh != "" {
			return apperr.Usagef("未知选项 -%c", []rune(notExist.GetSpecifiedName())[0])
		}
		return apperr.Usagef("未知选项 --%s", notExist.GetSpecifiedName())
	case errors.As(err, &required):
		if required.GetSpecifiedShortnames() != "" {
			return apperr.Usagef("选项 -%c 需要一个值", []rune(required.GetSpecifiedName())[0])
		}
		return apperr.Usagef("选项 --%s 需要一个值", required.GetSpecifiedName())
	case errors.As(err, &invalid):
		name := "--" + invalid.GetFlag().Name
		var ours *apperr.Error
		switch {
		case errors.As(invalid.Unwrap(), &ours):
			return apperr.Usage(ours)
		case errors.Is(invalid.Unwrap(), strconv.ErrRange):
			return apperr.Usagef("选项 %s 的值“%s”超出范围", name, invalid.GetValue())
		}
		return apperr.Usagef("选项 %s 的值“%s”无效", name, invalid.GetValue())
	case errors.As(err, &syntax):
		return apperr.Usagef("选项写法有误：%s", syntax.GetSpecifiedFlag())
	}
	return apperr.Usage(err)
}

// typeWords name the value of a flag that has no `name` in its usage.
var typeWords = map[string]string{
	"string": "文字", "int": "整数", "int64": "整数", "uint": "整数", "float64": "数",
	"duration": "时长", "stringSlice": "文字", "stringArray": "文字", "intSlice": "整数",
}

// flagUsages lists a command's flags as pflag's FlagUsages does, in Chinese ("（默认 1）"),
// the descriptions aligned by display width (a CJK character is two columns).
func flagUsages(fs *pflag.FlagSet) string {
	type line struct{ name, usage string }
	var lines []line
	widest := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "  -" + f.Shorthand + ", --" + f.Name
		}
		varname, usage := pflag.UnquoteUsage(f)
		usage = joinCJK(usage)
		if w, ok := typeWords[varname]; ok {
			varname = w
		}
		if varname != "" && f.Value.Type() != "bool" {
			name += " " + varname
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" && f.Value.Type() != "bool" {
			usage += "（默认 " + d + "）"
		}
		lines = append(lines, line{name, usage})
		widest = max(widest, displayWidth(name))
	})
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s%s   %s\n", l.name, strings.Repeat(" ", widest-displayWidth(l.name)), l.usage)
	}
	return strings.TrimRight(b.String(), "\n")
}

// joinCJK removes a space between two wide characters ("台账数据库 文件" → "台账数据库文件"):
// the space that sets off a `placeholder` in a flag's usage is right in English text only.
func joinCJK(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if c == ' ' && i > 0 && i+1 < len(r) && isWide(r[i-1]) && isWide(r[i+1]) {
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isWide(r rune) bool {
	k := width.LookupRune(r).Kind()
	return k == width.EastAsianWide || k == width.EastAsianFullwidth
}

// displayWidth counts the terminal columns of s: wide and fullwidth characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// useLine is cobra's use line with its "[flags]" in Chinese.
func useLine(s string) string { return strings.ReplaceAll(s, "[flags]", "[选项]") }

// addTemplateFuncs makes flagUsages and useLine available to usageTemplate.
func addTemplateFuncs() {
	cobra.AddTemplateFunc("flagUsages", flagUsages)
	cobra.AddTemplateFunc("useLine", useLine)
}
