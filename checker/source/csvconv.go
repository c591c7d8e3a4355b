package source

import (
	"encoding/binary"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// sinkKind picks a conversion fast path. Every fast path either decides a
// cell exactly as convert.go would or leaves it to convert.go's parser
// (sink.parse), so the two readers cannot disagree on a value.
type sinkKind uint8

const (
	kindGeneric sinkKind = iota
	kindString
	kindInt64
	kindFloat64
	kindDecimal128
	kindTimestamp
	kindDate32
	kindBool
)

func kindOf(dt arrow.DataType, layout string) sinkKind {
	switch dt.ID() {
	case arrow.STRING:
		return kindString
	case arrow.INT64:
		return kindInt64
	case arrow.FLOAT64:
		return kindFloat64
	case arrow.DECIMAL128:
		return kindDecimal128
	case arrow.TIMESTAMP:
		if layout == "" {
			return kindTimestamp
		}
	case arrow.DATE32:
		if layout == "" {
			return kindDate32
		}
	case arrow.BOOL:
		return kindBool
	}
	return kindGeneric
}

// nullBytes is nullSet for cells given as bytes.
type nullBytes struct {
	onlyEmpty bool
	vals      []string
}

func newNullBytes(n nullSet) nullBytes {
	return nullBytes{onlyEmpty: len(n.vals) == 1 && n.vals[0] == "", vals: n.vals}
}

func (n nullBytes) is(v []byte) bool {
	if n.onlyEmpty {
		return len(v) == 0
	}
	for _, s := range n.vals {
		if string(v) == s {
			return true
		}
	}
	return false
}

// unsafeString views b as a string without copying, for parsers that do
// not keep their argument (strconv and time copy what their errors quote).
// b is a chunk buffer or scratch space that is reused after the cell.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// trimBlank is trim for bytes.
func trimBlank(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// add appends cell v (as written, before trimming) to the column. The
// builders were reserved for more rows than the chunk can hold (one per
// line), so the fast paths append without capacity checks.
func (s *sink) add(p *chunkParser, col int, v []byte) {
	if p.spec.nulls.is(v) {
		s.appendNull()
		return
	}
	var ok bool
	switch s.f.kind {
	case kindString:
		s.str.append(v)
		return
	case kindInt64:
		if x, fast := fastInt(trimBlank(v)); fast {
			s.i64.UnsafeAppend(x)
			return
		}
		ok = s.parse(unsafeString(v))
	case kindFloat64:
		t := trimBlank(v)
		if x, fast := fastFloat(t); fast {
			s.f64.UnsafeAppend(x)
			return
		}
		x, err := strconv.ParseFloat(unsafeString(t), 64)
		if ok = err == nil; ok {
			s.f64.UnsafeAppend(x)
		}
	case kindDecimal128:
		dt := s.f.dt.(*arrow.Decimal128Type)
		t := trimBlank(v)
		if x, fast := smallDecimal(unsafeString(t), dt.Precision, dt.Scale); fast {
			s.d128.UnsafeAppend(decimal128.FromI64(x))
			return
		}
		if x, fast := plainDecimal128(t, dt.Precision, dt.Scale); fast {
			s.d128.UnsafeAppend(x)
			return
		}
		ok = s.parse(unsafeString(v))
	case kindTimestamp:
		if sec, ns, fast := fastInstant(trimBlank(v), &s.dates); fast {
			x, fits := fastInUnit(sec, ns, s.f.dt.(*arrow.TimestampType).Unit)
			if ok = fits; ok {
				s.ts.UnsafeAppend(arrow.Timestamp(x))
			}
			break
		}
		ok = s.parse(unsafeString(v))
	case kindDate32:
		if d, fast := s.dates.days(trimBlank(v)); fast {
			s.d32.UnsafeAppend(arrow.Date32(d))
			return
		}
		ok = s.parse(unsafeString(v))
	case kindBool:
		var x bool
		if x, ok = parseBool(unsafeString(trimBlank(v))); ok {
			s.bl.UnsafeAppend(x)
		}
	default:
		ok = s.parse(unsafeString(v))
	}
	if !ok {
		s.appendNull()
		p.invalid = append(p.invalid, CellError{Row: int64(p.rows), Column: col, Raw: string(v), Want: s.f.want})
	}
}

func (s *sink) appendNull() {
	if s.str != nil {
		s.str.appendNull()
		return
	}
	s.b.AppendNull()
}

// fastInt parses [+-]digits of at most 19 digits, which fit a uint64;
// anything else, and values beyond int64, are left to strconv.
func fastInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		c -= '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + uint64(c)
	}
	switch {
	case neg && v <= 1<<63:
		return int64(-v), true
	case !neg && v < 1<<63:
		return int64(v), true
	}
	return 0, false
}

// fastFloat reads [+-]digits[.digits] with at most 15 digits in all. The
// digits then form an integer below 2^53 and the divisor 10^k (k <= 15) is
// exact too, so one IEEE division rounds correctly: the same float64 as
// strconv.ParseFloat (Clinger's fast path). Anything else is left to
// strconv.
func fastFloat(b []byte) (float64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	var m uint64
	digits, frac, dot := 0, 0, false
	for _, c := range b {
		if c == '.' && !dot {
			dot = true
			continue
		}
		c -= '0'
		if c > 9 {
			return 0, false
		}
		m = m*10 + uint64(c)
		digits++
		if dot {
			frac++
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	div := 1.0
	for range frac {
		div *= 10
	}
	f := float64(m) / div
	if neg {
		f = -f
	}
	return f, true
}

// plainDecimal128 is parseDecimal for [+-]digits[.digits] that fits
// precision 38 once scaled, in 128-bit integer arithmetic. It reports
// false for anything else, including values parseDecimal rejects, and
// parseDecimal then decides.
func plainDecimal128(b []byte, prec, scale int32) (decimal128.Num, bool) {
	if scale < 0 || prec > 38 {
		return decimal128.Num{}, false
	}
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	intPart, frac := b, b[len(b):]
	for i, c := range b {
		if c == '.' {
			intPart, frac = b[:i], b[i+1:]
			break
		}
	}
	if len(intPart)+len(frac) == 0 || !allDigitBytes(intPart) || !allDigitBytes(frac) {
		return decimal128.Num{}, false
	}
	// Zeros past the scale are not significant ("1.500" at scale 2).
	for len(frac) > int(scale) && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) > int(scale) {
		return decimal128.Num{}, false
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	sig := len(intPart) + len(frac)
	if len(intPart) == 0 {
		for _, c := range frac {
			if c != '0' {
				break
			}
			sig--
		}
	}
	pad := int(scale) - len(frac)
	if sig+pad > int(prec) {
		return decimal128.Num{}, false
	}
	ten := decimal128.FromU64(10)
	var v decimal128.Num
	for _, part := range [2][]byte{intPart, frac} {
		for _, c := range part {
			v = v.Mul(ten).Add(decimal128.FromU64(uint64(c - '0')))
		}
	}
	if pad > 0 {
		v = v.Mul(decimal128.GetScaleMultiplier(pad))
	}
	if neg {
		v = v.Negate()
	}
	return v, true
}

func allDigitBytes(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// digits2 reads two ASCII digits.
func digits2(b []byte) (int64, bool) {
	h, l := b[0]-'0', b[1]-'0'
	if h > 9 || l > 9 {
		return 0, false
	}
	return int64(h)*10 + int64(l), true
}

// clockPart reads two digits no larger than limit: an hour, minute or
// second. It is small enough to inline, so fastInstant pays no call.
func clockPart(b []byte, limit int64) (int64, bool) {
	v, ok := digits2(b)
	return v, ok && v <= limit
}

// fastDate reads YYYY-MM-DD, the form time.Parse(time.DateOnly) accepts
// in the common case, as days since 1970-01-01. Other text is left to
// time.Parse, which also decides every invalid date.
func fastDate(b []byte) (int64, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	hi, ok1 := digits2(b[0:2])
	lo, ok2 := digits2(b[2:4])
	m, ok3 := digits2(b[5:7])
	d, ok4 := digits2(b[8:10])
	if !ok1 || !ok2 || !ok3 || !ok4 || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	y := hi*100 + lo
	if d > daysIn(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

// dateCache is fastDate with a memory of the last date it read.
type dateCache struct {
	lo   uint64
	hi   uint16
	day  int64
	full bool
}

func (c *dateCache) days(b []byte) (int64, bool) {
	if len(b) != 10 {
		return 0, false
	}
	lo, hi := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint16(b[8:])
	if c.full && lo == c.lo && hi == c.hi {
		return c.day, true
	}
	d, ok := fastDate(b)
	if ok {
		*c = dateCache{lo: lo, hi: hi, day: d, full: true}
	}
	return d, ok
}

// fastInUnit is inUnit for the instants fastInstant reads (years 0 to
// 9999, so sec*1e6 cannot overflow) with constant divisors; nanoseconds,
// which can overflow, go to inUnit.
func fastInUnit(sec, ns int64, unit arrow.TimeUnit) (int64, bool) {
	switch unit {
	case arrow.Second:
		return sec, ns == 0
	case arrow.Millisecond:
		return sec*1_000 + ns/1_000_000, ns%1_000_000 == 0
	case arrow.Microsecond:
		return sec*1_000_000 + ns/1_000, ns%1_000 == 0
	}
	return inUnit(sec, ns, unit)
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm), for years 0 to 9999.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fractionScale[n] turns n digits of a second's fraction into nanoseconds.
var fractionScale = [10]int64{1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1}

// fastInstant reads YYYY-MM-DD and YYYY-MM-DD[T ]hh:mm:ss[.f{1,9}][Z|±hh:mm]
// as parseInstant would, into seconds since the epoch and nanoseconds.
// Other text (other zones, no seconds, lower-case t or z, offsets beyond
// 23:59) is left to parseInstant.
func fastInstant(b []byte, dates *dateCache) (sec, ns int64, ok bool) {
	if len(b) < 10 {
		return 0, 0, false
	}
	days, ok := dates.days(b[:10])
	if !ok {
		return 0, 0, false
	}
	if len(b) == 10 {
		return days * 86400, 0, true
	}
	if len(b) < 19 || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return 0, 0, false
	}
	h, ok1 := clockPart(b[11:13], 23)
	mi, ok2 := clockPart(b[14:16], 59)
	s, ok3 := clockPart(b[17:19], 59)
	if !(ok1 && ok2 && ok3) {
		return 0, 0, false
	}
	rest := b[19:]
	if len(rest) > 0 && rest[0] == '.' {
		n := 0
		for n+1 < len(rest) && n < 10 && rest[n+1]-'0' <= 9 {
			ns = ns*10 + int64(rest[n+1]-'0')
			n++
		}
		if n == 0 || n > 9 {
			return 0, 0, false
		}
		ns *= fractionScale[n]
		rest = rest[1+n:]
	}
	var off int64
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && rest[0] == 'Z':
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := clockPart(rest[1:3], 23)
		om, ok2 := clockPart(rest[4:6], 59)
		if !(ok1 && ok2) {
			return 0, 0, false
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return 0, 0, false
	}
	return days*86400 + h*3600 + mi*60 + s - off, ns, true
}
