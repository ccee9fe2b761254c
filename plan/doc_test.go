package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// docPlan is the Changzhi plan as LibreOffice writes a Word 97–2003 document (see
// TestDOCSameTasks), committed so that the CLI test reads a .doc without LibreOffice.
const docPlan = "../testdata/plan/changzhi-2026.doc"

// TestDOCSameTasks: the Changzhi plan's Word document saved by LibreOffice Writer as Word
// 97–2003 (.doc: the title a cell over every column, its merged cells as vertical merges,
// rows whose properties are kept in the Data stream) reads to the same 397 tasks as the text.
// The binary layout is LibreOffice's, not ours.
func TestDOCSameTasks(t *testing.T) {
	sameTasksAsEmbedded(t, docPlan, "doc")
	doc := sameTasksConverted(t, "doc:MS Word 97", "../testdata/plan/changzhi-2026.docx", "doc")
	if b := mustRead(t, doc); !bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		t.Fatalf("%s is not a compound file", doc)
	}
}

// layoutDocFile is layoutDoc (TestDOCXLayout's hand-written Word document) as LibreOffice
// Writer 7.4 saves it in Word 97–2003 format, committed (TestDOCLayout makes it again).
const layoutDocFile = "../testdata/plan/layout-writer.doc"

// TestDOCLayout: the hand-written Word document of TestDOCXLayout (layoutDoc: merges down and
// across, a row beginning after an empty grid column, a deleted revision, a hyperlink field, a
// table in a cell, a text box, a second table with its header again), saved by LibreOffice
// Writer as Word 97–2003, reads to the same plan: the expectations are that test's, written
// from the document by hand. The committed conversion is read, and one made now.
func TestDOCLayout(t *testing.T) {
	pl, err := Load(layoutDocFile, "X2026")
	if err != nil {
		t.Fatal(err)
	}
	checkLayoutPlan(t, pl)
	lo := sofficeFor(t)
	dir := t.TempDir()
	doc := soffice(t, lo, filepath.Join(dir, "profile"), "", "doc:MS Word 97", filepath.Join(dir, "doc"), docxFile(t, "word/document.xml", layoutDoc()))
	if pl, err = Load(doc, "X2026"); err != nil {
		t.Fatal(err)
	}
	checkLayoutPlan(t, pl)
}

// TestDOCCellBound: MaxTableCells counts each cell of the rows read once: a document of
// exactly that many cells reads, one cell fewer allowed is refused.
func TestDOCCellBound(t *testing.T) {
	data := mustRead(t, layoutDocFile)
	src, err := docRows(data, "layout.doc")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range src.rows {
		n += len(r.cells)
	}
	old := MaxTableCells
	defer func() { MaxTableCells = old }()
	MaxTableCells = n
	if _, err := docRows(data, "layout.doc"); err != nil {
		t.Errorf("a document of exactly MaxTableCells (%d) cells: %v", n, err)
	}
	MaxTableCells = n - 1
	if _, err := docRows(data, "layout.doc"); err == nil || !strings.Contains(err.Error(), "单元格超过") {
		t.Errorf("a document of MaxTableCells+1 cells: %v", err)
	}
}

// TestDOCRefusals: what is not a Word 97–2003 plan is refused with the file named and what to do.
func TestDOCRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := mustRead(t, docPlan)
	cut := append([]byte(nil), good[:len(good)/3]...)
	checkRefusals(t, []refusal{
		{write("text.doc", []byte("这不是 Word 文档")), []string{"不是有效的 Word 97–2003 文档", "另存为 .docx"}},
		{write("cut.doc", cut), []string{"另存为 .docx"}},
		{write("计划.wps", good), []string{"WPS 文字格式", "另存为 .docx"}},
	})
}

// FuzzDOC: any bytes as a .doc read without a panic or a hang; the fault guard is not
// relied on (a fault would show as its message, which the test refuses).
func FuzzDOC(f *testing.F) {
	good, err := os.ReadFile(layoutDocFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		readsInTime(t, "fuzz.doc", 10*time.Second, func() error {
			_, err := docRows(data, "fuzz.doc")
			return err
		})
	})
}

// FuzzDOCStreams: any bytes as the streams of a compound file that opened (the File
// Information Block, the piece table, the property pages, the Data stream) read without a
// panic or a hang. FuzzDOC's mutations seldom get past the compound file; these do.
func FuzzDOCStreams(f *testing.F) {
	good, err := os.ReadFile(layoutDocFile)
	if err != nil {
		f.Fatal(err)
	}
	word, t0, t1, data, err := docStreams(good, "seed.doc")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(word, t0, t1, data)
	f.Fuzz(func(t *testing.T, word, t0, t1, data []byte) {
		readsInTime(t, "fuzz.doc", 10*time.Second, func() error {
			_, err := docParse(word, t0, t1, data, "fuzz.doc")
			return err
		})
	})
}
