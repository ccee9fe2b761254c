// Package plan reads an annual joint random-inspection plan (部门联合双随机抽查工作计划)
// — as tab-separated text pasted out of a spreadsheet, or as the xlsx itself — into exact,
// structured tasks.
//
// The real plans are messy: title lines and header rows repeat on every page, the district
// cell appears only at the start of a group, merged cells leave blanks that inherit the value
// above, cells slide into neighbouring columns. Every repair the reader makes is recorded on
// the task in plain words (Task.Repairs), so a user can see what was inferred.
//
// No float arithmetic is used anywhere: percentages are kept as decimal strings.
package plan

// Plan is one annual plan: its identity and its tasks in plan order.
type Plan struct {
	ID     string `json:"id"`     // e.g. "CZ2026"; ASCII [A-Za-z0-9._-]
	Title  string `json:"title"`  // the plan's title line
	SHA256 string `json:"sha256"` // lowercase hex SHA-256 of the plan file's bytes
	Tasks  []Task `json:"-"`

	// What the reader found that is not a task: rows it could not read, columns it did not
	// use, where the district came from. plan lint lists them with the tasks' flags.
	Problems []Problem `json:"-"`
	// NumberedRows is the count of rows that carry a 序号; every one of them is a task or a
	// Problem (plan lint prints the reconciliation).
	NumberedRows int `json:"-"`
	// RowNumbered is the count of rows of a table without a 序号 column numbered by their
	// place (each a task).
	RowNumbered int `json:"-"`
}

// Problem is one thing the reader could not turn into (part of) a task, with the line (text)
// or sheet row (xlsx) and the cell it is about.
type Problem struct {
	Kind    string `json:"kind"` // a Lint kind: LintProblem, LintReading, LintDistrict…
	Line    int    `json:"line"`
	Cell    string `json:"cell"`    // the column word, "" for a whole row or the file
	Message string `json:"message"` // in Chinese
}

// Kinds of task flags. A flag says a cell has no single reading; the task is kept and
// plan lint lists it. Flags of the ratio and window kinds make a draw of the task require an
// explicit --ratio or --window (see Task.NeedsOverride).
const (
	FlagRatio     = "ratio"      // no ratio, an unreadable one, a cap, a range, two levels
	FlagWindow    = "window"     // no window, an unreadable one, a guessed date, a single day
	FlagOtherYear = "other_year" // the window is in another year than the plan
	FlagSeq       = "seq"        // duplicate 序号, 序号 without digits
	FlagDistrict  = "district"   // no district for the task
	FlagDept      = "dept"       // department cells that need a look
)

// Flag is one cell of a task without a single reading.
type Flag struct {
	Kind    string `json:"kind"`
	Cell    string `json:"cell"` // the column word (抽查比例及频次 …)
	Text    string `json:"text"` // the cell as written
	Message string `json:"message"`
}

// String is the flag as every listing says it: 抽查比例及频次“不高于10%”：只规定了比例上限…
func (f Flag) String() string { return f.Cell + "“" + f.Text + "”：" + f.Message }

// Risk kinds of a task's credit-risk requirement (智慧监管（信用风险分类）要求).
const (
	RiskProgressive = "progressive" // 递加 by credit class
	RiskNone        = "none"        // 无, 不涉及信用风险分类, 不递加
	RiskOther       = "other"       // any other basis
)

// Periods of a ratio's frequency.
const (
	PerYear    = "year"
	PerHalf    = "half" // 每半年
	PerQuarter = "quarter"
	PerMonth   = "month"
	PerWeek    = "week"
	PerDay     = "day"
)

// Task is one row (or merged group of rows) of the plan.
type Task struct {
	Seq         int      `json:"seq"`      // the integer n of the 序号 (see docs/PLAN.md)
	SeqText     string   `json:"seq_text"` // the 序号 as printed: "292", "001", "****002"
	Part        int      `json:"part"`     // k of a group's k-th row with its own ratio; 0 when not a group
	Key         string   `json:"key"`      // "<plan id>-<n>" or "<plan id>-<n>.<k>", e.g. "CZ2026-292", "XX2025-3.2"
	District    string   `json:"district"` // normalised, e.g. "沁县", "潞州区"
	Name        string   `json:"name"`     // 抽查任务名称
	Items       string   `json:"items"`    // 抽查事项
	Scopes      []string `json:"scopes"`   // 抽查对象范围 (a row without 序号 adds one)
	Ratio       Ratio    `json:"ratio"`    // 抽查比例及频次
	Rounds      int      `json:"rounds"`   // draws in the year
	Risk        Risk     `json:"risk"`
	Window      Window   `json:"window"` // 抽查检查起止时间
	Initiator   string   `json:"initiator"`
	Cooperators []string `json:"cooperators"`
	// CooperatorCells are the 配合部门 cells as written (the row's, then any sub-row's); package
	// dept reads the departments from them (DeptCells), Cooperators is its split.
	CooperatorCells []string `json:"cooperator_cells"`
	Mode            string   `json:"mode"`    // 区抽区查, 县抽县查 or another mode as written
	Repairs         []string `json:"repairs"` // what the reader inferred or moved, in plain Chinese
	Flags           []Flag   `json:"flags"`   // cells without a single reading
	Line            int      `json:"-"`       // source line (text) or sheet row (xlsx) of the task's first row
	dup             int      // d-1 for the d-th task with a duplicated 序号 (key "<id>-<n>~<d>")
}

// Ratio is the parsed 抽查比例及频次 cell. Percentages are decimal strings ("0.5", "33").
// JSON form (exact): {"text","percent":"3"|null,"at_least":bool,"min_count":int|null,
// "per_class":{"A":"3",…}|null,"times":1,"per":"year|quarter|month","unspecified":bool}.
type Ratio struct {
	Text        string            // the cell as written
	Percent     string            // "" when no single percentage is given
	AtLeast     bool              // 不低于 / 不小于
	MinCount    int               // 不低于5户 → 5; 0 when absent
	PerClass    map[string]string // "A".."D" → percent; nil when absent
	Times       int               // 1次 → 1; at least 1
	Per         string            // PerYear, PerHalf, PerQuarter, PerMonth, PerWeek or PerDay
	Unspecified bool              // no single percentage, per-class ratios or count to draw by

	Subject string   // text before the ratio ("市级医疗保障部门每年对市级及以下经办机构抽查比例之和")
	Cap     string   // 不高于10% → "10": the plan caps the ratio (flagged; --ratio must not exceed it)
	Range   *Range   // 10-20%, 60-70家 (flagged; --ratio must lie inside)
	Count   int      // 10%（20户）→ 20: a count written beside the percentage
	Base    string   // 不低于备查库点的30% → "备查库点": the percentage is of a named base
	Levels  []string // two levels in one cell (市级…30% / 县(区)级…50%), each as written (flagged)
	Note    string   // remarks of the cell the reader kept but did not use ("不设上限")
}

// Range is a ratio or count range: Min ≤ Max, decimal strings; Unit "%" or "户".
type Range struct {
	Min  string `json:"min"`
	Max  string `json:"max"`
	Unit string `json:"unit"`
}

// Risk is the parsed credit-risk requirement.
type Risk struct {
	Text string `json:"text"`
	Kind string `json:"kind"` // RiskProgressive, RiskNone or RiskOther
}

// Window is the inspection window: months of the plan's year (1–12, From ≤ To), with the
// first and last day when the plan gives them (FromDay/ToDay 0: the whole month), the year
// when the cell writes one (0: the plan's year) and the deadlines of batches (分两批次).
type Window struct {
	Text      string   `json:"text"`
	From      int      `json:"from"`
	To        int      `json:"to"`
	FromDay   int      `json:"from_day"`
	ToDay     int      `json:"to_day"`
	Year      int      `json:"year"`
	Deadlines []string `json:"deadlines"` // "2023-07-20", one per batch; nil when none
}

// DeptCells are the cooperator cells for package dept (dept.TaskCells): the cells as written,
// or the split list for a task that does not carry them.
func (t *Task) DeptCells() []string {
	if len(t.CooperatorCells) > 0 {
		return t.CooperatorCells
	}
	return t.Cooperators
}
