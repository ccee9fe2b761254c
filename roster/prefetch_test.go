package roster

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// Prefetch is asked on a goroutine of its own, a batch of rows at a time (prefetcher): on
// rosters of many batches — dirty ones, with duplicates, in xlsx and GBK csv — the records
// kept, their tags and the frame are exactly those of asking row by row, which the test
// works out from ReadFirms' records.
func TestPrefetchInBatches(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	n := prefetchRows*prefetchRing*2 + 517 // more batches than the ring holds, and a part batch
	for _, gen := range [][]string{
		{"--format", "xlsx", "--dirty"},
		{"--format", "csv", "--encoding", "gbk", "--dirty"},
		{"--format", "xlsx"},
	} {
		path := filepath.Join(dir, "r"+strconv.Itoa(len(gen))+gen[1]+".x")
		if gen[1] == "xlsx" {
			path += "lsx"
		} else {
			path += "csv"
		}
		genRoster(t, append([]string{"firms", "--n", strconv.Itoa(n), "--seed", "3", "--out", path}, gen...)...)
		full, _, err := ReadFirms(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		keeps := func(key, class string) bool { return (len(key)+int(class[0])+int(key[len(key)-2]))%3 == 0 }
		tagOf := func(key, class string) uint64 { return uint64(key[len(key)-1])<<8 | uint64(class[0]) }
		asked := 0
		lean, _, err := ReadFrame(ctx, path, Options{Prefetch: func(key, class string) (bool, uint64) {
			asked++
			if keeps(key, class) {
				return true, tagOf(key, class)
			}
			return false, 0
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(lean.FrameKeys()) != len(full.Firms) || asked < len(lean.FrameKeys()) {
			t.Fatalf("%s: %d frame firms, %d full, Prefetch asked %d times", path, len(lean.FrameKeys()), len(full.Firms), asked)
		}
		at, tags, complete := lean.Tags()
		if !complete {
			t.Fatalf("%s: tags not complete", path)
		}
		var wantAt []int32
		var wantTags []uint64
		for i, f := range full.Firms {
			if f.Key != lean.FrameKeys()[i].Key || f.Row != int(lean.FrameKeys()[i].Row) {
				t.Fatalf("%s: frame firm %d is %s row %d, ReadFirms %s row %d", path, i, lean.FrameKeys()[i].Key, lean.FrameKeys()[i].Row, f.Key, f.Row)
			}
			if keeps(f.Key, f.Class) {
				wantAt, wantTags = append(wantAt, int32(i)), append(wantTags, tagOf(f.Key, f.Class))
			}
		}
		if len(wantAt) < 2*prefetchRows || !reflect.DeepEqual(at, wantAt) || !reflect.DeepEqual(tags, wantTags) {
			t.Fatalf("%s: %d tagged firms, want %d (the same places and tags)", path, len(at), len(wantAt))
		}
		// The kept records are ReadFirms' records: Lookup of the chosen firms needs no file.
		var chosen []FrameKey
		var want []Firm
		for _, i := range at {
			chosen, want = append(chosen, lean.FrameKeys()[i]), append(want, full.Firms[i])
		}
		lean.File = filepath.Join(dir, "gone")
		got, err := lean.Lookup(ctx, chosen)
		if err != nil {
			t.Fatalf("%s: the kept records needed the file: %v", path, err)
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%s: kept record %s differs from ReadFirms':\n%+v\n%+v", path, want[i].Key, got[i], want[i])
			}
		}
	}
}

// A read stopped midway (here Ctrl-C, while batches are in flight) ends Prefetch's goroutine:
// nothing is left running.
func TestPrefetchStopsWithTheRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xlsx")
	genRoster(t, "firms", "--n", strconv.Itoa(prefetchRows*8), "--seed", "4", "--format", "xlsx", "--out", path)
	before := runtime.NumGoroutine()
	for range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		asked := 0
		_, _, err := ReadFrame(ctx, path, Options{Prefetch: func(string, string) (bool, uint64) {
			if asked++; asked == prefetchRows*2+10 {
				cancel()
			}
			return asked%2 == 0, 1
		}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ReadFrame after Ctrl-C: %v", err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Fatalf("%d goroutines before the reads, %d after", before, g)
	}
}
