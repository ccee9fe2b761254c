package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encoding is the character encoding of a CSV file we write.
type Encoding string

// Encodings of CSV files.
const (
	UTF8 Encoding = "utf-8" // with a byte-order mark, so Excel and WPS detect it
	GBK  Encoding = "gbk"   // for older systems; a character outside GBK is an error
)

// ParseEncoding accepts utf-8 (utf8) or gbk, in any case.
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "utf-8", "utf8":
		return UTF8, nil
	case "gbk":
		return GBK, nil
	}
	return "", fmt.Errorf("不支持的编码 %q（可选 utf-8、gbk）", s)
}

// bom is the UTF-8 byte-order mark.
const bom = "\ufeff"

// guardSpace is what a spreadsheet may skip before it looks for a formula.
const guardSpace = " \n\u00a0\u3000\ufeff\u200b"

// Guard neutralises a cell for CSV (OWASP CSV injection): a cell that begins with =, +, -, @,
// tab or carriage return is prefixed with an apostrophe, so a spreadsheet shows it as text
// instead of running it as a formula. Every cell of every CSV we write passes through Guard.
func Guard(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	// A formula behind leading white space, a no-break space or a BOM: some spreadsheets
	// trim those before they look for '=' (issue 19). (The first rune tells whether there
	// is any: most cells are looked at no further.)
	if r, _ := utf8.DecodeRuneInString(cell); !strings.ContainsRune(guardSpace, r) {
		return cell
	}
	if rest := strings.TrimLeft(cell, guardSpace); rest != cell && rest != "" {
		switch rest[0] {
		case '=', '+', '-', '@':
			return "'" + cell
		}
	}
	return cell
}

// KeepText protects a cell that a spreadsheet would turn into a number or a date and so
// change on open-and-save — a 20-digit seed becomes 2.02604011234568E+19, a numeric
// 18-digit code loses its last digits, a leading zero or a date's form is lost — by
// prefixing a tab. Excel, WPS and LibreOffice then read the cell as text and write it back
// unchanged (tab included); readers that trim white space (choucha's own) see the value.
// Tested against LibreOffice's open-and-save (libreoffice_test.go). Other cells are kept.
func KeepText(cell string) string {
	if spreadsheetNumber(cell) {
		return "\t" + cell
	}
	return cell
}

// spreadsheetNumber reports whether a spreadsheet parses s as a number or date that it
// cannot write back as typed: 12 or more digits (shown and saved as 1.23457E+11), a leading
// zero, a number in exponent form (a ticket like 0012e345…), a date. It is the regular
// expression
//
//	^(?:[0-9]{12,}|0[0-9]+|[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2})$
//
// matched by hand (csv_test.go holds the expression and compares them): the regexp took
// half of a 41,000-firm list's CSV time, on every code, ticket and phone number.
func spreadsheetNumber(s string) bool {
	d := digitsAt(s, 0)
	switch {
	case d == 0:
		return false // every form starts with a digit
	case d == len(s):
		return d >= 12 || (d >= 2 && s[0] == '0')
	}
	if d == 4 && dateSep(s[4]) { // 2026-04-01, 2026/4/1, 2026.4.1
		m := digitsAt(s, 5)
		if m >= 1 && m <= 2 && 5+m < len(s) && dateSep(s[5+m]) {
			if k := digitsAt(s, 6+m); k >= 1 && k <= 2 && 6+m+k == len(s) {
				return true
			}
		}
	}
	i := d // exponent form: digits, optionally a fraction, e or E, optionally a sign, digits
	if s[i] == '.' {
		f := digitsAt(s, i+1)
		if f == 0 {
			return false
		}
		i += 1 + f
	}
	if i == len(s) || (s[i] != 'e' && s[i] != 'E') {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	e := digitsAt(s, i)
	return e > 0 && i+e == len(s)
}

// digitsAt counts the ASCII digits of s from byte i.
func digitsAt(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '9' {
		n++
	}
	return n
}

func dateSep(c byte) bool { return c == '-' || c == '/' || c == '.' }

// csvCell is a cell as written: guarded, kept as text (KeepText), then with every line break
// (CRLF, LF or a lone CR) written as CRLF. encoding/csv with CRLF line ends would otherwise
// drop a lone CR.
func csvCell(c string) string {
	c = KeepText(Guard(c))
	if strings.ContainsRune(c, '\r') {
		c = strings.ReplaceAll(c, "\r\n", "\n")
		c = strings.ReplaceAll(c, "\r", "\n")
	}
	return c
}

// WriteCSV writes an RFC 4180 CSV (CRLF line ends, quoting by encoding/csv) of header and
// rows, each cell through Guard (a lone CR inside a cell becomes a line break). UTF8 starts with a BOM; GBK fails on the first character
// GBK cannot hold, naming its row (1 = header) and column instead of writing '?'.
func WriteCSV(w io.Writer, enc Encoding, header []string, rows [][]string) error {
	all := append([][]string{header}, rows...)
	switch enc {
	case UTF8, "":
		// Straight to w: the list of a large draw is tens of MB that need not be in memory.
		bw := bufio.NewWriterSize(w, 64<<10)
		if _, err := bw.WriteString(bom); err != nil {
			return err
		}
		if err := writeRecords(bw, all); err != nil {
			return err
		}
		return bw.Flush()
	case GBK:
		for i, r := range all {
			for j, c := range r {
				if err := checkGBK(c); err != nil {
					col := fmt.Sprintf("第%d列", j+1)
					if j < len(header) {
						col = fmt.Sprintf("第%d列（%s）", j+1, header[j])
					}
					return fmt.Errorf("CSV 第%d行%s: %w", i+1, col, err)
				}
			}
		}
		var buf bytes.Buffer
		if err := writeRecords(&buf, all); err != nil {
			return err
		}
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			return fmt.Errorf("转换为 GBK: %w", err)
		}
		_, err = w.Write(b)
		return err
	}
	return fmt.Errorf("不支持的编码 %q", enc)
}

// writeRecords writes the records through csvCell with encoding/csv, CRLF line ends.
func writeRecords(w io.Writer, records [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	var cells []string // one record's cells, reused: csv.Writer keeps none of them
	for _, r := range records {
		cells = cells[:0]
		for _, c := range r {
			cells = append(cells, csvCell(c))
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// checkGBK reports the first character of s that GBK cannot represent.
func checkGBK(s string) error {
	if isASCII(s) {
		return nil
	}
	enc := simplifiedchinese.GBK.NewEncoder()
	if _, err := enc.String(s); err == nil {
		return nil
	}
	for _, r := range s {
		if r == utf8.RuneError {
			return fmt.Errorf("含有无效的 UTF-8 字节，无法转换为 GBK")
		}
		if _, err := enc.String(string(r)); err != nil {
			return fmt.Errorf("字符 %q（U+%04X）不在 GBK 字符集中，无法用 GBK 编码：请改用 UTF-8（--encoding utf-8）", string(r), r)
		}
	}
	return fmt.Errorf("无法转换为 GBK")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
