package main

import (
	"bufio"
	"strconv"
	"strings"
	"testing"
)

// hostileFiles is the hostile table. Sizes are chosen so that the whole table runs in well
// under a minute: the bombs are streamed from a few megabytes of repeated compressed blocks.
// (A function, not a variable: its entries read the test rosters, which a child process of the
// test binary, started in another folder, must not do at start-up.)
func hostileFiles() []hostileFile {
	return []hostileFile{
		// ---- CSV: width and length ----
		{name: "一行百万个逗号.csv", want: "超过 Excel 每行 16384 列的上限", make: func(w *bufio.Writer) {
			w.WriteString(csvHeader + csvFirm + strings.Repeat(",", 1_000_000) + "\n")
		}},
		{name: "一行十万列.csv", want: "超过 Excel 每行 16384 列的上限", make: func(w *bufio.Writer) {
			w.WriteString(csvHeader + csvFirm + strings.Repeat(",x", 100_000) + "\n")
		}},
		{name: "表头十万列.csv", want: "第1行", make: func(w *bufio.Writer) {
			w.WriteString(strings.TrimSuffix(csvHeader, "\n") + strings.Repeat(",列", 100_000) + "\n" + csvFirm + "\n")
		}},
		{name: "一行20MB没有换行.csv", want: "超过 16 MiB", make: func(w *bufio.Writer) {
			w.WriteString(csvHeader + csvFirm + strings.Repeat("长", 7<<20))
		}},
		{name: "单元格四万字.csv", want: "超过 Excel 每个单元格 32767 个字符的上限", make: func(w *bufio.Writer) {
			w.WriteString(csvHeader + strings.Replace(csvFirm, "吴兰", strings.Repeat("吴", 40000), 1) + "\n")
		}},
		// Issue 19: a 10 MB first row came back as a 10 MB message.
		{name: "首行10MB.csv", want: "找不到表头", make: func(w *bufio.Writer) {
			for i := range 16000 {
				if i > 0 {
					w.WriteString(",")
				}
				w.WriteString(strings.Repeat("字", 210))
			}
			w.WriteString("\n" + csvFirm + "\n")
		}},
		// Issue 19: roster check of a 256 KB file printed 802 MB (every row padded to the widest cell).
		{name: "宽单元格加千行问题行.csv", make: func(w *bufio.Writer) {
			w.WriteString(csvHeader)
			w.WriteString(strings.Replace(csvFirm, "吴兰", strings.Repeat("吴", 30000), 1) + "\n")
			for i := range 1500 {
				w.WriteString("BAD" + strconv.Itoa(100000+i) + ",某某公司" + strconv.Itoa(i) + ",张三,,沁县,,,A,存续,,\n")
			}
		}, read: func(t *testing.T, r *hostileRead) {
			if r.check.codes()["bad_id"] != 1500 || r.check.Eligible != 1 {
				t.Errorf("want 1500 bad codes and 1 firm kept: %+v", r.check.codes())
			}
		}},
		// ---- CSV: bytes and encodings ----
		{name: "代码中有NUL.csv", want: "第9行第1列含有NUL", make: csvWith("\r\n", func(i int, l string) string {
			if i == 7 {
				return l[:10] + "\x00" + l[10:]
			}
			return l
		})},
		{name: "名称中有NUL.csv", want: "第302行第2列含有NUL", make: csvWith("\r\n", func(i int, l string) string {
			if i == 300 {
				return strings.Replace(l, "有限公司", "有限\x00公司", 1)
			}
			return l
		})},
		{name: "前半UTF-8后半GBK.csv", want: "第202行不是 UTF-8", make: csvWith("\r\n", func(i int, l string) string {
			if i >= 200 {
				return gbk(l)
			}
			return l
		})},
		{name: "前半GBK后半UTF-8.csv", want: "混用了两种文字编码：第1行不是 UTF-8…第202行是 UTF-8", make: func(w *bufio.Writer) {
			w.WriteString(gbk(csvHeader))
			for i, l := range realCSVRows() {
				if i < 200 {
					l = gbk(l)
				}
				w.WriteString(l + "\n")
			}
		}},
		{name: "GBK中有非法字节.csv", want: "第52行第2列", make: func(w *bufio.Writer) {
			w.WriteString(gbk(csvHeader))
			for i, l := range realCSVRows() {
				l = gbk(l)
				if i == 50 {
					l = strings.Replace(l, gbk("有限公司"), "\x81\x20", 1)
				}
				w.WriteString(l + "\n")
			}
		}},
		{name: "文件中间有BOM.csv", make: csvWith("\n", func(i int, l string) string {
			if i == 100 {
				return "\ufeff" + l
			}
			return l
		}), read: func(t *testing.T, r *hostileRead) {
			// The byte-order mark is no part of the code: the firm is kept, under its code.
			if r.check.Rows != 400 || r.check.Eligible != 400 || len(r.check.Issues) != 0 {
				t.Errorf("%d rows, %d kept, issues %v; want 400, 400, none", r.check.Rows, r.check.Eligible, r.check.codes())
			}
		}},
		{name: "UTF-16LE.csv", want: "UTF-16LE 编码", make: func(w *bufio.Writer) {
			w.WriteString("\xff\xfe")
			for _, r := range csvHeader + csvFirm + "\n" {
				w.WriteByte(byte(r))
				w.WriteByte(byte(r >> 8))
			}
		}},
		{name: "随机字节.csv", want: "格式错误", make: func(w *bufio.Writer) {
			x := uint32(2463534242)
			for range 200_000 {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				w.WriteByte(byte(x))
			}
		}},
		// ---- CSV: line ends and quotes ----
		{name: "只用CR换行.csv", make: csvWith("\r", nil), read: func(t *testing.T, r *hostileRead) {
			if r.check.Rows != 400 || r.check.Eligible != 400 || r.drawn != 18 {
				t.Errorf("CR-only roster: %d rows, %d kept, %d drawn; want 400, 400, 18", r.check.Rows, r.check.Eligible, r.drawn)
			}
		}},
		{name: "引号不成对.csv", want: "CSV 第22行…引号没有成对", make: csvWith("\n", func(i int, l string) string {
			if i == 20 {
				return strings.Replace(l, "长治市沁县", `"长治市沁县`, 1)
			}
			return l
		})},
		{name: "字段中间有引号.csv", want: "第22行第2个字段格式错误：未加引号的字段中出现了引号", make: csvWith("\n", func(i int, l string) string {
			if i == 20 {
				return strings.Replace(l, "有限公司", `有限"公司`, 1)
			}
			return l
		})},
		{name: "引号中十万个换行.csv", want: "32767", make: func(w *bufio.Writer) {
			w.WriteString(csvHeader + `91140430MAHXBE1M21,"` + strings.Repeat("\n", 100_000) + `",吴兰` + "\n")
		}},
		// ---- CSV: headers and codes ----
		// Two columns named for the code: the first is the code (a rule of header.go), the second
		// an ordinary column — here the same code on every row, which would make 49 duplicates.
		{name: "表头重复.csv", make: func(w *bufio.Writer) {
			w.WriteString("统一社会信用代码,企业名称,统一社会信用代码,信用风险分类\n")
			for _, l := range realCSVRows()[:50] {
				c := strings.Split(l, ",")
				w.WriteString(c[0] + "," + c[1] + ",91140430MAHXBE1M21," + c[7] + "\n")
			}
		}, read: func(t *testing.T, r *hostileRead) {
			if r.check.Rows != 50 || r.check.Eligible != 50 {
				t.Errorf("%d rows, %d kept; want 50 and 50 (the first code column)", r.check.Rows, r.check.Eligible)
			}
		}},
		{name: "代码中有RTL控制符.csv", make: csvWith("\n", func(i int, l string) string {
			if i == 5 {
				return "\u202e" + l
			}
			return l
		}), read: func(t *testing.T, r *hostileRead) {
			// An RTL override makes the code no code: excluded and reported (shown escaped).
			if r.check.Rows != 400 || r.check.Eligible != 399 || r.check.codes()["bad_id"] != 1 || strings.Contains(r.checkText, "\u202e") || !strings.Contains(r.checkText, `\u202e`) {
				t.Errorf("RTL override: %d rows, %d kept, %v; printed raw: %v", r.check.Rows, r.check.Eligible, r.check.codes(), strings.Contains(r.checkText, "\u202e"))
			}
		}},
		{name: "代码中有零宽空格.csv", make: csvWith("\n", func(i int, l string) string {
			if i == 5 {
				return l[:8] + "\u200b" + l[8:]
			}
			return l
		}), read: func(t *testing.T, r *hostileRead) {
			// A zero-width space is no part of the code (as a space would not be): kept.
			if r.check.Rows != 400 || r.check.Eligible != 400 || strings.Contains(r.checkText, "\u200b") {
				t.Errorf("zero-width space: %d rows, %d kept, printed raw: %v", r.check.Rows, r.check.Eligible, strings.Contains(r.checkText, "\u200b"))
			}
		}},
		{name: "名称中有终端控制序列.csv", make: csvWith("\n", func(i int, l string) string {
			if i == 5 {
				return strings.Replace(l, "有限公司", "有限公司\x1b[2J\x1b]0;pwned\a", 1)
			}
			return l
		}), read: func(t *testing.T, r *hostileRead) {
			if strings.ContainsAny(r.checkText, "\x1b\a") {
				t.Error("roster check printed a terminal escape raw")
			}
		}},
		{name: "只有表头.csv", want: "只有表头", make: func(w *bufio.Writer) { w.WriteString(csvHeader) }},
		{name: "空文件.csv", want: "空文件", make: func(w *bufio.Writer) {}},
		// ---- xlsx: width, length, rows ----
		{name: "一行十万个无引用单元格.xlsx", want: "超过 16384 列", make: rosterXLSX(sheetOf(
			"<row>" + strings.Repeat(`<c t="inlineStr"><is><t>x</t></is></c>`, 100_000) + "</row>"))},
		{name: "无行号超过1048576行.xlsx", want: "超过 Excel 的 1048576 行上限", make: rosterXLSX(func(w *bufio.Writer) {
			w.WriteString(strings.TrimSuffix(sheetXML(inlineRow(headerCells()...)), "</sheetData></worksheet>"))
			for range 1_048_576 {
				w.WriteString("<row/>")
			}
			w.WriteString("</sheetData></worksheet>")
		})},
		{name: "行号1048577.xlsx", want: "第1048577行: 行号 1048577 超过 Excel 的 1048576 行上限", make: rosterXLSX(sheetOf(
			`<row r="1">`+strings.TrimPrefix(inlineRow(headerCells()...), "<row>"),
			`<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>`))},
		{name: "列号XFE.xlsx", want: "16384 列", make: rosterXLSX(sheetOf(
			inlineRow(headerCells()...), `<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>`))},
		{name: "单元格四万字.xlsx", want: "32767 个字符", make: rosterXLSX(sheetOf(
			`<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("长", 40000) + `</t></is></c></row>`))},
		{name: "首行10MB.xlsx", want: "找不到表头", make: rosterXLSX(func(w *bufio.Writer) {
			w.WriteString(strings.TrimSuffix(sheetXML(""), "</sheetData></worksheet>") + "<row>")
			for range 16000 {
				w.WriteString(`<c t="inlineStr"><is><t>` + strings.Repeat("字", 210) + `</t></is></c>`)
			}
			w.WriteString("</row>" + inlineRow(firmCells()...) + "</sheetData></worksheet>")
		})},
		{name: "属性20MB.xlsx", want: "XML 元素过长", make: rosterXLSX(sheetOf(`<row r="1" spans="` + strings.Repeat("1", 20<<20) + `"></row>`))},
		{name: "尺寸XFD1048576只有两行.xlsx", want: "尺寸", make: rosterXLSX(func(w *bufio.Writer) {
			w.WriteString(strings.Replace(sheetXML(inlineRow(headerCells()...)+inlineRow(firmCells()...)), "<sheetData>", `<dimension ref="A1:XFD1048576"/><sheetData>`, 1))
		})},
		{name: "嵌套百万层.xlsx", make: rosterXLSX(func(w *bufio.Writer) {
			w.WriteString(strings.TrimSuffix(sheetXML(inlineRow(headerCells()...)+inlineRow(firmCells()...)), "</sheetData></worksheet>") + `<row><c t="inlineStr"><is><t>`)
			for range 1_000_000 {
				w.WriteString("<x>")
			}
			for range 1_000_000 {
				w.WriteString("</x>")
			}
			w.WriteString("</t></is></c></row></sheetData></worksheet>")
		}), read: func(t *testing.T, r *hostileRead) {
			if r.check.Eligible != 1 || r.drawn != 1 {
				t.Errorf("%d kept, %d drawn; want the one firm", r.check.Eligible, r.drawn)
			}
		}},
		// ---- xlsx: XML bombs and external entities ----
		{name: "十亿笑.xlsx", want: "DOCTYPE", make: rosterXLSX(func(w *bufio.Writer) {
			w.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
			prev := "lol"
			for i := 1; i <= 9; i++ {
				name := "lol" + strconv.Itoa(i)
				w.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
				prev = name
			}
			w.WriteString(`]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
				inlineRow(headerCells()...) + `<row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>`)
		})},
		{name: "外部实体XXE.xlsx", want: "DOCTYPE", make: rosterXLSX(func(w *bufio.Writer) {
			w.WriteString(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
				inlineRow(headerCells()...) + `<row><c t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>`)
		})},
		{name: "共享字符串XXE.xlsx", want: "DOCTYPE", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/sharedStrings.xml",
			data: []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>`)}))},
		// ---- xlsx: zip bombs ----
		{name: "压缩炸弹工作表3GB.xlsx", want: "解压后超过 1536 MiB", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/worksheets/sheet1.xml",
			bomb: bombOf(sheetXML(inlineRow(headerCells()...))[:200], strings.Repeat(" ", 64<<10), "", 3<<30)}))},
		{name: "压缩炸弹头部谎报大小.xlsx", want: "不是有效的 xlsx 文件", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/worksheets/sheet1.xml",
			bomb: &deflateBomb{prefix: sheetXML("")[:150], chunk: strings.Repeat(" ", 64<<10), n: 16 << 10, claim: 1 << 20}}))},
		{name: "共享字符串近2GiB.xlsx", want: "解压后超过 1536 MiB", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/sharedStrings.xml",
			bomb: bombOf(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`,
				"<si><t>"+strings.Repeat("字", 20000)+"</t></si>", "</sst>", 2<<30-(64<<20))}))},
		// Issue 19: the shared strings are held in memory, so they are bounded on their own.
		{name: "共享字符串文字200MiB.xlsx", want: "文字超过 128 MiB", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/sharedStrings.xml",
			bomb: bombOf(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`,
				"<si><t>"+strings.Repeat("字", 20000)+"</t></si>", "</sst>", 200<<20)}))},
		{name: "共享字符串九百万项.xlsx", want: "超过 8388608 项", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/sharedStrings.xml",
			bomb: bombOf(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`,
				strings.Repeat("<si/>", 1000), "</sst>", 9_000_000*5)}))},
		{name: "十万个部件.xlsx", want: "", make: func(w *bufio.Writer) {
			parts := realXLSXParts()
			for i := range 100_000 {
				parts = append(parts, zpart{name: "xl/media/x" + strconv.Itoa(i) + ".bin", data: []byte("x")})
			}
			writeZip(parts)(w)
		}},
		{name: "工作表是嵌套的zip.xlsx", want: "XML 格式错误", make: func(w *bufio.Writer) {
			var inner strings.Builder
			bw := bufio.NewWriter(&inner)
			rosterXLSX(sheetOf(inlineRow(headerCells()...)))(bw)
			bw.Flush()
			writeZip(replaced(realXLSXParts(), zpart{name: "xl/worksheets/sheet1.xml", data: []byte(inner.String())}))(w)
		}},
		// ---- xlsx: names and parts ----
		{name: "zip中有上级目录名.xlsx", make: writeZip(append(append([]zpart(nil), realXLSXParts()...),
			zpart{name: "../../../../tmp/choucha-pwned.txt", data: []byte("x")}, zpart{name: "/etc/choucha-pwned", data: []byte("x")})),
			read: func(t *testing.T, r *hostileRead) {
				if r.check.Rows != 400 || r.drawn != 18 {
					t.Errorf("%d rows, %d drawn", r.check.Rows, r.drawn)
				}
			}},
		{name: "关系指向上级目录.xlsx", want: "没有这个工作表的数据", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/_rels/workbook.xml.rels",
			data: []byte(strings.Replace(string(partData(realXLSXParts(), "xl/_rels/workbook.xml.rels")), `Target="worksheets/sheet1.xml"`, `Target="../../../../etc/passwd"`, 1))}))},
		{name: "工作表部件重复.xlsx", want: "出现了不止一次", make: writeZip(append(append([]zpart(nil), realXLSXParts()...),
			zpart{name: "xl/worksheets/sheet1.xml", data: []byte(sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>其他</t></is></c></row>`))}))},
		{name: "共享字符串部件重复.xlsx", want: "出现了不止一次", make: writeZip(append(append([]zpart(nil), realXLSXParts()...), sstOf("x")))},
		{name: "截断一半.xlsx", want: "不是有效的 xlsx 文件", make: func(w *bufio.Writer) {
			var whole strings.Builder
			bw := bufio.NewWriter(&whole)
			writeZip(realXLSXParts())(bw)
			bw.Flush()
			w.WriteString(whole.String()[:whole.Len()/2])
		}},
		{name: "截掉中央目录.xlsx", want: "不是有效的 xlsx 文件", make: func(w *bufio.Writer) {
			var whole strings.Builder
			bw := bufio.NewWriter(&whole)
			writeZip(realXLSXParts())(bw)
			bw.Flush()
			w.WriteString(whole.String()[:whole.Len()-100])
		}},
		{name: "共享字符串下标越界.xlsx", want: "共享字符串索引 99999999 超出范围", make: rosterXLSX(sheetOf(
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`,
			`<row r="2"><c r="A2" t="s"><v>11</v></c><c r="B2" t="s"><v>99999999</v></c></row>`))},
		{name: "共享字符串下标为负.xlsx", want: "超出范围", make: rosterXLSX(sheetOf(
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`,
			`<row r="2"><c r="A2" t="s"><v>11</v></c><c r="B2" t="s"><v>-1</v></c></row>`))},
		// excelize (and the fast reader, until it refused them) put a row numbered before the
		// row above into that row: here the firm's cells would join the header.
		{name: "行号倒序.xlsx", want: "行号 3 不在第5行之后（行的顺序错乱）", make: rosterXLSX(sheetOf(
			`<row r="5">`+strings.TrimPrefix(inlineRow(headerCells()...), "<row>"),
			`<row r="3">`+strings.TrimPrefix(inlineRow(firmCells()...), "<row>")))},
		{name: "代码中有零宽字符.xlsx", make: rosterXLSX(sheetOf(inlineRow(headerCells()...),
			inlineRow(append([]string{"91140430\u200bMAHXBE1M21"}, firmCells()[1:]...)...),
			inlineRow(append([]string{"\u202e91140430DE963LTKXE"}, strings.Split(realCSVRows()[1], ",")[1:]...)...))),
			read: func(t *testing.T, r *hostileRead) {
				if r.check.Rows != 2 || strings.ContainsAny(r.checkText, "\u200b\u202e") {
					t.Errorf("%d rows; printed raw: %v", r.check.Rows, strings.ContainsAny(r.checkText, "\u200b\u202e"))
				}
			}},
		{name: "没有工作表.xlsx", want: "没有工作表", make: writeZip(replaced(realXLSXParts(), zpart{name: "xl/workbook.xml",
			data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`)}))},
		{name: "OLE伪装.xlsx", want: "旧版 Excel", make: func(w *bufio.Writer) {
			w.WriteString("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 4096))
		}},
		// ---- plan files (issue 19) ----
		{name: "计划合并整张表.xlsx", plan: true, want: "找不到表头行", make: planXLSX(func(s string) string {
			if i := strings.Index(s, "<mergeCells"); i >= 0 {
				j := strings.Index(s, "</mergeCells>") + len("</mergeCells>")
				s = s[:i] + s[j:]
			}
			return strings.Replace(s, "</sheetData>", `</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>`, 1)
		})},
		{name: "计划压缩炸弹1.5GB.xlsx", plan: true, want: "解压后超过", make: writeZip(replaced(realPlanParts(), zpart{name: "xl/worksheets/sheet1.xml",
			bomb: bombOf(string(partData(realPlanParts(), "xl/worksheets/sheet1.xml")[:300]), strings.Repeat(" ", 64<<10), "", 1536<<20)}))},
		{name: "计划共享字符串下标越界.xlsx", plan: true, want: "超出范围", make: planXLSX(func(s string) string {
			return strings.Replace(s, `t="inlineStr"><is><t>&#24207;&#21495;</t></is>`, `t="s"><v>4000000</v>`, 1)
		})},
		{name: "计划十亿笑.xlsx", plan: true, want: "DOCTYPE", make: planXLSX(func(s string) string {
			dtd := `<!DOCTYPE lolz [<!ENTITY lol "lol">`
			prev := "lol"
			for i := 1; i <= 9; i++ {
				name := "lol" + strconv.Itoa(i)
				dtd += `<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`
				prev = name
			}
			return dtd + "]>" + strings.Replace(s, `&#24207;&#21495;`, `&lol9;`, 1)
		})},
		{name: "计划一行十万列.xlsx", plan: true, want: "16384", make: planXLSX(func(s string) string {
			return strings.Replace(s, "</sheetData>", `<row r="1000">`+strings.Repeat(`<c t="inlineStr"><is><t>x</t></is></c>`, 100_000)+`</row></sheetData>`, 1)
		})},
		{name: "计划十万行.xlsx", plan: true, want: "", make: planXLSX(func(s string) string {
			var b strings.Builder
			for r := 1000; r < 101_000; r++ {
				b.WriteString(`<row r="` + strconv.Itoa(r) + `"><c r="A` + strconv.Itoa(r) + `" t="inlineStr"><is><t>x</t></is></c></row>`)
			}
			return strings.Replace(s, "</sheetData>", b.String()+"</sheetData>", 1)
		}), read: func(t *testing.T, r *hostileRead) {
			if !strings.Contains(r.planShow, "序号") {
				t.Errorf("plan show 1:\n%.500s", r.planShow)
			}
		}},
		{name: "计划行号倒序.xlsx", plan: true, want: "行的顺序错乱", make: planXLSX(func(s string) string {
			return strings.Replace(s, "</sheetData>", `<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`, 1)
		})},
		{name: "计划一行一万列.xlsx", plan: true, make: planXLSX(func(s string) string {
			return strings.Replace(s, "</sheetData>", `<row r="1000">`+strings.Repeat(`<c t="inlineStr"><is><t>x</t></is></c>`, 10_000)+`</row></sheetData>`, 1)
		}), read: func(t *testing.T, r *hostileRead) {
			if !strings.Contains(r.planShow, "序号") {
				t.Errorf("plan show 1:\n%.500s", r.planShow)
			}
		}},
		// Text plans had no limit: 90,000 rows took 6.9 s and 556 MB (plan.MaxTableCells, MaxTextBytes).
		{name: "计划三十万格.tsv", plan: true, want: "超过 262144 个", make: planText(37_500, "")},
		{name: "计划16MB制表符.tsv", plan: true, want: "单元格有", make: func(w *bufio.Writer) {
			planText(2, "")(w)
			w.WriteString(strings.Repeat("\t", 16<<20-1<<10))
		}},
		{name: "计划17MB.tsv", plan: true, want: "超过 16 MB", make: planText(1000, strings.Repeat("事", 6000))},
		{name: "计划刚好262144格.tsv", plan: true, make: planText(262_144/8, ""), read: func(t *testing.T, r *hostileRead) {
			if !strings.Contains(r.planShow, "序号") {
				t.Errorf("plan show 1:\n%.500s", r.planShow)
			}
		}},
	}
}
