package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// findingLines is a JSON report's findings, one "RULE column: message"
// line each, and the rule of every check with its status.
func findingLines(t *testing.T, out string) string {
	t.Helper()
	var rep struct {
		Findings []struct{ Rule, Column, Message string }
		Checks   []struct{ Rule, Status string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(f.Rule + " " + f.Column + ": " + f.Message + "\n")
	}
	for _, c := range rep.Checks {
		b.WriteString("check " + c.Rule + " " + c.Status + "\n")
	}
	return b.String()
}

// slaContract is written as ODCS users write SLAs: latency and retention
// on a table.column element, a frequency the batch cannot answer, and
// datacontract-cli's freshness property.
const slaContract = `apiVersion: v3.1.0
kind: DataContract
id: urn:datacontract:checkout:orders
version: 1.0.0
status: active
servers:
  - server: local
    type: local
    path: ./orders.csv
    format: csv
slaDefaultElement: orders.updated_at
slaProperties:
%s
schema:
  - name: orders
    physicalName: orders
    properties:
      - name: order_id
        logicalType: integer
      - name: updated_at
        physicalName: updated_ts
        logicalType: timestamp
      - name: order_date
        logicalType: date
`

const slaCSV = `order_id,updated_ts,order_date
1,2026-11-29T08:00:00Z,2026-11-29
2,2026-11-27T10:00:00Z,2023-11-01
3,,2022-01-15
`

func TestSLAsAreJudgedAtNow(t *testing.T) {
	tests := []struct {
		name   string
		sla    string
		now    string
		code   int
		stdout []string
		absent []string
	}{
		{
			name: "latency within its span passes",
			sla:  "  - property: latency\n    value: 2\n    unit: d\n    element: orders.updated_at",
			now:  "2026-11-30T06:00:00Z", code: exitPass,
			stdout: []string{"check SLA_FRESHNESS passed"},
		},
		{
			name: "latency exceeded fails with the newest value and its age",
			sla:  "  - property: latency\n    value: 4\n    unit: h\n    element: orders.updated_at",
			now:  "2026-11-30T06:00:00Z", code: exitFailed,
			stdout: []string{"SLA_FRESHNESS", "newest value 2026-11-29T08:00:00Z is 22.0 hours old, want at most 4.0 hours (latency 4 h; now 2026-11-30T06:00:00Z)"},
		},
		{
			name: "datacontract-cli's freshness property on the default element",
			sla:  "  - id: freshness-sla\n    property: freshness\n    value: 1\n    unit: d",
			now:  "2026-12-05", code: exitFailed,
			stdout: []string{"SLA_FRESHNESS", "5.7 days old"},
		},
		{
			name: "retention counts the values older than it allows",
			sla:  "  - property: retention\n    value: 3\n    unit: y\n    element: orders.order_date",
			now:  "2026-11-30", code: exitFailed,
			stdout: []string{"SLA_RETENTION", "2 values are older than the retention of 1095.0 days (oldest 2022-01-15T00:00:00Z", "first at row 2 of orders.csv"},
		},
		{
			name: "retention as an ISO 8601 duration that every value keeps",
			sla:  "  - property: retention\n    value: P10Y\n    element: orders.order_date",
			now:  "2026-11-30", code: exitPass,
			stdout: []string{"check SLA_RETENTION passed"},
		},
		{
			name: "an SLA property a batch cannot answer is listed as not executed, never passed",
			sla:  "  - property: frequency\n    value: 1\n    valueExt: 1\n    unit: d\n  - property: generalAvailability\n    value: \"2022-05-12T09:30:10-08:00\"",
			now:  "2026-11-30", code: exitPass,
			stdout: []string{"SLA_NOT_EXECUTED", `SLA property "frequency" is not judged from a batch of data`, `"generalAvailability"`, "check SLA_NOT_EXECUTED notExecuted"},
		},
		{
			name: "an SLA on another schema object is not this table's to judge",
			sla:  "  - property: latency\n    value: 1\n    unit: d\n    element: customers.updated_at",
			now:  "2030-01-01", code: exitPass,
			absent: []string{"SLA_FRESHNESS"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			userRepo(t, map[string]string{
				"orders.odcs.yaml": strings.Replace(slaContract, "%s", tc.sla, 1),
				"orders.csv":       slaCSV,
			})
			out, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--now", tc.now, "--format", "json")
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, out, stderr)
			}
			stdout := findingLines(t, out)
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, no := range tc.absent {
				if strings.Contains(stdout, no) {
					t.Errorf("stdout has %q:\n%s", no, stdout)
				}
			}
		})
	}
}

func TestNowMustBeATime(t *testing.T) {
	userRepo(t, map[string]string{"orders.odcs.yaml": strings.Replace(slaContract, "%s", "  - property: latency\n    value: 1", 1), "orders.csv": slaCSV})
	_, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--now", "yesterday")
	if code != exitUsage || !strings.Contains(stderr, `--now "yesterday": want an RFC 3339 time`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestMetadataOnlyReadsCSVAndJSONStructure(t *testing.T) {
	userRepo(t, map[string]string{
		"orders.odcs.yaml": strings.Replace(slaContract, "%s", "  - property: latency\n    value: 1\n    unit: d", 1) + `    quality:
      - metric: rowCount
        mustBeGreaterThan: 100
`,
		"orders.csv":    slaCSV,
		"orders.ndjson": `{"order_id":"not a number","updated_ts":"2026-11-29T08:00:00Z","order_date":"2026-11-29","extra":1}` + "\n{\"broken\n",
	})
	for _, data := range []string{"orders.csv", "orders.ndjson"} {
		t.Run(data, func(t *testing.T) {
			out, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--metadata-only", "--format", "json", data)
			if code != exitPass {
				t.Fatalf("exit %d, want 0: structure matches and nothing else is judged\n%s\n%s", code, out, stderr)
			}
			got := findingLines(t, out)
			for _, want := range []string{
				"CHECK_SKIPPED order_id: not checked with --metadata-only: VALUE_TYPE",
				"CHECK_SKIPPED : not checked with --metadata-only: quality rowCount (a CSV or JSON file states no row count)",
				"SLA_NOT_EXECUTED : SLA latency is not judged with --metadata-only",
				"check COLUMN_MISSING passed",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("lacks %q:\n%s", want, got)
				}
			}
			if strings.Contains(got, "VALUE_TYPE order_id") || strings.Contains(got, "QUALITY_ROW_COUNT") {
				t.Errorf("a value rule ran with --metadata-only:\n%s", got)
			}
			if data == "orders.ndjson" && !strings.Contains(got, "COLUMN_UNEXPECTED extra") {
				t.Errorf("the first record's undeclared member is not reported:\n%s", got)
			}
		})
	}
}
