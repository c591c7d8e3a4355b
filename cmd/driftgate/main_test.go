package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under fixtures/*/want.*")

// cli runs the real command from the repository root, as a user would,
// with the given environment variables and no terminal.
func cli(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return vars[k] },
	}
	code = run(context.Background(), args, e)
	return out.String(), errb.String(), code
}

// unwrapped is output with the text report's line wrapping undone (runs
// of white space made one space), for finding a long message in it.
func unwrapped(s string) string { return strings.Join(strings.Fields(s), " ") }

// inRepoRoot makes paths in commands and goldens read as a user types them.
func inRepoRoot(t *testing.T) {
	t.Helper()
	t.Chdir(filepath.Join("..", ".."))
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test ./cmd/driftgate -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test ./cmd/driftgate -update after an intended change):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestCheckExitCodes(t *testing.T) {
	inRepoRoot(t)
	tests := []struct {
		name    string
		args    []string
		code    int
		stderr  string // substring
		stdout  string // substring
		noPanic bool
	}{
		{
			name: "the shipped example fails its checks with exit 1",
			args: []string{"check", "--contract", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.parquet"},
			code: exitFailed, stdout: "FAIL",
		},
		{
			name: "the same example as CSV fails with exit 1",
			args: []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.csv"},
			code: exitFailed, stdout: "VALUE_TYPE",
		},
		{
			name: "clean parquet data passes with exit 0",
			args: []string{"check", "-c", "fixtures/orders-clean/contract.odcs.yaml", "fixtures/orders-clean/orders.parquet"},
			code: exitPass, stdout: "PASS",
		},
		{
			name: "clean CSV data passes with exit 0",
			args: []string{"check", "-c", "fixtures/orders-clean/contract.odcs.yaml", "fixtures/orders-clean/orders.csv"},
			code: exitPass, stdout: "PASS",
		},
		{
			name: "a directory is one batch, so the same rows in two files are duplicates",
			args: []string{"check", "-c", "fixtures/orders-clean/contract.odcs.yaml", "fixtures/orders-clean/"},
			code: exitFailed, stdout: "1,000",
		},
		{
			name: "failing data passes with --fail-on never",
			args: []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", "--fail-on", "never", "fixtures/orders/orders.parquet"},
			code: exitPass,
		},
		{
			name: "an invalid contract exits 2 naming file, line and column",
			args: []string{"check", "-c", "fixtures/bad-contract/contract.odcs.yaml", "fixtures/orders/orders.parquet"},
			code: exitUsage, stderr: "fixtures/bad-contract/contract.odcs.yaml:",
		},
		{
			name: "a truncated parquet file exits 3",
			args: []string{"check", "-c", "fixtures/unreadable/contract.odcs.yaml", "fixtures/unreadable/truncated.parquet"},
			code: exitUnreadable, stdout: "truncated.parquet",
		},
		{
			name: "a ragged CSV row exits 3 with its line",
			args: []string{"check", "-c", "fixtures/unreadable/contract.odcs.yaml", "fixtures/unreadable/ragged.csv"},
			code: exitUnreadable, stdout: "line 5",
		},
		{
			name: "a data path that does not exist exits 3",
			args: []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/no-such-file.parquet"},
			code: exitUnreadable, stderr: "no-such-file.parquet",
		},
		{
			name: "a missing contract file exits 2",
			args: []string{"check", "-c", "fixtures/orders/nope.yaml", "fixtures/orders/orders.parquet"},
			code: exitUsage, stderr: "nope.yaml",
		},
		{
			name: "check without --contract is a usage error",
			args: []string{"check", "fixtures/orders/orders.parquet"},
			code: exitUsage, stderr: "contract",
		},
		{
			name: "an unknown format is a usage error listing the known ones",
			args: []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", "--format", "xml", "fixtures/orders/orders.parquet"},
			code: exitUsage, stderr: "junit",
		},
		{
			name: "an unknown flag is a usage error",
			args: []string{"check", "--frobnicate", "x"},
			code: exitUsage, stderr: "frobnicate",
		},
		{
			name: "an unknown command is a usage error",
			args: []string{"chekc"},
			code: exitUsage, stderr: "chekc",
		},
		{
			name: "a bad --fail-on is a usage error",
			args: []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", "--fail-on", "sometimes", "fixtures/orders/orders.parquet"},
			code: exitUsage, stderr: "fail-on",
		},
		{
			name: "structural drift fails with exit 1",
			args: []string{"check", "-c", "fixtures/structural/contract.odcs.yaml", "fixtures/structural/"},
			code: exitFailed, stdout: "COLUMN_MISSING",
		},
		{
			name: "a file written by parquet-go (not Arrow) is read and checked",
			args: []string{"check", "-c", "fixtures/xitongsys/contract.odcs.yaml", "fixtures/xitongsys/"},
			code: exitFailed, stdout: "VALUE_RANGE",
		},
		{
			name: "lint accepts a valid contract",
			args: []string{"lint", "-v", "fixtures/orders/contract.odcs.yaml"},
			code: exitPass, stdout: "ok",
		},
		{
			name: "lint rejects an invalid contract with exit 2",
			args: []string{"lint", "fixtures/orders/contract.odcs.yaml", "fixtures/bad-contract/contract.odcs.yaml"},
			code: exitUsage, stdout: "fixtures/bad-contract/contract.odcs.yaml:",
		},
		{
			name: "rules lists every rule",
			args: []string{"rules"},
			code: exitPass, stdout: "QUALITY_NOT_EXECUTED",
		},
		{
			name: "version prints the version",
			args: []string{"version"},
			code: exitPass, stdout: "driftgate ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("stderr shows a panic:\n%s", stderr)
			}
		})
	}
}

// TestCheckGoldenReports runs the README example once with every format and
// compares each report with its golden file.
func TestCheckGoldenReports(t *testing.T) {
	inRepoRoot(t)
	for _, data := range []string{"orders.parquet", "orders.csv"} {
		t.Run(data, func(t *testing.T) {
			dir := t.TempDir()
			summary := filepath.Join(dir, "summary.md")
			stdout, stderr, code := cli(t, map[string]string{"GITHUB_STEP_SUMMARY": summary},
				"check", "-c", "fixtures/orders/contract.odcs.yaml",
				"--format", "text",
				"--format", "json="+filepath.Join(dir, "report.json"),
				"--format", "junit="+filepath.Join(dir, "junit.xml"),
				"--format", "markdown="+filepath.Join(dir, "report.md"),
				"--format", "github="+filepath.Join(dir, "github.txt"),
				"fixtures/orders/"+data)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			base := strings.ReplaceAll(data, ".", "-")
			golden(t, "fixtures/orders/want."+base+".txt", []byte(stdout))
			for _, f := range []struct{ file, ext string }{{"report.json", "json"}, {"junit.xml", "junit.xml"}, {"report.md", "md"}, {"github.txt", "github.txt"}} {
				got, err := os.ReadFile(filepath.Join(dir, f.file))
				if err != nil {
					t.Fatal(err)
				}
				golden(t, "fixtures/orders/want."+base+"."+f.ext, got)
			}
			sum, err := os.ReadFile(summary)
			if err != nil || !bytes.Contains(sum, []byte("orders")) {
				t.Errorf("the github format did not append a summary to $GITHUB_STEP_SUMMARY: %v %q", err, sum)
			}
		})
	}
}

// TestCheckAgreesWithPlantedCounts cross-checks every fixture that records
// the violations its generator planted: each planted RULE:column count must
// equal the report's count for that key, and nothing else may fail.
func TestCheckAgreesWithPlantedCounts(t *testing.T) {
	inRepoRoot(t)
	plants, _ := filepath.Glob("fixtures/*/planted*.json")
	if len(plants) == 0 {
		t.Fatal("no fixtures/*/planted*.json found")
	}
	for _, planted := range plants {
		dir := filepath.Dir(planted)
		var want map[string]int64
		b, err := os.ReadFile(planted)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			// Some planted files map data files to counts.
			t.Logf("%s: not a flat count map (%v); skipped", planted, err)
			continue
		}
		data := plantedData(t, dir, filepath.Base(planted))
		for _, d := range data {
			t.Run(d, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "r.json")
				contract := filepath.Join(dir, "contract.odcs.yaml")
				_, stderr, code := cli(t, nil, "check", "-c", contract, "--fail-on", "never", "--format", "json="+out, d)
				if code != exitPass {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				var rep report.Report
				rb, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(rb, &rep); err != nil {
					t.Fatal(err)
				}
				// Several quality rules may measure one metric with different
				// operators: each finding carries the whole metric. Value
				// rules split their offending rows (below the minimum, above
				// the maximum): those findings add up.
				got := map[string][]int64{}
				for _, f := range rep.Findings {
					k := f.Rule + ":" + f.Column
					if strings.HasPrefix(f.Rule, "QUALITY_") || len(got[k]) == 0 {
						got[k] = append(got[k], f.Count)
					} else {
						got[k][0] += f.Count
					}
				}
				passed := map[string]bool{}
				for _, c := range rep.Checks {
					passed[c.Rule+":"+c.Column] = c.Passed
				}
				for key, n := range want {
					counts, found := got[key]
					for _, c := range counts {
						if c != n {
							t.Errorf("%s: report counts %d, planted %d", key, c, n)
						}
					}
					switch {
					case !found && n > 0 && !(strings.HasPrefix(key, "QUALITY_") && passed[key]):
						// A quality metric may be non-zero and still pass its
						// operator; any other planted violation must show.
						t.Errorf("%s: planted %d, report has no finding", key, n)
					}
				}
			})
		}
	}
}

// plantedData names the data a planted file describes: planted.csv.json the
// fixture's CSV files, planted.parquet.json its Parquet files, planted.json
// the whole fixture directory.
func plantedData(t *testing.T, dir, name string) []string {
	t.Helper()
	switch name {
	case "planted.json":
		if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
			return []string{filepath.Join(dir, "data")}
		}
		m, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
		c, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		return append(m, c...)
	case "planted.csv.json":
		m, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		return m
	case "planted.parquet.json":
		m, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
		return m
	}
	return nil
}

func TestUnreadableDataStillWritesAnErrorReport(t *testing.T) {
	inRepoRoot(t)
	out := filepath.Join(t.TempDir(), "r.json")
	_, _, code := cli(t, nil, "check", "-c", "fixtures/unreadable/contract.odcs.yaml", "--format", "json="+out, "fixtures/unreadable/truncated.parquet")
	if code != exitUnreadable {
		t.Fatalf("exit %d, want 3", code)
	}
	var rep report.Report
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no report written: %v", err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Status != report.StatusError || rep.Error == "" || len(rep.Inputs) != 1 {
		t.Errorf("status %q error %q inputs %d; want error status naming the problem and the input", rep.Status, rep.Error, len(rep.Inputs))
	}
}

func TestReadmeRuleTableMatchesRegistry(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	writeRulesMarkdown(&want, selectRules(readmeFamilies))
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the rules:begin/rules:end markers")
	}
	if got := s[i+len(begin) : j]; got != want.String() {
		t.Errorf("README rule table is stale; replace it with the output of `driftgate rules --format markdown --family check,quality,sla,drift,anomaly,version,contract`:\n%s", want.String())
	}
}

func TestAPanicThatReachesTheTopExits3WithInternalError(t *testing.T) {
	var stderr strings.Builder
	code := guarded(env{stderr: &stderr}, func() int { panic("boom") })
	if code != exitUnreadable {
		t.Errorf("exit %d, want %d", code, exitUnreadable)
	}
	if !strings.Contains(stderr.String(), "internal error") || !strings.Contains(stderr.String(), "boom") {
		t.Errorf("stderr %q, want an internal error naming the panic", stderr.String())
	}
	if code := guarded(env{stderr: &stderr}, func() int { return exitFailed }); code != exitFailed {
		t.Errorf("a run that returns exits %d, want its own code %d", code, exitFailed)
	}
}

// TestUnreadableDataErrorPrintedOnce: the error of data that cannot be
// read is printed once, where the user looks: in a report people read on
// stdout (text, table, github, markdown), else on stderr (a report for
// programs on stdout, every report in a file). Always exit 3.
func TestUnreadableDataErrorPrintedOnce(t *testing.T) {
	inRepoRoot(t)
	const msg = "parquet footer: not a Parquet file (no PAR1 at its end)"
	check := []string{"check", "-c", "fixtures/unreadable/contract.odcs.yaml", "fixtures/unreadable/truncated.parquet"}
	tests := []struct {
		name     string
		args     []string
		onStdout bool // else on stderr
	}{
		{"the text report on stdout says it", nil, true},
		{"the table report on stdout says it", []string{"--format", "table"}, true},
		{"GitHub annotations on stdout say it", []string{"--format", "github"}, true},
		{"the Markdown report on stdout says it", []string{"--format", "markdown"}, true},
		{"with JSON on stdout stderr says it", []string{"--format", "json"}, false},
		{"with JUnit on stdout stderr says it", []string{"--format", "junit"}, false},
		{"with the text report in a file stderr says it", []string{"--format", "text=" + filepath.Join(t.TempDir(), "r.txt")}, false},
		{"text on stdout beside JSON in a file says it", []string{"--format", "text", "--format", "json=" + filepath.Join(t.TempDir(), "r.json")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, append(slices.Clone(check), tt.args...)...)
			if code != exitUnreadable {
				t.Errorf("exit %d, want %d", code, exitUnreadable)
			}
			// Text wraps at 80 columns; markdown and github keep lines.
			out, errs := unwrapped(stdout), strings.Count(stderr, msg)
			switch {
			case tt.onStdout && (strings.Count(out, msg) != 1 || errs != 0):
				t.Errorf("want the error once on stdout, not on stderr\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
			case !tt.onStdout && errs != 1:
				t.Errorf("want the error once on stderr\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
		})
	}
	t.Run("run says each unreadable dataset's error once", func(t *testing.T) {
		root, _ := os.Getwd()
		t.Chdir(t.TempDir())
		copyFile(t, filepath.Join(root, "fixtures", "unreadable", "contract.odcs.yaml"), filepath.Join("contracts", "broken.odcs.yaml"))
		copyFile(t, filepath.Join(root, "fixtures", "unreadable", "truncated.parquet"), filepath.Join("data", "part-0.parquet"))
		writeFile(t, "driftgate.yaml", "version: 1\ndatasets:\n  - name: broken\n    data: [data/]\n    contract: contracts/broken.odcs.yaml\n")
		for _, tt := range []struct {
			args             []string
			onStdout, onErrs int
		}{{[]string{"run"}, 1, 0}, {[]string{"run", "--format", "json"}, 2, 1}} { // JSON: the run's error and the dataset's
			stdout, stderr, code := cli(t, nil, tt.args...)
			out, errs := strings.Count(unwrapped(stdout), msg), strings.Count(stderr, msg)
			if code != exitUnreadable || out != tt.onStdout || errs != tt.onErrs || !strings.Contains(stderr+stdout, "broken: read") {
				t.Errorf("%v: exit %d, the error %d times on stdout and %d on stderr, want exit 3, %d and %d, naming the dataset\nstdout:\n%s\nstderr:\n%s",
					tt.args, code, out, errs, tt.onStdout, tt.onErrs, stdout, stderr)
			}
		}
	})
}
