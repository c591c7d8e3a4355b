package rules

import "github.com/driftgate/driftgate/checker/report"

// The ODCS library quality metrics. The contract's severity for the rule
// replaces the default.
var (
	QualityNullValues = &Rule{ID: "QUALITY_NULL_VALUES", Family: FamilyQuality, Category: Quality, Severity: report.SeverityError,
		Doc: "ODCS library metric nullValues fails its operator."}
	QualityMissingValues = &Rule{ID: "QUALITY_MISSING_VALUES", Family: FamilyQuality, Category: Quality, Severity: report.SeverityError,
		Doc: "ODCS library metric missingValues fails its operator."}
	QualityInvalidValues = &Rule{ID: "QUALITY_INVALID_VALUES", Family: FamilyQuality, Category: Quality, Severity: report.SeverityError,
		Doc: "ODCS library metric invalidValues (validValues, pattern) fails its operator."}
	QualityDuplicateValues = &Rule{ID: "QUALITY_DUPLICATE_VALUES", Family: FamilyQuality, Category: Quality, Severity: report.SeverityError,
		Doc: "ODCS library metric duplicateValues (a column, or schema-level properties) fails its operator."}
	QualityRowCount = &Rule{ID: "QUALITY_ROW_COUNT", Family: FamilyQuality, Category: Quality, Severity: report.SeverityError,
		Doc: "ODCS library metric rowCount fails its operator."}
	QualityNotExecuted = &Rule{ID: "QUALITY_NOT_EXECUTED", Family: FamilyQuality, Category: Quality, Severity: report.SeverityInfo,
		Doc:    "An sql, custom or text quality rule, which driftgate does not execute; listed so it is never silently dropped.",
		NotRun: report.CheckNotExecuted}
)
