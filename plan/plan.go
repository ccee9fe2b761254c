package plan

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/textfile"
)

// EmbeddedID is the plan id of the compiled-in 2026 Changzhi plan.
const EmbeddedID = "CZ2026"

//go:embed embedded/changzhi-2026.txt
var embeddedPlan []byte

// EmbeddedName is the file name the embedded plan is known by in messages.
const EmbeddedName = "内置计划 changzhi-2026.txt"

// Embedded returns the compiled-in 2026 Changzhi plan (ID "CZ2026").
func Embedded() (*Plan, error) {
	return parseText(embeddedPlan, EmbeddedName, Options{ID: EmbeddedID})
}

// EmbeddedBytes returns a copy of the embedded plan file.
func EmbeddedBytes() []byte { return bytes.Clone(embeddedPlan) }

var idRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ValidID reports whether id is a usable plan id: ASCII letters, digits, '.', '_' and '-'.
func ValidID(id string) bool { return idRE.MatchString(id) && len(id) <= 64 }

// DeriveID makes a plan id from a file name: the base name without its extension when it is
// all ASCII [A-Za-z0-9._-] with at least one letter ("changzhi-2026.txt" → "changzhi-2026").
// ok is false for any other name ("长治2026.tsv", "2026.tsv", "计划.xlsx"): dropping what is not
// ASCII would make different files the same id, so the id comes from the title (TitleID) or
// --plan-id instead.
func DeriveID(path string) (string, bool) {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	if !ValidID(base) || strings.Trim(base, ".-_") != base {
		return "", false
	}
	for _, r := range base {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return base, true
		}
	}
	return "", false
}

// TitleID makes a plan id from the title's place and year: "P<year>-<6 hex digits of the
// SHA-256 of the place>" ("长治市2024年度…" → "P2024-…"), so two places never share an id by
// accident; ok is false when the title names no place or no year.
func TitleID(title string) (string, bool) {
	place := TitlePlace(title)
	y := yearOf(title)
	if place == "" || y == 0 {
		return "", false
	}
	sum := sha256.Sum256([]byte(place))
	return fmt.Sprintf("P%d-%s", y, hex.EncodeToString(sum[:3])), true
}

// Extensions are the plan files Load reads (what the web page accepts for a plan too), in the
// order messages list them; readers reads each.
var Extensions = []string{".txt", ".tsv", ".xlsx", ".xls", ".docx", ".doc", ".html", ".htm"}

// planReader reads a plan from a file's bytes; binary ones are read whole (MaxXLSXUnzip),
// text ones within MaxTextBytes.
type planReader struct {
	parse  func(data []byte, name string, opts Options) (*Plan, error)
	binary bool
}

var readers = map[string]planReader{
	".txt": {parseText, false}, ".tsv": {parseText, false},
	".html": {parseHTML, false}, ".htm": {parseHTML, false},
	".xlsx": {parseXLSX, true}, ".xls": {parseXLS, true},
	".docx": {parseDOCX, true}, ".doc": {parseDOC, true},
}

// supported is what messages say Load reads.
const supported = "支持 .txt、.tsv 制表符分隔文本、Excel 工作簿 .xlsx/.xls、Word 文档 .docx/.doc 和网页 .html"

// Load reads a plan from a .txt/.tsv (tab-separated text), .xlsx, .xls, .docx, .doc or saved
// web page (.html/.htm) file; id "" derives one.
func Load(path, id string) (*Plan, error) {
	return LoadWith(path, Options{ID: id})
}

// LoadWith reads a plan file with the options the caller knows.
func LoadWith(path string, opts Options) (*Plan, error) {
	if opts.ID == "" {
		name := path
		if opts.Name != "" {
			name = opts.Name
		}
		opts.ID, _ = DeriveID(name)
	} else if !ValidID(opts.ID) {
		return nil, fmt.Errorf("计划编号“%s”无效：只能用英文字母、数字和 . _ -", opts.ID)
	}
	if err := CheckExtension(path); err != nil {
		return nil, err
	}
	rd := readers[strings.ToLower(filepath.Ext(path))]
	if !rd.binary {
		data, err := readText(path)
		if err != nil {
			return nil, err
		}
		return rd.parse(data, path, opts)
	}
	// A workbook stored without compression is as large as it unpacks to: one larger than the
	// unzip limit is refused before it is read into memory.
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() > MaxXLSXUnzip {
		return nil, apperr.Hint(fmt.Errorf("读取计划 %s: 文件有 %d MB，超过 %d MB，不像一份抽查计划，已拒绝", path, st.Size()>>20, MaxXLSXUnzip>>20),
			"请确认选对了文件：抽查计划通常不到 1 MB")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取计划 %s: %s", path, describeOSError(err))
	}
	return rd.parse(data, path, opts)
}

// ReadHint gives a refusal of Load the plan file's description as its hint, unless the reader
// said what to do itself (a limit, an old format): the CLI and the web page say the same.
func ReadHint(err error) error {
	if err == nil || apperr.HintOf(err) != "" {
		return err
	}
	return apperr.Hint(err, "计划文件应是从 Excel/WPS 复制出的制表符分隔文本（.txt/.tsv）、Excel 工作簿（.xlsx/.xls），或计划表格所在的 Word 文档（.docx/.doc）、网页（.html），表头含“序号”“抽查任务名称”“抽查比例及频次”等列")
}

// CheckExtension refuses a plan file by its name's extension when Load cannot read that kind
// of file, saying what to save it as (.et, .wps, a PDF …); nil for the Extensions.
func CheckExtension(path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case readers[ext].parse != nil:
		return nil
	case ext == ".et":
		return apperr.Hint(fmt.Errorf("读取计划 %s: 不支持的文件类型“%s”（WPS 表格格式；%s）", path, ext, supported),
			"请在 WPS 中打开后另存为 .xlsx（Excel 工作簿）再试")
	case ext == ".wps":
		return apperr.Hint(fmt.Errorf("读取计划 %s: 不支持的文件类型“%s”（WPS 文字格式；%s）", path, ext, supported),
			"请在 WPS 中打开后另存为 .docx（Word 文档）再试")
	case ext == ".mht" || ext == ".mhtml":
		return apperr.Hint(fmt.Errorf("读取计划 %s: 不支持的文件类型“%s”（单个文件网页；%s）", path, ext, supported),
			"请在浏览器中打开后另存为“网页，仅 HTML”（.html）再试")
	case ext == ".pdf" || ext == ".ofd":
		return apperr.Hint(fmt.Errorf("读取计划 %s: 不支持的文件类型“%s”（版式文件只记录文字的位置，读不出可靠的表格；%s）", path, ext, supported),
			"请向发文单位索取计划的 Word 或 Excel 原件，或用网站上的网页版另存为 .html；若只能从 PDF 转换成表格，请逐行核对后另存为 .xlsx 再读")
	default:
		return fmt.Errorf("读取计划 %s: 不支持的文件类型“%s”（%s）", path, ext, supported)
	}
}

// readText reads a text plan of at most MaxTextBytes: a larger file is refused before it is
// read, a pipe or device once it has given more.
func readText(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("读取计划 %s: %s", path, describeOSError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxTextBytes {
		return nil, textTooLarge(path, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxTextBytes+1))
	if err != nil {
		return nil, fmt.Errorf("读取计划 %s: %s", path, describeOSError(err))
	}
	return data, nil
}

func describeOSError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if strings.Contains(pe.Err.Error(), "is a directory") {
			return "这是一个文件夹，不是文件"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse reads a plan in tab-separated text form; name is used in messages.
func Parse(r io.Reader, name, id string) (*Plan, error) {
	opts := Options{ID: id}
	if id == "" {
		opts.ID, _ = DeriveID(name)
	} else if !ValidID(id) {
		return nil, fmt.Errorf("计划编号“%s”无效：只能用英文字母、数字和 . _ -", id)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxTextBytes+1))
	if err != nil {
		return nil, fmt.Errorf("读取计划 %s: %w", name, err)
	}
	return parseText(data, name, opts)
}

// parseText reads a text plan of at most MaxTextBytes bytes (one more: refused, its size
// unknown) and MaxTableCells cells.
func parseText(data []byte, name string, opts Options) (*Plan, error) {
	if int64(len(data)) > MaxTextBytes {
		return nil, textTooLarge(name, -1)
	}
	sum := sha256.Sum256(data)
	// Text saved by Excel or WPS on Chinese Windows is GBK/GB18030; textfile decides.
	text, _, err := textfile.Decode("计划 "+name, data)
	if err != nil {
		return nil, err
	}
	// Counted before the rows are split: 16 MB of tabs would be 16 million cells.
	if n := textCells(text); n > MaxTableCells {
		return nil, textTooManyCells(name, n)
	}
	src := &sourceRows{name: name, rows: readTSV(string(text))}
	p, err := parseRows(src, opts)
	if err != nil {
		return nil, err
	}
	p.SHA256 = hex.EncodeToString(sum[:])
	return p, nil
}

// Task returns the task with the given 序号 n, or an error suggesting `plan list`. A 序号 whose
// rows each have their own ratio has several tasks n.1, n.2 …: use TaskRef.
func (p *Plan) Task(seq int) (*Task, error) { return p.TaskRef(seq, "") }

// TaskRef returns the task "<id>-<n><suffix>": suffix "" for a plain 序号, ".k" for the k-th
// part of a grouped 序号, "~d" for the d-th task with a duplicated 序号 ("~2.1" both).
func (p *Plan) TaskRef(seq int, suffix string) (*Task, error) {
	key := fmt.Sprintf("%s-%d%s", p.ID, seq, suffix)
	var parts []string
	for i := range p.Tasks {
		if p.Tasks[i].Key == key {
			return &p.Tasks[i], nil
		}
		if p.Tasks[i].Seq == seq && suffix == "" {
			parts = append(parts, p.Tasks[i].Key)
		}
	}
	if len(parts) > 0 {
		return nil, fmt.Errorf("计划 %s 的序号%d下有%d个任务（%s），请写明是哪一个，如 --task %s", p.ID, seq, len(parts), strings.Join(parts, "、"), strings.TrimPrefix(parts[0], p.ID+"-"))
	}
	return nil, fmt.Errorf("计划 %s 中没有序号为 %d%s 的任务（用 choucha plan list 查看全部任务）", p.ID, seq, suffix)
}

// KeySuffix is the part of a task key after "<id>-<n>": "", ".k" or "~d".
func KeySuffix(key, id string, seq int) string {
	return strings.TrimPrefix(key, fmt.Sprintf("%s-%d", id, seq))
}

// ParseTaskRef reads a --task value: "292", "3.2", "6~2": the 序号 n and the key suffix.
func ParseTaskRef(s string) (seq int, suffix string, err error) {
	s = strings.TrimSpace(s)
	i := 0
	if strings.HasPrefix(s, "-") {
		i = 1
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	if errors.Is(err, strconv.ErrRange) {
		return 0, "", fmt.Errorf("任务序号“%s”超出范围: %w", s, strconv.ErrRange)
	}
	if err != nil {
		return 0, "", fmt.Errorf("任务应写作序号（如 292）或分组中的第几个（如 3.2），而不是“%s”", s)
	}
	suffix = s[i:]
	if suffix != "" && !taskSuffixRE.MatchString(suffix) {
		return 0, "", fmt.Errorf("任务应写作序号（如 292）或分组中的第几个（如 3.2），而不是“%s”", s)
	}
	return n, suffix, nil
}

var taskSuffixRE = regexp.MustCompile(`^(~[0-9]{1,4})?(\.[0-9]{1,4})?$`)

var yearRE = regexp.MustCompile(`(19|20)[0-9]{2}年`)

// Year is the plan's year: from its title (2026 for the embedded plan), else the year most of
// the task windows that name one name (a table copied without its title, whose 抽查时间 cells
// say 2025年4月至10月; the reader flags a window of another year, as in a titled plan); 0 when
// neither says one year (no window names one, or two years are named equally often).
func (p *Plan) Year() int {
	if y := yearOf(p.Title); y > 0 {
		return y
	}
	count := map[int]int{}
	for i := range p.Tasks {
		if y := p.Tasks[i].Window.Year; y != 0 {
			count[y]++
		}
	}
	year, most, tie := 0, 0, false
	for y, n := range count {
		switch {
		case n > most:
			year, most, tie = y, n, false
		case n == most:
			tie = true
		}
	}
	if tie {
		return 0 // as many windows of one year as of another: neither is the plan's
	}
	return year
}

func yearOf(title string) int {
	m := yearRE.FindString(title)
	if m == "" {
		return 0
	}
	y, _ := strconv.Atoi(m[:4])
	return y
}

// Districts returns the plan's districts in plan order, each once.
func (p *Plan) Districts() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range p.Tasks {
		if !seen[t.District] {
			seen[t.District] = true
			out = append(out, t.District)
		}
	}
	return out
}

// Departments returns the initiator followed by the cooperators, in plan order.
func (t *Task) Departments() []string {
	out := make([]string, 0, 1+len(t.Cooperators))
	if t.Initiator != "" {
		out = append(out, t.Initiator)
	}
	return append(out, t.Cooperators...)
}
