package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/fixtures/testenv"
)

// TestODCSExamplesRunUnchanged lints every example of the ODCS repository
// and checks it as its users would, with no data arguments: the contract's
// servers decide, and a server driftgate cannot read yet is named.
func TestODCSExamplesRunUnchanged(t *testing.T) {
	dir := testenv.Corpus(t, "external/odcs/examples")
	files, err := filepath.Glob(filepath.Join(dir, "*.odcs.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no ODCS examples in %s (%v)", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if stdout, stderr, code := cli(t, nil, "lint", f); code != exitPass {
				t.Errorf("lint: exit %d\n%s\n%s", code, stdout, stderr)
			}
			_, stderr, code := cli(t, nil, "check", "-c", f)
			body, _ := os.ReadFile(f)
			want, wantCode := "declares no servers; give the data as arguments", exitUsage
			if strings.Contains(string(body), "\nservers:") {
				want = `which driftgate cannot read yet`
			}
			if strings.Contains(string(body), "type: postgres") {
				// A PostgreSQL server is checked by pushdown; the example's
				// host does not answer here.
				want, wantCode = "cannot connect", exitUnreadable
			}
			if code != wantCode || !strings.Contains(stderr, want) {
				t.Errorf("check without data: exit %d, stderr %q; want exit %d with %q", code, stderr, wantCode, want)
			}
		})
	}
}

// datacontract-cli look-alikes: contracts written the way that tool's own
// tests and users write them (ODCS v3.0.2 and v3.1.0, a local server with
// a relative path, quality rules with ids and tags, a freshness SLA,
// PostgreSQL types, nested JSON), each with data the test writes beside
// it. They lint clean and check with no data arguments.
const diagnosticsContract = `apiVersion: v3.0.2
kind: DataContract
id: quality_id_filter_test
version: 1.0.0
status: active
servers:
  - server: local
    type: local
    path: ./fixtures/diagnostics/data/orders.csv
    format: csv
slaProperties:
  - id: freshness-sla
    property: freshness
    element: orders.processed_timestamp
    value: 3650
    unit: d
schema:
  - name: orders
    quality:
      - id: orders_not_empty
        type: library
        metric: rowCount
        mustBeGreaterThan: 1
        tags: ["critical", "cheap"]
      - id: amounts_are_positive
        type: sql
        description: amounts are positive
        query: SELECT MIN(amount) FROM orders
        mustBeGreaterThan: 0
        tags: ["expensive"]
    properties:
      - name: order_id
        logicalType: integer
        required: true
        unique: true
      - name: email
        logicalType: string
        required: true
        logicalTypeOptions:
          pattern: "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$"
      - name: amount
        logicalType: integer
        logicalTypeOptions:
          minimum: 0
      - name: processed_timestamp
        logicalType: date
`

// The data that contract's comments describe: five rows, a repeated
// order_id, an email without an @, a negative amount.
const diagnosticsCSV = `order_id,email,amount,processed_timestamp
1,a@example.com,10,2024-01-01
2,b@example.com,-5,2024-01-02
2,c-at-example.com,7,2024-01-03
3,d@example.com,3,2024-01-04
4,e@example.com,12,2024-01-05
`

const postgresContract = `apiVersion: v3.1.0
kind: DataContract
id: adventureworks-person
version: 1.0.0
status: active
servers:
  - server: dump
    type: local
    path: ./export/person-*.csv
    format: csv
schema:
  - name: person
    physicalName: person
    physicalType: table
    properties:
      - name: businessentityid
        logicalType: integer
        physicalType: int4
        primaryKey: true
      - name: persontype
        logicalType: string
        physicalType: bpchar
      - name: firstname
        logicalType: string
        physicalType: varchar(50)
        required: true
      - name: modifieddate
        logicalType: timestamp
        physicalType: timestamp
`

const nestedContract = `kind: DataContract
apiVersion: v3.1.0
id: "61111-0002"
name: Sample data of nested types
version: 1.0.0
status: active
servers:
  - server: sample
    type: local
    path: ./fixtures/local-json/data/nested_types.json
    format: json
    delimiter: array
schema:
  - name: sample_data
    physicalType: object
    properties:
      - name: id
        logicalType: integer
        required: true
      - name: tags
        logicalType: array
        required: true
        items:
          logicalType: object
          properties:
            - name: foo
              logicalType: string
              required: true
            - name: arr
              logicalType: array
              items:
                logicalType: integer
      - name: name
        logicalType: object
        properties:
          - name: first
            logicalType: string
`

func TestDatacontractCLILookAlikesRunUnchanged(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		want  []string // in findingLines of the JSON report
	}{
		{
			name:  "a CSV server with the data's planted faults fails on each of them",
			files: map[string]string{"datacontract.yaml": diagnosticsContract, "fixtures/diagnostics/data/orders.csv": diagnosticsCSV},
			code:  exitFailed,
			want: []string{"VALUE_UNIQUE order_id", "VALUE_PATTERN email", "VALUE_RANGE amount", "QUALITY_NOT_EXECUTED",
				"check QUALITY_ROW_COUNT passed", "check SLA_FRESHNESS passed"},
		},
		{
			name:  "datacontract test --quality-id orders_not_empty: that rule alone, the rest listed",
			files: map[string]string{"datacontract.yaml": diagnosticsContract, "fixtures/diagnostics/data/orders.csv": diagnosticsCSV},
			args:  []string{"--only", "id=orders_not_empty"},
			code:  exitPass,
			want:  []string{"check QUALITY_ROW_COUNT passed", "left out by not selected by --only id=orders_not_empty: VALUE_UNIQUE on 1 column (order_id)"},
		},
		{
			name:  "datacontract test --tag expensive: the sql rule, which driftgate lists as not executed",
			files: map[string]string{"datacontract.yaml": diagnosticsContract, "fixtures/diagnostics/data/orders.csv": diagnosticsCSV},
			args:  []string{"--only", "tag=expensive"},
			code:  exitPass,
			want:  []string{"QUALITY_NOT_EXECUTED", "check QUALITY_ROW_COUNT skipped"},
		},
		{
			name:  "--metadata-only on the CSV server: structure from the header, value rules skipped",
			files: map[string]string{"datacontract.yaml": diagnosticsContract, "fixtures/diagnostics/data/orders.csv": diagnosticsCSV},
			args:  []string{"--metadata-only"},
			code:  exitPass,
			want:  []string{"CHECK_SKIPPED order_id: not checked with --metadata-only", "check COLUMN_MISSING passed"},
		},
		{
			name: "PostgreSQL types on a CSV export matched by a glob",
			files: map[string]string{"datacontract.yaml": postgresContract,
				"export/person-1.csv": "businessentityid,persontype,firstname,modifieddate\n1,EM,Ken,2009-01-07T00:00:00Z\n",
				"export/person-2.csv": "businessentityid,persontype,firstname,modifieddate\n2,EM,Terri,2008-01-24T00:00:00Z\n"},
			code: exitPass,
			want: []string{"check VALUE_UNIQUE passed", "check COLUMN_TYPE passed"},
		},
		{
			name: "a nested JSON array: a wrong item deep in a list is a VALUE_TYPE naming the field and the line",
			files: map[string]string{"datacontract.yaml": nestedContract,
				"fixtures/local-json/data/nested_types.json": "[\n  {\"id\": 1, \"tags\": [{\"foo\": \"bar\", \"arr\": [1, 2, 3]}], \"name\": {\"first\": \"John\"}},\n  {\"id\": 2, \"tags\": [{\"foo\": \"baz\", \"arr\": [1, \"two\"]}], \"name\": {\"first\": \"Jane\"}}\n]\n"},
			code: exitFailed,
			want: []string{"VALUE_TYPE tags: 1 value does not parse as int64 at tags[].arr[] (first at row 2 of fixtures/local-json/data/nested_types.json:3: two)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			userRepo(t, tc.files)
			if stdout, stderr, code := cli(t, nil, "lint", "datacontract.yaml"); code != exitPass {
				t.Fatalf("lint: exit %d\n%s\n%s", code, stdout, stderr)
			}
			args := append([]string{"check", "-c", "datacontract.yaml", "--now", "2026-11-30", "--format", "json"}, tc.args...)
			out, stderr, code := cli(t, nil, args...)
			if code != tc.code {
				t.Fatalf("check: exit %d, want %d\n%s\n%s", code, tc.code, out, stderr)
			}
			got := findingLines(t, out)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
}
