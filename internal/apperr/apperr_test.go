package apperr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCodeAndHintThroughWrapping(t *testing.T) {
	base := errors.New("名录有误")
	tests := []struct {
		name string
		err  error
		code int
		hint string
		text string
	}{
		{"plain", base, 1, "", "名录有误"},
		{"hint", Hint(base, "改一改"), 1, "改一改", "名录有误"},
		{"usage", Usage(base), 2, "", "名录有误"},
		{"usage around hint", Usage(Hint(base, "看帮助")), 2, "看帮助", "名录有误"},
		{"wrapped by fmt", fmt.Errorf("读取 a.csv: %w", Hint(Usage(base), "h")), 2, "h", "读取 a.csv: 名录有误"},
		{"outer hint wins", Hint(Hint(base, "inner"), "outer"), 1, "outer", "名录有误"},
		{"new", New("第%d行: %w", 3, base), 1, "", "第3行: 名录有误"},
		{"explicit code", &Error{Msg: "中断", Code: CodeInterrupted}, 130, "", "中断"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.code {
				t.Errorf("code %d, want %d", got, tt.code)
			}
			if got := HintOf(tt.err); got != tt.hint {
				t.Errorf("hint %q, want %q", got, tt.hint)
			}
			if got := tt.err.Error(); got != tt.text {
				t.Errorf("text %q, want %q", got, tt.text)
			}
		})
	}
	if !errors.Is(New("x: %w", context.Canceled), context.Canceled) {
		t.Error("New loses the cause")
	}
	if Hint(nil, "h") != nil || Usage(nil) != nil || FromOS("p", nil) != nil || CodeOf(nil) != 0 {
		t.Error("nil must stay nil")
	}
}

// An error whose English text looks like a Cobra usage error is not a usage error (B3).
func TestUsageIsATypeNotAText(t *testing.T) {
	err := errors.New(`open invalid argument.xlsx: accepts 1 arg(s), unknown flag`)
	if IsUsage(err) || CodeOf(err) != 1 {
		t.Errorf("text decided the exit code: %d", CodeOf(err))
	}
}

func TestFromOS(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "无.txt")
	_, err := os.Open(missing)
	e := FromOS(missing, err)
	if e.Error() != "找不到 "+missing || !errors.Is(e, os.ErrNotExist) {
		t.Errorf("not found: %v", e)
	}
	_, err = os.ReadFile(dir)
	if got := FromOS(dir, err).Error(); got != dir+" 是文件夹，不是文件" {
		t.Errorf("folder: %s", got)
	}
	for errno, want := range map[syscall.Errno]string{
		syscall.ENOSPC: "磁盘空间不足，无法写入 f",
		syscall.EROFS:  "f 在只读的磁盘或文件系统上，无法写入",
		syscall.EACCES: "没有权限访问 f",
	} {
		got := FromOS("f", &os.PathError{Op: "write", Path: "f", Err: errno}).Error()
		if got != want {
			t.Errorf("%v: %q, want %q", errno, got, want)
		}
		if strings.ContainsAny(got, "abcdeghijklmnopqrstuvwxyz") {
			t.Errorf("English left in %q", got)
		}
	}
}
