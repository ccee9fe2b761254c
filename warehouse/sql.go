// Package warehouse writes a CHOUCHA-SAMPLE-v1 draw as one SQL script, so that an office whose
// 检查对象名录库 lives in a data platform can draw next to the data (DuckDB, Spark SQL) and get
// exactly the list choucha would draw from the same firms (docs/ALGORITHM.md §8).
//
// Every ticket is a pure function of (seed, task, round, key), so the draw needs nothing but
// SHA-256, integer arithmetic and window functions. The script computes, in order: the frame
// (keys and classes read from the table by the rules and word lists of package roster, with
// regular expressions), the
// tickets, the strata with their exact counts n_h = min(N_h, ceil(N_h·a / (100·b))) where
// r_h = a/b, the ranks by (ticket, key), the earlier-round exclusion and shortfall repeats,
// the minimum count, the reserves and the CHOUCHA-FRAME-v2 digest of the frame; and it ends
// with one SELECT whose rows are the result (see ResultColumns).
package warehouse

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// Dialect is the SQL engine the script is written for.
type Dialect string

// The dialects: DuckDB is executed by the tests (module scale/); Spark SQL is pinned by a
// golden file and has not been executed here.
const (
	DuckDB Dialect = "duckdb"
	Spark  Dialect = "spark"
)

// Dialects lists the dialects in the order `--help` shows them.
var Dialects = []Dialect{DuckDB, Spark}

// Columns names the table of firms and its columns. Key and Class are required; District and
// Status are read only when named.
type Columns struct {
	Table    string // the table (or view) of firms
	Key      string // 统一社会信用代码 or 注册号, one per firm
	Class    string // 信用风险分类 as the office writes it; "" when the table has none
	District string // 所属区县; "" when the table has none
	Status   string // 登记状态; "" when the table has none
}

// Spec is everything a draw script depends on.
type Spec struct {
	Dialect  Dialect
	Seed     string // normalised (sampler.NormalizeSeed)
	TaskKey  string
	Round    int
	Strata   []risk.Stratum // classes and exact ratios, in order (N and n are computed by the engine)
	MinCount int            // 不低于m户; 0 when none
	Cap      string         // the plan's overall cap beside class ratios (risk.Cap); "" when none
	Reserves int            // per stratum
	AllIn    bool           // every r_h is 100: earlier rounds are not excluded
	District string         // keep only firms of this district ("" = all); needs Columns.District
	Earlier  []string       // keys drawn in earlier rounds of the task this year
	// EarlierTable, when not "", names a table with a column key holding the earlier rounds'
	// keys (used instead of Earlier).
	EarlierTable string
	Columns      Columns
}

// ResultColumns are the columns of the script's final SELECT, one row per stratum
// (kind "stratum"), per drawn firm ("selected", in the order of docs/ALGORITHM.md §2.11),
// per reserve ("reserve") and one for the frame ("frame": n_total is the frame size, digest its
// CHOUCHA-FRAME-v2, excluded the rows of the table in scope left out for an unreadable class or
// for a class that differs from another row's of the same key).
var ResultColumns = []string{"kind", "seq", "stratum", "key", "class", "ticket", "rank", "repeat", "added",
	"n_total", "ratio", "n", "excluded", "digest"}

// Script returns the SQL script of the draw.
func Script(s Spec) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	d := dialect(s.Dialect)
	w := &strings.Builder{}
	all := len(s.Strata) == 1 && s.Strata[0].Class == risk.StratumAll

	fmt.Fprintf(w, "-- choucha sql：任务 %[2]s 第%[3]d轮的 %[1]s 抽取（方言 %[4]s）。\n", sampler.SampleSpec, s.TaskKey, s.Round, s.Dialect)
	fmt.Fprintf(w, "-- 种子 %s。算法见 docs/ALGORITHM.md 第2节，本脚本的写法见第8节。\n", s.Seed)
	fmt.Fprintf(w, "-- 输入：表 %s，企业代码列 %s", s.Columns.Table, s.Columns.Key)
	if s.Columns.Class != "" {
		fmt.Fprintf(w, "，分类列 %s", s.Columns.Class)
	}
	if s.Columns.District != "" {
		fmt.Fprintf(w, "，区县列 %s", s.Columns.District)
	}
	if s.Columns.Status != "" {
		fmt.Fprintf(w, "，登记状态列 %s", s.Columns.Status)
	}
	w.WriteString("。\n-- 代码须是有效、规范的代码（先用 choucha roster check 检查）；同一代码的多行按 choucha 的规则合并或排除；代码为空或含 | 时脚本报错停止。\n\n")

	// 1. The input: cells normalised (roster's normCell without NFKC, but for the full-width
	// brackets), the rows in scope (district, status: roster's sameDistrict and parseStatus),
	// each row's class as roster's readClass reads it (NULL when unreadable), and the frame: one
	// line a key, as roster's resolveDuplicates keeps it.
	norm := func(col string) string {
		return fmt.Sprintf("upper(replace(replace(trim(coalesce(CAST(%s AS %s), '')), ' ', ''), '\u3000', ''))", d.ident(col), d.text)
	}
	cells := []string{norm(s.Columns.Key) + " AS key"}
	classExpr, unclExpr, tokens := "'B'", "false", "''"
	if s.Columns.Class != "" {
		cells = append(cells, "replace(replace("+norm(s.Columns.Class)+", '（', '('), '）', ')') AS c")
		classExpr, unclExpr = classSQL(d), "c IN ("+unclassifiedList(d)+")"
		// t is c with each part that names a class in running text marked <…> (classTokens).
		tokens = fmt.Sprintf("CASE WHEN c IN ('A', 'B', 'C', 'D') OR %s THEN '' ELSE %s END", unclExpr, d.replaceAll("c", d.lit(classTokens), "<"+d.group1+">"))
	} else {
		cells = append(cells, "'' AS c")
	}
	var where []string
	if s.District != "" {
		if s.Columns.District == "" {
			return "", errors.New("任务限定了区县，但没有给出名录表的区县列（--district-col）；如确需抽取全表，请用 --district 全部")
		}
		cells = append(cells, norm(s.Columns.District)+" AS d")
		want := d.lit(roster.CanonicalKey(s.District))
		// roster's sameDistrict: a blank cell, the same name, or one a suffix of the other.
		where = append(where, fmt.Sprintf("(d = '' OR d = %[1]s OR right(d, length(%[1]s)) = %[1]s OR right(%[1]s, length(d)) = d)", want))
	}
	if s.Columns.Status != "" {
		cells = append(cells, fmt.Sprintf("coalesce(CAST(%s AS %s), '') AS s", d.ident(s.Columns.Status), d.text))
		where = append(where, "NOT "+closedSQL(d, "s"))
	}
	whereSQL := ""
	if len(where) > 0 {
		whereSQL = "\nWHERE " + strings.Join(where, "\n  AND ")
	}
	d.view(w, "choucha_cells", fmt.Sprintf("SELECT %s\nFROM %s", strings.Join(cells, ",\n  "), d.ident(s.Columns.Table)))
	d.view(w, "choucha_input", fmt.Sprintf(`SELECT key, %s AS class, %s AS uncl
FROM (SELECT x.*, %s AS t FROM choucha_cells x%s) z`, classExpr, unclExpr, tokens, whereSQL))
	// resolveDuplicates: the rows of a key that name different classes (blank and 未分类 aside)
	// are all left out (class_conflict); otherwise the key is one firm of the class its rows
	// name (B when none does). Rows left out above (closed, unreadable class) do not count.
	d.view(w, "choucha_frame", `SELECT key, coalesce(max(CASE WHEN NOT uncl THEN class END), 'B') AS class, CAST(count(*) AS INTEGER) AS nrows
FROM choucha_input
WHERE class IS NOT NULL
GROUP BY key
HAVING count(DISTINCT CASE WHEN NOT uncl THEN class END) <= 1`)
	// 2. Earlier rounds.
	if s.EarlierTable != "" {
		d.table(w, "choucha_earlier", fmt.Sprintf("SELECT DISTINCT upper(trim(CAST(key AS %s))) AS key FROM %s", d.text, d.ident(s.EarlierTable)))
	} else if len(s.Earlier) > 0 {
		keys := append([]string(nil), s.Earlier...)
		sort.Strings(keys)
		var rows []string
		for _, k := range keys {
			rows = append(rows, "("+d.lit(k)+")")
		}
		d.table(w, "choucha_earlier", "SELECT DISTINCT key FROM "+d.values(rows, "e(key)"))
	} else {
		d.table(w, "choucha_earlier", fmt.Sprintf("SELECT CAST(NULL AS %s) AS key WHERE 1 = 0", d.text))
	}

	// 3. Tickets, strata, ranks (§2.2, §2.3, §2.6, §2.7).
	stratum := "f.class"
	if all {
		stratum = "'ALL'"
	}
	earlierExpr := "(e.key IS NOT NULL)"
	if s.AllIn {
		earlierExpr = "false"
	}
	prefix := d.lit(sampler.SampleSpec + "|" + s.Seed + "|" + s.TaskKey + "|" + fmt.Sprint(s.Round) + "|")
	// One sort serves both positions: rank among all N_h firms, and the count of earlier
	// rounds' firms up to each, from which a firm's place among the candidates (or among the
	// earlier ones) follows.
	d.table(w, "choucha_pos", fmt.Sprintf(`SELECT key, class, nrows, stratum, ticket, earlier, rank,
  CASE WHEN earlier THEN earlier_upto ELSE rank - earlier_upto END AS pos
FROM (
  SELECT t.*,
    row_number() OVER (PARTITION BY stratum ORDER BY ticket, key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rank,
    sum(CASE WHEN earlier THEN 1 ELSE 0 END) OVER (PARTITION BY stratum ORDER BY ticket, key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS earlier_upto
  FROM (
    SELECT f.key, f.class, f.nrows, %s AS stratum, %s AS ticket, %s AS earlier
    FROM choucha_frame f LEFT JOIN choucha_earlier e ON e.key = f.key
  ) t
) r`, stratum, d.rawSHA256(prefix+" || f.key"), earlierExpr))
	w.WriteString("-- 抽样框中的代码不得为空或含 |（docs/ALGORITHM.md 2.12），否则脚本停止。\n")
	d.table(w, "choucha_check", fmt.Sprintf("SELECT CASE WHEN count(*) > 0 THEN %s END AS failed\nFROM (SELECT key FROM choucha_pos WHERE key = '' OR instr(key, '|') > 0) bad",
		d.raise("choucha: the frame has empty keys, or keys containing a vertical bar")))

	// 4. Strata and exact counts (§2.4, §2.5).
	var vals []string
	for i, st := range s.Strata {
		r, ok := new(big.Rat).SetString(st.Ratio)
		if !ok || r.Sign() < 0 {
			return "", fmt.Errorf("分层 %s 的比例 %q 无效", st.Class, st.Ratio)
		}
		vals = append(vals, fmt.Sprintf("(%s, %d, %s, %s, %s)", d.lit(st.Class), i+1, d.lit(st.Ratio), r.Num(), new(big.Int).Mul(r.Denom(), big.NewInt(100))))
	}
	d.table(w, "choucha_strata", fmt.Sprintf(`SELECT s.stratum, s.ord, s.ratio, s.a, s.b100,
  count(p.key) AS n_total,
  sum(CASE WHEN p.earlier THEN 1 ELSE 0 END) AS excluded,
  least(count(p.key), %s) AS n
FROM %s
LEFT JOIN choucha_pos p ON p.stratum = s.stratum
GROUP BY s.stratum, s.ord, s.ratio, s.a, s.b100`, d.div("CAST(count(p.key) AS BIGINT) * s.a + s.b100 - 1", "s.b100"), d.values(vals, "s(stratum, ord, ratio, a, b100)")))

	// The plan's overall cap beside class ratios (§2.5): 100 × Σn_h ≤ cap × Σ N_h, exactly.
	if s.Cap != "" {
		c, ok := new(big.Rat).SetString(s.Cap)
		if !ok || c.Sign() <= 0 {
			return "", fmt.Errorf("比例上限 %q 无效", s.Cap)
		}
		w.WriteString("-- 抽中总数不得超过计划的总体比例上限（docs/ALGORITHM.md 2.5），否则脚本停止。\n")
		d.table(w, "choucha_cap", fmt.Sprintf("SELECT CASE WHEN CAST(sum(n) AS BIGINT) * %s > CAST(sum(n_total) AS BIGINT) * %s THEN %s END AS failed\nFROM choucha_strata",
			new(big.Int).Mul(c.Denom(), big.NewInt(100)), c.Num(), d.raise("choucha: the class ratios draw more firms than the overall cap of "+s.Cap+"% of the plan")))
	}

	// 5. Selection by ratio with shortfall repeats (§2.8).
	d.table(w, "choucha_by_ratio", `SELECT p.*, s.ord
FROM choucha_pos p JOIN choucha_strata s ON s.stratum = p.stratum
WHERE (NOT p.earlier AND p.pos <= s.n)
   OR (p.earlier AND p.pos <= s.n - (s.n_total - s.excluded))`)

	// 6. Minimum count (§2.9): candidates first, then earlier rounds' firms, by (ticket, key).
	// At most m firms are added, so a top-m query replaces a sort of the frame.
	if s.MinCount > 0 {
		d.table(w, "choucha_fill", fmt.Sprintf(`SELECT q.*, s.ord FROM (
  SELECT c.*, row_number() OVER (ORDER BY c.earlier, c.ticket, c.key) AS fill
  FROM (
    SELECT p.* FROM choucha_pos p
    WHERE p.key NOT IN (SELECT key FROM choucha_by_ratio)
    ORDER BY p.earlier, p.ticket, p.key
    LIMIT %[1]d
  ) c
) q JOIN choucha_strata s ON s.stratum = q.stratum
WHERE q.fill <= least(%[1]d, (SELECT count(*) FROM choucha_pos)) - (SELECT count(*) FROM choucha_by_ratio)`, s.MinCount))
	} else {
		d.table(w, "choucha_fill", "SELECT p.*, 0 AS fill, 0 AS ord FROM choucha_pos p WHERE 1 = 0")
	}

	// 7. Reserves (§2.10): the candidates of a stratum are taken from its start (by ratio, then
	// by the minimum count, both in rank order), so the reserves are the next R candidates.
	d.table(w, "choucha_reserve", fmt.Sprintf(`SELECT p.*, s.ord
FROM choucha_pos p JOIN choucha_strata s ON s.stratum = p.stratum
LEFT JOIN (SELECT stratum, count(*) AS added FROM choucha_fill WHERE NOT earlier GROUP BY stratum) a ON a.stratum = p.stratum
WHERE NOT p.earlier
  AND p.pos > s.n + coalesce(a.added, 0)
  AND p.pos <= s.n + coalesce(a.added, 0) + %d`, s.Reserves))

	// 8. CHOUCHA-FRAME-v2 (§8.3).
	d.table(w, "choucha_digest", fmt.Sprintf(`SELECT %s AS digest FROM (
  SELECT bucket, %s AS d
  FROM (SELECT substr(%s, 1, 2) AS bucket, key, key || '|' || class || chr(10) AS line FROM choucha_pos) x
  GROUP BY bucket
) b`, d.sha256(d.lit(sampler.FrameSpec)+" || chr(10) || "+d.orderedConcat("bucket || ' ' || d || chr(10)", "bucket", "bucket")),
		d.orderedConcatHash("line", "key"), d.sha256("key")))

	// 9. The result.
	w.WriteString(`-- 结果：每层一行（stratum），每户入选一行（selected），每户备选一行（reserve），抽样框一行（frame）。
SELECT kind, seq, stratum, key, class, ticket, rank, repeat, added, n_total, ratio, n, excluded, digest FROM (
  SELECT 'stratum' AS kind, ord AS seq, stratum, NULL AS key, NULL AS class, NULL AS ticket, NULL AS rank,
         NULL AS repeat, NULL AS added, n_total, ratio, n, excluded, NULL AS digest, 1 AS part, ord AS o1, 0 AS o2, '' AS o3
  FROM choucha_strata
  UNION ALL
  SELECT 'selected', 0, stratum, key, class, lower(hex(ticket)), rank, earlier, false, NULL, NULL, NULL, NULL, NULL, 2, ord, rank, ''
  FROM choucha_by_ratio
  UNION ALL
  SELECT 'selected', 0, stratum, key, class, lower(hex(ticket)), rank, earlier, true, NULL, NULL, NULL, NULL, NULL, 3, 0, fill, ''
  FROM choucha_fill
  UNION ALL
  SELECT 'reserve', 0, stratum, key, class, lower(hex(ticket)), rank, false, false, NULL, NULL, NULL, NULL, NULL, 4, ord, rank, ''
  FROM choucha_reserve
  UNION ALL
  SELECT 'frame', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT count(*) FROM choucha_pos), NULL, NULL,
         (SELECT count(*) FROM choucha_input) - (SELECT coalesce(sum(nrows), 0) FROM choucha_pos), digest, 5, 0, 0, ''
  FROM choucha_digest
) r
ORDER BY part, o1, o2, o3;
`)
	return w.String(), nil
}

func (s Spec) check() error {
	if s.Dialect != DuckDB && s.Dialect != Spark {
		return fmt.Errorf("不支持的 SQL 方言 %q（可用 duckdb、spark）", s.Dialect)
	}
	if s.Columns.Table == "" || s.Columns.Key == "" {
		return errors.New("须给出名录表名和企业代码列名")
	}
	if len(s.Strata) == 0 {
		return errors.New("没有分层，无法生成抽取 SQL")
	}
	if _, err := sampler.NormalizeSeed(s.Seed); err != nil {
		return err
	}
	if s.Round < 1 || s.TaskKey == "" || strings.ContainsAny(s.TaskKey, "|'\\\n") {
		return fmt.Errorf("任务编号 %q 或轮次 %d 无效", s.TaskKey, s.Round)
	}
	if s.MinCount < 0 || s.Reserves < 0 {
		return errors.New("最低户数和备选户数不能为负数")
	}
	for _, k := range s.Earlier {
		if strings.ContainsAny(k, "|'\\\n") {
			return fmt.Errorf("前轮企业代码 %q 含有不允许的字符", k)
		}
	}
	return nil
}

// classSQL is roster's readClass in SQL over the normalised cell c and its marked form t (see
// classTokens), step for step: a letter alone; an unclassified word (B); a cell that names more
// than one class (classesNamed) is unreadable; a letter in one of the forms of letterForm; a class
// word with what classWordOf strips; anything else is unreadable. Unreadable is NULL (left out of
// the frame and counted). NFKC is the one step SQL engines lack (but for the full-width brackets,
// folded in choucha_cells): a full-width letter (Ａ) reads in choucha and not here, and
// `choucha sample --from-sql-result` then finds the frames differ.
func classSQL(d sqlDialect) string {
	var b strings.Builder
	b.WriteString("CASE\n    WHEN c IN ('A', 'B', 'C', 'D') THEN c\n    ")
	fmt.Fprintf(&b, "WHEN c IN (%s) THEN 'B'\n    ", unclassifiedList(d))
	var named []string
	for _, k := range classes {
		letter := fmt.Sprintf("(^|[^A-Za-z])%s([^A-Za-z]|$)", k)
		named = append(named, fmt.Sprintf("CASE WHEN %s OR %s THEN 1 ELSE 0 END", d.matches("c", d.lit(letter)), d.matches("t", d.lit("<("+classTokenOf(k)+")>"))))
	}
	fmt.Fprintf(&b, "WHEN %s > 1 THEN NULL\n    ", strings.Join(named, "\n       + "))
	letterForm := fmt.Sprintf("^[A-D](%s)?(%s|[(][^)]*[)])?$", alternation(roster.ClassLetterSuffixes), plain(roster.ClassFirmSuffix))
	fmt.Fprintf(&b, "WHEN %s THEN substr(c, 1, 1)\n    ", d.matches("c", d.lit(letterForm)))
	for _, k := range classes {
		fmt.Fprintf(&b, "WHEN %s THEN '%s'\n    ", d.matches("c", d.lit("^"+classWordForm(k)+"$")), k)
	}
	b.WriteString("ELSE NULL\n  END")
	return b.String()
}

var classes = []string{roster.ClassA, roster.ClassB, roster.ClassC, roster.ClassD}

// classWordForm is a regular expression of a cell of its own that roster's classWordOf reads as
// a class word of class k ("" for every class): 信用, the word, 类, 企业.
func classWordForm(k string) string {
	var words []string
	for w, c := range roster.ClassWords {
		if k == "" || c == k {
			words = append(words, w)
		}
	}
	return fmt.Sprintf("(%s)?(%s)(%s)?(%s)?", plain(roster.ClassWordPrefix), alternation(words), plain(roster.ClassWordSuffix), plain(roster.ClassFirmSuffix))
}

// classTokens is the regular expression of the parts of a class cell that roster's classesNamed
// reads as naming a class, besides the letters: a bracketed class word ("(高)") and a class word
// of running text (roster.StandaloneClassWords, longest first). Replaced everywhere, left to
// right, each by itself within <…>, it marks the parts as classesNamed's scan finds them (an
// engine's regular expressions try the alternatives in order, as the scan tries the words; "<"
// and ">" are in no part, so a "<低风险>" the cell holds itself is a part too).
var classTokens = "([(]" + classWordForm("") + "[)]|" + strings.Join(plainAll(roster.StandaloneClassWords), "|") + ")"

// classTokenOf is the regular expression of the parts classTokens marks that name class k.
func classTokenOf(k string) string {
	var words []string
	for _, w := range roster.StandaloneClassWords {
		if roster.ClassWords[w] == k {
			words = append(words, w)
		}
	}
	return "[(]" + classWordForm(k) + "[)]|" + alternation(words)
}

// closedSQL is roster's parseStatus deciding closed, over the status cell col: a closed word
// (ClosedStatusWords) said, not right after a negation (StatusNegations: 存续（未注销） is open).
// Every negated word is first replaced by "#", which neither negates nor is part of a word.
func closedSQL(d sqlDialect, col string) string {
	closed := alternation(roster.ClosedStatusWords)
	negated := d.replaceAll(col, d.lit("("+alternation(roster.StatusNegations)+")("+closed+")"), "#")
	return d.matches(negated, d.lit(closed))
}

func unclassifiedList(d sqlDialect) string {
	var unc []string
	for _, w := range roster.UnclassifiedWords {
		unc = append(unc, d.lit(w))
	}
	return strings.Join(unc, ", ")
}

// alternation is words as one regular expression, longest first (sorted, for a stable script).
func alternation(words []string) string {
	w := plainAll(words)
	slices.SortFunc(w, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return strings.Join(w, "|")
}

// plain is a word in a regular expression. The words are data of package roster; none needs
// quoting (a backslash would also be an escape in a Spark literal), and one that did would be
// a change to review here.
func plain(w string) string {
	if regexp.QuoteMeta(w) != w || w == "" {
		panic("warehouse: the roster word " + strconv.Quote(w) + " is not plain text in a regular expression")
	}
	return w
}

func plainAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = plain(w)
	}
	return out
}

// sqlDialect is what differs between engines.
type sqlDialect struct {
	name   Dialect
	text   string // the string type
	quote  byte   // identifier quote
	hashFn func(string) string
	rawFn  func(string) string // SHA-256 as 32 raw bytes: sorts as its hex does, in half the memory
	divFn  func(a, b string) string
	create func(name, query string) string
	viewF  func(name, query string) string
	catFn  func(expr, orderBy, alias string) string
	raiseF func(msg string) string
	// matchF is whether the regular expression re (a literal) matches somewhere in x; replF
	// replaces every match (rep a literal's text; group1 names the first group in it).
	matchF func(x, re string) string
	replF  func(x, re, rep string) string
	group1 string
}

func dialect(name Dialect) sqlDialect {
	if name == Spark {
		return sqlDialect{
			name: Spark, text: "STRING", quote: '`',
			hashFn: func(x string) string { return "lower(sha2(" + x + ", 256))" },
			rawFn:  func(x string) string { return "unhex(sha2(" + x + ", 256))" },
			divFn:  func(a, b string) string { return "((" + a + ") div (" + b + "))" },
			create: func(name, q string) string { return "CACHE TABLE " + name + " AS\n" + q + ";\n\n" },
			viewF:  func(name, q string) string { return "CREATE OR REPLACE TEMPORARY VIEW " + name + " AS\n" + q + ";\n\n" },
			catFn: func(expr, orderBy, _ string) string {
				// collect_list has no order: sort (order key, text) pairs, then join the texts.
				return "array_join(transform(array_sort(collect_list(struct(" + orderBy + " AS o, " + expr + " AS t))), x -> x.t), '')"
			},
			raiseF: func(msg string) string { return "raise_error('" + msg + "')" },
			matchF: func(x, re string) string { return "(" + x + " RLIKE " + re + ")" },
			replF:  func(x, re, rep string) string { return "regexp_replace(" + x + ", " + re + ", '" + rep + "')" },
			group1: "$1",
		}
	}
	return sqlDialect{
		name: DuckDB, text: "VARCHAR", quote: '"',
		hashFn: func(x string) string { return "lower(sha256(" + x + "))" },
		rawFn:  func(x string) string { return "unhex(sha256(" + x + "))" },
		divFn:  func(a, b string) string { return "((" + a + ") // (" + b + "))" },
		create: func(name, q string) string { return "CREATE OR REPLACE TEMP TABLE " + name + " AS\n" + q + ";\n\n" },
		viewF:  func(name, q string) string { return "CREATE OR REPLACE TEMP VIEW " + name + " AS\n" + q + ";\n\n" },
		catFn: func(expr, orderBy, _ string) string {
			return "string_agg(" + expr + ", '' ORDER BY " + orderBy + ")"
		},
		raiseF: func(msg string) string { return "error('" + msg + "')" },
		matchF: func(x, re string) string { return "regexp_matches(" + x + ", " + re + ")" },
		replF:  func(x, re, rep string) string { return "regexp_replace(" + x + ", " + re + ", '" + rep + "', 'g')" },
		group1: `\1`,
	}
}

func (d sqlDialect) ident(name string) string {
	q := string(d.quote)
	return q + strings.ReplaceAll(name, q, q+q) + q
}

// lit is a string literal. Spark reads backslashes in literals as escapes; the caller never
// passes one (keys, seeds and task keys cannot contain it, district names are refused).
func (d sqlDialect) lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (d sqlDialect) rawSHA256(x string) string                    { return d.rawFn(x) }
func (d sqlDialect) sha256(x string) string                       { return d.hashFn(x) }
func (d sqlDialect) div(a, b string) string                       { return d.divFn(a, b) }
func (d sqlDialect) raise(msg string) string                      { return d.raiseF(msg) }
func (d sqlDialect) matches(x, re string) string                  { return d.matchF(x, re) }
func (d sqlDialect) replaceAll(x, re, rep string) string          { return d.replF(x, re, rep) }
func (d sqlDialect) orderedConcat(expr, orderBy, a string) string { return d.catFn(expr, orderBy, a) }

// values is an inline table: DuckDB's (VALUES …) AS t(cols), Spark's VALUES … AS t(cols).
func (d sqlDialect) values(rows []string, alias string) string {
	if d.name == Spark {
		return "VALUES\n  " + strings.Join(rows, ",\n  ") + "\nAS " + alias
	}
	return "(VALUES\n  " + strings.Join(rows, ",\n  ") + "\n) AS " + alias
}

// view defines a query that is not materialised (read once or twice, cheap to recompute).
func (d sqlDialect) view(w *strings.Builder, name, q string) { w.WriteString(d.viewF(name, q)) }

// orderedConcatHash is the SHA-256 of the texts concatenated in order.
func (d sqlDialect) orderedConcatHash(expr, orderBy string) string {
	return d.sha256(d.orderedConcat(expr, orderBy, ""))
}

func (d sqlDialect) table(w *strings.Builder, name, q string) { w.WriteString(d.create(name, q)) }
