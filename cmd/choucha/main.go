// Command choucha draws the firms and inspectors of a 双随机、一公开 joint random inspection
// from a public seed, records every draw in a tamper-evident ledger, and writes the lists.
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

func main() {
	// Double-clicking choucha.exe in Explorer starts the web page instead of Cobra's
	// "this is a command line tool" notice.
	cobra.MousetrapHelpText = ""
	args := os.Args[1:]
	if len(args) == 0 && startedFromExplorer() {
		code := runMain(explorerArgs())
		if code != exitOK && code != exitInterrupted {
			// The console window would close at once and take the message with it.
			fmt.Fprint(os.Stderr, "\n按回车键关闭此窗口……")
			_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		}
		os.Exit(code)
	}
	os.Exit(runMain(args))
}

// runMain is the process around run: Ctrl-C cancels the context, so a run stops cleanly
// (exit 130) and removes what it had half written. Tests that start choucha as a child
// process go through here too, so they see the real signal handling.
func runMain(args []string) int {
	setMemoryLimit()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	defer startProfiles(os.Stderr)()
	return run(ctx, args, os.Stdout, os.Stderr)
}
