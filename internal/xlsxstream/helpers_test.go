package xlsxstream

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// rosters is the repository's folder of test rosters.
const rosters = "../../testdata/rosters/"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
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

// genRoster runs the shared generator (shared/ beside the repository, as CI lays it out).
// Without python3 or shared/ the tests that need it skip on a developer's machine but fail
// under CI=true, where .ci/run installs python3, so a skip there cannot hide them.
func genRoster(t testing.TB, args ...string) {
	t.Helper()
	skip := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatal(why + " (CI=true: nothing may skip)")
		}
		t.Skip(why)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		skip("python3 not found")
	}
	tool := filepath.Join("..", "..", "..", "shared", "tools", "gen_roster.py")
	if _, err := os.Stat(tool); err != nil {
		skip(tool + " not found (shared/ beside the repository)")
	}
	out, err := exec.Command(py, append([]string{tool}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("gen_roster %v: %v\n%s", args, err, out)
	}
}
