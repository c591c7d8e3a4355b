package rules

import "github.com/driftgate/driftgate/checker/report"

// ValueLength checks minLength and maxLength.
var ValueLength = &Rule{ID: "VALUE_LENGTH", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A string is shorter than minLength or longer than maxLength (in characters).",
	Observes: Strings}
