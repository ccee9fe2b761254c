package dept

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Tie says why the candidates of an Ambiguous piece match it equally.
type Tie string

const (
	// TieSpellings: the candidates read as one department of one district with one sub-unit —
	// the roster writes one office several ways (沁县市场监管局, 沁县市场监督管理局).
	TieSpellings Tie = "spellings"
	// TieSubUnits: the candidates are sub-units of the bureau the plan names, none of them the
	// plan's own (海曙区市场监督管理局执法大队, 海曙区市场监督管理局南门所 for 海曙区市场监管局):
	// the roster lists people by sub-unit only.
	TieSubUnits Tie = "sub_units"
	// TieDistricts: neither the name nor the task gives a district, and the roster has the
	// department of several districts.
	TieDistricts Tie = "districts"
	// TieOther: any other tie (two merged offices, two unknown names of one stem).
	TieOther Tie = "other"
)

// tieOf says why the roster names tie (they all matched one plan piece equally).
func (m Map) tieOf(names []string) Tie {
	ns := make([]Name, 0, len(names))
	for _, s := range names {
		n, ok := m.Parse(s)
		if !ok {
			return TieOther
		}
		ns = append(ns, n)
	}
	same, subUnits, districts := true, true, false
	for _, n := range ns {
		same = same && n == ns[0]
		subUnits = subUnits && n.Dept == ns[0].Dept && n.District == ns[0].District && n.SubUnit != ""
		districts = districts || n.District != ns[0].District
	}
	switch {
	case same:
		return TieSpellings
	case subUnits:
		return TieSubUnits
	case districts:
		return TieDistricts
	}
	return TieOther
}

// CellsEntry is the --dept-map YAML of one cells entry: text means the given departments.
// It is written by the YAML encoder, so any name reads back as written.
func CellsEntry(text string, departments []string) string {
	type entry struct {
		Text        string   `yaml:"text"`
		Departments []string `yaml:"departments"`
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Cells []entry `yaml:"cells"`
	}{[]entry{{text, departments}}}); err != nil {
		// Encoding strings and lists of strings cannot fail; say so rather than print nothing.
		return fmt.Sprintf("（无法写出对照表条目：%v）", err)
	}
	_ = enc.Close()
	return b.String()
}

// TiedList is the Candidates of an Ambiguous match for a message: 「甲」（3人）、「乙」（2人）.
// count gives the inspectors of each roster department; nil leaves the counts out.
func (r Match) TiedList(count map[string]int) string {
	parts := make([]string, len(r.Candidates))
	for i, c := range r.Candidates {
		parts[i] = "「" + c + "」"
		if count != nil {
			parts[i] += fmt.Sprintf("（%d人）", count[c])
		}
	}
	return strings.Join(parts, "、")
}

// Remedy says what to do about an Ambiguous match so that the draw can run, in Chinese, with
// a cells entry of --dept-map that settles it (several lines; "" for any other match). count
// gives the inspectors of each roster department (nil when unknown): for one office written
// two ways the entry names the spelling most inspectors are listed under.
func (r Match) Remedy(count map[string]int) string {
	if r.Flag != Ambiguous || len(r.Candidates) == 0 {
		return ""
	}
	save := "把这几行保存为 YAML 文件（如 部门对照.yaml），抽取时加 --dept-map 部门对照.yaml。"
	if r.Explicit {
		return fmt.Sprintf("部门「%s」是 --dept-map 的 cells 中写明的，它同样对得上名录中的几个部门：请在该项的 departments 中改写为名录中所属部门的全称（如「%s」），每个派人的部门写一项。",
			r.Text, r.Candidates[0])
	}
	switch r.Tie {
	case TieSpellings:
		most := r.Candidates[0]
		for _, c := range r.Candidates[1:] {
			if count[c] > count[most] {
				most = c
			}
		}
		return "名录把同一部门写成了几种名称（" + r.TiedList(nil) + "）。请在执法检查人员名录的所属部门一栏统一为一种写法后再抽取；" +
			"或者在 --dept-map 的 cells 中写明用哪一种（只有所属部门写作这一名称的人员参加选派），例如：\n" +
			indent(CellsEntry(r.Text, []string{most})) + save
	case TieDistricts:
		return "计划中该任务没有区县，名录中几个区县的同名部门都对得上：请用 --plan-district 给出任务所属的区县；" +
			"或者在 --dept-map 的 cells 中写明由名录中的哪个部门派人，例如：\n" +
			indent(CellsEntry(r.Text, r.Candidates[:1])) + save
	}
	lead := "名录中几个部门同样对得上"
	if r.Tie == TieSubUnits {
		lead = "名录只按内设机构列出该部门的人员"
	}
	return lead + "：请在 --dept-map 的 cells 中写明由名录中的哪个（哪些）部门派人，例如：\n" +
		indent(CellsEntry(r.Text, r.Candidates)) +
		"只保留派人的部门（列出的每个部门各自按每户人数派人）；" + save
}

// indent indents each line of a cells entry by two spaces: an example in a hint, which the
// command line prints as it is, without its 提示 prefix, so that it can be copied (still YAML).
func indent(entry string) string {
	lines := strings.SplitAfter(entry, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "")
}
