package plan

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/lotest"
)

// sofficeFor and soffice are lotest's Find and Convert.
func sofficeFor(t *testing.T) string { return lotest.Find(t) }

func soffice(t *testing.T, lo, profile, infilter, format, outdir, in string) string {
	return lotest.Convert(t, lo, profile, infilter, format, outdir, in)
}

// TestDOCXSameTasks: the shared Changzhi workbook (merged cells and all) turned into a Word
// document by LibreOffice — Calc writes the sheet as an HTML table (merges as rowspan and
// colspan), Writer saves that as .docx (rowspans as w:vMerge, the title as w:gridSpan) — reads
// to the same 397 tasks as the text plan. Neither file is ours: the table layout is
// LibreOffice's.
func TestDOCXSameTasks(t *testing.T) {
	lo := sofficeFor(t)
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	html := soffice(t, lo, profile, "", "html", filepath.Join(dir, "html"), xlsxPlan)
	docx := soffice(t, lo, profile, "HTML (StarWriter)", "docx:MS Word 2007 XML", filepath.Join(dir, "docx"), html)
	body, err := docxBody(mustRead(t, docx), docx)
	if err != nil {
		t.Fatal(err)
	}
	// The conversion is what the test says it is: merged cells in the Word table.
	for _, want := range []string{`<w:vMerge w:val="continue"/>`, `<w:vMerge w:val="restart"/>`, `<w:gridSpan w:val=`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Fatalf("LibreOffice's docx has no %s: the test no longer reads merged cells", want)
		}
	}
	sameTasksAsEmbedded(t, docx, "docx")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// docxFile writes a .docx holding document as its main part (through _rels/.rels, as Word
// names it) and returns its path.
func docxFile(t *testing.T, part, document string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/` + part + `" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="` + part + `"/></Relationships>`},
		{part, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>` + document + `</w:body></w:document>`},
	}
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "计划.docx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// p and tc build the document's XML: a paragraph of runs, a cell of paragraphs.
func p(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	for _, r := range runs {
		b.WriteString("<w:r><w:t xml:space=\"preserve\">" + r + "</w:t></w:r>")
	}
	b.WriteString("</w:p>")
	return b.String()
}

func tc(props string, paras ...string) string {
	if len(paras) == 0 {
		paras = []string{"<w:p/>"}
	}
	return "<w:tc><w:tcPr>" + props + "</w:tcPr>" + strings.Join(paras, "") + "</w:tc>"
}

func tr(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

func tbl(rows ...string) string {
	// Eight columns of 1000 twips, as the header's: Word writes the grid, and LibreOffice lays
	// a converted table out by it.
	return "<w:tbl><w:tblGrid>" + strings.Repeat(`<w:gridCol w:w="1000"/>`, 8) + "</w:tblGrid>" + strings.Join(rows, "") + "</w:tbl>"
}

const docxHeader = "序号,抽查任务名称,抽查事项,抽查对象范围,抽查比例及频次,抽查检查起止时间,发起部门,配合部门"

func headerRow() string {
	var cs []string
	for _, h := range strings.Split(docxHeader, ",") {
		cs = append(cs, tc("", p(h)))
	}
	return tr(cs...)
}

// TestDOCXLayout: a Word table written by hand with each thing Word does — the title as
// paragraphs above the table, a cell of two paragraphs, a line break and a tab inside a run,
// a 发起部门 cell merged down over three rows (w:vMerge restart, then continue without and with
// w:val), a cell over two grid columns, a row that begins after an empty grid column
// (w:gridBefore), a deleted revision and a field code (not shown, not read), a table inside a
// cell (its text is the cell's), and a second table with its header again. Each task is read
// as written.
func TestDOCXLayout(t *testing.T) {
	pl, err := Load(docxFile(t, "word/document.xml", layoutDoc()), "X2026")
	if err != nil {
		t.Fatal(err)
	}
	checkLayoutPlan(t, pl)
}

// checkLayoutPlan holds the expectations of layoutDoc, written from the document by hand.
func checkLayoutPlan(t *testing.T, pl *Plan) {
	t.Helper()
	if pl.Title != "某县2026年度部门联合双随机抽查工作计划" || pl.Year() != 2026 {
		t.Errorf("title %q year %d", pl.Title, pl.Year())
	}
	type want struct {
		key      string
		items    string
		pct      string
		atLeast  bool
		from, to int
		ini      string
		coops    []string
	}
	// The row after the second header begins after an empty grid column, where the 序号 is: it
	// is the second part of 序号 3 with its own ratio (as a 序号 merged over rows of their own
	// ratios reads), its cells in their columns.
	wants := []want{
		{key: "X2026-1", items: "食品安全\n经营许可", pct: "5", atLeast: true, from: 4, to: 7, ini: "县市场监管局", coops: []string{"县卫健局"}},
		{key: "X2026-2", items: "药品质量", pct: "20", from: 5, to: 9, ini: "县市场监管局", coops: []string{"县公安局", "县商务局"}},
		{key: "X2026-3.1", items: "计量器具使用单位", pct: "10", from: 1, to: 12, ini: "县市场监管局", coops: []string{"县发改局"}},
		{key: "X2026-3.2", items: "电梯", pct: "3", from: 6, to: 6, ini: "县市场监管局", coops: []string{"县住建局"}},
		{key: "X2026-4", items: "广告", pct: "15", from: 8, to: 8, ini: "县市场监管局", coops: []string{"县文旅局"}},
	}
	got := pl.Tasks
	if len(got) != len(wants) {
		var keys []string
		for _, k := range got {
			keys = append(keys, k.Key)
		}
		t.Fatalf("%d tasks %v, want %d", len(got), keys, len(wants))
	}
	for i, w := range wants {
		k := got[i]
		if k.Key != w.key || k.Ratio.Percent != w.pct || k.Ratio.AtLeast != w.atLeast || k.Window.From != w.from || k.Window.To != w.to ||
			k.Initiator != w.ini || !reflect.DeepEqual(k.Cooperators, w.coops) {
			t.Errorf("task %d: %s pct %q least %v window %d-%d ini %q coops %q flags %+v, want %+v",
				i+1, k.Key, k.Ratio.Percent, k.Ratio.AtLeast, k.Window.From, k.Window.To, k.Initiator, k.Cooperators, k.Flags, w)
		}
		if strings.Join(strings.Fields(k.Items), "") != strings.Join(strings.Fields(w.items), "") {
			t.Errorf("%s items %q, want %q", w.key, k.Items, w.items)
		}
	}
	// The 发起部门 of tasks 2 and 3.1 comes from the merge, not from a repair of an empty cell.
	for _, k := range got[1:3] {
		if strings.Contains(strings.Join(k.Repairs, ""), "空单元格") {
			t.Errorf("%s repaired %q: the merged cell was not read as merged", k.Key, k.Repairs)
		}
	}
	// The two-column cell is the 抽查事项 and the 抽查对象范围 both (merged across, as in xlsx).
	if k := got[2]; len(k.Scopes) != 1 || k.Scopes[0] != "计量器具使用单位" {
		t.Errorf("task 3.1 scopes %q", k.Scopes)
	}
	if k := got[3]; k.Name != "特种设备检查" || len(k.Scopes) != 1 || k.Scopes[0] != "使用单位" {
		t.Errorf("task 3.2 name %q scopes %q", k.Name, k.Scopes)
	}
}

// layoutDoc is TestDOCXLayout's document body (and a seed of FuzzDOCXBody).
func layoutDoc() string {
	return p("附件") + p("某县2026年度部门联合", "双随机抽查工作计划") + "<w:p/>" +
		tbl(headerRow(),
			tr(tc("", p("1")), tc("", p("食品经营检查")), tc("", p("食品安全"), p("经营许可")),
				tc("", p("辖区食品经营者")), tc("", p("不低于5%；1次"), `<w:p><w:del><w:r><w:delText>30%</w:delText></w:r></w:del></w:p>`),
				tc("", p("4月—7月")), tc(`<w:vMerge w:val="restart"/>`, p("县市场监管局")), tc("", p("县卫健局"))),
			tr(tc("", p("2")), tc("", p("药品检查")), tc("", p("药品质量")),
				tc("", p("零售药店")), tc("", `<w:p><w:r><w:t>20%</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "http://example.gov.cn/" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>；1次</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`),
				tc("", p("5月—9月")), tc(`<w:vMerge/>`), tc("", `<w:p><w:r><w:t>县公安局</w:t><w:br/><w:t>县商务局</w:t></w:r></w:p>`)),
			tr(tc("", p("3")), tc("", p("计量检查")), tc(`<w:gridSpan w:val="2"/>`, p("计量器具使用单位")),
				tc("", p("10%")), tc("", p("全年")), tc(`<w:vMerge w:val="continue"/>`), tc("", "<w:tbl><w:tr><w:tc>"+p("县发改局")+"</w:tc></w:tr></w:tbl>"+"<w:p/>")),
		) + p("（续表）") +
		tbl(headerRow(),
			`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>`+tc("", p("特种设备检查"))+tc("", p("电梯"))+tc("", p("使用单位"))+
				tc("", p("3%"))+tc("", p("6月"))+tc("", p("县市场监管局"))+tc("", p("县住建局"))+"</w:tr>",
			tr(tc("", p("4")), tc("", p("广告检查")), tc("", p("广告"), p("")), tc("", p("广告发布者")), tc("", `<w:p><w:r><w:t>15%</w:t><w:tab/><w:t>1次</w:t></w:r></w:p>`),
				tc("", p("8月")), tc("", `<w:p><w:r><w:t>县市场</w:t></w:r><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>（盖章）</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t>监管局</w:t></w:r></w:p>`), tc("", p("县文旅局"))),
		)
}

// TestDOCXRefusals: what is not a Word plan is refused with the file named and what to do.
func TestDOCXRefusals(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "计划.docx")
	if err := os.WriteFile(notZip, []byte("这不是 zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "计划.doc")
	if err := os.WriteFile(old, []byte{0xd0, 0xcf, 0x11, 0xe0}, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		want       []string
	}{
		{"not a zip", notZip, []string{notZip, "不是有效的 .docx 文件", "另存为 .docx"}},
		{"not Word 97", old, []string{old, "不是有效的 Word 97–2003 文档", "另存为 .docx"}},
		{"no table", docxFile(t, "word/document.xml", p("某县2026年度计划")+p("序号 抽查任务名称")), []string{"找不到表头行"}},
		{"bad XML", docxFile(t, "word/document.xml", "<w:p><w:r><w:t>1</w:r></w:p>"), []string{"Word 正文不是有效的 XML"}},
	}
	// The main part is found through _rels/.rels wherever it is, and read.
	elsewhere := docxFile(t, "word/document2.xml", tbl(headerRow(), tr(tc("", p("1")), tc("", p("食品经营检查")), tc("", p("食品安全")),
		tc("", p("食品经营者")), tc("", p("5%")), tc("", p("4月")), tc("", p("县市场监管局")), tc("", p("县卫健局")))))
	if pl, err := Load(elsewhere, "X2026"); err != nil || len(pl.Tasks) != 1 || pl.Tasks[0].Name != "食品经营检查" {
		t.Errorf("main part at word/document2.xml: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(c.path, "X2026")
			if err == nil {
				t.Fatal("read, want a refusal")
			}
			for _, w := range c.want {
				if !strings.Contains(errText(err), w) {
					t.Errorf("error %q lacks %q", errText(err), w)
				}
			}
		})
	}
}

// errText is the message and the hint, as the CLI prints them.
func errText(err error) string { return err.Error() + " " + apperr.HintOf(err) }

// TestDOCXSpansBoundedWork: cells over many grid columns are counted against MaxTableCells
// before a row is laid out: a row of 2,000 cells each over 64 columns is refused having laid
// out none of its 128,000 cells.
func TestDOCXSpansBoundedWork(t *testing.T) {
	old := MaxTableCells
	defer func() { MaxTableCells = old }()
	MaxTableCells = 1000
	body := []byte(tbl(headerRow(), tr(strings.Repeat(tc(`<w:gridSpan w:val="64"/>`, p("x")), 2000))))
	var err error
	n := allocated(func() { _, err = docxRows(body, "spans.docx") })
	if err == nil || !strings.Contains(errText(err), "超过 1000 个") {
		t.Fatalf("2,000 cells over 64 columns each: %v", err)
	}
	// Reading the row's XML allocates about 3 MB (measured with the same row without spans);
	// laying its 128,000 columns out took 12 MB more.
	if n > 6<<20 {
		t.Errorf("refusing the row allocated %d bytes: the spans were laid out before they were counted", n)
	}
}

// FuzzDOCXBody: any bytes as the Word body read without a panic or a hang, refused (if at
// all) with a message of the docx reader or the table parser's missing header.
func FuzzDOCXBody(f *testing.F) {
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + layoutDoc() + `</w:body></w:document>`
	f.Add([]byte(doc))
	f.Add([]byte(doc[:len(doc)/2]))
	f.Add([]byte(`<w:body>` + tbl(headerRow(), tr(tc(`<w:vMerge/>`), tc(`<w:gridSpan w:val="99999"/>`, p("x")))) + `</w:body>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		readsInTime(t, "fuzz.docx", 5*time.Second, func() error {
			src, err := docxRows(body, "fuzz.docx")
			if err == nil && hasHeader(src) {
				_, err = parseRows(src, Options{ID: "F"})
			}
			return err
		})
	})
}
