// Package export writes what a draw produces for the field team and the public (一公开):
// Excel-safe CSV (BOM or GBK, formula-injection guard) and XLSX lists, the announcement,
// the result-entry template and per-inspector task sheets. Every file is written to a temp
// file and renamed into place.
//
// # Files of a draw folder
//
// WriteDraw writes manifest.json (the record), 抽查名单.csv and 抽查名单.xlsx (the internal
// list for the field team). Export adds, on request, the public announcement
// (抽查任务公告.html/.csv), the result-entry template (检查结果录入表.xlsx) and the task
// sheets (检查任务单.html/.xlsx).
//
// # Formula injection
//
// Every CSV cell that begins with =, +, -, @, tab or CR is prefixed with an apostrophe
// (Guard; OWASP "CSV Injection"). XLSX cells are not prefixed: they are written as inline
// string cells with the text number format "@", which Excel and WPS never evaluate, even
// after the cell is edited — so a firm named "=HYPERLINK(…)" keeps its exact name in the
// workbook and stays a plain string. Tests pin both.
//
// # What is public
//
// The announcement carries the firm's name, code, registration authority and ticket only:
// never the credit class (分类不公开), the legal representative, a phone number or any
// inspector's personal data. It is rendered from fixed fields, never from roster columns.
package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
)

// Names of the files in a draw folder.
const (
	ManifestFile = "manifest.json"
	ListCSVFile  = "抽查名单.csv"
	ListXLSXFile = "抽查名单.xlsx"
)

// WriteFileAtomic writes path through a temp file in the same folder and renames it into
// place; on any error (or a panic in write) the temp file is removed and path is untouched.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	sweepStale(dir)
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

// Temp files and folders are named ".choucha-tmp-<pid>-<name>-<random>". A process killed
// outright (SIGKILL, power loss) cannot remove its own; the next write into the same folder
// removes those whose process is gone, so a half-written output never outlives the next run.
// Nothing else is ever removed.
const tempMark = ".choucha-tmp-"

func tempPrefix() string { return fmt.Sprintf("%s%d-", tempMark, os.Getpid()) }

// sweepStale removes the temp files and folders of choucha processes that no longer run.
func sweepStale(dir string) {
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

// syncDir makes a rename durable; failure is not an error (some file systems refuse it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// WriteDraw writes a draw's folder: manifest.json, 抽查名单.csv and 抽查名单.xlsx (with a 说明
// sheet and, when the draw has assignments, the teams and one 检查任务单 sheet per
// inspector). The folder is built under a temp name and renamed to dir, which must not exist.
func WriteDraw(dir string, m *draw.Manifest) (err error) {
	if m == nil {
		return errors.New("没有抽取结果可写")
	}
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("抽取目录 %s 已存在，不会覆盖", dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("检查抽取目录 %s: %w", dir, err)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("创建目录 %s: %w", parent, err)
	}
	sweepStale(parent)
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
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{ManifestFile, func(w io.Writer) error { return writeManifest(w, m) }},
		{ListCSVFile, func(w io.Writer) error { return WriteListCSV(w, m, UTF8) }},
		{ListXLSXFile, func(w io.Writer) error { return WriteListXLSX(w, m) }},
	}
	for _, f := range files {
		if err := WriteFileAtomic(filepath.Join(tmp, f.name), f.write); err != nil {
			return fmt.Errorf("写入 %s: %w", f.name, err)
		}
	}
	// A rename onto an existing non-empty folder fails, so a folder made meanwhile is safe.
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("抽取目录 %s 无法就位（是否已存在？）: %w", dir, err)
	}
	done = true
	syncDir(parent)
	return nil
}

func writeManifest(w io.Writer, m *draw.Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("编码抽取记录: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// LoadDraw reads manifest.json from a draw folder (or the manifest file itself).
func LoadDraw(path string) (*draw.Manifest, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("抽取目录或记录 %s 不存在", path)
		}
		return nil, err
	}
	file := path
	if st.IsDir() {
		file = filepath.Join(path, ManifestFile)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s 中没有 %s，不是抽取目录", path, ManifestFile)
		}
		return nil, err
	}
	return ParseManifest(b, file)
}

// ParseManifest decodes and validates a manifest (draw.ParseManifest); name is used in
// messages. Every export goes through it, so nothing is published from a manifest whose list
// does not follow from its seed.
func ParseManifest(b []byte, name string) (*draw.Manifest, error) {
	return draw.ParseManifest(b, name)
}
