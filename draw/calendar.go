package draw

import (
	"context"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
)

// DrawnCounts is what a plan's calendar shows of the ledger: for the standing draw of every
// task round of the plan's year, the firms drawn, counted once per participating department
// (canon merges a department's spellings; "" keeps the name as written) and per month of the
// task's window: those are the firms the department has to visit then.
func DrawnCounts(ctx context.Context, l *ledger.Ledger, p *plan.Plan, canon func(name, district string) string) ([]plan.DrawnCount, error) {
	draws, err := StandingDraws(ctx, l, p.Year())
	if err != nil {
		return nil, err
	}
	var counts []plan.DrawnCount
	for _, m := range draws {
		if m.Plan.ID != p.ID {
			continue
		}
		w := m.TaskInfo.Window
		seen := map[string]bool{}
		for _, raw := range m.TaskInfo.Departments() {
			d := canon(raw, m.TaskInfo.District)
			if d == "" {
				d = raw
			}
			if seen[d] {
				continue
			}
			seen[d] = true
			for month := max(w.From, 1); month <= min(max(w.To, w.From), 12); month++ {
				counts = append(counts, plan.DrawnCount{Dept: d, Month: month, Firms: len(m.Selected)})
			}
		}
	}
	return counts, nil
}
