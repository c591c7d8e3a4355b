package contracts

import (
	"context"
	"errors"
	"github.com/driftgate/driftgate/fixtures/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a repository with two commits: the first holds
// contracts/orders.yaml at 1.0.0, the second bumps it to 2.0.0 without
// column b and adds contracts/new.yaml.
func gitRepo(t *testing.T) string {
	t.Helper()
	testenv.Program(t, "git")
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=a@b", "-c", "user.name=t", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	write("contracts/orders.yaml", contractYAML("1.0.0", "active", colA+colB))
	git("add", ".")
	git("commit", "-q", "-m", "first")
	git("tag", "v1")
	write("contracts/orders.yaml", contractYAML("2.0.0", "active", colA))
	write("contracts/new.yaml", strings.Replace(contractYAML("0.1.0", "active", colA), "id: urn:t", "id: urn:new", 1))
	git("add", ".")
	git("commit", "-q", "-m", "second")
	return dir
}

func TestGitLoadAt(t *testing.T) {
	dir := gitRepo(t)
	g := Git{Dir: dir}
	ctx := context.Background()

	t.Run("the contracts at a ref are read with git show", func(t *testing.T) {
		cs, err := g.LoadAt(ctx, "HEAD~1", "contracts")
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Version != "1.0.0" || cs[0].Path != "HEAD~1:contracts/orders.yaml" {
			t.Fatalf("got %d contracts: %+v", len(cs), cs)
		}
	})
	t.Run("a file the ref lacks is ErrNotAtRef", func(t *testing.T) {
		_, err := g.Show(ctx, "v1", "contracts/new.yaml")
		if !errors.Is(err, ErrNotAtRef) || !strings.Contains(err.Error(), "contracts/new.yaml") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a missing ref is ErrRefNotFound naming it", func(t *testing.T) {
		_, err := g.LoadAt(ctx, "origin/nope", "contracts")
		if !errors.Is(err, ErrRefNotFound) || !strings.Contains(err.Error(), "origin/nope") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a ref that looks like an option is refused", func(t *testing.T) {
		if _, err := g.Verify(ctx, "--output=/tmp/x"); !errors.Is(err, ErrRefNotFound) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("the catalog at the ref and the work tree's catalog hold their own versions", func(t *testing.T) {
		base, err := g.LoadAt(ctx, "v1", "contracts")
		if err != nil {
			t.Fatal(err)
		}
		bc, err := NewCatalog(base)
		if err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		hc, err := LoadCatalog("contracts")
		if err != nil {
			t.Fatal(err)
		}
		if got := bc.IDs(); strings.Join(got, " ") != "urn:t" {
			t.Errorf("baseline ids %v, want [urn:t]", got)
		}
		if got := hc.IDs(); strings.Join(got, " ") != "urn:new urn:t" {
			t.Errorf("work tree ids %v, want [urn:new urn:t]", got)
		}
		if v := hc.Family("urn:t").Versions[0].Version; v != "2.0.0" {
			t.Errorf("work tree version %s, want 2.0.0", v)
		}
	})
	t.Run("outside a repository the error says so", func(t *testing.T) {
		_, err := Git{Dir: t.TempDir()}.Verify(ctx, "HEAD")
		if err == nil || !strings.Contains(err.Error(), "not in a git repository") {
			t.Errorf("got %v", err)
		}
	})
}

func TestGitShallowClone(t *testing.T) {
	dir := gitRepo(t)
	clone := filepath.Join(t.TempDir(), "clone")
	cmd := exec.Command("git", "clone", "-q", "--depth=1", "file://"+dir, clone)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("shallow clone unavailable: %v\n%s", err, out)
	}
	g := Git{Dir: clone}
	ctx := context.Background()
	_, err := g.LoadAt(ctx, "v1", "contracts")
	if !errors.Is(err, ErrRefNotFound) || !strings.Contains(err.Error(), "shallow clone") {
		t.Fatalf("got %v; want ErrRefNotFound with a hint about the shallow clone", err)
	}
	fetch := exec.Command("git", "fetch", "-q", "--depth=1", "origin", "tag", "v1")
	fetch.Dir = clone
	if out, err := fetch.CombinedOutput(); err != nil {
		t.Fatalf("fetch: %v\n%s", err, out)
	}
	cs, err := g.LoadAt(ctx, "v1", "contracts")
	if err != nil || len(cs) != 1 || cs[0].Version != "1.0.0" {
		t.Fatalf("after fetching the ref: %v %v", cs, err)
	}
}
