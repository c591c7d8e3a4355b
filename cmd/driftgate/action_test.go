package main

import (
	"archive/tar"
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"text/template"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/fixtures/testenv"
)

// actionStep is one step of action.yml as the install tests run it.
type actionStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
}

func actionInstallSteps(t *testing.T) (release, build actionStep) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Runs struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	for _, s := range meta.Runs.Steps {
		switch {
		case s.ID == "release":
			release = s
		case strings.HasPrefix(s.Uses, "actions/setup-go@"), strings.HasPrefix(s.Name, "Build driftgate"):
			// Both only when the release step installed nothing.
			if s.If != "steps.release.outputs.installed != 'true'" {
				t.Errorf("step %q runs when a release binary was installed (if: %q)", cmp.Or(s.Name, s.Uses), s.If)
			}
			if s.Run != "" {
				build = s
			}
		}
	}
	if release.Run == "" || build.Run == "" {
		t.Fatalf("action.yml lacks the release step (id release) or the source build step")
	}
	return release, build
}

// stepResult is what a step left for the runner.
type stepResult struct {
	err            error
	stdout, stderr string
	outputs        map[string]string
	path           []string // lines appended to GITHUB_PATH
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([a-z_.-]+)\s*\}\}`)

// runStep runs a bash step as the runner would, with the expressions of
// its env and working-directory evaluated from ctx.
func runStep(t *testing.T, step actionStep, ctx map[string]string) stepResult {
	t.Helper()
	eval := func(s string) string {
		return exprRE.ReplaceAllStringFunc(s, func(m string) string {
			key := exprRE.FindStringSubmatch(m)[1]
			v, ok := ctx[key]
			if !ok {
				t.Fatalf("step %q: the test has no value for %s", step.Name, key)
			}
			return v
		})
	}
	tmp := t.TempDir()
	output, path := filepath.Join(tmp, "output"), filepath.Join(tmp, "path")
	runnerOS := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	env := append(os.Environ(), "GITHUB_OUTPUT="+output, "GITHUB_PATH="+path, "RUNNER_OS="+runnerOS, "RUNNER_ARCH="+runnerArch,
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	for k, v := range step.Env {
		env = append(env, k+"="+eval(v))
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step.Run)
	cmd.Env = env
	cmd.Dir = eval(step.WorkingDirectory)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r := stepResult{err: cmd.Run(), stdout: stdout.String(), stderr: stderr.String(), outputs: map[string]string{}}
	if data, err := os.ReadFile(output); err == nil {
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(l, "="); ok {
				r.outputs[k] = v
			}
		}
	}
	if data, err := os.ReadFile(path); err == nil {
		r.path = strings.Fields(string(data))
	}
	return r
}

// releaseNames renders the archive and checksums file names of
// .goreleaser.yaml for a version on this platform, so the test serves the
// files a real release would have.
func releaseNames(t *testing.T, version string) (archive, checksums string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ProjectName string `yaml:"project_name"`
		Archives    []struct {
			NameTemplate string   `yaml:"name_template"`
			Formats      []string `yaml:"formats"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Archives) != 1 || len(cfg.Archives[0].Formats) != 1 {
		t.Fatalf(".goreleaser.yaml: want one archive with one format, got %+v", cfg.Archives)
	}
	vars := map[string]string{"ProjectName": cfg.ProjectName, "Version": version, "Os": runtime.GOOS, "Arch": runtime.GOARCH}
	render := func(s string) string {
		var b strings.Builder
		if err := template.Must(template.New("").Parse(s)).Execute(&b, vars); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	return render(cfg.Archives[0].NameTemplate) + "." + cfg.Archives[0].Formats[0], render(cfg.Checksum.NameTemplate)
}

func targz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestActionInstall runs the install steps of action.yml against a local
// stand-in for GitHub: release downloads under
// /OWNER/REPO/releases/download/TAG/ and the repository's tags over git's
// HTTP protocol. It checks which refs download the release binary, that a
// bad checksum stops the action, and that a ref without a release builds
// from source stamped with the ref.
func TestActionInstall(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the action's steps are bash")
	}
	testenv.Program(t, "bash")
	testenv.Program(t, "curl")
	testenv.Program(t, "git")
	release, build := actionInstallSteps(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}

	// The release v1.2.3: GoReleaser's archive of a binary stamped v1.2.3,
	// and its checksums file.
	bin := buildDriftgate(t, "-buildvcs=false", "-ldflags=-X main.version=v1.2.3")
	archive, checksums := releaseNames(t, "1.2.3")
	if !strings.HasSuffix(archive, ".tar.gz") {
		t.Fatalf("archive %s: the test builds tar.gz archives", archive)
	}
	archiveData := targz(t, map[string]string{"driftgate": bin, "README.md": filepath.Join(root, "README.md")})
	sum := sha256.Sum256(archiveData)
	goodSums := fmt.Sprintf("%s  %s\n%s  driftgate_1.2.3_plan9_amd64.tar.gz\n", hex.EncodeToString(sum[:]), archive, strings.Repeat("0", 64))
	badSums := strings.Repeat("1", 64) + "  " + archive + "\n"

	// The repository's tags: v1 and v1.2.3 (annotated) on the newest commit,
	// v1.2.0 too, v1.1.0 on the one before, v2.0.0 also on the newest.
	work, bare := t.TempDir(), filepath.Join(t.TempDir(), "driftgate.git")
	git(t, "-C", work, "init", "-q")
	git(t, "-C", work, "commit", "-q", "--allow-empty", "-m", "one")
	git(t, "-C", work, "tag", "v1.1.0")
	git(t, "-C", work, "commit", "-q", "--allow-empty", "-m", "two")
	git(t, "-C", work, "tag", "v1.2.0")
	git(t, "-C", work, "tag", "-a", "-m", "v1.2.3", "v1.2.3")
	git(t, "-C", work, "tag", "-a", "-m", "v1", "v1")
	git(t, "-C", work, "tag", "v2.0.0")
	git(t, "clone", "-q", "--bare", work, bare)
	git(t, "-C", bare, "update-server-info")

	// The server's goroutines read sums and log requests while the test
	// goroutine sets and reads them between steps: one lock for both.
	var lock sync.Mutex
	var requests strings.Builder // the downloads requested, for the assertions
	sums := goodSums
	logged := func() string {
		lock.Lock()
		defer lock.Unlock()
		return requests.String()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/driftgate/driftgate/releases/download/", func(w http.ResponseWriter, r *http.Request) {
		lock.Lock()
		fmt.Fprintln(&requests, r.URL.Path)
		body := sums
		lock.Unlock()
		switch r.URL.Path {
		case "/driftgate/driftgate/releases/download/v1.2.3/" + checksums:
			fmt.Fprint(w, body)
		case "/driftgate/driftgate/releases/download/v1.2.3/" + archive:
			_, _ = w.Write(archiveData)
		default:
			http.NotFound(w, r)
		}
	})
	mux.Handle("/driftgate/driftgate/", http.StripPrefix("/driftgate/driftgate", http.FileServer(http.Dir(bare))))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx := func(repo, ref, actionPath string) map[string]string {
		return map[string]string{
			"github.action_repository": repo,
			"github.action_ref":        ref,
			"github.action_path":       actionPath,
			"github.server_url":        srv.URL,
			"runner.temp":              t.TempDir(),
		}
	}
	tests := []struct {
		name, repo, ref, actionPath string
		sums                        string
		installed                   bool
		version                     string // the stamp for a source build
		fails                       string // a message the failed step prints
	}{
		{name: "an exact release tag downloads that release", repo: "driftgate/driftgate", ref: "v1.2.3", installed: true, version: "v1.2.3"},
		{name: "a moving tag downloads the newest release on its commit", repo: "driftgate/driftgate", ref: "v1", installed: true, version: "v1.2.3"},
		{name: "without action_ref the action path names the ref", actionPath: "/home/runner/work/_actions/driftgate/driftgate/v1.2.3", installed: true, version: "v1.2.3"},
		{name: "a tag without a release builds from source stamped with the tag", repo: "driftgate/driftgate", ref: "v1.2.4", version: "v1.2.4"},
		{name: "a moving tag with no release under it builds stamped with the tag", repo: "driftgate/driftgate", ref: "v3", version: "v3"},
		{name: "a commit builds from source stamped with the commit", repo: "driftgate/driftgate", ref: "5dde84b1a2c3d4e5f60718293a4b5c6d7e8f9012", version: "devel-5dde84b1a2c3"},
		{name: "a branch builds from source stamped with the branch", repo: "driftgate/driftgate", ref: "feature/x", version: "devel-feature-x"},
		{name: "uses: ./ builds from source with the toolchain's stamp", actionPath: root, version: ""},
		{name: "a checksum mismatch stops the action", repo: "driftgate/driftgate", ref: "v1.2.3", sums: badSums, fails: "does not match the release's checksums.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lock.Lock()
			sums = cmp.Or(tt.sums, goodSums)
			requests.Reset()
			lock.Unlock()
			c := ctx(tt.repo, tt.ref, cmp.Or(tt.actionPath, root))
			r := runStep(t, release, c)
			if tt.fails != "" {
				if r.err == nil || !strings.Contains(r.stdout, "::error") || !strings.Contains(r.stdout, tt.fails) {
					t.Errorf("the release step: err %v, want a failure with %q\n%s%s", r.err, tt.fails, r.stdout, r.stderr)
				}
				if len(r.path) != 0 || r.outputs["installed"] != "" {
					t.Errorf("a binary with a bad checksum was installed: path %v, outputs %v", r.path, r.outputs)
				}
				return
			}
			if r.err != nil {
				t.Fatalf("the release step: %v\n%s%s", r.err, r.stdout, r.stderr)
			}
			if got := r.outputs["installed"] == "true"; got != tt.installed {
				t.Errorf("installed = %v, want %v\n%s%srequests:\n%s", got, tt.installed, r.stdout, r.stderr, logged())
			}
			if r.outputs["version"] != tt.version {
				t.Errorf("version output %q, want %q", r.outputs["version"], tt.version)
			}
			if !tt.installed {
				if len(r.path) != 0 {
					t.Errorf("nothing was downloaded, yet GITHUB_PATH got %v", r.path)
				}
				return
			}
			if len(r.path) != 1 {
				t.Fatalf("GITHUB_PATH got %v, want the binary's directory", r.path)
			}
			out, err := exec.Command(filepath.Join(r.path[0], "driftgate"), "version").Output()
			if err != nil || !strings.HasPrefix(string(out), "driftgate v1.2.3 ") {
				t.Errorf("the installed driftgate version: %q, %v", out, err)
			}
			if !strings.Contains(r.stdout, "driftgate v1.2.3 ") {
				t.Errorf("the step does not print the installed version:\n%s", r.stdout)
			}
		})
	}

	// The source build of a ref without a release, as the runner runs it
	// in the action's checkout (here the repository itself).
	t.Run("the source build is stamped with the ref", func(t *testing.T) {
		c := ctx("driftgate/driftgate", "v1.2.4", root)
		c["steps.release.outputs.version"] = "v1.2.4"
		r := runStep(t, build, c)
		if r.err != nil {
			t.Fatalf("the build step: %v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if len(r.path) != 1 {
			t.Fatalf("GITHUB_PATH got %v, want GOBIN", r.path)
		}
		out, err := exec.Command(filepath.Join(r.path[0], "driftgate"), "--version").Output()
		if err != nil || !strings.HasPrefix(string(out), "driftgate v1.2.4 (") {
			t.Errorf("driftgate --version after the source build: %q, %v", out, err)
		}
	})
}
