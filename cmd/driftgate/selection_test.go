package main

import (
	"strings"
	"testing"
)

// selectContract is written as datacontract-cli's users write quality
// rules they select with `datacontract test --quality-id/--tag/--dimension`.
const selectContract = `apiVersion: v3.1.0
kind: DataContract
id: orders
version: 1.0.0
status: active
servers:
  - server: local
    type: local
    path: ./orders.ndjson
    format: json
slaProperties:
  - id: orders-fresh
    property: latency
    value: 1
    unit: d
    element: orders.updated_at
schema:
  - name: orders
    quality:
      - id: enough_rows
        name: enough rows
        metric: rowCount
        mustBeGreaterThan: 100
        dimension: completeness
    properties:
      - name: order_id
        logicalType: integer
        required: true
        quality:
          - id: order_id_is_unique
            metric: duplicateValues
            mustBe: 0
            dimension: uniqueness
      - name: email
        logicalType: string
        quality:
          - id: email_filled
            metric: nullValues
            mustBe: 0
            dimension: completeness
            tags: [pii]
      - name: amount
        logicalType: number
        logicalTypeOptions:
          minimum: 0
      - name: updated_at
        logicalType: timestamp
`

const selectData = `{"order_id":1,"email":"a@example.com","amount":-5,"updated_at":"2026-11-29T00:00:00Z"}
{"order_id":1,"email":null,"amount":10,"updated_at":"2026-11-29T01:00:00Z"}
{"order_id":null,"email":"c@example.com","amount":3,"updated_at":"2026-11-29T02:00:00Z"}
`

func TestOnlyAndSkipSelectChecksAndListWhatTheyLeaveOut(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		want   []string // lines of findingLines
		absent []string
	}{
		{
			name: "everything runs without a selection",
			code: exitFailed,
			want: []string{"VALUE_RANGE amount", "VALUE_NULL order_id", "QUALITY_DUPLICATE_VALUES order_id", "QUALITY_NULL_VALUES email", "QUALITY_ROW_COUNT", "SLA_FRESHNESS updated_at"},
		},
		{
			name:   "--skip a rule ID drops its findings and lists the checks left out",
			args:   []string{"--skip", "VALUE_RANGE", "--only", "family=check"},
			code:   exitFailed,
			want:   []string{"VALUE_NULL order_id", "CHECK_SKIPPED : left out by --skip VALUE_RANGE: VALUE_RANGE on 1 column (amount)", "check VALUE_RANGE skipped", "left out by not selected by --only family=check: quality rule rowCount \"enough rows\" (QUALITY_ROW_COUNT)"},
			absent: []string{"VALUE_RANGE amount:", "QUALITY_ROW_COUNT :"},
		},
		{
			name:   "--only a quality rule id runs that rule alone; built-in checks are left out, as datacontract-cli does",
			args:   []string{"--only", "id=order_id_is_unique"},
			code:   exitFailed,
			want:   []string{"QUALITY_DUPLICATE_VALUES order_id", "left out by not selected by --only id=order_id_is_unique: VALUE_NULL on 1 column (order_id)", "left out by not selected by --only id=order_id_is_unique: SLA latency 1 d (SLA_FRESHNESS)"},
			absent: []string{"VALUE_NULL order_id:", "VALUE_RANGE amount:", "QUALITY_NULL_VALUES email:", "SLA_FRESHNESS updated_at:"},
		},
		{
			name:   "--only a dimension takes the built-in checks of that dimension too",
			args:   []string{"--only", "dimension=completeness"},
			code:   exitFailed,
			want:   []string{"VALUE_NULL order_id", "QUALITY_NULL_VALUES email", "QUALITY_ROW_COUNT"},
			absent: []string{"VALUE_RANGE amount:", "QUALITY_DUPLICATE_VALUES order_id:", "SLA_FRESHNESS updated_at:"},
		},
		{
			name:   "--only a tag and a quality rule name, bare values",
			args:   []string{"--only", "pii", "--only", "enough rows"},
			code:   exitFailed,
			want:   []string{"QUALITY_NULL_VALUES email", "QUALITY_ROW_COUNT"},
			absent: []string{"VALUE_NULL order_id:", "QUALITY_DUPLICATE_VALUES order_id:"},
		},
		{
			name:   "--skip everything that fails: a pass that lists what it left out",
			args:   []string{"--skip", "dimension=completeness", "--skip", "uniqueness", "--skip", "VALUE_RANGE", "--skip", "sla"},
			code:   exitPass,
			want:   []string{"CHECK_SKIPPED : left out by --skip dimension=completeness: VALUE_NULL on 1 column (order_id)", "SLA latency 1 d (SLA_FRESHNESS)", "check COLUMN_TYPE passed"},
			absent: []string{"VALUE_NULL order_id:", "SLA_FRESHNESS updated_at:"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			userRepo(t, map[string]string{"datacontract.yaml": selectContract, "orders.ndjson": selectData})
			args := append([]string{"check", "-c", "datacontract.yaml", "--now", "2026-12-05", "--format", "json"}, tc.args...)
			out, stderr, code := cli(t, nil, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, out, stderr)
			}
			got := findingLines(t, out)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(got, a) {
					t.Errorf("has %q:\n%s", a, got)
				}
			}
		})
	}
}

func TestSelectorsThatCannotSelectAreUsageErrors(t *testing.T) {
	userRepo(t, map[string]string{"datacontract.yaml": selectContract, "orders.ndjson": selectData})
	for _, tc := range []struct{ arg, want string }{
		{"colour=red", `--only "colour=red": unknown key "colour"`},
		{"rule=VALUE_NUL", "no rule VALUE_NUL"},
		{"id=", "empty value"},
	} {
		_, stderr, code := cli(t, nil, "check", "-c", "datacontract.yaml", "--only", tc.arg)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("--only %s: exit %d, stderr %q; want exit 2 with %q", tc.arg, code, stderr, tc.want)
		}
	}
}
