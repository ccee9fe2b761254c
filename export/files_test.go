package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/choucha/choucha/draw"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteDrawLoadDraw(t *testing.T) {
	m := testManifest(t, true)
	parent := t.TempDir()
	dir := filepath.Join(parent, "draws", "CZ2026-292-r1")
	if err := WriteDraw(t.Context(), dir, m); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(entries(t, dir), ","); got != "manifest.json,抽查名单.csv,抽查名单.xlsx" {
		t.Errorf("folder holds %s", got)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if !bytes.HasPrefix(b, []byte("{\n  \"spec\": ")) {
		t.Errorf("manifest.json not indented JSON: %.40q", b)
	}
	for _, p := range []string{dir, filepath.Join(dir, ManifestFile)} {
		got, err := LoadDraw(p)
		if err != nil {
			t.Fatal(err)
		}
		// Compared as JSON: nil and empty slices are the same manifest.
		a, _ := json.Marshal(got)
		w, _ := json.Marshal(m)
		if !bytes.Equal(a, w) {
			t.Errorf("LoadDraw(%s) differs from what was written", p)
		}
	}
	// The folder must not exist; nothing is touched when it does.
	err := WriteDraw(t.Context(), dir, m)
	if err == nil || !strings.Contains(err.Error(), "已存在") {
		t.Errorf("second WriteDraw: %v", err)
	}
	if got := entries(t, filepath.Join(parent, "draws")); len(got) != 1 {
		t.Errorf("left behind: %q", got)
	}
	if err := WriteDraw(t.Context(), filepath.Join(parent, "draws", "nil"), nil); err == nil {
		t.Error("nil manifest accepted")
	}
	// A parent that is a file: an error, and nothing made.
	file := filepath.Join(parent, "draws", "CZ2026-292-r1", ManifestFile)
	if err := WriteDraw(t.Context(), filepath.Join(file, "sub"), m); err == nil {
		t.Error("folder under a file accepted")
	}
	if got := entries(t, filepath.Join(parent, "draws")); len(got) != 1 {
		t.Errorf("left behind: %q", got)
	}
}

func TestLoadDrawErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadDraw(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Errorf("missing: %v", err)
	}
	if _, err := LoadDraw(dir); err == nil || !strings.Contains(err.Error(), "不是抽取目录") {
		t.Errorf("empty folder: %v", err)
	}
	p := filepath.Join(dir, "m.json")
	os.WriteFile(p, []byte(`{"spec":"CHOUCHA-SAMPLE-v1"}`), 0o644)
	if _, err := LoadDraw(p); err == nil || !strings.Contains(err.Error(), "任务编号") || !strings.Contains(err.Error(), "种子") {
		t.Errorf("incomplete: %v", err)
	}
	os.WriteFile(p, []byte(`{`), 0o644)
	if _, err := LoadDraw(p); err == nil {
		t.Error("bad JSON accepted")
	}
}

func TestExportOwnership(t *testing.T) {
	m := testManifest(t, true)
	dir := t.TempDir()
	for _, format := range Formats {
		paths, err := Export(t.Context(), dir, m, format, Options{}, false)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		// Exporting again replaces our own files.
		again, err := Export(t.Context(), dir, m, format, Options{}, false)
		if err != nil || !reflect.DeepEqual(paths, again) {
			t.Fatalf("%s again: %v %v", format, again, err)
		}
	}
	want := "抽查任务公告.csv,抽查任务公告.html,抽查名单.csv,抽查名单.xlsx,检查任务单.html,检查任务单.xlsx,检查结果录入表.xlsx"
	if got := strings.Join(entries(t, dir), ","); got != want {
		t.Errorf("files %s\nwant  %s", got, want)
	}
	// GBK goes to its own file.
	paths, err := Export(t.Context(), dir, m, FormatCSV, Options{Encoding: GBK}, false)
	if err != nil || filepath.Base(paths[0]) != "抽查名单-GBK.csv" {
		t.Errorf("gbk: %v %v", paths, err)
	}
	if _, err := Export(t.Context(), dir, m, FormatCSV, Options{Encoding: GBK}, false); err != nil {
		t.Errorf("gbk again: %v", err)
	}
	// A file that is not ours is never replaced, unless forced.
	for _, name := range []string{"抽查任务公告.html", "抽查任务公告.csv", "检查结果录入表.xlsx"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("someone else's file"), 0o644)
		format := FormatAnnounce
		if strings.HasSuffix(name, ".xlsx") {
			format = FormatResults
		}
		_, err := Export(t.Context(), dir, m, format, Options{}, false)
		var ee *ExistsError
		if !errors.As(err, &ee) || ee.Path != p {
			t.Errorf("%s: err = %v", name, err)
		}
		if b, _ := os.ReadFile(p); string(b) != "someone else's file" {
			t.Errorf("%s overwritten", name)
		}
		if _, err := Export(t.Context(), dir, m, format, Options{}, true); err != nil {
			t.Errorf("%s forced: %v", name, err)
		}
	}
	if _, err := Export(t.Context(), dir, m, "pdf", Options{}, false); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := Export(t.Context(), filepath.Join(dir, "nope"), m, FormatCSV, Options{}, false); err == nil {
		t.Error("missing folder accepted")
	}
}

// manifest.json is json.MarshalIndent of the manifest, byte for byte, also when its lists
// are written one firm at a time: with and without teams, with reserves, with none drawn,
// and with names that look like the markers the lists are found by.
func TestWriteManifestIsMarshalIndent(t *testing.T) {
	for _, teams := range []bool{false, true} {
		m := testManifest(t, teams)
		m.Reserves = []draw.Reserve{{Key: "K1", Class: "A", Ticket: "ab", Rank: 3}, {Key: "K2", Class: "B", Ticket: "cd", Rank: 9}}
		m.Notes = []string{"\n  \"selected\": []", "\"reserves\": []"}
		m.Selected[0].Name = "\n  \"reserves\": []"
		// What the indenter must copy as it is: quotes and backslashes, HTML escapes, U+2028,
		// brackets, colons and commas in strings, an empty list.
		m.Selected[0].Values = []string{`a"b\`, `\"`, "<&>", "\u2028", "{[:,]}", ""}
		m.Selected[0].Address = `\\"`
		if len(m.Selected) > 1 {
			m.Selected[1].Values = []string{}
		}
		empty, null := *m, *m
		empty.Selected, empty.Reserves = []draw.Selected{}, []draw.Reserve{}
		null.Selected, null.Reserves = nil, nil
		for _, mm := range []*draw.Manifest{m, &empty, &null} {
			var got bytes.Buffer
			if err := writeManifest(&got, mm); err != nil {
				t.Fatal(err)
			}
			want, err := json.MarshalIndent(mm, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want)+"\n" {
				t.Errorf("teams %v, %d drawn: manifest.json differs from MarshalIndent:\n%s\nwant\n%s", teams, len(mm.Selected), got.String(), want)
			}
		}
	}
}

// fillEvery sets every field of the struct v points to, by reflection: strings to s (with
// characters that need escaping), numbers to 7, bools to true, string slices to two strings.
// A field added to the struct later is set too, so a hand-written encoder that misses it
// differs from encoding/json.
func fillEvery(t *testing.T, v any, s string) {
	t.Helper()
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(s + rv.Type().Field(i).Name)
		case reflect.Int, reflect.Int64:
			f.SetInt(7)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			if f.Type().Elem().Kind() != reflect.String {
				t.Fatalf("%s.%s: a field of a kind this test cannot fill (%s)", rv.Type(), rv.Type().Field(i).Name, f.Type())
			}
			f.Set(reflect.ValueOf([]string{s, "\u2029"}))
		default:
			t.Fatalf("%s.%s: a field of a kind this test cannot fill (%s)", rv.Type(), rv.Type().Field(i).Name, f.Type())
		}
	}
}

// The hand-written firm encoders write what MarshalIndent writes with every field set, and
// with the omitempty fields empty.
func TestFirmEncodersAreMarshalIndent(t *testing.T) {
	var full draw.Selected
	fillEvery(t, &full, "长治<&>\"\\\x01\xff")
	var r draw.Reserve
	fillEvery(t, &r, "沁县\u2028")
	bare := draw.Selected{Key: "K", Class: "A", Ticket: "ab", Rank: 1}
	for _, c := range []struct {
		got []byte
		v   any
	}{
		{appendSelected(nil, &full), &full},
		{appendSelected(nil, &bare), &bare},
		{appendReserve(nil, &r), &r},
	} {
		want, err := json.MarshalIndent(c.v, "    ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if string(c.got) != string(want) {
			t.Errorf("hand-written encoder:\n%s\njson.MarshalIndent:\n%s", c.got, want)
		}
	}
}
