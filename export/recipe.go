package export

import (
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
)

// TicketMessage is the string whose SHA-256 is a firm's ticket (CHOUCHA-SAMPLE-v1:
// "算法|种子|任务编号|轮次|代码").
func TicketMessage(spec, seed, task string, round int, key string) string {
	return spec + "|" + seed + "|" + task + "|" + strconv.Itoa(round) + "|" + key
}

// ShellRecipe is the POSIX shell command (Linux, macOS, Git Bash) that prints the SHA-256 of
// msg: printf writes msg's bytes exactly, without a newline.
func ShellRecipe(msg string) string {
	return "printf '%s' '" + strings.ReplaceAll(msg, "'", `'\''`) + "' | sha256sum"
}

// PowerShellRecipe is the one-liner that prints the SHA-256 of msg, in lowercase hex, on a
// stock Windows PC (Windows PowerShell 5.1 of Windows 10/11, and PowerShell 7): the .NET
// SHA256 class over msg's UTF-8 bytes (no BOM, no newline). In a single-quoted PowerShell
// string only ' is special; it is written twice.
func PowerShellRecipe(msg string) string {
	return "[BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash([Text.Encoding]::UTF8.GetBytes('" +
		strings.ReplaceAll(msg, "'", "''") + "'))).Replace('-','').ToLower()"
}

// ticketCommands are the two recipes that recompute a drawn firm's ticket.
func ticketCommands(m *draw.Manifest, key string) (sh, ps string) {
	msg := TicketMessage(m.Spec, m.Seed, m.Task, m.Round, key)
	return ShellRecipe(msg), PowerShellRecipe(msg)
}
