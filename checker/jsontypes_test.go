package checker

import (
	"testing"

	"github.com/driftgate/driftgate/checker/rules"
)

// TestJSONReadsTheUntypedPartsOfNestedTypesFromTheData: an object without
// properties or an array without items inside an array or object the
// contract declares is typed from the records, as an untyped top-level
// member is, not read as text (which made every such value a type error
// and the field a COLUMN_TYPE). The declared parts keep their rules; a
// value of the wrong kind where an object is declared is still a
// VALUE_TYPE at its path.
func TestJSONReadsTheUntypedPartsOfNestedTypesFromTheData(t *testing.T) {
	contract := doc(`- name: order_id
  logicalType: integer
- name: lines
  logicalType: array
  items:
    logicalType: object
- name: meta
  logicalType: object
  properties:
    - name: source
      logicalType: string
      logicalTypeOptions:
        maxLength: 3
    - name: extra
      logicalType: object
    - name: codes
      logicalType: array
    - name: note
      logicalType: object`)
	rows := []string{
		`{"order_id": 1, "lines": [{"sku": "A", "qty": 1}], "meta": {"source": "web", "extra": {"k": 1}, "codes": [1, 2], "note": null}}`,
		`{"order_id": 2, "lines": [], "meta": {"source": "mobile", "extra": null, "codes": []}}`,
		`{"order_id": 3, "lines": [{"sku": "B", "qty": 2}, {"sku": "C"}], "meta": {"source": "app", "extra": {"k": 2}, "codes": [3], "note": {"by": "x"}}}`,
		`{"order_id": 4, "lines": null, "meta": {"source": "web", "extra": "not an object", "codes": [4]}}`,
	}
	rep := mustCheck(t, contract, writeNested(t, t.TempDir(), "json", nil, rows))
	assertFindings(t, contract, rep,
		want{rule: rules.ValueLength.ID, column: "meta.source", count: 1, row: 2, value: "mobile", line: "maxLength: 3"},
		want{rule: rules.ValueType.ID, column: "meta", count: 1, row: 4, msg: []string{"an object at meta.extra"}},
	)
}
