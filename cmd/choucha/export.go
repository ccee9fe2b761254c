package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newExportCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "export", Short: "（尚未实现）"}
}
