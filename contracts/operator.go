package contracts

import (
	"fmt"
	"strconv"
)

// comparisons are the operators against one value: how a finding writes
// each and how it decides.
var comparisons = map[OperatorKind]struct {
	symbol string
	holds  func(x, v float64) bool
}{
	MustBe:                 {"=", func(x, v float64) bool { return x == v }},
	MustNotBe:              {"!=", func(x, v float64) bool { return x != v }},
	MustBeGreaterThan:      {">", func(x, v float64) bool { return x > v }},
	MustBeGreaterOrEqualTo: {">=", func(x, v float64) bool { return x >= v }},
	MustBeLessThan:         {"<", func(x, v float64) bool { return x < v }},
	MustBeLessOrEqualTo:    {"<=", func(x, v float64) bool { return x <= v }},
}

// Holds reports whether x satisfies the operator. An operator with no kind
// holds for every value. Between bounds are inclusive, a reading the ODCS
// text leaves open; driftgate documents it.
func (o Operator) Holds(x float64) bool {
	if c, ok := comparisons[o.Kind]; ok {
		return c.holds(x, o.Value)
	}
	switch o.Kind {
	case MustBeBetween:
		return x >= o.Low && x <= o.High
	case MustNotBeBetween:
		return x < o.Low || x > o.High
	}
	return true
}

// String renders the expectation the way a finding states it, e.g. "= 0",
// "< 5" or "between 1 and 10".
func (o Operator) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if c, ok := comparisons[o.Kind]; ok {
		return c.symbol + " " + f(o.Value)
	}
	switch o.Kind {
	case MustBeBetween:
		return fmt.Sprintf("between %s and %s", f(o.Low), f(o.High))
	case MustNotBeBetween:
		return fmt.Sprintf("not between %s and %s", f(o.Low), f(o.High))
	}
	return "(no operator)"
}
