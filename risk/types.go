// Package risk turns a task's ratio and credit-risk requirement into strata: for each credit
// class (or one stratum ALL) the exact percentage r_h and the count n_h to draw.
//
// Arithmetic is exact (math/big rationals over decimal strings); counts are rounded up,
// because the plan's ratios are floors (不低于).
package risk

// StratumAll is the class name of the single stratum of a task drawn without classes.
const StratumAll = "ALL"

// Policy is the local policy that the plan leaves open: how much higher the ratio of a
// riskier class is (递加), how large a team is, how many reserves are published, and the
// yearly cap of inspections per firm. Embedded default: risk/policy.yaml.
type Policy struct {
	Version     int               `yaml:"version" json:"version"`
	Multipliers map[string]string `yaml:"multipliers" json:"multipliers"`                   // class → decimal, e.g. "1.5"
	Team        Team              `yaml:"team" json:"team"`                                 // team size per firm
	Reserves    int               `yaml:"reserves" json:"reserves"`                         // reserves per stratum (5)
	YearlyCap   map[string]int    `yaml:"yearly_cap,omitempty" json:"yearly_cap,omitempty"` // class → max inspections per firm per year; absent = no cap
}

// Team is how many inspectors each department sends per firm.
type Team struct {
	Initiator  int `yaml:"initiator" json:"initiator"`   // default 2
	Cooperator int `yaml:"cooperator" json:"cooperator"` // default 1
	Minimum    int `yaml:"minimum" json:"minimum"`       // never fewer in total; default 2
}

// Stratum is one class's share of a draw.
type Stratum struct {
	Class string `json:"class"` // "A".."D" or StratumAll
	N     int    `json:"N"`     // eligible firms of the stratum
	Ratio string `json:"ratio"` // percent, exact decimal string, e.g. "4.5"
	Count int    `json:"n"`     // n_h = min(N, ceil(N × ratio / 100))
}
