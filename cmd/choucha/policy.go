package main

import "github.com/spf13/cobra"

// TODO(stub): replaced by the real command.
func newPolicyCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "policy", Short: "（尚未实现）"}
}
