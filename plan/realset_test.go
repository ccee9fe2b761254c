package plan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// realSet is testdata/plans: tables other offices published, copied as an office copies them
// (README.md there names each source), each with a reading written by hand from the source.
const realSet = "../testdata/plans"

type expectPlan struct {
	Title    string           `yaml:"title"`
	Year     int              `yaml:"year"`
	Numbered int              `yaml:"numbered"`
	Tasks    []map[string]any `yaml:"tasks"`
	// Notes are the kinds of the plan-level lint findings (the reader's notes about the
	// table, not about a task), sorted; not checked when absent.
	Notes *[]string `yaml:"notes"`
}

// TestRealPlans: every task of every real plan is read as written by hand (each field the
// expectation names), exact or flagged with exactly the flag kinds listed; none lost.
func TestRealPlans(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(realSet, "*.tsv"))
	if err != nil || len(files) < 10 {
		t.Fatalf("the real set has %d plans (want at least 10): %v", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".tsv")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(realSet, name+".expect.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var want expectPlan
			if err := yaml.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			p, err := Load(f, "")
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != want.Title || p.Year() != want.Year || p.NumberedRows != want.Numbered {
				t.Errorf("title %q year %d numbered %d, want %q %d %d", p.Title, p.Year(), p.NumberedRows, want.Title, want.Year, want.Numbered)
			}
			if len(p.Tasks) != len(want.Tasks) {
				var keys []string
				for _, k := range p.Tasks {
					keys = append(keys, k.Key)
				}
				t.Fatalf("%d tasks %v, want %d", len(p.Tasks), keys, len(want.Tasks))
			}
			for i, w := range want.Tasks {
				checkTask(t, &p.Tasks[i], w)
			}
			if want.Notes != nil {
				var kinds []string
				for _, f := range Lint(p) {
					if f.Seq == 0 && f.Kind != LintCount {
						kinds = append(kinds, f.Kind)
					}
				}
				sort.Strings(kinds)
				if !slices.Equal(kinds, *want.Notes) {
					t.Errorf("plan-level notes %q, want %q", kinds, *want.Notes)
				}
			}
		})
	}
}

func checkTask(t *testing.T, k *Task, w map[string]any) {
	t.Helper()
	str := func(v any) string { return fmt.Sprint(v) }
	var kinds []string
	for _, f := range k.Flags {
		kinds = append(kinds, f.Kind)
	}
	sort.Strings(kinds)
	kinds = uniq(kinds)
	rng := ""
	if k.Ratio.Range != nil {
		rng = k.Ratio.Range.Min + "-" + k.Ratio.Range.Max + k.Ratio.Range.Unit
	}
	got := map[string]string{
		"key": k.Key, "seqtext": k.SeqText, "part": strconv.Itoa(k.Part), "d": k.District, "ini": k.Initiator,
		"co": fmt.Sprint(nonNilStrings(k.Cooperators)), "mode": k.Mode,
		"pct": k.Ratio.Percent, "least": strconv.FormatBool(k.Ratio.AtLeast), "minc": strconv.Itoa(k.Ratio.MinCount),
		"cnt": strconv.Itoa(k.Ratio.Count), "cap": k.Ratio.Cap, "rng": rng, "lv": strconv.Itoa(len(k.Ratio.Levels)),
		"subject": k.Ratio.Subject, "t": strconv.Itoa(k.Ratio.Times), "per": k.Ratio.Per,
		"win": fmt.Sprintf("%d-%d", k.Window.From, k.Window.To), "fd": strconv.Itoa(k.Window.FromDay), "td": strconv.Itoa(k.Window.ToDay),
		"yr": strconv.Itoa(k.Window.Year), "rounds": strconv.Itoa(k.Rounds), "scopes": strconv.Itoa(len(k.Scopes)),
		"flags": fmt.Sprint(nonNilStrings(kinds)), "cls": classText(k.Ratio.PerClass),
	}
	if _, ok := w["flags"]; !ok {
		w["flags"] = []any{}
	}
	for field, v := range w {
		g, ok := got[field]
		if !ok {
			t.Errorf("%s: unknown expectation field %q", k.Key, field)
			continue
		}
		ws := str(v)
		if l, isList := v.([]any); isList {
			var ss []string
			for _, e := range l {
				ss = append(ss, str(e))
			}
			ws = fmt.Sprint(nonNilStrings(ss))
		}
		if g != ws {
			t.Errorf("%s (line %d): %s = %q, want %q (flags %+v)", k.Key, k.Line, field, g, ws, k.Flags)
		}
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func uniq(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || s[i-1] != v {
			out = append(out, v)
		}
	}
	return out
}

// TestRealPlansGolden pins the full export of each real plan (review a diff by hand against
// the source before running with -update).
func TestRealPlansGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realSet, "*.tsv"))
	for _, f := range files {
		p, err := Load(f, "")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := p.WriteJSON(&buf, nil); err != nil {
			t.Fatal(err)
		}
		golden := strings.TrimSuffix(f, ".tsv") + ".golden.json"
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: export differs from %s", filepath.Base(f), filepath.Base(golden))
		}
	}
	_ = reflect.DeepEqual
}
