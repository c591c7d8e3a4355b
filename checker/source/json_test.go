package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// writeJSONFile writes body to name in a temporary directory, gzipped when
// name ends in .gz.
func writeJSONFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	data := []byte(body)
	if strings.HasSuffix(name, ".gz") {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		data = b.Bytes()
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// jsonRows reads every batch and returns the rows as strings (ValueStr
// per column, joined by |), the cell errors and the error.
func jsonRows(t *testing.T, path string, opts Options, cols []string) ([]string, []CellError, *arrow.Schema, error) {
	t.Helper()
	opts.Mem = checkedMem(t)
	r, err := Open(context.Background(), path, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	defer r.Close()
	schema := r.Schema()
	if cols != nil {
		if err := r.Select(cols); err != nil {
			t.Fatal(err)
		}
	}
	var rows []string
	var cells []CellError
	err = readAll(context.Background(), r, func(b Batch) {
		for i := range int(b.Record.NumRows()) {
			var parts []string
			for c := range int(b.Record.NumCols()) {
				parts = append(parts, b.Record.Column(c).ValueStr(i))
			}
			rows = append(rows, strings.Join(parts, "|"))
		}
		cells = append(cells, b.Invalid...)
	})
	return rows, cells, schema, err
}

var orderTypes = map[string]arrow.DataType{
	"order_id": arrow.BinaryTypes.String,
	"amount":   arrow.PrimitiveTypes.Int64,
	"placed":   arrow.FixedWidthTypes.Timestamp_us,
	"customer": arrow.StructOf(
		arrow.Field{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	),
	"items": arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "sku", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "qty", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	)),
}

const ndjsonOrders = `{"order_id":"A1","amount":12,"placed":"2026-11-30T10:00:00Z","customer":{"id":7,"email":"a@example.com"},"items":[{"sku":"X","qty":2}]}
{"order_id":"A2","amount":"12","placed":"2026-11-30T11:00:00Z","customer":{"id":"eight"},"items":[]}

{"order_id":"A3","placed":null,"items":[{"sku":"Y","qty":1.5},{"sku":"Z","qty":3}],"note":"late"}
`

func TestJSONReadsNDJSONTypedFromTheContract(t *testing.T) {
	for _, name := range []string{"orders.ndjson", "orders.json", "orders.jsonl.gz"} {
		t.Run(name, func(t *testing.T) {
			p := writeJSONFile(t, name, ndjsonOrders)
			rows, cells, schema, err := jsonRows(t, p, Options{JSON: JSONOptions{Types: orderTypes}}, []string{"order_id", "amount", "customer", "items"})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range schema.Fields() {
				names = append(names, f.Name+":"+f.Type.String())
			}
			wantSchema := "order_id:utf8 amount:int64 placed:timestamp[us, tz=UTC] customer:struct<id: int64 nullable, email: utf8 nullable> items:list<item: struct<sku: utf8 nullable, qty: int32 nullable>, nullable> note:utf8"
			if got := strings.Join(names, " "); got != wantSchema {
				t.Errorf("schema:\n got %s\nwant %s", got, wantSchema)
			}
			want := []string{
				`A1|12|{"email":"a@example.com","id":7}|[{"qty":2,"sku":"X"}]`,
				`A2|(null)|{"email":null,"id":null}|[]`,
				`A3|(null)|(null)|[{"qty":null,"sku":"Y"},{"qty":3,"sku":"Z"}]`,
			}
			if strings.Join(rows, "\n") != strings.Join(want, "\n") {
				t.Errorf("rows:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
			}
			wantCells := []CellError{
				{Row: 2, Line: 2, Column: 1, Raw: "12", Want: "int64"},
				{Row: 2, Line: 2, Column: 2, Raw: "eight", Want: "int64 at id"},
				{Row: 3, Line: 4, Column: 3, Raw: "1.5", Want: "int32 at [].qty"},
			}
			if len(cells) != len(wantCells) {
				t.Fatalf("cells %+v, want %+v", cells, wantCells)
			}
			for i := range cells {
				if cells[i] != wantCells[i] {
					t.Errorf("cell %d: %+v, want %+v", i, cells[i], wantCells[i])
				}
			}
		})
	}
}

func TestJSONReadsArraysAndChecksTheDeclaredLayout(t *testing.T) {
	body := "[\n  {\"id\": 1, \"ok\": true},\n  {\"id\": 2,\n   \"ok\": \"yes\"}\n]\n"
	p := writeJSONFile(t, "flags.json", body)
	types := map[string]arrow.DataType{"id": arrow.PrimitiveTypes.Int64, "ok": arrow.FixedWidthTypes.Boolean}
	rows, cells, _, err := jsonRows(t, p, Options{JSON: JSONOptions{Types: types, Layout: JSONArray}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows, ","); got != "1|true,2|(null)" {
		t.Errorf("rows %s", got)
	}
	if len(cells) != 1 || cells[0].Line != 3 || cells[0].Row != 2 || cells[0].Raw != "yes" || cells[0].Want != "bool" {
		t.Errorf("cells %+v, want one at row 2, line 3", cells)
	}
	_, _, _, err = jsonRows(t, p, Options{JSON: JSONOptions{Layout: JSONLines}}, nil)
	var re *ReadError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "delimiter new_line") || re.Path != p {
		t.Errorf("a JSON array read as new_line: %v, want a ReadError naming the declared delimiter", err)
	}
}

func TestJSONBatchesHoldAtMostBatchSizeRows(t *testing.T) {
	var b strings.Builder
	for i := range 10 {
		b.WriteString(`{"n":` + string(rune('0'+i)) + "}\n")
	}
	p := writeJSONFile(t, "n.ndjson", b.String())
	mem := checkedMem(t)
	r, err := Open(context.Background(), p, Options{Mem: mem, BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var sizes []int64
	var firsts []int64
	if err := readAll(context.Background(), r, func(b Batch) {
		sizes = append(sizes, b.Record.NumRows())
		firsts = append(firsts, b.FirstRow)
	}); err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 3 || sizes[0] != 4 || sizes[2] != 2 || firsts[1] != 5 {
		t.Errorf("batches %v starting at %v, want 4,4,2 starting at 1,5,9", sizes, firsts)
	}
}

func TestJSONUnreadableFilesNameTheLine(t *testing.T) {
	cases := []struct {
		name, body, want string
		line             int64
	}{
		{"a broken record", "{\"a\":1}\n{\"a\":2,\n\"b\":}\n", "invalid JSON", 3},
		{"a record that is not an object", "{\"a\":1}\n[1,2]\n", "record is an array, want a JSON object", 2},
		{"an array that is not closed", "[{\"a\":1},\n{\"a\":2}\n", "not closed", 3},
		{"text after the array", "[{\"a\":1}] x", "after the closing ]", 1},
		{"a record cut off at the end", "{\"a\":1}\n{\"a\":", "end of file inside a record", 2},
		{"a missing comma in an array", "[{\"a\":1} {\"a\":2}]", "want , or ]", 1},
		{"a bare word", "nope\n", "invalid JSON", 1},
		{"a bare number", "12\n", "record is a number, want a JSON object", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeJSONFile(t, "bad.json", tc.body)
			_, _, _, err := jsonRows(t, p, Options{}, nil)
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("err %v, want a ReadError", err)
			}
			if re.Line != tc.line || !strings.Contains(err.Error(), tc.want) || re.Path != p {
				t.Errorf("err %q (line %d), want %q at line %d", err, re.Line, tc.want, tc.line)
			}
		})
	}
}

func TestJSONEmptyFilesHaveNoColumnsAndNoRows(t *testing.T) {
	for _, body := range []string{"", "  \n", "[]", "[ ]\n"} {
		p := writeJSONFile(t, "empty.json", body)
		rows, _, schema, err := jsonRows(t, p, Options{}, nil)
		if err != nil || len(rows) != 0 || schema.NumFields() != 0 {
			t.Errorf("%q: rows %v, schema %v, err %v; want none", body, rows, schema, err)
		}
	}
}

func TestJSONInfersUndeclaredMembersFromTheFirstValue(t *testing.T) {
	p := writeJSONFile(t, "x.ndjson", `{"a":null,"b":1,"c":1.5,"d":"x","e":{"f":[true]},"g":[]}`+"\n"+`{"a":"later"}`)
	_, _, schema, err := jsonRows(t, p, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := schema.String()
	for _, want := range []string{"a: type=utf8", "b: type=int64", "c: type=float64", "d: type=utf8", "e: type=struct<f: list<item: bool, nullable> nullable>", "g: type=list<item: utf8, nullable>"} {
		if !strings.Contains(got, want) {
			t.Errorf("schema %s lacks %s", got, want)
		}
	}
}

func TestJSONKeepsTheFirstValueOfARepeatedKey(t *testing.T) {
	p := writeJSONFile(t, "dup.ndjson", `{"a":1,"a":2,"s":{"x":1,"x":"no"}}`)
	types := map[string]arrow.DataType{"a": arrow.PrimitiveTypes.Int64, "s": arrow.StructOf(arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true})}
	rows, cells, _, err := jsonRows(t, p, Options{JSON: JSONOptions{Types: types}}, nil)
	if err != nil || len(rows) != 1 || rows[0] != `1|{"x":1}` || len(cells) != 0 {
		t.Errorf("rows %v cells %v err %v; want 1|{1}", rows, cells, err)
	}
}

// TestJSONTypesFillTheirHolesFromTheSample: the parts of a declared type
// left open (an empty struct, a null type) take the type of the first
// sampled value that has them; those none has stay an empty struct (an
// object) or become text.
func TestJSONTypesFillTheirHolesFromTheSample(t *testing.T) {
	path := writeJSONFile(t, "holes.ndjson", `{"lines": [], "meta": {"extra": null, "codes": [], "kind": "a"}, "open": null, "empty": null}
{"lines": [{"sku": "A", "qty": 1}], "meta": {"extra": {"k": 1.5}, "codes": [7], "kind": "b"}, "open": [], "empty": {"x": 1}}
{"lines": [{"sku": "B"}], "meta": {"extra": {"k": 2}, "codes": ["late"]}, "open": [], "empty": null}
`)
	types := map[string]arrow.DataType{
		"lines": arrow.ListOf(arrow.StructOf()),
		"meta": arrow.StructOf(
			arrow.Field{Name: "extra", Type: arrow.StructOf(), Nullable: true},
			arrow.Field{Name: "codes", Type: arrow.ListOf(arrow.Null), Nullable: true},
			arrow.Field{Name: "kind", Type: arrow.BinaryTypes.String, Nullable: true},
		),
		"open":  arrow.ListOf(arrow.Null),
		"empty": arrow.StructOf(arrow.Field{Name: "y", Type: arrow.StructOf(), Nullable: true}),
	}
	rows, cells, schema, err := jsonRows(t, path, Options{JSON: JSONOptions{Types: types}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := map[string]string{
		"lines": "list<item: struct<sku: utf8 nullable, qty: int64 nullable>, nullable>",
		"meta":  "struct<extra: struct<k: float64 nullable> nullable, codes: list<item: int64, nullable> nullable, kind: utf8 nullable>",
		"open":  "list<item: utf8, nullable>",
		"empty": "struct<y: struct<> nullable>",
	}
	for _, f := range schema.Fields() {
		if got := f.Type.String(); got != wantTypes[f.Name] {
			t.Errorf("%s read as %s, want %s", f.Name, got, wantTypes[f.Name])
		}
	}
	// The one value of the wrong kind for its filled hole: "late" in a
	// list of int64.
	if len(cells) != 1 || cells[0].Row != 3 || cells[0].Want != "int64 at codes[]" {
		t.Errorf("cell errors %+v, want one at row 3: int64 at codes[]", cells)
	}
	if len(rows) != 3 {
		t.Errorf("%d rows, want 3", len(rows))
	}
}
