package roster

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/internal/apperr"
)

// The rosters of testdata/rosters/forms (made by its make.py from gen_roster.py output) hold
// one planted row of each form an office's export has; pingshun-export.kinds.tsv lists them
// with the firm's true identifier. What each form must become is written here by hand from
// the rules of docs/ROSTER.md.

const forms = "../testdata/rosters/forms/"

type formRow struct {
	row            int
	kind, trueID   string
	usccIn, regnIn string
}

func readKinds(t *testing.T) []formRow {
	t.Helper()
	f, err := os.Open(forms + "pingshun-export.kinds.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []formRow
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		n, err := strconv.Atoi(p[0])
		if err != nil || len(p) != 5 {
			t.Fatalf("bad kinds line %q", sc.Text())
		}
		out = append(out, formRow{n, p[1], p[2], p[3], p[4]})
	}
	if len(out) != 60 {
		t.Fatalf("%d kinds rows, want 60", len(out))
	}
	return out
}

// verdict is what a planted form must give: its issue codes in order, and whether it is in
// the frame under its true identifier.
type verdict struct {
	codes []string
	kept  bool
}

// asStored: the file holds the values as the workbook stores them (xlsx, or csv written from
// the stored values): every exact number is usable.
var asStored = map[string]verdict{
	"uscc":                   {nil, true},
	"uscc+regno":             {nil, true},                                        // the USCC wins; the 注册号 is not needed
	"regno_only":             {[]string{CodeLegacyRegNo}, true},                  // no USCC: the 注册号, saying why
	"float_uscc+regno":       {[]string{CodeLegacyRegNo}, true},                  // the USCC lost digits: the 注册号 of the row
	"float_uscc":             {[]string{CodeNumericID}, false},                   // lost digits and nothing else: out
	"regno_number":           {[]string{CodeLegacyRegNo}, true},                  // a 15-digit number is exact in a double
	"regno_float":            {[]string{CodeLegacyRegNo}, true},                  // so is 140425107890426.0
	"coop_uscc":              {nil, true},                                        // 93…: a cooperative's USCC
	"coop_regno":             {[]string{CodeLegacyRegNo}, true},                  // 140425NA…: the cooperative form
	"regno13":                {[]string{CodeLegacyRegNo}, true},                  // 13 digits, a number cell
	"regno13_in_code_column": {[]string{CodeLegacyRegNo}, true},                  // a 注册号 written in the USCC column
	"bad_regno":              {[]string{CodeBadRegNo}, false},                    // check digit off: a typo, never a key
	"getihu_nameless":        {[]string{CodeNoTradeName}, true},                  // 92…, no 字号: drawable
	"getihu_nameless_regno":  {[]string{CodeLegacyRegNo, CodeNoTradeName}, true}, // 注册号 with sequence 6…
	"nameless_firm":          {[]string{CodeMissingName}, false},                 // an enterprise must have a name
	"class_blank":            {[]string{CodeUnclassified}, true},                 // blank class: B, counted
}

// asDisplayed: the csv Excel writes from what a General-format column shows (1.40425E+14):
// every number longer than 11 digits lost its digits.
var asDisplayed = func() map[string]verdict {
	m := map[string]verdict{}
	for k, v := range asStored {
		m[k] = v
	}
	for _, k := range []string{"float_uscc+regno", "regno_number", "regno_float", "regno13"} {
		m[k] = verdict{[]string{CodeNumericID}, false}
	}
	return m
}()

// checkForms reads file and checks every planted row against want; rowShift is added to the
// sheet rows of the kinds list (-1 for a file without the title row); noClass says the file
// has no class column.
func checkForms(t *testing.T, file string, opt Options, want map[string]verdict, rowShift int, noClass bool) *Report {
	t.Helper()
	fr, rep := readFirms(t, file, opt)
	kinds := readKinds(t)
	byRow := map[int][]string{}
	for _, is := range rep.Issues {
		byRow[is.Row] = append(byRow[is.Row], is.Code)
	}
	inFrame := map[string]Firm{}
	for _, f := range fr.Firms {
		inFrame[f.Key] = f
	}
	truth := map[string]bool{}
	for _, k := range kinds {
		truth[k.trueID] = true
	}
	// No code that is not a real firm's code can enter the frame.
	for key := range inFrame {
		if !truth[key] {
			t.Errorf("%s: frame key %s is no firm's identifier", filepath.Base(file), key)
		}
	}
	kept := 0
	for _, k := range kinds {
		row := k.row + rowShift
		v, ok := want[k.kind]
		if !ok {
			t.Fatalf("no verdict for kind %q", k.kind)
		}
		if got := byRow[row]; !reflect.DeepEqual(got, v.codes) {
			t.Errorf("%s row %d (%s): issues %v, want %v", filepath.Base(file), row, k.kind, got, v.codes)
		}
		delete(byRow, row)
		f, in := inFrame[k.trueID]
		if in != v.kept {
			t.Errorf("%s row %d (%s): in frame %v, want %v", filepath.Base(file), row, k.kind, in, v.kept)
			continue
		}
		if !in {
			continue
		}
		kept++
		if f.Row != row {
			t.Errorf("%s: %s at row %d, want %d", filepath.Base(file), k.trueID, f.Row, row)
		}
		switch k.kind {
		case "getihu_nameless", "getihu_nameless_regno":
			if f.Name != NamelessGetihu || f.Values[3] != NamelessGetihu+f.LegalRep || f.LegalRep == "" {
				t.Errorf("%s row %d: name %q, list cell %q", filepath.Base(file), row, f.Name, f.Values[3])
			}
		case "class_blank":
			if f.Class != ClassB || f.Unclassified == noClass {
				t.Errorf("%s row %d: class %q unclassified %v", filepath.Base(file), row, f.Class, f.Unclassified)
			}
		}
	}
	// Header-row warnings only (the title and header rows).
	for row, codes := range byRow {
		if row > 2+rowShift {
			t.Errorf("%s row %d: unexpected issues %v", filepath.Base(file), row, codes)
		}
	}
	if rep.Rows != 60 || rep.Eligible != kept || len(fr.Firms) != kept {
		t.Errorf("%s: rows %d eligible %d firms %d, want 60 rows and %d kept", filepath.Base(file), rep.Rows, rep.Eligible, len(fr.Firms), kept)
	}
	return rep
}

// xlsx, UTF-8 csv, GBK csv and a pinyin-header GBK csv of the same data: the same verdicts,
// the same issue codes, the same frame.
func TestFormsSameInEveryFormat(t *testing.T) {
	var hash string
	for _, c := range []struct {
		file  string
		shift int
	}{
		{"pingshun-export.xlsx", 0}, {"pingshun-export.csv", 0}, {"pingshun-export-gbk.csv", 0},
		{"pingshun-export-pinyin.csv", -1}, // no title row
	} {
		rep := checkForms(t, forms+c.file, Options{}, asStored, c.shift, false)
		if hash == "" {
			hash = rep.FrameSHA256
		} else if rep.FrameSHA256 != hash {
			t.Errorf("%s: frame %s, want %s as from the xlsx", c.file, rep.FrameSHA256, hash)
		}
		if rep.Unclassified != 1 || rep.NoClassColumn {
			t.Errorf("%s: unclassified %d, no class column %v", c.file, rep.Unclassified, rep.NoClassColumn)
		}
	}
	// 15 of the 60 rows are planted: 45 plain rows, and 12 of the planted ones are kept.
	_, rep := readFirms(t, forms+"pingshun-export.xlsx", Options{})
	if rep.Eligible != 45+12 {
		t.Errorf("eligible %d, want 57", rep.Eligible)
	}
}

// The csv Excel saves from what it shows: long numbers as 9.11404E+17 and 1.40425E+14. None
// of them becomes a key (before, 1.40425E+14 became the key 140425000000000, no firm's); the
// rows with a text identifier are the same as from the xlsx.
func TestFormsExcelDisplayCSV(t *testing.T) {
	for _, f := range []string{"pingshun-export-display.csv", "pingshun-export-display-gbk.csv"} {
		rep := checkForms(t, forms+f, Options{}, asDisplayed, 0, false)
		if rep.Eligible != 57-4 {
			t.Errorf("%s: eligible %d, want 53", f, rep.Eligible)
		}
		for _, is := range rep.Issues {
			if is.Code == CodeNumericID && !strings.Contains(is.Message, "文本") {
				t.Errorf("%s row %d: the message does not say to export the column as text: %s", f, is.Row, is.Message)
			}
		}
	}
}

// No class column: one warning on the header row, every firm B, the frame marked NoClasses;
// the blank-class row has no class cell to be blank in.
func TestFormsNoClassColumn(t *testing.T) {
	want := map[string]verdict{}
	for k, v := range asStored {
		want[k] = v
	}
	want["class_blank"] = verdict{nil, true}
	rep := checkForms(t, forms+"pingshun-export-noclass.xlsx", Options{}, want, 0, true)
	fr, _ := readFirms(t, forms+"pingshun-export-noclass.xlsx", Options{})
	if !rep.NoClassColumn || !fr.NoClasses || rep.Unclassified != 0 || rep.Classes[ClassB] != rep.Eligible {
		t.Errorf("no class column %v/%v, unclassified %d, classes %v", rep.NoClassColumn, fr.NoClasses, rep.Unclassified, rep.Classes)
	}
	if len(rep.Issues) == 0 || rep.Issues[0].Row != 2 || rep.Issues[0].Code != CodeNoClassColumn {
		t.Errorf("first issue %+v, want no_class_column on row 2", rep.Issues[0])
	}
}

// No district column: a district cannot filter it. Without a district nothing is said; with
// one, one warning on the header row, and every row stays in.
func TestFormsNoDistrictColumn(t *testing.T) {
	rep := checkForms(t, forms+"pingshun-export-nodistrict.csv", Options{}, asStored, 0, false)
	if rep.NoDistrictColumn {
		t.Error("no district asked for, yet no_district_column")
	}
	rep = checkForms(t, forms+"pingshun-export-nodistrict.csv", Options{District: "沁县"}, asStored, 0, false)
	n := 0
	for _, is := range rep.Issues {
		if is.Code == CodeNoDistrictColumn {
			n++
			if is.Row != 2 || !strings.Contains(is.Message, "沁县") || is.Level != LevelWarning {
				t.Errorf("%+v", is)
			}
		}
	}
	if n != 1 || !rep.NoDistrictColumn {
		t.Errorf("%d no_district_column issues, want 1", n)
	}
}

// An inspector roster as an office keeps it: two title lines, the department in 执法类别, no
// 在岗状态 column, 执法证有效期 as Excel serial day numbers.
func TestFormsInspectorTemplate(t *testing.T) {
	list, rep, err := ReadInspectors(context.Background(), forms+"pingshun-inspectors-template.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range rep.Issues {
		got = append(got, fmt.Sprintf("%d %s", is.Row, is.Code))
	}
	// The header is on row 3; both warnings are said once, there.
	if want := []string{"3 dept_from_category", "3 no_status_column"}; !reflect.DeepEqual(got, want) {
		t.Errorf("issues %v, want %v", got, want)
	}
	if len(list) != 12 || rep.Rows != 12 {
		t.Fatalf("%d inspectors of %d rows", len(list), rep.Rows)
	}
	day := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	depts := map[string]int{}
	for _, in := range list {
		depts[in.Dept]++
		if !in.OnDuty || in.ValidUntil.IsZero() {
			t.Errorf("%+v: want on duty with a validity date", in)
		}
		if in.Row == 7 {
			// Planted: serial 46022 = 2025-12-31, expired in 2026.
			if in.ValidUntil != time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC) {
				t.Errorf("row 7 valid until %v", in.ValidUntil)
			}
			if ok, why := in.EligibleOn(day); ok || why != "执法证已于 2025-12-31 到期" {
				t.Errorf("row 7: %v %s", ok, why)
			}
		}
	}
	want := map[string]int{"平顺县市场监督管理局": 4, "平顺县应急管理局": 4, "平顺县住房和城乡建设局": 4}
	if !reflect.DeepEqual(depts, want) {
		t.Errorf("departments %v, want %v", depts, want)
	}
	if err := NoneEligibleError("x", list, day); err != nil {
		t.Errorf("someone is eligible: %v", err)
	}
}

// No 执法证有效期 at all: a warning per row, and nobody eligible unless --assume-valid; the
// error counts the reasons by kind.
func TestFormsInspectorsWithoutValidity(t *testing.T) {
	file := forms + "pingshun-inspectors-novalidity.xlsx"
	list, rep, err := ReadInspectors(context.Background(), file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, is := range rep.Issues {
		switch {
		case is.Code == CodeNoValidity && is.Row >= 3 && strings.Contains(is.Message, "--assume-valid"):
			n++
		case is.Code == CodeNoStatusColumn && is.Row == 2:
		default:
			t.Errorf("unexpected issue %+v", is)
		}
	}
	if n != 12 || len(list) != 12 || list[0].Dept == "" {
		t.Fatalf("%d no_validity warnings, %d inspectors (dept %q)", n, len(list), list[0].Dept)
	}
	day := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	err = NoneEligibleError(file, list, day)
	if err == nil || !strings.Contains(err.Error(), "执法证有效期不明 12 人") || !strings.Contains(err.Error(), "12 名人员") {
		t.Fatalf("err %v", err)
	}
	var h *apperr.Error
	if !errors.As(err, &h) || !strings.Contains(h.Hint, "--assume-valid") {
		t.Errorf("hint %+v", h)
	}
	list, rep, err = ReadInspectors(context.Background(), file, Options{AssumeValid: true})
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := Ineligibility(list, day); e != 12 || !rep.AssumedValid {
		t.Errorf("with --assume-valid: %d eligible", e)
	}
}

// Reasons are counted by kind; an inspector may count under two.
func TestIneligibilityByKind(t *testing.T) {
	day := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	valid := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	list := []Inspector{
		{ID: "1", OnDuty: false, Status: "休假", ValidUntil: valid},
		{ID: "2", OnDuty: true, ValidUntil: old},
		{ID: "3", OnDuty: false, ValidUntil: old},
		{ID: "4", OnDuty: true, ValidityUnknown: true},
		{ID: "5", OnDuty: true, BadDate: true},
	}
	n, by := Ineligibility(list, day)
	want := map[string]int{ReasonOffDuty: 2, ReasonExpired: 2, ReasonValidityUnknown: 1, ReasonBadDate: 1}
	if n != 0 || !reflect.DeepEqual(by, want) {
		t.Errorf("eligible %d, by kind %v; want 0, %v", n, by, want)
	}
	err := NoneEligibleError("人员.xlsx", list, day)
	if err == nil || err.Error() != "执法检查人员名录 人员.xlsx 中 5 名人员在 2026-06-30 都不可选派：不在岗 2 人，执法证已到期 2 人，执法证有效期不明 1 人，执法证有效期无法识别 1 人" {
		t.Errorf("err %v", err)
	}
	list = append(list, Inspector{ID: "6", OnDuty: true, ValidityUnknown: true, AssumedValid: true})
	if n, _ := Ineligibility(list, day); n != 1 || NoneEligibleError("x", list, day) != nil {
		t.Errorf("an assumed-valid inspector is eligible: %d", n)
	}
}

func TestParseValidity(t *testing.T) {
	for in, want := range map[string]string{
		"2027-12-31": "2027-12-31", "46387": "2026-12-31", "46387.0": "2026-12-31", "46387.75": "2026-12-31",
		"2023-01-01至2027-12-31": "2027-12-31", "2023.01.01-2027.12.31": "2027-12-31", "2023年1月1日～2027年12月31日": "2027-12-31",
		"长期": "9999-12-31", "长期有效": "9999-12-31", "2027年6月30日": "2027-06-30",
		// A date-time as platforms export it: the day.
		"2027-05-30 00:00:00": "2027-05-30", "2027/5/30 0:00": "2027-05-30", "2023-01-01 00:00:00至2027-12-31 00:00:00": "2027-12-31",
		"2023-01-01 00:00:00-2027-12-31 23:59:59": "2027-12-31", "2027-05-30T00:00:00": "2027-05-30",
	} {
		got, ok := parseValidity(in)
		if !ok || got.Format("2006-01-02") != want {
			t.Errorf("parseValidity(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	// A year alone in a date column (成立日期 2015) is shown as written, not as 1905-07-07.
	if d, ok := serialDate("2015"); ok {
		t.Errorf("serialDate(2015) = %s, want no date", d)
	}
	if d, ok := serialDate("41789"); !ok || d != "2014-05-30" {
		t.Errorf("serialDate(41789) = %s, %v", d, ok)
	}
	// "2027": a year alone, not Excel's serial 2027 (1905-07-19).
	for _, in := range []string{"", "见附件", "2027-13-01", "至2027", "46387.5.1", "2027"} {
		if got, ok := parseValidity(in); ok {
			t.Errorf("parseValidity(%q) = %v, want unreadable", in, got)
		}
	}
}

// FuzzResolveID: whatever the two cells hold, a key is one of the accepted forms, is one of
// the cells (canonicalised, or the exact integer of a plain decimal), and never comes from
// scientific notation.
func FuzzResolveID(f *testing.F) {
	for _, s := range [][2]string{
		{"91110000600037341L", ""}, {"9.11404300857757E+17", "140403824667488"}, {"", "140425NA0073171"},
		{"911404300857757000", "1404256526390.0"}, {"4.69007E+14", "4.69007E+14"}, {"９１１１", "1.40403824667488e14"},
		{"91110000600037341M", "140403824667485"}, {"140403824667488.00", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, code, reg string) {
		key, _, notes := resolveID(code, reg)
		if len(notes) > 1 {
			t.Fatalf("%d notes", len(notes))
		}
		if key == "" {
			if len(notes) != 1 || notes[0].level != LevelError {
				t.Fatalf("excluded without an error: %+v", notes)
			}
			return
		}
		_, kind := classifyID(key)
		if !kind.usable() || CanonicalKey(key) != key {
			t.Fatalf("key %q (kind %d) from %q/%q", key, kind, code, reg)
		}
		from := ""
		for _, c := range []string{code, reg} {
			cc := CanonicalKey(c)
			if d, ok := numericCell(cc); ok {
				if strings.ContainsAny(cc, "E+-") {
					continue // never a key
				}
				cc = d
			}
			if cc == key {
				from = c
			}
		}
		if from == "" {
			t.Fatalf("key %q is neither cell %q nor %q", key, code, reg)
		}
	})
}

// The row-level preference of resolveID, one case per rule of docs/ROSTER.md.
func TestResolveID(t *testing.T) {
	const (
		uscc  = "91110000600037341L"
		bad   = "91110000600037341M" // wrong check character
		reg15 = "140403824667488"
	)
	for _, c := range []struct {
		code, reg string
		key       string
		issue     string // code of the one issue, "" for none
		msg       string // a part of its message
	}{
		{uscc, "", uscc, "", ""},
		{uscc, reg15, uscc, "", ""},     // the USCC wins
		{uscc, "9.9E+14", uscc, "", ""}, // a broken 注册号 does not matter then
		{"", reg15, reg15, CodeLegacyRegNo, "没有统一社会信用代码，改以同一行的15位注册号"},
		{"9.11404300857757E+17", reg15, reg15, CodeLegacyRegNo, "被存成了数字"},
		{bad, reg15, reg15, CodeLegacyRegNo, "校验位不符（应为 L）"}, // a verifiable 注册号 beats a failing check
		{"9111000060003734", reg15, reg15, CodeLegacyRegNo, "格式不对"},
		{"140425NA0073171", "", "140425NA0073171", CodeLegacyRegNo, "代码列中是农民专业合作社注册号"},
		{"", "1404256526390.0", "1404256526390", CodeLegacyRegNo, "13位注册号"},
		{bad, "", bad, CodeBadChecksum, "应为 L"},
		{bad, "140403824667485", bad, CodeBadChecksum, "注册号“140403824667485”也不能使用（校验位不符）"},
		{"9.11404300857757E+17", "", "", CodeNumericID, "“文本”格式"},
		{"9.11404300857757E+17", "1.40403E+14", "", CodeNumericID, "注册号“1.40403E+14”也不能使用（以数字保存，位数已丢失）"},
		{"", "1.40403E+14", "", CodeNumericID, "代码“1.40403E+14”"},
		{"", "140403824667485", "", CodeBadRegNo, "按前14位应为 8"},
		{"", "", "", CodeMissingID, ""},
		{"ABC", "", "", CodeBadID, "标识“ABC”"},
	} {
		key, _, notes := resolveID(c.code, c.reg)
		code, msg := "", ""
		if len(notes) == 1 {
			code, msg = notes[0].code, notes[0].msg
		}
		if key != c.key || code != c.issue || len(notes) > 1 || !strings.Contains(msg, c.msg) {
			t.Errorf("resolveID(%q, %q) = %q, %+v; want %q, %s containing %q", c.code, c.reg, key, notes, c.key, c.issue, c.msg)
		}
	}
}

func TestIsGetihu(t *testing.T) {
	for _, c := range []struct {
		key, kind string
		want      bool
	}{
		{"92140425MACH8XNW6Q", "", true},      // 登记管理部门 9, 机构类别 2
		{"91140425MA4P13NW91", "个体工商户", true}, // the type column says so
		{"91140425MA4P13NW91", "有限责任公司", false},
		{"93140425CPW6GJX523", "农民专业合作社", false}, // 9 3: a cooperative
		{"140425642336065", "", true},            // 注册号 sequence 6…: 个体工商户 (GS 15-2006)
		{"140425137182305", "", false},           // sequence 1…: an enterprise
		{"140425NA0073171", "", false},
		{"1404256526390", "", false},
		{"52140425MA4P13NW91", "", false}, // 5 2: 民政, not 市场监管
	} {
		if got := isGetihu(c.key, c.kind); got != c.want {
			t.Errorf("isGetihu(%q, %q) = %v, want %v", c.key, c.kind, got, c.want)
		}
	}
}

func TestOnDuty(t *testing.T) {
	for s, want := range map[string]bool{"在岗": true, "在职": true, "正常": true, "是": true, "在岗（借调）": false, "在岗(挂职)": false,
		"不在岗": false, "非在岗": false, "休假": false, "退休": false, "否": false, "": false} {
		if got := onDuty(s); got != want {
			t.Errorf("onDuty(%q) = %v, want %v", s, got, want)
		}
	}
}
