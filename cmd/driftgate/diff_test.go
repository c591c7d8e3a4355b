package main

import (
	"bytes"
	"encoding/json"
	"github.com/driftgate/driftgate/fixtures/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

const (
	diffOld  = "cmd/driftgate/testdata/diff/old.odcs.yaml"
	diffNew  = "cmd/driftgate/testdata/diff/new.odcs.yaml"
	versions = "contracts/testdata/versions/orders"
	breaking = "contracts/diff/testdata/breaking/"
)

func TestDiffCommands(t *testing.T) {
	inRepoRoot(t)
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string // substrings
	}{
		{
			name: "a breaking change without a major bump fails with exit 1",
			args: []string{"diff", diffOld, diffNew},
			code: exitFailed, stdout: "VERSION_BUMP_REQUIRED",
		},
		{
			name: "a breaking change in a new major version passes with a warning",
			args: []string{"diff", breaking + "COLUMN_REMOVED/previous/orders.odcs.yaml", breaking + "COLUMN_REMOVED/current/orders.odcs.yaml"},
			code: exitPass, stdout: "1 warning",
		},
		{
			name: "--fail-on warning fails on an announced break",
			args: []string{"diff", "--fail-on", "warning", breaking + "COLUMN_REMOVED/previous/orders.odcs.yaml", breaking + "COLUMN_REMOVED/current/orders.odcs.yaml"},
			code: exitFailed, stdout: "COLUMN_REMOVED",
		},
		{
			name: "backward mode ignores a change that breaks only consumers",
			args: []string{"diff", "--mode", "backward", breaking + "VERSION_BUMP_REQUIRED/previous/orders.odcs.yaml", breaking + "VERSION_BUMP_REQUIRED/current/orders.odcs.yaml"},
			code: exitPass, stdout: "info",
		},
		{
			name: "forward mode enforces a change that breaks consumers",
			args: []string{"diff", "--mode", "forward", breaking + "VERSION_BUMP_REQUIRED/previous/orders.odcs.yaml", breaking + "VERSION_BUMP_REQUIRED/current/orders.odcs.yaml"},
			code: exitFailed, stdout: "VERSION_BUMP_REQUIRED",
		},
		{
			name: "--except drops a rule and the bump it forced",
			args: []string{"diff", "--except", "COLUMN_REMOVED", breaking + "VERSION_BUMP_REQUIRED/previous/orders.odcs.yaml", breaking + "VERSION_BUMP_REQUIRED/current/orders.odcs.yaml"},
			code: exitPass, stdout: "PASS",
		},
		{
			name: "a version that went down fails",
			args: []string{"diff", breaking + "VERSION_DECREASED/previous/orders.odcs.yaml", breaking + "VERSION_DECREASED/current/orders.odcs.yaml"},
			code: exitFailed, stdout: "VERSION_DECREASED",
		},
		{
			name: "a compatible addition with only a patch bump is a warning, not a failure",
			args: []string{"diff", breaking + "VERSION_BUMP_SUGGESTED/previous/orders.odcs.yaml", breaking + "VERSION_BUMP_SUGGESTED/current/orders.odcs.yaml"},
			code: exitPass, stdout: "VERSION_BUMP_SUGGESTED",
		},
		{
			name: "a directory compares the newest version with the one before",
			args: []string{"diff", versions},
			code: exitPass, stdout: `optional column "channel"`,
		},
		{
			name: "--transitive compares the newest version with every earlier one",
			args: []string{"diff", "--transitive", versions},
			code: exitPass, stdout: "1.3.0 → 2.1.0",
		},
		{
			name: "an unknown --except rule is a usage error",
			args: []string{"diff", "--except", "COLUMN_VANISHED", diffOld, diffNew},
			code: exitUsage, stderr: "COLUMN_VANISHED",
		},
		{
			name: "an unknown --mode is a usage error",
			args: []string{"diff", "--mode", "sideways", diffOld, diffNew},
			code: exitUsage, stderr: "sideways",
		},
		{
			name: "diff --rules lists every rule with whom it breaks",
			args: []string{"diff", "--rules"},
			code: exitPass, stdout: "COLUMN_ADDED_REQUIRED",
		},
		{
			name: "versions lists a directory and marks the default",
			args: []string{"versions", versions},
			code: exitPass, stdout: "2.0.0    active  *",
		},
		{
			name: "check --contract DIR uses the newest version that is not a draft",
			args: []string{"check", "-c", versions, "--format", "json", "fixtures/orders/orders.csv"},
			code: exitFailed, stdout: `"version": "2.0.0"`,
		},
		{
			name: "check --contract-version picks a version",
			args: []string{"check", "-c", versions, "--contract-version", "1.3.0", "--format", "json", "fixtures/orders/orders.csv"},
			code: exitFailed, stdout: `"version": "1.3.0"`,
		},
		{
			name: "check --contract-version with an unknown version lists the known ones",
			args: []string{"check", "-c", versions, "--contract-version", "9.0.0", "fixtures/orders/orders.csv"},
			code: exitUsage, stderr: "1.3.0, 1.4.0, 2.0.0, 2.1.0",
		},
		{
			name: "check --contract-version on a single file is a usage error",
			args: []string{"check", "-c", diffOld, "--contract-version", "1.4.0", "fixtures/orders/orders.csv"},
			code: exitUsage, stderr: "directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

func TestDiffContractErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, version, extra string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		y := "apiVersion: v3.1.0\nkind: DataContract\nid: urn:t\nversion: \"" + version + "\"\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: integer\n" + extra
		if err := os.WriteFile(p, []byte(y), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "1.0.0", "")
	bad := write("bad.yaml", "1.1", "")
	t.Run("a version that is not semantic exits 2 with file and line", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "diff", good, bad)
		if code != exitUsage || !strings.Contains(stderr, bad+":4:") {
			t.Errorf("exit %d, stderr %q; want 2 naming %s:4", code, stderr, bad)
		}
	})
	t.Run("the same id and version with different content exits 2 naming both files", func(t *testing.T) {
		sub := filepath.Join(dir, "dup")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, extra := range []string{"", "      - name: b\n        logicalType: string\n"} {
			y := "apiVersion: v3.1.0\nkind: DataContract\nid: urn:t\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: a\n        logicalType: integer\n" + extra
			if err := os.WriteFile(filepath.Join(sub, []string{"x.yaml", "y.yaml"}[i]), []byte(y), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{{"diff", sub}, {"versions", sub}, {"check", "-c", sub, "nothing.csv"}} {
			_, stderr, code := cli(t, nil, args...)
			if code != exitUsage || !strings.Contains(stderr, "x.yaml") || !strings.Contains(stderr, "y.yaml") {
				t.Errorf("%v: exit %d, stderr %q; want 2 naming x.yaml and y.yaml", args, code, stderr)
			}
		}
	})
}

// TestDiffGoldenReports renders one diff in every format, each compared
// with its golden file.
func TestDiffGoldenReports(t *testing.T) {
	inRepoRoot(t)
	dir := t.TempDir()
	formats := []struct{ name, file string }{
		{"json", "want.json"}, {"junit", "want.junit.xml"}, {"github", "want.github.txt"},
		{"markdown", "want.md"}, {"changelog", "want.changelog.md"},
	}
	args := []string{"diff", "--format", "text"}
	for _, f := range formats {
		args = append(args, "--format", f.name+"="+filepath.Join(dir, f.file))
	}
	stdout, stderr, code := cli(t, nil, append(args, diffOld, diffNew)...)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	golden(t, "cmd/driftgate/testdata/diff/want.txt", []byte(stdout))
	for _, f := range formats {
		got, err := os.ReadFile(filepath.Join(dir, f.file))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "cmd/driftgate/testdata/diff/"+f.file, got)
	}
	var rep report.Report
	b, _ := os.ReadFile(filepath.Join(dir, "want.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Location == nil || f.Location.Line == 0 {
			t.Errorf("%s has no line; GitHub cannot annotate it", f.Rule)
		}
		if f.Rule == "COLUMN_REMOVED" && f.Location.File != diffNew {
			t.Errorf("a removal points at %s; want the new contract (the schema that lost the column), a file the pull request shows", f.Location.File)
		}
		if f.Rule == "TYPE_WIDENED" && (f.Location.File != diffNew || f.Location.Line != 18) {
			t.Errorf("TYPE_WIDENED at %s:%d; want %s:18, the new physicalType", f.Location.File, f.Location.Line, diffNew)
		}
	}
}

func TestChangelogCommand(t *testing.T) {
	inRepoRoot(t)
	stdout, _, code := cli(t, nil, "changelog", "--format", "markdown", diffOld, diffNew)
	if code != exitFailed {
		t.Errorf("exit %d, want 1 (a breaking change)", code)
	}
	for _, want := range []string{"### Breaking (3)", "### Compatible (1)", "### Documentation only (1)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("changelog lacks %q:\n%s", want, stdout)
		}
	}
}

// gitRepoWithContracts makes a repository with two commits: the first has
// contracts/orders.yaml (old.odcs.yaml), the second changes it in place to
// new.odcs.yaml and adds a second contract.
func gitRepoWithContracts(t *testing.T) string {
	t.Helper()
	testenv.Program(t, "git")
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=a@b", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	cp := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	cp(diffOld, "contracts/orders.yaml")
	git("add", ".")
	git("commit", "-q", "-m", "orders 1.4.0")
	cp(diffNew, "contracts/orders.yaml")
	cp(breaking+"CONTRACT_ADDED/current/customers.odcs.yaml", "contracts/customers.yaml")
	git("add", ".")
	git("commit", "-q", "-m", "orders 1.5.0, customers")
	return dir
}

func TestDiffAgainstGitRef(t *testing.T) {
	dir := gitRepoWithContracts(t)
	t.Chdir(dir)
	t.Run("each contract is compared with its version at the ref; a new one is added", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "r.json")
		stdout, stderr, code := cli(t, nil, "diff", "--against", "HEAD~1", "--format", "text", "--format", "json="+out, "contracts/")
		if code != exitFailed {
			t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var rep report.Report
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range rep.Findings {
			got[f.Rule] = f.Location.File
		}
		want := map[string]string{
			"CONTRACT_ADDED": "contracts/customers.yaml", "COLUMN_REMOVED": "contracts/orders.yaml",
			"TYPE_WIDENED": "contracts/orders.yaml", "VERSION_BUMP_REQUIRED": "contracts/orders.yaml",
			"COLUMN_ADDED_OPTIONAL": "contracts/orders.yaml", "DESCRIPTION_CHANGED": "contracts/orders.yaml",
		}
		for rule, file := range want {
			if got[rule] != file {
				t.Errorf("%s at %q, want %q", rule, got[rule], file)
			}
		}
		if len(got) != len(want) {
			t.Errorf("rules %v, want %v", got, want)
		}
	})
	t.Run("a single file works too", func(t *testing.T) {
		stdout, _, code := cli(t, nil, "changelog", "--against", "HEAD~1", "contracts/orders.yaml")
		if code != exitFailed || !strings.Contains(stdout, "### Breaking") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
	t.Run("an unchanged tree has no changes", func(t *testing.T) {
		stdout, _, code := cli(t, nil, "diff", "--against", "HEAD", "contracts/")
		if code != exitPass || !strings.Contains(stdout, "0 changes") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
	t.Run("a missing ref exits 2 naming it", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "diff", "--against", "origin/main", "contracts/")
		if code != exitUsage || !strings.Contains(stderr, `"origin/main"`) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("a missing path exits 2 naming it", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "diff", "--against", "HEAD~1", "nope/")
		if code != exitUsage || !strings.Contains(stderr, "nope") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

func TestCheckAllVersions(t *testing.T) {
	inRepoRoot(t)
	// A batch in the 1.3.0 shape: no note, no customer_id.
	data := filepath.Join(t.TempDir(), "old.csv")
	if err := os.WriteFile(data, []byte("order_id,amount\n1,9.5\n2,12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := cli(t, nil, "check", "-c", versions, "--all-versions", "--format", "json="+out, data)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (the batch breaks the default version 2.0.0); stderr:\n%s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var summary string
	broken := 0
	for _, f := range rep.Findings {
		switch f.Rule {
		case "VERSION_CONFORMANCE":
			summary = f.Message
		case "VERSION_BROKEN":
			broken++
		}
	}
	want := "conforms to 1.3.0 and 1.4.0; breaks 2.0.0: column `customer_id` missing; 2.1.0: column `customer_id` missing"
	if summary != want {
		t.Errorf("summary %q, want %q", summary, want)
	}
	if broken != 2 {
		t.Errorf("%d VERSION_BROKEN findings, want one per broken version (2)", broken)
	}
	if rep.Contract == nil || rep.Contract.Version != "2.0.0" {
		t.Errorf("the report does not say it checked 2.0.0: %+v", rep.Contract)
	}
	t.Run("against the old version the batch passes", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "check", "-c", versions, "--contract-version", "1.3.0", "--all-versions", data)
		if code != exitPass {
			t.Errorf("exit %d, want 0; stderr:\n%s", code, stderr)
		}
	})
}

func TestReadmeDiffRuleTableMatchesRegistry(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	writeDiffRulesMarkdown(&want)
	const begin, end = "<!-- diffrules:begin -->\n", "<!-- diffrules:end -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the diffrules:begin/diffrules:end markers")
	}
	if got := s[i+len(begin) : j]; got != want.String() {
		t.Errorf("README diff rule table is stale; replace it with the output of `driftgate diff --rules --markdown`:\n%s", want.String())
	}
	if !strings.Contains(s, "driftgate diff --against origin/main contracts/") {
		t.Error("README does not show the pre-merge use")
	}
}
