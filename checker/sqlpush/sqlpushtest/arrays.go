package sqlpushtest

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"
)

// The array rules' differential test: the table arrays (id bigint, tags an
// array of text, codes an array of integers), loaded in ArrayRows order,
// must give the Arrow engine's VALUE_ITEMS and VALUE_UNIQUE_ITEMS
// findings on the same rows as a Parquet file (ArraysParquet).

// arraysContract declares every array rule on both array columns.
const arraysContract = `apiVersion: v3.1.0
kind: DataContract
id: urn:driftgate:test:arrays
name: arrays
version: 1.0.0
status: active
schema:
  - name: arrays
    properties:
      - name: id
        logicalType: integer
      - name: tags
        logicalType: array
        logicalTypeOptions:
          minItems: 1
          maxItems: 2
          uniqueItems: true
        items:
          logicalType: string
      - name: codes
        logicalType: array
        logicalTypeOptions:
          maxItems: 3
          uniqueItems: true
        items:
          logicalType: integer
`

// ArrayRow is one row of the arrays table; a nil list is NULL, a nil item
// a null item.
type ArrayRow struct {
	ID    int64
	Tags  []any // strings
	Codes []any // int64s
}

// ArrayRows break each array rule more than once, with nulls inside lists
// (two nulls are one item twice) and null lists (which break nothing).
var ArrayRows = []ArrayRow{
	{1, []any{"a"}, []any{int64(1), int64(2)}},
	{2, []any{}, []any{int64(1), int64(1)}},         // tags too few, codes repeat
	{3, []any{"a", "b", "c"}, []any{}},              // tags too many
	{4, []any{"x", "x"}, []any{int64(1), nil, nil}}, // both repeat
	{5, nil, nil}, // null lists
	{6, []any{nil, "a"}, []any{int64(1), nil}},                               // one null is no repeat
	{7, []any{"b", nil, nil}, []any{int64(4), int64(5), int64(6), int64(7)}}, // tags too many and repeat, codes too many
}

// ArraysContract is the contract of the arrays table.
func ArraysContract(t testing.TB) *contracts.Contract {
	t.Helper()
	c, err := contracts.Parse("arrays.odcs.yaml", []byte(arraysContract))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ArraysSchema is the Arrow schema of the arrays table.
var ArraysSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
	{Name: "codes", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
}, nil)

// ArraysParquet writes ArrayRows as dir/arrays.parquet, in two row groups,
// and returns its path.
func ArraysParquet(t testing.TB, dir string) string {
	t.Helper()
	b := array.NewRecordBuilder(memory.NewGoAllocator(), ArraysSchema)
	defer b.Release()
	list := func(lb *array.ListBuilder, items []any) {
		if items == nil {
			lb.AppendNull()
			return
		}
		lb.Append(true)
		for _, v := range items {
			switch vb := lb.ValueBuilder().(type) {
			case *array.StringBuilder:
				if v == nil {
					vb.AppendNull()
				} else {
					vb.Append(v.(string))
				}
			case *array.Int64Builder:
				if v == nil {
					vb.AppendNull()
				} else {
					vb.Append(v.(int64))
				}
			}
		}
	}
	for _, r := range ArrayRows {
		b.Field(0).(*array.Int64Builder).Append(r.ID)
		list(b.Field(1).(*array.ListBuilder), r.Tags)
		list(b.Field(2).(*array.ListBuilder), r.Codes)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(dir, "arrays.parquet")
	pqtest.Write(t, path, pqtest.Options{RowGroup: 4}, rec)
	return path
}

// arrayRules are the rules the array test compares.
var arrayRules = []string{"VALUE_ITEMS", "VALUE_UNIQUE_ITEMS"}

// AgreeOnArrays checks the arrays table in engine e and requires the
// Arrow engine's array findings on ArraysParquet: rule, column, count,
// contract line and example rows, and the same checks listed. It returns
// the pushdown's report.
func AgreeOnArrays(t *testing.T, e sqlpush.Engine, opts sqlpush.Options) *report.Report {
	t.Helper()
	c := ArraysContract(t)
	ctx := context.Background()
	arrow, err := checker.Check(ctx, checker.Options{Contract: c, Files: []string{ArraysParquet(t, t.TempDir())}})
	if err != nil {
		t.Fatal(err)
	}
	opts.Contract = c
	got, err := sqlpush.Check(ctx, e, opts)
	if err != nil {
		t.Fatal(err)
	}
	keep := func(id string) bool { return slices.Contains(arrayRules, id) }
	want, have := Summarize(arrow, keep), Summarize(got, keep)
	if len(want) != 5 {
		t.Fatalf("the Arrow engine found %+v, want 5 findings: the rows lost their planted problems", want)
	}
	if !slices.Equal(want, have) {
		t.Errorf("%s array findings differ from the Arrow engine's:\n got %+v\nwant %+v", e.Name(), have, want)
	}
	checks := func(r *report.Report) []string {
		var out []string
		for _, k := range r.Checks {
			if keep(k.Rule) {
				out = append(out, k.Rule+" "+k.Column+" "+string(k.Status))
			}
		}
		slices.Sort(out)
		return out
	}
	if w, h := checks(arrow), checks(got); !slices.Equal(w, h) {
		t.Errorf("%s ran array checks\n %q\nthe Arrow engine ran\n %q", e.Name(), h, w)
	}
	for _, f := range got.Findings {
		if f.Rule == "CHECK_SKIPPED" {
			t.Errorf("%s did not run a rule: %s", e.Name(), f.Message)
		}
	}
	return got
}
