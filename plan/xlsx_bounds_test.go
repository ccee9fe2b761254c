package plan

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXHugeMerge: one merged range over the whole sheet (A1:XFD1048576 in the attack of
// issue 19) is clipped to the used range; the plan reads at once.
func TestXLSXHugeMerge(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"某县2026年度计划"},
		{"地市", "序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次", "智慧监管(信用风险分类)要求", "抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式"},
		{"沁县", "1", "任务", "事项", "范围", "10%；1次", "无", "3月—5月", "沁县甲局", "沁县乙局", "县抽县查"},
		{"", "2", "任务二", "事项", "范围", "20%；1次", "无", "6月", "沁县甲局", "沁县乙局"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.MergeCell("Sheet1", "K3", "K4"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	// Widen the range in the sheet XML, as the attack file has it (excelize itself would
	// take minutes to write such a range).
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(zf.Name, "xl/worksheets/") {
			b = bytes.ReplaceAll(b, []byte(`ref="K3:K4"`), []byte(`ref="K3:XFD1048576"`))
		}
		w, _ := zw.Create(zf.Name)
		w.Write(b)
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "merge.xlsx")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("XFD1048576")) && !zipHas(out.Bytes(), "K3:XFD1048576") {
		t.Fatal("the range was not widened")
	}
	p, err := Load(path, "M")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 || p.Tasks[1].Mode != ModeCounty || p.Tasks[1].District != "沁县" {
		t.Errorf("tasks %+v", p.Tasks)
	}
}

// TestXLSXUnzipBound: a workbook that unpacks past the bound is refused with a Chinese message
// and leaves no excelize temporary file behind.
func TestXLSXUnzipBound(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := MaxXLSXUnzip
	MaxXLSXUnzip = 64 << 10
	defer func() { MaxXLSXUnzip = old }()
	_, err := Load(xlsxPlan, "CZ2026")
	if err == nil || !strings.Contains(err.Error(), "压缩炸弹") || !strings.Contains(err.Error(), "changzhi-2026.xlsx") {
		t.Fatalf("error %v", err)
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	MaxXLSXUnzip = old
	if _, err := Load(xlsxPlan, "CZ2026"); err != nil {
		t.Fatal(err)
	}
	left, _ = os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("temporary files left after a read: %v", left)
	}
}

func zipHas(b []byte, s string) bool {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return false
	}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

// rawPlanXLSX writes a workbook whose sheet is body (the XML inside <worksheet>) and whose
// shared-string table is sst (the XML inside <sst>, none if ""), and returns its path.
func rawPlanXLSX(t *testing.T, body, sst string) string {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":     `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="附件1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + body + `</worksheet>`,
	}
	if sst != "" {
		parts["xl/sharedStrings.xml"] = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + sst + `</sst>`
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} {
		if _, ok := parts[name]; !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// xmlRow is a sheet row of inline strings starting in column A.
func xmlRow(n int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for j, c := range cells {
		if c == "" {
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(j+1, n)
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, c)
	}
	b.WriteString(`</row>`)
	return b.String()
}

// planHead is a title row and a header row (sheet rows 1 and 2).
var planHead = xmlRow(1, "某县2026年度计划") +
	xmlRow(2, "地市", "序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次", "智慧监管(信用风险分类)要求", "抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式")

func planTask(n, seq int) string {
	return xmlRow(n, "沁县", fmt.Sprint(seq), "任务", "事项", "范围", "10%；1次", "无", "3月—5月", "沁县甲局", "沁县乙局", "县抽县查")
}

// TestXLSXSharedStringOutOfRange: a cell pointing past the shared-string table was read as
// an empty cell by excelize (the plan loaded, the task's name missing); it is refused, naming
// the file, the row and the index.
func TestXLSXSharedStringOutOfRange(t *testing.T) {
	body := `<sheetData>` + planHead + planTask(3, 1) +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>沁县</t></is></c><c r="B4"><v>2</v></c><c r="C4" t="s"><v>99</v></c></row>` +
		`</sheetData>`
	path := rawPlanXLSX(t, body, `<si><t>任务</t></si>`)
	data, _ := os.ReadFile(path)
	if _, _, err := parseXLSXExcelize(data, path, Options{ID: "M"}); err != nil {
		t.Fatalf("the excelize reader refused it too (%v): the test no longer shows the old failure", err)
	}
	_, err := Load(path, "M")
	if err == nil || !strings.Contains(err.Error(), "共享字符串索引 99 超出范围") || !strings.Contains(err.Error(), "plan.xlsx") || !strings.Contains(err.Error(), "第4行") {
		t.Fatalf("error %v", err)
	}
}

// TestXLSXMergeOverUsedRange: a value in the last cell of the sheet makes the used range the
// whole sheet; a merged range over it is 17 billion cells even clipped. Refused at once.
func TestXLSXMergeOverUsedRange(t *testing.T) {
	body := `<sheetData>` + planHead + planTask(3, 1) + `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>` +
		`<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>`
	_, err := Load(rawPlanXLSX(t, body, ""), "M")
	if err == nil || !strings.Contains(err.Error(), "A3:XFD1048576") || !strings.Contains(err.Error(), "不像一份抽查计划") {
		t.Fatalf("error %v", err)
	}
}

// TestXLSXWideRows: a value in column XFD on each of a hundred rows is 1.6 million cells
// once the rows are padded (GetRows padded them all: hundreds of GB for the 64 MB of XML a
// plan may unpack to): refused.
func TestXLSXWideRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<sheetData>` + planHead + planTask(3, 1))
	for r := 4; r < 104; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
	}
	b.WriteString(`</sheetData>`)
	_, err := Load(rawPlanXLSX(t, b.String(), ""), "M")
	if err == nil || !strings.Contains(err.Error(), "单元格超过") || !strings.Contains(err.Error(), "plan.xlsx") {
		t.Fatalf("error %v", err)
	}
}

// TestXLSXOverlappingMerges: Excel never writes merged ranges that overlap; excelize joined
// them (when a corner of one lay in the other), which decides cell values by accident.
func TestXLSXOverlappingMerges(t *testing.T) {
	body := `<sheetData>` + planHead + planTask(3, 1) + planTask(4, 2) + planTask(5, 3) + `</sheetData>` +
		`<mergeCells count="2"><mergeCell ref="A3:A4"/><mergeCell ref="A4:B5"/></mergeCells>`
	_, err := Load(rawPlanXLSX(t, body, ""), "M")
	if err == nil || !strings.Contains(err.Error(), "重叠") || !strings.Contains(err.Error(), "A4:B5") {
		t.Fatalf("error %v", err)
	}
	// Side by side they are fine, and fill as before.
	body = `<sheetData>` + planHead + planTask(3, 1) + xmlRow(4, "", "2", "任务二", "事项", "范围", "20%", "无", "6月", "", "", "") + `</sheetData>` +
		`<mergeCells count="3"><mergeCell ref="A3:A4"/><mergeCell ref="I3:I4"/><mergeCell ref="J3:K3"/></mergeCells>`
	p, err := Load(rawPlanXLSX(t, body, ""), "M")
	if err != nil {
		t.Fatal(err)
	}
	if k := task(t, p, 2); k.District != "沁县" || k.Initiator != "沁县甲局" {
		t.Errorf("task 2 %+v", k)
	}
	if k := task(t, p, 1); k.Mode != "沁县乙局" {
		t.Errorf("task 1 mode %q: J3:K3 fills K3 with J3's value", k.Mode)
	}
}

// TestXLSXRowsBackwards: excelize added the cells of a row numbered lower than the one
// before to that row, so a table could be rearranged silently. Refused with both numbers.
func TestXLSXRowsBackwards(t *testing.T) {
	body := `<sheetData>` + planHead + planTask(5, 1) + planTask(4, 2) + `</sheetData>`
	_, err := Load(rawPlanXLSX(t, body, ""), "M")
	if err == nil || !strings.Contains(err.Error(), "行号 4 不在第5行之后") {
		t.Fatalf("error %v", err)
	}
}

// TestXLSXNoTempFiles: a plan that unpacks past excelize's in-memory part limit (excelize
// then spills parts to $TMPDIR, and left 1–1.5 GB excelize-* files there when it failed)
// reads without writing anything to $TMPDIR, and one past the plan limit is refused the same.
func TestXLSXNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var b strings.Builder
	b.WriteString(`<sheetData>` + planHead)
	for i := 1; i <= 40; i++ {
		b.WriteString(planTask(2+i, i))
	}
	// 350,000 rows without cells after the table: 20 MB, over excelize's 16 MB default
	// in-memory limit.
	for r := 43; r <= 350000; r++ {
		fmt.Fprintf(&b, `<row r="%d" spans="1:11" ht="15" customHeight="1"/>`, r)
	}
	b.WriteString(`</sheetData>`)
	pad := strings.Repeat(" ", 70<<20)
	path := rawPlanXLSX(t, b.String(), "")
	p, err := Load(path, "M")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 40 {
		t.Errorf("%d tasks", len(p.Tasks))
	}
	bomb := rawPlanXLSX(t, b.String()+pad, "")
	if _, err := Load(bomb, "M"); err == nil || !strings.Contains(err.Error(), "压缩炸弹") {
		t.Fatalf("error %v", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestXLSXFileSizeBound: a plan file larger than the unzip limit is refused before it is read
// (it was read whole into memory first).
func TestXLSXFileSizeBound(t *testing.T) {
	old := MaxXLSXUnzip
	defer func() { MaxXLSXUnzip = old }()
	MaxXLSXUnzip = 1 << 20
	path := filepath.Join(t.TempDir(), "big.xlsx")
	if err := os.WriteFile(path, make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, "M")
	if err == nil || !strings.Contains(err.Error(), "超过 1 MB") || !strings.Contains(err.Error(), "big.xlsx") {
		t.Fatalf("error %v", err)
	}
}
