package infer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

const cleanCSV = "../../fixtures/orders-clean/orders.csv"

// TestInferredContractsPassOnTheirData infers contracts from the shipped
// fixtures (CSV typed from text, Parquet with its types, and the batch with
// planted problems) and checks the data against them: each lints clean and
// passes, and carries the rules a reviewer would expect.
func TestInferredContractsPassOnTheirData(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		opts    Options
		want    []string // lines of the YAML
		lacks   []string
		dropped []string
	}{
		{name: "clean CSV", file: cleanCSV, want: []string{
			"      - name: order_id  # 500 rows, 0 nulls\n        logicalType: integer\n        required: true  # no nulls in 500 rows\n        primaryKey: true",
			`pattern: "^[A-Z]{2}$"  # every value has this shape`,
			"validValues: [EUR, GBP, USD]",
			"missingValues: [N/A]",
			"format: yyyy-MM-dd",
			"format: email",
			"name: is_gift  # 500 rows, 5 nulls\n        logicalType: boolean",
			"minimum: 0  # 1–1000 as seen in 500 values, widened to round bounds\n          maximum: 1000\n",
			"minLength: 1  # lengths 3–9 as seen, widened\n          maxLength: 9\n        quality:",
			"id: urn:driftgate:inferred:orders\nname: orders\nversion: \"0.1.0\"\n",
		}, lacks: []string{"rowCount"}},
		{name: "clean CSV, strictly", file: cleanCSV, opts: Options{Level: Strict, ID: "orders-2026", Version: "1.0.0", RowCount: true}, want: []string{
			"minimum: 1  # 1–1000 as seen in 500 values\n          maximum: 1000\n",
			"minLength: 3  # lengths 3–9 as seen\n          maxLength: 9\n",
			`pattern: "^[A-Z][0-9]{6}$"`,
			"id: orders-2026\nname: orders\nversion: \"1.0.0\"\n",
			"      - metric: rowCount  # 500 rows seen\n        mustBe: 500\n",
		}},
		{name: "clean CSV, loosely", file: cleanCSV, opts: Options{Level: Loose, RowCount: true}, want: []string{
			"      - name: order_id  # 500 rows, 0 nulls\n        logicalType: integer\n        required: true  # no nulls in 500 rows\n      - name: customer_id",
			"format: yyyy-MM-dd",
			"mustBeBetween: [250, 1000]",
		}, lacks: []string{"primaryKey", "unique", "minimum", "minLength", "pattern", "validValues", "missingValues", "format: email"}},
		{name: "the first 50 rows of clean CSV", file: cleanCSV, opts: Options{Sample: 50}, want: []string{
			"from 1 file(s), 50 rows (in a sample: the first 50 rows)",
			"- name: order_id  # 50 rows, 0 nulls",
			"primaryKey: true",
			"as seen in 50 values (in a sample: the first 50 rows), widened to round bounds",
		}},
		{name: "clean Parquet", file: "../../fixtures/orders-clean/orders.parquet", want: []string{
			"primaryKey: true",
			"validValues: [EUR, GBP, USD]",
			"logicalType: timestamp",
		}},
		{name: "a batch with planted problems", file: "../../fixtures/orders/orders.parquet", dropped: []string{"order_id: VALUE_UNIQUE"}},
		{name: "network addresses and links", file: "testdata/hosts.csv", want: []string{
			"format: ipv4  # every value is an IPv4 address",
			"format: ipv6  # every value is an IPv6 address",
			"format: uri  # every value is an absolute URI",
			"format: uuid  # every value is a UUID",
			"format: dd/MM/yyyy  # every value is a date written dd/MM/yyyy",
		}},
	}
	for _, tc := range tests {
		t.Run("a contract inferred from "+tc.name+" passes on it", func(t *testing.T) {
			ctx := context.Background()
			o := tc.opts
			o.Files, o.Name = []string{tc.file}, "orders"
			res, err := Infer(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			yml := string(res.YAML)
			for _, w := range tc.want {
				if !strings.Contains(yml, w) {
					t.Errorf("the contract lacks %q:\n%s", w, yml)
				}
			}
			for _, w := range tc.lacks {
				if strings.Contains(yml, w) {
					t.Errorf("the contract has %q:\n%s", w, yml)
				}
			}
			for _, d := range tc.dropped {
				if !slices.Contains(res.Dropped, d) {
					t.Errorf("dropped %v, want %q among them", res.Dropped, d)
				}
			}
			c := lintClean(t, res.YAML)
			// The proof ran on the same rows; a sampled contract is
			// checked on its sample by the proof itself.
			if o.Sample == 0 {
				if rep := check(t, c, tc.file); rep.Status != report.StatusPass {
					t.Errorf("the data fails its inferred contract: %+v\n%s", rep.Findings, yml)
				}
			}
		})
	}
}

// TestInferredContractCatchesEachFault is the done-when of inference: the
// contract inferred from the shipped clean orders catches each kind of
// fault a batch can bring, with the rule ID a user sees. Each case plants
// one fault in a copy of the clean CSV; the last checks the shipped batch
// with planted problems.
func TestInferredContractCatchesEachFault(t *testing.T) {
	ctx := context.Background()
	res, err := Infer(ctx, Options{Files: []string{cleanCSV}, Name: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	c := lintClean(t, res.YAML)
	tests := []struct {
		fault  string
		plant  func(t *testing.T, rows [][]string) [][]string
		file   string // instead of a planted copy
		rule   string
		column string
	}{
		{fault: "a missing column", plant: dropColumn("country"), rule: "COLUMN_MISSING", column: "country"},
		{fault: "nulls in a column that had none", plant: setCell(7, "customer_id", ""), rule: "VALUE_NULL", column: "customer_id"},
		{fault: "a duplicate key", plant: setCell(9, "order_id", "100001"), rule: "VALUE_UNIQUE", column: "order_id"},
		{fault: "a new category", plant: setCell(3, "currency", "JPY"), rule: "QUALITY_INVALID_VALUES", column: "currency"},
		{fault: "a value of the wrong type", plant: setCell(4, "quantity", "eleven"), rule: "VALUE_TYPE", column: "quantity"},
		{fault: "a date in another format", plant: setCell(5, "order_date", "20/08/2025"), rule: "VALUE_FORMAT", column: "order_date"},
		{fault: "a number far out of range", plant: setCell(6, "amount", "-12.5"), rule: "VALUE_RANGE", column: "amount"},
		{fault: "planted duplicates in the shipped batch", file: "../../fixtures/orders/orders.csv", rule: "VALUE_UNIQUE", column: "order_id"},
		{fault: "planted categories in the shipped batch", file: "../../fixtures/orders/orders.csv", rule: "QUALITY_INVALID_VALUES", column: "currency"},
		{fault: "planted wrong types in the shipped batch", file: "../../fixtures/orders/orders.csv", rule: "VALUE_TYPE", column: "quantity"},
	}
	for _, tc := range tests {
		t.Run("the inferred contract catches "+tc.fault, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = plantCSV(t, tc.plant)
			}
			rep := check(t, c, file)
			if rep.Status != report.StatusFail {
				t.Fatalf("status %s, want fail: %+v", rep.Status, rep.Findings)
			}
			if !slices.ContainsFunc(rep.Findings, func(f report.Finding) bool { return f.Rule == tc.rule && f.Column == tc.column }) {
				t.Errorf("no %s on %s among %+v", tc.rule, tc.column, rep.Findings)
			}
		})
	}
}

func TestInferNeedsData(t *testing.T) {
	if _, err := Infer(context.Background(), Options{}); err == nil {
		t.Error("Infer with no files succeeded")
	}
}

func TestRoundBounds(t *testing.T) {
	for _, tc := range []struct{ x, ceil, floor float64 }{
		{987, 1000, 0}, {1000, 1000, 0}, {12.5, 20, 0}, {0.3, 0.3, 0}, {0.37, 0.4, 0}, {-4.5, 0, -5}, {0, 0, 0},
	} {
		if got := niceCeil(tc.x); got != tc.ceil {
			t.Errorf("niceCeil(%v) = %v, want %v", tc.x, got, tc.ceil)
		}
		if got := niceFloor(tc.x); got != tc.floor {
			t.Errorf("niceFloor(%v) = %v, want %v", tc.x, got, tc.floor)
		}
	}
}

func lintClean(t *testing.T, yml []byte) *contracts.Contract {
	t.Helper()
	c, err := contracts.Parse("orders.odcs.yaml", yml)
	if err != nil {
		t.Fatal(err)
	}
	if issues := contracts.Lint(c); len(issues) > 0 {
		t.Fatalf("the inferred contract does not lint clean: %v\n%s", issues, yml)
	}
	return c
}

func check(t *testing.T, c *contracts.Contract, file string) *report.Report {
	t.Helper()
	rep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// plantCSV writes the clean orders with a fault planted by plant.
func plantCSV(t *testing.T, plant func(*testing.T, [][]string) [][]string) string {
	t.Helper()
	data, err := os.ReadFile(cleanCSV)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		rows = append(rows, strings.Split(line, ","))
	}
	var b strings.Builder
	for _, r := range plant(t, rows) {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	path := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func index(t *testing.T, header []string, name string) int {
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("the fixture has no column %s", name)
	}
	return i
}

func dropColumn(name string) func(*testing.T, [][]string) [][]string {
	return func(t *testing.T, rows [][]string) [][]string {
		i := index(t, rows[0], name)
		for r := range rows {
			rows[r] = slices.Delete(rows[r], i, i+1)
		}
		return rows
	}
}

func setCell(row int, name, value string) func(*testing.T, [][]string) [][]string {
	return func(t *testing.T, rows [][]string) [][]string {
		rows[row][index(t, rows[0], name)] = value
		return rows
	}
}
