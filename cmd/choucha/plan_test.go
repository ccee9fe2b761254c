package main

import (
	"path/filepath"
	"testing"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/spf13/cobra"
)

func TestPlanFlags(t *testing.T) {
	var o planFlags
	cmd := &cobra.Command{Use: "x"}
	addPlanFlags(cmd, &o)
	if cmd.Flags().Lookup("plan") == nil || cmd.Flags().Lookup("plan-id") == nil {
		t.Fatal("addPlanFlags did not add --plan and --plan-id")
	}
	p, err := o.load()
	if err != nil || p.ID != "CZ2026" || len(p.Tasks) != 397 {
		t.Fatalf("embedded: %v %v", p, err)
	}
	xlsx := filepath.Join("..", "..", "testdata", "plan", "changzhi-2026.xlsx")
	for _, c := range []struct {
		o      planFlags
		usage  bool
		wantID string
	}{
		{planFlags{id: "OTHER"}, true, ""},
		{planFlags{file: xlsx, id: "bad id"}, true, ""},
		{planFlags{file: "nope.txt"}, false, ""},
		{planFlags{file: xlsx}, false, "changzhi-2026"},
		{planFlags{file: xlsx, id: "CZ2026x"}, false, "CZ2026x"},
	} {
		p, err := c.o.load()
		switch {
		case c.wantID != "":
			if err != nil || p.ID != c.wantID {
				t.Errorf("%+v: %v, %v", c.o, p, err)
			}
		case err == nil:
			t.Errorf("%+v: no error", c.o)
		case apperr.IsUsage(err) != c.usage:
			t.Errorf("%+v: usage %v for %v", c.o, apperr.IsUsage(err), err)
		default:
			if !c.usage && apperr.HintOf(err) == "" {
				t.Errorf("%+v: no hint on %v", c.o, err)
			}
		}
	}
}
