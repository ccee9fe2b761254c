// Package sampler implements the published draw algorithms CHOUCHA-SAMPLE-v1 (firms) and
// CHOUCHA-ASSIGN-v1 (inspectors), specified in docs/ALGORITHM.md.
//
// Every random choice is a SHA-256 ticket of public inputs, so anyone can recompute a draw
// with sha256sum; the result never depends on the order or format of the roster file.
// The package does no I/O.
package sampler

// Spec names of the algorithms; recorded in every manifest.
const (
	SampleSpec = "CHOUCHA-SAMPLE-v1"
	AssignSpec = "CHOUCHA-ASSIGN-v1"
)

// Unit is one firm of the frame as the sampler sees it.
type Unit struct {
	Key   string // canonical firm key
	Class string // "A".."D"
}

// Pick is a drawn (or reserve) firm.
type Pick struct {
	Key    string `json:"key"`
	Class  string `json:"class"`  // the firm's credit class at draw time
	Ticket string `json:"ticket"` // lowercase hex SHA-256
	Rank   int    `json:"rank"`   // 1-based position by ticket within its stratum (all N_h firms)
	Repeat bool   `json:"repeat"` // drawn although an earlier round took it (shortfall)
	// Stratum is the stratum the firm belongs to ("A".."D" or "ALL").
	Stratum string `json:"-"`
	// Unit is the firm's index in the frame drawn from (Units), so that a caller finds its
	// record without a search.
	Unit int `json:"-"`
}

// Candidate is an inspector who may be assigned (on duty, certificate valid through the window).
type Candidate struct {
	ID     string // 执法证号
	Name   string
	Recuse map[string]bool // firm keys this inspector must not inspect (回避)
}

// Department is one participating department of a joint task, with its slots per firm.
type Department struct {
	Name       string // the roster's department name
	Role       string // "initiator" or "cooperator"
	Slots      int
	Candidates []Candidate
}

// Member is one inspector on a firm's team.
type Member struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Dept string `json:"dept"`
	Role string `json:"role"` // "initiator" or "cooperator"
}

// Team is the joint team assigned to one drawn firm.
type Team struct {
	Key  string   `json:"key"` // firm key
	Team []Member `json:"team"`
}
