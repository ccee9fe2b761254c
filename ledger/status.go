package ledger

import "context"

// Listed is a draw entry with its place among the draws of its task round (the round of its
// year: another year's draws are another round).
type Listed struct {
	Entry
	Nth int // 1 for the round's first draw, 2 for its first redraw, …
	// CurrentLock is the ID of the round's locked draw now in force (0 when none): the entry
	// is the round's list when CurrentLock == ID; a Locked entry with another CurrentLock was
	// superseded by a locked redraw.
	CurrentLock int64
}

// ListStatus lists the draws f selects, each with its round's numbering and lock. The
// numbering counts all draws of the round, also those f leaves out.
func (l *Ledger) ListStatus(ctx context.Context, f Filter) ([]Listed, error) {
	es, err := l.List(ctx, f)
	if err != nil {
		return nil, err
	}
	all := es
	if f.Year != 0 {
		if all, err = l.List(ctx, Filter{Task: f.Task}); err != nil {
			return nil, err
		}
	}
	type roundKey struct {
		task        string
		round, year int
	}
	nth := map[int64]int{}
	seen := map[roundKey]int{}
	current := map[roundKey]int64{}
	for _, e := range all {
		k := roundKey{e.Task, e.Round, e.Year}
		seen[k]++
		nth[e.ID] = seen[k]
		if _, ok := current[k]; !ok {
			cur, err := l.Locked(ctx, e.Task, e.Round, e.Year)
			if err != nil {
				return nil, err
			}
			current[k] = 0
			if cur != nil {
				current[k] = cur.ID
			}
		}
	}
	out := make([]Listed, len(es))
	for i, e := range es {
		out[i] = Listed{Entry: e, Nth: nth[e.ID], CurrentLock: current[roundKey{e.Task, e.Round, e.Year}]}
	}
	return out, nil
}
