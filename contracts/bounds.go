package contracts

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Number is a number exactly as the contract writes it: an integer of any
// size or a decimal fraction, never rounded through float64. A bound of
// 9007199254740993 or 0.1 means that number, and a multipleOf of 0.01 is
// one hundredth.
type Number struct {
	r    *big.Rat
	text string
}

// ParseNumber reads a decimal number (an optional sign, digits, an optional
// fraction and exponent), as YAML and JSON write them. Hexadecimal, octal,
// infinities and NaN are refused: ODCS bounds are JSON numbers.
func ParseNumber(s string) (Number, error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "_", ""))
	if !isDecimalLiteral(t) {
		return Number{}, fmt.Errorf("%q is not a decimal number", s)
	}
	// An exponent this large would make big.Rat allocate without bound;
	// no contract bound needs one.
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.Atoi(t[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return Number{}, fmt.Errorf("%q: exponent out of range", s)
		}
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return Number{}, fmt.Errorf("%q is not a decimal number", s)
	}
	return Number{r: r, text: strings.TrimSpace(s)}, nil
}

func isDecimalLiteral(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// NumberOf reads a decoded YAML or JSON scalar as a Number: int64, uint64,
// float64 (through its shortest decimal form, which is how it was written
// when it came from a literal of up to 17 digits), json.Number or a
// numeric string. Booleans are not numbers here.
func NumberOf(v any) (Number, bool) {
	switch x := v.(type) {
	case int64:
		return Number{r: new(big.Rat).SetInt64(x), text: strconv.FormatInt(x, 10)}, true
	case int:
		return NumberOf(int64(x))
	case uint64:
		return Number{r: new(big.Rat).SetInt(new(big.Int).SetUint64(x)), text: strconv.FormatUint(x, 10)}, true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Number{}, false
		}
		n, err := ParseNumber(strconv.FormatFloat(x, 'g', -1, 64))
		return n, err == nil
	case interface{ String() string }: // json.Number
		n, err := ParseNumber(x.String())
		return n, err == nil
	case string:
		n, err := ParseNumber(x)
		return n, err == nil
	}
	return Number{}, false
}

// IsZero reports whether n is the zero Number (no value).
func (n Number) IsZero() bool { return n.r == nil }

// Rat returns a copy of the exact value.
func (n Number) Rat() *big.Rat {
	if n.r == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(n.r)
}

// String is the number as written.
func (n Number) String() string {
	if n.text != "" {
		return n.text
	}
	if n.r == nil {
		return "0"
	}
	return n.r.RatString()
}

// Float64 is the nearest float64.
func (n Number) Float64() float64 {
	if n.r == nil {
		return 0
	}
	f, _ := n.r.Float64()
	return f
}

// IsInt reports whether n is an integer.
func (n Number) IsInt() bool { return n.r == nil || n.r.IsInt() }

// Int64 returns n when it is an integer that fits in int64.
func (n Number) Int64() (int64, bool) {
	if n.r == nil {
		return 0, true
	}
	if !n.r.IsInt() || !n.r.Num().IsInt64() {
		return 0, false
	}
	return n.r.Num().Int64(), true
}

// Sign is -1, 0 or +1.
func (n Number) Sign() int {
	if n.r == nil {
		return 0
	}
	return n.r.Sign()
}

// Cmp compares exactly: -1, 0 or +1.
func (n Number) Cmp(m Number) int { return n.Rat().Cmp(m.Rat()) }

// CmpInt64 compares n with an integer exactly.
func (n Number) CmpInt64(v int64) int {
	return n.Rat().Cmp(new(big.Rat).SetInt64(v))
}

// CmpUint64 compares n with an unsigned integer exactly.
func (n Number) CmpUint64(v uint64) int {
	return n.Rat().Cmp(new(big.Rat).SetInt(new(big.Int).SetUint64(v)))
}

// BoundKey names one of the four range keys of logicalTypeOptions.
const (
	KeyMinimum          = "minimum"
	KeyExclusiveMinimum = "exclusiveMinimum"
	KeyMaximum          = "maximum"
	KeyExclusiveMaximum = "exclusiveMaximum"
)

// Bound is one end of a property's range, parsed once: a number (exact) for
// integer and number columns, an instant for date, timestamp and time
// columns (read with the column's format).
type Bound struct {
	// Key is minimum, exclusiveMinimum, maximum or exclusiveMaximum.
	Key       string
	Exclusive bool
	// Text is the bound as written.
	Text string
	// Num is the value of a number bound.
	Num Number
	// Time is the value of a date, timestamp or time bound; IsTime says
	// which of Num and Time holds the value.
	Time   time.Time
	IsTime bool
	// Pos is where the contract declares the bound.
	Pos Pos
}

// String renders the bound the way findings and diffs state it:
// "minimum 0", "exclusiveMaximum 2024-01-01".
func (b *Bound) String() string {
	if b == nil {
		return ""
	}
	return b.Key + " " + b.Text
}

// Compare orders two bound values (not their exclusiveness): numbers
// exactly, instants in time. ok is false when one is a number and the
// other an instant.
func (b *Bound) Compare(c *Bound) (int, bool) {
	if b.IsTime != c.IsTime {
		return 0, false
	}
	if b.IsTime {
		return b.Time.Compare(c.Time), true
	}
	return b.Num.Cmp(c.Num), true
}

// IsTemporal reports whether a property's bounds are dates or times: its
// logicalType is date, timestamp or time.
func (p *Property) IsTemporal() bool {
	switch p.LogicalType {
	case "date", "timestamp", "time":
		return true
	}
	return false
}

// defaultLayouts parse bounds of date, timestamp and time columns that give
// no format: the ISO 8601 forms the ODCS examples use.
func defaultLayouts(logical string) []string {
	switch logical {
	case "date":
		return []string{time.DateOnly}
	case "time":
		return []string{"15:04:05Z07:00", "15:04:05.999999999", "15:04:05"}
	}
	return []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", time.DateOnly}
}

// TimeLayouts returns the Go layouts a date, timestamp or time property's
// values and bounds are read with: its format's layout (both spellings of
// a zone offset), or the ISO 8601 forms when it has none. A format
// driftgate cannot convert also gets the ISO 8601 forms, and err says why
// the format itself is not used: callers report that as not checked, not
// as a broken contract.
func (p *Property) TimeLayouts() (layouts []string, err error) {
	if p.Options.Format == "" {
		return defaultLayouts(p.LogicalType), nil
	}
	layout, err := TimeFormatLayout(p.Options.Format)
	if err != nil {
		return defaultLayouts(p.LogicalType), err
	}
	return zoneVariants(layout), nil
}

// zoneVariants returns layout plus the same layout with the other offset
// spelling. JDK's Z means +1000, yet the ODCS all-data-types example pairs
// "yyyy-MM-dd HH:mm:ssZ" with "+10:00"; accept both rather than flag the
// standard's own example.
func zoneVariants(layout string) []string {
	out := []string{layout}
	for _, r := range [][2]string{{"-0700", "-07:00"}, {"Z0700", "Z07:00"}} {
		if strings.Contains(layout, r[0]) {
			out = append(out, strings.ReplaceAll(layout, r[0], r[1]))
		}
	}
	return out
}

// ParseTime reads one date, timestamp or time value with the layouts of
// TimeLayouts.
func ParseTime(s string, layouts []string) (time.Time, bool) {
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Range returns the lower and upper bounds of a property (nil when absent;
// minimum wins over exclusiveMinimum when both are given, as before). The
// error is a *ParseError at the offending key: a date bound that does not
// match the column's format, a number bound that is not a number, a
// format driftgate cannot read.
func (p *Property) Range(file string) (lo, hi *Bound, err error) {
	o := &p.Options
	ends := []struct {
		key  string
		v    any
		excl bool
		lo   bool
	}{
		{KeyMinimum, o.Minimum, false, true}, {KeyExclusiveMinimum, o.ExclusiveMinimum, true, true},
		{KeyMaximum, o.Maximum, false, false}, {KeyExclusiveMaximum, o.ExclusiveMaximum, true, false},
	}
	for _, e := range ends {
		if e.v == nil || (e.lo && lo != nil) || (!e.lo && hi != nil) {
			continue
		}
		b, err := p.parseBound(file, e.key, e.v, e.excl)
		if err != nil {
			return nil, nil, err
		}
		if e.lo {
			lo = b
		} else {
			hi = b
		}
	}
	return lo, hi, nil
}

func (p *Property) parseBound(file, key string, v any, excl bool) (*Bound, error) {
	pos := p.PosOf(key)
	fail := func(format string, args ...any) error {
		return &ParseError{File: file, Line: pos.Line, Column: pos.Column, Path: "logicalTypeOptions." + key, Msg: fmt.Sprintf(format, args...), Rule: LintBound}
	}
	b := &Bound{Key: key, Exclusive: excl, Pos: pos}
	if lit, ok := p.Options.Literals[key]; ok {
		v = lit
	}
	if p.IsTemporal() {
		s, ok := v.(string)
		if !ok {
			return nil, fail("%s %v: a %s bound must be a string", key, v, p.LogicalType)
		}
		b.Text, b.IsTime = s, true
		layouts, ferr := p.TimeLayouts()
		t, ok := ParseTime(s, layouts)
		if !ok {
			want := "ISO 8601"
			switch {
			case ferr != nil:
				want = fmt.Sprintf("ISO 8601 (driftgate cannot read format %q: %v)", p.Options.Format, ferr)
			case p.Options.Format != "":
				want = "format " + strconv.Quote(p.Options.Format)
			}
			return nil, fail("%s %q does not match %s", key, s, want)
		}
		b.Time = t
		return b, nil
	}
	n, ok := NumberOf(v)
	if !ok {
		return nil, fail("%s %v is not a number", key, v)
	}
	b.Num, b.Text = n, n.String()
	return b, nil
}

// Empty reports whether no value can lie between lo and hi.
func Empty(lo, hi *Bound) bool {
	if lo == nil || hi == nil {
		return false
	}
	c, ok := lo.Compare(hi)
	return ok && (c > 0 || c == 0 && (lo.Exclusive || hi.Exclusive))
}

// CompareBounds orders two bounds of the same side (both lower or both
// upper) by how much they allow: +1 when b allows fewer values than a, -1
// when more, 0 when the same, and ok false when they cannot be ordered.
func CompareBounds(a, b *Bound, lower bool) (int, bool) {
	c, ok := b.Compare(a)
	if !ok {
		if a.Text == b.Text && a.IsTime == b.IsTime {
			return 0, true
		}
		return 0, false
	}
	if c == 0 {
		switch {
		case a.Exclusive == b.Exclusive:
			return 0, true
		case b.Exclusive:
			return 1, true
		}
		return -1, true
	}
	if !lower {
		c = -c
	}
	return cmp.Compare(c, 0), true
}
