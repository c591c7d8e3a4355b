package rules

import "github.com/driftgate/driftgate/checker/report"

// Anomaly is the category of the anomaly family.
const Anomaly Category = "anomaly"

// The anomaly rules: a metric of today's batch outside what the dataset's
// own history (--history) predicts for it. Their detector lives in
// checker/history.
var (
	AnomalyRowCount = &Rule{ID: "ANOMALY_ROW_COUNT", Family: FamilyAnomaly, Category: Anomaly, Severity: report.SeverityWarning,
		Doc: "The batch's row count is outside the band its history predicts (robust trend and weekday season)."}
	AnomalyNullRate = &Rule{ID: "ANOMALY_NULL_RATE", Family: FamilyAnomaly, Category: Anomaly, Severity: report.SeverityWarning,
		Doc: "A column's null rate rose above the band its history predicts (by at least 1 percentage point)."}
	AnomalyMetric = &Rule{ID: "ANOMALY_METRIC", Family: FamilyAnomaly, Category: Anomaly, Severity: report.SeverityWarning,
		Doc: "A column's mean, sum, distinct count, minimum or maximum is outside the band its history predicts; the message says which."}
	AnomalyFreshness = &Rule{ID: "ANOMALY_FRESHNESS", Family: FamilyAnomaly, Category: Anomaly, Severity: report.SeverityWarning,
		Doc: "A timestamp or date column's newest value lags the run's as-of time by more than its history predicts (by at least an hour)."}
)
