package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The roster spinner is finished and erased when reading ends, and draws nothing after
// (issue 16: "读取名录" stayed on screen after a draw).
func TestRowProgressCleared(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "tty"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := &globalOptions{ttyErr: f}
	progress, done := rowProgress(g)
	if progress == nil {
		t.Fatal("no progress on a terminal")
	}
	for n := 1; n <= 5; n++ {
		progress(n * 1000)
		time.Sleep(60 * time.Millisecond)
	}
	done()
	st1, _ := f.Stat()
	time.Sleep(400 * time.Millisecond) // four spinner ticks
	st2, _ := f.Stat()
	if st2.Size() != st1.Size() {
		t.Errorf("the spinner drew %d more bytes after reading ended", st2.Size()-st1.Size())
	}
	b, _ := os.ReadFile(f.Name())
	if !strings.Contains(string(b), "读取名录") {
		t.Fatalf("the spinner never drew: %q", b)
	}
	last := string(b)[strings.LastIndex(string(b), "\r")+1:]
	if i := strings.LastIndex(string(b), "读取名录"); i > strings.LastIndex(string(b), "\r") || strings.TrimSpace(last) != "" {
		t.Errorf("the line is not erased at the end: %q", string(b)[max(0, len(b)-120):])
	}
	// --quiet: nothing at all.
	g.quiet = true
	if p, _ := rowProgress(g); p != nil {
		t.Error("progress under --quiet")
	}
}
