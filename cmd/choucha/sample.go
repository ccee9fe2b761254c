package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newSampleCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "sample", Short: "（尚未实现）"}
}
