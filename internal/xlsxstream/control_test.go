package xlsxstream

import (
	"context"
	"testing"
)

// TestControlFree: the fast reader says whether any value of the sheet holds a control
// character — in the shared strings, or in a value of the sheet itself (an inline string, a
// formula's cached string, an _xHHHH_ escape or a raw C1 character) — so that the roster looks
// at every cell only then (roster's scanSpec.partial); excelize, and a scan stopped early,
// cannot say.
func TestControlFree(t *testing.T) {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	sheet := func(cells string) string {
		return `<worksheet ` + ns + `><sheetData><row r="1"><c t="s"><v>0</v></c>` + cells + `</row></sheetData></worksheet>`
	}
	sst := func(items ...string) string {
		s := `<sst ` + ns + `>`
		for _, it := range items {
			s += `<si><t>` + it + `</t></si>`
		}
		return s + `</sst>`
	}
	ctx := context.Background()
	none := func(int, []string) error { return nil }
	for _, c := range []struct {
		name, sheet, sst string
		want             bool
	}{
		{"clean", sheet(`<c t="inlineStr"><is><t>沁县</t></is></c><c><v>12</v></c>`), sst("长治市沁县盛世锦地产有限公司"), true},
		{"shared _x001B_", sheet(""), sst("长治市_x001B_沁县"), false},
		{"shared raw C1", sheet(""), sst("名称\u0085"), false},
		{"inline _x0007_", sheet(`<c t="inlineStr"><is><t>a_x0007_</t></is></c>`), sst("a"), false},
		{"formula string", sheet(`<c t="str"><f>A1</f><v>b` + "\u0085" + `</v></c>`), sst("a"), false},
		{"no shared strings", `<worksheet ` + ns + `><sheetData><row r="1"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`, "", true},
	} {
		p := xlsxParts(t, []string{"S"}, []string{c.sheet}, c.sst, false)
		res, err := ScanFastSheet(ctx, p, "", none, nil)
		if err != nil || res.ControlFree != c.want {
			t.Errorf("%s: ControlFree %v, %v; want %v", c.name, res.ControlFree, err, c.want)
		}
		if c.want {
			if res, err := ScanExcelizeSheet(ctx, p, "", none, nil); err != nil || res.ControlFree {
				t.Errorf("%s, excelize: ControlFree %v, %v; want false (it cannot say)", c.name, res.ControlFree, err)
			}
			stop := func(int, []string) error { return context.Canceled }
			if res, _ := ScanFastSheet(ctx, p, "", stop, nil); res.ControlFree {
				t.Errorf("%s: a scan stopped at its first row says ControlFree", c.name)
			}
		}
	}
}
