package checker

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xitongsys/parquet-go/writer"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// ordersNested declares value rules at every depth: fields of a struct, of
// a struct in a struct, of the structs in a list, and a list's elements.
const ordersNested = `- name: order_id
  logicalType: integer
- name: customer
  logicalType: object
  properties:
    - name: email
      logicalType: string
      required: true
      unique: true
    - name: address
      logicalType: object
      properties:
        - name: zip
          logicalType: string
          logicalTypeOptions:
            pattern: "^[0-9]{5}$"
- name: items
  logicalType: array
  items:
    logicalType: object
    properties:
      - name: sku
        logicalType: string
        required: true
        logicalTypeOptions:
          minLength: 3
      - name: qty
        logicalType: integer
        logicalTypeOptions:
          minimum: 1
      - name: status
        logicalType: string
        quality:
          - metric: invalidValues
            arguments:
              validValues: [new, shipped]
            mustBe: 0
- name: tags
  logicalType: array
  items:
    logicalType: string
    logicalTypeOptions:
      maxLength: 5`

// ordersNestedRows are the records both formats hold, one a line. Row 2's
// customer is null, so its required email is not looked for; row 3's
// address is null, so its zip is not checked.
var ordersNestedRows = []string{
	`{"order_id": 1, "customer": {"email": "a@x.io", "address": {"zip": "12345"}}, "items": [{"sku": "ABC", "qty": 1, "status": "new"}], "tags": ["a"]}`,
	`{"order_id": 2, "customer": null, "items": [], "tags": null}`,
	`{"order_id": 3, "customer": {"email": null, "address": null}, "items": [{"sku": "DEF", "qty": 5, "status": "new"}], "tags": []}`,
	`{"order_id": 4, "customer": {"email": "d@x.io", "address": {"zip": "1234"}}, "items": [{"sku": "ABC", "qty": 2, "status": "shipped"}, {"sku": "X", "qty": 0, "status": "lost"}], "tags": ["b", "c"]}`,
	`{"order_id": 5, "customer": {"email": "a@x.io", "address": {"zip": "99999"}}, "items": [{"sku": null, "qty": 3, "status": "new"}], "tags": ["toolong", "ok"]}`,
	`{"order_id": 6, "customer": {"email": "f@x.io", "address": {"zip": "54321"}}, "items": null, "tags": []}`,
}

var ordersNestedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "order_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "customer", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "address", Nullable: true, Type: arrow.StructOf(
			arrow.Field{Name: "zip", Type: arrow.BinaryTypes.String, Nullable: true})},
	)},
	{Name: "items", Nullable: true, Type: arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "sku", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
	))},
	{Name: "tags", Nullable: true, Type: arrow.ListOf(arrow.BinaryTypes.String)},
}, nil)

// writeNested writes records (JSON objects) as NDJSON or, through
// arrow-go's pqarrow with the given Arrow schema, as Parquet in row groups
// of two.
func writeNested(t *testing.T, dir, format string, sc *arrow.Schema, rows []string) string {
	t.Helper()
	path := filepath.Join(dir, "orders."+format)
	if format == "json" {
		if err := os.WriteFile(path, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), sc, strings.NewReader("["+strings.Join(rows, ",")+"]"))
	if err != nil {
		t.Fatalf("build the record: %v", err)
	}
	defer rec.Release()
	writeRecords(t, path, sc, 2, rec)
	return path
}

func TestValueRulesRunInsideNestedValues(t *testing.T) {
	contract := doc(ordersNested)
	for _, format := range []string{"parquet", "json"} {
		t.Run(format, func(t *testing.T) {
			rep := mustCheck(t, contract, writeNested(t, t.TempDir(), format, ordersNestedSchema, ordersNestedRows))
			assertFindings(t, contract, rep,
				want{rule: rules.ValueNull.ID, column: "customer.email", count: 1, row: 3, line: "required: true", lineAfter: "name: email"},
				want{rule: rules.ValueUnique.ID, column: "customer.email", count: 2, row: 5, value: "a@x.io", line: "unique: true"},
				want{rule: rules.ValuePattern.ID, column: "customer.address.zip", count: 1, row: 4, value: "1234", line: "pattern:"},
				want{rule: rules.ValueLength.ID, column: "items[].sku", count: 1, row: 4, value: "X", line: "minLength: 3"},
				want{rule: rules.ValueNull.ID, column: "items[].sku", count: 1, row: 5, line: "required: true", lineAfter: "name: sku"},
				want{rule: rules.ValueRange.ID, column: "items[].qty", count: 1, row: 4, value: "0", line: "minimum: 1"},
				want{rule: rules.QualityInvalidValues.ID, column: "items[].status", count: 1, row: 4, value: "lost"},
				want{rule: rules.ValueLength.ID, column: "tags[]", count: 1, row: 5, value: "toolong", line: "maxLength: 5"},
			)
			for _, name := range []string{"customer.email", "items[].sku", "items[].qty", "tags[]"} {
				if _, ok := checkOf(rep, rules.ValueType.ID, name); ok {
					t.Errorf("%s lists a VALUE_TYPE check of its own; type errors inside a value are its column's", name)
				}
			}
			if format == "json" {
				examplesOnTheirLines(t, rep)
			}
			if c, ok := checkOf(rep, rules.ValueRange.ID, "items[].qty"); !ok || c.Status != report.CheckFailed {
				t.Errorf("VALUE_RANGE items[].qty check: %+v, %v; want failed", c, ok)
			}
		})
	}
}

// examplesOnTheirLines: in NDJSON of one record a line, every example
// (an element's too) names its record's line.
func examplesOnTheirLines(t *testing.T, rep *report.Report) {
	t.Helper()
	for _, f := range rep.Findings {
		for _, e := range f.Examples {
			if e.Line != e.Row {
				t.Errorf("%s %s: example at row %d on line %d, want line %d", f.Rule, f.Column, e.Row, e.Line, e.Row)
			}
		}
	}
}

func TestNestedPassingRulesAreListedAsPassed(t *testing.T) {
	contract := doc(ordersNested)
	rows := append([]string(nil), ordersNestedRows[:3]...)
	rows[2] = `{"order_id": 3, "customer": {"email": "c@x.io", "address": null}, "items": [{"sku": "DEF", "qty": 5, "status": "new"}], "tags": []}`
	rep := mustCheck(t, contract, writeNested(t, t.TempDir(), "parquet", ordersNestedSchema, rows))
	assertFindings(t, contract, rep)
	for _, c := range []struct{ rule, column string }{
		{rules.ValueNull.ID, "customer.email"}, {rules.ValueUnique.ID, "customer.email"},
		{rules.ValuePattern.ID, "customer.address.zip"}, {rules.ValueLength.ID, "items[].sku"},
		{rules.ValueRange.ID, "items[].qty"}, {rules.QualityInvalidValues.ID, "items[].status"},
		{rules.ValueLength.ID, "tags[]"},
	} {
		if got, ok := checkOf(rep, c.rule, c.column); !ok || got.Status != report.CheckPassed {
			t.Errorf("%s %s: %+v, listed %v; want passed", c.rule, c.column, got, ok)
		}
	}
}

func TestAMistypedJSONMemberIsOneTypeErrorAndNothingInsideIsChecked(t *testing.T) {
	contract := doc(ordersNested)
	rows := []string{
		ordersNestedRows[0],
		// qty is text and sku too short: the record's items are one type
		// error, not also a length finding.
		`{"order_id": 2, "customer": null, "items": [{"sku": "X", "qty": "three", "status": "new"}], "tags": []}`,
	}
	rep := mustCheck(t, contract, writeNested(t, t.TempDir(), "json", ordersNestedSchema, rows))
	assertFindings(t, contract, rep,
		want{rule: rules.ValueType.ID, column: "items", count: 1, row: 2, msg: []string{"int64 at items[].qty", "orders.json:2: three"}},
	)
}

func TestNestedStructureDrift(t *testing.T) {
	contract := doc(ordersNested)
	// customer has lost address and gained phone; qty is text; tags hold
	// numbers.
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "order_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "customer", Nullable: true, Type: arrow.StructOf(
			arrow.Field{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "phone", Type: arrow.BinaryTypes.String, Nullable: true},
		)},
		{Name: "items", Nullable: true, Type: arrow.ListOf(arrow.StructOf(
			arrow.Field{Name: "sku", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "qty", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
		))},
		{Name: "tags", Nullable: true, Type: arrow.ListOf(arrow.PrimitiveTypes.Int32)},
	}, nil)
	rows := []string{
		`{"order_id": 1, "customer": {"email": "a@x.io", "phone": "1"}, "items": [{"sku": "ABC", "qty": "0", "status": "new"}], "tags": [1]}`,
		`{"order_id": 2, "customer": {"email": null, "phone": "2"}, "items": [{"sku": "X", "qty": "1", "status": "new"}], "tags": [2]}`,
	}
	rep := mustCheck(t, contract, writeNested(t, t.TempDir(), "parquet", sc, rows))
	assertFindings(t, contract, rep,
		want{rule: rules.ColumnMissing.ID, severity: report.SeverityWarning, column: "customer.address", msg: []string{"nested field is missing"}, line: "- name: address"},
		want{rule: rules.ColumnUnexpected.ID, severity: report.SeverityWarning, column: "customer.phone", msg: []string{"nested field is not declared"}, line: "- name: customer"},
		want{rule: rules.ColumnType.ID, column: "items[].qty", msg: []string{"expected integer, found utf8"}, line: "logicalType: integer", lineAfter: "name: qty"},
		want{rule: rules.ColumnType.ID, column: "tags[]", msg: []string{"expected string, found int32"}, line: "logicalType: string", lineAfter: "name: tags"},
		// The fields still there are checked; the retyped ones are not.
		want{rule: rules.ValueNull.ID, column: "customer.email", count: 1, row: 2},
		want{rule: rules.ValueLength.ID, column: "items[].sku", count: 1, row: 2, value: "X"},
	)
}

func TestNestedRulesOnCSVAreReportedAsNotChecked(t *testing.T) {
	contract := doc(ordersNested)
	rep := checkCSV(t, contract, "order_id,customer,items,tags\n1,x,y,z\n")
	assertFindings(t, contract, rep,
		want{rule: rules.CheckSkipped.ID, column: "customer", msg: []string{"not checked in CSV", "customer.email, customer.address.zip"}},
		want{rule: rules.CheckSkipped.ID, column: "items", msg: []string{"items[].sku, items[].qty, items[].status"}},
		want{rule: rules.CheckSkipped.ID, column: "tags", msg: []string{"tags[]"}},
	)
}

func TestPrivateNestedFieldsQuoteNoValues(t *testing.T) {
	contract := doc(strings.Replace(ordersNested, "      unique: true", "      unique: true\n      classification: pii", 1))
	rep := mustCheck(t, contract, writeNested(t, t.TempDir(), "parquet", ordersNestedSchema, ordersNestedRows))
	for _, f := range rep.Findings {
		if f.Column != "customer.email" {
			continue
		}
		for _, e := range f.Examples {
			if e.Value != report.Redacted {
				t.Errorf("%s %s quotes %q; want it redacted", f.Rule, f.Column, e.Value)
			}
		}
		if strings.Contains(f.Message, "a@x.io") {
			t.Errorf("%s message quotes a private value: %s", f.Rule, f.Message)
		}
	}
}

// The records of ordersNestedRows as xitongsys/parquet-go's struct-tag
// writer sees them: an independent writer, with Parquet's own LIST
// layout and no stored Arrow schema. Its lists are REQUIRED (a null list
// is written empty): declared OPTIONAL, parquet-go v1.6.2 writes lists
// that arrow-go v18.8 reads back with null or no elements.
type xsAddress struct {
	Zip *string `parquet:"name=zip, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
}

type xsCustomer struct {
	Email   *string    `parquet:"name=email, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	Address *xsAddress `parquet:"name=address, repetitiontype=OPTIONAL"`
}

type xsItem struct {
	Sku    *string `parquet:"name=sku, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	Qty    *int64  `parquet:"name=qty, type=INT64, repetitiontype=OPTIONAL"`
	Status *string `parquet:"name=status, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
}

type xsOrder struct {
	OrderID  int64       `parquet:"name=order_id, type=INT64"`
	Customer *xsCustomer `parquet:"name=customer, repetitiontype=OPTIONAL"`
	Items    []xsItem    `parquet:"name=items, type=LIST"`
	Tags     []string    `parquet:"name=tags, type=LIST, valuetype=BYTE_ARRAY, valueconvertedtype=UTF8"`
}

func TestNestedValuesWrittenByParquetGo(t *testing.T) {
	s := func(v string) *string { return &v }
	n := func(v int64) *int64 { return &v }
	item := func(sku *string, qty int64, status string) xsItem { return xsItem{sku, n(qty), s(status)} }
	rows := []xsOrder{
		{1, &xsCustomer{s("a@x.io"), &xsAddress{s("12345")}}, []xsItem{item(s("ABC"), 1, "new")}, []string{"a"}},
		{2, nil, []xsItem{}, nil},
		{3, &xsCustomer{nil, nil}, []xsItem{item(s("DEF"), 5, "new")}, []string{}},
		{4, &xsCustomer{s("d@x.io"), &xsAddress{s("1234")}}, []xsItem{item(s("ABC"), 2, "shipped"), item(s("X"), 0, "lost")}, []string{"b", "c"}},
		{5, &xsCustomer{s("a@x.io"), &xsAddress{s("99999")}}, []xsItem{item(nil, 3, "new")}, []string{"toolong", "ok"}},
		{6, &xsCustomer{s("f@x.io"), &xsAddress{s("54321")}}, nil, []string{}},
	}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeParquetGo(t, path, new(xsOrder), rows)
	contract := doc(ordersNested)
	rep := mustCheck(t, contract, path)
	assertFindings(t, contract, rep,
		want{rule: rules.ValueNull.ID, column: "customer.email", count: 1, row: 3},
		want{rule: rules.ValueUnique.ID, column: "customer.email", count: 2, row: 5, value: "a@x.io"},
		want{rule: rules.ValuePattern.ID, column: "customer.address.zip", count: 1, row: 4, value: "1234"},
		want{rule: rules.ValueLength.ID, column: "items[].sku", count: 1, row: 4, value: "X"},
		want{rule: rules.ValueNull.ID, column: "items[].sku", count: 1, row: 5},
		want{rule: rules.ValueRange.ID, column: "items[].qty", count: 1, row: 4, value: "0"},
		want{rule: rules.QualityInvalidValues.ID, column: "items[].status", count: 1, row: 4, value: "lost"},
		want{rule: rules.ValueLength.ID, column: "tags[]", count: 1, row: 5, value: "toolong"},
	)
}

// writeParquetGo writes rows with xitongsys/parquet-go, one marshalling
// goroutine so the bytes do not depend on scheduling.
func writeParquetGo[T any](t *testing.T, path string, schema *T, rows []T) {
	t.Helper()
	var buf bytes.Buffer
	pw, err := writer.NewParquetWriterFromWriter(&buf, schema, 1)
	if err != nil {
		t.Fatalf("create parquet-go writer: %v", err)
	}
	for _, r := range rows {
		if err := pw.Write(r); err != nil {
			t.Fatalf("write parquet-go row: %v", err)
		}
	}
	if err := pw.WriteStop(); err != nil {
		t.Fatalf("close parquet-go writer: %v", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNestedRulesWithMetadataOnlyAreSkipped(t *testing.T) {
	contract := doc(ordersNested)
	path := writeNested(t, t.TempDir(), "parquet", ordersNestedSchema, ordersNestedRows)
	rep, err := CheckMetadata(context.Background(), Options{Contract: parseContract(t, contract), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	assertFindings(t, contract, rep,
		want{rule: rules.CheckSkipped.ID, column: "customer", msg: []string{"--metadata-only", "customer.email, customer.address.zip"}},
		want{rule: rules.CheckSkipped.ID, column: "items", msg: []string{"items[].sku, items[].qty, items[].status"}},
		want{rule: rules.CheckSkipped.ID, column: "tags", msg: []string{"tags[]"}},
	)
}

func TestListsOfListsAndFormatsInsideThem(t *testing.T) {
	contract := doc(`- name: contacts
  logicalType: array
  items:
    logicalType: object
    properties:
      - name: emails
        logicalType: array
        items:
          logicalType: string
          logicalTypeOptions:
            format: email
      - name: scores
        logicalType: array
        items:
          logicalType: array
          items:
            logicalType: integer
            logicalTypeOptions:
              maximum: 10`)
	rows := []string{
		`{"contacts": [{"emails": ["a@x.io"], "scores": [[1, 2], [3]]}]}`,
		`{"contacts": [{"emails": ["a@x.io", "not-an-email"], "scores": [[4], [11, 5]]}, {"emails": null, "scores": []}]}`,
		`{"contacts": []}`,
	}
	sc := arrow.NewSchema([]arrow.Field{{Name: "contacts", Nullable: true, Type: arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "emails", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		arrow.Field{Name: "scores", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int64)), Nullable: true},
	))}}, nil)
	for _, format := range []string{"parquet", "json"} {
		t.Run(format, func(t *testing.T) {
			rep := mustCheck(t, contract, writeNested(t, t.TempDir(), format, sc, rows))
			assertFindings(t, contract, rep,
				want{rule: rules.ValueFormat.ID, column: "contacts[].emails[]", count: 1, row: 2, value: "not-an-email", line: "format: email"},
				want{rule: rules.ValueRange.ID, column: "contacts[].scores[][]", count: 1, row: 2, value: "11", line: "maximum: 10"},
			)
		})
	}
}
