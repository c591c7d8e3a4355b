package profile

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var update = flag.Bool("update", false, "rewrite the golden profile in testdata")

// footprintSchema holds a column for each regime a sketch goes through:
// distinct counts that keep a HyperLogLog sparse with values left in its
// buffer (40, 900), that turn it dense (3000, every row), frequent values
// that fit the summary (12) and that overflow it by far (every row), shapes
// of ASCII and non-ASCII text, numbers with an exact table and without,
// nulls, missing values and a private column.
var footprintSchema = arrow.NewSchema([]arrow.Field{
	{Name: "category", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "code", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "few", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "some", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "many", Type: arrow.PrimitiveTypes.Int64},
	{Name: "price", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "secret", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

var footprintSpecs = map[string]ColumnSpec{
	"category": {Missing: []any{"n/a"}},
	"some":     {Missing: []any{int64(-1)}},
	"secret":   {Private: true},
}

// footprintRecord is rows [offset, offset+n) of the footprint data set.
func footprintRecord(t testing.TB, mem memory.Allocator, offset, n int) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, footprintSchema)
	defer b.Release()
	cats := []string{"books", "toys", "garden", "auto", "music", "pets", "tools", "office", "beauty", "sports", "grocery", "n/a"}
	notes := []string{"Zürich Hbf", "São Paulo", "東京 3-1", "ok", "Straße 12", "N° 7", "  spaced  out ", "ÉLAN-99"}
	for i := offset; i < offset+n; i++ {
		r := rand.New(rand.NewPCG(11, uint64(i)))
		str := func(col int, s string, null bool) {
			if null {
				b.Field(col).AppendNull()
			} else {
				b.Field(col).(*array.StringBuilder).Append(s)
			}
		}
		str(0, cats[r.IntN(len(cats))], i%97 == 0)
		str(1, "city-"+strconv.Itoa(r.IntN(900)), false)
		str(2, fmt.Sprintf("C%05d", r.IntN(3000)), i%50 == 0)
		str(3, "user"+strconv.Itoa(i)+"@example.com", i%100 == 0)
		str(4, notes[r.IntN(len(notes))]+strconv.Itoa(r.IntN(40)), false)
		if i%13 == 0 {
			b.Field(5).AppendNull()
		} else {
			b.Field(5).(*array.Int64Builder).Append(int64(r.IntN(30)))
		}
		if i%29 == 0 {
			b.Field(6).(*array.Int64Builder).Append(-1)
		} else {
			b.Field(6).(*array.Int64Builder).Append(int64(r.IntN(500)))
		}
		b.Field(7).(*array.Int64Builder).Append(int64(i) * 7919)
		if i%31 == 0 {
			b.Field(8).AppendNull()
		} else {
			b.Field(8).(*array.Float64Builder).Append(float64(r.IntN(1_000_000)) / 100)
		}
		str(9, "tok-"+strconv.Itoa(r.IntN(5000)), i%7 == 0)
	}
	return b.NewRecordBatch()
}

// footprintProfile profiles rows of the footprint data set in batches of
// batch rows.
func footprintProfile(t testing.TB, rows, batch int) []byte {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	if tt, ok := t.(*testing.T); ok {
		defer mem.AssertSize(tt, 0)
	}
	bl := NewBuilder(footprintSpecs)
	for off := 0; off < rows; off += batch {
		rec := footprintRecord(t, mem, off, min(batch, rows-off))
		err := bl.Observe(rec, nil)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	cols, err := bl.Columns()
	if err != nil {
		t.Fatal(err)
	}
	p := &Profile{ProfileVersion: Version, Batches: 1, Rows: bl.Rows(), Columns: cols, Sources: []Source{}}
	out, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestProfileFileIsByteForByteWhatItWas: the profile's state was made
// smaller and cheaper to update (distinct counts, frequent values, shapes,
// sums), and the file it writes must not change by a byte: baselines and
// histories hold these files, and a drift check compares them. The golden
// file was written by the code before that change (-update rewrites it).
func TestProfileFileIsByteForByteWhatItWas(t *testing.T) {
	golden := filepath.Join("testdata", "footprint.profile.json")
	for _, batch := range []int{100_000, 4096, 777} {
		t.Run(fmt.Sprintf("in batches of %d rows", batch), func(t *testing.T) {
			got := footprintProfile(t, 100_000, batch)
			if *update && batch == 100_000 {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the profile differs from %s (%d bytes, want %d); first difference at byte %d", golden, len(got), len(want), firstDiff(got, want))
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// BenchmarkBuilderStream profiles 512Ki rows of the footprint data set in
// 64Ki-row batches, as the profile tap of check --history does: every
// regime of the sketches, state kept across batches.
func BenchmarkBuilderStream(b *testing.B) {
	const rows, batch = 512 << 10, 64 << 10
	mem := memory.NewGoAllocator()
	var recs []arrow.RecordBatch
	for off := 0; off < rows; off += batch {
		recs = append(recs, footprintRecord(b, mem, off, batch))
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	b.ReportAllocs()
	for b.Loop() {
		bl := NewBuilder(footprintSpecs)
		for _, rec := range recs {
			if err := bl.Observe(rec, nil); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := bl.Columns(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestExactSumIsTheExactSum adds values of every magnitude (subnormal,
// ordinary, cancelling, near and past the accumulator's 2^960, squares) and
// wants the exact sum big.Float makes of them, read midway and at the end.
func TestExactSumIsTheExactSum(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	gens := map[string]func() float64{
		"ordinary":  func() float64 { return (r.Float64() - 0.3) * 1e6 },
		"cents":     func() float64 { return float64(r.IntN(10_000_000)) / 100 },
		"subnormal": func() float64 { return (r.Float64() - 0.5) * 0x1p-1060 },
		"every exponent": func() float64 {
			return math.Ldexp(r.Float64()-0.5, r.IntN(2000)-1070)
		},
		"cancelling": func() float64 {
			x := math.Ldexp(1+r.Float64(), r.IntN(200)-100)
			if r.IntN(2) == 0 {
				return -x
			}
			return x
		},
	}
	for name, gen := range gens {
		for _, squares := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, squares %v", name, squares), func(t *testing.T) {
				var s exactSum
				want := new(big.Float).SetPrec(2200)
				for i := range 20_000 {
					x := gen()
					if squares {
						if math.Abs(x*x) > 0x1p1000 {
							continue // 20,000 of them stay finite
						}
						// The product and its rounding error, which is x*x
						// exactly unless the product underflows.
						s.addSquare(x)
						p := x * x
						want.Add(want, new(big.Float).SetPrec(2200).SetFloat64(p))
						want.Add(want, new(big.Float).SetPrec(2200).SetFloat64(math.FMA(x, x, -p)))
					} else {
						s.add(x)
						want.Add(want, new(big.Float).SetPrec(2200).SetFloat64(x))
					}
					if i == 9_999 || i == 19_999 {
						if got := s.big(); got.Cmp(want) != 0 {
							t.Fatalf("after %d values: sum %s, want %s", i+1, got.Text('g', 30), want.Text('g', 30))
						}
					}
				}
				if s.overflow {
					t.Error("overflow noted for a finite sum")
				}
			})
		}
	}
	t.Run("a value past the accumulator's range turns the sum into an expansion", func(t *testing.T) {
		var s exactSum
		want := new(big.Float).SetPrec(2200)
		for _, x := range []float64{1.5, -0x1p-1074, 1e300, 3.25, -1e300, 0x1p1000} {
			s.add(x)
			want.Add(want, new(big.Float).SetPrec(2200).SetFloat64(x))
		}
		if !s.expanded || s.big().Cmp(want) != 0 {
			t.Errorf("expanded %v, sum %s, want %s", s.expanded, s.big().Text('g', 30), want.Text('g', 30))
		}
	})
}
