// Package dept is choucha's one reader of department names: it splits the 发起部门 and 配合部门
// cells of a plan into departments and matches them to the departments of an inspector roster,
// for a plan of any place. Every caller (dept match, sample, replay, export, overlap, the
// calendar, the web page) goes through [Map.Split] and [Map.Resolve]; no other package splits
// department cells.
//
// # Reading a name
//
// A department name is read as
//
//	[prefix] [place…] [generic 县/区] department [sub-unit]
//
// after NFKC normalisation with all white space and bracketed notes removed
// (潞州区发改局（潞州区国动办） reads as 潞州区发改局).
//
//   - The department is the longest alias of the synonym table that the rest of the name
//     starts with, so 沁县市场监管局价监股 is 市场监督管理局 of 沁县 with the sub-unit 价监股. A
//     national name (市场监管部门, 教育行政部门, 公安机关, 消防救援机构) is an alias too: generic
//     words after a department stem (部门, 行政部门, 主管部门, 机关, 机构…) belong to it.
//   - Places are the districts of the plan being used (its tasks' districts and --district,
//     given in a [Scope]) with their short forms (潞州区 → 潞州, 万宁市 → 万宁, 长治高新区 ↔
//     长治高新技术产业开发区), and any other place name ending in 省, 市, 州, 盟, 地区, 县, 区, 旗 or
//     自治… that a department follows (山西省长治市沁县市场监督管理局), and 兵团 with its
//     divisions (新疆生产建设兵团第一师阿拉尔市卫生健康委员会; a division and its city are one
//     district, 师市合一: 第一师阿拉尔市 is also written 第一师 or 阿拉尔市). When several places
//     are written, the last one is the district (长治市屯留区 → 屯留区); a city bureau's 分局 belongs
//     to the district it names (长治市生态环境局沁源分局 → 沁源县). No list of places is built in.
//   - prefixes (中共, 国家税务总局, 同级, 人民政府, 管委会) carry no place, unless an alias they
//     start is longer (人民政府办公室); generic words (县, 区, 市, 县级, 县级以上…) mean the
//     task's own district.
//   - Sub-units are never matched on: a plan cell names the office that sends inspectors, and a
//     roster lists people by office. Names the table does not know fall back to the text up to
//     the first 局, 委员会, 部, 大队, 中心 or 办公室, so an unknown office still matches the same
//     office in the roster.
//
// # Matching
//
// [Map.Resolve] compares canonical departments. The district comes from the name itself or,
// when the name has none (市场监管部门, 县市场局), from the task's district; a roster department
// of another district never matches. Among the candidates it prefers an exact department over a
// merged office that stands for it (卫生健康局 → 卫生健康和体育局), then the same district over a
// roster name without district, then the plan's own sub-unit (usually none: the bureau itself)
// over no sub-unit, and no sub-unit over another one (沁县市场监管局食品股 is 沁县市场监督管理局
// when the roster lists the bureau and its 价监股).
//
// When two or more candidates are left after these preferences, nothing is guessed: the piece
// is flagged [Ambiguous] with the tied roster names, and the draw refuses to run on it. That is
// a roster listing people by sub-unit only (海曙区市场监督管理局执法大队, …南门所) for a plan that
// names the bureau, or one department written two ways in the roster (沁县市场监管局 and
// 沁县市场监督管理局). A cells entry of the map that names roster departments by the names the
// roster writes settles it: such a name matches that roster department.
//
// # Placeholders
//
// A cell may not name its departments: 相关部门, 市场监管领域相关部门, 各有关部门, 各乡镇 (placeholders),
// a list ending in 等 (incomplete), or 甲或乙 (a choice left open). Such a piece is never matched
// to a roster department: it is flagged ([Flag]) until the map has an explicit entry for it
// (the cells key of the YAML), and the draw refuses to run on a flagged piece — as on a piece
// that matches several roster departments equally ([Ambiguous]).
package dept

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"github.com/choucha/choucha/internal/yamltext"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

//go:embed synonyms.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded synonym table as written (dept/synonyms.yaml): the
// editable YAML that `choucha dept map --print` writes and --dept-map reads.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Map is a department synonym table. The zero Map knows no department; use DefaultMap or
// LoadMap. A Map is read-only and safe for concurrent use.
type Map struct {
	alias     map[string]string          // alias or canonical name → canonical name
	aliases   []string                   // every key of alias, longest first
	byRune    map[rune][]string          // aliases by their first character, longest first
	merges    map[string]map[string]bool // merged canonical → the canonicals it stands for
	legal     map[string]string          // canonical → legal-name template ({district})
	cells     map[string][]string        // explicit entries: normalised plan text → departments
	districts []districtForm             // full and short forms, longest first
	prefixes  []string                   // prefixes that carry no place, longest first
	generic   []string                   // generic 县/区 prefixes, longest first
	source    *Source                    // the file LoadMap read; nil for DefaultMap
}

// Source is the file a map was read from (LoadMap): a draw records it with its text, so that
// its replay and its notice match departments as the draw did, without the file.
type Source struct {
	Name   string // the file as given
	SHA256 string // lowercase hex SHA-256 of Text
	Text   string // the file's bytes
}

// Source is the file the map was read from, nil for the built-in table (DefaultMap).
func (m Map) Source() *Source { return m.source }

type districtForm struct{ form, name string }

// file is the YAML form of a synonym table; `choucha dept map --help` documents every key.
type file struct {
	Version int  `yaml:"version"`
	Replace bool `yaml:"replace"`
	// Districts is read for files written for earlier versions: the plan's districts are
	// known without it. Its names are added to every scope.
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
		Legal   string   `yaml:"legal"`
	} `yaml:"departments"`
	Cells []struct {
		Text        string   `yaml:"text"`
		Departments []string `yaml:"departments"`
	} `yaml:"cells"`
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
// dept/synonyms.yaml and is merged over the embedded table (an alias it lists moves to its
// department; its merges, legal names and cells are added), unless it says `replace: true`,
// when it is the whole table.
func LoadMap(r io.Reader, name string) (Map, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Map{}, fmt.Errorf("读取部门对照表 %s: %w", name, err)
	}
	m, err := parseMap(b, name, DefaultMap())
	if err != nil {
		return Map{}, err
	}
	sum := sha256.Sum256(b)
	m.source = &Source{Name: name, SHA256: hex.EncodeToString(sum[:]), Text: string(b)}
	return m, nil
}

func parseMap(b []byte, name string, base Map) (Map, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return Map{}, yamltext.Error("部门对照表 "+name, err)
	}
	if f.Version != 0 && f.Version != 1 {
		return Map{}, fmt.Errorf("部门对照表 %s: 不支持的版本 %d（本程序支持 1）", name, f.Version)
	}
	if f.Replace {
		base = Map{}
	}
	m := base.clone()
	for _, d := range f.Districts {
		n := normalize(d.Name)
		if n == "" {
			return Map{}, fmt.Errorf("部门对照表 %s: districts 中的区县名称为空", name)
		}
		m.districts = append(m.districts, districtForms(n)...)
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
		if d.Legal != "" {
			if !strings.Contains(d.Legal, "{district}") {
				return Map{}, fmt.Errorf("部门对照表 %s: 「%s」的 legal「%s」中没有 {district}", name, c, d.Legal)
			}
			m.legal[c] = strings.TrimSpace(d.Legal)
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
	for i, c := range f.Cells {
		t := normalize(c.Text)
		if t == "" {
			return Map{}, fmt.Errorf("部门对照表 %s: cells 第%d项没有 text", name, i+1)
		}
		var ds []string
		for _, d := range c.Departments {
			if d = normalize(d); d != "" {
				ds = append(ds, d)
			}
		}
		m.cells[t] = ds
	}
	m.aliases = m.aliases[:0]
	for a := range m.alias {
		m.aliases = append(m.aliases, a)
	}
	byLength(m.aliases)
	m.byRune = map[rune][]string{}
	for _, a := range m.aliases {
		r, _ := utf8.DecodeRuneInString(a)
		m.byRune[r] = append(m.byRune[r], a)
	}
	sortDistricts(m.districts)
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

func sortDistricts(d []districtForm) {
	sort.SliceStable(d, func(i, j int) bool {
		a, b := d[i].form, d[j].form
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
}

func (m Map) clone() Map {
	c := Map{alias: map[string]string{}, merges: map[string]map[string]bool{}, legal: map[string]string{}, cells: map[string][]string{}}
	for k, v := range m.alias {
		c.alias[k] = v
	}
	for k, v := range m.merges {
		c.merges[k] = map[string]bool{}
		for t := range v {
			c.merges[k][t] = true
		}
	}
	for k, v := range m.legal {
		c.legal[k] = v
	}
	for k, v := range m.cells {
		c.cells[k] = v
	}
	c.districts = append(c.districts, m.districts...)
	c.prefixes = append(c.prefixes, m.prefixes...)
	c.generic = append(c.generic, m.generic...)
	return c
}

// Scope is where plan department names are read: the districts of the plan being used and
// the task's district.
type Scope struct {
	// Districts are the districts of the plan (plan.Plan.Districts) and a --district the user
	// gave; with their short forms they are the places a name may start with.
	Districts []string
	// District is the task's district: a name without one (市场监管部门, 县市场局) means this
	// district's department. It is a place of the scope too.
	District string
}

// WithDistricts returns the map knowing the given districts (and their short forms) as
// places. The map itself is not changed.
func (m Map) WithDistricts(names ...string) Map {
	var add []districtForm
	for _, n := range names {
		if n = normalize(n); n != "" {
			add = append(add, districtForms(m.District(n))...)
		}
	}
	if len(add) == 0 {
		return m
	}
	c := m // alias, merges, legal and cells are read-only and shared
	c.districts = append(append([]districtForm(nil), m.districts...), add...)
	sortDistricts(c.districts)
	return c
}

func (m Map) scoped(sc Scope) Map {
	return m.WithDistricts(append(append([]string(nil), sc.Districts...), sc.District)...)
}

// shortSuffixes end a district name; without them a name of at least two characters is
// the short form plans use (潞州区 → 潞州, 沁源县 → 沁源, 万宁市 → 万宁).
var shortSuffixes = []string{"自治县", "自治旗", "县", "区", "市", "旗"}

// zoneForms are the long and short names of development zones.
var zoneForms = [][]string{
	{"高新技术产业开发区", "高新技术开发区", "高新区"},
	{"经济技术开发区", "经济开发区", "经开区"},
}

// districtForms is a district's full name with its short forms.
func districtForms(n string) []districtForm {
	forms := []districtForm{{n, n}}
	for _, z := range zoneForms {
		for _, s := range z {
			if stem, ok := strings.CutSuffix(n, s); ok {
				for _, o := range z {
					if o != s {
						forms = append(forms, districtForm{stem + o, n})
					}
				}
			}
		}
	}
	if corps.FindString(n) == n {
		for _, f := range []string{"新疆生产建设兵团", "新疆兵团", "兵团"} {
			if f != n {
				forms = append(forms, districtForm{f, n})
			}
		}
		return forms
	}
	// 师市合一: 第一师阿拉尔市 is written 第一师 or 阿拉尔市 too.
	if d := division.FindString(n); d != "" && len(d) < len(n) {
		forms = append(forms, districtForm{d, n})
		for _, f := range districtForms(n[len(d):]) {
			forms = append(forms, districtForm{f.form, n})
		}
		return forms
	}
	for _, s := range shortSuffixes {
		if stem, ok := strings.CutSuffix(n, s); ok {
			if utf8.RuneCountInString(stem) >= 2 {
				forms = append(forms, districtForm{stem, n})
			}
			break
		}
	}
	return forms
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
// separators.
func normalize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	for strings.ContainsAny(s, "([【〔") {
		t := bracketed.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	return strings.Trim(s, "、,;:：。.-—")
}

// fallbackUnit ends the department part of a name the table does not know.
var fallbackUnit = []string{"委员会", "办公室", "大队", "中心", "部门", "局", "部", "委"}

// genericWords after a department stem belong to the department: 教育行政部门, 公安机关,
// 气象主管机构, 市场监管部门.
var genericWords = []string{"行政主管部门", "行政管理部门", "行政执法部门", "主管部门", "管理部门", "行政部门", "主管机构", "部门", "机关", "机构"}

// Parse reads one department name with the map's places (see WithDistricts). ok is false
// when the text names no department at all (各乡镇, 区抽区查).
func (m Map) Parse(s string) (n Name, ok bool) {
	s = normalize(s)
	memo := placeMemo{}
	for s != "" {
		a := m.longestAlias(s)
		// A prefix, unless an alias it starts is longer (人民政府 before 人民政府办公室) or it is
		// the rest of the name (济宁高新区管理委员会 is the zone's committee itself).
		if p := firstPrefix(s, m.prefixes); p != "" && len(p) >= len(a) && len(p) < len(s) {
			s = s[len(p):]
			continue
		}
		place, rest := m.placePrefix(s, memo)
		if place != "" && len(s)-len(rest) > len(a) {
			// A place longer than the alias it starts with (公安县 before 公安).
			n.District = m.nextPlace(n.District, place)
			s = rest
			continue
		}
		if a != "" {
			n.Dept, n.Known = m.alias[a], true
			sub := s[len(a):]
			for _, g := range genericWords {
				if strings.HasPrefix(sub, g) {
					sub = sub[len(g):]
					break
				}
			}
			n.SubUnit = sub
			// 长治市公安局屯留分局, 市生态局潞州区分局: the bureau's branch in a district.
			if d, rest := m.placePrefixAny(n.SubUnit); d != "" && strings.HasPrefix(rest, "分局") {
				n.District = d
				n.SubUnit = strings.TrimPrefix(rest, "分局")
			}
			return n, true
		}
		if strings.HasPrefix(s, "分局") {
			return Name{}, false // a branch without its bureau: a sub-unit, not a department
		}
		if place != "" {
			n.District = m.nextPlace(n.District, place)
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

// unknownUnits are what a name the table does not know may end in where a plan writes 部门
// (投资促进部门 is the 投资促进局 or 投资促进委员会 of a roster).
var unknownUnits = []string{"委员会", "办公室", "局", "委"}

// sameUnknown reports whether two names the table does not know are one department: one
// is the other's stem with 部门 (or 主管部门, 行政部门 …), the other the stem with a bureau's
// unit word.
func sameUnknown(a, b string) bool {
	for _, x := range [][2]string{{a, b}, {b, a}} {
		for _, g := range genericWords {
			stem, ok := strings.CutSuffix(x[0], g)
			if !ok || stem == "" {
				continue
			}
			for _, u := range unknownUnits {
				if x[1] == stem+u {
					return true
				}
			}
			break
		}
	}
	return false
}

// division is a 兵团 division (第一师, 第十四师); 师市合一: its city (阿拉尔市) is the same body.
var division = regexp.MustCompile(`^第[一二三四五六七八九十]{1,3}师`)

// nextPlace is the district after reading place when prev was read before it: the last place
// written, except that a division of the scope keeps the district over the city after it
// (第一师阿拉尔市卫生健康委员会 in a 第一师 plan is 第一师's), since division and city are one.
func (m Map) nextPlace(prev, place string) string {
	if prev != "" && division.MatchString(prev) && m.isDistrict(prev) && !m.isDistrict(place) {
		return prev
	}
	return place
}

// isDistrict reports whether a canonical name is one of the map's places (the scope's).
func (m Map) isDistrict(name string) bool {
	for _, d := range m.districts {
		if d.name == name {
			return true
		}
	}
	return false
}

func (m Map) longestAlias(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return firstPrefix(s, m.byRune[r])
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

// districtPrefix returns the canonical district of the map's places that s starts with,
// and the rest of s.
func (m Map) districtPrefix(s string) (district, rest string) {
	for _, d := range m.districts {
		if strings.HasPrefix(s, d.form) {
			return d.name, s[len(d.form):]
		}
	}
	return "", s
}

// placeSuffixes end a place name that is not one of the scope's districts.
var placeSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "州", "盟", "县", "区", "旗"}

const maxPlaceRunes = 12

// maxPlaceDepth bounds the recursion of namedPlace and continues: two steps a place, so three
// places may come before a department (新疆生产建设兵团第一师阿拉尔市卫生健康委员会).
const maxPlaceDepth = 6

// placePrefix returns the place s starts with when a department name continues after it:
// one of the map's districts, else a place name (2–12 characters ending in a place suffix).
func (m Map) placePrefix(s string, memo placeMemo) (place, rest string) {
	// A district of the scope by its full name is a place whatever follows (沁县乡村振兴局);
	// a short form or another place only before a department (潞城气象局).
	// Of several forms (万宁市, 万宁) the longest one a department follows wins (万宁市场监管局).
	fullName, fullRest := "", ""
	for _, d := range m.districts {
		r, ok := strings.CutPrefix(s, d.form)
		if !ok || r == "" {
			continue
		}
		if m.continues(r, 0, memo) {
			return d.name, r
		}
		if d.form == d.name && fullName == "" {
			fullName, fullRest = d.name, r
		}
	}
	if fullName != "" {
		return fullName, fullRest
	}
	return m.namedPlace(s, 0, memo)
}

// placePrefixAny is placePrefix that also accepts a place followed by anything (分局).
func (m Map) placePrefixAny(s string) (place, rest string) {
	if d, r := m.districtPrefix(s); d != "" {
		return d, r
	}
	if ends := placeEnds(s); len(ends) > 0 {
		return s[:ends[0]], s[ends[0]:]
	}
	return "", s
}

// notInPlace are words of department names that no place name contains.
var notInPlace = []string{"局", "部门", "委员会", "大队", "中心", "办公室", "机构", "机关"}

// corps is the 新疆生产建设兵团, a place of its own (兵团卫生健康委员会).
var corps = regexp.MustCompile(`^(?:新疆生产建设|新疆)?兵团`)

// placeEnds are the byte offsets at which a place name may end in s, shortest first.
func placeEnds(s string) []int {
	var ends []int
	// 兵团 and its divisions (第一师) are places without a place suffix.
	for _, re := range []*regexp.Regexp{corps, division} {
		if loc := re.FindStringIndex(s); loc != nil {
			if firstPrefix(s[loc[1]:], notInPlace) == "" && !strings.HasPrefix(s[loc[1]:], "部") {
				return []int{loc[1]}
			}
		}
	}
	runes := 0
	for i, r := range s {
		runes++
		if runes > maxPlaceRunes || !unicode.Is(unicode.Han, r) {
			break
		}
		if firstPrefix(s[i:], notInPlace) != "" {
			break
		}
		end := i + utf8.RuneLen(r)
		if runes < 2 {
			continue
		}
		for _, suf := range placeSuffixes {
			if strings.HasSuffix(s[:end], suf) && utf8.RuneCountInString(s[:end])-utf8.RuneCountInString(suf) >= 1 {
				ends = append(ends, end)
				break
			}
		}
	}
	return ends
}

func (m Map) namedPlace(s string, depth int, memo placeMemo) (place, rest string) {
	if depth > maxPlaceDepth {
		return "", s
	}
	for _, end := range placeEnds(s) {
		r := s[end:]
		if r == "" || !m.continues(r, depth+1, memo) {
			continue
		}
		// 杭州市: take a following 市/县/区 too when the name still continues.
		for _, suf := range []string{"市", "县", "区", "旗"} {
			if t, ok := strings.CutPrefix(r, suf); ok && t != "" && m.continues(t, depth+1, memo) {
				end += len(suf)
				r = t
				break
			}
		}
		return s[:end], r
	}
	return "", s
}

// placeMemo keeps what continues found for the suffixes of one name, by their length and the
// depth asked (every string continues and namedPlace see within one Parse is a suffix of the
// name): without it, a run of place suffixes (区县市区县市…) made them try every way of cutting
// it into places, over and over — seconds for a cell of a hundred characters.
type placeMemo map[[2]int]bool

// continues reports whether s starts with a department, a place, a prefix or a generic
// word followed by one of these — or is a place name by itself.
func (m Map) continues(s string, depth int, memo placeMemo) bool {
	if s == "" || depth > maxPlaceDepth {
		return false
	}
	key := [2]int{len(s), depth}
	if v, ok := memo[key]; ok {
		return v
	}
	v := m.continuesUncached(s, depth, memo)
	memo[key] = v
	return v
}

func (m Map) continuesUncached(s string, depth int, memo placeMemo) bool {
	if m.longestAlias(s) != "" {
		return true
	}
	if d, r := m.districtPrefix(s); d != "" && (r == "" || strings.HasPrefix(s, d) || m.continues(r, depth+1, memo)) {
		// A district of the scope by its full name continues a name whatever follows, as in
		// placePrefix (武汉市青山区投资促进局).
		return true
	}
	if p := firstPrefix(s, m.prefixes); p != "" && m.continues(s[len(p):], depth+1, memo) {
		return true
	}
	if p := firstPrefix(s, m.generic); p != "" && m.longestAlias(s[len(p):]) != "" {
		return true
	}
	if ends := placeEnds(s); len(ends) > 0 && ends[len(ends)-1] == len(s) {
		return true
	}
	if p, _ := m.namedPlace(s, depth+1, memo); p != "" {
		return true
	}
	return false
}

// District returns the canonical form of a district name (潞州 → 潞州区 when 潞州区 is a place
// of the map, 长治市沁县 → 沁县), or the name normalised.
func (m Map) District(s string) string {
	s = normalize(s)
	memo := map[int]bool{}
	for s != "" {
		if d, rest := m.districtPrefix(s); d != "" {
			if rest == "" {
				return d
			}
			if m.isPlaces(rest, memo) {
				s = rest
				continue
			}
		}
		if p := firstPrefix(s, m.prefixes); p != "" && len(p) < len(s) {
			s = s[len(p):]
			continue
		}
		// 师市合一: 第一师阿拉尔市 is one district, not 第一师 then 阿拉尔市.
		if d := division.FindString(s); d != "" && len(d) < len(s) {
			if ends := placeEnds(s[len(d):]); len(ends) > 0 && ends[len(ends)-1] == len(s)-len(d) && strings.HasSuffix(s, "市") {
				return s
			}
		}
		cut := false
		for _, end := range placeEnds(s) {
			if end < len(s) && m.isPlaces(s[end:], memo) {
				s, cut = s[end:], true
				break
			}
		}
		if !cut {
			return s
		}
	}
	return s
}

// isPlaces reports whether s is nothing but place names. memo keeps the answer for each
// suffix of the name District reads, by length: without it a run of place suffixes followed
// by something else (区县市区县市…局) took time exponential in its length.
func (m Map) isPlaces(s string, memo map[int]bool) bool {
	for s != "" {
		if d, rest := m.districtPrefix(s); d != "" {
			s = rest
			continue
		}
		if v, ok := memo[len(s)]; ok {
			return v
		}
		ok := false
		for _, end := range placeEnds(s) {
			if end == len(s) || m.isPlaces(s[end:], memo) {
				ok = true
				break
			}
		}
		memo[len(s)] = ok
		return ok
	}
	return true
}

// Canonical returns the canonical department a name means, "" when it names none.
func (m Map) Canonical(s string) string {
	n, ok := m.Parse(s)
	if !ok {
		return ""
	}
	return n.Dept
}

// LegalName is the name of the bureau a plan department means, without an inspector roster:
// its district (the name's own, else the scope's task district) and the canonical department,
// or the legal form the table gives (税务局 → 国家税务总局沁县税务局). 沁县市场监管局价监股 and,
// in a 沁县 task, 县市场局 and 市场监管部门 are all 沁县市场监督管理局; in a 万宁市 plan
// 市场监管部门 is 万宁市市场监督管理局. "" when the name is flagged (相关部门) or names no
// department of the table. An office whose real name differs from the table's canonical one
// (沁县住房和城乡建设管理局) is only known from its roster: use Resolve there. The notice
// (export) names the departments of a task with it.
func (m Map) LegalName(name string, sc Scope) string {
	if placeholder(normalize(name)) {
		return ""
	}
	mm := m.scoped(sc)
	n, ok := mm.Parse(name)
	if !ok || !n.Known {
		return ""
	}
	if n.District == "" {
		n.District = mm.District(sc.District)
	}
	if t, ok := mm.legal[n.Dept]; ok && n.District != "" {
		return strings.ReplaceAll(t, "{district}", n.District)
	}
	return n.District + n.Dept
}

// Bureau is the department a roster department name stands for when it names a sub-unit of
// it (沁县市场监督管理局执法大队 → 沁县市场监督管理局, by LegalName): a notice is issued by the
// bureau, not by the section whose people inspect. A name without a sub-unit, or whose
// department the table does not know, is returned as it is (the office's own name for itself).
func (m Map) Bureau(rosterName string, sc Scope) string {
	mm := m.scoped(sc)
	n, ok := mm.Parse(rosterName)
	if !ok || !n.Known || n.SubUnit == "" {
		return rosterName
	}
	if legal := m.LegalName(rosterName, sc); legal != "" {
		return legal
	}
	return rosterName
}

// FullName is LegalName for a task of the given district (the calendar's and overlap's key
// for "one department under several spellings").
func (m Map) FullName(name, district string) string {
	return m.LegalName(name, Scope{District: district})
}

// Match finds the roster department that a plan department name means, among the given
// roster department names; ok is false when none matches, or when several match equally
// (Resolve flags that piece Ambiguous with them). Without a district in the plan
// name, roster departments of every district are candidates; use MatchIn to give the task's
// district.
func (m Map) Match(planName string, rosterDepts []string) (match string, ok bool) {
	return m.MatchIn(planName, "", rosterDepts)
}

// MatchIn is Match for one department name in a task of the given district (Task.District,
// e.g. "沁县"): a plan name without district (市场监管部门, 县市场局) means that district's
// department, and roster departments of other districts never match. The order of preference
// is in the package doc; a tie is no match. A placeholder (相关部门) never matches. Callers with a whole task use
// Resolve, which also splits the cells.
func (m Map) MatchIn(planName, district string, rosterDepts []string) (match string, ok bool) {
	if placeholder(normalize(planName)) {
		return "", false
	}
	mm := m.WithDistricts(district)
	p, ok := mm.Parse(planName)
	if !ok {
		return "", false
	}
	match, _ = mm.matchName(p, normalize(planName), false, district, mm.parseRoster(rosterDepts))
	return match, match != ""
}

// rosterName is a roster department with its reading.
type rosterName struct {
	name string
	n    Name
}

// parseRoster reads the roster's department names once; names that name no department
// are left out.
func (m Map) parseRoster(rosterDepts []string) []rosterName {
	out := make([]rosterName, 0, len(rosterDepts))
	for _, r := range rosterDepts {
		if n, ok := m.Parse(r); ok {
			out = append(out, rosterName{r, n})
		}
	}
	return out
}

// matchName finds the roster department a plan name p means (the order of preference is in
// the package doc). When several candidates tie on every preference it returns no match and
// the tied roster names, sorted and without duplicates; text is the plan text, normalised,
// and explicit says it is a department a cells entry of the map names: a roster name written
// exactly as the entry writes it then settles the tie (the user chose that name), a plan text
// never does (沁县市场监管局 and 沁县市场监督管理局 in one roster are one bureau written two ways,
// and taking the one the plan happens to spell alike would leave out the people of the other).
func (m Map) matchName(p Name, text string, explicit bool, district string, roster []rosterName) (match string, tied []string) {
	want := p.District
	if want == "" {
		want = m.District(district)
	}
	// rank is a candidate's place in the order of preference, smaller first: merged office,
	// another or no district, sub-unit (0 the plan's own, 1 none — the office itself, 2 another).
	type rank struct {
		merged, other bool
		sub           int
	}
	less := func(a, b rank) bool {
		if a.merged != b.merged {
			return !a.merged
		}
		if a.other != b.other {
			return !a.other
		}
		return a.sub < b.sub
	}
	var best rank
	var names []string
	for _, r := range roster {
		rn := r.n
		var c rank
		switch {
		case rn.Dept == p.Dept:
		case m.merges[rn.Dept][p.Dept] || m.merges[p.Dept][rn.Dept]:
			c.merged = true
		case !p.Known && !rn.Known && sameUnknown(p.Dept, rn.Dept):
		default:
			continue
		}
		if want != "" && rn.District != "" && rn.District != want {
			continue
		}
		c.other = want == "" || rn.District != want
		switch {
		case rn.SubUnit == p.SubUnit:
		case rn.SubUnit == "":
			c.sub = 1
		default:
			c.sub = 2
		}
		switch {
		case names == nil || less(c, best):
			best, names = c, []string{r.name}
		case !less(best, c) && !slices.Contains(names, r.name):
			names = append(names, r.name)
		}
	}
	if len(names) == 1 {
		return names[0], nil
	}
	sort.Strings(names)
	if explicit {
		var same []string
		for _, n := range names {
			if normalize(n) == text {
				same = append(same, n)
			}
		}
		if len(same) == 1 {
			return same[0], nil
		}
	}
	return "", names
}
