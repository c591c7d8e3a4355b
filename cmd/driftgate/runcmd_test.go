package main

import (
	"context"
	"encoding/json"
	"github.com/driftgate/driftgate/fixtures/testenv"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/checker/report"
)

// projectConfig is the fixture repository's driftgate.yaml: a Parquet
// dataset with a partition placeholder and a baseline, and a CSV dataset
// with its own copy of the contract.
const projectConfig = `version: 1
reports:
  - format: json
    path: out/driftgate.json
datasets:
  - name: orders
    data: ["data/orders/dt={date}/"]
    contract: contracts/orders.odcs.yaml
    baseline: baselines/orders.profile.json
    drift:
      exclude: [order_id]
  - name: orders-csv
    data: [data/orders-csv/orders.csv]
    contract: contracts/orders-csv.odcs.yaml
    severity:
      COLUMN_UNEXPECTED: info
`

// fixtureRepo builds a project from the shipped clean orders fixtures in a
// temporary directory and makes it the current directory. It returns the
// repository's root and the absolute path of the shipped fixtures.
func fixtureRepo(t *testing.T) string {
	t.Helper()
	fixtures, err := filepath.Abs(filepath.Join("..", "..", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	copyFile(t, filepath.Join(fixtures, "orders-clean", "contract.odcs.yaml"), filepath.Join(root, "contracts", "orders.odcs.yaml"))
	copyFile(t, filepath.Join(fixtures, "orders-clean", "contract.odcs.yaml"), filepath.Join(root, "contracts", "orders-csv.odcs.yaml"))
	copyFile(t, filepath.Join(fixtures, "orders-clean", "orders.parquet"), filepath.Join(root, "data", "orders", "dt=2026-11-23", "part-0.parquet"))
	copyFile(t, filepath.Join(fixtures, "orders-clean", "orders.parquet"), filepath.Join(root, "data", "orders", "dt=2026-11-24", "part-0.parquet"))
	copyFile(t, filepath.Join(fixtures, "orders-clean", "orders.csv"), filepath.Join(root, "data", "orders-csv", "orders.csv"))
	writeFile(t, filepath.Join(root, "driftgate.yaml"), projectConfig)
	writeFile(t, filepath.Join(root, ".gitignore"), "out/\n")
	t.Chdir(root)
	return fixtures
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(data))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// git runs git in the current directory with a fixed identity.
func git(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.email=a@b", "-c", "user.name=t", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func readReport(t *testing.T, path string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func schemas(r *report.Report) map[string]bool {
	out := map[string]bool{}
	for _, c := range r.Checks {
		out[c.Schema] = true
	}
	return out
}

func TestRunEndToEnd(t *testing.T) {
	fixtures := fixtureRepo(t)

	stdout, stderr, code := cli(t, nil, "baseline", "update")
	if code != exitPass {
		t.Fatalf("baseline update exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "orders: wrote baselines/orders.profile.json (500 rows from 1 file)") {
		t.Errorf("baseline update said %q", stdout)
	}

	t.Run("clean data in both datasets passes with drift checked against the baseline", func(t *testing.T) {
		stdout, stderr, code := cli(t, nil, "run")
		if code != exitPass {
			t.Fatalf("exit %d, want 0\n%s\n%s", code, stdout, stderr)
		}
		if !strings.HasPrefix(stdout, "PASS") {
			t.Errorf("stdout does not start with the verdict:\n%s", stdout)
		}
		r := readReport(t, filepath.Join("out", "driftgate.json"))
		if r.Command != "run" || r.Status != report.StatusPass {
			t.Errorf("report command %q status %q", r.Command, r.Status)
		}
		if s := schemas(r); !s["orders"] || !s["orders-csv/orders"] {
			t.Errorf("checks name the datasets %v, want orders and orders-csv/orders", s)
		}
		if len(r.Inputs) != 2 || r.Inputs[0].Path != filepath.Join("data", "orders", "dt=2026-11-24", "part-0.parquet") {
			t.Errorf("inputs %+v, want the latest parquet partition then the CSV", r.Inputs)
		}
		if len(r.Drift) == 0 || r.Drift[0].Schema != "orders" {
			t.Errorf("no drift comparison for the dataset with a baseline: %+v", r.Drift)
		}
		for _, c := range r.Checks {
			if strings.HasPrefix(c.Rule, "DRIFT_") && c.Schema != "orders" {
				t.Errorf("drift check %+v on a dataset without a baseline", c)
			}
		}
	})

	t.Run("planted problems in the CSV dataset fail the run with exit 1", func(t *testing.T) {
		copyFile(t, filepath.Join(fixtures, "orders", "orders.csv"), filepath.Join("data", "orders-csv", "orders.csv"))
		stdout, _, code := cli(t, nil, "run", "--format", "markdown=out/summary.md")
		if code != exitFailed {
			t.Fatalf("exit %d, want 1\n%s", code, stdout)
		}
		r := readReport(t, filepath.Join("out", "driftgate.json"))
		for _, f := range r.Findings {
			if f.Schema != "orders-csv/orders" && f.Severity == report.SeverityError {
				t.Errorf("an error outside the CSV dataset: %+v", f)
			}
			if f.Rule == "COLUMN_UNEXPECTED" && f.Severity != report.SeverityInfo {
				t.Errorf("the config's severity override was not applied: %+v", f)
			}
		}
		if _, err := os.Stat(filepath.Join("out", "summary.md")); err != nil {
			t.Errorf("--format adds to the config's reports: %v", err)
		}
	})

	t.Run("naming a dataset runs only that one", func(t *testing.T) {
		_, _, code := cli(t, nil, "run", "orders")
		if code != exitPass {
			t.Fatalf("exit %d, want 0", code)
		}
		if s := schemas(readReport(t, filepath.Join("out", "driftgate.json"))); s["orders-csv/orders"] {
			t.Errorf("checks %v include a dataset not named", s)
		}
	})
}

func TestRunUsageErrors(t *testing.T) {
	fixtureRepo(t)
	tests := []struct {
		name   string
		config string // written to bad.yaml when set
		args   []string
		stderr string
	}{
		{"a missing config suggests init", "", []string{"run", "--config", "none.yaml"}, "run driftgate init"},
		{"an unknown dataset lists the declared ones", "", []string{"run", "nope"}, `no dataset "nope" in driftgate.yaml; it declares orders, orders-csv`},
		{
			"a config error names its file, line and column",
			"version: 1\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n    failOn: never-ever\n",
			[]string{"run", "--config", "bad.yaml"},
			"bad.yaml:6:13: datasets[0].failOn: \"never-ever\" is not one of error, warning, info, never",
		},
		{
			"a severity override of a rule that does not exist is an error at its line",
			"version: 1\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n    severity:\n      VALUE_NUL: info\n",
			[]string{"run", "--config", "bad.yaml"},
			"bad.yaml:7:7: datasets[0].severity.VALUE_NUL: no rule VALUE_NUL",
		},
		{"pull-request mode without a base is a usage error", "", []string{"run", "--mode", "pull-request"}, "--mode pull-request needs a base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.config != "" {
				writeFile(t, "bad.yaml", tt.config)
			}
			_, stderr, code := cli(t, nil, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.stderr)
			}
		})
	}
}

// removeColumn deletes a property block from a contract: a breaking
// change (COLUMN_REMOVED) that keeps the version.
func removeColumn(t *testing.T, path, column string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)\n      - name: ` + column + `\n.*?(\n      - name: )`)
	out := re.ReplaceAllString(string(data), "$1")
	if out == string(data) {
		t.Fatalf("no column %s in %s", column, path)
	}
	writeFile(t, path, out)
}

// changedRepo is the fixture repository as a git repository: a base
// commit, then a head commit that replaces the CSV dataset's data with a
// batch that has planted problems and removes a column from its contract.
func changedRepo(t *testing.T) (base string) {
	t.Helper()
	fixtures := fixtureRepo(t)
	git(t, "init", "-q")
	git(t, "add", ".")
	git(t, "commit", "-q", "-m", "base")
	base = git(t, "rev-parse", "HEAD")
	copyFile(t, filepath.Join(fixtures, "orders", "orders.csv"), filepath.Join("data", "orders-csv", "orders.csv"))
	removeColumn(t, filepath.Join("contracts", "orders-csv.odcs.yaml"), "email")
	git(t, "commit", "-q", "-am", "head")
	return base
}

func TestRunChangedSince(t *testing.T) {
	base := changedRepo(t)

	t.Run("only the changed dataset is checked and the breaking change is reported", func(t *testing.T) {
		stdout, stderr, code := cli(t, nil, "run", "--changed-since", base)
		if code != exitFailed {
			t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
		}
		r := readReport(t, filepath.Join("out", "driftgate.json"))
		if s := schemas(r); s["orders"] || !s["orders-csv/orders"] {
			t.Errorf("checked %v, want only orders-csv", s)
		}
		var removed *report.Finding
		for i, f := range r.Findings {
			if f.Rule == "COLUMN_REMOVED" {
				removed = &r.Findings[i]
			}
		}
		if removed == nil {
			t.Fatalf("no COLUMN_REMOVED finding in %+v", r.Findings)
		}
		if removed.Column != "email" || removed.Severity != report.SeverityError || removed.Schema != "orders-csv/orders" {
			t.Errorf("COLUMN_REMOVED finding %+v", removed)
		}
		if l := removed.Location; l == nil || l.File != filepath.Join("contracts", "orders-csv.odcs.yaml") || l.Line == 0 {
			t.Errorf("the breaking change points at %+v, want a line of the contract in the checkout", l)
		}
		if !strings.Contains(stdout, "COLUMN_REMOVED") || !strings.Contains(stdout, "VALUE_") {
			t.Errorf("text report lacks the breaking change or the data findings:\n%s", stdout)
		}
	})

	t.Run("nothing changed since HEAD: nothing to check, exit 0", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "run", "--changed-since", "HEAD")
		if code != exitPass || !strings.Contains(stderr, "nothing to check") {
			t.Errorf("exit %d, stderr %q; want 0 and nothing to check", code, stderr)
		}
		if r := readReport(t, filepath.Join("out", "driftgate.json")); r.Status != report.StatusPass || len(r.Checks) != 0 {
			t.Errorf("report of an empty run: status %s, %d checks", r.Status, len(r.Checks))
		}
	})

	t.Run("an unknown ref is a usage error that names it", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "run", "--changed-since", "no-such-branch")
		if code != exitUsage || !strings.Contains(stderr, `"no-such-branch"`) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

// actionMeta is the part of action.yml the test executes.
type actionMeta struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Name  string            `yaml:"name"`
			Uses  string            `yaml:"uses"`
			Run   string            `yaml:"run"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var inputRE = regexp.MustCompile(`^\$\{\{\s*inputs\.([a-z-]+)(?:\s*\|\|\s*github\.event\.pull_request\.base\.sha)?\s*\}\}$`)

// TestActionSteps runs the run steps of action.yml with bash, the driftgate
// binary built from this package, and the variables GitHub Actions sets
// for a pull_request event, and checks the annotations, the job summary
// and the outputs.
func TestActionSteps(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the action's steps are bash")
	}
	testenv.Program(t, "bash")
	actionPath, err := filepath.Abs(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "driftgate"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(actionPath)
	if err != nil {
		t.Fatal(err)
	}
	var meta actionMeta
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", meta.Runs.Using)
	}

	base := changedRepo(t)
	tmp := t.TempDir()
	summary := filepath.Join(tmp, "summary.md")
	output := filepath.Join(tmp, "output")
	event := filepath.Join(tmp, "event.json")
	writeFile(t, event, `{"action":"opened","number":7,"pull_request":{"number":7,"base":{"ref":"main","sha":"`+base+`"},"head":{"ref":"change"}}}`)
	github := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_EVENT_PATH":   event,
		"GITHUB_BASE_REF":     "main",
		"GITHUB_STEP_SUMMARY": summary,
		"GITHUB_OUTPUT":       output,
		"RUNNER_TEMP":         tmp,
		"PATH":                bin + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	inputs := map[string]string{"formats": "junit=out/junit.xml, markdown=out/pr.md"}

	var stdout strings.Builder
	ran := 0
	for _, step := range meta.Runs.Steps {
		if step.Run == "" || step.ID != "run" && !strings.HasPrefix(step.Name, "Fetch") {
			continue // the install steps are TestActionInstall's
		}
		if step.Shell != "bash" {
			t.Errorf("step %q: shell %q; composite run steps need an explicit shell, bash here", step.Name, step.Shell)
		}
		env := os.Environ()
		for k, v := range github {
			env = append(env, k+"="+v)
		}
		for k, v := range step.Env {
			m := inputRE.FindStringSubmatch(v)
			if m == nil {
				t.Fatalf("step %q: env %s = %q is not an input expression the test can evaluate", step.Name, k, v)
			}
			val, ok := inputs[m[1]]
			if !ok {
				val = meta.Inputs[m[1]].Default
			}
			if val == "" && strings.Contains(v, "base.sha") {
				val = base
			}
			env = append(env, k+"="+val)
		}
		cmd := exec.CommandContext(context.Background(), "bash", "-e", "-o", "pipefail", "-c", step.Run)
		cmd.Env = env
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		stdout.WriteString(out.String())
		if step.ID == "run" {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailed {
				t.Fatalf("the run step: %v, want exit 1 (the change breaks the contract)\n%s\n%s", err, out.String(), errb.String())
			}
		} else if err != nil {
			t.Fatalf("step %q: %v\n%s", step.Name, err, errb.String())
		}
		ran++
	}
	if ran != 2 {
		t.Fatalf("ran %d steps, want the fetch step and the run step", ran)
	}

	annotations := stdout.String()
	if !regexp.MustCompile(`(?m)^::error file=contracts/orders-csv\.odcs\.yaml,line=\d+,col=\d+,title=COLUMN_REMOVED orders-csv/orders\.email::`).MatchString(annotations) {
		t.Errorf("no annotation of the removed column on the contract line:\n%s", annotations)
	}
	if strings.Contains(annotations, "title=VALUE_NULL orders.") {
		t.Errorf("the unchanged dataset was checked:\n%s", annotations)
	}
	sum, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(sum), "COLUMN_REMOVED") {
		t.Errorf("job summary (err %v):\n%s", err, sum)
	}
	outs, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	wantReport := filepath.Join("out", "driftgate.json")
	for _, want := range []string{"status=fail\n", "report=" + wantReport + "\n", "datasets=1\n"} {
		if !strings.Contains(string(outs), want) {
			t.Errorf("GITHUB_OUTPUT lacks %q:\n%s", want, outs)
		}
	}
	if r := readReport(t, wantReport); r.Status != report.StatusFail {
		t.Errorf("the report output names a report with status %s", r.Status)
	}
	for _, f := range []string{"out/junit.xml", "out/pr.md"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("formats input: %v", err)
		}
	}
}

func TestRunGitHubModeOnAPushIsAFullRun(t *testing.T) {
	fixtureRepo(t)
	tmp := t.TempDir()
	vars := map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_OUTPUT": filepath.Join(tmp, "out"), "RUNNER_TEMP": tmp}
	// No baseline exists yet: the orders dataset cannot run drift.
	_, _, code := cli(t, vars, "run", "--github", "orders-csv")
	if code != exitPass {
		t.Fatalf("exit %d, want 0", code)
	}
	outs, _ := os.ReadFile(vars["GITHUB_OUTPUT"])
	if !strings.Contains(string(outs), "status=pass\nreport=out/driftgate.json\ndatasets=1\n") {
		t.Errorf("GITHUB_OUTPUT:\n%s", outs)
	}
}

func TestRunAlertsAWebhookWhenADatasetFails(t *testing.T) {
	fixtures := fixtureRepo(t)
	copyFile(t, filepath.Join(fixtures, "orders", "orders.csv"), filepath.Join("data", "orders-csv", "orders.csv"))
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer srv.Close()

	_, stderr, code := cli(t, nil, "run", "orders-csv", "--alert-webhook", srv.URL+"/secret-path")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], "orders-csv") {
		t.Fatalf("webhook received %q, want one summary naming the dataset", bodies)
	}
	r := readReport(t, filepath.Join("out", "driftgate.json"))
	if len(r.Alerts) != 1 || !r.Alerts[0].Delivered || strings.Contains(r.Alerts[0].Target, "secret-path") {
		t.Errorf("report alerts %+v: want one delivery, recorded without the URL's secret path", r.Alerts)
	}
}

func TestAWriteFailureExits2InEveryCommand(t *testing.T) {
	fixtureRepo(t)
	// A file where the outputs' directory should be: every write fails.
	writeFile(t, "blocked", "")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"check's report", []string{"check", "-c", "contracts/orders.odcs.yaml", "--format", "json=blocked/r.json", "data/orders-csv/orders.csv"}},
		{"profile", []string{"profile", "-c", "contracts/orders.odcs.yaml", "data/orders-csv/orders.csv", "-o", "blocked/p.json"}},
		{"run's report", []string{"run", "orders-csv", "--format", "json=blocked/r.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := cli(t, nil, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d\n%s", code, exitUsage, stderr)
			}
		})
	}
	t.Run("baseline update", func(t *testing.T) {
		os.RemoveAll("baselines")
		writeFile(t, "baselines", "")
		_, stderr, code := cli(t, nil, "baseline", "update")
		if code != exitUsage {
			t.Errorf("exit %d, want %d\n%s", code, exitUsage, stderr)
		}
	})
}

func TestOneUnreadableDatasetDoesNotTakeTheOthersReportsWithIt(t *testing.T) {
	fixtureRepo(t)
	if _, stderr, code := cli(t, nil, "baseline", "update"); code != exitPass {
		t.Fatalf("baseline update exit %d: %s", code, stderr)
	}
	// CR-only line endings: unreadable (it read as 0 rows and passed).
	// A corrupt page reaches run the same way, as a ReadError: see
	// checker's TestACorruptDictionaryPageIsUnreadableNotAPanic.
	part := filepath.Join("data", "orders-csv", "orders.csv")
	os.Remove(part)
	writeFile(t, part, "order_id,amount\r1,2\r")
	_, stderr, code := cli(t, nil, "run")
	if code != exitUnreadable {
		t.Fatalf("exit %d, want %d\n%s", code, exitUnreadable, stderr)
	}
	r := readReport(t, filepath.Join("out", "driftgate.json"))
	got := map[string]report.Status{}
	for _, d := range r.Datasets {
		got[d.Name] = d.Status
	}
	if got["orders"] != report.StatusPass || got["orders-csv"] != report.StatusError {
		t.Errorf("dataset verdicts %v, want orders pass and orders-csv error", got)
	}
}

func TestANamedPipeInADataDirectoryIsSkippedWithANoteOnStderr(t *testing.T) {
	fixtureRepo(t)
	if err := syscall.Mkfifo(filepath.Join("data", "orders-csv", "more.csv"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := cli(t, nil, "check", "-c", "contracts/orders.odcs.yaml", "--format", "json=out/r.json", "data/orders-csv/")
	if code == exitUnreadable || code == exitUsage {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "more.csv: skipped, not a regular file (a named pipe)") {
		t.Errorf("stderr %q lacks the note on the pipe", stderr)
	}
	if r := readReport(t, filepath.Join("out", "r.json")); len(r.Skipped) != 1 || len(r.Inputs) != 1 {
		t.Errorf("report skipped %q inputs %d, want the pipe skipped and one input", r.Skipped, len(r.Inputs))
	}
}
