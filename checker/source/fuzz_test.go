package source

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzCSV reads arbitrary bytes as a CSV file with typed columns: no
// panic, and either batches whose parts agree or an error.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2020-01-01T00:00:00Z,x\n",
		"a,b,c\n1,2\n",
		"\xef\xbb\xbfa,b\n\"1\n2\",3\n",
		"a,a,\nx,,1.5\r\n-9,\"\"\"\",\n",
		"",
		"a\n\"unterminated\n",
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, noHeader bool) {
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		types := map[string]arrow.DataType{
			"a": arrow.PrimitiveTypes.Int64, "col1": arrow.PrimitiveTypes.Int64,
			"b": &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, "col2": arrow.FixedWidthTypes.Date32,
			"c": &arrow.Decimal128Type{Precision: 9, Scale: 2},
		}
		r, err := Open(context.Background(), path, Options{Mem: mem, BatchSize: 3, CSV: CSVOptions{Types: types, NoHeader: noHeader}})
		if err != nil {
			return
		}
		defer r.Close()
		readConsistent(t, r, 3, func(b Batch, ce CellError) bool {
			return b.Record.Column(ce.Column).IsNull(int(ce.Row - b.FirstRow))
		})
	})
}

// FuzzParquet reads arbitrary bytes as a Parquet file, footer first as a
// check does, with dictionaries on and off: no panic, no "fatal error: out
// of memory" (a stored ARROW:schema or a footer count that arrow-go would
// size an allocation from; readFooter refuses them first), and either
// batches or an error.
func FuzzParquet(f *testing.F) {
	dir := f.TempDir()
	mem := memory.NewGoAllocator()
	rec := allTypesRecord(f, mem)
	seed := filepath.Join(dir, "seed.parquet")
	writeParquet(f, seed, rec, 2)
	rec.Release()
	data, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add(bytes.Repeat([]byte("PAR1"), 4))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dict := range []bool{false, true} {
			_, _ = ReadInput(context.Background(), memInput{"f.parquet", data}, Options{BatchSize: 2, ReadDictionaries: dict}, func(r Reader) error {
				return readAll(context.Background(), r, nil)
			})
		}
		if ft, err := readFooter(bytes.NewReader(data), int64(len(data)), Limits{}); err == nil && ft.md == nil {
			t.Error("readFooter gave no metadata and no error")
		}
	})
}

// memInput is an input held in memory: the fuzzers' Input.
type memInput struct {
	name string
	data []byte
}

func (m memInput) Name() string               { return m.name }
func (m memInput) Size() int64                { return int64(len(m.data)) }
func (m memInput) ReaderAt() io.ReaderAt      { return bytes.NewReader(m.data) }
func (m memInput) Stream() (io.Reader, error) { return bytes.NewReader(m.data), nil }
func (m memInput) Unchanged() error           { return nil }
func (m memInput) Close() error               { return nil }
