package rules

import (
	"strings"

	"github.com/driftgate/driftgate/contracts"
)

// Dimension is the ODCS data quality dimension a built-in rule measures,
// for `--only dimension=...` and `--skip dimension=...`. Quality rules
// declare their own; the built-in checks cannot, so they get the dimension
// datacontract-cli gives the same checks (its `test --dimension`), and a
// contract selects the same checks in both tools. "" for the coverage
// rules and for families without one.
func (r *Rule) Dimension() string {
	switch r {
	case ValueNull:
		return "completeness"
	case ValueUnique:
		return "uniqueness"
	case ColumnMissing, ColumnUnexpected, ColumnType, ValueType, ValueRange, ValueLength, ValuePattern, ValueFormat, ValueMultipleOf, ValueItems, ValueUniqueItems, ValueProperties, SLARetention:
		return "conformity"
	case SLAFreshness:
		return "timeliness"
	}
	return ""
}

// ForQuality is the rule a contract quality rule reports as: its library
// metric's rule, else QUALITY_NOT_EXECUTED (sql, custom, text, unknown).
func ForQuality(q *contracts.Quality) *Rule {
	if q.Type != "library" {
		return QualityNotExecuted
	}
	switch q.Metric {
	case "nullValues":
		return QualityNullValues
	case "missingValues":
		return QualityMissingValues
	case "invalidValues":
		return QualityInvalidValues
	case "duplicateValues":
		return QualityDuplicateValues
	case "rowCount":
		return QualityRowCount
	}
	return QualityNotExecuted
}

// ForSLA is the rule an slaProperties entry reports as: latency (and
// datacontract-cli's freshness) is SLA_FRESHNESS, retention SLA_RETENTION,
// anything else SLA_NOT_EXECUTED.
func ForSLA(property string) *Rule {
	switch strings.ToLower(property) {
	case "latency", "freshness":
		return SLAFreshness
	case "retention":
		return SLARetention
	}
	return SLANotExecuted
}
