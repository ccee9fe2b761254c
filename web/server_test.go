package web

import (
	"bytes"
	"context"
	"fmt"
	"github.com/xuri/excelize/v2"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/xlsxstream"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
)

const testSeed = "20260401123456789012"

func rosterFile(name string) string { return filepath.Join("..", "testdata", "rosters", name) }

type tserver struct {
	t  *testing.T
	s  *Server
	h  http.Handler
	db string
}

func newTest(t *testing.T, mod func(*Config)) *tserver {
	t.Helper()
	dir := t.TempDir()
	cfg := Config{
		DB: filepath.Join(dir, "choucha.db"), OutDir: filepath.Join(dir, "draws"), ToolVersion: "test",
		Operator: "测试员", Logf: t.Logf,
		Now: testClock(),
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &tserver{t: t, s: s, h: s.Handler(), db: cfg.DB}
}

// testClock starts at 2026-04-01 09:30 UTC and moves one second each time it is read, so
// that each draw gets its own output folder.
func testClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

type resp struct {
	code int
	hdr  http.Header
	body string
}

func (ts *tserver) do(req *http.Request) resp {
	ts.t.Helper()
	if req.Host == "example.com" {
		req.Host = "127.0.0.1:8750"
	}
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	return resp{w.Code, w.Header(), w.Body.String()}
}

func (ts *tserver) get(path string) resp {
	return ts.do(httptest.NewRequest("GET", path, nil))
}

func (ts *tserver) post(path string, form url.Values) resp {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return ts.do(req)
}

// multipart builds a multipart body: fields, then files (field → path on disk, uploaded
// under the name given after a colon, else its base name).
func multipartBody(t *testing.T, fields map[string]string, files map[string]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for field, spec := range files {
		path, name, _ := strings.Cut(spec, ":")
		if name == "" {
			name = filepath.Base(path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fw, _ := mw.CreateFormFile(field, name)
		_, _ = fw.Write(b)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

func (ts *tserver) upload(path string, fields map[string]string, files map[string]string) resp {
	ts.t.Helper()
	if _, ok := fields["csrf"]; !ok {
		fields["csrf"] = ts.s.csrf
	}
	body, ct := multipartBody(ts.t, fields, files)
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", ct)
	return ts.do(req)
}

var idsRE = regexp.MustCompile(`check\?(.*)$`)

// rosters uploads the Qinxian firm (and inspector) rosters for task 292 and returns the
// query naming the uploads.
func (ts *tserver) rosters(withInspectors bool) url.Values {
	ts.t.Helper()
	files := map[string]string{"roster": rosterFile("qinxian-realestate.xlsx")}
	if withInspectors {
		files["inspectors"] = rosterFile("qinxian-inspectors.xlsx")
	}
	r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, files)
	if r.code != http.StatusSeeOther {
		ts.t.Fatalf("upload: %d %s", r.code, r.body)
	}
	m := idsRE.FindStringSubmatch(r.hdr.Get("Location"))
	if m == nil {
		ts.t.Fatalf("upload redirected to %q", r.hdr.Get("Location"))
	}
	q, _ := url.ParseQuery(m[1])
	return q
}

func (ts *tserver) drawForm(q url.Values, seed, prev string) url.Values {
	f := url.Values{"csrf": {ts.s.csrf}, "roster": {q.Get("roster")}, "round": {"1"}, "prev": {prev}, "seed": {seed}, "operator": {"张三"}}
	if q.Get("insp") != "" {
		f.Set("insp", q.Get("insp"))
	}
	return f
}

// entryManifest is the manifest of ledger entry id.
func (ts *tserver) entryManifest(id int64) *draw.Manifest {
	ts.t.Helper()
	l, err := ledger.OpenExisting(ts.db)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer l.Close()
	e, err := l.Get(context.Background(), id)
	if err != nil {
		ts.t.Fatal(err)
	}
	m, err := draw.EntryManifest(e, fmt.Sprintf("第 %d 条", id))
	if err != nil {
		ts.t.Fatal(err)
	}
	return m
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestPlanPages(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.get("/?district=" + url.QueryEscape("沁县") + "&keyword=" + url.QueryEscape("房地产"))
	if r.code != 200 {
		t.Fatalf("%d %s", r.code, r.body)
	}
	mustContain(t, r.body, `/plan/CZ2026/task/292"`, "沁县市场局、住建局对房地产企业明码标价的双随机抽查")
	if strings.Contains(r.body, "<td>潞州区</td>") {
		t.Error("district filter let another district through")
	}
	for _, bad := range []string{"/?month=13", "/?month=x", "/?risk=high", "/?plan=NOPE"} {
		if r := ts.get(bad); r.code != 400 && r.code != 404 {
			t.Errorf("%s: %d", bad, r.code)
		}
	}
	r = ts.get("/plan/CZ2026/task/292")
	mustContain(t, r.body, "CZ2026-292", "A类3%，B类5%，C类7%，D类9% 1次", "按信用风险分类抽查：A类3%、B类5%、C类7%、D类9%，每年抽查1次",
		"沁县市场监管局价监股", "沁县住建局", "县抽县查", "4月至6月", "尚未抽取")
	// A task whose ratio cell has no single reading: the flag and what the draw will need.
	mustContain(t, ts.get("/plan/CZ2026/task/56").body, "需核对（1）", "抽查比例及频次“1次”", "没有规定比例或户数", "计划未写抽查比例")
	if r := ts.get("/plan/CZ2026/task/99999"); r.code != 404 || !strings.Contains(r.body, "没有序号为 99999 的任务") {
		t.Errorf("unknown task: %d", r.code)
	}
	if r := ts.get("/plan/CZ2026/task/abc"); r.code != 400 {
		t.Errorf("bad seq: %d", r.code)
	}
	if r := ts.get("/nowhere"); r.code != 404 {
		t.Errorf("unknown page: %d", r.code)
	}
}

func TestPlanUpload(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.upload("/plans", map[string]string{"plan_id": "CZX"}, map[string]string{"plan": filepath.Join("..", "testdata", "plan", "changzhi-2026.xlsx")})
	if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/plans?lint=CZX" {
		t.Fatalf("%d %q %s", r.code, r.hdr.Get("Location"), r.body)
	}
	r = ts.get("/plans?lint=CZX")
	mustContain(t, r.body, "计划 CZX 的检查报告", "/?plan=CZX")
	if r := ts.get("/?plan=CZX&district=" + url.QueryEscape("沁县")); !strings.Contains(r.body, "/plan/CZX/task/292") {
		t.Error("uploaded plan's tasks not listed")
	}
	// A plan saved from the browser as a page is a plan file too.
	r = ts.upload("/plans", map[string]string{"plan_id": "CZH"}, map[string]string{"plan": filepath.Join("..", "testdata", "plan", "changzhi-2026.html")})
	if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/plans?lint=CZH" {
		t.Fatalf("html plan: %d %q %s", r.code, r.hdr.Get("Location"), r.body)
	}
	// The same ID for other bytes is refused.
	r = ts.upload("/plans", map[string]string{"plan_id": "CZX"}, map[string]string{"plan": rosterFile("luzhou-gas-dirty.traps.tsv") + ":plan.tsv"})
	if r.code != 400 {
		t.Errorf("bad plan: %d", r.code)
	}
	// Wrong type, old xls: the messages say what to do.
	r = ts.upload("/plans", map[string]string{}, map[string]string{"plan": rosterFile("qinxian-realestate.csv")})
	if r.code != 400 || !strings.Contains(r.body, "类型“.csv”不支持") {
		t.Errorf("csv plan: %d", r.code)
	}
	r = ts.upload("/plans", map[string]string{}, map[string]string{"plan": rosterFile("qinxian-realestate.csv") + ":计划.xls"})
	if r.code != 400 || !strings.Contains(r.body, "另存为 .xlsx") {
		t.Errorf("xls plan: %d %s", r.code, r.body)
	}
	r = ts.upload("/plans", map[string]string{}, map[string]string{"plan": rosterFile("qinxian-realestate.csv") + ":计划.pdf"})
	if r.code != 400 || !strings.Contains(r.body, "Word 或 Excel 原件") {
		t.Errorf("pdf plan: %d", r.code)
	}
	// A broken xlsx: the plan reader's message with the uploaded name, never the temp path.
	r = ts.upload("/plans", map[string]string{}, map[string]string{"plan": rosterFile("qinxian-realestate.csv") + ":坏计划.xlsx"})
	if r.code != 400 || !strings.Contains(r.body, "坏计划.xlsx") || strings.Contains(r.body, ts.s.uploads.dir) {
		t.Errorf("broken xlsx plan: %d %s", r.code, r.body)
	}
}

func TestSafety(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.get("/")
	csp := r.hdr.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline' ;") || strings.Contains(strings.SplitN(strings.SplitN(csp, "script-src", 2)[1], ";", 2)[0], "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(r.body) {
		t.Error("inline script on the page")
	}
	// Another Host (DNS rebinding) is refused without a token.
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "evil.example:8750"
	if r := ts.do(req); r.code != 403 {
		t.Errorf("foreign Host: %d", r.code)
	}
	// State changes need the CSRF token.
	form := url.Values{"operator": {"x"}}
	if r := ts.post("/entry/1/lock", form); r.code != 403 || !strings.Contains(r.body, "CSRF") {
		t.Errorf("missing CSRF: %d", r.code)
	}
	form.Set("csrf", strings.Repeat("0", 32))
	if r := ts.post("/entry/1/lock", form); r.code != 403 {
		t.Errorf("wrong CSRF: %d", r.code)
	}
	r = ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{"csrf": "nope"}, map[string]string{"roster": rosterFile("qinxian-realestate.xlsx")})
	if r.code != 403 {
		t.Errorf("wrong CSRF on upload: %d", r.code)
	}
	// A cross-site form is refused even with the token.
	req = httptest.NewRequest("POST", "/entry/1/lock", strings.NewReader(url.Values{"csrf": {ts.s.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	if r := ts.do(req); r.code != 403 {
		t.Errorf("cross-origin post: %d", r.code)
	}
	// GET never changes state: the lock route has no GET.
	if r := ts.get("/entry/1/lock"); r.code != 405 && r.code != 404 {
		t.Errorf("GET lock: %d", r.code)
	}
	// Static files only from the embedded folder.
	if r := ts.get("/static/app.js"); r.code != 200 || !strings.Contains(r.hdr.Get("Content-Type"), "javascript") {
		t.Errorf("app.js: %d %s", r.code, r.hdr.Get("Content-Type"))
	}
	for _, p := range []string{"/static/../server.go", "/static/%2e%2e/server.go", "/entry/1/file/..%2f..%2fchoucha.db"} {
		if r := ts.get(p); r.code == 200 {
			t.Errorf("%s served", p)
		}
	}
}

func TestToken(t *testing.T) {
	ts := newTest(t, func(c *Config) { c.Token = "s3cret" })
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "192.168.1.5:8750"
	if r := ts.do(req); r.code != 401 {
		t.Errorf("no token: %d", r.code)
	}
	req = httptest.NewRequest("GET", "/?token=wrong", nil)
	req.Host = "192.168.1.5:8750"
	if r := ts.do(req); r.code != 403 {
		t.Errorf("wrong token: %d", r.code)
	}
	req = httptest.NewRequest("GET", "/?token=s3cret&district=x", nil)
	req.Host = "192.168.1.5:8750"
	r := ts.do(req)
	if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/?district=x" || !strings.Contains(r.hdr.Get("Set-Cookie"), "choucha_token=s3cret") {
		t.Fatalf("token: %d %q %q", r.code, r.hdr.Get("Location"), r.hdr.Get("Set-Cookie"))
	}
	for _, c := range []string{"choucha_token=s3cret", "choucha_token=other"} {
		req = httptest.NewRequest("GET", "/", nil)
		req.Host = "192.168.1.5:8750"
		req.Header.Set("Cookie", c)
		want := 200
		if c != "choucha_token=s3cret" {
			want = 401
		}
		if r := ts.do(req); r.code != want {
			t.Errorf("cookie %s: %d", c, r.code)
		}
	}
	// Static files need the token too.
	req = httptest.NewRequest("GET", "/static/app.css", nil)
	if r := ts.do(req); r.code != 401 {
		t.Errorf("static without token: %d", r.code)
	}
}

func TestRosterUploadAndCheck(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(true)
	r := ts.get("/plan/CZ2026/task/292/check?" + q.Encode())
	if r.code != 200 {
		t.Fatalf("%d %s", r.code, r.body)
	}
	// By hand from the roster (400 rows, all in 沁县) and the plan (A3 B5 C7 D9, rounded up).
	mustContain(t, r.body, "qinxian-realestate.xlsx", "共 400 行，可抽取 <strong>400</strong> 户", "没有问题行",
		"<td>A类</td><td>231</td><td>3%</td><td>7</td>", "<td>B类</td><td>134</td><td>5%</td><td>7</td>",
		"<td>C类</td><td>30</td><td>7%</td><td>3</td>", "<td>D类</td><td>5</td><td>9%</td><td>1</td>",
		"沁县市场监管局价监股</td><td>沁县市场监督管理局", "沁县住建局</td><td>沁县住房和城乡建设管理局",
		"不能选派的检查人员 3 名", "杜红", "不在岗（在岗状态：休假）", "执法证已于 2026-03-12 到期")

	// A dirty roster: every issue row with its reason.
	r = ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, map[string]string{"roster": rosterFile("luzhou-gas-dirty.xlsx")})
	loc := r.hdr.Get("Location")
	r = ts.get(loc)
	mustContain(t, r.body, "luzhou-gas-dirty.xlsx", `id="issues"`, "other_district")
	// All issue rows as CSV, from the link on the page.
	link := regexp.MustCompile(`href="([^"]*issues\.csv[^"]*)" id="issues-csv"`).FindStringSubmatch(r.body)
	if link == nil {
		t.Fatal("no issues CSV link")
	}
	csvr := ts.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	issues := strings.Count(r.body, "<tr class=\"lv-")
	if csvr.code != 200 || strings.Count(csvr.body, "\r\n") != issues+1 || !strings.Contains(csvr.body, "other_district") {
		t.Errorf("issues CSV: %d, %d lines for %d issues", csvr.code, strings.Count(csvr.body, "\r\n"), issues)
	}
	if strings.Contains(r.body, ts.s.uploads.dir) {
		t.Error("temp path shown")
	}

	// Bad uploads: the CLI's messages, the uploaded name, no temp path.
	cases := []struct{ file, want string }{
		{rosterFile("qinxian-realestate.csv") + ":名录.xls", "另存为 .xlsx"},
		{rosterFile("qinxian-realestate.csv") + ":名录.txt", "类型“.txt”不支持"},
		{rosterFile("qinxian-realestate.csv") + ":坏名录.xlsx", "坏名录.xlsx"},
	}
	for _, c := range cases {
		r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, map[string]string{"roster": c.file})
		if r.code == http.StatusSeeOther {
			r = ts.get(r.hdr.Get("Location"))
		}
		if !strings.Contains(r.body, c.want) || strings.Contains(r.body, ts.s.uploads.dir) {
			t.Errorf("%s: %d, want %q in\n%s", c.file, r.code, c.want, r.body)
		}
	}
	// An empty file, no file, an unknown upload ID.
	empty := filepath.Join(t.TempDir(), "空.csv")
	_ = os.WriteFile(empty, nil, 0o644)
	if r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, map[string]string{"roster": empty}); r.code != 400 || !strings.Contains(r.body, "是空的") {
		t.Errorf("empty: %d", r.code)
	}
	if r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, nil); r.code != 400 || !strings.Contains(r.body, "请选择检查对象名录") {
		t.Errorf("none: %d", r.code)
	}
	if r := ts.get("/plan/CZ2026/task/292/check?roster=deadbeef"); r.code != 400 || !strings.Contains(r.body, "已过期或不存在") {
		t.Errorf("unknown upload: %d", r.code)
	}
	// An upload of one kind is not accepted as another.
	if r := ts.get("/plan/CZ2026/task/292/check?roster=" + q.Get("insp")); r.code != 400 {
		t.Errorf("inspectors as roster: %d", r.code)
	}
}

func TestOversize(t *testing.T) {
	ts := newTest(t, func(c *Config) { c.MaxUpload = 4 << 10 })
	r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, map[string]string{"roster": rosterFile("qinxian-realestate.xlsx")})
	if r.code != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "超过 4 KB 的上限") {
		t.Errorf("oversize: %d %s", r.code, r.body)
	}
	if ents := uploadFiles(ts.s.uploads.dir); len(ents) != 0 {
		t.Errorf("oversize upload left %v", ents)
	}
}

func TestDrawLockRedraw(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(true)
	r := ts.get("/plan/CZ2026/task/292/ceremony?" + q.Encode())
	mustContain(t, r.body, `name="seed"`, `name="prev" value="0"`, `id="operator" value="测试员"`)

	// Seed errors are the sampler's messages.
	if r := ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, "123", "0")); r.code != 400 || !strings.Contains(r.body, "种子只有 3 位数字，至少要 20 位") {
		t.Errorf("short seed: %d", r.code)
	}
	f := ts.drawForm(q, testSeed, "0")
	f.Set("operator", " ")
	if r := ts.post("/plan/CZ2026/task/292/draw", f); r.code != 400 || !strings.Contains(r.body, "请填写操作人") {
		t.Errorf("no operator: %d", r.code)
	}

	r = ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, testSeed, "0"))
	if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/entry/1?reveal=1" {
		t.Fatalf("draw: %d %q %s", r.code, r.hdr.Get("Location"), r.body)
	}
	l, err := ledger.OpenExisting(ts.db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	e, err := l.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := draw.EntryManifest(e, "第 1 条")
	if err != nil {
		t.Fatal(err)
	}
	// README: the first firm of stratum A and its ticket; 7+7+3+1 firms.
	if len(m.Selected) != 18 || m.Selected[0].Key != "91140430MA9A3GNL0Y" || !strings.HasPrefix(m.Selected[0].Ticket, "000ee787cf35") {
		t.Errorf("draw: %d firms, first %+v", len(m.Selected), m.Selected[0])
	}
	if e.Operator != "张三" || m.Roster.File != "qinxian-realestate.xlsx" || m.Inspectors.File != "qinxian-inspectors.xlsx" || len(m.Assignments) != 18 {
		t.Errorf("entry: operator %q roster %q inspectors %q teams %d", e.Operator, m.Roster.File, m.Inspectors.File, len(m.Assignments))
	}
	r = ts.get("/entry/1?reveal=1")
	mustContain(t, r.body, `data-reveal="1"`, "91140430MA9A3GNL0Y", "长治市沁县盛世锦地产房地产开发有限公司", "检查组", "尚未锁定", "不能选派的检查人员 3 名")
	// "Draw again" leads to the ceremony with the same rosters, now knowing entry 1.
	again := regexp.MustCompile(`href="([^"]*/ceremony\?[^"]*)"`).FindStringSubmatch(r.body)
	if again == nil {
		t.Fatal("no draw-again link")
	}
	mustContain(t, ts.get(strings.ReplaceAll(again[1], "&amp;", "&")).body, `name="prev" value="1"`, `name="insp" value="`+q.Get("insp")+`"`, "本轮已抽取 1 次")

	// A second tab made for the round before the first draw: refused, shown the round now.
	r = ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, "11112222333344445555", "0"))
	if r.code != http.StatusConflict || !strings.Contains(r.body, "已由台账第 1 条抽取") || !strings.Contains(r.body, `name="prev" value="1"`) {
		t.Errorf("stale tab: %d", r.code)
	}
	// Times in local time (Beijing when no zone is configured), as the README promises: the
	// draw was at 09:30:xx UTC (testClock moves a second each time a page reads it).
	if !regexp.MustCompile(`已由台账第 1 条抽取（操作人 张三，2026-04-01 17:30:\d\d (\+|&#43;)08:00）`).MatchString(r.body) || strings.Contains(r.body, "T09:30") {
		t.Errorf("stale tab: the time of the draw is not shown in local time:\n%s", r.body)
	}

	// Lock; then a redraw needs a reason (the ledger's rule), with one it is recorded.
	if r := ts.post("/entry/1/lock", url.Values{"csrf": {ts.s.csrf}, "operator": {"李四"}}); r.code != http.StatusSeeOther {
		t.Fatalf("lock: %d %s", r.code, r.body)
	}
	mustContain(t, ts.get("/entry/1").body, "已锁定为本轮最终名单")
	if r := ts.post("/entry/1/lock", url.Values{"csrf": {ts.s.csrf}, "operator": {"李四"}}); r.code != http.StatusConflict {
		t.Errorf("second lock: %d", r.code)
	}
	if r := ts.post("/entry/2/lock", url.Values{"csrf": {ts.s.csrf}, "operator": {"李四"}}); r.code != 400 {
		t.Errorf("lock of a lock: %d", r.code)
	}
	r = ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, "11112222333344445555", "1"))
	if r.code != http.StatusConflict || !strings.Contains(r.body, "已于台账第 1 条锁定") {
		t.Errorf("redraw without reason: %d %s", r.code, r.body)
	}
	f = ts.drawForm(q, "11112222333344445555", "1")
	f.Set("redraw_reason", "名录有误，重新导出后重抽")
	r = ts.post("/plan/CZ2026/task/292/draw", f)
	if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/entry/3?reveal=1" {
		t.Fatalf("redraw: %d %s", r.code, r.body)
	}
	e3, _ := l.Get(context.Background(), 3)
	if e3.RedrawReason != "名录有误，重新导出后重抽" {
		t.Errorf("reason %q", e3.RedrawReason)
	}
	r = ts.get("/ledger")
	mustContain(t, r.body, "已锁定", "第2次抽取", "理由：名录有误，重新导出后重抽")
	r = ts.get("/plan/CZ2026/task/292")
	mustContain(t, r.body, `<a href="/entry/1">第 1 条</a>`, `<a href="/entry/3">第 3 条</a>`)
}

// TestTwoTabs: two tabs submit the same round at once; exactly one draws, the other is told.
func TestTwoTabs(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(false)
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, fmt.Sprintf("%020d", i+1), "0")).code
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != len(codes)-1 {
		t.Errorf("codes %v", codes)
	}
}

func TestAfterDraw(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(true)
	if r := ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, testSeed, "0")); r.code != http.StatusSeeOther {
		t.Fatal(r.body)
	}
	r := ts.get("/entry/1")
	for _, name := range []string{"抽查任务公告.html", "抽查任务公告.csv", "检查结果录入表.xlsx", "检查任务单.html", "检查任务单.xlsx", "抽查名单.csv", "抽查名单.xlsx", "manifest.json"} {
		mustContain(t, strings.ToUpper(r.body), strings.ToUpper("/entry/1/file/"+url.PathEscape(name)))
		fr := ts.get("/entry/1/file/" + url.PathEscape(name))
		if fr.code != 200 || len(fr.body) < 200 || !strings.Contains(fr.hdr.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %d %d bytes %q", name, fr.code, len(fr.body), fr.hdr.Get("Content-Disposition"))
		}
	}
	if r := ts.get("/entry/1/file/" + url.PathEscape("别的.xlsx")); r.code != 404 {
		t.Errorf("unknown file: %d", r.code)
	}
	man := ts.get("/entry/1/file/manifest.json").body
	l, _ := ledger.OpenExisting(ts.db)
	defer l.Close()
	e, _ := l.Get(context.Background(), 1)
	// The ledger's stored form, expanded with its drawn-firm list: the manifest's canonical bytes.
	full, err := draw.EntryManifestBytes(e, "第 1 条")
	if err != nil || man != string(full) {
		t.Errorf("manifest download differs from the ledger's bytes (%v)", err)
	}
	if !strings.Contains(string(e.Manifest), `"selected":null`) || !strings.Contains(man, `"selected":[{"key":`) {
		t.Error("the ledger should chain the stored form and the download be the whole manifest")
	}
	n := ts.get("/entry/1/notice")
	mustContain(t, n.body, "抽查任务公告", testSeed, "长治市2026年度部门联合双随机抽查工作计划")
	// Every notice carries the draw's ledger position, as choucha export's does (tester's item 1).
	mustContain(t, n.body, "台账条目", "台账头（公布时）", "第1条:")
	mustContain(t, ts.get("/entry/1/file/"+url.PathEscape("抽查任务公告.csv")).body, "台账条目", "第1条:")
	if strings.Contains(n.body, "杜红") || strings.Contains(n.body, "赖涵") {
		t.Error("notice shows inspectors")
	}
	// Verify: the head hash the ledger computes, shown large.
	res, _ := l.Verify(context.Background())
	v := ts.get("/ledger/verify")
	mustContain(t, v.body, "台账完好：共 1 条，最新为第 1 条", `<p class="head-hash" id="head-hash">`+res.Head+"</p>")

	// Replay with another file of the same roster (GBK CSV): identical.
	rr := ts.upload("/entry/1/replay", map[string]string{}, map[string]string{"roster": rosterFile("qinxian-realestate-gbk.csv"), "inspectors": rosterFile("qinxian-inspectors.xlsx")})
	mustContain(t, rr.body, "一致：重放结果与记录相同（18 户）", "名录文件与记录不同，但可抽取范围（frame_sha256）相同")
	rr = ts.upload("/entry/1/replay", map[string]string{}, map[string]string{"roster": rosterFile("qinxian-realestate.csv")})
	if rr.code != 400 || !strings.Contains(rr.body, "同时选派了检查人员") {
		t.Errorf("replay without inspectors: %d", rr.code)
	}
	// A roster of another district: different.
	rr = ts.upload("/entry/1/replay", map[string]string{}, map[string]string{"roster": rosterFile("tunliu-firms.csv"), "inspectors": rosterFile("qinxian-inspectors.xlsx")})
	mustContain(t, rr.body, "不一致：重放结果与记录不同")

	for _, p := range []string{"/entry/0", "/entry/x", "/entry/99"} {
		if r := ts.get(p); r.code != 400 && r.code != 404 {
			t.Errorf("%s: %d", p, r.code)
		}
	}
}

func TestNoLedgerYet(t *testing.T) {
	ts := newTest(t, nil)
	mustContain(t, ts.get("/ledger").body, "还没有抽取台账")
	mustContain(t, ts.get("/ledger/verify").body, "还没有抽取台账")
	if r := ts.get("/entry/1"); r.code != 404 {
		t.Errorf("entry: %d", r.code)
	}
	if _, err := os.Stat(ts.db); err == nil {
		t.Error("reading pages created the ledger")
	}
}

func TestUploadSweep(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(false)
	stray := filepath.Join(ts.s.uploads.dir, "stray.tmp")
	_ = os.WriteFile(stray, []byte("x"), 0o600)
	ts.s.uploads.sweep(time.Hour)
	if _, err := os.Stat(stray); err == nil {
		t.Error("stray file kept")
	}
	if u, err := ts.s.uploads.get("roster", q.Get("roster")); err != nil || u == nil {
		t.Fatal("fresh upload swept")
	}
	ts.s.uploads.sweep(-time.Second)
	if _, err := ts.s.uploads.get("roster", q.Get("roster")); err == nil {
		t.Error("old upload kept")
	}
	if ents := uploadFiles(ts.s.uploads.dir); len(ents) != 0 {
		t.Errorf("left: %v", ents)
	}
}

// uploadFiles lists what the upload folder holds besides its (empty) folder for request
// bodies being read.
func uploadFiles(dir string) []string {
	var names []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() == multipartDir {
			in, _ := os.ReadDir(filepath.Join(dir, e.Name()))
			for _, f := range in {
				names = append(names, filepath.Join(e.Name(), f.Name()))
			}
			continue
		}
		names = append(names, e.Name())
	}
	return names
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\张三\名录.xlsx`: "名录.xlsx",
		"../../etc/passwd":    "passwd",
		"a\x00b\nc.csv":       "abc.csv",
		"..":                  "未命名文件",
		"":                    "未命名文件",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8750": true, "localhost:1": true, "[::1]:80": true, "0.0.0.0:8750": false, ":8750": false, "192.168.1.2:80": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%q) != %v", addr, want)
		}
	}
}

// TestRatioOverride: a task whose plan gives no ratio (56: “1次”) needs one at the draw, and
// it is recorded.
func TestRatioOverride(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.upload("/plan/CZ2026/task/56/rosters", map[string]string{}, map[string]string{"roster": rosterFile("shangdang-firms.csv")})
	loc := r.hdr.Get("Location")
	r = ts.get(loc)
	mustContain(t, r.body, `id="strata-error"`, `name="ratio" id="ratio"`, "计划需核对：抽查比例及频次“1次”")
	r = ts.get(loc + "&ratio=10")
	if !strings.Contains(r.body, "<td>10%</td>") || strings.Contains(r.body, `id="strata-error"`) {
		t.Errorf("strata at 10%%:\n%s", r.body)
	}
	q, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
	f := ts.drawForm(q, testSeed, "0")
	if r := ts.post("/plan/CZ2026/task/56/draw", f); r.code != 400 {
		t.Errorf("draw without ratio: %d", r.code)
	}
	f.Set("ratio", "10")
	if r := ts.post("/plan/CZ2026/task/56/draw", f); r.code != http.StatusSeeOther {
		t.Fatalf("draw at 10%%: %d %s", r.code, r.body)
	}
	m := ts.entryManifest(1)
	if m.RatioGiven != "10" || m.Strata[0].Ratio != "10" {
		t.Errorf("recorded ratio %q, strata %+v", m.RatioGiven, m.Strata)
	}
}

// TestRunning: a second start can tell that the page is already served at the address.
func TestRunning(t *testing.T) {
	ts := newTest(t, nil)
	srv := httptest.NewServer(ts.h)
	addr := strings.TrimPrefix(srv.URL, "http://")
	if !Running(addr) {
		t.Error("running page not recognised")
	}
	other := httptest.NewServer(http.NotFoundHandler())
	if Running(strings.TrimPrefix(other.URL, "http://")) {
		t.Error("another server taken for choucha")
	}
	other.Close()
	srv.Close()
	if Running(addr) {
		t.Error("closed address taken for choucha")
	}
}

// TestAssumeValid: inspectors without a recorded 执法证有效期 are drawn only when the clerk
// says to take them as valid (sample --assume-valid), and that is recorded.
func TestAssumeValid(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.upload("/plan/CZ2026/task/301/rosters", map[string]string{}, map[string]string{
		"roster": filepath.Join("..", "testdata", "rosters", "forms", "pingshun-export.xlsx"), "inspectors": filepath.Join("..", "testdata", "rosters", "forms", "pingshun-inspectors-novalidity.xlsx")})
	loc := r.hdr.Get("Location")
	r = ts.get(loc)
	mustContain(t, r.body, `id="assume-form"`, "12 名人员没有登记执法证有效期，不能选派")
	if strings.Contains(r.body, `id="matches"`) {
		t.Error("teams offered without valid inspectors")
	}
	r = ts.get(loc + "&assume_valid=1")
	mustContain(t, r.body, "已视为有效（记入台账）", `id="matches"`, `name="assume_valid" value="1"`)
	q, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
	f := ts.drawForm(q, testSeed, "0")
	if r := ts.post("/plan/CZ2026/task/301/draw", f); r.code != 400 {
		t.Errorf("draw without valid inspectors: %d", r.code)
	}
	f.Set("assume_valid", "1")
	if r := ts.post("/plan/CZ2026/task/301/draw", f); r.code != http.StatusSeeOther {
		t.Fatalf("draw assuming valid: %d %s", r.code, r.body)
	}
	l, _ := ledger.OpenExisting(ts.db)
	defer l.Close()
	e, _ := l.Get(context.Background(), 1)
	m, err := draw.EntryManifest(e, "第 1 条")
	if err != nil {
		t.Fatal(err)
	}
	if m.Inspectors == nil || !m.Inspectors.AssumeValid || len(m.Assignments) == 0 {
		t.Errorf("recorded inspectors %+v, %d teams", m.Inspectors, len(m.Assignments))
	}
}

// TestRatioFrequency: a --ratio written with its frequency (每季度10%) gives task 56 (“1次”, a
// round a year in the plan; 5月—10月, which touches the second, third and fourth quarters)
// three rounds on the check page; round 3 is drawn and recorded, and the task page lists it
// although the plan has one round.
func TestRatioFrequency(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.upload("/plan/CZ2026/task/56/rosters", map[string]string{}, map[string]string{"roster": rosterFile("shangdang-firms.csv")})
	loc := r.hdr.Get("Location")
	if r = ts.get(loc); strings.Contains(r.body, `<option value="2"`) {
		t.Errorf("a second round without a frequency:\n%s", r.body)
	}
	r = ts.get(loc + "&ratio=" + url.QueryEscape("每季度10%"))
	mustContain(t, r.body, `<option value="3"`, "<td>10%</td>")
	if strings.Contains(r.body, `<option value="4"`) || strings.Contains(r.body, `id="strata-error"`) {
		t.Errorf("check page at 每季度10%%:\n%s", r.body)
	}
	q, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
	f := ts.drawForm(q, testSeed, "0")
	f.Set("round", "3")
	if r := ts.post("/plan/CZ2026/task/56/draw", f); r.code != 400 {
		t.Errorf("round 3 without the frequency: %d", r.code)
	}
	f.Set("ratio", "每季度10%")
	if r := ts.post("/plan/CZ2026/task/56/draw", f); r.code != http.StatusSeeOther {
		t.Fatalf("round 3 at 每季度10%%: %d %s", r.code, r.body)
	}
	m := ts.entryManifest(1)
	if m.Round != 3 || m.RatioGiven != "每季度10%" || m.TaskInfo.Rounds != 3 || m.Strata[0].Ratio != "10" {
		t.Errorf("recorded round %d, ratio %q, rounds %d, strata %+v", m.Round, m.RatioGiven, m.TaskInfo.Rounds, m.Strata)
	}
	r = ts.get("/plan/CZ2026/task/56")
	mustContain(t, r.body, `<td>第3轮</td><td><a href="/entry/1">第 1 条</a>`)
}

// TestLevelHint: the task page of a task given by level (广州 生态环境, a published plan) says
// which --ratio draws a level, as plan show does; a task without levels says nothing of it.
func TestLevelHint(t *testing.T) {
	ts := newTest(t, nil)
	r := ts.upload("/plans", map[string]string{"plan_id": "GZ"}, map[string]string{"plan": filepath.Join("..", "testdata", "plans", "guangzhou-env.tsv")})
	if r.code != http.StatusSeeOther {
		t.Fatalf("%d %s", r.code, r.body)
	}
	r = ts.get("/plan/GZ/task/1")
	mustContain(t, r.body, `id="level-hint"`, "在“抽查比例”一栏写明所抽一级的比例和频次，如 每季度12.5%")
	if r = ts.get("/plan/CZ2026/task/56"); strings.Contains(r.body, `id="level-hint"`) {
		t.Errorf("task 56 has a level hint:\n%s", r.body)
	}
}

// TestPlanDistrict: a plan whose table has no 地市 column, uploaded with the district its
// tasks belong to (as --plan-district), and without it (the title's place).
func TestPlanDistrict(t *testing.T) {
	ts := newTest(t, nil)
	file := filepath.Join("..", "testdata", "plans", "linyi-2023-build.tsv")
	r := ts.upload("/plans", map[string]string{"plan_id": "LY", "plan_district": "屯留区"}, map[string]string{"plan": file})
	if r.code != http.StatusSeeOther {
		t.Fatalf("%d %s", r.code, r.body)
	}
	p, ok := ts.s.plan("LY")
	if !ok || p.Tasks[3].District != "屯留区" {
		t.Fatalf("plan LY %v: task 4 district %q, want 屯留区", ok, p.Tasks[3].District)
	}
	r = ts.upload("/plans", map[string]string{"plan_id": "LY2"}, map[string]string{"plan": file})
	if r.code != http.StatusSeeOther {
		t.Fatalf("%d %s", r.code, r.body)
	}
	if p, _ := ts.s.plan("LY2"); p == nil || p.Tasks[3].District != "临沂市" {
		t.Fatalf("plan LY2: task 4 district, want 临沂市 (the title's)")
	}
}

// Tester's report, item 8: the page showed stored UTC times (2026-12-07T12:28:02Z); it shows
// them in the server's zone (serve --tz), with the offset, as the CLI's tables do.
func TestTimesInLocalZone(t *testing.T) {
	urumqi := time.FixedZone("UTC+6", 6*3600)
	ts := newTest(t, func(c *Config) { c.Location = urumqi })
	q := ts.rosters(false)
	if r := ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, testSeed, "0")); r.code != http.StatusSeeOther {
		t.Fatal(r.body)
	}
	stale := ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, "11112222333344445555", "0"))
	for name, body := range map[string]string{
		"stale tab": stale.body, "ledger": ts.get("/ledger").body, "entry": ts.get("/entry/1").body, "task": ts.get("/plan/CZ2026/task/292").body,
	} {
		if !regexp.MustCompile(`2026-04-01 15:30:0\d (\+|&#43;)06:00`).MatchString(body) || strings.Contains(body, "T09:30") {
			t.Errorf("%s: times not in the server's zone: %q", name, regexp.MustCompile(`2026-04-0[^<]{0,20}`).FindAllString(body, 3))
		}
	}
}

// A workbook of several sheets, the first hidden: the check page says which sheet it read and
// how to use another on the page (it has no --sheet), and counts the rows as the CLI does.
func TestCheckSaysWhichSheet(t *testing.T) {
	f, err := excelize.OpenFile(rosterFile("qinxian-realestate.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.NewSheet("旧名录"); err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellValue("旧名录", "A1", "统一社会信用代码")
	if err := f.MoveSheet("旧名录", f.GetSheetName(0)); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetVisible("旧名录", false); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "两张表.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	ts := newTest(t, nil)
	r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, map[string]string{"roster": p})
	r = ts.get(r.hdr.Get("Location"))
	mustContain(t, r.body, "共 400 行，可抽取 <strong>400</strong> 户；排除 0 行，重复合并 0 行，其他区县 0 行",
		"读取工作表“", "（另有工作表：“旧名录”（隐藏））", "网页读取第一张可见的工作表")
	if strings.Contains(r.body, "--sheet") {
		t.Errorf("the page names --sheet, which it does not have")
	}
}

// A replay on the page reads the sheet its draw recorded (roster.sheet), as choucha replay
// does: a draw made with --sheet from a workbook whose first sheet is a note, replayed with
// the same workbook uploaded, agrees.
func TestReplayReadsRecordedSheet(t *testing.T) {
	ts := newTest(t, nil)
	var rows [][]string
	if err := xlsxstream.Scan(context.Background(), rosterFile("qinxian-realestate.xlsx"), "", func(_ int, cells []string) error {
		rows = append(rows, slices.Clone(cells))
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "说明")
	f.SetCellValue("说明", "A1", "本名录由县局导出，第二个工作表为名录")
	f.NewSheet("名录")
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("名录", cell, &vals)
	}
	book := filepath.Join(t.TempDir(), "名录.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	_, err = draw.Record(context.Background(), draw.RecordRequest{
		Plan: p, TaskSeq: 292, Round: 1, Seed: testSeed, Roster: draw.RosterInput{File: book, Sheet: "名录"},
		Ledger: ts.db, Out: filepath.Join(t.TempDir(), "d1"), WriteDraw: export.WriteDraw,
		Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), ToolVersion: "test", Operator: "张三",
	})
	if err != nil {
		t.Fatal(err)
	}
	rr := ts.upload("/entry/1/replay", map[string]string{}, map[string]string{"roster": book})
	mustContain(t, rr.body, "一致：重放结果与记录相同（18 户）")
}

// uploadPlan reads a plan of testdata/plans under its own file name and returns its ID.
func (ts *tserver) uploadPlan(name string, fields map[string]string) string {
	ts.t.Helper()
	r := ts.upload("/plans", fields, map[string]string{"plan": filepath.Join("..", "testdata", "plans", name)})
	if r.code != http.StatusSeeOther {
		ts.t.Fatalf("plan %s: %d %s", name, r.code, r.body)
	}
	return strings.TrimPrefix(r.hdr.Get("Location"), "/plans?lint=")
}

// TestTaskParts: 青山's 2024 plan has two tasks under 序号 1 (1.1, 1.2: rows with their own
// ratio). The page lists them as plan list does and every page of a part — task, check,
// ceremony, draw — reaches it; the draw records the part, not a refusal asking for --task.
func TestTaskParts(t *testing.T) {
	ts := newTest(t, nil)
	id := ts.uploadPlan("qingshan-2024.tsv", map[string]string{})
	r := ts.get("/?plan=" + id)
	mustContain(t, r.body, `href="/plan/qingshan-2024/task/1.1"`, `href="/plan/qingshan-2024/task/1.2"`, "<td>1.2</td>")
	r = ts.get("/plan/qingshan-2024/task/1.2")
	if r.code != 200 {
		t.Fatalf("task 1.2: %d %s", r.code, r.body)
	}
	mustContain(t, r.body, "qingshan-2024-1.2", `action="/plan/qingshan-2024/task/1.2/rosters"`)
	r = ts.upload("/plan/qingshan-2024/task/1.2/rosters", map[string]string{}, map[string]string{"roster": rosterFile("qinxian-realestate.xlsx")})
	loc := r.hdr.Get("Location")
	if r.code != http.StatusSeeOther || !strings.HasPrefix(loc, "/plan/qingshan-2024/task/1.2/check?") {
		t.Fatalf("upload: %d %q %s", r.code, loc, r.body)
	}
	r = ts.get(loc + "&window=" + url.QueryEscape("3月—6月"))
	mustContain(t, r.body, `action="/plan/qingshan-2024/task/1.2/ceremony"`, "<td>20%</td>")
	if r = ts.get(strings.Replace(loc, "/check?", "/ceremony?", 1) + "&window=" + url.QueryEscape("3月—6月")); r.code != 200 {
		t.Fatalf("ceremony: %d %s", r.code, r.body)
	}
	mustContain(t, r.body, `action="/plan/qingshan-2024/task/1.2/draw"`)
	q, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
	f := ts.drawForm(q, testSeed, "0")
	f.Set("window", "3月—6月")
	if r := ts.post("/plan/qingshan-2024/task/1.2/draw", f); r.code != http.StatusSeeOther {
		t.Fatalf("draw: %d %s", r.code, r.body)
	}
	if m := ts.entryManifest(1); m.Task != "qingshan-2024-1.2" {
		t.Errorf("recorded task %q", m.Task)
	}
	// Only a 序号 with several tasks is ambiguous.
	if r := ts.get("/plan/qingshan-2024/task/1"); r.code != 404 || !strings.Contains(r.body, "qingshan-2024-1.1、qingshan-2024-1.2") {
		t.Errorf("task 1: %d", r.code)
	}
}

// TestPlanUploadChineseName: a plan uploaded as 亳州计划.tsv gets the ID its title gives, as
// --plan 亳州计划.tsv does, and the same again when uploaded twice; a name and title that give
// none (黄石's title has no year) are refused with the form's field to fill in. The page
// used to derive the ID from the server's random name for the upload.
func TestPlanUploadChineseName(t *testing.T) {
	ts := newTest(t, nil)
	bozhou := filepath.Join("..", "testdata", "plans", "bozhou-2024.tsv")
	want, _ := plan.TitleID("亳州市市场监管领域2024年度“一业一查”部门联合抽查工作计划")
	for range 2 {
		r := ts.upload("/plans", map[string]string{}, map[string]string{"plan": bozhou + ":亳州计划.tsv"})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/plans?lint="+want {
			t.Fatalf("%d %q, want /plans?lint=%s", r.code, r.hdr.Get("Location"), want)
		}
	}
	if n := len(ts.s.planList()); n != 2 {
		t.Errorf("%d plans after uploading one twice, want 2 (with CZ2026)", n)
	}
	long := strings.Repeat("黄石市2024年度部门联合双随机一公开监管工作抽查计划表", 6) + ".tsv"
	r := ts.upload("/plans", map[string]string{}, map[string]string{"plan": filepath.Join("..", "testdata", "plans", "huangshi-2024-land.tsv") + ":" + long})
	if r.code != 400 {
		t.Fatalf("no ID: %d %q", r.code, r.hdr.Get("Location"))
	}
	mustContain(t, r.body, "无法从文件名或标题得出计划编号")
}

// TestLedgerListAsCLI: the ledger page shows each draw's number of firms (it showed 0: the
// keys of a listed entry are not read) and the lock and redraw columns in choucha ledger's
// words, a superseded lock naming the draw that replaced it.
func TestLedgerListAsCLI(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(false)
	if r := ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, testSeed, "0")); r.code != http.StatusSeeOther {
		t.Fatalf("draw: %d %s", r.code, r.body)
	}
	n := len(ts.entryManifest(1).Selected)
	if r := ts.post("/entry/1/lock", url.Values{"csrf": {ts.s.csrf}, "operator": {"李四"}}); r.code != http.StatusSeeOther {
		t.Fatalf("lock: %d", r.code)
	}
	f := ts.drawForm(q, "98765432109876543210", "1")
	f.Set("redraw_reason", "名录有误")
	if r := ts.post("/plan/CZ2026/task/292/draw", f); r.code != http.StatusSeeOther {
		t.Fatalf("redraw: %d %s", r.code, r.body)
	}
	if r := ts.post("/entry/3/lock", url.Values{"csrf": {ts.s.csrf}, "operator": {"李四"}}); r.code != http.StatusSeeOther {
		t.Fatalf("lock 3: %d", r.code)
	}
	r := ts.get("/ledger")
	mustContain(t, r.body, fmt.Sprintf("<td>%d</td><td>曾锁定，已由第3条取代</td>", n),
		fmt.Sprintf("<td>%d</td><td>已锁定</td><td>第2次抽取，理由：名录有误</td>", n))
	if n == 0 || strings.Contains(r.body, "<td>0</td><td>") {
		t.Errorf("a draw listed with 0 firms:\n%s", r.body)
	}
}

// TestLintAsCLI: the plan's check report says what plan lint says of each finding — the task
// as --task names it (1.1 and 1.2 are two tasks), the plan file's row and the column — and
// ends with the count of each kind; a plan without a title can still be opened from the list.
func TestLintAsCLI(t *testing.T) {
	ts := newTest(t, nil)
	id := ts.uploadPlan("qingshan-2024.tsv", map[string]string{})
	r := ts.get("/plans?lint=" + id)
	mustContain(t, r.body,
		"<tr><td>1.1</td><td>2</td><td>抽查比例及频次</td><td>未规定比例</td>",
		"<tr><td>1.2</td><td>3</td><td>抽查检查起止时间</td><td>时间待定</td>",
		"18 条提示（未规定比例 2，比例待定 2，时间待定 2，地市 1，核对 1，修正 9，部门 1）",
		`<a href="/?plan=qingshan-2024">（计划没有标题）</a>`)
}

// TestLockEntryPages: the notice, a file and the replay of a lock entry are a wrong address
// (400, naming the draw it locks), not a server error (500).
func TestLockEntryPages(t *testing.T) {
	ts := newTest(t, nil)
	q := ts.rosters(false)
	if r := ts.post("/plan/CZ2026/task/292/draw", ts.drawForm(q, testSeed, "0")); r.code != http.StatusSeeOther {
		t.Fatalf("draw: %d %s", r.code, r.body)
	}
	if r := ts.post("/entry/1/lock", url.Values{"csrf": {ts.s.csrf}, "operator": {"李四"}}); r.code != http.StatusSeeOther {
		t.Fatalf("lock: %d", r.code)
	}
	for _, path := range []string{"/entry/2/notice", "/entry/2/file/manifest.json", "/entry/2/replay"} {
		r := ts.get(path)
		if r.code != 400 || !strings.Contains(r.body, "台账第 2 条是锁定记录") || !strings.Contains(r.body, "它锁定的是第 1 条抽取") {
			t.Errorf("%s: %d %s", path, r.code, r.body)
		}
	}
	body, ct := multipartBody(t, map[string]string{"csrf": ts.s.csrf}, map[string]string{"roster": rosterFile("qinxian-realestate.xlsx")})
	req := httptest.NewRequest("POST", "/entry/2/replay", body)
	req.Header.Set("Content-Type", ct)
	if r := ts.do(req); r.code != 400 {
		t.Errorf("replay a lock: %d", r.code)
	}
}

// TestEmptyFrameAsCLI: a roster with no firm of the task's district (宁波's list for a 黄石
// task) is refused on the check page and by the draw with sample's words — how many rows
// belong elsewhere, and where the task's district is shown — not a message of the page's own.
func TestEmptyFrameAsCLI(t *testing.T) {
	ts := newTest(t, nil)
	ts.uploadPlan("huangshi-2024-land.tsv", map[string]string{})
	r := ts.upload("/plan/huangshi-2024-land/task/1/rosters", map[string]string{}, map[string]string{"roster": rosterFile("ningbo-yzwfsx-gbk.csv")})
	loc := r.hdr.Get("Location")
	want := "名录 ningbo-yzwfsx-gbk.csv 的 2 行都不属于任务 huangshi-2024-land-1 的区县「黄石市」"
	mustContain(t, ts.get(loc).body, want, "任务页写明任务所属区县")
	q, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
	f := ts.drawForm(q, testSeed, "0")
	f.Set("window", "6月—12月")
	r = ts.post("/plan/huangshi-2024-land/task/1/draw", f)
	if r.code != 400 {
		t.Fatalf("draw: %d", r.code)
	}
	mustContain(t, r.body, want)
}
