package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/ledger"
	"github.com/spf13/cobra"
)

// ledgerPath is the ledger file: --db, else $CHOUCHA_DB, else choucha.db in the working
// directory.
func (g *globalOptions) ledgerPath() string {
	if g.db != "" {
		return g.db
	}
	if p := os.Getenv("CHOUCHA_DB"); p != "" {
		return p
	}
	return "choucha.db"
}

// openExistingLedger opens the ledger for a command that only reads or adds to existing
// entries; a missing file is not created.
func openExistingLedger(g *globalOptions) (*ledger.Ledger, error) {
	path := g.ledgerPath()
	l, err := ledger.OpenExisting(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.Hint(fmt.Errorf("还没有抽取台账：%s 不存在", path),
			"第一次 choucha sample 抽取时会建立台账；台账在别处时用 --db 文件 或环境变量 CHOUCHA_DB 指明")
	}
	return l, ledgerOpenError(err)
}

// openReadOnlyLedger opens the ledger for a command that only reads (list, show, verify,
// export, replay, overlap): read-only, so a copy on a read-only folder or owned by someone
// else can be audited, and nothing is ever created or changed.
func openReadOnlyLedger(g *globalOptions) (*ledger.Ledger, error) {
	path := g.ledgerPath()
	l, err := ledger.OpenReadOnly(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.Hint(fmt.Errorf("还没有抽取台账：%s 不存在", path),
			"第一次 choucha sample 抽取时会建立台账；台账在别处时用 --db 文件 或环境变量 CHOUCHA_DB 指明")
	}
	return l, ledgerOpenError(err)
}

func ledgerOpenError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ledger.ErrNewerSchema):
		return apperr.Hint(err, "这个台账由更新版本的 choucha 写入；请安装最新版 choucha，不要用旧版本改动它")
	case errors.Is(err, ledger.ErrNotLedger):
		return apperr.Hint(err, "用 --db 文件 或环境变量 CHOUCHA_DB 指明 choucha 的抽取台账（默认为当前目录下的 choucha.db）")
	}
	return err
}

// defaultOperator is the operator recorded when --operator is not given: $USER, else the
// OS account name.
func defaultOperator() string {
	if u := strings.TrimSpace(os.Getenv("USER")); u != "" {
		return u
	}
	if u := strings.TrimSpace(os.Getenv("USERNAME")); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "未知用户"
}

func newLedgerCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "查看、校验抽取台账，锁定名单",
		Long: `抽取台账记录每一次抽取（包括后来放弃的抽取）和每一次锁定，条目之间以 SHA-256 首尾相连：
改动、删除或调换任何一条都会被 choucha ledger verify 发现。格式见 docs/LEDGER.md。

台账文件：--db 文件，否则环境变量 CHOUCHA_DB，否则当前目录下的 choucha.db。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newLedgerListCommand(g),
		newLedgerShowCommand(g),
		newLedgerVerifyCommand(g),
		newLedgerLockCommand(g),
	)
	return cmd
}

// ---- ledger list

type ledgerListOptions struct {
	task   string
	year   int
	format string
}

func newLedgerListCommand(g *globalOptions) *cobra.Command {
	o := &ledgerListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "列出台账中的抽取记录",
		Long: `列出台账中的抽取记录，最早的在前。同一任务同一轮次的第二次及以后的抽取在“重抽”一栏标明
第几次和重抽理由；“锁定”一栏标明哪一次是该轮的锁定名单。

  $ choucha ledger list --task CZ2026-292 --year 2026
  $ choucha ledger list --format json

JSON 为数组，每项：{"id","task","round","seed","created_at","operator","locked","redraw_reason"}。

退出码：0 成功；1 失败（如还没有台账）；2 用法错误。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLedgerList(cmd.Context(), g, o) },
	}
	cmd.Flags().StringVar(&o.task, "task", "", "只列出该 `任务编号` 的抽取（如 CZ2026-292）")
	cmd.Flags().IntVar(&o.year, "year", 0, "只列出该 `年度` 的抽取")
	enumVar(cmd.Flags(), &o.format, "format", "", "table", "输出 `格式`：table 或 json", []string{"table", "json"}, nil)
	return cmd
}

// ledgerListItem is one draw in `ledger list --format json`; the field names are a published
// interface.
type ledgerListItem struct {
	ID           int64  `json:"id"`
	Task         string `json:"task"`
	Round        int    `json:"round"`
	Seed         string `json:"seed"`
	CreatedAt    string `json:"created_at"`
	Operator     string `json:"operator"`
	Locked       bool   `json:"locked"`
	RedrawReason string `json:"redraw_reason"`
}

func runLedgerList(ctx context.Context, g *globalOptions, o *ledgerListOptions) error {
	if o.year < 0 {
		return apperr.Usage(fmt.Errorf("--year %d 无效", o.year))
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	l, err := openReadOnlyLedger(g)
	if err != nil {
		return err
	}
	defer l.Close()
	listed, err := l.ListStatus(ctx, ledger.Filter{Task: o.task, Year: o.year})
	if err != nil {
		return err
	}
	if o.format == "json" {
		items := make([]ledgerListItem, 0, len(listed))
		for _, e := range listed {
			items = append(items, ledgerListItem{
				ID: e.ID, Task: e.Task, Round: e.Round, Seed: e.Seed, CreatedAt: e.CreatedAt,
				Operator: e.Operator, Locked: e.Locked, RedrawReason: e.RedrawReason,
			})
		}
		return writeJSON(g.stdout, items)
	}
	rows := make([][]string, 0, len(listed))
	for _, e := range listed {
		locked := ""
		switch {
		case e.CurrentLock == e.ID:
			locked = "已锁定"
		case e.Locked:
			locked = fmt.Sprintf("曾锁定，已由第%d条取代", e.CurrentLock)
		}
		redraw := ""
		if n := e.Nth; n > 1 {
			redraw = fmt.Sprintf("第%d次抽取", n)
		}
		if e.RedrawReason != "" {
			redraw = strings.TrimPrefix(redraw+"，", "，") + "理由：" + e.RedrawReason
		}
		rows = append(rows, []string{
			strconv.FormatInt(e.ID, 10), e.Task, strconv.Itoa(e.Round), strconv.Itoa(e.Year), e.Seed,
			localTime(loc, e.CreatedAt), e.Operator, strconv.Itoa(e.Firms), locked, redraw,
		})
	}
	if len(rows) == 0 && !g.quiet {
		fmt.Fprintln(g.stderr, "台账中没有符合条件的抽取记录")
	}
	return printTable(g.stdout, []string{"序号", "任务", "轮次", "年度", "种子", "抽取时间", "操作人", "户数", "锁定", "重抽"}, rows)
}

// ---- ledger show

type ledgerShowOptions struct {
	format string
}

func newLedgerShowCommand(g *globalOptions) *cobra.Command {
	o := &ledgerShowOptions{}
	cmd := &cobra.Command{
		Use:   "show 序号",
		Short: "显示台账中的一条记录",
		Long: `显示台账中的一条记录：任务、轮次、种子、操作人、时间、是否锁定、哈希和抽中的检查对象。

  $ choucha ledger show 12
  $ choucha ledger show 12 --format json > manifest.json

--format json 输出当时记录的抽取清单（manifest）对象，并加上 "ledger_id" 和 "ledger"（台账条目的
序号、类型、操作人、锁定、重抽理由、前一哈希和哈希等）。

退出码：0 成功；1 失败（如没有该条）；2 用法错误。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runLedgerShow(cmd.Context(), g, o, args[0]) },
	}
	enumVar(cmd.Flags(), &o.format, "format", "", "text", "输出 `格式`：text 或 json", []string{"text", "json"}, nil)
	return cmd
}

func parseLedgerID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Usage(fmt.Errorf("台账序号应为正整数，不是 %q", s))
	}
	return id, nil
}

// ledgerEntryMeta is the "ledger" member of `ledger show --format json`.
type ledgerEntryMeta struct {
	ID           int64    `json:"id"`
	Kind         string   `json:"kind"`
	Task         string   `json:"task"`
	Round        int      `json:"round"`
	Year         int      `json:"year"`
	Seed         string   `json:"seed"`
	CreatedAt    string   `json:"created_at"`
	Operator     string   `json:"operator"`
	Locked       bool     `json:"locked"`
	RedrawReason string   `json:"redraw_reason"`
	Target       int64    `json:"target,omitempty"`
	Keys         []string `json:"keys"`
	PrevHash     string   `json:"prev_hash"`
	Hash         string   `json:"hash"`
}

func runLedgerShow(ctx context.Context, g *globalOptions, o *ledgerShowOptions, arg string) error {
	id, err := parseLedgerID(arg)
	if err != nil {
		return err
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	l, err := openReadOnlyLedger(g)
	if err != nil {
		return err
	}
	defer l.Close()
	e, err := l.Get(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return apperr.Hint(fmt.Errorf("台账中没有第 %d 条", id), "用 choucha ledger list 查看台账中的抽取记录")
	}
	if err != nil {
		return err
	}
	if e.Kind == ledger.KindDraw {
		// A manifest stored with its drawn-firm list apart is shown expanded, as a manifest.
		if e.Manifest, err = draw.EntryManifestBytes(e, fmt.Sprintf("台账第 %d 条", e.ID)); err != nil {
			return err
		}
	}
	if o.format == "json" {
		return writeShowJSON(g.stdout, e)
	}
	return writeShowText(ctx, g.stdout, l, e, loc)
}

// writeShowJSON writes the stored manifest object with "ledger_id" and "ledger" added in
// front, so the output still reads as a manifest (replay accepts it).
func writeShowJSON(w io.Writer, e ledger.Entry) error {
	meta, err := json.Marshal(ledgerEntryMeta{
		ID: e.ID, Kind: e.Kind, Task: e.Task, Round: e.Round, Year: e.Year, Seed: e.Seed,
		CreatedAt: e.CreatedAt, Operator: e.Operator, Locked: e.Locked, RedrawReason: e.RedrawReason,
		Target: e.Target, Keys: e.Keys, PrevHash: e.PrevHash, Hash: e.Hash,
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{"ledger_id":%d,"ledger":%s`, e.ID, meta)
	if m := bytes.TrimSpace(e.Manifest); len(m) > 1 && m[0] == '{' {
		rest := bytes.TrimSpace(m[1:])
		if len(rest) > 0 && rest[0] != '}' {
			buf.WriteByte(',')
		}
		buf.Write(rest)
	} else {
		buf.WriteByte('}')
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return fmt.Errorf("台账第 %d 条的抽取清单不是 JSON 对象: %w", e.ID, err)
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

func writeShowText(ctx context.Context, w io.Writer, l *ledger.Ledger, e ledger.Entry, loc *time.Location) error {
	locked := "否"
	if e.Locked {
		locked = "是"
		if cur, err := l.Locked(ctx, e.Task, e.Round, e.Year); err == nil && cur != nil && cur.ID != e.ID {
			locked = fmt.Sprintf("曾锁定，已由第 %d 条取代", cur.ID)
		}
	}
	kind := "抽取"
	if e.Kind == ledger.KindLock {
		kind = "锁定"
	}
	var b strings.Builder
	line := func(k, v string) {
		// Labels are CJK (two columns each): pad to a common display width of 12.
		fmt.Fprintf(&b, "%s：%s%s\n", k, strings.Repeat(" ", 10-2*utf8.RuneCountInString(k)), v)
	}
	line("序号", strconv.FormatInt(e.ID, 10))
	line("类型", kind)
	line("任务", e.Task)
	line("轮次", fmt.Sprintf("%d（%d年）", e.Round, e.Year))
	line("种子", e.Seed)
	line("操作人", e.Operator)
	line("时间", localTime(loc, e.CreatedAt)+"（台账中存为 UTC："+e.CreatedAt+"）")
	if e.Kind == ledger.KindLock {
		line("锁定", fmt.Sprintf("第 %d 条", e.Target))
	} else {
		line("已锁定", locked)
	}
	if e.RedrawReason != "" {
		line("重抽理由", e.RedrawReason)
	}
	line("前一哈希", e.PrevHash)
	line("哈希", e.Hash)
	if e.Kind == ledger.KindDraw {
		line("抽中", fmt.Sprintf("%d 户", len(e.Keys)))
		names := manifestNames(e.Manifest)
		for i, k := range e.Keys {
			if n := names[k]; n != "" {
				fmt.Fprintf(&b, "  %d. %s  %s\n", i+1, k, n)
			} else {
				fmt.Fprintf(&b, "  %d. %s\n", i+1, k)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// manifestNames maps the drawn keys to firm names from a manifest's "selected" list; the
// risk class is never shown (some provinces do not publish it).
func manifestNames(m []byte) map[string]string {
	var v struct {
		Selected []struct {
			Key  string `json:"key"`
			Name string `json:"name"`
		} `json:"selected"`
	}
	names := map[string]string{}
	if json.Unmarshal(m, &v) == nil {
		for _, s := range v.Selected {
			names[s.Key] = s.Name
		}
	}
	return names
}

// ---- ledger verify

type ledgerVerifyOptions struct {
	against   string
	published string
}

func newLedgerVerifyCommand(g *globalOptions) *cobra.Command {
	o := &ledgerVerifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "校验抽取台账是否被改动",
		Long: `逐条重算台账的哈希链，检查每一条的内容与哈希、与前一条的链接和序号的连续性，检查锁定
规则（每轮一份锁定名单、锁定后的重抽须有理由、锁定不早于所锁定的抽取），并像导出时一样
用种子和记录的抽样框重算每一次抽取的签号。

完好时输出条目数和最新一条的哈希（“台账头”）。抽取公告和 choucha sample 的输出都带有公布时的
台账头哈希；以后任何人用 --against 或 --published 核对：那时的台账头仍在链中，说明公布之前的
记录没有被删除或改写。

  $ choucha ledger verify
  台账完好：共 12 条，最新为第 12 条
  台账头哈希：3f5a…
  $ choucha ledger verify --against 3f5a…（公布的台账头哈希）
  $ choucha ledger verify --published 抽查任务公告.csv

退出码：0 台账完好；1 台账被改动（指出第一条有问题的条目）、公布的台账头不在链中或无法读取；2 用法错误。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLedgerVerify(cmd.Context(), g, o) },
	}
	cmd.Flags().StringVar(&o.against, "against", "", "公布过的台账头`哈希`（64 位十六进制）：核对它仍在链中")
	cmd.Flags().StringVar(&o.published, "published", "", "公布过的公告`文件`（CSV 或 HTML）：核对其中的台账头仍在链中")
	return cmd
}

func runLedgerVerify(ctx context.Context, g *globalOptions, o *ledgerVerifyOptions) error {
	var pins []ledger.Published
	if o.against != "" {
		p, err := ledger.ParsePublished(o.against)
		if err != nil {
			return apperr.Usage(err)
		}
		pins = append(pins, p...)
	}
	if o.published != "" {
		b, err := os.ReadFile(o.published)
		if err != nil {
			return fmt.Errorf("读取公告 %s: %w", o.published, err)
		}
		p, err := ledger.ParsePublished(string(b))
		if err != nil {
			return fmt.Errorf("公告 %s: %w", o.published, err)
		}
		pins = append(pins, p...)
	}
	l, err := openReadOnlyLedger(g)
	if err != nil {
		return err
	}
	defer l.Close()
	res, err := l.VerifyWith(ctx, ledger.VerifyOptions{Draw: draw.CheckEntry, KeepHashes: len(pins) > 0})
	if err != nil {
		return err
	}
	if !res.OK {
		return apperr.Hint(fmt.Errorf("台账 %s 校验不通过：%s", l.Path(), res.Problem),
			fmt.Sprintf("第 %d 条及以后的记录不可信；请保留台账文件原样，报告管理员或纪检部门", res.BadID))
	}
	for _, p := range pins {
		if err := res.Contains(p); err != nil {
			return apperr.Hint(fmt.Errorf("台账 %s: %w", l.Path(), err),
				"公布之后台账被截短、替换或改写；请保留台账文件和公告原样，报告管理员或纪检部门")
		}
	}
	if res.Entries == 0 {
		fmt.Fprintln(g.stdout, "台账完好：共 0 条")
	} else {
		fmt.Fprintf(g.stdout, "台账完好：共 %d 条，最新为第 %d 条\n", res.Entries, res.LastID)
	}
	fmt.Fprintf(g.stdout, "台账头哈希：%s\n", res.Head)
	for _, p := range pins {
		id := p.ID
		if id == 0 { // a bare hash (--against HASH): name the entry that has it
			for k, h := range res.Hashes {
				if h == p.Hash {
					id = k
					break
				}
			}
		}
		fmt.Fprintf(g.stdout, "公布时的台账头（第 %d 条 %s）仍在链中\n", id, p.Hash)
	}
	return nil
}

// ---- ledger lock

type ledgerLockOptions struct {
	operator string
}

func newLedgerLockCommand(g *globalOptions) *cobra.Command {
	o := &ledgerLockOptions{}
	cmd := &cobra.Command{
		Use:   "lock 序号",
		Short: "锁定一次抽取为该任务该轮次的最终名单",
		Long: `把台账中的一次抽取锁定为该任务该轮次的最终名单（锁定名单）。锁定本身也记入台账。

每轮只有一份最终名单：已锁定的轮次再抽取时 choucha sample 必须用 --redraw-reason 说明理由，
重抽及理由记入台账；只有这样的重抽可以再锁定，成为该轮新的名单，原锁定记录仍留在台账中。

  $ choucha ledger lock 12 --operator 张三

退出码：0 已锁定；1 失败（没有该条、不是抽取记录、该轮已锁定等）；2 用法错误。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runLedgerLock(cmd.Context(), g, o, args[0]) },
	}
	cmd.Flags().StringVar(&o.operator, "operator", "", "记录的操作人 `姓名`（默认为当前系统用户）")
	return cmd
}

func runLedgerLock(ctx context.Context, g *globalOptions, o *ledgerLockOptions, arg string) error {
	id, err := parseLedgerID(arg)
	if err != nil {
		return err
	}
	operator := strings.TrimSpace(o.operator)
	if operator == "" {
		operator = defaultOperator()
	}
	l, err := openExistingLedger(g)
	if err != nil {
		return err
	}
	defer l.Close()
	lid, err := l.Lock(ctx, id, operator)
	if err != nil {
		return err
	}
	e, err := l.Get(ctx, lid)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "已锁定第 %d 条：任务 %s %d年第%d轮的最终名单（锁定记录为第 %d 条，操作人 %s）\n",
		id, e.Task, e.Year, e.Round, lid, operator)
	return nil
}
