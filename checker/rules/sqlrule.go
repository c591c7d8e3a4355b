package rules

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// QualitySQL is an ODCS sql quality rule, executed: its query, run by the
// engine holding the data (the server's, or embedded DuckDB over local
// files), returns one value, compared with the rule's operator.
var QualitySQL = &Rule{ID: "QUALITY_SQL", Family: FamilyQuality, Category: Quality, Severity: report.SeverityError,
	Doc: "An ODCS sql quality rule's query returns a value that fails its operator, or fails to run."}

// NotRunError is why an sql rule could not be run where the data is (no
// engine in this build, an object store the engine cannot read): the rule
// is reported as not executed, never passed.
type NotRunError struct{ Why string }

func (e *NotRunError) Error() string { return e.Why }

// SQLResult judges the value an sql rule's query returned, or its error:
// a *NotRunError reports the rule not executed, any other error fails it.
// The finding points at the query in the contract.
func SQLResult(s Sink, q *contracts.Quality, column string, v any, err error) {
	var nr *NotRunError
	if errors.As(err, &nr) {
		NotExecuted(s, q, column, nr.Why)
		return
	}
	s.Check(QualitySQL, column)
	sev, _ := report.ParseSeverity(strings.ToLower(q.Severity)) // "" takes the rule's default
	label := "sql rule"
	if q.Name != "" {
		label += " " + strconv.Quote(q.Name)
	}
	pos := q.QueryPos
	if pos.Line == 0 {
		pos = q.Pos
	}
	want := q.Operator.String()
	f := report.Finding{Severity: sev, Column: column, Expected: want, Location: s.Loc(pos)}
	var x float64
	if err == nil {
		x, err = sqlNumber(v)
	}
	switch {
	case err != nil:
		f.Message, f.Actual = fmt.Sprintf("%s: the query failed: %v", label, err), "query failed"
		f.Severity = report.SeverityError
	case q.Operator.Kind == "" || q.Operator.Holds(x):
		return
	default:
		shown := strconv.FormatFloat(x, 'g', -1, 64)
		f.Message, f.Actual = fmt.Sprintf("%s returned %s, want %s", label, shown, want), shown
		if x == float64(int64(x)) {
			f.Count = int64(x)
		}
	}
	s.Add(QualitySQL, f)
}

// sqlNumber reads a query's value as a number: ODCS compares a number or
// a boolean (true is 1) with the operator.
func sqlNumber(v any) (float64, error) {
	switch x := v.(type) {
	case nil:
		return 0, errors.New("it returned NULL, not a number")
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, nil
	case []byte:
		return sqlNumber(string(x))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, fmt.Errorf("it returned %q, not a number", x)
		}
		return f, nil
	case fmt.Stringer: // decimals
		return sqlNumber(x.String())
	}
	return 0, fmt.Errorf("it returned a %T, not a number", v)
}
