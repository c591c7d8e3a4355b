package rules

import (
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
)

// ValueProperties checks the object options of ODCS logicalTypeOptions,
// minProperties, maxProperties and required, on an object column or an
// object inside one (customer, items[], customer.address). A property of an
// object is one of its fields that holds a value: a Parquet struct has
// every field in every row, and holds a key a record left out as null, so
// a property holding null counts as absent. A value is counted once, for
// its count first.
var ValueProperties = &Rule{ID: "VALUE_PROPERTIES", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "An object has fewer properties than minProperties or more than maxProperties, or lacks one that required names (a property holding null counts as absent).",
	Observes: Objects,
	Compile:  compileProperties}

type propertiesObs struct {
	col *Column
	countBounds
	required []string
}

// missingRequired is an object that lacks a property required names.
const missingRequired Outcome = 3

func compileProperties(c *Column) (Observer, error) {
	o := &c.Prop.Options
	b, counted := countBoundsOf(o.MinProperties, o.MaxProperties)
	if !counted && len(o.RequiredKeys) == 0 {
		return nil, nil
	}
	return &propertiesObs{col: c, countBounds: b, required: o.RequiredKeys}, nil
}

func (o *propertiesObs) Outcomes() int { return 3 }

func (o *propertiesObs) Object(v Object) Outcome {
	if out := o.outcome(int64(v.Len())); out != Pass {
		return out
	}
	for _, k := range o.required {
		if !v.Has(k) {
			return missingRequired
		}
	}
	return Pass
}

var propertiesWords = countWords{min: "minProperties", max: "maxProperties", measure: "properties", below: "with fewer properties", above: "with more properties"}

func (o *propertiesObs) Findings(s Sink, t []Tally) {
	o.findings(s, ValueProperties, o.col, t, propertiesWords)
	if m := &t[missingRequired-1]; m.Count > 0 {
		names := strings.Join(o.required, ", ")
		s.Add(ValueProperties, report.Finding{Column: o.col.Name,
			Message:  fmt.Sprintf("%s a property that required names (%s)%s", ValuesVerb(m.Count, "lacks", "lack"), names, m.FirstAt()),
			Expected: "properties " + names, Actual: Itoa(m.Count) + " without one",
			Count: m.Count, Examples: m.Examples, Location: s.Loc(o.col.Prop.PosOf("logicalTypeOptions.required"))})
	}
}
