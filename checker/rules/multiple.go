package rules

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// ValueMultipleOf checks multipleOf exactly (contracts.Multiple): integers
// and decimals by divisibility, floats by the decimal they print as.
var ValueMultipleOf = &Rule{ID: "VALUE_MULTIPLE_OF", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A number is not a multiple of the column's multipleOf.",
	Observes: Numbers,
	Compile:  compileMultiple}

type multipleObs struct {
	col *Column
	m   *contracts.Multiple
	// at is m prepared for the current decimal array's scale.
	at contracts.Scaled
}

func compileMultiple(c *Column) (Observer, error) {
	m, err := c.Prop.MultipleOf(c.File)
	if err != nil {
		return nil, c.wrap(err)
	}
	if m == nil {
		return nil, nil
	}
	return &multipleObs{col: c, m: m}, nil
}

func (o *multipleObs) Outcomes() int { return 1 }

func (o *multipleObs) Prepare(dt arrow.DataType) {
	if d, ok := dt.(arrow.DecimalType); ok {
		o.at = o.m.ForScale(d.GetScale())
	}
}

func verdict(ok bool) Outcome {
	if ok {
		return Pass
	}
	return 1
}

func (o *multipleObs) Int64(v int64) Outcome     { return verdict(o.m.Int64(v)) }
func (o *multipleObs) Uint64(v uint64) Outcome   { return verdict(o.m.Uint64(v)) }
func (o *multipleObs) Float64(v float64) Outcome { return verdict(o.m.Float64(v)) }

func (o *multipleObs) Decimal128(v decimal128.Num) Outcome {
	if v.HighBits() == 0 && v.LowBits() < 1<<63 || v.HighBits() == -1 && v.LowBits() >= 1<<63 {
		return verdict(o.at.Int64(int64(v.LowBits())))
	}
	return verdict(o.at.Big(v.BigInt()))
}

func (o *multipleObs) Decimal256(v decimal256.Num) Outcome {
	return verdict(o.at.Big(v.BigInt()))
}

func (o *multipleObs) Findings(s Sink, t []Tally) {
	s.Check(ValueMultipleOf, o.col.Name)
	if t[0].Count == 0 {
		return
	}
	m := o.m.String()
	s.Add(ValueMultipleOf, report.Finding{Column: o.col.Name,
		Message:  fmt.Sprintf("%s not a multiple of %s%s", ValuesVerb(t[0].Count, "is", "are"), m, t[0].FirstAt()),
		Expected: "multiple of " + m, Actual: Itoa(t[0].Count) + " not multiples",
		Count: t[0].Count, Examples: t[0].Examples, Location: s.Loc(o.col.Prop.PosOf("multipleOf"))})
}

// SQL counts the values with a remainder. Only an integer multipleOf is
// pushed down: the engines' modulo is exact for integers and decimals by
// an integer, while a fractional step on a float column would be binary.
func (o *multipleObs) SQL(q *Query) []Aggregate {
	if !o.m.Number().IsInt() {
		return nil
	}
	col := q.Dialect.Ident(o.col.Name)
	return []Aggregate{{Outcome: 1, SQL: q.Dialect.CountIf("mod(" + col + ", " + q.Bind(Decimal(o.m.String())) + ") <> 0")}}
}
