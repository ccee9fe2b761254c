package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/web"
)

// chromiumPath finds Debian's chromium; without it the browser tests skip, except on CI.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found on CI: .ci/run must install it")
	}
	t.Skip("chromium not installed")
	return ""
}

// browserCtx starts a fresh headless chromium (its own profile, no network services) and
// returns a tab context bounded in time.
func browserCtx(t *testing.T, bin string, timeout time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1366, 900),
	)
	t.Cleanup(acancel)
	tctx, tcancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(tcancel)
	return tctx
}

// TestServeBrowser drives the page in headless chromium as a clerk would — plan, roster,
// seed, draw, lock, notice, verify — once with JavaScript and once without, and checks that
// the page's draw is the CLI's: the same manifest bytes (except created_at, the time of the
// draw, and frame_salt/frame_commitment, random per draw), the same ledger entry, and the CLI's replay of the page's entry says identical.
func TestServeBrowser(t *testing.T) {
	bin := chromiumPath(t)
	if testing.Short() {
		t.Skip("-short")
	}
	rosters, err := filepath.Abs(filepath.Join("..", "..", "testdata", "rosters"))
	if err != nil {
		t.Fatal(err)
	}
	for _, js := range []bool{true, false} {
		name := "js"
		if !js {
			name = "nojs"
		}
		t.Run(name, func(t *testing.T) { browserDraw(t, bin, rosters, js) })
	}
}

func browserDraw(t *testing.T, bin, rosters string, js bool) {
	dir := t.TempDir()
	webDB := filepath.Join(dir, "web.db")
	s, err := web.New(web.Config{DB: webDB, OutDir: filepath.Join(dir, "draws"), ToolVersion: version, Operator: "系统用户", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	ctx := browserCtx(t, bin, 90*time.Second)
	downloads := filepath.Join(dir, "downloads")
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	shots := os.Getenv("CHOUCHA_SCREENSHOTS")
	shot := func(name string) {
		if shots == "" || !js {
			return
		}
		b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	// Plan: filter by district, open task 292.
	do("plan", chromedp.Navigate(ts.URL+"/?district="+"%E6%B2%81%E5%8E%BF"), chromedp.WaitVisible(chromedp.CSS("#tasks")))
	shot("1-plan")
	do("task", chromedp.Click(chromedp.CSS(`a[href="/plan/CZ2026/task/292"]`)), chromedp.WaitVisible(chromedp.ID("upload")))
	if got := text("#ratio-words"); got != "按信用风险分类抽查：A类3%、B类5%、C类7%、D类9%，每年抽查1次" {
		t.Errorf("ratio in words: %q", got)
	}
	// Roster and inspectors: upload, check, strata before the draw.
	do("upload",
		chromedp.SetUploadFiles(chromedp.ID("roster"), []string{filepath.Join(rosters, "qinxian-realestate.xlsx")}),
		chromedp.SetUploadFiles(chromedp.ID("inspectors"), []string{filepath.Join(rosters, "qinxian-inspectors.xlsx")}),
		chromedp.Click(chromedp.ID("upload-go")), chromedp.WaitVisible(chromedp.ID("roster-summary")))
	if got := text("#roster-summary"); !strings.Contains(got, "共 400 行，可抽取 400 户") {
		t.Errorf("summary: %q", got)
	}
	if got := text("#strata tbody"); !strings.Contains(strings.Join(strings.Fields(got), " "), "A类 231 3% 7 B类 134 5% 7 C类 30 7% 3 D类 5 9% 1") {
		t.Errorf("strata: %q", got)
	}
	if got := text("#leftout"); !strings.Contains(got, "杜红") {
		t.Errorf("left out: %q", got)
	}
	shot("2-check")

	// The ceremony: type the seed as the dice fall, the operator, draw.
	do("ceremony", chromedp.Click(chromedp.ID("ceremony-go")), chromedp.WaitVisible(chromedp.ID("seed")))
	do("seed", chromedp.SendKeys(chromedp.ID("seed"), testSeed))
	if js {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#dice .die.set").length`))
		if err != nil || n != 20 {
			t.Errorf("dice shown: %d %v", n, err)
		}
	}
	do("operator", chromedp.SetAttributeValue(chromedp.ID("operator"), "value", ""), chromedp.SendKeys(chromedp.ID("operator"), "张三"))
	shot("3-ceremony")
	do("draw", chromedp.Click(chromedp.ID("draw-go")), chromedp.WaitReady(chromedp.ID("result")))
	if js {
		// The reveal runs; skipping it shows the whole list at once.
		do("skip", chromedp.WaitVisible(chromedp.ID("skip")))
		time.Sleep(1500 * time.Millisecond)
		shot("4-reveal")
		do("skip", chromedp.Click(chromedp.ID("skip")), chromedp.WaitReady(chromedp.CSS(`#result[data-revealed="1"]`)))
	}
	do("list", chromedp.WaitVisible(chromedp.CSS("#result ol.firms li:last-child")))
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.ID("result")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "pending") {
		t.Error("some firms stay hidden")
	}
	if n := strings.Count(html, "data-firm"); n != 36 { // 18 firms + 18 team rows
		t.Errorf("%d firms and teams shown", n)
	}
	if got := text("#seed-shown"); strings.Join(strings.Fields(got), "") != testSeed {
		t.Errorf("seed shown %q", got)
	}
	shot("5-result")

	// Lock.
	do("lock", chromedp.SetAttributeValue(chromedp.CSS("#lock-form input[name=operator]"), "value", "张三"), chromedp.Click(chromedp.ID("lock-go")),
		chromedp.WaitVisible(chromedp.CSS("#lock-state .locked")))

	// Download the notice.
	do("notice", chromedp.Click(chromedp.CSS(`#files a[data-name="抽查任务公告.html"]`)))
	notice := filepath.Join(downloads, "CZ2026-292-r1-抽查任务公告.html")
	var nb []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if nb, err = os.ReadFile(notice); err == nil && bytes.Contains(nb, []byte("</html>")) {
			break
		}
	}
	if !bytes.Contains(nb, []byte(testSeed)) || !bytes.Contains(nb, []byte("抽查任务公告")) {
		t.Fatalf("notice not downloaded: %v", err)
	}

	// Verify the ledger: the head hash on the page is the CLI's.
	do("verify", chromedp.Navigate(ts.URL+"/ledger/verify"), chromedp.WaitVisible(chromedp.ID("head-hash")))
	head := strings.TrimSpace(text("#head-hash"))
	shot("6-verify")
	out, errb, code := cli(t, webDB, "ledger", "verify")
	if code != 0 || !strings.Contains(out+errb, head) || !strings.Contains(text("#verdict"), "台账完好：共 2 条") {
		t.Errorf("verify: page %q, CLI %d %s %s", head, code, out, errb)
	}
	s.Close() // release the ledger before the CLI works on it

	// The CLI's draw of the same inputs.
	t.Chdir(rosters)
	cliDB := filepath.Join(dir, "cli.db")
	if _, errb, code := cli(t, cliDB, "sample", "-q", "--task", "292", "--roster", "qinxian-realestate.xlsx", "--inspectors", "qinxian-inspectors.xlsx",
		"--seed", testSeed, "--operator", "张三", "--out", filepath.Join(dir, "cli-out")); code != 0 {
		t.Fatalf("sample: %s", errb)
	}
	we, ce := ledgerEntry(t, webDB, 1), ledgerEntry(t, cliDB, 1)
	if we.Kind != ce.Kind || we.Task != ce.Task || we.Round != ce.Round || we.Year != ce.Year || we.Seed != ce.Seed ||
		we.Operator != ce.Operator || we.RedrawReason != ce.RedrawReason || strings.Join(we.Keys, ",") != strings.Join(ce.Keys, ",") {
		t.Errorf("ledger entries differ:\nweb %+v\ncli %+v", head3(we), head3(ce))
	}
	// The manifests are the same bytes once the recorded time and the frame commitment's
	// per-draw random salt (and so the commitment) are the same.
	webBytes := we.Manifest
	for _, re := range []string{`"created_at":"[^"]*"`, `"frame_salt":"[^"]*"`, `"frame_commitment":"[^"]*"`} {
		r := regexp.MustCompile(re)
		webBytes = r.ReplaceAllLiteral(webBytes, r.Find(ce.Manifest))
	}
	if !bytes.Equal(webBytes, ce.Manifest) {
		t.Errorf("manifest differs from the CLI's (beyond created_at, frame_salt, frame_commitment):\nweb %s\ncli %s", firstDiff(webBytes, ce.Manifest), firstDiff(ce.Manifest, webBytes))
	}
	var m struct {
		Roster struct{ File string } `json:"roster"`
	}
	_ = json.Unmarshal(we.Manifest, &m)
	if m.Roster.File != "qinxian-realestate.xlsx" {
		t.Errorf("roster recorded as %q", m.Roster.File)
	}
	// The CLI replays the page's draw: identical.
	out, errb, code = cli(t, webDB, "replay", "1", "--roster", "qinxian-realestate-gbk.csv", "--inspectors", "qinxian-inspectors.xlsx")
	if code != 0 || !strings.HasPrefix(out, "一致：台账第 1 条（CZ2026-292 第1轮）") {
		t.Errorf("CLI replay of the page's draw: %d %s %s", code, out, errb)
	}
}

func ledgerEntry(t *testing.T, db string, id int64) ledger.Entry {
	t.Helper()
	l, err := ledger.OpenExisting(db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	e, err := l.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func head3(e ledger.Entry) ledger.Entry { e.Manifest = nil; return e }

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return string(a[max(0, i-60):min(len(a), i+60)])
}

// TestServeCommand starts `choucha serve` as a user would: it prints the address, the page
// answers, a non-local address gets a token, and it stops cleanly.
func TestServeCommand(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args      []string
		wantToken bool
	}{
		{[]string{"serve", "--listen", "127.0.0.1:0"}, false},
		{[]string{"serve", "--listen", "0.0.0.0:0"}, true},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--token", "t0k"}, true},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var errb bytes.Buffer
		done := make(chan int, 1)
		t.Setenv("CHOUCHA_DB", filepath.Join(dir, "c.db"))
		go func() { done <- run(ctx, c.args, pw, &errb); pw.Close() }()
		line, err := bufio.NewReader(pr).ReadString('\n')
		if err != nil {
			cancel()
			t.Fatalf("%v: no address (%v): %s", c.args, err, errb.String())
		}
		url := strings.TrimSpace(line)
		if strings.Contains(url, "?token=") != c.wantToken {
			t.Errorf("%v: address %q", c.args, url)
		}
		url = strings.Replace(url, "0.0.0.0", "127.0.0.1", 1)
		jar, _ := cookiejar.New(nil)
		resp, err := (&http.Client{Jar: jar}).Get(url) // the token becomes a cookie
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%v: GET %s: %d", c.args, url, resp.StatusCode)
		}
		if c.wantToken {
			bare, _, _ := strings.Cut(url, "?")
			resp, err := http.Get(bare)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%v: GET without token: %d", c.args, resp.StatusCode)
			}
		}
		cancel()
		go func() { _, _ = io.Copy(io.Discard, pr) }()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("%v: exit %d: %s", c.args, code, errb.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: serve did not stop", c.args)
		}
	}
	if _, _, code := cli(t, filepath.Join(dir, "c.db"), "serve", "--max-upload", "0"); code != exitUsage {
		t.Errorf("--max-upload 0: exit %d", code)
	}
}

// TestExplorerArgs: a double-click start serves the page, opens the browser and keeps the
// ledger and the draws in Documents\choucha.
func TestExplorerArgs(t *testing.T) {
	docs := t.TempDir()
	dir := filepath.Join(docs, "choucha")
	want := []string{"serve", "--open", "--db", filepath.Join(dir, "choucha.db"), "--out", filepath.Join(dir, "draws")}
	if got := explorerArgsIn(docs); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("explorerArgsIn = %q, want %q", got, want)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Errorf("folder not made: %v", err)
	}
	if runtime.GOOS != "windows" && startedFromExplorer() {
		t.Error("started from Explorer outside Windows")
	}
}
