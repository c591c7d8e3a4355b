package checker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// conformanceVersions are three versions of one contract: 1.4.0 adds an
// optional column, 2.0.0 a required customer_id.
func conformanceVersions(t *testing.T) []*contracts.Contract {
	t.Helper()
	cols := map[string]string{
		"1.3.0": "",
		"1.4.0": "      - name: note\n        logicalType: string\n",
		"2.0.0": "      - name: note\n        logicalType: string\n      - name: customer_id\n        logicalType: integer\n        physicalType: int64\n        required: true\n",
	}
	var out []*contracts.Contract
	for _, v := range []string{"1.3.0", "1.4.0", "2.0.0"} {
		y := fmt.Sprintf(`apiVersion: v3.1.0
kind: DataContract
id: urn:orders
version: %s
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: integer
        physicalType: int64
        required: true
      - name: amount
        logicalType: number
        physicalType: double
%s`, v, cols[v])
		c, err := contracts.Parse("orders-"+v+".yaml", []byte(y))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// oldShapeParquet writes a batch in the 1.3.0 shape: order_id and amount.
func oldShapeParquet(t *testing.T, mem memory.Allocator, path string) {
	t.Helper()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "order_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3}, nil)
	b.Field(1).(*array.Float64Builder).AppendValues([]float64{9.5, 12, 3.25}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	pqtest.Write(t, path, pqtest.Options{Mem: mem}, rec)
}

func TestConformanceOnABatchThatMatchesAnOldVersionOnly(t *testing.T) {
	dir := t.TempDir()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	pq := filepath.Join(dir, "orders.parquet")
	oldShapeParquet(t, mem, pq)
	csvPath := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(csvPath, []byte("order_id,amount\n1,9.5\n2,12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	versions := conformanceVersions(t)
	for _, files := range [][]string{{pq}, {csvPath}, {pq, csvPath}} {
		t.Run(strings.Join(shortNames(files), "+"), func(t *testing.T) {
			res, err := Conformance(context.Background(), versions, "", files, source.Options{Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			var conforms []string
			for _, r := range res {
				if r.Conforms("error") {
					conforms = append(conforms, r.Contract.Version)
				}
			}
			if want := []string{"1.3.0", "1.4.0"}; !slices.Equal(conforms, want) {
				t.Errorf("conforms to %v, want %v", conforms, want)
			}
			fs := ConformanceFindings(res, "orders", "error")
			summary := fs[len(fs)-1]
			want := "conforms to 1.3.0 and 1.4.0; breaks 2.0.0: column `customer_id` missing"
			if summary.Rule != rules.VersionConformance.ID || summary.Message != want {
				t.Errorf("summary %s %q, want %q", summary.Rule, summary.Message, want)
			}
			if len(fs) != 2 || fs[0].Rule != rules.VersionBroken.ID || fs[0].Location == nil || fs[0].Location.File != "orders-2.0.0.yaml" || fs[0].Location.Line != 18 {
				t.Errorf("want one VERSION_BROKEN at orders-2.0.0.yaml:18 (the customer_id declaration), got %+v", fs)
			}
			for _, f := range fs {
				if f.Severity != report.SeverityInfo {
					t.Errorf("%s is %s; conformance findings explain, they do not gate", f.Rule, f.Severity)
				}
			}
		})
	}
	t.Run("a stricter fail-on also counts the missing optional column", func(t *testing.T) {
		res, err := Conformance(context.Background(), versions, "", []string{pq}, source.Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		fs := ConformanceFindings(res, "orders", "warning")
		if got := fs[len(fs)-1].Message; !strings.HasPrefix(got, "conforms to 1.3.0; breaks 1.4.0: column `note` missing; 2.0.0:") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("a batch without a column every version requires breaks every version", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.csv")
		if err := os.WriteFile(bad, []byte("id,amount\n1,9.5\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Conformance(context.Background(), versions, "", []string{bad}, source.Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		fs := ConformanceFindings(res, "orders", "error")
		if got := fs[len(fs)-1].Message; !strings.HasPrefix(got, "conforms to no version; breaks 1.3.0:") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("an unreadable file is a read error", func(t *testing.T) {
		trunc := filepath.Join(dir, "trunc.parquet")
		if err := os.WriteFile(trunc, []byte("PAR1xx"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Conformance(context.Background(), versions, "", []string{trunc}, source.Options{Mem: mem})
		var re *source.ReadError
		if !errorsAs(err, &re) {
			t.Errorf("got %v, want a *source.ReadError", err)
		}
	})
}

func shortNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
