package rules

import "github.com/driftgate/driftgate/checker/report"

// ValuePattern checks a column's pattern.
var ValuePattern = &Rule{ID: "VALUE_PATTERN", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A string does not match the column's pattern (RE2 syntax, unanchored unless the pattern anchors).",
	Observes: Strings}
