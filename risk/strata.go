package risk

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/choucha/choucha/plan"
)

// ErrRatioUnspecified is wrapped by Strata when the plan gives no ratio for a task and no
// --ratio was given; callers may test for it with errors.Is to attach a hint.
var ErrRatioUnspecified = errors.New("计划未规定抽查比例")

// Strata computes the strata of a task from the eligible counts per class ("A".."D").
// ratioOverride is --ratio (percent decimal string, "" when not given); it is required
// when the task's ratio is unspecified.
//
// The rules (docs/ALGORITHM.md, CHOUCHA-SAMPLE-v1):
//   - one stratum per class A–D (always all four, in that order, even when N is 0) when the
//     task's risk kind is progressive or its ratio is per-class; else one stratum ALL whose
//     N is the total of counts;
//   - r_h is the per-class ratio when the plan gives one; for a progressive task the plan
//     percent × the policy multiplier of the class, capped at 100; otherwise the plan percent;
//   - a task with only a minimum count (不低于5户) has r_h = "0" and n_h = 0: the sampler
//     fills the draw up to the minimum;
//   - ratioOverride stands in for the plan percent (multipliers still apply). It is accepted
//     only for a task whose plan gives no percentage (unspecified, or a minimum count only):
//     a ratio the plan fixes cannot be changed from the command line;
//   - n_h = min(N_h, ceil(N_h × r_h / 100)), exactly (see Count).
func Strata(t plan.Task, counts map[string]int, p Policy, ratioOverride string) ([]Stratum, error) {
	return strata(t, counts, p, ratioOverride, false)
}

// NoClassNote is what every output of a draw from a roster without a credit-risk class
// column says.
const NoClassNote = "名录无信用风险分类，按计划比例统一抽取"

// StrataUnclassified computes the strata of a task drawn from a roster that has no
// credit-risk class column: one stratum ALL holding every firm (counts are summed), at the
// plan's percentage without any multiplier — a progressive task cannot be progressive
// without classes, and treating every firm as B would raise the ratio by B's multiplier
// (3% became 4.5%). A plan with per-class ratios gives no single percentage; the B ratio
// is used, since unclassified firms are treated as B (国市监信发〔2022〕6号). The rest of
// the rules are those of Strata.
func StrataUnclassified(t plan.Task, counts map[string]int, p Policy, ratioOverride string) ([]Stratum, error) {
	return strata(t, counts, p, ratioOverride, true)
}

func strata(t plan.Task, counts map[string]int, p Policy, ratioOverride string, noClasses bool) ([]Stratum, error) {
	name := t.Key
	if name == "" {
		name = fmt.Sprintf("序号 %d", t.Seq)
	}
	fail := func(format string, args ...any) ([]Stratum, error) {
		return nil, fmt.Errorf("任务 %s: %s", name, fmt.Sprintf(format, args...))
	}
	for _, k := range sortedKeys(counts) {
		if !isClass(k) {
			return fail("企业数中的信用风险分类 %q 无效（只能是 A、B、C、D）", k)
		}
		if counts[k] < 0 {
			return fail("%s 类企业数 %d 不能为负数", k, counts[k])
		}
	}

	planPercent := strings.TrimSpace(t.Ratio.Percent)
	hasPlanRatio := planPercent != "" || t.Ratio.PerClass != nil
	if ratioOverride != "" {
		o, err := parseDecimal(strings.TrimSpace(ratioOverride))
		if err != nil || o.Sign() <= 0 || o.Cmp(hundred) > 0 {
			return fail("--ratio %q 无效：应为大于 0、不超过 100 的百分数，如 5 或 4.5", ratioOverride)
		}
		if hasPlanRatio {
			return fail("计划已规定抽查比例（%s），不能用 --ratio 改变", t.Ratio.Text)
		}
		planPercent, _ = formatDecimal(o)
	} else if t.Ratio.Unspecified || (!hasPlanRatio && t.Ratio.MinCount <= 0) {
		advice := "，请用 --ratio P 指定抽查比例（百分数，0 < P ≤ 100，如 --ratio " + t.RatioExample() + "）"
		if len(t.Ratio.Levels) > 0 {
			// The plan wrote several (市级10%，县级20%): the operator picks the level drawn, and
			// the example is one of the plan's own figures.
			advice = "按哪一级抽取，请用 --ratio 指定所抽一级的比例（如 --ratio " + t.RatioExample() + "）"
		}
		return nil, fmt.Errorf("任务 %s（%s）: %w%s", name, ratioText(t.Ratio), ErrRatioUnspecified, advice)
	}

	var base *big.Rat
	if planPercent != "" {
		r, err := parseDecimal(planPercent)
		if err != nil || r.Cmp(hundred) > 0 {
			return fail("抽查比例 %q 无效（应为 0 到 100 的百分数）", planPercent)
		}
		base = r
	}

	ratioOf := func(class string) (string, error) {
		if t.Ratio.PerClass != nil {
			if class == StratumAll {
				class = "B" // StrataUnclassified: unclassified firms are treated as B
			}
			s, ok := t.Ratio.PerClass[class]
			if !ok {
				return "", fmt.Errorf("分类比例（%s）缺少 %s 类：请核对计划原文，在计划文件中补全各类比例后再抽取（choucha plan lint 列出这样的任务）", t.Ratio.Text, class)
			}
			r, err := parseDecimal(strings.TrimSpace(s))
			if err != nil || r.Cmp(hundred) > 0 {
				return "", fmt.Errorf("%s 类抽查比例 %q 无效（应为 0 到 100 的百分数）", class, s)
			}
			return formatDecimal(r)
		}
		if base == nil { // a minimum count only
			return "0", nil
		}
		r := new(big.Rat).Set(base)
		if class != StratumAll && t.Risk.Kind == plan.RiskProgressive {
			ms, ok := p.Multipliers[class]
			if !ok {
				return "", fmt.Errorf("策略缺少 %s 类的递加倍数", class)
			}
			m, err := parseDecimal(ms)
			if err != nil {
				return "", fmt.Errorf("策略中 %s 类的递加倍数 %q 无效", class, ms)
			}
			r.Mul(r, m)
			if r.Cmp(hundred) > 0 {
				r.Set(hundred)
			}
		}
		return formatDecimal(r)
	}

	var classes []string
	if !noClasses && (t.Risk.Kind == plan.RiskProgressive || t.Ratio.PerClass != nil) {
		for _, k := range sortedKeys(t.Ratio.PerClass) {
			if !isClass(k) {
				return fail("分类比例中的分类 %q 无效（只能是 A、B、C、D）", k)
			}
		}
		classes = Classes
	} else {
		classes = []string{StratumAll}
	}
	out := make([]Stratum, 0, len(classes))
	for _, c := range classes {
		n := 0
		if c == StratumAll {
			for _, k := range Classes {
				n += counts[k]
			}
		} else {
			n = counts[c]
		}
		ratio, err := ratioOf(c)
		if err != nil {
			return fail("%v", err)
		}
		cnt, err := Count(n, ratio)
		if err != nil {
			return fail("%v", err)
		}
		out = append(out, Stratum{Class: c, N: n, Ratio: ratio, Count: cnt})
	}
	if c := Cap(t, ratioOverride); c != "" {
		if err := checkCap(c, out); err != nil {
			return fail("%v", err)
		}
	}
	return out, nil
}

// Cap is the overall cap (a percentage) the draw's total must not exceed, "" when none: a
// plan's cap beside class ratios ("总体比例不超过5%", the class ratios from the credit-risk
// cell). A cap beside a --ratio is the override's bound instead (plan.Task.ApplyRatio).
func Cap(t plan.Task, ratioOverride string) string {
	if t.Ratio.Cap == "" || t.Ratio.PerClass == nil || ratioOverride != "" {
		return ""
	}
	return t.Ratio.Cap
}

// checkCap refuses class ratios whose counts add up to more than the plan's overall cap
// (plan: ratio cell "总体比例不超过5%", class ratios from the credit-risk cell): the total
// drawn T of the N firms must satisfy 100·T ≤ cap·N, exactly. Both are the plan's; when a
// roster cannot meet both, which one gives way is for the initiating department to say.
func checkCap(capPct string, strata []Stratum) error {
	c, err := parseDecimal(capPct)
	if err != nil {
		return fmt.Errorf("比例上限 %q 无效", capPct)
	}
	n, total := 0, 0
	for _, s := range strata {
		n, total = n+s.N, total+s.Count
	}
	limit := new(big.Rat).Mul(c, big.NewRat(int64(n), 100))
	if new(big.Rat).SetInt64(int64(total)).Cmp(limit) <= 0 {
		return nil
	}
	most := new(big.Int).Quo(limit.Num(), limit.Denom()) // ⌊cap·N/100⌋
	return fmt.Errorf("按各类比例共抽%d户，超过计划规定的总体比例上限%s%%（%d户的%s%%，至多%s户）：这份名录不能同时满足计划的两项要求，请与发起部门核对后在计划文件中改写该任务的抽查比例",
		total, capPct, n, capPct, most.String())
}

func ratioText(r plan.Ratio) string {
	if strings.TrimSpace(r.Text) == "" {
		return "抽查比例为空"
	}
	return "抽查比例及频次“" + r.Text + "”"
}
