package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Generators of the hostile table's files. Each writes its file to a buffered writer, so the
// big ones (zip bombs that unpack to gigabytes, a sheet of a million rows) are streamed and
// never held in memory; the few megabytes a bomb takes compressed are the largest buffer.

// csvHeader is the real roster's header line.
const csvHeader = "统一社会信用代码,企业名称,法定代表人,登记机关,所属区县,住所,对象类型,信用风险分类,登记状态,成立日期,联系电话\n"
const csvFirm = "91140430MAHXBE1M21,长治市沁县天晟晋地产房产经纪有限公司,吴兰,长治市沁县市场监督管理局,沁县,山西省长治市沁县紫金路198号,房地产从业单位,A,存续（在营、开业、在册）,2004-07-11,15853753663"

// realCSVRows are the 400 firm lines of the real CSV roster (without header, BOM and line ends).
var realCSVRows = sync.OnceValue(func() []string {
	b, err := os.ReadFile(rosterPath("qinxian-realestate.csv"))
	if err != nil {
		panic(err)
	}
	lines := strings.Split(strings.TrimRight(strings.TrimPrefix(string(b), "\ufeff"), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines[1:]
})

// csvWith writes the real roster's header and firms with line end eol, each firm line passed
// through edit (with its 0-based index) first.
func csvWith(eol string, edit func(i int, line string) string) func(w *bufio.Writer) {
	return func(w *bufio.Writer) {
		w.WriteString(strings.TrimSuffix(csvHeader, "\n") + eol)
		for i, l := range realCSVRows() {
			if edit != nil {
				l = edit(i, l)
			}
			w.WriteString(l + eol)
		}
	}
}

// realXLSXParts are the parts of the real xlsx roster, in order.
var realXLSXParts = sync.OnceValue(func() []zpart {
	good, err := os.ReadFile(rosterPath("qinxian-realestate.xlsx"))
	if err != nil {
		panic(err)
	}
	return zipParts(good)
})

// realPlanParts are the parts of the real plan workbook.
var realPlanParts = sync.OnceValue(func() []zpart {
	good, err := os.ReadFile(filepath.Join("..", "..", "testdata", "plan", "changzhi-2026.xlsx"))
	if err != nil {
		panic(err)
	}
	return zipParts(good)
})

func zipParts(b []byte) []zpart {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		panic(err)
	}
	var parts []zpart
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			panic(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			panic(err)
		}
		parts = append(parts, zpart{name: f.Name, data: data})
	}
	return parts
}

// zpart is one part of a generated zip: its bytes, a writer of them, or a raw deflate bomb.
type zpart struct {
	name string
	data []byte
	body func(w *bufio.Writer)
	bomb *deflateBomb
}

// replaced returns parts with the part called name replaced by p (added when absent).
func replaced(parts []zpart, p zpart) []zpart {
	out := make([]zpart, 0, len(parts)+1)
	done := false
	for _, q := range parts {
		if q.name == p.name {
			if !done {
				out = append(out, p)
			}
			done = true
			continue
		}
		out = append(out, q)
	}
	if !done {
		out = append(out, p)
	}
	return out
}

func partData(parts []zpart, name string) []byte {
	for _, p := range parts {
		if p.name == name {
			return p.data
		}
	}
	panic("no part " + name)
}

// writeZip writes parts as a zip (deflated) to w.
func writeZip(parts []zpart) func(w *bufio.Writer) {
	return func(w *bufio.Writer) {
		zw := zip.NewWriter(w)
		for _, p := range parts {
			if p.bomb != nil {
				p.bomb.write(zw, p.name)
				continue
			}
			pw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
			if err != nil {
				panic(err)
			}
			bw := bufio.NewWriterSize(pw, 64<<10)
			if p.body != nil {
				p.body(bw)
			} else {
				bw.Write(p.data)
			}
			bw.Flush()
		}
		zw.Close()
	}
}

// rosterXLSX is the real xlsx roster with its worksheet written by sheet.
func rosterXLSX(sheet func(w *bufio.Writer)) func(w *bufio.Writer) {
	return writeZip(replaced(realXLSXParts(), zpart{name: "xl/worksheets/sheet1.xml", body: sheet}))
}

// sheetOf writes a worksheet holding rows (already XML).
func sheetOf(rows ...string) func(w *bufio.Writer) {
	return func(w *bufio.Writer) { w.WriteString(sheetXML(strings.Join(rows, ""))) }
}

func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}

// inlineRow is a row of inline-string cells without references.
func inlineRow(cells ...string) string {
	var b strings.Builder
	b.WriteString("<row>")
	for _, c := range cells {
		b.WriteString(`<c t="inlineStr"><is><t>` + c + `</t></is></c>`)
	}
	b.WriteString("</row>")
	return b.String()
}

// headerCells and firmCells are the real header and first firm as cells.
func headerCells() []string { return strings.Split(strings.TrimSuffix(csvHeader, "\n"), ",") }
func firmCells() []string   { return strings.Split(csvFirm, ",") }

// deflateBomb is a zip part of prefix, n copies of chunk and suffix, compressed once per piece:
// the copies of chunk share one compressed form, repeated (each piece is compressed by a fresh
// compressor and ends on a byte boundary, so the pieces concatenate into one valid stream).
// claim, when not zero, is the uncompressed size the headers claim instead of the real one.
type deflateBomb struct {
	prefix, chunk, suffix string
	n                     int
	claim                 uint64
}

func deflated(s string) []byte {
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	fw.Write([]byte(s))
	fw.Flush()
	return b.Bytes()
}

func (d *deflateBomb) size() uint64 {
	return uint64(len(d.prefix)) + uint64(d.n)*uint64(len(d.chunk)) + uint64(len(d.suffix))
}

func (d *deflateBomb) write(zw *zip.Writer, name string) {
	pre, chunk, suf := deflated(d.prefix), deflated(d.chunk), deflated(d.suffix)
	final := []byte{0x03, 0x00} // an empty final block
	crc := crc32.Update(0, crc32.IEEETable, []byte(d.prefix))
	for range d.n {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(d.chunk))
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(d.suffix))
	size := d.size()
	if d.claim != 0 {
		size = d.claim
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64:   uint64(len(pre)+d.n*len(chunk)+len(suf)) + 2,
		UncompressedSize64: size})
	if err != nil {
		panic(err)
	}
	w.Write(pre)
	for range d.n {
		w.Write(chunk)
	}
	w.Write(suf)
	w.Write(final)
}

// bombOf returns a bomb of about size bytes: prefix, copies of chunk, suffix.
func bombOf(prefix, chunk, suffix string, size int64) *deflateBomb {
	return &deflateBomb{prefix: prefix, chunk: chunk, suffix: suffix, n: int(size / int64(len(chunk)))}
}

// sstOf writes a shared-strings part of the given strings.
func sstOf(items ...string) zpart {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="` +
		strconv.Itoa(len(items)) + `" uniqueCount="` + strconv.Itoa(len(items)) + `">`)
	for _, s := range items {
		b.WriteString("<si><t>" + s + "</t></si>")
	}
	b.WriteString("</sst>")
	return zpart{name: "xl/sharedStrings.xml", data: []byte(b.String())}
}

// planXLSX is the real plan workbook with its worksheet passed through edit.
func planXLSX(edit func(sheet string) string) func(w *bufio.Writer) {
	parts := realPlanParts()
	sheet := string(partData(parts, "xl/worksheets/sheet1.xml"))
	return writeZip(replaced(parts, zpart{name: "xl/worksheets/sheet1.xml", data: []byte(edit(sheet))}))
}

// gbk is the GBK encoding of the few Chinese words the mixed-encoding files use.
func gbk(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return string(b)
}
