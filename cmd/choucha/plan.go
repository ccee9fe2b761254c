package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newPlanCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "plan", Short: "（尚未实现）"}
}
