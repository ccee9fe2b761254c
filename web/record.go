package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
)

// recordRequest is one draw as the page asks for it.
type recordRequest struct {
	Plan         *plan.Plan
	Task         *plan.Task
	Frame        *roster.Frame
	Inspectors   *draw.Inspectors
	Seed         string
	Round        int
	Ratio        string
	Operator     string
	RedrawReason string
	Now          time.Time
}

// record runs and records one draw.
//
// TEMPORARY: this follows `choucha sample` step by step until draw.Record (issue 13) lands;
// it is then replaced by that one call.
func (s *Server) record(ctx context.Context, rq recordRequest) (*draw.Outcome, string, error) {
	l, err := s.ledgerForDraw()
	if err != nil {
		return nil, "", err
	}
	year := draw.PlanYear(rq.Plan, rq.Now)
	locked, err := l.Locked(ctx, rq.Task.Key, rq.Round, year)
	if err != nil {
		return nil, "", err
	}
	if locked != nil && strings.TrimSpace(rq.RedrawReason) == "" {
		return nil, "", withHint(&ledger.LockedError{Task: rq.Task.Key, Round: rq.Round, Year: year, LockedID: locked.ID},
			"如确需重新抽取，请填写重抽理由，重抽及理由将记入台账并公开可查")
	}
	var earlier []string
	for r := 1; r < rq.Round; r++ {
		e, err := l.Standing(ctx, rq.Task.Key, r, year)
		if err != nil {
			return nil, "", err
		}
		if e != nil {
			earlier = append(earlier, e.Keys...)
		}
	}
	outDir := filepath.Join(s.cfg.OutDir, fmt.Sprintf("%s-r%d-%s", rq.Task.Key, rq.Round, rq.Now.Local().Format("20060102-150405")))
	if _, err := os.Stat(outDir); err == nil {
		return nil, "", fmt.Errorf("输出目录 %s 已存在", outDir)
	}
	oc, err := draw.Run(draw.Request{
		Plan: rq.Plan, Task: rq.Task, Frame: rq.Frame, Policy: risk.DefaultPolicy(), Seed: rq.Seed, Round: rq.Round,
		RatioOverride: rq.Ratio, Earlier: earlier, Inspectors: rq.Inspectors, Now: rq.Now, ToolVersion: s.cfg.ToolVersion,
	})
	if err != nil {
		return nil, "", err
	}
	m := oc.Manifest
	canonical, err := m.Canonical()
	if err != nil {
		return nil, "", err
	}
	id, err := l.Append(ctx, ledger.Entry{
		Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Year: m.Year, Seed: m.Seed,
		CreatedAt: m.CreatedAt, Operator: rq.Operator, RedrawReason: strings.TrimSpace(rq.RedrawReason),
		Manifest: canonical, Keys: m.DrawnKeys(), Frame: oc.Frame, // stored once per frame_sha256
	})
	if err != nil {
		return nil, "", fmt.Errorf("记入抽取台账: %w", err)
	}
	m.LedgerID = id
	if err := export.WriteDraw(outDir, m); err != nil {
		return oc, "", fmt.Errorf("抽取已记入台账第 %d 条，但写出名单到 %s 失败: %w", id, outDir, err)
	}
	return oc, outDir, nil
}
