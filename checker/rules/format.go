package rules

import (
	"fmt"
	"time"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// ValueFormat checks a column's format: a named string format, or the date
// pattern of dates and times stored as text or read from CSV.
var ValueFormat = &Rule{ID: "VALUE_FORMAT", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A value does not match the column's format (email, uuid, uri, ipv4, ipv6, hostname, or a date pattern such as yyyy-MM-dd).",
	Observes: Strings,
	Compile:  compileFormat}

const (
	badFormat Outcome = 1 // a named string format
	badDate   Outcome = 2 // a date or time pattern
)

type formatObs struct {
	col *Column
	// check validates a named string format; name is set with it, or alone
	// for a format driftgate does not know (reported, not passed).
	check formatCheck
	name  string
}

func compileFormat(c *Column) (Observer, error) {
	o := &formatObs{col: c}
	f := c.Prop.Options.Format
	switch {
	case c.Time:
		if _, err := contracts.TimeFormatLayout(f); f != "" && err != nil {
			o.name = f // a date format driftgate cannot read: not checked
			return o, nil
		}
		if c.TextLayout == "" && c.CellLayout == "" {
			return nil, nil
		}
	case f == "":
		return nil, nil
	default:
		if check, ok := stringFormat(f); ok {
			o.check, o.name = check, f
		} else if lt := c.Prop.LogicalType; lt == "string" || lt == "" {
			o.name = f
		} else {
			return nil, nil
		}
	}
	return o, nil
}

func (o *formatObs) Outcomes() int { return 2 }

func (o *formatObs) String(s string) Outcome {
	if o.check != nil && !o.check(s) {
		return badFormat
	}
	if o.col.TextLayout != "" {
		if _, err := time.Parse(o.col.TextLayout, s); err != nil {
			return badDate
		}
	}
	return Pass
}

// Unparsed claims the CSV cells of a typed date or time column that did
// not parse with its format: the producer changed the format, the type is
// as declared.
func (o *formatObs) Unparsed(string) Outcome {
	if o.col.CellLayout != "" {
		return badDate
	}
	return Pass
}

func (o *formatObs) Findings(s Sink, t []Tally) {
	name, prop := o.col.Name, o.col.Prop
	s.Check(ValueFormat, name)
	switch {
	case o.check != nil && t[0].Count > 0:
		s.Add(ValueFormat, report.Finding{Column: name,
			Message:  fmt.Sprintf("%s not valid %s%s", ValuesVerb(t[0].Count, "is", "are"), o.name, t[0].FirstAt()),
			Expected: o.name, Actual: Itoa(t[0].Count) + " invalid",
			Count: t[0].Count, Examples: t[0].Examples, Location: s.Loc(prop.PosOf("format"))})
	case o.check == nil && o.name != "":
		s.Add(ValueFormat, report.Finding{Severity: report.SeverityInfo, Column: name,
			Message:  fmt.Sprintf("format %q is not one driftgate checks (email, uuid, uri, ipv4, ipv6, hostname, or a date pattern); values were not checked", o.name),
			Expected: o.name, Actual: "not checked", Location: s.Loc(prop.PosOf("format"))})
	}
	if t[1].Count > 0 {
		format := prop.Options.Format
		if format == "" {
			format = "ISO 8601 (" + o.col.TextLayout + ")"
		}
		s.Add(ValueFormat, report.Finding{Column: name,
			Message:  fmt.Sprintf("%s not in the %s format %s%s", ValuesVerb(t[1].Count, "is", "are"), prop.LogicalType, format, t[1].FirstAt()),
			Expected: format, Actual: Itoa(t[1].Count) + " not matching",
			Count: t[1].Count, Examples: t[1].Examples, Location: s.Loc(prop.PosOf("format"))})
	}
}

// CellObserver is a compiled rule that claims CSV cells which did not parse
// as the column's type; cells no rule claims are VALUE_TYPE findings.
type CellObserver interface {
	Unparsed(raw string) Outcome
}
