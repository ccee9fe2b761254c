package draw

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// ClassChange is a firm whose credit class differs between two frames.
type ClassChange struct {
	Key      string
	From, To string
}

// Diff is what a replay found when it compared a re-run with the recorded draw.
type Diff struct {
	// Identical: the re-run drew the same firms with the same tickets, ranks, reserves and
	// teams. Differences in the roster file's bytes or the tool version alone do not matter.
	Identical bool

	RosterFileChanged bool // the roster file's bytes differ (its frame may still be the same)
	FrameChanged      bool // the eligible firms or their classes differ
	Added             []string
	Removed           []string
	Reclassified      []ClassChange

	NowSelected []string // firms the re-run draws that the recorded draw did not
	NoLonger    []string // firms the recorded draw took that the re-run does not
	TeamChanged []string // firms drawn by both whose teams differ

	ToolVersion  [2]string // recorded, current — set only when they differ
	InspectorsOf [2]string // inspector roster hashes — set only when they differ
	// DeptMapOf: the department maps' files (DeptMapName: the built-in table), recorded and
	// re-run — set only when their hashes differ.
	DeptMapOf [2]string
	Other     []string // further differences (strata, reserves, ranks), in Chinese
}

// DeptMapName names a recorded department map for messages: its file, or the built-in table.
func DeptMapName(r *DeptMapRef) string {
	if r == nil {
		return "内置部门同义词表"
	}
	return "部门对照表 " + r.File
}

func hashOf(r *DeptMapRef) string {
	if r == nil {
		return ""
	}
	return r.SHA256
}

// Compare compares a recorded draw with its re-run (same seed, task, round, policy), using
// the frames the manifests carry inline (version-1 manifests) to list changed firms.
func Compare(recorded, rerun *Manifest) Diff {
	return CompareFrames(recorded, rerun, LinesBytes(recorded.Frame), LinesBytes(rerun.Frame))
}

// CompareFrames is Compare with the two frames given as bytes (roster.Frame.Bytes,
// ledger.Frame): when the frames differ, the firms added, removed and reclassified are listed
// (none when a frame is nil).
func CompareFrames(recorded, rerun *Manifest, recordedFrame, rerunFrame []byte) Diff {
	var d Diff
	d.RosterFileChanged = recorded.Roster.SHA256 != rerun.Roster.SHA256
	d.FrameChanged = recorded.Roster.FrameSHA256 != rerun.Roster.FrameSHA256
	if d.FrameChanged && recordedFrame != nil && rerunFrame != nil {
		d.Added, d.Removed, d.Reclassified = frameDiff(recordedFrame, rerunFrame)
	}
	if recorded.ToolVersion != rerun.ToolVersion {
		d.ToolVersion = [2]string{recorded.ToolVersion, rerun.ToolVersion}
	}
	if recorded.Inspectors != nil && rerun.Inspectors != nil && recorded.Inspectors.SHA256 != rerun.Inspectors.SHA256 {
		d.InspectorsOf = [2]string{recorded.Inspectors.SHA256, rerun.Inspectors.SHA256}
	}
	if recorded.Inspectors != nil && rerun.Inspectors != nil {
		a, b := recorded.Inspectors.DeptMap, rerun.Inspectors.DeptMap
		if hashOf(a) != hashOf(b) {
			d.DeptMapOf = [2]string{DeptMapName(a), DeptMapName(b)}
		}
	}

	// The same firms in the same order with the same tickets, ranks and classes (a replay
	// that agrees) leave nothing for the comparison by key to find: it is skipped (at 41,000
	// firms its two maps were 0.05–0.1 s).
	if !samePicks(recorded.Selected, rerun.Selected) {
		comparePicks(&d, recorded, rerun)
	}
	if !reflect.DeepEqual(strataOf(recorded), strataOf(rerun)) {
		d.Other = append(d.Other, fmt.Sprintf("分层不同（记录：%s；重算：%s）", strataText(recorded), strataText(rerun)))
	}
	if !reflect.DeepEqual(reservesOf(recorded), reservesOf(rerun)) {
		d.Other = append(d.Other, "备选名单不同")
	}
	if (recorded.Assignments != nil) != (rerun.Assignments != nil) {
		d.Other = append(d.Other, "一方有检查人员选派、另一方没有（重放时请用 --inspectors 给出人员名录）")
	} else {
		rt, nt := teamsOf(recorded), teamsOf(rerun)
		for k, a := range rt {
			if b, ok := nt[k]; ok && a != b {
				d.TeamChanged = append(d.TeamChanged, k)
			}
		}
		sort.Strings(d.TeamChanged)
	}
	sort.Strings(d.Other)
	d.Identical = len(d.NowSelected) == 0 && len(d.NoLonger) == 0 && len(d.TeamChanged) == 0 && len(d.Other) == 0
	return d
}

// LinesBytes joins frame lines into frame bytes (each line followed by "\n"); nil for none.
func LinesBytes(lines []string) []byte {
	if lines == nil {
		return nil
	}
	var b []byte
	for _, l := range lines {
		b = append(b, l...)
		b = append(b, '\n')
	}
	return b
}

func frameDiff(a, b []byte) (added, removed []string, changed []ClassChange) {
	parse := func(frame []byte) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSuffix(string(frame), "\n"), "\n") {
			if i := strings.LastIndexByte(l, '|'); i >= 0 {
				m[l[:i]] = l[i+1:]
			}
		}
		return m
	}
	ma, mb := parse(a), parse(b)
	for k, cb := range mb {
		ca, ok := ma[k]
		switch {
		case !ok:
			added = append(added, k)
		case ca != cb:
			changed = append(changed, ClassChange{Key: k, From: ca, To: cb})
		}
	}
	for k := range ma {
		if _, ok := mb[k]; !ok {
			removed = append(removed, k)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	sort.Slice(changed, func(i, j int) bool { return changed[i].Key < changed[j].Key })
	return added, removed, changed
}

// comparePicks records in d the firms drawn by only one of the two, and those both drew whose
// ticket, rank, repeat mark or class differ.
func comparePicks(d *Diff, recorded, rerun *Manifest) {
	was := selectedSet(recorded)
	now := selectedSet(rerun)
	for k := range now {
		if _, ok := was[k]; !ok {
			d.NowSelected = append(d.NowSelected, k)
		}
	}
	for k := range was {
		if _, ok := now[k]; !ok {
			d.NoLonger = append(d.NoLonger, k)
		}
	}
	sort.Strings(d.NowSelected)
	sort.Strings(d.NoLonger)
	for k, a := range was {
		if b, ok := now[k]; ok && (a.Ticket != b.Ticket || a.Rank != b.Rank || a.Repeat != b.Repeat || a.Class != b.Class) {
			d.Other = append(d.Other, fmt.Sprintf("%s 的签号、位次或类别不同（记录：%s 第%d位 %s；重算：%s 第%d位 %s）",
				k, short(a.Ticket), a.Rank, a.Class, short(b.Ticket), b.Rank, b.Class))
		}
	}
}

// samePicks reports whether a and b are the same firms in the same order, each with the
// same ticket, rank, repeat mark and class.
func samePicks(a, b []Selected) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.Key != y.Key || x.Ticket != y.Ticket || x.Rank != y.Rank || x.Repeat != y.Repeat || x.Class != y.Class {
			return false
		}
	}
	return true
}

func selectedSet(m *Manifest) map[string]Selected {
	out := make(map[string]Selected, len(m.Selected))
	for _, s := range m.Selected {
		out[s.Key] = s
	}
	return out
}

func strataOf(m *Manifest) []Stratum { return m.Strata }

func reservesOf(m *Manifest) []Reserve { return m.Reserves }

func strataText(m *Manifest) string {
	var parts []string
	for _, s := range m.Strata {
		parts = append(parts, fmt.Sprintf("%s N=%d %s%% n=%d", s.Class, s.N, s.Ratio, s.Count))
	}
	return strings.Join(parts, "，")
}

// teamsOf renders each firm's team as one comparable string (member IDs in slot order).
func teamsOf(m *Manifest) map[string]string {
	out := make(map[string]string, len(m.Assignments))
	for _, t := range m.Assignments {
		ids := make([]string, len(t.Team))
		for i, mem := range t.Team {
			ids[i] = mem.ID
		}
		out[t.Key] = strings.Join(ids, ",")
	}
	return out
}

func short(ticket string) string {
	if len(ticket) > 12 {
		return ticket[:12]
	}
	return ticket
}

// ReplayRequest is a recorded draw to run again: the record (a ledger entry's or a
// manifest file's), the plan the caller loaded for it (its bytes must be the recorded
// ones), the roster and, when the draw assigned inspectors, the inspector roster. Ledger,
// when it names an existing ledger, supplies the recorded frame of a version-2 manifest so
// a changed frame can be listed firm by firm.
type ReplayRequest struct {
	Record *Manifest
	// Expand, when given, completes Record (EntryDrawnLater): it runs while the roster is
	// read, and its error is the replay's before any other.
	Expand func() error
	Plan   *plan.Plan
	// Roster is the frame, or the file to read it from: its Sheet is read as given, so the
	// caller passes what ReplaySheet resolved for the record ("" reads the file's first
	// visible sheet, or a file without sheets).
	Roster     RosterInput
	Inspectors *Inspectors
	// DeptMapGiven: the Inspectors' Depts were given for this replay (replay --dept-map) and
	// are used as they are; otherwise the map the draw recorded (RecordedDepts), when it
	// recorded one, replaces them, so that the replay matches departments as the draw did.
	DeptMapGiven bool
	Ledger       string
	ToolVersion  string
}

// CheckReplayable refuses a record this version cannot replay (another algorithm) and one
// that assigned inspectors when none are given. Callers check it before reading rosters.
func CheckReplayable(rec *Manifest, haveInspectors bool) error {
	if rec.Spec != sampler.SampleSpec || (rec.AssignSpec != "" && rec.AssignSpec != sampler.AssignSpec) {
		return fmt.Errorf("该抽取使用的算法 %s %s 与本版本（%s %s）不同，无法重放；请使用记录的 choucha %s",
			rec.Spec, rec.AssignSpec, sampler.SampleSpec, sampler.AssignSpec, rec.ToolVersion)
	}
	if rec.AssignSpec != "" && !haveInspectors { // AssignSpec, not Assignments: a stored record's head has no teams yet
		return apperr.Usage(errors.New("该抽取同时选派了检查人员，请用 --inspectors 给出当时的执法检查人员名录"))
	}
	return nil
}

// ReplayTask checks that p is the plan the record was drawn from (same bytes) and returns
// the recorded task in it.
func ReplayTask(rec *Manifest, p *plan.Plan) (*plan.Task, error) {
	if p.SHA256 != rec.Plan.SHA256 {
		return nil, apperr.Hint(fmt.Errorf("计划文件与记录不同（记录 %s sha256 %s，当前 %s sha256 %s）", rec.Plan.ID, short(rec.Plan.SHA256), p.ID, short(p.SHA256)),
			"请用 --plan 给出抽取时使用的计划文件")
	}
	t, err := p.TaskRef(rec.TaskInfo.Seq, plan.KeySuffix(rec.Task, rec.Plan.ID, rec.TaskInfo.Seq))
	if err != nil {
		return nil, err
	}
	if t.Key != rec.Task {
		return nil, fmt.Errorf("计划中的任务 %s 与记录的任务 %s 不同", t.Key, rec.Task)
	}
	if rec.WindowGiven != "" {
		// As the draw saw it: a window in another year than the draw's took a --window (a
		// draw made before DrawTask had none, and replays without it).
		t = t.InYear(rec.Year)
	}
	if t.District != rec.TaskInfo.District {
		// The same bytes give the same tasks but for the district of a table without a 地市
		// column, which the draw may have been given (--plan-district): the record's stands.
		rt := *t
		rt.District = rec.TaskInfo.District
		t = &rt
	}
	return t, nil
}

// ReplaySheet is the sheet of the roster file a replay of rec reads, given the sheet asked
// for ("" when none): the sheet the draw recorded (roster.sheet); a different one asked for
// is refused. A draw that recorded none was made from a CSV file, from a workbook of one
// sheet, or by a version that did not record sheets and read the first sheet, hidden or
// not: when the file is a workbook of several sheets, its first sheet is read, as then.
func ReplaySheet(rec *Manifest, file, asked string) (string, error) {
	recorded := rec.Roster.Sheet
	switch {
	case recorded != "" && asked == "":
		return recorded, nil
	case recorded != "" && !strings.EqualFold(recorded, asked):
		return "", apperr.Usage(apperr.Hint(fmt.Errorf("抽取时读取的是名录的工作表“%s”，--sheet 给的是“%s”：重放要读同一个工作表", recorded, asked),
			fmt.Sprintf("去掉 --sheet，按台账的记录读取工作表“%s”", recorded)))
	case asked != "":
		return asked, nil
	}
	sheets, err := roster.WorkbookSheets(file)
	if err != nil || len(sheets) < 2 {
		return "", nil // the read says what is wrong with the file
	}
	return sheets[0].Name, nil
}

// Replay runs a recorded draw again with its seed, plan task, round, policy, ratio and
// earlier-round keys, and compares the result with the record. It writes nothing.
func Replay(ctx context.Context, req ReplayRequest) (Diff, error) {
	rec := req.Record
	if rec == nil || req.Plan == nil {
		return Diff{}, errors.New("重放缺少抽取记录或计划")
	}
	if err := CheckReplayable(rec, req.Inspectors != nil); err != nil {
		return Diff{}, err
	}
	task, err := ReplayTask(rec, req.Plan)
	if err != nil {
		return Diff{}, err
	}
	insp := req.Inspectors
	if insp != nil && !req.DeptMapGiven {
		recorded, err := RecordedDepts(rec)
		if err != nil {
			return Diff{}, err
		}
		if recorded != nil {
			in := *insp
			in.Depts = *recorded
			insp = &in
		}
	}
	expanded := make(chan error, 1)
	if req.Expand != nil {
		go func() { expanded <- req.Expand() }()
	} else {
		expanded <- nil
	}
	frame := req.Roster.Frame
	if frame == nil {
		frame, _, err = req.Roster.read(ctx, roster.Options{District: task.District})
	}
	if xerr := <-expanded; xerr != nil {
		return Diff{}, xerr
	}
	if err != nil {
		return Diff{}, err
	}
	created, _ := time.Parse(time.RFC3339, rec.CreatedAt)
	var rerun *Manifest
	var rerunFrame []byte
	if frame.Len() > 0 {
		rr := Request{
			Plan: req.Plan, Task: task, Frame: frame, Policy: rec.Policy, Seed: rec.Seed, Round: rec.Round, FrameSalt: rec.Roster.FrameSalt,
			RatioOverride: rec.RatioGiven, WindowOverride: rec.WindowGiven, Earlier: rec.Earlier, Inspectors: insp, Now: created, ToolVersion: req.ToolVersion,
			KeysOnly: true, Context: ctx,
		}
		if salt := rec.Roster.FrameSalt; salt != "" {
			// The frame's bytes are needed only to list what changed, when its hash differs
			// from the record's: hashed a run of lines at a time meanwhile, they are made whole
			// only then (20 MB at 1M rows).
			digested := make(chan FrameDigest, 1)
			go func() { digested <- streamDigest(frame, salt) }()
			rr.Digest = func() FrameDigest { return <-digested }
		}
		oc, err := Run(rr)
		if err != nil {
			return Diff{}, fmt.Errorf("重放失败: %w", err)
		}
		rerun, rerunFrame = oc.Manifest, oc.Frame
		if rerunFrame == nil && rec.Roster.FrameSHA256 != rerun.Roster.FrameSHA256 {
			rerunFrame = frame.Bytes()
		}
	} else {
		rerun, rerunFrame = &Manifest{Roster: RosterRef{SHA256: frame.SHA256, FrameSHA256: roster.FrameHash(nil)}, ToolVersion: req.ToolVersion}, frame.Bytes()
	}
	var recFrame []byte
	if rec.Roster.FrameSHA256 != rerun.Roster.FrameSHA256 {
		recFrame = recordedFrame(ctx, req.Ledger, rec)
	}
	return CompareFrames(rec, rerun, recFrame, rerunFrame), nil
}

// recordedFrame is the frame a recorded draw was made from: inline in a version-1 manifest,
// else from the ledger, which stores each frame once by its hash. nil when neither has it
// (a manifest.json without its ledger): the replay then says the frame changed without
// listing the firms.
func recordedFrame(ctx context.Context, ledgerPath string, rec *Manifest) []byte {
	if rec.Frame != nil {
		return LinesBytes(rec.Frame)
	}
	if ledgerPath == "" {
		return nil
	}
	l, err := ledger.OpenExisting(ledgerPath)
	if err != nil {
		return nil
	}
	defer l.Close()
	b, err := l.Frame(ctx, rec.Roster.FrameSHA256)
	if err != nil {
		return nil
	}
	return b
}
