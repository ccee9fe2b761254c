// Package overlap looks at all draws of a year at once (一业一查): it finds firms drawn by
// several task rounds whose inspection windows overlap, so that the departments can visit
// them once, together, and firms drawn more often than the policy's yearly cap allows.
//
// # Windows
//
// A draw's window is its task's 抽查检查起止时间 (TaskInfo.Window, whole months of the plan's
// year). A task drawn in several rounds (1次/季, 2次/年) has one window for all its rounds:
// the plan gives no per-round window, so each round is taken to span the task's whole window.
// Two windows overlap when they share at least one month (From..To inclusive). A window
// without months (From or To 0) is taken as the whole year, 1–12.
//
// # Grouping
//
// The draws of one firm are grouped as connected components of pairwise window overlaps.
// Windows are intervals, so a component has a month common to all its draws unless it is a
// chain (1–3, 3–6, 6–9): such a component is split by the earliest-end rule into the fewest
// groups that each have a common month (1–3 with 3–6; 6–9 alone). A group of two or more
// draws is a suggested joint visit; a draw alone is not reported. A firm is therefore listed
// once per joint visit — once, unless it has two separate clusters of draws in the year.
//
// The joint visit of a group: the common window (the intersection of its windows), the
// union of the tasks' items, and one team — the union of the inspectors already assigned
// to the firm in those draws, each once.
//
// The package does no I/O: the caller passes the manifests (one per task round: the locked
// draw, else the latest; a discarded redraw is not a visit).
package overlap

import (
	"context"
	"fmt"
	"sort"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/sampler"
)

// Visit is one draw of a firm: the task round that drew it.
type Visit struct {
	Task        string           `json:"task"` // task key, e.g. "CZ2026-278"
	Round       int              `json:"round"`
	TaskName    string           `json:"task_name"`
	District    string           `json:"district"`
	Window      plan.Window      `json:"window"`
	Initiator   string           `json:"initiator"`
	Cooperators []string         `json:"cooperators"`
	Items       string           `json:"items"`
	Team        []sampler.Member `json:"team"` // inspectors assigned to the firm in this draw
}

// Group is one suggested joint visit: a firm drawn by two or more task rounds whose windows
// have a month in common.
type Group struct {
	Key      string           `json:"key"`
	Name     string           `json:"name"`
	District string           `json:"district"`
	Visits   []Visit          `json:"visits"` // in window order (From, To), then task, round
	Tasks    []string         `json:"tasks"`  // distinct task keys, in visit order
	Depts    []string         `json:"depts"`  // distinct departments, initiators and cooperators, in visit order
	Window   plan.Window      `json:"window"` // the common window
	Items    []string         `json:"items"`  // distinct items, in visit order
	Team     []sampler.Member `json:"team"`   // the assigned inspectors of all visits, each once
}

// normWindow returns the window as months 1–12, the whole year when it has none.
func normWindow(w plan.Window) plan.Window {
	if w.From < 1 || w.From > 12 || w.To < 1 || w.To > 12 || w.From > w.To {
		return plan.Window{Text: w.Text, From: 1, To: 12}
	}
	return w
}

// WindowText says a window in the plan's way: "5月—6月", or "6月" for one month.
func WindowText(from, to int) string {
	if from == to {
		return fmt.Sprintf("%d月", from)
	}
	return fmt.Sprintf("%d月—%d月", from, to)
}

type firmVisits struct {
	key, name, district string
	class               string // as recorded by the firm's latest draw (firms are reclassified monthly)
	visits              []Visit
}

// visitsByFirm collects the visits of every drawn firm, one per task round; a manifest
// repeating a task round already seen is ignored (the caller passes one per round).
func visitsByFirm(draws []*draw.Manifest) []*firmVisits {
	byKey := map[string]*firmVisits{}
	type visitID struct {
		task  string
		round int
		key   string
	}
	seen := map[visitID]bool{}
	for _, m := range draws {
		if m == nil {
			continue
		}
		teams := map[string][]sampler.Member{}
		for _, t := range m.Assignments {
			teams[t.Key] = t.Team
		}
		for _, s := range m.Selected {
			id := visitID{m.Task, m.Round, s.Key}
			if seen[id] {
				continue
			}
			seen[id] = true
			f := byKey[s.Key]
			if f == nil {
				f = &firmVisits{key: s.Key}
				byKey[s.Key] = f
			}
			if f.name == "" {
				f.name = s.Name
			}
			if f.district == "" {
				f.district = m.TaskInfo.District
			}
			f.class = s.Class
			f.visits = append(f.visits, Visit{
				Task:        m.Task,
				Round:       m.Round,
				TaskName:    m.TaskInfo.Name,
				District:    m.TaskInfo.District,
				Window:      normWindow(m.TaskInfo.Window),
				Initiator:   m.TaskInfo.Initiator,
				Cooperators: m.TaskInfo.Cooperators,
				Items:       m.TaskInfo.Items,
				Team:        teams[s.Key],
			})
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*firmVisits, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

// Find returns the suggested joint visits of the given draws, ordered by firm key, then
// common window.
func Find(draws []*draw.Manifest) []Group {
	var out []Group
	dn := &deptNames{names: dept.DefaultMap(), memo: map[[2]string][]string{}}
	for _, f := range visitsByFirm(draws) {
		if len(f.visits) < 2 {
			continue
		}
		for _, vs := range groupVisits(f.visits) {
			if len(vs) >= 2 {
				out = append(out, joint(f, vs, dn))
			}
		}
	}
	return out
}

// deptNames gives the departments a joint visit lists for a plan's department cell, worked
// out once per cell and district: three draws from a 1M-firm roster make 3,000 joint visits
// of the same few cells (split and named anew for each, 0.13 s of CPU).
type deptNames struct {
	names dept.Map
	memo  map[[2]string][]string
}

func (d *deptNames) of(cell, district string) []string {
	k := [2]string{cell, district}
	if v, ok := d.memo[k]; ok {
		return v
	}
	sc := dept.Scope{District: district}
	var out []string
	for _, p := range d.names.Split(cell, sc) {
		if p.Flag == dept.Incomplete {
			continue // the departments it names are pieces of their own
		}
		// One department under several spellings (沁县市场监管局, …价监股) is listed once.
		n := p.Text
		if full := d.names.LegalName(n, sc); full != "" && p.Flag == "" {
			n = full
		}
		out = append(out, n)
	}
	d.memo[k] = out
	return out
}

// groupVisits splits the visits of one firm into groups with a common month, by the
// earliest-end rule: take the visit that ends first; every visit starting no later than its
// end contains that month and joins it. On intervals this yields exactly the connected
// components of pairwise overlaps when each has a common month, and the fewest groups
// otherwise.
func groupVisits(visits []Visit) [][]Visit {
	vs := append([]Visit(nil), visits...)
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i].Window, vs[j].Window
		if a.To != b.To {
			return a.To < b.To
		}
		if a.From != b.From {
			return a.From < b.From
		}
		if vs[i].Task != vs[j].Task {
			return vs[i].Task < vs[j].Task
		}
		return vs[i].Round < vs[j].Round
	})
	var groups [][]Visit
	taken := make([]bool, len(vs))
	for i := range vs {
		if taken[i] {
			continue
		}
		end := vs[i].Window.To
		var g []Visit
		for j := i; j < len(vs); j++ {
			if !taken[j] && vs[j].Window.From <= end {
				taken[j] = true
				g = append(g, vs[j])
			}
		}
		sort.SliceStable(g, func(a, b int) bool {
			x, y := g[a], g[b]
			if x.Window.From != y.Window.From {
				return x.Window.From < y.Window.From
			}
			if x.Window.To != y.Window.To {
				return x.Window.To < y.Window.To
			}
			if x.Task != y.Task {
				return x.Task < y.Task
			}
			return x.Round < y.Round
		})
		groups = append(groups, g)
	}
	sort.SliceStable(groups, func(a, b int) bool {
		return groups[a][0].Window.From < groups[b][0].Window.From
	})
	return groups
}

// joint builds the suggested joint visit of one group of a firm's visits.
func joint(f *firmVisits, vs []Visit, dn *deptNames) Group {
	g := Group{Key: f.key, Name: f.name, District: f.district, Visits: vs}
	from, to := 1, 12
	seenTask, seenDept, seenItem, seenMember := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	addDept := func(cell string) {
		for _, d := range dn.of(cell, f.district) {
			if !seenDept[d] {
				seenDept[d] = true
				g.Depts = append(g.Depts, d)
			}
		}
	}
	for _, v := range vs {
		from, to = max(from, v.Window.From), min(to, v.Window.To)
		if !seenTask[v.Task] {
			seenTask[v.Task] = true
			g.Tasks = append(g.Tasks, v.Task)
		}
		addDept(v.Initiator)
		for _, c := range v.Cooperators {
			addDept(c)
		}
		if v.Items != "" && !seenItem[v.Items] {
			seenItem[v.Items] = true
			g.Items = append(g.Items, v.Items)
		}
		for _, m := range v.Team {
			if !seenMember[m.ID] {
				seenMember[m.ID] = true
				g.Team = append(g.Team, m)
			}
		}
	}
	g.Window = plan.Window{Text: WindowText(from, to), From: from, To: to}
	return g
}

// Ref names one draw: a task round.
type Ref struct {
	Task  string `json:"task"`
	Round int    `json:"round"`
}

// CapExcess is a firm drawn more often in the year than the policy's cap for its class.
type CapExcess struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Class string `json:"class"` // the class recorded by the firm's last draw (A–D; unclassified = B)
	Cap   int    `json:"cap"`
	Count int    `json:"count"` // draws of the year that selected the firm
	Draws []Ref  `json:"draws"` // all of them, in the order given
	Over  []Ref  `json:"over"`  // the draws beyond the cap: the (cap+1)-th and later
}

// OverCap returns the firms whose number of draws in the year exceeds the policy cap for
// their class (risk.Policy.YearlyCap: class → max inspections per firm per year; a class
// without a cap is not limited). draws are the year's draws, one per task round, oldest
// first; the class that counts is the one recorded by the firm's last draw, since firms are
// reclassified monthly. A draw counts once per firm, whether or not it is later merged into a
// joint visit. The result is ordered by firm key.
//
// The sample command calls it with the year's earlier draws plus the new one (last) and marks
// the new draw's firms found in an excess whose Over includes the new draw — see MarkOverCap.
func OverCap(draws []*draw.Manifest, caps map[string]int) []CapExcess {
	var out []CapExcess
	for _, f := range visitsByFirm(draws) { // ordered by firm key
		class := f.class
		if class == "" {
			class = "B" // unclassified firms are treated as B
		}
		limit, ok := caps[class]
		if !ok || len(f.visits) <= limit {
			continue
		}
		refs := make([]Ref, len(f.visits))
		for i, v := range f.visits {
			refs[i] = Ref{Task: v.Task, Round: v.Round}
		}
		out = append(out, CapExcess{
			Key: f.key, Name: f.name, Class: class, Cap: limit, Count: len(refs),
			Draws: refs, Over: append([]Ref(nil), refs[max(limit, 0):]...),
		})
	}
	return out
}

// MarkOverCap returns the keys (sorted) of the firms of the new draw m that m takes over the
// yearly cap, counting the year's earlier draws (other task rounds; oldest first) and m.
// The firms stay in the draw; the caller records the keys in m.OverCap.
func MarkOverCap(earlier []*draw.Manifest, m *draw.Manifest, caps map[string]int) []string {
	all := make([]*draw.Manifest, 0, len(earlier)+1)
	for _, e := range earlier {
		if e != nil && !(e.Task == m.Task && e.Round == m.Round) {
			all = append(all, e)
		}
	}
	all = append(all, m)
	this := Ref{Task: m.Task, Round: m.Round}
	var keys []string
	for _, e := range OverCap(all, caps) {
		for _, r := range e.Over {
			if r == this {
				keys = append(keys, e.Key)
				break
			}
		}
	}
	return keys
}

// YearDraws returns the draws an overlap report of year covers: for each task round its
// standing draw (ledger.Standing: the locked one, else the newest), in ledger order; year 0
// is the newest year in the ledger, which is returned. district, when given, keeps the draws
// of that district (a short form such as 潞州 means 潞州区 when a draw is of 潞州区).
func YearDraws(ctx context.Context, l *ledger.Ledger, year int, district string) ([]*draw.Manifest, int, error) {
	if year == 0 {
		entries, err := l.List(ctx, ledger.Filter{})
		if err != nil {
			return nil, 0, err
		}
		for _, e := range entries {
			year = max(year, e.Year)
		}
	}
	all, err := draw.StandingDraws(ctx, l, year)
	if err != nil {
		return nil, 0, err
	}
	// Places are the districts of the draws (there is no built-in list).
	var places []string
	for _, m := range all {
		places = append(places, m.TaskInfo.District)
	}
	names := dept.DefaultMap().WithDistricts(places...)
	want := ""
	if district != "" {
		want = names.District(district)
	}
	var draws []*draw.Manifest
	for _, m := range all {
		if want != "" && names.District(m.TaskInfo.District) != want {
			continue
		}
		draws = append(draws, m)
	}
	return draws, year, nil
}
