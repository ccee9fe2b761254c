package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ratioDoc is the exact exported form of a Ratio: absent values are null.
type ratioDoc struct {
	Text        string            `json:"text" yaml:"text"`
	Percent     *string           `json:"percent" yaml:"percent"`
	AtLeast     bool              `json:"at_least" yaml:"at_least"`
	MinCount    *int              `json:"min_count" yaml:"min_count"`
	PerClass    map[string]string `json:"per_class" yaml:"per_class"`
	Times       int               `json:"times" yaml:"times"`
	Per         string            `json:"per" yaml:"per"`
	Unspecified bool              `json:"unspecified" yaml:"unspecified"`
	// Added in schema 2 (issue 11); absent values are null / "" / [].
	Subject string   `json:"subject" yaml:"subject"`
	Cap     *string  `json:"cap" yaml:"cap"`
	Range   *Range   `json:"range" yaml:"range"`
	Count   *int     `json:"count" yaml:"count"`
	Base    string   `json:"base" yaml:"base"`
	Levels  []string `json:"levels" yaml:"levels"`
	Note    string   `json:"note" yaml:"note"`
}

func (r Ratio) doc() ratioDoc {
	d := ratioDoc{Text: r.Text, AtLeast: r.AtLeast, Times: r.Times, Per: r.Per, Unspecified: r.Unspecified,
		Subject: r.Subject, Range: r.Range, Base: r.Base, Levels: r.Levels, Note: r.Note}
	if d.Levels == nil {
		d.Levels = []string{}
	}
	if r.Cap != "" {
		c := r.Cap
		d.Cap = &c
	}
	if r.Count != 0 {
		n := r.Count
		d.Count = &n
	}
	if r.Percent != "" {
		p := r.Percent
		d.Percent = &p
	}
	if r.MinCount != 0 {
		n := r.MinCount
		d.MinCount = &n
	}
	if len(r.PerClass) > 0 {
		d.PerClass = r.PerClass
	}
	return d
}

// MarshalJSON writes the exact schema: {"text","percent":"3"|null,"at_least",
// "min_count":int|null,"per_class":{…}|null,"times","per","unspecified"}.
func (r Ratio) MarshalJSON() ([]byte, error) { return json.Marshal(r.doc()) }

// UnmarshalJSON reads the form written by MarshalJSON.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	var d ratioDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	*r = Ratio{Text: d.Text, AtLeast: d.AtLeast, PerClass: d.PerClass, Times: d.Times, Per: d.Per, Unspecified: d.Unspecified,
		Subject: d.Subject, Range: d.Range, Base: d.Base, Note: d.Note}
	if len(d.Levels) > 0 {
		r.Levels = d.Levels
	}
	if d.Cap != nil {
		r.Cap = *d.Cap
	}
	if d.Count != nil {
		r.Count = *d.Count
	}
	if d.Percent != nil {
		r.Percent = *d.Percent
	}
	if d.MinCount != nil {
		r.MinCount = *d.MinCount
	}
	return nil
}

// MarshalYAML writes the same fields as MarshalJSON.
func (r Ratio) MarshalYAML() (any, error) {
	d := r.doc()
	// yaml.v3 writes a nil map as {}; the schema says null.
	type ratioYAML struct {
		Text        string   `yaml:"text"`
		Percent     *string  `yaml:"percent"`
		AtLeast     bool     `yaml:"at_least"`
		MinCount    *int     `yaml:"min_count"`
		PerClass    any      `yaml:"per_class"`
		Times       int      `yaml:"times"`
		Per         string   `yaml:"per"`
		Unspecified bool     `yaml:"unspecified"`
		Subject     string   `yaml:"subject"`
		Cap         *string  `yaml:"cap"`
		Range       *Range   `yaml:"range"`
		Count       *int     `yaml:"count"`
		Base        string   `yaml:"base"`
		Levels      []string `yaml:"levels"`
		Note        string   `yaml:"note"`
	}
	y := ratioYAML{Text: d.Text, Percent: d.Percent, AtLeast: d.AtLeast, MinCount: d.MinCount, Times: d.Times, Per: d.Per, Unspecified: d.Unspecified,
		Subject: d.Subject, Cap: d.Cap, Range: d.Range, Count: d.Count, Base: d.Base, Levels: d.Levels, Note: d.Note}
	if d.PerClass != nil {
		y.PerClass = d.PerClass
	}
	return y, nil
}

// taskDoc is the exported form of a Task (same field names in JSON and YAML).
type taskDoc struct {
	Seq         int      `json:"seq" yaml:"seq"`
	SeqText     string   `json:"seq_text" yaml:"seq_text"`
	Part        int      `json:"part" yaml:"part"`
	Key         string   `json:"key" yaml:"key"`
	District    string   `json:"district" yaml:"district"`
	Name        string   `json:"name" yaml:"name"`
	Items       string   `json:"items" yaml:"items"`
	Scopes      []string `json:"scopes" yaml:"scopes"`
	Ratio       Ratio    `json:"ratio" yaml:"ratio"`
	Rounds      int      `json:"rounds" yaml:"rounds"`
	Risk        Risk     `json:"risk" yaml:"risk"`
	Window      Window   `json:"window" yaml:"window"`
	Initiator   string   `json:"initiator" yaml:"initiator"`
	Cooperators []string `json:"cooperators" yaml:"cooperators"`
	CoopCells   []string `json:"cooperator_cells" yaml:"cooperator_cells"`
	Mode        string   `json:"mode" yaml:"mode"`
	Repairs     []string `json:"repairs" yaml:"repairs"`
	Flags       []Flag   `json:"flags" yaml:"flags"`
}

func (t Task) doc() taskDoc {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	flags := t.Flags
	if flags == nil {
		flags = []Flag{}
	}
	w := t.Window
	w.Deadlines = nonNil(w.Deadlines)
	return taskDoc{
		Seq: t.Seq, Key: t.Key, District: t.District, Name: t.Name, Items: t.Items,
		Scopes: nonNil(t.Scopes), Ratio: t.Ratio, Rounds: t.Rounds, Risk: t.Risk,
		Initiator: t.Initiator, Cooperators: nonNil(t.Cooperators), Mode: t.Mode, Repairs: nonNil(t.Repairs),
		SeqText: t.SeqText, Part: t.Part, Flags: flags, Window: w, CoopCells: nonNil(t.CooperatorCells),
	}
}

// MarshalJSON writes the task with empty (or nil) lists as [] (never null).
func (t Task) MarshalJSON() ([]byte, error) { return json.Marshal(t.doc()) }

// MarshalYAML writes the same fields as MarshalJSON.
func (t Task) MarshalYAML() (any, error) { return t.doc(), nil }

// UnmarshalJSON reads the form written by MarshalJSON.
func (t *Task) UnmarshalJSON(b []byte) error {
	var d taskDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	// Empty lists read back as nil, as the reader leaves them, so a task survives a round trip.
	nilIfEmpty := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	*t = Task{Seq: d.Seq, Key: d.Key, District: d.District, Name: d.Name, Items: d.Items, Scopes: nilIfEmpty(d.Scopes),
		Ratio: d.Ratio, Rounds: d.Rounds, Risk: d.Risk, Window: d.Window, Initiator: d.Initiator,
		Cooperators: nilIfEmpty(d.Cooperators), Mode: d.Mode, Repairs: nilIfEmpty(d.Repairs),
		SeqText: d.SeqText, Part: d.Part, CooperatorCells: nilIfEmpty(d.CoopCells)}
	if len(d.Flags) > 0 {
		t.Flags = d.Flags
	}
	t.Window.Deadlines = nilIfEmpty(t.Window.Deadlines)
	t.dup = dupOf(t.Key, t.Seq)
	return nil
}

type planHeader struct {
	ID     string `json:"id" yaml:"id"`
	Title  string `json:"title" yaml:"title"`
	SHA256 string `json:"sha256" yaml:"sha256"`
}

// Document is the exported plan: {"plan":{"id","title","sha256"},"tasks":[…]}.
type Document struct {
	Plan  planHeader `json:"plan" yaml:"plan"`
	Tasks []Task     `json:"tasks" yaml:"tasks"`
}

// Document returns the export document of the plan with the given tasks (all when nil).
func (p *Plan) Document(tasks []Task) Document {
	if tasks == nil {
		tasks = p.Tasks
	}
	if tasks == nil {
		tasks = []Task{}
	}
	return Document{Plan: planHeader{ID: p.ID, Title: p.Title, SHA256: p.SHA256}, Tasks: tasks}
}

// WriteJSON writes the export document as indented JSON (no HTML escaping).
func (p *Plan) WriteJSON(w io.Writer, tasks []Task) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p.Document(tasks)); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteYAML writes the export document as YAML with the JSON field names.
func (p *Plan) WriteYAML(w io.Writer, tasks []Task) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p.Document(tasks)); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{
	"任务编号", "序号", "地市", "抽查任务名称", "抽查事项", "抽查对象范围",
	"抽查比例及频次（原文）", "抽查比例（%）", "不低于", "最少户数", "分类比例", "每期次数", "周期",
	"未规定比例", "全年抽取轮次", "信用风险分类要求", "风险要求类别", "抽查检查起止时间", "起始月", "结束月",
	"发起部门", "配合部门", "抽查检查模式", "修正记录",
	"序号原文", "起始日", "结束日", "批次期限", "比例上限", "比例范围", "计划户数", "待核标记",
}

var perWords = map[string]string{PerYear: "年", PerHalf: "半年", PerQuarter: "季", PerMonth: "月", PerWeek: "周", PerDay: "天"}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// CSVTable is the plan as a table, one row per task with Chinese headers; lists are joined
// with "；" (scopes, repairs) or "、" (cooperators). The caller writes it with
// export.WriteCSV, which adds the BOM and the formula-injection guard every CSV of ours has.
func (p *Plan) CSVTable(tasks []Task) (header []string, rows [][]string) {
	if tasks == nil {
		tasks = p.Tasks
	}
	for _, t := range tasks {
		var classes []string
		keys := make([]string, 0, len(t.Ratio.PerClass))
		for k := range t.Ratio.PerClass {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			classes = append(classes, fmt.Sprintf("%s类%s%%", k, t.Ratio.PerClass[k]))
		}
		minCount := ""
		if t.Ratio.MinCount > 0 {
			minCount = strconv.Itoa(t.Ratio.MinCount)
		}
		rec := []string{
			t.Key, strconv.Itoa(t.Seq), t.District, t.Name, t.Items, strings.Join(t.Scopes, "；"),
			t.Ratio.Text, t.Ratio.Percent, yesNo(t.Ratio.AtLeast), minCount, strings.Join(classes, "、"),
			strconv.Itoa(t.Ratio.Times), perWords[t.Ratio.Per], yesNo(t.Ratio.Unspecified), strconv.Itoa(t.Rounds),
			t.Risk.Text, t.Risk.Kind, t.Window.Text, strconv.Itoa(t.Window.From), strconv.Itoa(t.Window.To),
			t.Initiator, strings.Join(t.Cooperators, "、"), t.Mode, strings.Join(t.Repairs, "；"),
			t.SeqText, dayText(t.Window.FromDay), dayText(t.Window.ToDay), strings.Join(t.Window.Deadlines, "；"),
			t.Ratio.Cap, rangeText(t.Ratio.Range), dayText(t.Ratio.Count), flagsText(t.Flags),
		}
		rows = append(rows, rec)
	}
	return CSVHeader, rows
}

// dupOf recovers the duplicate number from a key "<id>-<n>~<d>[.<k>]".
func dupOf(key string, seq int) int {
	_, rest, ok := strings.Cut(key, fmt.Sprintf("-%d~", seq))
	if !ok {
		return 0
	}
	rest, _, _ = strings.Cut(rest, ".")
	d, err := strconv.Atoi(rest)
	if err != nil || d < 2 {
		return 0
	}
	return d - 1
}

func dayText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func rangeText(r *Range) string {
	if r == nil {
		return ""
	}
	return r.Min + "-" + r.Max + r.Unit
}

func flagsText(fs []Flag) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Cell+"："+f.Message)
	}
	return strings.Join(out, "；")
}
