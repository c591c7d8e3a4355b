package checker

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/rules"
)

// objectsContract declares object options on a column, on the objects of
// an array column and on an object inside an object.
var objectsContract = doc(`- name: customer
  logicalType: object
  logicalTypeOptions:
    minProperties: 1
    maxProperties: 2
    required: [id]
  properties:
    - name: id
      logicalType: integer
    - name: email
      logicalType: string
    - name: phone
      logicalType: string
- name: lines
  logicalType: array
  items:
    logicalType: object
    logicalTypeOptions:
      required: [sku]
    properties:
      - name: sku
        logicalType: string
      - name: qty
        logicalType: integer
- name: meta
  logicalType: object
  properties:
    - name: extra
      logicalType: object
      logicalTypeOptions:
        maxProperties: 1
      properties:
        - name: a
          logicalType: string
        - name: b
          logicalType: string`)

var objectsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "customer", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "phone", Type: arrow.BinaryTypes.String, Nullable: true})},
	{Name: "lines", Nullable: true, Type: arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "sku", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true}))},
	{Name: "meta", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "extra", Nullable: true, Type: arrow.StructOf(
			arrow.Field{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true})})},
}, nil)

// objectsRows: row 2's customer has no property, row 3's three and row 4's
// no id; row 3's second line has no sku; row 4's extra has two properties.
// Row 5's objects are null: nothing is looked for in them.
var objectsRows = []string{
	`{"customer": {"id": 1, "email": "a@x.io"}, "lines": [{"sku": "A", "qty": 1}], "meta": {"extra": {"a": "x"}}}`,
	`{"customer": {}, "lines": [], "meta": {"extra": null}}`,
	`{"customer": {"id": 3, "email": "c@x.io", "phone": "1"}, "lines": [{"sku": "B"}, {"qty": 2}], "meta": {"extra": {}}}`,
	`{"customer": {"email": "d@x.io"}, "lines": null, "meta": {"extra": {"a": "x", "b": "y"}}}`,
	`{"customer": null, "lines": [null], "meta": null}`,
}

func TestObjectOptionsCountAndLookForProperties(t *testing.T) {
	rep := mustCheck(t, objectsContract, writeNested(t, t.TempDir(), "parquet", objectsSchema, objectsRows))
	id := rules.ValueProperties.ID
	assertFindings(t, objectsContract, rep,
		want{rule: id, column: "customer", count: 1, row: 2, line: "minProperties: 1", msg: []string{"fewer properties than minProperties 1"}},
		want{rule: id, column: "customer", count: 1, row: 3, line: "maxProperties: 2", msg: []string{"more properties than maxProperties 2"}},
		want{rule: id, column: "customer", count: 1, row: 4, line: "required: [id]", msg: []string{"lacks a property that required names (id)"}},
		want{rule: id, column: "lines[]", count: 1, row: 3, line: "required: [sku]"},
		want{rule: id, column: "meta.extra", count: 1, row: 4, line: "maxProperties: 1"},
	)
	for _, col := range []string{"customer", "lines[]", "meta.extra"} {
		if c, ok := checkOf(rep, id, col); !ok || c.Status != "failed" {
			t.Errorf("check %s %s: %+v, want failed", id, col, c)
		}
	}
}

// TestObjectOptionsAreNotCheckedInJSON: the JSON reader holds only the
// members it reads, and a missing one as null, so the object options say
// they did not run rather than pass or fail on what it kept.
func TestObjectOptionsAreNotCheckedInJSON(t *testing.T) {
	rep := mustCheck(t, objectsContract, writeNested(t, t.TempDir(), "json", nil, objectsRows))
	skip := rules.CheckSkipped.ID
	assertFindings(t, objectsContract, rep,
		want{rule: skip, column: "customer", msg: []string{"not checked in JSON: VALUE_PROPERTIES"}},
		want{rule: skip, column: "lines[]", msg: []string{"not checked in JSON: VALUE_PROPERTIES"}},
		want{rule: skip, column: "meta.extra", msg: []string{"not checked in JSON: VALUE_PROPERTIES"}},
	)
	if _, ok := checkOf(rep, rules.ValueProperties.ID, "customer"); ok {
		t.Error("VALUE_PROPERTIES is listed as a check that ran on JSON")
	}
}

// TestObjectOptionsAreNotCheckedWithMetadataOnly: no footer statistic
// speaks for an object's properties.
func TestObjectOptionsAreNotCheckedWithMetadataOnly(t *testing.T) {
	path := writeNested(t, t.TempDir(), "parquet", objectsSchema, objectsRows)
	rep, err := CheckMetadata(context.Background(), Options{Contract: parseContract(t, objectsContract), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"customer": "VALUE_PROPERTIES", "lines": "the value rules of lines[]", "meta": "the value rules of meta.extra"}
	for _, f := range rep.Findings {
		if f.Rule == rules.ValueProperties.ID {
			t.Errorf("--metadata-only judged %s: %s", f.Column, f.Message)
		}
		if f.Rule == rules.CheckSkipped.ID && strings.Contains(f.Message, "not checked with --metadata-only: "+want[f.Column]) {
			delete(want, f.Column)
		}
	}
	if len(want) > 0 {
		t.Errorf("no skipped finding naming the object options of %v; findings:\n%s", want, dump(rep.Findings))
	}
}
