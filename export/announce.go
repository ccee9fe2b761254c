package export

import (
	"bytes"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/workday"
)

// Options are the choices of an export.
type Options struct {
	Encoding Encoding // of CSV files; UTF8 when empty
	// PlanTitle is 抽查计划名称 in the announcement. A manifest records only the plan's id
	// and hash; when PlanTitle is empty the announcement shows "计划编号 <id>".
	PlanTitle string
	// Calendar counts working days for deadlines; nil is the State Council's embedded schedule.
	Calendar *workday.Calendar
	// Location is the zone of dates shown on documents; nil is Beijing time (UTC+8).
	Location *time.Location
	// Departments names the bureaus (Bureaus); nil is dept.DefaultMap.
	Departments *dept.Map
	// LedgerEntry and LedgerHead are the draw's ledger entry and the ledger's head at
	// publication, each "第N条:HASH" (ledger.Published); "" when the draw is not from a
	// ledger. Anyone holding the notice checks them with choucha ledger verify --published.
	LedgerEntry, LedgerHead string
	// Redraw says the draw is a redraw of its round and why (LedgerFacts.Redraw); "" for a first draw.
	Redraw string
}

// issuer is the bureau the notice is issued in the name of: the initiating bureau's legal
// name (all bureaus when the plan names no initiator).
func issuer(m *draw.Manifest, dm *dept.Map) string {
	if ini, _ := Bureaus(m, dm); ini != "" {
		return ini
	}
	return strings.Join(authorities(m, dm), "、")
}

// TaskType is 抽查类型 in the announcement. choucha always draws from a roster that the
// office has scoped to the task's 抽查对象范围 (an industry, a kind of firm), so every draw
// is 定向抽查 in SAMR's sense: targets drawn among firms meeting specific conditions,
// rather than among all registered firms (不定向).
const TaskType = "定向"

// AnnouncementFact is one labelled line of the announcement's head.
type AnnouncementFact struct{ Label, Value string }

// AnnouncementFacts are the announcement's fields, in the order the rules list them.
func AnnouncementFacts(m *draw.Manifest, opts Options) []AnnouncementFact {
	title := opts.PlanTitle
	if title == "" {
		title = "计划编号 " + m.Plan.ID
	}
	facts := []AnnouncementFact{
		{"抽查计划名称", title},
		{"抽查任务编号", m.Task},
		{"抽查任务名称", m.TaskInfo.Name},
		{"抽查类型", TaskType},
		{"抽查事项", m.TaskInfo.Items},
		{"抽查对象范围", scopeText(m)},
		{"检查日期", windowText(m)},
		{"检查机关", strings.Join(authorities(m, opts.Departments), "、")},
		{"抽查市场主体数量", strconv.Itoa(len(m.Selected)) + "户"},
	}
	// How the firms were drawn when the roster had no classes; the count of unclassified firms
	// of a classified roster is not published (分类不公开).
	if slices.Contains(m.Notes, risk.NoClassNote) {
		facts = append(facts, AnnouncementFact{"抽取方式", risk.NoClassNote})
	}
	return facts
}

// AnnouncementTable is the public list: only name, code, registration authority and ticket,
// with the task's fields repeated on each row so the CSV stands alone. Built from fixed
// fields of Selected, never from roster columns: no class, legal representative or phone.
func AnnouncementTable(m *draw.Manifest, opts Options) (header []string, rows [][]string) {
	header = []string{"序号", "市场主体名称", "统一社会信用代码/注册号", "登记机关",
		"抽查计划名称", "抽查任务编号", "抽查任务名称", "抽查类型", "抽查事项", "检查日期", "检查机关",
		"抽取轮次", "随机种子", "抽样算法", "签号"}
	ledgerCols := opts.LedgerEntry != ""
	if ledgerCols {
		header = append(header, "台账条目", "台账头（公布时）")
	}
	if opts.Redraw != "" {
		header = append(header, "重抽说明")
	}
	if m.Roster.FrameCommitment != "" {
		header = append(header, "抽样框承诺值")
	}
	f := AnnouncementFacts(m, opts)
	for i, s := range publicOrder(m) {
		row := []string{strconv.Itoa(i + 1), s.Name, s.Key, s.Authority,
			f[0].Value, m.Task, m.TaskInfo.Name, TaskType, m.TaskInfo.Items, f[6].Value, f[7].Value,
			strconv.Itoa(m.Round), m.Seed, m.Spec, s.Ticket}
		if ledgerCols {
			row = append(row, opts.LedgerEntry, opts.LedgerHead)
		}
		if opts.Redraw != "" {
			row = append(row, opts.Redraw)
		}
		if m.Roster.FrameCommitment != "" {
			row = append(row, m.Roster.FrameCommitment)
		}
		rows = append(rows, row)
	}
	return header, rows
}

// publicOrder is the order of the public list: by code. The draw's own order (stratum, then
// rank) would let a reader see where one credit class ends and the next begins — the
// tickets restart at every stratum — and classes are not published (分类不公开).
func publicOrder(m *draw.Manifest) []draw.Selected {
	out := slices.Clone(m.Selected)
	slices.SortFunc(out, func(a, b draw.Selected) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// WriteAnnouncementCSV writes the public list as CSV.
func WriteAnnouncementCSV(w io.Writer, m *draw.Manifest, opts Options) error {
	h, rows := AnnouncementTable(m, opts)
	return WriteCSV(w, opts.Encoding, h, rows)
}

type announceFirm struct {
	N                                 int
	Name, Key, Authority, Ticket, Cmd string
}

type announceData struct {
	Title                   string
	Facts                   []AnnouncementFact
	Firms                   []announceFirm
	Spec                    string
	Seed                    string
	Task                    string
	Round                   int
	Frame                   string // the salted frame commitment; "" for a draw recorded without one
	LedgerEntry, LedgerHead string
	Redraw                  string
	Example                 string
	ExamplePS               string
	ExampleKey              string
	OtherPlan               bool // not the embedded plan: choucha ticket needs --plan to check the task
	Date                    string
	Authority               string
	Generator               string
}

// beijing is UTC+8, the default zone of dates printed on documents (no tzdata needed).
var beijing = time.FixedZone("CST", 8*3600)

// drawDate is the day of the draw in loc (nil: Beijing time).
func drawDate(m *draw.Manifest, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, m.CreatedAt)
	if err != nil {
		return ""
	}
	if loc == nil {
		loc = beijing
	}
	return ChineseDate(t.In(loc))
}

// WriteAnnouncementHTML writes 抽查任务公告 as one self-contained printable page: inline CSS,
// no scripts or external resources, all text escaped by html/template.
func WriteAnnouncementHTML(w io.Writer, m *draw.Manifest, opts Options) error {
	d := announceData{
		Title:       m.TaskInfo.Name,
		Facts:       AnnouncementFacts(m, opts),
		Spec:        m.Spec,
		Seed:        m.Seed,
		Task:        m.Task,
		Round:       m.Round,
		Frame:       m.Roster.FrameCommitment,
		LedgerEntry: opts.LedgerEntry, LedgerHead: opts.LedgerHead, Redraw: opts.Redraw,
		Date:      drawDate(m, opts.Location),
		Authority: issuer(m, opts.Departments),
		Generator: "choucha " + m.ToolVersion,
		OtherPlan: !m.Plan.BuiltIn(),
	}
	for i, s := range publicOrder(m) {
		d.Firms = append(d.Firms, announceFirm{N: i + 1, Name: s.Name, Key: s.Key, Authority: s.Authority, Ticket: s.Ticket})
	}
	if len(m.Selected) > 0 {
		d.Example, d.ExamplePS = ticketCommands(m, d.Firms[0].Key)
		d.ExampleKey = d.Firms[0].Key
	}
	var buf bytes.Buffer
	if err := announceTemplate.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// pageCSS is shared by the printable pages: A4, a CJK font stack, tables that split
// cleanly across pages.
const pageCSS = `
@page { size: A4; margin: 18mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f4f4f4; color: #111;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif;
  font-size: 11pt; line-height: 1.7; }
.page { background: #fff; max-width: 210mm; margin: 0 auto; padding: 16mm 16mm 20mm; }
h1 { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif;
  font-size: 20pt; font-weight: 700; text-align: center; letter-spacing: .12em; margin: 0 0 .2em; }
.sub { text-align: center; font-size: 13pt; margin: 0 0 1.2em; }
h2 { font-size: 13pt; border-left: 4px solid #b22222; padding-left: .5em; margin: 1.4em 0 .6em; }
table { width: 100%; border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid #999; padding: .3em .5em; vertical-align: top; text-align: left;
  word-break: break-word; }
th { background: #eee; font-weight: 700; white-space: nowrap; }
table.facts th { width: 9em; }
td.n { text-align: right; white-space: nowrap; width: 3em; }
.code, .mono, pre { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", Consolas, monospace; }
.code, .auth { white-space: nowrap; }
.ticket { font-size: 8pt; word-break: break-all; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5em; font-size: 8.5pt;
  white-space: pre-wrap; word-break: break-all; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
.note { font-size: 9.5pt; color: #333; }
.sign { margin-top: 2em; text-align: right; }
@media print {
  body { background: #fff; }
  .page { max-width: none; margin: 0; padding: 0; }
  .break { page-break-after: always; break-after: page; }
}
`

var announceTemplate = template.Must(template.New("announce").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Generator}}">
<title>抽查任务公告：{{.Title}}</title>
<style>` + pageCSS + `</style>
</head>
<body>
<main class="page">
<h1>抽查任务公告</h1>
<p class="sub">{{.Title}}</p>
<table class="facts">
<tbody>
{{range .Facts}}<tr><th scope="row">{{.Label}}</th><td>{{.Value}}</td></tr>
{{end}}</tbody>
</table>

<h2>抽查市场主体名单</h2>
<table class="list">
<thead><tr><th>序号</th><th>市场主体名称</th><th>统一社会信用代码/注册号</th><th>登记机关</th></tr></thead>
<tbody>
{{range .Firms}}<tr><td class="n">{{.N}}</td><td><bdi>{{.Name}}</bdi></td><td class="code" style="mso-number-format:'\@'" sdnum="2052;0;@">{{.Key}}</td><td class="auth">{{.Authority}}</td></tr>
{{end}}</tbody>
</table>

<h2>抽取复核信息</h2>
<p>本次抽取按公开算法 <span class="mono">{{.Spec}}</span> 进行，结果只取决于下列公开数据，任何人都可以复算。</p>
<table class="facts">
<tbody>
<tr><th scope="row">抽样算法</th><td class="mono">{{.Spec}}</td></tr>
<tr><th scope="row">随机种子</th><td class="mono" style="mso-number-format:'\@'" sdnum="2052;0;@">{{.Seed}}</td></tr>
<tr><th scope="row">抽查任务编号</th><td class="mono">{{.Task}}</td></tr>
<tr><th scope="row">抽取轮次</th><td class="mono">{{.Round}}</td></tr>
{{if .Frame}}<tr><th scope="row">抽样框承诺值（CHOUCHA-FRAME-COMMIT-v1）</th><td class="mono ticket" style="mso-number-format:'\@'" sdnum="2052;0;@">{{.Frame}}</td></tr>{{end}}
{{if .LedgerEntry}}<tr><th scope="row">台账条目</th><td class="mono ticket">{{.LedgerEntry}}</td></tr>
<tr><th scope="row">台账头（公布时）</th><td class="mono ticket">{{.LedgerHead}}</td></tr>{{end}}
{{if .Redraw}}<tr><th scope="row">重抽说明</th><td>{{.Redraw}}</td></tr>{{end}}
</tbody>
</table>
<p class="note">每户市场主体的签号是字符串“算法|种子|任务编号|轮次|统一社会信用代码或注册号”的 SHA-256 值（小写十六进制）；
各层按签号从小到大排序，取前若干户。在任何电脑上都可复算{{if .Example}}，例如第1户——Linux、macOS 等装有 sha256sum 的电脑在终端中运行：{{end}}</p>
{{if .Example}}<pre>{{.Example}}</pre>
<p class="note">Windows 10/11 电脑在“开始”菜单打开 Windows PowerShell，粘贴运行：</p>
<pre>{{.ExamplePS}}</pre>
<p class="note">也可用 choucha 计算：<span class="mono">choucha ticket --seed {{.Seed}} --task {{.Task}} --round {{.Round}} --key {{.ExampleKey}}{{if .OtherPlan}} --plan 计划文件{{end}}</span></p>{{end}}
<table class="tickets">
<thead><tr><th>序号</th><th>统一社会信用代码/注册号</th><th>签号（SHA-256）</th></tr></thead>
<tbody>
{{range .Firms}}<tr><td class="n">{{.N}}</td><td class="code" style="mso-number-format:'\@'" sdnum="2052;0;@">{{.Key}}</td><td class="mono ticket" style="mso-number-format:'\@'" sdnum="2052;0;@">{{.Ticket}}</td></tr>
{{end}}</tbody>
</table>

<p class="sign">{{.Authority}}<br>{{.Date}}</p>
</main>
</body>
</html>
`))
