// Package draw owns the rules of a draw. Record is the one domain call that makes and
// records a draw — `choucha sample`, batch draws and the web page all go through it: it
// checks every input before anything is opened, then the round's lock, the roster, the
// earlier rounds' standing draws (ledger.Standing), the draw itself (Run: plan task, frame,
// policy, seed, earlier rounds and inspectors in; one Manifest out), the yearly caps, the
// ledger entry and the atomic output folder. Replay runs a recorded draw again and Compare
// says how it differs. PlanYear is the one rule for a draw's year; after the draw the year
// is only ever read from the manifest.
//
// The Manifest is the one record of a draw: the ledger stores its canonical bytes, replay
// re-runs it, export renders it.
package draw

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/sampler"
)

// Manifest describes one draw. Field names of its JSON form are a published interface.
type Manifest struct {
	Spec        string    `json:"spec"` // sampler.SampleSpec
	AssignSpec  string    `json:"assign_spec,omitempty"`
	ToolVersion string    `json:"tool_version"`
	CreatedAt   string    `json:"created_at"` // RFC 3339, UTC, seconds
	LedgerID    int64     `json:"ledger_id,omitempty"`
	Plan        PlanRef   `json:"plan"`
	Task        string    `json:"task"` // task key, e.g. "CZ2026-292"
	TaskInfo    plan.Task `json:"task_info"`
	Round       int       `json:"round"`
	Year        int       `json:"year"` // the plan's year; rounds, caps and the calendar count per year
	Seed        string    `json:"seed"`
	Roster      RosterRef `json:"roster"`
	// Notes say how the roster shaped the draw, in Chinese, e.g. risk.NoClassNote for a
	// roster without a credit-risk class column; output, manifest and notice show them.
	Notes      []string    `json:"notes,omitempty"`
	Policy     risk.Policy `json:"policy"`
	RatioGiven string      `json:"ratio_override,omitempty"` // --ratio for an unspecified task, as given (plan.ParseRatioGiven)
	// WindowGiven is --window for a task whose window has no single reading (issue 11);
	// TaskInfo then carries the window drawn with.
	WindowGiven string    `json:"window_override,omitempty"`
	Strata      []Stratum `json:"strata"`
	// List is set only in the stored form of the manifest (Stored, ledger version 3), where
	// Selected is null and the drawn firms are in the list it names.
	List     *ListRef   `json:"list,omitempty"`
	Selected []Selected `json:"selected"`
	Reserves []Reserve  `json:"reserves"`
	Earlier  []string   `json:"earlier_rounds_keys,omitempty"` // keys excluded as drawn in earlier rounds
	// Frame is the whole sampling frame as "<key>|<class>" lines sorted by key: the lines whose
	// SHA-256 (each followed by "\n") is Roster.FrameSHA256. Only manifests of ledger version 1
	// carry it; since version 2 the ledger stores each frame once, by that hash (ledger.Frame),
	// and manifests reference it by Roster.FrameSHA256 alone.
	Frame       []string       `json:"frame,omitempty"`
	Inspectors  *FileRef       `json:"inspectors,omitempty"`
	Assignments []sampler.Team `json:"assignments,omitempty"`
	Loads       map[string]int `json:"loads,omitempty"`
	// OverCap lists drawn firms that this draw takes over the policy's yearly cap.
	OverCap []string `json:"over_cap,omitempty"`
}

// PlanRef identifies the plan a draw used.
type PlanRef struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
}

// BuiltIn reports whether r is the plan compiled into this program (plan.Embedded): its ID and
// its bytes. A plan file that carries the built-in plan's ID (a CZ2026.tsv is plan CZ2026, as is
// --plan-id CZ2026) but other bytes is another plan: its tasks need that file. The one test
// of it, for replay, the lists' plan title and the notice's choucha ticket command.
func (r PlanRef) BuiltIn() bool {
	e := embeddedRef()
	return e.ID != "" && r == e
}

var embeddedRef = sync.OnceValue(func() PlanRef {
	p, err := plan.Embedded()
	if err != nil {
		return PlanRef{}
	}
	return PlanRef{ID: p.ID, SHA256: p.SHA256}
})

// RosterRef identifies the roster a draw used; frame_sha256 is what replay compares.
type RosterRef struct {
	File string `json:"file"`
	// Sheet is the worksheet the roster was read from, when the workbook has more than one
	// sheet or one was named (--sheet); omitted otherwise (a CSV file, a workbook of one
	// sheet), so that such draws' manifests stay as they were. Replay reads the same sheet.
	Sheet       string `json:"sheet,omitempty"`
	SHA256      string `json:"sha256"`
	FrameSHA256 string `json:"frame_sha256"`
	// FrameSalt and FrameCommitment: the published commitment to the frame
	// (FrameCommitment(FrameSalt, frame)). frame_sha256 stays in the ledger; notices publish
	// the commitment, which does not let anyone test guesses of the classes.
	FrameSalt       string   `json:"frame_salt,omitempty"`
	FrameCommitment string   `json:"frame_commitment,omitempty"`
	Header          []string `json:"header"`
	Rows            int      `json:"rows"`
	Eligible        int      `json:"eligible"`
	// Omitted names the roster's personal columns (法定代表人, 联系电话) left out of Header
	// and of every drawn firm's Values (sample --keep-personal keeps them).
	Omitted []string `json:"omitted_columns,omitempty"`
}

// FileRef names an input file by path and content hash.
type FileRef struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// AssumeValid (inspector roster): --assume-valid was given, inspectors without a
	// recorded 执法证有效期 were taken as valid. Replay reads the roster the same way.
	AssumeValid bool `json:"assume_valid,omitempty"`
	// DeptMap (inspector roster): the --dept-map the plan's departments were matched by, with
	// its text; omitted for the built-in table. Replay and the notice match by it.
	DeptMap *DeptMapRef `json:"dept_map,omitempty"`
}

// DeptMapRef is a department map a draw used: the file as given, its SHA-256 and its text.
type DeptMapRef struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Text   string `json:"text"`
}

// RecordedDepts is the department map m's inspectors were assigned by: the recorded
// --dept-map read again from its text, or nil when the draw used the built-in table (or
// assigned no inspectors).
func RecordedDepts(m *Manifest) (*dept.Map, error) {
	if m == nil || m.Inspectors == nil || m.Inspectors.DeptMap == nil {
		return nil, nil
	}
	r := m.Inspectors.DeptMap
	if sum := sha256.Sum256([]byte(r.Text)); hex.EncodeToString(sum[:]) != r.SHA256 {
		return nil, fmt.Errorf("抽取记录中的部门对照表 %s 与其 sha256 不符：记录被改动", r.File)
	}
	dm, err := dept.LoadMap(strings.NewReader(r.Text), r.File)
	if err != nil {
		return nil, err
	}
	return &dm, nil
}

// Stratum is one stratum of the draw; Excluded counts firms left out as drawn in earlier rounds.
type Stratum struct {
	Class    string `json:"class"`
	N        int    `json:"N"`
	Ratio    string `json:"ratio"`
	Count    int    `json:"n"`
	Excluded int    `json:"excluded"`
}

// Selected is one drawn firm, with what the field team and the announcement need.
type Selected struct {
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	Class     string   `json:"class"`
	Ticket    string   `json:"ticket"`
	Rank      int      `json:"rank"`
	Repeat    bool     `json:"repeat"`
	Authority string   `json:"authority,omitempty"` // 登记机关
	Address   string   `json:"address,omitempty"`   // 住所
	Values    []string `json:"values,omitempty"`    // the roster row, aligned with Roster.Header
}

// Reserve is one firm of the published reserve list.
type Reserve struct {
	Key    string `json:"key"`
	Class  string `json:"class"`
	Ticket string `json:"ticket"`
	Rank   int    `json:"rank"`
}

// Canonical returns the bytes the ledger chains and stores: the manifest's JSON with
// LedgerID cleared (the ledger assigns the ID after the bytes are fixed). encoding/json
// writes struct fields in declaration order and map keys sorted, so the bytes are stable.
func (m *Manifest) Canonical() ([]byte, error) {
	c := *m
	c.LedgerID = 0
	return json.Marshal(&c)
}
