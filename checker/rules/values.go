package rules

import (
	"fmt"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

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

// Nulls reports VALUE_NULL for a required column: nulls of rows, with
// their first rows when t kept them; note replaces the first row when the
// count comes from elsewhere (" (footer statistics)").
func Nulls(s Sink, column string, nulls, rows int64, t *Tally, pos contracts.Pos, note string) {
	s.Check(ValueNull, column)
	if nulls == 0 {
		return
	}
	f := report.Finding{Column: column, Expected: "no nulls", Actual: Itoa(nulls) + " nulls", Count: nulls, Location: s.Loc(pos)}
	if t != nil {
		note += t.FirstAt()
		f.Examples = t.Examples
	}
	f.Message = fmt.Sprintf("%s in a required column%s", RowsPhrase(nulls, rows, "null"), note)
	s.Add(ValueNull, f)
}

// Duplicates reports VALUE_UNIQUE: rows that share their what (a value,
// or a composite key such as "primary key (a, b)") with another row. The
// column is empty for a composite key.
func Duplicates(s Sink, column, what string, dupRows int64, t *Tally, pos contracts.Pos) {
	s.Check(ValueUnique, column)
	if dupRows == 0 {
		return
	}
	s.Add(ValueUnique, report.Finding{Column: column,
		Message:  fmt.Sprintf("%d rows share their %s with another row%s", dupRows, what, t.FirstAt()),
		Expected: "unique", Actual: fmt.Sprintf("%d duplicate rows", dupRows),
		Count: dupRows, Examples: t.Examples, Location: s.Loc(pos)})
}

// RowsPhrase renders "3 nulls (1.50% of 200 rows)".
func RowsPhrase(n, rows int64, what string) string {
	s := fmt.Sprintf("%d %ss", n, what)
	if n == 1 {
		s = "1 " + what
	}
	if rows > 0 {
		s += fmt.Sprintf(" (%s%% of %d rows)", FormatPercent(float64(n)*100/float64(rows)), rows)
	}
	return s
}
