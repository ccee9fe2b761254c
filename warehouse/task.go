package warehouse

import (
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
)

// ForTask fills the draw part of a Spec from a plan task, as `choucha sample` derives it:
// the strata and their exact ratios (risk.Strata; the counts are the engine's), the minimum
// count, the reserves of the policy, and whether every ratio is 100 (no earlier-round exclusion).
func ForTask(s Spec, t *plan.Task, p risk.Policy, ratioOverride string) (Spec, error) {
	stratify := risk.Strata
	if s.Columns.Class == "" {
		// A table without classes is one stratum at the plan's ratio, as a roster without a
		// class column is (risk.StrataUnclassified).
		stratify = risk.StrataUnclassified
	}
	strata, err := stratify(*t, map[string]int{}, p, ratioOverride)
	if err != nil {
		return Spec{}, err
	}
	s.TaskKey = t.Key
	s.Strata = strata
	s.MinCount = t.Ratio.MinCount
	s.Cap = risk.Cap(*t, ratioOverride)
	s.Reserves = p.Reserves
	s.AllIn = len(strata) > 0
	for _, st := range strata {
		if st.Ratio != "100" {
			s.AllIn = false
		}
	}
	// The task's district filters the table only through a district column: a table without
	// one is taken as it is (the caller says so), as choucha sample takes such a roster.
	if s.District == "" && s.Columns.District != "" {
		s.District = t.District
	}
	return s, nil
}
