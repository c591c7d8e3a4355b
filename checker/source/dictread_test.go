package source

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/pqtest"
)

// writeDictFile writes a low-cardinality column (dictionary pages only) and
// a high-cardinality one whose dictionary overflows a tiny page limit, so
// the writer falls back to plain pages.
func writeDictFile(t *testing.T, rows int) string {
	t.Helper()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), sc)
	defer b.Release()
	for i := 0; i < rows; i++ {
		b.Field(0).(*array.StringBuilder).Append([]string{"DE", "FR", "NL"}[i%3])
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("user%06d@example.com", i))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "d.parquet")
	pqtest.Write(t, path, pqtest.Options{DictionaryPageLimit: 1024}, rec)
	return path
}

func TestReadDictionariesOnlyWhereEveryPageIsDictionaryEncoded(t *testing.T) {
	path := writeDictFile(t, 5000)
	for _, on := range []bool{false, true} {
		t.Run(fmt.Sprintf("ReadDictionaries=%v", on), func(t *testing.T) {
			mem := checkedMem(t)
			r, err := Open(context.Background(), path, Options{Mem: mem, BatchSize: 1000, ReadDictionaries: on})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for i, f := range r.Schema().Fields() {
				if f.Type.ID() != arrow.STRING {
					t.Errorf("Schema() field %d is %s, want utf8 whatever the encoding", i, f.Type)
				}
			}
			rows := 0
			err = readAll(context.Background(), r, func(b Batch) {
				country, email := b.Record.Column(0), b.Record.Column(1)
				if d, isDict := country.(*array.Dictionary); isDict != on {
					t.Errorf("country arrived as %s, want dictionary=%v", country.DataType(), on)
				} else if isDict && d.Dictionary().Len() > 3 {
					t.Errorf("country dictionary has %d entries, want at most 3", d.Dictionary().Len())
				}
				if _, isDict := email.(*array.Dictionary); isDict {
					t.Errorf("email (plain pages after the dictionary overflowed) arrived as a dictionary")
				}
				for i := 0; i < int(b.Record.NumRows()); i++ {
					want := []string{"DE", "FR", "NL"}[(rows+i)%3]
					if got := country.ValueStr(i); got != want {
						t.Fatalf("row %d country %q, want %q", rows+i+1, got, want)
					}
				}
				rows += int(b.Record.NumRows())
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows != 5000 {
				t.Errorf("read %d rows, want 5000", rows)
			}
		})
	}
}
