package rules

import "github.com/driftgate/driftgate/checker/report"

// The SLA rules judge a contract's slaProperties against the batch, at the
// run's time (--now for reproducible runs). Their handler is the engine's:
// it tracks the newest and oldest value of each SLA element column in the
// same pass as every other rule.
var (
	SLAFreshness = &Rule{ID: "SLA_FRESHNESS", Family: FamilySLA, Category: Freshness, Severity: report.SeverityError,
		Doc: "The newest value of an SLA latency (or freshness) element column, or without an element the newest input's modification time, is older than its value and unit allow."}
	SLARetention = &Rule{ID: "SLA_RETENTION", Family: FamilySLA, Category: Freshness, Severity: report.SeverityError,
		Doc: "The oldest value of an SLA retention element column is older than its value and unit allow: data outlived its retention."}
	SLANotExecuted = &Rule{ID: "SLA_NOT_EXECUTED", Family: FamilySLA, Category: Freshness, Severity: report.SeverityInfo,
		Doc:    "An SLA property driftgate does not judge from a batch (availability, frequency, ...) or cannot (a retention with no element column); listed so it is never silently dropped.",
		NotRun: report.CheckNotExecuted}
)
