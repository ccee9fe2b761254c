package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newOverlapCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "overlap", Short: "（尚未实现）"}
}
