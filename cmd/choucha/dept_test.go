package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/choucha/choucha/plan"
)

// qinxianPlan writes a one-task 沁县 plan (task 292 of the embedded plan) whose 配合部门 cell is
// coop, and returns its path.
func qinxianPlan(t *testing.T, dir, coop string) string {
	t.Helper()
	return qinxianPlanDepts(t, dir, "", coop)
}

// qinxianPlanDepts is qinxianPlan with the 发起部门 cell initiator too ("" keeps the plan's).
func qinxianPlanDepts(t *testing.T, dir, initiator, coop string) string {
	t.Helper()
	var title, header, row string
	for _, l := range strings.Split(string(plan.EmbeddedBytes()), "\n") {
		l = strings.TrimSuffix(l, "\r")
		c := strings.Split(l, "\t")
		switch {
		case title == "" && strings.Contains(l, "部门联合双随机抽查工作计划"):
			title = l
		case len(c) > 1 && c[0] == "地市":
			header = l
		case len(c) == 11 && c[1] == "292":
			c[0], c[9] = "沁县", coop
			if initiator != "" {
				c[8] = initiator
			}
			row = strings.Join(c, "\t")
		}
	}
	if title == "" || header == "" || row == "" {
		t.Fatal("task 292 not found in the embedded plan")
	}
	p := filepath.Join(dir, "qinxian.txt")
	if err := os.WriteFile(p, []byte(title+"\n\n"+header+"\n"+row+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Issue 13 B1: with the same --dept-map, what `dept match` shows is exactly what `sample`
// assigns from. The cooperator cell 沁县住建局振兴局 names two departments only with the map
// (振兴局 is its alias of 民政局); before, sample split the cell with the built-in table (one
// department, 住建局) while dept match used the map (two).
func TestDeptMatchIsWhatSampleUses(t *testing.T) {
	dir := t.TempDir()
	planFile := qinxianPlan(t, dir, "沁县住建局振兴局")
	mapFile := filepath.Join(dir, "map.yaml")
	if err := os.WriteFile(mapFile, []byte("departments:\n  - name: 民政局\n    aliases: [振兴局]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	insp := rosterPath("qinxian-inspectors.xlsx")
	db := filepath.Join(dir, "c.db")

	stdout, stderr, code := cli(t, db, "dept", "match", "--plan", planFile, "--task", "292", "--inspectors", insp, "--dept-map", mapFile, "--format", "json")
	if code != 0 {
		t.Fatalf("dept match: exit %d\n%s", code, stderr)
	}
	var res deptMatchResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{} // roster department → role
	for _, d := range res.Departments {
		if !d.Matched {
			t.Errorf("dept match: %q not matched", d.Plan)
			continue
		}
		shown[d.Dept] = d.Role
	}
	// Written by hand from the roster: the initiator's 沁县市场监管局价监股 and both cooperators.
	want := map[string]string{"沁县市场监督管理局": "initiator", "沁县住房和城乡建设管理局": "cooperator", "沁县民政局": "cooperator"}
	if !sameMap(shown, want) {
		t.Fatalf("dept match shows %v, want %v", shown, want)
	}

	out := filepath.Join(dir, "d")
	_, stderr, code = cli(t, db, "sample", "--plan", planFile, "--task", "292", "--roster", rosterPath("qinxian-realestate.xlsx"),
		"--inspectors", insp, "--dept-map", mapFile, "--seed", testSeed, "--out", out)
	if code != 0 {
		t.Fatalf("sample: exit %d\n%s", code, stderr)
	}
	m := readManifest(t, out)
	if len(m.Assignments) == 0 || len(m.Assignments) != len(m.Selected) {
		t.Fatalf("assignments for %d of %d firms", len(m.Assignments), len(m.Selected))
	}
	for _, a := range m.Assignments {
		used := map[string]string{}
		for _, mem := range a.Team {
			used[mem.Dept] = mem.Role
		}
		if !sameMap(used, shown) {
			t.Errorf("team of %s comes from %v; dept match showed %v", a.Key, keys(used), keys(shown))
		}
	}

	// replay goes through the same resolver: identical with the map, and without it (the
	// draw recorded it); different with another map (an empty one: the built-in table), and
	// it says which maps were used.
	replay := []string{"replay", filepath.Join(out, "manifest.json"), "--plan", planFile, "--roster", rosterPath("qinxian-realestate.xlsx"), "--inspectors", insp}
	if stdout, stderr, code := cli(t, db, append(replay, "--dept-map", mapFile)...); code != 0 || !strings.Contains(stdout+stderr, "一致") {
		t.Errorf("replay with the map: exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout, stderr, code := cli(t, db, replay...); code != 0 || !strings.HasPrefix(stdout, "一致") || !strings.Contains(stderr, "按抽取时记录的部门对照表") {
		t.Errorf("replay without the map: exit %d\n%s%s", code, stdout, stderr)
	}
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if stdout, stderr, code := cli(t, db, append(replay, "--dept-map", empty)...); code == 0 || !strings.Contains(stdout, "检查组不同") ||
		!strings.Contains(stdout, "部门对应所用的对照表与记录不同：记录为部门对照表 "+mapFile+"，本次为部门对照表 "+empty) {
		t.Errorf("replay with another map: exit %d\n%s%s", code, stdout, stderr)
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Tester's report, item 6: replaying a draw made with --plan FILE without --plan said
// “--plan-id 只能与 --plan 一起使用” although no --plan-id was given; without the --dept-map
// the draw used, it said only that the teams differ. Both now say what the draw used.
func TestReplayNamesPlanFileAndDeptMap(t *testing.T) {
	dir := t.TempDir()
	planFile := qinxianPlan(t, dir, "沁县住建局振兴局")
	mapFile := filepath.Join(dir, "map.yaml")
	if err := os.WriteFile(mapFile, []byte("departments:\n  - name: 民政局\n    aliases: [振兴局]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	insp := rosterPath("qinxian-inspectors.xlsx")
	db := filepath.Join(dir, "c.db")
	out := filepath.Join(dir, "d")
	if _, stderr, code := cli(t, db, "sample", "--plan", planFile, "--task", "292", "--roster", rosterPath("qinxian-realestate.xlsx"),
		"--inspectors", insp, "--dept-map", mapFile, "--seed", testSeed, "--out", out); code != 0 {
		t.Fatalf("sample: exit %d\n%s", code, stderr)
	}
	m := readManifest(t, out)
	replay := []string{"replay", "1", "--roster", rosterPath("qinxian-realestate.xlsx"), "--inspectors", insp}

	_, stderr, code := cli(t, db, replay...)
	if code != 2 || strings.Contains(stderr, "--plan-id") || !strings.Contains(stderr, "计划编号 "+m.Plan.ID+"，sha256 "+m.Plan.SHA256) ||
		!strings.Contains(stderr, "请用 --plan 给出抽取时使用的计划文件") {
		t.Errorf("replay without --plan: exit %d\n%s", code, stderr)
	}
	// Without --dept-map the map the draw recorded is used.
	stdout, stderr, code := cli(t, db, append(replay, "--plan", planFile)...)
	if code != 0 || !strings.HasPrefix(stdout, "一致：") || !strings.Contains(stderr, "按抽取时记录的部门对照表 "+mapFile) {
		t.Errorf("replay without --dept-map: exit %d\n%s%s", code, stdout, stderr)
	}
	// A draw that recorded no map (made before it was recorded: its manifest.json without
	// inspectors.dept_map) replayed without --dept-map: the teams differ, and the replay
	// says the draw's departments point to a map.
	var raw map[string]any
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	delete(raw["inspectors"].(map[string]any), "dept_map")
	old := filepath.Join(dir, "old-manifest.json")
	b, _ = json.MarshalIndent(raw, "", "  ")
	if err := os.WriteFile(old, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = cli(t, db, "replay", old, "--plan", planFile, "--roster", rosterPath("qinxian-realestate.xlsx"), "--inspectors", insp)
	if code != 1 || !strings.HasPrefix(stdout, "不一致：") || !strings.Contains(stderr, "原抽取从 沁县民政局 选派了检查人员") ||
		!strings.Contains(stderr, "请用 --dept-map 给出当时的文件") {
		t.Errorf("replay of a draw without a recorded map, without --dept-map: exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout, stderr, code := cli(t, db, append(replay, "--plan", planFile, "--dept-map", mapFile)...); code != 0 || !strings.HasPrefix(stdout, "一致：") {
		t.Errorf("replay with both: exit %d\n%s%s", code, stdout, stderr)
	}
}

// A plan of another province (qingshan-2024, 武汉市青山区) against a roster written as 青山区's
// offices write their units (testdata/dept/qingshan-inspectors.csv): every department of task 4
// is the 青山区 unit a clerk names, none the 洪山区 one. When a unit is missing, the hint names the
// plan department and shows the --dept-map lines that map it, and those lines work.
func TestDeptMatchOtherProvince(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	planFile := filepath.Join("..", "..", "testdata", "plans", "qingshan-2024.tsv")
	insp := filepath.Join("..", "..", "testdata", "dept", "qingshan-inspectors.csv")
	match := func(insp string, extra ...string) (map[string]string, string) {
		t.Helper()
		args := append([]string{"dept", "match", "--plan", planFile, "--plan-district", "青山区", "--task", "4", "--inspectors", insp, "--format", "json"}, extra...)
		stdout, stderr, code := cli(t, db, args...)
		if code != 0 {
			t.Fatalf("dept match: exit %d\n%s", code, stderr)
		}
		var res deptMatchResult
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, d := range res.Departments {
			got[d.Plan] = d.Dept
		}
		return got, stderr
	}
	got, _ := match(insp)
	want := map[string]string{
		"市场监管部门":      "武汉市青山区市场监督管理局",
		"人力资源和社会保障部门": "武汉市青山区人力资源局",
		"投资促进部门":      "武汉市青山区投资促进局",
		"税务部门":        "国家税务总局武汉市青山区税务局",
	}
	if !sameMap(got, want) {
		t.Fatalf("dept match shows %v, want %v", got, want)
	}

	// The office's roster calls the unit 招商局 and has 洪山区's 投资促进局.
	csv := filepath.Join(dir, "insp.csv")
	rows := "姓名,执法证号,单位名称,执法证有效期\n王建国,4201070001000,武汉市青山区市场监督管理局,2029-06-30\n" +
		"李丽娟,4201070001037,武汉市青山区招商局,2029-06-30\n张志强,4201110002041,武汉市洪山区投资促进局,2029-06-30\n"
	if err := os.WriteFile(csv, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	got, stderr := match(csv)
	if got["投资促进部门"] != "" {
		t.Errorf("投资促进部门 matched %q", got["投资促进部门"])
	}
	for _, s := range []string{"计划部门「人力资源和社会保障部门」「投资促进部门」「税务部门」在名录", "任务 qingshan-2024-4 的区县：青山区", "cells:", "- text: 人力资源和社会保障部门", "departments: [名录中该部门的全称]"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("hint lacks %q:\n%s", s, stderr)
		}
	}
	mapFile := filepath.Join(dir, "map.yaml")
	if err := os.WriteFile(mapFile, []byte("cells:\n  - text: 投资促进部门\n    departments: [武汉市青山区招商局]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The row shows the department the entry names.
	if got, _ := match(csv, "--dept-map", mapFile); got["武汉市青山区招商局"] != "武汉市青山区招商局" || got["投资促进部门"] != "" {
		t.Errorf("with the map: %v", got)
	}
}
