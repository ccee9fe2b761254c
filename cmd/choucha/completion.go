package main

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/choucha/choucha/plan"
)

// fileFlags are the flags that name an input file, with the extensions shell completion
// offers for them.
var fileFlags = map[string][]string{
	"roster":          {"xlsx", "csv", "tsv", "txt"},
	"inspectors":      {"xlsx", "csv", "tsv", "txt"},
	"plan":            {"xlsx", "txt", "tsv"},
	"policy":          {"yaml", "yml"},
	"dept-map":        {"yaml", "yml"},
	"holidays":        {"yaml", "yml"},
	"batch":           {"yaml", "yml"},
	"exclude":         {"txt", "csv"},
	"from-sql-result": {"csv"},
}

// registerCompletions adds shell completion for flag values on every command: the task
// numbers of the built-in plan for --task (with the task's name), the allowed words of every
// word flag (--format, --risk, --encoding …), and files of the right kind for file flags.
func registerCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			switch {
			case f.Name == "task" && f.Value.Type() == "string":
				// ledger list --task takes a task key (CZ2026-292)
				_ = c.RegisterFlagCompletionFunc(f.Name, completeTaskKeys)
			case f.Name == "task":
				_ = c.RegisterFlagCompletionFunc(f.Name, completeTasks)
			case isEnum(f):
				allowed := f.Value.(*enumValue).allowed
				_ = c.RegisterFlagCompletionFunc(f.Name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
					return allowed, cobra.ShellCompDirectiveNoFileComp
				})
			case fileFlags[f.Name] != nil:
				_ = c.MarkFlagFilename(f.Name, fileFlags[f.Name]...)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func isEnum(f *pflag.Flag) bool {
	_, ok := f.Value.(*enumValue)
	return ok
}

// completeTaskKeys offers the built-in plan's task keys (CZ2026-292).
func completeTaskKeys(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	p, err := plan.Embedded()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []string
	for _, t := range p.Tasks {
		if strings.HasPrefix(t.Key, strings.ToUpper(prefix)) {
			out = append(out, t.Key+"\t"+t.District+" "+t.Name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeTasks offers the built-in plan's task numbers that start with what was typed, each
// with its district and name.
func completeTasks(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	p, err := plan.Embedded()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []string
	for _, t := range p.Tasks {
		n := strconv.Itoa(t.Seq)
		if strings.HasPrefix(n, prefix) {
			out = append(out, n+"\t"+t.District+" "+t.Name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
