// Package dept matches the department names of a plan (沁县市场监管局价监股, 县市场局) to the
// names of an inspector roster (沁县市场监督管理局), through an embedded synonym table.
//
// # Reading a name
//
// A department name is read as
//
//	[city prefix] [district] [generic 县/区] department [sub-unit]
//
// after NFKC normalisation with all white space and bracketed notes removed
// (潞州区发改局（潞州区国动办） reads as 潞州区发改局). The department is the longest alias of the
// synonym table that the rest of the name starts with, so 沁县市场监管局价监股 is 市场监督管理局
// of 沁县 with the sub-unit 价监股, and 长治市生态环境局沁源分局法制科 is 生态环境局 of 沁源县 (a
// city bureau's 分局 belongs to the district it names). Sub-units are never matched on: a plan
// cell names the office that sends inspectors, and a roster lists people by office. Names the
// table does not know fall back to the text up to the first 局, 委员会, 部, 大队, 中心 or
// 办公室, so an unknown office still matches the same office in the roster.
//
// # Matching
//
// [Map.MatchIn] compares canonical departments. The district comes from the name itself or,
// when the name has none (市场监管部门, 县市场局), from the task's district; a roster department
// of another district never matches. Among the candidates it prefers an exact department over a
// merged office that stands for it (卫生健康局 → 卫生健康和体育局), then the same district over a
// roster name without district, then the same sub-unit, then the byte-wise smallest name.
//
// # Cells with several departments
//
// A plan cell may name several departments: 沁县市场监管局、沁县税务局, 长子县市场局 长子县应急局,
// 壶关县市场监管局壶关县税务局, and the shared-suffix form 潞州区市场监管、税务、交通运输局.
// [Split] expands such a cell into one name per department.
package dept

import (
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

//go:embed synonyms.yaml
var defaultYAML []byte

// Map is a department synonym table. The zero Map knows no department; use DefaultMap or
// LoadMap. A Map is read-only and safe for concurrent use.
type Map struct {
	alias     map[string]string          // alias or canonical name → canonical name
	aliases   []string                   // every key of alias, longest first
	merges    map[string]map[string]bool // merged canonical → the canonicals it stands for
	districts []districtForm             // full and short forms, longest first
	prefixes  []string                   // city-level prefixes, longest first
	generic   []string                   // generic 县/区 prefixes, longest first
}

type districtForm struct{ form, name string }

// file is the YAML form of a synonym table.
type file struct {
	Version   int `yaml:"version"`
	Districts []struct {
		Name  string   `yaml:"name"`
		Short []string `yaml:"short"`
	} `yaml:"districts"`
	Prefixes    []string `yaml:"prefixes"`
	Generic     []string `yaml:"generic"`
	Departments []struct {
		Name    string   `yaml:"name"`
		Aliases []string `yaml:"aliases"`
		Merges  []string `yaml:"merges"`
	} `yaml:"departments"`
}

var defaultMap = sync.OnceValue(func() Map {
	m, err := parseMap(defaultYAML, "dept/synonyms.yaml", Map{})
	if err != nil {
		panic("dept: embedded synonyms.yaml: " + err.Error()) // a build defect, caught by the tests
	}
	return m
})

// DefaultMap is the embedded synonym table (dept/synonyms.yaml).
func DefaultMap() Map { return defaultMap() }

// LoadMap reads a synonym table YAML; name is used in messages. The file has the form of
// dept/synonyms.yaml and is merged over the embedded table: an alias it lists moves to its
// department, its merges and districts are added.
func LoadMap(r io.Reader, name string) (Map, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Map{}, fmt.Errorf("读取部门对照表 %s: %w", name, err)
	}
	return parseMap(b, name, DefaultMap())
}

func parseMap(b []byte, name string, base Map) (Map, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return Map{}, fmt.Errorf("读取部门对照表 %s: %w", name, err)
	}
	if f.Version != 0 && f.Version != 1 {
		return Map{}, fmt.Errorf("部门对照表 %s: 不支持的版本 %d（本程序支持 1）", name, f.Version)
	}
	m := base.clone()
	for _, d := range f.Districts {
		n := normalize(d.Name)
		if n == "" {
			return Map{}, fmt.Errorf("部门对照表 %s: 区县名称为空", name)
		}
		m.districts = append(m.districts, districtForm{n, n})
		for _, s := range d.Short {
			if s = normalize(s); s != "" {
				m.districts = append(m.districts, districtForm{s, n})
			}
		}
	}
	for _, p := range f.Prefixes {
		if p = normalize(p); p != "" {
			m.prefixes = append(m.prefixes, p)
		}
	}
	for _, p := range f.Generic {
		if p = normalize(p); p != "" {
			m.generic = append(m.generic, p)
		}
	}
	// Within one file an alias may name only one department.
	owner := map[string]string{}
	for i, d := range f.Departments {
		c := normalize(d.Name)
		if c == "" {
			return Map{}, fmt.Errorf("部门对照表 %s: 第%d个部门没有名称", name, i+1)
		}
		for _, a := range append([]string{d.Name}, d.Aliases...) {
			a = normalize(a)
			if a == "" {
				continue
			}
			if o, dup := owner[a]; dup && o != c {
				return Map{}, fmt.Errorf("部门对照表 %s: 别名「%s」同时属于「%s」和「%s」", name, a, o, c)
			}
			owner[a] = c
			m.alias[a] = c
		}
	}
	for _, d := range f.Departments {
		c := normalize(d.Name)
		for _, t := range d.Merges {
			t = normalize(t)
			if _, ok := m.alias[t]; !ok {
				return Map{}, fmt.Errorf("部门对照表 %s: 「%s」合并的部门「%s」不在对照表中", name, c, t)
			}
			if m.merges[c] == nil {
				m.merges[c] = map[string]bool{}
			}
			m.merges[c][m.alias[t]] = true
		}
	}
	m.aliases = m.aliases[:0]
	for a := range m.alias {
		m.aliases = append(m.aliases, a)
	}
	byLength(m.aliases)
	sort.SliceStable(m.districts, func(i, j int) bool {
		a, b := m.districts[i].form, m.districts[j].form
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	byLength(m.prefixes)
	byLength(m.generic)
	return m, nil
}

// byLength sorts longest first, then byte-wise, so prefix matching is greedy and stable.
func byLength(s []string) {
	sort.Slice(s, func(i, j int) bool {
		if len(s[i]) != len(s[j]) {
			return len(s[i]) > len(s[j])
		}
		return s[i] < s[j]
	})
}

func (m Map) clone() Map {
	c := Map{alias: map[string]string{}, merges: map[string]map[string]bool{}}
	for k, v := range m.alias {
		c.alias[k] = v
	}
	for k, v := range m.merges {
		c.merges[k] = map[string]bool{}
		for t := range v {
			c.merges[k][t] = true
		}
	}
	c.districts = append(c.districts, m.districts...)
	c.prefixes = append(c.prefixes, m.prefixes...)
	c.generic = append(c.generic, m.generic...)
	return c
}

// Name is a department name as read by Parse.
type Name struct {
	Dept     string // canonical department, e.g. "市场监督管理局"
	District string // canonical district, e.g. "沁县"; "" when the name carries none
	SubUnit  string // what follows the department, e.g. "价监股"
	Known    bool   // the department is in the synonym table (else it is the fallback text)
}

var bracketed = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕`)

// normalize applies NFKC, removes every white space and bracketed notes, and trims
// separators and a trailing 等 (县教育局、县民政局等).
func normalize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	for {
		t := bracketed.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	s = strings.Trim(s, "、,;:：。.-—")
	s = strings.TrimSuffix(s, "等")
	return strings.Trim(s, "、,;:：。.-—")
}

// fallbackUnit ends the department part of a name the table does not know.
var fallbackUnit = []string{"委员会", "办公室", "大队", "中心", "部门", "局", "部", "委"}

// Parse reads one department name. ok is false when the text names no department at all
// (各乡镇, 区抽区查).
func (m Map) Parse(s string) (n Name, ok bool) {
	s = normalize(s)
	for s != "" {
		if a := m.longestAlias(s); a != "" {
			n.Dept, n.Known = m.alias[a], true
			n.SubUnit = s[len(a):]
			// 长治市公安局屯留分局, 市生态局潞州区分局: the bureau's branch in a district.
			if d, rest := m.districtPrefix(n.SubUnit); d != "" && strings.HasPrefix(rest, "分局") {
				if n.District == "" {
					n.District = d
				}
				n.SubUnit = strings.TrimPrefix(rest, "分局")
			}
			return n, true
		}
		if strings.HasPrefix(s, "分局") {
			return Name{}, false // a branch without its bureau: a sub-unit, not a department
		}
		if p := firstPrefix(s, m.prefixes); p != "" {
			s = s[len(p):]
			continue
		}
		if d, rest := m.districtPrefix(s); d != "" {
			if n.District == "" {
				n.District = d
			}
			s = rest
			continue
		}
		if p := firstPrefix(s, m.generic); p != "" {
			s = s[len(p):]
			continue
		}
		break
	}
	// Not in the table: keep the text up to the first unit word, so 乡村振兴局综合股 still
	// matches 乡村振兴局.
	start, end := -1, -1
	for _, u := range fallbackUnit {
		i := strings.Index(s, u)
		if i <= 0 {
			continue
		}
		if start < 0 || i < start || (i == start && i+len(u) > end) {
			start, end = i, i+len(u)
		}
	}
	if start < 0 {
		return Name{}, false
	}
	n.Dept, n.SubUnit = s[:end], s[end:]
	return n, true
}

func (m Map) longestAlias(s string) string {
	return firstPrefix(s, m.aliases)
}

// firstPrefix returns the first of list (sorted longest first) that s starts with.
func firstPrefix(s string, list []string) string {
	for _, p := range list {
		if strings.HasPrefix(s, p) {
			return p
		}
	}
	return ""
}

// districtPrefix returns the canonical district s starts with and the rest of s.
func (m Map) districtPrefix(s string) (district, rest string) {
	for _, d := range m.districts {
		if strings.HasPrefix(s, d.form) {
			return d.name, s[len(d.form):]
		}
	}
	return "", s
}

// District returns the canonical form of a district name (潞州 → 潞州区), or the name
// normalised when the table does not know it.
func (m Map) District(s string) string {
	s = normalize(s)
	if s == "" {
		return ""
	}
	if d, rest := m.districtPrefix(s); d != "" && rest == "" {
		return d
	}
	for _, p := range m.prefixes {
		if t := strings.TrimPrefix(s, p); t != s && t != "" {
			return m.District(t)
		}
	}
	return s
}

// Canonical returns the canonical department a name means, "" when it names none.
func (m Map) Canonical(s string) string {
	n, ok := m.Parse(s)
	if !ok {
		return ""
	}
	return n.Dept
}

// FullName is the department a plan cell means, with its district, e.g. 县市场监管局 and
// 沁县市场监管局价监股 in a 沁县 task are both "沁县市场监督管理局"; district is the task's,
// used when the name carries none. "" when the cell names no department of the table.
func (m Map) FullName(name, district string) string {
	n, ok := m.Parse(name)
	if !ok || !n.Known {
		return ""
	}
	if n.District == "" {
		n.District = m.District(district)
	}
	return n.District + n.Dept
}

// Match finds the roster department that a plan department name means, among the given
// roster department names; ok is false when none matches. Without a district in the plan
// name, roster departments of every district are candidates; use MatchIn to give the task's
// district.
func (m Map) Match(planName string, rosterDepts []string) (match string, ok bool) {
	return m.MatchIn(planName, "", rosterDepts)
}

// MatchIn is Match for a task of the given district (Task.District, e.g. "沁县"): a plan
// name without district (市场监管部门, 县市场局) means that district's department, and roster
// departments of other districts never match. The order of preference is in the package doc.
func (m Map) MatchIn(planName, district string, rosterDepts []string) (match string, ok bool) {
	p, ok := m.Parse(planName)
	if !ok {
		return "", false
	}
	want := p.District
	if want == "" {
		want = m.District(district)
	}
	type cand struct {
		name                  string
		merged, other, other2 bool
	}
	var best *cand
	less := func(a, b cand) bool {
		if a.merged != b.merged {
			return !a.merged
		}
		if a.other != b.other {
			return !a.other
		}
		if a.other2 != b.other2 {
			return !a.other2
		}
		return a.name < b.name
	}
	for _, r := range rosterDepts {
		rn, ok := m.Parse(r)
		if !ok {
			continue
		}
		c := cand{name: r}
		switch {
		case rn.Dept == p.Dept:
		case m.merges[rn.Dept][p.Dept] || m.merges[p.Dept][rn.Dept]:
			c.merged = true
		default:
			continue
		}
		if want != "" && rn.District != "" && rn.District != want {
			continue
		}
		c.other = want == "" || rn.District != want
		c.other2 = rn.SubUnit != p.SubUnit
		if best == nil || less(c, *best) {
			cc := c
			best = &cc
		}
	}
	if best == nil {
		return "", false
	}
	return best.name, true
}

// Split expands a plan cell that names several departments into one name per department,
// using the embedded table. See Map.Split.
func Split(cell string) []string { return DefaultMap().Split(cell) }

var separators = regexp.MustCompile(`[、,，;；/／|｜\s]+|或|以及|及|与`)

// unitSuffixes may be shared by a list: 市场监管、税务、交通运输局.
var unitSuffixes = []string{"部门", "局"}

// Split expands a plan cell that names several departments into one name per department,
// in cell order, without duplicates:
//
//   - separators 、，；/ white space 或 及 与 split the cell, and 局和 splits
//     (农业农村局和水利局) while 住房和城乡建设局 does not;
//   - two full names written together split (壶关县市场监管局壶关县税务局);
//   - a piece that names no department is a sub-unit of the one before and is kept with it
//     (沁源县卫体局监督二、三股; 沁源县新闻出版局 宣传教育理论股);
//   - a shared suffix 局 or 部门 of the last piece goes to the pieces without one, and the
//     district of the first piece to the pieces without one (潞州区市场监管、税务、交通运输局 →
//     潞州区市场监管局, 潞州区税务局, 潞州区交通运输局; 潞城区市场监管局、区消防救援大队 →
//     潞城区市场监管局, 潞城区消防救援大队).
//
// A cell that names no department comes back as it is (trimmed), so the caller can report it.
// The sample command calls Split on the initiator and on each cooperator, and MatchIn on
// every piece with the task's district; pieces matching the same roster department count once.
func (m Map) Split(cell string) []string {
	raw := norm.NFKC.String(cell)
	raw = bracketed.ReplaceAllString(raw, "")
	raw = strings.ReplaceAll(raw, "局和", "局、")
	raw = strings.ReplaceAll(raw, "局及", "局、")
	raw = strings.ReplaceAll(raw, "部门和", "部门、")
	// Pieces, each with the separator that preceded it.
	type piece struct{ sep, text string }
	var pieces []piece
	at, sep := 0, ""
	add := func(text string) {
		if text = normalize(text); text != "" {
			for _, t := range m.splitJoined(text) {
				pieces = append(pieces, piece{sep, t})
				sep = ""
			}
		}
	}
	for _, loc := range separators.FindAllStringIndex(raw, -1) {
		add(raw[at:loc[0]])
		if s := raw[loc[0]:loc[1]]; strings.TrimSpace(s) == "" {
			sep += " "
		} else {
			sep += strings.TrimSpace(s)
		}
		at = loc[1]
	}
	add(raw[at:])
	// Sub-units after a separator stay with their department, with the separator as written.
	var merged []string
	for _, p := range pieces {
		if _, ok := m.Parse(p.text); !ok && len(merged) > 0 {
			merged[len(merged)-1] += p.sep + p.text
			continue
		}
		merged = append(merged, p.text)
	}
	if len(merged) == 0 {
		if t := strings.TrimSpace(cell); t != "" {
			return []string{t}
		}
		return nil
	}
	// Shared suffix.
	last := merged[len(merged)-1]
	suffix := ""
	for _, s := range unitSuffixes {
		if strings.HasSuffix(last, s) {
			suffix = s
			break
		}
	}
	if suffix != "" && len(merged) > 1 {
		for i, p := range merged[:len(merged)-1] {
			if n, ok := m.Parse(p); ok && n.Known && n.SubUnit == "" && !endsWithUnit(p) {
				merged[i] = p + suffix
			}
		}
	}
	// Shared district.
	first, _ := m.Parse(merged[0])
	if first.District != "" {
		for i, p := range merged[1:] {
			n, ok := m.Parse(p)
			if !ok || n.District != "" || firstPrefix(p, m.prefixes) != "" {
				continue
			}
			if m.longestAlias(p) == "" {
				p = strings.TrimPrefix(p, firstPrefix(p, m.generic)) // 区消防救援大队
			}
			merged[i+1] = first.District + p
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range merged {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// splitJoined splits two full names written without a separator: 壶关县市场监管局壶关县税务局,
// 沁源县市场监管局应急管理局. The second part must be a whole name of the table
// ([district] alias), so 公安局交通管理大队 stays one.
func (m Map) splitJoined(p string) []string {
	n, ok := m.Parse(p)
	if !ok || !n.Known || n.SubUnit == "" {
		return []string{p}
	}
	rest := n.SubUnit
	rn, ok := m.Parse(rest)
	if !ok || !rn.Known || rn.SubUnit != "" || !endsWithUnit(rest) || normalize(rest) != rest {
		return []string{p}
	}
	head := p[:len(p)-len(rest)]
	return append([]string{head}, m.splitJoined(rest)...)
}

func endsWithUnit(s string) bool {
	for _, u := range []string{"局", "部门", "部", "委", "委员会", "大队", "队", "中心", "办公室", "机构", "单位", "所", "站"} {
		if strings.HasSuffix(s, u) {
			return true
		}
	}
	return false
}
