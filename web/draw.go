package web

import (
	"context"
	"errors"
	"fmt"
	"github.com/choucha/choucha/plan"
	"net/http"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/ledger"
)

// drawNote is what a draw made by this server told its operator: the talk the CLI prints on
// stderr, which the manifest does not keep.
type drawNote struct {
	Warnings []string
	LeftOut  []draw.LeftOut
	OutDir   string
	Query    string // the inputs, for "draw again"
	WriteErr string
}

type ceremonyData struct {
	In      inputs
	Query   string
	Check   *checkData
	Round   roundState
	Prev    int64 // newest draw of the round when the page was made
	Seed    string
	Reason  string
	Locked  bool
	Started bool // the round has draws
}

func (s *Server) handleCeremony(w http.ResponseWriter, r *http.Request) {
	_, t, in, ok := s.taskInputs(w, r)
	if !ok {
		return
	}
	d, err := s.ceremony(r.Context(), in)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	s.render(w, r, http.StatusOK, "ceremony", view{Title: "抽取 " + t.Key, Nav: "plan", Wide: true, Data: d})
}

func (s *Server) ceremony(ctx context.Context, in inputs) (*ceremonyData, error) {
	d := &ceremonyData{In: in, Query: in.query(), Check: s.check(ctx, in)}
	rs, err := s.roundStates(ctx, in.Task, draw.PlanYear(in.Plan, s.cfg.Now()), in.Task.RoundsWith(in.Ratio, in.Window))
	if err != nil {
		return nil, err
	}
	d.Round = rs[in.Round-1]
	if n := len(d.Round.Draws); n > 0 {
		d.Prev = d.Round.Draws[n-1].ID
		d.Started = true
	}
	d.Locked = d.Round.Locked != nil
	return d, nil
}

// handleDraw records the draw. The form carries the newest draw of the round it was made
// for: when another tab (or the CLI) drew the round meanwhile, the draw is refused and the
// page shows the round as it now is, with the lock and redraw rules.
func (s *Server) handleDraw(w http.ResponseWriter, r *http.Request) {
	p, t, in, ok := s.taskInputs(w, r)
	if !ok {
		return
	}
	seedText := strings.TrimSpace(r.PostFormValue("seed"))
	operator := strings.TrimSpace(r.PostFormValue("operator"))
	reason := strings.TrimSpace(r.PostFormValue("redraw_reason"))
	prev, _ := strconv.ParseInt(r.PostFormValue("prev"), 10, 64)
	again := func(status int, err error) {
		d, derr := s.ceremony(r.Context(), in)
		if derr != nil {
			s.fail(w, r, http.StatusInternalServerError, derr)
			return
		}
		d.Seed, d.Reason = seedText, reason
		msg, hint := errorText(err)
		s.render(w, r, status, "ceremony", view{Title: "抽取 " + t.Key, Nav: "plan", Wide: true, Error: msg, Hint: hint, Operator: operator, Data: d})
	}
	if seedText == "" {
		again(http.StatusBadRequest, errors.New("请输入公开随机种子：当场掷骰得到的 20 位以上十进制数字"))
		return
	}
	if _, _, err := draw.Seed(seedText); err != nil {
		again(http.StatusBadRequest, err)
		return
	}
	if operator == "" {
		again(http.StatusBadRequest, errors.New("请填写操作人姓名（记入台账）"))
		return
	}

	frame, report, err := s.readFirms(r.Context(), in.Roster, t.District, "")
	if err != nil {
		again(http.StatusBadRequest, err)
		return
	}
	if frame.Len() == 0 {
		again(http.StatusBadRequest, draw.EmptyFrameError(frame, t, report))
		return
	}
	var insp *draw.Inspectors
	if in.Insp != nil {
		list, rep, err := s.readInspectors(r.Context(), in.Insp, in.AssumeValid)
		if err != nil {
			again(http.StatusBadRequest, err)
			return
		}
		insp = s.inspectors(in.Insp, list, rep, in.AssumeValid)
	}

	now := s.cfg.Now()
	year := draw.PlanYear(p, now)
	mu := s.roundLock(t.Key, in.Round, year)
	mu.Lock()
	defer mu.Unlock()
	rs, err := s.roundStates(r.Context(), t, year, t.RoundsWith(in.Ratio, in.Window))
	if err != nil {
		again(http.StatusInternalServerError, err)
		return
	}
	cur := rs[in.Round-1]
	if n := len(cur.Draws); n > 0 && cur.Draws[n-1].ID != prev {
		last := cur.Draws[n-1]
		hint := "请先查看那次抽取；如仍需重新抽取，请再次提交（同一轮的再次抽取记入台账并公开可查）"
		if cur.Locked != nil {
			hint = fmt.Sprintf("本轮名单已于台账第 %d 条锁定；如确需重新抽取，请填写重抽理由后再次提交，重抽及理由将记入台账并公开可查", cur.Locked.ID)
		}
		again(http.StatusConflict, withHint(fmt.Errorf("打开本页之后，任务 %s 第%d轮已由台账第 %d 条抽取（操作人 %s，%s），本次没有抽取", t.Key, in.Round, last.ID, last.Operator, export.LocalTime(s.cfg.Location, last.CreatedAt)), hint))
		return
	}

	oc, err := s.record(r.Context(), recordRequest{
		Plan: p, Task: t, Frame: frame, Report: report, Inspectors: insp, Seed: seedText, Round: in.Round,
		Ratio: in.Ratio, Window: in.Window, Operator: operator, RedrawReason: reason, Now: now,
	})
	var we *draw.WriteError
	if err != nil && !errors.As(err, &we) {
		status := http.StatusBadRequest
		if errors.Is(err, ledger.ErrLocked) {
			status = http.StatusConflict
		}
		again(status, err)
		return
	}
	m := oc.Manifest
	note := &drawNote{Warnings: oc.Warnings, LeftOut: oc.LeftOut, OutDir: oc.Dir, Query: in.query()}
	if we != nil {
		note.WriteErr, _ = errorText(err)
		note.OutDir = ""
	}
	s.mu.Lock()
	s.results[m.LedgerID] = note
	s.mu.Unlock()
	http.Redirect(w, r, fmt.Sprintf("/entry/%d?reveal=1", m.LedgerID), http.StatusSeeOther)
}

type stratumGroup struct {
	Stratum  draw.Stratum
	Firms    []draw.Selected
	Reserves []draw.Reserve
	Start    int // number of the first firm of the group in the whole list
}

type teamRow struct {
	N       int
	Firm    draw.Selected
	Members []string
}

type entryData struct {
	Entry    ledger.Entry
	Target   *ledger.Entry // for a lock entry
	M        *draw.Manifest
	Groups   []stratumGroup
	Teams    []teamRow
	Loads    [][3]string
	Reveal   bool
	Standing *ledger.Entry // the round's locked draw
	Nth      int           // this is the nth draw of its round
	Files    []fileLink
	Note     *drawNote
	TaskURL  string
}

type fileLink struct {
	Name, Format string
}

// loadEntry reads a ledger entry (and, for a draw, its validated manifest).
func (s *Server) loadEntry(ctx context.Context, idText string) (ledger.Entry, *draw.Manifest, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return ledger.Entry{}, nil, fmt.Errorf("台账序号应为正整数，不是“%s”", idText)
	}
	l, err := s.ledger()
	if err != nil {
		return ledger.Entry{}, nil, err
	}
	if l == nil {
		return ledger.Entry{}, nil, fmt.Errorf("还没有抽取台账：%s 不存在（第一次抽取时建立）", s.cfg.DB)
	}
	e, err := l.Get(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return e, nil, fmt.Errorf("台账中没有第 %d 条", id)
	}
	if err != nil || e.Kind != ledger.KindDraw {
		return e, nil, err
	}
	m, err := export.ParseEntry(e, fmt.Sprintf("台账第 %d 条", id))
	if err != nil {
		return e, nil, err
	}
	m.LedgerID = e.ID
	return e, m, nil
}

func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request) {
	e, m, err := s.loadEntry(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	d := &entryData{Entry: e, M: m, Reveal: r.URL.Query().Get("reveal") == "1"}
	l, _ := s.ledger()
	if m == nil { // a lock entry
		if t, err := l.Get(r.Context(), e.Target); err == nil {
			d.Target = &t
		}
		s.render(w, r, http.StatusOK, "entry", view{Title: fmt.Sprintf("台账第 %d 条", e.ID), Nav: "ledger", Data: d})
		return
	}
	d.Standing, err = l.Locked(r.Context(), m.Task, m.Round, m.Year)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if es, err := l.List(r.Context(), ledger.Filter{Task: m.Task, Year: m.Year}); err == nil {
		for _, x := range es {
			if x.Round == m.Round && x.ID <= e.ID {
				d.Nth++
			}
		}
	}
	s.mu.Lock()
	d.Note = s.results[e.ID]
	s.mu.Unlock()
	if p, ok := s.plan(m.Plan.ID); ok && p.SHA256 == m.Plan.SHA256 {
		if t, err := p.TaskRef(m.TaskInfo.Seq, plan.KeySuffix(m.Task, m.Plan.ID, m.TaskInfo.Seq)); err == nil && t.Key == m.Task {
			d.TaskURL = taskURL(p, t)
		}
	}
	d.Groups, d.Teams, d.Loads = groups(m)
	d.Files = s.fileLinks(r.Context(), m)
	s.render(w, r, http.StatusOK, "entry", view{Title: fmt.Sprintf("台账第 %d 条 %s 第%d轮", e.ID, m.Task, m.Round), Nav: "ledger", Data: d})
}

// groups splits the list by stratum (in the manifest's order) for the reveal.
func groups(m *draw.Manifest) ([]stratumGroup, []teamRow, [][3]string) {
	var gs []stratumGroup
	idx := map[string]int{}
	for _, st := range m.Strata {
		idx[st.Class] = len(gs)
		gs = append(gs, stratumGroup{Stratum: st})
	}
	for _, f := range m.Selected {
		i, ok := idx[f.Class]
		if !ok {
			idx[f.Class] = len(gs)
			i = len(gs)
			gs = append(gs, stratumGroup{Stratum: draw.Stratum{Class: f.Class}})
		}
		gs[i].Firms = append(gs[i].Firms, f)
	}
	for _, rv := range m.Reserves {
		if i, ok := idx[rv.Class]; ok {
			gs[i].Reserves = append(gs[i].Reserves, rv)
		}
	}
	n := 1
	for i := range gs {
		gs[i].Start = n
		n += len(gs[i].Firms)
	}
	byKey := map[string]draw.Selected{}
	for _, f := range m.Selected {
		byKey[f.Key] = f
	}
	var teams []teamRow
	names := map[string][2]string{}
	for i, t := range m.Assignments {
		row := teamRow{N: i + 1, Firm: byKey[t.Key]}
		for _, mem := range t.Team {
			row.Members = append(row.Members, mem.Name+"（"+mem.Dept+"）")
			names[mem.ID] = [2]string{mem.Name, mem.Dept}
		}
		teams = append(teams, row)
	}
	var loads [][3]string
	for _, id := range sortedKeys(m.Loads) {
		loads = append(loads, [3]string{names[id][0] + "（" + names[id][1] + "）", id, strconv.Itoa(m.Loads[id])})
	}
	return gs, teams, loads
}

func statusOf(err error) int {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "没有第"), strings.Contains(msg, "不存在"):
		return http.StatusNotFound
	case strings.Contains(msg, "应为正整数"):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// handleLock locks a draw as its round's final list (as `choucha ledger lock` does).
func (s *Server) handleLock(w http.ResponseWriter, r *http.Request) {
	e, m, err := s.loadEntry(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	if m == nil {
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("台账第 %d 条是锁定记录，不是抽取", e.ID))
		return
	}
	operator := strings.TrimSpace(r.PostFormValue("operator"))
	if operator == "" {
		s.fail(w, r, http.StatusBadRequest, errors.New("请填写操作人姓名（记入台账）"))
		return
	}
	l, err := s.ledgerForDraw()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	mu := s.roundLock(m.Task, m.Round, m.Year)
	mu.Lock()
	_, err = l.Lock(r.Context(), e.ID, operator)
	mu.Unlock()
	if err != nil {
		s.fail(w, r, http.StatusConflict, fmt.Errorf("锁定第 %d 条: %w", e.ID, err))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/entry/%d", e.ID), http.StatusSeeOther)
}
