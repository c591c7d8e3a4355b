package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// precommitHook is an entry of .pre-commit-hooks.yaml.
type precommitHook struct {
	ID       string `yaml:"id"`
	Name     string `yaml:"name"`
	Entry    string `yaml:"entry"`
	Language string `yaml:"language"`
	Files    string `yaml:"files"`
}

// TestPrecommitHooks checks that .pre-commit-hooks.yaml parses, that each
// hook names a real driftgate command with flags it accepts, that its files
// pattern picks the contracts, and runs each entry as pre-commit does: with
// the staged file names appended.
func TestPrecommitHooks(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []precommitHook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	byID := map[string]precommitHook{}
	for _, h := range hooks {
		if h.ID == "" || h.Name == "" || h.Entry == "" {
			t.Errorf("hook %+v: id, name and entry are required", h)
		}
		// language: golang runs `go install ./...`, which installs
		// cmd/driftgate as driftgate.
		if h.Language != "golang" {
			t.Errorf("hook %s: language %q, want golang", h.ID, h.Language)
		}
		words := strings.Fields(h.Entry)
		if len(words) < 2 || words[0] != "driftgate" {
			t.Fatalf("hook %s: entry %q does not run driftgate COMMAND", h.ID, h.Entry)
		}
		root := newRoot(env{getenv: func(string) string { return "" }})
		cmd, rest, err := root.Find(words[1:])
		if err != nil || cmd == root {
			t.Fatalf("hook %s: %q is not a driftgate command: %v", h.ID, words[1], err)
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("hook %s: entry %q: %v", h.ID, h.Entry, err)
		}
		files, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files: %v", h.ID, err)
		}
		for path, want := range map[string]bool{
			"contracts/orders.odcs.yaml":          true,
			"fixtures/orders/contract.odcs.yaml":  true,
			"orders.odcs.yml":                     true,
			"orders.odcs.json":                    true,
			"datacontract.yaml":                   true,
			"team/datacontract.yml":               true,
			"fixtures/orders/orders.csv":          false,
			"driftgate.yaml":                      false,
			".github/workflows/ci.yml":            false,
			"contracts/mydatacontract.yaml.orig":  false,
			"contracts/orders.odcs.yaml/notes.md": false,
		} {
			if got := files.MatchString(path); got != want {
				t.Errorf("hook %s: files %q matches %s: %v, want %v", h.ID, h.Files, path, got, want)
			}
		}
		byID[h.ID] = h
	}
	for _, id := range []string{"driftgate-lint", "driftgate-diff"} {
		if _, ok := byID[id]; !ok {
			t.Errorf("no hook %s", id)
		}
	}
	if t.Failed() {
		return
	}

	// A repository whose last commit has a contract, with a change that
	// removes a column staged, and a broken contract beside it.
	repo := t.TempDir()
	t.Chdir(repo)
	copyFile(t, filepath.Join(root, "fixtures", "orders-clean", "contract.odcs.yaml"), filepath.Join("contracts", "orders.odcs.yaml"))
	git(t, "init", "-q")
	git(t, "add", ".")
	git(t, "commit", "-q", "-m", "base")
	removeColumn(t, filepath.Join("contracts", "orders.odcs.yaml"), "email")
	git(t, "add", ".")
	copyFile(t, filepath.Join(root, "fixtures", "bad-contract", "contract.odcs.yaml"), filepath.Join("contracts", "broken.odcs.yaml"))

	hook := func(id string, files ...string) (stdout, stderr string, code int) {
		return cli(t, nil, append(strings.Fields(byID[id].Entry)[1:], files...)...)
	}
	if stdout, stderr, code := hook("driftgate-lint", "contracts/orders.odcs.yaml"); code != exitPass {
		t.Errorf("lint hook on a valid contract: exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout, stderr, code := hook("driftgate-lint", "contracts/orders.odcs.yaml", "contracts/broken.odcs.yaml"); code != exitUsage || !strings.Contains(stdout+stderr, "broken.odcs.yaml") {
		t.Errorf("lint hook with a broken contract: exit %d, want %d naming the file\n%s%s", code, exitUsage, stdout, stderr)
	}
	if stdout, stderr, code := hook("driftgate-diff", "contracts/orders.odcs.yaml"); code != exitFailed || !strings.Contains(stdout, "COLUMN_REMOVED") {
		t.Errorf("diff hook on a staged column removal: exit %d, want %d with COLUMN_REMOVED\n%s%s", code, exitFailed, stdout, stderr)
	}
	git(t, "commit", "-q", "-m", "remove email")
	if stdout, stderr, code := hook("driftgate-diff", "contracts/orders.odcs.yaml"); code != exitPass {
		t.Errorf("diff hook with nothing changed since HEAD: exit %d\n%s%s", code, stdout, stderr)
	}
}
