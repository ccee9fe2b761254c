package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An error leaves the old file and no temp file.
	err := WriteFile(p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("boom")
	})
	if err == nil || err.Error() != "boom" {
		t.Fatalf("err = %v", err)
	}
	// A panic too.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		WriteFile(p, func(w io.Writer) error {
			io.WriteString(w, "half")
			panic("in write")
		})
	}()
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("file changed to %q", b)
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("left behind: %q", got)
	}
	if err := WriteFile(p, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("file is %q", b)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Error("no error for a missing folder")
	}
}

func TestWriteDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "d")
	// A failing fill leaves nothing.
	err := WriteDir(dir, func(tmp string) error {
		if err := os.WriteFile(filepath.Join(tmp, "a"), []byte("a"), 0o644); err != nil {
			return err
		}
		return errors.New("boom")
	})
	if err == nil || err.Error() != "boom" {
		t.Fatalf("err = %v", err)
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("left behind: %q", got)
	}
	if err := WriteDir(dir, func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "a"), []byte("a"), 0o644) }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a")); string(b) != "a" {
		t.Errorf("a = %q", b)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o755 {
		t.Errorf("mode %v", st.Mode())
	}
	// An existing folder is never replaced.
	called := false
	err = WriteDir(dir, func(string) error { called = true; return nil })
	if !errors.Is(err, ErrExists) || called {
		t.Errorf("existing folder: err %v, fill called %v", err, called)
	}
	if got := entries(t, parent); len(got) != 1 {
		t.Errorf("left behind: %q", got)
	}
}

// A temp folder or file left by a killed process is removed by the next write into the same
// folder; one of a running process, and anything not ours, is left alone.
func TestSweepStaleTemps(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no 'true' command to obtain a dead pid")
		}
		t.Skip("no 'true' command to obtain a dead pid")
	}
	dead := cmd.Process.Pid
	stale := filepath.Join(dir, fmt.Sprintf(".choucha-tmp-%d-d1-123", dead))
	staleFile := filepath.Join(dir, fmt.Sprintf(".choucha-tmp-%d-抽查名单.csv-9", dead))
	live := filepath.Join(dir, fmt.Sprintf(".choucha-tmp-%d-d2-456", os.Getppid()))
	foreign := filepath.Join(dir, ".d3.tmp-789")
	for _, d := range []string{stale, live, foreign} {
		if err := os.MkdirAll(filepath.Join(d, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(staleFile, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "out.txt"), func(w io.Writer) error { _, err := io.WriteString(w, "ok"); return err }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, staleFile} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("stale temp %s not removed", filepath.Base(p))
		}
	}
	for _, p := range []string{live, foreign} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}

// TempDir makes a folder named for this process in $TMPDIR and removes there the folders
// of choucha processes that are gone, not those of running ones.
func TestTempDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no 'true' command to obtain a dead pid")
		}
		t.Skip("no 'true' command to obtain a dead pid")
	}
	stale := filepath.Join(tmp, fmt.Sprintf(".choucha-tmp-%d-serve-1", cmd.Process.Pid))
	live := filepath.Join(tmp, fmt.Sprintf(".choucha-tmp-%d-serve-2", os.Getppid()))
	for _, d := range []string{stale, live} {
		if err := os.MkdirAll(filepath.Join(d, "incoming"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	d, err := TempDir("serve")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(d) != tmp || !strings.HasPrefix(filepath.Base(d), fmt.Sprintf(".choucha-tmp-%d-serve-", os.Getpid())) {
		t.Errorf("TempDir made %s", d)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the folder of a process that is gone was kept")
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the folder of a running process was removed: %v", err)
	}
}
