package sampler

import (
	"fmt"
	"sort"
	"strconv"
)

// Roles of a department in a joint task.
const (
	RoleInitiator  = "initiator"
	RoleCooperator = "cooperator"
)

// AssignTicket is lowercase hex SHA-256 of
// "CHOUCHA-ASSIGN-v1|<seed>|<task key>|<round>|<firm key>|<执法证号>".
func AssignTicket(seed, taskKey string, round int, firmKey, inspectorID string) string {
	return hash(AssignSpec + "|" + seed + "|" + taskKey + "|" + strconv.Itoa(round) + "|" + firmKey + "|" + inspectorID)
}

// Assign runs CHOUCHA-ASSIGN-v1: teams for the drawn firms (processed in ascending ticket)
// and each inspector's load. An unfillable slot is an error naming the firm and department.
//
// Firms are processed in ascending sampling ticket (Ticket(seed, taskKey, round, key),
// recomputed here; ties by key). For each firm the departments' slots are filled in order:
// the departments whose Role is "initiator" first, then the others, each group in the
// order given (plan order). Each slot takes, among the department's candidates who are not
// recused for the firm and not already on its team, the one with the smallest
// (load so far in this draw, assignment ticket, 执法证号). Teams are returned in processing
// order; loads has an entry for every inspector assigned at least once. Nothing is relaxed:
// a slot without an eligible candidate fails the whole assignment.
func Assign(seed, taskKey string, round int, firms []Pick, depts []Department) ([]Team, map[string]int, error) {
	if err := checkInputs(seed, taskKey, round); err != nil {
		return nil, nil, err
	}
	type firm struct{ key, ticket string }
	order := make([]firm, 0, len(firms))
	seenFirm := map[string]bool{}
	for _, f := range firms {
		if err := checkKey("企业标识", f.Key); err != nil {
			return nil, nil, err
		}
		if seenFirm[f.Key] {
			return nil, nil, fmt.Errorf("抽中企业 %s 重复出现", f.Key)
		}
		seenFirm[f.Key] = true
		order = append(order, firm{f.Key, Ticket(seed, taskKey, round, f.Key)})
	}
	sort.Slice(order, func(a, b int) bool {
		if order[a].ticket != order[b].ticket {
			return order[a].ticket < order[b].ticket
		}
		return order[a].key < order[b].key
	})

	var ordered []*Department
	for i := range depts {
		if depts[i].Role == RoleInitiator {
			ordered = append(ordered, &depts[i])
		}
	}
	for i := range depts {
		d := &depts[i]
		if d.Role != RoleInitiator {
			ordered = append(ordered, d)
		}
		if d.Slots < 0 {
			return nil, nil, fmt.Errorf("部门 %s 的每户人数 %d 不能为负数", d.Name, d.Slots)
		}
		ids := map[string]bool{}
		for _, c := range d.Candidates {
			if err := checkKey("执法证号", c.ID); err != nil {
				return nil, nil, fmt.Errorf("部门 %s: %w", d.Name, err)
			}
			if ids[c.ID] {
				return nil, nil, fmt.Errorf("部门 %s 中执法证号 %s 重复出现", d.Name, c.ID)
			}
			ids[c.ID] = true
		}
	}

	loads := map[string]int{}
	teams := make([]Team, 0, len(order))
	for _, f := range order {
		onTeam := map[string]bool{}
		team := Team{Key: f.key, Team: []Member{}}
		for _, d := range ordered {
			for slot := 1; slot <= d.Slots; slot++ {
				var best *Candidate
				var bestTicket string
				for i := range d.Candidates {
					c := &d.Candidates[i]
					if c.Recuse[f.key] || onTeam[c.ID] {
						continue
					}
					t := AssignTicket(seed, taskKey, round, f.key, c.ID)
					if best == nil || better(loads[c.ID], t, c.ID, loads[best.ID], bestTicket, best.ID) {
						best, bestTicket = c, t
					}
				}
				if best == nil {
					return nil, nil, fmt.Errorf("为企业 %s 选派 %s 的第 %d 名检查人员（共需 %d 名）时没有符合条件的人员（该部门候选 %d 人，回避或已在本组的不能选）",
						f.key, d.Name, slot, d.Slots, len(d.Candidates))
				}
				onTeam[best.ID] = true
				loads[best.ID]++
				team.Team = append(team.Team, Member{ID: best.ID, Name: best.Name, Dept: d.Name, Role: d.Role})
			}
		}
		teams = append(teams, team)
	}
	return teams, loads, nil
}

// better reports whether (load, ticket, id) a orders before b.
func better(la int, ta, ia string, lb int, tb, ib string) bool {
	if la != lb {
		return la < lb
	}
	if ta != tb {
		return ta < tb
	}
	return ia < ib
}
