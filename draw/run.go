package draw

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// Request is everything one draw depends on, already read from files.
type Request struct {
	Plan          *plan.Plan
	Task          *plan.Task
	Frame         *roster.Frame
	Policy        risk.Policy
	Seed          string // normalised (sampler.NormalizeSeed)
	Round         int
	RatioOverride string // --ratio, "" when not given
	// WindowOverride is --window, "" when not given: required for a task whose window has no
	// single reading (plan.Task.NeedsOverride), refused for any other.
	WindowOverride string
	Earlier        []string // keys drawn in earlier rounds of the task this year
	Inspectors     *Inspectors
	Now            time.Time
	ToolVersion    string
	// KeepPersonal keeps the roster's personal columns (法定代表人, 联系电话) in the
	// manifest's rows; by default they are left out (Roster.Omitted names them).
	KeepPersonal bool
	// KeysOnly skips fetching the drawn firms' records (names, rows): Selected then carries
	// keys, classes, tickets and ranks only — all that a replay compares.
	KeysOnly bool
	// Context cancels re-reading the drawn rows of a lean frame; nil means Background.
	Context context.Context
	// FrameSalt is the salt of the published frame commitment (FrameCommitment); empty makes
	// a fresh random one. A replay passes the recorded salt.
	FrameSalt string
	// Digest, when set, gives the frame's digest (that of Frame with FrameSalt, which must then
	// be set; its Bytes may be nil) instead of Run computing it: Record computes it on the
	// other core while the draw runs, without the bytes.
	Digest func() FrameDigest
	// Lookahead is the one Frame was read with (roster.Options.Prefetch = its Prefix), nil if
	// none: the ticket prefixes it computed then are not hashed again (sampler.DrawKnown).
	Lookahead *sampler.Lookahead
}

// Inspectors is the inspector side of a draw: the roster and how to match its departments.
type Inspectors struct {
	File   string
	SHA256 string
	List   []roster.Inspector
	Depts  dept.Map
	Strict bool // a cooperator without eligible inspectors is an error, not a warning
	// AssumeValid: the roster was read with roster.Options.AssumeValid (recorded in the manifest).
	AssumeValid bool
}

// Outcome is a finished draw and what the operator should be told about it.
type Outcome struct {
	Manifest *Manifest
	// Frame is the frame's defining bytes (roster.Frame.Bytes), for a replay to compare: the
	// ledger stores them once per frame_sha256; the manifest references them by that hash.
	// nil from Record, which hands the ledger the frame's lines, never its whole bytes.
	Frame    []byte
	Warnings []string    // Chinese, one line each
	Matches  []DeptMatch // plan departments and the roster departments they matched
	LeftOut  []LeftOut   // inspectors not eligible for this task, with the reason

	// Set by Record:
	Report        *roster.Report // what reading the roster found (nil for a frame given read)
	SeedGenerated bool           // the seed was made for this draw: it must be published
	Undrawn       []int          // earlier rounds the ledger has no draw of (their firms could not be excluded)
	Excluded      []string       // the keys the request excluded besides the ledger's (ExcludeFile, Exclude)
	Dir           string         // the draw's folder
	// Entry and Head are the draw's ledger entry and the ledger's head right after it
	// ("第N条:HASH" when printed): what the operator publishes so that a later truncation of
	// the ledger can be shown (choucha ledger verify --published).
	Entry, Head ledger.Published

	drawn   []int // where each of Manifest.Selected is in the frame's keys (Fill)
	settled int   // strata the lookahead's known prefixes settled (sampler.Result.Settled), for tests
}

// DeptMatch is one plan department of the task and the roster department it matched.
type DeptMatch struct {
	Plan   string
	Role   string // "initiator" or "cooperator"
	Roster string // "" when nothing matched
	Flag   string // dept.Flag of a placeholder, an incomplete list, an open choice or a tie
	// Candidates are the roster departments that match an ambiguous plan department equally.
	Candidates []string
	Eligible   int // eligible inspectors of that department
	Slots      int // inspectors it sends per firm (0 when left out)
}

// LeftOut is an inspector of a participating department who may not inspect in this task.
type LeftOut struct {
	ID, Name, Dept, Reason string
}

// Run draws the firms of one task round (CHOUCHA-SAMPLE-v1) and, when inspectors are
// given, their teams (CHOUCHA-ASSIGN-v1). It does no I/O: the caller records and writes.
func Run(req Request) (*Outcome, error) {
	if req.Task == nil || req.Frame == nil || req.Plan == nil {
		return nil, errors.New("抽取缺少计划、任务或名录")
	}
	eff, ratioPct, err := req.Task.ApplyOverrides(req.RatioOverride, req.WindowOverride)
	if err != nil {
		return nil, err
	}
	t := &eff
	if req.Round < 1 {
		return nil, fmt.Errorf("任务 %s 的轮次须为正整数，收到 %d", t.Key, req.Round)
	}
	if err := req.Task.CheckRound(req.Round, req.RatioOverride, req.WindowOverride); err != nil {
		return nil, err
	}
	if req.Frame.Len() == 0 {
		return nil, fmt.Errorf("名录 %s 中没有符合条件的检查对象（共读取 %d 行），无法抽取", req.Frame.File, req.Frame.Rows)
	}

	keys := req.Frame.KeyList()
	counts := classCounts(keys)
	salt := req.FrameSalt
	if req.Digest != nil && salt == "" {
		return nil, errors.New("抽取给出了抽样框的摘要，却没有给出其承诺的盐（FrameSalt）")
	}
	if salt == "" {
		var err error
		if salt, err = NewFrameSalt(); err != nil {
			return nil, err
		}
	}

	strataOf, notes := risk.Strata, []string(nil)
	if req.Frame.NoClasses {
		strataOf = risk.StrataUnclassified
		notes = append(notes, risk.NoClassNote)
	}
	strata, err := strataOf(*t, counts, req.Policy, ratioPct)
	if err != nil {
		if why := t.NeedsOverride().Why; len(why) > 0 && req.RatioOverride == "" {
			return nil, fmt.Errorf("%w（%s）", err, strings.Join(why, "；"))
		}
		return nil, err
	}
	// Unclassified firms of a classified roster matter only when the task is drawn by class.
	if n := req.Frame.Unclassified; n > 0 && !req.Frame.NoClasses && len(strata) > 0 && strata[0].Class != risk.StratumAll {
		notes = append(notes, fmt.Sprintf("名录中 %d 户未分类（信用风险分类为空或未分类），按B类（一般风险）抽取", n))
	}
	allIn := len(strata) > 0
	for _, s := range strata {
		if s.Ratio != "100" {
			allIn = false
		}
	}
	earlier := make(map[string]bool, len(req.Earlier))
	for _, k := range req.Earlier {
		earlier[k] = true
	}
	spec := sampler.Spec{
		Seed: req.Seed, TaskKey: t.Key, Round: req.Round, Strata: strata,
		MinCount: t.Ratio.MinCount, Reserves: req.Policy.Reserves, Earlier: earlier, AllIn: allIn,
	}
	// The frame's digest does not depend on the draw: it is computed on another core meanwhile
	// (a replay's draw hashes every ticket on both, and still gained; a first draw's frees one).
	digest := req.Digest
	if digest == nil {
		digested := make(chan FrameDigest, 1)
		go func() { digested <- DigestFrame(req.Frame, salt) }()
		digest = func() FrameDigest { return <-digested }
	}
	var known *sampler.Known
	if req.Lookahead != nil {
		if at, prefixes, complete := req.Frame.Tags(); complete {
			if known, err = req.Lookahead.Known(at, prefixes); err != nil {
				return nil, err
			}
		}
	}
	res, err := sampler.DrawKnown(spec, frameUnits(keys), known)
	if err != nil {
		return nil, err
	}

	m := &Manifest{
		Spec:        sampler.SampleSpec,
		ToolVersion: req.ToolVersion,
		CreatedAt:   req.Now.UTC().Truncate(time.Second).Format(time.RFC3339),
		Plan:        PlanRef{ID: req.Plan.ID, SHA256: req.Plan.SHA256},
		Task:        t.Key,
		TaskInfo:    *t,
		Round:       req.Round,
		Year:        PlanYear(req.Plan, req.Now),
		Seed:        req.Seed,
		Roster: RosterRef{
			File: req.Frame.File, Sheet: req.Frame.Sheet, SHA256: req.Frame.SHA256, FrameSalt: salt,
			Header: req.Frame.Header, Rows: req.Frame.Rows, Eligible: keys.Len(),
		},
		Notes:       notes,
		Policy:      req.Policy,
		RatioGiven:  req.RatioOverride,
		WindowGiven: req.WindowOverride,
		Earlier:     sortedKeys(earlier),
		Selected:    make([]Selected, 0, len(res.Selected)),
		Reserves:    make([]Reserve, 0, len(res.Reserves)),
	}
	for _, s := range res.Strata {
		m.Strata = append(m.Strata, Stratum{Class: s.Class, N: s.N, Ratio: s.Ratio, Count: s.Count, Excluded: s.Excluded})
	}
	keep := columnFilter(req.Frame, req.KeepPersonal)
	m.Roster.Header = keep(req.Frame.Header)
	if !req.KeepPersonal {
		for _, c := range req.Frame.Personal {
			if c < len(req.Frame.Header) {
				m.Roster.Omitted = append(m.Roster.Omitted, req.Frame.Header[c])
			}
		}
	}
	// The keys kept are copied out of the frame's one string of all keys (roster.ReadFrame).
	drawn := make([]int, len(res.Selected))
	for i, p := range res.Selected {
		m.Selected = append(m.Selected, Selected{
			Key: strings.Clone(p.Key), Class: p.Class, Ticket: p.Ticket, Rank: p.Rank, Repeat: p.Repeat,
		})
		drawn[i] = p.Unit // frameUnits: a unit's index is its index in the frame's keys
	}
	for _, p := range res.Reserves {
		m.Reserves = append(m.Reserves, Reserve{Key: strings.Clone(p.Key), Class: p.Class, Ticket: p.Ticket, Rank: p.Rank})
	}
	d := digest()
	m.Roster.FrameSHA256, m.Roster.FrameCommitment = d.SHA256, d.Commitment
	out := &Outcome{Manifest: m, Frame: d.Bytes, drawn: drawn, settled: res.Settled}
	if !req.KeysOnly {
		if err := out.Fill(req.Context, req.Frame, req.KeepPersonal); err != nil {
			return nil, err
		}
	}
	if t.District == "" {
		// A plan without a 地市 column or a place in its title: nothing narrows the roster.
		out.Warnings = append(out.Warnings, fmt.Sprintf("任务 %s 在计划中没有地市：名录中各区县的企业都在抽样框内（名录 %d 户）；只抽一个区县时，用 --plan-district 指定", t.Key, keys.Len()))
	}
	if c := t.Ratio.Count; c > 0 && len(m.Selected) != c {
		// 10%（20户）: the plan's own count, checked against the roster's (issue 11).
		out.Warnings = append(out.Warnings, countWarning(t.Ratio, keys.Len(), len(m.Selected)))
	}
	if req.Inspectors != nil {
		if err := assign(req, res.Selected, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Fill gives the drawn firms of a KeysOnly Run their records from its frame f: names,
// authorities, addresses and the roster's columns (its personal ones only when keepPersonal,
// as the manifest's Roster.Header says). A lean frame reads just those rows of its file again.
// ctx nil means Background.
func (oc *Outcome) Fill(ctx context.Context, f *roster.Frame, keepPersonal bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	m := oc.Manifest
	if len(oc.drawn) != len(m.Selected) {
		return errors.New("抽取结果缺少抽中企业在抽样框中的位置，无法补全名单")
	}
	firms, err := f.LookupAt(ctx, oc.drawn)
	if err != nil {
		return err
	}
	keep := columnFilter(f, keepPersonal)
	for i := range m.Selected {
		s, fm := &m.Selected[i], &firms[i]
		if fm.Key != s.Key {
			return fmt.Errorf("抽中的 %s 不在抽样框中", s.Key)
		}
		s.Name, s.Authority, s.Address, s.Values = fm.Name, fm.Authority, fm.Address, keep(fm.Values)
	}
	return nil
}

// assign builds the departments of the task from the inspector roster and runs
// CHOUCHA-ASSIGN-v1 over the drawn firms.
func assign(req Request, picks []sampler.Pick, out *Outcome) error {
	t, in := req.Task, req.Inspectors
	lastDay := t.Window.LastDay(out.Manifest.Year)
	// Nobody eligible at all is a roster problem, told by kind, not a department one.
	if err := roster.NoneEligibleError(in.File, in.List, lastDay); err != nil {
		return err
	}

	var rosterDepts []string
	count := map[string]int{} // inspectors listed under each roster department
	for _, i := range in.List {
		if count[i.Dept] == 0 {
			rosterDepts = append(rosterDepts, i.Dept)
		}
		count[i.Dept]++
	}
	sort.Strings(rosterDepts)

	// The one department resolver (dept.Resolve), as `choucha dept match` shows it.
	sc := dept.Scope{Districts: req.Plan.Districts(), District: t.District}
	cells := dept.TaskCells(t.Initiator, t.DeptCells())
	if len(cells) == 0 || cells[0].Role != "initiator" {
		return fmt.Errorf("任务 %s 在计划中没有发起部门，无法选派检查人员", t.Key)
	}
	resolved := in.Depts.Resolve(sc, cells, rosterDepts)

	var depts []sampler.Department
	used := map[string]bool{} // roster departments already taking part
	for _, w := range resolved {
		dm := DeptMatch{Plan: w.Text, Role: w.Role, Flag: string(w.Flag), Candidates: w.Candidates}
		match := w.Roster
		switch {
		case w.Flag == dept.Ambiguous:
			// Several roster departments match equally: which one sends inspectors is not guessed.
			out.Matches = append(out.Matches, dm)
			return apperr.Hint(fmt.Errorf("计划部门「%s」在执法检查人员名录 %s 中同样对得上 %d 个部门：%s，不能确定由哪个部门派人",
				w.Text, in.File, len(w.Candidates), w.TiedList(count)), w.Remedy(count)+"\n用 choucha dept match 加上该文件可先核对。")
		case w.Flag != "":
			out.Matches = append(out.Matches, dm)
			return withDeptHint(fmt.Errorf("计划部门「%s」%s，不能自动对应到名录部门；请在 --dept-map 的 cells 中写明它指哪些部门", w.Text, w.Flag.Note()))
		case w.Explicit && w.Dept == "":
			// The map says this text means no department.
			out.Matches = append(out.Matches, dm)
			continue
		case match == "":
			out.Matches = append(out.Matches, dm)
			msg := fmt.Sprintf("计划部门「%s」在执法检查人员名录 %s 中没有对应部门", w.Text, in.File)
			if w.Role == "initiator" {
				return withDeptHint(errors.New(msg))
			}
			if in.Strict {
				return withDeptHint(errors.New(msg + "（--strict）"))
			}
			out.Warnings = append(out.Warnings, msg+"，该配合部门不派人")
			continue
		}
		dm.Roster = match
		if used[match] {
			// The same roster department named twice (e.g. 市场监管局 as initiator and 市场局
			// as cooperator) sends its people once, in its first role.
			out.Matches = append(out.Matches, dm)
			out.Warnings = append(out.Warnings, fmt.Sprintf("计划部门「%s」与前面的部门同为「%s」，不重复派人", w.Text, match))
			continue
		}
		used[match] = true
		var cands []sampler.Candidate
		for _, i := range in.List {
			if i.Dept != match {
				continue
			}
			if ok, why := i.EligibleOn(lastDay); !ok {
				out.LeftOut = append(out.LeftOut, LeftOut{ID: i.ID, Name: i.Name, Dept: i.Dept, Reason: why})
				continue
			}
			rec := make(map[string]bool, len(i.Recuse))
			for _, k := range i.Recuse {
				rec[k] = true
			}
			cands = append(cands, sampler.Candidate{ID: i.ID, Name: i.Name, Recuse: rec})
		}
		dm.Eligible = len(cands)
		slots := req.Policy.Team.Cooperator
		if w.Role == "initiator" {
			slots = req.Policy.Team.Initiator
		}
		if len(cands) == 0 {
			out.Matches = append(out.Matches, dm)
			msg := fmt.Sprintf("部门「%s」没有在 %s 前持有效执法证的在岗人员", match, lastDay.Format("2006-01-02"))
			if w.Role == "initiator" || in.Strict {
				return withDeptHint(errors.New(msg))
			}
			out.Warnings = append(out.Warnings, msg+"，该配合部门不派人")
			continue
		}
		dm.Slots = slots
		out.Matches = append(out.Matches, dm)
		depts = append(depts, sampler.Department{Name: match, Role: w.Role, Slots: slots, Candidates: cands})
	}
	total := 0
	for _, d := range depts {
		total += d.Slots
	}
	if min := req.Policy.Team.Minimum; total < min && len(depts) > 0 {
		// 行政处罚法 第42条: never fewer than two inspectors. The initiator makes up the rest.
		depts[0].Slots += min - total
		out.Warnings = append(out.Warnings, fmt.Sprintf("检查组不足 %d 人，由发起部门「%s」补足", min, depts[0].Name))
	}
	if len(depts) == 0 || depts[0].Role != "initiator" {
		return withDeptHint(fmt.Errorf("任务 %s 的发起部门没有可选派的检查人员", t.Key))
	}
	if d := depts[0]; len(d.Candidates) < d.Slots {
		return fmt.Errorf("发起部门「%s」只有 %d 名可选派人员，每户需要 %d 名", d.Name, len(d.Candidates), d.Slots)
	}

	teams, loads, err := sampler.Assign(req.Seed, t.Key, req.Round, picks, depts)
	if err != nil {
		return err
	}
	m := out.Manifest
	m.AssignSpec = sampler.AssignSpec
	m.Inspectors = &FileRef{File: in.File, SHA256: in.SHA256, AssumeValid: in.AssumeValid}
	if src := in.Depts.Source(); src != nil {
		m.Inspectors.DeptMap = &DeptMapRef{File: src.Name, SHA256: src.SHA256, Text: src.Text}
	}
	m.Assignments = teams
	m.Loads = loads
	return nil
}

// classCounts counts the frame's firms by class — in an array, not a map keyed by the class:
// a million map updates were 25 ms of a replay.
func classCounts(keys roster.KeyList) map[string]int {
	classes := [...]string{roster.ClassA, roster.ClassB, roster.ClassC, roster.ClassD}
	var n [len(classes) + 1]int // the last: a class of none of them (Class() "")
	for i := range keys.Len() {
		switch keys.At(i).Class() {
		case roster.ClassA:
			n[0]++
		case roster.ClassB:
			n[1]++
		case roster.ClassC:
			n[2]++
		case roster.ClassD:
			n[3]++
		default:
			n[4]++
		}
	}
	counts := map[string]int{}
	for i, c := range classes {
		if n[i] > 0 {
			counts[c] = n[i]
		}
	}
	if n[4] > 0 {
		counts[""] = n[4]
	}
	return counts
}

// frameUnits is a frame's keys as the sampler reads them, without a copy.
type frameUnits roster.KeyList

func (f frameUnits) Len() int { return roster.KeyList(f).Len() }
func (f frameUnits) Unit(i int) sampler.Unit {
	k := roster.KeyList(f).At(i)
	return sampler.Unit{Key: k.Key, Class: k.Class()}
}

// columnFilter returns the function that drops the frame's personal columns from a row
// (the identity when they are kept).
func columnFilter(f *roster.Frame, keepPersonal bool) func([]string) []string {
	if keepPersonal || len(f.Personal) == 0 {
		return func(v []string) []string { return v }
	}
	drop := map[int]bool{}
	for _, c := range f.Personal {
		drop[c] = true
	}
	return func(v []string) []string {
		if v == nil {
			return nil
		}
		out := make([]string, 0, len(v))
		for i, x := range v {
			if !drop[i] {
				out = append(out, x)
			}
		}
		return out
	}
}

func withDeptHint(err error) error {
	return fmt.Errorf("%w（可用 choucha dept match 查看部门对应关系，或用 --dept-map 补充同义词）", err)
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DrawnKeys returns the keys of the drawn firms, sorted.
func (m *Manifest) DrawnKeys() []string {
	out := make([]string, len(m.Selected))
	for i, s := range m.Selected {
		out[i] = s.Key
	}
	sort.Strings(out)
	return out
}

// DrawTask is the task "<id>-<seq><suffix>" of p as a draw made at now sees it: its window
// in another year than the draw's (PlanYear: a plan whose title names no year counts in the
// year of now) is flagged, and the draw asks for --window (plan.Task.InYear).
func DrawTask(p *plan.Plan, seq int, suffix string, now time.Time) (*plan.Task, error) {
	t, err := p.TaskRef(seq, suffix)
	if err != nil {
		return nil, err
	}
	return t.InYear(PlanYear(p, now)), nil
}

// PlanYear is the year a draw belongs to: the plan's year (a CZ2026 draw made in December
// 2025 is a 2026 draw), or the year of the draw when the plan's title names none.
func PlanYear(p *plan.Plan, now time.Time) int {
	if y := p.Year(); y > 0 {
		return y
	}
	return now.UTC().Year()
}

// countWarning: the plan's own count differs from what was drawn. With a ratio it says so
// beside it (10%（20户）); a count alone (连州 2023: 抽查数量 49户, no ratio) was drawn as the
// number to draw, and the roster had fewer.
func countWarning(r plan.Ratio, frame, drawn int) string {
	if strings.TrimSpace(r.Text) == "" {
		return fmt.Sprintf("计划写明抽查%d户，名录中只有 %d 户可抽取，抽取了 %d 户：请核对名录是否完整", r.Count, frame, drawn)
	}
	return fmt.Sprintf("计划写明抽查%d户（%s），按比例从名录 %d 户中抽取了 %d 户，请核对", r.Count, oneLineText(r.Text), frame, drawn)
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
