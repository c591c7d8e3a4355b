package source

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestFlatDecodersMatchPqarrow reads generated columns with the reader's
// own decoders for decimals and text and with pqarrow's, and wants the
// same arrays: every decimal width from 1 to 16 bytes with negative values
// and the extremes of its precision, text of every length including empty,
// nulls, row groups and pages that cut batches, and dictionary pages that
// fall back to plain ones.
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
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()

	path := filepath.Join(t.TempDir(), "flat.parquet")
	// Small pages and dictionaries: batches cross pages, and dictionary
	// pages fall back to plain ones within a row group.
	writeParquetWith(t, path, rec,
		parquet.WithMaxRowGroupLength(7_000),
		parquet.WithDictionaryPageSizeLimit(4<<10),
		parquet.WithDataPageSize(8<<10),
	)

	want := readWithPqarrow(t, path)
	defer want.Release()
	for _, batch := range []int{1, 999, 4096, rows} {
		cmem := checkedMem(t)
		r, err := Open(context.Background(), path, Options{Mem: cmem, BatchSize: batch})
		if err != nil {
			t.Fatal(err)
		}
		pr := r.(*owningReader).Reader.(*parquetReader)
		var rowsRead int64
		err = readAll(context.Background(), r, func(b Batch) {
			if rowsRead == 0 {
				for i := range fields {
					if _, own := pr.cols[i].(*pqColumn); own {
						t.Errorf("column %q is decoded by pqarrow, want the reader's own decoder", fields[i].Name)
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
