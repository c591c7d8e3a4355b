// Package rules is driftgate's one registry of rule IDs, for every family
// of rules: the check rules of `driftgate check` (structure, values,
// quality, coverage), drift, contract diff, version conformance and
// contract validity. A rule is one value (see Rule), modelled on
// go/analysis's Analyzer and buf's RuleSpec: a stable ID, its family,
// category, default severity and one-line doc, and, for the value rules,
// the compile step, observer and findings that run it.
//
// The package sits below the engine: checker imports rules, never the
// reverse. Families whose handlers cannot live here (diff rules are
// decided in contracts, which imports nothing of ours; drift rules in
// checker/drift, which imports checker) declare their specs here or hand
// them to the registry, and keep their handlers at home, as buf's rule
// specs point at handlers elsewhere.
package rules

import "github.com/driftgate/driftgate/checker/report"

// Family is the kind of run that reports a rule; `driftgate rules
// --family` filters by it.
type Family string

// The families.
const (
	FamilyCheck    Family = "check"
	FamilyQuality  Family = "quality"
	FamilyDrift    Family = "drift"
	FamilyDiff     Family = "diff"
	FamilyVersion  Family = "version"
	FamilyContract Family = "contract"
	FamilySLA      Family = "sla"
	FamilyAnomaly  Family = "anomaly"
)

// Families lists every family in documentation order.
func Families() []Family {
	return []Family{FamilyCheck, FamilyQuality, FamilyDrift, FamilyDiff, FamilyVersion, FamilyContract, FamilySLA, FamilyAnomaly}
}

// Category groups the rules of a family by what they look at.
type Category string

// The categories of the check, quality, drift, version and contract
// families; the diff family brings its own (see diff.Rules).
const (
	Structural Category = "structural"
	Value      Category = "value"
	Quality    Category = "quality"
	// Coverage rules say what a run did not check.
	Coverage     Category = "coverage"
	Drift        Category = "drift"
	Version      Category = "version"
	ContractCat  Category = "contract"
	Freshness    Category = "freshness"
	Distribution Category = "distribution"
)

// Observes is what a check rule reads of a column's values, as a bit set.
type Observes uint8

// The kinds of values a check rule observes. A rule that observes Numbers
// must be exercised on every numeric Arrow type (a test enforces it).
const (
	Numbers Observes = 1 << iota // int8 … uint64, float16/32/64, decimal32/64/128/256
	Strings                      // string, large string, string view, binary, dictionaries of them
	Times                        // dates, timestamps and times, as integer ticks
	Bools
	Lists   // list, large list, list view, fixed-size list: one array value, its items
	Objects // struct: one object value, its properties
)

// Rule is one kind of finding. Its ID is a stable API: CI configurations,
// exceptions, severity overrides and dashboards refer to it, so an ID is
// never renamed once released.
type Rule struct {
	ID       string
	Family   Family
	Category Category
	// Severity is the default severity; the contract (a quality rule's
	// severity, a column's required flag) or the configuration may set
	// another.
	Severity report.Severity
	// Doc is one line for `driftgate rules` and the README.
	Doc string
	// Observes says which values the rule's observer reads; zero for rules
	// the engine decides from the schema or whole-batch counts, and for
	// rules of other families.
	Observes Observes
	// Compile turns a contract column into the rule's observer, or nil
	// when the column does not declare the rule. It is nil for rules whose
	// handler lives outside this package (structure, uniqueness, quality
	// metrics in the engine; drift; diff; version).
	Compile func(c *Column) (Observer, error)
	// NotRun is set on the rules that stand for a check that did not run
	// (report.CheckNotExecuted, report.CheckSkipped): their checks carry it
	// as their status, so no summary counts them as failed or passed.
	NotRun report.CheckStatus
}

// String is the rule's ID.
func (r *Rule) String() string { return r.ID }

// Finding makes a finding of the rule: the only way engine code builds
// one, so a finding always names a registered rule. A zero severity takes
// the rule's default.
func (r *Rule) Finding(f report.Finding) report.Finding {
	f.Rule = r.ID
	if f.Severity == "" {
		f.Severity = r.Severity
	}
	return f
}

// Check names a check of the rule that ran, passing or not.
func (r *Rule) Check(schema, column string) report.Check {
	return report.Check{Rule: r.ID, Schema: schema, Column: column, Status: r.NotRun}
}
