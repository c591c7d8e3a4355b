package checker

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/cespare/xxhash/v2"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// column holds everything the checks of one contract column need while the
// data streams past: the compiled rules (observers) with their tallies, and
// the engine's own state: nulls and missing values, which exempt a value
// from every rule; unparsable CSV cells; uniqueness; the quality metrics.
// One column value serves every file of the batch, so counts and
// uniqueness span files.
type column struct {
	prop *contracts.Property
	name string // the data name
	exp  expectation
	desc rules.Column

	// present is set once any file has the column with a usable type.
	present bool

	// obs are the column's compiled rules, in registry order; the typed
	// lists below hold the same observers by the values they judge, so
	// each per-type loop calls only the rules that judge its values.
	obs    []*observed
	ints   []typed[rules.Int64Observer]
	uints  []typed[rules.Uint64Observer]
	floats []typed[rules.Float64Observer]
	dec128 []typed[rules.Decimal128Observer]
	dec256 []typed[rules.Decimal256Observer]
	ticks  []typed[rules.TicksObserver]
	strs   []typed[rules.StringObserver]
	bools  []typed[rules.BoolObserver]
	items  []typed[rules.ItemsObserver]
	objs   []typed[rules.ObjectObserver]
	// lists is set once an array of lists was observed: the array rules
	// ran (a CSV cell is text, never a list). listItems is their view of
	// one list, reused.
	lists     bool
	listItems listItems
	// structs is set once an array of structs was judged by the object
	// rules; fromJSON says the batches at hand come from JSON, whose
	// structs the object rules do not judge (see startObjects).
	// structValue is their view of one struct, reused.
	structs, fromJSON bool
	structValue       structValue

	missing      valueSet // values that count as missing (null) everywhere
	invalidRules []*invalidRule
	missingRules []*missingRule
	unique       *keySet // set for unique columns and duplicateValues rules
	fileIndex    int     // index of the file being read, for spilled keys
	batchFirst   int64   // first row of the batch being observed
	keyErr       error   // a uniqueness spill that failed
	dict         *dictCache

	// Tallies of the engine's rules.
	rows     int64 // non-type-error rows seen, null or not
	nullRows int64 // nulls plus missing values
	nulls    tally // VALUE_NULL, only for required columns
	typeErrs tally // VALUE_TYPE
	// typeWant and typeLine describe the first type error when the reader
	// says more than the column's type: a JSON value's nested field
	// ("int64 at items[].qty") and the line its record starts on.
	typeWant string
	typeLine int64
	dups     tally // VALUE_UNIQUE
}

// observed is one compiled rule of a column with its tallies, one per
// violation the observer distinguishes.
type observed struct {
	rule *rules.Rule
	o    rules.Observer
	t    []tally
}

// typed is an observer seen through one of its typed methods, with the
// tallies its outcomes count into.
type typed[O any] struct {
	o O
	t []tally
}

// addObserver files a compiled rule under every kind of value it judges.
func (c *column) addObserver(r *rules.Rule, o rules.Observer) {
	ob := &observed{rule: r, o: o, t: make([]tally, o.Outcomes())}
	c.obs = append(c.obs, ob)
	if x, ok := o.(rules.Int64Observer); ok {
		c.ints = append(c.ints, typed[rules.Int64Observer]{x, ob.t})
	}
	if x, ok := o.(rules.Uint64Observer); ok {
		c.uints = append(c.uints, typed[rules.Uint64Observer]{x, ob.t})
	}
	if x, ok := o.(rules.Float64Observer); ok {
		c.floats = append(c.floats, typed[rules.Float64Observer]{x, ob.t})
	}
	if x, ok := o.(rules.Decimal128Observer); ok {
		c.dec128 = append(c.dec128, typed[rules.Decimal128Observer]{x, ob.t})
	}
	if x, ok := o.(rules.Decimal256Observer); ok {
		c.dec256 = append(c.dec256, typed[rules.Decimal256Observer]{x, ob.t})
	}
	if x, ok := o.(rules.TicksObserver); ok {
		c.ticks = append(c.ticks, typed[rules.TicksObserver]{x, ob.t})
	}
	if x, ok := o.(rules.StringObserver); ok {
		c.strs = append(c.strs, typed[rules.StringObserver]{x, ob.t})
	}
	if x, ok := o.(rules.BoolObserver); ok {
		c.bools = append(c.bools, typed[rules.BoolObserver]{x, ob.t})
	}
	if x, ok := o.(rules.ItemsObserver); ok {
		c.items = append(c.items, typed[rules.ItemsObserver]{x, ob.t})
	}
	if x, ok := o.(rules.ObjectObserver); ok {
		c.objs = append(c.objs, typed[rules.ObjectObserver]{x, ob.t})
	}
}

// count records an observer's violation at a row; the value is formatted
// only when it is kept as an example.
func count(t []tally, out rules.Outcome, file string, row int64, arr arrow.Array, i int) {
	if t[out-1].Hit() {
		t[out-1].Example(file, row, arr.ValueStr(i))
	}
}

// invalidRule is a column-level invalidValues quality rule.
type invalidRule struct {
	q       *contracts.Quality
	valid   valueSet
	pattern *rules.Matcher
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

// needsValues says whether any check of the column looks at values. In
// CSV every typed column does: its cells must parse (VALUE_TYPE); in JSON
// every typed column, as a number where text belongs is mistyped too.
func (c *column) needsValues(format source.Format) bool {
	p := c.prop
	return p.Required || c.unique != nil || len(c.obs) > 0 || len(p.Quality) > 0 ||
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
	c.dispatch(file, firstRow, arr, invalid)
}

// skips tells a per-type loop which cells of its array to pass over: the
// cells that did not parse, and the nulls. Both are plain data, not
// function values or interface calls, so the loops inline the tests.
type skips struct {
	invalid []int  // sorted offsets of cells that did not parse
	valid   []byte // the array's validity bitmap; nil without nulls
	off     int    // the array's offset into valid
}

func skipsOf(arr arrow.Array, invalid []int) *skips {
	sk := &skips{invalid: invalid}
	if arr.NullN() > 0 {
		sk.valid, sk.off = arr.NullBitmapBytes(), arr.Data().Offset()
	}
	return sk
}

// skip says cell i did not parse; loops ask for every cell, in order.
func (sk *skips) skip(i int) bool {
	if len(sk.invalid) > 0 && sk.invalid[0] == i {
		sk.invalid = sk.invalid[1:]
		return true
	}
	return false
}

// null says cell i is null.
func (sk *skips) null(i int) bool {
	j := sk.off + i
	return sk.valid != nil && sk.valid[j>>3]&(1<<(j&7)) == 0
}

// dispatch runs the checks of one array by its Arrow type: the per-type
// loops below are the engine's hot path, and call each rule's typed method
// for the values it judges.
func (c *column) dispatch(file string, firstRow int64, arr arrow.Array, invalid []int) {
	skip := skipsOf(arr, invalid)
	for _, ob := range c.obs {
		if p, ok := ob.o.(rules.Preparer); ok {
			p.Prepare(arr.DataType())
		}
	}
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
		observeUints(c, file, firstRow, a, a.Uint8Values(), skip)
	case *array.Uint16:
		observeUints(c, file, firstRow, a, a.Uint16Values(), skip)
	case *array.Uint32:
		observeUints(c, file, firstRow, a, a.Uint32Values(), skip)
	case *array.Uint64:
		observeUints(c, file, firstRow, a, a.Uint64Values(), skip)
	case *array.Float16:
		// Rare enough to widen first: the loop stays the float one.
		wide := make([]float32, a.Len())
		for i, v := range a.Values() {
			wide[i] = v.Float32()
		}
		observeFloats(c, file, firstRow, a, wide, skip)
	case *array.Float32:
		observeFloats(c, file, firstRow, a, a.Float32Values(), skip)
	case *array.Float64:
		observeFloats(c, file, firstRow, a, a.Float64Values(), skip)
	case *array.Decimal32:
		observeDecimals(c, file, firstRow, a, widen(a.Values()), skip)
	case *array.Decimal64:
		observeDecimals(c, file, firstRow, a, widen(a.Values()), skip)
	case *array.Decimal128:
		observeDecimals(c, file, firstRow, a, a.Values(), skip)
	case *array.Decimal256:
		c.observeDecimal256(file, firstRow, a, skip)
	case *array.String:
		observeText(c, file, firstRow, a.ValueOffsets(), textBytes(a), skip)
	case *array.LargeString:
		observeText(c, file, firstRow, a.ValueOffsets(), textBytes(a), skip)
	case *array.StringView:
		observeStrings(c, file, firstRow, a, a.Value, skip)
	case *array.Binary:
		observeText(c, file, firstRow, a.ValueOffsets(), textBytes(a), skip)
	case *array.Dictionary:
		c.observeDictionary(file, firstRow, a, skip)
	case *array.Date32:
		observeTicks(c, file, firstRow, a, a.Date32Values(), skip)
	case *array.Date64:
		observeTicks(c, file, firstRow, a, a.Date64Values(), skip)
	case *array.Timestamp:
		observeTicks(c, file, firstRow, a, a.TimestampValues(), skip)
	case *array.Time32:
		observeTicks(c, file, firstRow, a, a.Time32Values(), skip)
	case *array.Time64:
		observeTicks(c, file, firstRow, a, a.Time64Values(), skip)
	case *array.Boolean:
		c.observeBools(file, firstRow, a, skip)
	default:
		c.observeOther(file, firstRow, arr, skip)
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

// key buffers a row's key, a hash of its value, for uniqueness; observe
// flushes the batch.
func (c *column) key(row int64, k uint64) {
	c.unique.push(k, int(row-c.batchFirst))
}

// intKey buffers a row's integer value as its own key for uniqueness,
// which lets the set keep dense values as a bitmap; text says how the
// value shows (textSigned, textUnsigned, textNone).
func (c *column) intKey(row int64, v uint64, text uint8) {
	c.unique.pushValue(v, int(row-c.batchFirst), text)
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

type signed interface {
	~int8 | ~int16 | ~int32 | ~int64
}

type unsigned interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}

func observeInts[T signed](c *column, file string, first int64, arr arrow.Array, vals []T, skip *skips) {
	hasMissing := !c.missing.empty()
	for i, v := range vals {
		row := first + int64(i)
		if skip.skip(i) || c.nullOrMissing(file, row, arr, i, skip.null(i), hasMissing && c.missing.hasNum(float64(v))) {
			continue
		}
		if c.unique != nil {
			c.intKey(row, uint64(v), textSigned)
		}
		for k := range c.ints {
			if out := c.ints[k].o.Int64(int64(v)); out != rules.Pass {
				count(c.ints[k].t, out, file, row, arr, i)
			}
		}
		if len(c.invalidRules) > 0 {
			c.invalidNumber(file, row, float64(v), arr, i)
		}
	}
}

func observeUints[T unsigned](c *column, file string, first int64, arr arrow.Array, vals []T, skip *skips) {
	hasMissing := !c.missing.empty()
	for i, v := range vals {
		row := first + int64(i)
		if skip.skip(i) || c.nullOrMissing(file, row, arr, i, skip.null(i), hasMissing && c.missing.hasNum(float64(v))) {
			continue
		}
		if c.unique != nil {
			c.intKey(row, uint64(v), textUnsigned)
		}
		for k := range c.uints {
			if out := c.uints[k].o.Uint64(uint64(v)); out != rules.Pass {
				count(c.uints[k].t, out, file, row, arr, i)
			}
		}
		if len(c.invalidRules) > 0 {
			c.invalidNumber(file, row, float64(v), arr, i)
		}
	}
}

func observeFloats[T float32 | float64](c *column, file string, first int64, arr arrow.Array, vals []T, skip *skips) {
	hasMissing := !c.missing.empty()
	for i, v := range vals {
		if skip.skip(i) {
			continue
		}
		row := first + int64(i)
		if skip.null(i) {
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
		for k := range c.floats {
			if out := c.floats[k].o.Float64(f); out != rules.Pass {
				count(c.floats[k].t, out, file, row, arr, i)
			}
		}
		if len(c.invalidRules) > 0 {
			c.invalidNumber(file, row, f, arr, i)
		}
	}
}

// nullOrMissing counts a null, or a value the contract lists as missing,
// and reports whether it was one: either exempts the value from the rules.
func (c *column) nullOrMissing(file string, row int64, arr arrow.Array, i int, isNull, missing bool) bool {
	switch {
	case isNull:
		c.null(file, row, "null", true)
	case missing:
		c.null(file, row, arr.ValueStr(i), false)
	default:
		return false
	}
	return true
}

// nullOrText counts a null, and with byText applies the text-matched
// quality rules; it reports whether the value is null or missing.
func (c *column) nullOrText(file string, row int64, arr arrow.Array, i int, isNull, byText bool) bool {
	if isNull {
		c.null(file, row, "null", true)
		return true
	}
	return byText && c.textRules(file, row, arr.ValueStr(i))
}

// invalidNumber applies the invalidValues rules to a number.
func (c *column) invalidNumber(file string, row int64, f float64, arr arrow.Array, i int) {
	for _, r := range c.invalidRules {
		if !r.valid.empty() && !r.valid.hasNum(f) || r.pattern != nil && !r.pattern.MatchString(arr.ValueStr(i)) {
			r.t.Add(file, row, arr.ValueStr(i))
		}
	}
}

// widen turns decimal32 and decimal64 values into 128-bit ones (exactly),
// which the decimal loop and the rules' Decimal128 judge; such arrays are
// rare, so one copy is cheaper than a second loop.
func widen[T decimal.Decimal32 | decimal.Decimal64](vals []T) []decimal128.Num {
	out := make([]decimal128.Num, len(vals))
	for i, v := range vals {
		out[i] = decimal128.FromI64(int64(v))
	}
	return out
}

// observeDecimals handles decimals up to 128 bits as unscaled values; the
// scale reached the rules through Prepare.
func observeDecimals(c *column, file string, first int64, arr arrow.Array, vals []decimal128.Num, skip *skips) {
	scale := arr.DataType().(arrow.DecimalType).GetScale()
	hasMissing := !c.missing.empty()
	for i, v := range vals {
		if skip.skip(i) {
			continue
		}
		row := first + int64(i)
		if skip.null(i) {
			c.null(file, row, "null", true)
			continue
		}
		if hasMissing && c.missing.hasNum(v.ToFloat64(scale)) {
			c.null(file, row, arr.ValueStr(i), false)
			continue
		}
		if c.unique != nil {
			c.key(row, mix(v.LowBits()^mix(uint64(v.HighBits()))))
		}
		for k := range c.dec128 {
			if out := c.dec128[k].o.Decimal128(v); out != rules.Pass {
				count(c.dec128[k].t, out, file, row, arr, i)
			}
		}
		if len(c.invalidRules) > 0 {
			c.invalidNumber(file, row, v.ToFloat64(scale), arr, i)
		}
	}
}

func (c *column) observeDecimal256(file string, first int64, arr *array.Decimal256, skip *skips) {
	scale := arr.DataType().(*arrow.Decimal256Type).Scale
	hasMissing := !c.missing.empty()
	for i, v := range arr.Values() {
		row := first + int64(i)
		if skip.skip(i) || c.nullOrMissing(file, row, arr, i, skip.null(i), hasMissing && c.missing.hasNum(v.ToFloat64(scale))) {
			continue
		}
		if c.unique != nil {
			c.key(row, hash256(v))
		}
		for k := range c.dec256 {
			if out := c.dec256[k].o.Decimal256(v); out != rules.Pass {
				count(c.dec256[k].t, out, file, row, arr, i)
			}
		}
		if len(c.invalidRules) > 0 {
			c.invalidNumber(file, row, v.ToFloat64(scale), arr, i)
		}
	}
}

func hash256(v decimal256.Num) uint64 {
	a := v.Array()
	return mix(a[0] ^ mix(a[1]^mix(a[2]^mix(a[3]))))
}

// observeTicks handles dates, timestamps and times, which rules judge as
// integer ticks of the array's unit (given to Prepare): converting every
// value to a time.Time cost a quarter of a Parquet check.
func observeTicks[T ~int32 | ~int64](c *column, file string, first int64, arr arrow.Array, vals []T, skip *skips) {
	byText := c.hasTextRules()
	for i, v := range vals {
		row := first + int64(i)
		if skip.skip(i) || c.nullOrText(file, row, arr, i, skip.null(i), byText) {
			continue
		}
		if c.unique != nil {
			c.intKey(row, uint64(v), textNone)
		}
		for k := range c.ticks {
			if out := c.ticks[k].o.Ticks(int64(v)); out != rules.Pass {
				count(c.ticks[k].t, out, file, row, arr, i)
			}
		}
	}
}

func (c *column) observeBools(file string, first int64, arr *array.Boolean, skip *skips) {
	byText := c.hasTextRules()
	for i := 0; i < arr.Len(); i++ {
		row := first + int64(i)
		if skip.skip(i) || c.nullOrText(file, row, arr, i, skip.null(i), byText) {
			continue
		}
		v := arr.Value(i)
		if c.unique != nil {
			var k uint64
			if v {
				k = 1
			}
			c.intKey(row, k, textNone)
		}
		for k := range c.bools {
			if out := c.bools[k].o.Bool(v); out != rules.Pass {
				count(c.bools[k].t, out, file, row, arr, i)
			}
		}
	}
}

// observeOther handles structs, lists, maps and the other types no
// per-value loop judges: nulls, the text-matched quality rules,
// uniqueness by text, and the array rules over lists.
func (c *column) observeOther(file string, first int64, arr arrow.Array, skip *skips) {
	lists := c.startLists(arr)
	objs := c.startObjects(arr)
	byText := c.hasTextRules()
	for i := 0; i < arr.Len(); i++ {
		row := first + int64(i)
		if skip.skip(i) || c.nullOrText(file, row, arr, i, skip.null(i), byText) {
			continue
		}
		if lists != nil {
			c.judgeList(file, row, arr, lists, i)
		}
		if objs != nil {
			c.judgeObject(file, row, objs, i)
		}
		if c.unique != nil {
			c.key(row, xxhash.Sum64String(arr.ValueStr(i)))
		}
	}
	c.listItems.vals, c.listItems.key = nil, nil // the array is the batch's: keep no reference to it
	c.structValue = structValue{}
}

// observeText runs the string checks over an array of offsets into text
// bytes (utf8, large utf8, binary), taking each value straight from the
// buffers: Value's bounds checks and a call through a function value per
// row were a tenth of a text column's checks.
func observeText[O int32 | int64](c *column, file string, first int64, offs []O, data []byte, skip *skips) {
	hasMissing := !c.missing.empty()
	for i := 0; i+1 < len(offs); i++ {
		if skip.skip(i) {
			continue
		}
		row := first + int64(i)
		if skip.null(i) {
			c.null(file, row, "null", true)
			continue
		}
		b := data[offs[i]:offs[i+1]]
		c.text(file, row, unsafe.String(unsafe.SliceData(b), len(b)), hasMissing)
	}
}

// textBytes is the whole data buffer of a utf8 or binary array, which its
// offsets index (ValueBytes starts at the array's first value).
func textBytes(arr arrow.Array) []byte {
	if bufs := arr.Data().Buffers(); len(bufs) > 2 && bufs[2] != nil {
		return bufs[2].Bytes()
	}
	return nil
}

// observeStrings runs the string checks over the values that value gives,
// for the string types not laid out as offsets (string views).
func observeStrings(c *column, file string, first int64, arr arrow.Array, value func(int) string, skip *skips) {
	hasMissing := !c.missing.empty()
	for i := 0; i < arr.Len(); i++ {
		if skip.skip(i) {
			continue
		}
		row := first + int64(i)
		if skip.null(i) {
			c.null(file, row, "null", true)
			continue
		}
		c.text(file, row, value(i), hasMissing)
	}
}

// text judges one non-null string value and counts what the verdict says.
func (c *column) text(file string, row int64, s string, hasMissing bool) {
	if hasMissing && c.missing.hasStr(s) {
		c.null(file, row, s, false)
		return
	}
	v := c.judge(s)
	if v.obs == 0 && v.inv == 0 && c.unique == nil && len(c.invalidRules) <= maxJudgedInvalidRules {
		return // the common case: a value that passes, and no key to keep
	}
	c.apply(file, row, s, v)
}

// verdict is what the string rules concluded about one value: two bits of
// outcome per string observer, a bit per failed invalidValues rule, and
// the value's hash for uniqueness. Computing it is pure, so a dictionary
// column computes it once per distinct value.
type verdict struct {
	obs   uint64
	inv   uint64
	hash  uint64
	known bool
}

// maxJudgedInvalidRules is how many invalidValues rules fit in a verdict;
// a column with more (never seen in practice) checks them row by row.
const maxJudgedInvalidRules = 64

func (c *column) judge(s string) verdict {
	v := verdict{known: true}
	if c.unique != nil {
		v.hash = xxhash.Sum64String(s)
	}
	for k := range c.strs {
		v.obs |= uint64(c.strs[k].o.String(s)) << (2 * k)
	}
	for i, r := range c.invalidRules {
		if i >= maxJudgedInvalidRules {
			break
		}
		if !r.valid.empty() && !r.valid.hasStr(s) || r.pattern != nil && !r.pattern.MatchString(s) {
			v.inv |= 1 << i
		}
	}
	return v
}

// apply counts what a verdict says about one row.
func (c *column) apply(file string, row int64, s string, v verdict) {
	if c.unique != nil {
		c.key(row, v.hash)
	}
	if v.obs == 0 && v.inv == 0 && len(c.invalidRules) <= maxJudgedInvalidRules {
		return
	}
	for k := range c.strs {
		if out := rules.Outcome(v.obs>>(2*k)) & 3; out != rules.Pass {
			c.strs[k].t[out-1].Add(file, row, s)
		}
	}
	for i, r := range c.invalidRules {
		if i < maxJudgedInvalidRules {
			if v.inv&(1<<i) != 0 {
				r.t.Add(file, row, s)
			}
		} else if !r.valid.empty() && !r.valid.hasStr(s) || r.pattern != nil && !r.pattern.MatchString(s) {
			r.t.Add(file, row, s)
		}
	}
}

// observeDictionary checks a dictionary-encoded column. String checks run
// once per distinct dictionary entry per batch rather than once per row: the
// verdict is looked up by index, which is what makes low-cardinality text
// columns cheap.
func (c *column) observeDictionary(file string, first int64, arr *array.Dictionary, skip *skips) {
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
				if !skip.skip(i) {
					c.typeErrs.Add(file, first+int64(i), arr.ValueStr(i))
				}
			}
			return
		}
		defer plain.Release()
		c.dispatch(file, first, plain, skip.invalid)
		return
	}
	// Verdicts are computed lazily, per dictionary entry this batch uses;
	// consecutive batches of a row group share their dictionary, so the
	// cache carries over while the dictionary is the same array data.
	cache := c.dictVerdicts(dict)
	hasMissing := !c.missing.empty()
	// Parquet's dictionary indices are int32: read them straight, not
	// through GetValueIndex's type switch per row.
	var idx32 []int32
	if ix, ok := arr.Indices().(*array.Int32); ok {
		idx32 = ix.Int32Values()
	}
	dictNulls := skipsOf(dict, nil)
	clean := len(c.invalidRules) <= maxJudgedInvalidRules
	for i := 0; i < arr.Len(); i++ {
		if skip.skip(i) {
			continue
		}
		row := first + int64(i)
		if skip.null(i) {
			c.null(file, row, "null", true)
			continue
		}
		var idx int
		if idx32 != nil {
			idx = int(idx32[i])
		} else {
			idx = arr.GetValueIndex(i)
		}
		if dictNulls.null(idx) {
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
		if clean && v.obs == 0 && v.inv == 0 {
			// The value passes every rule: only uniqueness wants it, by
			// its hash.
			if c.unique != nil {
				c.key(row, v.hash)
			}
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
