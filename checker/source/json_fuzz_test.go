package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzJSON reads arbitrary bytes as a JSON file with typed, nested
// columns, some with holes: no panic, no leak, and either batches whose parts agree or an
// error.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		ndjsonOrders,
		"[{\"a\":1},{\"a\":\"x\",\"s\":{\"t\":\"2020-01-01T00:00:00Z\"}}]",
		"{\"l\":[1,[2],null,{}]}\n{\"l\":\"no\"}",
		"\xef\xbb\xbf[\n]",
		"{\"a\":\"\\u00e9\\\"\",\"a\":2}",
		"[{\"a\":1}",
		"{\"d\":\"12.50\"}{\"d\":1e400}",
		"{\"h\":{\"o\":{\"x\":[1]},\"l\":[{\"y\":1}],\"n\":\"s\"}}\n{\"h\":{\"o\":1,\"l\":[2],\"n\":[1]}}",
		"",
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, array bool) {
		path := filepath.Join(t.TempDir(), "f.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		types := map[string]arrow.DataType{
			"a": arrow.PrimitiveTypes.Int64,
			"d": &arrow.Decimal128Type{Precision: 9, Scale: 2},
			"s": arrow.StructOf(arrow.Field{Name: "t", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true}),
			"l": arrow.ListOf(arrow.PrimitiveTypes.Int32),
			// Holes the sample types (see hasHole).
			"h": arrow.StructOf(
				arrow.Field{Name: "o", Type: arrow.StructOf(), Nullable: true},
				arrow.Field{Name: "l", Type: arrow.ListOf(arrow.Null), Nullable: true},
				arrow.Field{Name: "n", Type: arrow.Null, Nullable: true},
			),
		}
		layout := JSONAuto
		if array {
			layout = JSONArray
		}
		r, err := Open(context.Background(), path, Options{Mem: mem, BatchSize: 3, JSON: JSONOptions{Types: types, Layout: layout}})
		if err != nil {
			return
		}
		defer r.Close()
		readConsistent(t, r, 3, func(_ Batch, ce CellError) bool { return ce.Line >= 1 })
	})
}

// readConsistent drains r and fails the test unless every batch holds 1 to
// size rows numbered on from the last, every column has the batch's length
// and every cell error lies in its batch and satisfies cellOK.
func readConsistent(t *testing.T, r Reader, size int64, cellOK func(Batch, CellError) bool) {
	t.Helper()
	var next int64 = 1
	_ = readAll(context.Background(), r, func(b Batch) {
		n := b.Record.NumRows()
		if b.FirstRow != next || n == 0 || n > size {
			t.Fatalf("batch FirstRow %d of %d rows, want FirstRow %d and 1-%d rows", b.FirstRow, n, next, size)
		}
		for _, col := range b.Record.Columns() {
			if int64(col.Len()) != n {
				t.Fatalf("column of %d rows in a batch of %d", col.Len(), n)
			}
		}
		for _, ce := range b.Invalid {
			if ce.Row < next || ce.Row >= next+n || ce.Column >= int(b.Record.NumCols()) || !cellOK(b, ce) {
				t.Fatalf("cell error %+v outside its batch or inconsistent with it", ce)
			}
		}
		next += n
	})
}
