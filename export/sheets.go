package export

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/sampler"
)

// Team is one inspection team of a task sheet: the inspectors who go together and the drawn
// firms they inspect. Members is empty when the draw assigned no inspectors.
type Team struct {
	Members []sampler.Member
	Firms   []draw.Selected
}

// Teams groups the drawn firms by the exact set of inspectors assigned to them, teams in
// order of their first firm. A draw without assignments gives one team with no members
// (the sheet then has blank lines for the inspectors' names).
func Teams(m *draw.Manifest) []Team {
	teams := teamsByKey(m)
	index := map[string]int{}
	var out []Team
	for _, s := range m.Selected {
		team := teams[s.Key]
		ids := make([]string, len(team))
		for i, mb := range team {
			ids[i] = mb.ID
		}
		sig := strings.Join(ids, "\x00")
		i, ok := index[sig]
		if !ok {
			i = len(out)
			index[sig] = i
			out = append(out, Team{Members: team})
		}
		out[i].Firms = append(out[i].Firms, s)
	}
	return out
}

// WriteSheetsXLSX writes the task sheets (检查任务单) as a workbook, one sheet per team.
func WriteSheetsXLSX(ctx context.Context, w io.Writer, m *draw.Manifest) error {
	return writeWorkbook(ctx, w, teamSheets(m))
}

// teamSheets are WriteSheetsXLSX's sheets.
func teamSheets(m *draw.Manifest) []sheet {
	var sheets []sheet
	for i, t := range Teams(m) {
		rows := [][]string{{"检查任务单"}, {"检查组", strconv.Itoa(i + 1)}}
		if len(t.Members) == 0 {
			rows = append(rows, []string{"检查人员", "（未随机选派，请填写）"})
		}
		for _, mb := range t.Members {
			rows = append(rows, []string{"检查人员", mb.Name + "（" + mb.Dept + "，执法证号 " + mb.ID + "）"})
		}
		rows = append(rows, taskHeader(m)...)
		rows = append(rows, []string{}, []string{"序号", "市场主体名称", "统一社会信用代码/注册号", "住所", "登记机关", "检查日期", "检查结果"})
		head := len(rows)
		for j, s := range t.Firms {
			rows = append(rows, []string{strconv.Itoa(j + 1), s.Name, s.Key, s.Address, s.Authority, "", ""})
		}
		sheets = append(sheets, sheet{
			name: "检查组" + strconv.Itoa(i+1), rows: rows,
			bold: map[int]bool{0: true, head - 1: true}, freeze: head,
			wrapCols: map[int]bool{1: true, 3: true},
		})
	}
	return sheets
}

type sheetsPage struct {
	N       int
	Members []sampler.Member
	Firms   []draw.Selected
}

type sheetsData struct {
	Title     string
	Task      string
	TaskName  string
	Items     string
	Window    string
	Authority string
	Pages     []sheetsPage
	Generator string
	Last      int
}

// WriteSheetsHTML writes the task sheets as one printable HTML file, one page per team.
func WriteSheetsHTML(w io.Writer, m *draw.Manifest) error {
	d := sheetsData{
		Title:     "检查任务单：" + m.TaskInfo.Name,
		Task:      m.Task,
		TaskName:  m.TaskInfo.Name,
		Items:     m.TaskInfo.Items,
		Window:    windowText(m),
		Authority: strings.Join(authorities(m, nil), "、"),
		Generator: "choucha " + m.ToolVersion,
	}
	for i, t := range Teams(m) {
		d.Pages = append(d.Pages, sheetsPage{N: i + 1, Members: t.Members, Firms: t.Firms})
	}
	d.Last = len(d.Pages)
	var buf bytes.Buffer
	if err := sheetsTemplate.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var sheetsTemplate = template.Must(template.New("sheets").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Generator}}">
<title>{{.Title}}</title>
<style>` + pageCSS + `
.page + .page { margin-top: 8mm; }
.blank { display: inline-block; min-width: 12em; border-bottom: 1px solid #333; }
table.list td { height: 3em; }
</style>
</head>
<body>
{{range .Pages}}<section class="page{{if ne .N $.Last}} break{{end}}">
<h1>检查任务单</h1>
<p class="sub">{{$.TaskName}}（第{{.N}}组，共{{$.Last}}组）</p>
<table class="facts">
<tbody>
<tr><th scope="row">抽查任务编号</th><td>{{$.Task}}</td></tr>
<tr><th scope="row">抽查任务名称</th><td>{{$.TaskName}}</td></tr>
<tr><th scope="row">抽查事项</th><td>{{$.Items}}</td></tr>
<tr><th scope="row">检查时间</th><td>{{$.Window}}</td></tr>
<tr><th scope="row">检查机关</th><td>{{$.Authority}}</td></tr>
<tr><th scope="row">检查人员</th><td>{{range $i, $m := .Members}}{{if $i}}<br>{{end}}<bdi>{{$m.Name}}</bdi>（{{$m.Dept}}，执法证号 {{$m.ID}}）{{else}}<span class="blank">&nbsp;</span> <span class="blank">&nbsp;</span>（不少于两名持证执法人员）{{end}}</td></tr>
</tbody>
</table>
<h2>检查对象</h2>
<table class="list">
<thead><tr><th>序号</th><th>市场主体名称</th><th>统一社会信用代码/注册号</th><th>住所</th><th>检查日期</th><th>检查结果</th></tr></thead>
<tbody>
{{range $i, $f := .Firms}}<tr><td class="n">{{inc $i}}</td><td><bdi>{{$f.Name}}</bdi></td><td class="code" style="mso-number-format:'\@'" sdnum="2052;0;@">{{$f.Key}}</td><td>{{$f.Address}}</td><td></td><td></td></tr>
{{end}}</tbody>
</table>
<p class="sign">检查人员签字：<span class="blank">&nbsp;</span>　日期：<span class="blank" style="min-width:8em">&nbsp;</span></p>
</section>
{{end}}</body>
</html>
`))
