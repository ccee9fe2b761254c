//go:build !windows

package main

// consoleCodePage is 0: only Windows consoles have code pages.
func consoleCodePage() uint32 { return 0 }
