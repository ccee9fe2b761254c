package export

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/workday"
)

// ResultCodes are the standard inspection results (检查结果) offered in the result-entry
// template's drop-down, as used by the national platforms. A drawn firm found closed or
// unreachable is not replaced: it gets one of these codes.
var ResultCodes = []string{
	"未发现问题",
	"发现问题已责令改正",
	"发现问题待后续处理",
	"未按规定公示应当公示的信息",
	"公示信息隐瞒真实情况、弄虚作假",
	"通过登记的住所(经营场所)无法联系",
	"查无下落",
	"已注销",
	"已吊销",
	"已迁出",
	"已关闭停业或正在清算",
	"未发现开展本次抽查涉及的经营活动",
	"不予配合情节严重",
}

// Columns of the result-entry sheet; resultCol is the drop-down column.
var resultHeader = []string{"序号", "市场主体名称", "统一社会信用代码/注册号", "住所", "登记机关",
	"抽查事项", "检查机关", "检查日期", "检查结果", "备注", "检查人员", "结果公示截止日期"}

const resultCol = 8

// WriteResultsXLSX writes the result-entry template (检查结果录入表): one row per drawn firm,
// 检查结果 chosen from ResultCodes by a drop-down, and the publication deadline — 20 working
// days after the window's last day — on every row and on the 说明 sheet.
func WriteResultsXLSX(ctx context.Context, w io.Writer, m *draw.Manifest, cal *workday.Calendar) error {
	sheets, err := resultsSheets(m, cal)
	if err != nil {
		return err
	}
	return writeWorkbook(ctx, w, sheets)
}

// resultsSheets are WriteResultsXLSX's sheets.
func resultsSheets(m *draw.Manifest, cal *workday.Calendar) ([]sheet, error) {
	deadline, err := PublicationDeadline(m, cal)
	if err != nil {
		return nil, err
	}
	due := ChineseDate(deadline.Date)
	teams := teamsByKey(m)
	rows := [][]string{resultHeader}
	auth := strings.Join(authorities(m, nil), "、")
	for i, s := range m.Selected {
		var names []string
		for _, mb := range teams[s.Key] {
			names = append(names, mb.Name)
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), s.Name, s.Key, s.Address, s.Authority,
			m.TaskInfo.Items, auth, "", "", "", strings.Join(names, "、"), due})
	}
	codes := make([][]string, len(ResultCodes))
	for i, c := range ResultCodes {
		codes[i] = []string{c}
	}
	about := [][]string{
		{"项目", "内容"},
		{"结果公示截止日期", due},
		{"计算方法", DeadlineMethod(m, deadline)},
		{"填写说明", "每户填写检查日期（如 2026-05-20）、从下拉列表选择检查结果、必要时填写备注。抽中的市场主体一律不替换：已注销、查无下落等情形也按检查结果填写。"},
		{"公示原则", "谁检查、谁录入、谁公开；检查结果自检查结束之日起20个工作日内通过国家企业信用信息公示系统公示。"},
	}
	for _, kv := range About(m) {
		about = append(about, []string{kv[0], kv[1]})
	}
	return []sheet{
		{
			name: "检查结果录入", rows: rows, bold: map[int]bool{0: true}, freeze: 1,
			numeric:  map[int]bool{0: true},
			wrapCols: map[int]bool{3: true, 5: true, 9: true},
			dropList: "'结果代码'!$A$1:$A$" + strconv.Itoa(len(ResultCodes)), dropCol: resultCol, dropFrom: 1,
		},
		{name: "说明", rows: about, bold: map[int]bool{0: true}, freeze: 1, wrapCols: map[int]bool{1: true}},
		{name: "结果代码", rows: codes, hidden: true},
	}, nil
}
