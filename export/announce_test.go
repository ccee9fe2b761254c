package export

import (
	"bytes"
	"context"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/draw"
)

// private are values of the test roster that no public output may contain.
func private(t *testing.T) []string {
	return []string{secretLegalRep, secretPhone, secretClass, secretInsp, secretInspID,
		"钱二", "孙三", "李四", "法定代表人", "联系电话", "信用风险分类", "风险", "执法证", "抽取时分类"}
}

func TestAnnouncementHidesPrivateData(t *testing.T) {
	m := testManifest(t, true)
	var html, csvBuf bytes.Buffer
	if err := WriteAnnouncementHTML(&html, m, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteAnnouncementCSV(&csvBuf, m, Options{}); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"html": html.String(), "csv": csvBuf.String()} {
		for _, p := range private(t) {
			if strings.Contains(out, p) {
				t.Errorf("%s announcement contains private %q", name, p)
			}
		}
		// The class letter never appears as a value: no cell or field equals "D".
		if regexp.MustCompile(`(?:,|<td>|>)D(?:,|</td>|<)`).MatchString(out) {
			t.Errorf("%s announcement shows a class letter", name)
		}
	}
	recs := readCSV(t, csvBuf.Bytes()[3:])
	if len(recs) != len(m.Selected)+1 {
		t.Fatalf("%d CSV records", len(recs))
	}
	// The public list is in code order, not the draw's stratum order (classes stay unpublished).
	for i, s := range publicOrder(m) {
		r := recs[i+1]
		if i > 0 && recs[i][2] >= r[2] {
			t.Errorf("row %d: code %s after %s: not in code order", i+1, r[2], recs[i][2])
		}
		if r[1] != csvCell(s.Name) || r[2] != KeepText(s.Key) || r[3] != s.Authority || r[14] != s.Ticket || r[12] != "\t"+m.Seed {
			t.Errorf("row %d: %q", i+1, r)
		}
	}
}

func TestAnnouncementHTML(t *testing.T) {
	m := testManifest(t, false)
	var buf bytes.Buffer
	if err := WriteAnnouncementHTML(&buf, m, Options{PlanTitle: "长治市2026年度部门联合双随机抽查工作计划"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<html lang="zh-CN">`, `<meta charset="utf-8">`, "@media print", "Noto Sans CJK SC",
		"长治市2026年度部门联合双随机抽查工作计划", "CZ2026-292", "对房地产开发企业的监督检查", "<td>定向</td>",
		"房地产开发企业资质检查", "辖区内房地产开发企业", "2026年4月1日至2026年6月30日",
		"沁县住房和城乡建设局、沁县市场监督管理局", `<p class="sign">沁县住房和城乡建设局<br>`, "12户", m.Seed, m.Spec, m.Roster.FrameCommitment, "sha256sum",
		// The example is the first firm of the list, which is in code order.
		"printf &#39;%s&#39; &#39;CHOUCHA-SAMPLE-v1|20260401123456789012|CZ2026-292|1|" + publicOrder(m)[0].Key + "&#39; | sha256sum",
		// ... and the same on a stock Windows PC (PowerShell), and with choucha ticket.
		"[BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash([Text.Encoding]::UTF8.GetBytes(&#39;CHOUCHA-SAMPLE-v1|20260401123456789012|CZ2026-292|1|" + publicOrder(m)[0].Key + "&#39;))).Replace(&#39;-&#39;,&#39;&#39;).ToLower()",
		"choucha ticket --seed 20260401123456789012 --task CZ2026-292 --round 1 --key " + publicOrder(m)[0].Key,
		"<bdi>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;贸易公司</bdi>", // names isolated from the page's direction (issue 19) "=HYPERLINK(&#34;http://example.invalid&#34;,&#34;点击&#34;)",
		"2026年4月1日", // the draw date in Beijing time
	} {
		if !strings.Contains(out, want) {
			t.Errorf("announcement lacks %q", want)
		}
	}
	for _, s := range m.Selected {
		if !strings.Contains(out, s.Ticket) || !strings.Contains(out, s.Key) {
			t.Errorf("announcement lacks firm %s or its ticket", s.Key)
		}
	}
	// Issue 19: frame_sha256 is an unsalted hash of the classes; only the salted commitment is
	// published, and never the salt.
	for _, private := range []string{m.Roster.FrameSHA256, m.Roster.FrameSalt} {
		if strings.Contains(out, private) {
			t.Errorf("announcement publishes %s", private)
		}
	}
	for _, bad := range []string{"<script>", "http-equiv", "<link", "src=", "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("announcement is not self-contained or safe: contains %q", bad)
		}
	}
	// Without a plan title, the plan id stands in.
	buf.Reset()
	WriteAnnouncementHTML(&buf, m, Options{})
	if !strings.Contains(buf.String(), "计划编号 CZ2026") {
		t.Error("no plan id in place of the title")
	}
}

// The notice's choucha ticket command names no plan file only for a draw from the built-in
// plan, its ID and its bytes: a plan file that carries the ID CZ2026 (a CZ2026.tsv, --plan-id
// CZ2026) is another plan, whose tasks choucha ticket finds only with --plan.
func TestAnnouncementTicketCommandNamesPlanFile(t *testing.T) {
	for _, c := range []struct {
		plan draw.PlanRef
		file bool
	}{
		{draw.PlanRef{ID: "CZ2026", SHA256: embeddedSHA256(t)}, false},
		{draw.PlanRef{ID: "CZ2026", SHA256: strings.Repeat("ab", 32)}, true},
		{draw.PlanRef{ID: "QX2026", SHA256: embeddedSHA256(t)}, true},
	} {
		m := testManifest(t, false)
		m.Plan = c.plan
		var buf bytes.Buffer
		if err := WriteAnnouncementHTML(&buf, m, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), "--plan 计划文件"); got != c.file {
			t.Errorf("plan %+v: the ticket command names a plan file: %v, want %v", c.plan, got, c.file)
		}
	}
}

// A draw from a roster without classes says so in the notice; the count of unclassified
// firms of a classified roster is not published (分类不公开).
func TestAnnouncementSaysNoClasses(t *testing.T) {
	m := testManifest(t, false)
	var buf bytes.Buffer
	if err := WriteAnnouncementHTML(&buf, m, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "抽取方式") {
		t.Error("a classified draw's notice has 抽取方式")
	}
	m.Notes = []string{"名录中 3 户未分类（信用风险分类为空或未分类），按B类（一般风险）抽取"}
	buf.Reset()
	WriteAnnouncementHTML(&buf, m, Options{})
	if strings.Contains(buf.String(), "未分类") {
		t.Error("the notice publishes the count of unclassified firms")
	}
	m.Notes = []string{"名录无信用风险分类，按计划比例统一抽取"}
	buf.Reset()
	WriteAnnouncementHTML(&buf, m, Options{})
	if !strings.Contains(buf.String(), "<th scope=\"row\">抽取方式</th><td>名录无信用风险分类，按计划比例统一抽取</td>") {
		t.Error("the notice does not say the roster had no classes")
	}
}

// TestAnnouncementChromium renders the announcement in headless Chromium, keeps a
// screenshot (in $CHOUCHA_ARTIFACTS when set) and compares the rendered text. Without
// Chromium it is skipped, except on CI.
func TestAnnouncementChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found on CI: .ci/run must install it")
		}
		t.Skip("chromium not installed")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	m := testManifest(t, true)
	dir := t.TempDir()
	page := filepath.Join(dir, "抽查任务公告.html")
	if err := WriteFileAtomic(page, func(w io.Writer) error {
		return WriteAnnouncementHTML(w, m, Options{PlanTitle: "长治市2026年度部门联合双随机抽查工作计划"})
	}); err != nil {
		t.Fatal(err)
	}
	art := os.Getenv("CHOUCHA_ARTIFACTS")
	if art == "" {
		art = t.TempDir()
	} else if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(art, "announce.png")
	url := "file://" + page
	common := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(dir, "profile")}
	run := func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(common, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %q: %v\n%s", args, err, stderr.Bytes())
		}
		return out
	}
	run("--screenshot="+shot, "--window-size=1240,1754", url)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10000 {
		t.Fatalf("no screenshot: %v", err)
	}
	t.Logf("screenshot: %s", shot)
	dom := string(run("--dump-dom", url))
	text := htmlText(dom)
	for _, want := range []string{"抽查任务公告", "抽查计划名称", "长治市2026年度部门联合双随机抽查工作计划",
		"抽查类型", "定向", "检查机关", "沁县住房和城乡建设管理局、沁县市场监督管理局", "12户", m.Seed, m.Roster.FrameCommitment,
		`<script>alert("x")</script>贸易公司`, `=HYPERLINK("http://example.invalid","点击")`} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered text lacks %q", want)
		}
	}
	for _, p := range private(t) {
		if strings.Contains(text, p) {
			t.Errorf("rendered text contains private %q", p)
		}
	}
	// The hostile <script> stayed text: the DOM has no script element.
	if strings.Contains(strings.ToLower(dom), "<script") {
		t.Error("the DOM has a script element")
	}
}

// htmlText is the text of a dumped DOM: tags dropped, entities decoded.
func htmlText(dom string) string {
	s := regexp.MustCompile(`(?s)<style.*?</style>`).ReplaceAllString(dom, "")
	s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
	return html.UnescapeString(s)
}
