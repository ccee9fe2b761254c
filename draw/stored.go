package draw

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/choucha/choucha/internal/jsonquote"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/sampler"
)

// The stored form of a manifest (ledger schema version 3). A draw from a 1M-firm roster
// draws tens of thousands of firms; written out as Selected objects — each with its ticket,
// and its name and address twice (as fields and among its values) — they are most of the
// manifest. The ledger keeps instead:
//
//   - the stored manifest, chained in the entry: the manifest with Selected null, without
//     earlier_rounds_keys, assignments and over_cap, and with List naming the list below;
//   - the list (CHOUCHA-LIST-v1), stored once per hash beside it: the drawn firms column by
//     column, plus those three members.
//
// What can be derived is not stored: a ticket is SHA-256 of seed, task, round and key
// (CHOUCHA-SAMPLE-v1 §2.2), and a column equal to an earlier one is stored as a reference.
// Expanding the stored form gives back the manifest byte for byte (Canonical).

// ListFormat names the list format; it is the first member of every list.
const ListFormat = "CHOUCHA-LIST-v1"

// ListRef names a stored manifest's drawn-firm list: SHA-256 of the list's bytes and the
// number of drawn firms in it.
type ListRef struct {
	SHA256 string `json:"sha256"`
	Firms  int    `json:"firms"`
}

// List is the drawn-firm list of a stored manifest. Columns, in this order: key, class,
// rank_step (rank minus the previous firm's rank; the first firm's rank), repeat ("1" or ""),
// name, authority, address, values.n (the number of values of the firm's roster row), and
// values.0 … values.K-1 (the row, aligned with roster.header; "" past a firm's values.n).
// A column whose values are those of an earlier column has same_as and no values.
type List struct {
	Format      string         `json:"format"`
	Firms       int            `json:"firms"`
	Columns     []ListColumn   `json:"columns"`
	Earlier     []string       `json:"earlier_rounds_keys,omitempty"`
	Assignments []sampler.Team `json:"assignments,omitempty"`
	OverCap     []string       `json:"over_cap,omitempty"`
}

// ListColumn is one column of a List: the value of every drawn firm, in the draw's order,
// or the name of the earlier column it equals.
type ListColumn struct {
	Name   string   `json:"name"`
	SameAs string   `json:"same_as,omitempty"`
	Values []string `json:"values,omitempty"`
}

// Stored returns the stored form of the manifest: the stored manifest's canonical bytes
// (LedgerID cleared, as Canonical) and the list's bytes. ExpandStored inverts it.
func (m *Manifest) Stored() (manifest, list []byte, err error) {
	if m.List != nil || m.Frame != nil {
		return nil, nil, errors.New("抽取清单已是存储形式，或内含抽样框（第 1 版台账的形式）")
	}
	l := List{Format: ListFormat, Firms: len(m.Selected), Earlier: m.Earlier, Assignments: m.Assignments, OverCap: m.OverCap}
	n := len(m.Selected)
	col := func(f func(s *Selected) string) []string {
		out := make([]string, n)
		for i := range m.Selected {
			out[i] = f(&m.Selected[i])
		}
		return out
	}
	width := 0
	for i := range m.Selected {
		width = max(width, len(m.Selected[i].Values))
	}
	prevRank := 0
	cols := []struct {
		name   string
		values []string
	}{
		{"key", col(func(s *Selected) string { return s.Key })},
		{"class", col(func(s *Selected) string { return s.Class })},
		{"rank_step", col(func(s *Selected) string {
			d := s.Rank - prevRank
			prevRank = s.Rank
			return strconv.Itoa(d)
		})},
		{"repeat", col(func(s *Selected) string {
			if s.Repeat {
				return "1"
			}
			return ""
		})},
		{"name", col(func(s *Selected) string { return s.Name })},
		{"authority", col(func(s *Selected) string { return s.Authority })},
		{"address", col(func(s *Selected) string { return s.Address })},
		{"values.n", col(func(s *Selected) string { return strconv.Itoa(len(s.Values)) })},
	}
	for j := 0; j < width; j++ {
		cols = append(cols, struct {
			name   string
			values []string
		}{"values." + strconv.Itoa(j), col(func(s *Selected) string {
			if j < len(s.Values) {
				return s.Values[j]
			}
			return ""
		})})
	}
	for i, c := range cols {
		lc := ListColumn{Name: c.name, Values: c.values}
		for _, e := range cols[:i] { // never for the keys: the first column is written out
			if n > 0 && slices.Equal(e.values, c.values) {
				lc = ListColumn{Name: c.name, SameAs: e.name}
				break
			}
		}
		l.Columns = append(l.Columns, lc)
	}
	if list, err = l.appendJSON(nil); err != nil {
		return nil, nil, err
	}
	s := *m
	s.LedgerID = 0
	s.Selected, s.Earlier, s.Assignments, s.OverCap = nil, nil, nil, nil
	s.List = &ListRef{SHA256: ledger.FrameHash(list), Firms: n}
	if manifest, err = json.Marshal(&s); err != nil {
		return nil, nil, err
	}
	return manifest, list, nil
}

// appendJSON appends l as json.Marshal writes it: the list's bytes are hashed into the chain
// (ListRef) and must never change. The columns' values, nearly all of a large list (41,000
// firms at 1M rows), go through jsonquote instead of reflection; the rest, small, through
// encoding/json. TestListJSONIsMarshal compares the two with every field set.
func (l *List) appendJSON(b []byte) ([]byte, error) {
	size := 64
	for i := range l.Columns {
		for _, v := range l.Columns[i].Values {
			size += len(v) + 3
		}
	}
	b = slices.Grow(b, size)
	b = append(b, `{"format":`...)
	b = jsonquote.Append(b, l.Format)
	b = append(b, `,"firms":`...)
	b = strconv.AppendInt(b, int64(l.Firms), 10)
	b = append(b, `,"columns":`...)
	if l.Columns == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range l.Columns {
			c := &l.Columns[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = jsonquote.Append(b, c.Name)
			if c.SameAs != "" {
				b = append(b, `,"same_as":`...)
				b = jsonquote.Append(b, c.SameAs)
			}
			if len(c.Values) > 0 {
				b = append(b, `,"values":`...)
				b = jsonquote.AppendStrings(b, c.Values)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(l.Earlier) > 0 {
		b = append(b, `,"earlier_rounds_keys":`...)
		b = jsonquote.AppendStrings(b, l.Earlier)
	}
	if len(l.Assignments) > 0 {
		teams, err := json.Marshal(l.Assignments)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"assignments":`...)
		b = append(b, teams...)
	}
	if len(l.OverCap) > 0 {
		b = append(b, `,"over_cap":`...)
		b = jsonquote.AppendStrings(b, l.OverCap)
	}
	return append(b, '}'), nil
}

// ExpandStored turns a stored manifest (parsed, List set) and its list's bytes back into the
// manifest: Selected rebuilt with every ticket derived from seed, task, round and key. It
// checks the list against the manifest's reference, not the draw (Validate does that).
func ExpandStored(m *Manifest, list []byte) error {
	return expandStored(m, list, true)
}

// expandStored is ExpandStored; without rows, the drawn firms' roster rows (Authority,
// Address, Values) are left empty and their columns not decoded.
func expandStored(m *Manifest, list []byte, rows bool) error {
	if m.List == nil {
		return errors.New("抽取清单没有引用抽中企业名单")
	}
	if h := ledger.FrameHash(list); h != m.List.SHA256 {
		return fmt.Errorf("抽中企业名单的哈希 %s 与抽取清单的 list.sha256（%s）不符", short(h), short(m.List.SHA256))
	}
	var l struct {
		List
		Columns []struct {
			Name   string          `json:"name"`
			SameAs string          `json:"same_as"`
			Values json.RawMessage `json:"values"`
		} `json:"columns"`
	}
	if err := json.Unmarshal(list, &l); err != nil {
		return fmt.Errorf("抽中企业名单无法读取：%s", jsonProblem(err))
	}
	if l.Format != ListFormat {
		return fmt.Errorf("抽中企业名单的格式“%s”不是本版本的 %s", l.Format, ListFormat)
	}
	n := l.Firms
	if n != m.List.Firms || n < 0 {
		return fmt.Errorf("抽中企业名单有 %d 户，抽取清单记为 %d 户", n, m.List.Firms)
	}
	// Columns are decoded when asked for; same_as must name an earlier column.
	index := map[string]int{}
	for i, c := range l.Columns {
		if _, dup := index[c.Name]; dup {
			return fmt.Errorf("抽中企业名单的列 %s 出现两次", c.Name)
		}
		if c.SameAs != "" {
			if j, ok := index[c.SameAs]; !ok || j >= i || c.Values != nil {
				return fmt.Errorf("抽中企业名单的列 %s 引用的列 %s 不在它之前", c.Name, c.SameAs)
			}
		}
		index[c.Name] = i
	}
	decoded := map[int][]string{}
	var col func(name string) ([]string, error)
	col = func(name string) ([]string, error) {
		i, ok := index[name]
		if !ok {
			return nil, fmt.Errorf("抽中企业名单缺少列 %s", name)
		}
		if v, ok := decoded[i]; ok {
			return v, nil
		}
		c := l.Columns[i]
		var v []string
		if c.SameAs != "" {
			var err error
			if v, err = col(c.SameAs); err != nil {
				return nil, err
			}
		} else if c.Values != nil {
			if err := json.Unmarshal(c.Values, &v); err != nil {
				return nil, fmt.Errorf("抽中企业名单的列 %s 无法读取：%s", name, jsonProblem(err))
			}
		}
		if v == nil {
			v = make([]string, n)
		}
		if len(v) != n {
			return nil, fmt.Errorf("抽中企业名单的列 %s 有 %d 个值，应为 %d 个", name, len(v), n)
		}
		decoded[i] = v
		return v, nil
	}
	need := []string{"key", "class", "rank_step", "repeat", "name"}
	if rows {
		need = append(need, "authority", "address", "values.n")
	}
	cols := map[string][]string{}
	for _, name := range need {
		v, err := col(name)
		if err != nil {
			return err
		}
		cols[name] = v
	}
	var values [][]string
	sel := make([]Selected, n)
	rank := 0
	for i := range sel {
		s := &sel[i]
		s.Key, s.Class, s.Name = cols["key"][i], cols["class"][i], cols["name"][i]
		step, err := strconv.Atoi(cols["rank_step"][i])
		if err != nil {
			return fmt.Errorf("抽中企业名单第 %d 户的位次差“%s”不是整数", i+1, cols["rank_step"][i])
		}
		rank += step
		s.Rank = rank
		switch cols["repeat"][i] {
		case "1":
			s.Repeat = true
		case "":
		default:
			return fmt.Errorf("抽中企业名单第 %d 户的 repeat“%s”无效", i+1, cols["repeat"][i])
		}
		s.Ticket = sampler.Ticket(m.Seed, m.Task, m.Round, s.Key)
		if !rows {
			continue
		}
		s.Authority, s.Address = cols["authority"][i], cols["address"][i]
		w, err := strconv.Atoi(cols["values.n"][i])
		if err != nil || w < 0 {
			return fmt.Errorf("抽中企业名单第 %d 户的 values.n“%s”无效", i+1, cols["values.n"][i])
		}
		for len(values) < w {
			v, err := col("values." + strconv.Itoa(len(values)))
			if err != nil {
				return err
			}
			values = append(values, v)
		}
		if w > 0 {
			s.Values = make([]string, w)
			for j := range s.Values {
				s.Values[j] = values[j][i]
			}
		}
	}
	m.Selected = sel
	m.Earlier, m.Assignments, m.OverCap = l.Earlier, l.Assignments, l.OverCap
	m.List = nil
	return nil
}

// EntryManifest is the manifest of a ledger draw entry, validated (ParseManifest): the
// chained manifest as it is (ledger versions 1 and 2), or the stored form expanded with the
// entry's list (version 3). name says where it came from, in messages.
func EntryManifest(e ledger.Entry, name string) (*Manifest, error) {
	return entryManifestRows(e, name, true)
}

// EntryDrawn is EntryManifest without the drawn firms' roster rows (Authority, Address,
// Values stay empty): what a replay compares — keys, classes, tickets, ranks, strata, teams.
// On a list of 41,000 firms it skips decoding the columns (about 0.2 s).
func EntryDrawn(e ledger.Entry, name string) (*Manifest, error) {
	return entryManifestRows(e, name, false)
}

// entryManifestRows is EntryManifest; without rows, a stored form's drawn firms come without
// their roster rows (Authority, Address, Values).
func entryManifestRows(e ledger.Entry, name string, rows bool) (*Manifest, error) {
	m, err := entryManifest(e, name, rows)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
	}
	return m, nil
}

// EntryDrawnLater is EntryDrawn in two steps, for a replay that expands the record while it
// reads the roster: head is the entry's manifest as chained — its plan, task, round, seed,
// policy and algorithms, what is needed before a roster is read (for a stored form still
// without its drawn firms, earlier rounds' keys and teams) — and expand completes head in place
// and validates it, as EntryDrawn would have. head must not be used otherwise until expand
// has returned nil. attach, when not nil, is ledger.GetLater's: it fills e's list, and
// expand calls it first (the list's check then runs beside the read too).
func EntryDrawnLater(e *ledger.Entry, attach func() error, name string) (head *Manifest, expand func() error, err error) {
	var m Manifest
	if err := json.Unmarshal(e.Manifest, &m); err != nil {
		return nil, nil, fmt.Errorf("抽取记录 %s 无法读取：%s", name, jsonProblem(err))
	}
	noList := func() error { return fmt.Errorf("抽取记录 %s 的抽中企业名单不在台账中", name) }
	if m.List != nil && e.List == nil && attach == nil {
		return nil, nil, noList()
	}
	return &m, func() error {
		if attach != nil {
			if err := attach(); err != nil {
				return err
			}
			if m.List != nil && e.List == nil {
				return noList()
			}
		}
		if m.List != nil {
			if err := expandStored(&m, e.List, false); err != nil {
				return fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
			}
		}
		if err := m.Validate(); err != nil {
			return fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
		}
		return nil
	}, nil
}

// EntryManifestBytes is the manifest JSON of a ledger draw entry as `ledger show` gives it: the
// chained manifest, or for a stored form the expanded manifest's canonical bytes.
func EntryManifestBytes(e ledger.Entry, name string) ([]byte, error) {
	if e.List == nil {
		return e.Manifest, nil
	}
	m, err := entryManifest(e, name, true)
	if err != nil {
		return nil, err
	}
	return m.Canonical()
}

func entryManifest(e ledger.Entry, name string, rows bool) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(e.Manifest, &m); err != nil {
		return nil, fmt.Errorf("抽取记录 %s 无法读取：%s", name, jsonProblem(err))
	}
	if m.List != nil {
		if e.List == nil {
			return nil, fmt.Errorf("抽取记录 %s 的抽中企业名单不在台账中", name)
		}
		if err := expandStored(&m, e.List, rows); err != nil {
			return nil, fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
		}
	}
	return &m, nil
}
