package export

import (
	"fmt"
	"time"

	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/workday"
)

// ResultWorkdays is the time allowed to publish results: 20 working days after the
// inspection ends.
const ResultWorkdays = 20

// Window returns the first and last day of the task's inspection window (UTC midnight):
// the months of the plan's window (plan.Window) in the draw's plan year (Manifest.Year).
func Window(m *draw.Manifest) (from, to time.Time, err error) {
	w := m.TaskInfo.Window
	if w.From < 1 || w.To > 12 || w.From > w.To {
		return from, to, fmt.Errorf("任务 %s 的检查时间 %q 不是有效的月份区间（%d–%d月）", m.Task, w.Text, w.From, w.To)
	}
	y := m.Year
	if y < 1 || y > 9999 {
		return from, to, fmt.Errorf("抽取清单中没有有效的计划年度（year: %d），无法确定检查日期", m.Year)
	}
	return w.FirstDay(y), w.LastDay(y), nil
}

// PublicationDeadline is the last day to publish the results: ResultWorkdays working days
// after the window's last day, on cal (nil: the State Council's embedded schedule). The
// Deadline's Note says when a year without a schedule was counted by weekends only.
func PublicationDeadline(m *draw.Manifest, cal *workday.Calendar) (workday.Deadline, error) {
	_, to, err := Window(m)
	if err != nil {
		return workday.Deadline{}, err
	}
	if cal == nil {
		cal = workday.Official()
	}
	return cal.After(to, ResultWorkdays), nil
}

// DeadlineMethod explains, for the documents, how a deadline was counted.
func DeadlineMethod(m *draw.Manifest, d workday.Deadline) string {
	s := fmt.Sprintf("检查时间最后一天（%s）后第%d个工作日；按国务院办公厅公布的节假日和调休安排计算（法定节假日不计，调休上班的周六、周日计入）", windowText(m), ResultWorkdays)
	if n := d.Note(); n != "" {
		s += "；" + n
	}
	return s
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

// LocalTime shows a stored RFC 3339 time (manifest created_at, a ledger entry's time) in loc
// with its offset, "2026-04-01 17:30:00 +08:00"; nil loc is Beijing time, as on documents. A
// value that does not parse is shown as stored. The CLI's tables and the web page both use it.
func LocalTime(loc *time.Location, stored string) string {
	t, err := time.Parse(time.RFC3339, stored)
	if err != nil {
		return stored
	}
	if loc == nil {
		loc = beijing
	}
	return t.In(loc).Format("2006-01-02 15:04:05 -07:00")
}
