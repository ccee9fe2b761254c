// Package apperr is the one error type of choucha: a Simplified-Chinese message, an
// optional hint (what to do next) and the process exit code. Every package returns plain
// wrapped errors or an *Error; the CLI's printError reads them with errors.As, so nothing
// is recognised by its text.
package apperr

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Exit codes (documented in the root command's help).
const (
	CodeFailure     = 1   // bad input, failed draw, ledger check failed…
	CodeUsage       = 2   // wrong arguments or options
	CodeInterrupted = 130 // Ctrl-C
)

// Error carries what the user reads. Msg is the message (if empty, Err's text is shown);
// Hint is printed after it as `choucha: 提示: …` (several lines allowed); Code is the exit
// code (0 means "whatever the wrapped error says, else 1"); Err is the cause, kept for
// errors.Is/As.
type Error struct {
	Msg  string
	Hint string
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return "未知错误"
}

func (e *Error) Unwrap() error { return e.Err }

// New formats a message like fmt.Errorf (%w keeps the cause for errors.Is).
func New(format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Msg: err.Error(), Err: errors.Unwrap(err)}
}

// Hint attaches what to do next to err. A nil err stays nil.
func Hint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Hint: hint}
}

// Usage marks err as an error in how the command was called (exit 2). A nil err stays nil.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Code: CodeUsage}
}

// Usagef is Usage(fmt.Errorf(format, args...)).
func Usagef(format string, args ...any) error {
	return Usage(fmt.Errorf(format, args...))
}

// each calls fn for every *Error in err's chain, outermost first, until fn returns true.
func each(err error, fn func(*Error) bool) {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return
		}
		if fn(e) {
			return
		}
		err = e.Err
	}
}

// CodeOf is the exit code err asks for: the outermost non-zero Code in its chain, else 1.
// A nil error is 0.
func CodeOf(err error) int {
	if err == nil {
		return 0
	}
	code := CodeFailure
	each(err, func(e *Error) bool {
		if e.Code != 0 {
			code = e.Code
			return true
		}
		return false
	})
	return code
}

// IsUsage reports whether err is a usage error (exit 2).
func IsUsage(err error) bool { return CodeOf(err) == CodeUsage }

// HintOf is the outermost non-empty hint in err's chain.
func HintOf(err error) string {
	hint := ""
	each(err, func(e *Error) bool {
		if e.Hint != "" {
			hint = e.Hint
			return true
		}
		return false
	})
	return hint
}

// FromOS turns an error of the operating system about path into Chinese: not found,
// permission denied, disk full, read-only file system, a folder where a file was expected.
// The cause stays wrapped. Errors that are not recognised are wrapped with the path.
func FromOS(path string, err error) error {
	if err == nil {
		return nil
	}
	var msg string
	switch {
	case errors.Is(err, os.ErrNotExist):
		msg = fmt.Sprintf("找不到 %s", path)
	case errors.Is(err, os.ErrPermission):
		msg = fmt.Sprintf("没有权限访问 %s", path)
	case errors.Is(err, syscall.ENOSPC):
		msg = fmt.Sprintf("磁盘空间不足，无法写入 %s", path)
	case errors.Is(err, syscall.EROFS):
		msg = fmt.Sprintf("%s 在只读的磁盘或文件系统上，无法写入", path)
	case errors.Is(err, syscall.EISDIR):
		msg = fmt.Sprintf("%s 是文件夹，不是文件", path)
	case errors.Is(err, syscall.ENOTDIR):
		msg = fmt.Sprintf("%s 的路径中有一段不是文件夹", path)
	case errors.Is(err, syscall.ENAMETOOLONG):
		msg = fmt.Sprintf("文件名过长：%s", path)
	case errors.Is(err, os.ErrExist):
		msg = fmt.Sprintf("%s 已存在", path)
	default:
		var pe *os.PathError
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("访问 %s 失败（%s）", path, syscallText(pe.Err))
		} else {
			msg = fmt.Sprintf("访问 %s 失败（%v）", path, err)
		}
	}
	return &Error{Msg: msg, Err: err}
}

// syscallText names an errno in Chinese when it is one users meet, else gives its text.
func syscallText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EIO:
			return "读写磁盘出错"
		case syscall.EBUSY:
			return "文件正被占用"
		case syscall.EMFILE, syscall.ENFILE:
			return "打开的文件过多"
		case syscall.ELOOP:
			return "符号链接层数过多"
		}
	}
	return err.Error()
}
