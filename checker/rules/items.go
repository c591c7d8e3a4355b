package rules

import (
	"fmt"

	"github.com/driftgate/driftgate/checker/report"
)

// The array rules: ODCS logicalTypeOptions minItems, maxItems and
// uniqueItems on an array column or an array inside one (tags,
// customer.phones, items[].codes). A value is one array; an element of
// it is an item.
var (
	ValueItems = &Rule{ID: "VALUE_ITEMS", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
		Doc:      "An array has fewer items than minItems or more than maxItems.",
		Observes: Lists,
		Compile:  compileItems}
	ValueUniqueItems = &Rule{ID: "VALUE_UNIQUE_ITEMS", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
		Doc:      "An array with uniqueItems holds an item twice (two nulls are equal, as in JSON Schema).",
		Observes: Lists,
		Compile:  compileUniqueItems}
)

type itemsObs struct {
	col *Column
	countBounds
}

func compileItems(c *Column) (Observer, error) {
	b, ok := countBoundsOf(c.Prop.Options.MinItems, c.Prop.Options.MaxItems)
	if !ok {
		return nil, nil
	}
	return &itemsObs{col: c, countBounds: b}, nil
}

func (o *itemsObs) Outcomes() int { return 2 }

func (o *itemsObs) Items(v Items) Outcome { return o.outcome(int64(v.Len())) }

var itemsWords = countWords{min: "minItems", max: "maxItems", measure: "items", below: "with fewer items", above: "with more items"}

func (o *itemsObs) Findings(s Sink, t []Tally) { o.findings(s, ValueItems, o.col, t, itemsWords) }

// SQL counts the arrays with too few or too many items where the dialect
// can count an array's items; none (not executed there) where it cannot.
func (o *itemsObs) SQL(q *Query) []Aggregate {
	col := q.Dialect.Ident(o.col.Name)
	n, _ := q.Dialect.Items(col)
	if n == "" {
		return nil
	}
	return o.sql(q, n, col+" IS NOT NULL AND ")
}

type uniqueItemsObs struct{ col *Column }

func compileUniqueItems(c *Column) (Observer, error) {
	if u := c.Prop.Options.UniqueItems; u == nil || !*u {
		return nil, nil
	}
	return &uniqueItemsObs{col: c}, nil
}

func (o *uniqueItemsObs) Outcomes() int { return 1 }

func (o *uniqueItemsObs) Items(v Items) Outcome {
	if v.Len() > 1 && v.Repeats() {
		return 1
	}
	return Pass
}

func (o *uniqueItemsObs) Findings(s Sink, t []Tally) {
	s.Check(ValueUniqueItems, o.col.Name)
	if t[0].Count > 0 {
		s.Add(ValueUniqueItems, report.Finding{Column: o.col.Name,
			Message:  fmt.Sprintf("%s an item twice, against uniqueItems%s", ValuesVerb(t[0].Count, "holds", "hold"), t[0].FirstAt()),
			Expected: "unique items", Actual: Itoa(t[0].Count) + " with repeats",
			Count: t[0].Count, Examples: t[0].Examples, Location: s.Loc(o.col.Prop.PosOf("uniqueItems"))})
	}
}

// SQL counts the arrays with fewer distinct items than items, where the
// dialect can count both.
func (o *uniqueItemsObs) SQL(q *Query) []Aggregate {
	col := q.Dialect.Ident(o.col.Name)
	n, distinct := q.Dialect.Items(col)
	if n == "" || distinct == "" {
		return nil
	}
	return []Aggregate{{Outcome: 1, SQL: q.Dialect.CountIf(col + " IS NOT NULL AND " + distinct + " < " + n)}}
}
