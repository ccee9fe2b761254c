package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newRosterCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "roster", Short: "（尚未实现）"}
}
