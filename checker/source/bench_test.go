package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

const benchRows = 1 << 20

var benchSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "amount", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
}, nil)

// benchRecord is benchRows rows of plausible order data.
func benchRecord(mem memory.Allocator) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, benchSchema)
	defer b.Release()
	countries := []string{"NL", "BE", "DE", "FR", "GB", "US"}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for i := range benchRows {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i%100000) * 7))
		b.Field(2).(*array.Float64Builder).Append(float64(i%1000) / 7)
		b.Field(3).(*array.StringBuilder).Append(countries[i%len(countries)])
		b.Field(4).(*array.TimestampBuilder).Append(arrow.Timestamp(base + int64(i)*1_000_003))
	}
	return b.NewRecordBatch()
}

func benchRead(b *testing.B, path string, opts Options) {
	benchReadWith(b, Open, path, opts)
}

func benchReadWith(b *testing.B, open func(context.Context, string, Options) (Reader, error), path string, opts Options) {
	ctx := context.Background()
	var rows int64
	start := cpuTime()
	for b.Loop() {
		r, err := open(ctx, path, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := readAll(ctx, r, func(bt Batch) {
			rows += bt.Record.NumRows()
			if len(bt.Invalid) > 0 {
				b.Fatalf("invalid cells: %v", bt.Invalid[0])
			}
		}); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	// CPU time of the whole process, every goroutine: steadier than wall
	// time on a machine shared with other work.
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkParquetRead(b *testing.B) {
	rec := benchRecord(memory.DefaultAllocator)
	path := filepath.Join(b.TempDir(), "bench.parquet")
	writeParquet(b, path, rec, 256*1024)
	rec.Release()
	benchRead(b, path, Options{})
}

func BenchmarkCSVRead(b *testing.B) {
	rec := benchRecord(memory.DefaultAllocator)
	defer rec.Release()
	path := filepath.Join(b.TempDir(), "bench.csv")
	quotedPath := filepath.Join(b.TempDir(), "quoted.csv")
	writeBenchCSV(b, path, rec, false)
	writeBenchCSV(b, quotedPath, rec, true)
	types := map[string]arrow.DataType{}
	for _, f := range benchSchema.Fields() {
		types[f.Name] = f.Type
	}
	opts := Options{CSV: CSVOptions{Types: types}}
	b.Run("fast", func(b *testing.B) { benchRead(b, path, opts) })
	b.Run("fast/one worker", func(b *testing.B) {
		benchReadWith(b, func(_ context.Context, path string, opts Options) (Reader, error) {
			return openCSVTuned(path, opts, fastTuning{workers: 1})
		}, path, opts)
	})
	b.Run("reference", func(b *testing.B) {
		benchReadWith(b, func(_ context.Context, path string, opts Options) (Reader, error) {
			return openCSVArrow(path, withDefaults(opts))
		}, path, opts)
	})
	b.Run("fast/quoted text/one worker", func(b *testing.B) {
		benchReadWith(b, func(_ context.Context, path string, opts Options) (Reader, error) {
			return openCSVTuned(path, opts, fastTuning{workers: 1})
		}, quotedPath, opts)
	})
}

// writeBenchCSV writes rec as CSV. quoted quotes the text and timestamp
// cells, one text cell in 64 holding an escaped quote and a delimiter, as
// spreadsheet exports do.
func writeBenchCSV(b *testing.B, path string, rec arrow.RecordBatch, quoted bool) {
	var sb strings.Builder
	sb.WriteString("id,amount,score,country,at\n")
	cols := rec.Columns()
	for i := range int(rec.NumRows()) {
		country := cols[3].ValueStr(i)
		at := cols[4].(*array.Timestamp).Value(i).ToTime(arrow.Microsecond).Format(time.RFC3339Nano)
		if quoted {
			if i%64 == 0 {
				country += `, the ""best""`
			}
			country, at = `"`+country+`"`, `"`+at+`"`
		}
		fmt.Fprintf(&sb, "%s,%s,%s,%s,%s\n", cols[0].ValueStr(i), cols[1].ValueStr(i), cols[2].ValueStr(i), country, at)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCSVReadEvents reads the shared benchmark's events.csv (see
// ../shared/bench; generate it and set DRIFTGATE_BENCH_CSV to its path)
// with the types its contract gives, with both CSV readers.
func BenchmarkCSVReadEvents(b *testing.B) {
	path := os.Getenv("DRIFTGATE_BENCH_CSV")
	if path == "" {
		b.Skip("DRIFTGATE_BENCH_CSV not set")
	}
	opts := Options{CSV: CSVOptions{Types: map[string]arrow.DataType{
		"id": arrow.PrimitiveTypes.Int64, "amount": arrow.PrimitiveTypes.Float64,
		"event_ts": &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, "active": arrow.FixedWidthTypes.Boolean,
		"qty": arrow.PrimitiveTypes.Int64, "price": &arrow.Decimal128Type{Precision: 12, Scale: 2}, "event_date": arrow.FixedWidthTypes.Date32,
	}}}
	b.Run("fast", func(b *testing.B) { benchRead(b, path, opts) })
	b.Run("fast/one worker", func(b *testing.B) {
		benchReadWith(b, func(_ context.Context, path string, opts Options) (Reader, error) {
			return openCSVTuned(path, opts, fastTuning{workers: 1})
		}, path, opts)
	})
	b.Run("reference", func(b *testing.B) {
		benchReadWith(b, func(_ context.Context, path string, opts Options) (Reader, error) {
			return openCSVArrow(path, withDefaults(opts))
		}, path, opts)
	})
}

// BenchmarkParquetReadEvents reads the text, decimal and numeric columns of the
// shared benchmark's events.parquet (see ../shared/bench; set
// DRIFTGATE_BENCH_PARQUET to its path) one at a time: the flat decoders'
// work on real pages, dictionary pages falling back to PLAIN ones.
func BenchmarkParquetReadEvents(b *testing.B) {
	path := os.Getenv("DRIFTGATE_BENCH_PARQUET")
	if path == "" {
		b.Skip("DRIFTGATE_BENCH_PARQUET not set")
	}
	for _, col := range []string{"user_id", "email", "price", "id", "amount", "event_ts", "qty", "event_date"} {
		b.Run(col, func(b *testing.B) {
			benchReadWith(b, func(ctx context.Context, path string, opts Options) (Reader, error) {
				r, err := Open(ctx, path, opts)
				if err == nil {
					err = r.Select([]string{col})
				}
				return r, err
			}, path, Options{})
		})
	}
}
