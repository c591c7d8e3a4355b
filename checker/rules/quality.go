package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

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

// Metric judges one ODCS library metric against its operator: metric is
// the measured count (rows for rowCount), rows the batch's rows for
// percent units, t the offending rows when they were kept. The contract's
// severity for the rule replaces the rule's default.
func Metric(s Sink, r *Rule, q *contracts.Quality, column string, metric, rows int64, t *Tally) {
	s.Check(r, column)
	value := float64(metric)
	shown := countRows(metric)
	if q.Metric == "rowCount" {
		shown = strconv.FormatInt(metric, 10)
	}
	if q.Unit == "percent" {
		value = 0
		if rows > 0 {
			value = float64(metric) * 100 / float64(rows)
		}
		shown = fmt.Sprintf("%s%% (%d of %d rows)", FormatPercent(value), metric, rows)
	}
	if q.Operator.Kind == "" || q.Operator.Holds(value) {
		return
	}
	sev, _ := report.ParseSeverity(strings.ToLower(q.Severity)) // "" takes the rule's default
	want := q.Operator.String()
	if q.Unit == "percent" {
		want += "%"
	}
	label := q.Metric
	if q.Name != "" {
		label = fmt.Sprintf("%s (%s)", q.Name, q.Metric)
	}
	f := report.Finding{Severity: sev, Column: column,
		Message:  fmt.Sprintf("%s is %s, want %s", label, shown, want),
		Expected: want, Actual: shown, Count: metric, Location: s.Loc(q.Pos)}
	if t != nil {
		f.Examples = t.Examples
		f.Message += t.FirstAt()
	}
	s.Add(r, f)
}

// NotExecutable reports an sql, custom or text rule: driftgate does not
// run them, and says so rather than dropping them.
func NotExecutable(s Sink, q *contracts.Quality, column string) {
	why := map[string]string{
		"sql":    "sql rules need a database engine; driftgate checks files",
		"custom": "custom rules run in their own engine (" + q.Engine + ")",
		"text":   "text rules are descriptions for people",
	}[q.Type]
	if why == "" {
		why = fmt.Sprintf("quality type %q is not executable", q.Type)
	}
	NotExecuted(s, q, column, why)
}

// NotExecuted reports a quality rule driftgate did not run, and why.
func NotExecuted(s Sink, q *contracts.Quality, column, why string) {
	s.Check(QualityNotExecuted, column)
	label := q.Type
	if q.Name != "" {
		label += " rule " + strconv.Quote(q.Name)
	} else if q.Description != "" {
		label += " rule " + strconv.Quote(shorten(q.Description, 60))
	} else {
		label += " rule"
	}
	s.Add(QualityNotExecuted, report.Finding{Severity: report.SeverityInfo, Column: column,
		Message: fmt.Sprintf("%s not executed: %s", label, why), Expected: "executed", Actual: "not executed",
		Location: s.Loc(q.Pos)})
}

// FormatPercent renders a share for messages: 0, 0.0042 or 12.50.
func FormatPercent(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 0.01:
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func countRows(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return Itoa(n) + " rows"
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
