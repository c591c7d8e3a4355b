package rules

import (
	"reflect"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/contracts"
)

// TestSQLForms checks the aggregate each rule pushes down, per dialect:
// identifiers quoted, values bound as parameters, one count per violation
// in outcome order.
func TestSQLForms(t *testing.T) {
	props := `- name: amount "x"
  logicalType: number
  logicalTypeOptions:
    minimum: 0
    exclusiveMaximum: 100.5
    multipleOf: 5
- name: code
  logicalType: string
  logicalTypeOptions:
    minLength: 2
    maxLength: 3
    pattern: ^[A-Z]+$
    format: email`
	c, err := contracts.Parse("c.yaml", []byte("apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n"+indentLines(props, "      ")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dialect Dialect
		column  int
		rule    *Rule
		want    []string
		args    []any
	}{
		{Postgres, 0, ValueRange, []string{`count(*) FILTER (WHERE "amount ""x""" < $1)`, `count(*) FILTER (WHERE "amount ""x""" >= $2)`}, []any{Decimal("0"), Decimal("100.5")}},
		{Spark, 0, ValueRange, []string{"count_if(`amount \"x\"` < ?)", "count_if(`amount \"x\"` >= ?)"}, []any{Decimal("0"), Decimal("100.5")}},
		{DuckDB, 0, ValueMultipleOf, []string{`count(*) FILTER (WHERE mod("amount ""x""", $1) <> 0)`}, []any{Decimal("5")}},
		{Postgres, 1, ValueLength, []string{`count(*) FILTER (WHERE char_length("code") < $1)`, `count(*) FILTER (WHERE char_length("code") > $2)`}, []any{int64(2), int64(3)}},
		{Postgres, 1, ValuePattern, []string{`count(*) FILTER (WHERE NOT ("code" ~ $1))`}, []any{"^[A-Z]+$"}},
		{Spark, 1, ValuePattern, []string{"count_if(NOT (`code` RLIKE ?))"}, []any{`\A[A-Z]+\z`}},
		{DuckDB, 1, ValuePattern, []string{`count(*) FILTER (WHERE NOT (regexp_matches("code", $1)))`}, []any{"^[A-Z]+$"}},
		{Postgres, 1, ValueFormat, nil, nil}, // email has no portable SQL form
	}
	for _, tt := range tests {
		t.Run(tt.rule.ID+" in "+tt.dialect.Name(), func(t *testing.T) {
			p := &c.Schemas[0].Properties[tt.column]
			o, err := tt.rule.Compile(&Column{File: "c.yaml", Name: p.DataName(), Prop: p})
			if err != nil || o == nil {
				t.Fatalf("compile: %v, %v", o, err)
			}
			q := &Query{Dialect: tt.dialect}
			var got []string
			if s, ok := o.(SQLObserver); ok {
				for i, a := range s.SQL(q) {
					if int(a.Outcome) < 1 || int(a.Outcome) > o.Outcomes() {
						t.Errorf("aggregate %d fills outcome %d of %d", i, a.Outcome, o.Outcomes())
					}
					got = append(got, a.SQL)
				}
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(q.Args, tt.args) {
				t.Errorf("SQL %q args %#v, want %q args %#v", got, q.Args, tt.want, tt.args)
			}
		})
	}
}

func indentLines(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by) + "\n"
}
