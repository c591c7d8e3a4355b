package infer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// TestInferredContractsPassOnTheirData infers contracts from the shipped
// fixtures (CSV typed from text, Parquet with its types, and the batch with
// planted problems) and checks the data against them: each lints clean and
// passes, and carries the rules a reviewer would expect.
func TestInferredContractsPassOnTheirData(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    []string // lines of the YAML
		dropped []string
	}{
		{name: "clean CSV", file: "../../fixtures/orders-clean/orders.csv", want: []string{
			"      - name: order_id  # 500 rows, 0 nulls\n        logicalType: integer\n        required: true  # no nulls in 500 rows\n        primaryKey: true",
			`pattern: "^[A-Z]{2}$"  # every value has this shape`,
			"validValues: [EUR, GBP, USD]",
			"missingValues: [N/A]",
			"format: yyyy-MM-dd",
			"format: email",
			"name: is_gift  # 500 rows, 5 nulls\n        logicalType: boolean",
			"minimum: 1  # 1–1000 as seen in 500 values",
		}},
		{name: "clean Parquet", file: "../../fixtures/orders-clean/orders.parquet", want: []string{
			"primaryKey: true",
			"validValues: [EUR, GBP, USD]",
			"logicalType: timestamp",
		}},
		{name: "a batch with planted problems", file: "../../fixtures/orders/orders.parquet", dropped: []string{"order_id: VALUE_UNIQUE"}},
	}
	for _, tc := range tests {
		t.Run("a contract inferred from "+tc.name+" passes on it", func(t *testing.T) {
			ctx := context.Background()
			res, err := Infer(ctx, Options{Files: []string{tc.file}, Name: "orders"})
			if err != nil {
				t.Fatal(err)
			}
			yml := string(res.YAML)
			for _, w := range tc.want {
				if !strings.Contains(yml, w) {
					t.Errorf("the contract lacks %q:\n%s", w, yml)
				}
			}
			for _, d := range tc.dropped {
				if !slices.Contains(res.Dropped, d) {
					t.Errorf("dropped %v, want %q among them", res.Dropped, d)
				}
			}
			c, err := contracts.Parse("orders.odcs.yaml", res.YAML)
			if err != nil {
				t.Fatal(err)
			}
			if issues := contracts.Lint(c); len(issues) > 0 {
				t.Fatalf("the inferred contract does not lint clean: %v\n%s", issues, yml)
			}
			rep, err := checker.Check(ctx, checker.Options{Contract: c, Files: []string{tc.file}})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status != report.StatusPass {
				t.Errorf("the data fails its inferred contract: %+v\n%s", rep.Findings, yml)
			}
		})
	}
}

func TestInferNeedsData(t *testing.T) {
	if _, err := Infer(context.Background(), Options{}); err == nil {
		t.Error("Infer with no files succeeded")
	}
}
