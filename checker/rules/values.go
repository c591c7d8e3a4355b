package rules

import "github.com/driftgate/driftgate/checker/report"

// The value rules the engine decides itself, because every other rule
// depends on them: nulls (and missing values) exempt a value from the
// other rules, unparsable CSV cells are neither nulls nor values, and
// uniqueness spans files through a spillable key set.
var (
	ValueNull = &Rule{ID: "VALUE_NULL", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
		Doc: "A required column holds nulls (or values the contract lists in missingValues)."}
	ValueType = &Rule{ID: "VALUE_TYPE", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
		Doc: "A CSV cell does not parse as the column's type, or a JSON value is of another kind (a string for a number, a number for a string)."}
	ValueUnique = &Rule{ID: "VALUE_UNIQUE", Family: FamilyCheck, Category: Value, Severity: report.SeverityError,
		Doc: "Values of a unique column, or of a primary key (composite keys by primaryKeyPosition), repeat; every row of a repeated key counts."}
)
