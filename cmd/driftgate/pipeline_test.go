package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/drift"
)

// driftProject lays out a driftgate.yaml project on the drift case: a
// baseline profiled from base/day1.csv and a batch whose amounts moved
// (a warning-level drift only: no column added or retyped). The config has
// no failOn, as driftgate init writes it.
func driftProject(t *testing.T) {
	t.Helper()
	driftCase(t)
	driftRows{seed: 6, n: 1500, amountX: 1.632}.writeCSV(t, "moved.csv")
	if _, stderr, code := cli(t, nil, "profile", "-c", "orders.odcs.yaml", "base/day1.csv", "-o", "baseline.profile.json"); code != exitPass {
		t.Fatalf("profile: exit %d: %s", code, stderr)
	}
	other := strings.Replace(driftContract, "urn:datacontract:shop:orders", "urn:datacontract:shop:returns", 1)
	writeFile(t, "returns.odcs.yaml", other)
	writeFile(t, "driftgate.yaml", `version: 1
failOn: error
datasets:
  - name: moved
    data: [moved.csv]
    contract: orders.odcs.yaml
    baseline: baseline.profile.json
  - name: clean
    data: [clean.csv]
    contract: orders.odcs.yaml
    baseline: baseline.profile.json
  - name: returns
    data: [clean.csv]
    contract: returns.odcs.yaml
    baseline: baseline.profile.json
`)
}

func TestRunAndDriftShareOnePipeline(t *testing.T) {
	driftProject(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{
			name: "drift fails a batch whose distribution moved",
			args: []string{"drift", "-b", "baseline.profile.json", "-c", "orders.odcs.yaml", "moved.csv"},
			code: exitFailed,
		},
		{
			name: "run fails the same batch under failOn: error, because drift is gated as drift gates it",
			args: []string{"run", "moved"},
			code: exitFailed,
		},
		{
			name: "run passes a clean batch against the same baseline",
			args: []string{"run", "clean"},
			code: exitPass,
		},
		{
			name:   "drift rejects a baseline profiled for another contract",
			args:   []string{"drift", "-b", "baseline.profile.json", "-c", "returns.odcs.yaml", "clean.csv"},
			code:   exitUsage,
			stderr: "profiled for contract urn:datacontract:shop:orders",
		},
		{
			name:   "run rejects a baseline profiled for another contract the same way",
			args:   []string{"run", "returns"},
			code:   exitUsage,
			stderr: "profiled for contract urn:datacontract:shop:orders",
		},
		{
			name: "run --fail-on never passes the moved batch",
			args: []string{"run", "--fail-on", "never", "moved"},
			code: exitPass,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, tt.args...)
			// drift prints its error on stderr; run, in its report's dataset line
			if code != tt.code || !strings.Contains(stderr+unwrapped(stdout), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q\n%s", code, stderr, tt.code, tt.stderr, stdout)
			}
			if tt.code == exitUsage && strings.Contains(stdout, "DRIFT_SCHEMA") {
				t.Errorf("a rejected baseline still produced drift findings:\n%s", stdout)
			}
		})
	}
}

func TestCheckOptionsFromFlags(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/c.yaml"
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := func() checkFlags {
		return checkFlags{contract: file, failOn: "error", csvDelimiter: ",", batchSize: 1024}
	}
	tests := []struct {
		name  string
		edit  func(*checkFlags)
		env   env
		error string
		check func(t *testing.T, o checkOptions)
	}{
		{
			name: "the defaults give text on stdout and comma-separated CSV",
			check: func(t *testing.T, o checkOptions) {
				if len(o.outs) != 1 || o.outs[0].name != "text" || o.outs[0].path != "" || o.source.CSV.Delimiter != 0 || o.source.BatchSize != 1024 {
					t.Errorf("options %+v", o)
				}
			},
		},
		{
			name: "tab as a delimiter is read as the tab character",
			edit: func(f *checkFlags) { f.csvDelimiter = "tab" },
			check: func(t *testing.T, o checkOptions) {
				if o.source.CSV.Delimiter != '\t' {
					t.Errorf("delimiter %q", o.source.CSV.Delimiter)
				}
			},
		},
		{name: "a two-character delimiter is refused", edit: func(f *checkFlags) { f.csvDelimiter = ";;" }, error: `--csv-delimiter ";;": want one character`},
		{name: "a zero batch size is refused", edit: func(f *checkFlags) { f.batchSize = 0 }, error: "--batch-size 0"},
		{name: "an unknown fail-on is refused", edit: func(f *checkFlags) { f.failOn = "sometimes" }, error: `--fail-on "sometimes"`},
		{name: "an unknown format is refused", edit: func(f *checkFlags) { f.formats = []string{"yaml"} }, error: "--format yaml"},
		{name: "a version of a contract file is refused", edit: func(f *checkFlags) { f.versions.version = "1.0.0" }, error: "is not a directory"},
		{
			name: "progress is drawn on a terminal",
			env:  env{stderrTTY: true, getenv: func(string) string { return "" }},
			check: func(t *testing.T, o checkOptions) {
				if !o.progress {
					t.Error("no progress on a terminal")
				}
			},
		},
		{
			name: "progress is never drawn under CI",
			env:  env{stderrTTY: true, getenv: func(k string) string { return map[string]string{"CI": "true"}[k] }},
			check: func(t *testing.T, o checkOptions) {
				if o.progress {
					t.Error("progress under CI")
				}
			},
		},
		{
			name: "-q silences progress",
			edit: func(f *checkFlags) { f.quiet = true },
			env:  env{stderrTTY: true, getenv: func(string) string { return "" }},
			check: func(t *testing.T, o checkOptions) {
				if o.progress {
					t.Error("progress despite -q")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base()
			if tt.edit != nil {
				tt.edit(&f)
			}
			e := tt.env
			if e.getenv == nil {
				e.getenv = func(string) string { return "" }
			}
			o, err := checkOptionsFrom(f, []string{"data.csv"}, e)
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) || exitCode(nil, err) != exitUsage {
					t.Fatalf("error %v (exit %d), want %q and exit 2", err, exitCode(nil, err), tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, o)
		})
	}
}

// A threshold is accepted or refused alike as a --threshold flag, a
// driftgate.yaml drift key and a contract customProperty: the three read
// one table of drift settings.
func TestDriftThresholdsAgreeAcrossFlagsConfigAndContract(t *testing.T) {
	driftProject(t)
	tests := []struct {
		key, value string
		ok         bool
	}{
		{"psi", "50", true},
		{"psi", "150", false},
		{"psi", "0", false},
		{"nullRate", "0.5", true},
		{"nullRate", "2", false},
		{"minRows", "10", true},
		{"minRows", "0", false},
		{"minRows", "2.5", false},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			flag := exitAccepts(cli(t, nil, "drift", "-b", "baseline.profile.json", "-c", "orders.odcs.yaml", "--threshold", tt.key+"="+tt.value, "clean.csv"))

			writeFile(t, "t.yaml", "version: 1\ndatasets:\n  - name: clean\n    data: [clean.csv]\n    contract: orders.odcs.yaml\n    baseline: baseline.profile.json\n    drift:\n      "+tt.key+": "+tt.value+"\n")
			config := exitAccepts(cli(t, nil, "run", "--config", "t.yaml"))

			withProp := strings.Replace(driftContract, "    logicalType: object\n", "    logicalType: object\n    customProperties:\n      - property: driftgate.drift."+tt.key+"\n        value: "+tt.value+"\n", 1)
			writeFile(t, "t.odcs.yaml", withProp)
			contract := exitAccepts(cli(t, nil, "drift", "-b", "baseline.profile.json", "-c", "t.odcs.yaml", "clean.csv"))

			if flag != tt.ok || config != tt.ok || contract != tt.ok {
				t.Errorf("accepted as a flag %v, in driftgate.yaml %v, as a customProperty %v; want %v for all three", flag, config, contract, tt.ok)
			}
		})
	}
}

// exitAccepts says a command took its settings: it judged the data (exit 0
// or 1) instead of refusing them (exit 2).
func exitAccepts(_, _ string, code int) bool { return code == exitPass || code == exitFailed }

// driftSettingsTable renders the README's table of drift settings from
// the one table the code reads.
func driftSettingsTable() string {
	var b strings.Builder
	b.WriteString("| key | meaning | default | accepts | `--threshold`, `driftgate.yaml` |\n|---|---|---|---|---|\n")
	for _, s := range drift.Settings() {
		also := ""
		if s.Threshold() {
			also = "yes"
		}
		fmt.Fprintf(&b, "| `driftgate.drift.%s` | %s | %s | %s | %s |\n", s.Key, s.Doc, s.Default(), s.Accepts(), also)
	}
	return b.String()
}

func TestReadmeDriftSettingsTableMatchesTheSettings(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := driftSettingsTable(); !strings.Contains(string(readme), want) {
		t.Errorf("README.md lacks the table of drift settings; put this in it:\n%s", want)
	}
}

func TestRunGivesAVerdictPerDatasetAndTheWorstExitCode(t *testing.T) {
	fixtures := fixtureRepo(t)
	copyFile(t, filepath.Join(fixtures, "orders", "orders.csv"), filepath.Join("data", "orders-csv", "orders.csv"))
	copyFile(t, filepath.Join(fixtures, "unreadable", "contract.odcs.yaml"), filepath.Join("contracts", "broken.odcs.yaml"))
	copyFile(t, filepath.Join(fixtures, "unreadable", "truncated.parquet"), filepath.Join("data", "broken", "part-0.parquet"))
	writeFile(t, "driftgate.yaml", `version: 1
reports:
  - format: json
    path: out/driftgate.json
datasets:
  - name: orders
    data: ["data/orders/dt={date}/"]
    contract: contracts/orders.odcs.yaml
  - name: orders-csv
    data: [data/orders-csv/orders.csv]
    contract: contracts/orders-csv.odcs.yaml
  - name: broken
    data: [data/broken/]
    contract: contracts/broken.odcs.yaml
`)
	stdout, stderr, code := cli(t, nil, "run")
	if code != exitUnreadable {
		t.Fatalf("exit %d, want 3 (the worst of pass, fail and unreadable)\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "ERROR  broken: read data/broken/part-0.parquet") {
		t.Errorf("the text report does not name the unreadable dataset:\n%s", stdout)
	}
	r := readReport(t, filepath.Join("out", "driftgate.json"))
	type verdict struct {
		name   string
		status string
		code   int
	}
	var got []verdict
	for _, d := range r.Datasets {
		got = append(got, verdict{d.Name, string(d.Status), d.ExitCode})
	}
	want := []verdict{{"orders", "pass", exitPass}, {"orders-csv", "fail", exitFailed}, {"broken", "error", exitUnreadable}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("datasets %v, want %v", got, want)
	}
	csv := r.Datasets[1]
	if csv.Summary.Errors == 0 || csv.Summary.Rows == 0 || csv.Inputs != 1 || csv.Contract == nil {
		t.Errorf("the failing dataset's counts are missing: %+v", csv)
	}
	if !strings.Contains(r.Datasets[2].Error, "truncated") && !strings.Contains(r.Datasets[2].Error, "part-0.parquet") {
		t.Errorf("the unreadable dataset's error does not name its file: %q", r.Datasets[2].Error)
	}
	failing := 0
	for _, f := range r.Findings {
		if f.Schema == "orders-csv/orders" && f.Severity == "error" {
			failing++
		}
	}
	if failing == 0 {
		t.Error("the readable datasets' findings are missing from the report of a run with an unreadable dataset")
	}
}

// TestInitDefaultsGateDriftAsDriftDoes uncomments the baseline line init
// writes and runs: the moved batch fails as it fails driftgate drift.
func TestInitDefaultsGateDriftAsDriftDoes(t *testing.T) {
	driftProject(t)
	writeFile(t, filepath.Join("batch", "moved.csv"), readText(t, "moved.csv"))
	for _, f := range []string{"driftgate.yaml", "returns.odcs.yaml", "clean.csv", "moved.csv", "drifted.csv", "base.parquet", "drifted.parquet"} {
		os.Remove(f)
	}
	os.RemoveAll("base")
	if _, stderr, code := cli(t, nil, "init"); code != exitPass {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	text := readText(t, "driftgate.yaml")
	enabled := strings.Replace(text, "    # baseline: baselines/orders.profile.json", "    baseline: baseline.profile.json", 1)
	if enabled == text {
		t.Fatalf("init wrote no baseline line to uncomment:\n%s", text)
	}
	writeFile(t, "driftgate.yaml", enabled)
	if _, stderr, code := cli(t, nil, "run"); code != exitFailed {
		t.Errorf("run with init's defaults on a moved batch: exit %d, want 1 as driftgate drift\n%s", code, stderr)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
