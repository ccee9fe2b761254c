package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newLedgerCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "ledger", Short: "（尚未实现）"}
}
