package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// choucha ticket reproduces every published test vector (generated with sha256sum, not Go).
func TestTicketVectors(t *testing.T) {
	b, err := os.ReadFile("../../sampler/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Tickets []struct {
			Seed, Task, Key, Ticket string
			Round                   int
		}
		AssignTickets []struct {
			Seed, Task, Firm, Inspector, Ticket string
			Round                               int
		} `json:"assign_tickets"`
	}
	if err := json.Unmarshal(b, &v); err != nil || len(v.Tickets) == 0 || len(v.AssignTickets) == 0 {
		t.Fatalf("vectors: %v", err)
	}
	for _, x := range v.Tickets {
		code, out, errs := runCLI(t, "ticket", "--seed", x.Seed, "--task", x.Task, "--round", strconv.Itoa(x.Round), "--key", x.Key)
		if code != 0 || out != x.Ticket+"\n" {
			t.Errorf("ticket %+v: %d %q %s", x, code, out, errs)
		}
		if !strings.Contains(errs, "[Text.Encoding]::UTF8.GetBytes('CHOUCHA-SAMPLE-v1|"+x.Seed+"|"+x.Task+"|") {
			t.Errorf("no PowerShell recipe on stderr: %s", errs)
		}
	}
	for _, x := range v.AssignTickets {
		code, out, errs := runCLI(t, "-q", "ticket", "--assign", "--seed", x.Seed, "--task", x.Task, "--round", strconv.Itoa(x.Round), "--key", x.Firm, "--id", x.Inspector)
		if code != 0 || out != x.Ticket+"\n" || errs != "" {
			t.Errorf("assign ticket %+v: %d %q %q", x, code, out, errs)
		}
	}
}
