package plan

import (
	"regexp"
	"strings"
	"unicode"
)

// Modes of inspection (抽查检查模式), normalised.
const (
	ModeDistrict = "区抽区查"
	ModeCounty   = "县抽县查"
)

// ParseRisk classifies a credit-risk requirement cell: progressive when it raises the
// ratio by credit class (递加, or 判别 by the classification), none for 无, 不涉及 or a 递加
// denied (不递加, 不按信用风险分类递加), other for any other basis (防雷安全级别,
// 消防安全稳定情况, a single class name).
func ParseRisk(s string) Risk {
	t := strings.TrimSpace(s)
	switch {
	case notProgressiveRE.MatchString(t):
		return Risk{Text: s, Kind: RiskNone}
	case strings.Contains(t, "递加"), strings.Contains(t, "判别"):
		return Risk{Text: s, Kind: RiskProgressive}
	case t == "" || t == "无" || t == "/" || strings.Contains(t, "不涉及"):
		return Risk{Text: s, Kind: RiskNone}
	default:
		return Risk{Text: s, Kind: RiskOther}
	}
}

// notProgressiveRE is a 递加 the cell denies: a negation right before it (不递加, 无需递加) or
// 不按 … 递加 within one clause.
var notProgressiveRE = regexp.MustCompile(`(不|无需|无须|不需|不予|不再|不作|不进行|不实行)递加|不按[^，。；,;]{0,12}递加`)

// NormalizeMode maps a 抽查检查模式 cell to 区抽区查 or 县抽县查 ("区抽查" → 区抽区查,
// "县抽县检" → 县抽县查). ok is false when the cell is not a mode.
func NormalizeMode(s string) (string, bool) {
	t := strings.Join(strings.Fields(s), "")
	if len([]rune(t)) > 6 {
		return "", false
	}
	switch {
	case strings.HasPrefix(t, "区抽"):
		return ModeDistrict, true
	case strings.HasPrefix(t, "县抽"):
		return ModeCounty, true
	}
	return "", false
}

// NormalizeDistrict removes stray spaces and the city prefix of a county or district:
// "平 顺 县" → "平顺县", "长治市 潞州区" → "潞州区", "长治市高新区" → "高新区",
// "太原市小店区" → "小店区"; a city alone stays ("太原市").
func NormalizeDistrict(s string) string {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if rest, ok := strings.CutPrefix(t, "长治市"); ok && rest != "" {
		return rest
	}
	if m := cityPrefixRE.FindStringSubmatch(t); m != nil {
		return m[2]
	}
	return t
}

var cityPrefixRE = regexp.MustCompile(`^(\p{Han}{2,4}市)(\p{Han}{1,6}(?:区|县|旗))$`)

// IsMode reports whether a cell is an inspection mode (抽查检查模式) rather than a department:
// 区抽区查, 县抽县查 and their variants, 市抽市查, 市抽县(区)查, 区级发起,区级检查,
// 市级发起,下派区级检查, 市县(区)级, 市级/县级.
func IsMode(s string) bool {
	t := strings.Join(strings.Fields(oneLine(s)), "")
	if t == "" {
		return false
	}
	if _, ok := NormalizeMode(t); ok {
		return true
	}
	if looksLikeDept(t) || len([]rune(t)) > 24 {
		return false
	}
	switch {
	case strings.Contains(t, "抽") && (strings.Contains(t, "查") || strings.Contains(t, "检")):
		return true
	case strings.Contains(t, "发起") && strings.Contains(t, "检查"):
		return true
	case strings.HasSuffix(t, "级") && len([]rune(t)) <= 12:
		return true
	case strings.HasSuffix(t, "实施") && len([]rune(t)) <= 12:
		return true // 市县分别实施, 市县统一实施 (a 交通运输 plan of 2024)
	}
	return false
}

// deptDutyWords say what a department does; a department's name has none of them.
var deptDutyWords = []string{"发起", "负责", "按职责", "分工"}

var parenRunRE = regexp.MustCompile(`\([^()]*\)|（[^（）]*）`)

// saysDuty reports whether a department cell says what departments do rather than which
// ("市、县级交通运输管理部门发起,同级公安、市场监管部门按职责分工负责"), outside any
// parentheses: "宣传部门(检查电影院时宣传部门发起)" names a department with a remark.
func saysDuty(s string) bool {
	return containsAny(parenRunRE.ReplaceAllString(s, ""), deptDutyWords)
}

// looksLikeDept reports whether a cell names a department (局, 部门, 委 …).
func looksLikeDept(s string) bool {
	if saysDuty(s) {
		return false // "市局统一发起,分派到各县(市)交通运输局检查": how, not who
	}
	for _, w := range []string{"局", "部门", "委", "中心", "大队", "支队", "机构", "办公室", "管理处", "所", "站", "院"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var titlePlaceRE = regexp.MustCompile(`^(?:附件[0-9]*[:：]?)?\s*(?:(?:19|20)[0-9]{2}\s*年度?\s*)?(\p{Han}{1,8}?(?:自治州|自治县|市|县|区|旗))`)

// TitlePlace is the place a plan's title starts with, after its year if the year comes first
// ("长治市2024年度…-市直" → "长治市", "上高县市场监督管理局2023年…" → "上高县", "2023年度临沂市建筑
// 市场…" → "临沂市"); "" when the title names none (or masks it: "**县"; genericPlace).
func TitlePlace(title string) string {
	m := titlePlaceRE.FindStringSubmatch(strings.TrimSpace(title))
	if m == nil || len([]rune(m[1])) < 2 || genericPlace(m[1]) {
		return ""
	}
	return m[1]
}

// genericPlace reports whether a place is a word for "the whole city" or "this county" (全市,
// 本县, 全区 …), which names none; 全椒县 and 本溪市 are places.
func genericPlace(p string) bool {
	r := []rune(p)
	return len(r) == 2 && (r[0] == '全' || r[0] == '本')
}

var titleCountyRE = regexp.MustCompile(`^\p{Han}{1,6}?(?:区|县|旗)`)

// titleDistrict is the district a title names for a table without a 地市 column: its place,
// and the county or district right after a city ("济南市钢城区农业农村局…" → "钢城区"; "长治市
// 2024年度…" → "长治市"). TitleID keeps TitlePlace: ids made by earlier versions stay as they were.
func titleDistrict(title string) string {
	place := TitlePlace(title)
	if !strings.HasSuffix(place, "市") {
		return place
	}
	t := strings.TrimSpace(title)
	rest := t[strings.Index(t, place)+len(place):] // after "附件1" and the city
	if c := titleCountyRE.FindString(rest); len([]rune(c)) >= 2 && !strings.Contains(c, "市") {
		return NormalizeDistrict(place + c)
	}
	return place
}
