package checker

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
)

// TestFullCheckSkipsColumnsTheFooterProves checks Parquet files whose
// trusted statistics prove some columns' rules and not others': a proven
// column is listed in the input's provenByStatistics and its checks pass;
// a column with a value on or past a bound, a null where required, a
// NaN-capable minimum, a uniqueness rule or an untrusted writer is read
// and checked value by value, with the same findings as without proofs.
func TestFullCheckSkipsColumnsTheFooterProves(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
		{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "rate", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	contract := doc(`- name: amount
  logicalType: number
  physicalType: decimal(10,2)
  required: true
  logicalTypeOptions:
    minimum: 0
    maximum: 1000
- name: qty
  logicalType: integer
  quality:
    - metric: nullValues
      mustBeLessThan: 10
- name: rate
  logicalType: number
  logicalTypeOptions:
    maximum: 1
- name: at
  logicalType: timestamp
  physicalType: timestamptz
  required: true
  logicalTypeOptions:
    minimum: "2020-01-01T00:00:00Z"
- name: id
  logicalType: integer
  unique: true
  logicalTypeOptions:
    minimum: 0`)
	good := `[
{"amount": "1.50", "qty": 3, "rate": 0.5, "at": "2024-01-02T00:00:00Z", "id": 1},
{"amount": "999.99", "qty": null, "rate": null, "at": "2024-01-03T00:00:00Z", "id": 2},
{"amount": "12.00", "qty": null, "rate": -7, "at": "2025-06-01T00:00:00Z", "id": 3}
]`
	tests := []struct {
		name, rows, createdBy string
		trust                 bool
		proven                []string
		failing               map[string]int64 // rule:column -> count
	}{
		{name: "bounds inside the range and no nulls where required are proven",
			rows: good, proven: []string{"amount", "qty", "rate", "at"}},
		{name: "a value on a bound is read, not proven, and passes",
			rows: strings.Replace(good, `"1.50"`, `"0"`, 1), proven: []string{"qty", "rate", "at"}},
		{name: "a value past a bound is read and counted",
			rows: strings.Replace(good, `"1.50"`, `"-0.01"`, 1), proven: []string{"qty", "rate", "at"},
			failing: map[string]int64{"VALUE_RANGE:amount": 1}},
		{name: "a null where required is read and counted",
			rows: strings.Replace(good, `"at": "2024-01-03T00:00:00Z"`, `"at": null`, 1), proven: []string{"amount", "qty", "rate"},
			failing: map[string]int64{"VALUE_NULL:at": 1}},
		{name: "an untrusted writer's statistics prove nothing",
			rows: good, createdBy: "some-writer 1.0"},
		{name: "--trust-statistics trusts any writer",
			rows: good, createdBy: "some-writer 1.0", trust: true, proven: []string{"amount", "qty", "rate", "at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.parquet")
			writeWithCreatedBy(t, path, sc, tt.rows, tt.createdBy)
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			rep, err := Check(context.Background(), Options{Contract: parseContract(t, contract), Files: []string{path},
				Source: source.Options{Mem: mem}, TrustStatistics: tt.trust})
			mem.AssertSize(t, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Inputs[0].ProvenByStatistics; !slices.Equal(got, tt.proven) {
				t.Errorf("proven by statistics %v, want %v", got, tt.proven)
			}
			got := map[string]int64{}
			for _, f := range rep.Findings {
				if f.Severity == report.SeverityError {
					got[f.Rule+":"+f.Column] += f.Count
				}
			}
			if len(got) != len(tt.failing) {
				t.Errorf("failing %v, want %v:\n%s", got, tt.failing, dump(rep.Findings))
			}
			for k, n := range tt.failing {
				if got[k] != n {
					t.Errorf("%s counts %d, want %d:\n%s", k, got[k], n, dump(rep.Findings))
				}
			}
			// Every check ran, proven or read: none is left out.
			checks := map[string]bool{}
			for _, c := range rep.Checks {
				checks[c.Rule+":"+c.Column] = true
			}
			for _, k := range []string{"VALUE_RANGE:amount", "VALUE_NULL:amount", "QUALITY_NULL_VALUES:qty", "VALUE_RANGE:rate",
				"VALUE_RANGE:at", "VALUE_NULL:at", "VALUE_UNIQUE:id", "VALUE_RANGE:id"} {
				if !checks[k] {
					t.Errorf("check %s not listed", k)
				}
			}
		})
	}
}

// TestAProvenNullMetricCountsTheFootersNulls: qty's two nulls come from
// the footer's null count, and fail a metric that allows one.
func TestAProvenNullMetricCountsTheFootersNulls(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeWithCreatedBy(t, path, sc, `[{"qty": 1}, {"qty": null}, {"qty": null}, {"qty": 4}]`, "")
	rep, err := Check(context.Background(), Options{Contract: parseContract(t, doc(`- name: qty
  logicalType: integer
  quality:
    - metric: nullValues
      mustBeLessThan: 2`)), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Inputs[0].ProvenByStatistics; !slices.Equal(got, []string{"qty"}) {
		t.Fatalf("proven by statistics %v, want [qty]", got)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "QUALITY_NULL_VALUES" || rep.Findings[0].Count != 2 {
		t.Errorf("findings:\n%s\nwant one QUALITY_NULL_VALUES counting 2", dump(rep.Findings))
	}
}

// writeWithCreatedBy writes JSON rows as Parquet, naming the writer
// createdBy (empty: arrow-go's own name, a trusted writer).
func writeWithCreatedBy(t *testing.T, path string, sc *arrow.Schema, rows, createdBy string) {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), sc, strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	opts := []parquet.WriterProperty{parquet.WithDictionaryDefault(true)}
	if createdBy != "" {
		opts = append(opts, parquet.WithCreatedBy(createdBy))
	}
	writeRecordsWith(t, path, sc, parquet.NewWriterProperties(opts...), rec)
}

// TestAFloatMinimumIsNeverProven: writers leave NaN out of a double
// column's statistics, and NaN is below every minimum, so the column is
// read and its NaN counted although the footer's minimum is in range.
func TestAFloatMinimumIsNeverProven(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "score", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewFloat64Builder(memory.NewGoAllocator())
	b.AppendValues([]float64{1, math.NaN(), 2}, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecordBatch(sc, []arrow.Array{col}, 3)
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeRecords(t, path, sc, 10, rec)
	rep, err := Check(context.Background(), Options{Contract: parseContract(t, doc(`- name: score
  logicalType: number
  logicalTypeOptions:
    minimum: 0`)), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Inputs[0].ProvenByStatistics; len(got) != 0 {
		t.Errorf("proven by statistics %v, want none", got)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "VALUE_RANGE" || rep.Findings[0].Count != 1 {
		t.Errorf("findings:\n%s\nwant one VALUE_RANGE counting the NaN", dump(rep.Findings))
	}
}
