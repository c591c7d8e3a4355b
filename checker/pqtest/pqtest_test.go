package pqtest

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// layout is what a test can see of a written file's footer.
type layout struct {
	rowGroups   int
	dictionary  bool // the first column chunk is dictionary-encoded
	codec       compress.Compression
	statistics  bool
	arrowSchema bool
	kv          map[string]string
	createdBy   string
}

func footer(t *testing.T, data []byte) layout {
	t.Helper()
	r, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	defer r.Close()
	md := r.MetaData()
	chunk, err := md.RowGroup(0).ColumnChunk(0)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := chunk.StatsSet()
	if err != nil {
		t.Fatal(err)
	}
	l := layout{rowGroups: md.NumRowGroups(), dictionary: slices.Contains(chunk.Encodings(), parquet.Encodings.RLEDict), codec: chunk.Compression(),
		statistics: stats, kv: map[string]string{}, createdBy: md.GetCreatedBy()}
	kv := md.KeyValueMetadata()
	for i, k := range kv.Keys() {
		if k == "ARROW:schema" {
			l.arrowSchema = true
			continue
		}
		l.kv[k] = kv.Values()[i]
	}
	return l
}

func TestWriteLaysOutTheFileAsTheOptionsSay(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// Enough rows of few values that arrow-go keeps the dictionary (it
	// drops one that saves nothing on the first page).
	b := array.NewStringBuilder(mem)
	for i := range 1000 {
		if i%7 == 0 {
			b.AppendNull()
		} else {
			b.Append([]string{"NL", "BE", "DE"}[i%3])
		}
	}
	arr := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(sc, []arrow.Array{arr}, 1000)
	arr.Release()
	defer rec.Release()
	defaults := layout{rowGroups: 1, dictionary: true, codec: compress.Codecs.Uncompressed, statistics: true, kv: map[string]string{}}
	tests := []struct {
		name string
		opts Options
		recs int // batches written, each rec
		want func(l *layout)
	}{
		{name: "the zero options are arrow-go's defaults", recs: 1, want: func(*layout) {}},
		{name: "a row group holds at most RowGroup rows", opts: Options{RowGroup: 400}, recs: 1, want: func(l *layout) { l.rowGroups = 3 }},
		{name: "each batch starts a row group", recs: 2, want: func(l *layout) { l.rowGroups = 2 }},
		{name: "NoDictionary writes plain pages", opts: Options{NoDictionary: true}, recs: 1, want: func(l *layout) { l.dictionary = false }},
		{name: "Compression compresses", opts: Options{Compression: compress.Codecs.Snappy}, recs: 1, want: func(l *layout) { l.codec = compress.Codecs.Snappy }},
		{name: "NoStatistics leaves statistics out", opts: Options{NoStatistics: true}, recs: 1, want: func(l *layout) { l.statistics = false }},
		{name: "StoreSchema stores the Arrow schema", opts: Options{StoreSchema: true}, recs: 1, want: func(l *layout) { l.arrowSchema = true }},
		{name: "Metadata goes to the footer", opts: Options{Metadata: map[string]string{"b": "2", "a": "1"}}, recs: 1, want: func(l *layout) { l.kv = map[string]string{"a": "1", "b": "2"} }},
		{name: "CreatedBy names the writer", opts: Options{CreatedBy: "someone 1.0"}, recs: 1, want: func(l *layout) { l.createdBy = "someone 1.0" }},
		{name: "Props apply last", opts: Options{Props: []parquet.WriterProperty{parquet.WithDictionaryDefault(false)}}, recs: 1, want: func(l *layout) { l.dictionary = false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Mem = mem
			data := Bytes(t, tt.opts, slices.Repeat([]arrow.RecordBatch{rec}, tt.recs)...)
			got := footer(t, data)
			want := defaults
			want.createdBy = got.createdBy
			tt.want(&want)
			if tt.opts.CreatedBy == "" && !strings.Contains(got.createdBy, "parquet-go") {
				t.Errorf("created by %q, want arrow-go's own name", got.createdBy)
			}
			if got.rowGroups != want.rowGroups || got.dictionary != want.dictionary || got.codec != want.codec ||
				got.statistics != want.statistics || got.arrowSchema != want.arrowSchema || got.createdBy != want.createdBy ||
				len(got.kv) != len(want.kv) {
				t.Errorf("footer %+v, want %+v", got, want)
			}
			for k, v := range want.kv {
				if got.kv[k] != v {
					t.Errorf("footer metadata %q = %q, want %q", k, got.kv[k], v)
				}
			}
		})
	}
}

func TestWriteWritesTheFileAndFailsOnABatchOfAnotherSchema(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), sc, strings.NewReader(`[{"n": 1}, {"n": 2}]`))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "n.parquet")
	Write(t, path, Options{}, rec)
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := r.NumRows(); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	other := arrow.NewSchema([]arrow.Field{{Name: "m", Type: arrow.PrimitiveTypes.Int64}}, nil)
	if err := (Options{Schema: other}).encode(&bytes.Buffer{}, []arrow.RecordBatch{rec}); err == nil || !strings.Contains(err.Error(), "write record batch 0") {
		t.Errorf("a batch of another schema: error %v, want one naming batch 0", err)
	}
	if err := (Options{}).encode(&bytes.Buffer{}, nil); err == nil {
		t.Error("no schema and no batch: no error")
	}
}
