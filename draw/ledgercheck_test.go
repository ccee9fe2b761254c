package draw

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/choucha/choucha/ledger"
)

// TestCheckEntry: issue 19 — "an appended draw with a recomputed hash whose firm list does
// not follow from its seed ... verifies". Append computes the hash, so the chain is sound;
// CheckEntry re-derives the tickets and finds it.
func TestCheckEntry(t *testing.T) {
	ctx := context.Background()
	oc, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	m := oc.Manifest
	l, err := ledger.Open(filepath.Join(t.TempDir(), "choucha.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	add := func(m *Manifest, keys []string, frame []byte) {
		t.Helper()
		b, err := m.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Append(ctx, ledger.Entry{Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Year: m.Year,
			Seed: m.Seed, CreatedAt: m.CreatedAt, Operator: "张三", Manifest: b, Keys: keys, Frame: frame}); err != nil {
			t.Fatal(err)
		}
	}
	verify := func() ledger.VerifyResult {
		t.Helper()
		res, err := l.VerifyWith(ctx, ledger.VerifyOptions{Draw: CheckEntry})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	add(m, m.DrawnKeys(), oc.Frame)
	if res := verify(); !res.OK {
		t.Fatalf("a real draw: %+v", res)
	}

	// A list that does not follow from the seed: one firm swapped for an undrawn one.
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
	add(forged, forged.DrawnKeys(), nil)
	res := verify()
	if res.OK || res.BadID != 2 || !strings.Contains(res.Problem, "签号") {
		t.Errorf("forged list: %+v", res)
	}
	if plain, _ := l.Verify(ctx); !plain.OK {
		t.Errorf("the chain alone is sound, yet Verify says %+v", plain)
	}
}

func TestCheckEntryKeys(t *testing.T) {
	oc, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	m := oc.Manifest
	b, _ := m.Canonical()
	e := ledger.Entry{ID: 3, Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Year: m.Year, Seed: m.Seed, Manifest: b, Keys: m.DrawnKeys()}
	if err := CheckEntry(e, oc.Frame); err != nil {
		t.Fatalf("real entry: %v", err)
	}
	e2 := e
	e2.Keys = e.Keys[1:]
	if err := CheckEntry(e2, oc.Frame); err == nil || !strings.Contains(err.Error(), "抽中企业") {
		t.Errorf("keys short: %v", err)
	}
	e3 := e
	e3.Round = 2
	if err := CheckEntry(e3, oc.Frame); err == nil || !strings.Contains(err.Error(), "轮次") {
		t.Errorf("round: %v", err)
	}
}

func clone(t *testing.T, m *Manifest) *Manifest {
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var c Manifest
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// TestCheckEntryClassInStoredFrame: the class of a drawn firm is checked in the frame the
// ledger stores (schema 2 keeps it out of the manifest).
func TestCheckEntryClassInStoredFrame(t *testing.T) {
	oc, err := Run(testRequest(t, 292, testFrame(40)))
	if err != nil {
		t.Fatal(err)
	}
	m := clone(t, oc.Manifest)
	m.Selected[0].Class = map[string]string{"A": "B", "B": "C", "C": "A"}[m.Selected[0].Class]
	b, _ := m.Canonical()
	e := ledger.Entry{ID: 3, Kind: ledger.KindDraw, Task: m.Task, Round: m.Round, Year: m.Year, Seed: m.Seed, Manifest: b, Keys: m.DrawnKeys()}
	if err := CheckEntry(e, oc.Frame); err == nil || !strings.Contains(err.Error(), "分类不符") {
		t.Errorf("class changed in the manifest: %v", err)
	}
}
