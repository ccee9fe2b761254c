package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

type ticketVector struct {
	Seed, Task string
	Round      int
	Key        string
	Message    string
	Ticket     string
}

func loadTicketVectors(t *testing.T) []ticketVector {
	t.Helper()
	b, err := os.ReadFile("../sampler/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Tickets []ticketVector }
	if err := json.Unmarshal(b, &v); err != nil || len(v.Tickets) == 0 {
		t.Fatalf("vectors: %v (%d)", err, len(v.Tickets))
	}
	return v.Tickets
}

// psLiteral is what PowerShell makes of the recipe: the one single-quoted string argument of
// GetBytes, with ” read as '. The recipe must be exactly this shape, so that the emulation
// below is the computation PowerShell performs.
var psShape = regexp.MustCompile(`^\[BitConverter\]::ToString\(\[Security\.Cryptography\.SHA256\]::Create\(\)\.ComputeHash\(\[Text\.Encoding\]::UTF8\.GetBytes\('((?:[^']|'')*)'\)\)\)\.Replace\('-',''\)\.ToLower\(\)$`)

// powerShell evaluates the recipe as Windows PowerShell does: UTF8.GetBytes of the string
// (no BOM), SHA256.ComputeHash, BitConverter.ToString ("AB-01-…"), remove '-', ToLower.
func powerShell(t *testing.T, recipe string) string {
	t.Helper()
	g := psShape.FindStringSubmatch(recipe)
	if g == nil {
		t.Fatalf("recipe is not the expected one-liner: %s", recipe)
	}
	s := strings.ReplaceAll(g[1], "''", "'")
	if !utf8.ValidString(s) {
		t.Fatalf("literal is not UTF-8: %q", s)
	}
	sum := sha256.Sum256([]byte(s)) // .NET UTF8.GetBytes of a valid string = its UTF-8 bytes
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return strings.ToLower(strings.ReplaceAll(strings.Join(parts, "-"), "-", ""))
}

func TestPowerShellRecipeVectors(t *testing.T) {
	for _, v := range loadTicketVectors(t) {
		msg := TicketMessage("CHOUCHA-SAMPLE-v1", v.Seed, v.Task, v.Round, v.Key)
		if msg != v.Message {
			t.Fatalf("message %q, vector %q", msg, v.Message)
		}
		if got := powerShell(t, PowerShellRecipe(msg)); got != v.Ticket {
			t.Errorf("%s: PowerShell recipe gives %s, vector %s", v.Message, got, v.Ticket)
		}
	}
	// Written out by hand for the first vector: what a user pastes.
	want := `[BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash([Text.Encoding]::UTF8.GetBytes('CHOUCHA-SAMPLE-v1|12345678901234567890|CZ2026-292|1|91110000600037341L'))).Replace('-','').ToLower()`
	if got := PowerShellRecipe("CHOUCHA-SAMPLE-v1|12345678901234567890|CZ2026-292|1|91110000600037341L"); got != want {
		t.Errorf("recipe\n%s\nwant\n%s", got, want)
	}
	// A quote in a key (never in a valid code, but the recipe must not break) is doubled.
	r := PowerShellRecipe("a'b")
	if !strings.Contains(r, "GetBytes('a''b')") {
		t.Errorf("quote not doubled: %s", r)
	}
	if got, want := powerShell(t, r), hex.EncodeToString(sha(`a'b`)); got != want {
		t.Errorf("quoted literal hashes %s, want %s", got, want)
	}
	// Where PowerShell is installed, run the recipe for real as well.
	if pwsh, err := exec.LookPath("pwsh"); err == nil {
		v := loadTicketVectors(t)[0]
		out, err := exec.Command(pwsh, "-NoProfile", "-Command", PowerShellRecipe(v.Message)).Output()
		if err != nil || strings.TrimSpace(string(out)) != v.Ticket {
			t.Errorf("pwsh: %q %v, want %s", out, err, v.Ticket)
		}
	}
}

func sha(s string) []byte { b := sha256.Sum256([]byte(s)); return b[:] }

func TestShellRecipe(t *testing.T) {
	if got, want := ShellRecipe("CHOUCHA-SAMPLE-v1|1|T|1|it's"), `printf '%s' 'CHOUCHA-SAMPLE-v1|1|T|1|it'\''s' | sha256sum`; got != want {
		t.Errorf("got %s want %s", got, want)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		return
	}
	for _, v := range loadTicketVectors(t)[:3] {
		cmd := strings.TrimSuffix(ShellRecipe(v.Message), " | sha256sum")
		out, err := exec.Command(sh, "-c", cmd).Output()
		if err != nil || string(out) != v.Message {
			t.Errorf("sh printf gives %q %v, want the message bytes %q", out, err, v.Message)
		}
	}
}
