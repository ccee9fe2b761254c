package roster

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// The lean frame (ReadFrame + Lookup) is the full frame (ReadFirms) by another route: the same
// keys, classes and rows, the same report, and Lookup gives back exactly ReadFirms' records.
func TestReadFrameMatchesReadFirms(t *testing.T) {
	ctx := context.Background()
	files, _ := filepath.Glob(shared + "*")
	more, _ := filepath.Glob(forms + "*") // the office forms of issue 12
	n := 0
	for _, f := range append(files, more...) {
		if strings.Contains(f, "inspectors") || strings.HasSuffix(f, ".tsv") || strings.HasSuffix(f, ".md") ||
			strings.HasSuffix(f, ".py") || f+"/" == forms {
			continue
		}
		for _, district := range []string{"", "沁县"} {
			opt := Options{District: district}
			full, frep, err := ReadFirms(ctx, f, opt)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			lean, lrep, err := ReadFrame(ctx, f, opt)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if lean.Firms != nil || len(lean.FrameKeys()) != len(full.Firms) {
				t.Fatalf("%s: lean frame %d keys (firms %v), full %d", f, len(lean.FrameKeys()), lean.Firms != nil, len(full.Firms))
			}
			byHand := &Frame{Firms: full.Firms}
			if lean.Len() != len(full.Firms) || full.Len() != len(full.Firms) || byHand.Len() != len(byHand.FrameKeys()) {
				t.Errorf("%s: Len %d (lean), %d (full), %d (firms only, %d keys); %d firms", f, lean.Len(), full.Len(), byHand.Len(), len(byHand.FrameKeys()), len(full.Firms))
			}
			if !reflect.DeepEqual(lean.FrameKeys(), full.Keys) || !reflect.DeepEqual(lrep, frep) ||
				!reflect.DeepEqual(lean.Header, full.Header) || lean.Unclassified != full.Unclassified ||
				lean.NoClasses != full.NoClasses || !reflect.DeepEqual(lean.Personal, full.Personal) {
				t.Errorf("%s (%q): lean and full frames differ", f, district)
			}
			if string(lean.Bytes()) != strings.Join(FrameLines(full.Firms), "\n")+"\n" && len(full.Firms) > 0 {
				t.Errorf("%s: Bytes differ from FrameLines", f)
			}
			// The hash the read took on the way is the hash of the bytes (a draw records it).
			if h := lean.LinesSHA256(); h != HashFrameLines(FrameLines(full.Firms)) || h != lrep.FrameSHA256 {
				t.Errorf("%s (%q): LinesSHA256 %s, the bytes hash to %s", f, district, h, HashFrameLines(FrameLines(full.Firms)))
			}
			if full.LinesSHA256() != "" {
				t.Errorf("%s: a frame with its firms has a LinesSHA256 it did not compute", f)
			}
			got, err := lean.Lookup(ctx, lean.FrameKeys())
			if err != nil {
				t.Fatalf("%s: Lookup: %v", f, err)
			}
			if !reflect.DeepEqual(got, full.Firms) && len(full.Firms) > 0 {
				t.Errorf("%s (%q): Lookup records differ from ReadFirms", f, district)
			}
			// Re-read through windows smaller than a record: each record still whole.
			for _, w := range []int{1, 5, 97} {
				lookupWindow = w
				small, err := lean.Lookup(ctx, lean.FrameKeys())
				lookupWindow = 1 << 20
				if err != nil {
					t.Fatalf("%s: Lookup with a %d-byte window: %v", f, w, err)
				}
				if !reflect.DeepEqual(small, got) {
					t.Errorf("%s (%q): Lookup with a %d-byte window differs", f, district, w)
				}
			}
			// Some rows, out of order, and from memory for the full frame.
			if k := lean.FrameKeys(); len(k) > 3 {
				some := []FrameKey{k[len(k)-1], k[0], k[len(k)/2]}
				a, err1 := lean.Lookup(ctx, some)
				b, err2 := full.Lookup(ctx, some)
				if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) || a[0].Key != some[0].Key {
					t.Errorf("%s: Lookup of three rows: %v %v", f, err1, err2)
				}
				// By position: the same records, for the lean frame and the full one.
				at := []int{len(k) - 1, 0, len(k) / 2}
				c, err3 := lean.LookupAt(ctx, at)
				d, err4 := full.LookupAt(ctx, at)
				if err3 != nil || err4 != nil || !reflect.DeepEqual(c, a) || !reflect.DeepEqual(d, a) {
					t.Errorf("%s: LookupAt of three rows: %v %v", f, err3, err4)
				}
				if _, err := lean.LookupAt(ctx, []int{len(k)}); err == nil {
					t.Errorf("%s: LookupAt past the frame accepted", f)
				}
			}
			n++
		}
	}
	if n < 8 {
		t.Fatalf("only %d rosters compared", n)
	}
}

// A roster changed between the frame read and the re-read is refused, not mixed.
func TestLookupRefusesChangedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.csv")
	data := "统一社会信用代码,企业名称,信用风险分类\n91140430MA0L6NK70X,甲公司,A\n911404307512345673,乙公司,B\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	fr, _, err := ReadFrame(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.FrameKeys()) == 0 {
		t.Fatal("no eligible firm in the test roster")
	}
	if _, err := fr.Lookup(ctx, fr.FrameKeys()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(data, "甲公司", "丙公司", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := fr.Lookup(ctx, fr.FrameKeys()); err == nil || !strings.Contains(err.Error(), "被改动") {
		t.Errorf("changed file: %v", err)
	}
	// A row that is not the frame's firm.
	wrong := []FrameKey{NewFrameKey("91140430MA0000000X", ClassA, int(fr.FrameKeys()[0].Row))}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := fr.Lookup(ctx, wrong); err == nil {
		t.Error("a row of another firm was accepted")
	}
}

// Options.Prefetch keeps the rows it chooses whole on the first read: Lookup then gives the
// same records as ReadFirms, whether every row, some or none were kept, and reads the file
// again only for the rows that were not kept.
func TestPrefetchKeepsChosenRows(t *testing.T) {
	ctx := context.Background()
	files, _ := filepath.Glob(shared + "*")
	n := 0
	for _, f := range files {
		if fi, err := os.Stat(f); err != nil || fi.IsDir() || strings.Contains(f, "inspectors") ||
			strings.HasSuffix(f, ".tsv") || strings.HasSuffix(f, ".md") {
			continue
		}
		full, _, err := ReadFirms(ctx, f, Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(full.Firms) < 4 {
			continue
		}
		// Keep the firms of class A and, of the others, those whose key ends in an even digit;
		// tag each with the length of its key and its class's letter.
		var chosen []string
		var offered map[[2]string]bool
		keeps := func(key, class string) bool {
			return class == ClassA || strings.ContainsAny(key[len(key)-1:], "02468")
		}
		tagOf := func(key, class string) uint64 { return uint64(len(key))<<8 | uint64(class[0]) }
		choose := func(key, class string) (bool, uint64) {
			offered[[2]string{key, class}] = true
			if !keeps(key, class) {
				return false, 0
			}
			chosen = append(chosen, key)
			return true, tagOf(key, class)
		}
		for _, mode := range []string{"some", "all", "none"} {
			opt := Options{}
			switch mode {
			case "some":
				opt.Prefetch = choose
			case "all":
				opt.Prefetch = func(string, string) (bool, uint64) { return true, 7 }
			case "none":
				opt.Prefetch = func(string, string) (bool, uint64) { return false, 0 }
			}
			chosen, offered = nil, map[[2]string]bool{}
			// A copy, so that it can be removed to prove what is read from memory.
			path := filepath.Join(t.TempDir(), filepath.Base(f))
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			lean, _, err := ReadFrame(ctx, path, opt)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			got, err := lean.Lookup(ctx, lean.FrameKeys())
			if err != nil {
				t.Fatalf("%s (%s): Lookup: %v", f, mode, err)
			}
			for i := range got {
				got[i].Row, full.Firms[i].Row = 0, 0 // the copy's rows are the same; compared below by key
			}
			for i := range got {
				if got[i].Key != full.Firms[i].Key || !reflect.DeepEqual(got[i].Values, full.Firms[i].Values) ||
					got[i].Name != full.Firms[i].Name || got[i].Class != full.Firms[i].Class {
					t.Fatalf("%s (%s): record %d differs from ReadFirms: %+v, want %+v", f, mode, i, got[i], full.Firms[i])
				}
			}
			if lean.offs != nil {
				// A UTF-8 CSV: Lookup reads each record at its offset, so nothing is kept and
				// Prefetch is not even asked.
				if len(chosen) != 0 || lean.kept != nil {
					t.Fatalf("%s (%s): a CSV read by offsets kept %d rows (Prefetch chose %d)", f, mode, len(lean.kept), len(chosen))
				}
				if _, _, complete := lean.Tags(); complete {
					t.Fatalf("%s (%s): a CSV read by offsets says its tags are complete", f, mode)
				}
				continue
			}
			// Tags: what a draw takes as known ticket prefixes (sampler.Known) — so every firm of
			// the frame was offered with its own key and class, and each firm Prefetch chose so
			// has its tag, at its place in Keys; no other firm has one.
			at, tags, complete := lean.Tags()
			if !complete {
				t.Fatalf("%s (%s): the tags of a frame read with Prefetch are not complete", f, mode)
			}
			next := 0
			for i, k := range lean.FrameKeys() {
				if mode == "some" && !offered[[2]string{k.Key, k.Class()}] {
					t.Fatalf("%s: firm %s (class %s) of the frame was never offered to Prefetch", f, k.Key, k.Class())
				}
				want, tag := mode == "all", uint64(7)
				if mode == "some" {
					want, tag = keeps(k.Key, k.Class()), tagOf(k.Key, k.Class())
				}
				has := next < len(at) && int(at[next]) == i
				if has != want || (has && tags[next] != tag) {
					t.Fatalf("%s (%s): firm %d (%s %s): tagged %v (%v), want %v (%d)", f, mode, i, k.Key, k.Class(), has, tags, want, tag)
				}
				if has {
					next++
				}
			}
			if next != len(at) {
				t.Fatalf("%s (%s): %d tags beyond the frame's firms", f, mode, len(at)-next)
			}
			if mode == "some" && (len(chosen) == 0 || len(chosen) == len(lean.FrameKeys())) {
				t.Fatalf("%s: the test's choice kept %d of %d rows: it should keep some", f, len(chosen), len(lean.FrameKeys()))
			}
			// Without the file: the kept rows are still there, the others are not.
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			_, err = lean.Lookup(ctx, lean.FrameKeys())
			if mode == "all" && err != nil {
				t.Errorf("%s: every row was kept, yet Lookup needed the file: %v", f, err)
			}
			if mode != "all" && err == nil {
				t.Errorf("%s (%s): rows not kept were looked up without the file", f, mode)
			}
			if mode == "some" {
				var kept []FrameKey
				for _, k := range lean.FrameKeys() {
					if slices.Contains(chosen, k.Key) {
						kept = append(kept, k)
					}
				}
				if _, err := lean.Lookup(ctx, kept); err != nil {
					t.Errorf("%s: kept rows needed the file: %v", f, err)
				}
			}
		}
		n++
	}
	if n < 4 {
		t.Fatalf("only %d rosters tried", n)
	}
}

// A record kept on the first read holds its own text: its strings all lie in one
// allocation of their total length, so none of them keeps an xlsx's shared-string table
// alive. Without detach, an xlsx record's cells point into the table's one string.
func TestPrefetchedRecordsOwnTheirText(t *testing.T) {
	for _, f := range []string{"qinxian-realestate.xlsx", "luzhou-gas-dirty.xlsx", "qinxian-realestate-gbk.csv"} {
		fr, _, err := ReadFrame(context.Background(), shared+f, Options{Prefetch: func(string, string) (bool, uint64) { return true, 0 }})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(fr.kept) == 0 {
			t.Fatalf("%s: nothing kept", f)
		}
		for row, k := range fr.kept {
			fm := k.firm(0)
			fields := append([]string{fm.Key, fm.Name, fm.Class, fm.District, fm.Authority, fm.Address, fm.LegalRep, fm.Phone}, fm.Values...)
			total, lo, hi := 0, uintptr(0), uintptr(0)
			for _, s := range fields {
				if s == "" {
					continue
				}
				total += len(s)
				p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
				if lo == 0 || p < lo {
					lo = p
				}
				hi = max(hi, p+uintptr(len(s)))
			}
			if int(hi-lo) > total {
				t.Fatalf("%s row %d: the record's text spans %d bytes for %d of text: it points into a larger buffer", f, row, hi-lo, total)
			}
		}
	}
}

// A frame key holds its class in a byte: the four classes come back as they went in, and
// anything else comes back as "" (which a draw refuses), never as another class.
func TestFrameKeyClass(t *testing.T) {
	for _, c := range []string{ClassA, ClassB, ClassC, ClassD} {
		if got := NewFrameKey("K", c, 7).Class(); got != c {
			t.Errorf("class %q came back %q", c, got)
		}
	}
	for _, c := range []string{"", "E", "AB", "甲"} {
		if got := NewFrameKey("K", c, 7).Class(); got != "" {
			t.Errorf("class %q came back %q, want \"\"", c, got)
		}
	}
	if k := NewFrameKey("K", ClassA, 1048576); k.Row != 1048576 || unsafe.Sizeof(k) != 24 {
		t.Errorf("row %d, %d bytes a key", k.Row, unsafe.Sizeof(k))
	}
}

// A change that leaves a drawn row unreadable is still reported as a change (the re-read's
// CSV error is what the change did, not the cause).
func TestLookupChangedFileUnparsable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.csv")
	data := "统一社会信用代码,企业名称,信用风险分类\n91140430MA0L6NK70X,甲公司,A\n911404307512345673,乙公司,B\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	fr, _, err := ReadFrame(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(data, "乙公司", `乙"公司`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := fr.Lookup(ctx, fr.FrameKeys()); err == nil || !strings.Contains(err.Error(), "被改动") {
		t.Errorf("changed, unparsable file: %v", err)
	}
}

// The re-read keeps one csv.Reader across records; a record that fails is read again by a new
// one, so the error counts lines from that record, not from the first one re-read.
func TestReadAtErrorCountsFromItsRecord(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.csv")
	data := "统一社会信用代码,企业名称,信用风险分类\n91140430MA0L6NK70X,甲公司,A\n911404307512345673,\"乙\"\"公司\",B\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	fr, _, err := ReadFrame(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.FrameKeys()) != 2 || fr.offs == nil {
		t.Fatalf("%d keys, offsets %v", len(fr.FrameKeys()), fr.offs)
	}
	// Point the second firm's offset inside its quoted name: `公司",B` is a bare quote.
	j := 0
	if fr.FrameKeys()[1].Row > fr.FrameKeys()[0].Row {
		j = 1
	}
	fr.offs[j] = int64(strings.Index(data, `公司"`))
	_, err = fr.readAt(ctx, fr.FrameKeys(), nil)
	var pe *csv.ParseError
	if !errors.As(err, &pe) || pe.Line != 1 {
		t.Fatalf("err = %v, want a CSV error on line 1 of the record", err)
	}
}

// A draw's Lookup of many kept records (more than lookupKept does on one core) gives the
// records ReadFirms gives, in the order asked, the rows not kept read from the file again —
// in both halves, and across the cut between them.
func TestLookupManyKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "firms.xlsx")
	genRoster(t, "firms", "--n", "12000", "--seed", "3", "--format", "xlsx", "--out", path)
	full, _, err := ReadFirms(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	keep := func(key, _ string) (bool, uint64) { return key[len(key)-2]%7 != 0, uint64(len(key)) }
	lean, _, err := ReadFrame(ctx, path, Options{Prefetch: keep})
	if err != nil {
		t.Fatal(err)
	}
	keys := lean.FrameKeys()
	if len(keys) < 1<<12 || len(keys) != len(full.Firms) {
		t.Fatalf("%d keys (%d firms): too few for both halves", len(keys), len(full.Firms))
	}
	// Every firm in reverse, so that each half has rows kept and rows not kept.
	at := make([]int, len(keys))
	for i := range at {
		at[i] = len(keys) - 1 - i
	}
	got, err := lean.LookupAt(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	missed := 0
	for i, j := range at {
		if !reflect.DeepEqual(got[i], full.Firms[j]) {
			t.Fatalf("firm %d (%s): Lookup %+v, ReadFirms %+v", j, keys[j].Key, got[i], full.Firms[j])
		}
		if k := keys[j].Key; k[len(k)-2]%7 == 0 {
			missed++
		}
	}
	if missed == 0 || missed == len(at) {
		t.Fatalf("%d of %d rows not kept: the test should keep some", missed, len(at))
	}
}
