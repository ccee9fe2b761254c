package roster

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/internal/xlsxstream"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const shared = "../testdata/rosters/"

func readFirms(t *testing.T, path string, opt Options) (*Frame, *Report) {
	t.Helper()
	fr, rep, err := ReadFirms(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("ReadFirms(%s): %v", path, err)
	}
	return fr, rep
}

// trap is one planted problem of a *.traps.tsv file.
type trap struct {
	kind  string
	index int // 0-based data-row index before the blank row was inserted
	value string
}

func readTraps(t *testing.T, path string) []trap {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []trap
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		f := strings.Split(lines[i], "\t")
		if len(f) < 3 {
			t.Fatalf("%s: bad line %q", path, lines[i])
		}
		value := f[2]
		// A value with a line break continues on the next line (the hostile "换行" name).
		if f[0] == "hostile_name" && strings.HasSuffix(value, "换行") && i+1 < len(lines) {
			value += "\n" + lines[i+1]
			i++
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, trap{f[0], n, value})
	}
	return out
}

// checkTraps asserts that every planted trap yields the right code on the right sheet row and
// that no other row has an issue. titleRows is 1 for the xlsx files gen_roster writes with a
// title above the header, 0 for its CSV files.
func checkTraps(t *testing.T, file, tsv string, titleRows int) {
	t.Helper()
	traps := readTraps(t, tsv)
	fr, rep := readFirms(t, file, Options{})
	blank := -1
	for _, tr := range traps {
		if tr.kind == "blank_row" {
			blank = tr.index
		}
	}
	if blank < 0 {
		t.Fatal("no blank_row trap")
	}
	// Sheet row of data index i: titles, the header, 1-based, and the inserted blank row.
	sheetRow := func(i int) int {
		r := i + titleRows + 2
		if i >= blank {
			r++
		}
		return r
	}
	n := rep.Rows - 2 // the duplicate and the conflicting copy are appended at the end
	byRow := map[int][]Issue{}
	for _, is := range rep.Issues {
		byRow[is.Row] = append(byRow[is.Row], is)
	}
	firmAt := map[int]Firm{}
	for _, f := range fr.Firms {
		firmAt[f.Row] = f
	}
	expect := map[int]string{} // row → the one code expected there
	want := func(row int, code, id string) {
		t.Helper()
		expect[row] = code
		got := byRow[row]
		if len(got) != 1 || got[0].Code != code {
			t.Errorf("%s row %d: want one issue %s, got %+v", filepath.Base(file), row, code, got)
			return
		}
		if id != "" && got[0].ID != id {
			t.Errorf("%s row %d: issue id %q, want %q", filepath.Base(file), row, got[0].ID, id)
		}
	}
	kept := func(row int, check func(Firm) error) {
		t.Helper()
		expect[row] = ""
		if len(byRow[row]) != 0 {
			t.Errorf("%s row %d: want no issue, got %+v", filepath.Base(file), row, byRow[row])
		}
		f, ok := firmAt[row]
		if !ok {
			t.Errorf("%s row %d: not in the frame", filepath.Base(file), row)
			return
		}
		if err := check(f); err != nil {
			t.Errorf("%s row %d: %v", filepath.Base(file), row, err)
		}
	}
	classIs := func(c string) func(Firm) error {
		return func(f Firm) error {
			if f.Class != c {
				return fmt.Errorf("class %s, want %s", f.Class, c)
			}
			return nil
		}
	}
	for _, tr := range traps {
		row := sheetRow(tr.index)
		switch tr.kind {
		case "bad_checksum":
			want(row, CodeBadChecksum, tr.value)
		case "duplicate":
			want(sheetRow(n), CodeDuplicate, tr.value)
		case "duplicate_conflict":
			want(sheetRow(n+1), CodeDuplicateConflict, tr.value)
		case "lowercase", "spaces", "fullwidth":
			kept(row, func(f Firm) error {
				if !ValidUSCC(f.Key) || f.Key != CanonicalKey(tr.value) {
					return fmt.Errorf("key %q from %q", f.Key, tr.value)
				}
				return nil
			})
		case "risk_B类（一般风险）":
			kept(row, classIs(ClassB))
		case "risk_c":
			kept(row, classIs(ClassC))
		case "risk_高风险":
			kept(row, classIs(ClassD))
		case "risk_blank", "risk_未分类":
			want(row, CodeUnclassified, "")
			if f := firmAt[row]; f.Class != ClassB {
				t.Errorf("row %d: unclassified firm has class %q, want B", row, f.Class)
			}
		case "risk_E":
			want(row, CodeBadClass, "")
		case "status_closed":
			want(row, CodeClosed, "")
		case "hostile_name":
			kept(row, func(f Firm) error {
				if f.Name != tr.value {
					return fmt.Errorf("name %q, want %q", f.Name, tr.value)
				}
				return nil
			})
		case "regno15":
			// The generator draws the 9 digits after 140403 at random: the GS 15-2006 check
			// digit decides (140403824667485 and 140403029446735 of the shared files fail it).
			if !regNoCheck(tr.value) {
				want(row, CodeBadRegNo, tr.value)
				break
			}
			want(row, CodeLegacyRegNo, tr.value)
			if f := firmAt[row]; f.Key != tr.value {
				t.Errorf("row %d: regno key %q, want %q", row, f.Key, tr.value)
			}
		case "missing_code":
			want(row, CodeMissingID, "")
		case "numeric_code":
			want(row, CodeNumericID, "")
		case "blank_row":
			blankSheetRow := tr.index + titleRows + 2
			if len(byRow[blankSheetRow]) != 0 || firmAt[blankSheetRow].Key != "" {
				t.Errorf("blank row %d: %+v", blankSheetRow, byRow[blankSheetRow])
			}
		default:
			t.Errorf("unknown trap kind %q", tr.kind)
		}
	}
	for row, is := range byRow {
		if _, ok := expect[row]; !ok {
			t.Errorf("%s row %d: unexpected issues %+v", filepath.Base(file), row, is)
		}
	}
	// The frame holds every data row except the excluded ones.
	errs := 0
	for _, is := range rep.Issues {
		if is.Level == LevelError {
			errs++
		}
	}
	if rep.Eligible != rep.Rows-errs-1 /* the kept duplicate */ || len(fr.Firms) != rep.Eligible {
		t.Errorf("rows %d, errors %d, eligible %d, firms %d", rep.Rows, errs, rep.Eligible, len(fr.Firms))
	}
}

func TestTrapsShared(t *testing.T) {
	checkTraps(t, shared+"luzhou-gas-dirty.xlsx", shared+"luzhou-gas-dirty.traps.tsv", 1)
	checkTraps(t, shared+"xiangyuan-tobacco-dirty-gbk.csv", shared+"xiangyuan-tobacco-dirty-gbk.traps.tsv", 0)
}

// genRoster runs the shared generator (shared/ beside the repository, as CI lays it out).
// Without python3 the tests that need it skip on a developer's machine but fail in CI
// (CI=true), where .ci/run installs python3, so a skip there cannot hide them.
func genRoster(t testing.TB, args ...string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 not found: .ci/run should have installed it")
		}
		t.Skip("python3 not found")
	}
	tool := filepath.Join("..", "..", "shared", "tools", "gen_roster.py")
	if _, err := os.Stat(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(tool + " not found: CI lays shared/ beside the repository")
		}
		t.Skip(tool + " not found (shared/ beside the repository)")
	}
	out, err := exec.Command(py, append([]string{tool}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("gen_roster %v: %v\n%s", args, err, out)
	}
}

func TestTrapsGenerated(t *testing.T) {
	dir := t.TempDir()
	for _, seed := range []string{"3", "11"} {
		x := filepath.Join(dir, "d"+seed+".xlsx")
		c := filepath.Join(dir, "d"+seed+".csv")
		genRoster(t, "firms", "--n", "700", "--seed", seed, "--district", "黎城县", "--risk-style", "mixed",
			"--dirty", "--format", "xlsx", "--out", x, "--traps-out", x+".tsv")
		genRoster(t, "firms", "--n", "700", "--seed", seed, "--district", "黎城县", "--encoding", "gb18030",
			"--dirty", "--out", c, "--traps-out", c+".tsv")
		checkTraps(t, x, x+".tsv", 1)
		checkTraps(t, c, c+".tsv", 0)
	}
}

func TestCleanRostersHaveNoIssues(t *testing.T) {
	for _, f := range []string{"qinxian-realestate.xlsx", "qinxian-realestate.csv", "qinxian-realestate-gbk.csv",
		"changzhi-annual-reports-all-districts.xlsx"} {
		fr, rep := readFirms(t, shared+f, Options{})
		if len(rep.Issues) != 0 {
			t.Errorf("%s: %d issues, first %+v", f, len(rep.Issues), rep.Issues[0])
		}
		if rep.Rows != rep.Eligible || len(fr.Firms) != rep.Rows {
			t.Errorf("%s: rows %d eligible %d firms %d", f, rep.Rows, rep.Eligible, len(fr.Firms))
		}
		if len(fr.Header) != 11 || fr.Header[0] != "统一社会信用代码" || fr.Header[9] != "成立日期" {
			t.Errorf("%s: header %q", f, fr.Header)
		}
		for i := 1; i < len(fr.Firms); i++ {
			if fr.Firms[i-1].Key >= fr.Firms[i].Key {
				t.Fatalf("%s: firms not sorted by key at %d", f, i)
			}
		}
		if got := FrameHash(fr.Firms); got != rep.FrameSHA256 {
			t.Errorf("%s: FrameHash %s, report %s", f, got, rep.FrameSHA256)
		}
	}
}

func TestQinxianFirstFirm(t *testing.T) {
	fr, _ := readFirms(t, shared+"qinxian-realestate.xlsx", Options{})
	var f Firm
	for _, x := range fr.Firms {
		if x.Key == "91140430MAHXBE1M21" {
			f = x
		}
	}
	want := Firm{Row: 2, Key: "91140430MAHXBE1M21", Name: "长治市沁县天晟晋地产房产经纪有限公司", Class: "A", District: "沁县",
		Authority: "长治市沁县市场监督管理局", Address: "山西省长治市沁县紫金路198号", LegalRep: "吴兰", Phone: "15853753663"}
	if f.Row != want.Row || f.Name != want.Name || f.Class != want.Class || f.District != want.District ||
		f.Authority != want.Authority || f.Address != want.Address || f.LegalRep != want.LegalRep || f.Phone != want.Phone {
		t.Errorf("got %+v\nwant %+v", f, want)
	}
	if len(f.Values) != 11 || f.Values[6] != "房地产从业单位" || f.Values[9] != "2004-07-11" {
		t.Errorf("values %q", f.Values)
	}
}

// The same frame as xlsx, UTF-8 csv, GBK csv and shuffled rows has the same frame_sha256.
func TestFrameHashSameAcrossFormats(t *testing.T) {
	b, err := os.ReadFile(shared + "qinxian-realestate.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\r\n"), "\r\n")
	if len(lines) < 10 {
		lines = strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	}
	body := lines[1:]
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	shuffled := filepath.Join(t.TempDir(), "shuffled.csv")
	if err := os.WriteFile(shuffled, []byte(strings.Join(append([]string{lines[0]}, body...), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var first *Report
	for _, f := range []string{shared + "qinxian-realestate.xlsx", shared + "qinxian-realestate.csv",
		shared + "qinxian-realestate-gbk.csv", shuffled} {
		_, rep := readFirms(t, f, Options{})
		if first == nil {
			first = rep
			continue
		}
		if rep.FrameSHA256 != first.FrameSHA256 || rep.Eligible != first.Eligible || fmt.Sprint(rep.Classes) != fmt.Sprint(first.Classes) {
			t.Errorf("%s: frame %s (%d firms), want %s (%d)", f, rep.FrameSHA256, rep.Eligible, first.FrameSHA256, first.Eligible)
		}
	}
	if first.Eligible != 400 {
		t.Errorf("eligible %d", first.Eligible)
	}
}

func TestCheckFirmsMatchesReadFirms(t *testing.T) {
	for _, f := range []string{"luzhou-gas-dirty.xlsx", "xiangyuan-tobacco-dirty-gbk.csv", "changzhi-annual-reports-all-districts.xlsx"} {
		for _, d := range []string{"", "潞州区"} {
			_, a := readFirms(t, shared+f, Options{District: d})
			b, err := CheckFirms(context.Background(), shared+f, Options{District: d})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
				t.Errorf("%s %q: CheckFirms differs from ReadFirms", f, d)
			}
		}
	}
}

func TestDistrictFilter(t *testing.T) {
	fr, rep := readFirms(t, shared+"changzhi-annual-reports-all-districts.xlsx", Options{District: "沁县"})
	other := 0
	for _, is := range rep.Issues {
		if is.Code != CodeOtherDistrict || is.Level != LevelInfo {
			t.Fatalf("unexpected issue %+v", is)
		}
		other++
	}
	if other+rep.Eligible != rep.Rows || rep.Eligible == 0 {
		t.Errorf("rows %d = other %d + eligible %d?", rep.Rows, other, rep.Eligible)
	}
	for _, f := range fr.Firms {
		if f.District != "沁县" {
			t.Fatalf("firm of %s in a 沁县 frame", f.District)
		}
	}
	// "长治市沁县" names the same district.
	_, rep2 := readFirms(t, shared+"changzhi-annual-reports-all-districts.xlsx", Options{District: "长治市沁县"})
	if rep2.Eligible != rep.Eligible {
		t.Errorf("长治市沁县: %d, 沁县: %d", rep2.Eligible, rep.Eligible)
	}
}

func TestUSCC(t *testing.T) {
	for _, c := range []string{"91110000600037341L", "91512081MA62K0260E", "12440600MB2C07549J"} {
		if !ValidUSCC(c) {
			t.Errorf("%s should be valid", c)
		}
	}
	for _, c := range []string{"91110000600037341M", "91110000600037341", "9111000060003734IL", ""} {
		if ValidUSCC(c) {
			t.Errorf("%s should be invalid", c)
		}
	}
}

func TestClassifyID(t *testing.T) {
	tests := []struct {
		in   string
		key  string
		kind idKind
	}{
		{"91110000600037341L", "91110000600037341L", idValid},
		{" 911100 00600037341l ", "91110000600037341L", idValid},
		{"９１１１００００６０００３７３４１Ｌ", "91110000600037341L", idValid},
		{"91110000600037341M", "91110000600037341M", idBadChecksum},
		// Numbers that lost digits are never keys.
		{"9.11404300857757E+17", "", idNumeric},
		{"9.114040387698239e+17", "", idNumeric},
		{"911404300857757000", "", idNumeric}, // Excel "0" format: 15 digits, then zeros
		{"911404300857757900", "", idNumeric}, // trailing 00 and a wrong check character
		{"911404300857757056.0", "", idNumeric},
		{"911404038769823872", "", idNumeric}, // a double's exact value printed, wrong check character
		{"911404038769823873", "911404038769823873", idBadChecksum},
		{"4.69007E+14", "", idNumeric},          // Excel's General format of a 15-digit 注册号
		{"1.40403824667488E+14", "", idNumeric}, // scientific notation, even with every digit
		{"1.40403E+12", "", idNumeric},
		// 15-digit 注册号 (GS 15-2006, ISO 7064 MOD 11,10): real numbers and floats of them.
		{"330100400015575", "330100400015575", idRegNo15},
		{"440301103448669", "440301103448669", idRegNo15},
		{"140403824667488", "140403824667488", idRegNo15},
		{"140403824667488.0", "140403824667488", idRegNo15},
		{"１４０４０３８２４６６７４８８", "140403824667488", idRegNo15},
		{"140403824667485", "140403824667485", idRegNoCheck},
		{"469007000000000", "", idNumeric},                   // what 4.69007E+14 expands to: six significant digits
		{"469007000000000.0", "", idNumeric},                 //
		{"1404250000000", "", idNumeric},                     // 1.40425E+12 expanded
		{"140425100000000", "140425100000000", idRegNoCheck}, // seven significant digits: the check digit decides
		{"140403100000016", "140403100000016", idRegNo15},
		{"990403824667488", "", idBad}, // 99 is no province
		// 农民专业合作社: authority code, NA, six digits, a digit or X.
		{"469006NA000123X", "469006NA000123X", idRegNoCoop},
		{"469006na0001234", "469006NA0001234", idRegNoCoop},
		{"469006NA00012Y3", "", idBad},
		{"469006NB000123X", "", idBad},
		{"46900NA0000123X", "", idBad},
		// 13-digit 注册号 of before 2007: no check digit, a province code.
		{"1404031234567", "1404031234567", idRegNo13},
		{"1404031234567.0", "1404031234567", idRegNo13},
		{"9904031234567", "", idBad},
		{"140403123456", "", idBad},
		{"12345.0", "", idBad},
		{"", "", idMissing},
		{"  ", "", idMissing},
		{"9111000060003734IL", "", idBad},
		{"12345", "", idBad},
		{"=1+1", "", idBad},
	}
	for _, tt := range tests {
		key, kind := classifyID(tt.in)
		if key != tt.key || kind != tt.kind {
			t.Errorf("classifyID(%q) = %q, %d; want %q, %d", tt.in, key, kind, tt.key, tt.kind)
		}
	}
}

func TestParseClass(t *testing.T) {
	tests := []struct {
		in    string
		class string
		v     classVerdict
	}{
		{"A", "A", classOK}, {"a", "A", classOK}, {"A类", "A", classOK}, {"Ｂ", "B", classOK},
		{"B类（一般风险）", "B", classOK}, {"低风险", "A", classOK}, {"一般风险", "B", classOK},
		{"较高风险", "C", classOK}, {"中高风险", "C", classOK}, {"高风险", "D", classOK}, {"c", "C", classOK}, {" d ", "D", classOK},
		// The credit tiers of a 交通运输 roster, low to high risk.
		{"守信", "A", classOK}, {"警示", "B", classOK}, {"失信", "C", classOK}, {"严重失信", "D", classOK}, {"失信类", "C", classOK},
		{"", "B", classUnclassified}, {"未分类", "B", classUnclassified},
		{"E", "", classBad}, {"AB", "", classBad}, {"极高风险", "", classBad}, {"一般失信", "", classBad},
	}
	for _, tt := range tests {
		c, v := parseClass(tt.in)
		if c != tt.class || v != tt.v {
			t.Errorf("parseClass(%q) = %q, %d; want %q, %d", tt.in, c, v, tt.class, tt.v)
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := map[string]statusVerdict{
		"存续（在营、开业、在册）": statusOpen, "在业": statusOpen, "开业": statusOpen, "正常": statusOpen,
		"注销": statusClosed, "吊销，未注销": statusClosed, "迁出": statusClosed, "停业": statusClosed, "清算中": statusClosed,
		"撤销": statusClosed, "": statusBlank, "其他": statusUnknown,
	}
	for in, want := range tests {
		if got := parseStatus(in); got != want {
			t.Errorf("parseStatus(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	for in, want := range map[string]string{"41789": "2014-05-30", "45658": "2025-01-01", "41789.0": "2014-05-30", "1": "1900-01-01"} {
		if got, ok := serialDate(in); !ok || got != want {
			t.Errorf("serialDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "41789.5", "2014-05-29", "99999999"} {
		if got, ok := serialDate(in); ok {
			t.Errorf("serialDate(%q) = %q, want not a date", in, got)
		}
	}
	for in, want := range map[string]string{"2026-12-31": "2026-12-31", "2026/1/2": "2026-01-02", "2026.01.02": "2026-01-02",
		"20261231": "2026-12-31", "2026年1月2日": "2026-01-02", "46022": "2025-12-31", "2026-01-02 00:00:00": "2026-01-02"} {
		if got, ok := parseDate(in); !ok || got.Format("2006-01-02") != want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "长期", "2026-02-30", "2026-13-01", "12/31"} {
		if got, ok := parseDate(in); ok {
			t.Errorf("parseDate(%q) = %v, want unreadable", in, got)
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeXLSX writes rows with excelize; numbers stay numbers.
func writeXLSX(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "t.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestXLSXNumbersAndDates(t *testing.T) {
	p := writeXLSX(t, [][]any{
		{"某某名录（2026）"},
		{},
		{"TYXYDM", "注册号", "ENTNAME", "ZT", "成立日期", "LXDH", "备注"},
		{"91110000600037341L", nil, "甲公司", "存续", 41789, 13800000000, "x"},
		{nil, 140403824667488, "乙个体户", "在业", "2001-02-03"},
		{9.11404300857757e17, nil, "丙公司", "存续"},
		{"91512081MA62K0260E", nil, "丁公司", nil, nil, nil, nil, "多出的列"},
	})
	fr, rep := readFirms(t, p, Options{})
	got := map[string]string{}
	for _, is := range rep.Issues {
		got[strconv.Itoa(is.Row)+is.Code] = is.ID
	}
	for _, k := range []string{"5legacy_regno", "6numeric_id", "7no_status"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing issue %s in %+v", k, rep.Issues)
		}
	}
	// No class column: one warning on the header row, every firm B.
	if _, ok := got["3no_class_column"]; !ok || !rep.NoClassColumn || !fr.NoClasses {
		t.Errorf("no no_class_column warning on the header row: %+v", rep.Issues)
	}
	if rep.Rows != 4 || len(fr.Firms) != 3 {
		t.Fatalf("rows %d firms %d", rep.Rows, len(fr.Firms))
	}
	for _, f := range fr.Firms {
		if f.Class != ClassB {
			t.Errorf("%s class %s", f.Key, f.Class)
		}
		switch f.Key {
		case "91110000600037341L":
			if f.Row != 4 || f.Values[4] != "2014-05-30" || f.Phone != "13800000000" || f.Values[6] != "x" {
				t.Errorf("firm %+v", f)
			}
		case "140403824667488":
			if f.Row != 5 || f.Values[4] != "2001-02-03" {
				t.Errorf("firm %+v", f)
			}
		case "91512081MA62K0260E":
			if len(f.Values) != 8 || f.Values[7] != "多出的列" {
				t.Errorf("values %q", f.Values)
			}
		default:
			t.Errorf("unexpected firm %+v", f)
		}
	}
	if len(fr.Header) != 8 || fr.Header[7] != "第8列" {
		t.Errorf("header %q", fr.Header)
	}
}

func TestSheetOption(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"说明"})
	if _, err := f.NewSheet("名录"); err != nil {
		t.Fatal(err)
	}
	_ = f.SetSheetRow("名录", "A1", &[]any{"统一社会信用代码", "企业名称"})
	_ = f.SetSheetRow("名录", "A2", &[]any{"91110000600037341L", "甲"})
	p := filepath.Join(t.TempDir(), "s.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, rep := readFirms(t, p, Options{Sheet: "名录"}); rep.Eligible != 1 {
		t.Errorf("eligible %d", rep.Eligible)
	}
	if _, _, err := ReadFirms(context.Background(), p, Options{}); err == nil || !strings.Contains(err.Error(), "找不到表头") {
		t.Errorf("first sheet has no header: %v", err)
	}
	_, _, err := ReadFirms(context.Background(), p, Options{Sheet: "无此表"})
	var h *apperr.Error
	if !errors.As(err, &h) || !strings.Contains(h.Hint, "名录") {
		t.Errorf("missing sheet: %v", err)
	}
}

func TestCSVRowNumbers(t *testing.T) {
	// A quoted line break stays in one row; an empty line is a row of its own, as in Excel.
	p := writeFile(t, "r.csv", "\ufeff统一社会信用代码,企业名称,信用风险分类\r\n"+
		"91110000600037341L,\"甲\n公司\",A\r\n"+
		"\r\n"+
		"91512081MA62K0260E,乙,E\r\n"+
		",,\r\n"+
		"12440600MB2C07549J,丙,\r\n")
	fr, rep := readFirms(t, p, Options{})
	if rep.Rows != 3 {
		t.Errorf("rows %d", rep.Rows)
	}
	want := []string{"4 bad_class", "6 unclassified"}
	var got []string
	for _, is := range rep.Issues {
		got = append(got, fmt.Sprintf("%d %s", is.Row, is.Code))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("issues %v, want %v", got, want)
	}
	for _, f := range fr.Firms {
		if f.Key == "91110000600037341L" && (f.Name != "甲\n公司" || f.Row != 2) {
			t.Errorf("firm %+v", f)
		}
	}
}

func TestGBKDetection(t *testing.T) {
	text := "统一社会信用代码,企业名称,信用风险分类\n91110000600037341L,长治市甲公司,低风险\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := readFirms(t, writeFile(t, "g.csv", gbk), Options{})
	if fr.Firms[0].Name != "长治市甲公司" || fr.Firms[0].Class != ClassA {
		t.Errorf("firm %+v", fr.Firms[0])
	}
}

func TestUnreadableFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // every temp file of the reader lands here and must be gone after

	good, err := os.ReadFile(shared + "qinxian-realestate.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	damaged := damageSheet(t, good)
	header := "统一社会信用代码,企业名称,信用风险分类\n"
	tests := []struct {
		name, file, want string
	}{
		{"empty csv", writeFile(t, "e.csv", ""), "空文件"},
		{"empty xlsx", writeXLSX(t, nil), "没有任何内容"},
		{"header-only csv", writeFile(t, "h.csv", header+",,\n\n"), "只有表头"},
		{"header-only xlsx", writeXLSX(t, [][]any{{"标题"}, {"统一社会信用代码", "企业名称"}}), "只有表头"},
		{"no header", writeFile(t, "n.csv", "a,b\n1,2\n"), "找不到表头"},
		{"no name column", writeFile(t, "m.csv", "统一社会信用代码,信用风险分类,登记状态\n91110000600037341L,A,存续\n"), "缺少“企业名称”"},
		{"truncated xlsx", writeFile(t, "t.xlsx", string(good[:len(good)/2])), "不是有效的 xlsx"},
		{"not a zip", writeFile(t, "x.xlsx", "hello, world"), "不是有效的 xlsx"},
		{"damaged sheet", writeFile(t, "d.xlsx", string(damaged)), "已损坏或被截断"},
		{"xls", writeFile(t, "old.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), ".xls"},
		{"unbalanced quote", writeFile(t, "q.csv", header+"91110000600037341L,\"甲,A\n"), "引号"},
		{"missing", filepath.Join(tmp, "nope.csv"), "找不到"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadFirms(context.Background(), tt.file, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to mention %q", err, tt.want)
			}
			if _, err := CheckFirms(context.Background(), tt.file, Options{}); err == nil {
				t.Fatal("CheckFirms: no error")
			}
		})
	}
	var h *apperr.Error
	if _, _, err := ReadFirms(context.Background(), tests[9].file, Options{}); !errors.As(err, &h) || !strings.Contains(h.Hint, "libreoffice --headless --convert-to xlsx") {
		t.Errorf(".xls hint: %v", err)
	}
	assertEmptyDir(t, tmp)
}

// damageSheet rewrites an xlsx with its worksheet XML cut in half (a valid zip whose sheet
// ends early): excelize's row iterator stops quietly, the dimension check must catch it.
func damageSheet(t *testing.T, good []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			b = b[:len(b)/2]
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var left []string
	for _, e := range ents {
		if e.Name() != "nope.csv" {
			left = append(left, e.Name())
		}
	}
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestZipBombRefused(t *testing.T) {
	old := xlsxstream.MaxUnzipSize
	xlsxstream.MaxUnzipSize = 64 << 10
	defer func() { xlsxstream.MaxUnzipSize = old }()
	_, _, err := ReadFirms(context.Background(), shared+"qinxian-realestate.xlsx", Options{})
	var h *apperr.Error
	if err == nil || !strings.Contains(err.Error(), "压缩炸弹") || !errors.As(err, &h) {
		t.Fatalf("error %v", err)
	}
}

// Large parts are streamed from temporary files; cancellation and errors must remove them.
func TestCancelLeavesNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := xlsxstream.XMLInMemoryLimit
	xlsxstream.XMLInMemoryLimit = 1 << 10 // force the sheet and shared strings into temporary files
	defer func() { xlsxstream.XMLInMemoryLimit = old }()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := ReadFirms(ctx, shared+"changzhi-annual-reports-all-districts.xlsx", Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	// And a full read through temporary files gives the same frame as one in memory.
	_, a := readFirms(t, shared+"luzhou-gas-dirty.xlsx", Options{})
	xlsxstream.XMLInMemoryLimit = old
	_, b := readFirms(t, shared+"luzhou-gas-dirty.xlsx", Options{})
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("temp-file read differs from in-memory read")
	}
	assertEmptyDir(t, tmp)
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.csv")
	genRoster(t, "firms", "--n", "20000", "--seed", "5", "--out", p)
	var calls []int
	_, rep := readFirms(t, p, Options{Progress: func(n int) { calls = append(calls, n) }})
	if len(calls) != rep.Rows/progressEvery || calls[0] != progressEvery {
		t.Errorf("progress calls %v for %d rows", calls, rep.Rows)
	}
}

func TestInspectors(t *testing.T) {
	for _, f := range []string{"luzhou-inspectors.xlsx", "qinxian-inspectors.xlsx"} {
		list, rep, err := ReadInspectors(context.Background(), shared+f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 40 || rep.Rows != 40 || len(rep.Issues) != 0 {
			t.Errorf("%s: %d inspectors, %d rows, issues %+v", f, len(list), rep.Rows, rep.Issues)
		}
		for _, in := range list {
			if in.ID == "" || in.Name == "" || in.Dept == "" || in.ValidUntil.IsZero() {
				t.Errorf("%s: incomplete %+v", f, in)
			}
		}
	}
	p := writeFile(t, "i.csv", "执法检查人员名录\n"+
		"姓名,执法证号,所属部门,执法门类,在岗状态,证件有效期至,联系电话,回避企业统一社会信用代码\n"+
		"张三,1404031000001,潞州区市场监督管理局,市场监管,在岗,2026-12-31,138,\"91110000600037341l、91512081MA62K0260E；12440600MB2C07549J\"\n"+
		"李四,,潞州区市场监督管理局,市场监管,在岗,2026-12-31,,\n"+
		"王五,1404031000001,潞州区公安局,公安,在岗,2026-12-31,,\n"+
		"赵六,1404031000002,潞州区公安局,公安,休假,长期,,abc\n"+
		"钱七,1404031000003,潞州区公安局,公安,在岗,46022,,\n")
	list, rep, err := ReadInspectors(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range rep.Issues {
		got = append(got, fmt.Sprintf("%d %s %s", is.Row, is.Level, is.Code))
	}
	want := []string{"4 error missing_id", "5 error duplicate_id", "6 warning bad_recuse"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("issues %v, want %v", got, want)
	}
	if len(list) != 3 || rep.Rows != 5 {
		t.Fatalf("list %d rows %d", len(list), rep.Rows)
	}
	zs := list[0]
	if zs.Name != "张三" || fmt.Sprint(zs.Recuse) != "[91110000600037341L 91512081MA62K0260E 12440600MB2C07549J]" {
		t.Errorf("张三 %+v", zs)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	if ok, why := zs.EligibleOn(day("2026-12-31")); !ok {
		t.Errorf("张三 on the last valid day: %s", why)
	}
	if ok, why := zs.EligibleOn(day("2027-01-01")); ok || !strings.Contains(why, "到期") {
		t.Errorf("张三 after expiry: %v %s", ok, why)
	}
	// 长期 is a certificate without an end date: 赵六 is out only for being on leave.
	if ok, why := list[1].EligibleOn(day("2026-01-01")); ok || why != "不在岗（在岗状态：休假）" || list[1].ValidUntil.Year() != 9999 {
		t.Errorf("赵六: %v %s %v", ok, why, list[1].ValidUntil)
	}
	if q := list[2]; q.ValidUntil.Format("2006-01-02") != "2025-12-31" {
		t.Errorf("钱七 serial date: %v", q.ValidUntil)
	}
}

// FuzzReadCSV: readCSV reads what encoding/csv reads, numbered as Excel shows the rows
// (checkReadCSV); the firm and inspector scans never panic on what it hands them.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("统一社会信用代码,企业名称,信用风险分类,登记状态\n91110000600037341L,甲,A,存续\n"))
	f.Add([]byte("\ufeff标题\n\nTYXYDM,ENTNAME,ZT\n9.11404300857757E+17,\"a\nb\",注销\n,,\n"))
	f.Add([]byte("注册号,名称\n140403824667485,乙\n140403824667485,丙\n\"unterminated"))
	f.Add([]byte{0xb2, 0xe2, ',', 0xff, 0xfe, '\n', 0x81, 0x30})
	f.Add([]byte("\n\n代码,名称\r\n\r\n1,\"a\r\nb\"\r\r2,\"c\rd\"\n\n\n"))
	f.Add([]byte("a,b\r\"x\ny\",z\r\r\n,\n\"\"\"\",\"\"\r"))
	f.Add([]byte("a,\"b\"c\n"))
	// Excel's text-forcing (checked against the reference's own reading, refForceText).
	f.Add([]byte("代码,名称,电话\n=\"91140430MA0K2B3C4T\",\"=\"\"甲\"\"\",'0355123\n=\"a\"\"b\nc\",' 乙,' 12,'x'y\r\n=\"\",=x,\"'9\",\"=\"\"a\"\"\"\"b\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReadCSV(t, data)
		for _, keep := range []bool{true, false} {
			s := newFirmScan("fuzz.csv", Options{District: "潞州区"}, keep)
			err := readCSV(context.Background(), bytes.NewReader(data), s.row, func(int, int64) {}, nil)
			if err == nil {
				_ = s.finish()
			}
		}
		is := &inspectorScan{seen: map[string]int{}, rep: &Report{}}
		_ = readCSV(context.Background(), bytes.NewReader(data), is.row, nil, nil)
	})
}

// A row without a name is excluded (missing_name) and does not win a duplicate over the named
// row with the same code; cells beyond the header are reported (extra_cells); a number that is
// not whole is not mistaken for a 15-digit 注册号.
func TestRaggedRows(t *testing.T) {
	body := "统一社会信用代码,企业名称,信用风险分类,登记状态\n" +
		"91110000600037341L\n" + // row 2: code only
		"91512081MA62K0260E,甲公司,A,存续,多出来的,还有\n" + // row 3: two extra cells
		"12440600MB2C07549J,丙公司,B,存续,,\n" + // row 4: empty extra cells are fine
		"91110000600037341L,乙公司,B,存续\n" + // row 5: the named row of row 2's code
		"140403824667488.00000000001,丁商行,A,存续\n" + // row 6: not a whole number
		"140403824667488.0,戊商行,A,存续\n" + // row 7: a 15-digit 注册号 written as a double
		"1.40403824667488E+14,己商行,A,存续\n" // row 8: scientific notation is never a key
	p := filepath.Join(t.TempDir(), "ragged.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	f, rep, err := ReadFirms(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, is := range rep.Issues {
		got[is.Row] += is.Code + " "
	}
	// Row 5 is kept and says that row 2, of the same code, was excluded.
	want := map[int]string{2: "no_status unclassified missing_name ", 3: "extra_cells ", 5: "duplicate_of_excluded ", 6: "numeric_id ", 7: "legacy_regno ", 8: "numeric_id "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("issues by row %v, want %v", got, want)
	}
	keys := map[string]string{}
	for _, fm := range f.Firms {
		keys[fm.Key] = fm.Name
	}
	if keys["91110000600037341L"] != "乙公司" || keys["140403824667488"] != "戊商行" || len(f.Firms) != 4 {
		t.Errorf("frame %v", keys)
	}
}

// Frame lines are ordered by key, also when one key is a prefix of another ('|' sorts after
// code characters, so a plain sort of the lines would put the shorter key last).
func TestFrameLinesOrderByKey(t *testing.T) {
	firms := []Firm{{Key: "140403824667485ABC", Class: "A"}, {Key: "140403824667485", Class: "B"}}
	got := FrameLines(firms)
	want := []string{"140403824667485|B", "140403824667485ABC|A"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FrameLines = %q, want %q", got, want)
	}
	sum := sha256.Sum256([]byte("140403824667485|B\n140403824667485ABC|A\n"))
	if FrameHash(firms) != hex.EncodeToString(sum[:]) {
		t.Error("FrameHash is not the SHA-256 of the key-ordered lines")
	}
}

// TestInspectorLicenseState: a roster exported from a 执法证 system with its own column names
// (执法证件号码, 单位名称, 持证状态, 执法证有效期限): a certificate 注销 or 暂扣 is out whatever its
// 有效期, 有效 leaves the 有效期 to decide. Written by hand.
func TestInspectorLicenseState(t *testing.T) {
	p := writeFile(t, "i.csv", "序号,姓名,性别,执法证件号码,单位名称,所属科室,执法类别,持证状态,执法证有效期限\n"+
		"1,张三,男,14000001,无为市市场监督管理局,食品科,市场监管,有效,2028-12-31\n"+
		"2,李四,女,14000002,无为市市场监督管理局,特设科,市场监管,暂扣,2028-12-31\n"+
		"3,王五,男,14000003,无为市粮食和物资储备局,执法大队,粮食,已注销,2029-01-01\n"+
		"4,赵六,男,14000004,无为市粮食和物资储备局,执法大队,粮食,,2029-01-01\n")
	list, rep, err := ReadInspectors(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("%d inspectors", len(list))
	}
	for _, is := range rep.Issues {
		if is.Code == CodeNoValidity {
			t.Errorf("执法证有效期限 is the validity column: %+v", is)
		}
	}
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	want := []struct {
		name, dept string
		ok         bool
		why        string
	}{
		{"张三", "无为市市场监督管理局", true, ""},
		{"李四", "无为市市场监督管理局", false, "执法证已失效（持证状态：暂扣）"},
		{"王五", "无为市粮食和物资储备局", false, "执法证已失效（持证状态：已注销）"},
		{"赵六", "无为市粮食和物资储备局", true, ""},
	}
	for i, w := range want {
		in := list[i]
		ok, why := in.EligibleOn(day)
		if in.Name != w.name || in.Dept != w.dept || ok != w.ok || why != w.why {
			t.Errorf("%d: %s %s %v %q, want %+v", i, in.Name, in.Dept, ok, why, w)
		}
	}
	if n, by := Ineligibility(list, day); n != 2 || by[ReasonLicenseVoid] != 2 {
		t.Errorf("eligible %d, by kind %v", n, by)
	}
}

// TestOtherKindOfRoster: an inspector roster given as a firm roster (and a firm roster given as
// an inspector roster) is named as such, with the row of its header and the flag to use —
// the real files of the two kinds, and one with a title above the header. A file with neither
// header gets no such hint.
func TestOtherKindOfRoster(t *testing.T) {
	ctx := context.Background()
	titled := writeFile(t, "人员.csv", "沁县执法检查人员名录\n\n序号,姓名,执法证号,所属部门\n1,张三,14043000101,沁县市场监督管理局\n")
	for _, tc := range []struct {
		file, row string
	}{
		{filepath.Join("..", "testdata", "rosters", "qinxian-inspectors.xlsx"), "第1行"},
		{titled, "第3行"},
	} {
		_, _, err := ReadFirms(ctx, tc.file, Options{})
		if err == nil || !strings.Contains(err.Error(), "找不到表头") {
			t.Fatalf("%s read as firms: %v", tc.file, err)
		}
		if h := apperr.HintOf(err); !strings.Contains(h, tc.row+"是执法检查人员名录的表头") || !strings.Contains(h, "--inspectors") {
			t.Errorf("%s read as firms: hint %q", tc.file, h)
		}
	}
	_, _, err := ReadInspectors(ctx, filepath.Join("..", "testdata", "rosters", "qinxian-realestate.csv"), Options{})
	if h := apperr.HintOf(err); err == nil || !strings.Contains(h, "第1行是检查对象名录的表头") {
		t.Errorf("firm roster read as inspectors: %v, hint %q", err, h)
	}
	neither := writeFile(t, "n.csv", "甲,乙\n1,2\n")
	for _, read := range []func() error{
		func() error { _, _, err := ReadFirms(ctx, neither, Options{}); return err },
		func() error { _, _, err := ReadInspectors(ctx, neither, Options{}); return err },
	} {
		if err := read(); err == nil || strings.Contains(apperr.HintOf(err), "的表头") {
			t.Errorf("a file of neither kind: %v, hint %q", err, apperr.HintOf(err))
		}
	}
}
