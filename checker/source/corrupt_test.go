package source

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/fixtures/corrupt"
)

// writeCountries writes rows of a dictionary-encoded text column of five
// distinct values, uncompressed, in row groups of rowGroup rows; kv, when
// set, is stored as key-value metadata instead of the Arrow schema.
func writeCountries(t *testing.T, path string, rows int, rowGroup int64, kv map[string]string) {
	t.Helper()
	mem := memory.NewGoAllocator()
	sc := arrow.NewSchema([]arrow.Field{{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := array.NewStringBuilder(mem)
	names := []string{"NL", "BE", "DE", "FR", "LU"}
	for i := range rows {
		b.Append(names[i%len(names)])
	}
	arr := b.NewArray()
	rec := array.NewRecordBatch(sc, []arrow.Array{arr}, int64(rows))
	arr.Release()
	defer rec.Release()
	pqtest.Write(t, path, pqtest.Options{RowGroup: rowGroup, StoreSchema: kv == nil, Metadata: kv}, rec)
}

// readFile reads every batch of path and returns the rows and the error.
func readFile(t *testing.T, path string, opts Options) (int64, error) {
	t.Helper()
	var rows int64
	_, err := ReadFile(context.Background(), path, opts, func(rd Reader) error {
		return readAll(context.Background(), rd, func(b Batch) { rows += b.Record.NumRows() })
	})
	return rows, err
}

func TestDictionaryIndicesOutOfRangeAreAReadError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "countries.parquet")
	writeCountries(t, path, 100, 100, nil)
	if err := corrupt.ShrinkDictionary(path, 5, 2); err != nil {
		t.Fatal(err)
	}
	for _, dict := range []bool{true, false} {
		mem := checkedMem(t)
		_, err := readFile(t, path, Options{Mem: mem, ReadDictionaries: dict})
		var re *ReadError
		if !errors.As(err, &re) || (dict && !strings.Contains(err.Error(), "dictionary index")) {
			t.Errorf("ReadDictionaries %v: err = %v, want a read error about a dictionary index", dict, err)
		}
	}
}

func TestImplausibleFootersAreRefusedBeforeTheyAllocate(t *testing.T) {
	tests := []struct {
		name  string
		patch func(t *testing.T, path string)
		opts  Options
		want  string
	}{
		{"a row group with a negative num_rows", func(t *testing.T, path string) {
			if _, err := corrupt.PatchInt(path, corrupt.RowGroupNumRows, -30); err != nil {
				t.Fatal(err)
			}
		}, Options{}, "num_rows is negative"},
		{"a file with a negative num_rows", func(t *testing.T, path string) {
			if _, err := corrupt.PatchInt(path, corrupt.FileNumRows, -1); err != nil {
				t.Fatal(err)
			}
		}, Options{}, "num_rows is negative"},
		{"a schema root claiming 2^31-1 children", func(t *testing.T, path string) {
			if _, err := corrupt.PatchInt(path, corrupt.SchemaRootFanout, 1<<31-1); err != nil {
				t.Fatal(err)
			}
		}, Options{}, "claims 2147483647 children"},
		{"more row groups than the limit", func(*testing.T, string) {}, Options{Limits: Limits{MaxRowGroups: 3}}, "--max-row-groups"},
		{"a footer larger than the limit", func(*testing.T, string) {}, Options{Limits: Limits{MaxFooterBytes: 64}}, "--max-footer-bytes"},
		{"a row group claiming more rows than its pages hold", func(t *testing.T, path string) {
			if _, err := corrupt.PatchInt(path, corrupt.RowGroupNumRows, 40); err != nil {
				t.Fatal(err)
			}
			if _, err := corrupt.PatchInt(path, corrupt.FileNumRows, 400); err != nil {
				t.Fatal(err)
			}
		}, Options{}, "rows"},
		{"a file whose num_rows is not the sum of its row groups'", func(t *testing.T, path string) {
			if _, err := corrupt.PatchInt(path, corrupt.FileNumRows, 1000); err != nil {
				t.Fatal(err)
			}
		}, Options{}, "row groups hold 300"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.parquet")
			writeCountries(t, path, 300, 30, nil)
			tc.patch(t, path)
			opts := tc.opts
			opts.Mem = checkedMem(t)
			rows, err := readFile(t, path, opts)
			t.Log(err)
			var re *ReadError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("read %d rows, err = %v; want a read error containing %q", rows, err, tc.want)
			}
		})
	}
}

func TestAStoredArrowSchemaThatDoesNotFitItsBytesIsIgnored(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	msg := flight.SerializeSchema(sc, memory.NewGoAllocator())
	for _, n := range []uint32{1 << 31, 1<<32 - 1, 5000} {
		val, err := corrupt.ArrowSchemaValue(msg, n)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "f.parquet")
		writeCountries(t, path, 10, 10, map[string]string{"ARROW:schema": val})
		var notes []string
		var rows int64
		_, err = ReadFile(context.Background(), path, Options{Mem: checkedMem(t)}, func(rd Reader) error {
			notes = notesOf(rd)
			if rd.Schema().NumFields() != 1 || rd.Schema().Field(0).Name != "country" {
				t.Errorf("schema %s, want the Parquet schema's one column country", rd.Schema())
			}
			return readAll(context.Background(), rd, func(b Batch) { rows += b.Record.NumRows() })
		})
		if err != nil || rows != 10 {
			t.Fatalf("fields vector of %d: read %d rows, err %v; want 10 rows read with the Parquet schema", n, rows, err)
		}
		if len(notes) != 1 || !strings.Contains(notes[0], "ARROW:schema") {
			t.Errorf("fields vector of %d: notes %q, want one saying the stored schema was ignored", n, notes)
		}
	}
}

func TestASoundStoredArrowSchemaIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.parquet")
	writeCountries(t, path, 10, 10, nil)
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte("ARROW:schema")) {
		t.Fatal("the writer stored no Arrow schema")
	}
	_, err := ReadFile(context.Background(), path, Options{}, func(rd Reader) error {
		if n := notesOf(rd); len(n) > 0 {
			t.Errorf("notes %q on a sound file", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
