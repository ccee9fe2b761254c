package export

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/sampler"
)

// Columns used when a manifest carries no roster row (old or hand-made manifests).
var fallbackRosterHeader = []string{"统一社会信用代码/注册号", "市场主体名称", "登记机关", "住所"}

// ListTable is the internal list of a draw (抽查名单): one row per drawn firm, in draw
// order, with every roster column as the roster had it, then 抽取序号, 主体标识 (the
// canonical key), 抽取时分类, 签号, 层内名次 and 重复抽取, and — when inspectors were
// assigned — 检查组成员 (姓名（部门）) and their 执法证号. Not for publication: it holds the
// class and whatever personal data the roster had.
func ListTable(m *draw.Manifest) (header []string, rows [][]string) {
	rosterHeader := m.Roster.Header
	width := len(rosterHeader)
	for _, s := range m.Selected {
		width = max(width, len(s.Values))
	}
	useValues := width > 0
	if useValues {
		header = append(header, rosterHeader...)
		for i := len(rosterHeader); i < width; i++ {
			header = append(header, fmt.Sprintf("第%d列", i+1))
		}
	} else {
		header = append(header, fallbackRosterHeader...)
	}
	header = append(header, "抽取序号", "主体标识", "抽取时分类", "签号", "层内名次", "重复抽取")
	teams := teamsByKey(m)
	if len(m.Assignments) > 0 {
		header = append(header, "检查组成员", "检查人员执法证号")
	}
	rows = make([][]string, 0, len(m.Selected))
	for i, s := range m.Selected {
		var row []string
		if useValues {
			row = make([]string, width, width+8) // room for the columns appended below
			copy(row, s.Values)
		} else {
			row = make([]string, 0, 12)
			row = append(row, s.Key, s.Name, s.Authority, s.Address)
		}
		row = append(row, strconv.Itoa(i+1), s.Key, s.Class, s.Ticket, strconv.Itoa(s.Rank), yesNo(s.Repeat))
		if len(m.Assignments) > 0 {
			row = append(row, memberNames(teams[s.Key]), memberIDs(teams[s.Key]))
		}
		rows = append(rows, row)
	}
	return header, rows
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func teamsByKey(m *draw.Manifest) map[string][]sampler.Member {
	t := make(map[string][]sampler.Member, len(m.Assignments))
	for _, a := range m.Assignments {
		t[a.Key] = a.Team
	}
	return t
}

func memberNames(team []sampler.Member) string {
	var parts []string
	for _, mb := range team {
		parts = append(parts, mb.Name+"（"+mb.Dept+"）")
	}
	return strings.Join(parts, "、")
}

func memberIDs(team []sampler.Member) string {
	var parts []string
	for _, mb := range team {
		parts = append(parts, mb.ID)
	}
	return strings.Join(parts, "、")
}

// WriteListCSV writes the internal list (ListTable) as CSV.
func WriteListCSV(w io.Writer, m *draw.Manifest, enc Encoding) error {
	h, rows := ListTable(m)
	return WriteCSV(w, enc, h, rows)
}

// WriteListXLSX writes the internal list as a workbook: 抽查名单 (header bold and frozen,
// every cell text), 说明 (what the draw was), and with assignments one 检查任务单 sheet per
// inspector.
func WriteListXLSX(ctx context.Context, w io.Writer, m *draw.Manifest) error {
	return writeWorkbook(ctx, w, listSheets(m))
}

// listSheets are WriteListXLSX's sheets.
func listSheets(m *draw.Manifest) []sheet {
	h, rows := ListTable(m)
	return listSheetsOf(m, h, rows)
}

// listSheetsOf is listSheets with m's ListTable given (WriteDraw computes it once for the
// csv and the workbook: at 40,000 firms it is 20 MB).
func listSheetsOf(m *draw.Manifest, h []string, rows [][]string) []sheet {
	// 抽取序号 and 层内名次 are ordinals, written as numbers so they sort; everything else is text.
	first := len(h) - 6
	if len(m.Assignments) > 0 {
		first -= 2
	}
	numeric := map[int]bool{first: true, first + 4: true}
	sheets := []sheet{
		{name: "抽查名单", rows: append([][]string{h}, rows...), bold: map[int]bool{0: true}, freeze: 1, numeric: numeric},
		aboutSheet(m),
	}
	return append(sheets, inspectorSheets(m)...)
}

// About returns the 说明 facts of a draw as label/value pairs, in a fixed order.
func About(m *draw.Manifest) [][2]string {
	t := m.TaskInfo
	kv := [][2]string{
		{"抽查任务编号", m.Task},
		{"抽查任务名称", t.Name},
		{"所属区县", t.District},
		{"抽查事项", t.Items},
		{"抽查对象范围", strings.Join(t.Scopes, "；")},
		{"抽查比例及频次", t.Ratio.Text},
		{"检查时间", windowText(m)},
		{"发起部门", t.Initiator},
		{"配合部门", strings.Join(t.Cooperators, "、")},
		{"抽取轮次", strconv.Itoa(m.Round)},
		{"随机种子", m.Seed},
		{"抽样算法", m.Spec},
	}
	if m.AssignSpec != "" {
		kv = append(kv, [2]string{"选派算法", m.AssignSpec})
	}
	kv = append(kv,
		[2]string{"计划编号", m.Plan.ID},
		[2]string{"计划文件 SHA-256", m.Plan.SHA256},
		[2]string{"名录文件", m.Roster.File},
		[2]string{"名录文件 SHA-256", m.Roster.SHA256},
		[2]string{"抽样框 SHA-256（frame_sha256）", m.Roster.FrameSHA256},
		[2]string{"名录行数", strconv.Itoa(m.Roster.Rows)},
		[2]string{"可抽取主体数", strconv.Itoa(m.Roster.Eligible)},
	)
	for _, s := range m.Strata {
		label := "分层 " + s.Class
		if s.Class == "ALL" {
			label = "全部主体（不分层）"
		}
		v := fmt.Sprintf("总数 %d，比例 %s，抽取 %d", s.N, s.Ratio, s.Count)
		if s.Excluded > 0 {
			v += fmt.Sprintf("，已在前轮抽中而排除 %d", s.Excluded)
		}
		kv = append(kv, [2]string{label, v})
	}
	kv = append(kv,
		[2]string{"抽中主体数", strconv.Itoa(len(m.Selected))},
		[2]string{"备选主体数", strconv.Itoa(len(m.Reserves))},
	)
	if m.RatioGiven != "" {
		kv = append(kv, [2]string{"指定抽查比例（--ratio）", m.RatioGiven})
	}
	if len(m.Earlier) > 0 {
		kv = append(kv, [2]string{"前轮已抽中主体数", strconv.Itoa(len(m.Earlier))})
	}
	if len(m.OverCap) > 0 {
		kv = append(kv, [2]string{"超过年度检查上限的主体", strings.Join(m.OverCap, "、")})
	}
	if m.Inspectors != nil {
		kv = append(kv,
			[2]string{"执法检查人员名录", m.Inspectors.File},
			[2]string{"执法检查人员名录 SHA-256", m.Inspectors.SHA256},
		)
	}
	ledger := "（未记入台账）"
	if m.LedgerID > 0 {
		ledger = strconv.FormatInt(m.LedgerID, 10)
	}
	kv = append(kv,
		[2]string{"抽取时间（UTC）", m.CreatedAt},
		[2]string{"台账编号", ledger},
		[2]string{"工具版本", m.ToolVersion},
	)
	return kv
}

func aboutSheet(m *draw.Manifest) sheet {
	rows := [][]string{{"项目", "内容"}}
	for _, kv := range About(m) {
		rows = append(rows, []string{kv[0], kv[1]})
	}
	return sheet{name: "说明", rows: rows, bold: map[int]bool{0: true}, freeze: 1, wrapCols: map[int]bool{1: true}}
}

// inspectorOrder returns every assigned inspector once, ordered by department, then 执法证号.
func inspectorOrder(m *draw.Manifest) []sampler.Member {
	seen := map[string]bool{}
	var out []sampler.Member
	for _, a := range m.Assignments {
		for _, mb := range a.Team {
			if !seen[mb.ID] {
				seen[mb.ID] = true
				out = append(out, mb)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Dept != out[j].Dept {
			return out[i].Dept < out[j].Dept
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// taskHeader is the head of a task sheet: who, what, when.
func taskHeader(m *draw.Manifest) [][]string {
	return [][]string{
		{"抽查任务", m.Task + " " + m.TaskInfo.Name},
		{"抽查事项", m.TaskInfo.Items},
		{"检查时间", windowText(m)},
		{"检查机关", strings.Join(authorities(m, nil), "、")},
	}
}

var taskFirmHeader = []string{"序号", "市场主体名称", "统一社会信用代码/注册号", "住所", "登记机关", "检查组成员"}

func inspectorSheets(m *draw.Manifest) []sheet {
	if len(m.Assignments) == 0 {
		return nil
	}
	sel := map[string]draw.Selected{}
	for _, s := range m.Selected {
		sel[s.Key] = s
	}
	var out []sheet
	for _, in := range inspectorOrder(m) {
		rows := [][]string{
			{"检查任务单"},
			{"检查人员", fmt.Sprintf("%s（%s，执法证号 %s）", in.Name, in.Dept, in.ID)},
		}
		rows = append(rows, taskHeader(m)...)
		rows = append(rows, []string{}, taskFirmHeader)
		head := len(rows)
		n := 0
		for _, a := range m.Assignments {
			if !hasMember(a.Team, in.ID) {
				continue
			}
			n++
			s := sel[a.Key]
			var mates []sampler.Member
			for _, mb := range a.Team {
				if mb.ID != in.ID {
					mates = append(mates, mb)
				}
			}
			rows = append(rows, []string{strconv.Itoa(n), s.Name, a.Key, s.Address, s.Authority, memberNames(mates)})
		}
		out = append(out, sheet{
			name:     "任务单-" + in.Name + "-" + in.ID,
			rows:     rows,
			bold:     map[int]bool{0: true, head - 1: true},
			freeze:   head,
			numeric:  map[int]bool{},
			wrapCols: map[int]bool{1: true, 3: true, 5: true},
		})
	}
	return out
}

func hasMember(team []sampler.Member, id string) bool {
	for _, mb := range team {
		if mb.ID == id {
			return true
		}
	}
	return false
}
