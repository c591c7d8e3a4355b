package rules

import (
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
	"github.com/driftgate/driftgate/contracts/diff"
)

// All lists every rule of every family, in the order the documentation
// shows them. It is the one registry: `driftgate rules`, the README's
// tables, configuration validation (severity overrides, exceptions,
// --except) and the tests read it. It is a function, not a variable, so
// nothing can change it at run time; adding a rule is one line here.
//
// The diff family's specs are declared by contracts/diff's Rules beside their
// handlers, because contracts/diff imports nothing of ours but contracts, and its handlers need
// each rule's breaking side at run time; they join the registry here
// through diffRule, in diff.Rules order.
func All() []*Rule {
	out := []*Rule{
		// check: structure
		ColumnMissing, ColumnUnexpected, ColumnType,
		// check: values
		ValueNull, ValueType, ValueUnique, ValueRange, ValueLength, ValuePattern, ValueFormat, ValueMultipleOf,
		ValueItems, ValueUniqueItems, ValueProperties,
		// quality
		QualityNullValues, QualityMissingValues, QualityInvalidValues, QualityDuplicateValues, QualityRowCount, QualitySQL, QualityNotExecuted,
		// check: coverage
		CheckSkipped, CheckMetadataIgnored,
		// drift
		DriftSchema, DriftDistribution, DriftCategories, DriftNullRate, DriftFormat, DriftRowCount,
		// anomaly
		AnomalyRowCount, AnomalyNullRate, AnomalyMetric, AnomalyFreshness,
		// version
		VersionConformance, VersionBroken,
		// contract
		ContractInvalid,
		// sla
		SLAFreshness, SLARetention, SLANotExecuted,
	}
	for _, d := range diff.Rules() {
		out = append(out, diffRule(d))
	}
	// Contract problems are declared beside the linter that finds them,
	// for the same reason.
	for _, l := range contracts.LintRules() {
		out = append(out, &Rule{ID: l.ID, Family: FamilyContract, Category: ContractCat, Severity: report.Severity(l.Severity), Doc: l.Doc})
	}
	return out
}

// diffRule is a diff rule's spec as a registry entry.
func diffRule(d diff.Rule) *Rule {
	return &Rule{ID: d.ID, Family: FamilyDiff, Category: Category(d.Category), Severity: report.Severity(d.Severity), Doc: d.Doc}
}

// Lookup returns the registered rule with the given ID.
func Lookup(id string) (*Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// Of returns the rules of one family, in registry order.
func Of(f Family) []*Rule {
	var out []*Rule
	for _, r := range All() {
		if r.Family == f {
			out = append(out, r)
		}
	}
	return out
}

// ParseFamily reads a --family value.
func ParseFamily(s string) (Family, bool) {
	for _, f := range Families() {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}
