package source

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// nullSet holds the cell texts that mean null.
type nullSet struct {
	vals []string
}

func newNullSet(vals []string) nullSet {
	if vals == nil {
		vals = []string{""}
	}
	return nullSet{vals: vals}
}

func (n nullSet) is(s string) bool {
	for _, v := range n.vals {
		if v == s {
			return true
		}
	}
	return false
}

// convertible reports whether CSV text can be parsed as dt.
func convertible(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BOOL,
		arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64,
		arrow.DECIMAL128, arrow.DECIMAL256,
		arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64:
		return true
	}
	return false
}

// converter turns one utf8 column into its target type.
type converter struct {
	dt     arrow.DataType
	want   string
	layout string
}

func newConverter(dt arrow.DataType, layout string) *converter {
	return &converter{dt: dt, want: dt.String(), layout: layout}
}

// convert returns col as c.dt, appending a CellError to invalid for every
// non-null cell that does not parse; those cells are null in the result.
func (c *converter) convert(mem memory.Allocator, col *array.String, nulls nullSet, firstRow int64, colIdx int, invalid []CellError) (arrow.Array, []CellError) {
	if c.dt.ID() == arrow.STRING {
		return stringNulls(mem, col, nulls), invalid
	}
	b := array.NewBuilder(mem, c.dt)
	defer b.Release()
	b.Reserve(col.Len())
	parse := c.bind(b)
	for i := range col.Len() {
		if col.IsNull(i) {
			b.AppendNull()
			continue
		}
		s := col.Value(i)
		if nulls.is(s) {
			b.AppendNull()
			continue
		}
		if !parse(s) {
			b.AppendNull()
			// s points into an Arrow buffer that is released with the
			// batch; the error outlives it.
			invalid = append(invalid, CellError{Row: firstRow + int64(i), Column: colIdx, Raw: strings.Clone(s), Want: c.want})
		}
	}
	return b.NewArray(), invalid
}

// stringNulls applies the null values to a utf8 column. When none occur,
// which is the common case, the column is returned as is; otherwise only a
// validity bitmap is built and the text buffers are shared.
func stringNulls(mem memory.Allocator, col *array.String, nulls nullSet) arrow.Array {
	n := col.Len()
	first := -1
	for i := range n {
		if col.IsValid(i) && nulls.is(col.Value(i)) {
			first = i
			break
		}
	}
	if first < 0 {
		col.Retain()
		return col
	}
	data := col.Data()
	if data.Offset() != 0 {
		// Not produced by Arrow's CSV reader; rebuild rather than shift bits.
		b := array.NewStringBuilder(mem)
		defer b.Release()
		for i := range n {
			if col.IsNull(i) || nulls.is(col.Value(i)) {
				b.AppendNull()
			} else {
				b.Append(col.Value(i))
			}
		}
		return b.NewArray()
	}
	bm := memory.NewResizableBuffer(mem)
	defer bm.Release()
	bm.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := bm.Bytes()
	clear(bits)
	nullCount := 0
	for i := range n {
		if col.IsNull(i) || (i >= first && nulls.is(col.Value(i))) {
			nullCount++
			continue
		}
		bitutil.SetBit(bits, i)
	}
	bufs := data.Buffers()
	out := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{bm, bufs[1], bufs[2]}, nil, nullCount, 0)
	defer out.Release()
	return array.MakeFromData(out)
}

// bind returns a function that appends a cell's value to b and reports
// whether the cell parsed. Numbers, decimals and times each have one
// binder; the reading of a cell's text is written once per family.
func (c *converter) bind(b array.Builder) func(string) bool {
	switch b := b.(type) {
	case *array.LargeStringBuilder:
		return func(s string) bool { b.Append(s); return true }
	case *array.BooleanBuilder:
		return func(s string) bool {
			v, ok := parseBool(trim(s))
			if ok {
				b.Append(v)
			}
			return ok
		}
	case *array.Int8Builder:
		return intParser(8, func(v int64) { b.Append(int8(v)) })
	case *array.Int16Builder:
		return intParser(16, func(v int64) { b.Append(int16(v)) })
	case *array.Int32Builder:
		return intParser(32, func(v int64) { b.Append(int32(v)) })
	case *array.Int64Builder:
		return intParser(64, b.Append)
	case *array.Uint8Builder:
		return uintParser(8, func(v uint64) { b.Append(uint8(v)) })
	case *array.Uint16Builder:
		return uintParser(16, func(v uint64) { b.Append(uint16(v)) })
	case *array.Uint32Builder:
		return uintParser(32, func(v uint64) { b.Append(uint32(v)) })
	case *array.Uint64Builder:
		return uintParser(64, b.Append)
	case *array.Float32Builder:
		return func(s string) bool {
			v, err := strconv.ParseFloat(trim(s), 32)
			if err == nil {
				b.Append(float32(v))
			}
			return err == nil
		}
	case *array.Float64Builder:
		return func(s string) bool {
			v, err := strconv.ParseFloat(trim(s), 64)
			if err == nil {
				b.Append(v)
			}
			return err == nil
		}
	case *array.Decimal128Builder, *array.Decimal256Builder:
		return c.bindDecimal(b)
	}
	if parse := c.bindTemporal(b); parse != nil {
		return parse
	}
	// convertible keeps other types out at Open.
	panic("source: no CSV conversion for " + c.dt.String())
}

// bindDecimal binds a decimal builder: exact, never rounded.
func (c *converter) bindDecimal(b array.Builder) func(string) bool {
	if b, ok := b.(*array.Decimal128Builder); ok {
		dt := c.dt.(*arrow.Decimal128Type)
		return func(s string) bool {
			s = trim(s)
			// Most amounts fit an int64; big.Int costs 3x more per cell.
			if v, ok := smallDecimal(s, dt.Precision, dt.Scale); ok {
				b.Append(decimal128.FromI64(v))
				return true
			}
			v, ok := parseDecimal(s, dt.Precision, dt.Scale)
			if ok {
				b.Append(decimal128.FromBigInt(v))
			}
			return ok
		}
	}
	b256 := b.(*array.Decimal256Builder)
	dt := c.dt.(*arrow.Decimal256Type)
	return func(s string) bool {
		v, ok := parseDecimal(trim(s), dt.Precision, dt.Scale)
		if ok {
			b256.Append(decimal256.FromBigInt(v))
		}
		return ok
	}
}

// bindTemporal binds a date, timestamp or time builder, reading cells in
// the column's layout; nil for other builders.
func (c *converter) bindTemporal(b array.Builder) func(string) bool {
	switch b := b.(type) {
	case *array.Date32Builder:
		return func(s string) bool {
			d, ok := parseDate(trim(s), c.layout)
			if ok && d >= math.MinInt32 && d <= math.MaxInt32 {
				b.Append(arrow.Date32(d))
				return true
			}
			return false
		}
	case *array.Date64Builder:
		return func(s string) bool {
			d, ok := parseDate(trim(s), c.layout)
			if ok {
				b.Append(arrow.Date64(d * 86_400_000))
			}
			return ok
		}
	case *array.TimestampBuilder:
		unit := c.dt.(*arrow.TimestampType).Unit
		return func(s string) bool {
			t, ok := parseInstant(trim(s), c.layout)
			if !ok {
				return false
			}
			v, ok := inUnit(t.Unix(), int64(t.Nanosecond()), unit)
			if ok {
				b.Append(arrow.Timestamp(v))
			}
			return ok
		}
	case *array.Time32Builder:
		return c.timeOfDayParser(c.dt.(*arrow.Time32Type).Unit, func(v int64) { b.Append(arrow.Time32(v)) })
	case *array.Time64Builder:
		return c.timeOfDayParser(c.dt.(*arrow.Time64Type).Unit, func(v int64) { b.Append(arrow.Time64(v)) })
	}
	return nil
}

// timeOfDayParser reads a time of day in the column's layout and adds it
// in unit.
func (c *converter) timeOfDayParser(unit arrow.TimeUnit, add func(int64)) func(string) bool {
	return func(s string) bool {
		sec, ns, ok := parseTimeOfDay(trim(s), c.layout)
		if !ok {
			return false
		}
		v, ok := inUnit(sec, ns, unit)
		if ok {
			add(v)
		}
		return ok
	}
}

// trim drops the blanks that hand-written CSV puts after a delimiter; they
// are never part of a number, flag or date. Strings keep theirs.
func trim(s string) string { return strings.Trim(s, " \t") }

func intParser(bits int, add func(int64)) func(string) bool {
	return func(s string) bool {
		v, err := strconv.ParseInt(trim(s), 10, bits)
		if err == nil {
			add(v)
		}
		return err == nil
	}
}

func uintParser(bits int, add func(uint64)) func(string) bool {
	return func(s string) bool {
		v, err := strconv.ParseUint(trim(s), 10, bits)
		if err == nil {
			add(v)
		}
		return err == nil
	}
}

func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"), s == "1", strings.EqualFold(s, "yes"), strings.EqualFold(s, "t"):
		return true, true
	case strings.EqualFold(s, "false"), s == "0", strings.EqualFold(s, "no"), strings.EqualFold(s, "f"):
		return false, true
	}
	return false, false
}

// parseDecimal returns the unscaled value of s at scale. It refuses what
// decimal128.FromString would round: more significant fractional digits
// than scale, or more digits than prec. Trailing fractional zeros are not
// significant ("1.50" fits scale 1). Exponents ("1.5e3") are accepted.
func parseDecimal(s string, prec, scale int32) (*big.Int, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return nil, false
		}
		mant, exp = s[:i], e
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if (intPart == "" && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return nil, false
	}
	digits := intPart + frac
	fracDigits := len(frac) - exp
	for fracDigits > int(scale) && len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		fracDigits--
	}
	if fracDigits > int(scale) {
		return nil, false
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return new(big.Int), true
	}
	pad := int(scale) - fracDigits
	if len(digits)+pad > int(prec) {
		return nil, false
	}
	v, ok := new(big.Int).SetString(digits+strings.Repeat("0", pad), 10)
	if !ok {
		return nil, false
	}
	if neg {
		v.Neg(v)
	}
	return v, true
}

// smallDecimal is parseDecimal for the common plain form, [-]digits[.digits]
// with at most 18 digits in all, where int64 arithmetic is exact. It
// reports false for anything else, and parseDecimal then decides.
func smallDecimal(s string, prec, scale int32) (int64, bool) {
	if scale < 0 || prec > 18 {
		return 0, false
	}
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var v int64
	digits, frac, dot := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !dot:
			dot = true
			continue
		case c < '0' || c > '9':
			return 0, false
		}
		if dot {
			frac++
		}
		if digits++; digits > 18 {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if digits == 0 || frac > int(scale) || digits+int(scale)-frac > 18 {
		return 0, false
	}
	for range int(scale) - frac {
		v *= 10
	}
	// prec <= 18, so the bound fits an int64.
	limit := int64(1)
	for range prec {
		limit *= 10
	}
	if v >= limit {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDate returns days since 1970-01-01 of an ISO date or of a date in
// layout. Only the calendar date counts; a time of day in layout is ignored.
func parseDate(s, layout string) (int64, bool) {
	if layout == "" {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return 0, false
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400, true
}

// parseInstant reads an ISO 8601 / RFC 3339 timestamp: a 'T' or a space
// between date and time, optional seconds and fraction, and an optional
// zone (Z, +hh:mm, +hhmm, +hh); a date alone is midnight. A value without
// zone is taken as UTC, whatever the column's time zone: the stored value
// of an Arrow timestamp is UTC in both cases.
func parseInstant(s, layout string) (time.Time, bool) {
	if layout != "" {
		t, err := time.Parse(layout, s)
		return t, err == nil
	}
	if len(s) == len(time.DateOnly) {
		t, err := time.Parse(time.DateOnly, s)
		return t, err == nil
	}
	if len(s) < 16 || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') {
		return time.Time{}, false
	}
	// Pick the one layout the text's shape allows instead of trying them
	// all: a failed time.Parse allocates, and this runs per cell.
	var l strings.Builder
	l.WriteString("2006-01-02")
	l.WriteByte(s[10])
	l.WriteString("15:04")
	if len(s) > 16 && s[16] == ':' {
		l.WriteString(":05")
	}
	if i := strings.IndexAny(s[16:], "Zz+-"); i >= 0 {
		switch zone := s[16+i:]; {
		case zone == "Z" || zone == "z":
			l.WriteString("Z07:00")
			if zone == "z" {
				s = s[:len(s)-1] + "Z"
			}
		case len(zone) == 6:
			l.WriteString("Z07:00")
		case len(zone) == 5:
			l.WriteString("Z0700")
		case len(zone) == 3:
			l.WriteString("Z07")
		default:
			return time.Time{}, false
		}
	}
	t, err := time.Parse(l.String(), s)
	return t, err == nil
}

// parseTimeOfDay reads hh:mm[:ss[.fffffffff]] or layout into seconds and
// nanoseconds since midnight.
func parseTimeOfDay(s, layout string) (int64, int64, bool) {
	if layout == "" {
		layout = time.TimeOnly
		if len(s) == 5 {
			layout = "15:04"
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return 0, 0, false
	}
	return int64(t.Hour()*3600 + t.Minute()*60 + t.Second()), int64(t.Nanosecond()), true
}

// inUnit expresses sec+ns in unit. A value finer than unit does not fit
// it: truncating would hide exactly the drift a contract is there to
// catch. So does a value beyond the int64 range of unit.
func inUnit(sec, ns int64, unit arrow.TimeUnit) (int64, bool) {
	per := int64(1)
	switch unit {
	case arrow.Millisecond:
		per = 1_000
	case arrow.Microsecond:
		per = 1_000_000
	case arrow.Nanosecond:
		per = 1_000_000_000
	}
	step := 1_000_000_000 / per
	if ns%step != 0 {
		return 0, false
	}
	if sec > (math.MaxInt64-ns/step)/per || sec < math.MinInt64/per {
		return 0, false
	}
	return sec*per + ns/step, true
}
