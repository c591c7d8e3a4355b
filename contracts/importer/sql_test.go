package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// TestImportRealWorldDDL imports public sample databases' DDL (pagila,
// Northwind: see testdata/sql/README.md): each contract loads and lints
// clean, holds what the DDL says, lists what it could not map, passes the
// sample's own rows and fails a copy that breaks a rule, with the rule ID
// a user sees.
func TestImportRealWorldDDL(t *testing.T) {
	tests := []struct {
		file    string
		tables  int
		want    []string // in the contract
		dropped []string // among Result.Dropped
		schema  string   // the table the data is of
		data    string
		break_  func(string) string // plants a fault in the data
		rule    string
	}{
		{
			file: "pagila.sql", tables: 6,
			want: []string{
				// the enum type's values, the domain's checks, the key added by ALTER TABLE
				"        - name: rating\n          logicalType: string\n          physicalType: mpaa_rating\n          quality:\n            - metric: invalidValues\n              arguments:\n                validValues: [G, PG, PG-13, R, NC-17]",
				"        - name: release_year\n          logicalType: integer\n          physicalType: integer\n          logicalTypeOptions:\n            minimum: 1901\n            maximum: 2155",
				"        - name: actor_id\n          logicalType: integer\n          physicalType: integer\n          required: true\n          primaryKey: true\n",
				"        - name: rental_rate\n          logicalType: number\n          physicalType: numeric(4,2)\n          required: true\n",
				"        - name: first_name\n          logicalType: string\n          physicalType: character varying(45)\n          required: true\n          logicalTypeOptions:\n            maxLength: 45",
				"physicalType: text[]\n          items:\n            name: items\n            logicalType: string\n            physicalType: text",
				// a composite key, by position
				"        - name: film_id\n          logicalType: integer\n          physicalType: smallint\n          required: true\n          primaryKey: true\n          primaryKeyPosition: 2",
				// a partition inherits its parent's columns and bounds its timestamp
				"    - name: payment_p2015_01\n      logicalType: object\n      properties:\n        - name: payment_id",
				"            minimum: \"2015-01-01 00:00:00\"\n            exclusiveMaximum: \"2015-02-01 00:00:00\"",
			},
			dropped: []string{
				"pagila.sql:5:1: 9 SET statement(s) declare no table's columns; not imported",
				"pagila.sql:57:1: 1 CREATE FUNCTION statement(s) declare no table's columns; not imported",
				"pagila.sql:177:1: 1 CREATE VIEW statement(s) declare no table's columns; not imported",
			},
			schema: "actor", data: "actor.csv",
			break_: func(s string) string { return strings.Replace(s, "2,NICK,", "1,NICK,", 1) }, rule: "VALUE_UNIQUE",
		},
		{
			file: "northwind.sql", tables: 14,
			want: []string{
				"    - name: us_states\n      logicalType: object\n      properties:\n        - name: state_id\n          logicalType: integer\n          physicalType: smallint\n          required: true\n          primaryKey: true",
				"        - name: state_abbr\n          logicalType: string\n          physicalType: character varying(2)\n          logicalTypeOptions:\n            maxLength: 2",
				"        - name: customer_id\n          logicalType: string\n          physicalType: bpchar\n          required: true\n          primaryKey: true\n          primaryKeyPosition: 1",
			},
			dropped: []string{
				"northwind.sql:377:9: table orders: a foreign key (customer_id) to customers (a relationship; import writes none)",
				"northwind.sql:250:1: 8 INSERT statement(s) declare no table's columns; not imported",
			},
			schema: "us_states", data: "us_states.csv",
			break_: func(s string) string { return strings.Replace(s, ",AL,", ",ALA,", 1) }, rule: "VALUE_LENGTH",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file+" imports to a contract that checks its data", func(t *testing.T) {
			dir := filepath.Join("testdata", "sql")
			src, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import("sql", tc.file, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			holds(t, res, tc.want, tc.dropped)
			c, err := contracts.Parse("out.odcs.yaml", res.YAML)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Schemas) != tc.tables {
				t.Errorf("%d schema objects, want %d", len(c.Schemas), tc.tables)
			}
			if issues := contracts.Lint(c); len(issues) > 0 {
				t.Errorf("the contract does not lint clean: %v", issues)
			}
			good := filepath.Join(dir, tc.data)
			if rep := checkData(t, c, tc.schema, good); rep.Status != report.StatusPass {
				t.Errorf("the sample's own rows fail: %+v", rep.Findings)
			}
			data, err := os.ReadFile(good)
			if err != nil {
				t.Fatal(err)
			}
			bad := filepath.Join(t.TempDir(), tc.data)
			if err := os.WriteFile(bad, []byte(tc.break_(string(data))), 0o644); err != nil {
				t.Fatal(err)
			}
			rep := checkData(t, c, tc.schema, bad)
			if rep.Status != report.StatusFail || !slices.ContainsFunc(rep.Findings, func(f report.Finding) bool { return f.Rule == tc.rule }) {
				t.Errorf("the broken copy: status %s, want fail with %s: %+v", rep.Status, tc.rule, rep.Findings)
			}
		})
	}
}

// holds fails unless the contract has every want and the not-mapped list
// every dropped.
func holds(t *testing.T, res *Result, want, dropped []string) {
	t.Helper()
	yml := string(res.YAML)
	for _, w := range want {
		if !strings.Contains(yml, w) {
			t.Errorf("the contract lacks\n%s\nin:\n%s", w, yml)
		}
	}
	for _, d := range dropped {
		if !slices.Contains(res.Dropped, d) {
			t.Errorf("not mapped lists no %q:\n%s", d, strings.Join(res.Dropped, "\n"))
		}
	}
}

func checkData(t *testing.T, c *contracts.Contract, schema, file string) *report.Report {
	t.Helper()
	rep, err := checker.Check(context.Background(), checker.Options{Contract: c, Schema: schema, Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestImportSQLConstraints holds how each kind of constraint maps, and
// what is listed as not mapped, at its line and column.
func TestImportSQLConstraints(t *testing.T) {
	ddl := `CREATE TABLE t (
  id int GENERATED ALWAYS AS IDENTITY,
  code varchar(8) UNIQUE CHECK (char_length(code) >= 2) CHECK (code ~ '^[A-Z]+$'),
  qty integer CHECK (qty > 0 AND 1000 >= qty),
  ratio double precision CHECK (ratio BETWEEN -1.5 AND 1.5),
  kind text CHECK (kind = ANY (ARRAY['a'::text, 'b'::text])),
  note text CHECK (note <> '' OR note IS NULL),
  a int, b int,
  CHECK (a < b),
  CHECK (b IS NOT NULL),
  PRIMARY KEY (id),
  UNIQUE (a, b),
  ref int REFERENCES other (id),
  UNIQUE (a, nope)
);
COMMENT ON COLUMN t.kind IS 'the kind';
CREATE DOMAIN positive AS int NOT NULL CHECK (VALUE > 0);
CREATE TABLE u (p positive);
`
	res, err := Import("sql", "t.sql", []byte(ddl), Options{})
	if err != nil {
		t.Fatal(err)
	}
	holds(t, res, []string{
		"        - name: id\n          logicalType: integer\n          physicalType: int\n          required: true\n          primaryKey: true",
		"          unique: true\n          logicalTypeOptions:\n            minLength: 2\n            maxLength: 8\n            pattern: ^[A-Z]+$",
		"            exclusiveMinimum: 0\n",
		"            maximum: 1000\n",
		"            minimum: -1.5\n            maximum: 1.5",
		"          description: the kind\n",
		"                validValues: [a, b]",
		"        - name: b\n          logicalType: integer\n          physicalType: int\n          required: true",
		"        - metric: duplicateValues\n          arguments:\n            properties: [a, b]\n          mustBe: 0",
	}, []string{
		"t.sql:7:20: table t: CHECK note <> '' OR note IS NULL cannot be said in ODCS",
		"t.sql:9:10: table t: CHECK a < b cannot be said in ODCS",
		"t.sql:13:11: column ref: a foreign key to other (a relationship; import writes none)",
		"t.sql:14:3: table t: a constraint on nope, a column it does not have",
	})
	// A domain's NOT NULL and its check on VALUE hold for the column of
	// that type.
	holds(t, res, []string{
		"        - name: p\n          logicalType: integer\n          physicalType: int\n          required: true\n          logicalTypeOptions:\n            exclusiveMinimum: 0\n",
	}, nil)
	if _, err := contracts.Parse("t.odcs.yaml", res.YAML); err != nil {
		t.Fatal(err)
	}
}

// TestImportSQLErrors: a syntax error is an error at PostgreSQL's line and
// column, in characters; a file without a table says so.
func TestImportSQLErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"a syntax error", "-- café\nCREATE TABLE orders (\n  id int,\n  amount numeric(10,2) NOT NUL\n);\n", "orders.sql:4:28: syntax error at or near \"NUL\""},
		{"no table", "CREATE INDEX i ON t (a);\n", "orders.sql:1:1: no CREATE TABLE to import"},
		{"an empty file", "", "orders.sql:1:1: no CREATE TABLE to import"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import("sql", "orders.sql", []byte(tc.src), Options{})
			var pe *Error
			if !errors.As(err, &pe) || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
