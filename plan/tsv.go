package plan

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// readTSV splits tab-separated text as Excel and WPS copy it: encoding/csv with Comma '\t'
// and LazyQuotes, so a cell with a line break, which the spreadsheet writes in double quotes,
// stays one cell. Each row keeps the line it starts on.
//
// A stray double quote at the start of a cell that is not a quoted cell would make the csv
// reader swallow the rows after it into one cell; when a cell comes back holding a tab and a
// line break (no copied cell does), the text is split by lines and tabs instead, so no row is
// lost.
func readTSV(text string) []rawRow {
	// Carriage returns alone end lines in files saved by old Mac programs.
	text = crOnly.Replace(text)
	if rows, ok := readQuotedTSV(text); ok {
		return rows
	}
	var rows []rawRow
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimSuffix(l, "\r")
		rows = append(rows, rawRow{line: i + 1, cells: strings.Split(l, "\t")})
	}
	return rows
}

// crOnly turns a lone CR into LF and keeps CR LF.
var crOnly = strings.NewReplacer("\r\n", "\r\n", "\r", "\n")

func readQuotedTSV(text string) ([]rawRow, bool) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	var rows []rawRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, true
		}
		if err != nil {
			return nil, false
		}
		line, _ := r.FieldPos(0)
		for _, c := range rec {
			if strings.Contains(c, "\n") && strings.Contains(c, "\t") {
				return nil, false
			}
		}
		rows = append(rows, rawRow{line: line, cells: rec})
	}
}
