package export

import (
	"context"
	"fmt"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/ledger"
)

// ParseEntry is ParseManifest for a ledger draw entry (draw.EntryManifest: a manifest stored
// with its drawn-firm list apart, ledger version 3, is expanded first).
func ParseEntry(e ledger.Entry, name string) (*draw.Manifest, error) {
	return draw.EntryManifest(e, name)
}

// PublishedPosition is the draw's ledger entry and the ledger's head now, each "第N条:HASH",
// for Options.LedgerEntry and Options.LedgerHead: what every notice carries (docs/LEDGER.md,
// “Published positions”). Both `choucha export` and the web page's downloads call it. It is
// "" when l is nil, when the manifest has no ledger ID, or when entry m.LedgerID of l is not
// this draw (a manifest.json from elsewhere is never labelled with another ledger's entry).
func PublishedPosition(ctx context.Context, l *ledger.Ledger, m *draw.Manifest) (entry, head string) {
	if l == nil || m == nil || m.LedgerID <= 0 {
		return "", ""
	}
	e, err := l.Get(ctx, m.LedgerID)
	if err != nil || e.Kind != ledger.KindDraw || e.Task != m.Task || e.Round != m.Round || e.Seed != m.Seed {
		return "", ""
	}
	h, err := l.Head(ctx)
	if err != nil {
		return "", ""
	}
	return ledger.Published{ID: e.ID, Hash: e.Hash}.String(), h.String()
}

// RedrawNote is what a notice says of a redraw (Options.Redraw): "本轮第N次抽取；重抽理由：…"
// when entry m.LedgerID of l is not the first draw of its task round in its year, "" otherwise
// (the first draw, no ledger, or a manifest from elsewhere). A redraw is public: the notice
// says it was one and why, as the ledger does.
func RedrawNote(ctx context.Context, l *ledger.Ledger, m *draw.Manifest) string {
	if l == nil || m == nil || m.LedgerID <= 0 {
		return ""
	}
	e, err := l.Get(ctx, m.LedgerID)
	if err != nil || e.Kind != ledger.KindDraw || e.Task != m.Task || e.Round != m.Round || e.Seed != m.Seed {
		return ""
	}
	es, err := l.List(ctx, ledger.Filter{Task: m.Task, Year: m.Year})
	if err != nil {
		return ""
	}
	nth := 0
	for _, x := range es {
		if x.Round == m.Round && x.ID <= e.ID {
			nth++
		}
	}
	if nth < 2 {
		return ""
	}
	note := fmt.Sprintf("本轮第%d次抽取", nth)
	if e.RedrawReason != "" {
		note += "；重抽理由：" + e.RedrawReason
	}
	return note
}
