package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/choucha/choucha/dept"
)

// cliFlagRE finds a flag a page should not tell a clerk to type: every flag but --dept-map,
// which the page has no field for and names as a command.
var cliFlagRE = regexp.MustCompile(`--(ratio|window|plan-district|plan-id|assume-valid|sheet|task|operator|inspectors|plan)\b`)

// TestPageText: each way the domain packages tell a CLI user to type a flag reads, on the
// page, as the field that takes it, with the example kept.
func TestPageText(t *testing.T) {
	for in, want := range map[string]string{
		"任务 X-3（…）: 计划未规定抽查比例按哪一级抽取，请用 --ratio 指定所抽一级的比例（如 --ratio 2）（…）":                        "请在“抽查比例”一栏填写所抽一级的比例（如 2）",
		"任务 X-56（抽查比例及频次“1次”）: 计划未规定抽查比例，请用 --ratio P 指定抽查比例（百分数，0 < P ≤ 100，如 --ratio 5）":       "请在“抽查比例”一栏填写抽查比例（百分数，大于 0、不超过 100，如 5）",
		"分级比例中写有频次，计划按每年1次读取：抽取时请写明所抽一级的比例和频次，如 --ratio 每季度12.5%":                                "抽取时请在“抽查比例”一栏写明所抽一级的比例和频次，如 每季度12.5%",
		"不知全年抽几轮（--ratio 可连频次一起写，如 5%，每半年1次）":                                                    "（“抽查比例”一栏可连频次一起写，如 5%，每半年1次）",
		"没有规定比例或户数，抽取时须用 --ratio 指定":                                                             "抽取时须在名录检查页的“抽查比例”一栏填写",
		"表中没有抽查比例列：每个任务都需在抽取时用 --ratio 指定比例":                                                     "每个任务都需在抽取时于名录检查页的“抽查比例”一栏填写比例",
		"表中没有抽查时间列：每个任务都需在抽取时用 --window 指定时间":                                                    "每个任务都需在抽取时于名录检查页的“检查起止时间”一栏填写时间",
		"抽查时间在2023年，本次抽取计入2026年度（计划标题中没有年份）：抽取时须用 --window 指定本年度的抽查时间":                           "抽取时须在名录检查页的“检查起止时间”一栏填写本年度的抽查时间",
		"任务 H-1 的抽查时间没有唯一的读法（…），请用 --window 指定，如 --window 6月—12月":                                "请在“检查起止时间”一栏填写，如 6月—12月",
		`--ratio "abc" 无效：应为大于 0、不超过 100 的百分数，如 5 或 4.5`:                                         "填写的抽查比例“abc”无效",
		"任务 X-1 的抽查比例不得高于10%（计划：不高于10%），--ratio 12 超过了上限":                                        "，填写的抽查比例 12 超过了上限",
		"任务 CZ2026-56 全年共 3 轮抽取（--ratio 每季度10%），没有第 4 轮":                                         "（填写的抽查比例 每季度10%）",
		"只规定了比例上限（不高于10%），--ratio 不得超过10":                                                        "填写的抽查比例不得超过10",
		"表中没有地市列，地市取自标题：黄石市（可用 --plan-district 另行指定）":                                            "（可在“计划文件”页重新读取计划，在“区县”一栏另行指定）",
		"表中没有地市列，标题也没有写地方：各任务的地市为空，可用 --plan-district 指定，否则按名录原样抽取":                              "可在“计划文件”页读取计划时填写“区县”，否则",
		"读取计划 x.tsv: 无法从文件名或标题得出计划编号，请用 --plan-id 指定（只能用英文字母、数字和 . _ -，如 --plan-id SG2023）":      "请在“计划编号”一栏填写（只能用英文字母、数字和 . _ -，如 SG2023）",
		"没有执法证有效期，无法核对执法证是否有效，该人员不会被选派；补齐有效期，或确认全部有效后加 --assume-valid":                           "或确认全部有效后在名录检查页勾选“视为有效”",
		"执法证有效期不明（名录未记录；确认有效后可加 --assume-valid）":                                                 "确认有效后在名录检查页勾选“视为有效”）",
		"计划部门「公安部门」在执法检查人员名录 a.xlsx 中没有对应部门（可用 choucha dept match 查看部门对应关系，或用 --dept-map 补充同义词）": "用 choucha serve --dept-map 对照表文件 重新启动本网页",
		"计划中该任务没有区县，名录中几个区县的同名部门都对得上：请用 --plan-district 给出任务所属的区县；或者":                            "请在“计划文件”页重新读取计划，在“区县”一栏填写任务所属的区县；",
		"读取的是工作表“旧名录”；工作簿另有工作表：“名录”。名录在其他工作表时用 --sheet 名称 选择":                                    "名录在其他工作表时，请在 Excel/WPS 中把它移到最前",
		"计划 Q 的序号1下有2个任务（Q-1.1、Q-1.2），请写明是哪一个，如 --task 1.1":                                      "请在“计划任务”页选择其中一个",
		"台账 a.db 校验不通过（…），请运行 choucha ledger verify，保留台账文件原样并报告管理员":                              "请打开“校验台账”页",
	} {
		got := pageText(in)
		if !strings.Contains(got, want) {
			t.Errorf("pageText(%q)\n = %q\nlacks %q", in, got, want)
		}
		if m := cliFlagRE.FindString(got); m != "" {
			t.Errorf("pageText(%q) = %q still says %s", in, got, m)
		}
	}
	if s := "名录没有在岗状态列，全部人员按在岗处理"; pageText(s) != s {
		t.Errorf("a message without a flag changed: %q", pageText(s))
	}
}

// TestPagesSayFields: a clerk of 青山 (a plan without 地市, ratios without a single reading,
// windows to fill in) and of 黄石 (a window in 2023) is told, on every page, where to fill in
// what the CLI takes as --ratio, --window and --plan-district — with the task's own example.
func TestPagesSayFields(t *testing.T) {
	ts := newTest(t, nil)
	noFlags := func(page, body string) {
		t.Helper()
		// The field labels name their flag for those who know the CLI ("同命令行的 --ratio");
		// nothing else may.
		body = strings.NewReplacer("同命令行的 --ratio", "", "同命令行的 --window", "", "同命令行的 --plan-district", "", "choucha sample --assume-valid", "").Replace(body)
		if m := cliFlagRE.FindString(body); m != "" {
			i := strings.Index(body, m)
			t.Errorf("%s says %s: …%s…", page, m, body[max(0, i-200):min(len(body), i+100)])
		}
	}
	q := ts.uploadPlan("qingshan-2024.tsv", map[string]string{})
	noFlags("lint", ts.get("/plans?lint="+q).body)
	for _, task := range []string{"1.1", "1.2", "3", "6"} {
		noFlags("task "+task, ts.get("/plan/qingshan-2024/task/"+task).body)
	}
	r := ts.upload("/plan/qingshan-2024/task/3/rosters", map[string]string{}, map[string]string{"roster": rosterFile("ningbo-scztxx.xlsx"), "inspectors": rosterFile("haishu-inspectors.xlsx")})
	loc := r.hdr.Get("Location")
	r = ts.get(loc)
	noFlags("check 3", r.body)
	mustContain(t, r.body, "请在“抽查比例”一栏填写所抽一级的比例（如 2）", `placeholder="如 2"`)
	r = ts.get(loc + "&ratio=2")
	noFlags("check 3 at 2%", r.body)
	mustContain(t, r.body, "网页按内置的部门同义词和启动时给出的部门对照表对应")
	f, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
	form := ts.drawForm(f, testSeed, "0")
	form.Set("ratio", "2")
	r = ts.post("/plan/qingshan-2024/task/3/draw", form)
	noFlags("draw 3", r.body)

	// A plan whose windows name two years (no year of its own): a task of another year than
	// the draw's (the test clock's 2026) asks for its window.
	years := filepath.Join(t.TempDir(), "years.tsv")
	if err := os.WriteFile(years, []byte("序号\t地市\t抽查事项\t抽查比例\t发起部门\t实施时间\n"+
		"1\t沁县\t房地产经纪机构检查\t20%\t县市场监管局\t2023年6-12月\n"+
		"2\t沁县\t物业服务企业检查\t20%\t县市场监管局\t2024年3-5月\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = ts.upload("/plans", map[string]string{}, map[string]string{"plan": years})
	if r.code != http.StatusSeeOther {
		t.Fatalf("years.tsv: %d %s", r.code, r.body)
	}
	noFlags("lint", ts.get(r.hdr.Get("Location")).body)
	noFlags("task", ts.get("/plan/years/task/1").body)
	r = ts.upload("/plan/years/task/1/rosters", map[string]string{}, map[string]string{"roster": rosterFile("qinxian-realestate.xlsx")})
	r = ts.get(r.hdr.Get("Location"))
	noFlags("check", r.body)
	mustContain(t, r.body, `placeholder="如 6月—12月"`, "按填写的时间重新计算分层和轮次")
}

// TestServerDeptMap: the map given to choucha serve --dept-map is the one every draw on the
// page uses. 青山's task 3 names 公安部门 as its initiator, which 海曙's inspector roster does
// not have: the page's check says so and refuses the draw; with a map naming the roster
// department it stands for, the draw is recorded, with that department's inspectors.
func TestServerDeptMap(t *testing.T) {
	mapFile := filepath.Join(t.TempDir(), "部门对照.yaml")
	if err := os.WriteFile(mapFile, []byte("cells:\n  - text: 公安部门\n    departments: [宁波市海曙区市场监督管理局]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(mapFile)
	if err != nil {
		t.Fatal(err)
	}
	dm, err := dept.LoadMap(f, mapFile)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		depts  *dept.Map
		refuse bool
	}{{"built-in", nil, true}, {"serve --dept-map", &dm, false}} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTest(t, func(c *Config) { c.Depts = tc.depts })
			ts.uploadPlan("qingshan-2024.tsv", map[string]string{})
			r := ts.upload("/plan/qingshan-2024/task/3/rosters", map[string]string{}, map[string]string{"roster": rosterFile("ningbo-scztxx.xlsx"), "inspectors": rosterFile("haishu-inspectors.xlsx")})
			loc := r.hdr.Get("Location")
			q, _ := url.ParseQuery(strings.SplitN(loc, "?", 2)[1])
			form := ts.drawForm(q, testSeed, "0")
			form.Set("ratio", "2")
			r = ts.post("/plan/qingshan-2024/task/3/draw", form)
			refused := strings.Contains(r.body, "计划部门「公安部门」在执法检查人员名录")
			if refused != tc.refuse {
				t.Fatalf("draw: %d, refused for 公安部门 %v, want %v: %s", r.code, refused, tc.refuse, r.body)
			}
			if !tc.refuse && r.code != http.StatusSeeOther {
				t.Fatalf("draw with the map: %d %s", r.code, r.body)
			}
			if tc.refuse {
				return
			}
			// The map is recorded with the draw: the same ledger served without it replays
			// the draw as it was made.
			if m := ts.entryManifest(1); m.Inspectors == nil || m.Inspectors.DeptMap == nil || m.Inspectors.DeptMap.File != mapFile {
				t.Fatalf("recorded inspectors %+v", m.Inspectors)
			}
			plain := newTest(t, func(c *Config) { c.DB = ts.db })
			plain.uploadPlan("qingshan-2024.tsv", map[string]string{})
			rr := plain.upload("/entry/1/replay", map[string]string{}, map[string]string{"roster": rosterFile("ningbo-scztxx.xlsx"), "inspectors": rosterFile("haishu-inspectors.xlsx")})
			mustContain(t, rr.body, "一致：重放结果与记录相同")
		})
	}
}

// TestPageAmbiguousDepartment: an inspector roster that lists the initiating bureau only by
// its sections (执法大队, 城关所): the check page says which roster departments tie, and its
// hint keeps the cells entry as lines of YAML (white-space: pre-wrap) and says how the page
// takes a map (serve --dept-map), with no other flag to type.
func TestPageAmbiguousDepartment(t *testing.T) {
	insp := filepath.Join(t.TempDir(), "insp.csv")
	rows := "姓名,执法证号,所属部门,执法证有效期\n" +
		"甲,1404300001,沁县市场监督管理局执法大队,2029-06-30\n乙,1404300002,沁县市场监督管理局执法大队,2029-06-30\n" +
		"丙,1404300003,沁县市场监督管理局城关所,2029-06-30\n丁,1404300004,沁县市场监督管理局城关所,2029-06-30\n" +
		"戊,1404300005,沁县住房和城乡建设管理局,2029-06-30\n己,1404300006,沁县住房和城乡建设管理局,2029-06-30\n"
	if err := os.WriteFile(insp, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newTest(t, nil)
	r := ts.upload("/plan/CZ2026/task/292/rosters", map[string]string{}, map[string]string{"roster": rosterFile("qinxian-realestate.xlsx"), "inspectors": insp})
	r = ts.get(r.hdr.Get("Location"))
	mustContain(t, r.body, "同样对得上 2 个部门：「沁县市场监督管理局城关所」（2人）、「沁县市场监督管理局执法大队」（2人）",
		`<span class="hint">`, "\n  cells:\n    - text: 沁县市场监管局价监股\n", "用 choucha serve --dept-map 对照表文件 重新启动本网页后生效",
		"把这几行保存为 YAML 文件（如 部门对照.yaml），用 choucha serve --dept-map 部门对照.yaml 重新启动本网页后再抽取。")
	if m := cliFlagRE.FindString(r.body); m != "" {
		t.Errorf("the page says %s", m)
	}
}
