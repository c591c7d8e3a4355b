package checker

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/cespare/xxhash/v2"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// column holds everything the checks of one contract column need while the
// data streams past: its compiled constraints and its running tallies. One
// column value serves every file of the batch, so counts and uniqueness span
// files.
type column struct {
	prop *contracts.Property
	name string // the data name
	exp  expectation

	// present is set once any file has the column with a usable type.
	present bool

	// Constraints, compiled once.
	minLen, maxLen int64 // -1 when absent
	pattern        *regexp.Regexp
	format         formatCheck
	formatName     string
	dateLayout     string // Go layout for text dates; "" when not text dates
	lo, hi         bound
	multipleOf     float64  // 0 when absent
	missing        valueSet // values that count as missing (null) everywhere
	invalidRules   []*invalidRule
	missingRules   []*missingRule
	unique         *keySet // set for unique columns and duplicateValues rules
	fileIndex      int     // index of the file being read, for spilled keys
	batchFirst     int64   // first row of the batch being observed
	keyErr         error   // a uniqueness spill that failed
	dict           *dictCache
	ticks          tickRange // set by observe for date and timestamp arrays

	// Tallies.
	rows         int64 // non-type-error rows seen, null or not
	nullRows     int64 // nulls plus missing values
	nulls        tally // VALUE_NULL, only for required columns
	typeErrs     tally // VALUE_TYPE
	dups         tally // VALUE_UNIQUE
	below, above tally // VALUE_RANGE
	short, long  tally // VALUE_LENGTH
	patternMiss  tally // VALUE_PATTERN
	formatMiss   tally // VALUE_FORMAT
	notMultiple  tally // VALUE_MULTIPLE_OF
	dateFormat   tally // VALUE_FORMAT for text dates and CSV date cells
}

// invalidRule is a column-level invalidValues quality rule.
type invalidRule struct {
	q       *contracts.Quality
	valid   valueSet
	pattern *regexp.Regexp
	t       tally
}

// missingRule is a column-level missingValues quality rule.
type missingRule struct {
	q      *contracts.Quality
	values valueSet
	t      tally // counts nulls too
}

// valueSet is a set of contract values, matched against data values of any
// type by their canonical text (numbers also by value).
type valueSet struct {
	strs map[string]struct{}
	nums map[float64]struct{}
	null bool
	n    int
}

func newValueSet(vals []any) valueSet {
	s := valueSet{strs: map[string]struct{}{}, nums: map[float64]struct{}{}}
	for _, v := range vals {
		s.n++
		switch x := v.(type) {
		case nil:
			s.null = true
		case string:
			s.strs[x] = struct{}{}
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				s.nums[f] = struct{}{}
			}
		case bool:
			s.strs[strconv.FormatBool(x)] = struct{}{}
		case int:
			s.nums[float64(x)] = struct{}{}
			s.strs[strconv.Itoa(x)] = struct{}{}
		case int64:
			s.nums[float64(x)] = struct{}{}
			s.strs[strconv.FormatInt(x, 10)] = struct{}{}
		case float64:
			s.nums[x] = struct{}{}
			s.strs[strconv.FormatFloat(x, 'g', -1, 64)] = struct{}{}
		default:
			s.strs[fmt.Sprint(x)] = struct{}{}
		}
	}
	return s
}

func (s *valueSet) empty() bool { return len(s.strs) == 0 && len(s.nums) == 0 }

func (s *valueSet) hasStr(v string) bool {
	_, ok := s.strs[v]
	return ok
}

func (s *valueSet) hasNum(v float64) bool {
	_, ok := s.nums[v]
	return ok
}

// bound is one side of a range constraint, prepared for every column type.
type bound struct {
	set   bool
	excl  bool
	text  string // as written in the contract, for messages
	f     float64
	i     int64
	exact bool      // i holds the bound exactly (an integral number)
	t     time.Time // date, timestamp and time bounds
	isT   bool
	// dec caches the bound as a decimal at each scale it is compared at;
	// decOK says the conversion was exact.
	dec map[int32]decimal128.Num
}

// isMultiple allows for binary floating point: 0.3 is a multiple of 0.1.
func isMultiple(v, m float64) bool {
	q := v / m
	return math.Abs(q-math.Round(q)) <= 1e-9*math.Max(1, math.Abs(q))
}

// needsValues says whether any check of the column looks at values. In
// CSV every typed column does: its cells must parse (VALUE_TYPE); in JSON
// every typed column, as a number where text belongs is mistyped too.
func (c *column) needsValues(format source.Format) bool {
	p := c.prop
	return p.Required || c.unique != nil || c.lo.set || c.hi.set || c.multipleOf != 0 || c.minLen >= 0 || c.maxLen >= 0 ||
		c.pattern != nil || c.format != nil || c.dateLayout != "" || len(p.Quality) > 0 ||
		format == source.CSV && c.exp.kind != kindString && c.exp.kind != kindAny ||
		format == source.JSON && c.exp.kind != kindAny // a JSON value has a kind of its own, text too
}

// observe runs every value check of the column over one array.
// invalid lists, in order, the offsets of cells that did not parse (CSV);
// they were counted already and are neither nulls nor values.
func (c *column) observe(file string, firstRow int64, arr arrow.Array, invalid []int) {
	c.present = true
	c.batchFirst = firstRow
	if c.unique != nil {
		defer c.flushKeys(file, firstRow, arr)
	}
	n := arr.Len()
	c.rows += int64(n - len(invalid))
	skip := func(i int) bool { // invalid is sorted; advance through it
		if len(invalid) > 0 && invalid[0] == i {
			invalid = invalid[1:]
			return true
		}
		return false
	}
	c.dispatch(file, firstRow, arr, skip)
}

// dispatch runs the checks of one array by its Arrow type.
func (c *column) dispatch(file string, firstRow int64, arr arrow.Array, skip func(int) bool) {
	switch a := arr.(type) {
	case *array.Int8:
		observeInts(c, file, firstRow, a, a.Int8Values(), skip)
	case *array.Int16:
		observeInts(c, file, firstRow, a, a.Int16Values(), skip)
	case *array.Int32:
		observeInts(c, file, firstRow, a, a.Int32Values(), skip)
	case *array.Int64:
		observeInts(c, file, firstRow, a, a.Int64Values(), skip)
	case *array.Uint8:
		observeInts(c, file, firstRow, a, a.Uint8Values(), skip)
	case *array.Uint16:
		observeInts(c, file, firstRow, a, a.Uint16Values(), skip)
	case *array.Uint32:
		observeInts(c, file, firstRow, a, a.Uint32Values(), skip)
	case *array.Uint64:
		observeInts(c, file, firstRow, a, a.Uint64Values(), skip)
	case *array.Float32:
		observeFloats(c, file, firstRow, a, a.Float32Values(), skip)
	case *array.Float64:
		observeFloats(c, file, firstRow, a, a.Float64Values(), skip)
	case *array.Decimal128:
		c.observeDecimal128(file, firstRow, a, skip)
	case *array.Decimal256:
		c.observeDecimal256(file, firstRow, a, skip)
	case *array.String:
		observeStrings(c, file, firstRow, a, a.Value, skip)
	case *array.LargeString:
		observeStrings(c, file, firstRow, a, a.Value, skip)
	case *array.StringView:
		observeStrings(c, file, firstRow, a, a.Value, skip)
	case *array.Binary:
		observeStrings(c, file, firstRow, a, a.ValueString, skip)
	case *array.Dictionary:
		c.observeDictionary(file, firstRow, a, skip)
	case *array.Date32:
		vals := a.Date32Values()
		c.ticks = tickRange{raw: func(i int) int64 { return int64(vals[i]) }, perTick: 86400e9}
		c.observeTimes(file, firstRow, a, skip, func(i int) time.Time { return vals[i].ToTime() }, func(i int) uint64 { return uint64(vals[i]) })
	case *array.Date64:
		vals := a.Date64Values()
		c.ticks = tickRange{raw: func(i int) int64 { return int64(vals[i]) }, perTick: 1e6}
		c.observeTimes(file, firstRow, a, skip, func(i int) time.Time { return vals[i].ToTime() }, func(i int) uint64 { return uint64(vals[i]) })
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		vals := a.TimestampValues()
		c.ticks = tickRange{raw: func(i int) int64 { return int64(vals[i]) }, perTick: int64(unit.Multiplier())}
		c.observeTimes(file, firstRow, a, skip, func(i int) time.Time { return vals[i].ToTime(unit) }, func(i int) uint64 { return uint64(vals[i]) })
	case *array.Boolean:
		c.observeTimes(file, firstRow, a, skip, nil, func(i int) uint64 {
			if a.Value(i) {
				return 1
			}
			return 0
		})
	default:
		c.observeTimes(file, firstRow, arr, skip, nil, nil)
	}
}

// null records a null, or a value the contract lists as missing: both
// count as null for every other check of the column.
func (c *column) null(file string, row int64, text string, isNull bool) {
	c.nullRows++
	if c.prop.Required && c.nulls.Hit() {
		c.nulls.Example(file, row, text)
	}
	for _, r := range c.missingRules {
		if isNull || r.values.hasStr(text) {
			r.t.Add(file, row, text)
		}
	}
}

// key buffers a row's key for uniqueness; observe flushes the batch.
func (c *column) key(row int64, k uint64) {
	c.unique.push(k, int(row-c.batchFirst))
}

// flushKeys inserts the batch's keys, keeping the first repeated rows as
// examples while the batch's values are still at hand.
func (c *column) flushKeys(file string, firstRow int64, arr arrow.Array) {
	var dup func(int)
	if len(c.dups.Examples) < report.MaxExamples {
		dup = func(off int) {
			if c.dups.Hit() {
				c.dups.Example(file, firstRow+int64(off), arr.ValueStr(off))
			}
		}
	}
	err := c.unique.flush(c.fileIndex, firstRow, dup)
	if err != nil && c.keyErr == nil {
		c.keyErr = err
	}
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

func observeInts[T integer](c *column, file string, first int64, arr arrow.Array, vals []T, skip func(int) bool) {
	hasMissing := !c.missing.empty()
	lo, hi := c.lo, c.hi
	for i, v := range vals {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		if hasMissing && c.missing.hasNum(float64(v)) {
			c.null(file, row, arr.ValueStr(i), false)
			continue
		}
		if c.unique != nil {
			c.key(row, uint64(v))
		}
		if lo.set && intBelow(v, &lo) && c.below.Hit() {
			c.below.Example(file, row, arr.ValueStr(i))
		}
		if hi.set && intAbove(v, &hi) && c.above.Hit() {
			c.above.Example(file, row, arr.ValueStr(i))
		}
		if c.multipleOf != 0 && !isMultiple(float64(v), c.multipleOf) {
			c.notMultiple.Add(file, row, arr.ValueStr(i))
		}
		for _, r := range c.invalidRules {
			if !r.valid.empty() && !r.valid.hasNum(float64(v)) || r.pattern != nil && !r.pattern.MatchString(arr.ValueStr(i)) {
				r.t.Add(file, row, arr.ValueStr(i))
			}
		}
	}
}

func intBelow[T integer](v T, b *bound) bool {
	if b.exact {
		if isUnsigned(v) && uint64(v) > math.MaxInt64 {
			return false
		}
		if b.excl {
			return int64(v) <= b.i
		}
		return int64(v) < b.i
	}
	if b.excl {
		return float64(v) <= b.f
	}
	return float64(v) < b.f
}

func intAbove[T integer](v T, b *bound) bool {
	if b.exact {
		if isUnsigned(v) && uint64(v) > math.MaxInt64 {
			return true
		}
		if b.excl {
			return int64(v) >= b.i
		}
		return int64(v) > b.i
	}
	if b.excl {
		return float64(v) >= b.f
	}
	return float64(v) > b.f
}

func isUnsigned[T integer](v T) bool {
	var zero T
	return zero-1 > 0
}

func observeFloats[T float32 | float64](c *column, file string, first int64, arr arrow.Array, vals []T, skip func(int) bool) {
	hasMissing := !c.missing.empty()
	for i, v := range vals {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		f := float64(v)
		if hasMissing && c.missing.hasNum(f) {
			c.null(file, row, arr.ValueStr(i), false)
			continue
		}
		if c.unique != nil {
			if f == 0 {
				f = 0 // -0 and +0 are one value
			}
			c.key(row, math.Float64bits(f))
		}
		c.checkFloat(file, row, f, arr, i)
	}
}

func (c *column) checkFloat(file string, row int64, f float64, arr arrow.Array, i int) {
	if c.lo.set && (f < c.lo.f || c.lo.excl && f == c.lo.f || math.IsNaN(f)) && c.below.Hit() {
		c.below.Example(file, row, arr.ValueStr(i))
	}
	if c.hi.set && (f > c.hi.f || c.hi.excl && f == c.hi.f) && c.above.Hit() {
		c.above.Example(file, row, arr.ValueStr(i))
	}
	if c.multipleOf != 0 && !isMultiple(f, c.multipleOf) {
		c.notMultiple.Add(file, row, arr.ValueStr(i))
	}
	for _, r := range c.invalidRules {
		if !r.valid.empty() && !r.valid.hasNum(f) || r.pattern != nil && !r.pattern.MatchString(arr.ValueStr(i)) {
			r.t.Add(file, row, arr.ValueStr(i))
		}
	}
}

// decBound returns the bound at the given scale and whether it is exact
// there; an inexact bound is compared as a float.
func decBound(b *bound, scale int32) (decimal128.Num, bool) {
	if n, ok := b.dec[scale]; ok {
		return n, true
	}
	n, err := decimal128.FromString(b.text, 38, scale)
	if err != nil {
		return decimal128.Num{}, false
	}
	// FromString rounds; keep it only when it round-trips.
	if back, err := strconv.ParseFloat(n.ToString(scale), 64); err != nil || back != b.f {
		return decimal128.Num{}, false
	}
	if b.dec == nil {
		b.dec = map[int32]decimal128.Num{}
	}
	b.dec[scale] = n
	return n, true
}

func (c *column) observeDecimal128(file string, first int64, arr *array.Decimal128, skip func(int) bool) {
	scale := arr.DataType().(*arrow.Decimal128Type).Scale
	loN, loExact := decBound(&c.lo, scale)
	hiN, hiExact := decBound(&c.hi, scale)
	hasMissing := !c.missing.empty()
	for i := 0; i < arr.Len(); i++ {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		v := arr.Value(i)
		if hasMissing && c.missing.hasNum(v.ToFloat64(scale)) {
			c.null(file, row, arr.ValueStr(i), false)
			continue
		}
		if c.unique != nil {
			c.key(row, mix(v.LowBits()^mix(uint64(v.HighBits()))))
		}
		if c.lo.set {
			var low bool
			if loExact {
				cmp := v.Cmp(loN)
				low = cmp < 0 || c.lo.excl && cmp == 0
			} else {
				f := v.ToFloat64(scale)
				low = f < c.lo.f || c.lo.excl && f == c.lo.f
			}
			if low && c.below.Hit() {
				c.below.Example(file, row, arr.ValueStr(i))
			}
		}
		if c.hi.set {
			var high bool
			if hiExact {
				cmp := v.Cmp(hiN)
				high = cmp > 0 || c.hi.excl && cmp == 0
			} else {
				f := v.ToFloat64(scale)
				high = f > c.hi.f || c.hi.excl && f == c.hi.f
			}
			if high && c.above.Hit() {
				c.above.Example(file, row, arr.ValueStr(i))
			}
		}
		if c.multipleOf != 0 && !isMultiple(v.ToFloat64(scale), c.multipleOf) {
			c.notMultiple.Add(file, row, arr.ValueStr(i))
		}
		for _, r := range c.invalidRules {
			if !r.valid.empty() && !r.valid.hasNum(v.ToFloat64(scale)) || r.pattern != nil && !r.pattern.MatchString(arr.ValueStr(i)) {
				r.t.Add(file, row, arr.ValueStr(i))
			}
		}
	}
}

func (c *column) observeDecimal256(file string, first int64, arr *array.Decimal256, skip func(int) bool) {
	scale := arr.DataType().(*arrow.Decimal256Type).Scale
	hasMissing := !c.missing.empty()
	for i := 0; i < arr.Len(); i++ {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		v := arr.Value(i)
		f := v.ToFloat64(scale)
		if hasMissing && c.missing.hasNum(f) {
			c.null(file, row, arr.ValueStr(i), false)
			continue
		}
		if c.unique != nil {
			c.key(row, hash256(v))
		}
		c.checkFloat(file, row, f, arr, i)
	}
}

func hash256(v decimal256.Num) uint64 {
	a := v.Array()
	return mix(a[0] ^ mix(a[1]^mix(a[2]^mix(a[3]))))
}

func observeStrings(c *column, file string, first int64, arr arrow.Array, value func(int) string, skip func(int) bool) {
	hasMissing := !c.missing.empty()
	for i := 0; i < arr.Len(); i++ {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		s := value(i)
		if hasMissing && c.missing.hasStr(s) {
			c.null(file, row, s, false)
			continue
		}
		c.checkString(file, row, s)
	}
}

// checkString runs the checks of one non-null, non-missing string.
func (c *column) checkString(file string, row int64, s string) {
	c.apply(file, row, s, c.judge(s))
}

// verdict is what the string checks concluded about one value: a bit per
// failed check, and the value's hash for uniqueness. Computing it is pure,
// so a dictionary column computes it once per distinct value.
type verdict struct {
	fails uint64
	hash  uint64
	known bool
}

const (
	failShort uint64 = 1 << iota
	failLong
	failPattern
	failFormat
	failDateFormat
	failBelow
	failAbove
	failInvalid0 // invalidValues rule i sets bit failInvalid0 << i
)

// maxJudgedInvalidRules is how many invalidValues rules fit in a verdict;
// a column with more (never seen in practice) checks them row by row.
const maxJudgedInvalidRules = 64 - 7

func (c *column) judge(s string) verdict {
	var v verdict
	v.known = true
	if c.unique != nil {
		v.hash = xxhash.Sum64String(s)
	}
	if c.minLen >= 0 || c.maxLen >= 0 {
		n := int64(utf8.RuneCountInString(s))
		if c.minLen >= 0 && n < c.minLen {
			v.fails |= failShort
		}
		if c.maxLen >= 0 && n > c.maxLen {
			v.fails |= failLong
		}
	}
	if c.pattern != nil && !c.pattern.MatchString(s) {
		v.fails |= failPattern
	}
	if c.format != nil && !c.format(s) {
		v.fails |= failFormat
	}
	if c.dateLayout != "" {
		t, err := time.Parse(c.dateLayout, s)
		switch {
		case err != nil:
			v.fails |= failDateFormat
		default:
			if c.lo.set && c.lo.isT && (t.Before(c.lo.t) || c.lo.excl && t.Equal(c.lo.t)) {
				v.fails |= failBelow
			}
			if c.hi.set && c.hi.isT && (t.After(c.hi.t) || c.hi.excl && t.Equal(c.hi.t)) {
				v.fails |= failAbove
			}
		}
	}
	for i, r := range c.invalidRules {
		if i >= maxJudgedInvalidRules {
			break
		}
		if !r.valid.empty() && !r.valid.hasStr(s) || r.pattern != nil && !r.pattern.MatchString(s) {
			v.fails |= failInvalid0 << i
		}
	}
	return v
}

// apply counts what a verdict says about one row.
func (c *column) apply(file string, row int64, s string, v verdict) {
	if c.unique != nil {
		c.key(row, v.hash)
	}
	if v.fails == 0 && len(c.invalidRules) <= maxJudgedInvalidRules {
		return
	}
	if v.fails&failShort != 0 {
		c.short.Add(file, row, s)
	}
	if v.fails&failLong != 0 {
		c.long.Add(file, row, s)
	}
	if v.fails&failPattern != 0 {
		c.patternMiss.Add(file, row, s)
	}
	if v.fails&failFormat != 0 {
		c.formatMiss.Add(file, row, s)
	}
	if v.fails&failDateFormat != 0 {
		c.dateFormat.Add(file, row, s)
	}
	if v.fails&failBelow != 0 {
		c.below.Add(file, row, s)
	}
	if v.fails&failAbove != 0 {
		c.above.Add(file, row, s)
	}
	for i, r := range c.invalidRules {
		if i < maxJudgedInvalidRules {
			if v.fails&(failInvalid0<<i) != 0 {
				r.t.Add(file, row, s)
			}
		} else if !r.valid.empty() && !r.valid.hasStr(s) || r.pattern != nil && !r.pattern.MatchString(s) {
			r.t.Add(file, row, s)
		}
	}
}

// timeOutside reports whether t breaks the lower or the upper bound. It is
// split from checkTime so that Arrow columns format a value only when it is
// kept as an example: formatting every timestamp took about a quarter of
// the time BenchmarkCheckParquet spent in the file.
// tickRange gives observeTimes a column's raw integer values and the length
// of one unit in nanoseconds.
type tickRange struct {
	raw     func(int) int64
	perTick int64
}

// tickBounds converts the time bounds to the column's ticks, reporting
// false when a bound is not a whole number of ticks (or outside the
// nanosecond range), in which case values are compared as times.
func (c *column) tickBounds() (lo, hi int64, ok bool) {
	if c.ticks.raw == nil || c.ticks.perTick <= 0 {
		return 0, 0, false
	}
	conv := func(b *bound) (int64, bool) {
		if !b.set {
			return 0, true
		}
		if !b.isT || b.t.Year() < 1678 || b.t.Year() > 2261 {
			return 0, false
		}
		ns := b.t.UnixNano()
		if ns%c.ticks.perTick != 0 {
			return 0, false
		}
		return ns / c.ticks.perTick, true
	}
	lo, okLo := conv(&c.lo)
	hi, okHi := conv(&c.hi)
	return lo, hi, okLo && okHi
}

func (c *column) timeOutside(t time.Time) (below, above bool) {
	below = c.lo.set && c.lo.isT && (t.Before(c.lo.t) || c.lo.excl && t.Equal(c.lo.t))
	above = c.hi.set && c.hi.isT && (t.After(c.hi.t) || c.hi.excl && t.Equal(c.hi.t))
	return below, above
}

// observeDictionary checks a dictionary-encoded column. String checks run
// once per distinct dictionary entry per batch rather than once per row: the
// verdict is looked up by index, which is what makes low-cardinality text
// columns cheap.
func (c *column) observeDictionary(file string, first int64, arr *array.Dictionary, skip func(int) bool) {
	dict := arr.Dictionary()
	var value func(int) string
	switch d := dict.(type) {
	case *array.String:
		value = d.Value
	case *array.LargeString:
		value = d.Value
	case *array.Binary:
		value = d.ValueString
	default:
		// A dictionary of numbers, dates or other values (a stored Arrow
		// schema can ask for one) is decoded to a plain array so every
		// check runs on it; such columns are rare, so the copy is cheap.
		plain, err := compute.TakeArray(context.Background(), dict, arr.Indices())
		if err != nil {
			// Take fails only on malformed indices; count the rows as
			// unreadable values rather than passing them.
			for i := 0; i < arr.Len(); i++ {
				if !skip(i) {
					c.typeErrs.Add(file, first+int64(i), arr.ValueStr(i))
				}
			}
			return
		}
		defer plain.Release()
		c.dispatch(file, first, plain, skip)
		return
	}
	// Verdicts are computed lazily, per dictionary entry this batch uses;
	// consecutive batches of a row group share their dictionary, so the
	// cache carries over while the dictionary is the same array data.
	cache := c.dictVerdicts(dict)
	hasMissing := !c.missing.empty()
	for i := 0; i < arr.Len(); i++ {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		idx := arr.GetValueIndex(i)
		if dict.IsNull(idx) {
			c.null(file, row, "null", true)
			continue
		}
		v := &cache.v[idx]
		if !v.known {
			s := value(idx)
			if hasMissing && c.missing.hasStr(s) {
				cache.missing[idx] = true
			}
			*v = c.judge(s)
		}
		if cache.missing[idx] {
			c.null(file, row, value(idx), false)
			continue
		}
		c.apply(file, row, value(idx), *v)
	}
}

// dictCache holds the verdicts of one dictionary's entries.
type dictCache struct {
	data    arrow.ArrayData
	v       []verdict
	missing []bool
}

func (c *column) dictVerdicts(dict arrow.Array) *dictCache {
	if c.dict != nil && c.dict.data == dict.Data() {
		return c.dict
	}
	if c.dict != nil && c.dict.data != nil {
		c.dict.data.Release()
	}
	dict.Data().Retain()
	c.dict = &dictCache{data: dict.Data(), v: make([]verdict, dict.Len()), missing: make([]bool, dict.Len())}
	return c.dict
}

// release drops what the column holds on to between batches.
func (c *column) release() {
	if c.dict != nil && c.dict.data != nil {
		c.dict.data.Release()
		c.dict = nil
	}
}

// observeTimes handles dates and timestamps (range checked through at) and,
// with at nil, booleans, times, structs, lists and maps: nulls, the
// text-matched quality rules and uniqueness (key nil hashes the value's text).
func (c *column) observeTimes(file string, first int64, arr arrow.Array, skip func(int) bool, at func(int) time.Time, key func(int) uint64) {
	byText := c.hasTextRules()
	// Bounds that fall on a whole tick of the column's unit (a date bound
	// at midnight, a timestamp bound in whole units) compare as raw
	// integers: converting each value to time.Time cost a quarter of a
	// Parquet check.
	lo, hi, exact := c.tickBounds()
	defer func() { c.ticks = tickRange{} }()
	for i := 0; i < arr.Len(); i++ {
		if skip(i) {
			continue
		}
		row := first + int64(i)
		if arr.IsNull(i) {
			c.null(file, row, "null", true)
			continue
		}
		if byText && c.textRules(file, row, arr.ValueStr(i)) {
			continue
		}
		if c.unique != nil {
			if key != nil {
				c.key(row, key(i))
			} else {
				c.key(row, xxhash.Sum64String(arr.ValueStr(i)))
			}
		}
		if at != nil && (c.lo.set || c.hi.set) {
			var below, above bool
			if exact {
				v := c.ticks.raw(i)
				below = c.lo.set && (v < lo || c.lo.excl && v == lo)
				above = c.hi.set && (v > hi || c.hi.excl && v == hi)
			} else {
				below, above = c.timeOutside(at(i))
			}
			if below && c.below.Hit() {
				c.below.Example(file, row, arr.ValueStr(i))
			}
			if above && c.above.Hit() {
				c.above.Example(file, row, arr.ValueStr(i))
			}
		}
	}
}

// hasTextRules says the column has missingValues or invalidValues rules.
func (c *column) hasTextRules() bool {
	return !c.missing.empty() || len(c.invalidRules) > 0
}

// textRules applies missingValues and invalidValues to a boolean, date,
// timestamp, time or nested value by its text ("true", "2020-01-01"),
// the form the contract's YAML scalars take. Without it those columns
// skipped both rules and listed them as passed. It reports whether the
// value is missing, which exempts it from the other checks.
func (c *column) textRules(file string, row int64, s string) bool {
	if c.missing.hasStr(s) {
		c.null(file, row, s, false)
		return true
	}
	for _, r := range c.invalidRules {
		if !r.valid.empty() && !r.valid.hasStr(s) || r.pattern != nil && !r.pattern.MatchString(s) {
			r.t.Add(file, row, s)
		}
	}
	return false
}
