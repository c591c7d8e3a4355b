package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

// dayOfOrders writes the first n rows of the clean orders fixture as one
// day's batch.
func dayOfOrders(t *testing.T, dir string, day, n int) string {
	t.Helper()
	data, err := os.ReadFile("fixtures/orders-clean/orders.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	path := filepath.Join(dir, fmt.Sprintf("dt=2026-11-%02d.csv", day))
	if err := os.WriteFile(path, []byte(strings.Join(lines[:n+1], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckWithHistory runs a nightly check for three weeks, then a day
// with a third of the usual rows: the report has an ANOMALY_ROW_COUNT
// warning that says what was expected, the run fails (anomalies gate as
// drift does), and the history lists the runs and keeps the day's report.
func TestCheckWithHistory(t *testing.T) {
	inRepoRoot(t)
	dir := t.TempDir()
	hist := filepath.Join(dir, "history.db")
	check := func(day, rows int, extra ...string) (report.Report, int) {
		t.Helper()
		out := filepath.Join(dir, fmt.Sprintf("report-%d.json", day))
		args := append([]string{"check", "-c", "fixtures/orders-clean/contract.odcs.yaml", "--history", hist,
			"--as-of", fmt.Sprintf("2026-11-%02d", day), "-f", "json=" + out, dayOfOrders(t, dir, day, rows)}, extra...)
		_, stderr, code := cli(t, nil, args...)
		var rep report.Report
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("day %d: no report (exit %d): %s", day, code, stderr)
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatal(err)
		}
		return rep, code
	}
	for day := 1; day <= 21; day++ {
		rep, code := check(day, 440+(day*37)%60)
		if code != exitPass {
			t.Fatalf("day %d: exit %d, want 0; findings %+v", day, code, rep.Findings)
		}
	}
	rep, code := check(22, 150)
	var anomaly *report.Finding
	for i, f := range rep.Findings {
		if f.Rule == "ANOMALY_ROW_COUNT" {
			anomaly = &rep.Findings[i]
		}
	}
	if anomaly == nil || code != exitFailed || anomaly.Severity != report.SeverityWarning {
		t.Fatalf("day 22 with 150 rows: exit %d, findings %+v; want an ANOMALY_ROW_COUNT warning and exit 1", code, rep.Findings)
	}
	if !strings.HasPrefix(anomaly.Message, "rows 150 on Sunday 2026-11-22; expected ") {
		t.Errorf("message %q", anomaly.Message)
	}
	if _, code := check(23, 150, "--history-fail-on", "never"); code != exitPass {
		t.Errorf("--history-fail-on never: exit %d, want 0", code)
	}

	stdout, _, code := cli(t, nil, "history", "list", "--history", hist)
	if code != 0 || !strings.Contains(stdout, "orders   23    2026-11-01  2026-11-23  pass") {
		t.Errorf("history list (exit %d):\n%s", code, stdout)
	}
	stdout, _, code = cli(t, nil, "history", "show", "orders", "--metric", "rows", "--history", hist)
	if code != 0 || !strings.Contains(stdout, "2026-11-22  fail     150    anomaly") {
		t.Errorf("history show (exit %d):\n%s", code, stdout)
	}
	stdout, _, code = cli(t, nil, "history", "at", "orders", "2026-11-22", "--format", "json", "--history", hist)
	var stored report.Report
	if code != 0 || json.Unmarshal([]byte(stdout), &stored) != nil || stored.Status != report.StatusFail || len(stored.Inputs) != 1 {
		t.Errorf("history at --format json (exit %d): %.300s", code, stdout)
	}
	stdout, _, code = cli(t, nil, "history", "at", "orders", "2026-11-22", "--history", hist)
	if code != 0 || !strings.Contains(stdout, "orders as of 2026-11-22T00:00:00Z") || !strings.Contains(stdout, "input "+filepath.Join(dir, "dt=2026-11-22.csv")) {
		t.Errorf("history at (exit %d):\n%s", code, stdout)
	}
	if _, _, code := cli(t, nil, "history", "at", "orders", "2026-10-01", "--history", hist); code != exitUsage {
		t.Errorf("history at a day before any run: exit %d, want 2", code)
	}
	page := filepath.Join(dir, "history.html")
	if _, stderr, code := cli(t, nil, "history", "report", "-o", page, "--history", hist); code != 0 {
		t.Fatalf("history report: exit %d: %s", code, stderr)
	}
	html, _ := os.ReadFile(page)
	if !strings.Contains(string(html), `class="anomaly"`) || !strings.Contains(string(html), "<svg") {
		t.Errorf("the history report has no chart with an anomaly marked")
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]string{"400d": "9600h0m0s", "8w": "1344h0m0s", "72h": "72h0m0s"} {
		got, err := parseAge(in)
		if err != nil || got.String() != want {
			t.Errorf("parseAge(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := parseAge("soon"); err == nil {
		t.Error("parseAge(soon) succeeded")
	}
}

// TestRunRecordsEveryDatasetInTheHistory runs the example project twice
// with --history: each dataset gets its point per day, under its
// driftgate.yaml name.
func TestRunRecordsEveryDatasetInTheHistory(t *testing.T) {
	inRepoRoot(t)
	hist := filepath.Join(t.TempDir(), "history.db")
	for _, day := range []string{"2026-11-01", "2026-11-02"} {
		_, stderr, code := cli(t, nil, "run", "--config", ".github/examples/driftgate.yaml", "--mode", "full",
			"--history", hist, "--as-of", day, "-f", "json="+filepath.Join(t.TempDir(), "r.json"))
		if code != exitPass {
			t.Fatalf("run --history on %s: exit %d: %s", day, code, stderr)
		}
	}
	stdout, _, code := cli(t, nil, "history", "list", "--format", "json", "--history", hist)
	var got struct {
		Datasets []struct {
			Dataset string `json:"dataset"`
			Runs    int    `json:"runs"`
		} `json:"datasets"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || len(got.Datasets) == 0 {
		t.Fatalf("history list (exit %d): %s", code, stdout)
	}
	for _, d := range got.Datasets {
		if d.Runs != 2 {
			t.Errorf("dataset %s has %d runs, want 2", d.Dataset, d.Runs)
		}
	}
	if _, _, code := cli(t, nil, "run", "--config", ".github/examples/driftgate.yaml", "--as-of", "2026-11-03"); code != exitUsage {
		t.Errorf("run --as-of without a history: exit %d, want 2", code)
	}
}

// TestRunTakesThePartitionDay runs a project whose data is partitioned by
// {dt}: without --as-of each run's point is recorded at its partition's day.
func TestRunTakesThePartitionDay(t *testing.T) {
	inRepoRoot(t)
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "driftgate.yaml")
	config := "version: 1\nhistory: history.db\ndatasets:\n  - name: orders\n    data:\n      - data/dt={dt}/\n    contract: " +
		filepath.Join(root, "fixtures/orders-clean/contract.odcs.yaml") + "\n"
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2026-11-03", "2026-11-04"} {
		part := filepath.Join(dir, "data", "dt="+day)
		if err := os.MkdirAll(part, 0o755); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile("fixtures/orders-clean/orders.csv")
		os.WriteFile(filepath.Join(part, "orders.csv"), data, 0o644)
		if _, stderr, code := cli(t, nil, "run", "--config", cfg, "--mode", "full"); code != exitPass {
			t.Fatalf("run with partition %s: exit %d: %s", day, code, stderr)
		}
	}
	stdout, _, code := cli(t, nil, "history", "show", "orders", "--history", filepath.Join(dir, "history.db"))
	if code != 0 || !strings.Contains(stdout, "2026-11-03  pass") || !strings.Contains(stdout, "2026-11-04  pass") {
		t.Fatalf("history show (exit %d): want points on both partition days:\n%s", code, stdout)
	}
}
