package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/textfile"
	"github.com/xuri/excelize/v2"
)

// Formats of `choucha export`.
const (
	FormatAnnounce = "announce" // 抽查任务公告.html and .csv (public)
	FormatResults  = "results"  // 检查结果录入表.xlsx
	FormatSheets   = "sheets"   // 检查任务单.html and .xlsx
	FormatCSV      = "csv"      // 抽查名单.csv (internal list)
	FormatXLSX     = "xlsx"     // 抽查名单.xlsx (internal list)
)

// Formats lists the export formats in the order the help shows them.
var Formats = []string{FormatAnnounce, FormatResults, FormatSheets, FormatCSV, FormatXLSX}

// File is one output of an export: its name in the output folder and how to write it (the
// workbooks stop when ctx is done).
type File struct {
	Name  string
	Write func(ctx context.Context, w io.Writer) error
	// header is the first CSV record, to recognise our own earlier export of the file.
	header []string
}

// Files returns the files a format produces. A CSV in GBK is named …-GBK.csv, so it never
// replaces the UTF-8 file of the draw folder.
func Files(m *draw.Manifest, format string, opts Options) ([]File, error) {
	if opts.Encoding == "" {
		opts.Encoding = UTF8
	}
	csvName := func(base string) string {
		if opts.Encoding == GBK {
			return base + "-GBK.csv"
		}
		return base + ".csv"
	}
	switch format {
	case FormatAnnounce:
		h, _ := AnnouncementTable(m, opts)
		return []File{
			{Name: "抽查任务公告.html", Write: func(_ context.Context, w io.Writer) error { return WriteAnnouncementHTML(w, m, opts) }},
			{Name: csvName("抽查任务公告"), Write: func(_ context.Context, w io.Writer) error { return WriteAnnouncementCSV(w, m, opts) }, header: h},
		}, nil
	case FormatResults:
		if _, err := PublicationDeadline(m, opts.Calendar); err != nil {
			return nil, err
		}
		return []File{{Name: "检查结果录入表.xlsx", Write: func(ctx context.Context, w io.Writer) error { return WriteResultsXLSX(ctx, w, m, opts.Calendar) }}}, nil
	case FormatSheets:
		return []File{
			{Name: "检查任务单.html", Write: func(_ context.Context, w io.Writer) error { return WriteSheetsHTML(w, m) }},
			{Name: "检查任务单.xlsx", Write: func(ctx context.Context, w io.Writer) error { return WriteSheetsXLSX(ctx, w, m) }},
		}, nil
	case FormatCSV:
		h, _ := ListTable(m)
		return []File{{Name: csvName("抽查名单"), Write: func(_ context.Context, w io.Writer) error { return WriteListCSV(w, m, opts.Encoding) }, header: h}}, nil
	case FormatXLSX:
		return []File{{Name: ListXLSXFile, Write: func(ctx context.Context, w io.Writer) error { return WriteListXLSX(ctx, w, m) }}}, nil
	}
	return nil, fmt.Errorf("不支持的导出格式 %q（可选 %s）", format, strings.Join(Formats, "、"))
}

// ExistsError is returned when an output file exists and is not an earlier export of ours.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s 已存在，且不是 choucha 导出的文件，不会覆盖", e.Path)
}

// Export writes the files of format into dir (which must exist) and returns their paths.
// Each file is written atomically. An existing file is replaced only when it is an earlier
// export of ours (recognised by content) or force is set; otherwise nothing is written and
// the error is an *ExistsError. A file stopped by ctx (Ctrl-C) leaves nothing: its temp file
// is removed, the files before it stay.
func Export(ctx context.Context, dir string, m *draw.Manifest, format string, opts Options, force bool) ([]string, error) {
	files, err := Files(m, format, opts)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("输出目录 %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("输出位置 %s 不是目录", dir)
	}
	if !force {
		for _, f := range files {
			p := filepath.Join(dir, f.Name)
			if _, err := os.Lstat(p); err == nil && !ours(p, f) {
				return nil, &ExistsError{Path: p}
			}
		}
	}
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := WriteFileAtomic(p, func(w io.Writer) error { return f.Write(ctx, ctxWriter{ctx, w}) }); err != nil {
			return paths, fmt.Errorf("写入 %s: %w", p, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// ours tells whether an existing file is an earlier choucha export of the same kind.
func ours(path string, f File) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html":
		b, err := readHead(path, 4096)
		return err == nil && bytes.Contains(b, []byte(`<meta name="generator" content="choucha`))
	case ".xlsx":
		x, err := excelize.OpenFile(path)
		if err != nil {
			return false
		}
		defer x.Close()
		p, err := x.GetDocProps()
		return err == nil && p.Creator == "choucha"
	case ".csv":
		b, err := readHead(path, 64<<10)
		if err != nil {
			return false
		}
		// Ours are UTF-8 with a BOM or GBK; UTF-8 without a BOM is someone else's.
		text, enc := textfile.DecodeHead(b)
		if enc != textfile.UTF8BOM && enc != textfile.GB18030 {
			return false
		}
		rec, err := csv.NewReader(bytes.NewReader(text)).Read()
		if err != nil || len(rec) != len(f.header) {
			return false
		}
		for i := range rec {
			if rec[i] != csvCell(f.header[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func readHead(path string, n int) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b := make([]byte, n)
	k, err := io.ReadFull(bufio.NewReader(fh), b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:k], nil
}
