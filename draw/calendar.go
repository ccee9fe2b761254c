package draw

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
)

// DrawnCounts is what a plan's calendar shows of the ledger: for the standing draw of every
// task round of year (the draws' year, PlanYear), the firms drawn, counted once per participating department
// (canon merges a department's spellings; "" keeps the name as written) and per month of the
// task's window: those are the firms the department has to visit then.
func DrawnCounts(ctx context.Context, l *ledger.Ledger, p *plan.Plan, year int, canon func(name, district string) string) ([]plan.DrawnCount, error) {
	// Only the plan, the task and the number of firms are needed: the manifests as chained,
	// without their drawn-firm lists (ledger.StandingYearStored).
	entries, err := l.StandingYearStored(ctx, year)
	if err != nil {
		return nil, err
	}
	var counts []plan.DrawnCount
	for _, e := range entries {
		var m struct {
			Plan     PlanRef   `json:"plan"`
			TaskInfo plan.Task `json:"task_info"`
		}
		if err := json.Unmarshal(e.Manifest, &m); err != nil {
			return nil, fmt.Errorf("抽取记录 第 %d 条（任务 %s 第%d轮）无法读取：%s", e.ID, e.Task, e.Round, jsonProblem(err))
		}
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
				counts = append(counts, plan.DrawnCount{Dept: d, Month: month, Firms: e.Firms})
			}
		}
	}
	return counts, nil
}
