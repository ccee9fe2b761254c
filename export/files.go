// Package export writes what a draw produces for the field team and the public (一公开):
// Excel-safe CSV (BOM or GBK, formula-injection guard) and XLSX lists, the announcement,
// the result-entry template and per-inspector task sheets. Every file is written through
// internal/atomicfile (a temp file or folder renamed into place). Dates come from the
// manifest's year and plan.Window (Window), never from the plan ID.
//
// # Files of a draw folder
//
// WriteDraw writes manifest.json (the record), 抽查名单.csv and 抽查名单.xlsx (the internal
// list for the field team). Export adds, on request, the public announcement
// (抽查任务公告.html/.csv), the result-entry template (检查结果录入表.xlsx) and the task
// sheets (检查任务单.html/.xlsx).
//
// # Formula injection
//
// Every CSV cell that begins with =, +, -, @, tab or CR is prefixed with an apostrophe
// (Guard; OWASP "CSV Injection"). XLSX cells are not prefixed: they are written as inline
// string cells with the text number format "@", which Excel and WPS never evaluate, even
// after the cell is edited — so a firm named "=HYPERLINK(…)" keeps its exact name in the
// workbook and stays a plain string. Tests pin both.
//
// # What is public
//
// The announcement carries the firm's name, code, registration authority and ticket only:
// never the credit class (分类不公开), the legal representative, a phone number or any
// inspector's personal data. It is rendered from fixed fields, never from roster columns.
package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/atomicfile"
	"github.com/choucha/choucha/internal/jsonquote"
)

// Names of the files in a draw folder.
const (
	ManifestFile = "manifest.json"
	ListCSVFile  = "抽查名单.csv"
	ListXLSXFile = "抽查名单.xlsx"
)

// WriteFileAtomic writes path through a temp file in the same folder and renames it into
// place (atomicfile.WriteFile).
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	return atomicfile.WriteFile(path, write)
}

// WriteDraw writes a draw's folder: manifest.json, 抽查名单.csv and 抽查名单.xlsx (with a 说明
// sheet and, when the draw has assignments, the teams and one 检查任务单 sheet per
// inspector). The folder is built under a temp name and renamed to dir, which must not exist.
// When ctx is done (Ctrl-C) the files stop between rows and the temp folder is removed.
func WriteDraw(ctx context.Context, dir string, m *draw.Manifest) (err error) {
	if m == nil {
		return errors.New("没有抽取结果可写")
	}
	// The workbook first: it takes as long as the other two together. The list table is
	// computed once for both lists (read only by both).
	h, rows := ListTable(m)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{ListXLSXFile, func(w io.Writer) error { return writeWorkbook(ctx, w, listSheetsOf(m, h, rows)) }},
		{ManifestFile, func(w io.Writer) error { return writeManifest(w, m) }},
		{ListCSVFile, func(w io.Writer) error { return WriteCSV(w, UTF8, h, rows) }},
	}
	err = atomicfile.WriteDir(dir, func(tmp string) error {
		// The files are independent: one worker a core takes the next file (not one each,
		// so that three files' buffers are not in memory at once on two cores). The first
		// failure in the order above is reported.
		errs := make([]error, len(files))
		next := make(chan int, len(files))
		for i := range files {
			next <- i
		}
		close(next)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(files)) {
			wg.Go(func() {
				for i := range next {
					f := files[i]
					// The text files stop at their next write once ctx is done.
					write := func(w io.Writer) error { return f.write(ctxWriter{ctx, w}) }
					if err := atomicfile.WriteFile(filepath.Join(tmp, f.name), write); err != nil {
						errs[i] = fmt.Errorf("写入 %s: %w", f.name, err)
					}
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, atomicfile.ErrExists) {
		return fmt.Errorf("抽取目录 %s 已存在，不会覆盖", filepath.Clean(dir))
	}
	return err
}

// writeManifest writes json.MarshalIndent(m, "", "  ") and a newline. The two long lists
// (selected, reserves) are marshalled one firm at a time straight into w, so the text of a
// large draw (tens of MB) is never in memory twice over: the same bytes, without the peak.
func writeManifest(w io.Writer, m *draw.Manifest) error {
	head := *m
	if m.Selected != nil {
		head.Selected = []draw.Selected{}
	}
	if m.Reserves != nil {
		head.Reserves = []draw.Reserve{}
	}
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return fmt.Errorf("编码抽取记录: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	// The fields at the top level are indented by two spaces and follow a newline; a newline
	// inside a string is escaped, so these markers can only be the fields themselves.
	rest := b
	for _, list := range []struct {
		marker string
		n      int
		append func(b []byte, i int) []byte
	}{
		{"\n  \"selected\": []", len(m.Selected), func(b []byte, i int) []byte { return appendSelected(b, &m.Selected[i]) }},
		{"\n  \"reserves\": []", len(m.Reserves), func(b []byte, i int) []byte { return appendReserve(b, &m.Reserves[i]) }},
	} {
		if list.n == 0 {
			continue // written as MarshalIndent wrote it ([] or null)
		}
		i := bytes.Index(rest, []byte(list.marker))
		if i < 0 {
			return fmt.Errorf("编码抽取记录: 没有 %s", strings.TrimSpace(list.marker))
		}
		cut := i + len(list.marker) - 1 // before the closing ]
		bw.Write(rest[:cut])
		rest = rest[cut:]
		var firm []byte
		for k := range list.n {
			firm = firm[:0]
			if k > 0 {
				firm = append(firm, ',')
			}
			firm = append(firm, "\n    "...)
			firm = list.append(firm, k)
			bw.Write(firm)
		}
		bw.WriteString("\n  ")
	}
	bw.Write(rest)
	bw.WriteByte('\n')
	return bw.Flush()
}

// appendSelected appends s as json.MarshalIndent(m, "", "  ") writes it in the manifest's
// "selected" list, two levels deep (from its "{" to its "}"): the same bytes, written without
// reflection and without indenting compact JSON again (0.19 of the 1.3 CPU-s a 1M-row draw
// spent after its read went to manifest.json that way). TestWriteManifestIsMarshalIndent
// compares the two, also with every field of draw.Selected set, so a field added there and
// not here fails it.
func appendSelected(b []byte, s *draw.Selected) []byte {
	b = appendText(b, "{\n      \"key\": ", s.Key)
	b = appendText(b, ",\n      \"name\": ", s.Name)
	b = appendText(b, ",\n      \"class\": ", s.Class)
	b = appendText(b, ",\n      \"ticket\": ", s.Ticket)
	b = strconv.AppendInt(append(b, ",\n      \"rank\": "...), int64(s.Rank), 10)
	b = strconv.AppendBool(append(b, ",\n      \"repeat\": "...), s.Repeat)
	if s.Authority != "" {
		b = appendText(b, ",\n      \"authority\": ", s.Authority)
	}
	if s.Address != "" {
		b = appendText(b, ",\n      \"address\": ", s.Address)
	}
	if len(s.Values) > 0 {
		b = append(b, ",\n      \"values\": ["...)
		for i, v := range s.Values {
			sep := ",\n        "
			if i == 0 {
				sep = sep[1:]
			}
			b = appendText(b, sep, v)
		}
		b = append(b, "\n      ]"...)
	}
	return append(b, "\n    }"...)
}

// appendReserve is appendSelected for an element of the "reserves" list.
func appendReserve(b []byte, r *draw.Reserve) []byte {
	b = appendText(b, "{\n      \"key\": ", r.Key)
	b = appendText(b, ",\n      \"class\": ", r.Class)
	b = appendText(b, ",\n      \"ticket\": ", r.Ticket)
	b = strconv.AppendInt(append(b, ",\n      \"rank\": "...), int64(r.Rank), 10)
	return append(b, "\n    }"...)
}

// appendText appends what comes before a string (its separator, indent and name) and the
// string quoted.
func appendText(b []byte, before, s string) []byte {
	return jsonquote.Append(append(b, before...), s)
}

// LoadDraw reads manifest.json from a draw folder (or the manifest file itself).
func LoadDraw(path string) (*draw.Manifest, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("抽取目录或记录 %s 不存在", path)
		}
		return nil, err
	}
	file := path
	if st.IsDir() {
		file = filepath.Join(path, ManifestFile)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s 中没有 %s，不是抽取目录", path, ManifestFile)
		}
		return nil, err
	}
	return ParseManifest(b, file)
}

// ParseManifest decodes and validates a manifest (draw.ParseManifest); name is used in
// messages. Every export goes through it, so nothing is published from a manifest whose list
// does not follow from its seed.
func ParseManifest(b []byte, name string) (*draw.Manifest, error) {
	return draw.ParseManifest(b, name)
}
