package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintGoldens lints a folder (recursively) in every lint format: a
// clean contract, one with a problem of each semantic rule, one the ODCS
// schema rejects and one whose id holds a line break, a workflow command
// and an ANSI escape.
func TestLintGoldens(t *testing.T) {
	inRepoRoot(t)
	const want = "cmd/driftgate/testdata/lint"
	const dir = want + "/contracts"
	for _, tt := range []struct{ format, golden string }{
		{"text", "want.txt"},
		{"json", "want.json"},
		{"github", "want.github.txt"},
		{"junit", "want.junit.xml"},
	} {
		t.Run("lint --format "+tt.format+" prints its golden file and exits 2", func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, "lint", "-v", "--format", tt.format, dir)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
			}
			if stderr != "driftgate: 2 of 4 contracts have problems\n" {
				t.Errorf("stderr = %q", stderr)
			}
			golden(t, filepath.Join(want, tt.golden), []byte(stdout))
			for l := range strings.SplitSeq(stdout, "\n") {
				if strings.ContainsRune(l, '\x1b') || (tt.format != "github" && strings.HasPrefix(l, "::")) {
					t.Errorf("contract text reached the output raw: %q", l)
				}
			}
		})
	}
	t.Run("ok lines only with -v", func(t *testing.T) {
		stdout, _, code := cli(t, nil, "lint", filepath.Join(dir, "good.odcs.yaml"))
		if code != exitPass || stdout != "" {
			t.Errorf("exit %d, stdout %q; want 0 and nothing", code, stdout)
		}
		stdout, _, _ = cli(t, nil, "lint", "-v", filepath.Join(dir, "good.odcs.yaml"))
		if want := dir + "/good.odcs.yaml: ok (customers 1.0.0, 1 schema object)\n"; stdout != want {
			t.Errorf("stdout %q, want %q", stdout, want)
		}
	})
	t.Run("info problems are printed but pass", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "c.yaml")
		src, _ := os.ReadFile(filepath.Join(dir, "good.odcs.yaml"))
		src = append(src, []byte("        logicalTypeOptions:\n          format: \"yyyy-QQ\"\n")...)
		src = []byte(strings.Replace(string(src), "logicalType: integer", "logicalType: date", 1))
		if err := os.WriteFile(f, src, 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := cli(t, nil, "lint", f)
		if code != exitPass || !strings.Contains(stdout, ": info: ") || !strings.Contains(stdout, "[CONTRACT_FORMAT]") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
	t.Run("an unknown format is a usage error naming lint's formats", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "lint", "--format", "html", dir)
		if code != exitUsage || !strings.Contains(stderr, "github, json, junit, text") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}
