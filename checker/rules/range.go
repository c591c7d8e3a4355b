package rules

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// ValueRange checks minimum, maximum and their exclusive forms, exactly:
// integers, decimals of every width and time ticks are compared as
// integers against thresholds derived from the bound as written.
var ValueRange = &Rule{ID: "VALUE_RANGE", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A value is outside minimum/maximum/exclusiveMinimum/exclusiveMaximum (numbers, dates, timestamps).",
	Observes: Numbers | Times | Strings,
	Compile:  compileRange}

const (
	below Outcome = 1
	above Outcome = 2
)

type rangeObs struct {
	col    *Column
	lo, hi *contracts.Bound
	// loF and hiF are the nearest floats, for float values and footers.
	loF, hiF float64
	// Cuts for integer values, exact for every bound.
	loI, hiI intCut
	loU, hiU uintCut
	// Cuts prepared for the current array: decimals at its scale, times
	// in its ticks.
	loD, hiD   dec128Cut
	loD2, hiD2 dec256Cut
	loT, hiT   intCut
}

func compileRange(c *Column) (Observer, error) {
	lo, hi, err := c.Prop.Range(c.File)
	if err != nil {
		return nil, c.wrap(err)
	}
	if lo == nil && hi == nil {
		return nil, nil
	}
	o := &rangeObs{col: c, lo: lo, hi: hi,
		loI: unsetInt(true), hiI: unsetInt(false), loU: unsetUint(true), hiU: unsetUint(false)}
	if lo != nil && !lo.IsTime {
		o.loF = lo.Num.Float64()
		r := lo.Num.Rat()
		o.loI, o.loU = newIntCut(threshold(r, true, lo.Exclusive), true), newUintCut(threshold(r, true, lo.Exclusive), true)
	}
	if hi != nil && !hi.IsTime {
		o.hiF = hi.Num.Float64()
		r := hi.Num.Rat()
		o.hiI, o.hiU = newIntCut(threshold(r, false, hi.Exclusive), false), newUintCut(threshold(r, false, hi.Exclusive), false)
	}
	return o, nil
}

func (o *rangeObs) Outcomes() int { return 2 }

// Prepare converts the bounds to the array's integer form: a decimal's
// unscaled value at its scale, a time's ticks of its unit.
func (o *rangeObs) Prepare(dt arrow.DataType) {
	o.loD, o.hiD, o.loD2, o.hiD2, o.loT, o.hiT = dec128Cut{}, dec128Cut{}, dec256Cut{}, dec256Cut{}, unsetInt(true), unsetInt(false)
	switch t := dt.(type) {
	case arrow.DecimalType:
		scale := pow10(t.GetScale())
		each(o.lo, o.hi, false, func(b *contracts.Bound, lower bool) {
			x := threshold(new(big.Rat).Mul(b.Num.Rat(), scale), lower, b.Exclusive)
			if t.ID() == arrow.DECIMAL256 {
				o.set256(lower, newDec256Cut(x, lower))
			} else {
				o.set128(lower, newDec128Cut(x, lower))
			}
		})
	default:
		perTick, clock, ok := ticksOf(dt)
		if !ok {
			return
		}
		each(o.lo, o.hi, true, func(b *contracts.Bound, lower bool) {
			ns := new(big.Int)
			if clock {
				h, m, s := b.Time.Clock()
				ns.SetInt64(int64(h)*3600e9 + int64(m)*60e9 + int64(s)*1e9 + int64(b.Time.Nanosecond()))
			} else {
				ns.Mul(big.NewInt(b.Time.Unix()), big.NewInt(1e9)).Add(ns, big.NewInt(int64(b.Time.Nanosecond())))
			}
			c := newIntCut(threshold(new(big.Rat).SetFrac(ns, big.NewInt(perTick)), lower, b.Exclusive), lower)
			if lower {
				o.loT = c
			} else {
				o.hiT = c
			}
		})
	}
}

func (o *rangeObs) set128(lower bool, c dec128Cut) {
	if lower {
		o.loD = c
	} else {
		o.hiD = c
	}
}

func (o *rangeObs) set256(lower bool, c dec256Cut) {
	if lower {
		o.loD2 = c
	} else {
		o.hiD2 = c
	}
}

// each calls f for the bounds that are times (or numbers).
func each(lo, hi *contracts.Bound, times bool, f func(b *contracts.Bound, lower bool)) {
	if lo != nil && lo.IsTime == times {
		f(lo, true)
	}
	if hi != nil && hi.IsTime == times {
		f(hi, false)
	}
}

// ticksOf is the length of one tick of a date, time or timestamp type in
// nanoseconds, and whether its ticks count from midnight (time of day)
// rather than the Unix epoch.
func ticksOf(dt arrow.DataType) (perTick int64, clock, ok bool) {
	switch t := dt.(type) {
	case *arrow.Date32Type:
		return 86400e9, false, true
	case *arrow.Date64Type:
		return 1e6, false, true
	case *arrow.TimestampType:
		return int64(t.Unit.Multiplier()), false, true
	case *arrow.Time32Type:
		return int64(t.Unit.Multiplier()), true, true
	case *arrow.Time64Type:
		return int64(t.Unit.Multiplier()), true, true
	}
	return 0, false, false
}

// outcome is a range verdict from its two sides.
func outcome(low, high bool) Outcome {
	switch {
	case low:
		return below
	case high:
		return above
	}
	return Pass
}

func (o *rangeObs) Int64(v int64) Outcome { return outcome(o.loI.below(v), o.hiI.above(v)) }

func (o *rangeObs) Uint64(v uint64) Outcome { return outcome(o.loU.below(v), o.hiU.above(v)) }

// Float64 compares with the nearest float of the bound: a float value is
// what its producer meant by the decimal the contract writes. NaN is
// below any minimum.
func (o *rangeObs) Float64(v float64) Outcome {
	if lo := o.lo; lo != nil && !lo.IsTime && (v < o.loF || lo.Exclusive && v == o.loF || math.IsNaN(v)) {
		return below
	}
	if hi := o.hi; hi != nil && !hi.IsTime && (v > o.hiF || hi.Exclusive && v == o.hiF) {
		return above
	}
	return Pass
}

func (o *rangeObs) Decimal128(v decimal128.Num) Outcome {
	return outcome(o.loD.below(v), o.hiD.above(v))
}

func (o *rangeObs) Decimal256(v decimal256.Num) Outcome {
	return outcome(o.loD2.below(v), o.hiD2.above(v))
}

func (o *rangeObs) Ticks(v int64) Outcome { return outcome(o.loT.below(v), o.hiT.above(v)) }

// String judges dates and times stored as text; a value that does not
// parse is VALUE_FORMAT's, not a range violation.
func (o *rangeObs) String(s string) Outcome {
	if o.col.TextLayout == "" {
		return Pass
	}
	t, err := time.Parse(o.col.TextLayout, s)
	if err != nil {
		return Pass
	}
	if lo := o.lo; lo != nil && lo.IsTime && (t.Before(lo.Time) || lo.Exclusive && t.Equal(lo.Time)) {
		return below
	}
	if hi := o.hi; hi != nil && hi.IsTime && (t.After(hi.Time) || hi.Exclusive && t.Equal(hi.Time)) {
		return above
	}
	return Pass
}

func (o *rangeObs) Findings(s Sink, t []Tally) {
	s.Check(ValueRange, o.col.Name)
	o.side(s, o.lo, &t[0], "below minimum", "at or below exclusive minimum", ">= ", "> ")
	o.side(s, o.hi, &t[1], "above maximum", "at or above exclusive maximum", "<= ", "< ")
}

func (o *rangeObs) side(s Sink, b *contracts.Bound, t *Tally, incl, excl, op, exclOp string) {
	if b == nil || t.Count == 0 {
		return
	}
	what := incl
	if b.Exclusive {
		what, op = excl, exclOp
	}
	s.Add(ValueRange, report.Finding{Column: o.col.Name,
		Message:  fmt.Sprintf("%s %s %s%s", ValuesPhrase(t.Count), what, b.Text, t.FirstAt()),
		Expected: op + b.Text, Actual: fmt.Sprintf("%d %s", t.Count, what),
		Count: t.Count, Examples: t.Examples, Location: s.Loc(b.Pos)})
}

// Footer decides the range from a Parquet footer's minimum and maximum: a
// violation is certain, though not countable, when the smallest value is
// below the minimum or the largest above the maximum.
func (o *rangeObs) Footer(s Sink, f *Footer) bool {
	if (o.lo != nil && o.lo.IsTime != f.IsTime) || (o.hi != nil && o.hi.IsTime != f.IsTime) {
		return false
	}
	s.Check(ValueRange, o.col.Name)
	o.footerSide(s, f, o.lo, true)
	o.footerSide(s, f, o.hi, false)
	return true
}

// sides is a bound as a float and the footer's value it is compared with.
func (o *rangeObs) sides(f *Footer, b *contracts.Bound, low bool) (limit, have float64) {
	limit, have = o.hiF, f.Max
	if low {
		limit, have = o.loF, f.Min
	}
	if b.IsTime {
		limit = float64(b.Time.UnixNano())
	}
	return limit, have
}

// Proves says the statistics put every value of the column inside the
// range, so a full check need not read the values. It errs on the side of
// reading them: footer values and bounds are floats here, so only a
// smallest value above the minimum (largest below the maximum) by more
// than a margin for rounding counts, never one equal to it; and a minimum
// is never proved on a floating-point column, whose statistics leave out
// NaN, which is below every minimum here.
func (o *rangeObs) Proves(f *Footer) bool {
	if (o.lo != nil && o.lo.IsTime != f.IsTime) || (o.hi != nil && o.hi.IsTime != f.IsTime) || o.lo != nil && f.Float {
		return false
	}
	return o.inside(f, o.lo, true) && o.inside(f, o.hi, false)
}

func (o *rangeObs) inside(f *Footer, b *contracts.Bound, low bool) bool {
	if b == nil {
		return true
	}
	limit, have := o.sides(f, b, low)
	margin := math.Abs(limit) * 1e-9
	if low {
		return have > limit+margin
	}
	return have < limit-margin
}

func (o *rangeObs) footerSide(s Sink, f *Footer, b *contracts.Bound, low bool) {
	if b == nil {
		return
	}
	limit, have := o.sides(f, b, low)
	var broken bool
	switch {
	case low && b.Exclusive:
		broken = have <= limit
	case low:
		broken = have < limit
	case b.Exclusive:
		broken = have >= limit
	default:
		broken = have > limit
	}
	if !broken {
		return
	}
	what, side := "above the maximum", "largest value"
	if low {
		what, side = "below the minimum", "smallest value"
	}
	shown := fmt.Sprintf("%g", have)
	if b.IsTime {
		shown = time.Unix(0, int64(have)).UTC().Format(time.RFC3339Nano)
	}
	if o.col.Private {
		shown = report.Redacted
	}
	s.Add(ValueRange, report.Finding{Column: o.col.Name,
		Message:  fmt.Sprintf("values %s %s: the footer's %s is %s; run without --metadata-only to count and locate them", what, b.Text, side, shown),
		Expected: b.Key + " " + b.Text, Actual: side + " " + shown, Location: s.Loc(b.Pos)})
}

// SQL counts the values below the lower and above the upper bound. The
// bound is bound as its exact text (times as time.Time), so the engine
// compares in the column's own type.
func (o *rangeObs) SQL(q *Query) []Aggregate {
	col := q.Dialect.Ident(o.col.Name)
	var out []Aggregate
	for _, side := range []struct {
		b        *contracts.Bound
		outcome  Outcome
		op, excl string
	}{{o.lo, below, " < ", " <= "}, {o.hi, above, " > ", " >= "}} {
		if side.b == nil {
			continue
		}
		op := side.op
		if side.b.Exclusive {
			op = side.excl
		}
		var v any = Decimal(side.b.Text)
		if side.b.IsTime {
			v = side.b.Time
		}
		out = append(out, Aggregate{Outcome: side.outcome, SQL: q.Dialect.CountIf(col + op + q.Bind(v))})
	}
	return out
}
