package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// Exit codes come from error types, never from the error's text (B3: a roster named
// "invalid argument.xlsx" made `roster check` exit 2 with the usage hint, because the
// message contained Cobra's words "invalid argument").
func TestExitCodeFromTypeNotText(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"roster", "check", "invalid argument.xlsx"}, exitFailure, "invalid argument.xlsx"},
		{[]string{"roster", "check", "unknown flag accepts 1 arg(s).csv"}, exitFailure, "unknown flag accepts"},
		{[]string{"plan", "show"}, exitUsage, "该命令需要 1 个参数，收到 0 个"},
		{[]string{"plan", "show", "1", "2"}, exitUsage, "该命令需要 1 个参数，收到 2 个"},
		{[]string{"nosuch"}, exitUsage, "没有命令或参数“nosuch”"},
		{[]string{"plan", "nosuch"}, exitUsage, "“choucha plan”没有命令“nosuch”"},
		{[]string{"sample", "--bogus"}, exitUsage, "未知选项 --bogus"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
		usageHint := strings.Contains(stderr.String(), "查看用法")
		if usageHint != (tt.code == exitUsage) {
			t.Errorf("%q: usage hint %v with exit %d: %s", tt.args, usageHint, code, stderr.String())
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files written: %v", ents)
	}
}
