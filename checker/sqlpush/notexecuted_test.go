package sqlpush_test

import (
	"context"
	"slices"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"
)

// TestRulesWithNoSQLFormHereAreNotExecuted: a rule the engine cannot say
// for this column or in this dialect is listed as CHECK_SKIPPED and sends
// nothing; it is never a passed check (as a rule whose SQL form came back
// empty once was).
func TestRulesWithNoSQLFormHereAreNotExecuted(t *testing.T) {
	const head = "apiVersion: v3.1.0\nkind: DataContract\nid: urn:t\nname: t\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n"
	tests := []struct {
		name, props, colType string
		d                    rules.Dialect
		rule, why            string
	}{
		{"a fractional multipleOf on a float column", "      - name: c\n        logicalType: number\n        logicalTypeOptions:\n          multipleOf: 0.05\n",
			"double precision", rules.Postgres, "VALUE_MULTIPLE_OF", "VALUE_MULTIPLE_OF has no SQL form for postgres here: not executed in the database"},
		{"an array rule in a dialect that cannot count items", "      - name: c\n        logicalType: array\n        logicalTypeOptions:\n          minItems: 1\n        items:\n          logicalType: string\n",
			"array<string>", rules.Trino, "VALUE_ITEMS", "VALUE_ITEMS has no SQL form for trino here: not executed in the database"},
		{"an array rule on a column that is no array", "      - name: c\n        logicalType: array\n        logicalTypeOptions:\n          uniqueItems: true\n        items:\n          logicalType: string\n",
			"varchar", rules.Postgres, "VALUE_UNIQUE_ITEMS", "VALUE_UNIQUE_ITEMS needs an array column; postgres's type is varchar: not executed in the database"},
		{"the rules of fields inside an object or array column", "      - name: c\n        logicalType: object\n        properties:\n          - name: email\n            logicalType: string\n            logicalTypeOptions:\n              pattern: '@'\n          - name: tags\n            logicalType: array\n            logicalTypeOptions:\n              maxItems: 2\n            items:\n              logicalType: string\n              logicalTypeOptions:\n                maxLength: 3\n",
			"jsonb", rules.Postgres, "VALUE_PATTERN", "the value rules of c.email, c.tags, c.tags[] (fields inside the column) have no SQL form: not executed in the database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := contracts.Parse("t.yaml", []byte(head+tt.props))
			if err != nil {
				t.Fatal(err)
			}
			e := &recording{d: tt.d, columns: []sqlpush.Column{{Name: "c", Type: tt.colType}}}
			rep, err := sqlpush.Check(context.Background(), e, sqlpush.Options{Contract: c, Input: "t"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(rep.Findings, func(f report.Finding) bool {
				return f.Rule == rules.CheckSkipped.ID && f.Column == "c" && f.Message == tt.why
			}) {
				t.Errorf("no CHECK_SKIPPED %q; findings: %+v", tt.why, rep.Findings)
			}
			for _, k := range rep.Checks {
				if k.Rule == tt.rule {
					t.Errorf("%s is listed as a check (%s) though it did not run", tt.rule, k.Status)
				}
			}
		})
	}
}
