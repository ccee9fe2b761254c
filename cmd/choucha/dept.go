package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newDeptCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "dept", Short: "（尚未实现）"}
}
