package rules

import (
	"fmt"

	"github.com/driftgate/driftgate/checker/report"
)

// ValuePattern checks a column's pattern (RE2).
var ValuePattern = &Rule{ID: "VALUE_PATTERN", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A string does not match the column's pattern (RE2 syntax, unanchored unless the pattern anchors).",
	Observes: Strings,
	Compile:  compilePattern}

type patternObs struct {
	col *Column
	re  *Matcher
}

func compilePattern(c *Column) (Observer, error) {
	p := c.Prop.Options.Pattern
	if p == "" {
		return nil, nil
	}
	re, err := CompileMatcher(p)
	if err != nil {
		return nil, c.Errorf("pattern", "pattern %q is not a valid RE2 regular expression: %v", p, err)
	}
	return &patternObs{col: c, re: re}, nil
}

func (o *patternObs) Outcomes() int { return 1 }

func (o *patternObs) String(s string) Outcome { return verdict(o.re.MatchString(s)) }

func (o *patternObs) Findings(s Sink, t []Tally) {
	s.Check(ValuePattern, o.col.Name)
	if t[0].Count == 0 {
		return
	}
	s.Add(ValuePattern, report.Finding{Column: o.col.Name,
		Message:  fmt.Sprintf("%s not match pattern %s%s", ValuesVerb(t[0].Count, "does", "do"), o.re, t[0].FirstAt()),
		Expected: "match " + o.re.String(), Actual: Itoa(t[0].Count) + " not matching",
		Count: t[0].Count, Examples: t[0].Examples, Location: s.Loc(o.col.Prop.PosOf("pattern"))})
}

// SQL counts the values the engine's regular expressions do not match,
// the pattern written in the engine's syntax so that it matches what RE2
// matches (Pattern); one the engine cannot take has no SQL form there.
func (o *patternObs) SQL(q *Query) []Aggregate {
	re, err := Pattern(q.Dialect, o.re.String())
	if err != nil {
		return nil
	}
	return []Aggregate{{Outcome: 1, SQL: q.Dialect.CountIf("NOT (" + q.Dialect.Matches(q.Dialect.Ident(o.col.Name), q.Bind(re)) + ")")}}
}
