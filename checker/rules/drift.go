package rules

import "github.com/driftgate/driftgate/checker/report"

// The drift rules of `driftgate drift`; their handlers live in
// checker/drift, which imports the engine and so cannot be imported here.
var (
	DriftSchema = &Rule{ID: "DRIFT_SCHEMA", Family: FamilyDrift, Category: Drift, Severity: report.SeverityError,
		Doc: "A column was added, removed or retyped since the baseline profile."}
	DriftDistribution = &Rule{ID: "DRIFT_DISTRIBUTION", Family: FamilyDrift, Category: Drift, Severity: report.SeverityWarning,
		Doc: "A numeric column's distribution moved: normalised Wasserstein distance or PSI on baseline deciles at or above its threshold, guarded by a Kolmogorov-Smirnov test."}
	DriftCategories = &Rule{ID: "DRIFT_CATEGORIES", Family: FamilyDrift, Category: Drift, Severity: report.SeverityWarning,
		Doc: "A categorical column's values changed: new or vanished frequent values, or Jensen-Shannon distance at or above its threshold, guarded by a chi-square test."}
	DriftNullRate = &Rule{ID: "DRIFT_NULL_RATE", Family: FamilyDrift, Category: Drift, Severity: report.SeverityWarning,
		Doc: "A column's null rate (nulls and missingValues) moved by at least the threshold, in percentage points."}
	DriftFormat = &Rule{ID: "DRIFT_FORMAT", Family: FamilyDrift, Category: Drift, Severity: report.SeverityWarning,
		Doc: "A column's value shapes changed (e.g. 9999-99-99 became 99/99/9999): Jensen-Shannon distance of shape frequencies at or above its threshold."}
	DriftRowCount = &Rule{ID: "DRIFT_ROW_COUNT", Family: FamilyDrift, Category: Drift, Severity: report.SeverityWarning,
		Doc: "The batch's row count differs from the baseline's rows per batch by at least the threshold (relative)."}
)
