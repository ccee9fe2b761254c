package web

import (
	"regexp"
	"strings"
)

// The domain packages say what to do in the words of the command line (“请用 --ratio 指定…，
// 如 --ratio 2”), and the CLI prints them as they are. The page says the same things, but
// where the CLI names a flag the page names the field that takes it — the 抽查比例 and
// 检查起止时间 fields of the check page, the 区县 and 计划编号 fields of the plan upload, the
// 视为有效 box — or its own page for a command (校验台账, 计划任务). What the page has no
// field for (--dept-map, a setting of the server: choucha serve --dept-map) stays a command,
// said to be one.
//
// pageText applies the rewrites in order: the specific phrasings first, then the leftovers.

type rewrite struct {
	re   *regexp.Regexp
	repl string
}

func rw(pattern, repl string) rewrite { return rewrite{regexp.MustCompile(pattern), repl} }

const (
	ratioField  = "“抽查比例”一栏"
	windowField = "“检查起止时间”一栏"
)

var pageRewrites = []rewrite{
	// --ratio (risk, plan): an unspecified, capped, ranged or levelled ratio.
	rw(`请用 --ratio P 指定抽查比例（百分数，0 < P ≤ 100，如 --ratio ([^）]+)）`, "请在"+ratioField+"填写抽查比例（百分数，大于 0、不超过 100，如 $1）"),
	rw(`请用 --ratio 指定所抽一级的比例（如 --ratio ([^）]+)）`, "请在"+ratioField+"填写所抽一级的比例（如 $1）"),
	rw(`抽取时请写明所抽一级的比例和频次，如 --ratio `, "抽取时请在"+ratioField+"写明所抽一级的比例和频次，如 "),
	rw(`抽取时用 --ratio 给出比例和次数，如 --ratio `, "抽取时在"+ratioField+"填写比例和次数，如 "),
	rw(`（--ratio 可连频次一起写，`, "（"+ratioField+"可连频次一起写，"),
	rw(`--ratio "([^"]*)" 无效`, "填写的抽查比例“$1”无效"),
	rw(`不能用 --ratio 改变`, "不能另填抽查比例"),
	rw(`--ratio 不得超过`, "填写的抽查比例不得超过"),
	rw(`需在抽取时用 --ratio 指定比例`, "需在抽取时于名录检查页的"+ratioField+"填写比例"),
	rw(`抽取时须用 --ratio 指定`, "抽取时须在名录检查页的"+ratioField+"填写"),
	// --window (plan): a window without a single reading or in another year.
	rw(`请用 --window 指定，如 --window `, "请在"+windowField+"填写，如 "),
	rw(`需在抽取时用 --window 指定时间`, "需在抽取时于名录检查页的"+windowField+"填写时间"),
	rw(`抽取时须用 --window 指定`, "抽取时须在名录检查页的"+windowField+"填写"),
	rw(`不能用 --window 改变`, "不能另填检查起止时间"),
	rw(`--window: `, "检查起止时间："),
	// --plan-district, --plan-id (plan): the fields of the plan upload.
	rw(`可用 --plan-district 另行指定`, "可在“计划文件”页重新读取计划，在“区县”一栏另行指定"),
	rw(`用 --plan-district 指定`, "在“计划文件”页读取计划时填写“区县”"),
	rw(`请用 --plan-district 给出任务所属的区县`, "请在“计划文件”页重新读取计划，在“区县”一栏填写任务所属的区县"),
	rw(`按 --plan-district 取`, "按读取计划时填写的区县取"),
	rw(`请用 --plan-id 指定（(.*)，如 --plan-id ([^）]+)）`, "请在“计划编号”一栏填写（$1，如 $2）"),
	// --assume-valid (roster): the 视为有效 box of the check page.
	rw(`已按 --assume-valid 视为有效`, "已按勾选的“视为有效”处理"),
	rw(`(?:可)?加 --assume-valid`, "在名录检查页勾选“视为有效”"),
	// --dept-map (draw): not a field of the page but of the server (choucha serve --dept-map),
	// for every draw on it.
	rw(`（可用 choucha dept match 查看部门对应关系，或用 --dept-map 补充同义词）`, "（网页按内置的部门同义词和启动时给出的部门对照表对应；要查看，请在命令行用 choucha dept match；要补充，请写一份部门对照表，用 choucha serve --dept-map 对照表文件 重新启动本网页）"),
	rw(`请在 --dept-map 的 cells 中`, "请写一份部门对照表（用 choucha serve --dept-map 对照表文件 重新启动本网页后生效），在它的 cells 中"),
	rw(`抽取时加 --dept-map (\S+?)。`, "用 choucha serve --dept-map $1 重新启动本网页后再抽取。"),
	// --sheet (roster): the page reads the first visible sheet.
	rw(`名录在其他工作表时用 --sheet 名称 选择`, "名录在其他工作表时，"+strings.TrimPrefix(sheetChoiceWeb, "网页读取第一张可见的工作表；要用其他工作表，")),
	// Commands the page has a page for.
	rw(`请写明是哪一个，如 --task \S+`, "请在“计划任务”页选择其中一个"),
	rw(`用 choucha plan list 查看全部任务(?:（可加 --district、--keyword 筛选）)?`, "在“计划任务”页查看全部任务（可按地市、关键词筛选）"),
	rw(`choucha plan show \S+ 查看任务所属区县`, "任务页写明任务所属区县"),
	rw(`（choucha plan lint 列出这样的任务）`, "（“计划文件”页的检查报告列出这样的任务）"),
	rw(`用 choucha roster check .+? --inspectors 查看每个人的原因`, "名录检查页列出每个人的原因"),
	rw(`用 choucha roster check .+? 查看每一行的问题`, "名录检查页列出每一行的问题"),
	rw(`请运行 choucha ledger verify`, "请打开“校验台账”页"),
	rw(`（请用 --operator 指明）`, "（请填写操作人）"),
	rw(`请用 --inspectors 给出`, "请选择"),
	rw(`（重放时请用 --inspectors 给出人员名录）`, "（重放时请选择人员名录）"),
	rw(`请用 --plan 给出抽取时使用的计划文件`, "请在“计划文件”页上传抽取时使用的计划文件"),
	// Leftovers: a value as given (CheckRound's “--ratio 每季度10%”, a cap's “--ratio 12”).
	rw(`--ratio `, "填写的抽查比例 "),
	rw(`--window `, "填写的检查起止时间 "),
}

// pageText is a domain message in the page's words (see pageRewrites).
func pageText(s string) string {
	if !strings.Contains(s, "--") && !strings.Contains(s, "choucha ") {
		return s
	}
	for _, r := range pageRewrites {
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}
