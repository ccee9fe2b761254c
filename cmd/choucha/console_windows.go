//go:build windows

package main

import "syscall"

var getConsoleOutputCP = syscall.NewLazyDLL("kernel32.dll").NewProc("GetConsoleOutputCP")

// consoleCodePage is the console's output code page (936 is GBK), 0 when unknown.
func consoleCodePage() uint32 {
	if getConsoleOutputCP.Find() != nil {
		return 0
	}
	cp, _, _ := getConsoleOutputCP.Call()
	return uint32(cp)
}
