package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestReadRatioForms: every ratio and frequency form of issue 11 item 2, read by hand.
func TestReadRatioForms(t *testing.T) {
	type want struct {
		pct      string
		least    bool
		cap      string
		rng      string // "min-max unit"
		count    int
		minCount int
		levels   int
		subject  string
		base     string
		times    int
		per      string
		flagged  bool
		cls      string // "A3 B5": the class ratios, by class
	}
	cases := []struct {
		ratio, freq, count string
		w                  want
	}{
		{"市级医疗保障部门每年对市级及以下经办机构抽查比例之和≥20%", "", "", want{pct: "20", least: true, subject: "市级医疗保障部门每年对市级及以下经办机构抽查比例之和", times: 1, per: PerYear}},
		{"抽查比例不低于10%", "", "", want{pct: "10", least: true, times: 1, per: PerYear}},
		// Classes by name (roster.ClassWords), by 级, with 企业, apart by 、 (Henan's four
		// classes 低/中/中高/高 as published by its provincial bureau in 2021).
		{"低风险企业3%，一般风险企业5%，较高风险企业7%，高风险企业9%", "", "", want{cls: "A3 B5 C7 D9", times: 1, per: PerYear}},
		{"低风险3%、一般风险5%、较高风险7%、高风险9%", "", "", want{cls: "A3 B5 C7 D9", times: 1, per: PerYear}},
		{"高风险企业抽查比例为30%,中高风险企业为10%,中风险企业为2%,低风险企业为1%", "", "", want{cls: "A1 B2 C10 D30", times: 1, per: PerYear}},
		{"A类企业3%、B类企业5%、C类企业7%、D类企业9%", "", "", want{cls: "A3 B5 C7 D9", times: 1, per: PerYear}},
		{"A级3%;B级5%;C级7%;D级不低于9%", "", "", want{cls: "A3 B5 C7 D9", least: true, times: 1, per: PerYear}},
		// Two lists joined by 分别, matched in order; the tiers of another regulator's credit
		// grading (a 市交通运输局 plan of 2025, testdata/plans/transport-2025.tsv) are A–D.
		{"对守信、警示、失信、严重失信企业分别按1%、10%、50%和80%比例抽取", "", "", want{cls: "A1 B10 C50 D80", times: 1, per: PerYear}},
		{"A、B、C、D类企业分别按3%、5%、7%、9%的比例抽查；1次", "", "", want{cls: "A3 B5 C7 D9", times: 1, per: PerYear}},
		{"对低风险、一般风险、较高风险和高风险企业分别抽查不低于2%、5%、10%、20%", "", "", want{cls: "A2 B5 C10 D20", least: true, times: 1, per: PerYear}},
		{"A类、B类分别为3%、5%", "", "", want{cls: "A3 B5", times: 1, per: PerYear}},
		{"对低风险、一般风险企业分别按3%、5%、7%比例抽取", "", "", want{times: 1, per: PerYear, flagged: true}}, // three ratios for two classes
		{"对守信、守信企业分别按1%、10%比例抽取", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"对重点、一般企业分别按10%、5%比例抽取", "", "", want{times: 1, per: PerYear, flagged: true}}, // not classes
		{"低风险3%、低风险5%", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"A3%", "", "", want{times: 1, per: PerYear, flagged: true}},
		// A leading note with a year in it (jianghan-2025-env): the year is not a ratio.
		{"以2020年以来辖区内各级生态环境部门审批的建设项目为重点,全年抽查比例不低于40%,不重复抽查。", "", "", want{pct: "40", least: true, subject: "全年抽查比例", times: 1, per: PerYear}},
		{"2020年抽查10户,全年抽查比例不低于40%", "", "", want{subject: "全年抽查比例", times: 1, per: PerYear, flagged: true}},
		{"10%", "每季度各抽查1次", "", want{pct: "10", times: 1, per: PerQuarter}},
		{"10%", "每月各1次", "", want{pct: "10", times: 1, per: PerMonth}},
		{"5%，每半年1次", "", "", want{pct: "5", times: 1, per: PerHalf}},
		// The base is a note, never a count or a minimum (池州市 2024: 抽查基数和比例 beside
		// 抽查目标数; it used to read 基数约100户 as at least 100 firms).
		{"全市抽查基数约40065户(动态更新),抽查比例不低于3%。", "", "1200户", want{pct: "3", least: true, count: 1200, subject: "抽查比例", times: 1, per: PerYear}},
		{"基数约100户,5%", "", "", want{pct: "5", times: 1, per: PerYear}},
		// Words around a percentage that do not change it; a period in front of it.
		{"按5%比例抽取", "", "", want{pct: "5", times: 1, per: PerYear}},
		// 以上 after the percentage includes it (大姚县 农业农村局: 抽查比例 5%以上, 频次 12次).
		{"5%以上", "12次", "", want{pct: "5", least: true, times: 12, per: PerYear}},
		{"30%及以上", "", "", want{pct: "30", least: true, times: 1, per: PerYear}},
		{"不低于5%以上", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"5%（不少于3户）", "", "", want{pct: "5", minCount: 3, times: 1, per: PerYear}},
		{"不低于5%（抽查数量不少于3户）", "", "", want{pct: "5", least: true, minCount: 3, times: 1, per: PerYear}},
		{"5%，不足1户的按1户抽取", "", "", want{pct: "5", times: 1, per: PerYear}},
		{"不低于3%且不少于5户", "", "", want{pct: "3", least: true, minCount: 5, times: 1, per: PerYear}},
		{"每季度抽查5%", "", "", want{pct: "5", times: 1, per: PerQuarter}},
		// A frequency after its period, the year also as 全年 / 年度 (a 交通运输 plan of 2024:
		// "全年抽查重点公路水运工程项目比例不低于10%,年度抽查1次"; its 2023 plan "每年抽查至少1次").
		{"全年抽查重点公路水运工程项目比例不低于10%,年度抽查1次", "", "", want{pct: "10", least: true, subject: "全年抽查重点公路水运工程项目比例", times: 1, per: PerYear}},
		{"全年抽查比例不低于5%,每年抽查至少1次,抽查频次根据监管需要确定", "", "", want{pct: "5", least: true, subject: "全年抽查比例", times: 1, per: PerYear}},
		{"10%", "每季度各抽查2次", "", want{pct: "10", times: 2, per: PerQuarter}},
		{"10%,全年抽查2次", "", "", want{pct: "10", times: 2, per: PerYear}},
		{"10%,年度抽查1次,每季度1次", "", "", want{times: 1, per: PerYear, flagged: true}},
		// The same frequency written for each of two levels is one frequency; the two
		// percentages are levels (济宁高新区 消防 2024: 每月…不得低于总数的10% / 5%).
		{"人员密集场所,每月抽查比例不得低于10%;其他单位,每月抽查比例不得低于5%", "", "", want{levels: 2, times: 1, per: PerMonth, flagged: true}},
		{"10%,每年1次,每年1次", "", "", want{pct: "10", times: 1, per: PerYear}},
		{"10%,每年抽查0次", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"每个月抽查5%", "", "", want{pct: "5", times: 1, per: PerMonth}},
		// A period with a bare 抽查 / 检查 / 抽取 is a round in each period; no ratio is given.
		{"每季度抽查", "", "", want{times: 1, per: PerQuarter, flagged: true}},
		{"每个季度抽查一次", "", "", want{times: 1, per: PerQuarter, flagged: true}},
		{"5%", "每月检查", "", want{pct: "5", times: 1, per: PerMonth}},
		{"按季度抽查5%", "", "", want{pct: "5", times: 1, per: PerQuarter}},
		{"按月抽查", "", "", want{times: 1, per: PerMonth, flagged: true}},
		{"5%", "按季度", "", want{pct: "5", times: 1, per: PerQuarter}},
		{"每月抽查10%", "", "", want{pct: "10", times: 1, per: PerMonth}},
		{"每季度抽查5%，2次/年", "", "", want{times: 1, per: PerQuarter, flagged: true}},
		{"每年抽查比例不低于10%，抽查2次", "", "", want{pct: "10", least: true, subject: "抽查比例", times: 2, per: PerYear}},
		{"全覆盖", "", "", want{pct: "100", times: 1, per: PerYear}},
		{"100%全覆盖", "", "", want{pct: "100", times: 1, per: PerYear}},
		{"重点企业全覆盖,其他企业5%", "", "", want{levels: 2, times: 1, per: PerYear, flagged: true}},
		{"5%", "1次/半年", "", want{pct: "5", times: 1, per: PerHalf}},
		{"5%", "每半年", "", want{pct: "5", times: 1, per: PerHalf}},
		{"≥5%", "", "", want{pct: "5", least: true, times: 1, per: PerYear}},
		{">=5%", "", "", want{pct: "5", least: true, times: 1, per: PerYear}},
		{"＞5%", "", "", want{rng: "5-100%", times: 1, per: PerYear, flagged: true}},
		{"≤5%", "", "", want{cap: "5", times: 1, per: PerYear, flagged: true}},
		{"不高于10%", "", "", want{cap: "10", times: 1, per: PerYear, flagged: true}},
		// A cap beside class ratios in the same cell bounds their total: the classes are drawn
		// (risk.Strata checks the total), nothing asks for --ratio.
		{"A类3%，B类5%，C类7%，D类9%，总体比例不高于6%", "", "", want{cls: "A3 B5 C7 D9", cap: "6", subject: "总体比例", times: 1, per: PerYear}},
		{"A类3%，B类5%，C类7%，D类9%，不高于10%-20%", "", "", want{rng: "10-20%", times: 1, per: PerYear, flagged: true}},
		{"10-20%", "", "", want{rng: "10-20%", times: 1, per: PerYear, flagged: true}},
		{"10%-20%", "", "", want{rng: "10-20%", times: 1, per: PerYear, flagged: true}},
		{"60-70家", "", "", want{rng: "60-70户", times: 1, per: PerYear, flagged: true}},
		{"10% (20户)", "", "", want{pct: "10", count: 20, times: 1, per: PerYear}},
		{"10%（20户）", "", "", want{pct: "10", count: 20, times: 1, per: PerYear}},
		{"不低于备查库点的30%", "", "", want{pct: "30", least: true, base: "备查库点", times: 1, per: PerYear}},
		{"市级抽查市级储备粮比例不低于备查库点的30%,县(区)级抽查县级储备粮比例不低于备查库点的50%", "", "", want{levels: 2, times: 1, per: PerYear, flagged: true}},
		{"基数:1\n抽查比例:100%", "", "", want{pct: "100", subject: "抽查比例", times: 1, per: PerYear}},
		{"5%", "=1", "", want{pct: "5", times: 1, per: PerYear}},
		{"5%", ">=1", "", want{pct: "5", times: 1, per: PerYear}},
		{"5%", "1", "", want{pct: "5", times: 1, per: PerYear}},
		{"5%", "抽查1次", "", want{pct: "5", times: 1, per: PerYear}},
		{"5%", "一次", "", want{pct: "5", times: 1, per: PerYear}},
		{"5%", "两次", "", want{pct: "5", times: 2, per: PerYear}},
		{"5%", "每月", "", want{pct: "5", times: 1, per: PerMonth}},
		{"5%", "每季度", "", want{pct: "5", times: 1, per: PerQuarter}},
		{"5%", "每周", "", want{pct: "5", times: 1, per: PerWeek}},
		{"5%", "每天", "", want{pct: "5", times: 1, per: PerDay}},
		{"5%", "2次/年", "", want{pct: "5", times: 2, per: PerYear}},
		{"5%", "分两批次", "", want{pct: "5", times: 2, per: PerYear}},
		{"5%；2次/年", "", "", want{pct: "5", times: 2, per: PerYear}},
		{"20%", "", "3", want{pct: "20", count: 3, times: 1, per: PerYear}},
		{"5%", "=1", "1户(实际以联合双随机牵头单位抽查数为准。)", want{pct: "5", count: 1, times: 1, per: PerYear}},
		{"检查比例不少于1%", "", "数量原则上不少于10家", want{pct: "1", least: true, minCount: 10, subject: "检查比例", times: 1, per: PerYear}},
		{"1户", "", "", want{minCount: 1, times: 1, per: PerYear}},
		{"待定", "", "待定", want{times: 1, per: PerYear, flagged: true}},
		{"", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"M50%", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"3%;1/", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"约一成", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"5%", "三次半", "", want{pct: "", times: 1, per: PerYear, flagged: true}},
		{"0%", "", "", want{times: 1, per: PerYear, flagged: true}},
		{"120%", "", "", want{times: 1, per: PerYear, flagged: true}},
		// The strict template forms read as before.
		{"A类3%；B类5%；C类7%；D类9%；1次", "", "", want{times: 1, per: PerYear, cls: "A3 B5 C7 D9"}},
		{"不低于5户", "", "", want{minCount: 5, least: true, times: 1, per: PerYear}},
		{"1次/月", "", "", want{times: 1, per: PerMonth, flagged: true}},
		// Class ratios beside a 频次 or 数量 column (Chongqing 2024: 抽取对象数 18, A:3%; one
		// class a line). They were read as one 3% with the subject “A类”, or as two levels.
		{"A:3%;\nB:4%;\nC:5%;\nD:6%", "", "18", want{count: 18, times: 1, per: PerYear, cls: "A3 B4 C5 D6"}},
		{"A类3%，B类5%", "", "18", want{count: 18, times: 1, per: PerYear, cls: "A3 B5"}},
		{"A类3%", "1次", "", want{times: 1, per: PerYear, cls: "A3"}},
		{"A类不低于2% B类5%", "2次/年", "", want{least: true, times: 2, per: PerYear, cls: "A2 B5"}},
		{"A类3%，A类5%", "", "3", want{count: 3, times: 1, per: PerYear, flagged: true}},
		{"A类3%B", "", "3", want{count: 3, times: 1, per: PerYear, flagged: true}},
		{"A类0%", "", "3", want{count: 3, times: 1, per: PerYear, flagged: true}},
		// A frequency span (临沂 2023, testdata/plans/linyi-2023-build.tsv): the office picks the
		// rounds; the draw needs one (flagged, with the --ratio that gives it).
		{"项目抽查比例为5%,1-2次", "", "", want{subject: "项目抽查比例", times: 1, per: PerYear, flagged: true}},
		{"5%", "每年1～2次", "", want{times: 1, per: PerYear, flagged: true}},
		{"5%", "2-1次", "", want{times: 1, per: PerYear, flagged: true}},
		{"抽查比例为不低于5%", "", "", want{pct: "5", least: true, subject: "抽查比例", times: 1, per: PerYear}},
	}
	for _, c := range cases {
		rd := readRatio(c.ratio, c.freq, c.count)
		r := rd.r
		rng := ""
		if r.Range != nil {
			rng = r.Range.Min + "-" + r.Range.Max + r.Range.Unit
		}
		got := want{pct: r.Percent, least: r.AtLeast, cap: r.Cap, rng: rng, count: r.Count, minCount: r.MinCount, levels: len(r.Levels),
			subject: r.Subject, base: r.Base, times: r.Times, per: r.Per, flagged: rd.flag != "", cls: classText(r.PerClass)}
		if got != c.w {
			t.Errorf("readRatio(%q, %q, %q) = %+v (flag %q), want %+v", c.ratio, c.freq, c.count, got, rd.flag, c.w)
		}
		if rd.flag != "" && !r.Unspecified {
			t.Errorf("readRatio(%q): flagged but not unspecified", c.ratio)
		}
	}
	for in, want := range map[[2]string]string{
		{"项目抽查比例为5%,1-2次", ""}: "频次“1-2次”是每年1至2次，须选定其中一个：抽取时用 --ratio 给出比例和次数，如 --ratio 5%，每年2次",
		{"5%", "每年1～2次"}:       "如 --ratio 5%，每年2次",
		{"5%", "2-1次"}:         "看不懂“2-1次”",
	} {
		if rd := readRatio(in[0], in[1], ""); !strings.Contains(rd.flag, want) {
			t.Errorf("readRatio(%q, %q) flag %q, want it to say %q", in[0], in[1], rd.flag, want)
		}
	}
}

// TestParseWindowForms: every window form of issue 11 item 3.
func TestParseWindowForms(t *testing.T) {
	cases := []struct {
		in   string
		want string // "from/fromDay-to/toDay year deadlines", "" when it has no single reading
	}{
		{"4月—7月", "4/0-7/0 0 []"},
		{"3—12月", "3/0-12/0 0 []"},
		{"2026年1月—11月", "1/0-11/0 2026 []"},
		{"2025年9月", "9/0-9/0 2025 []"},
		{"2026年2月24日-2026年11月30日", "2/24-11/30 2026 []"},
		{"2026年2月24日 -2026年11月30日", "2/24-11/30 2026 []"},
		{"2026年1月- 2026年11月", "1/0-11/0 2026 []"},
		{"2026年3月1日至11月30日", "3/1-11/30 2026 []"},
		{"7月至12月", "7/0-12/0 0 []"},
		{"全年", "1/0-12/0 0 []"},
		{"上半年", "1/0-6/0 0 []"},
		{"下半年", "7/0-12/0 0 []"},
		{"第二季度", "4/0-6/0 0 []"},
		{"四季度", "10/0-12/0 0 []"},
		{"9月底前", "1/0-9/0 0 []"},
		{"11月10日前完成", "1/0-11/10 0 []"},
		{"分两批次;第一批2023年7月20日前完成,第二批2023年10月15日前完成。", "1/0-10/15 2023 [2023-07-20 2023-10-15]"},
		{"分两批次;第一批7月20日前完成,第二批10月15日前完成", "1/0-10/15 0 [07-20 10-15]"},
		{"4—10", "4/0-10/0 0 []"},
		{"2019年9月至11", "9/0-11/0 2019 []"}, // the last 月 lost (forestry-2019)
		{"2019年9月至8", ""},
		{"2019年9月至13", ""},
		{"2019年9月1日至11", ""},
		{"10月-次年3月", ""},
		{"第二、三季度", "4/0-9/0 0 []"},
		{"3-4季度", "7/0-12/0 0 []"},
		{"第三季度至第四季度", "7/0-12/0 0 []"},
		{"一至二季度", "1/0-6/0 0 []"},
		{"第三、二季度", ""},
		{"第二、二季度", ""},
		{"年底前", "1/0-12/0 0 []"},
		{"2024年3月至10月(各地根据实际情况分阶段开展,与日常登记事项监管相结合)", "3/0-10/0 2024 []"}, // 池州市 2024
		{"3月—10月（具体时间另行通知）", "3/0-10/0 0 []"},
		{"4月-11月底", "4/0-11/0 0 []"},
		{"春季(具体时间另定)", ""},
		{"2016.2.1", ""},
		{"2016.2.1-2016.11.30", "2/1-11/30 2016 []"},
		{"分两批次;第一批2023720日前完成,第二批20231015日前完成。", ""},
		{"分三批次;第一批7月20日前完成,第二批10月15日前完成", ""},
		{"分两批次;第一批10月20日前完成,第二批7月15日前完成", ""},
		{"20229", ""},
		{"2026年11月—2月", ""},
		{"2025年11月—2026年2月", ""},
		// A year before the window is the window's year, not a licence to drop one written
		// later (yearWordRE reads the rest as a window of that year).
		{"2023年3月至2024年5月", ""},
		{"2023年3月-2023年5月", "3/0-5/0 2023 []"},
		{"3月至2024年5月", "3/0-5/0 2024 []"},
		// A day must exist in the year written before it.
		{"2023年2月29日前", ""},
		{"2023年2月29日-3月10日", ""},
		{"2023年分两批;第一批2月29日前;第二批11月底前", ""},
		{"2024年2月29日前", "1/0-2/29 2024 []"},
		{"2月29日前", "1/0-2/29 0 []"},
		{"2月30日前", ""},
		{"13月", ""},
		{"春季", ""},
		{"", ""},
	}
	for _, c := range cases {
		w, err := ParseWindow(c.in)
		got := ""
		if err == nil {
			got = fmt.Sprintf("%d/%d-%d/%d %d %v", w.From, w.FromDay, w.To, w.ToDay, w.Year, w.Deadlines)
		}
		if got != c.want {
			t.Errorf("ParseWindow(%q) = %q (%v), want %q", c.in, got, err, c.want)
		}
	}
}

// TestFrequencyInTimeColumn: a time cell that is only a frequency gives the task its
// frequency (the window stays flagged); one beside a ratio cell with its own does not.
func TestFrequencyInTimeColumn(t *testing.T) {
	for _, c := range []struct {
		cell string
		want bool
	}{
		{"每季度各抽查1次", true}, {"2次/年", true}, {"每月", true},
		{"4-11月", false}, {"全年", false}, {"每季度第一个月", false}, {"", false}, {"根据监管需要确定", false},
	} {
		if got := isFrequency(c.cell); got != c.want {
			t.Errorf("isFrequency(%q) = %v, want %v", c.cell, got, c.want)
		}
	}
	text := "序号\t抽查事项\t抽查比例\t实施时间\n1\t甲\t10%\t每季度各抽查1次\n2\t乙\t10%;1次/年\t每季度各抽查1次\n"
	p, err := Parse(strings.NewReader(text), "freq.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	if r := p.Tasks[0].Ratio; r.Per != PerQuarter || r.Times != 1 || p.Tasks[0].Rounds != 4 || len(p.Tasks[0].Flags) != 1 || p.Tasks[0].Flags[0].Kind != FlagWindow {
		t.Errorf("task 1: %+v rounds %d flags %+v, want 1 a quarter (4 rounds), the window flagged", r, p.Tasks[0].Rounds, p.Tasks[0].Flags)
	}
	if r := p.Tasks[1].Ratio; r.Per != PerYear || r.Times != 1 || r.Percent != "10" {
		t.Errorf("task 2: %+v, want the ratio cell's own 1 a year", r)
	}
}

// classText writes class ratios as "A3 B5", by class.
func classText(m map[string]string) string {
	var parts []string
	for _, c := range []string{"A", "B", "C", "D"} {
		if p, ok := m[c]; ok {
			parts = append(parts, c+p)
		}
	}
	return strings.Join(parts, " ")
}

// TestChineseSeq: tasks numbered 一、二 … 十二 are tasks; a heading row (一、食品安全领域, or
// merged across the row so that every cell holds it) is not.
func TestChineseSeq(t *testing.T) {
	text := "某县2026年度部门联合双随机抽查工作计划\n序号\t抽查任务名称\t抽查对象\t抽查比例\t起止时间\t发起部门\n" +
		"一、食品安全领域\t\t\t\t\t\n" +
		"一、\t食品检查\t食品企业\t5%\t3月\t县市场监管局\n" +
		"二\t药品检查\t药店\t10%\t第二、三季度\t县市场监管局\n" +
		"二、药品领域\t二、药品领域\t二、药品领域\t二、药品领域\t二、药品领域\t二、药品领域\n" +
		"十二\t特设检查\t使用单位\t3%\t年底前\t县市场监管局\n"
	p, err := Parse(strings.NewReader(text), "cn.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		seq      int
		pct      string
		from, to int
	}{{1, "5", 3, 3}, {2, "10", 4, 9}, {12, "3", 1, 12}}
	if len(p.Tasks) != len(want) {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), len(want))
	}
	for i, w := range want {
		k := p.Tasks[i]
		if k.Seq != w.seq || k.Ratio.Percent != w.pct || k.Window.From != w.from || k.Window.To != w.to || hasFlag(k, FlagWindow) {
			t.Errorf("task %d: seq %d %q %d–%d flags %+v, want %+v", i+1, k.Seq, k.Ratio.Percent, k.Window.From, k.Window.To, k.Flags, w)
		}
	}
	headings := 0
	for _, pr := range p.Problems {
		if strings.Contains(pr.Message, "是分组标题") {
			headings++
		}
	}
	if headings != 2 {
		t.Errorf("%d heading rows reported, want 2: %+v", headings, p.Problems)
	}
	for _, s := range []struct {
		in   string
		want int
	}{{"一", 1}, {"十", 10}, {"十一、", 11}, {"二十", 20}, {"九十九", 99}, {"一百", 0}, {"十十", 0}, {"甲", 0}, {"", 0}} {
		if got := cnNumber(s.in); got != s.want {
			t.Errorf("cnNumber(%q) = %d, want %d", s.in, got, s.want)
		}
	}
}

func hasFlag(k Task, kind string) bool {
	for _, f := range k.Flags {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

// TestDeadlineColumn: under 完成时限 a cell names the date to finish by. 10月底 (no window of
// its own) and a bare month or day (10月, 10月份, 2023年10月, 10月15日) read from January to
// that date; a range keeps its reading; under 实施时间 a bare month is that month.
func TestDeadlineColumn(t *testing.T) {
	text := "某县2023年度部门联合双随机抽查工作计划\n序号\t抽查事项\t抽查比例\t完成时限\n" +
		"1\t甲\t10%\t10月\n2\t乙\t10%\t10月份\n3\t丙\t10%\t2023年10月\n4\t丁\t10%\t10月15日\n" +
		"5\t戊\t10%\t9月—10月\n6\t己\t10%\t10月底\n7\t庚\t10%\t全年\n"
	p, err := Parse(strings.NewReader(text), "deadline.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ from, to, toDay int }{{1, 10, 0}, {1, 10, 0}, {1, 10, 0}, {1, 10, 15}, {9, 10, 0}, {1, 10, 0}, {1, 12, 0}}
	if len(p.Tasks) != len(want) {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), len(want))
	}
	for i, w := range want {
		tk := p.Tasks[i]
		if tk.Window.From != w.from || tk.Window.To != w.to || tk.Window.ToDay != w.toDay || len(tk.Flags) != 0 {
			t.Errorf("task %d (%s): window %+v flags %+v, want %d月至%d月 (to day %d), no flag", i+1, tk.Window.Text, tk.Window, tk.Flags, w.from, w.to, w.toDay)
		}
		if i < 4 && !slices.ContainsFunc(tk.Repairs, func(r string) bool { return strings.Contains(r, "是完成的期限") }) {
			t.Errorf("task %d: repairs %q, want the deadline reading said", i+1, tk.Repairs)
		}
	}
	same := strings.Replace(text, "完成时限", "实施时间", 1)
	q, err := Parse(strings.NewReader(same), "window.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	if w := q.Tasks[0].Window; w.From != 10 || w.To != 10 {
		t.Errorf("实施时间 10月: %+v, want October alone", w)
	}
}

// TestHeaderNoteAndWanCount: a header with a bracketed note no synonym has names its column
// (发起方式(牵头指导, as an Anhui plan's page cuts it); a count in 万 is a whole count
// (0.39万户 = 3900户), so it does not cancel the clause's percentage.
func TestHeaderNoteAndWanCount(t *testing.T) {
	text := "序号\t抽查任务名称\t\"发起方式\n(牵头指导\"\t抽查对象\t\"抽查基数\n和比例\"\t\"抽查\n目标数\"\t抽查时间段\n" +
		"1\t不定向抽查\t县区局自行组织发起\t企业\t抽查基数约13万户,抽查比例不低于3%。\t0.39万户\t全年\n" +
		"2\t定向抽查\t市局发起\t食品企业\t不低于5%\t1.2万家\t全年\n"
	p, err := Parse(strings.NewReader(text), "anhui.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	for i, want := range []struct {
		mode, pct string
		count     int
	}{{"县区局自行组织发起", "3", 3900}, {"市局发起", "5", 12000}} {
		tk := p.Tasks[i]
		if tk.Mode != want.mode || tk.Ratio.Percent != want.pct || !tk.Ratio.AtLeast || tk.Ratio.Count != want.count || len(tk.Flags) != 0 {
			t.Errorf("task %d: mode %q ratio %+v flags %+v, want mode %q, at least %s%%, count %d, no flag", i+1, tk.Mode, tk.Ratio, tk.Flags, want.mode, want.pct, want.count)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"0.39万户", "3900户"}, {"约1.2万家", "约12000家"}, {"2万个", "20000个"}, {"0.00001万户", "0.00001万户"}, {"13万", "13万"},
	} {
		if got, _ := wanCount(c.in); got != c.want {
			t.Errorf("wanCount(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFrequencyOutsideRatio: a frequency written in the mode column (实施层级及说明
// "市级检查(每半年开展一次)") and none in the ratio cells flags the ratio: each year once would
// be a guess. Two levels parted by a space (市级2% 区级10%) are two levels, as with a comma.
func TestFrequencyOutsideRatio(t *testing.T) {
	text := "序号\t抽查事项\t抽查比例\t实施时间\t实施层级及说明\n" +
		"1\t甲\t5%\t全年\t市级检查(每半年开展一次)\n" +
		"2\t乙\t5%;2次/年\t全年\t市级检查(每半年开展一次)\n" +
		"3\t丙\t市级2% 区级10%\t全年\t区级发起,区级检查\n" +
		"4\t丁\t5%\t全年\t市级发起,区级检查\n"
	p, err := Parse(strings.NewReader(text), "mode.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(tk Task) []string {
		var out []string
		for _, f := range tk.Flags {
			out = append(out, f.Kind+":"+f.Cell)
		}
		return out
	}
	if k := kinds(p.Tasks[0]); !slices.Equal(k, []string{FlagRatio + ":抽查检查模式"}) || !strings.Contains(p.Tasks[0].Flags[0].Message, "每半年开展一次") {
		t.Errorf("task 1 flags %q (%+v), want the mode column's frequency flagged", k, p.Tasks[0].Flags)
	}
	if k := kinds(p.Tasks[1]); len(k) != 0 {
		t.Errorf("task 2 (a frequency in the ratio cell): flags %q, want none", k)
	}
	if tk := p.Tasks[2]; len(tk.Ratio.Levels) != 2 {
		t.Errorf("task 3: levels %+v, want 2 (市级2%% / 区级10%%)", tk.Ratio.Levels)
	}
	// Words without a figure after the space stay with the percentage.
	for _, c := range []struct{ cell, pct string }{{"5% 以上", "5"}, {"按5% 的比例抽取", "5"}} {
		r := readRatio(c.cell, "", "")
		if r.flag != "" || r.r.Percent != c.pct || r.r.Note != "" || (c.cell == "5% 以上" && !r.r.AtLeast) {
			t.Errorf("%q: %+v (flag %q), want %s%% without a note", c.cell, r.r, r.flag, c.pct)
		}
	}
	if k := kinds(p.Tasks[3]); len(k) != 0 {
		t.Errorf("task 4: flags %q, want none", k)
	}
	for _, c := range []struct{ f, eg string }{{"每半年开展一次", "5%，每半年1次"}, {"每季度开展一次", "5%，每季度1次"}, {"每月检查2次", "5%，每月2次"}, {"2次/年", "5%，2次/年"}} {
		eg, yearly := modeFrequencyExample(p.Tasks[0].Ratio, c.f)
		if yearly || eg != c.eg {
			t.Errorf("modeFrequencyExample(%s) = %q, %v; want %q", c.f, eg, yearly, c.eg)
		}
		if _, err := ParseRatioGiven(eg); err != nil {
			t.Errorf("the flag's example --ratio %q is refused: %v", eg, err)
		}
	}
	if _, yearly := modeFrequencyExample(p.Tasks[0].Ratio, "每年开展一次"); !yearly {
		t.Errorf("每年开展一次 flagged: once a year is what a ratio means")
	}
}

// TestYearCodesAndYearWords: a 序号 that is a plan's year-prefixed code (2023001) numbers its
// task; a longer run of digits, or seven that do not start with a year, is no 序号; a year
// before a word of the year (2020年全年, 2020年度) is that word in that year.
func TestYearCodesAndYearWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{{"2023001", true}, {"2023000123", true}, {"13912345678", false}, {"1234567", false}, {"202301", true}} {
		rd := &reader{}
		n, _, ok := rd.readSeq(c.in)
		if ok != c.want || ok && strconv.Itoa(n) != c.in {
			t.Errorf("readSeq(%s) = %d, %v; want a task numbered %s: %v", c.in, n, ok, c.in, c.want)
		}
	}
	for _, c := range []struct {
		in             string
		from, to, year int
	}{{"2020年全年", 1, 12, 2020}, {"2020年度", 1, 12, 2020}, {"2024年上半年", 1, 6, 2024}, {"2023年第三季度", 7, 9, 2023},
		// Every word of a year, not a list of some: the quarters written in figures, a range
		// of quarters, the year's end, a note in brackets after the word.
		{"2021年1季度", 1, 3, 2021}, {"2022年第二至第三季度", 4, 9, 2022}, {"2023年度第三季度", 7, 9, 2023}, {"2023年度3月至10月", 3, 10, 2023}, {"2020年年底前", 1, 12, 2020}, {"2024年下半年（具体时间另行通知）", 7, 12, 2024}} {
		w, err := ParseWindow(c.in)
		if err != nil || w.From != c.from || w.To != c.to || w.Year != c.year {
			t.Errorf("ParseWindow(%q) = %+v, %v; want %d–%d of %d", c.in, w, err, c.from, c.to, c.year)
		}
	}
	for _, bad := range []string{"2020年明年", "2023年", "2023年（待定）", "2023年度度"} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("%s read as a window", bad)
		}
	}
}

// TestParseDeadline: a 完成时限 cell is a window when it writes one, else the date to finish
// by, from January.
func TestParseDeadline(t *testing.T) {
	for _, c := range []struct {
		in, by   string
		from, to int
	}{
		{"10月", "10月底前", 1, 10},
		{"10月份", "10月底前", 1, 10},
		{"10月15日", "10月15日前", 1, 10},
		{"10月底", "10月底前", 1, 10},
		{"2023年10月", "2023年10月底前", 1, 10},
		{"3月—5月", "", 3, 5},
		{"全年", "", 1, 12},
	} {
		w, by, _, err := parseDeadline(c.in)
		if err != nil || by != c.by || w.From != c.from || w.To != c.to || w.Text != c.in {
			t.Errorf("parseDeadline(%q) = %+v, %q, %v; want %d–%d read as %q", c.in, w, by, err, c.from, c.to, c.by)
		}
	}
	if _, _, _, err := parseDeadline("根据工作需要确定"); err == nil {
		t.Errorf("a cell with no date read as a deadline")
	}
}

// TestHeaderWordsOfPublishedPlans: header cells published plans use for columns the reader
// knows — 计划任务实施时段 (黄石 2024's time column), 检查项目 (a district 教育局's task name) —
// and a header a page cut off after 及 (孝感 2024 生态环境: 检查部门及 for 检查部门及实施层级),
// which names the column its words before 及 name, after every whole header.
func TestHeaderWordsOfPublishedPlans(t *testing.T) {
	text := "序号\t检查项目\t检查对象\t检查比例\t计划任务实施时段\t检查部门及\n" +
		"1\t民办学校年检\t民办学校\t20%\t2023年6-12月\t县级以上教育部门\n"
	p, err := Parse(strings.NewReader(text), "words.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	tk := p.Tasks[0]
	if tk.Name != "民办学校年检" || tk.Window.From != 6 || tk.Window.To != 12 || tk.Window.Year != 2023 ||
		tk.Initiator != "县级以上教育部门" || len(tk.Flags) != 0 {
		t.Errorf("task %+v, want 民办学校年检 in 2023年6–12月 by 县级以上教育部门, no flag", tk)
	}
	for _, pr := range p.Problems {
		if pr.Kind == LintProblem {
			t.Errorf("column left unread: %s", pr.Message)
		}
	}
	// A whole header wins over one read without its cut-off end.
	for _, c := range []struct {
		cells []string
		col   int
	}{
		{[]string{"序号", "抽查事项", "检查部门及", "检查部门"}, 3},
		{[]string{"序号", "抽查事项", "检查部门", "检查部门及"}, 2},
	} {
		h, ok := headerOf(c.cells)
		if !ok || h.col[colInitiator] != c.col || len(h.ignored) != 1 {
			t.Errorf("headerOf(%q): %+v, want the initiator in column %d and the other ignored", c.cells, h, c.col)
		}
	}
	if _, _, ok := matchHeader("及"); ok {
		t.Errorf("及 alone names a column")
	}
	for _, c := range []struct {
		in             string
		from, to, year int
	}{{"2023年6-12月", 6, 12, 2023}, {"2024年3—12月", 3, 12, 2024}, {"2023年7月", 7, 7, 2023}} {
		w, err := ParseWindow(c.in)
		if err != nil || w.From != c.from || w.To != c.to || w.Year != c.year {
			t.Errorf("ParseWindow(%q) = %+v, %v; want %d–%d of %d", c.in, w, err, c.from, c.to, c.year)
		}
	}
	for _, bad := range []string{"2023年12-6月", "2023年6-13月"} {
		if w, err := ParseWindow(bad); err == nil {
			t.Errorf("ParseWindow(%q) = %+v, want it refused", bad, w)
		}
	}
}

// TestIgnoredHeaderNote: a header cell left unread because another cell of the table names
// its column better is said to be that column (莱阳 2022: 抽查内容 beside 抽查事项), not "not a
// known column".
func TestIgnoredHeaderNote(t *testing.T) {
	text := "序号\t抽查事项\t抽查对象\t抽查内容\t抽查比例\t检查时间\t检查依据\n1\t甲\t企业\t乙\t5%\t全年\t法\n"
	p, err := Parse(strings.NewReader(text), "dup.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"抽查内容": "与“抽查事项”都是抽查事项列", "检查依据": "不是已知的列"}
	for _, pr := range p.Problems {
		if w, ok := want[pr.Cell]; ok {
			if !strings.Contains(pr.Message, w) {
				t.Errorf("%s: %q, want it to say %q", pr.Cell, pr.Message, w)
			}
			delete(want, pr.Cell)
		}
	}
	if len(want) > 0 {
		t.Errorf("no note for %v (problems %+v)", want, p.Problems)
	}
}
