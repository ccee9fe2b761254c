package web

import (
	"context"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/overlap"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
)

// recordRequest is one draw as the page asks for it.
type recordRequest struct {
	Plan         *plan.Plan
	Task         *plan.Task
	Frame        *roster.Frame
	Report       *roster.Report
	Inspectors   *draw.Inspectors
	Seed         string
	Round        int
	Ratio        string
	Window       string
	Operator     string
	RedrawReason string
	Now          time.Time
}

// record makes and records the draw through draw.Record, the call `choucha sample` makes:
// the same checks, lock rule, earlier rounds, caps, ledger entry and draw folder. The page
// gives the roster already read (its file has a name the server chose; the frame carries
// the name it was uploaded as) and chooses the folder under its output root.
func (s *Server) record(ctx context.Context, rq recordRequest) (*draw.Outcome, error) {
	return draw.Record(ctx, draw.RecordRequest{
		Plan: rq.Plan, TaskSeq: rq.Task.Seq, TaskSuffix: plan.KeySuffix(rq.Task.Key, rq.Plan.ID, rq.Task.Seq), Round: rq.Round, Seed: rq.Seed,
		Roster:     draw.RosterInput{Frame: rq.Frame, Report: rq.Report},
		Inspectors: rq.Inspectors, Ratio: rq.Ratio, Window: rq.Window,
		Ledger: s.cfg.DB, OutRoot: s.cfg.OutDir, Location: s.cfg.Location,
		Operator: rq.Operator, RedrawReason: rq.RedrawReason, Now: rq.Now, ToolVersion: s.cfg.ToolVersion,
		WriteDraw: export.WriteDraw, MarkOverCap: overlap.MarkOverCap,
	})
}

// inspectors is the inspector side of a draw from an uploaded roster, as draw.LoadInspectors
// makes it, named by the uploaded name.
func (s *Server) inspectors(u *upload, list []roster.Inspector, rep *roster.Report, assumeValid bool) *draw.Inspectors {
	return &draw.Inspectors{File: u.Name, SHA256: rep.SHA256, List: list, Depts: s.depts(), AssumeValid: assumeValid}
}

// depts is the department map of the server's draws (serve --dept-map, else the built-in one).
func (s *Server) depts() dept.Map {
	if s.cfg.Depts != nil {
		return *s.cfg.Depts
	}
	return dept.DefaultMap()
}
