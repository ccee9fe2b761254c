package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/atomicfile"
	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
)

// uploadTTL is how long an uploaded file is kept after its last use.
const uploadTTL = 12 * time.Hour

// upload is one uploaded file. Its path is chosen by the server (a random name in the
// server's own temp folder); the name the browser sent is only shown, never opened.
type upload struct {
	ID   string
	Kind string // "roster", "inspectors", "plan"
	Name string // base name as uploaded, for messages and the manifest
	Path string
	Size int64
	used time.Time

	mu      sync.Mutex              // guards the cached reads below
	firms   map[string]*firmRead    // by district and sheet (readFirms)
	inspect map[bool]*inspectorRead // inspector roster, by AssumeValid
}

type firmRead struct {
	frame  *roster.Frame
	report *roster.Report
	err    error
}

type inspectorRead struct {
	list   []roster.Inspector
	report *roster.Report
	err    error
}

type uploadStore struct {
	dir string
	mu  sync.Mutex
	m   map[string]*upload
}

// newUploadStore makes the server's private upload folder (atomicfile.TempDir: a server
// killed outright leaves it behind, and the next start of any choucha removes it). Its
// subfolder multipartDir receives the parts of a request body too large to be held in memory
// while the request is read (see Server.Serve).
func newUploadStore() (*uploadStore, error) {
	dir, err := atomicfile.TempDir("serve")
	if err != nil {
		return nil, fmt.Errorf("建立上传文件的临时文件夹: %w", err)
	}
	if err := os.Mkdir(filepath.Join(dir, multipartDir), 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("建立上传文件的临时文件夹: %w", err)
	}
	return &uploadStore{dir: dir, m: map[string]*upload{}}, nil
}

// multipartDir is the subfolder of the upload folder for request bodies being read.
const multipartDir = "incoming"

func (st *uploadStore) close() {
	st.mu.Lock()
	st.m = map[string]*upload{}
	st.mu.Unlock()
	_ = os.RemoveAll(st.dir)
}

// allowed extensions by kind: what the CLI reads for that input.
var uploadExts = map[string][]string{
	"roster":     roster.Extensions,
	"inspectors": roster.Extensions,
	"plan":       plan.Extensions,
}

// save stores one uploaded file under a server-chosen name.
func (st *uploadStore) save(kind string, fh *multipart.FileHeader) (*upload, error) {
	name := cleanName(fh.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	ok := false
	for _, e := range uploadExts[kind] {
		if ext == e {
			ok = true
		}
	}
	if !ok {
		if kind == "plan" {
			// plan says, for the kinds of file offices have that it cannot read (.wps, PDF …),
			// what to save them as.
			if err := plan.CheckExtension(name); err != nil && apperr.HintOf(err) != "" {
				return nil, err
			}
		}
		return nil, fmt.Errorf("文件 %s 的类型“%s”不支持（可上传 %s）", name, ext, strings.Join(uploadExts[kind], "、"))
	}
	src, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("读取上传的文件 %s: %w", name, err)
	}
	defer src.Close()
	id := RandomToken()
	path := filepath.Join(st.dir, id+ext)
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("保存上传的文件 %s: %w", name, err)
	}
	n, err := io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("保存上传的文件 %s: %w", name, err)
	}
	if n == 0 {
		_ = os.Remove(path)
		return nil, fmt.Errorf("上传的文件 %s 是空的", name)
	}
	u := &upload{ID: id, Kind: kind, Name: name, Path: path, Size: n, used: time.Now()}
	st.mu.Lock()
	st.m[id] = u
	st.mu.Unlock()
	return u, nil
}

// get returns an upload of the kind by its ID.
func (st *uploadStore) get(kind, id string) (*upload, error) {
	if id == "" {
		return nil, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.m[id]
	if u == nil || u.Kind != kind {
		return nil, errors.New("上传的文件已过期或不存在：请重新上传")
	}
	u.used = time.Now()
	return u, nil
}

// sweep removes uploads unused for longer than ttl, and stray files of the folder.
func (st *uploadStore) sweep(ttl time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	keep := map[string]bool{}
	for id, u := range st.m {
		if time.Since(u.used) > ttl {
			delete(st.m, id)
			_ = os.Remove(u.Path)
			continue
		}
		keep[filepath.Base(u.Path)] = true
	}
	ents, _ := os.ReadDir(st.dir)
	for _, e := range ents {
		// Requests being read own their parts in multipartDir; net/http removes them when
		// the request ends.
		if !keep[e.Name()] && e.Name() != multipartDir {
			_ = os.RemoveAll(filepath.Join(st.dir, e.Name()))
		}
	}
}

// cleanName is the base name of an uploaded file as the browser sent it (any folder part
// dropped, control characters removed); it is shown and recorded, never used as a path.
func cleanName(s string) string {
	s = strings.ReplaceAll(s, "\\", "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "�")
	}
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if s == "" || s == "." || s == ".." {
		return "未命名文件"
	}
	if r := []rune(s); len(r) > 120 {
		s = string(r[len(r)-120:])
	}
	return s
}

// named replaces the server's temp path in a message by the uploaded file's name.
func (u *upload) named(err error) error {
	if err == nil {
		return nil
	}
	msg := strings.ReplaceAll(err.Error(), u.Path, u.Name)
	if msg == err.Error() {
		return err
	}
	return &renamedError{msg: msg, err: err}
}

type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }
