package web

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
)

// formFile is the uploaded file of a form field, nil when none was chosen.
func formFile(r *http.Request, field string) *multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	fs := r.MultipartForm.File[field]
	if len(fs) == 0 || fs[0].Filename == "" {
		return nil
	}
	return fs[0]
}

// readFirms reads a firm roster for a district (as `sample` and `roster check --district`
// do), once per upload and district.
//
// sheet is the workbook's sheet to read ("": the first visible one, as the page's draws read
// it); a replay reads the sheet its draw recorded.
func (s *Server) readFirms(ctx context.Context, u *upload, district, sheet string) (*roster.Frame, *roster.Report, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.firms == nil {
		u.firms = map[string]*firmRead{}
	}
	key := district + "\x00" + sheet
	if fr := u.firms[key]; fr != nil {
		return fr.frame, fr.report, fr.err
	}
	frame, rep, err := roster.ReadFirms(ctx, u.Path, roster.Options{District: district, Sheet: sheet})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, err // not cached: the next request reads again
		}
		err = u.named(err)
	} else {
		frame.File, rep.File = u.Name, u.Name
	}
	u.firms[key] = &firmRead{frame: frame, report: rep, err: err}
	return frame, rep, err
}

// readInspectors reads an inspector roster once per upload (and --assume-valid choice).
func (s *Server) readInspectors(ctx context.Context, u *upload, assumeValid bool) ([]roster.Inspector, *roster.Report, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if ir := u.inspect[assumeValid]; ir != nil {
		return ir.list, ir.report, ir.err
	}
	if u.inspect == nil {
		u.inspect = map[bool]*inspectorRead{}
	}
	list, rep, err := roster.ReadInspectors(ctx, u.Path, roster.Options{AssumeValid: assumeValid})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, err
		}
		err = u.named(err)
	} else {
		rep.File = u.Name
	}
	u.inspect[assumeValid] = &inspectorRead{list: list, report: rep, err: err}
	return list, rep, err
}

// handleRosterUpload takes the firm roster and (optionally) the inspector roster of a task.
// A file already uploaded is kept when the form sends its ID instead of a new file.
func (s *Server) handleRosterUpload(w http.ResponseWriter, r *http.Request) {
	p, t, ok := s.taskOf(w, r)
	if !ok {
		return
	}
	q := url.Values{}
	for _, k := range []struct{ field, kind, param string }{{"roster", "roster", "roster"}, {"inspectors", "inspectors", "insp"}} {
		id := r.PostFormValue(k.param)
		if fh := formFile(r, k.field); fh != nil {
			u, err := s.uploads.save(k.kind, fh)
			if err != nil {
				s.taskFormError(w, r, p, t, err)
				return
			}
			id = u.ID
		}
		if _, err := s.uploads.get(k.kind, id); err != nil {
			s.taskFormError(w, r, p, t, err)
			return
		}
		if id != "" {
			q.Set(k.param, id)
		}
	}
	if q.Get("roster") == "" {
		s.taskFormError(w, r, p, t, errors.New("请选择检查对象名录文件（.xlsx、.xls 或 .csv）"))
		return
	}
	http.Redirect(w, r, taskURL(p, t)+"/check?"+q.Encode(), http.StatusSeeOther)
}

func taskURL(p *plan.Plan, t *plan.Task) string {
	return "/plan/" + url.PathEscape(p.ID) + "/task/" + url.PathEscape(taskRef(p, t))
}

// taskRef names a task in the page's addresses as --task names it: "292", or "1.2" for the
// second task of a 序号 with several (plan.ParseTaskRef reads it back).
func taskRef(p *plan.Plan, t *plan.Task) string {
	return strconv.Itoa(t.Seq) + plan.KeySuffix(t.Key, p.ID, t.Seq)
}

func (s *Server) taskFormError(w http.ResponseWriter, r *http.Request, p *plan.Plan, t *plan.Task, err error) {
	d := taskData{Plan: p, Task: t, RiskName: riskNames[t.Risk.Kind], Ratio: t.Ratio.Describe(), Year: draw.PlanYear(p, s.cfg.Now())}
	d.Rounds, _ = s.roundStates(r.Context(), t, d.Year, t.Rounds)
	msg, hint := errorText(err)
	s.render(w, r, http.StatusBadRequest, "task", view{Title: t.Key + " " + t.Name, Nav: "plan", Error: msg, Hint: hint, Data: d})
}

// inputs are the files and choices of a draw as the forms carry them.
type inputs struct {
	Plan   *plan.Plan
	Task   *plan.Task
	Roster *upload
	Insp   *upload
	Round  int
	Ratio  string
	Window string
	// AssumeValid: inspectors whose 执法证有效期 is not recorded count as valid (sample
	// --assume-valid; recorded in the manifest).
	AssumeValid bool
}

func (in inputs) query() string {
	q := url.Values{}
	if in.Roster != nil {
		q.Set("roster", in.Roster.ID)
	}
	if in.Insp != nil {
		q.Set("insp", in.Insp.ID)
	}
	if in.Round > 0 {
		q.Set("round", strconv.Itoa(in.Round))
	}
	if in.Ratio != "" {
		q.Set("ratio", in.Ratio)
	}
	if in.Window != "" {
		q.Set("window", in.Window)
	}
	if in.AssumeValid {
		q.Set("assume_valid", "1")
	}
	return q.Encode()
}

// taskInputs is the start of every page of a task's draw: the task of the request and its
// inputs; on a bad task or bad inputs it has already answered (ok false).
func (s *Server) taskInputs(w http.ResponseWriter, r *http.Request) (p *plan.Plan, t *plan.Task, in inputs, ok bool) {
	if p, t, ok = s.taskOf(w, r); !ok {
		return nil, nil, inputs{}, false
	}
	in, err := s.inputsOf(r, p, t)
	if err != nil {
		s.taskFormError(w, r, p, t, err)
		return nil, nil, inputs{}, false
	}
	return p, t, in, true
}

// inputsOf reads the draw inputs of a request (query or form).
func (s *Server) inputsOf(r *http.Request, p *plan.Plan, t *plan.Task) (inputs, error) {
	in := inputs{Plan: p, Task: t, Round: 1, Ratio: strings.TrimSpace(r.FormValue("ratio")), Window: strings.TrimSpace(r.FormValue("window")), AssumeValid: r.FormValue("assume_valid") == "1"}
	var err error
	if in.Roster, err = s.uploads.get("roster", r.FormValue("roster")); err != nil {
		return in, err
	}
	if in.Roster == nil {
		return in, errors.New("还没有上传检查对象名录：请在任务页上传")
	}
	if in.Insp, err = s.uploads.get("inspectors", r.FormValue("insp")); err != nil {
		return in, err
	}
	if v := r.FormValue("round"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return in, errors.New("轮次须为正整数，而不是“" + v + "”")
		}
		in.Round = n
	}
	return in, t.CheckRound(in.Round, in.Ratio, in.Window)
}

type issueCount struct{ Errors, Warnings, Infos int }

// sheetChoiceWeb is Report.Notes' advice on the page, which has no --sheet: it reads the
// workbook's first visible sheet.
const sheetChoiceWeb = "网页读取第一张可见的工作表；要用其他工作表，请在 Excel/WPS 中把它移到最前（或删去其他工作表）后再上传"

type checkData struct {
	In         inputs
	Query      string
	Rounds     []int
	Report     *roster.Report
	Counts     issueCount
	Notes      []string // how the rosters were read: which sheet, merged cells filled (Report.Notes)
	Classes    []classCount
	RosterErr  string
	RosterHint string

	Strata     []draw.Stratum
	StrataErr  string
	StrataHint string
	NeedRatio  bool // the plan gives no usable ratio: the draw needs one (--ratio)
	NeedWindow bool // nor a usable window (--window)
	NeedWhy    []string

	InspReport *roster.Report
	InspCounts issueCount
	InspErr    string
	InspHint   string
	Matches    []draw.DeptMatch
	LeftOut    []draw.LeftOut
	Warnings   []string
	NoValidity int // inspector rows without 执法证有效期: eligible only when assumed valid
	Ready      bool
}

// handleIssues sends every issue row of the firm (or inspector) roster as CSV, as the
// check page lists them.
func (s *Server) handleIssues(w http.ResponseWriter, r *http.Request) {
	p, t, ok := s.taskOf(w, r)
	if !ok {
		return
	}
	in, err := s.inputsOf(r, p, t)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	var rep *roster.Report
	name := in.Roster.Name
	if r.URL.Query().Get("of") == "insp" && in.Insp != nil {
		_, rep, err = s.readInspectors(r.Context(), in.Insp, in.AssumeValid)
		name = in.Insp.Name
	} else {
		_, rep, err = s.readFirms(r.Context(), in.Roster, t.District, "")
	}
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	rows := make([][]string, 0, len(rep.Issues))
	for _, is := range rep.Issues {
		rows = append(rows, []string{strconv.Itoa(is.Row), is.ID, levelText(is.Level), is.Code, pageText(is.Message)})
	}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, export.UTF8, []string{"行", "代码", "处理", "问题", "原因"}, rows); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": strings.TrimSuffix(name, filepath.Ext(name)) + "-问题行.csv"}))
	_, _ = w.Write(buf.Bytes())
}

type classCount struct {
	Class string
	N     int
}

func countIssues(rep *roster.Report) issueCount {
	var c issueCount
	for _, is := range rep.Issues {
		switch is.Level {
		case roster.LevelError:
			c.Errors++
		case roster.LevelWarning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}

// previewSeed is the seed of the preview run: the strata and the department matching of a
// draw do not depend on the seed, and the preview's list is never shown.
const previewSeed = "00000000000000000000"

// handleCheck shows the roster check, the strata with N, ratio and n, and the inspectors'
// department matching and eligibility — before anything is drawn.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	_, t, in, ok := s.taskInputs(w, r)
	if !ok {
		return
	}
	d := s.check(r.Context(), in)
	s.render(w, r, http.StatusOK, "check", view{Title: "名录检查 " + t.Key, Nav: "plan", Data: d})
}

func (s *Server) check(ctx context.Context, in inputs) *checkData {
	need := in.Task.NeedsOverride()
	d := &checkData{In: in, Query: in.query(), NeedRatio: need.Ratio, NeedWindow: need.Window, NeedWhy: need.Why}
	for i := 1; i <= in.Task.RoundsWith(in.Ratio, in.Window); i++ {
		d.Rounds = append(d.Rounds, i)
	}
	frame, rep, err := s.readFirms(ctx, in.Roster, in.Task.District, "")
	if err != nil {
		d.RosterErr, d.RosterHint = errorText(err)
		return d
	}
	d.Report, d.Counts = rep, countIssues(rep)
	d.Notes = rep.Notes("名录", sheetChoiceWeb)
	for _, c := range sortedKeys(rep.Classes) {
		d.Classes = append(d.Classes, classCount{c, rep.Classes[c]})
	}
	if frame.Len() == 0 {
		d.StrataErr, d.StrataHint = errorText(draw.EmptyFrameError(frame, in.Task, rep))
		return d
	}
	now := s.cfg.Now()
	req := draw.Request{Plan: in.Plan, Task: in.Task, Frame: frame, Policy: risk.DefaultPolicy(), Seed: previewSeed,
		Round: in.Round, RatioOverride: in.Ratio, WindowOverride: in.Window, Now: now, ToolVersion: s.cfg.ToolVersion, KeysOnly: true, Context: ctx}
	oc, err := draw.Run(req)
	if err != nil {
		d.StrataErr, d.StrataHint = errorText(err)
		return d
	}
	d.Strata = oc.Manifest.Strata
	d.Ready = true
	if in.Insp == nil {
		return d
	}
	list, irep, err := s.readInspectors(ctx, in.Insp, in.AssumeValid)
	if err != nil {
		d.InspErr, d.InspHint = errorText(err)
		d.Ready = false
		return d
	}
	d.InspReport, d.InspCounts = irep, countIssues(irep)
	d.Notes = append(d.Notes, irep.Notes("执法检查人员名录", sheetChoiceWeb)...)
	for _, is := range irep.Issues {
		if is.Code == roster.CodeNoValidity {
			d.NoValidity++
		}
	}
	req.Inspectors = s.inspectors(in.Insp, list, irep, in.AssumeValid)
	oc, err = draw.Run(req)
	if err != nil {
		d.InspErr, d.InspHint = errorText(err)
		d.Ready = false
		return d
	}
	d.Matches, d.LeftOut, d.Warnings = oc.Matches, oc.LeftOut, oc.Warnings
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
