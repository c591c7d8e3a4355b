package source

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestFlatDecodersMatchPqarrow reads generated columns with the reader's
// own decoders for decimals and text and with pqarrow's, and wants the
// same arrays: every decimal width from 1 to 16 bytes with negative values
// and the extremes of its precision, text of every length including empty,
// nulls, row groups and pages that cut batches, and dictionary pages that
// fall back to plain ones; data pages v1 and v2, compressed or not.
func TestFlatDecodersMatchPqarrow(t *testing.T) {
	var fields []arrow.Field
	for _, p := range []int32{1, 2, 4, 7, 9, 12, 16, 18, 19, 21, 28, 30, 38} {
		fields = append(fields, arrow.Field{Name: "d" + strconv.Itoa(int(p)), Type: &arrow.Decimal128Type{Precision: p, Scale: p / 3}, Nullable: true})
	}
	fields = append(fields,
		arrow.Field{Name: "required_decimal", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}},
		arrow.Field{Name: "text", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "required_text", Type: arrow.BinaryTypes.String},
		arrow.Field{Name: "few_texts", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "bytes", Type: arrow.BinaryTypes.Binary, Nullable: true},
		arrow.Field{Name: "int32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "required_int64", Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: "few_int64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "uint32", Type: arrow.PrimitiveTypes.Uint32, Nullable: true},
		arrow.Field{Name: "uint64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
		arrow.Field{Name: "float32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		arrow.Field{Name: "float64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "date32", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		arrow.Field{Name: "time32_ms", Type: arrow.FixedWidthTypes.Time32ms, Nullable: true},
		arrow.Field{Name: "time64_us", Type: arrow.FixedWidthTypes.Time64us, Nullable: true},
		arrow.Field{Name: "time64_ns", Type: arrow.FixedWidthTypes.Time64ns, Nullable: true},
		arrow.Field{Name: "ts_ms", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		arrow.Field{Name: "ts_us", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
		arrow.Field{Name: "ts_ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "Europe/Amsterdam"}, Nullable: true},
		// Types Parquet has no word for, which arrow-go writes as
		// milliseconds and days and reads back so.
		arrow.Field{Name: "ts_s", Type: &arrow.TimestampType{Unit: arrow.Second}, Nullable: true},
		arrow.Field{Name: "time32_s", Type: arrow.FixedWidthTypes.Time32s, Nullable: true},
		arrow.Field{Name: "date64", Type: arrow.FixedWidthTypes.Date64, Nullable: true},
		// Values pqarrow narrows: left to it.
		arrow.Field{Name: "int8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		arrow.Field{Name: "int16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
		arrow.Field{Name: "uint8", Type: arrow.PrimitiveTypes.Uint8, Nullable: true},
	)
	sc := arrow.NewSchema(fields, nil)
	const rows = 20_000
	rng := rand.New(rand.NewPCG(1, 2))
	mem := memory.NewGoAllocator()
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	for i := 0; i < rows; i++ {
		for f, fl := range fields {
			if fl.Nullable && rng.IntN(7) == 0 {
				b.Field(f).AppendNull()
				continue
			}
			switch bl := b.Field(f).(type) {
			case *array.Decimal128Builder:
				bl.Append(randomDecimal(rng, fl.Type.(*arrow.Decimal128Type).Precision))
			case *array.StringBuilder:
				if fl.Name == "few_texts" {
					bl.Append([]string{"a", "bb", "", "ccc"}[rng.IntN(4)])
				} else {
					bl.Append(strings.Repeat("xyzδ", rng.IntN(12)) + strconv.Itoa(rng.IntN(1000)))
				}
			case *array.BinaryBuilder:
				v := make([]byte, rng.IntN(40))
				for k := range v {
					v[k] = byte(rng.IntN(256))
				}
				bl.Append(v)
			default:
				// Any bits: extremes, zero, negative and positive values;
				// dates as days, times within a day, date64 as whole days.
				v := rng.Int64()
				switch rng.IntN(6) {
				case 0:
					v = 0
				case 1:
					v = -1
				case 2:
					v = int64(rng.IntN(20)) // repeats: dictionary pages
				}
				if fl.Name == "few_int64" {
					v = int64(rng.IntN(5))
				}
				appendBits(bl, v)
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()

	variants := []struct {
		name string
		opts []parquet.WriterProperty
		pq   string // a column pqarrow decodes for this variant
	}{
		{"data pages v1, snappy", nil, ""},
		{"data pages v2, uncompressed", []parquet.WriterProperty{parquet.WithDataPageVersion(parquet.DataPageV2),
			parquet.WithCompression(compress.Codecs.Uncompressed)}, ""},
		{"data pages v2, snappy", []parquet.WriterProperty{parquet.WithDataPageVersion(parquet.DataPageV2)}, ""},
		{"no dictionary", []parquet.WriterProperty{parquet.WithDictionaryDefault(false)}, ""},
		{"text and int64 delta encoded, left to pqarrow", []parquet.WriterProperty{
			parquet.WithDictionaryFor("text", false), parquet.WithEncodingFor("text", parquet.Encodings.DeltaLengthByteArray),
			parquet.WithDictionaryFor("required_int64", false), parquet.WithEncodingFor("required_int64", parquet.Encodings.DeltaBinaryPacked)},
			"text required_int64"},
		{"floats split", []parquet.WriterProperty{parquet.WithDictionaryFor("float64", false),
			parquet.WithEncodingFor("float64", parquet.Encodings.ByteStreamSplit)}, "float64"},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "flat.parquet")
			// Small pages and dictionaries: batches cross pages, and
			// dictionary pages fall back to plain ones within a row group.
			writeParquetWith(t, path, rec, append([]parquet.WriterProperty{
				parquet.WithMaxRowGroupLength(7_000),
				parquet.WithDictionaryPageSizeLimit(4 << 10),
				parquet.WithDataPageSize(8 << 10),
			}, v.opts...)...)
			compareWithPqarrow(t, path, fields, rows, v.pq)
		})
	}
}

// compareWithPqarrow reads path in batches of several sizes and wants
// what pqarrow reads; pqarrow must decode the columns that pq names and the
// ones whose values it narrows (int8, int16, uint8), the reader's own
// decoders the others.
func compareWithPqarrow(t *testing.T, path string, fields []arrow.Field, rows int64, pq string) {
	byPqarrow := map[string]bool{"int8": true, "int16": true, "uint8": true}
	for _, name := range strings.Fields(pq) {
		byPqarrow[name] = true
	}
	want := readWithPqarrow(t, path)
	defer want.Release()
	for _, batch := range []int{1, 999, 4096, int(rows)} {
		// arrow-go's DELTA decoders (v18.8.0) do not hand their block
		// buffers back to the allocator: a file that pqarrow partly
		// decodes is read with an unchecked one.
		var mem memory.Allocator = memory.NewGoAllocator()
		if !strings.Contains(pq, "required_int64") && !strings.Contains(pq, "text") {
			mem = checkedMem(t)
		}
		r, err := Open(context.Background(), path, Options{Mem: mem, BatchSize: batch})
		if err != nil {
			t.Fatal(err)
		}
		pr := r.(*owningReader).Reader.(*parquetReader)
		var rowsRead int64
		err = readAll(context.Background(), r, func(b Batch) {
			if rowsRead == 0 {
				for i := range fields {
					if _, byPq := pr.cols[i].(*pqColumn); byPq != byPqarrow[fields[i].Name] {
						t.Errorf("column %q: decoded by pqarrow %v, want %v", fields[i].Name, byPq, !byPq)
					}
				}
			}
			for i := range fields {
				exp := array.NewSlice(want.Column(i), rowsRead, rowsRead+b.Record.NumRows())
				if !array.Equal(exp, b.Record.Column(i)) {
					t.Fatalf("batch size %d, column %q rows %d+: decoded differently from pqarrow", batch, fields[i].Name, rowsRead+1)
				}
				exp.Release()
			}
			rowsRead += b.Record.NumRows()
		})
		if err != nil {
			t.Fatal(err)
		}
		if rowsRead != rows {
			t.Errorf("batch size %d: read %d rows, want %d", batch, rowsRead, rows)
		}
		r.Close()
	}
}

// appendBits appends v, cut to what the builder's type holds.
func appendBits(bl array.Builder, v int64) {
	const day = 86_400
	switch bl := bl.(type) {
	case *array.Int8Builder:
		bl.Append(int8(v))
	case *array.Int16Builder:
		bl.Append(int16(v))
	case *array.Int32Builder:
		bl.Append(int32(v))
	case *array.Int64Builder:
		bl.Append(v)
	case *array.Uint8Builder:
		bl.Append(uint8(v))
	case *array.Uint32Builder:
		bl.Append(uint32(v))
	case *array.Uint64Builder:
		bl.Append(uint64(v))
	case *array.Float32Builder:
		bl.Append(float32(notNaN(float64(math.Float32frombits(uint32(v))))))
	case *array.Float64Builder:
		bl.Append(notNaN(math.Float64frombits(uint64(v))))
	case *array.Date32Builder:
		bl.Append(arrow.Date32(v % 3_000_000))
	case *array.Date64Builder:
		bl.Append(arrow.Date64(v % 3_000_000 * day * 1000))
	case *array.Time32Builder:
		bl.Append(arrow.Time32(uint64(v) % (day * 1000)))
	case *array.Time64Builder:
		unit := bl.Type().(*arrow.Time64Type).Unit
		bl.Append(arrow.Time64(uint64(v) % uint64(day*int64(time.Second)/int64(unit.Multiplier()))))
	case *array.TimestampBuilder:
		if bl.Type().(*arrow.TimestampType).Unit == arrow.Second {
			v /= 1_000_000 // stored as milliseconds, the range must fit
		}
		bl.Append(arrow.Timestamp(v))
	default:
		panic(fmt.Sprintf("no value for %T", bl))
	}
}

// notNaN is f, or 1 for a NaN, which array.Equal never finds equal.
func notNaN(f float64) float64 {
	if math.IsNaN(f) {
		return 1
	}
	return f
}

// randomDecimal is a decimal of the given precision: often an extreme of
// the precision (±(10^p - 1)), else random digits, half of them negative.
func randomDecimal(rng *rand.Rand, precision int32) decimal128.Num {
	max := decimal128.GetMaxValue(precision)
	switch rng.IntN(8) {
	case 0:
		return max
	case 1:
		return max.Negate()
	case 2:
		return decimal128.Num{}
	}
	v := decimal128.New(rng.Int64(), rng.Uint64())
	if v.Sign() < 0 {
		v = v.Negate()
	}
	_, v = v.Div(max.Add(decimal128.FromI64(1))) // v mod 10^p
	if rng.IntN(2) == 0 {
		v = v.Negate()
	}
	return v
}

// readWithPqarrow reads the file whole with pqarrow alone.
func readWithPqarrow(t *testing.T, path string) arrow.RecordBatch {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 20}, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, tbl.NumRows())
	defer tr.Release()
	if !tr.Next() {
		t.Fatal("pqarrow read no rows")
	}
	rec := tr.RecordBatch()
	rec.Retain()
	return rec
}

// TestFlatDecodersRefuseCorruptPages feeds the flat decoders the pages of
// a small file's text, decimal and integer chunks (dictionary pages,
// dictionary-encoded and PLAIN data pages, definition levels; data pages v1
// and v2) with each byte of one page changed, and with each page's value
// count, encoding and level lengths changed: every read gives rows or an
// error, and never panics. (arrow-go's page reader, which parses the page
// headers, is not under test: it has panics of its own, which the reader
// catches and reports as a ReadError.)
func TestFlatDecodersRefuseCorruptPages(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "text", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "price", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
		{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	mem := memory.NewGoAllocator()
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	const rows = 96
	for i := range rows {
		if i%9 == 4 {
			for f := range sc.NumFields() {
				b.Field(f).AppendNull()
			}
			continue
		}
		b.Field(0).(*array.StringBuilder).Append("v" + strconv.Itoa(i%40))
		b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i%50) * 1001))
		b.Field(2).(*array.Int64Builder).Append(int64(i%30) * 70001)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	for _, version := range []parquet.DataPageVersion{parquet.DataPageV1, parquet.DataPageV2} {
		path := filepath.Join(t.TempDir(), "small.parquet")
		writeParquetWith(t, path, rec, parquet.WithCompression(compress.Codecs.Uncompressed),
			parquet.WithDataPageVersion(version), parquet.WithDictionaryPageSizeLimit(64),
			parquet.WithDataPageSize(1), parquet.WithMaxRowGroupLength(48), parquet.WithBatchSize(8))
		pf, err := file.OpenParquetFile(path, false)
		if err != nil {
			t.Fatal(err)
		}
		defer pf.Close()
		for col := range sc.NumFields() {
			chunk := chunkPages(t, pf, 0, col)
			kinds := map[string]bool{}
			for _, p := range chunk {
				kinds[fmt.Sprintf("%T %s", p.page(p.data), parquet.Encoding(p.page(p.data).Encoding()))] = true
			}
			if len(kinds) < 3 {
				t.Fatalf("%v column %d: pages %v, want a dictionary page, dictionary-encoded and PLAIN data pages", version, col, kinds)
			}
			decode := func(pages []file.Page) (n int, err error) {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%v column %d: panic %v", version, col, p)
					}
				}()
				leaf := flatLeaf{leafChunks: leafChunks{pf: pf, rg: pf.NumRowGroups()}, mem: mem, maxDef: 1, pages: &pageList{pages: pages}}
				var d columnDecoder = &textColumn{flatLeaf: leaf, typ: arrow.BinaryTypes.String}
				switch col {
				case 1:
					d = &decimalColumn{flatLeaf: leaf, typ: sc.Field(1).Type.(*arrow.Decimal128Type), width: 6}
				case 2:
					d = &fixedColumn[int64]{flatLeaf: leaf, typ: sc.Field(2).Type}
				}
				defer d.release()
				for {
					a, err := d.next(20)
					if err != nil || a == nil || a.Len() == 0 {
						if a != nil {
							a.Release()
						}
						return n, err
					}
					n += a.Len()
					a.Release()
				}
			}
			if n, err := decode(pagesOf(chunk, -1, nil)); err != nil || n != 48 {
				t.Fatalf("%v column %d: %d rows, %v; want the chunk's 48 rows", version, col, n, err)
			}
			failed := 0
			for i, p := range chunk {
				for at := range p.data {
					for _, v := range []byte{p.data[at] ^ 0x01, p.data[at] ^ 0x80, 0xff, 0} {
						bad := bytes.Clone(p.data)
						bad[at] = v
						if _, err := decode(pagesOf(chunk, i, bad)); err != nil {
							failed++
						}
					}
				}
				for _, alt := range p.variants() {
					if _, err := decode(pagesOf(chunk, i, nil, alt)); err != nil {
						failed++
					}
				}
			}
			if failed == 0 {
				t.Errorf("%v column %d: no corrupted page failed to read", version, col)
			}
		}
	}
}

// storedPage is one page of a chunk as the page reader gave it, to be
// given again, changed or not.
type storedPage struct {
	data []byte
	page func(data []byte) file.Page
}

// variants are the page with its header's counts and encodings changed.
func (p storedPage) variants() []file.Page {
	src := p.page(p.data)
	n := src.NumValues()
	buf := memory.NewBufferBytes(p.data)
	var out []file.Page
	encs := []parquet.Encoding{parquet.Encodings.Plain, parquet.Encodings.RLEDict, parquet.Encodings.DeltaByteArray}
	switch q := src.(type) {
	case *file.DictionaryPage:
		for _, m := range []int32{0, n - 1, n + 1, 2 * n, 1 << 30} {
			out = append(out, file.NewDictionaryPage(buf, m, parquet.Encodings.Plain))
		}
		out = append(out, file.NewDictionaryPage(buf, n, parquet.Encodings.RLE))
	case *file.DataPageV1:
		for _, m := range []int32{0, n - 1, n + 1, 2 * n, 1 << 30} {
			out = append(out, file.NewDataPageV1(buf, m, parquet.Encoding(q.Encoding()), q.DefinitionLevelEncoding(), q.RepetitionLevelEncoding(), q.UncompressedSize()))
		}
		for _, e := range encs {
			out = append(out, file.NewDataPageV1(buf, n, e, q.DefinitionLevelEncoding(), q.RepetitionLevelEncoding(), q.UncompressedSize()))
		}
		out = append(out, file.NewDataPageV1(buf, n, parquet.Encoding(q.Encoding()), parquet.Encodings.BitPacked, q.RepetitionLevelEncoding(), q.UncompressedSize()))
	case *file.DataPageV2:
		for _, m := range []int32{0, n - 1, n + 1, 2 * n, 1 << 30} {
			out = append(out, file.NewDataPageV2(buf, m, q.NumNulls(), m, parquet.Encoding(q.Encoding()), q.DefinitionLevelByteLen(), q.RepetitionLevelByteLen(), q.UncompressedSize(), false))
		}
		for _, e := range encs {
			out = append(out, file.NewDataPageV2(buf, n, q.NumNulls(), n, e, q.DefinitionLevelByteLen(), q.RepetitionLevelByteLen(), q.UncompressedSize(), false))
		}
		for _, l := range [][2]int32{{q.DefinitionLevelByteLen() + 1, 0}, {0, 0}, {q.DefinitionLevelByteLen(), 1}, {1 << 30, 0}, {0, 1 << 30}} {
			out = append(out, file.NewDataPageV2(buf, n, q.NumNulls(), n, parquet.Encoding(q.Encoding()), l[0], l[1], q.UncompressedSize(), false))
		}
	}
	return out
}

// chunkPages reads the pages of one column chunk, uncompressed.
func chunkPages(t *testing.T, pf *file.Reader, rg, col int) []storedPage {
	t.Helper()
	pr, err := pf.RowGroup(rg).GetColumnPageReader(col)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	var out []storedPage
	for pr.Next() {
		data := bytes.Clone(pr.Page().Data())
		var page func([]byte) file.Page
		switch q := pr.Page().(type) {
		case *file.DictionaryPage:
			n, enc := q.NumValues(), parquet.Encoding(q.Encoding())
			page = func(d []byte) file.Page { return file.NewDictionaryPage(memory.NewBufferBytes(d), n, enc) }
		case *file.DataPageV1:
			n, enc, def, rep, size := q.NumValues(), parquet.Encoding(q.Encoding()), q.DefinitionLevelEncoding(), q.RepetitionLevelEncoding(), q.UncompressedSize()
			page = func(d []byte) file.Page { return file.NewDataPageV1(memory.NewBufferBytes(d), n, enc, def, rep, size) }
		case *file.DataPageV2:
			n, nulls, nrows, enc, def, rep, size := q.NumValues(), q.NumNulls(), q.NumRows(), parquet.Encoding(q.Encoding()), q.DefinitionLevelByteLen(), q.RepetitionLevelByteLen(), q.UncompressedSize()
			page = func(d []byte) file.Page {
				return file.NewDataPageV2(memory.NewBufferBytes(d), n, nulls, nrows, enc, def, rep, size, false)
			}
		default:
			t.Fatalf("page of type %T", q)
		}
		out = append(out, storedPage{data: data, page: page})
	}
	if err := pr.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pagesOf is a chunk's pages with page i's bytes replaced by data, or the
// page replaced by alt[0].
func pagesOf(chunk []storedPage, i int, data []byte, alt ...file.Page) []file.Page {
	out := make([]file.Page, len(chunk))
	for k, p := range chunk {
		switch {
		case k == i && len(alt) > 0:
			out[k] = alt[0]
		case k == i:
			out[k] = p.page(data)
		default:
			out[k] = p.page(p.data)
		}
	}
	return out
}

// pageList is a page reader that gives the pages it holds.
type pageList struct {
	file.PageReader // the methods a decoder does not call
	pages           []file.Page
	i               int
}

func (l *pageList) Next() bool {
	l.i++
	return l.i <= len(l.pages)
}

func (l *pageList) Page() file.Page { return l.pages[l.i-1] }
func (l *pageList) Err() error      { return nil }
func (l *pageList) Close() error    { return nil }
