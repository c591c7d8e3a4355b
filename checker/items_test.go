package checker

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// arraysNested declares minItems, maxItems and uniqueItems at every depth:
// a top-level array, an array in an object, an array in the objects of an
// array, and the arrays of an array of arrays.
const arraysNested = `- name: order_id
  logicalType: integer
- name: tags
  logicalType: array
  logicalTypeOptions:
    minItems: 1
    maxItems: 2
    uniqueItems: true
  items:
    logicalType: string
- name: customer
  logicalType: object
  properties:
    - name: phones
      logicalType: array
      logicalTypeOptions:
        uniqueItems: true
      items:
        logicalType: string
- name: lines
  logicalType: array
  items:
    logicalType: object
    properties:
      - name: codes
        logicalType: array
        logicalTypeOptions:
          maxItems: 1
        items:
          logicalType: integer
- name: matrix
  logicalType: array
  items:
    logicalType: array
    logicalTypeOptions:
      minItems: 3
      uniqueItems: true
    items:
      logicalType: number`

var arraysNestedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "order_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "tags", Nullable: true, Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "customer", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "phones", Nullable: true, Type: arrow.ListOf(arrow.BinaryTypes.String)})},
	{Name: "lines", Nullable: true, Type: arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "codes", Nullable: true, Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)}))},
	{Name: "matrix", Nullable: true, Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Float64))},
}, nil)

// arraysNestedRows: row 1 breaks nothing; a null array, a null parent and
// an empty array inside a null-free list check nothing they do not hold.
var arraysNestedRows = []string{
	`{"order_id": 1, "tags": ["a"], "customer": {"phones": ["1", "2"]}, "lines": [{"codes": [1]}], "matrix": [[1, 2, 3]]}`,
	`{"order_id": 2, "tags": [], "customer": null, "lines": [], "matrix": []}`,
	`{"order_id": 3, "tags": ["a", "b", "c"], "customer": {"phones": ["1", "1"]}, "lines": [{"codes": [1]}, {"codes": [1, 2]}], "matrix": [[1, 2, 3], [0, -0]]}`,
	`{"order_id": 4, "tags": ["x", "x"], "customer": {"phones": null}, "lines": [{"codes": null}], "matrix": [[0, -0, 1.5]]}`,
	`{"order_id": 5, "tags": null, "customer": {"phones": []}, "lines": null, "matrix": null}`,
	`{"order_id": 6, "tags": [null, null], "customer": {"phones": ["1", null]}, "lines": [{"codes": [7, 8, 9]}], "matrix": [[1], [1, 2, 3]]}`,
}

func TestArrayRulesRunAtEveryDepth(t *testing.T) {
	contract := doc(arraysNested)
	for _, format := range []string{"parquet", "json"} {
		t.Run(format, func(t *testing.T) {
			rep := mustCheck(t, contract, writeNested(t, t.TempDir(), format, arraysNestedSchema, arraysNestedRows))
			assertFindings(t, contract, rep,
				want{rule: rules.ValueItems.ID, severity: report.SeverityError, column: "tags", count: 1, row: 2, value: "[]",
					line: "minItems: 1", msg: []string{"1 value with fewer items than minItems 1 (first at row 2 of "}},
				want{rule: rules.ValueItems.ID, column: "tags", count: 1, row: 3, line: "maxItems: 2",
					msg: []string{"1 value with more items than maxItems 2"}},
				// Two nulls are one item twice, as in JSON Schema.
				want{rule: rules.ValueUniqueItems.ID, column: "tags", count: 2, row: 4, line: "uniqueItems: true",
					msg: []string{"2 values hold an item twice, against uniqueItems"}},
				want{rule: rules.ValueUniqueItems.ID, column: "customer.phones", count: 1, row: 3, line: "uniqueItems: true", lineAfter: "name: phones"},
				// An array in the objects of an array: elements are counted,
				// and each names the record it is in.
				want{rule: rules.ValueItems.ID, column: "lines[].codes", count: 2, row: 3, line: "maxItems: 1"},
				// Arrays of an array: [0, -0] is too short, and 0 and -0 are
				// one number.
				want{rule: rules.ValueItems.ID, column: "matrix[]", count: 2, row: 3, line: "minItems: 3"},
				want{rule: rules.ValueUniqueItems.ID, column: "matrix[]", count: 2, row: 3, line: "uniqueItems: true", lineAfter: "name: matrix"},
			)
			for _, c := range []struct{ rule, column string }{
				{rules.ValueItems.ID, "tags"}, {rules.ValueUniqueItems.ID, "tags"}, {rules.ValueUniqueItems.ID, "customer.phones"},
				{rules.ValueItems.ID, "lines[].codes"}, {rules.ValueItems.ID, "matrix[]"}, {rules.ValueUniqueItems.ID, "matrix[]"},
			} {
				if got, ok := checkOf(rep, c.rule, c.column); !ok || got.Status != report.CheckFailed {
					t.Errorf("%s %s: %+v, listed %v; want failed", c.rule, c.column, got, ok)
				}
			}
			if format == "json" {
				examplesOnTheirLines(t, rep)
			}
		})
	}
}

func TestArrayRulesThatHoldAreListedAsPassed(t *testing.T) {
	contract := doc(arraysNested)
	rep := mustCheck(t, contract, writeNested(t, t.TempDir(), "parquet", arraysNestedSchema, []string{arraysNestedRows[0], arraysNestedRows[4]}))
	assertFindings(t, contract, rep)
	for _, c := range []struct{ rule, column string }{
		{rules.ValueItems.ID, "tags"}, {rules.ValueUniqueItems.ID, "tags"}, {rules.ValueUniqueItems.ID, "customer.phones"},
		{rules.ValueItems.ID, "lines[].codes"}, {rules.ValueItems.ID, "matrix[]"},
	} {
		if got, ok := checkOf(rep, c.rule, c.column); !ok || got.Status != report.CheckPassed {
			t.Errorf("%s %s: %+v, listed %v; want passed", c.rule, c.column, got, ok)
		}
	}
}

// A CSV cell holds text, not an array: the array rules are listed as not
// checked there, never as passed.
func TestArrayRulesAreNotCheckedInCSV(t *testing.T) {
	contract := doc("- name: tags\n  logicalType: array\n  logicalTypeOptions:\n    minItems: 1\n    uniqueItems: true\n  items:\n    logicalType: string")
	rep := checkCSV(t, contract, "tags\n\"[a,a]\"\n")
	assertFindings(t, contract, rep, want{rule: rules.CheckSkipped.ID, severity: report.SeverityInfo, column: "tags", count: 0,
		msg: []string{"not checked in CSV: VALUE_ITEMS, VALUE_UNIQUE_ITEMS (a CSV cell holds text, not an array)"}})
	for _, id := range []string{rules.ValueItems.ID, rules.ValueUniqueItems.ID} {
		if c, ok := checkOf(rep, id, "tags"); ok {
			t.Errorf("%s is listed (%s) though no array was read", id, c.Status)
		}
	}
}

// A CSV cell holds text, not an object: the object options are listed as
// not checked there, never as passed.
func TestObjectOptionsAreNotCheckedInCSV(t *testing.T) {
	contract := doc("- name: attrs\n  logicalType: object\n  logicalTypeOptions:\n    minProperties: 1\n  properties:\n    - name: a\n      logicalType: string")
	rep := checkCSV(t, contract, "attrs\n\"{}\"\n")
	assertFindings(t, contract, rep, want{rule: rules.CheckSkipped.ID, severity: report.SeverityInfo, column: "attrs", count: 0,
		msg: []string{"not checked in CSV: VALUE_PROPERTIES (a CSV cell holds text, not an object)"}})
	if c, ok := checkOf(rep, rules.ValueProperties.ID, "attrs"); ok {
		t.Errorf("VALUE_PROPERTIES is listed (%s) though no object was read", c.Status)
	}
}

// TestRepeatsShortAndLongLists: a list of up to eight items is compared
// pair by pair, a longer one through a set; both say the same.
func TestRepeatsShortAndLongLists(t *testing.T) {
	long := `["a","b","c","d","e","f","g","h","i","j"]`
	tests := []struct {
		list    string
		repeats bool
	}{
		{`["a","b"]`, false}, {`["a","a"]`, true}, {`[null,"a",null]`, true}, {`[null,"a"]`, false},
		{long, false}, {`["a","b","c","d","e","f","g","h","i","a"]`, true},
		{`["a","b","c","d","e","f","g","h","i",null,null]`, true}, {`["a","b","c","d","e","f","g","h","i",null]`, false},
	}
	for _, tt := range tests {
		arr, _, err := array.FromJSON(memory.NewGoAllocator(), arrow.ListOf(arrow.BinaryTypes.String), strings.NewReader("["+tt.list+"]"))
		if err != nil {
			t.Fatal(err)
		}
		ll := arr.(*array.List)
		lo, hi := ll.ValueOffsets(0)
		l := &listItems{vals: ll.ListValues(), key: itemKey(ll.ListValues()), lo: int(lo), hi: int(hi)}
		if got := l.Repeats(); got != tt.repeats {
			t.Errorf("%s: repeats %v, want %v", tt.list, got, tt.repeats)
		}
		arr.Release()
	}
}
