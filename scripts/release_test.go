// Package release_test checks scripts/release.sh: the linux/arm64 release binary, run under
// qemu-user, makes the README's quick-start draw exactly as the native binary does.
package release_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func qemu(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"qemu-aarch64", "qemu-aarch64-static"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("qemu-user not installed (apt-get install qemu-user)")
	}
	t.Skip("qemu-user not installed (apt-get install qemu-user)")
	return ""
}

// manifest reads a draw's manifest.json without created_at, the one field that depends on
// when the draw ran.
func manifest(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["created_at"]; !ok {
		t.Fatalf("%s: manifest without created_at", dir)
	}
	delete(m, "created_at")
	// The frame commitment is keyed with a salt drawn fresh for every draw (docs/ALGORITHM.md,
	// CHOUCHA-FRAME-COMMIT-v1): two runs never share it. Everything else must be equal.
	if r, ok := m["roster"].(map[string]any); ok {
		if r["frame_salt"] == nil || r["frame_commitment"] == nil {
			t.Fatalf("%s: manifest without frame_salt or frame_commitment", dir)
		}
		delete(r, "frame_salt")
		delete(r, "frame_commitment")
	}
	return m
}

func TestReleaseARM64UnderQemu(t *testing.T) {
	if runtime.GOOS != "linux" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs on linux: qemu-user is expected")
		}
		t.Skip("qemu-user runs linux binaries on linux")
	}
	q := qemu(t)
	out := t.TempDir()
	native := "linux/" + runtime.GOARCH
	cmd := exec.Command("./release.sh", "0.0.0-test")
	cmd.Env = append(os.Environ(), "OUT="+out, "TARGETS=linux/arm64 "+native)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, b)
	}
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"choucha-0.0.0-test-linux-arm64", "choucha-0.0.0-test-linux-" + runtime.GOARCH} {
		if !bytes.Contains(sums, []byte("  "+name+"\n")) {
			t.Errorf("SHA256SUMS lacks %s:\n%s", name, sums)
		}
	}
	check := exec.Command("sha256sum", "-c", "SHA256SUMS")
	check.Dir = out
	if b, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, b)
	}

	roster, err := filepath.Abs("../testdata/rosters/qinxian-realestate.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	// The README's quick start: task 292 of the built-in plan, the Qinxian roster, the seed.
	draw := func(name string, prefix ...string) string {
		t.Helper()
		dir := t.TempDir()
		args := append(prefix, filepath.Join(out, name), "--db", filepath.Join(dir, "choucha.db"),
			"sample", "--task", "292", "--roster", roster, "--seed", "20260401123456789012", "--out", filepath.Join(dir, "draw"))
		c := exec.Command(args[0], args[1:]...)
		c.Dir = dir
		var stderr bytes.Buffer
		c.Stderr = &stderr
		stdout, err := c.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		if !bytes.Contains(stdout, []byte("91140430MA9A3GNL0Y")) {
			t.Errorf("%s: the README's first firm is not in the list:\n%s", name, stdout)
		}
		return filepath.Join(dir, "draw")
	}
	arm := draw("choucha-0.0.0-test-linux-arm64", q)
	nat := draw("choucha-0.0.0-test-linux-" + runtime.GOARCH)
	ma, mn := manifest(t, arm), manifest(t, nat)
	ja, _ := json.Marshal(ma)
	jn, _ := json.Marshal(mn)
	if !bytes.Equal(ja, jn) {
		t.Errorf("arm64 (qemu) manifest differs from the native one:\n%s\n%s", ja, jn)
	}
	if ma["tool_version"] != "0.0.0-test" {
		t.Errorf("tool_version %v: the version was not stamped", ma["tool_version"])
	}
	for _, f := range []string{"抽查名单.csv"} {
		a, err1 := os.ReadFile(filepath.Join(arm, f))
		n, err2 := os.ReadFile(filepath.Join(nat, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, n) {
			t.Errorf("%s differs between arm64 and native (%v %v)", f, err1, err2)
		}
	}
}
