package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newReplayCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "replay", Short: "（尚未实现）"}
}
