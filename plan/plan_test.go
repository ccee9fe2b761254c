package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite the golden files (review the diff before committing)")

const (
	xlsxPlan   = "../testdata/plan/changzhi-2026.xlsx"
	goldenJSON = "../testdata/plan/changzhi-2026.golden.json"
	// goldenXLSX pins the full export of the xlsx form: the same parsed values as the text
	// (checked below), its own repairs (a real merged range needs none), its own sha256.
	goldenXLSX = "../testdata/plan/changzhi-2026-xlsx.golden.json"
)

func embedded(t testing.TB) *Plan {
	t.Helper()
	p, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func task(t testing.TB, p *Plan, seq int) *Task {
	t.Helper()
	k, err := p.Task(seq)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestEmbedded(t *testing.T) {
	p := embedded(t)
	if p.ID != "CZ2026" || p.Year() != 2026 || len(p.Tasks) != 397 {
		t.Fatalf("id %q year %d tasks %d", p.ID, p.Year(), len(p.Tasks))
	}
	sum := sha256.Sum256(EmbeddedBytes())
	if p.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 %s is not over the file's bytes", p.SHA256)
	}
	want := []string{"潞州区", "上党区", "潞城区", "屯留区", "高新区", "襄垣县", "武乡县", "壶关县", "沁源县", "沁县", "平顺县", "黎城县", "长子县"}
	if got := p.Districts(); !reflect.DeepEqual(got, want) {
		t.Errorf("districts %v", got)
	}
	for i, k := range p.Tasks {
		if k.Seq != i+1 || k.Key != "CZ2026-"+strconv.Itoa(i+1) {
			t.Errorf("task %d: seq %d key %s", i+1, k.Seq, k.Key)
		}
		if k.Name == "" || k.Items == "" || len(k.Scopes) == 0 || k.Initiator == "" || len(k.Cooperators) == 0 {
			t.Errorf("task %d has an empty field: %+v", k.Seq, k)
		}
		if k.Mode != ModeDistrict && k.Mode != ModeCounty {
			t.Errorf("task %d: mode %q", k.Seq, k.Mode)
		}
		if k.Window.From < 1 || k.Window.To > 12 || k.Window.From > k.Window.To {
			t.Errorf("task %d: window %+v", k.Seq, k.Window)
		}
		if k.Rounds < 1 {
			t.Errorf("task %d: rounds %d", k.Seq, k.Rounds)
		}
		for _, c := range k.Cooperators {
			// dept adds the whole cell of a list ending in 等 as a flagged piece of its own.
			if c == "" || strings.ContainsAny(c, "，,；; ") || strings.Contains(c, "、") && !strings.HasSuffix(c, "等") {
				t.Errorf("task %d: cooperator %q", k.Seq, c)
			}
		}
	}
	if _, err := p.Task(398); err == nil || !strings.Contains(err.Error(), "plan list") {
		t.Errorf("Task(398) error %v, want one suggesting plan list", err)
	}
}

// TestTrickyTasks pins the tasks the reader must repair, with values checked against the
// xlsx (which has the real merged ranges and no slid cells).
func TestTrickyTasks(t *testing.T) {
	p := embedded(t)
	cases := []struct {
		seq                 int
		district, initiator string
		cooperators         []string
		mode, window        string
		from, to            int
		scopes              int
		repairContains      []string
	}{
		// Mode word 区抽查 normalised; district with city prefix.
		{1, "潞州区", "潞州区新闻出版局", []string{"潞州区市场监管局"}, ModeDistrict, "4月—7月", 4, 7, 1, []string{"长治市 潞州区", "区抽查"}},
		// A department in the mode column.
		// …split by package dept: the shared suffix 局 and the district go to each piece
		// (cell "潞州区住房城乡建设、交通运输局").
		{9, "潞州区", "潞州区人社局", []string{"潞州区住房城乡建设局", "潞州区交通运输局"}, ModeDistrict, "9月—11月", 9, 11, 1, []string{"写在了检查模式栏"}},
		// Empty name and scope inherit (merged cells).
		{21, "潞州区", "潞州区医疗保障局", []string{"潞州区行政审批局"}, ModeDistrict, "10月—11月", 10, 11, 1, []string{"沿用上方"}},
		// Mode word in the cooperator column: three cells slid left.
		{22, "潞州区", "潞州区医疗保障局", []string{"市公安局潞州区分局", "潞州区卫生健康委", "潞州区市场监督管理局"}, ModeDistrict, "4月—7月", 4, 7, 1, []string{"左移了一列"}},
		{28, "潞州区", "市公安局潞州分局", []string{"潞州区市场监督管理局"}, ModeDistrict, "4月—7月", 4, 7, 1, []string{"左移了一列"}},
		// A month range in the mode column.
		{43, "潞州区", "潞州区住建局", []string{"潞州区人社局"}, ModeDistrict, "4月—7月", 4, 7, 1, []string{"写在了检查模式栏，已移回"}},
		{124, "高新区", "人力资源社会保障部门", []string{"高新区市场分局"}, ModeDistrict, "8月—11月", 8, 11, 1, nil},
		// Glued cooperators; a row without 序号 adds a second scope.
		{202, "壶关县", "壶关县教育局", []string{"壶关县市场监管局", "壶关县税务局"}, ModeCounty, "3月—12月", 3, 12, 2, []string{"第256行没有序号"}},
		{267, "沁县", "沁县发改局-粮食和储备部门", []string{"沁县市场监管局"}, ModeCounty, "3月—5月", 3, 5, 1, []string{"县抽县检"}},
		{269, "沁县", "沁县民政局", []string{"沁县市场监管局"}, ModeCounty, "3—12月", 3, 12, 1, nil},
		{292, "沁县", "沁县市场监管局价监股", []string{"沁县住建局"}, ModeCounty, "4月—6月", 4, 6, 1, nil},
		{304, "平顺县", "平顺县交通运输部门", []string{"平顺县市场监管局"}, ModeCounty, "5月—7月", 5, 7, 1, []string{"平 顺 县"}},
		// A row that lost its district cell.
		{313, "平顺县", "平顺县市场监管部门", []string{"平顺县人力资源社会保障"}, ModeCounty, "7月", 7, 7, 1, []string{"左移了一列", "平顺县"}},
	}
	for _, c := range cases {
		k := task(t, p, c.seq)
		if k.District != c.district || k.Initiator != c.initiator || !reflect.DeepEqual(k.Cooperators, c.cooperators) ||
			k.Mode != c.mode || k.Window.Text != c.window || k.Window.From != c.from || k.Window.To != c.to || len(k.Scopes) != c.scopes {
			t.Errorf("task %d = %+v", c.seq, k)
		}
		all := strings.Join(k.Repairs, "\n")
		for _, want := range c.repairContains {
			if !strings.Contains(all, want) {
				t.Errorf("task %d repairs %q lack %q", c.seq, k.Repairs, want)
			}
		}
	}
	if k := task(t, p, 348); k.District != "黎城县" {
		t.Errorf("task 348 district %q", k.District)
	}
	if k := task(t, p, 313); k.Items != "年度报告公示信息的检查" || k.Scopes[0] != "各类企业年报信息" || k.Ratio.Percent != "10" || k.Risk.Kind != RiskNone {
		t.Errorf("task 313 = %+v", k)
	}
	if k := task(t, p, 202); k.Scopes[1] != "营利性的民办职业高中学校、民办普通高中、民办幼儿园" {
		t.Errorf("task 202 scopes %q", k.Scopes)
	}
	if k := task(t, p, 292); k.Ratio.PerClass["D"] != "9" || k.Ratio.Percent != "" || k.Risk.Kind != RiskProgressive {
		t.Errorf("task 292 ratio %+v", k.Ratio)
	}
	if k := task(t, p, 77); k.Risk.Kind != RiskOther || k.Risk.Text != "一般风险" {
		t.Errorf("task 77 risk %+v", k.Risk)
	}
	if k := task(t, p, 218); k.Rounds != 11 {
		t.Errorf("task 218 rounds %d, want 11 (1次/月 over February–December)", k.Rounds)
	}
	if k := task(t, p, 291); k.Rounds != 4 {
		t.Errorf("task 291 rounds %d, want 4", k.Rounds)
	}
}

// stripped returns the tasks without what may legitimately differ between the text and
// the xlsx form: repairs (a real merged range needs none) and source lines.
func stripped(ts []Task) []Task {
	out := make([]Task, len(ts))
	for i, k := range ts {
		k.Repairs, k.Line = nil, 0
		out[i] = k
	}
	return out
}

// sameTasksAsEmbedded loads the Changzhi plan from another form of it (kind names the form in
// failures) and requires the embedded text's tasks and title, but for their provenance.
func sameTasksAsEmbedded(t *testing.T, path, kind string) *Plan {
	t.Helper()
	a := embedded(t)
	b, err := Load(path, "CZ2026")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Tasks) != len(a.Tasks) {
		t.Fatalf("%s has %d tasks, text %d", kind, len(b.Tasks), len(a.Tasks))
	}
	as, bs := stripped(a.Tasks), stripped(b.Tasks)
	for i := range as {
		if !reflect.DeepEqual(as[i], bs[i]) {
			t.Errorf("task %d differs:\n text %+v\n %s %+v", as[i].Seq, as[i], kind, bs[i])
		}
	}
	if b.Year() != 2026 || !strings.HasPrefix(b.Title, "长治市2026年度") {
		t.Errorf("%s title %q", kind, b.Title)
	}
	return b
}

// sameTasksConverted converts source with LibreOffice (format as --convert-to takes it) and
// requires sameTasksAsEmbedded of what it wrote, which it returns.
func sameTasksConverted(t *testing.T, format, source, kind string) string {
	t.Helper()
	lo := sofficeFor(t)
	dir := t.TempDir()
	out := soffice(t, lo, filepath.Join(dir, "profile"), "", format, filepath.Join(dir, "out"), source)
	sameTasksAsEmbedded(t, out, kind)
	return out
}

func TestXLSXSameTasks(t *testing.T) {
	b := sameTasksAsEmbedded(t, xlsxPlan, "xlsx")
	data, _ := os.ReadFile(xlsxPlan)
	sum := sha256.Sum256(data)
	if b.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("xlsx sha256 %s", b.SHA256)
	}
	// The continuation row is reported with its sheet row.
	if k := task(t, b, 202); !strings.Contains(strings.Join(k.Repairs, ""), "第205行") {
		t.Errorf("xlsx task 202 repairs %q", k.Repairs)
	}
}

func TestGoldenJSON(t *testing.T) {
	p := embedded(t)
	var buf bytes.Buffer
	if err := p.WriteJSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenJSON, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("JSON export differs from %s (run go test ./plan -run Golden -update and review the diff)", goldenJSON)
	}
	// The xlsx yields the same tasks (parsed values) as the golden text export.
	var doc struct {
		Plan  map[string]string `json:"plan"`
		Tasks []Task            `json:"tasks"`
	}
	if err := json.Unmarshal(want, &doc); err != nil {
		t.Fatal(err)
	}
	x, err := Load(xlsxPlan, "CZ2026")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stripped(doc.Tasks), stripped(x.Tasks)) {
		t.Error("xlsx tasks differ from the golden JSON")
	}
	var xbuf bytes.Buffer
	if err := x.WriteJSON(&xbuf, nil); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenXLSX, xbuf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if wantX, err := os.ReadFile(goldenXLSX); err != nil {
		t.Fatal(err)
	} else if !bytes.Equal(xbuf.Bytes(), wantX) {
		t.Errorf("xlsx JSON export differs from %s (run go test ./plan -run Golden -update and review the diff)", goldenXLSX)
	}
	if doc.Plan["id"] != "CZ2026" || doc.Plan["sha256"] != p.SHA256 {
		t.Errorf("golden plan header %v", doc.Plan)
	}
}

func TestJSONSchema(t *testing.T) {
	p := embedded(t)
	var buf bytes.Buffer
	if err := p.WriteJSON(&buf, []Task{*task(t, p, 292), *task(t, p, 83), *task(t, p, 56)}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	tasks := doc["tasks"].([]any)
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return ks
	}
	t292 := tasks[0].(map[string]any)
	wantTask := []string{"seq", "key", "district", "name", "items", "scopes", "ratio", "rounds", "risk", "window", "initiator", "cooperators", "mode", "repairs",
		"seq_text", "part", "flags", "cooperator_cells"} // the last four added by issue 11
	if len(keys(t292)) != len(wantTask) {
		t.Errorf("task keys %v", keys(t292))
	}
	for _, k := range wantTask {
		if _, ok := t292[k]; !ok {
			t.Errorf("task lacks %q", k)
		}
	}
	r := t292["ratio"].(map[string]any)
	if r["percent"] != nil || r["min_count"] != nil || r["per_class"].(map[string]any)["A"] != "3" || r["per"] != "year" || r["times"] != 1.0 {
		t.Errorf("task 292 ratio %v", r)
	}
	r83 := tasks[1].(map[string]any)["ratio"].(map[string]any)
	if r83["min_count"] != 5.0 || r83["percent"] != nil || r83["per_class"] != nil || r83["at_least"] != true {
		t.Errorf("task 83 ratio %v", r83)
	}
	r56 := tasks[2].(map[string]any)["ratio"].(map[string]any)
	if r56["unspecified"] != true {
		t.Errorf("task 56 ratio %v", r56)
	}
	w := t292["window"].(map[string]any)
	if w["from"] != 4.0 || w["to"] != 6.0 || t292["key"] != "CZ2026-292" || t292["district"] != "沁县" {
		t.Errorf("task 292 %v", t292)
	}
	if h := doc["plan"].(map[string]any); h["id"] != "CZ2026" || len(h["sha256"].(string)) != 64 {
		t.Errorf("plan header %v", h)
	}
}

func TestYAMLAndCSV(t *testing.T) {
	p := embedded(t)
	var y bytes.Buffer
	if err := p.WriteYAML(&y, nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Plan  map[string]string `yaml:"plan"`
		Tasks []map[string]any  `yaml:"tasks"`
	}
	if err := yaml.Unmarshal(y.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Tasks) != 397 || doc.Plan["id"] != "CZ2026" {
		t.Fatalf("yaml: %d tasks, plan %v", len(doc.Tasks), doc.Plan)
	}
	r := doc.Tasks[291]["ratio"].(map[string]any)
	if r["percent"] != nil || r["per_class"].(map[string]any)["C"] != "7" {
		t.Errorf("yaml task 292 ratio %v", r)
	}
	if r := doc.Tasks[0]["ratio"].(map[string]any); r["percent"] != "20" || r["per_class"] != nil {
		t.Errorf("yaml task 1 ratio %v (percent must stay a string)", r)
	}
	if _, ok := doc.Tasks[0]["line"]; ok {
		t.Error("yaml exports the source line")
	}

	header, rows := p.CSVTable(nil)
	recs := append([][]string{header}, rows...)
	if len(recs) != 398 || !reflect.DeepEqual(recs[0], CSVHeader) {
		t.Fatalf("csv: %d records, header %v", len(recs), recs[0])
	}
	if rec := recs[292]; rec[0] != "CZ2026-292" || rec[10] != "A类3%、B类5%、C类7%、D类9%" {
		t.Errorf("csv task 292 %q", rec)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := "地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t智慧监管(信用风险分类)要求\t抽查检查起止时间\t发起部门\t配合部门\t抽查检查模式\n"
	good := write("my plan 2026.tsv", "某市2025年度抽查计划\n"+header+"沁县\t1\t任务\t事项\t范围\t10%；1次\t无\t3月—5月\t沁县甲局\t沁县乙局\t县抽县查\n")
	cases := []struct {
		path, want string
	}{
		{filepath.Join(dir, "missing.txt"), "文件不存在"},
		{write("plan.pdf", "x"), "不支持的文件类型"},
		{write("plan.xls", "\xd0\xcf\x11\xe0"), "不是有效的 Excel 97–2003 工作簿"},
		{write("plan.et", "\xd0\xcf\x11\xe0"), "不支持的文件类型"},
		{write("noheader.txt", "标题\n沁县\t1\t任务\n"), "找不到表头行"},
		// An empty first header cell is read as 序号 only above rows that begin 1, 2, 3.
		{write("unnamed.txt", "标题\n\t抽查事项\t检查对象\t抽查比例及频次\t检查时间\n甲\t事项\t对象\t5%\t9月\n"), "找不到表头行"},
		{write("计划.txt", header+"沁县\t1\t任务\t事项\t范围\t10%\t无\t3月\t甲局\t乙局\t县抽县查\n"), "--plan-id"},
		{write("bad.xlsx", "not a zip"), "不是有效的 xlsx"},
		{dir, "不支持的文件类型"},
	}
	for _, c := range cases {
		_, err := Load(c.path, "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s) error %v, want %q", filepath.Base(c.path), err, c.want)
		}
		if err != nil && c.want != "不支持的文件类型" && !strings.Contains(err.Error(), filepath.Base(c.path)) {
			t.Errorf("Load(%s) error %v does not name the file", filepath.Base(c.path), err)
		}
	}
	p, err := Load(good, "")
	if err != nil {
		t.Fatal(err)
	}
	id, _ := TitleID("某市2025年度抽查计划")
	if p.ID != id || p.Year() != 2025 || len(p.Tasks) != 1 || p.Tasks[0].Key != id+"-1" {
		t.Errorf("good plan %+v", p)
	}
	// A bad cell flags its task; it never refuses the file (issue 11 item 4).
	flagged := []struct{ content, kind, want string }{
		{"标题\n\n" + header + "沁县\t1\t任务\t事项\t范围\t约一成\t无\t3月—5月\t甲局\t乙局\t县抽县查\n", FlagRatio, "约一成"},
		{header + "沁县\t1\t任务\t事项\t范围\t10%\t无\t春季\t甲局\t乙局\t县抽县查\n", FlagWindow, "起止时间"},
		{header + "沁县\t1\t任务\t事项\t范围\t10%\t无\t3月\t甲局\t乙局\t县抽县查\n沁县\t1\t任务\t事项\t范围\t10%\t无\t3月\t甲局\t乙局\t县抽县查\n", FlagSeq, "重复"},
	}
	for i, c := range flagged {
		p, err := Parse(strings.NewReader(c.content), "x.tsv", "X")
		if err != nil {
			t.Errorf("case %d refused: %v", i, err)
			continue
		}
		last := p.Tasks[len(p.Tasks)-1]
		if len(last.Flags) != 1 || last.Flags[0].Kind != c.kind || !strings.Contains(last.Flags[0].Message+last.Flags[0].Text, c.want) {
			t.Errorf("case %d flags %+v, want one %s flag with %q", i, last.Flags, c.kind, c.want)
		}
	}
	if _, err := Load(good, "bad id!"); err == nil {
		t.Error("an invalid --plan-id was accepted")
	}
}

func TestGBKText(t *testing.T) {
	// The embedded plan re-encoded as GB18030 reads the same.
	enc, err := gbEncode(string(EmbeddedBytes()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(bytes.NewReader(enc), "gbk.txt", "CZ2026")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stripped(p.Tasks), stripped(embedded(t).Tasks)) {
		t.Error("GBK text parses differently")
	}
}

// TestDeriveID: only an all-ASCII file name gives an id; dropping the Chinese of
// "长治2026计划.txt" and "计划.txt" made "2026" and "PLAN" for any two such files (issue 12 item 5).
func TestDeriveID(t *testing.T) {
	for in, want := range map[string]string{
		"testdata/plan/changzhi-2026.xlsx": "changzhi-2026",
		"sg_2023.v2.tsv":                   "sg_2023.v2",
		"长治2026计划.txt":                     "",
		"计划.txt":                           "",
		"2026.tsv":                         "",
		"a b_c.d.tsv":                      "",
		"-x-.tsv":                          "",
	} {
		got, ok := DeriveID(in)
		if got != want || ok != (want != "") || ok && !ValidID(got) {
			t.Errorf("DeriveID(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
	for title, want := range map[string]bool{
		"长治市2024年度部门联合双随机抽查工作计划":              true,
		"上高县市场监督管理局2023年“双随机、一公开”抽查计划":        true,
		"**县市场监管领域部门联合“双随机、一公开”抽查计划表(2026年度)": false,
		"2023年“双随机、一公开”抽查工作计划":                false,
		"随机抽查事项清单(样表)":                        false,
	} {
		id, ok := TitleID(title)
		if ok != want || ok && !ValidID(id) {
			t.Errorf("TitleID(%q) = %q, %v", title, id, ok)
		}
	}
	a, _ := TitleID("长治市2024年度部门联合双随机抽查工作计划")
	b, _ := TitleID("上党区2024年度部门联合双随机抽查工作计划")
	c, _ := TitleID("长治市2025年度部门联合双随机抽查工作计划")
	if a == b || a == c || b == c {
		t.Errorf("title ids collide: %s %s %s", a, b, c)
	}
}

// A title's district for a table without a 地市 column: the county or district right after a
// city (济南市钢城区农业农村局 2021), else the place the title starts with.
func TestTitleDistrict(t *testing.T) {
	for title, want := range map[string]string{
		"济南市钢城区农业农村局2021年度“双随机 一公开”抽查计划": "钢城区",
		"附件1 重庆市璧山区市场监督管理局2024年度抽查计划":    "璧山区",
		"长治市2024年度部门联合双随机抽查工作计划":         "长治市",
		"广州市生态环境局2025年度双随机抽查计划":          "广州市",
		"长治市市场监督管理局2026年度部门联合双随机抽查工作计划":  "长治市",
		"长治市城区2026年度抽查计划":                "城区",
		"上高县市场监督管理局2023年“双随机、一公开”抽查计划":   "上高县",
		"2023年“双随机、一公开”抽查工作计划":           "",
		"2023年度临沂市建筑市场“双随机、一公开”检查计划":     "临沂市",
		"2022年罗庄区住建局注册建造师“双随机、一公开”检查计划":  "罗庄区",
		"2023年度全市建筑市场“双随机、一公开”检查计划":      "",
		"2024年本县“双随机、一公开”抽查工作计划":         "",
		"2025年市场监管领域部门联合抽查计划":            "",
		"2024年度全椒县部门联合双随机抽查工作计划":         "全椒县",
		"本溪市2023年度部门联合抽查计划":              "本溪市",
	} {
		if got := titleDistrict(title); got != want {
			t.Errorf("titleDistrict(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestParseWindow(t *testing.T) {
	for in, want := range map[string][2]int{"4月—7月": {4, 7}, "3—12月": {3, 12}, "10—12月": {10, 12}, "7月": {7, 7}, "1月-6月": {1, 6}, "全年": {1, 12}, "３月～５月": {3, 5}} {
		w, err := ParseWindow(in)
		if err != nil || w.From != want[0] || w.To != want[1] {
			t.Errorf("ParseWindow(%q) = %+v, %v", in, w, err)
		}
	}
	for _, in := range []string{"", "7", "12月—3月", "0月—3月", "3月—13月", "春季", "区抽区查"} {
		if _, err := ParseWindow(in); err == nil {
			t.Errorf("ParseWindow(%q) accepted", in)
		}
	}
	w := Window{From: 2, To: 2}
	if !w.FirstDay(2026).Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) || !w.LastDay(2026).Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("February 2026: %v – %v", w.FirstDay(2026), w.LastDay(2026))
	}
	if w := (Window{From: 4, To: 12}); !w.LastDay(2026).Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("LastDay December %v", w.LastDay(2026))
	}
}

func TestFields(t *testing.T) {
	for in, want := range map[string]string{"区抽区查": ModeDistrict, "区抽查": ModeDistrict, "县抽县查": ModeCounty, "县抽县检": ModeCounty} {
		if got, ok := NormalizeMode(in); !ok || got != want {
			t.Errorf("NormalizeMode(%q) = %q", in, got)
		}
	}
	if _, ok := NormalizeMode("潞州区住房城乡建设、交通运输局"); ok {
		t.Error("a department was taken for a mode")
	}
	for in, want := range map[string]string{"无": RiskNone, "不涉及信用风险分类": RiskNone, "根据企业信用风险分类结果判别": RiskProgressive,
		"根据企业信用风险分类结果，对低风险、一般风险、较高风险、高风险企业分别递加抽查比例、频次": RiskProgressive,
		// A cell that says the ratio is not raised by class is none, though it writes 递加.
		"不递加": RiskNone, "不按信用风险分类递加": RiskNone, "无需递加抽查比例": RiskNone, "不低于5%，按风险分类递加": RiskProgressive,
		"根据学校防雷安全级别调整抽查频次。": RiskOther, "根据单位消防安全稳定情况调整抽查频次": RiskOther, "一般风险": RiskOther} {
		if got := ParseRisk(in).Kind; got != want {
			t.Errorf("ParseRisk(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"平 顺 县": "平顺县", "长治市 潞州区": "潞州区", "长治市高新区": "高新区", "沁县": "沁县"} {
		if got := NormalizeDistrict(in); got != want {
			t.Errorf("NormalizeDistrict(%q) = %q", in, got)
		}
	}
	// The cooperator cell goes through package dept's one splitter (its own tests pin the rules).
	for in, want := range map[string][]string{
		"人力资源和社会保障、商务、税务部门": {"人力资源和社会保障部门", "商务部门", "税务部门"},
		"壶关县市场监管局壶关县税务局":    {"壶关县市场监管局", "壶关县税务局"},
		"市邮政管理局、\n市公安局":     {"市邮政管理局", "市公安局"},
		"":                  nil,
	} {
		if got := splitDepts(in, ""); !reflect.DeepEqual(got, want) {
			t.Errorf("splitDepts(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFilter(t *testing.T) {
	p := embedded(t)
	qx := p.Select(Filter{District: "沁县"})
	if len(qx) != 29 || qx[0].Seq != 267 || qx[28].Seq != 295 {
		t.Errorf("沁县: %d tasks", len(qx))
	}
	for _, k := range p.Select(Filter{Dept: "住建", Month: 6, Keyword: "燃气", Risk: RiskProgressive}) {
		if !strings.Contains(strings.Join(k.Departments(), "|"), "住建") || !k.Window.Contains(6) || k.Risk.Kind != RiskProgressive ||
			!(strings.Contains(k.Name, "燃气") || strings.Contains(k.Items, "燃气") || strings.Contains(strings.Join(k.Scopes, ""), "燃气")) {
			t.Errorf("task %d does not match the filter", k.Seq)
		}
	}
	if got := p.Select(Filter{District: "不存在"}); got == nil || len(got) != 0 {
		t.Errorf("unknown district: %v", got)
	}
}

func TestLint(t *testing.T) {
	p := embedded(t)
	fs := Lint(p)
	has := func(seq int, kind string) bool {
		for _, f := range fs {
			if f.Seq == seq && f.Kind == kind {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		seq  int
		kind string
	}{{56, LintUnspecified}, {296, LintSwapped}, {297, LintSwapped}, {22, LintRepair}, {313, LintRepair}, {57, LintDept}} {
		if !has(c.seq, c.kind) {
			t.Errorf("lint lacks %s for task %d", c.kind, c.seq)
		}
	}
	repairs := 0
	for _, k := range p.Tasks {
		repairs += len(k.Repairs)
	}
	n := 0
	for _, f := range fs {
		if f.Kind == LintRepair {
			n++
		}
	}
	if n != repairs {
		t.Errorf("lint lists %d repairs, tasks carry %d", n, repairs)
	}
	// An initiator that is also a cooperator.
	q := &Plan{ID: "T", Tasks: []Task{{Seq: 1, Key: "T-1", Initiator: "甲局", Cooperators: []string{"乙局", "甲局"}, Mode: ModeCounty, Items: "检查", Scopes: []string{"企业"}}}}
	if fs := Lint(q); len(fs) != 1 || fs[0].Kind != LintSelf {
		t.Errorf("lint of self-cooperator: %+v", fs)
	}
	// An initiator is several departments when package dept's splitter makes several of it
	// (or it leaves the choice open with 或); levels before one department are one department
	// (淄博 2022: 省、市、县级自然资源部门; 济南 人社 2021: 市级、县级人力资源社会保障部门).
	for _, c := range []struct {
		ini  string
		many bool
	}{
		{"省、市、县级自然资源部门", false}, {"市级、县级人力资源社会保障部门", false}, {"市、县级林业主管部门", false},
		{"潞城区市场监督管理局、区教育局", true}, {"市场监管、税务部门", true}, {"文化和旅游或卫生健康部门", true},
	} {
		q := &Plan{ID: "T", Tasks: []Task{{Seq: 1, Key: "T-1", Initiator: c.ini, Mode: ModeCounty, Items: "检查", Scopes: []string{"企业"}}}}
		got := false
		for _, f := range Lint(q) {
			got = got || f.Kind == LintDept
		}
		if got != c.many {
			t.Errorf("lint of initiator %q: a note that it is several departments %v, want %v", c.ini, got, c.many)
		}
	}
	// Class ratios that leave out classes (no draw can be made), and all four (nothing said).
	part := Task{Seq: 1, Key: "T-1", Initiator: "甲局", Items: "检查", Scopes: []string{"企业"},
		Ratio: Ratio{Text: "A:3%;", PerClass: map[string]string{"A": "3", "C": "5"}}}
	whole := part
	whole.Seq, whole.Key, whole.Ratio.PerClass = 2, "T-2", map[string]string{"A": "3", "B": "4", "C": "5", "D": "6"}
	fs = Lint(&Plan{ID: "T", Tasks: []Task{part, whole}})
	if len(fs) != 1 || fs[0].Kind != LintClasses || fs[0].Seq != 1 || !strings.Contains(fs[0].Message, "缺少B、D类") {
		t.Errorf("lint of class ratios: %+v", fs)
	}
}

func TestTaskJSONRoundTrip(t *testing.T) {
	p := embedded(t)
	for _, k := range append(p.Tasks, Task{Seq: 1, Key: "T-1"}) {
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var back Task
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		k.Line = 0
		if !reflect.DeepEqual(back, k) {
			t.Errorf("task %d does not survive a JSON round trip:\n%+v\n%+v", k.Seq, k, back)
		}
	}
}

// TestExtensionsAreTheReaders: the extensions the web page accepts and messages list are
// exactly those Load has a reader for.
func TestExtensionsAreTheReaders(t *testing.T) {
	var keys []string
	for ext := range readers {
		keys = append(keys, ext)
	}
	slices.Sort(keys)
	exts := slices.Sorted(slices.Values(Extensions))
	if !slices.Equal(keys, exts) {
		t.Errorf("readers %v, Extensions %v", keys, exts)
	}
}

// A table with a 地市 column whose first rows leave it empty: with --plan-district those rows
// take it, and their tasks' repairs say so (lint lists them); a row under a district cell takes
// that cell's, silently, even when it names the same place; without --plan-district the empty
// rows are flagged.
func TestPlanDistrictAboveFirstCell(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.tsv")
	table := "某县2026年部门联合双随机抽查工作计划\n" +
		"地市\t序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t抽查检查起止时间\t发起部门\n" +
		"\t1\t甲任务\t甲事项\t甲对象\t5%\t4月—6月\t县市场监管局\n" +
		"沁县\t2\t乙任务\t乙事项\t乙对象\t5%\t4月—6月\t县市场监管局\n" +
		"\t3\t丙任务\t丙事项\t丙对象\t5%\t4月—6月\t县市场监管局\n"
	if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadWith(path, Options{District: "沁县"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 3 {
		t.Fatalf("%d tasks, want 3", len(p.Tasks))
	}
	said := func(k Task) bool {
		for _, r := range k.Repairs {
			if strings.Contains(r, "按 --plan-district 取“沁县”") {
				return true
			}
		}
		return false
	}
	for i, want := range []bool{true, false, false} {
		if k := p.Tasks[i]; k.District != "沁县" || said(k) != want {
			t.Errorf("task %d: district %q, repairs %q (the --plan-district note: %v, want %v)", k.Seq, k.District, k.Repairs, said(k), want)
		}
	}
	p, err = LoadWith(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if k := p.Tasks[0]; k.District != "" || len(k.Flags) == 0 || k.Flags[0].Kind != FlagDistrict {
		t.Errorf("without --plan-district, task 1: district %q, flags %+v", k.District, k.Flags)
	}
}

// TestLoadWithName: a copy of a plan under another name (the web page's upload) takes its ID
// from Options.Name, the name it was uploaded as: the title's place and year for a Chinese
// name, never the copy's random name.
func TestLoadWithName(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "plans", "bozhou-2024.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "0123456789abcdef0123456789abcdef.tsv")
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	want, _ := TitleID("亳州市市场监管领域2024年度“一业一查”部门联合抽查工作计划")
	p, err := LoadWith(copyPath, Options{Name: "亳州计划.tsv"})
	if err != nil || p.ID != want {
		t.Fatalf("LoadWith(copy, Name 亳州计划.tsv) = %v, %v; want ID %s", p, err, want)
	}
	if p, err := LoadWith(copyPath, Options{Name: "bozhou.tsv"}); err != nil || p.ID != "bozhou" {
		t.Errorf("ASCII Name: %v, %v", p, err)
	}
}
