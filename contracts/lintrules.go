package contracts

// The rule IDs of contract problems: what `driftgate lint` (and every
// command that loads a contract) reports. Each problem carries one in
// ParseError.Rule, so CI annotations and JSON reports can be filtered and
// counted by kind. They are declared here, beside the linter that finds
// them, because contracts imports nothing of ours; checker/rules registers
// them through LintRules.
const (
	LintSyntax          = "CONTRACT_SYNTAX"
	LintSchema          = "CONTRACT_SCHEMA"
	LintValue           = "CONTRACT_VALUE"
	LintDuplicateColumn = "CONTRACT_DUPLICATE_COLUMN"
	LintPhysicalType    = "CONTRACT_PHYSICAL_TYPE"
	LintTypeConflict    = "CONTRACT_TYPE_CONFLICT"
	LintFormat          = "CONTRACT_FORMAT"
	LintPattern         = "CONTRACT_PATTERN"
	LintBound           = "CONTRACT_BOUND"
	LintEmptyRange      = "CONTRACT_EMPTY_RANGE"
	LintQuality         = "CONTRACT_QUALITY"
	LintVersion         = "CONTRACT_VERSION"
)

// LintRule is the spec of one contract problem.
type LintRule struct {
	ID string
	// Severity is error, warning or info: an error makes the contract
	// unusable (lint and check exit 2).
	Severity string
	Doc      string
}

// LintRules lists every contract problem, in documentation order.
func LintRules() []LintRule {
	return []LintRule{
		{LintSyntax, "error", "The file is not one YAML or JSON document whose root is a mapping (or exceeds the size and nesting limits)."},
		{LintSchema, "error", "The contract does not validate against the ODCS v3 JSON Schema (a missing, unknown or mistyped field)."},
		{LintValue, "error", "A value the schema allows cannot be used as written (an option that is not a number, a number beyond the range driftgate can compare exactly)."},
		{LintDuplicateColumn, "error", "Two properties of one schema object or object property have the same (physical) name."},
		{LintPhysicalType, "info", "A physicalType driftgate does not know in the contract's dialect (the server's engine); the logicalType decides what the data must be (a warning when there is no logicalType)."},
		{LintTypeConflict, "error", "A physicalType that contradicts the logicalType (INT64 for a string); a warning where the pair is unusual but has a reading (an integer for a timestamp)."},
		{LintFormat, "info", "A date or time format driftgate cannot read; values are not checked against it and bounds are read as ISO 8601."},
		{LintPattern, "error", "A pattern that is not valid RE2 (ECMA-262 lookarounds and backreferences are rejected)."},
		{LintBound, "error", "A minimum, maximum or multipleOf that does not parse for the column's type and format."},
		{LintEmptyRange, "error", "Bounds that no value can pass: minimum above maximum, minLength above maxLength, and the like."},
		{LintQuality, "error", "A quality rule that cannot be evaluated: a library metric without an operator, or arguments naming columns the schema object does not have."},
		{LintVersion, "error", "Two files define the same contract version with different content."},
	}
}
