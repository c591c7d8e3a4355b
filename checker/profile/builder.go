package profile

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/axiomhq/hyperloglog"
	tdigest "github.com/caio/go-tdigest/v4"
	"github.com/cespare/xxhash/v2"

	"github.com/driftgate/driftgate/checker/source"
)

// ColumnSpec is what the contract says about profiling one column.
type ColumnSpec struct {
	// Missing lists the values that count as nulls (the contract's
	// missingValues): strings, int64, float64 or bool as decoded from YAML.
	Missing []any
	// Layout is the Go time layout a CSV date or timestamp column is
	// written in; its shape stands for every value that parsed.
	Layout string
	// Private keeps the column's values out of the profile
	// (contracts.Property.Private): counts, lengths and shapes only.
	Private bool
}

// Builder profiles a stream of record batches. It is not safe for
// concurrent use. Memory is bounded per column.
type Builder struct {
	specs map[string]ColumnSpec
	cols  []*colState
	by    map[string]*colState
	rows  int64
}

// NewBuilder returns a Builder; specs gives per-column options by data
// name and may be nil.
func NewBuilder(specs map[string]ColumnSpec) *Builder {
	return &Builder{specs: specs, by: map[string]*colState{}}
}

// KindOf says how a column of type dt is profiled.
func KindOf(dt arrow.DataType) Kind {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128, arrow.DECIMAL256:
		return Numeric
	case arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64:
		return Temporal
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return String
	case arrow.BOOL:
		return Boolean
	case arrow.DICTIONARY:
		if d, ok := dt.(*arrow.DictionaryType); ok {
			if k := KindOf(d.ValueType); k == String {
				return String
			}
		}
	}
	return Other
}

// Observe adds one record batch. invalid gives, per column index, how many
// cells did not parse (CSV; those cells are null in the record and are not
// counted as nulls), and the raw texts of up to all of them for shapes; it
// may be nil.
func (b *Builder) Observe(rec arrow.RecordBatch, invalid map[int][]string) error {
	n := rec.NumRows()
	b.rows += n
	states := make([]*colState, rec.NumCols())
	for i := 0; i < int(rec.NumCols()); i++ {
		name := rec.ColumnName(i)
		arr := rec.Column(i)
		c, ok := b.by[name]
		if !ok {
			c = newColState(name, arr.DataType(), b.specs[name])
			b.by[name] = c
			b.cols = append(b.cols, c)
		} else if k := KindOf(arr.DataType()); k != c.kind {
			return fmt.Errorf("column %q is %s here but was %s before", name, arr.DataType(), c.typ)
		}
		c.rows += n
		bad := invalid[i]
		c.invalid += int64(len(bad))
		c.nulls -= int64(len(bad)) // counted as nulls by observe below
		for _, raw := range bad {
			if c.shapes != nil {
				c.shapes.add(Shape(raw), 1)
			}
		}
		states[i] = c
	}
	return observeColumns(rec, states)
}

// observeColumns profiles each column of rec into its state, the columns
// side by side: profiling (sketches, distinct counts, shapes) costs several
// times what checking does, and a column's state is its own. A column
// named twice shares a state, and is profiled in order on one goroutine.
// A panic (data no profile expected) is an error, not a crash.
func observeColumns(rec arrow.RecordBatch, states []*colState) error {
	one := func(i int) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("profile column %q: %w", states[i].name, source.PanicError(p))
			}
		}()
		states[i].observe(rec.Column(i))
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(states))
	if workers < 2 || len(states) != len(uniqueStates(states)) {
		for i := range states {
			if err := one(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, len(states))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(states); i = int(next.Add(1)) - 1 {
				errs[i] = one(i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func uniqueStates(states []*colState) map[*colState]bool {
	seen := make(map[*colState]bool, len(states))
	for _, c := range states {
		seen[c] = true
	}
	return seen
}

// Rows is the number of rows observed so far.
func (b *Builder) Rows() int64 { return b.rows }

// Columns returns the column profiles, in the order the columns were first
// seen.
func (b *Builder) Columns() ([]Column, error) {
	out := make([]Column, 0, len(b.cols))
	for _, c := range b.cols {
		col, err := c.column()
		if err != nil {
			return nil, err
		}
		out = append(out, col)
	}
	return out, nil
}

// colState accumulates one column.
type colState struct {
	name, typ string
	kind      Kind
	dt        arrow.DataType

	rows, nulls, invalid int64

	missStr map[string]bool
	missNum map[float64]bool

	// numeric and temporal
	count, nonFinite int64
	min, max         float64
	sum, sumSq       exactSum
	digest           *merging
	exact            map[float64]int64 // nil once more than ExactValuesK distinct values were seen

	// strings
	freq                   *frequent
	hll                    *distinctSketch
	lenMin, lenMax, lenSum int64
	strCount               int64
	shapes                 *frequent
	layoutShape            string
	shape                  []byte // the shape of the value being observed

	// booleans
	t, f int64
	// private drops the values from the column's profile.
	private bool
}

func newColState(name string, dt arrow.DataType, spec ColumnSpec) *colState {
	c := &colState{name: name, typ: typeName(dt), dt: dt, kind: KindOf(dt), min: math.Inf(1), max: math.Inf(-1), lenMin: -1, private: spec.Private}
	c.missStr, c.missNum = map[string]bool{}, map[float64]bool{}
	for _, v := range spec.Missing {
		switch x := v.(type) {
		case string:
			c.missStr[x] = true
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				c.missNum[f] = true
			}
		case int64:
			c.missNum[float64(x)] = true
			c.missStr[strconv.FormatInt(x, 10)] = true
		case int:
			c.missNum[float64(x)] = true
			c.missStr[strconv.Itoa(x)] = true
		case float64:
			c.missNum[x] = true
			c.missStr[strconv.FormatFloat(x, 'f', -1, 64)] = true
		case bool:
			c.missStr[strconv.FormatBool(x)] = true
		}
	}
	switch c.kind {
	case Numeric, Temporal:
		c.digest = &merging{}
		c.hll = newDistinct()
		if c.kind == Numeric {
			c.exact = map[float64]int64{}
		}
		if spec.Layout != "" {
			c.shapes = newFrequent(ShapeK)
			c.layoutShape = Shape(time.Date(2001, 12, 31, 23, 59, 58, 0, time.UTC).Format(spec.Layout))
		}
	case String:
		c.freq = newFrequent(TopK)
		c.hll = newDistinct()
		c.shapes = newFrequent(ShapeK)
	case Boolean:
		c.freq = newFrequent(TopK)
	}
	return c
}

// typeName is the type a column is recorded as: a text column that a
// reader handed over dictionary-encoded (source.Options.ReadDictionaries,
// as the check reads Parquet) is utf8, as the file's schema says.
func typeName(dt arrow.DataType) string {
	if d, ok := dt.(*arrow.DictionaryType); ok && KindOf(d.ValueType) == String {
		return d.ValueType.String()
	}
	return dt.String()
}

func (c *colState) observe(arr arrow.Array) {
	c.nulls += int64(arr.NullN())
	switch a := arr.(type) {
	case *array.Int8:
		observeNums(c, a, a.Int8Values())
	case *array.Int16:
		observeNums(c, a, a.Int16Values())
	case *array.Int32:
		observeNums(c, a, a.Int32Values())
	case *array.Int64:
		observeNums(c, a, a.Int64Values())
	case *array.Uint8:
		observeNums(c, a, a.Uint8Values())
	case *array.Uint16:
		observeNums(c, a, a.Uint16Values())
	case *array.Uint32:
		observeNums(c, a, a.Uint32Values())
	case *array.Uint64:
		observeNums(c, a, a.Uint64Values())
	case *array.Float32:
		observeNums(c, a, a.Float32Values())
	case *array.Float64:
		observeNums(c, a, a.Float64Values())
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		observeFunc(c, a, func(i int) float64 { return a.Value(i).ToFloat64(scale) })
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		observeFunc(c, a, func(i int) float64 { return a.Value(i).ToFloat64(scale) })
	case *array.Date32:
		vals := a.Date32Values()
		observeFunc(c, a, func(i int) float64 { return float64(vals[i]) })
	case *array.Date64:
		vals := a.Date64Values()
		observeFunc(c, a, func(i int) float64 { return float64(vals[i]) / 86400e3 })
	case *array.Timestamp:
		per := perSecond(a.DataType().(*arrow.TimestampType).Unit)
		vals := a.TimestampValues()
		observeFunc(c, a, func(i int) float64 { return float64(vals[i]) / per })
	case *array.Time32:
		per := perSecond(a.DataType().(*arrow.Time32Type).Unit)
		vals := a.Time32Values()
		observeFunc(c, a, func(i int) float64 { return float64(vals[i]) / per })
	case *array.Time64:
		per := perSecond(a.DataType().(*arrow.Time64Type).Unit)
		vals := a.Time64Values()
		observeFunc(c, a, func(i int) float64 { return float64(vals[i]) / per })
	case *array.String:
		c.observeStrings(a, a.Value)
	case *array.LargeString:
		c.observeStrings(a, a.Value)
	case *array.StringView:
		c.observeStrings(a, a.Value)
	case *array.Boolean:
		for i := 0; i < a.Len(); i++ {
			if a.IsNull(i) {
				continue
			}
			v := a.Value(i)
			if c.missStr[strconv.FormatBool(v)] {
				c.nulls++
				continue
			}
			if v {
				c.t++
			} else {
				c.f++
			}
		}
	case *array.Dictionary:
		if dict, ok := a.Dictionary().(interface{ Value(int) string }); ok && c.kind == String {
			c.observeStrings(a, func(i int) string { return dict.Value(a.GetValueIndex(i)) })
		}
	}
}

func perSecond(u arrow.TimeUnit) float64 {
	switch u {
	case arrow.Millisecond:
		return 1e3
	case arrow.Microsecond:
		return 1e6
	case arrow.Nanosecond:
		return 1e9
	}
	return 1
}

type number interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

func observeNums[T number](c *colState, arr arrow.Array, vals []T) {
	noNulls := arr.NullN() == 0
	for i, v := range vals {
		if noNulls || arr.IsValid(i) {
			c.addNumber(float64(v))
		}
	}
}

func observeFunc(c *colState, arr arrow.Array, at func(int) float64) {
	for i := 0; i < arr.Len(); i++ {
		if arr.IsValid(i) {
			c.addNumber(at(i))
		}
	}
}

func (c *colState) addNumber(v float64) {
	if len(c.missNum) > 0 && c.missNum[v] {
		c.nulls++
		return
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.nonFinite++
		return
	}
	c.count++
	if v < c.min {
		c.min = v
	}
	if v > c.max {
		c.max = v
	}
	c.sum.add(v)
	c.sumSq.addSquare(v)
	c.hll.insertHash(mix(math.Float64bits(v + 0))) // +0 folds -0 into 0
	if c.exact == nil {
		c.digest.add(v)
	} else {
		// While a column has few distinct values the digest is fed from
		// the exact table, weighted: the sketch of a low-cardinality
		// column is then exact, and five times faster to build.
		c.exact[v]++
		if len(c.exact) > ExactValuesK {
			flushExact(c.digest, c.exact)
			c.exact = nil
		}
	}
	if c.layoutShape != "" {
		c.shapes.add(c.layoutShape, 1)
	}
}

// flushExact adds an exact value table to a digest in value order, so the
// result does not depend on map order.
func flushExact(d *merging, m map[float64]int64) {
	keys := make([]float64, 0, len(m))
	for v := range m {
		keys = append(keys, v)
	}
	slices.Sort(keys)
	for _, v := range keys {
		d.addWeighted(v, float64(m[v]))
	}
}

// mix is the 64-bit finaliser of MurmurHash3: HyperLogLog needs well
// spread hashes, and raw float bits are not.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func (c *colState) observeStrings(arr arrow.Array, at func(int) string) {
	for i := 0; i < arr.Len(); i++ {
		if arr.IsNull(i) {
			continue
		}
		s := at(i)
		if len(c.missStr) > 0 && c.missStr[s] {
			c.nulls++
			continue
		}
		c.strCount++
		c.freq.add(s, 1)
		c.hll.insertHash(xxhash.Sum64String(s))
		c.shape = appendShape(c.shape[:0], s)
		c.shapes.add(unsafe.String(unsafe.SliceData(c.shape), len(c.shape)), 1) // add copies what it keeps
		n := int64(utf8.RuneCountInString(s))
		c.lenSum += n
		if c.lenMin < 0 || n < c.lenMin {
			c.lenMin = n
		}
		if n > c.lenMax {
			c.lenMax = n
		}
	}
}

// column freezes the state into its file form.
func (c *colState) column() (Column, error) {
	col := Column{Name: c.name, Type: c.typ, Kind: c.kind, Rows: c.rows, Nulls: c.nulls, Invalid: c.invalid}
	if c.digest != nil {
		d := c.digest
		if c.exact != nil {
			// Every value is in the table so far, none in the digest.
			d = &merging{}
			flushExact(d, c.exact)
		}
		ns, err := numericStats(c.count, c.nonFinite, c.min, c.max, &c.sum, &c.sumSq, d.digest())
		if err != nil {
			return col, fmt.Errorf("column %q: %w", c.name, err)
		}
		col.Numeric = ns
		if c.exact != nil {
			col.Values = exactValues(c.exact, c.count)
		}
	}
	if c.hll != nil {
		d, err := distinct(c.hll.sketch())
		if err != nil {
			return col, fmt.Errorf("column %q: %w", c.name, err)
		}
		col.Distinct = d
	}
	if c.kind == String {
		col.Values = c.freq.values()
		col.Lengths = lengths(c.lenMin, c.lenMax, c.lenSum, c.strCount)
	}
	if c.shapes != nil {
		col.Shapes = c.shapes.values()
	}
	if c.kind == Boolean {
		col.Booleans = &Booleans{True: c.t, False: c.f}
		col.Values = boolValues(c.t, c.f)
	}
	if c.private {
		// A profile is a file teams commit: of a private column it keeps
		// what is counted (nulls, distinct, lengths, shapes, true/false),
		// never a value, a bound or a quantile.
		col.Private, col.Values, col.Numeric = true, nil, nil
	}
	return col, nil
}

// lengths are the string lengths of count values; min is -1 when there
// were none.
func lengths(min, max, sum, count int64) *Lengths {
	l := &Lengths{Sum: sum, Max: max}
	if min >= 0 {
		l.Min = min
	}
	if count > 0 {
		l.Mean = float64(sum) / float64(count)
	}
	return l
}

func boolValues(t, f int64) *Values {
	v := &Values{Exact: true, Total: t + f, Items: []ValueCount{}}
	if t > 0 {
		v.Items = append(v.Items, ValueCount{Value: "true", Count: t})
	}
	if f > 0 {
		v.Items = append(v.Items, ValueCount{Value: "false", Count: f})
	}
	sortItems(v.Items)
	return v
}

func exactValues(m map[float64]int64, total int64) *Values {
	v := &Values{Exact: true, Total: total, Items: make([]ValueCount, 0, len(m))}
	for x, n := range m {
		v.Items = append(v.Items, ValueCount{Value: FormatNumber(x), Count: n})
	}
	sortItems(v.Items)
	return v
}

// FormatNumber writes a number the way people read it: integers without
// exponent or decimals, others in the shortest exact form.
func FormatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func distinct(s *hyperloglog.Sketch) (*Distinct, error) {
	b, err := s.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("encode hll: %w", err)
	}
	return &Distinct{Estimate: int64(s.Estimate()), HLL: b}, nil
}

func numericStats(count, nonFinite int64, min, max float64, sum, sumSq *exactSum, d *tdigest.TDigest) (*NumericStats, error) {
	ns := &NumericStats{Count: count, NonFinite: nonFinite, SumParts: sum.compact(), SumSquaresParts: sumSq.compact()}
	if count > 0 {
		ns.Min, ns.Max = min, max
	}
	ns.Mean, ns.StdDev = moments(count, sum, sumSq)
	b, err := encodeDigest(d)
	if err != nil {
		return nil, err
	}
	ns.TDigest = b
	ns.Quantiles = make([]float64, len(quantileLevels))
	ns.Histogram = Histogram{Edges: []float64{}, Counts: []float64{}}
	if count == 0 {
		return ns, nil
	}
	for i, q := range quantileLevels {
		ns.Quantiles[i] = clamp(d.Quantile(q), min, max)
	}
	ns.Histogram = EqualWidth(d, count, min, max, HistogramBins)
	return ns, nil
}

func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}

// EqualWidth estimates a histogram of bins equal-width bins from lo to hi
// from a sketch of n values.
func EqualWidth(d *tdigest.TDigest, n int64, lo, hi float64, bins int) Histogram {
	h := Histogram{Edges: make([]float64, bins+1), Counts: make([]float64, bins)}
	if hi <= lo {
		h.Edges = []float64{lo, hi}
		h.Counts = []float64{float64(n)}
		return h
	}
	w := (hi - lo) / float64(bins)
	prev := 0.0
	for i := 0; i <= bins; i++ {
		h.Edges[i] = lo + float64(i)*w
		if i == bins {
			h.Edges[i] = hi
		}
		if i == 0 {
			continue
		}
		cdf := 1.0
		if i < bins {
			cdf = clamp(d.CDF(h.Edges[i]), 0, 1)
		}
		h.Counts[i-1] = math.Round((cdf-prev)*float64(n)*1000) / 1000
		prev = cdf
	}
	return h
}
