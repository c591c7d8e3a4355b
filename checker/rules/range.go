package rules

import "github.com/driftgate/driftgate/checker/report"

// ValueRange checks minimum, maximum and their exclusive forms.
var ValueRange = &Rule{ID: "VALUE_RANGE", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A value is outside minimum/maximum/exclusiveMinimum/exclusiveMaximum (numbers, dates, timestamps).",
	Observes: Numbers | Times | Strings}
