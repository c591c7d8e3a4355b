package checker

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

func TestStructuralFindings(t *testing.T) {
	props := `- name: id
  logicalType: integer
  required: true
- name: customer_id
  logicalType: integer
  required: true
- name: note
  logicalType: string`
	tests := []struct {
		name   string
		cols   []col
		want   []want
		noHint bool
	}{
		{
			name: "data with exactly the declared columns passes",
			cols: []col{ints("id", "1"), ints("customer_id", "7"), strs("note", "x")},
		},
		{
			name: "declared columns may come in any order",
			cols: []col{strs("note", "x"), ints("customer_id", "7"), ints("id", "1")},
		},
		{
			name: "a missing required column is an error at its declaration",
			cols: []col{ints("id", "1"), strs("note", "x")},
			want: []want{{rule: rules.ColumnMissing.ID, severity: report.SeverityError, column: "customer_id", count: 1,
				msg: []string{"column is missing from"}, line: "- name: customer_id"}},
		},
		{
			name: "a missing optional column is a warning",
			cols: []col{ints("id", "1"), ints("customer_id", "7")},
			want: []want{{rule: rules.ColumnMissing.ID, severity: report.SeverityWarning, column: "note", count: 1, line: "- name: note"}},
		},
		{
			name: "an undeclared column is a warning",
			cols: []col{ints("id", "1"), ints("customer_id", "7"), strs("note", "x"), strs("extra", "y")},
			want: []want{{rule: rules.ColumnUnexpected.ID, severity: report.SeverityWarning, column: "extra", count: 1,
				msg: []string{"column is not declared in the contract"}, line: "- name: t"}},
		},
		{
			name: "a column renamed by case is missing with a hint, and unexpected",
			cols: []col{ints("id", "1"), ints("Customer_ID", "7"), strs("note", "x")},
			want: []want{
				{rule: rules.ColumnMissing.ID, severity: report.SeverityError, column: "customer_id",
					msg: []string{`the data has an undeclared column "Customer_ID" (renamed?)`}},
				{rule: rules.ColumnUnexpected.ID, severity: report.SeverityWarning, column: "Customer_ID"},
			},
		},
		{
			name: "a column renamed to camel case gets the hint too",
			cols: []col{ints("id", "1"), ints("customerId", "7"), strs("note", "x")},
			want: []want{
				{rule: rules.ColumnMissing.ID, column: "customer_id", msg: []string{`"customerId" (renamed?)`}},
				{rule: rules.ColumnUnexpected.ID, column: "customerId"},
			},
		},
		{
			name: "a missing column gets no hint when nothing resembles it",
			cols: []col{ints("id", "1"), ints("client", "7"), strs("note", "x")},
			want: []want{
				{rule: rules.ColumnMissing.ID, column: "customer_id", msg: []string{"column is missing from"}},
				{rule: rules.ColumnUnexpected.ID, column: "client"},
			},
			noHint: true,
		},
	}
	contract := doc(props)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachFormat(t, contract, tt.cols, func(t *testing.T, rep *report.Report) {
				assertFindings(t, contract, rep, tt.want...)
				for _, f := range rep.Findings {
					if tt.noHint && strings.Contains(f.Message, "renamed?") {
						t.Errorf("a rename hint in %q", f.Message)
					}
				}
			})
		})
	}
}

func TestStructuralFindingsAcrossFiles(t *testing.T) {
	contract := doc("- name: id\n  logicalType: integer\n- name: note\n  logicalType: string")
	dir := t.TempDir()
	a := writeParquet(t, filepath.Join(dir, "a.parquet"), []col{ints("id", "1"), strs("note", "x")})
	b := writeCSV(t, filepath.Join(dir, "b.csv"), []col{ints("id", "2"), strs("extra", "y")})
	c := writeCSV(t, filepath.Join(dir, "c.csv"), []col{ints("id", "3"), strs("extra", "z")})
	rep := mustCheck(t, contract, a, b, c)
	assertFindings(t, contract, rep,
		want{rule: rules.ColumnMissing.ID, severity: report.SeverityWarning, column: "note", count: 2,
			msg: []string{"column is missing from 2 of 3 files (" + b + ", " + c + ")"}},
		want{rule: rules.ColumnUnexpected.ID, column: "extra", count: 2, msg: []string{"(in 2 of 3 files"}},
	)
	if rep.Summary.Rows != 3 {
		t.Errorf("rows %d, want 3", rep.Summary.Rows)
	}
}
