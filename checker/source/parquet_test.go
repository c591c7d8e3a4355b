package source

import (
	"context"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

var allTypesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "small", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "amount", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "country", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "addr", Type: arrow.StructOf(
		arrow.Field{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "zip", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	), Nullable: true},
	{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
}, nil)

const allTypesJSON = `[
{"id": 1, "small": 10, "score": 1.5, "amount": "12.34", "name": "ann", "country": "NL", "at": "2024-01-02T03:04:05.123456Z", "day": "2024-01-02", "ok": true, "addr": {"city": "Delft", "zip": 2611}, "tags": ["a", "b"]},
{"id": 2, "small": null, "score": null, "amount": null, "name": null, "country": null, "at": null, "day": null, "ok": null, "addr": null, "tags": null},
{"id": 3, "small": -7, "score": -0.25, "amount": "-0.01", "name": "", "country": "NL", "at": "1969-12-31T23:59:59.999999Z", "day": "1969-12-31", "ok": false, "addr": {"city": null, "zip": 1}, "tags": []},
{"id": 4, "small": 2147483647, "score": 1e300, "amount": "99999999.99", "name": "δ", "country": "BE", "at": "2262-04-11T23:47:16Z", "day": "9999-12-31", "ok": true, "addr": {"city": "Gent", "zip": null}, "tags": [null, "c"]},
{"id": 5, "small": 0, "score": 0, "amount": "0", "name": "e", "country": "DE", "at": "1900-01-01T00:00:00Z", "day": "1900-01-01", "ok": false, "addr": {"city": "Bonn", "zip": 53111}, "tags": ["d"]}
]`

// allTypesRecord is the record the generated Parquet test file holds.
func allTypesRecord(t testing.TB, mem memory.Allocator) arrow.RecordBatch {
	t.Helper()
	rec, _, err := array.RecordFromJSON(mem, allTypesSchema, strings.NewReader(allTypesJSON))
	if err != nil {
		t.Fatalf("build record: %v", err)
	}
	return rec
}

// writeParquet writes rec to path with the Arrow schema stored, in row
// groups of rowGroup rows, dictionary-encoding every column it can.
func writeParquet(t testing.TB, path string, rec arrow.RecordBatch, rowGroup int64) {
	t.Helper()
	writeParquetWith(t, path, rec, parquet.WithMaxRowGroupLength(rowGroup))
}

// writeParquetWith is writeParquet with more writer options.
func writeParquetWith(t testing.TB, path string, rec arrow.RecordBatch, opts ...parquet.WriterProperty) {
	t.Helper()
	pqtest.Write(t, path, pqtest.Options{Compression: compress.Codecs.Snappy, StoreSchema: true, Props: opts}, rec)
}

func TestParquetReadsWhatArrowWrote(t *testing.T) {
	tests := []struct {
		name      string
		selectCol []string // nil: no Select call
		batchSize int
		rowGroup  int64
	}{
		{name: "every column comes back in one batch", batchSize: 100, rowGroup: 100},
		{name: "every column comes back across batches and row groups", batchSize: 2, rowGroup: 3},
		{name: "a projection returns only the selected columns in select order", selectCol: []string{"tags", "id", "addr", "country"}, batchSize: 2, rowGroup: 2},
		{name: "a single selected column reads on its own", selectCol: []string{"amount"}, batchSize: 4, rowGroup: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedMem(t)
			want := allTypesRecord(t, mem)
			defer want.Release()
			path := filepath.Join(t.TempDir(), "all.parquet")
			writeParquet(t, path, want, tt.rowGroup)

			ctx := context.Background()
			r, err := Open(ctx, path, Options{Mem: mem, BatchSize: tt.batchSize})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Format() != Parquet {
				t.Errorf("Format() = %q", r.Format())
			}
			if got := r.NumRows(); got != 5 {
				t.Errorf("NumRows() = %d, want 5", got)
			}
			// Field metadata (PARQUET:field_id) is expected; compare the
			// names and types only.
			for i, f := range r.Schema().Fields() {
				w := allTypesSchema.Field(i)
				if f.Name != w.Name || !arrow.TypeEqual(f.Type, w.Type) {
					t.Errorf("field %d is %s %v, want %s %v", i, f.Name, f.Type, w.Name, w.Type)
				}
			}
			cols := tt.selectCol
			if cols != nil {
				if err := r.Select(cols); err != nil {
					t.Fatal(err)
				}
			} else {
				for _, f := range allTypesSchema.Fields() {
					cols = append(cols, f.Name)
				}
			}

			var rows int64
			err = readAll(ctx, r, func(b Batch) {
				if b.FirstRow != rows+1 {
					t.Errorf("FirstRow = %d, want %d", b.FirstRow, rows+1)
				}
				if n := b.Record.NumRows(); n > int64(tt.batchSize) {
					t.Errorf("batch of %d rows, want at most %d", n, tt.batchSize)
				}
				if int(b.Record.NumCols()) != len(cols) {
					t.Fatalf("batch has %d columns, want %d", b.Record.NumCols(), len(cols))
				}
				for i, name := range cols {
					if got := b.Record.ColumnName(i); got != name {
						t.Errorf("column %d is %q, want %q", i, got, name)
					}
					wi := allTypesSchema.FieldIndices(name)[0]
					exp := array.NewSlice(want.Column(wi), b.FirstRow-1, b.FirstRow-1+b.Record.NumRows())
					if !array.Equal(exp, b.Record.Column(i)) {
						t.Errorf("column %q rows %d+: got %v, want %v", name, b.FirstRow, b.Record.Column(i), exp)
					}
					exp.Release()
				}
				rows += b.Record.NumRows()
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows != 5 {
				t.Errorf("read %d rows, want 5", rows)
			}
		})
	}
}

func TestParquetSelect(t *testing.T) {
	tests := []struct {
		name    string
		columns []string
		wantErr string
	}{
		{name: "an unknown column is an error", columns: []string{"id", "nope"}, wantErr: `no column "nope"`},
		{name: "a column listed twice is an error", columns: []string{"id", "id"}, wantErr: "listed twice"},
		{name: "no columns gives row counts only", columns: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedMem(t)
			rec := allTypesRecord(t, mem)
			path := filepath.Join(t.TempDir(), "all.parquet")
			writeParquet(t, path, rec, 2)
			rec.Release()
			r, err := Open(context.Background(), path, Options{Mem: mem, BatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			err = r.Select(tt.columns)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Select(%q) = %v, want error containing %q", tt.columns, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var counts []int64
			if err := readAll(context.Background(), r, func(b Batch) {
				if b.Record.NumCols() != 0 {
					t.Errorf("batch has %d columns, want 0", b.Record.NumCols())
				}
				counts = append(counts, b.Record.NumRows())
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(counts, []int64{5}) {
				t.Errorf("batch sizes %v, want [5]: one batch of no columns", counts)
			}
		})
	}
}

func TestParquetOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notParquet := filepath.Join(dir, "text.parquet")
	if err := os.WriteFile(notParquet, []byte("id,name\n1,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		is   error
	}{
		{name: "a missing file is a read error that is fs.ErrNotExist", path: filepath.Join(dir, "missing.parquet"), is: fs.ErrNotExist},
		{name: "a text file is a read error", path: notParquet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), tt.path, Options{Mem: checkedMem(t)})
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("Open = %v, want a *ReadError", err)
			}
			if re.Path != tt.path {
				t.Errorf("ReadError.Path = %q, want %q", re.Path, tt.path)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Open = %v, want errors.Is %v", err, tt.is)
			}
		})
	}
}

// parquetTesting is the Apache corpus beside the repository (absent in a
// user's clone: the tests skip).
const parquetTesting = "../../../shared/external/parquet-testing"

// TestParquetTestingCorpus opens and reads every file of the Apache
// parquet-testing corpus: each must either read or fail with a ReadError.
func TestParquetTestingCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(parquetTesting, "*.parquet"))
	bad, _ := filepath.Glob(filepath.Join(parquetTesting, "bad_data", "*.parquet"))
	geo, _ := filepath.Glob(filepath.Join(parquetTesting, "*", "*.parquet"))
	if len(files) == 0 {
		testenv.Missing(t, "parquet-testing corpus not present in %s", parquetTesting)
	}
	for _, path := range slices.Compact(slices.Sorted(slices.Values(append(append(files, bad...), geo...)))) {
		t.Run(filepath.Base(path)+" reads or fails with a ReadError", func(t *testing.T) {
			mem := corpusMem(t)
			rows, err := readParquetFile(path, mem)
			if err != nil {
				var re *ReadError
				if !errors.As(err, &re) {
					t.Fatalf("error %v (%T) is not a *ReadError", err, err)
				}
				if re.Path != path {
					t.Errorf("ReadError names %q, want %q", re.Path, path)
				}
				t.Logf("fails cleanly: %v", err)
				return
			}
			t.Logf("%d rows", rows)
		})
	}

	known := []struct {
		file string
		rows int64
	}{
		{"alltypes_plain.parquet", 8},
		{"alltypes_plain.snappy.parquet", 2},
		{"alltypes_dictionary.parquet", 2},
		{"alltypes_tiny_pages.parquet", 7300},
		{"int96_from_spark.parquet", 6},
		{"nested_structs.rust.parquet", 1},
		{"nested_lists.snappy.parquet", 3},
		{"nested_maps.snappy.parquet", 6},
		{"nulls.snappy.parquet", 8},
		{"lz4_raw_compressed.parquet", 4},
		{"byte_stream_split.zstd.parquet", 300},
		{"delta_binary_packed.parquet", 200},
		{"datapage_v2.snappy.parquet", 5},
		{"concatenated_gzip_members.parquet", 513},
	}
	for _, k := range known {
		t.Run(k.file+" reads its "+strconv.FormatInt(k.rows, 10)+" rows", func(t *testing.T) {
			rows, err := readParquetFile(filepath.Join(parquetTesting, k.file), corpusMem(t))
			if err != nil {
				t.Fatal(err)
			}
			if rows != k.rows {
				t.Errorf("read %d rows, want %d", rows, k.rows)
			}
		})
	}

	for _, path := range bad {
		if filepath.Base(path) == "ARROW-GH-43605.parquet" {
			// Arrow tolerates a zero bit width for an all-zero dictionary
			// index page, as the C++ reader does; the data reads fine.
			continue
		}
		t.Run(filepath.Base(path)+" is a ReadError", func(t *testing.T) {
			_, err := readParquetFile(path, corpusMem(t))
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a *ReadError", err)
			}
		})
	}
}

// readParquetFile reads every column of path and counts the rows. It does
// not compare with NumRows: repeated_no_annotation.parquet states 0 rows in
// its footer and holds 6.
func readParquetFile(path string, mem memory.Allocator) (int64, error) {
	ctx := context.Background()
	r, err := Open(ctx, path, Options{Mem: mem, BatchSize: 1000})
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var rows int64
	err = readAll(ctx, r, func(b Batch) { rows += b.Record.NumRows() })
	return rows, err
}

func TestParquetInt96FromSpark(t *testing.T) {
	path := filepath.Join(parquetTesting, "int96_from_spark.parquet")
	if _, err := os.Stat(path); err != nil {
		testenv.Missing(t, "parquet-testing corpus not present in %s", parquetTesting)
	}
	mem := corpusMem(t)
	r, err := Open(context.Background(), path, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	typ := r.Schema().Field(0).Type
	if typ.ID() != arrow.TIMESTAMP || typ.(*arrow.TimestampType).Unit != arrow.Microsecond {
		t.Fatalf("INT96 column type %v, want timestamp[us]", typ)
	}
	var got []any
	if err := readAll(context.Background(), r, func(b Batch) {
		for i := range int(b.Record.NumRows()) {
			got = append(got, raw(b.Record.Column(0), i))
		}
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("read %d values, want 6", len(got))
	}
	// Spark wrote these from strings with explicit zones (int96_from_spark.md);
	// the first has none and depends on the writer's session zone. The
	// last lies outside what nanoseconds hold and must survive.
	us := func(y int, mo time.Month, d, h int) any { return time.Date(y, mo, d, h, 0, 0, 0, time.UTC).UnixMicro() }
	want := []any{got[0], us(2024, 1, 1, 1), us(9999, 12, 31, 3), us(2024, 12, 30, 23), nil, us(290000, 12, 30, 23)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %v, want %v", i+1, got[i], want[i])
		}
	}
}

// TestParquetDeltaMatchesExpected compares delta-encoded files with the
// values the corpus says they hold.
func TestParquetDeltaMatchesExpected(t *testing.T) {
	for _, name := range []string{"delta_binary_packed", "delta_encoding_required_column", "delta_encoding_optional_column", "delta_byte_array"} {
		t.Run(name+" decodes to its _expect.csv", func(t *testing.T) {
			pq := filepath.Join(parquetTesting, name+".parquet")
			want := readExpectCSV(t, filepath.Join(parquetTesting, name+"_expect.csv"))
			mem := corpusMem(t)
			r, err := Open(context.Background(), pq, Options{Mem: mem, BatchSize: 64})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got, w := r.Schema().NumFields(), len(want[0]); got != w {
				t.Fatalf("%d columns, expect file has %d", got, w)
			}
			row := 1
			if err := readAll(context.Background(), r, func(b Batch) {
				for i := range int(b.Record.NumRows()) {
					for c := range int(b.Record.NumCols()) {
						got := ""
						if v := raw(b.Record.Column(c), i); v != nil {
							got = fmt.Sprint(v)
						}
						if w := want[row][c]; got != w {
							t.Errorf("row %d column %s: got %q, want %q", row, want[0][c], got, w)
						}
					}
					row++
				}
			}); err != nil {
				t.Fatal(err)
			}
			if row != len(want) {
				t.Errorf("read %d rows, expect file has %d", row-1, len(want)-1)
			}
		})
	}
}

func readExpectCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		testenv.Missing(t, "parquet-testing corpus not present in %s", parquetTesting)
	}
	defer f.Close()
	out, err := stdcsv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
