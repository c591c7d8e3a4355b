package diff

import "strings"

// Side says whom a contract change can break. It is a bit set: a change
// can break both sides.
type Side uint8

// The sides. Consumers break when data valid under the new version can
// violate a guarantee of the old one (a column removed, a range widened);
// producers break when data valid under the old version can violate the
// new one (a new required column, a range tightened).
const (
	BreaksNone      Side = 0
	BreaksConsumers Side = 1 << 0
	BreaksProducers Side = 1 << 1
	BreaksBoth           = BreaksConsumers | BreaksProducers
)

// String is none, consumers, producers or both.
func (s Side) String() string {
	switch s {
	case BreaksNone:
		return "none"
	case BreaksConsumers:
		return "consumers"
	case BreaksProducers:
		return "producers"
	case BreaksBoth:
		return "both"
	}
	return "unknown"
}

// Mode is the compatibility a contract promises, in the sense of Confluent
// Schema Registry's modes: backward means the new version accepts all data
// the old one accepted (producers do not break), forward means data valid
// under the new version is valid under the old one (consumers do not
// break), full means both.
type Mode string

// The modes.
const (
	ModeBackward Mode = "backward"
	ModeForward  Mode = "forward"
	ModeFull     Mode = "full"
)

// ParseMode reads a --mode value.
func ParseMode(s string) (Mode, bool) {
	switch m := Mode(strings.ToLower(s)); m {
	case ModeBackward, ModeForward, ModeFull:
		return m, true
	}
	return "", false
}

// Enforced is the set of sides a mode protects.
func (m Mode) Enforced() Side {
	switch m {
	case ModeBackward:
		return BreaksProducers
	case ModeForward:
		return BreaksConsumers
	}
	return BreaksBoth
}

// Breaking reports whether a change that breaks side s is breaking under
// the mode.
func (m Mode) Breaking(s Side) bool { return s&m.Enforced() != 0 }

// The diff rule categories.
const (
	CategoryContract      = "contract"
	CategorySchema        = "schema"
	CategoryColumn        = "column"
	CategoryType          = "type"
	CategoryConstraint    = "constraint"
	CategoryQuality       = "quality"
	CategoryLifecycle     = "lifecycle"
	CategoryVersion       = "version"
	CategoryDocumentation = "documentation"
)

// Rule describes one kind of change between two versions of a
// contract. IDs are stable: they appear in reports and in --except lists,
// so they are never renamed once released.
type Rule struct {
	ID       string
	Category string
	// Severity is "error", "warning" or "info": the severity of a change
	// that breaks a side the mode enforces, or of a rule that breaks no
	// side. A change that breaks only a side the mode does not enforce is
	// reported as info, and a breaking change in a new major version (which
	// semver allows) as a warning.
	Severity string
	Breaks   Side
	Doc      string
}

// The diff rule IDs.
const (
	ContractAdded        = "CONTRACT_ADDED"
	ContractRemoved      = "CONTRACT_REMOVED"
	ContractIDChanged    = "CONTRACT_ID_CHANGED"
	SchemaAdded          = "SCHEMA_ADDED"
	SchemaRemoved        = "SCHEMA_REMOVED"
	SchemaRenamed        = "SCHEMA_RENAMED"
	ColumnRemoved        = "COLUMN_REMOVED"
	ColumnAddedRequired  = "COLUMN_ADDED_REQUIRED"
	ColumnAddedOptional  = "COLUMN_ADDED_OPTIONAL"
	ColumnRenamed        = "COLUMN_RENAMED"
	TypeWidened          = "TYPE_WIDENED"
	TypeNarrowed         = "TYPE_NARROWED"
	TypeChanged          = "TYPE_CHANGED"
	RequiredAdded        = "REQUIRED_ADDED"
	RequiredRemoved      = "REQUIRED_REMOVED"
	UniqueAdded          = "UNIQUE_ADDED"
	UniqueRemoved        = "UNIQUE_REMOVED"
	PrimaryKeyChanged    = "PRIMARY_KEY_CHANGED"
	RangeTightened       = "RANGE_TIGHTENED"
	RangeLoosened        = "RANGE_LOOSENED"
	RangeChanged         = "RANGE_CHANGED"
	LengthTightened      = "LENGTH_TIGHTENED"
	LengthLoosened       = "LENGTH_LOOSENED"
	PatternAdded         = "PATTERN_ADDED"
	PatternRemoved       = "PATTERN_REMOVED"
	PatternChanged       = "PATTERN_CHANGED"
	FormatAdded          = "FORMAT_ADDED"
	FormatRemoved        = "FORMAT_REMOVED"
	FormatChanged        = "FORMAT_CHANGED"
	ValidValuesAdded     = "VALID_VALUES_ADDED"
	ValidValuesRemoved   = "VALID_VALUES_REMOVED"
	QualityAdded         = "QUALITY_ADDED"
	QualityRemoved       = "QUALITY_REMOVED"
	QualityTightened     = "QUALITY_TIGHTENED"
	QualityLoosened      = "QUALITY_LOOSENED"
	QualityChanged       = "QUALITY_CHANGED"
	StatusDeprecated     = "STATUS_DEPRECATED"
	StatusChanged        = "STATUS_CHANGED"
	VersionBumpRequired  = "VERSION_BUMP_REQUIRED"
	VersionBumpSuggested = "VERSION_BUMP_SUGGESTED"
	VersionDecreased     = "VERSION_DECREASED"
	NameChanged          = "NAME_CHANGED"
	DescriptionChanged   = "DESCRIPTION_CHANGED"
)

// Rules is the one registry of diff rules, in the order the docs list
// them. It is a function so nothing can modify it at run time.
func Rules() []Rule {
	return []Rule{
		{ContractAdded, CategoryContract, "info", BreaksNone, "A contract id appears that the baseline (the git ref) does not have."},
		{ContractRemoved, CategoryContract, "error", BreaksConsumers, "Every version of a contract id present in the baseline is gone."},
		{ContractIDChanged, CategoryContract, "error", BreaksBoth, "The two contracts compared have different ids; tools and people that look the contract up by id lose it."},
		{SchemaAdded, CategorySchema, "info", BreaksNone, "A schema object (table) is added."},
		{SchemaRemoved, CategorySchema, "error", BreaksConsumers, "A schema object (table) is removed."},
		{SchemaRenamed, CategorySchema, "error", BreaksBoth, "A schema object keeps its name but its physicalName changes."},
		{ColumnRemoved, CategoryColumn, "error", BreaksConsumers, "A column is removed; consumers reading it break."},
		{ColumnAddedRequired, CategoryColumn, "error", BreaksProducers, "A required column is added; data written for the old version lacks it."},
		{ColumnAddedOptional, CategoryColumn, "info", BreaksNone, "An optional (nullable) column is added."},
		{ColumnRenamed, CategoryColumn, "error", BreaksBoth, "A column keeps its name but its physicalName (the name in the data) changes."},
		{TypeWidened, CategoryType, "error", BreaksConsumers, "The type holds more values than before (int32 to int64, decimal(10,2) to decimal(12,2), ms to us timestamps); consumers may not fit them."},
		{TypeNarrowed, CategoryType, "error", BreaksProducers, "The type holds fewer values than before (int64 to int32, a larger decimal scale to a smaller one); old data may not fit."},
		{TypeChanged, CategoryType, "error", BreaksBoth, "The type changes family or in a way that is neither wider nor narrower (string to integer, a different time zone)."},
		{RequiredAdded, CategoryConstraint, "error", BreaksProducers, "A column becomes required (not nullable); old data may hold nulls."},
		{RequiredRemoved, CategoryConstraint, "error", BreaksConsumers, "A column becomes nullable; consumers may receive nulls."},
		{UniqueAdded, CategoryConstraint, "error", BreaksProducers, "A column becomes unique; old data may repeat values."},
		{UniqueRemoved, CategoryConstraint, "error", BreaksConsumers, "A column is no longer unique; consumers may receive repeats."},
		{PrimaryKeyChanged, CategoryConstraint, "error", BreaksBoth, "The primary key (its columns or their primaryKeyPosition order) changes."},
		{RangeTightened, CategoryConstraint, "error", BreaksProducers, "minimum/maximum (or their exclusive forms, or multipleOf) allow fewer values."},
		{RangeLoosened, CategoryConstraint, "error", BreaksConsumers, "minimum/maximum (or their exclusive forms, or multipleOf) allow more values."},
		{RangeChanged, CategoryConstraint, "error", BreaksBoth, "A bound changes in a way that cannot be ordered (a date bound in another format)."},
		{LengthTightened, CategoryConstraint, "error", BreaksProducers, "minLength/maxLength (or minItems/maxItems) allow fewer values."},
		{LengthLoosened, CategoryConstraint, "error", BreaksConsumers, "minLength/maxLength (or minItems/maxItems) allow more values."},
		{PatternAdded, CategoryConstraint, "error", BreaksProducers, "A pattern is added to a column."},
		{PatternRemoved, CategoryConstraint, "error", BreaksConsumers, "A column's pattern is removed."},
		{PatternChanged, CategoryConstraint, "error", BreaksBoth, "A column's pattern changes."},
		{FormatAdded, CategoryConstraint, "error", BreaksProducers, "A format (email, uuid, yyyy-MM-dd, ...) is added to a column."},
		{FormatRemoved, CategoryConstraint, "error", BreaksConsumers, "A column's format is removed."},
		{FormatChanged, CategoryConstraint, "error", BreaksBoth, "A column's format changes."},
		{ValidValuesAdded, CategoryConstraint, "error", BreaksConsumers, "An invalidValues rule allows new values; consumers may not handle them."},
		{ValidValuesRemoved, CategoryConstraint, "error", BreaksProducers, "An invalidValues rule no longer allows some values; old data may use them."},
		{QualityAdded, CategoryQuality, "error", BreaksProducers, "A quality rule is added."},
		{QualityRemoved, CategoryQuality, "error", BreaksConsumers, "A quality rule is removed."},
		{QualityTightened, CategoryQuality, "error", BreaksProducers, "A quality rule's operator accepts fewer results, or its severity rises."},
		{QualityLoosened, CategoryQuality, "error", BreaksConsumers, "A quality rule's operator accepts more results, or its severity drops."},
		{QualityChanged, CategoryQuality, "error", BreaksBoth, "A quality rule's metric, unit, query, engine, arguments or operator change in a way that cannot be ordered."},
		{StatusDeprecated, CategoryLifecycle, "warning", BreaksNone, "The contract's status becomes deprecated or retired; consumers should move on."},
		{StatusChanged, CategoryLifecycle, "info", BreaksNone, "The contract's status changes otherwise (draft to active, ...)."},
		{VersionBumpRequired, CategoryVersion, "error", BreaksNone, "A change breaking under the mode keeps the major version (for 0.x, the minor version)."},
		{VersionBumpSuggested, CategoryVersion, "warning", BreaksNone, "A compatible change that is not documentation keeps both the major and the minor version."},
		{VersionDecreased, CategoryVersion, "error", BreaksNone, "The new version is lower than the old one."},
		{NameChanged, CategoryDocumentation, "info", BreaksNone, "A contract's or column's logical name changes while the name in the data stays."},
		{DescriptionChanged, CategoryDocumentation, "info", BreaksNone, "A description changes."},
	}
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
