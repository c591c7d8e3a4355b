package contracts

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the kind of value a type holds.
type Kind uint8

// The families. KindAny means nothing is declared: every type passes.
const (
	KindAny Kind = iota
	KindInt
	KindUint
	KindFloat
	KindDecimal
	// KindNumber is any numeric type: logicalType number with no
	// physicalType, Oracle's NUMBER without precision.
	KindNumber
	KindString
	// KindBinary holds bytes; text is bytes too, so string data passes.
	KindBinary
	KindBool
	KindDate
	KindTimestamp
	KindTime
	KindObject
	KindArray
	KindMap
	// KindJSON is a semi-structured document (json, jsonb, VARIANT,
	// SUPER): stored as text, bytes or nested Arrow types.
	KindJSON
)

// String names the family as findings do.
func (f Kind) String() string {
	if int(f) < len(families) {
		return families[f].name
	}
	return "unknown"
}

// family is what driftgate knows of one Kind, in one table: its name in
// findings, the group conflict compares logical and physical types by,
// and how a declaration of the family holds the values of another domain.
type family struct {
	name string
	// group is number, text, temporal, nested, bool or json.
	group string
	// accepts are the kinds whose values may fit a declaration of this
	// family; a domain of another kind fails with notA.
	accepts kindSet
	notA    string
	// holds decides for an accepted domain; nil means every one fits.
	holds func(a, b Domain, data bool) (bool, string)
}

// families is the type table, indexed by Kind.
var families = [...]family{
	KindAny:       {name: "any type", accepts: anyKind},
	KindInt:       {name: "integer", group: "number", accepts: kinds(KindInt, KindUint, KindDecimal), notA: notInteger, holds: integerHolds},
	KindUint:      {name: "unsigned integer", group: "number", accepts: kinds(KindInt, KindUint, KindDecimal), notA: notInteger, holds: integerHolds},
	KindFloat:     {name: "floating-point", group: "number", accepts: kinds(KindFloat, KindInt, KindUint), notA: "not a floating-point type", holds: floatHolds},
	KindDecimal:   {name: "decimal", group: "number", accepts: kinds(KindInt, KindUint, KindDecimal), notA: "not a decimal type", holds: decimalHolds},
	KindNumber:    {name: "number", group: "number", accepts: kinds(KindInt, KindUint, KindFloat, KindDecimal, KindNumber), notA: "not a numeric type"},
	KindString:    {name: "string", group: "text", accepts: kinds(KindString, KindBinary), notA: notString, holds: stringHolds},
	KindBinary:    {name: "binary", group: "text", accepts: kinds(KindBinary, KindString), notA: "not a binary type", holds: binaryHolds},
	KindBool:      {name: "boolean", group: "bool", accepts: kinds(KindBool), notA: "not a boolean type"},
	KindDate:      {name: "date", group: "temporal", accepts: kinds(KindDate), notA: "not a date type"},
	KindTimestamp: {name: "timestamp", group: "temporal", accepts: kinds(KindTimestamp), notA: "not a timestamp type", holds: timestampHolds},
	KindTime:      {name: "time", group: "temporal", accepts: kinds(KindTime), notA: "not a time type"},
	KindObject:    {name: "object", group: "nested", accepts: kinds(KindObject), notA: "not a struct"},
	KindArray:     {name: "array", group: "nested", accepts: kinds(KindArray), notA: "not a list"},
	KindMap:       {name: "map", group: "nested", accepts: kinds(KindMap), notA: "not a map"},
	// A JSON document is stored as text, bytes or nested Arrow types.
	KindJSON: {name: "json", group: "json", accepts: kinds(KindJSON, KindString, KindBinary, KindObject, KindArray, KindMap), notA: "not a JSON document (text, bytes or nested)"},
}

const (
	notInteger = "not an integer type"
	notString  = "not a string type"
)

// kindSet is a set of kinds, one bit each.
type kindSet uint32

// anyKind is every kind.
const anyKind = ^kindSet(0)

func kinds(ks ...Kind) kindSet {
	var s kindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

func (s kindSet) has(k Kind) bool { return k < 32 && s&(1<<k) != 0 }

// ZoneRule is what a timestamp type says about time zones.
type ZoneRule uint8

// The zone rules.
const (
	ZoneEither   ZoneRule = iota // with or without a zone
	ZoneNone                     // local time: no zone allowed
	ZoneRequired                 // an instant: some zone required
	ZoneExact                    // this zone (Domain.Zone)
)

// TimeUnit is the resolution of a timestamp or time; UnitAny means any.
type TimeUnit int8

// The units, in Arrow's order.
const (
	UnitAny    TimeUnit = -1
	UnitSecond TimeUnit = TimeUnit(arrow.Second)
	UnitMilli  TimeUnit = TimeUnit(arrow.Millisecond)
	UnitMicro  TimeUnit = TimeUnit(arrow.Microsecond)
	UnitNano   TimeUnit = TimeUnit(arrow.Nanosecond)
)

func (u TimeUnit) String() string {
	if u == UnitAny {
		return "any unit"
	}
	return arrow.TimeUnit(u).String()
}

// Domain is the set of values a type allows: its family and the width,
// precision, length, unit or zone that bound it. Zero values mean "any",
// except Unit, whose "any" is UnitAny.
type Domain struct {
	Kind Kind
	// Bits is the width of an integer or float; 0 is any width.
	Bits int
	// Precision and Scale of a decimal; Precision 0 is any.
	Precision, Scale int32
	// Length is the most characters (or bytes) a string or binary holds;
	// 0 is unbounded. Data types carry no length, so it only orders
	// declarations (diff), it never fails data.
	Length int64
	// Unit of a timestamp or time.
	Unit TimeUnit
	// ZoneRule and Zone say which time zones a timestamp may carry.
	ZoneRule ZoneRule
	Zone     string
	// UUID marks a string that may also be stored as 16 bytes (Parquet's
	// UUID logical type).
	UUID bool
}

// anyDomain is a domain of the given family with no other bound.
func anyDomain(f Kind) Domain { return Domain{Kind: f, Unit: UnitAny} }

// Type is a property's declared type, parsed once: what its data must
// hold, and how physicalType and logicalType relate.
type Type struct {
	// Domain is what the column's data must hold: the physicalType's
	// domain when driftgate knows the type in the dialect, else the
	// logicalType's.
	Domain Domain
	// Dialect is the vocabulary physicalType was read in.
	Dialect Dialect
	// Logical and Physical are the declarations as written.
	Logical, Physical string
	// PhysicalKnown says whether the dialect knows the physicalType.
	// An unknown one leaves the logicalType to decide.
	PhysicalKnown bool
	// TextEncoded marks a date, timestamp or time column whose
	// physicalType is text: its values are strings in the column's format.
	TextEncoded bool
	// Conflict explains how physicalType contradicts logicalType (INT64
	// for a string); ConflictSeverity is "" (an error), warning or info.
	Conflict         string
	ConflictSeverity string
}

// Text is the declaration as findings show it: "integer (int4)".
func (t Type) Text() string {
	switch {
	case t.Physical != "" && t.Logical != "":
		return fmt.Sprintf("%s (%s)", t.Logical, t.Physical)
	case t.Physical != "":
		return t.Physical
	case t.Logical != "":
		return t.Logical
	}
	return "any type"
}

// logicalKinds are the ODCS logicalTypes and the family each allows.
var logicalKinds = map[string]Kind{
	"integer": KindInt, "number": KindNumber, "string": KindString, "boolean": KindBool,
	"date": KindDate, "timestamp": KindTimestamp, "time": KindTime, "object": KindObject, "array": KindArray,
}

// LogicalDomain is the domain a logicalType allows on its own, with the
// timezone option applied to timestamps.
func LogicalDomain(logical string, timezone *bool) Domain {
	d := anyDomain(logicalKinds[logical]) // KindAny when not a logicalType
	if d.Kind == KindTimestamp {
		applyTimezone(&d, timezone)
	}
	return d
}

// LogicalTypeOf is the ODCS logicalType that holds a domain's values:
// LogicalDomain read backwards, for writing a contract from a physical
// type (an import of DDL). JSON documents are text; a domain of any type
// has none ("").
func LogicalTypeOf(d Domain) string {
	switch d.Kind {
	case KindInt, KindUint:
		return "integer"
	case KindFloat, KindDecimal, KindNumber:
		return "number"
	case KindString, KindBinary, KindJSON:
		return "string"
	case KindBool:
		return "boolean"
	case KindDate:
		return "date"
	case KindTimestamp:
		return "timestamp"
	case KindTime:
		return "time"
	case KindObject, KindMap:
		return "object"
	case KindArray:
		return "array"
	}
	return ""
}

func applyTimezone(d *Domain, timezone *bool) {
	if timezone == nil || d.ZoneRule != ZoneEither {
		return
	}
	d.ZoneRule = ZoneNone
	if *timezone {
		d.ZoneRule = ZoneRequired
	}
}

// Type parses the property's declared type in a dialect (see
// DialectFor). It never fails: a physicalType the dialect does not know
// leaves the logicalType to decide, and Type says so.
func (p *Property) Type(d Dialect) Type {
	t := Type{Dialect: d, Logical: p.LogicalType, Physical: strings.TrimSpace(p.PhysicalType)}
	logical := LogicalDomain(p.LogicalType, p.Options.Timezone)
	t.Domain = logical
	if t.Physical == "" {
		return t
	}
	pd, known := ParsePhysicalType(t.Physical, d)
	t.PhysicalKnown = known
	if !known || pd.Kind == KindAny {
		// Unknown, or known but opaque (GEOGRAPHY-like types whose
		// storage varies): the logical type decides.
		return t
	}
	if p.LogicalType != "" {
		t.Conflict, t.ConflictSeverity = conflict(p.LogicalType, pd)
	}
	if pd.Kind == KindTimestamp {
		applyTimezone(&pd, p.Options.Timezone)
	}
	if (pd.Kind == KindString || pd.Kind == KindBinary) && (p.LogicalType == "date" || p.LogicalType == "timestamp" || p.LogicalType == "time") {
		t.TextEncoded = true
	}
	t.Domain = pd
	return t
}

// conflict says how a known physical domain contradicts a logical type:
// an error where no value could be both (INT64 for a string), a warning
// where the pair is unusual but has a reading (an integer for a
// timestamp: epoch counts), nothing where they agree. The official ODCS
// examples pair date with timestamp and even time, so temporal types
// never conflict with each other.
func conflict(logical string, d Domain) (msg, severity string) {
	group := func(f Kind) string {
		if int(f) < len(families) {
			return families[f].group
		}
		return ""
	}
	const ok, warn, bad = "", SeverityWarning, "error"
	table := map[string]map[string]string{
		"string":    {"number": bad, "bool": bad, "temporal": warn, "nested": warn},
		"integer":   {"text": bad, "temporal": bad, "nested": bad, "bool": warn, "json": warn},
		"number":    {"text": bad, "temporal": bad, "nested": bad, "bool": warn, "json": warn},
		"boolean":   {"text": warn, "temporal": bad, "nested": bad, "json": warn},
		"date":      {"number": warn, "bool": bad, "nested": bad, "json": warn},
		"timestamp": {"number": warn, "bool": bad, "nested": bad, "json": warn},
		"time":      {"number": warn, "bool": bad, "nested": bad, "json": warn},
		"object":    {"number": bad, "bool": bad, "temporal": bad, "text": warn},
		"array":     {"number": bad, "bool": bad, "temporal": bad, "text": warn},
	}
	sev := table[logical][group(d.Kind)]
	if logical == "integer" && d.Kind == KindFloat {
		sev = warn
	}
	if logical == "array" && (d.Kind == KindObject || d.Kind == KindMap) ||
		logical == "object" && d.Kind == KindArray {
		sev = warn
	}
	switch sev {
	case ok:
		return "", ""
	case bad:
		return fmt.Sprintf("is %s %s type, which contradicts logicalType %s", article(d.Kind.String()), d.Kind, logical), ""
	}
	return fmt.Sprintf("is %s %s type, unusual for logicalType %s; the physicalType decides what the data must be", article(d.Kind.String()), d.Kind, logical), sev
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// DataDomain is the domain of an Arrow type: what the data can hold.
// Dictionary and extension types count as the values they hold.
func DataDomain(dt arrow.DataType) Domain {
	dt = ValueType(dt)
	d := anyDomain(KindAny)
	switch t := dt.(type) {
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type:
		d.Kind, d.Bits = KindInt, t.(arrow.FixedWidthDataType).BitWidth()
	case *arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type, *arrow.Uint64Type:
		d.Kind, d.Bits = KindUint, t.(arrow.FixedWidthDataType).BitWidth()
	case *arrow.Float16Type, *arrow.Float32Type, *arrow.Float64Type:
		d.Kind, d.Bits = KindFloat, t.(arrow.FixedWidthDataType).BitWidth()
	case arrow.DecimalType:
		d.Kind, d.Precision, d.Scale = KindDecimal, t.GetPrecision(), t.GetScale()
	case *arrow.StringType, *arrow.LargeStringType, *arrow.StringViewType:
		d.Kind = KindString
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.BinaryViewType:
		d.Kind = KindBinary
	case *arrow.FixedSizeBinaryType:
		d.Kind, d.Length = KindBinary, int64(t.ByteWidth)
	case *arrow.BooleanType:
		d.Kind = KindBool
	case *arrow.Date32Type, *arrow.Date64Type:
		d.Kind = KindDate
	case *arrow.TimestampType:
		d.Kind, d.Unit = KindTimestamp, TimeUnit(t.Unit)
		d.ZoneRule = ZoneNone
		if t.TimeZone != "" {
			d.ZoneRule, d.Zone = ZoneExact, t.TimeZone
		}
	case *arrow.Time32Type:
		d.Kind, d.Unit = KindTime, TimeUnit(t.Unit)
	case *arrow.Time64Type:
		d.Kind, d.Unit = KindTime, TimeUnit(t.Unit)
	case *arrow.StructType:
		d.Kind = KindObject
	case *arrow.ListType, *arrow.LargeListType, *arrow.FixedSizeListType, *arrow.ListViewType, *arrow.LargeListViewType:
		d.Kind = KindArray
	case *arrow.MapType:
		d.Kind = KindMap
	}
	return d
}

// ValueType unwraps dictionary and extension types to the type the values
// have, which is what a contract describes.
func ValueType(dt arrow.DataType) arrow.DataType {
	for {
		switch t := dt.(type) {
		case *arrow.DictionaryType:
			dt = t.ValueType
		case arrow.ExtensionType:
			dt = t.StorageType()
		default:
			return dt
		}
	}
}

// Holds reports whether data of Arrow type dt fits the declared type,
// with the reason when it does not. It is the one widening table: a
// narrower integer, a coarser timestamp unit, a decimal with no more
// integer and fraction digits pass; anything that can lose or change a
// value fails.
func (t Type) Holds(dt arrow.DataType) (bool, string) {
	return t.Domain.holds(DataDomain(dt), true)
}

// Contains reports whether every value of domain b is a value of a, with
// the reason when it is not. diff uses it to order two declarations:
// b → a widens when a contains b and b does not contain a.
func (a Domain) Contains(b Domain) (bool, string) { return a.holds(b, false) }

// decimalDigits is how many decimal digits an integer of the given width
// needs at most; 0 bits (any width) needs unbounded digits.
func decimalDigits(bits int) int32 {
	switch bits {
	case 8:
		return 3
	case 16:
		return 5
	case 32:
		return 10
	case 64:
		return 20
	case 128:
		return 39
	}
	return 1 << 20
}

// mantissa is how many integer bits a float of the given width holds
// exactly.
func mantissa(bits int) int {
	switch bits {
	case 16:
		return 11
	case 32:
		return 24
	}
	return 53
}

// holds is Contains; data says b describes data rather than a
// declaration, where a missing length means unknown, not unbounded.
//
// Integers in a floating-point column: a float holds an integer type only
// when every value converts exactly (int8/int16 into float32, up to
// int32 into float64). int64 data for a double column fails, because
// values beyond 2^53 would be rounded, and check and diff agree on it.
func (a Domain) holds(b Domain, data bool) (bool, string) {
	if int(a.Kind) >= len(families) {
		return true, ""
	}
	f := &families[a.Kind]
	switch {
	case !f.accepts.has(b.Kind):
		return false, f.notA
	case f.holds == nil:
		return true, ""
	}
	return f.holds(a, b, data)
}

// fits says whether a width y fits in a width x, 0 being any width.
func fits(x, y int) bool { return x == 0 || y != 0 && y <= x }

// integerHolds: a narrower integer of the same signedness, an unsigned
// one narrower than a signed one, or a decimal of scale 0 with fewer
// digits than the integer holds.
func integerHolds(a, b Domain, _ bool) (bool, string) {
	switch b.Kind {
	case KindInt:
		if a.Kind == KindInt && fits(a.Bits, b.Bits) {
			return true, ""
		}
	case KindUint:
		if a.Kind == KindUint && fits(a.Bits, b.Bits) || a.Kind == KindInt && (a.Bits == 0 || b.Bits != 0 && b.Bits < a.Bits) {
			return true, ""
		}
	case KindDecimal:
		if b.Scale != 0 || b.Precision == 0 {
			return false, notInteger
		}
		if a.Bits == 0 || b.Precision < decimalDigits(a.Bits) {
			return true, ""
		}
	}
	name := "int"
	if a.Kind == KindUint {
		name = "uint"
	}
	if a.Bits == 0 {
		return false, fmt.Sprintf("values may not fit in %s", name)
	}
	return false, fmt.Sprintf("values may not fit in %s%d", name, a.Bits)
}

// floatHolds: a float no wider, or an integer every value of which
// converts exactly (see holds).
func floatHolds(a, b Domain, _ bool) (bool, string) {
	if b.Kind == KindFloat {
		if fits(a.Bits, b.Bits) {
			return true, ""
		}
		if b.Bits == 0 {
			return false, fmt.Sprintf("a float of any width narrows to float%d", a.Bits)
		}
		return false, fmt.Sprintf("float%d narrows to float%d", b.Bits, a.Bits)
	}
	bits := b.Bits
	if b.Kind == KindInt {
		bits-- // the sign bit needs no mantissa
	}
	if b.Bits != 0 && bits <= mantissa(a.Bits) {
		return true, ""
	}
	w := "float"
	if a.Bits != 0 {
		w = fmt.Sprintf("float%d", a.Bits)
	}
	src := "integers of any width"
	if b.Bits != 0 {
		src = intName(b) + " values"
	}
	return false, fmt.Sprintf("%s beyond 2^%d are rounded in %s", src, mantissa(a.Bits), w)
}

// decimalHolds: no more integer digits and no larger a scale.
func decimalHolds(a, b Domain, _ bool) (bool, string) {
	if a.Precision == 0 {
		return true, ""
	}
	if b.Kind != KindDecimal {
		if b.Bits != 0 && decimalDigits(b.Bits) <= a.Precision-a.Scale {
			return true, ""
		}
		return false, fmt.Sprintf("%s needs %d integer digits, decimal(%d,%d) has %d", intName(b), decimalDigits(b.Bits), a.Precision, a.Scale, a.Precision-a.Scale)
	}
	switch {
	case b.Precision == 0:
		return false, fmt.Sprintf("a decimal of any precision may not fit decimal(%d,%d)", a.Precision, a.Scale)
	case b.Scale > a.Scale:
		return false, fmt.Sprintf("scale %d is larger than %d", b.Scale, a.Scale)
	case b.Precision-b.Scale > a.Precision-a.Scale:
		return false, fmt.Sprintf("%d integer digits exceed the %d of decimal(%d,%d)", b.Precision-b.Scale, a.Precision-a.Scale, a.Precision, a.Scale)
	}
	return true, ""
}

// lengthFits says whether values of length b fit length a; data carries
// no length, so data always fits.
func lengthFits(a, b Domain, data bool) bool {
	return data || a.Length == 0 || b.Length != 0 && b.Length <= a.Length
}

// stringHolds: strings no longer; a UUID column also holds 16 bytes
// (Parquet's UUID), and only UUIDs where declarations are compared.
func stringHolds(a, b Domain, data bool) (bool, string) {
	if b.Kind == KindBinary {
		if a.UUID && b.Length == 16 {
			return true, ""
		}
		return false, notString
	}
	if !lengthFits(a, b, data) {
		return false, fmt.Sprintf("strings longer than %d", a.Length)
	}
	if a.UUID && !b.UUID && !data {
		return false, "not every string is a UUID"
	}
	return true, ""
}

// binaryHolds: bytes or text no longer.
func binaryHolds(a, b Domain, data bool) (bool, string) {
	if !lengthFits(a, b, data) {
		return false, fmt.Sprintf("values longer than %d bytes", a.Length)
	}
	return true, ""
}

// timestampHolds: a unit no finer, and the time zone rule.
func timestampHolds(a, b Domain, _ bool) (bool, string) {
	if a.Unit != UnitAny && (b.Unit == UnitAny || b.Unit > a.Unit) {
		return false, fmt.Sprintf("unit %s is finer than %s", b.Unit, a.Unit)
	}
	return zoneHolds(a, b)
}

func intName(d Domain) string {
	p := "int"
	if d.Kind == KindUint {
		p = "uint"
	}
	if d.Bits == 0 {
		return "an integer of any width"
	}
	return fmt.Sprintf("%s%d", p, d.Bits)
}

func zoneHolds(a, b Domain) (bool, string) {
	switch a.ZoneRule {
	case ZoneEither:
		return true, ""
	case ZoneNone:
		switch b.ZoneRule {
		case ZoneNone:
			return true, ""
		case ZoneExact:
			return false, fmt.Sprintf("has time zone %q, want none", b.Zone)
		}
		return false, "may have a time zone, want none"
	}
	switch b.ZoneRule {
	case ZoneNone:
		return false, "has no time zone"
	case ZoneEither:
		return false, "may have no time zone"
	case ZoneRequired:
		if a.ZoneRule == ZoneRequired {
			return true, ""
		}
		return false, fmt.Sprintf("any time zone, want %q", a.Zone)
	}
	if a.ZoneRule == ZoneExact && !SameZone(a.Zone, b.Zone) {
		return false, fmt.Sprintf("time zone %q, want %q", b.Zone, a.Zone)
	}
	return true, ""
}

// SameZone treats the common spellings of UTC as one zone: Arrow stores
// instants in UTC whatever the zone label, but a label that names another
// region changes how values display, which a consumer may rely on.
func SameZone(a, b string) bool {
	norm := func(z string) string {
		switch strings.ToUpper(z) {
		case "UTC", "Z", "+00:00", "ETC/UTC", "GMT", "UCT", "ETC/UCT":
			return "UTC"
		}
		return z
	}
	return norm(a) == norm(b)
}

// arrowIntegers are Arrow's integer types by family and width.
var arrowIntegers = map[Kind]map[int]arrow.DataType{
	KindInt:  {8: arrow.PrimitiveTypes.Int8, 16: arrow.PrimitiveTypes.Int16, 32: arrow.PrimitiveTypes.Int32, 64: arrow.PrimitiveTypes.Int64},
	KindUint: {8: arrow.PrimitiveTypes.Uint8, 16: arrow.PrimitiveTypes.Uint16, 32: arrow.PrimitiveTypes.Uint32, 64: arrow.PrimitiveTypes.Uint64},
}

// ArrowType is the type a text column (CSV) is parsed into for the
// declared type: the narrowest Arrow type that holds everything the
// contract allows. ok is false where the reader decides (text dates,
// binary, JSON, nested and undeclared columns).
func (t Type) ArrowType() (dt arrow.DataType, ok bool) {
	if t.TextEncoded {
		return nil, false
	}
	d := t.Domain
	switch d.Kind {
	case KindInt, KindUint:
		if dt, ok := arrowIntegers[d.Kind][d.Bits]; ok {
			return dt, true
		}
		// Wider or any width: the widest Arrow integer. Values beyond
		// it are type errors in the data, not silently rounded.
		return arrowIntegers[d.Kind][64], true
	case KindFloat:
		if d.Bits == 32 || d.Bits == 16 {
			return arrow.PrimitiveTypes.Float32, true
		}
		return arrow.PrimitiveTypes.Float64, true
	case KindNumber:
		return arrow.PrimitiveTypes.Float64, true
	case KindDecimal:
		p, s := d.Precision, d.Scale
		if p == 0 {
			p, s = 38, 9
		}
		if p > 38 {
			return &arrow.Decimal256Type{Precision: p, Scale: s}, true
		}
		return &arrow.Decimal128Type{Precision: p, Scale: s}, true
	case KindBool:
		return arrow.FixedWidthTypes.Boolean, true
	case KindDate:
		return arrow.FixedWidthTypes.Date32, true
	case KindTimestamp:
		unit := arrow.Microsecond
		if d.Unit != UnitAny {
			unit = arrow.TimeUnit(d.Unit)
		}
		tz := ""
		switch d.ZoneRule {
		case ZoneRequired:
			tz = "UTC"
		case ZoneExact:
			tz = d.Zone
		}
		return &arrow.TimestampType{Unit: unit, TimeZone: tz}, true
	case KindTime:
		return arrow.FixedWidthTypes.Time64us, true
	case KindString:
		return arrow.BinaryTypes.String, true
	}
	return nil, false
}
