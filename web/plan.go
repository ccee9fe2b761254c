package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
)

var riskNames = map[string]string{
	plan.RiskProgressive: "按企业信用风险分类递加",
	plan.RiskNone:        "不按信用风险分类",
	plan.RiskOther:       "其他依据",
}

type planListData struct {
	Plan      *plan.Plan
	Plans     []*plan.Plan
	Districts []string
	Months    []int
	Risks     [][2]string
	Filter    plan.Filter
	Tasks     []plan.Task
}

func (s *Server) handlePlanList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, ok := s.plan(q.Get("plan"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("没有计划“%s”：请在“计划文件”页上传", q.Get("plan")))
		return
	}
	f := plan.Filter{District: q.Get("district"), Dept: strings.TrimSpace(q.Get("dept")), Keyword: strings.TrimSpace(q.Get("keyword")), Risk: q.Get("risk"), Canon: p.DeptNames()}
	if m := q.Get("month"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 12 {
			s.fail(w, r, http.StatusBadRequest, fmt.Errorf("月份应在1到12之间，而不是“%s”", m))
			return
		}
		f.Month = n
	}
	if _, ok := riskNames[f.Risk]; !ok && f.Risk != "" {
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("风险要求类别只能是 progressive、none 或 other，而不是“%s”", f.Risk))
		return
	}
	d := planListData{Plan: p, Plans: s.planList(), Districts: p.Districts(), Filter: f,
		Risks: [][2]string{{plan.RiskProgressive, riskNames[plan.RiskProgressive]}, {plan.RiskNone, riskNames[plan.RiskNone]}, {plan.RiskOther, riskNames[plan.RiskOther]}}}
	for m := 1; m <= 12; m++ {
		d.Months = append(d.Months, m)
	}
	d.Tasks = p.Select(f)
	s.render(w, r, http.StatusOK, "plan", view{Title: "计划 " + p.ID, Nav: "plan", Data: d})
}

type plansData struct {
	Plans    []*plan.Plan
	Loaded   *plan.Plan
	Findings []lintRow
	Summary  string // the count of each kind, as plan lint ends
}

// lintRow is a plan lint finding as plan lint's table shows it: the task as --task names it
// (1.2 for a group's part), the row of the plan file and the column it is about.
type lintRow struct {
	Task, Line, Cell, Kind, Message string
}

func lintRows(p *plan.Plan) ([]lintRow, string) {
	fs := plan.Lint(p)
	rows := make([]lintRow, 0, len(fs))
	counts := map[string]int{}
	for _, f := range fs {
		row := lintRow{Cell: f.Cell, Kind: f.Kind, Message: pageText(f.Message)}
		if f.Seq != 0 {
			row.Task = strings.TrimPrefix(f.Key, p.ID+"-")
		}
		if f.Line != 0 {
			row.Line = strconv.Itoa(f.Line)
		}
		rows = append(rows, row)
		counts[f.Kind]++
	}
	var parts []string
	for _, k := range plan.LintKinds {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
		}
	}
	return rows, strings.Join(parts, "，")
}

func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request) {
	d := plansData{Plans: s.planList()}
	if id := r.URL.Query().Get("lint"); id != "" {
		p, ok := s.plan(id)
		if !ok {
			s.fail(w, r, http.StatusNotFound, fmt.Errorf("没有计划“%s”", id))
			return
		}
		d.Loaded = p
		d.Findings, d.Summary = lintRows(p)
	}
	s.render(w, r, http.StatusOK, "plans", view{Title: "计划文件", Nav: "plans", Data: d})
}

// handlePlanUpload reads another plan file (as `--plan FILE --plan-id ID --plan-district D`
// would) and shows its lint report.
func (s *Server) handlePlanUpload(w http.ResponseWriter, r *http.Request) {
	fh := formFile(r, "plan")
	if fh == nil {
		s.failForm(w, r, "plans", plansData{Plans: s.planList()}, errors.New("请选择计划文件（.txt/.tsv 制表符分隔文本、.xlsx/.xls、.docx/.doc 或 .html）"))
		return
	}
	u, err := s.uploads.save("plan", fh)
	if err != nil {
		s.failForm(w, r, "plans", plansData{Plans: s.planList()}, err)
		return
	}
	id := strings.TrimSpace(r.PostFormValue("plan_id"))
	if id != "" && !plan.ValidID(id) {
		s.failForm(w, r, "plans", plansData{Plans: s.planList()}, fmt.Errorf("计划编号“%s”无效：只能用英文字母、数字和 . _ -", id))
		return
	}
	// An empty ID is derived from the name the file was uploaded as (never the server's name
	// for it): an ASCII name, else the title's place and year, else a refusal asking for one.
	p, err := plan.LoadWith(u.Path, plan.Options{ID: id, Name: u.Name, District: strings.TrimSpace(r.PostFormValue("plan_district"))})
	if err != nil {
		s.failForm(w, r, "plans", plansData{Plans: s.planList()}, plan.ReadHint(u.named(err)))
		return
	}
	if old, ok := s.plan(p.ID); ok && old.SHA256 != p.SHA256 {
		s.failForm(w, r, "plans", plansData{Plans: s.planList()}, withHint(fmt.Errorf("计划编号 %s 已被另一份计划使用", p.ID), "请在“计划编号”一栏给这份计划另起一个编号"))
		return
	}
	s.addPlan(p)
	http.Redirect(w, r, "/plans?lint="+p.ID, http.StatusSeeOther)
}

// failForm shows a form page again with the error on top (status 400: the input was wrong).
func (s *Server) failForm(w http.ResponseWriter, r *http.Request, page string, data any, err error) {
	msg, hint := errorText(err)
	s.render(w, r, http.StatusBadRequest, page, view{Title: "出错了", Error: msg, Hint: hint, Data: data, Nav: page})
}

type roundState struct {
	Round  int
	Draws  []ledger.Entry
	Locked *ledger.Entry
}

type taskData struct {
	Plan     *plan.Plan
	Task     *plan.Task
	RiskName string
	Ratio    string
	Year     int
	Rounds   []roundState
}

func (s *Server) taskOf(w http.ResponseWriter, r *http.Request) (*plan.Plan, *plan.Task, bool) {
	p, ok := s.plan(r.PathValue("plan"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("没有计划“%s”：请在“计划文件”页上传", r.PathValue("plan")))
		return nil, nil, false
	}
	// The task is named as --task names it: its 序号, or a group's part ("3.2") or a
	// duplicate 序号 ("6~2") — taskRef, which the page's links use.
	seq, suffix, err := plan.ParseTaskRef(r.PathValue("seq"))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return nil, nil, false
	}
	t, err := draw.DrawTask(p, seq, suffix, s.cfg.Now())
	if err != nil {
		s.fail(w, r, http.StatusNotFound, err)
		return nil, nil, false
	}
	return p, t, true
}

func (s *Server) handleTask(w http.ResponseWriter, r *http.Request) {
	p, t, ok := s.taskOf(w, r)
	if !ok {
		return
	}
	d := taskData{Plan: p, Task: t, RiskName: riskNames[t.Risk.Kind], Ratio: t.Ratio.Describe(), Year: draw.PlanYear(p, s.cfg.Now())}
	rs, err := s.roundStates(r.Context(), t, d.Year, t.Rounds)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	d.Rounds = rs
	s.render(w, r, http.StatusOK, "task", view{Title: t.Key + " " + t.Name, Nav: "plan", Data: d})
}

// roundStates lists, for each round of the task this year, its draws and its locked draw:
// rounds rounds at least (the task's with the draw's --ratio and --window, Task.RoundsWith),
// and every round the ledger has a draw of.
func (s *Server) roundStates(ctx context.Context, t *plan.Task, year, rounds int) ([]roundState, error) {
	out := make([]roundState, max(rounds, 1))
	for i := range out {
		out[i].Round = i + 1
	}
	l, err := s.ledger()
	if err != nil || l == nil {
		return out, err
	}
	es, err := l.List(ctx, ledger.Filter{Task: t.Key, Year: year})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		// A --ratio that writes a frequency (每季度12.5%) gives a task more rounds than its
		// plan: those rounds' draws are listed too.
		for e.Round > len(out) {
			out = append(out, roundState{Round: len(out) + 1})
		}
		if e.Round >= 1 {
			out[e.Round-1].Draws = append(out[e.Round-1].Draws, e)
		}
	}
	for i := range out {
		if len(out[i].Draws) == 0 {
			continue
		}
		if out[i].Locked, err = l.Locked(ctx, t.Key, i+1, year); err != nil {
			return nil, err
		}
	}
	return out, nil
}
