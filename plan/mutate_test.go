package plan

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The mutator moves the embedded plan's kinds of mess to random new places and requires the
// reading of the clean plan: merged cells (a cell left empty under the same value), page
// headers and titles mid-district, rows that lost their district cell (also two in a row),
// cells slid into the next column (a mode in the cooperator column, a time in the mode
// column), and sub-rows that add nothing.

type mutRow struct {
	cells []string
	task  *Task // the clean task of a numbered row, nil otherwise
	prev  *Task // the clean task above it in the same district
	clean bool  // the row was read without sliding cells (its raw columns are its values)
	done  bool  // already mutated
}

func embeddedRows(t *testing.T) ([]*mutRow, []string) {
	p := embedded(t)
	bySeq := map[string]*Task{}
	for i := range p.Tasks {
		bySeq[p.Tasks[i].SeqText] = &p.Tasks[i]
	}
	var rows []*mutRow
	var header []string
	var prev *Task
	for _, l := range strings.Split(string(EmbeddedBytes()), "\n") {
		r := &mutRow{cells: strings.Split(strings.TrimSuffix(l, "\r"), "\t")}
		if len(r.cells) == 11 && r.cells[1] == "序号" {
			header = r.cells
		}
		if len(r.cells) == 11 && isSeq(r.cells[1]) {
			r.task = bySeq[r.cells[1]]
			if prev != nil && prev.District == r.task.District {
				r.prev = prev
			}
			prev = r.task
			r.clean = true
			for _, rep := range r.task.Repairs {
				if strings.Contains(rep, "左移") || strings.Contains(rep, "写在了") || strings.Contains(rep, "栏") {
					r.clean = false
				}
			}
		}
		rows = append(rows, r)
	}
	return rows, header
}

// mutate applies n random mutations with the seed and returns the text and what it did.
func mutate(rows []*mutRow, header []string, seed uint64, n int) (string, []string) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rs := make([]*mutRow, len(rows))
	for i, r := range rows {
		c := *r
		c.cells = append([]string(nil), r.cells...)
		rs[i] = &c
	}
	var did []string
	pick := func(ok func(r *mutRow) bool) int {
		var idx []int
		for i, r := range rs {
			if !r.done && ok(r) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return -1
		}
		return idx[rng.IntN(len(idx))]
	}
	for len(did) < n {
		switch kind := rng.IntN(6); kind {
		case 0: // merged cell: the same value as the task above, left empty
			cols := []int{colName, colItems, colRatio, colRisk, colWindow, colInitiator}
			k := cols[rng.IntN(len(cols))]
			i := pick(func(r *mutRow) bool {
				if r.task == nil || r.prev == nil || !r.clean || r.cells[k] == "" {
					return false
				}
				a, b := field(r.task, k), field(r.prev, k)
				return a == b && r.cells[k] == a
			})
			if i < 0 {
				continue
			}
			rs[i].cells[k] = ""
			rs[i].done = true
			did = append(did, fmt.Sprintf("merged %s at row %d", columnWords[k], i+1))
		case 1: // a page header (and title) in the middle of a district
			i := pick(func(r *mutRow) bool { return r.task != nil && r.prev != nil })
			if i < 0 {
				continue
			}
			ins := []*mutRow{{cells: []string{"长治市2026年度部门联合双随机抽查工作计划（续）"}, done: true}, {cells: append([]string(nil), header...), done: true}}
			rs = append(rs[:i], append(ins, rs[i:]...)...)
			did = append(did, fmt.Sprintf("page header before row %d", i+1))
		case 2, 3: // rows that lost their district cell (kind 3: two in a row)
			two := kind == 3
			ok := func(r *mutRow) bool {
				return r.task != nil && r.clean && r.cells[0] == "" && len(r.cells) == 11 && r.cells[colName] != ""
			}
			i := pick(ok)
			if i < 0 {
				continue
			}
			rs[i].cells = rs[i].cells[1:]
			rs[i].done = true
			msg := fmt.Sprintf("lost district at row %d", i+1)
			if two {
				for j := i + 1; j < len(rs); j++ {
					if rs[j].task != nil {
						if ok(rs[j]) && !rs[j].done {
							rs[j].cells = rs[j].cells[1:]
							rs[j].done = true
							msg += fmt.Sprintf(" and %d", j+1)
						}
						break
					}
				}
			}
			did = append(did, msg)
		case 4: // slid cells: a mode in the cooperator column, or a time in the mode column
			if rng.IntN(2) == 0 {
				i := pick(func(r *mutRow) bool {
					return r.task != nil && r.clean && r.cells[colInitiator] == "" && r.cells[colCooperators] != "" && IsMode(r.cells[colMode])
				})
				if i < 0 {
					continue
				}
				c := rs[i].cells
				c[colInitiator], c[colCooperators], c[colMode] = c[colCooperators], c[colMode], ""
				rs[i].done = true
				did = append(did, fmt.Sprintf("mode slid into the cooperators at row %d", i+1))
			} else {
				i := pick(func(r *mutRow) bool {
					if r.task == nil || !r.clean || r.cells[colMode] != "" || r.cells[colWindow] == "" {
						return false
					}
					_, err := ParseWindow(r.cells[colWindow])
					return err == nil
				})
				if i < 0 {
					continue
				}
				c := rs[i].cells
				c[colMode], c[colWindow] = c[colWindow], ""
				rs[i].done = true
				did = append(did, fmt.Sprintf("time slid into the mode column at row %d", i+1))
			}
		case 5: // a sub-row that adds nothing: the task's items again, or an empty row
			i := pick(func(r *mutRow) bool {
				return r.task != nil && r.clean && r.cells[colItems] == r.task.Items && r.task.Items != ""
			})
			if i < 0 {
				continue
			}
			sub := make([]string, 11)
			sub[colItems] = rs[i].cells[colItems]
			ins := []*mutRow{{cells: sub, done: true}, {cells: []string{"", "", ""}, done: true}}
			rs = append(rs[:i+1], append(ins, rs[i+1:]...)...)
			did = append(did, fmt.Sprintf("empty sub-row after row %d", i+1))
		}
	}
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Join(r.cells, "\t"))
	}
	return b.String(), did
}

func field(t *Task, k int) string {
	switch k {
	case colName:
		return t.Name
	case colItems:
		return t.Items
	case colRatio:
		return t.Ratio.Text
	case colRisk:
		return t.Risk.Text
	case colWindow:
		return t.Window.Text
	case colInitiator:
		return t.Initiator
	}
	return ""
}

// readingOf is what must not change: every field except repairs and source lines.
func readingOf(ts []Task) []Task {
	out := stripped(ts)
	for i := range out {
		out[i].Flags = nil
	}
	return out
}

func TestMutatedPlanReadsTheSame(t *testing.T) {
	rows, header := embeddedRows(t)
	want := readingOf(embedded(t).Tasks)
	wantFlags := 0
	for _, k := range embedded(t).Tasks {
		wantFlags += len(k.Flags)
	}
	for seed := uint64(1); seed <= 24; seed++ {
		text, did := mutate(rows, header, seed, 40)
		p, err := Parse(strings.NewReader(text), "mutated.txt", EmbeddedID)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		got := readingOf(p.Tasks)
		flags := 0
		for _, k := range p.Tasks {
			flags += len(k.Flags)
		}
		if len(got) != len(want) || flags != wantFlags || len(p.Problems) != 0 {
			t.Errorf("seed %d: %d tasks, %d flags, problems %v (want %d tasks, %d flags)\n%s", seed, len(got), flags, p.Problems, len(want), wantFlags, strings.Join(did, "\n"))
			continue
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("seed %d: task %s differs\n got %+v\nwant %+v\nmutations:\n%s", seed, want[i].Key, got[i], want[i], strings.Join(did, "\n"))
				break
			}
		}
	}
}
