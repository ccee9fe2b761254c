// Package atomicfile writes files and folders so that a reader sees either nothing or the
// whole result: everything is written under a temporary name in the destination's folder and
// renamed into place. Temporaries left by a process that was killed outright are removed by
// the next write into the same folder.
package atomicfile

import (
	"errors"
	"fmt"
	"github.com/choucha/choucha/internal/apperr"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// WriteFile writes path through a temp file in the same folder and renames it into place;
// on any error (or a panic in write) the temp file is removed and path is untouched.
func WriteFile(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	SweepStale(dir)
	f, err := os.CreateTemp(dir, tempPrefix()+base+"-*")
	if err != nil {
		return fmt.Errorf("创建临时文件: %w", err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("写入 %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("写入 %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; outputs are ordinary documents.
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("写入 %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("写入 %s: %w", path, err)
	}
	done = true
	syncDir(dir)
	return nil
}

// ErrExists is returned (wrapped) by WriteDir when the folder is already there.
var ErrExists = errors.New("目录已存在")

// WriteDir builds the folder dir under a temp name beside it (fill receives that temp path
// and writes the folder's files into it) and renames it to dir, which must not exist. On any
// error the temp folder is removed and dir is untouched.
func WriteDir(dir string, fill func(tmp string) error) (err error) {
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%s: %w", dir, ErrExists)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("检查目录: %w", apperr.FromOS(dir, err))
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("创建目录: %w", apperr.FromOS(parent, err))
	}
	SweepStale(parent)
	tmp, err := os.MkdirTemp(parent, tempPrefix()+filepath.Base(dir)+"-*")
	if err != nil {
		return fmt.Errorf("创建临时目录: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		return err
	}
	// A rename onto an existing non-empty folder fails, so a folder made meanwhile is safe.
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("目录 %s 无法就位（是否已存在？）: %w", dir, err)
	}
	done = true
	syncDir(parent)
	return nil
}

// StagedDir is a name beside dir under which a folder can be written now (WriteDir) and
// moved to dir later (MoveDir), e.g. once what it records is committed elsewhere. The name
// is a temp name: a stage left by a killed process is swept like any other.
func StagedDir(dir string) string {
	dir = filepath.Clean(dir)
	return filepath.Join(filepath.Dir(dir), tempPrefix()+filepath.Base(dir)+"-staged")
}

// MoveDir moves the folder staged (StagedDir) to dir, which must not exist (ErrExists), and
// makes the move durable. On failure staged is left as it is.
func MoveDir(staged, dir string) error {
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%s: %w", dir, ErrExists)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("检查目录: %w", apperr.FromOS(dir, err))
	}
	// A rename onto an existing non-empty folder fails, so a folder made meanwhile is safe.
	if err := os.Rename(staged, dir); err != nil {
		return fmt.Errorf("目录 %s 无法就位（是否已存在？）: %w", dir, err)
	}
	syncDir(filepath.Dir(dir))
	return nil
}

// Temp files and folders are named ".choucha-tmp-<pid>-<name>-<random>". A process killed
// outright (SIGKILL, power loss) cannot remove its own; the next write into the same folder
// removes those whose process is gone, so a half-written output never outlives the next run.
// Nothing else is ever removed.
const tempMark = ".choucha-tmp-"

func tempPrefix() string { return fmt.Sprintf("%s%d-", tempMark, os.Getpid()) }

// SweepStale removes the temp files and folders of choucha processes that no longer run.
func SweepStale(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), tempMark)
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// TempDir makes a private working folder for this process in the system's temp folder
// ($TMPDIR), named like the temporaries above (".choucha-tmp-<pid>-<name>-<random>"), after
// removing those that choucha processes killed outright left there. The caller removes it
// when done; if the process is killed first, the next TempDir of any choucha run removes it.
// Every scratch folder choucha makes outside its outputs (the web page's uploads, an xlsx
// unpacked by excelize, a batch rehearsal's ledger copy) is made here.
func TempDir(name string) (string, error) {
	parent := os.TempDir()
	SweepStale(parent)
	dir, err := os.MkdirTemp(parent, tempPrefix()+name+"-*")
	if err != nil {
		return "", fmt.Errorf("创建临时文件夹: %w", apperr.FromOS(parent, err))
	}
	return dir, nil
}

// syncDir makes a rename durable; failure is not an error (some file systems refuse it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
