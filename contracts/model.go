// Package contracts loads, validates and models ODCS v3 data contracts.
//
// The model keeps only what driftgate executes or compares, plus the
// position of every node that a finding may point at, so CI annotations land
// on the contract line that declared a rule.
package contracts

import "github.com/driftgate/driftgate/contracts/yamlpos"

// Pos is a position in a contract file. Line and Column are 1-based; a zero
// Line means the position is unknown (for example a contract built in code).
type Pos = yamlpos.Pos

// Contract is one ODCS document: one version of one data contract.
type Contract struct {
	// Path is the file the contract was read from, as given by the user.
	Path string
	// SHA256 is the hex SHA-256 of the file's bytes, recorded in reports so a
	// verdict can be tied to the exact contract that produced it.
	SHA256 string

	APIVersion string // e.g. "v3.1.0"
	Kind       string // always "DataContract"
	ID         string
	Version    string
	Status     string
	Name       string

	Schemas []Schema

	// Servers are the contract's servers (see servers.go), in contract order.
	Servers []Server
	// SLA are the slaProperties; SLADefaultElement is the deprecated
	// slaDefaultElement that an SLA property without element falls back to.
	SLA               []SLAProperty
	SLADefaultElement string

	// CustomProperties are the top-level customProperties, by property name.
	CustomProperties map[string]any

	Pos Pos // position of the document root
	// KeyPos holds the position of each top-level key (version, status,
	// id, ...), so a finding about the contract's version or status points
	// at the line that declares it.
	KeyPos map[string]Pos

	// notes are problems the loader saw while mapping the document into
	// this model (for example a v3.0 rule with two operators); Lint reports
	// them with the semantic checks.
	notes []*ParseError
}

// Schema is one ODCS schema object: a table, file, view or topic.
type Schema struct {
	Name         string
	PhysicalName string
	PhysicalType string
	Description  string
	Properties   []Property
	Quality      []Quality
	// CustomProperties are the schema's customProperties, by property name.
	CustomProperties map[string]any
	Pos              Pos
}

// DataName is the name the schema object has in the data: physicalName when
// present, else name.
func (s *Schema) DataName() string {
	if s.PhysicalName != "" {
		return s.PhysicalName
	}
	return s.Name
}

// Property is one ODCS schema property: a column, or a nested field of an
// object or array column.
type Property struct {
	Name         string
	PhysicalName string
	// LogicalType is one of string, date, timestamp, time, number, integer,
	// object, array, boolean; empty when the contract leaves it out.
	LogicalType  string
	PhysicalType string
	Description  string
	// Classification is the ODCS data classification (public, internal,
	// restricted, pii, ...); Tags the property's tags. Private reads them.
	Classification string
	Tags           []string

	Required           bool
	Unique             bool
	PrimaryKey         bool
	PrimaryKeyPosition int // 1-based; -1 or 0 when not part of a composite key

	Options TypeOptions

	Quality []Quality

	// Items is the element type of an array property.
	Items *Property
	// Properties are the fields of an object property.
	Properties []Property

	// CustomProperties are the property's customProperties, by property name.
	CustomProperties map[string]any

	// Pos is the position of the property's mapping node in the contract.
	Pos Pos
	// FieldPos holds the position of each key the property declares, by key
	// ("required", "unique", "minimum", "pattern", ...), so a finding about a
	// specific constraint points at the line that declares it. Keys of
	// logicalTypeOptions are stored under their own names.
	FieldPos map[string]Pos
}

// DataName is the name the column has in the data: physicalName when
// present, else name.
func (p *Property) DataName() string {
	if p.PhysicalName != "" {
		return p.PhysicalName
	}
	return p.Name
}

// PosOf returns the position of key if the property declares it, else the
// position of the property itself.
func (p *Property) PosOf(key string) Pos {
	return posOf(p.FieldPos, key, p.Pos)
}

// posOf is the position of key in a map of key positions, else fallback
// (the entry's own position).
func posOf(keys map[string]Pos, key string, fallback Pos) Pos {
	if p, ok := keys[key]; ok {
		return p
	}
	return fallback
}

// TypeOptions are the ODCS logicalTypeOptions. Bounds keep the YAML value as
// written (a number for integer and number columns, a string for date,
// timestamp and time columns) because their meaning depends on the logical
// type and, for dates, on Format.
type TypeOptions struct {
	MinLength *int64
	MaxLength *int64
	Pattern   string
	// Format is a string format (email, uuid, uri, ipv4, ipv6, hostname, ...)
	// for strings, a JDK DateTimeFormatter pattern (yyyy-MM-dd) for dates,
	// timestamps and times, or a storage hint (i64, f32) for numbers.
	Format string

	Minimum          any // float64, int64 or string; nil when absent
	Maximum          any
	ExclusiveMinimum any
	ExclusiveMaximum any
	MultipleOf       *float64
	// Literals holds the bounds and multipleOf exactly as written (by key:
	// minimum, multipleOf, ...) when the contract wrote them as numbers,
	// so Range and MultipleOf read them exactly.
	Literals map[string]string

	Timezone        *bool
	DefaultTimezone string

	MinItems    *int64
	MaxItems    *int64
	UniqueItems *bool

	MinProperties *int64
	MaxProperties *int64
	RequiredKeys  []string
}

// Quality is one ODCS data quality rule.
type Quality struct {
	ID          string
	Name        string
	Description string
	// Type is text, library, sql or custom. A rule with a metric (or a v3.0
	// rule name) and no type is a library rule.
	Type string
	// Metric is the v3.1 library metric: nullValues, missingValues,
	// invalidValues, duplicateValues or rowCount. Contracts written for v3.0
	// say rule: instead; the loader maps those names here (duplicateCount to
	// duplicateValues, validValues to invalidValues).
	Metric string
	// Rule is the v3.0 rule name exactly as written, empty for v3.1 rules.
	Rule      string
	Arguments QualityArguments
	// Operator is the single comparison the rule declares.
	Operator Operator
	// Unit is "rows" (the default) or "percent".
	Unit      string
	Severity  string // as written: error, warning, info, or empty
	Dimension string
	Tags      []string
	Query     string // sql rules
	Engine    string // custom rules

	Pos Pos
	// QueryPos is where an sql rule's query is written.
	QueryPos Pos
}

// QualityArguments are the arguments of a library metric.
type QualityArguments struct {
	// ValidValues lists the allowed values for invalidValues. Elements are
	// YAML scalars as decoded: string, int64, float64, bool or nil.
	ValidValues []any
	// Pattern is the regular expression valid values must match.
	Pattern string
	// MissingValues lists the values that count as missing. nil in the list
	// stands for null.
	MissingValues []any
	// Properties lists the columns of a schema-level duplicateValues rule.
	Properties []string
}

// OperatorKind names one of the ODCS comparison operators.
type OperatorKind string

// The ODCS operators. A rule declares exactly one.
const (
	MustBe                 OperatorKind = "mustBe"
	MustNotBe              OperatorKind = "mustNotBe"
	MustBeGreaterThan      OperatorKind = "mustBeGreaterThan"
	MustBeGreaterOrEqualTo OperatorKind = "mustBeGreaterOrEqualTo"
	MustBeLessThan         OperatorKind = "mustBeLessThan"
	MustBeLessOrEqualTo    OperatorKind = "mustBeLessOrEqualTo"
	MustBeBetween          OperatorKind = "mustBeBetween"
	MustNotBeBetween       OperatorKind = "mustNotBeBetween"
)

// Operator is a comparison with its operand. Between operators use Low and
// High (inclusive bounds); the others use Value.
type Operator struct {
	Kind  OperatorKind // empty when the rule declares none
	Value float64
	Low   float64
	High  float64
}
