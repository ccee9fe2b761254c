package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Issue 18 item 2: `choucha serve` killed at random points (30 times) while a roster is being
// uploaded — before it listens, while the body is read (spooled to disk: the roster is larger
// than what net/http keeps in memory), while it is checked, after it is stored — leaves its
// upload folder and spooled parts in $TMPDIR; the next start removes them. After the kills
// and one clean run the temp folder holds only the running server's folder, and nothing
// once that server stops.
func TestServeCrashUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "c.db")
	// A roster of 10 MB: the real 400 firms, then rows of other codes' copies (reported as
	// bad codes; what matters is the size, past net/http's 8 MB in memory).
	roster := filepath.Join(dir, "名录.csv")
	{
		var b strings.Builder
		b.WriteString(csvHeader)
		for _, l := range realCSVRows() {
			b.WriteString(l + "\n")
		}
		for i := 0; b.Len() < 10<<20; i++ {
			l := realCSVRows()[i%400]
			b.WriteString("X" + strconv.Itoa(i) + l[strings.IndexByte(l, ','):] + "\n")
		}
		if err := os.WriteFile(roster, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	body, ctype := func() ([]byte, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("roster", "名录.csv")
		b, _ := os.ReadFile(roster)
		fw.Write(b)
		mw.Close()
		return buf.Bytes(), mw.FormDataContentType()
	}()

	// run starts a server, uploads the roster and returns the server (still running), the
	// upload's status (0 when it did not get that far) and how long it took.
	run := func(upload bool) (*exec.Cmd, chan int) {
		cmd := child(db, "serve", "--listen", "127.0.0.1:0", "-q")
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		status := make(chan int, 1)
		go func() {
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil {
				status <- 0
				return
			}
			go io.Copy(io.Discard, stdout)
			if !upload {
				status <- http.StatusOK
				return
			}
			status <- uploadRoster(strings.TrimSpace(line), body, ctype)
		}()
		return cmd, status
	}
	start := time.Now()
	cmd, status := run(true)
	if code := <-status; code != http.StatusSeeOther {
		t.Fatalf("upload: status %d", code)
	}
	span := time.Since(start)
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()

	rng := rand.New(rand.NewPCG(18, 5))
	left := 0
	for i := 1; i <= 30; i++ {
		cmd, _ := run(true)
		time.Sleep(time.Duration(rng.Int64N(int64(span) * 5 / 4)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
			left++
		}
	}
	// The kill leaves the upload folder (that is what the sweep is for); a test in which it
	// never did would prove nothing.
	if left == 0 {
		t.Fatal("no kill left an upload folder behind")
	}
	cmd, status = run(true)
	if code := <-status; code != http.StatusSeeOther {
		t.Fatalf("upload after the kills: status %d", code)
	}
	ents, _ := os.ReadDir(tmp)
	want := fmt.Sprintf(".choucha-tmp-%d-serve-", cmd.Process.Pid)
	if len(ents) != 1 || !strings.HasPrefix(ents[0].Name(), want) {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("after %d kills (%d left folders) and a clean start, $TMPDIR holds %v; want only %s…", 30, left, names, want)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("the stopped server left %d entries in $TMPDIR", len(ents))
	}
	t.Logf("30 kills over start and upload of %v; %d left a folder, each removed by the next start", span, left)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// uploadRoster uploads body as task 292's roster to the server at base and returns the
// response status (0 on a failed request).
func uploadRoster(base string, body []byte, ctype string) int {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
	resp, err := c.Get(base + "plan/CZ2026/task/292")
	if err != nil {
		return 0
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(page)
	if m == nil {
		return -resp.StatusCode
	}
	// The token is a form field; it goes first so the server can check it before the file.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary(boundaryOf(ctype))
	mw.WriteField("csrf", string(m[1]))
	req, _ := http.NewRequest("POST", base+"plan/CZ2026/task/292/rosters",
		io.MultiReader(bytes.NewReader(buf.Bytes()), strings.NewReader("\r\n"), bytes.NewReader(body)))
	req.Header.Set("Content-Type", ctype)
	resp, err = c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func boundaryOf(ctype string) string {
	_, b, _ := strings.Cut(ctype, "boundary=")
	return b
}
