package project

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
)

const valid = `version: 1
failOn: warning
reports:
  - format: json
    path: out/report.json
datasets:
  - name: orders
    data: ["data/orders/dt={date}/"]
    contract: contracts/orders.odcs.yaml
    baseline: baselines/orders.json
    drift:
      exclude: [order_id]
      psi: 0.25
    severity:
      COLUMN_UNEXPECTED: info
    exceptions:
      - rule: VALUE_PATTERN
        column: customer_id
        reason: legacy ids
        until: "2027-01-31"
  - name: customers
    data: [data/customers.csv]
    contract: contracts/
    csv: {delimiter: ";", header: false}
`

func TestParseValid(t *testing.T) {
	cfg, err := Parse("dir/driftgate.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != "dir" || len(cfg.Datasets) != 2 || cfg.Datasets[1].Name != "customers" {
		t.Fatalf("config = %+v", cfg)
	}
	d := &cfg.Datasets[0]
	if d.Drift.Thresholds["psi"] != 0.25 || d.Severity["COLUMN_UNEXPECTED"] != "info" || d.Exceptions[0].Until != "2027-01-31" {
		t.Errorf("dataset = %+v", d)
	}
	if got := cfg.Abs(d.Contract); got != filepath.Join("dir", "contracts", "orders.odcs.yaml") {
		t.Errorf("Abs = %q", got)
	}
	if got := cfg.FailOnFor(d); got != "warning" {
		t.Errorf("FailOnFor = %q, want the config's warning", got)
	}
	if h := cfg.Datasets[1].CSV.Header; h == nil || *h {
		t.Errorf("csv header = %v, want false", h)
	}
	if p := cfg.PosOf(d, "baseline"); p.Line != 10 {
		t.Errorf("PosOf(baseline) = %+v, want line 10", p)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each a full error line
	}{
		{
			name: "an unknown field is reported at its key",
			yaml: "version: 1\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n    baselin: b.json\n",
			want: []string{"f.yaml:6:5: datasets[0].baselin: unknown field baselin"},
		},
		{
			name: "a value outside an enum names the allowed values",
			yaml: "version: 1\nfailOn: sometimes\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n",
			want: []string{`f.yaml:2:9: failOn: "sometimes" is not one of error, warning, info, never`},
		},
		{
			name: "a missing required field is reported at its object",
			yaml: "version: 1\ndatasets:\n  - name: a\n    data: [x]\n",
			want: []string{"f.yaml:3:5: datasets[0]: missing required field contract"},
		},
		{
			name: "a severity keyed by something that is not a rule ID is reported at the key",
			yaml: "version: 1\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n    severity:\n      column_type: info\n",
			want: []string{`f.yaml:7:7: datasets[0].severity.column_type: "column_type" is not a rule ID (SCREAMING_SNAKE_CASE, see driftgate rules)`},
		},
		{
			name: "two datasets with one name are an error at the second",
			yaml: "version: 1\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n  - name: a\n    data: [y]\n    contract: c.yaml\n",
			want: []string{`f.yaml:6:11: datasets[1].name: dataset "a" is already declared at line 3`},
		},
		{
			name: "an impossible date in until is an error",
			yaml: "version: 1\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n    exceptions:\n      - {rule: VALUE_NULL, reason: r, until: \"2026-02-30\"}\n",
			want: []string{`f.yaml:7:46: datasets[0].exceptions[0].until: "2026-02-30" is not a date`},
		},
		{
			name: "a placeholder that is not a name is an error",
			yaml: "version: 1\ndatasets:\n  - name: a\n    data: [\"d/{a b}/\"]\n    contract: c.yaml\n",
			want: []string{`f.yaml:4:11: datasets[0].data: data path "d/{a b}/": placeholder {a b} is not a name (letters, digits, _)`},
		},
		{
			name: "invalid YAML names its line",
			yaml: "version: 1\ndatasets: [\n",
			want: []string{"f.yaml:2: invalid YAML: did not find expected node content"},
		},
		{
			name: "an empty file says how to get one",
			yaml: "",
			want: []string{"f.yaml: empty document; want a driftgate.yaml (run driftgate init to write one)"},
		},
		{
			name: "version 2 is not a version this driftgate reads",
			yaml: "version: 2\ndatasets:\n  - name: a\n    data: [x]\n    contract: c.yaml\n",
			want: []string{"f.yaml:1:10: version: 2 is not 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tt.yaml))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("err = %v (%T), want Errors", err, err)
			}
			got := strings.Split(es.Error(), "\n")
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCheckRulesNamesTheLineOfAnUnknownRule(t *testing.T) {
	cfg, err := Parse("f.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	known := func(id string) bool { return id == "VALUE_PATTERN" }
	err = cfg.CheckRules(known)
	want := "f.yaml:15:7: datasets[0].severity.COLUMN_UNEXPECTED: no rule COLUMN_UNEXPECTED (see driftgate rules and driftgate diff --rules)"
	if err == nil || err.Error() != want {
		t.Errorf("CheckRules = %v, want %s", err, want)
	}
	if err := cfg.CheckRules(func(string) bool { return true }); err != nil {
		t.Errorf("CheckRules with every rule known = %v", err)
	}
}

func TestSchemaIsValidJSONAndACopy(t *testing.T) {
	var v map[string]any
	s, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(s, &v); err != nil {
		t.Fatal(err)
	}
	s[0] = 'x'
	if again, _ := Schema(); again[0] == 'x' {
		t.Error("Schema returns the embedded bytes, which a caller could change")
	}
}

func touch(t *testing.T, root string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("a\n1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFiles(t *testing.T) {
	root := t.TempDir()
	touch(t, root,
		"data/orders/dt=2026-11-22/part-0.csv",
		"data/orders/dt=2026-11-23/part-0.csv",
		"data/orders/dt=2026-11-23/part-1.csv",
		"data/orders/dt=2026-11-24/part-0.csv",
		"data/plain/a.csv",
	)
	cfg := &Config{Dir: root}
	rel := func(files []string) []string {
		out := make([]string, len(files))
		for i, f := range files {
			out[i], _ = filepath.Rel(root, f)
			out[i] = filepath.ToSlash(out[i])
		}
		return out
	}
	tests := []struct {
		name    string
		d       Dataset
		changed []string
		want    []string
	}{
		{
			name: "a placeholder picks the latest partition",
			d:    Dataset{Data: []string{"data/orders/dt={date}/"}},
			want: []string{"data/orders/dt=2026-11-24/part-0.csv"},
		},
		{
			name: "partitions: all picks every partition in order",
			d:    Dataset{Data: []string{"data/orders/dt={date}/"}, Partitions: "all"},
			want: []string{"data/orders/dt=2026-11-22/part-0.csv", "data/orders/dt=2026-11-23/part-0.csv", "data/orders/dt=2026-11-23/part-1.csv", "data/orders/dt=2026-11-24/part-0.csv"},
		},
		{
			name:    "in pull-request mode the changed partitions are picked",
			d:       Dataset{Data: []string{"data/orders/dt={date}/"}},
			changed: []string{"data/orders/dt=2026-11-23/part-1.csv", "README.md"},
			want:    []string{"data/orders/dt=2026-11-23/part-0.csv", "data/orders/dt=2026-11-23/part-1.csv"},
		},
		{
			name: "plain directories and globs expand as in driftgate check",
			d:    Dataset{Data: []string{"data/plain/", "data/orders/dt=2026-11-2[23]/*.csv"}},
			want: []string{"data/plain/a.csv", "data/orders/dt=2026-11-22/part-0.csv", "data/orders/dt=2026-11-23/part-0.csv", "data/orders/dt=2026-11-23/part-1.csv"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cfg.Files(&tt.d, tt.changed)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rel(got), tt.want) {
				t.Errorf("Files = %q, want %q", rel(got), tt.want)
			}
		})
	}
	t.Run("a placeholder that matches nothing is unreadable data, not a pass", func(t *testing.T) {
		_, err := cfg.Files(&Dataset{Data: []string{"data/none/dt={date}/"}}, nil)
		var re *source.ReadError
		if !errors.As(err, &re) {
			t.Errorf("err = %v, want a *source.ReadError", err)
		}
	})
}

func TestTouches(t *testing.T) {
	cfg := &Config{Dir: "."}
	d := &Dataset{Data: []string{"data/orders/dt={date}/", "data/extra.csv"}, Contract: "contracts/orders/", Baseline: "baselines/orders.json"}
	tests := []struct {
		name           string
		changed        []string
		data, contract bool
	}{
		{"a file in a partition is the dataset's data", []string{"data/orders/dt=2026-01-01/x.parquet"}, true, false},
		{"a listed file is the dataset's data", []string{"data/extra.csv"}, true, false},
		{"a version in the contract directory is its contract", []string{"contracts/orders/2.0.0.yaml"}, false, true},
		{"the baseline counts with the contract", []string{"baselines/orders.json"}, false, true},
		{"a neighbour's files touch nothing", []string{"data/ordersx/a.csv", "contracts/orders2.yaml", "data/extra.csv.bak"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, contract := cfg.Touches(d, tt.changed)
			if data != tt.data || contract != tt.contract {
				t.Errorf("Touches = %v, %v; want %v, %v", data, contract, tt.data, tt.contract)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	findings := func() []report.Finding {
		return []report.Finding{
			{Rule: "VALUE_PATTERN", Severity: report.SeverityError, Schema: "orders", Column: "customer_id"},
			{Rule: "VALUE_PATTERN", Severity: report.SeverityError, Schema: "orders", Column: "email"},
			{Rule: "COLUMN_UNEXPECTED", Severity: report.SeverityWarning, Schema: "orders", Column: "extra"},
			{Rule: "QUALITY_NOT_EXECUTED", Severity: report.SeverityInfo, Schema: "orders"},
		}
	}
	tests := []struct {
		name   string
		d      Dataset
		status report.Status
		rules  []string
	}{
		{
			name:   "without policy the errors fail the dataset",
			status: report.StatusFail,
			rules:  []string{"QUALITY_NOT_EXECUTED", "VALUE_PATTERN", "VALUE_PATTERN", "COLUMN_UNEXPECTED"},
		},
		{
			name: "an exception for one column leaves the other column's finding",
			d: Dataset{Exceptions: []Exception{{Rule: "VALUE_PATTERN", Column: "customer_id", Reason: "r"}},
				Severity: map[string]string{"QUALITY_NOT_EXECUTED": "off"}},
			status: report.StatusFail,
			rules:  []string{"VALUE_PATTERN", "COLUMN_UNEXPECTED"},
		},
		{
			name:   "a severity override to warning passes under fail-on error",
			d:      Dataset{Severity: map[string]string{"VALUE_PATTERN": "warning"}},
			status: report.StatusPass,
			rules:  []string{"QUALITY_NOT_EXECUTED", "VALUE_PATTERN", "VALUE_PATTERN", "COLUMN_UNEXPECTED"},
		},
		{
			name:   "an exception past its until date no longer applies",
			d:      Dataset{Exceptions: []Exception{{Rule: "VALUE_PATTERN", Reason: "r", Until: "2026-11-23"}}},
			status: report.StatusFail,
			rules:  []string{"QUALITY_NOT_EXECUTED", "VALUE_PATTERN", "VALUE_PATTERN", "COLUMN_UNEXPECTED"},
		},
		{
			name:   "an exception applies through the whole of its until day",
			d:      Dataset{Exceptions: []Exception{{Rule: "VALUE_PATTERN", Reason: "r", Until: "2026-11-24"}}},
			status: report.StatusPass,
			rules:  []string{"QUALITY_NOT_EXECUTED", "COLUMN_UNEXPECTED"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &report.Report{Findings: findings()}
			tt.d.Policy(now).apply(rep)
			if err := finalize(rep, "error", ""); err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range rep.Findings {
				rules = append(rules, f.Rule)
			}
			if rep.Status != tt.status {
				t.Errorf("status %s, want %s", rep.Status, tt.status)
			}
			if !slices.Equal(rules, tt.rules) {
				t.Errorf("rules %v, want %v", rules, tt.rules)
			}
		})
	}
}

func TestCombine(t *testing.T) {
	pass := &report.Report{Status: report.StatusPass, Summary: report.Summary{Rows: 10, Checks: 2},
		Checks: []report.Check{{Rule: "VALUE_NULL", Schema: "orders", Column: "id", Passed: true}}}
	fail := &report.Report{Status: report.StatusFail, Summary: report.Summary{Rows: 5, Checks: 1, Failed: 1, Errors: 1},
		Findings: []report.Finding{{Rule: "VALUE_NULL", Severity: report.SeverityError, Schema: "customers", Column: "id"}},
		Drift:    []report.ColumnDrift{{Schema: "customers", Column: "id"}}}
	tests := []struct {
		name    string
		results []DatasetResult
		status  report.Status
		schema  string
	}{
		{"one failing dataset fails the run and keeps its name", []DatasetResult{{"orders", pass, nil, 0}, {"crm", fail, nil, 1}}, report.StatusFail, "crm/customers"},
		{"a dataset that could not run makes it an error", []DatasetResult{{"orders", pass, nil, 0}, {"crm", fail, errors.New("boom"), 3}}, report.StatusError, "crm/customers"},
		{"passing datasets pass", []DatasetResult{{"orders", pass, nil, 0}}, report.StatusPass, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Combine(tt.results, "error", "test")
			if r.Status != tt.status {
				t.Errorf("status %s, want %s", r.Status, tt.status)
			}
			if tt.schema != "" && (len(r.Findings) != 1 || r.Findings[0].Schema != tt.schema || r.Drift[0].Schema != tt.schema) {
				t.Errorf("findings %+v drift %+v, want schema %s", r.Findings, r.Drift, tt.schema)
			}
			if r.Checks[0].Schema != "orders" {
				t.Errorf("a dataset named like its schema object keeps the plain name, got %q", r.Checks[0].Schema)
			}
			if tt.status == report.StatusError && !strings.Contains(r.Error, "crm: boom") {
				t.Errorf("error %q does not name the dataset", r.Error)
			}
		})
	}
}

// FuzzParse: whatever the bytes, Parse returns a config or an error and
// never panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("version: 1\ndatasets: []\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.yaml", data)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Parse = %v, %v: want exactly one of a config and an error", cfg, err)
		}
	})
}
