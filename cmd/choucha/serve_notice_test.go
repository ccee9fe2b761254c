package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/web"
)

// Tester's report, item 1: the notices downloaded from `choucha serve` (抽查任务公告.csv and
// .html, and the printable /entry/N/notice) lacked the ledger position the CLI export
// carries, so `ledger verify --published` refused them. Both now call
// export.LedgerFactsOf; the web's files are byte for byte the CLI's and verify.
func TestWebNoticePassesVerifyPublished(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "1"))...); code != 0 {
		t.Fatalf("draw: %d %s", code, stderr)
	}
	// A second entry, so that the head at publication is not the draw's own entry.
	if _, stderr, code := cli(t, db, sampleArgs(filepath.Join(dir, "2"), "--task", "291")...); code != 0 {
		t.Fatalf("draw 2: %d %s", code, stderr)
	}
	cliOut := filepath.Join(dir, "cli")
	if _, stderr, code := cli(t, db, "export", "1", "--format", "announce", "--out", cliOut); code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{DB: db, OutDir: filepath.Join(dir, "draws"), Location: loc, ToolVersion: "test", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	get := func(path string) []byte {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.Host = "127.0.0.1:8750"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	downloads := map[string]string{
		"抽查任务公告.csv":  "/entry/1/file/" + url.PathEscape("抽查任务公告.csv"),
		"抽查任务公告.html": "/entry/1/file/" + url.PathEscape("抽查任务公告.html"),
		"notice.html": "/entry/1/notice",
	}
	for name, path := range downloads {
		b := get(path)
		f := filepath.Join(dir, "web-"+name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		pins, err := ledger.ParsePublished(string(b))
		if err != nil || len(pins) != 2 || pins[0].ID != 1 || pins[1].ID != 2 {
			t.Errorf("%s: ledger positions %v %v (want entry 1 and head 2)", name, pins, err)
		}
		if out, stderr, code := cli(t, db, "ledger", "verify", "--published", f); code != 0 {
			t.Errorf("verify --published %s: %d %s%s", name, code, out, stderr)
		}
		if name == "notice.html" {
			continue
		}
		want, err := os.ReadFile(filepath.Join(cliOut, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s: the web download differs from choucha export's file", name)
		}
	}
}

// Tester's report, item 3: serve on a port in use printed Go's "bind: address already in use".
func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	out, stderr, code := cli(t, filepath.Join(t.TempDir(), "c.db"), "serve", "--listen", addr)
	if code != 1 || out != "" || !strings.Contains(stderr, "该端口已被其他程序占用") ||
		!strings.Contains(stderr, "提示: 用 --listen 换一个端口，如 --listen 127.0.0.1:"+strconv.Itoa(n+1)) || strings.Contains(stderr, "address already in use") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
}
