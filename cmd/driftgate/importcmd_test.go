package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportEachFormat imports each format's orders schema: the contract
// lints clean, the matching data passes it, and data that breaks the
// source's rules fails it; what could not be mapped is said on stderr.
func TestImportEachFormat(t *testing.T) {
	dir := filepath.Join("testdata", "import")
	tests := []struct {
		format, file string
		want         []string // in the contract
		notMapped    string   // on stderr
		badRules     []string // findings on orders-bad.csv
	}{
		{"sql", "orders.sql", []string{"physicalType: NUMERIC(10, 2)", "maxLength: 254", "physicalName: shop.orders", "description: One order per row.", "minimum: \"2020-01-01\""}, "CREATE INDEX", []string{"VALUE_UNIQUE", "VALUE_RANGE", "QUALITY_INVALID_VALUES"}},
		{"jsonschema", "orders.schema.json", []string{"format: email", "logicalType: date", "validValues: [EUR, GBP, USD]", "exclusiveMaximum: 1000000"}, "", []string{"VALUE_RANGE", "QUALITY_INVALID_VALUES"}},
		{"avro", "orders.avsc", []string{"physicalType: decimal(10,2)", "logicalType: date"}, "", []string{"QUALITY_INVALID_VALUES"}},
		{"frictionless", "orders.frictionless.json", []string{"primaryKey: true", "format: email"}, "", []string{"VALUE_UNIQUE", "VALUE_RANGE"}},
		{"dbt", "schema.yml", []string{"physicalType: numeric(10,2)", "unique: true"}, "relationships", []string{"VALUE_UNIQUE", "QUALITY_INVALID_VALUES"}},
		{"dcs", "datacontract.yaml", []string{"id: orders-dcs", "version: 1.0.0", "primaryKey: true", "server: production\n      type: local\n      path: ./orders.csv"}, "", []string{"VALUE_UNIQUE", "VALUE_RANGE"}},
	}
	for _, tc := range tests {
		t.Run(tc.format+" imports to a contract that checks the data", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "orders.odcs.yaml")
			_, stderr, code := cli(t, nil, "import", "--format", tc.format, filepath.Join(dir, tc.file), "-o", out)
			if code != exitPass {
				t.Fatalf("import: exit %d: %s", code, stderr)
			}
			yml, _ := os.ReadFile(out)
			for _, w := range tc.want {
				if !strings.Contains(string(yml), w) {
					t.Errorf("the contract lacks %q:\n%s", w, yml)
				}
			}
			if tc.notMapped != "" && !strings.Contains(stderr, "driftgate: not mapped: "+filepath.Join(dir, tc.file)+":") || !strings.Contains(stderr, tc.notMapped) {
				t.Errorf("stderr does not say %q was not mapped: %s", tc.notMapped, stderr)
			}
			if stdout, _, code := cli(t, nil, "lint", out); code != exitPass {
				t.Fatalf("lint: exit %d:\n%s\n%s", code, stdout, yml)
			}
			if stdout, _, code := cli(t, nil, "check", "-c", out, filepath.Join(dir, "orders.csv")); code != exitPass {
				t.Fatalf("check of the matching data: exit %d:\n%s\n%s", code, stdout, yml)
			}
			stdout, _, code := cli(t, nil, "check", "-c", out, "-f", "json", filepath.Join(dir, "orders-bad.csv"))
			if code != exitFailed {
				t.Fatalf("check of the bad data: exit %d, want 1", code)
			}
			for _, r := range tc.badRules {
				if !strings.Contains(stdout, `"rule": "`+r+`"`) {
					t.Errorf("the bad data raised no %s", r)
				}
			}
		})
	}
	for _, tc := range []struct{ format, name, src, want string }{
		{"sql", "orders.sql", "CREATE TABLE orders (\n  id bigint,\n  amount numeric(10,2) NOT NUL\n);\n", "orders.sql:3:28: syntax error at or near \"NUL\""},
		{"avro", "bad.avsc", "{\n  \"type\": \"record\",\n  \"name\": \"x\",\n  \"fields\": [\n    {\"type\": \"long\"}\n  ]\n}\n", "bad.avsc:5:5: a record field has no name"},
	} {
		t.Run("a broken "+tc.format+" source is an error at its line and column", func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(bad, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := cli(t, nil, "import", "--format", tc.format, bad)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d: %s", code, stderr)
			}
		})
	}
}

// TestImportRealWorldCLI runs driftgate import, lint and check on one public
// example of each format (fixtures/imports): the contract lints clean, the
// source's data passes it, and what the source says that ODCS cannot is on
// stderr with its position.
func TestImportRealWorldCLI(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "imports")
	for _, tc := range []struct {
		format, file, schema, data, notMapped string
	}{
		{"dbt", "dbt/jaffle-shop-classic/schema.yml", "constraints_example", "dbt/jaffle-shop-classic/constraints_example.csv", "schema.yml:14:16: column id: the check (id > 0)"},
		{"dcs", "dcs/datacontract-cli/s3-json-multiple-models/datacontract.yaml", "line_items", "dcs/datacontract-cli/s3-json-multiple-models/data/line_items/line_items-1.json", "datacontract.yaml:74:5: field order_id: domain"},
		{"frictionless", "frictionless/currency-codes/datapackage.json", "", "frictionless/currency-codes/data/codes-all.csv", ""},
		{"jsonschema", "jsonschema/datacontract-cli/jsonschema/jsonschema.json", "", "jsonschema/datacontract-cli/jsonschema/records.json", ""},
		{"avro", "avro/apache-avro/interop.avsc", "", "avro/apache-avro/interop.json", "interop.avsc:13:8: field mapField: an Avro map"},
	} {
		t.Run(tc.format+" "+tc.file, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "imported.odcs.yaml")
			src := filepath.Join(dir, tc.file)
			_, stderr, code := cli(t, nil, "import", "--format", tc.format, src, "-o", out)
			if code != exitPass {
				t.Fatalf("import: exit %d: %s", code, stderr)
			}
			if tc.notMapped != "" && !strings.Contains(stderr, "driftgate: not mapped: "+filepath.Join(filepath.Dir(src), tc.notMapped)) {
				t.Errorf("stderr does not say %q was not mapped:\n%s", tc.notMapped, stderr)
			}
			if stdout, _, code := cli(t, nil, "lint", out); code != exitPass {
				t.Fatalf("lint: exit %d:\n%s", code, stdout)
			}
			args := []string{"check", "-c", out}
			if tc.schema != "" {
				args = append(args, "--schema", tc.schema)
			}
			if stdout, stderr, code := cli(t, nil, append(args, filepath.Join(dir, tc.data))...); code != exitPass {
				t.Fatalf("check of the source's data: exit %d:\n%s%s", code, stdout, stderr)
			}
		})
	}
}
