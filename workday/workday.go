// Package workday counts working days (工作日) in mainland China: Monday to Friday, except
// the statutory holidays, plus the weekend days made working days (调休上班), following the
// schedule the General Office of the State Council publishes every year.
//
// The schedules of the years choucha knows are embedded (schedule.yaml, each year citing
// its notice). A year without a schedule is never guessed silently: counting across it
// skips weekends only, and the Deadline says which years were unknown so the output can
// say so. Local or later schedules come from a YAML file in the same format (Load).
//
// Days are calendar dates: a time.Time is read by its Year, Month and Day in whatever
// location it carries, and the dates returned are midnight UTC.
package workday

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/yamltext"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed schedule.yaml
var officialYAML []byte

// Year is the published schedule of one year.
type Year struct {
	Year   int
	Source string
	// Off are the holiday days (放假, weekends inside a holiday included), with the holiday's name.
	Off map[Date]string
	// On are the weekend days that are working days (调休上班).
	On map[Date]bool
}

// Date is a calendar day.
type Date struct {
	Y int
	M time.Month
	D int
}

// DateOf is the calendar day of t in t's location.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// Time is the day at midnight UTC.
func (d Date) Time() time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }

func (d Date) String() string { return d.Time().Format("2006-01-02") }

// Calendar holds the schedules of the years it knows.
type Calendar struct {
	years map[int]*Year
}

// Official is the embedded calendar of the State Council's notices.
func Official() *Calendar {
	c, err := parse(officialYAML, "内置节假日安排")
	if err != nil {
		panic("workday: embedded schedule.yaml: " + err.Error()) // a build defect, pinned by tests
	}
	return c
}

// Load reads a schedule file (same format as schedule.yaml) and returns the official
// calendar with the file's years added; a year in the file replaces the official one.
func Load(path string) (*Calendar, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取节假日安排: %w", apperr.FromOS(path, err))
	}
	return Read(bytes.NewReader(b), path)
}

// Read is Load from a reader; name is used in errors.
func Read(r io.Reader, name string) (*Calendar, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("读取节假日安排 %s: %w", name, err)
	}
	local, err := parse(b, name)
	if err != nil {
		return nil, err
	}
	c := Official()
	for y, s := range local.years {
		c.years[y] = s
	}
	return c, nil
}

type fileYAML struct {
	Years []struct {
		Year     int    `yaml:"year"`
		Source   string `yaml:"source"`
		Holidays []struct {
			Name string `yaml:"name"`
			From string `yaml:"from"`
			To   string `yaml:"to"`
		} `yaml:"holidays"`
		Workdays []string `yaml:"workdays"`
	} `yaml:"years"`
}

func parse(b []byte, name string) (*Calendar, error) {
	var f fileYAML
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamltext.Error("节假日安排 "+name, err)
	}
	if len(f.Years) == 0 {
		return nil, fmt.Errorf("节假日安排 %s 中没有任何年份（应有 years: 列表，格式见内置 schedule.yaml）", name)
	}
	c := &Calendar{years: map[int]*Year{}}
	for _, fy := range f.Years {
		where := fmt.Sprintf("节假日安排 %s 的 %d 年", name, fy.Year)
		if fy.Year < 1949 || fy.Year > 9999 {
			return nil, fmt.Errorf("节假日安排 %s: 年份 %d 无效", name, fy.Year)
		}
		if _, dup := c.years[fy.Year]; dup {
			return nil, fmt.Errorf("%s出现了两次", where)
		}
		y := &Year{Year: fy.Year, Source: strings.TrimSpace(fy.Source), Off: map[Date]string{}, On: map[Date]bool{}}
		day := func(s string) (Date, error) {
			t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
			if err != nil {
				return Date{}, fmt.Errorf("%s: 日期 %q 应写成 2026-10-01 的形式", where, s)
			}
			if t.Year() != fy.Year {
				return Date{}, fmt.Errorf("%s: 日期 %s 不在该年内", where, s)
			}
			return DateOf(t), nil
		}
		for _, h := range fy.Holidays {
			from, err := day(h.From)
			if err != nil {
				return nil, err
			}
			to, err := day(h.To)
			if err != nil {
				return nil, err
			}
			if to.Time().Before(from.Time()) {
				return nil, fmt.Errorf("%s: %s 的结束日 %s 早于开始日 %s", where, h.Name, to, from)
			}
			for t := from.Time(); !t.After(to.Time()); t = t.AddDate(0, 0, 1) {
				if prev, ok := y.Off[DateOf(t)]; ok {
					return nil, fmt.Errorf("%s: %s 同时属于 %s 和 %s", where, DateOf(t), prev, h.Name)
				}
				y.Off[DateOf(t)] = strings.TrimSpace(h.Name)
			}
		}
		for _, s := range fy.Workdays {
			d, err := day(s)
			if err != nil {
				return nil, err
			}
			if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, fmt.Errorf("%s: 调休上班日 %s 是%s，本来就是工作日", where, d, weekdayName[wd])
			}
			if h, ok := y.Off[d]; ok {
				return nil, fmt.Errorf("%s: %s 既是 %s 的放假日又是调休上班日", where, d, h)
			}
			y.On[d] = true
		}
		c.years[fy.Year] = y
	}
	return c, nil
}

var weekdayName = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// Years are the years the calendar knows, ascending.
func (c *Calendar) Years() []int {
	var ys []int
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Schedule is the schedule of one year, or nil when the calendar does not know it.
func (c *Calendar) Schedule(year int) *Year { return c.years[year] }

// IsWorkday tells whether d is a working day; known is false when d's year has no schedule
// (then the answer is Monday to Friday).
func (c *Calendar) IsWorkday(d Date) (work, known bool) {
	wd := d.Time().Weekday()
	weekday := wd != time.Saturday && wd != time.Sunday
	y := c.years[d.Y]
	if y == nil {
		return weekday, false
	}
	if _, off := y.Off[d]; off {
		return false, true
	}
	return weekday || y.On[d], true
}

// Deadline is the result of counting working days.
type Deadline struct {
	Date time.Time // midnight UTC
	// Unknown are the years counted through without a schedule (weekends skipped only).
	Unknown []int
}

// After is the day n working days after day (day itself not counted; n ≥ 1).
func (c *Calendar) After(day time.Time, n int) Deadline {
	d := DateOf(day).Time()
	var unknown []int
	for k := 0; k < n; {
		d = d.AddDate(0, 0, 1)
		work, known := c.IsWorkday(DateOf(d))
		if !known && !slices.Contains(unknown, d.Year()) {
			unknown = append(unknown, d.Year())
		}
		if work {
			k++
		}
	}
	return Deadline{Date: d, Unknown: unknown}
}

// Note is the caveat for an output: "" when every year counted had a schedule, else which
// years were counted by weekends only.
func (d Deadline) Note() string {
	if len(d.Unknown) == 0 {
		return ""
	}
	ys := make([]string, len(d.Unknown))
	for i, y := range d.Unknown {
		ys[i] = strconv.Itoa(y) + "年"
	}
	return fmt.Sprintf("未收录%s的节假日安排，该年只跳过周六、周日，遇法定节假日请顺延（可用 --holidays 文件 提供安排）", strings.Join(ys, "、"))
}
