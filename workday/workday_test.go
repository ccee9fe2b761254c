package workday

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// The expected dates are counted by hand on the calendar from the notices (see
// schedule.yaml): holidays skipped, make-up Saturdays/Sundays counted.
func TestAfterOfficialSchedule(t *testing.T) {
	c := Official()
	tests := []struct {
		name, end string
		n         int
		want      string
		unknown   []int
	}{
		// 春节 2026: off 2/15–2/23, work Sat 2/14 and Sat 2/28. Working days after Sat 1/31:
		// 2/2–2/6 (5), 2/9–2/13 (10), Sat 2/14 (11), 2/24–2/27 (15), Sat 2/28 (16), 3/2–3/5 (20).
		{"春节2026", "2026-01-31", 20, "2026-03-05", nil},
		// 国庆 2026: off 10/1–10/7, work Sat 10/10. After Wed 9/30: 10/8, 10/9 (2), Sat 10/10 (3),
		// 10/12–16 (8), 10/19–23 (13), 10/26–30 (18), 11/2 (19), 11/3 (20).
		{"国庆2026", "2026-09-30", 20, "2026-11-03", nil},
		// Sun 9/20 is worked, Fri 9/25 (中秋) is not: the two cancel out by 9/28.
		{"中秋2026", "2026-08-31", 20, "2026-09-28", nil},
		{"国庆2026第1个工作日", "2026-09-30", 1, "2026-10-08", nil},
		{"国庆2026调休周六", "2026-09-30", 3, "2026-10-10", nil},
		{"春节2026调休周六", "2026-02-13", 1, "2026-02-14", nil},
		{"春节2026节后", "2026-02-14", 1, "2026-02-24", nil},
		// No holiday in July: plain weekdays.
		{"7月", "2026-06-30", 20, "2026-07-28", nil},
		// 国庆、中秋 2025: off 10/1–10/8, work Sat 10/11. After Tue 9/30: 10/9, 10/10 (2), 10/11 (3),
		// 10/13–17 (8), 10/20–24 (13), 10/27–31 (18), 11/3 (19), 11/4 (20).
		{"国庆2025", "2025-09-30", 20, "2025-11-04", nil},
		// 春节 2025: off 1/28–2/4, work Sun 1/26 and Sat 2/8. After Fri 1/24: Sun 1/26 (1), 1/27 (2),
		// 2/5–2/7 (5), Sat 2/8 (6).
		{"春节2025", "2025-01-24", 6, "2025-02-08", nil},
		// 2027 is not in the schedule: weekends only, and said so. After Thu 2026-12-31:
		// Fri 1/1 (1), 1/4–8 (6), 1/11–15 (11), 1/18–22 (16), 1/25–28 (20).
		{"跨入2027", "2026-12-31", 20, "2027-01-28", []int{2027}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.After(day(tc.end), tc.n)
			if g := got.Date.Format("2006-01-02"); g != tc.want {
				t.Errorf("After(%s, %d) = %s, want %s", tc.end, tc.n, g, tc.want)
			}
			if !slices.Equal(got.Unknown, tc.unknown) {
				t.Errorf("Unknown = %v, want %v", got.Unknown, tc.unknown)
			}
			if (got.Note() == "") != (len(tc.unknown) == 0) {
				t.Errorf("Note() = %q", got.Note())
			}
		})
	}
}

func TestIsWorkday(t *testing.T) {
	c := Official()
	for _, tc := range []struct {
		d           string
		work, known bool
	}{
		{"2026-10-01", false, true}, // 国庆
		{"2026-10-10", true, true},  // Saturday, 调休上班
		{"2026-10-11", false, true}, // plain Sunday
		{"2026-10-12", true, true},
		{"2026-01-04", true, true},  // Sunday, 调休上班
		{"2026-02-23", false, true}, // Monday inside 春节
		{"2025-01-01", false, true},
		{"2027-01-01", true, false}, // no 2027 schedule: Friday
		{"2024-10-01", true, false},
	} {
		w, k := c.IsWorkday(DateOf(day(tc.d)))
		if w != tc.work || k != tc.known {
			t.Errorf("IsWorkday(%s) = %v,%v, want %v,%v", tc.d, w, k, tc.work, tc.known)
		}
	}
	if got := c.Years(); !slices.Equal(got, []int{2025, 2026}) {
		t.Errorf("Years() = %v", got)
	}
	for _, y := range c.Years() {
		if !strings.Contains(c.Schedule(y).Source, "国务院办公厅") {
			t.Errorf("%d: source %q does not cite the notice", y, c.Schedule(y).Source)
		}
	}
}

func TestReadLocalSchedule(t *testing.T) {
	src := `years:
  - year: 2027
    source: 假设的安排（测试）
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    workdays: [2027-01-09]
  - year: 2026
    source: 本地安排（测试）：只放国庆
    holidays:
      - {name: 国庆节, from: 2026-10-01, to: 2026-10-02}
`
	c, err := Read(strings.NewReader(src), "local.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Years(), []int{2025, 2026, 2027}) {
		t.Fatalf("Years() = %v", c.Years())
	}
	// 2026 replaced: 10/5 is a working day now, 2/16 (official 春节) too.
	for _, tc := range []struct {
		d    string
		work bool
	}{{"2026-10-05", true}, {"2026-02-16", true}, {"2026-10-02", false}, {"2027-01-01", false}, {"2027-01-09", true}, {"2025-10-08", false}} {
		if w, k := c.IsWorkday(DateOf(day(tc.d))); w != tc.work || !k {
			t.Errorf("IsWorkday(%s) = %v,%v, want %v,true", tc.d, w, k, tc.work)
		}
	}
	// After Thu 2026-12-31 with the local 2027: 1/4–1/8 (5), Sat 1/9 (6).
	if d := c.After(day("2026-12-31"), 6); d.Date.Format("2006-01-02") != "2027-01-09" || len(d.Unknown) != 0 {
		t.Errorf("After = %v %v, want 2027-01-09 with no unknown year", d.Date, d.Unknown)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "没有任何年份"},
		{"years: []", "没有任何年份"},
		{"year: 2027", "格式有误"},
		{"years:\n  - year: 2027\n    holidays:\n      - {name: x, from: 2027-13-01, to: 2027-13-02}", "应写成"},
		{"years:\n  - year: 2027\n    holidays:\n      - {name: x, from: 2026-12-31, to: 2027-01-02}", "不在该年内"},
		{"years:\n  - year: 2027\n    holidays:\n      - {name: x, from: 2027-01-03, to: 2027-01-01}", "早于"},
		{"years:\n  - year: 2027\n    holidays:\n      - {name: x, from: 2027-01-01, to: 2027-01-03}\n      - {name: y, from: 2027-01-03, to: 2027-01-04}", "同时属于"},
		{"years:\n  - year: 2027\n    workdays: [2027-01-04]", "本来就是工作日"},
		{"years:\n  - year: 2027\n    holidays:\n      - {name: x, from: 2027-01-01, to: 2027-01-03}\n    workdays: [2027-01-02]", "既是"},
		{"years:\n  - year: 2027\n  - year: 2027", "两次"},
		{"years:\n  - year: 2027\n    holiday: []", "格式有误"},
		{"years:\n  - year: 12", "年份 12 无效"},
	} {
		_, err := Read(strings.NewReader(tc.src), "bad.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("Read(%q) error = %v, want one naming bad.yaml with %q", tc.src, err, tc.want)
		}
	}
}
