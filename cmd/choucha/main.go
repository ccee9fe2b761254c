// Command choucha draws the firms and inspectors of a 双随机、一公开 joint random inspection
// from a public seed, records every draw in a tamper-evident ledger, and writes the lists.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
