package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
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
	schema := officialODCS(t)
	accepted := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if err := schemaAccepts(t, schema, f); err != nil {
				t.Errorf("the official schema rejects its own example: %v", err)
			} else {
				accepted++
			}
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
	t.Logf("ODCS examples: %d of %d accepted by the official schema, every one lint clean", accepted, len(files))
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
// diagnosticsSQLRule is what the contract's sql rule (SELECT MIN(amount)
// FROM orders, mustBeGreaterThan 0) says about the CSV: -5 where embedded
// DuckDB runs it, not executed in a build without it.
var diagnosticsSQLRule, diagnosticsSQLExit = func() (string, int) {
	if duckdb.Available {
		return "QUALITY_SQL : sql rule returned -5, want > 0", exitFailed
	}
	return "QUALITY_NOT_EXECUTED", exitPass
}()

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
			want: []string{"VALUE_UNIQUE order_id", "VALUE_PATTERN email", "VALUE_RANGE amount", diagnosticsSQLRule,
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
			name:  "datacontract test --tag expensive: the sql rule alone, run by embedded DuckDB on the CSV",
			files: map[string]string{"datacontract.yaml": diagnosticsContract, "fixtures/diagnostics/data/orders.csv": diagnosticsCSV},
			args:  []string{"--only", "tag=expensive"},
			code:  diagnosticsSQLExit,
			want:  []string{diagnosticsSQLRule, "check QUALITY_ROW_COUNT skipped"},
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

// dccCorpus holds datacontract-cli's own ODCS v3 contracts and data files,
// brought in unchanged under its MIT licence; its README says where each
// came from.
const dccCorpus = "../../fixtures/ecosystem/datacontract-cli"

// dccContracts lists the corpus's contracts, relative to its tests/ folder
// (where datacontract-cli's tests run, and its relative paths resolve).
func dccContracts(t *testing.T) []string {
	t.Helper()
	var out []string
	root := filepath.Join(dccCorpus, "tests")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			rel, _ := filepath.Rel(root, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("no contracts under %s (%v)", root, err)
	}
	return out
}

// dccTests lays the corpus's tests/ folder out in a temporary directory
// and changes into it, as datacontract-cli's tests run. Its Parquet files
// are binary, which the source this corpus was read from does not keep:
// they are written here with the columns and types the contracts and
// datacontract-cli's generator script (tests/fixtures/parquet/helper)
// give them.
func dccTests(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join(dccCorpus, "tests"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatalf("copy the corpus: %v", err)
	}
	parquetDir := filepath.Join(dir, "fixtures", "parquet", "data")
	if err := os.MkdirAll(parquetDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeJSONParquet(t, filepath.Join(parquetDir, "combined.parquet"), arrow.NewSchema([]arrow.Field{
		{Name: "array_field", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		{Name: "bigint_field", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "blob_field", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "boolean_field", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "date_field", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "decimal_field", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
		{Name: "double_field", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "float_field", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "integer_field", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "map_field", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), Nullable: true},
		{Name: "string_field", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "struct_field", Type: arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true},
		{Name: "timestamp_field", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	}, nil), `[
{"array_field": [1, 2, 3], "bigint_field": 1000000000000000000, "blob_field": "ZXhhbXBsZQ==", "boolean_field": true, "date_field": "2024-01-01", "decimal_field": "12.34", "double_field": 1.23, "float_field": 1.23, "integer_field": 100, "map_field": [{"key": "key1", "value": "value1"}], "string_field": "example", "struct_field": {"a": 1, "b": "test"}, "timestamp_field": "2024-01-01T10:00:00Z"},
{"array_field": [4, 5, 6], "bigint_field": 2000000000000000000, "blob_field": "dGVzdA==", "boolean_field": false, "date_field": "2024-01-02", "decimal_field": "56.78", "double_field": 4.56, "float_field": 4.56, "integer_field": 200, "map_field": [{"key": "key2", "value": "value2"}], "string_field": "test", "struct_field": {"a": 2, "b": "data"}, "timestamp_field": "2024-01-02T11:30:00Z"},
{"array_field": [], "bigint_field": 3000000000000000000, "blob_field": "ZGF0YQ==", "boolean_field": true, "date_field": "2024-01-03", "decimal_field": "90.12", "double_field": 7.89, "float_field": 7.89, "integer_field": 300, "map_field": [], "string_field": "data", "struct_field": null, "timestamp_field": "2024-01-03T12:45:00Z"}
]`)
	writeJSONParquet(t, filepath.Join(parquetDir, "decimal.parquet"), arrow.NewSchema([]arrow.Field{
		{Name: "decimal_field", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
	}, nil), `[{"decimal_field": "12.34"}, {"decimal_field": "56.78"}, {"decimal_field": "90.12"}]`)
	t.Chdir(dir)
	return dir
}

// writeJSONParquet writes records given as a JSON array as Parquet with
// arrow-go's writer (as pyarrow writes them: one row group, statistics).
func writeJSONParquet(t *testing.T, path string, sc *arrow.Schema, rows string) {
	t.Helper()
	mem := memory.NewGoAllocator()
	rec, _, err := array.RecordFromJSON(mem, sc, strings.NewReader(rows))
	if err != nil {
		t.Fatalf("records for %s: %v", path, err)
	}
	defer rec.Release()
	pqtest.Write(t, path, pqtest.Options{Mem: mem}, rec)
}

// officialODCS compiles the official ODCS v3.1.0 JSON Schema from the
// shared corpus.
func officialODCS(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(testenv.Corpus(t, "external/odcs"), "odcs-json-schema-v3.1.0.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the official schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2019
	if err := c.AddResource("odcs.json", bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("odcs.json")
	if err != nil {
		t.Fatalf("compile the official schema: %v", err)
	}
	return s
}

// schemaAccepts says the official schema accepts a YAML contract, read as
// JSON reads it (dates as strings).
func schemaAccepts(t *testing.T, s *jsonschema.Schema, path string) error {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return err
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		return err
	}
	return s.Validate(v)
}

// dccReadme is the corpus README, whose figures the tests keep true.
func dccReadme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dccCorpus, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDatacontractCLIContractsLintClean(t *testing.T) {
	schema := officialODCS(t)
	readme := dccReadme(t)
	accepted, clean := 0, 0
	for _, f := range dccContracts(t) {
		path := filepath.Join(dccCorpus, "tests", f)
		if err := schemaAccepts(t, schema, path); err != nil {
			t.Logf("%s: the official schema rejects it (%v)", f, err)
			if !strings.Contains(readme, "`"+f+"`") {
				t.Errorf("%s is rejected by the official schema but the README does not list it", f)
			}
			continue
		}
		accepted++
		if stdout, stderr, code := cli(t, nil, "lint", path); code != exitPass {
			t.Errorf("lint %s: exit %d\n%s\n%s", f, code, stdout, stderr)
			continue
		}
		clean++
	}
	figure := fmt.Sprintf("lint clean: %d of %d", clean, accepted)
	t.Log(figure)
	if !strings.Contains(readme, figure) {
		t.Errorf("the corpus README does not say %q", figure)
	}
}

// TestDatacontractCLIContractsCheckWithNoData runs every contract of the
// corpus as its users run it, `check -c C` and nothing else: the
// contract's local server names the data.
func TestDatacontractCLIContractsCheckWithNoData(t *testing.T) {
	want := map[string]int{
		// The planted faults of diagnostics/data/orders.csv: a repeated
		// order_id, an email without an @, a negative amount.
		"inline/metadata_only_csv.odcs.yaml": exitFailed,
		"inline/dimension_filter.odcs.yaml":  exitFailed,
		"inline/quality_id_filter.odcs.yaml": exitFailed,
		"inline/builtin_dimension.odcs.yaml": exitFailed,
		// The SLAs name order_id, an integer: no time to judge them by.
		"inline/metadata_only_sla_sql.odcs.yaml": exitFailed,
		// processed_timestamp is required by nothing, but its SLA and the
		// duplicate order_id fail.
		"inline/quality_provenance.odcs.yaml":   exitFailed,
		"fixtures/row-filter/datacontract.yaml": exitFailed, // rowCount mustBe 3 of 5 rows
		// Two schema objects on one server: driftgate asks which.
		"inline/row_filter_two_schemas.odcs.yaml": exitUsage,
		// Two servers (PostgreSQL and a JSON file the mock command writes):
		// driftgate asks which.
		"fixtures/mock/datacontract.odcs.yaml": exitUsage,
	}
	// What a refusal must tell the user.
	hint := map[string]string{
		"inline/row_filter_two_schemas.odcs.yaml": "choose one with --schema",
		"fixtures/mock/datacontract.odcs.yaml":    "declares 2 servers (production, files); choose one with --server NAME",
	}
	contracts := dccContracts(t)
	dccTests(t)
	for _, f := range contracts {
		t.Run(f, func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, "check", "-c", f, "--now", "2026-11-30")
			if code != want[f] {
				t.Errorf("exit %d, want %d\n%s\n%s", code, want[f], stdout, stderr)
			}
			if h := hint[f]; h != "" && !strings.Contains(stderr, h) {
				t.Errorf("stderr %q does not say %q", stderr, h)
			}
		})
	}
}

// dccVerdict is one verdict datacontract-cli's own tests assert about a
// contract of the corpus, and what driftgate says.
type dccVerdict struct {
	test     string   // datacontract-cli's test function
	contract string   // under tests/
	args     []string // driftgate's spelling of the test's options
	// dcc is what the test asserts: "passed", "failed" (a run that found
	// a problem), or "refused" (the CLI rejects its options: exit 1).
	dcc string
	// differs is why driftgate answers otherwise by design, with the exit
	// it gives; "" when it must agree.
	differs string
	code    int
}

// dccVerdicts are every verdict assertion in the datacontract-cli tests
// the corpus's inline contracts come from (see the README).
var dccVerdicts = []dccVerdict{
	{test: "test_without_flag_value_checks_execute", contract: "inline/metadata_only_csv.odcs.yaml", dcc: "failed"},
	{test: "test_metadata_only_skips_value_checks", contract: "inline/metadata_only_csv.odcs.yaml", args: []string{"--metadata-only"}, dcc: "passed"},
	{test: "test_metadata_only_passes_when_introspection_checks_pass", contract: "inline/metadata_only_parquet.odcs.yaml", args: []string{"--metadata-only"}, dcc: "passed"},
	{test: "test_metadata_only_cli_option", contract: "inline/metadata_only_csv.odcs.yaml", args: []string{"--only", "family=check", "--metadata-only"}, dcc: "passed"},
	{test: "test_metadata_only_skips_servicelevel_and_custom_sql", contract: "inline/metadata_only_sla_sql.odcs.yaml", args: []string{"--metadata-only"}, dcc: "passed"},
	{test: "test_metadata_only_all_skipped_remains_unknown", contract: "inline/metadata_only_sla_sql.odcs.yaml", args: []string{"--only", "family=quality", "--metadata-only"}, dcc: "unknown",
		differs: "driftgate has no third verdict: a run in which nothing executed passes, with every check listed as skipped", code: exitPass},
	{test: "test_metadata_only_keeps_json_record_validation", contract: "inline/metadata_only_json.odcs.yaml", args: []string{"--metadata-only"}, dcc: "failed",
		differs: "--metadata-only reads no value in driftgate; datacontract-cli still validates JSON records with JSON Schema", code: exitPass},
	{test: "test_metadata_only_ci_cli_option", contract: "inline/metadata_only_csv.odcs.yaml", args: []string{"--metadata-only"}, dcc: "passed"},
	{test: "test_dimension_selecting_a_passing_rule_passes", contract: "inline/dimension_filter.odcs.yaml", args: []string{"--only", "dimension=completeness"}, dcc: "passed"},
	{test: "test_dimension_reports_the_failing_rule", contract: "inline/dimension_filter.odcs.yaml", args: []string{"--only", "dimension=accuracy"}, dcc: "failed"},
	{test: "test_dimension_cli_option", contract: "fixtures/quality-dimensions/datacontract.yaml", args: []string{"--only", "dimension=completeness"}, dcc: "passed"},
	{test: "test_dimension_cli_invalid_dimension", contract: "fixtures/quality-dimensions/datacontract.yaml", args: []string{"--only", "dimension=freshness"}, dcc: "refused"},
	{test: "test_dimension_cli_empty_dimension", contract: "fixtures/quality-dimensions/datacontract.yaml", args: []string{"--only", "dimension="}, dcc: "refused"},
	{test: "test_dimension_cli_spaces_after_comma", contract: "fixtures/quality-dimensions/datacontract.yaml", args: []string{"--only", "dimension=completeness", "--only", "dimension=uniqueness"}, dcc: "passed"},
	{test: "test_quality_id_runs_only_that_rule", contract: "inline/quality_id_filter.odcs.yaml", args: []string{"--only", "id=order_id_is_unique"}, dcc: "failed"},
	{test: "test_quality_id_skips_schema_checks", contract: "inline/quality_id_filter.odcs.yaml", args: []string{"--only", "id=orders_not_empty"}, dcc: "passed"},
	{test: "test_unknown_quality_id_fails_the_run", contract: "inline/quality_id_filter.odcs.yaml", args: []string{"--only", "id=does_not_exist"}, dcc: "refused"},
	{test: "test_quality_id_cli_option", contract: "fixtures/quality-id/datacontract.yaml", args: []string{"--only", "id=orders_not_empty"}, dcc: "passed"},
	{test: "test_quality_id_cli_unknown_id_exits_non_zero", contract: "fixtures/quality-id/datacontract.yaml", args: []string{"--only", "id=typo"}, dcc: "refused"},
	{test: "test_tag_cli_option", contract: "fixtures/quality-id/datacontract.yaml", args: []string{"--only", "tag=critical", "--only", "tag=cheap"}, dcc: "passed"},
	{test: "test_quality_id_cli_empty_value", contract: "fixtures/quality-id/datacontract.yaml", args: []string{"--only", "id="}, dcc: "refused"},
	{test: "test_checks_quality_only_runs_row_count_rule", contract: "inline/row_count_category.odcs.yaml", args: []string{"--only", "family=quality"}, dcc: "passed"},
	{test: "test_without_filter_fails", contract: "fixtures/row-filter/datacontract.yaml", dcc: "failed"},
}

// TestDatacontractCLIVerdicts runs the corpus's contracts with the options
// datacontract-cli's tests use and compares the verdicts they assert:
// passed is exit 0, failed exit 1, a refused option exit 2 (datacontract-
// cli exits 1 for both). Every difference is listed in the corpus README
// with its reason, and the agreement figure there is this test's.
func TestDatacontractCLIVerdicts(t *testing.T) {
	readme := dccReadme(t)
	dir := dccTests(t)
	// test_metadata_only_keeps_json_record_validation writes its JSON and
	// contract into a temporary folder; the same, here.
	if err := os.WriteFile(filepath.Join(dir, "orders.json"), []byte(`[{"email": "not-an-email"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonContract := "apiVersion: v3.0.2\nkind: DataContract\nid: metadata_only_json_test\nversion: 1.0.0\nstatus: active\nservers:\n  - server: local\n    type: local\n    path: \"./orders.json\"\n    format: json\n    delimiter: array\nschema:\n  - name: orders\n    properties:\n      - name: email\n        logicalType: string\n        logicalTypeOptions:\n          pattern: \"^[^@]+@[^@]+$\"\n"
	if err := os.WriteFile(filepath.Join(dir, "inline", "metadata_only_json.odcs.yaml"), []byte(jsonContract), 0o644); err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{"passed": exitPass, "failed": exitFailed, "refused": exitUsage}
	agree := 0
	for _, v := range dccVerdicts {
		t.Run(v.test, func(t *testing.T) {
			args := append([]string{"check", "-c", v.contract, "--now", "2026-11-30"}, v.args...)
			stdout, stderr, code := cli(t, nil, args...)
			want, ok := codes[v.dcc]
			if v.differs != "" {
				want = v.code
				if !strings.Contains(readme, "`"+v.test+"`") {
					t.Errorf("the README does not list %s as a difference by design (%s)", v.test, v.differs)
				}
			} else if !ok {
				t.Fatalf("verdict %q has no exit code", v.dcc)
			}
			if !duckdb.Available && v.test == "test_dimension_reports_the_failing_rule" {
				// Without DuckDB its sql rule cannot run: it must say so,
				// and the gate must not fail on a rule it never ran.
				if !strings.Contains(stdout, "QUALITY_NOT_EXECUTED") || code != exitPass {
					t.Errorf("driftgate %s without DuckDB: exit %d, want %d and QUALITY_NOT_EXECUTED\n%s\n%s", strings.Join(args, " "), code, exitPass, stdout, stderr)
				}
				return
			}
			if code != want {
				t.Errorf("driftgate %s: exit %d, want %d (datacontract-cli: %s)\n%s\n%s", strings.Join(args, " "), code, want, v.dcc, stdout, stderr)
			}
			if v.differs == "" && code == want {
				agree++
			}
		})
	}
	figure := fmt.Sprintf("agreement: %d of %d", agree, len(dccVerdicts))
	t.Log(figure)
	if !duckdb.Available {
		// test_dimension_reports_the_failing_rule's sql rule needs DuckDB;
		// the README's figure is that of a build with it.
		t.Logf("this build has no DuckDB: the README's figure is one more")
		return
	}
	if !strings.Contains(readme, figure) {
		t.Errorf("the corpus README does not say %q", figure)
	}
}
