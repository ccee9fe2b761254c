// Package lotest finds LibreOffice for the tests that convert files with it (a plan or a
// roster in the formats offices keep: .docx, .doc, .xls, .html), and converts. Tests only.
package lotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Find returns LibreOffice with Calc and Writer (Debian: libreoffice-calc-nogui and
// libreoffice-writer-nogui). Under CI (CI=true) a missing one fails the test; .ci/run installs
// both. Elsewhere the test is skipped.
func Find(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			if _, err := os.Stat("/usr/lib/libreoffice/program/libswlo.so"); err == nil || os.Getenv("CI") == "true" {
				return p
			}
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("LibreOffice Writer not installed (apt-get install libreoffice-writer-nogui)")
	}
	t.Skip("LibreOffice Writer not installed (apt-get install libreoffice-writer-nogui)")
	return ""
}

// Convert converts in with LibreOffice lo into outdir (format as --convert-to takes it, an
// import filter when infilter is not ""), with its profile in profile, and returns the file
// written.
func Convert(t testing.TB, lo, profile, infilter, format, outdir, in string) string {
	t.Helper()
	args := []string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	cmd := exec.Command(lo, append(args, "--convert-to", format, "--outdir", outdir, in)...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, b)
	}
	base := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))
	ext, _, _ := strings.Cut(format, ":")
	out := filepath.Join(outdir, base+"."+ext)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("libreoffice wrote no %s: %v", out, err)
	}
	return out
}
