package rules

import "github.com/driftgate/driftgate/checker/report"

// ValueMultipleOf checks multipleOf.
var ValueMultipleOf = &Rule{ID: "VALUE_MULTIPLE_OF", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A number is not a multiple of the column's multipleOf.",
	Observes: Numbers}
