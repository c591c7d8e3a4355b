package drift

import "github.com/driftgate/driftgate/checker/report"

// The rule IDs of `driftgate drift`. Like the check rules, an ID is a
// stable API and never renamed once released.
const (
	Schema       = "DRIFT_SCHEMA"
	Distribution = "DRIFT_DISTRIBUTION"
	Categories   = "DRIFT_CATEGORIES"
	NullRate     = "DRIFT_NULL_RATE"
	Format       = "DRIFT_FORMAT"
	RowCount     = "DRIFT_ROW_COUNT"
)

// Category is the category every drift rule is listed under.
const Category = "drift"

// Rule describes one kind of drift finding.
type Rule struct {
	ID       string
	Category string
	Severity report.Severity
	Doc      string
}

// Rules lists every rule `driftgate drift` can report, in documentation
// order. It is the single registry of drift rules: `driftgate rules` and
// the README's table are generated from it.
func Rules() []Rule {
	return []Rule{
		{Schema, Category, report.SeverityError, "A column was added, removed or retyped since the baseline profile."},
		{Distribution, Category, report.SeverityWarning, "A numeric column's distribution moved: normalised Wasserstein distance or PSI on baseline deciles at or above its threshold, guarded by a Kolmogorov-Smirnov test."},
		{Categories, Category, report.SeverityWarning, "A categorical column's values changed: new or vanished frequent values, or Jensen-Shannon distance at or above its threshold, guarded by a chi-square test."},
		{NullRate, Category, report.SeverityWarning, "A column's null rate (nulls and missingValues) moved by at least the threshold, in percentage points."},
		{Format, Category, report.SeverityWarning, "A column's value shapes changed (e.g. 9999-99-99 became 99/99/9999): Jensen-Shannon distance of shape frequencies at or above its threshold."},
		{RowCount, Category, report.SeverityWarning, "The batch's row count differs from the baseline's rows per batch by at least the threshold (relative)."},
	}
}

// LookupRule returns the drift rule with the given ID.
func LookupRule(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
