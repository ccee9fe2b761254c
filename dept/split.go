package dept

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Flag says why a piece of a plan cell is not matched to a roster department by itself.
type Flag string

const (
	// Placeholder: the piece names no department (相关部门, 市场监管领域相关部门, 各有关部门, 各乡镇).
	Placeholder Flag = "placeholder"
	// Incomplete: the list ends in 等 (县教育局、县民政局等): which others take part is not said.
	// The flagged piece is the whole cell; the departments it names are pieces of their own.
	Incomplete Flag = "incomplete"
	// Alternative: 甲或乙 leaves the choice of department open.
	Alternative Flag = "alternative"
	// Ambiguous: the piece names a department, but several roster departments match it equally
	// (sub-units of the bureau the plan names, or one department written two ways); Resolve
	// sets it, with the tied roster names in Match.Candidates. Split never does.
	Ambiguous Flag = "ambiguous"
)

// Note is the flag in words, for messages.
func (f Flag) Note() string {
	switch f {
	case Placeholder:
		return "未指明是哪个部门"
	case Incomplete:
		return "以“等”结尾，未列全参加的部门"
	case Alternative:
		return "写的是“或”，未定是哪个部门"
	case Ambiguous:
		return "同样对得上名录中的几个部门，未定由哪个部门派人"
	}
	return ""
}

// Piece is one department of a plan cell as Split reads it.
type Piece struct {
	Text     string // the department as written, with a shared district or suffix filled in
	Dept     string // canonical department; "" when flagged by Split or when the text names none
	District string // the text's own district, else the scope's task district
	Known    bool   // Dept is in the synonym table (else it is the fallback text)
	Flag     Flag   // not "" when the piece must be made explicit in the map
	// Explicit: the piece comes from a cells entry of the map. An explicit piece with Dept
	// "" is an entry that says the text means no department.
	Explicit bool
}

// Cell is one department cell of a task: the initiator's or the cooperators'.
type Cell struct {
	Role string // "initiator" or "cooperator"
	Text string
}

// TaskCells are the cells of a task: the initiator and, as one cell, the cooperators (a
// plan reader may have cut the 配合部门 cell at its separators; joined with 、 it is read
// as the plan wrote it, so 人力资源和社会保障、商务、税务部门 keeps its shared suffix).
func TaskCells(initiator string, cooperators []string) []Cell {
	var cells []Cell
	if strings.TrimSpace(initiator) != "" {
		cells = append(cells, Cell{Role: "initiator", Text: initiator})
	}
	var co []string
	for _, c := range cooperators {
		if strings.TrimSpace(c) != "" {
			co = append(co, c)
		}
	}
	if len(co) > 0 {
		cells = append(cells, Cell{Role: "cooperator", Text: strings.Join(co, "、")})
	}
	return cells
}

// Match is one department of a task and the roster department it matched.
type Match struct {
	Role string // the cell's role
	Cell string // the cell as written
	Piece
	Roster string // the roster department; "" when none matched (always "" for a flagged piece)
	// Candidates are, for an Ambiguous piece, the roster departments that match it equally,
	// sorted; nil otherwise.
	Candidates []string
	// Tie says why the Candidates tie (one office written several ways, sub-units …); "" when
	// the piece is not Ambiguous.
	Tie Tie
}

// Resolve splits the task's cells (Split) and matches every piece to the roster's departments
// in the scope's task district (the order of preference is in the package doc). This is the
// one path from a plan to the departments that send inspectors: `dept match` shows its result
// and the draw assigns from it. A flagged piece is never matched; a piece that several roster
// departments match equally is flagged Ambiguous, with them as its Candidates.
func (m Map) Resolve(sc Scope, cells []Cell, rosterDepts []string) []Match {
	mm := m.scoped(sc)
	roster := mm.parseRoster(rosterDepts)
	var out []Match
	for _, c := range cells {
		for _, p := range mm.split(c.Text, sc.District) {
			r := Match{Role: c.Role, Cell: c.Text, Piece: p}
			if p.Flag == "" && p.Dept != "" {
				if n, ok := mm.Parse(p.Text); ok {
					var tied []string
					r.Roster, tied = mm.matchName(n, normalize(p.Text), p.Explicit, sc.District, roster)
					if len(tied) > 0 {
						r.Flag, r.Candidates, r.Tie = Ambiguous, tied, mm.tieOf(tied)
					}
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// Split reads a plan cell that names one or several departments, in cell order, without
// duplicates:
//
//   - an entry of the map's cells for the whole cell, else for a piece, replaces it (explicit);
//   - separators 、，；/ white space 及 与 和 split the cell, and 局和 splits (农业农村局和水利局)
//     while 住房和城乡建设局 does not;
//   - two full names written together split (壶关县市场监管局壶关县税务局);
//   - a piece ending in a sub-unit word (股, 科, 室, 组, 队…) that names no department is a
//     sub-unit of the one before and is kept with it (沁源县卫体局监督二、三股);
//   - a shared suffix 局 or 部门 of the last piece goes to the pieces without one, and the
//     district of the first piece to the pieces without one (潞州区市场监管、税务、交通运输局 →
//     潞州区市场监管局, 潞州区税务局, 潞州区交通运输局; 人力资源和社会保障、商务、税务部门 →
//     人力资源和社会保障部门, 商务部门, 税务部门);
//   - placeholders, 甲或乙 and a list ending in 等 are flagged pieces (see Flag).
//
// A piece that names no department at all comes back with Dept "", so the caller can report it.
func (m Map) Split(cell string, sc Scope) []Piece {
	return m.scoped(sc).split(cell, sc.District)
}

// Texts returns the Text of each piece: the list of departments a cell names, as a plan
// shows it. The Incomplete marker of a list ending in 等 (whose text is the whole cell) is
// left out — the departments it names are pieces of their own; Resolve and Split keep it.
func Texts(pieces []Piece) []string {
	out := make([]string, 0, len(pieces))
	for _, p := range pieces {
		if p.Flag != Incomplete {
			out = append(out, p.Text)
		}
	}
	return out
}

// levelList is an enumeration of administrative levels before one department (市、县级…,
// 省、市、县三级…): only the last level is kept, so that the enumeration is not split into
// departments of its own. Each level listed is followed by 、 和 及 or 与 (县市场监管局 is no
// list); levelCount is "两级" / "三级" after levels written together (市县两级林业部门).
var (
	levelList  = regexp.MustCompile(`(^|[、,，;；\s])(?:(?:省|市|县|区|乡镇|乡|镇)级?[、和及与])+((?:省|市|县|区|乡镇|乡|镇)级?)`)
	levelCount = regexp.MustCompile(`(^|[、,，;；\s])(?:省|市|县|区|乡镇|乡|镇)*?(省|市|县|区|乡镇|乡|镇)[两二三]级`)
)

// levelAbove is 县级及以上 (county level and above), one level word: 及 is no separator there.
var levelAbove = regexp.MustCompile(`(省|市|县|区)级?及以上`)

var separators = regexp.MustCompile(`[、,，;；/／|｜\s]+|以及|及|与`)

// etc is 等 ending a list: 县教育局、县民政局等, 市场监管等部门, 教育等相关部门.
var etc = regexp.MustCompile(`等(?:相关|有关)?(?:部门|单位|机构)?([、,，;；/／|｜\s。.]|$)`)

// unitKind is what a list may do with the word a name ends in (unitOf).
type unitKind int

const (
	noUnit unitKind = iota
	// sharedUnit may be shared by a list: 市场监管、税务、交通运输局.
	sharedUnit
	// deptUnit ends a department's name but is not shared: 委, 大队, 中心 ….
	deptUnit
	// bodyUnit ends the name of a body that is not a department (政府, 街道, 乡镇, 公司, 医院 …):
	// it takes no shared suffix, and none is shared back past it.
	bodyUnit
)

// unitWords are the words a department's or another body's name ends in, by kind.
var unitWords = map[string]unitKind{
	"部门": sharedUnit, "局": sharedUnit,
	"部": deptUnit, "委": deptUnit, "委员会": deptUnit, "大队": deptUnit, "队": deptUnit, "中心": deptUnit,
	"办公室": deptUnit, "机构": deptUnit, "机关": deptUnit, "单位": deptUnit, "所": deptUnit, "站": deptUnit,
	"政府": bodyUnit, "街道": bodyUnit, "办事处": bodyUnit, "乡镇": bodyUnit, "社区": bodyUnit, "公司": bodyUnit,
	"院": bodyUnit, "处": bodyUnit, "会": bodyUnit, "馆": bodyUnit, "社": bodyUnit, "厂": bodyUnit, "行": bodyUnit,
}

// unitOf is the longest of unitWords s ends in (委员会, not 会) and its kind; "", noUnit when
// it ends in none.
func unitOf(s string) (word string, kind unitKind) {
	for u, k := range unitWords {
		if len(u) > len(word) && strings.HasSuffix(s, u) {
			word, kind = u, k
		}
	}
	return word, kind
}

// subUnitEnds end a sub-unit written after a separator (监督二、三股; 宣传教育理论股).
var subUnitEnds = []string{"股", "科", "室", "组", "队", "所", "站", "处", "中心", "办"}

// placeholder reports whether a normalised piece names no particular department.
func placeholder(t string) bool {
	if strings.Contains(t, "相关") || strings.Contains(t, "有关") || strings.HasPrefix(t, "各") ||
		strings.HasPrefix(t, "其他") || strings.HasPrefix(t, "其它") {
		return true
	}
	switch t {
	case "部门", "单位", "机构", "主管部门", "行业主管部门", "职能部门", "成员单位", "属地部门", "属地政府", "乡镇", "街道":
		return true
	}
	return false
}

func (m Map) explicit(t, district string) ([]Piece, bool) {
	ds, ok := m.cells[normalize(t)]
	if !ok {
		return nil, false
	}
	if len(ds) == 0 {
		return []Piece{{Text: normalize(t), Explicit: true}}, true
	}
	var out []Piece
	for _, d := range ds {
		p := m.piece(d, district)
		p.Explicit = true
		out = append(out, p)
	}
	return out, true
}

// piece reads one unflagged department text.
func (m Map) piece(t, district string) Piece {
	p := Piece{Text: t}
	if n, ok := m.Parse(t); ok {
		p.Dept, p.Known, p.District = n.Dept, n.Known, n.District
	}
	if p.Dept != "" && p.District == "" {
		p.District = m.District(district)
	}
	return p
}

func (m Map) split(cell, district string) []Piece {
	if ps, ok := m.explicit(cell, district); ok {
		return ps
	}
	raw := norm.NFKC.String(cell)
	for {
		t := bracketed.ReplaceAllString(raw, "")
		if t == raw {
			break
		}
		raw = t
	}
	incomplete := etc.MatchString(raw)
	raw = etc.ReplaceAllString(raw, "$1")
	// 市、县级林业主管部门, 省、市、县三级市场监管部门: one department at several levels.
	raw = levelAbove.ReplaceAllString(raw, "${1}级以上")
	raw = levelList.ReplaceAllString(raw, "$1$2")
	raw = levelCount.ReplaceAllString(raw, "$1${2}级")
	raw = strings.ReplaceAll(raw, "局和", "局、")
	raw = strings.ReplaceAll(raw, "局及", "局、")
	raw = strings.ReplaceAll(raw, "部门和", "部门、")
	// Pieces, each with the separator that preceded it.
	var pieces []rawPiece
	at, sep := 0, ""
	add := func(text string) {
		text = normalize(text)
		if text == "" {
			return
		}
		var parts []rawPiece
		switch {
		case placeholder(text):
			parts = []rawPiece{{text: text, flag: Placeholder}}
		case strings.Contains(text, "或"):
			parts = []rawPiece{{text: text, flag: Alternative}}
		default:
			for _, t := range m.splitJoined(text) {
				parts = append(parts, rawPiece{text: t})
			}
		}
		for _, p := range parts {
			p.sep, sep = sep, ""
			pieces = append(pieces, p)
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
	var merged []rawPiece
	for _, p := range pieces {
		if p.flag == "" && len(merged) > 0 && merged[len(merged)-1].flag == "" && m.isSubUnit(p.text) {
			merged[len(merged)-1].text += p.sep + p.text
			continue
		}
		merged = append(merged, p)
	}
	m.share(merged)
	var out []Piece
	seen := map[string]bool{}
	emit := func(p Piece) {
		if !seen[p.Text+"\x00"+string(p.Flag)] {
			seen[p.Text+"\x00"+string(p.Flag)] = true
			out = append(out, p)
		}
	}
	for _, p := range merged {
		if ps, ok := m.explicit(p.text, district); ok {
			for _, e := range ps {
				emit(e)
			}
			continue
		}
		if p.flag != "" {
			emit(Piece{Text: p.text, Flag: p.flag})
			continue
		}
		emit(m.piece(p.text, district))
	}
	if incomplete {
		emit(Piece{Text: strings.TrimSpace(cell), Flag: Incomplete})
	}
	if len(out) == 0 {
		if t := strings.TrimSpace(cell); t != "" {
			out = append(out, Piece{Text: t})
		}
	}
	return out
}

// rawPiece is a piece of a cell while Split works on it.
type rawPiece struct {
	sep, text string
	flag      Flag
}

// isSubUnit reports whether a piece after a separator is a sub-unit of the department before
// it: it names no department of the table and ends in a sub-unit word.
func (m Map) isSubUnit(t string) bool {
	if strings.Contains(t, "分局") && !strings.HasPrefix(t, "分局") {
		if n, ok := m.Parse(t); !ok || !n.Known {
			return true // 沁源分局法制科: a bureau's branch, named after the bureau before it
		}
	}
	if n, ok := m.Parse(t); ok && (n.Known || strings.HasSuffix(n.Dept, "局") || strings.HasSuffix(n.Dept, "委")) {
		return false
	}
	for _, e := range subUnitEnds {
		if strings.HasSuffix(t, e) {
			return true
		}
	}
	return false
}

// share gives the unflagged pieces the shared suffix of the next piece that has one and the
// district of the first one. A suffix is shared back to the piece before the last one that
// ended in a unit of any kind: in 公安、卫生健康、市场监管部门、消防救援机构 公安 and 卫生健康
// take 部门 from 市场监管部门, 消防救援机构 stands alone. A name the table does not know takes
// the suffix too (投资促进、税务部门: 投资促进部门) unless it ends in a unit word of its own
// (县政府、教育部门).
func (m Map) share(list []rawPiece) {
	n := len(list)
	if n == 0 {
		return
	}
	suffix := ""
	for i := n - 1; i >= 0; i-- {
		p := &list[i]
		if p.flag != "" {
			suffix = ""
			continue
		}
		if word, kind := unitOf(p.text); kind != noUnit {
			suffix = ""
			if kind == sharedUnit {
				suffix = word
			}
			continue
		}
		if suffix == "" {
			continue
		}
		if nm, ok := m.Parse(p.text); ok && nm.Known && nm.SubUnit == "" || !ok && plainName(p.text) {
			p.text += suffix
		}
	}
	if list[0].flag != "" {
		return
	}
	fn, _ := m.Parse(list[0].text)
	if fn.District == "" {
		return
	}
	for i := 1; i < n; i++ {
		p := &list[i]
		if p.flag != "" {
			continue
		}
		nm, parsed := m.Parse(p.text)
		if !parsed || nm.District != "" || firstPrefix(p.text, m.prefixes) != "" {
			continue
		}
		t := p.text
		if m.longestAlias(t) == "" {
			t = strings.TrimPrefix(t, firstPrefix(t, m.generic)) // 区消防救援大队
		}
		p.text = fn.District + t
	}
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
	if !ok || !rn.Known || rn.SubUnit != "" || !deptWord(rest) || normalize(rest) != rest || !strings.HasSuffix(p, rest) {
		return []string{p}
	}
	head := p[:len(p)-len(rest)]
	return append([]string{head}, m.splitJoined(rest)...)
}

// deptWord reports whether s ends in a department's word (sharedUnit or deptUnit).
func deptWord(s string) bool {
	_, kind := unitOf(s)
	return kind == sharedUnit || kind == deptUnit
}

// plainName reports whether s is Han characters only (投资促进), a department's name without
// its unit word.
func plainName(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}
