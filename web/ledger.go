package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/ledger"
)

type ledgerRow struct {
	E        ledger.Listed
	Standing bool   // the round's locked list
	Locked   string // as choucha ledger shows it: 已锁定, or the lock that superseded it
	Redraw   string // 第2次抽取，理由：…
}

type ledgerData struct {
	Task    string
	Rows    []ledgerRow
	Missing bool
}

// handleLedgerList lists the draws as `choucha ledger` does (ledger.ListStatus: each with its
// round's numbering and the lock now in force), with the same words in the same columns.
func (s *Server) handleLedgerList(w http.ResponseWriter, r *http.Request) {
	d := ledgerData{Task: strings.TrimSpace(r.URL.Query().Get("task"))}
	l, err := s.ledger()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if l == nil {
		d.Missing = true
		s.render(w, r, http.StatusOK, "ledger", view{Title: "抽取台账", Nav: "ledger", Data: d})
		return
	}
	es, err := l.ListStatus(r.Context(), ledger.Filter{Task: d.Task})
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, e := range es {
		row := ledgerRow{E: e, Standing: e.CurrentLock == e.ID}
		switch {
		case row.Standing:
			row.Locked = "已锁定"
		case e.Locked:
			row.Locked = fmt.Sprintf("曾锁定，已由第%d条取代", e.CurrentLock)
		}
		if e.Nth > 1 {
			row.Redraw = fmt.Sprintf("第%d次抽取", e.Nth)
		}
		if e.RedrawReason != "" {
			row.Redraw = strings.TrimPrefix(row.Redraw+"，", "，") + "理由：" + e.RedrawReason
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "ledger", view{Title: "抽取台账", Nav: "ledger", Data: d})
}

type verifyData struct {
	R       ledger.VerifyResult
	Missing bool
	DB      string
}

func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	d := verifyData{DB: s.cfg.DB}
	l, err := s.ledger()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if l == nil {
		d.Missing = true
	} else if d.R, err = l.Verify(r.Context()); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	s.render(w, r, http.StatusOK, "verify", view{Title: "校验台账", Nav: "ledger", Data: d})
}

// exportOptions are the export options of a draw: the plan's title when this server knows
// the plan the draw used, the server's time zone, and the draw's ledger position, which every
// notice carries (export.LedgerFactsOf, the call `choucha export` makes).
func (s *Server) exportOptions(ctx context.Context, m *draw.Manifest) export.Options {
	o := export.Options{Encoding: export.UTF8, Location: s.cfg.Location}
	if p, ok := s.plan(m.Plan.ID); ok && p.SHA256 == m.Plan.SHA256 {
		o.PlanTitle = p.Title
	}
	if l, err := s.ledger(); err == nil && l != nil {
		export.LedgerFactsOf(ctx, l, m).Apply(&o)
	}
	return o
}

// manifestFile is the name of the manifest download.
const manifestFile = "manifest.json"

// fileLinks lists every export of a draw (export.Files decides which files a format has).
func (s *Server) fileLinks(ctx context.Context, m *draw.Manifest) []fileLink {
	var out []fileLink
	opts := s.exportOptions(ctx, m)
	for _, f := range export.Formats {
		files, err := export.Files(m, f, opts)
		if err != nil {
			continue
		}
		for _, x := range files {
			out = append(out, fileLink{Name: x.Name, Format: f})
		}
	}
	return append(out, fileLink{Name: manifestFile, Format: "manifest"})
}

// handleFile sends one export of a draw. The name only selects among the files
// export.Files lists for the draw; it is never a path.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	e, m, err := s.loadEntry(r.Context(), r.PathValue("id"))
	if err == nil && m == nil {
		s.notADraw(w, r, e, "没有导出文件")
		return
	}
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	name := r.PathValue("name")
	var buf bytes.Buffer
	found := false
	if name == manifestFile {
		b, err := m.Canonical()
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		buf.Write(b)
		found = true
	}
	opts := s.exportOptions(r.Context(), m)
	for _, f := range export.Formats {
		if found {
			break
		}
		files, err := export.Files(m, f, opts)
		if err != nil {
			continue
		}
		for _, x := range files {
			if x.Name == name {
				if err := x.Write(r.Context(), &buf); err != nil {
					s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("生成 %s: %w", name, err))
					return
				}
				found = true
				break
			}
		}
	}
	if !found {
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("台账第 %d 条没有导出文件“%s”", m.LedgerID, name))
		return
	}
	ct := mime.TypeByExtension(name[strings.LastIndexByte(name, '.'):])
	switch {
	case strings.HasSuffix(name, ".csv"):
		ct = "text/csv; charset=utf-8"
	case strings.HasSuffix(name, ".html"):
		ct = "text/html; charset=utf-8"
	case strings.HasSuffix(name, ".json"):
		ct = "application/json"
	case ct == "":
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	dl := fmt.Sprintf("%s-r%d-%s", m.Task, m.Round, name)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": dl}))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}

// notADraw answers a request for what only a draw has (its files, notice, replay) made of a
// lock entry: the address was wrong (400), and the draw it locks is the one to open.
func (s *Server) notADraw(w http.ResponseWriter, r *http.Request, e ledger.Entry, what string) {
	s.fail(w, r, http.StatusBadRequest, withHint(fmt.Errorf("台账第 %d 条是锁定记录，%s", e.ID, what),
		fmt.Sprintf("它锁定的是第 %d 条抽取：请打开第 %d 条", e.Target, e.Target)))
}

// handleNotice shows the announcement (抽查任务公告) as a page to print.
func (s *Server) handleNotice(w http.ResponseWriter, r *http.Request) {
	e, m, err := s.loadEntry(r.Context(), r.PathValue("id"))
	if err == nil && m == nil {
		s.notADraw(w, r, e, "没有公告")
		return
	}
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	var buf bytes.Buffer
	if err := export.WriteAnnouncementHTML(&buf, m, s.exportOptions(r.Context(), m)); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

type replayData struct {
	Entry   ledger.Entry
	M       *draw.Manifest
	Diff    *draw.Diff
	Roster  string
	NeedIns bool
}

func (s *Server) handleReplayForm(w http.ResponseWriter, r *http.Request) {
	e, m, err := s.loadEntry(r.Context(), r.PathValue("id"))
	if err == nil && m == nil {
		s.notADraw(w, r, e, "不能重放")
		return
	}
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	s.render(w, r, http.StatusOK, "replay", view{Title: fmt.Sprintf("重放台账第 %d 条", e.ID), Nav: "ledger", Data: &replayData{Entry: e, M: m, NeedIns: m.Assignments != nil}})
}

// handleReplay re-runs a recorded draw with a roster file given now and compares.
func (s *Server) handleReplay(w http.ResponseWriter, r *http.Request) {
	e, rec, err := s.loadEntry(r.Context(), r.PathValue("id"))
	if err == nil && rec == nil {
		s.notADraw(w, r, e, "不能重放")
		return
	}
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	d := &replayData{Entry: e, M: rec, NeedIns: rec.Assignments != nil}
	bad := func(err error) {
		msg, hint := errorText(err)
		s.render(w, r, http.StatusBadRequest, "replay", view{Title: fmt.Sprintf("重放台账第 %d 条", e.ID), Nav: "ledger", Error: msg, Hint: hint, Data: d})
	}
	fh := formFile(r, "roster")
	if fh == nil {
		bad(errors.New("请选择检查对象名录文件"))
		return
	}
	ru, err := s.uploads.save("roster", fh)
	if err != nil {
		bad(err)
		return
	}
	d.Roster = ru.Name
	var iu *upload
	if ih := formFile(r, "inspectors"); ih != nil {
		if iu, err = s.uploads.save("inspectors", ih); err != nil {
			bad(err)
			return
		}
	}
	diff, err := s.replay(r, rec, ru, iu)
	if err != nil {
		bad(err)
		return
	}
	d.Diff = &diff
	s.render(w, r, http.StatusOK, "replay", view{Title: fmt.Sprintf("重放台账第 %d 条", e.ID), Nav: "ledger", Data: d})
}

// replay re-runs rec through draw.Replay, the call `choucha replay` makes, with the rosters
// uploaded now and the plan this server has loaded with the recorded bytes.
func (s *Server) replay(r *http.Request, rec *draw.Manifest, ru, iu *upload) (draw.Diff, error) {
	if err := draw.CheckReplayable(rec, iu != nil); err != nil {
		return draw.Diff{}, err
	}
	p, ok := s.plan(rec.Plan.ID)
	if !ok || p.SHA256 != rec.Plan.SHA256 {
		return draw.Diff{}, withHint(fmt.Errorf("没有加载抽取时使用的计划 %s（sha256 %s）", rec.Plan.ID, short(rec.Plan.SHA256)), "请在“计划文件”页上传该计划")
	}
	t, err := draw.ReplayTask(rec, p)
	if err != nil {
		return draw.Diff{}, err
	}
	sheet, err := draw.ReplaySheet(rec, ru.Path, "") // the sheet the draw read, as choucha replay reads it
	if err != nil {
		return draw.Diff{}, err
	}
	frame, report, err := s.readFirms(r.Context(), ru, t.District, sheet)
	if err != nil {
		return draw.Diff{}, err
	}
	var insp *draw.Inspectors
	if iu != nil {
		assume := rec.Inspectors != nil && rec.Inspectors.AssumeValid // read as the draw did
		list, rep, err := s.readInspectors(r.Context(), iu, assume)
		if err != nil {
			return draw.Diff{}, err
		}
		insp = s.inspectors(iu, list, rep, assume) // the server's map, unless the draw recorded one
	}
	return draw.Replay(r.Context(), draw.ReplayRequest{
		Record: rec, Plan: p, Roster: draw.RosterInput{Frame: frame, Report: report},
		Inspectors: insp, Ledger: s.cfg.DB, ToolVersion: s.cfg.ToolVersion,
	})
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
