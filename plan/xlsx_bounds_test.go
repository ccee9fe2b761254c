package plan

import (
	"archive/zip"
	"bytes"
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
