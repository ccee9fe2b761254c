package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/choucha/choucha/plan"
	"github.com/choucha/choucha/roster"
)

// The template is what the roster reader expects: filled in as an office would (codes typed
// into the text-formatted column, classes from the drop-down, one left blank), it reads back
// with every row eligible and every class right.
func TestRosterTemplate(t *testing.T) {
	p, err := plan.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	task, err := p.Task(292)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteRosterTemplate(&buf, task); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); !slices.Equal(got, []string{"检查对象名录", "填写说明"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, _ := f.GetRows("检查对象名录")
	if len(rows) != 1 || rows[0][0] != "统一社会信用代码" || rows[0][2] != "信用风险分类" {
		t.Fatalf("header %q", rows)
	}
	// Every column is text-formatted (number format 49 "@") beyond the header.
	for i := range RosterTemplateColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		id, err := f.GetColStyle("检查对象名录", col)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.NumFmt != 49 {
			t.Errorf("column %s style %+v %v: not text", col, st, err)
		}
	}
	dvs, err := f.GetDataValidations("检查对象名录")
	if err != nil || len(dvs) != 1 {
		t.Fatalf("validations %v %v", dvs, err)
	}
	if dv := dvs[0]; dv.Type != "list" || !strings.HasPrefix(dv.Sqref, "C2:C") || !strings.Contains(dv.Formula1, "A类（信用风险低）") || !strings.Contains(dv.Formula1, "D类（信用风险高）") {
		t.Errorf("validation %+v", dv)
	}
	about, _ := f.GetRows("填写说明")
	if !slices.ContainsFunc(about, func(r []string) bool { return len(r) > 1 && r[1] == "CZ2026-292" }) {
		t.Errorf("填写说明 lacks the task key: %q", about)
	}

	// Fill it in and read it back with the roster reader.
	firms := [][]string{
		{"91140430MAHXBE1M21", "长治市沁县天晟晋地产房产经纪有限公司", RosterTemplateClasses[0], "存续", "沁县", "长治市沁县市场监督管理局", "沁县紫金路198号", "吴兰", "15853753663"},
		{"91140430DE963LTKXE", "长治市沁县永安中地产房产经纪有限公司", RosterTemplateClasses[2], "存续", "沁县", "", "", "", ""},
		{"91140430582Q4CMP2C", "长治市沁县荣达红地产房产经纪有限公司", "", "在业", "沁县", "", "", "", ""},
		{"91140430MA9A3GNL0Y", "长治市沁县盛世锦地产房地产开发有限公司", RosterTemplateClasses[3], "开业", "沁县", "", "", "", ""},
	}
	for r, row := range firms {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := f.SetCellStr("检查对象名录", ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "名录.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	frame, rep, err := roster.ReadFirms(context.Background(), path, roster.Options{District: task.District})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 4 || rep.Eligible != 4 || len(frame.Firms) != 4 {
		t.Fatalf("read back: %d rows, %d eligible, issues %+v", rep.Rows, rep.Eligible, rep.Issues)
	}
	want := map[string]string{"91140430MAHXBE1M21": "A", "91140430DE963LTKXE": "C", "91140430582Q4CMP2C": "B", "91140430MA9A3GNL0Y": "D"}
	for _, fm := range frame.Firms {
		if want[fm.Key] != fm.Class {
			t.Errorf("%s: class %q, want %q", fm.Key, fm.Class, want[fm.Key])
		}
	}
	_ = os.Remove(path)
}
