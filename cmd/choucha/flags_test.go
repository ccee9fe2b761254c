package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// English that Cobra and pflag would print: usage words, "(default 1)", "[flags]", type names.
var englishHelp = regexp.MustCompile(`\(default|\[flags\]|Usage:|Flags:|Available Commands|Global Flags|help for|Use "|\s(string|int|int64|float64|duration|strings)\s{2,}`)

// Every command's help is Chinese, and the flag descriptions line up (CJK counted as two columns).
func TestHelpHasNoEnglish(t *testing.T) {
	root := newRootCommand(&globalOptions{stdout: io.Discard, stderr: io.Discard})
	var walk func(c *cobra.Command, path []string)
	n := 0
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden {
			return
		}
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append(append([]string(nil), path...), "--help"), &stdout, &stderr); code != 0 {
			t.Errorf("%q --help: exit %d %s", path, code, stderr.String())
		}
		out := stdout.String()
		if m := englishHelp.FindString(out); m != "" {
			t.Errorf("%q --help shows %q:\n%s", path, m, out)
		}
		if strings.Contains(out, "（默认 false）") {
			t.Errorf("%q: a bool flag shows its default", path)
		}
		n++
		for _, sub := range c.Commands() {
			if sub.Name() != "help" {
				walk(sub, append(path, sub.Name()))
			}
		}
	}
	walk(root, nil)
	if n < 15 {
		t.Errorf("only %d commands walked", n)
	}
	var stdout bytes.Buffer
	run(context.Background(), []string{"sample", "--help"}, &stdout, io.Discard)
	// The descriptions of --round 轮 and --roster 文件 start in the same column.
	lineRE := regexp.MustCompile(`^(\s+--(\S+)(?: \S+)?)(\s+)\S`)
	col := func(flag string) int {
		for _, l := range strings.Split(stdout.String(), "\n") {
			if m := lineRE.FindStringSubmatch(l); m != nil && m[2] == flag {
				return displayWidth(m[1] + m[3])
			}
		}
		return -1
	}
	if a, b := col("round"), col("roster"); a != b || a < 0 {
		t.Errorf("--round at column %d, --roster at %d:\n%s", a, b, stdout.String())
	}
	if !strings.Contains(stdout.String(), "（默认 1）") {
		t.Errorf("no Chinese default for --round:\n%s", stdout.String())
	}
}

// Flag errors are translated by their type, and every enum flag has the one message.
func TestFlagErrorsInChinese(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sample", "--round", "x"}, "选项 --round 的值“x”无效"},
		{[]string{"sample", "--task", "99999999999999999999"}, "选项 --task 的值“99999999999999999999”超出范围"},
		{[]string{"sample", "-z"}, "未知选项 -z"},
		{[]string{"sample", "--bogus"}, "未知选项 --bogus"},
		{[]string{"sample", "--task"}, "选项 --task 需要一个值"},
		{[]string{"roster", "check", "a.csv", "--format", "xml"}, "--format 只能是 text 或 json，而不是“xml”"},
		{[]string{"ledger", "list", "--format", "yaml"}, "--format 只能是 table 或 json，而不是“yaml”"},
		{[]string{"plan", "list", "--risk", "high"}, "--risk 只能是 progressive、none 或 other，而不是“high”"},
		{[]string{"plan", "export", "--format", "xml"}, "--format 只能是 json、yaml 或 csv，而不是“xml”"},
		{[]string{"plan", "calendar", "--format", "pdf"}, "--format 只能是 table、csv 或 json，而不是“pdf”"},
		{[]string{"overlap", "--format", "pdf"}, "--format 只能是 table、json、csv 或 xlsx，而不是“pdf”"},
		{[]string{"export", "d", "--format", "csv", "--encoding", "big5"}, "--encoding 只能是 utf-8 或 gbk，而不是“big5”"},
		{[]string{"pla"}, "是否要用：plan"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
		if m := regexp.MustCompile(`[A-Za-z]{4,}`).FindAllString(stderr.String(), -1); len(m) > 0 {
			for _, w := range m {
				if !strings.Contains(strings.Join(tt.args, " ")+" choucha help format round roster task bogus encoding risk progressive none other table json yaml text xlsx announce results sheets plan", w) {
					t.Errorf("%q: English %q in %q", tt.args, w, stderr.String())
				}
			}
		}
	}
	// Aliases are accepted: --encoding utf8, --format yml.
	var stdout bytes.Buffer
	if code := run(context.Background(), []string{"plan", "export", "--format", "yml"}, &stdout, io.Discard); code != 0 || !strings.Contains(stdout.String(), "tasks") {
		t.Errorf("--format yml: exit %d", code)
	}
}
