package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/sampler"
)

// cancelAfter is a context that is cancelled once its Err has been asked n times: a Ctrl-C
// that lands while the rows are being written.
type cancelAfter struct {
	context.Context
	left  atomic.Int64
	asked atomic.Int64
}

func newCancelAfter(n int64) *cancelAfter {
	c := &cancelAfter{Context: context.Background()}
	c.left.Store(n)
	return c
}

func (c *cancelAfter) Err() error {
	c.asked.Add(1)
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// bigManifest is testManifest with n drawn firms.
func bigManifest(t testing.TB, n int) *draw.Manifest {
	m := testManifest(t, false)
	first := m.Selected[0]
	m.Selected = m.Selected[:0]
	for i := range n {
		s := first
		s.Key = "91140430" + strconv.Itoa(1000000000+i)
		s.Ticket = sampler.Ticket(m.Seed, m.Task, m.Round, s.Key)
		s.Rank = i + 1
		m.Selected = append(m.Selected, s)
	}
	m.Strata[0].Count = n
	return m
}

// Issue 19 item 8: Ctrl-C was ignored while a workbook was written. Cancelled after a few
// checks, WriteDraw stops between rows, returns context.Canceled, and leaves no folder and no
// temporary file or folder; Export likewise.
func TestWriteStopsWhenCancelled(t *testing.T) {
	const firms = 20000
	m := bigManifest(t, firms)
	parent := t.TempDir()
	dir := filepath.Join(parent, "draws", "d")
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	// Uncancelled, the list is checked about firms/rowsPerCheck times.
	full := newCancelAfter(1 << 40)
	start := time.Now()
	if err := WriteDraw(full, filepath.Join(parent, "whole"), m); err != nil {
		t.Fatal(err)
	}
	whole := time.Since(start)
	if n := full.asked.Load(); n < firms/rowsPerCheck {
		t.Fatalf("ctx asked %d times for %d rows", n, firms)
	}

	ctx := newCancelAfter(5) // cancelled after about 1,000 of the 20,000 rows
	start = time.Now()
	err := WriteDraw(ctx, dir, m)
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("WriteDraw: %v", err)
	}
	if got := entries(t, filepath.Dir(dir)); len(got) != 0 {
		t.Errorf("left behind: %q", got)
	}
	// Stopped early: the check after the cancellation is the last one.
	if n := ctx.asked.Load(); n > 10 {
		t.Errorf("ctx asked %d times after the cancellation was seen", n)
	}
	t.Logf("whole folder %v, cancelled %v", whole, took)

	out := filepath.Join(parent, "export")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{FormatXLSX, FormatResults, FormatSheets} {
		paths, err := Export(newCancelAfter(3), out, m, format, Options{}, false)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v", format, err)
		}
		for _, p := range paths {
			os.Remove(p) // an HTML file before the workbook is complete and stays
		}
		for _, e := range entries(t, out) {
			t.Errorf("%s: left behind %s", format, e)
		}
	}
}
