package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BenchmarkJSON reads benchRows NDJSON records of the benchmark's order
// columns plus a nested object, every column selected and typed.
func BenchmarkJSON(b *testing.B) {
	path := filepath.Join(b.TempDir(), "orders.ndjson")
	var sb strings.Builder
	countries := []string{"NL", "BE", "DE", "FR", "GB", "US"}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchRows {
		at := base.Add(time.Duration(i) * 1_000_003 * time.Microsecond).Format(time.RFC3339Nano)
		fmt.Fprintf(&sb, `{"id":%d,"amount":%d.%02d,"score":%g,"country":"%s","at":"%s","customer":{"id":%d,"tier":"gold"}}`+"\n",
			i, (i%100000)*7/100, (i%100000)*7%100, float64(i%1000)/7, countries[i%len(countries)], at, i%5000)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	types := map[string]arrow.DataType{
		"id": arrow.PrimitiveTypes.Int64, "amount": &arrow.Decimal128Type{Precision: 12, Scale: 2},
		"score": arrow.PrimitiveTypes.Float64, "country": arrow.BinaryTypes.String,
		"at": &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
		"customer": arrow.StructOf(arrow.Field{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			arrow.Field{Name: "tier", Type: arrow.BinaryTypes.String, Nullable: true}),
	}
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for range b.N {
		r, err := Open(context.Background(), path, Options{Mem: memory.DefaultAllocator, JSON: JSONOptions{Types: types}})
		if err != nil {
			b.Fatal(err)
		}
		rows := int64(0)
		if err := readAll(context.Background(), r, func(bt Batch) {
			rows += bt.Record.NumRows()
			if len(bt.Invalid) > 0 {
				b.Fatalf("invalid cells: %+v", bt.Invalid[0])
			}
		}); err != nil {
			b.Fatal(err)
		}
		r.Close()
		if rows != benchRows {
			b.Fatalf("%d rows", rows)
		}
	}
}
