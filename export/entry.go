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

// LedgerFacts are what a draw's ledger says of it, for its notices and its export.
type LedgerFacts struct {
	// Entry and Head are the draw's ledger entry and the ledger's head now, each "第N条:HASH",
	// for Options.LedgerEntry and Options.LedgerHead: what every notice carries (docs/LEDGER.md,
	// “Published positions”).
	Entry, Head string
	// Redraw is what a notice says of a redraw (Options.Redraw): "本轮第N次抽取；重抽理由：…",
	// "" for a round's first draw. A redraw is public: the notice says it was one and why.
	Redraw string
	// Standing is the entry that stands for the draw's task round in its year (ledger.Standing:
	// the newest lock, else the newest draw); 0 when the ledger cannot say.
	Standing int64
}

// LedgerFactsOf is what ledger l says of draw m: all zero when l is nil, when the manifest has
// no ledger ID, or when entry m.LedgerID of l is not this draw (a manifest.json from elsewhere
// is never labelled with another ledger's entry). Both `choucha export` and the web page's
// downloads call it. It reads the round's entries without their manifests (ListStatus, which
// numbers them), the two hashes in one snapshot, and the standing entry.
func LedgerFactsOf(ctx context.Context, l *ledger.Ledger, m *draw.Manifest) LedgerFacts {
	var f LedgerFacts
	if l == nil || m == nil || m.LedgerID <= 0 {
		return f
	}
	es, err := l.ListStatus(ctx, ledger.Filter{Task: m.Task, Year: m.Year})
	if err != nil {
		return f
	}
	var e *ledger.Listed
	for i := range es {
		if es[i].ID == m.LedgerID {
			e = &es[i]
		}
	}
	if e == nil || e.Round != m.Round || e.Seed != m.Seed {
		return f
	}
	entry, head, err := l.Position(ctx, e.ID)
	if err != nil {
		return f
	}
	f.Entry, f.Head = entry.String(), head.String()
	if e.Nth > 1 {
		f.Redraw = fmt.Sprintf("本轮第%d次抽取", e.Nth)
		if e.RedrawReason != "" {
			f.Redraw += "；重抽理由：" + e.RedrawReason
		}
	}
	if st, err := l.Standing(ctx, m.Task, m.Round, m.Year); err == nil && st != nil {
		f.Standing = st.ID
	}
	return f
}

// Apply puts what a notice carries of f into o.
func (f LedgerFacts) Apply(o *Options) {
	o.LedgerEntry, o.LedgerHead, o.Redraw = f.Entry, f.Head, f.Redraw
}
