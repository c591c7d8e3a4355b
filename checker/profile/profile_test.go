package profile

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// testRecord builds a record of n rows with a float, an int, a string
// category, a date string, a boolean and a timestamp column, starting at
// row offset so partitions of one table can be built separately.
func testRecord(t testing.TB, mem memory.Allocator, seed uint64, offset, n int) arrow.RecordBatch {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "day", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "paid", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	countries := []string{"DE", "FR", "NL", "BE", "IT", "ES", "-"}
	for i := offset; i < offset+n; i++ {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		if i%17 == 0 {
			b.Field(0).AppendNull()
		} else {
			b.Field(0).(*array.Float64Builder).Append(math.Round(r.NormFloat64()*30*100)/100 + 140)
		}
		b.Field(1).(*array.Int64Builder).Append(int64(r.IntN(9) + 1))
		b.Field(2).(*array.StringBuilder).Append(countries[r.IntN(len(countries))])
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(300))
		b.Field(3).(*array.StringBuilder).Append(day.Format("2006-01-02"))
		b.Field(4).(*array.BooleanBuilder).Append(r.IntN(3) > 0)
		b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(day.UnixMicro() + int64(r.IntN(86400e6))))
	}
	return b.NewRecordBatch()
}

func profileOf(t testing.TB, seed uint64, parts ...[2]int) *Profile {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	if tt, ok := t.(*testing.T); ok {
		defer mem.AssertSize(tt, 0)
	}
	b := NewBuilder(map[string]ColumnSpec{"country": {Missing: []any{"-"}}})
	for _, p := range parts {
		rec := testRecord(t, mem, seed, p[0], p[1])
		if err := b.Observe(rec, nil); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	cols, err := b.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return &Profile{ProfileVersion: Version, Batches: 1, Rows: b.Rows(), Columns: cols, Sources: []Source{}}
}

func TestMergeEqualsOneProfileOfEverything(t *testing.T) {
	whole := profileOf(t, 7, [2]int{0, 30000})
	a := profileOf(t, 7, [2]int{0, 4000}, [2]int{4000, 3000})
	b := profileOf(t, 7, [2]int{7000, 12000})
	c := profileOf(t, 7, [2]int{19000, 1}) // a one-row partition
	c2 := profileOf(t, 7, [2]int{19001, 10999})
	merged, err := Merge(a, b, c2, c)
	if err != nil {
		t.Fatal(err)
	}
	merged.Batches = 1
	if merged.Rows != whole.Rows {
		t.Fatalf("rows %d, want %d", merged.Rows, whole.Rows)
	}
	for _, w := range whole.Columns {
		m, ok := merged.Column(w.Name)
		if !ok {
			t.Fatalf("merged profile lacks %q", w.Name)
		}
		t.Run("column "+w.Name+" merges exactly where exactness is promised", func(t *testing.T) {
			if m.Rows != w.Rows || m.Nulls != w.Nulls || m.Invalid != w.Invalid {
				t.Errorf("counts rows/nulls/invalid %d/%d/%d, want %d/%d/%d", m.Rows, m.Nulls, m.Invalid, w.Rows, w.Nulls, w.Invalid)
			}
			if w.Numeric != nil {
				mn, wn := m.Numeric, w.Numeric
				if mn.Count != wn.Count || mn.Min != wn.Min || mn.Max != wn.Max || mn.Mean != wn.Mean || mn.StdDev != wn.StdDev {
					t.Errorf("count/min/max/mean/std %d %v %v %v %v, want %d %v %v %v %v (bit for bit)",
						mn.Count, mn.Min, mn.Max, mn.Mean, mn.StdDev, wn.Count, wn.Min, wn.Max, wn.Mean, wn.StdDev)
				}
				if fmt.Sprint(mn.SumParts, mn.SumSquaresParts) != fmt.Sprint(wn.SumParts, wn.SumSquaresParts) {
					t.Errorf("exact sums differ: %v %v, want %v %v", mn.SumParts, mn.SumSquaresParts, wn.SumParts, wn.SumSquaresParts)
				}
				// t-digest: quantiles within 1% of rank. Discrete columns
				// are checked between their values, where the CDF is a
				// step and the sketch must match the exact table.
				md, _ := decodeDigest(mn.TDigest)
				wd, _ := decodeDigest(wn.TDigest)
				if w.Values != nil && w.Values.Exact {
					for x := wn.Min + 0.5; x < wn.Max; x++ {
						var below int64
						for _, it := range w.Values.Items {
							if v, _ := strconv.ParseFloat(it.Value, 64); v < x {
								below += it.Count
							}
						}
						exact := float64(below) / float64(wn.Count)
						if d := math.Abs(md.CDF(x) - exact); d > 0.01 {
							t.Errorf("CDF(%v) = %.4f, exact %.4f", x, md.CDF(x), exact)
						}
					}
					return
				}
				for q := 0.01; q < 1; q += 0.01 {
					x := wd.Quantile(q)
					if d := math.Abs(md.CDF(x) - wd.CDF(x)); d > 0.01 {
						t.Errorf("rank of quantile %.2f differs by %.4f (> 0.01)", q, d)
					}
				}
			}
			if w.Distinct != nil {
				if r := float64(m.Distinct.Estimate) / float64(max(w.Distinct.Estimate, 1)); r < 0.95 || r > 1.05 {
					t.Errorf("distinct %d, want %d within 5%%", m.Distinct.Estimate, w.Distinct.Estimate)
				}
			}
			if w.Values != nil && w.Values.Exact {
				if fmt.Sprint(m.Values) != fmt.Sprint(w.Values) {
					t.Errorf("exact values %v, want %v", m.Values, w.Values)
				}
			}
			if w.Shapes != nil && fmt.Sprint(m.Shapes.Items) != fmt.Sprint(w.Shapes.Items) {
				t.Errorf("shapes %v, want %v", m.Shapes.Items, w.Shapes.Items)
			}
			if w.Lengths != nil && *m.Lengths != *w.Lengths {
				t.Errorf("lengths %+v, want %+v", *m.Lengths, *w.Lengths)
			}
			if w.Booleans != nil && *m.Booleans != *w.Booleans {
				t.Errorf("booleans %+v, want %+v", *m.Booleans, *w.Booleans)
			}
		})
	}
}

func TestMomentsAreExactWhereFloatSumsAreNot(t *testing.T) {
	// 1e16 + 1 - 1e16 loses the 1 in float64 arithmetic in this order.
	var s exactSum
	for _, x := range []float64{1e16, 1, -1e16, 3.5} {
		s.add(x)
	}
	f, _ := s.big().Float64()
	if f != 4.5 {
		t.Errorf("exact sum %v, want 4.5", f)
	}
	var sum, sq exactSum
	for _, x := range []float64{1e9 + 1, 1e9 + 2, 1e9 + 3} {
		sum.add(x)
		sq.addSquare(x)
	}
	mean, std := moments(3, &sum, &sq)
	if mean != 1e9+2 || std != 1 {
		t.Errorf("mean %v std %v, want %v and 1 (no cancellation)", mean, std, 1e9+2)
	}
}

func TestFrequentValuesStayWithinTheirErrorBound(t *testing.T) {
	f := newFrequent(8)
	truth := map[string]int64{}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		// Zipf-like: a few heavy values and a long tail.
		v := fmt.Sprint(int(math.Floor(math.Pow(r.Float64(), 3) * 200)))
		truth[v]++
		f.add(v, 1)
	}
	vals := f.values()
	if len(vals.Items) > 8 {
		t.Fatalf("%d items kept, capacity 8", len(vals.Items))
	}
	if vals.MaxError > vals.Total/9 {
		t.Errorf("max error %d above total/(k+1) = %d", vals.MaxError, vals.Total/9)
	}
	for v, n := range truth {
		got := vals.Count(v)
		if got > n || n-got > vals.MaxError {
			t.Errorf("value %s: count %d, true %d, max error %d", v, got, n, vals.MaxError)
		}
	}
}

func TestShapes(t *testing.T) {
	for in, want := range map[string]string{
		"2024-01-31":                          "9999-99-99",
		"31/01/2024":                          "99/99/9999",
		"ACC00012345":                         "A99999999",
		"john.doe@example.com":                "a.a@a.a",
		"Hello World":                         "Aa Aa",
		"":                                    "",
		"12:30:00Z":                           "99:99:99A",
		"very long value 1234567890123456789": "a a a 9999999999999999999"[:24] + "…",
		// Outside ASCII (classified by package unicode, not the table),
		// invalid UTF-8 and cuts with a letter run pending: the shapes the
		// rune-by-rune Shape gave before appendShape.
		"Zürich Hbf 12":             "Aa Aa 99",
		"東京 3-1":                    "a 9-9",
		"  a\tb\n\u00a0c":           " a a a",
		"\xff\xfeab":                "\ufffd\ufffda",
		"ÉLAN-99":                   "A-99",
		"mIxEd":                     "Aa",
		"٣٤ ١":                      "99 9",
		"ﬁ ǅ":                       "a a",
		"1234567890123456789012Ab":  "9999999999999999999999Aa…",
		"12345678901234567890123aB": "99999999999999999999999A…",
		"€ 1,50":                    "€ 9,99",
		"a\u2003\u2003b":            "a a",
	} {
		if got := Shape(in); got != want {
			t.Errorf("Shape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProfileIsDeterministicSmallAndRoundTrips(t *testing.T) {
	a, err := profileOf(t, 3, [2]int{0, 50000}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := profileOf(t, 3, [2]int{0, 50000}).Marshal()
	if !bytes.Equal(a, b) {
		t.Error("two profiles of the same data differ")
	}
	small, _ := profileOf(t, 3, [2]int{0, 5000}).Marshal()
	perCol := len(a) / 6
	t.Logf("profile size: %d bytes for 50000 rows (%d per column), %d bytes for 5000 rows", len(a), perCol, len(small))
	if perCol > 16<<10 {
		t.Errorf("%d bytes per column, want kilobytes", perCol)
	}
	p, err := Parse("x", a)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := p.Marshal()
	if !bytes.Equal(a, back) {
		t.Error("a loaded profile does not write back identically")
	}
	path := filepath.Join(t.TempDir(), "sub", "p.profile.json")
	if err := p.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if q, err := Load(path); err != nil || q.Rows != 50000 {
		t.Fatalf("load: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestParseRejectsBadProfiles(t *testing.T) {
	for name, doc := range map[string]string{
		"not JSON":          `{`,
		"a newer version":   `{"profileVersion": 99, "columns": []}`,
		"no version":        `{"columns": []}`,
		"trailing data":     `{"profileVersion": 1} {}`,
		"duplicate columns": `{"profileVersion": 1, "columns": [{"name":"a","kind":"other"},{"name":"a","kind":"other"}]}`,
		"nulls above rows":  `{"profileVersion": 1, "columns": [{"name":"a","kind":"other","rows":1,"nulls":2}]}`,
		"a bad sketch":      `{"profileVersion": 1, "columns": [{"name":"a","kind":"numeric","rows":1,"numeric":{"tdigest":"AAAA"}}]}`,
		"an unknown kind":   `{"profileVersion": 1, "columns": [{"name":"a","kind":"blob"}]}`,
	} {
		t.Run("a profile with "+name+" is an error", func(t *testing.T) {
			if _, err := Parse("p.json", []byte(doc)); err == nil {
				t.Error("parsed")
			}
		})
	}
}

func FuzzProfileLoad(f *testing.F) {
	good, _ := profileOf(f, 1, [2]int{0, 300}).Marshal()
	f.Add(good)
	f.Add([]byte(`{"profileVersion": 1, "columns": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz", data)
		if err != nil {
			return
		}
		// A profile that loads must merge and write without error.
		if _, err := Merge(p, p); err != nil {
			return
		}
		if _, err := p.Marshal(); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkBuilder(b *testing.B) {
	mem := memory.NewGoAllocator()
	rec := testRecord(b, mem, 1, 0, 64*1024)
	defer rec.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bl := NewBuilder(nil)
		if err := bl.Observe(rec, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := bl.Columns(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*64*1024)/b.Elapsed().Seconds(), "rows/s")
}
