package jsonindent

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The indentation written out by hand for a value with every kind of element.
func TestAppend(t *testing.T) {
	src := `{"a":1,"b":[true,false,null,-1.5e3],"c":{},"d":[],"e":"x\"y\\","f":{"g":[{}, [ ]] },` +
		"\n" + `"h":"{[,:]} \n","i":"中文"}`
	want := "{\n" +
		`>  "a": 1,` + "\n" +
		`>  "b": [` + "\n" +
		`>    true,` + "\n" +
		`>    false,` + "\n" +
		`>    null,` + "\n" +
		`>    -1.5e3` + "\n" +
		`>  ],` + "\n" +
		`>  "c": {},` + "\n" +
		`>  "d": [],` + "\n" +
		`>  "e": "x\"y\\",` + "\n" +
		`>  "f": {` + "\n" +
		`>    "g": [` + "\n" +
		`>      {},` + "\n" +
		`>      []` + "\n" +
		`>    ]` + "\n" +
		`>  },` + "\n" +
		`>  "h": "{[,:]} \n",` + "\n" +
		`>  "i": "中文"` + "\n" +
		`>}`
	if got := string(Append(nil, []byte(src), ">", "  ")); got != want {
		t.Errorf("Append =\n%s\nwant\n%s", got, want)
	}
	// It appends.
	if got := string(Append([]byte("x="), []byte(`[1]`), "", "\t")); got != "x=[\n\t1\n]" {
		t.Errorf("Append to x= gives %q", got)
	}
}

// json.Indent is the reference: for every valid input the bytes are the same.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `""`, `0`, `{"a":[1,2,{"b":null}],"c":"\\\"","d":{"e":{}}}`,
		` [ 1 , { "x" : [ ] } ] `, `"\u2028<>&"`, `[[[[]]],[{}],{"":""}]`,
	} {
		f.Add([]byte(s), ">", "  ")
	}
	f.Fuzz(func(t *testing.T, src []byte, prefix, indent string) {
		if !json.Valid(src) {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, src, prefix, indent); err != nil {
			t.Fatalf("json.Indent of valid JSON: %v", err)
		}
		if got := Append(nil, src, prefix, indent); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("Append(%q, %q, %q) =\n%q\njson.Indent gives\n%q", src, prefix, indent, got, want.Bytes())
		}
	})
}

func BenchmarkIndent(b *testing.B) {
	type firm struct {
		Key, Name, Address string
		Values             []string
		Rank               int
	}
	var firms []firm
	for i := range 2000 {
		firms = append(firms, firm{Key: "91140430MA0000000A", Name: "沁县某某商贸有限公司", Address: strings.Repeat("山西省长治市沁县", 2), Values: []string{"a", "b", "c", "d", "e"}, Rank: i})
	}
	src, err := json.Marshal(firms)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("jsonindent", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		var dst []byte
		for b.Loop() {
			dst = Append(dst[:0], src, "    ", "  ")
		}
	})
	b.Run("encoding-json", func(b *testing.B) { // the reference
		b.SetBytes(int64(len(src)))
		var dst bytes.Buffer
		for b.Loop() {
			dst.Reset()
			if err := json.Indent(&dst, src, "    ", "  "); err != nil {
				b.Fatal(err)
			}
		}
	})
}
