package checker

import "github.com/driftgate/driftgate/checker/report"

// Category groups rules by what they look at.
type Category string

// The rule categories.
const (
	Structural Category = "structural"
	Value      Category = "value"
	Quality    Category = "quality"
	// Coverage rules say what a run did not check.
	Coverage Category = "coverage"
)

// Rule describes one kind of finding. Its ID is a stable API: CI
// configurations, exceptions and dashboards refer to it, so an ID is never
// renamed once released.
type Rule struct {
	ID       string
	Category Category
	// Severity is the default severity; the contract (a quality rule's
	// severity, a column's required flag) may set another.
	Severity report.Severity
	// Doc is one line for `driftgate rules` and the README.
	Doc string
}

// The rule IDs of `driftgate check`.
const (
	ColumnMissing    = "COLUMN_MISSING"
	ColumnUnexpected = "COLUMN_UNEXPECTED"
	ColumnType       = "COLUMN_TYPE"

	ValueNull     = "VALUE_NULL"
	ValueType     = "VALUE_TYPE"
	ValueUnique   = "VALUE_UNIQUE"
	ValueRange    = "VALUE_RANGE"
	ValueLength   = "VALUE_LENGTH"
	ValuePattern  = "VALUE_PATTERN"
	ValueFormat   = "VALUE_FORMAT"
	ValueMultiple = "VALUE_MULTIPLE_OF"

	QualityNullValues      = "QUALITY_NULL_VALUES"
	QualityMissingValues   = "QUALITY_MISSING_VALUES"
	QualityInvalidValues   = "QUALITY_INVALID_VALUES"
	QualityDuplicateValues = "QUALITY_DUPLICATE_VALUES"
	QualityRowCount        = "QUALITY_ROW_COUNT"
	QualityNotExecuted     = "QUALITY_NOT_EXECUTED"

	CheckSkipped = "CHECK_SKIPPED"
)

// Rules lists every rule `driftgate check` can report, in the order the
// documentation shows them. It is the single registry: `driftgate rules`
// and the README's rule table are generated from it.
func Rules() []Rule {
	return []Rule{
		{ColumnMissing, Structural, report.SeverityError, "A contract column is absent from the data (error when required, else warning)."},
		{ColumnUnexpected, Structural, report.SeverityWarning, "A data column is not declared in the contract."},
		{ColumnType, Structural, report.SeverityError, "The column's Arrow type cannot hold the contract's logicalType/physicalType (widening such as int32 for int64 passes)."},
		{ValueNull, Value, report.SeverityError, "A required column holds nulls (or values the contract lists in missingValues)."},
		{ValueType, Value, report.SeverityError, "A CSV cell does not parse as the column's type."},
		{ValueUnique, Value, report.SeverityError, "Values of a unique column, or of a primary key (composite keys by primaryKeyPosition), repeat; every row of a repeated key counts."},
		{ValueRange, Value, report.SeverityError, "A value is outside minimum/maximum/exclusiveMinimum/exclusiveMaximum (numbers, dates, timestamps)."},
		{ValueLength, Value, report.SeverityError, "A string is shorter than minLength or longer than maxLength (in characters)."},
		{ValuePattern, Value, report.SeverityError, "A string does not match the column's pattern (RE2 syntax, unanchored unless the pattern anchors)."},
		{ValueFormat, Value, report.SeverityError, "A value does not match the column's format (email, uuid, uri, ipv4, ipv6, hostname, or a date pattern such as yyyy-MM-dd)."},
		{ValueMultiple, Value, report.SeverityError, "A number is not a multiple of the column's multipleOf."},
		{QualityNullValues, Quality, report.SeverityError, "ODCS library metric nullValues fails its operator."},
		{QualityMissingValues, Quality, report.SeverityError, "ODCS library metric missingValues fails its operator."},
		{QualityInvalidValues, Quality, report.SeverityError, "ODCS library metric invalidValues (validValues, pattern) fails its operator."},
		{QualityDuplicateValues, Quality, report.SeverityError, "ODCS library metric duplicateValues (a column, or schema-level properties) fails its operator."},
		{QualityRowCount, Quality, report.SeverityError, "ODCS library metric rowCount fails its operator."},
		{QualityNotExecuted, Quality, report.SeverityInfo, "An sql, custom or text quality rule, which driftgate does not execute; listed so it is never silently dropped."},
		{CheckSkipped, Coverage, report.SeverityInfo, "A declared check that did not run: with --metadata-only, one the Parquet footer cannot decide; otherwise a constraint driftgate does not enforce yet (array and object options). Never a silent pass."},
	}
}

// LookupRule returns the rule with the given ID.
func LookupRule(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
