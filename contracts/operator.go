package contracts

import (
	"fmt"
	"strconv"
)

// Holds reports whether x satisfies the operator. An operator with no kind
// holds for every value. Between bounds are inclusive, a reading the ODCS
// text leaves open; driftgate documents it.
func (o Operator) Holds(x float64) bool {
	switch o.Kind {
	case MustBe:
		return x == o.Value
	case MustNotBe:
		return x != o.Value
	case MustBeGreaterThan:
		return x > o.Value
	case MustBeGreaterOrEqualTo:
		return x >= o.Value
	case MustBeLessThan:
		return x < o.Value
	case MustBeLessOrEqualTo:
		return x <= o.Value
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
	switch o.Kind {
	case MustBe:
		return "= " + f(o.Value)
	case MustNotBe:
		return "!= " + f(o.Value)
	case MustBeGreaterThan:
		return "> " + f(o.Value)
	case MustBeGreaterOrEqualTo:
		return ">= " + f(o.Value)
	case MustBeLessThan:
		return "< " + f(o.Value)
	case MustBeLessOrEqualTo:
		return "<= " + f(o.Value)
	case MustBeBetween:
		return fmt.Sprintf("between %s and %s", f(o.Low), f(o.High))
	case MustNotBeBetween:
		return fmt.Sprintf("not between %s and %s", f(o.Low), f(o.High))
	}
	return "(no operator)"
}
