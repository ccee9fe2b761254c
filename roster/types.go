// Package roster reads the rosters a draw starts from — the firm roster (检查对象名录库) and
// the inspector roster (执法检查人员名录库) — from xlsx and csv files as offices really have
// them, and reports every row it could not use.
//
// A row is never dropped silently: each excluded row is an Issue with its sheet row number
// (as the user sees it in Excel) and a reason code.
package roster

import "time"

// Credit-risk classes (企业信用风险分类). Unclassified firms are treated as B.
const (
	ClassA = "A"
	ClassB = "B"
	ClassC = "C"
	ClassD = "D"
)

// Issue levels.
const (
	LevelError   = "error"   // the row is excluded from the frame
	LevelWarning = "warning" // the row is kept, but something is off
	LevelInfo    = "info"    // the row is left out on purpose (e.g. another district)
)

// Firm is one eligible market entity of the frame.
type Firm struct {
	Row       int      // sheet row number as the user sees it (1-based, header rows counted)
	Key       string   // canonical 统一社会信用代码 or 15-digit 注册号
	Name      string   // 企业名称
	Class     string   // ClassA..ClassD (unclassified → B)
	District  string   // 所属区县 as written, "" when the roster has no such column
	Authority string   // 登记机关
	Address   string   // 住所/经营场所
	LegalRep  string   // 法定代表人/负责人 (never published)
	Phone     string   // 联系电话 (never published)
	Values    []string // every cell of the row, aligned with Frame.Header (unknown columns kept)
	// Unclassified: the class cell was blank or 未分类, Class is B by the policy rule.
	Unclassified bool
}

// Frame is the sampling frame: the eligible firms of a roster, sorted by Key (bytewise).
type Frame struct {
	File   string // path as given
	SHA256 string // lowercase hex SHA-256 of the file's bytes
	// Sheet is the worksheet read, when the workbook has more than one sheet or one was
	// named (Options.Sheet); "" for a CSV file and a workbook of one sheet read by default.
	// A draw records it (roster.sheet) and a replay reads it again.
	Sheet  string
	Header []string // the roster's header cells, in file order
	Rows   int      // data rows read (blank rows not counted)
	// Firms are the eligible firms with their whole rows (ReadFirms); nil for a lean frame
	// (ReadFrame), whose records are fetched by Lookup.
	Firms []Firm
	// Keys are the eligible firms' keys, classes and rows, sorted by key: the frame — for a
	// frame of ReadFirms. A lean frame holds them without a pointer a firm (Keys nil):
	// KeyList and FrameKeys read them from either.
	Keys []FrameKey
	// Personal lists the Header columns holding personal data (法定代表人, 联系电话).
	Personal []int

	opt  Options // how the file was read, for Lookup
	offs []int64 // CSV: each Keys entry's record offset in the file (nil: re-read by rows)
	// kept holds the records Options.Prefetch chose on the first read, by row, with their
	// tags: Lookup answers for them from memory. A row of a firm that later lost a duplicate
	// is kept too; Lookup checks the key.
	kept map[int32]keptFirm
	// tagAt and tags are the kept firms' indexes in Keys and their tags (Tags).
	tagAt []int32
	tags  []uint64
	// tagsComplete: every eligible row was offered to Options.Prefetch (Tags).
	tagsComplete bool
	lean         *leanKeys // a lean frame's keys
	// linesSHA256 is the SHA-256 of Bytes as ReadFrame's scan computed it ("" otherwise).
	linesSHA256 string
	// NoClasses: the roster has no credit-risk class column. Every firm is class B in the
	// frame lines (CHOUCHA-SAMPLE-v1), and a draw uses one stratum ALL at the plan's ratio
	// (risk.StrataUnclassified).
	NoClasses bool
	// Unclassified counts the firms of the frame whose class cell was blank or 未分类
	// (treated as B).
	Unclassified int
}

// keptFirm is a record Options.Prefetch kept, and the tag it gave: its strings packed in one
// string of their own (packFirm), not a Firm's string fields. At 1M rows 57,000 records
// are kept through the draw; as Firms they held twenty strings each, as many pointers for the
// collector to trace on every cycle as the frame's million keys.
type keptFirm struct {
	fields packed // Key, Name, Class, District, Authority, Address, LegalRep, Phone, then each value
	row    int
	uncl   bool
	tag    uint64
}

// Issue is one problem found in a row.
type Issue struct {
	Row     int    `json:"row"`     // sheet row number as the user sees it
	ID      string `json:"id"`      // the row's identifier as written (may be empty)
	Level   string `json:"level"`   // LevelError, LevelWarning or LevelInfo
	Code    string `json:"code"`    // e.g. "bad_checksum", "numeric_id", "closed"
	Message string `json:"message"` // Chinese, says what to do
}

// Report is the result of checking a roster; its JSON form is the output of
// `choucha roster check --format json`.
type Report struct {
	File        string         `json:"file"`
	SHA256      string         `json:"sha256"`
	Rows        int            `json:"rows"`
	Eligible    int            `json:"eligible"`
	FrameSHA256 string         `json:"frame_sha256"`
	Classes     map[string]int `json:"classes"`
	// NoClassColumn: the roster has no credit-risk class column (drawn as one stratum ALL).
	NoClassColumn bool `json:"no_class_column"`
	// NoDistrictColumn: a district was asked for but the roster has no district column.
	NoDistrictColumn bool `json:"no_district_column"`
	// Unclassified counts the eligible-or-not rows whose class cell is blank or 未分类
	// (treated as B).
	Unclassified int `json:"unclassified"`
	// The rows not in the frame, by why: Rows = Eligible + Excluded + Merged + OutOfScope
	// (firm rosters; an inspector roster counts Excluded only).
	Excluded   int `json:"excluded"`     // rows excluded with an error
	Merged     int `json:"merged"`       // duplicate rows merged into the first row of their firm (duplicate)
	OutOfScope int `json:"out_of_scope"` // rows of other districts (other_district)
	// AssumedValid (inspector rosters): read with Options.AssumeValid.
	AssumedValid bool `json:"assumed_valid,omitempty"`
	// Sheet is the worksheet read (xlsx, xls); Sheets the workbook's sheets, when it has
	// more than one or one was named; MergedRanges the merged ranges below the header that
	// were filled with their top-left value (docs/ROSTER.md). Notes says them in words.
	Sheet        string     `json:"sheet,omitempty"`
	Sheets       []SheetRef `json:"sheets,omitempty"`
	MergedRanges []string   `json:"merged_ranges,omitempty"`
	sheetNamed   bool
	Issues       []Issue `json:"issues"`
}

// Inspector is one row of the inspector roster (执法检查人员名录).
type Inspector struct {
	Row        int
	ID         string    // 执法证号 (the key)
	Name       string    // 姓名
	Dept       string    // 所属部门 as written
	Category   string    // 执法门类
	Status     string    // 在岗状态 as written
	OnDuty     bool      // 在岗
	ValidUntil time.Time // 证件有效期至 (UTC midnight); zero when missing; 9999-12-31 for 长期
	// ValidityUnknown: the roster records no 执法证有效期 for this inspector (no column, or a
	// blank cell); AssumedValid: --assume-valid was given, so it counts as valid.
	ValidityUnknown bool
	AssumedValid    bool
	BadDate         bool // the 执法证有效期 cell could not be read: never eligible
	// License is the 持证状态 cell as written: one that says the certificate is not in force
	// (注销, 吊销, 暂扣 …: voidLicenseWords) makes the inspector ineligible, whatever its 有效期.
	License string
	Phone   string
	Recuse  []string // canonical firm keys of 回避企业
}
