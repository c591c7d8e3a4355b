package checker

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/rules"
)

// tallyOf is the tally of one violation of a column's compiled rule.
func tallyOf(t *testing.T, c *column, r *rules.Rule, out rules.Outcome) *tally {
	t.Helper()
	for _, ob := range c.obs {
		if ob.rule == r {
			return &ob.t[out-1]
		}
	}
	t.Fatalf("column %q has no %s observer", c.name, r.ID)
	return nil
}

// TestNumericDictionaryColumnsGetEveryCheck: a dictionary of numbers (a
// stored Arrow schema can ask for one) used to get only null and uniqueness
// checks, so its range rules passed silently.
func TestNumericDictionaryColumnsGetEveryCheck(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.PrimitiveTypes.Int64}
	b := array.NewDictionaryBuilder(mem, dt).(*array.Int64DictionaryBuilder)
	defer b.Release()
	for _, v := range []int64{5, -3, 5, 7} {
		if err := b.Append(v); err != nil {
			t.Fatal(err)
		}
	}
	b.AppendNull()
	arr := b.NewArray()
	defer arr.Release()

	c := parseContract(t, doc("- name: qty\n  logicalType: integer\n  required: true\n  unique: true\n  logicalTypeOptions:\n    minimum: 0"))
	col, err := newColumn(c.Path, &c.Schemas[0].Properties[0], "")
	if err != nil {
		t.Fatal(err)
	}
	col.observe("f.parquet", 1, arr, nil)
	if err := col.unique.finish(nil); err != nil {
		t.Fatal(err)
	}
	if below := tallyOf(t, col, rules.ValueRange, 1); below.Count != 1 || below.Examples[0].Row != 2 || below.Examples[0].Value != "-3" {
		t.Errorf("range: %d below, examples %v; want 1 at row 2 (-3)", below.Count, below.Examples)
	}
	if col.nulls.Count != 1 || col.nulls.Examples[0].Row != 5 {
		t.Errorf("nulls: %d, examples %v; want 1 at row 5", col.nulls.Count, col.nulls.Examples)
	}
	if col.unique.dupRows != 2 {
		t.Errorf("duplicate rows %d, want 2 (5 twice)", col.unique.dupRows)
	}
	if col.rows != 5 {
		t.Errorf("rows %d, want 5", col.rows)
	}
}
