package export

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/choucha/choucha/draw"
)

// ResultWorkdays is the time allowed to publish results: 20 working days after the
// inspection ends.
const ResultWorkdays = 20

// Deadline is the day `workdays` working days after windowEnd: Saturdays and Sundays are
// skipped; public holidays and their make-up working days (调休) are not known to choucha,
// so around 国庆 or 春节 the real deadline is later — the template says so.
func Deadline(windowEnd time.Time, workdays int) time.Time {
	d := time.Date(windowEnd.Year(), windowEnd.Month(), windowEnd.Day(), 0, 0, 0, 0, time.UTC)
	for n := 0; n < workdays; {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return d
}

var yearInID = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)

// PlanYear is the year of the draw's plan: the four-digit year in the plan id or task key
// (CZ2026 → 2026), else the year of created_at.
func PlanYear(m *draw.Manifest) (int, error) {
	for _, s := range []string{m.Plan.ID, m.Task} {
		if g := yearInID.FindStringSubmatch(s); g != nil {
			return strconv.Atoi(g[1])
		}
	}
	if t, err := time.Parse(time.RFC3339, m.CreatedAt); err == nil {
		return t.UTC().Year(), nil
	}
	return 0, fmt.Errorf("无法确定抽查计划年度（计划编号 %q、任务编号 %q、抽取时间 %q 中都没有年份）", m.Plan.ID, m.Task, m.CreatedAt)
}

// Window returns the first and last day of the task's inspection window (UTC midnight).
func Window(m *draw.Manifest) (from, to time.Time, err error) {
	w := m.TaskInfo.Window
	if w.From < 1 || w.To > 12 || w.From > w.To {
		return from, to, fmt.Errorf("任务 %s 的检查时间 %q 不是有效的月份区间（%d–%d月）", m.Task, w.Text, w.From, w.To)
	}
	y, err := PlanYear(m)
	if err != nil {
		return from, to, err
	}
	from = time.Date(y, time.Month(w.From), 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(y, time.Month(w.To)+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return from, to, nil
}

// PublicationDeadline is the last day to publish the results: ResultWorkdays working days
// after the window's last day.
func PublicationDeadline(m *draw.Manifest) (time.Time, error) {
	_, to, err := Window(m)
	if err != nil {
		return time.Time{}, err
	}
	return Deadline(to, ResultWorkdays), nil
}

// ChineseDate writes a date as 2026年7月28日.
func ChineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// windowText is the window as dates ("2026年4月1日至2026年6月30日"), or the plan's text
// when it cannot be turned into dates.
func windowText(m *draw.Manifest) string {
	from, to, err := Window(m)
	if err != nil {
		return m.TaskInfo.Window.Text
	}
	return ChineseDate(from) + "至" + ChineseDate(to)
}
