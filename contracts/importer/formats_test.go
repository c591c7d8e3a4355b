package importer

import (
	"slices"
	"testing"

	"github.com/driftgate/driftgate/contracts"
)

// TestImportFormatMappings holds the mappings real files use that the
// public examples in fixtures/imports do not all carry: each source maps to
// the properties listed (as describe writes them) and lists what it drops.
func TestImportFormatMappings(t *testing.T) {
	tests := []struct {
		name, format, file, src string
		columns                 map[string]string
		quality                 map[string][]string // schema -> its duplicateValues keys
		dropped                 []string
	}{
		{
			name: "dbt seeds, model contracts, accepted_range and model-level tests", format: "dbt", file: "props.yml",
			src: `version: 2
seeds:
  - name: countries
    columns:
      - name: code
        data_tests: [unique]
models:
  - name: orders
    description: '{{ doc("orders") }}'
    config:
      contract: {enforced: true}
    constraints:
      - type: primary_key
        columns: [order_id, line]
    data_tests:
      - dbt_utils.unique_combination_of_columns:
          arguments:
            combination_of_columns: [customer_id, placed_at]
      - dbt_utils.expression_is_true:
          expression: "amount >= 0"
    columns:
      - name: order_id
        data_type: bigint
      - name: line
        data_type: int
      - name: customer_id
        data_type: varchar(20)
        tags: [pii]
        meta: {owner: crm}
        constraints:
          - type: not_null
          - type: foreign_key
            to: ref('customers')
      - name: placed_at
        data_type: timestamp
      - name: amount
        data_tests:
          - dbt_utils.accepted_range:
              min_value: 0
              max_value: 1000
              inclusive: false
      - name: status
        data_tests:
          - not_null:
              config:
                where: "status != 'draft'"
semantic_models:
  - name: orders
`,
			columns: map[string]string{
				"countries.code":     "- unique",
				"orders.order_id":    "integer(bigint) required pk pk#1",
				"orders.line":        "integer(int) required pk pk#2",
				"orders.customer_id": "string(varchar(20)) tags[pii] required maxLength=20",
				"orders.placed_at":   "timestamp(timestamp)",
				"orders.amount":      "number xmin=0 xmax=1000",
				"orders.status":      "-",
			},
			quality: map[string][]string{"orders": {"customer_id", "placed_at"}},
			dropped: []string{
				`props.yml:9:18: table orders: the description {{ doc("orders") }} is a dbt template; not rendered`,
				"props.yml:19:9: table orders: dbt test dbt_utils.expression_is_true",
				"props.yml:29:9: column customer_id: meta",
				"props.yml:32:13: column customer_id: a foreign_key constraint",
				`props.yml:44:13: column status: dbt test not_null applies only where status != 'draft'; not imported`,
				"props.yml:47:1: semantic_models: not a table's columns; not imported",
			},
		},
		{
			name: "a dbt model contract's text lengths become maxLength", format: "dbt", file: "schema.yml",
			// The shape of dbt's model-contract docs, on PostgreSQL.
			src: `version: 2
models:
  - name: dim_customers
    config:
      materialized: table
      contract:
        enforced: true
    columns:
      - name: customer_id
        data_type: int
        constraints:
          - type: not_null
          - type: primary_key
      - name: customer_name
        data_type: varchar(100)
      - name: email
        data_type: character varying(256)
      - name: country_code
        data_type: char(2)
      - name: region
        data_type: VARCHAR2(40 BYTE)
      - name: notes
        data_type: text
      - name: status
        data_type: varchar
      - name: lifetime_value
        data_type: numeric(38,3)
`,
			columns: map[string]string{
				"dim_customers.customer_id":    "integer(int) required pk",
				"dim_customers.customer_name":  "string(varchar(100)) maxLength=100",
				"dim_customers.email":          "string(character varying(256)) maxLength=256",
				"dim_customers.country_code":   "string(char(2)) maxLength=2",
				"dim_customers.region":         "string(VARCHAR2(40 BYTE)) maxLength=40",
				"dim_customers.notes":          "string(text)",
				"dim_customers.status":         "string(varchar)",
				"dim_customers.lifetime_value": "number(numeric(38,3))",
			},
		},
		{
			name: "a Table Schema's composite key, unique keys and strftime date format", format: "frictionless", file: "visits.json",
			src: `{"fields": [
  {"name": "site", "type": "string"},
  {"name": "day", "type": "date", "format": "%d/%m/%Y", "constraints": {"minimum": "01/01/2020"}},
  {"name": "seen", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S"},
  {"name": "ref", "type": "string"},
  {"name": "batch", "type": "integer"},
  {"name": "when", "type": "date", "format": "any"}],
 "primaryKey": ["site", "day"],
 "uniqueKeys": [["ref", "batch"], "ref"],
 "missingValues": ["", "NA"]}`,
			columns: map[string]string{
				"visits.site":  "string required pk pk#1",
				"visits.day":   "date required pk pk#2 format=dd/MM/yyyy min=01/01/2020",
				"visits.seen":  "timestamp format=yyyy-MM-dd'T'HH:mm:ss",
				"visits.ref":   "string unique",
				"visits.batch": "integer",
				"visits.when":  "date",
			},
			quality: map[string][]string{"visits": {"ref", "batch"}},
			dropped: []string{`visits.json:7:3: field when: format "any"`, "visits.json:10:19: missingValues"},
		},
		{
			name: "a Data Package resource whose schema is another file", format: "frictionless", file: "datapackage.json",
			src: `{"name": "pkg", "resources": [
  {"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "x", "type": "integer"}]}},
  {"name": "b", "path": "b.csv", "schema": "b.schema.json"}]}`,
			columns: map[string]string{"a.x": "integer"},
			dropped: []string{"datapackage.json:3:44: resource b: its schema is the separate file b.schema.json; import that file"},
		},
		{
			name: "an Avro named type used again by name", format: "avro", file: "moves.avsc",
			src: `{"type": "record", "name": "Move", "namespace": "chess", "fields": [
  {"name": "from", "type": {"type": "record", "name": "Square", "fields": [{"name": "file", "type": {"type": "enum", "name": "File", "symbols": ["a", "b"]}}]}},
  {"name": "to", "type": "chess.Square"},
  {"name": "promoted", "type": ["null", "File"]},
  {"name": "clock", "type": "Clock"}]}`,
			columns: map[string]string{
				"Move.from":      "object required",
				"Move.from.file": "string required in[a b]",
				"Move.to":        "object required",
				"Move.to.file":   "string required in[a b]",
				"Move.promoted":  "string in[a b]",
				"Move.clock":     "- required",
			},
			dropped: []string{`moves.avsc:5:29: field clock: the named type "Clock" is not defined before it in this file; imported without a logicalType`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Import(tc.format, tc.file, []byte(tc.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			holds(t, res, nil, tc.dropped)
			c, err := contracts.Parse("out.odcs.yaml", res.YAML)
			if err != nil {
				t.Fatalf("%v\n%s", err, res.YAML)
			}
			if issues := contracts.Lint(c); len(issues) > 0 {
				t.Errorf("the contract does not lint clean: %v\n%s", issues, res.YAML)
			}
			got := map[string]string{}
			for _, s := range c.Schemas {
				for _, p := range s.Properties {
					describeAll(got, s.Name+"."+p.Name, p)
				}
				var keys []string
				for _, q := range s.Quality {
					if q.Metric == "duplicateValues" {
						keys = q.Arguments.Properties
					}
				}
				if want := tc.quality[s.Name]; !slices.Equal(keys, want) {
					t.Errorf("schema %s: duplicateValues over %v, want %v", s.Name, keys, want)
				}
			}
			if len(got) != len(tc.columns) {
				t.Errorf("%d properties, want %d: %v", len(got), len(tc.columns), got)
			}
			for col, want := range tc.columns {
				if got[col] != want {
					t.Errorf("%s: %q, want %q", col, got[col], want)
				}
			}
		})
	}
}
