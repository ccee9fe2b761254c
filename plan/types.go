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
}

// Risk kinds of a task's credit-risk requirement (智慧监管（信用风险分类）要求).
const (
	RiskProgressive = "progressive" // 递加 by credit class
	RiskNone        = "none"        // 无, 不涉及信用风险分类
	RiskOther       = "other"       // any other basis
)

// Periods of a ratio's frequency.
const (
	PerYear    = "year"
	PerQuarter = "quarter"
	PerMonth   = "month"
)

// Task is one row (or merged group of rows) of the plan.
type Task struct {
	Seq         int      `json:"seq"`      // 序号
	Key         string   `json:"key"`      // "<plan id>-<seq>", e.g. "CZ2026-292"
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
	Mode        string   `json:"mode"`    // 区抽区查 or 县抽县查
	Repairs     []string `json:"repairs"` // what the reader inferred or moved, in plain Chinese
	Line        int      `json:"-"`       // source line (text) or sheet row (xlsx) of the task's first row
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
	Per         string            // PerYear, PerQuarter or PerMonth
	Unspecified bool              // neither percent, per-class ratios nor a count is given
}

// Risk is the parsed credit-risk requirement.
type Risk struct {
	Text string `json:"text"`
	Kind string `json:"kind"` // RiskProgressive, RiskNone or RiskOther
}

// Window is the inspection window in months of the plan's year (1–12, From ≤ To).
type Window struct {
	Text string `json:"text"`
	From int    `json:"from"`
	To   int    `json:"to"`
}
