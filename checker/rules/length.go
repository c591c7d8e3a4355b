package rules

import (
	"fmt"
	"unicode/utf8"

	"github.com/driftgate/driftgate/checker/report"
)

// ValueLength checks minLength and maxLength, in characters.
var ValueLength = &Rule{ID: "VALUE_LENGTH", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A string is shorter than minLength or longer than maxLength (in characters).",
	Observes: Strings,
	Compile:  compileLength}

type lengthObs struct {
	col *Column
	countBounds
}

func compileLength(c *Column) (Observer, error) {
	b, ok := countBoundsOf(c.Prop.Options.MinLength, c.Prop.Options.MaxLength)
	if !ok {
		return nil, nil
	}
	return &lengthObs{col: c, countBounds: b}, nil
}

func (o *lengthObs) Outcomes() int { return 2 }

func (o *lengthObs) String(s string) Outcome {
	// Bytes bound the characters: most values need no counting.
	if o.min <= 0 && (o.max < 0 || int64(len(s)) <= o.max) {
		return Pass
	}
	return o.outcome(int64(utf8.RuneCountInString(s)))
}

var lengthWords = countWords{min: "minLength", max: "maxLength", measure: "length", below: "shorter", above: "longer"}

func (o *lengthObs) Findings(s Sink, t []Tally) { o.findings(s, ValueLength, o.col, t, lengthWords) }

func (o *lengthObs) SQL(q *Query) []Aggregate {
	return o.sql(q, q.Dialect.Length(q.Dialect.Ident(o.col.Name)), "")
}

// countBounds is a minimum and a maximum on a count of a value's parts,
// characters (VALUE_LENGTH) or items (VALUE_ITEMS): one value per rule.
type countBounds struct {
	min, max int64 // -1 when absent
}

// The outcomes of a count bound.
const (
	belowMin Outcome = 1
	aboveMax Outcome = 2
)

// countBoundsOf reads the bounds; false when neither is declared.
func countBoundsOf(lo, hi *int64) (countBounds, bool) {
	b := countBounds{min: -1, max: -1}
	if lo != nil {
		b.min = *lo
	}
	if hi != nil {
		b.max = *hi
	}
	return b, b.min >= 0 || b.max >= 0
}

func (b countBounds) outcome(n int64) Outcome {
	switch {
	case b.min >= 0 && n < b.min:
		return belowMin
	case b.max >= 0 && n > b.max:
		return aboveMax
	}
	return Pass
}

// countWords say a count rule's findings: its option keys, what it
// counts and the two ways to break it.
type countWords struct{ min, max, measure, below, above string }

func (b countBounds) findings(s Sink, r *Rule, col *Column, t []Tally, w countWords) {
	s.Check(r, col.Name)
	side := func(t *Tally, word, key, op string, bound int64) {
		if t.Count == 0 {
			return
		}
		s.Add(r, report.Finding{Column: col.Name,
			Message:  fmt.Sprintf("%s %s than %s %d%s", ValuesPhrase(t.Count), word, key, bound, t.FirstAt()),
			Expected: fmt.Sprintf("%s %s %d", w.measure, op, bound), Actual: Itoa(t.Count) + " " + word,
			Count: t.Count, Examples: t.Examples, Location: s.Loc(col.Prop.PosOf(key))})
	}
	side(&t[0], w.below, w.min, ">=", b.min)
	side(&t[1], w.above, w.max, "<=", b.max)
}

// sql counts the values whose count n is out of bounds, where guard (if
// any) holds.
func (b countBounds) sql(q *Query, n, guard string) []Aggregate {
	var out []Aggregate
	if b.min >= 0 {
		out = append(out, Aggregate{Outcome: belowMin, SQL: q.Dialect.CountIf(guard + n + " < " + q.Bind(b.min))})
	}
	if b.max >= 0 {
		out = append(out, Aggregate{Outcome: aboveMax, SQL: q.Dialect.CountIf(guard + n + " > " + q.Bind(b.max))})
	}
	return out
}
