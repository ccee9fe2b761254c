package risk

import (
	"io"

	"github.com/choucha/choucha/plan"
)

// STUB: the sampler helper replaces this file with the real implementation (same signatures).

// DefaultPolicy is the embedded policy (risk/policy.yaml): A×1, B×1.5, C×2, D×3, team 2+1, 5 reserves.
func DefaultPolicy() Policy { panic("stub") }

// LoadPolicy reads and validates a policy YAML; name is used in messages.
func LoadPolicy(r io.Reader, name string) (Policy, error) { panic("stub") }

// Strata computes the strata of a task from the eligible counts per class ("A".."D").
// ratioOverride is --ratio (percent decimal string, "" when not given); it is required
// when the task's ratio is unspecified.
func Strata(t plan.Task, counts map[string]int, p Policy, ratioOverride string) ([]Stratum, error) {
	panic("stub")
}
