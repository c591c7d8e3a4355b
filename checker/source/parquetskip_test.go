package source

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// skipSchema has a column for each of the reader's decoders: pqarrow's
// (n, an int64; c, read as a dictionary; the struct addr and the list
// tags), the text decoder's (s) and the decimal decoder's (d).
var skipSchema = arrow.NewSchema([]arrow.Field{
	{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "d", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
	{Name: "c", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "addr", Type: arrow.StructOf(
		arrow.Field{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "zip", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	), Nullable: true},
	{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
}, nil)

const (
	skipGroups   = 5
	skipGroupLen = 100
)

// skipRecord is skipGroups*skipGroupLen rows whose values name their
// 1-based row, every seventh row null.
func skipRecord(t testing.TB, mem memory.Allocator) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, skipSchema)
	defer b.Release()
	for row := 1; row <= skipGroups*skipGroupLen; row++ {
		if row%7 == 0 {
			for i := range b.Fields() {
				b.Field(i).AppendNull()
			}
			continue
		}
		b.Field(0).(*array.Int64Builder).Append(int64(row))
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("s%d", row))
		b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(row)))
		b.Field(3).(*array.StringBuilder).Append(fmt.Sprintf("c%d", row%3))
		addr := b.Field(4).(*array.StructBuilder)
		addr.Append(true)
		addr.FieldBuilder(0).(*array.StringBuilder).Append(fmt.Sprintf("city%d", row%5))
		addr.FieldBuilder(1).(*array.Int32Builder).Append(int32(row))
		tags := b.Field(5).(*array.ListBuilder)
		tags.Append(true)
		for k := range row % 3 {
			tags.ValueBuilder().(*array.StringBuilder).Append(fmt.Sprintf("t%d", k))
		}
	}
	return b.NewRecordBatch()
}

// readRange is one ReadAt call.
type readRange struct{ off, n int64 }

// rangeInput records every range read from the file it wraps.
type rangeInput struct {
	Input
	mu    sync.Mutex
	reads []readRange
}

func (in *rangeInput) ReaderAt() io.ReaderAt { return in }

func (in *rangeInput) ReadAt(p []byte, off int64) (int, error) {
	in.mu.Lock()
	in.reads = append(in.reads, readRange{off, int64(len(p))})
	in.mu.Unlock()
	return in.Input.ReaderAt().ReadAt(p, off)
}

// chunkRanges are the bytes of a top-level column's chunks (one per leaf)
// in row group rg.
func chunkRanges(t *testing.T, path, column string, rg int) []readRange {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	md := pf.MetaData()
	var out []readRange
	for leaf := range md.Schema.NumColumns() {
		if md.Schema.Column(leaf).ColumnPath()[0] != column {
			continue
		}
		cc, err := md.RowGroup(rg).ColumnChunk(leaf)
		if err != nil {
			t.Fatal(err)
		}
		start := cc.DataPageOffset()
		if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && cc.DictionaryPageOffset() < start {
			start = cc.DictionaryPageOffset()
		}
		out = append(out, readRange{start, cc.TotalCompressedSize()})
	}
	if len(out) == 0 {
		t.Fatalf("no column %q", column)
	}
	return out
}

func TestParquetSkipsTheChunksItIsTold(t *testing.T) {
	mem := checkedMem(t)
	rec := skipRecord(t, mem)
	path := filepath.Join(t.TempDir(), "skip.parquet")
	writeParquetWith(t, path, rec, parquet.WithMaxRowGroupLength(skipGroupLen), parquet.WithDictionaryDefault(false),
		parquet.WithDictionaryFor("c", true))
	rec.Release()

	skip := map[string][]bool{
		"n":    {false, true, false, true, false},
		"s":    {true, false, false, false, false},
		"d":    {false, false, true, false, true},
		"c":    {false, false, false, false, true},
		"addr": {false, true, true, false, false},
	}
	full := cellsByRow(t, path, Options{Mem: mem, BatchSize: 32, ReadDictionaries: true})
	var in *rangeInput
	opts := Options{Mem: mem, BatchSize: 32, ReadDictionaries: true, Open: func(ctx context.Context, name string) (Input, error) {
		f, err := OpenFile(name)
		in = &rangeInput{Input: f}
		return in, err
	}}
	r, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Select([]string{"n", "s", "d", "c", "addr", "tags"}); err != nil {
		t.Fatal(err)
	}
	if _, err := SkipChunks(r, map[string][]bool{"x": make([]bool, skipGroups)}); err == nil || !strings.Contains(err.Error(), `"x", which is not selected`) {
		t.Errorf("skipping an unselected column: %v", err)
	}
	if _, err := SkipChunks(r, map[string][]bool{"n": {true}}); err == nil || !strings.Contains(err.Error(), "name 1 row groups, the file has 5") {
		t.Errorf("skipping with a short list: %v", err)
	}
	ok, err := SkipChunks(r, skip)
	if !ok || err != nil {
		t.Fatalf("SkipChunks = %v, %v", ok, err)
	}
	in.mu.Lock()
	in.reads = nil // the footer is read at open
	in.mu.Unlock()

	rows := int64(0)
	if err := readAll(context.Background(), r, func(b Batch) {
		rg := int((b.FirstRow - 1) / skipGroupLen)
		last := b.FirstRow + b.Record.NumRows() - 1
		if int((last-1)/skipGroupLen) != rg {
			t.Errorf("batch of rows %d-%d runs across row groups", b.FirstRow, last)
		}
		rows += b.Record.NumRows()
		for ci, f := range skipSchema.Fields() {
			want := skip[f.Name] != nil && skip[f.Name][rg]
			if got := b.Skipped[ci]; got != want {
				t.Errorf("rows %d-%d column %s: skipped %v, want %v", b.FirstRow, last, f.Name, got, want)
				continue
			}
			arr := b.Record.Column(ci)
			if want {
				if arr.DataType().ID() != arrow.NULL || arr.Len() != int(b.Record.NumRows()) {
					t.Errorf("rows %d-%d column %s skipped as %s of %d", b.FirstRow, last, f.Name, arr.DataType(), arr.Len())
				}
				continue
			}
			for i := range arr.Len() {
				row := b.FirstRow + int64(i)
				if got, want := cellText(arr, i), full[f.Name][row-1]; got != want {
					t.Errorf("row %d column %s = %s, want %s", row, f.Name, got, want)
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if rows != skipGroups*skipGroupLen {
		t.Errorf("%d rows, want %d", rows, skipGroups*skipGroupLen)
	}
	// Not one byte of a skipped chunk was read.
	for name, rgs := range skip {
		for rg, skipped := range rgs {
			if !skipped {
				continue
			}
			for _, ch := range chunkRanges(t, path, name, rg) {
				for _, rd := range in.reads {
					if rd.off < ch.off+ch.n && ch.off < rd.off+rd.n {
						t.Errorf("column %s row group %d (bytes %d-%d) was read: %d bytes at %d", name, rg, ch.off, ch.off+ch.n, rd.n, rd.off)
					}
				}
			}
		}
	}
}

// cellText is a cell as the skip test compares it.
func cellText(a arrow.Array, i int) string {
	if d, ok := a.(*array.Dictionary); ok {
		if d.IsNull(i) {
			return "null"
		}
		return d.Dictionary().ValueStr(d.GetValueIndex(i))
	}
	if a.IsNull(i) {
		return "null"
	}
	if d, ok := a.(*array.Decimal128); ok {
		return d.Value(i).ToString(2)
	}
	return a.ValueStr(i)
}

// cellsByRow reads every column of path without skips: what a skipping
// read must give for the chunks it decodes.
func cellsByRow(t *testing.T, path string, opts Options) map[string][]string {
	t.Helper()
	r, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := map[string][]string{}
	if err := readAll(context.Background(), r, func(b Batch) {
		for ci, f := range b.Record.Schema().Fields() {
			arr := b.Record.Column(ci)
			for i := range arr.Len() {
				out[f.Name] = append(out[f.Name], cellText(arr, i))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if got := out["n"][skipGroupLen+1]; got != fmt.Sprint(skipGroupLen+2) {
		t.Fatalf("a full read gives %s at row %d", got, skipGroupLen+2)
	}
	return out
}

func TestParquetSkipsChunksOnlyWhereItCanTell(t *testing.T) {
	mem := checkedMem(t)
	rec := skipRecord(t, mem)
	path := filepath.Join(t.TempDir(), "skip.parquet")
	writeParquet(t, path, rec, skipGroupLen)
	rec.Release()
	skip := map[string][]bool{"n": {true, true, true, true, true}}

	t.Run("not once reading started", func(t *testing.T) {
		r, err := Open(context.Background(), path, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		b, err := r.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b.Record.Release()
		if ok, err := SkipChunks(r, skip); ok || err == nil {
			t.Errorf("SkipChunks after Next = %v, %v; want an error", ok, err)
		}
	})
	t.Run("not under a row budget", func(t *testing.T) {
		r, err := Open(context.Background(), path, Options{Mem: mem, Budget: NewRowBudget(10)})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if ok, err := SkipChunks(r, skip); ok || err != nil {
			t.Errorf("SkipChunks under a budget = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("not in a CSV file", func(t *testing.T) {
		csv := writeFile(t, "t.csv", "n\n1\n")
		r, err := Open(context.Background(), csv, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if ok, err := SkipChunks(r, skip); ok || err != nil {
			t.Errorf("SkipChunks on CSV = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("every chunk of a column skipped reads nothing of it", func(t *testing.T) {
		r, err := Open(context.Background(), path, Options{Mem: mem, BatchSize: 64})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := r.Select([]string{"n"}); err != nil {
			t.Fatal(err)
		}
		if ok, err := SkipChunks(r, skip); !ok || err != nil {
			t.Fatalf("SkipChunks = %v, %v", ok, err)
		}
		var sizes []int64
		if err := readAll(context.Background(), r, func(b Batch) { sizes = append(sizes, b.Record.NumRows()) }); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(sizes); got != "[100 100 100 100 100]" {
			t.Errorf("batch sizes %s, want one per row group", got)
		}
	})
}

// FuzzParquetSkip reads arbitrary bytes as a Parquet file with the chunks
// mask names skipped (bit (column*row groups+row group) mod 64): no panic,
// and either an error or batches that hold every row the footer counts,
// each skipped column a null array of the batch's length.
func FuzzParquetSkip(f *testing.F) {
	mem := memory.NewGoAllocator()
	dir := f.TempDir()
	for i, write := range []func(path string){
		func(path string) {
			rec := skipRecord(f, mem)
			defer rec.Release()
			writeParquet(f, path, rec, skipGroupLen)
		},
		func(path string) {
			rec := allTypesRecord(f, mem)
			defer rec.Release()
			writeParquet(f, path, rec, 2)
		},
	} {
		path := filepath.Join(dir, fmt.Sprintf("seed%d.parquet", i))
		write(path)
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint64(0x5a5a_5a5a_5a5a_5a5a))
		f.Add(data, ^uint64(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, mask uint64) {
		_, _ = ReadInput(context.Background(), memInput{"f.parquet", data}, Options{BatchSize: 7, ReadDictionaries: true}, func(r Reader) error {
			var names []string
			for _, fl := range r.Schema().Fields() {
				names = append(names, fl.Name)
			}
			if err := r.Select(names); err != nil {
				return err
			}
			_, groups, _ := RowGroups(r)
			skip := map[string][]bool{}
			for ci, name := range names {
				skip[name] = make([]bool, len(groups))
				for rg := range groups {
					skip[name][rg] = mask>>((ci*len(groups)+rg)%64)&1 == 1
				}
			}
			if _, err := SkipChunks(r, skip); err != nil {
				return err
			}
			var rows int64
			err := readAll(context.Background(), r, func(b Batch) {
				rows += b.Record.NumRows()
				for ci, skipped := range b.Skipped {
					if a := b.Record.Column(ci); skipped && (a.DataType().ID() != arrow.NULL || int64(a.Len()) != b.Record.NumRows()) {
						t.Errorf("rows from %d: skipped column %d is %s of %d", b.FirstRow, ci, a.DataType(), a.Len())
					}
				}
			})
			if err == nil && rows != r.NumRows() {
				t.Errorf("read %d rows without an error, the footer says %d", rows, r.NumRows())
			}
			return err
		})
	})
}
