package xlsxstream

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigSSTWorkbook writes a one-sheet workbook whose shared-string table holds items strings of
// itemLen bytes (streamed into the zip: the test never holds the table), and whose sheet
// refers to the first one.
func bigSSTWorkbook(t *testing.T, items, itemLen int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sst.xlsx")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	add("xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`)
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	item := "<si><t>" + strings.Repeat("x", itemLen) + "</t></si>"
	for range items {
		io.WriteString(w, item)
	}
	io.WriteString(w, `</sst>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSharedStringTextLimit: a table of 130 MiB of text, far under the unzip limit (one
// unpacking to just under it made roster check peak at 3.4 GB), is refused with the file and
// the limit named, and a table under the limit reads.
func TestSharedStringTextLimit(t *testing.T) {
	p := bigSSTWorkbook(t, 130*256, 4096)
	_, err := readRows(ScanFast, p, "")
	if err == nil || !strings.Contains(err.Error(), "sst.xlsx") || !strings.Contains(err.Error(), "共享字符串表") || !strings.Contains(err.Error(), "128 MiB") {
		t.Fatalf("error %v", err)
	}
	rows, err := readRows(ScanFast, bigSSTWorkbook(t, 1000, 4096), "")
	if err != nil || len(rows) != 1 || len(rows[0].cells[0]) != 4096 {
		t.Fatalf("rows %d, error %v", len(rows), err)
	}
}

// TestSharedStringCountLimit: the number of items is bounded too (empty strings cost no text
// but four bytes of offset each).
func TestSharedStringCountLimit(t *testing.T) {
	old := maxSharedStrings
	defer func() { maxSharedStrings = old }()
	maxSharedStrings = 100
	if _, err := readRows(ScanFast, bigSSTWorkbook(t, 100, 0), ""); err != nil {
		t.Fatal(err)
	}
	_, err := readRows(ScanFast, bigSSTWorkbook(t, 101, 0), "")
	if err == nil || !strings.Contains(err.Error(), "超过 100 项") || !strings.Contains(err.Error(), "sst.xlsx") {
		t.Fatalf("error %v", err)
	}
}
