// Command choucha draws the firms and inspectors of a 双随机、一公开 joint random inspection
// from a public seed, records every draw in a tamper-evident ledger, and writes the lists.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() { os.Exit(runMain(os.Args[1:])) }

// runMain is the process around run: Ctrl-C cancels the context, so a run stops cleanly
// (exit 130) and removes what it had half written. Tests that start choucha as a child
// process go through here too, so they see the real signal handling.
func runMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return run(ctx, args, os.Stdout, os.Stderr)
}
