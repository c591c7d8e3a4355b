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

const (
	short Outcome = 1
	long  Outcome = 2
)

type lengthObs struct {
	col      *Column
	min, max int64 // -1 when absent
}

func compileLength(c *Column) (Observer, error) {
	o := &lengthObs{col: c, min: -1, max: -1}
	if v := c.Prop.Options.MinLength; v != nil {
		o.min = *v
	}
	if v := c.Prop.Options.MaxLength; v != nil {
		o.max = *v
	}
	if o.min < 0 && o.max < 0 {
		return nil, nil
	}
	return o, nil
}

func (o *lengthObs) Outcomes() int { return 2 }

func (o *lengthObs) String(s string) Outcome {
	// Bytes bound the characters: most values need no counting.
	if o.min <= 0 && (o.max < 0 || int64(len(s)) <= o.max) {
		return Pass
	}
	n := int64(utf8.RuneCountInString(s))
	switch {
	case o.min >= 0 && n < o.min:
		return short
	case o.max >= 0 && n > o.max:
		return long
	}
	return Pass
}

func (o *lengthObs) Findings(s Sink, t []Tally) {
	s.Check(ValueLength, o.col.Name)
	if t[0].Count > 0 {
		s.Add(ValueLength, report.Finding{Column: o.col.Name,
			Message:  fmt.Sprintf("%s shorter than minLength %d%s", ValuesPhrase(t[0].Count), o.min, t[0].FirstAt()),
			Expected: fmt.Sprintf("length >= %d", o.min), Actual: Itoa(t[0].Count) + " shorter",
			Count: t[0].Count, Examples: t[0].Examples, Location: s.Loc(o.col.Prop.PosOf("minLength"))})
	}
	if t[1].Count > 0 {
		s.Add(ValueLength, report.Finding{Column: o.col.Name,
			Message:  fmt.Sprintf("%s longer than maxLength %d%s", ValuesPhrase(t[1].Count), o.max, t[1].FirstAt()),
			Expected: fmt.Sprintf("length <= %d", o.max), Actual: Itoa(t[1].Count) + " longer",
			Count: t[1].Count, Examples: t[1].Examples, Location: s.Loc(o.col.Prop.PosOf("maxLength"))})
	}
}

func (o *lengthObs) SQL(q *Query) []Aggregate {
	n := q.Dialect.Length(q.Dialect.Ident(o.col.Name))
	var out []Aggregate
	if o.min >= 0 {
		out = append(out, Aggregate{Outcome: short, SQL: q.Dialect.CountIf(n + " < " + q.Bind(o.min))})
	}
	if o.max >= 0 {
		out = append(out, Aggregate{Outcome: long, SQL: q.Dialect.CountIf(n + " > " + q.Bind(o.max))})
	}
	return out
}
