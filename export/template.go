package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/choucha/choucha/plan"
)

// TemplateColumn is a column of the roster template.
type TemplateColumn struct {
	Header string
	Note   string
	Width  float64
}

// RosterTemplateColumns are the columns of the firm roster template, headed as the roster
// reader expects them (roster's header synonyms; the template test reads a filled template
// back through roster). Every column is text-formatted, so a code or a phone number typed or
// pasted into it stays as typed.
var RosterTemplateColumns = []TemplateColumn{
	{"统一社会信用代码", "18位；没有统一社会信用代码的个体工商户写15位注册号。整列为文本格式，粘贴时请选“只粘贴值”", 22},
	{"企业名称", "营业执照上的名称", 36},
	{"信用风险分类", "从下拉列表选择（A类低风险、B类一般风险、C类较高风险、D类高风险）；未分类的留空，按B类抽取", 20},
	{"登记状态", "存续、在业、开业等；注销、吊销、迁出的不会被抽取", 10},
	{"所属区县", "本任务的区县", 10},
	{"登记机关", "公告中公布", 22},
	{"住所", "检查任务单中使用", 36},
	{"法定代表人", "仅内部名单使用，不公开", 12},
	{"联系电话", "仅内部名单使用，不公开", 14},
}

// RosterTemplateClasses are the drop-down values of 信用风险分类 (each read by roster as its class).
var RosterTemplateClasses = []string{"A类（信用风险低）", "B类（信用风险一般）", "C类（信用风险较高）", "D类（信用风险高）"}

// rosterTemplateRows is how many rows carry the drop-down (the text format is on the whole column).
const rosterTemplateRows = 100000

// WriteRosterTemplate writes an xlsx firm roster for a task to fill in: the 检查对象名录 sheet
// (header frozen and repeated on printed pages, every column text-formatted, a drop-down of
// the four credit-risk classes) and a 填写说明 sheet naming the task and each column.
func WriteRosterTemplate(w io.Writer, t *plan.Task) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh, about = "检查对象名录", "填写说明"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	var widths []float64
	classCol := ""
	for i, c := range RosterTemplateColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, col, col, c.Width); err != nil {
			return err
		}
		if err := f.SetColStyle(sh, col, text); err != nil {
			return err
		}
		if err := f.SetCellStr(sh, col+"1", c.Header); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, col+"1", col+"1", head); err != nil {
			return err
		}
		if c.Header == "信用风险分类" {
			classCol = col
		}
		widths = append(widths, c.Width)
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", classCol, classCol, rosterTemplateRows+1))
	if err := dv.SetDropList(RosterTemplateClasses); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "信用风险分类", "请从下拉列表中选择A、B、C、D类之一；未分类的留空")
	dv.SetInput("信用风险分类", "从下拉列表选择；未分类的留空")
	if err := f.AddDataValidation(sh, dv); err != nil {
		return err
	}
	if err := f.SetPanes(sh, freezePanes(1)); err != nil {
		return err
	}
	if err := pageSetup(f, sh, &sheet{freeze: 1}, widths); err != nil {
		return err
	}

	rows := [][]string{
		{"项目", "内容"},
		{"抽查任务编号", t.Key},
		{"抽查任务名称", t.Name},
		{"抽查事项", t.Items},
		{"抽查对象范围", strings.Join(t.Scopes, "；")},
		{"区县", t.District},
		{"用法", "在“检查对象名录”页每行填一户符合抽查对象范围的市场主体，保存后：choucha roster check 本文件 --district " + t.District + "；无误后 choucha sample --task " + fmt.Sprint(t.Seq) + " --roster 本文件"},
	}
	for _, c := range RosterTemplateColumns {
		rows = append(rows, []string{c.Header, c.Note})
	}
	if _, err := f.NewSheet(about); err != nil {
		return err
	}
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellStr(about, ref, v); err != nil {
				return err
			}
			style := wrap
			if r == 0 {
				style = head
			}
			if err := f.SetCellStyle(about, ref, ref, style); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(about, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(about, "B", "B", 70); err != nil {
		return err
	}
	if err := f.SetPanes(about, freezePanes(1)); err != nil {
		return err
	}
	if err := pageSetup(f, about, &sheet{freeze: 1}, []float64{16, 70}); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "choucha", Description: "choucha 检查对象名录模板"}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
