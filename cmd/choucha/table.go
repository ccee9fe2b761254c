package main

import (
	"encoding/json"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// printTable writes an aligned table: CJK characters two columns wide, East-Asian ambiguous
// ones (— “ ” …) one column unless the console is a GBK console (ambiguousWide) — never
// from tablewriter's own environment guess, so output is the same for the same console.
// Header cells are printed as given (no automatic upper-casing).
func printTable(w io.Writer, header []string, rows [][]string) error {
	ea := tw.Off
	if ambiguousWide() {
		ea = tw.On
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithEastAsian(ea),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithTrimSpace(tw.Off),
		// Box-drawing characters are "ambiguous width" and would be counted as two columns
		// under the East-Asian setting; plain ASCII borders line up everywhere.
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
	)
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = termCell(h)
	}
	t.Header(hdr...)
	for _, r := range rows {
		// Cells come from user files: no terminal escapes, no bidi overrides, no 10 MB cell
		// padding every row of the table (issue 19). A new slice per row: the table keeps it
		// until Render (a reused one printed the last row N times).
		cells := make([]string, 0, len(r))
		for _, c := range r {
			cells = append(cells, termCell(c))
		}
		if err := t.Append(cells); err != nil {
			return err
		}
	}
	return t.Render()
}

// writeJSON writes v as indented JSON with a final newline, CJK and <>& as they are (no HTML
// escaping): the one JSON style of every --format json.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
