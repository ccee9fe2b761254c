package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// hintEntry is the --dept-map cells entry the hint of stderr prints, without the
// "choucha: 提示: " the sample's error lines start with.
func hintEntry(t *testing.T, stderr string) string {
	t.Helper()
	var out []string
	in := false
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimPrefix(l, "choucha: 提示: ")
		switch {
		case strings.TrimSpace(l) == "cells:":
			in = true
		case in && !strings.HasPrefix(l, " "):
			return strings.Join(out, "\n") + "\n"
		}
		if in {
			out = append(out, l)
		}
	}
	t.Fatalf("no cells entry in\n%s", stderr)
	return ""
}

// A roster that lists the initiating bureau by sub-unit only, or writes it two ways: sample
// refuses and names the roster departments; dept match shows the same; the cells entry the
// hint prints, saved and given as --dept-map, lets the draw run with the inspectors it names.
func TestSampleAmbiguousDepartment(t *testing.T) {
	tests := []struct {
		name, initiator string
		rows            string // inspectors, after the header
		candidates      []string
		tie, msg, hint  string
		sends           []string // with the printed entry: the roster departments on the teams, sorted
	}{
		{
			name: "sub-units", initiator: "沁县市场监管局",
			rows: "甲,1404300001,沁县市场监督管理局执法大队\n乙,1404300002,沁县市场监督管理局执法大队\n" +
				"丙,1404300003,沁县市场监督管理局城关所\n丁,1404300004,沁县市场监督管理局城关所\n戊,1404300005,沁县住房和城乡建设管理局\n",
			// 城 (U+57CE) sorts before 执 (U+6267).
			candidates: []string{"沁县市场监督管理局城关所", "沁县市场监督管理局执法大队"}, tie: "sub_units",
			msg:   "choucha: 错误: 计划部门「沁县市场监管局」在执法检查人员名录 insp.csv 中同样对得上 2 个部门：「沁县市场监督管理局城关所」（2人）、「沁县市场监督管理局执法大队」（2人），不能确定由哪个部门派人\n",
			hint:  "choucha: 提示: 名录只按内设机构列出该部门的人员：请在 --dept-map 的 cells 中写明由名录中的哪个（哪些）部门派人，例如：\n",
			sends: []string{"沁县住房和城乡建设管理局", "沁县市场监督管理局城关所", "沁县市场监督管理局执法大队"},
		},
		{
			name: "spellings", // the plan's 沁县市场监管局价监股
			rows: "甲,1404300001,沁县市场监管局\n乙,1404300002,沁县市场监督管理局\n丙,1404300003,沁县市场监督管理局\n" +
				"丁,1404300004,沁县市场监督管理局\n戊,1404300005,沁县住房和城乡建设管理局\n",
			candidates: []string{"沁县市场监督管理局", "沁县市场监管局"}, tie: "spellings",
			msg:   "choucha: 错误: 计划部门「沁县市场监管局价监股」在执法检查人员名录 insp.csv 中同样对得上 2 个部门：「沁县市场监督管理局」（3人）、「沁县市场监管局」（1人），不能确定由哪个部门派人\n",
			hint:  "choucha: 提示: 名录把同一部门写成了几种名称（「沁县市场监督管理局」、「沁县市场监管局」）。请在执法检查人员名录的所属部门一栏统一为一种写法后再抽取；",
			sends: []string{"沁县住房和城乡建设管理局", "沁县市场监督管理局"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "c.db")
			planFile := qinxianPlanDepts(t, dir, tc.initiator, "沁县住建局")
			insp := filepath.Join(dir, "insp.csv")
			if err := os.WriteFile(insp, []byte("姓名,执法证号,单位名称,执法证有效期\n"+strings.ReplaceAll(tc.rows, "\n", ",2029-06-30\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			sample := []string{"sample", "--plan", planFile, "--task", "292", "--roster", rosterPath("qinxian-realestate.xlsx"),
				"--inspectors", insp, "--seed", testSeed, "--out", filepath.Join(dir, "d")}
			_, stderr, code := cli(t, db, sample...)
			msg := strings.Replace(tc.msg, "insp.csv", insp, 1)
			if code != 1 || !strings.Contains(stderr, msg) || !strings.Contains(stderr, tc.hint) {
				t.Fatalf("sample: exit %d\n%s\nwant\n%s%s", code, stderr, msg, tc.hint)
			}
			entry := hintEntry(t, stderr)

			stdout, mstderr, code := cli(t, db, "dept", "match", "--plan", planFile, "--task", "292", "--inspectors", insp, "--format", "json")
			if code != 0 {
				t.Fatalf("dept match: exit %d\n%s", code, mstderr)
			}
			var res deptMatchResult
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			if d := res.Departments[0]; d.Matched || d.Dept != "" || d.Flag != "ambiguous" || !reflect.DeepEqual(d.Candidates, tc.candidates) || d.Tie != tc.tie {
				t.Errorf("dept match: %+v", d)
			}
			if e := hintEntry(t, mstderr); e != entry {
				t.Errorf("dept match prints\n%s\nsample printed\n%s", e, entry)
			}
			table, _, _ := cli(t, db, "dept", "match", "--plan", planFile, "--task", "292", "--inspectors", insp)
			if !strings.Contains(table, "须指定（同样对得上几个部门）："+strings.Join(tc.candidates, "、")) {
				t.Errorf("dept match table:\n%s", table)
			}

			mapFile := filepath.Join(dir, "部门对照.yaml")
			if err := os.WriteFile(mapFile, []byte(entry), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, stderr, code := cli(t, db, append(sample, "--dept-map", mapFile)...); code != 0 {
				t.Fatalf("sample with the printed entry\n%s: exit %d\n%s", entry, code, stderr)
			}
			m := readManifest(t, filepath.Join(dir, "d"))
			sent := map[string]string{}
			for _, a := range m.Assignments {
				for _, mb := range a.Team {
					sent[mb.Dept] = mb.Role
				}
			}
			if got := keys(sent); len(m.Assignments) == 0 || !reflect.DeepEqual(got, tc.sends) {
				t.Errorf("with the printed entry, %d teams from %q; want %q", len(m.Assignments), got, tc.sends)
			}

			// The map is recorded with the draw, and its replay matches by it without the file.
			sum := sha256.Sum256([]byte(entry))
			if r := m.Inspectors.DeptMap; r == nil || r.File != mapFile || r.Text != entry || r.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("recorded dept map: %+v", r)
			}
			os.Remove(mapFile)
			replay := []string{"replay", "1", "--plan", planFile, "--roster", rosterPath("qinxian-realestate.xlsx"), "--inspectors", insp}
			stdout, stderr, code = cli(t, db, replay...)
			if code != 0 || !strings.HasPrefix(stdout, "一致：") || !strings.Contains(stderr, "按抽取时记录的部门对照表 "+mapFile) {
				t.Errorf("replay without the map file: exit %d\n%s%s", code, stdout, stderr)
			}
			if tc.name != "sub-units" {
				return
			}
			// Another map given (one sub-unit only): the teams differ, and the replay says
			// which maps were used.
			other := filepath.Join(dir, "另一份.yaml")
			one := "cells:\n  - text: " + tc.initiator + "\n    departments: [" + tc.candidates[0] + "]\n"
			if err := os.WriteFile(other, []byte(one), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code = cli(t, db, append(replay, "--dept-map", other)...)
			if code != 1 || !strings.Contains(stdout, "部门对应所用的对照表与记录不同：记录为部门对照表 "+mapFile+"，本次为部门对照表 "+other) {
				t.Errorf("replay with another map: exit %d\n%s%s", code, stdout, stderr)
			}
		})
	}
}
