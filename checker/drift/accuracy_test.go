package drift

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
)

// plant changes how one batch is generated.
type plant struct {
	meanShift   float64 // added to amount, in standard deviations
	sdFactor    float64 // multiplies amount's standard deviation
	unit        float64 // multiplies amount (cents for dollars)
	newCategory bool    // country gains XX at 5%
	vanish      bool    // country loses BE (12%)
	nullRate    float64 // note's null rate (default 2%)
	dateLayout  string  // day's layout (default 2006-01-02)
	dropScore   bool    // the score column disappears
}

var countries = []struct {
	v string
	w float64
}{{"DE", 0.40}, {"FR", 0.25}, {"NL", 0.15}, {"BE", 0.12}, {"IT", 0.08}}

// batch generates n rows of a small orders table: amount ~ N(140, 30),
// qty in 1..3, country by the weights above, day a 2024 date, paid
// (70% true), score ~ Exp(1), note (2% null).
func batch(t testing.TB, mem memory.Allocator, seed uint64, n int, pl plant) arrow.RecordBatch {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed*7919+1))
	fields := []arrow.Field{
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "day", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "paid", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
	}
	if !pl.dropScore {
		fields = append(fields, arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	sd, unit, nulls, layout := 30.0, 1.0, 0.02, "2006-01-02"
	if pl.sdFactor != 0 {
		sd *= pl.sdFactor
	}
	if pl.unit != 0 {
		unit = pl.unit
	}
	if pl.nullRate != 0 {
		nulls = pl.nullRate
	}
	if pl.dateLayout != "" {
		layout = pl.dateLayout
	}
	notes := []string{"gift", "express", "fragile", "call first"}
	for i := 0; i < n; i++ {
		b.Field(0).(*array.Float64Builder).Append(math.Round((140+pl.meanShift*30+r.NormFloat64()*sd)*unit*100) / 100)
		b.Field(1).(*array.Int64Builder).Append(int64(1 + r.IntN(3)))
		c := pickCountry(r, pl)
		b.Field(2).(*array.StringBuilder).Append(c)
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(366))
		b.Field(3).(*array.StringBuilder).Append(day.Format(layout))
		b.Field(4).(*array.BooleanBuilder).Append(r.Float64() < 0.7)
		if r.Float64() < nulls {
			b.Field(5).AppendNull()
		} else {
			b.Field(5).(*array.StringBuilder).Append(notes[r.IntN(len(notes))])
		}
		if !pl.dropScore {
			b.Field(6).(*array.Float64Builder).Append(r.ExpFloat64())
		}
	}
	return b.NewRecordBatch()
}

func pickCountry(r *rand.Rand, pl plant) string {
	if pl.newCategory && r.Float64() < 0.05 {
		return "XX"
	}
	for {
		u, acc := r.Float64(), 0.0
		for _, c := range countries {
			acc += c.w
			if u < acc {
				if pl.vanish && c.v == "BE" {
					break
				}
				return c.v
			}
		}
	}
}

func profileBatch(t testing.TB, seed uint64, n int, pl plant) *profile.Profile {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	if tt, ok := t.(*testing.T); ok {
		defer mem.AssertSize(tt, 0)
	}
	rec := batch(t, mem, seed, n, pl)
	defer rec.Release()
	b := profile.NewBuilder(nil)
	if err := b.Observe(rec, nil); err != nil {
		t.Fatal(err)
	}
	cols, err := b.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return &profile.Profile{ProfileVersion: profile.Version, Batches: 1, Rows: b.Rows(), Columns: cols}
}

func defaultConfig() Config {
	return Config{Schema: "orders", Default: ColumnConfig{Thresholds: Defaults()}}
}

func compare(t testing.TB, base, cur *profile.Profile) *Result {
	t.Helper()
	res, err := Compare(base, cur, defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func findingFor(res *Result, rule, column string) (report.Finding, bool) {
	for _, f := range res.Findings {
		if f.Rule == rule && f.Column == column {
			return f, true
		}
	}
	return report.Finding{}, false
}

// The baseline is three batches' worth of rows, as a merged profile of
// three days would be.
const (
	baseRows    = 6000
	baseBatches = 3
	curRows     = 2000
)

// seeds is the number of independent datasets per case; -short and the
// race detector run a quarter.
func seeds() int {
	switch {
	case raceEnabled:
		return 8
	case testing.Short():
		return 25
	}
	return 100
}

func baseline(t testing.TB, seed uint64, n int) *profile.Profile {
	p := profileBatch(t, seed, n, plant{})
	p.Batches = baseBatches
	return p
}

var planted = []struct {
	name   string
	pl     plant
	rule   string
	column string
}{
	{"mean shift of half a standard deviation", plant{meanShift: 0.5}, Distribution, "amount"},
	{"variance change by 1.5x", plant{sdFactor: 1.5}, Distribution, "amount"},
	{"unit change x100 (dollars to cents)", plant{unit: 100}, Distribution, "amount"},
	{"a new category at 5%", plant{newCategory: true}, Categories, "country"},
	{"a vanished category (12%)", plant{vanish: true}, Categories, "country"},
	{"a null spike from 2% to 20%", plant{nullRate: 0.2}, NullRate, "note"},
	{"a date format flip to dd/MM/yyyy", plant{dateLayout: "02/01/2006"}, Format, "day"},
	{"a dropped column", plant{dropScore: true}, Schema, "score"},
}

func TestEachPlantedDriftIsDetectedAtDefaultThresholds(t *testing.T) {
	total, hits := 0, 0
	for _, tc := range planted {
		t.Run(tc.name+" is found as "+tc.rule, func(t *testing.T) {
			found, n := 0, seeds()/4
			for s := uint64(0); s < uint64(n); s++ {
				base := baseline(t, 1000+s, baseRows)
				cur := profileBatch(t, 5000+s, curRows, tc.pl)
				res := compare(t, base, cur)
				if _, ok := findingFor(res, tc.rule, tc.column); ok {
					found++
				} else if found == 0 && s == 0 {
					t.Logf("seed %d: findings %v", s, res.Findings)
				}
				for _, f := range res.Findings {
					if f.Column != tc.column {
						t.Errorf("seed %d: unrelated finding %s on %q: %s", s, f.Rule, f.Column, f.Message)
					}
				}
			}
			total += n
			hits += found
			t.Logf("%s: detected in %d of %d datasets (%.0f%%)", tc.name, found, n, 100*float64(found)/float64(n))
			if found != n {
				t.Errorf("detected in %d of %d datasets, want all", found, n)
			}
		})
	}
	t.Logf("detection rate over %d planted datasets: %.1f%%", total, 100*float64(hits)/float64(total))
}

func TestIndependentSamplesOfOneDistributionRaiseNoAlarm(t *testing.T) {
	for _, size := range []struct {
		base, batches, cur int
		runs               int
		limit              float64
	}{
		{baseRows, baseBatches, curRows, 3 * seeds(), 0.01},
		{1000, 1, 1000, seeds(), 0.01},
		// Small samples: effect sizes are noisy and the p-values guard,
		// at a false discovery rate of 1% over the run's tests.
		{200, 1, 200, seeds(), 0.03},
		{50, 1, 50, seeds(), 0.03},
	} {
		alarms := 0
		var examples []string
		for s := uint64(0); s < uint64(size.runs); s++ {
			base := profileBatch(t, 100000+s, size.base, plant{})
			base.Batches = int64(size.batches)
			res := compare(t, base, profileBatch(t, 200000+s, size.cur, plant{}))
			var fs []string
			for _, f := range res.Findings {
				fs = append(fs, f.Rule+" "+f.Column+": "+f.Message)
			}
			if len(fs) > 0 {
				alarms++
				examples = append(examples, strings.Join(fs, "; "))
			}
		}
		rate := float64(alarms) / float64(size.runs)
		t.Logf("false alarm rate, baseline %d rows, batches of %d rows, %d datasets x 7 columns: %.2f%% (%d datasets)", size.base, size.cur, size.runs, 100*rate, alarms)
		if rate > size.limit {
			t.Errorf("%d vs %d rows: false alarm rate %.2f%% above %.0f%%; first: %v", size.base, size.cur, 100*rate, 100*size.limit, examples[:min(3, len(examples))])
		}
	}
}

func TestMessagesSayBaselineAndCurrentInNumbers(t *testing.T) {
	base := baseline(t, 1, baseRows)
	for _, tc := range []struct {
		pl     plant
		rule   string
		column string
		want   []string
	}{
		{plant{meanShift: 3}, Distribution, "amount", []string{`column "amount": mean 140`, " → 230", "(+64%)", "normalised Wasserstein"}},
		{plant{nullRate: 1}, NullRate, "note", []string{"nulls 2.", "→ 100%"}},
		{plant{newCategory: true}, Categories, "country", []string{"new values: `XX` ("}},
		{plant{vanish: true}, Categories, "country", []string{"vanished values: `BE` (was 12."}},
		{plant{dateLayout: "02/01/2006"}, Format, "day", []string{"`9999-99-99` 100% → 0.0%", "`99/99/9999` 0.0% → 100%"}},
		{plant{dropScore: true}, Schema, "score", []string{`column "score" was removed since the baseline (it was float64)`}},
	} {
		res := compare(t, base, profileBatch(t, 2, curRows, tc.pl))
		f, ok := findingFor(res, tc.rule, tc.column)
		if !ok {
			t.Errorf("%s on %s not found: %v", tc.rule, tc.column, res.Findings)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(f.Message, w) {
				t.Errorf("%s message lacks %q:\n%s", tc.rule, w, f.Message)
			}
		}
	}
}

func TestNewIntegerValuesAreNamed(t *testing.T) {
	mk := func(vals []int64) *profile.Profile {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		bld := array.NewInt64Builder(mem)
		defer bld.Release()
		bld.AppendValues(vals, nil)
		arr := bld.NewArray()
		defer arr.Release()
		rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "rating", Type: arrow.PrimitiveTypes.Int64}}, nil), []arrow.Array{arr}, int64(len(vals)))
		defer rec.Release()
		b := profile.NewBuilder(nil)
		if err := b.Observe(rec, nil); err != nil {
			t.Fatal(err)
		}
		cols, _ := b.Columns()
		return &profile.Profile{ProfileVersion: 1, Batches: 1, Rows: b.Rows(), Columns: cols}
	}
	var a, c []int64
	for i := 0; i < 3000; i++ {
		a = append(a, int64(1+i%3))
		c = append(c, int64(1+i%5))
	}
	res := compare(t, mk(a), mk(c))
	f, ok := findingFor(res, Categories, "rating")
	if !ok || !strings.Contains(f.Message, "new values: `4` (20.0%), `5` (20.0%)") {
		t.Errorf("want new values 4 and 5 named, got %v", res.Findings)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	q := benjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.5})
	want := []float64{0.04, 0.0533, 0.0533, 0.5}
	for i := range q {
		if math.Abs(q[i]-want[i]) > 1e-3 {
			t.Errorf("q = %v, want %v", q, want)
		}
	}
}

func TestStatistics(t *testing.T) {
	if p := chiSquareSF(3.841, 1); math.Abs(p-0.05) > 1e-3 {
		t.Errorf("chi-square(1) at 3.841: %v, want 0.05", p)
	}
	if p := chiSquareSF(18.307, 10); math.Abs(p-0.05) > 1e-3 {
		t.Errorf("chi-square(10) at 18.307: %v, want 0.05", p)
	}
	if p := kolmogorovQ(1.358); math.Abs(p-0.05) > 1e-3 {
		t.Errorf("Kolmogorov at 1.358: %v, want 0.05", p)
	}
	if d := jensenShannon([]float64{1, 0}, []float64{0, 1}); d != 1 {
		t.Errorf("disjoint JS distance %v, want 1", d)
	}
	if p := twoProportionP(50, 1000, 50, 1000); p != 1 {
		t.Errorf("equal proportions p = %v", p)
	}
}

func ExampleCompare() {
	fmt.Println(num(143.8), num(234.71), num(0.031234), pct(0), pct(1), signedPct(0.632))
	// Output: 143.8 234.7 0.03123 0.0% 100% +63%
}
