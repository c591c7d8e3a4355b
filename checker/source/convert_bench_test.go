package source

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// instantTexts are the shapes fastInstant reads, plus one it leaves to
// parseInstant, in the mix a timestamp column of a real export has.
var instantTexts = [][]byte{
	[]byte("2024-03-01T12:34:56Z"),
	[]byte("2024-03-01T12:34:56.123456Z"),
	[]byte("2024-03-01 12:34:56.123+02:00"),
	[]byte("2024-03-01"),
	[]byte("2024-03-01T12:34:56.123456789-05:30"),
	[]byte("2024-03-01T12:34"),
}

func BenchmarkFastInstant(b *testing.B) {
	var dates dateCache
	var sum int64
	cpu := startCPU(b)
	for b.Loop() {
		for _, s := range instantTexts {
			sec, ns, _ := fastInstant(s, &dates)
			sum += sec + ns
		}
	}
	cpu.report()
	_ = sum
}

// cpuClock reports the process's CPU time per operation (cpuTime) besides
// the wall time: on a machine shared with other work the wall time of a
// nanosecond loop swings by half, its CPU time much less.
type cpuClock struct {
	b     *testing.B
	start int64
}

func startCPU(b *testing.B) cpuClock { return cpuClock{b: b, start: cpuTime()} }

func (c cpuClock) report() {
	c.b.ReportMetric(float64(cpuTime()-c.start)/float64(c.b.N), "cpu-ns/op")
}

// BenchmarkConverter runs the converter's bound parsers (the reference CSV
// reader, JSON and the fast reader's fallback) over one cell per type.
func BenchmarkConverter(b *testing.B) {
	cases := []struct {
		name string
		dt   arrow.DataType
		cell string
	}{
		{"int64", arrow.PrimitiveTypes.Int64, "123456789"},
		{"int16", arrow.PrimitiveTypes.Int16, " 1234"},
		{"uint32", arrow.PrimitiveTypes.Uint32, "4000000000"},
		{"float64", arrow.PrimitiveTypes.Float64, "12.5e3"},
		{"float32", arrow.PrimitiveTypes.Float32, "0.25"},
		{"bool", arrow.FixedWidthTypes.Boolean, "yes"},
		{"decimal128", &arrow.Decimal128Type{Precision: 12, Scale: 2}, "1234.56"},
		{"decimal256", &arrow.Decimal256Type{Precision: 50, Scale: 2}, "123456789012345678901234567890.12"},
		{"date32", arrow.FixedWidthTypes.Date32, "2024-03-01"},
		{"timestamp", &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, "2024-03-01T12:34:56.123456Z"},
		{"time64", arrow.FixedWidthTypes.Time64us, "12:34:56.5"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			bld := array.NewBuilder(memory.DefaultAllocator, c.dt)
			defer bld.Release()
			parse := newConverter(c.dt, "").bind(bld)
			n := 0
			cpu := startCPU(b)
			for b.Loop() {
				if !parse(c.cell) {
					b.Fatalf("%s: %q did not parse", c.name, c.cell)
				}
				if n++; n == 4096 {
					bld.NewArray().Release()
					n = 0
				}
			}
			cpu.report()
		})
	}
}
