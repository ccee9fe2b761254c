package warehouse

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// Result is what a script computed, read back from its CSV (ResultColumns).
type Result struct {
	File     string
	Strata   []ResultStratum
	Selected []ResultPick
	Reserves []ResultPick
	FrameN   int    // firms in the engine's frame
	Unread   int    // table rows left out for an unreadable class or a class conflict
	Digest   string // CHOUCHA-FRAME-v2 of the engine's frame
}

// ResultStratum is one stratum row of a Result.
type ResultStratum struct {
	Class, Ratio       string
	N, Count, Excluded int
}

// ResultPick is one drawn or reserve firm of a Result.
type ResultPick struct {
	Key, Class, Ticket string
	Rank               int
	Repeat             bool
	Line               int // line of the CSV file
}

// ReadResultFile reads the CSV that a script's final SELECT was saved to.
func ReadResultFile(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("读取 SQL 抽取结果 %s: %w", path, err)
	}
	defer f.Close()
	res, err := ReadResult(f)
	if err != nil {
		return nil, fmt.Errorf("读取 SQL 抽取结果 %s: %w", path, err)
	}
	res.File = path
	return res, nil
}

// ReadResult reads a result CSV: a header naming at least the ResultColumns (in any order),
// then one row per result row; NULL is an empty cell.
func ReadResult(r io.Reader) (*Result, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("没有表头: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range ResultColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("表头缺少列 %s（应为 choucha sql 脚本最后一条 SELECT 的结果）", c)
		}
	}
	res := &Result{}
	frames := 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("第%d行: %w", line, err)
		}
		cell := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		num := func(name string) (int, error) {
			n, err := strconv.Atoi(cell(name))
			if err != nil {
				return 0, fmt.Errorf("第%d行 %s 列“%s”不是整数", line, name, cell(name))
			}
			return n, nil
		}
		switch kind := cell("kind"); kind {
		case "stratum":
			var s ResultStratum
			var e1, e2, e3 error
			s.Class, s.Ratio = cell("stratum"), cell("ratio")
			s.N, e1 = num("n_total")
			s.Count, e2 = num("n")
			s.Excluded, e3 = num("excluded")
			if err := errors.Join(e1, e2, e3); err != nil {
				return nil, err
			}
			res.Strata = append(res.Strata, s)
		case "selected", "reserve":
			p := ResultPick{Key: cell("key"), Class: cell("class"), Ticket: cell("ticket"), Line: line}
			if p.Rank, err = num("rank"); err != nil {
				return nil, err
			}
			switch strings.ToLower(cell("repeat")) {
			case "true", "1":
				p.Repeat = true
			case "false", "0", "":
			default:
				return nil, fmt.Errorf("第%d行 repeat 列“%s”不是 true/false", line, cell("repeat"))
			}
			if kind == "selected" {
				res.Selected = append(res.Selected, p)
			} else {
				res.Reserves = append(res.Reserves, p)
			}
		case "frame":
			frames++
			var e1, e2 error
			res.FrameN, e1 = num("n_total")
			res.Unread, e2 = num("excluded")
			if err := errors.Join(e1, e2); err != nil {
				return nil, err
			}
			res.Digest = cell("digest")
		default:
			return nil, fmt.Errorf("第%d行 kind 列“%s”无效（应为 stratum、selected、reserve 或 frame）", line, kind)
		}
	}
	if frames != 1 {
		return nil, fmt.Errorf("应有一行 frame（抽样框），实有 %d 行", frames)
	}
	return res, nil
}

// Expected is choucha's own draw of the same task round, to compare a Result with.
type Expected struct {
	Seed, TaskKey string
	Round         int
	Strata        []ResultStratum
	Selected      []ResultPick
	Reserves      []ResultPick
	Frame         []sampler.Unit
}

// Check compares a result computed elsewhere with choucha's own draw of the same inputs and
// recomputes every listed ticket (docs/ALGORITHM.md §2.2). It names the first difference.
func Check(res *Result, want Expected) error {
	differ := func(format string, args ...any) error {
		return fmt.Errorf("SQL 抽取结果 %s 与 choucha 的抽取不一致：%s", res.File, fmt.Sprintf(format, args...))
	}
	for _, list := range [][]ResultPick{res.Selected, res.Reserves} {
		for _, p := range list {
			if t := sampler.Ticket(want.Seed, want.TaskKey, want.Round, p.Key); p.Ticket != t {
				return differ("第%d行企业 %s 的签号为 %s，按种子 %s 重算应为 %s（种子、任务编号或轮次不同？）", p.Line, p.Key, p.Ticket, want.Seed, t)
			}
		}
	}
	if res.FrameN != len(want.Frame) {
		return differ("抽样框 %d 户，choucha 读名录得到 %d 户（区县、登记状态或分类的读法不同？）", res.FrameN, len(want.Frame))
	}
	if d := sampler.FrameDigest(want.Frame); res.Digest != d {
		return differ("抽样框摘要（CHOUCHA-FRAME-v2）为 %s，choucha 算得 %s：两边的企业或其分类不同", res.Digest, d)
	}
	if len(res.Strata) != len(want.Strata) {
		return differ("%d 层，choucha 为 %d 层", len(res.Strata), len(want.Strata))
	}
	for i, s := range res.Strata {
		if s != want.Strata[i] {
			return differ("第 %d 层为 %+v，choucha 为 %+v", i+1, s, want.Strata[i])
		}
	}
	same := func(what string, got, exp []ResultPick) error {
		if len(got) != len(exp) {
			return differ("%s %d 户，choucha 为 %d 户", what, len(got), len(exp))
		}
		for i := range got {
			g, e := got[i], exp[i]
			if g.Key != e.Key || g.Class != e.Class || g.Rank != e.Rank || g.Repeat != e.Repeat {
				return differ("%s第 %d 户（第%d行）为 %s（%s类，位次 %d，重复 %v），choucha 为 %s（%s类，位次 %d，重复 %v）",
					what, i+1, g.Line, g.Key, g.Class, g.Rank, g.Repeat, e.Key, e.Class, e.Rank, e.Repeat)
			}
		}
		return nil
	}
	if err := same("入选名单", res.Selected, want.Selected); err != nil {
		return err
	}
	return same("备选名单", res.Reserves, want.Reserves)
}

// CheckFrame is CheckDraw over the frame m was drawn from, with what to do next when the
// result differs (the draw.RecordRequest Check of sample --from-sql-result).
func CheckFrame(res *Result, m *draw.Manifest, frame *roster.Frame) error {
	keys := frame.KeyList()
	units := make([]sampler.Unit, keys.Len())
	for i := range units {
		k := keys.At(i)
		units[i] = sampler.Unit{Key: k.Key, Class: k.Class()}
	}
	if err := CheckDraw(res, m, units); err != nil {
		return apperr.Hint(err, "未记入台账。请核对脚本所用的种子、任务、轮次和前轮名单，以及名录表导出是否就是脚本读的那张表")
	}
	return nil
}

// CheckDraw compares a result with choucha's own draw m of the same task round over the
// frame units (the firms m was drawn from).
func CheckDraw(res *Result, m *draw.Manifest, units []sampler.Unit) error {
	want := Expected{Seed: m.Seed, TaskKey: m.Task, Round: m.Round, Frame: units}
	for _, s := range m.Strata {
		want.Strata = append(want.Strata, ResultStratum{Class: s.Class, Ratio: s.Ratio, N: s.N, Count: s.Count, Excluded: s.Excluded})
	}
	for _, s := range m.Selected {
		want.Selected = append(want.Selected, ResultPick{Key: s.Key, Class: s.Class, Ticket: s.Ticket, Rank: s.Rank, Repeat: s.Repeat})
	}
	for _, r := range m.Reserves {
		want.Reserves = append(want.Reserves, ResultPick{Key: r.Key, Class: r.Class, Ticket: r.Ticket, Rank: r.Rank})
	}
	return Check(res, want)
}
