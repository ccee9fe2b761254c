package roster

import (
	"fmt"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
)

// Column roles of a firm roster.
const (
	colCode = iota
	colRegNo
	colName
	colLegalRep
	colAuthority
	colDistrict
	colAddress
	colKind
	colClass
	colStatus
	colPhone
	numFirmCols
)

// firmSynonyms are the header texts (compared after normCell) of each column role.
var firmSynonyms = [numFirmCols][]string{
	colCode: {"统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "TYXYDM", "TYSHXYDM", "SHXYDM", "XYDM",
		"UNISCID", "USCC", "统一社会信用代码/注册号", "统一社会信用代码(注册号)", "社会信用代码/注册号",
		"信用代码/注册号", "注册号/统一社会信用代码", "统一社会信用代码或注册号", "主体身份代码"},
	colRegNo: {"注册号", "REGNO", "工商注册号", "营业执照注册号", "ZCH"},
	colName: {"企业名称", "市场主体名称", "名称", "ENTNAME", "主体名称", "单位名称", "QYMC", "ZTMC",
		"个体工商户名称", "字号名称", "检查对象名称", "MC",
		"经营主体名称", "经营主体"}, // 经营主体: SAMR's word for 市场主体 since 2023
	colLegalRep: {"法定代表人", "负责人", "经营者", "法定代表人(负责人)", "法定代表人/负责人", "LEREP",
		"FDDBR", "经营者姓名", "法定代表人/经营者", "FZR", "JYZ", "法定代表人(负责人/经营者)",
		"法定代表人(负责人、经营者)", "负责人/经营者", "法定代表人/负责人/经营者", "法定代表人(经营者)"},
	colAuthority: {"登记机关", "REGORG", "DJJG", "管辖单位", "管辖机关", "登记管理机关"},
	colDistrict: {"所属区县", "区县", "行政区划", "所属区域", "辖区", "SSQX", "QX", "XZQH",
		"所在区县", "县区", "县(市、区)", "所属县区", "所属地区", "所在地区",
		"所属区/县", "区/县", "县/区", "所属县/区"}, // 所属区/县: 浙江's 严重违法失信企业名单 export
	colAddress: {"住所", "经营场所", "经营地址", "住所(经营场所)", "DOM", "ZS", "JYCS", "住所/经营场所"},
	colKind: {"ENTTYPE", "对象类型", "行业", "主体类型", "行业类型", "企业类型", "市场主体类型", "类型", "QYLX", "ZTLX",
		"企业类型(主体类型)", "经营主体类型"},
	colClass: {"信用风险分类", "风险等级", "信用等级", "分类结果", "信用风险分类结果", "风险分类",
		"XYFXFL", "FXDJ", "FXFL", "信用风险等级",
		"企业信用风险分类", "企业信用风险分类结果", "信用风险类别", "风险类别", "信用风险分类等级",
		"通用型信用风险分类", "通用型信用风险分类结果", "信用类别"},
	colStatus: {"登记状态", "经营状态", "状态", "ZT", "REGSTATE", "DJZT", "JYZT", "企业状态", "主体状态", "经营主体状态"},
	colPhone:  {"联系电话", "LXDH", "电话", "TEL", "DH"},
}

// Column roles of an inspector roster.
const (
	icolName = iota
	icolID
	icolDept
	icolCategory
	icolStatus
	icolValid
	icolPhone
	icolRecuse
	icolLicense
	numInspCols
)

var inspectorSynonyms = [numInspCols][]string{
	icolName: {"姓名", "执法人员", "人员姓名", "执法人员姓名", "检查人员姓名", "XM"},
	icolID: {"执法证号", "执法证件号", "执法证编号", "执法证件号码", "证件号", "执法证号码", "执法证件编号",
		"执法证", "证号", "ZFZH",
		"证件号码"}, // the field printed on the national 行政执法证 (姓名、工作单位、证件号码)
	icolDept: {"所属部门", "部门", "所在部门", "单位", "所属单位", "单位名称", "执法单位", "工作单位", "所在单位",
		"执法机关", "部门名称", "SSBM"},
	icolCategory: {"执法门类", "执法类别", "门类", "执法领域", "执法类型"},
	icolStatus:   {"在岗状态", "状态", "人员状态", "在岗情况", "是否在岗", "ZGZT"},
	icolValid: {"证件有效期至", "有效期至", "执法证有效期至", "证件有效期", "有效期", "执法证有效期",
		"执法证件有效期", "有效期限", "证件有效期止", "有效期截止日期", "有效截止日期", "YXQ",
		"执法证有效期限", "执法证件有效期限", "证件有效期限", "执法证件有效期至", "执法证到期日期", "证件到期日期", "到期日期",
		"有效期止"}, // 浙江's 人员维护 form
	icolPhone:  {"联系电话", "电话", "手机", "手机号码", "LXDH"},
	icolRecuse: {"回避企业统一社会信用代码", "回避企业", "回避对象", "回避企业代码"},
	// The certificate's own state in the 执法证 system (有效, 注销, 暂扣 …), not the person's.
	icolLicense: {"持证状态", "证件状态", "执法证状态", "执法证件状态", "执法资格状态"},
}

// fallbackNames are header names that take their role only when no other column of the
// header has it. 主体身份代码 is, in the exports of the provincial market-supervision data
// warehouses (浙江's 市场主体信息（含个体）: 主体身份代码 3302140000185548 beside
// 统一社会信用代码 91330203674737244w), the register's internal 16-digit key (PRIPID), not the
// firm's code: read as the code column because it comes first, it made every row fall back
// to its 注册号, and a row without one was excluded, while the real code stood two columns on.
// A roster whose only identifier column is headed 主体身份代码 still reads it.
var fallbackNames = map[string]bool{normCell("主体身份代码"): true}

// synonymIndex maps normalised header text to a column role.
func synonymIndex(syn [][]string) map[string]int {
	m := map[string]int{}
	for role, names := range syn {
		for _, n := range names {
			m[normCell(n)] = role
		}
	}
	return m
}

var (
	firmIndex      = synonymIndex(firmSynonyms[:])
	inspectorIndex = synonymIndex(inspectorSynonyms[:])
)

// headerScanRows is how many non-blank rows at the top may be titles above the header.
const headerScanRows = 30

// header is a detected header row: the cells as written and the column of each role (-1: absent).
type header struct {
	row   int
	cells []string
	col   []int
	date  []bool // date columns: Excel serial numbers are shown as dates
}

// matchHeader tries cells as a header; it returns nil when fewer than two cells are known names.
func matchHeader(row int, cells []string, index map[string]int, roles int) *header {
	h := &header{row: row, col: make([]int, roles), date: make([]bool, len(cells))}
	for i := range h.col {
		h.col[i] = -1
	}
	known := 0
	fallback := make([]bool, roles) // the role's column is one of fallbackNames
	for i, c := range cells {
		n := strings.TrimLeft(normCell(c), "*★")
		if n == "" {
			continue
		}
		if strings.Contains(n, "日期") || strings.Contains(n, "有效期") || strings.Contains(n, "时间") ||
			(len(n) > 2 && (strings.HasSuffix(n, "RQ") || strings.HasSuffix(n, "DATE")) && isASCII(n)) { // CLRQ, ESTDATE = 成立日期
			h.date[i] = true
		}
		name := n
		role, ok := index[name]
		if !ok {
			// A name with a note in brackets: 统一社会信用代码（必填）, 信用风险分类（A/B/C/D）.
			name = withoutNote(n)
			role, ok = index[name]
		}
		if !ok {
			continue
		}
		known++
		if h.col[role] < 0 || fallback[role] && !fallbackNames[name] {
			h.col[role] = i
			fallback[role] = fallbackNames[name]
		}
	}
	if known < 2 {
		return nil
	}
	h.cells = append([]string(nil), cells...)
	return h
}

// withoutNote is a normalised header name without a bracketed note at its end
// ("统一社会信用代码(必填)", "企业名称[必填]", "信用风险分类【A/B/C/D】"); "" when it has none.
// Names whose bracket is part of a synonym ("住所(经营场所)") are matched before this is tried.
func withoutNote(n string) string {
	for _, b := range [][2]string{{"(", ")"}, {"[", "]"}, {"【", "】"}} {
		if strings.HasSuffix(n, b[1]) {
			if i := strings.LastIndex(n, b[0]); i > 0 {
				return n[:i]
			}
		}
	}
	return ""
}

// headerHint is the hint of a header that lacks a required column.
const headerHint = "表头须在同一行，列名用简体中文（如“统一社会信用代码”“企业名称”，执法人员名录为“姓名”“执法证号”）；" +
	"表头分成两行或有合并单元格时，请合并为一行表头后另存；choucha roster template 可写出一份带标准列名的名录模板"

// describeCells lists cells for an error message.
//
// A message quotes cells of at most describeMaxRunes characters each, and stops once it has
// quoted describeBudget characters: a first row of megabytes (a hostile or broken file) must
// not come back as a message of megabytes, while a real header of 30 short names is shown whole.
func describeCells(cells []string) string {
	var seen []string
	n, used := 0, 0
	for _, c := range cells {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		n++
		if used >= describeBudget {
			continue
		}
		r := []rune(c)
		if len(r) > describeMaxRunes {
			c = string(r[:describeMaxRunes]) + fmt.Sprintf("…（共%d个字符）", len(r))
			used += describeMaxRunes
		} else {
			used += len(r)
		}
		seen = append(seen, "“"+c+"”")
	}
	if len(seen) == 0 {
		return "（无）"
	}
	if n > len(seen) {
		return strings.Join(seen, "、") + fmt.Sprintf("……（共%d个非空单元格）", n)
	}
	return strings.Join(seen, "、")
}

const (
	describeMaxRunes = 40
	describeBudget   = 240
)

// errNoHeader is returned when no header row is found in the first rows.
func errNoHeader(first []string, want string) error {
	return fmt.Errorf("在前%d行找不到表头（需要%s等列）；第一行是：%s", headerScanRows, want, describeCells(first))
}

// The other kind of roster: a firm roster's header seen where an inspector roster's was looked
// for, or the other way round. Both commands take both files (roster check and --inspectors,
// sample's --roster and --inspectors), and one given for the other is the likeliest reason a
// header is not found; the message says so instead of only listing the columns it lacks.
const (
	inspectorsGivenAsFirms = "第%d行是执法检查人员名录的表头（有“姓名”“执法证号”列），不是检查对象名录：" +
		"检查人员名录请用 choucha roster check --inspectors 检查；抽取时用 --roster 给出检查对象名录，--inspectors 给出执法检查人员名录"
	firmsGivenAsInspectors = "第%d行是检查对象名录的表头（有“统一社会信用代码”“企业名称”列），不是执法检查人员名录：" +
		"检查对象名录请用 choucha roster check（不加 --inspectors）检查；抽取时用 --roster 给出检查对象名录，--inspectors 给出执法检查人员名录"
)

// isInspectorHeader: cells are a whole inspector roster header (姓名 and 执法证号).
func isInspectorHeader(row int, cells []string) bool {
	h := matchHeader(row, cells, inspectorIndex, numInspCols)
	return h != nil && h.col[icolName] >= 0 && h.col[icolID] >= 0
}

// isFirmHeader: cells are a whole firm roster header (a code or 注册号, and a name).
func isFirmHeader(row int, cells []string) bool {
	h := matchHeader(row, cells, firmIndex, numFirmCols)
	return h != nil && (h.col[colCode] >= 0 || h.col[colRegNo] >= 0) && h.col[colName] >= 0
}

// noHeader is errNoHeader, with the hint of otherKind (a format with the row) when the
// other kind's header was seen on row otherRow (0: not seen).
func noHeader(first []string, want string, otherRow int, otherKind string) error {
	err := errNoHeader(first, want)
	if otherRow > 0 {
		return apperr.Hint(err, fmt.Sprintf(otherKind, otherRow))
	}
	return err
}

// rowOf is the header's row, 0 for no header.
func (h *header) rowOf() int {
	if h == nil {
		return 0
	}
	return h.row
}
