package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

func TestCheckMetadataOnly(t *testing.T) {
	inRepoRoot(t)
	tests := []struct {
		name    string
		args    []string
		code    int
		want    []string // RULE:column keys that must be findings
		notWant []string
		stderr  string
	}{
		{
			name: "trusted footer statistics prove a date below its minimum, and undecidable checks are listed as skipped",
			args: []string{"--trust-statistics", "-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.parquet"},
			code: exitFailed,
			want: []string{"VALUE_RANGE:order_date", "CHECK_SKIPPED:order_id", "CHECK_SKIPPED:customer_id", "QUALITY_NOT_EXECUTED:"},
			// The footer says order_id has no nulls; required is decided.
			notWant: []string{"VALUE_NULL:order_id", "VALUE_UNIQUE:order_id"},
		},
		{
			name: "statistics of a writer not known to be correct decide nothing, and nothing fails",
			args: []string{"-c", "fixtures/xitongsys/contract.odcs.yaml", "fixtures/xitongsys/players.parquet"},
			code: exitPass,
			want: []string{"CHECK_SKIPPED:name", "CHECK_SKIPPED:nickname", "CHECK_SKIPPED:score"},
			// Arrow reads its missing null counts as 0; trusting them would
			// wrongly pass the required name column.
			notWant: []string{"VALUE_NULL:name"},
		},
		{
			name: "structural drift is found from the footer alone",
			args: []string{"-c", "fixtures/structural/contract.odcs.yaml", "fixtures/structural/readings.parquet"},
			code: exitFailed,
			want: []string{"COLUMN_MISSING:b", "COLUMN_TYPE:c", "COLUMN_TYPE:d", "COLUMN_UNEXPECTED:e"},
		},
		{
			name: "a CSV file gives its structure from the header; every value rule is listed as skipped",
			args: []string{"-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.csv"},
			code: exitPass,
			want: []string{"CHECK_SKIPPED:order_id", "CHECK_SKIPPED:quantity", "CHECK_SKIPPED:", "QUALITY_NOT_EXECUTED:"},
			// The file's values are never parsed: its planted bad cells are not judged.
			notWant: []string{"VALUE_TYPE:quantity", "VALUE_NULL:order_id", "QUALITY_ROW_COUNT:"},
		},
		{
			name:   "a truncated file cannot be read",
			args:   []string{"-c", "fixtures/unreadable/contract.odcs.yaml", "fixtures/unreadable/truncated.parquet"},
			code:   exitUnreadable,
			stderr: "truncated.parquet",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.json")
			args := append([]string{"check", "--metadata-only", "--format", "json=" + out}, tt.args...)
			_, stderr, code := cli(t, nil, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if tt.code == exitUsage {
				return
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rep report.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, f := range rep.Findings {
				got[f.Rule+":"+f.Column] = true
			}
			for _, k := range tt.want {
				if !got[k] {
					t.Errorf("no %s finding; got %v", k, got)
				}
			}
			for _, k := range tt.notWant {
				if got[k] {
					t.Errorf("unexpected %s finding", k)
				}
			}
			if tt.code != exitUnreadable && rep.Inputs[0].SHA256 == "" {
				t.Error("metadata-only report lacks the input's SHA-256")
			}
		})
	}
}
