package rules

import "github.com/driftgate/driftgate/checker/report"

// ValueFormat checks a column's format.
var ValueFormat = &Rule{ID: "VALUE_FORMAT", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
	Doc:      "A value does not match the column's format (email, uuid, uri, ipv4, ipv6, hostname, or a date pattern such as yyyy-MM-dd).",
	Observes: Strings}
