package draw

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// storedDraw is a draw with everything the stored form moves into the list: inspectors'
// teams, earlier rounds with repeats (round 2 of a task whose candidates run short), over-cap
// marks, and roster rows whose name column is a copy of Name.
func storedDraw(t *testing.T) *Outcome {
	t.Helper()
	valid := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var insp []roster.Inspector
	for _, id := range []string{"1", "2", "3"} {
		insp = append(insp, roster.Inspector{ID: id, Name: "人" + id, Dept: "沁县市场监督管理局", OnDuty: true, Status: "在岗", ValidUntil: valid})
	}
	insp = append(insp, roster.Inspector{ID: "9", Name: "人9", Dept: "沁县住房和城乡建设管理局", OnDuty: true, Status: "在岗", ValidUntil: valid})
	frame := testFrame(40)
	req := testRequest(t, 292, frame)
	req.Inspectors = &Inspectors{File: "i.xlsx", List: insp, Depts: dept.DefaultMap()}
	first, err := Run(req)
	if err != nil {
		t.Fatal(err)
	}
	// Earlier rounds took every firm but three: the strata run short and take repeats.
	var earlier []string
	for _, k := range frame.FrameKeys()[3:] {
		earlier = append(earlier, k.Key)
	}
	req.Round, req.Earlier = 1, earlier
	oc, err := Run(req)
	if err != nil {
		t.Fatal(err)
	}
	repeats := 0
	for _, s := range oc.Manifest.Selected {
		if s.Repeat {
			repeats++
		}
	}
	if repeats == 0 || len(oc.Manifest.Assignments) == 0 || len(first.Manifest.Selected) == 0 {
		t.Fatalf("fixture: %d repeats, %d teams", repeats, len(oc.Manifest.Assignments))
	}
	oc.Manifest.OverCap = []string{oc.Manifest.Selected[0].Key}
	return oc
}

// TestStoredRoundTrip: the stored manifest and its list expand to the manifest, byte for byte;
// what is derivable (tickets) or written twice (names among the values) is not stored.
func TestStoredRoundTrip(t *testing.T) {
	oc := storedDraw(t)
	m := oc.Manifest
	want, err := m.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	stored, list, err := m.Stored()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Selected {
		if bytes.Contains(stored, []byte(s.Ticket)) || bytes.Contains(list, []byte(s.Ticket)) {
			t.Fatalf("the ticket of %s is stored", s.Key)
		}
	}
	if !bytes.Contains(stored, []byte(`"selected":null`)) || bytes.Contains(stored, []byte(`"assignments"`)) ||
		bytes.Contains(stored, []byte(`"earlier_rounds_keys"`)) || bytes.Contains(stored, []byte(`"over_cap"`)) {
		t.Errorf("stored manifest: %s", stored)
	}
	var l List
	if err := json.Unmarshal(list, &l); err != nil {
		t.Fatal(err)
	}
	same := map[string]string{}
	for _, c := range l.Columns {
		same[c.Name] = c.SameAs
	}
	// testFrame's rows are [key, name]: both columns are references.
	if l.Format != ListFormat || l.Firms != len(m.Selected) || l.Columns[0].Name != "key" || len(l.Columns[0].Values) != l.Firms ||
		same["values.0"] != "key" || same["values.1"] != "name" || len(l.Earlier) != len(m.Earlier) {
		t.Errorf("list: format %s, %d firms, columns %v", l.Format, l.Firms, same)
	}

	var back Manifest
	if err := json.Unmarshal(stored, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err == nil {
		t.Error("a stored manifest validates as a manifest")
	}
	if err := ExpandStored(&back, list); err != nil {
		t.Fatal(err)
	}
	got, err := back.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("expanded manifest differs:\n got %s\nwant %s", firstDiff(got, want), firstDiff(want, got))
	}
	if err := back.Validate(); err != nil {
		t.Errorf("expanded manifest: %v", err)
	}

	// The list is bound to the manifest by its hash; a list that is not valid is refused.
	var again Manifest
	json.Unmarshal(stored, &again)
	if err := ExpandStored(&again, bytes.Replace(list, []byte(`"rank_step"`), []byte(`"rank_stop"`), 1)); err == nil || !strings.Contains(err.Error(), "哈希") {
		t.Errorf("edited list: %v", err)
	}
	for name, edit := range map[string]func(*List){
		"a column short": func(l *List) { l.Columns[1].Values = l.Columns[1].Values[1:] },
		"same_as ahead":  func(l *List) { l.Columns[1] = ListColumn{Name: "class", SameAs: "name"} },
		"rank not a number": func(l *List) {
			l.Columns[2].Values = append([]string{"x"}, l.Columns[2].Values[1:]...)
		},
		"no class column": func(l *List) { l.Columns = append(l.Columns[:1], l.Columns[2:]...) },
	} {
		var c List
		json.Unmarshal(list, &c)
		edit(&c)
		b, _ := json.Marshal(&c)
		json.Unmarshal(stored, &again)
		again.List.SHA256 = ledger.FrameHash(b)
		if err := ExpandStored(&again, b); err == nil {
			t.Errorf("%s: expanded", name)
		}
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return string(a[max(0, i-40):min(len(a), i+80)])
}

// TestStoredEntryForgedList: a stored list carries no tickets, so a forged list — one firm
// swapped for an undrawn one, chained by Append with correct hashes — is found by drawing again
// from the stored frame (Rederive), as `ledger verify` does.
func TestStoredEntryForgedList(t *testing.T) {
	ctx := context.Background()
	oc, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	l := tempLedger(t)
	add := func(m *Manifest) { t.Helper(); appendStored(t, l, m, oc.Frame) }
	verify := func() ledger.VerifyResult {
		t.Helper()
		res, err := l.VerifyWith(ctx, ledger.VerifyOptions{Draw: CheckEntry})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	m := oc.Manifest
	add(m)
	if res := verify(); !res.OK {
		t.Fatalf("a real draw: %+v", res)
	}
	e, err := l.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := EntryManifest(e, "第 1 条"); err != nil || len(got.Selected) != len(m.Selected) || strings.Join(e.Keys, ",") != strings.Join(m.DrawnKeys(), ",") {
		t.Fatalf("entry read back: %v, keys %v", err, e.Keys)
	}

	forged := clone(t, m)
	drawn := map[string]bool{}
	for _, s := range m.Selected {
		drawn[s.Key] = true
	}
	for _, line := range strings.Split(strings.TrimSpace(string(oc.Frame)), "\n") {
		key := line[:strings.IndexByte(line, '|')]
		if !drawn[key] && line[len(line)-1:] == forged.Selected[0].Class {
			forged.Selected[0].Key = key
			break
		}
	}
	add(forged)
	if res := verify(); res.OK || res.BadID != 2 || !strings.Contains(res.Problem, "名单与种子不符") {
		t.Errorf("forged list: %+v", res)
	}
	if plain, _ := l.Verify(ctx); !plain.OK {
		t.Errorf("the chain alone is sound, yet Verify says %+v", plain)
	}
}

// EntryDrawnLater gives the entry's head at once and, after expand, the same record as
// EntryDrawn; a replay given it expands while it reads the roster, and a record that does not
// expand is the replay's error before the roster's.
func TestEntryDrawnLater(t *testing.T) {
	ctx := context.Background()
	req := testRequest(t, 292, testFrame(40))
	oc, err := Run(req)
	if err != nil {
		t.Fatal(err)
	}
	l := tempLedger(t)
	m := oc.Manifest
	appendStored(t, l, m, oc.Frame)
	e, err := l.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := EntryDrawn(e, "第 1 条")
	if err != nil {
		t.Fatal(err)
	}
	head, expand, err := EntryDrawnLater(&e, nil, "第 1 条")
	if err != nil {
		t.Fatal(err)
	}
	if len(head.Selected) != 0 || head.List == nil || head.Task != m.Task || head.Seed != m.Seed || head.AssignSpec != m.AssignSpec {
		t.Fatalf("head: %d selected, list %v, task %s", len(head.Selected), head.List, head.Task)
	}
	if err := expand(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(head, want) {
		t.Fatal("expanded head differs from EntryDrawn's record")
	}
	d, err := Replay(ctx, ReplayRequest{Record: head, Plan: req.Plan, Roster: RosterInput{Frame: testFrame(40)}, ToolVersion: "test"})
	if err != nil || !d.Identical {
		t.Fatalf("replay of the expanded record: %+v, %v", d, err)
	}

	// A list changed after it was read from the ledger: expand refuses it, and a replay says so
	// rather than that the roster is missing.
	bad := e
	bad.List = bytes.Replace(e.List, []byte(m.Selected[0].Key), []byte(m.Selected[1].Key), 1)
	head, expand, err = EntryDrawnLater(&bad, nil, "第 1 条")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Replay(ctx, ReplayRequest{Record: head, Expand: expand, Plan: req.Plan,
		Roster: RosterInput{File: filepath.Join(t.TempDir(), "没有这个名录.csv")}, ToolVersion: "test"})
	if err == nil || !strings.Contains(err.Error(), "第 1 条 不完整或已被改动") || !strings.Contains(err.Error(), "list.sha256") {
		t.Errorf("replay of a changed list: %v", err)
	}
	// A stored head whose entry lost its list is refused at once.
	bad.List = nil
	if _, _, err := EntryDrawnLater(&bad, nil, "第 1 条"); err == nil || !strings.Contains(err.Error(), "不在台账中") {
		t.Errorf("entry without its list: %v", err)
	}
}

// tempLedger is a new ledger in a test's temporary folder, closed when the test ends.
func tempLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	l, _ := tempLedgerAt(t)
	return l
}

// tempLedgerAt is tempLedger and the ledger's path (for a replay, which opens it itself).
func tempLedgerAt(t *testing.T) (*ledger.Ledger, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "choucha.db")
	l, err := ledger.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, path
}

// appendStored records m's stored form in l as a draw from frame.
func appendStored(t *testing.T, l *ledger.Ledger, m *Manifest, frame []byte) {
	t.Helper()
	stored, list, err := m.Stored()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(context.Background(), ledger.Entry{Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Year: m.Year,
		Seed: m.Seed, CreatedAt: m.CreatedAt, Operator: "张三", Manifest: stored, List: list, Frame: frame}); err != nil {
		t.Fatal(err)
	}
}

// A replay against a roster whose frame changed lists what changed — the firms added, removed
// and reclassified — from the ledger's stored frame and the rerun's, whose bytes it makes only
// then; against the same frame it is identical.
func TestReplayChangedFrame(t *testing.T) {
	ctx := context.Background()
	req := testRequest(t, 292, testFrame(40))
	oc, err := Run(req)
	if err != nil {
		t.Fatal(err)
	}
	l, path := tempLedgerAt(t)
	appendStored(t, l, oc.Manifest, oc.Frame)
	e, err := l.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := EntryDrawn(e, "第 1 条")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Replay(ctx, ReplayRequest{Record: rec, Plan: req.Plan, Roster: RosterInput{Frame: testFrame(40)}, Ledger: path, ToolVersion: "test"})
	if err != nil || !d.Identical || d.FrameChanged {
		t.Fatalf("replay on the same frame: %+v, %v", d, err)
	}
	changed := testFrame(40)
	removed := changed.Firms[3].Key
	changed.Firms = slices.Delete(changed.Firms, 3, 4) // KAD
	changed.Firms[10].Class = "D"                      // KAL, was C
	reclassified := changed.Firms[10].Key
	changed.Firms = append(changed.Firms, roster.Firm{Row: 99, Key: "ZZZ", Name: "企业ZZZ", Class: "B", Values: []string{"ZZZ", "企业ZZZ"}})
	d, err = Replay(ctx, ReplayRequest{Record: rec, Plan: req.Plan, Roster: RosterInput{Frame: changed}, Ledger: path, ToolVersion: "test"})
	if err != nil || !d.FrameChanged {
		t.Fatalf("replay on a changed frame: %+v, %v", d, err)
	}
	if !slices.Equal(d.Added, []string{"ZZZ"}) || !slices.Equal(d.Removed, []string{removed}) ||
		len(d.Reclassified) != 1 || d.Reclassified[0].Key != reclassified || d.Reclassified[0].From != "C" || d.Reclassified[0].To != "D" {
		t.Errorf("added %v, removed %v, reclassified %+v; want [ZZZ], [%s], %s C→D", d.Added, d.Removed, d.Reclassified, removed, reclassified)
	}
}

// The list's bytes are json.Marshal's (they are hashed into the chain): for the list of a
// draw with teams, earlier rounds and over-cap marks, for an empty list, and with every
// field of List and ListColumn set (by reflection, so a field added to either and not to
// appendJSON fails here).
func TestListJSONIsMarshal(t *testing.T) {
	_, stored, err := storedDraw(t).Manifest.Stored()
	if err != nil {
		t.Fatal(err)
	}
	var drawn List
	if err := json.Unmarshal(stored, &drawn); err != nil {
		t.Fatal(err)
	}
	if len(drawn.Assignments) == 0 || len(drawn.Earlier) == 0 || len(drawn.OverCap) == 0 {
		t.Fatalf("the test draw lacks teams, earlier rounds or over-cap marks: %d, %d, %d", len(drawn.Assignments), len(drawn.Earlier), len(drawn.OverCap))
	}
	odd := "长治<&>\"\\\x01\xff\u2028"
	var full List
	fill := func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Field(i)
			switch {
			case f.Kind() == reflect.String:
				f.SetString(odd + v.Type().Field(i).Name)
			case f.Kind() == reflect.Int:
				f.SetInt(41395)
			case f.Type() == reflect.TypeFor[[]string]():
				f.Set(reflect.ValueOf([]string{odd, ""}))
			case f.Type() == reflect.TypeFor[[]ListColumn](), f.Type() == reflect.TypeFor[[]sampler.Team]():
				// below
			default:
				t.Fatalf("%s.%s: a field of a kind this test cannot fill (%s)", v.Type(), v.Type().Field(i).Name, f.Type())
			}
		}
	}
	fill(reflect.ValueOf(&full).Elem())
	var col ListColumn
	fill(reflect.ValueOf(&col).Elem())
	full.Columns = []ListColumn{col, {Name: "same", SameAs: "key"}, {Name: "empty"}}
	full.Assignments = drawn.Assignments
	for _, l := range []*List{&drawn, &full, {}, {Columns: []ListColumn{}}} {
		got, err := l.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("appendJSON:\n%.600s\njson.Marshal:\n%.600s", got, want)
		}
	}
}
