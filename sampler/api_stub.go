package sampler

import "github.com/choucha/choucha/risk"

// STUB: the sampler helper replaces this file with the real implementation (same signatures).

// NormalizeSeed checks a seed (20–128 decimal digits; full-width digits map to ASCII).
func NormalizeSeed(s string) (string, error) { panic("stub") }

// NewSeed makes a 20-digit seed from crypto/rand.
func NewSeed() (string, error) { panic("stub") }

// Ticket is lowercase hex SHA-256 of "CHOUCHA-SAMPLE-v1|<seed>|<task key>|<round>|<firm key>".
func Ticket(seed, taskKey string, round int, firmKey string) string { panic("stub") }

// Spec is everything a draw depends on besides the frame.
type Spec struct {
	Seed     string
	TaskKey  string
	Round    int
	Strata   []risk.Stratum  // from risk.Strata
	MinCount int             // 不低于m户; 0 when none
	Reserves int             // reserves per stratum
	Earlier  map[string]bool // keys drawn in earlier rounds of this task and year
	AllIn    bool            // ratio is 100%: earlier rounds are not excluded
}

// StratumResult is a stratum with the number of firms excluded as drawn in earlier rounds.
type StratumResult struct {
	risk.Stratum
	Excluded int
}

// Result of a draw. Selected is ordered by stratum (A, B, C, D or ALL) then rank, with
// minimum-count additions after; Reserves by stratum then rank.
type Result struct {
	Strata   []StratumResult
	Selected []Pick
	Reserves []Pick
}

// Draw runs CHOUCHA-SAMPLE-v1 over the frame's units.
func Draw(spec Spec, units []Unit) (Result, error) { panic("stub") }

// AssignTicket is lowercase hex SHA-256 of
// "CHOUCHA-ASSIGN-v1|<seed>|<task key>|<round>|<firm key>|<执法证号>".
func AssignTicket(seed, taskKey string, round int, firmKey, inspectorID string) string {
	panic("stub")
}

// Assign runs CHOUCHA-ASSIGN-v1: teams for the drawn firms (processed in ascending ticket)
// and each inspector's load. An unfillable slot is an error naming the firm and department.
func Assign(seed, taskKey string, round int, firms []Pick, depts []Department) ([]Team, map[string]int, error) {
	panic("stub")
}
