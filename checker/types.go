package checker

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/contracts"
)

// typeKind is the family of a column's expected type.
type typeKind int

const (
	kindAny typeKind = iota // nothing declared: any type passes
	kindInt
	kindUint
	kindFloat
	kindDecimal
	kindNumber // logicalType number with no physicalType: any numeric type
	kindString
	kindBinary
	kindBool
	kindDate
	kindTimestamp
	kindTime
	kindStruct
	kindList
	kindMap
)

// expectation is what a contract property says its column's type is, read
// from physicalType when driftgate understands it, else from logicalType.
type expectation struct {
	kind typeKind
	// bits is the integer or float width; 0 means any width.
	bits int
	// precision and scale of a decimal; precision 0 means any.
	precision, scale int32
	// unit of a timestamp or time; -1 means any.
	unit arrow.TimeUnit
	// tz: "" any, "none" no zone allowed, "any" some zone required, else a
	// specific zone.
	tz string
	// text is the declaration, as shown in findings.
	text string
	// stringDates: a date/timestamp/time column stored as text, checked
	// against its format value by value.
	stringDates bool
}

var (
	decimalRe   = regexp.MustCompile(`^(?:decimal|numeric|number|decimal128|decimal256)\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)$`)
	arrowTSRe   = regexp.MustCompile(`(?i)^timestamp\s*\[\s*(s|ms|us|ns)\s*(?:,\s*tz\s*=\s*([^\]]*))?\]$`)
	sizedTextRe = regexp.MustCompile(`^(?:varchar|char|nvarchar|nchar|character varying|character|string)\s*\(\s*\d+\s*\)$`)
)

// expect derives the type expectation of a property.
func expect(p *contracts.Property) expectation {
	e := parsePhysical(strings.TrimSpace(p.PhysicalType))
	e.text = describeDecl(p)
	logical := p.LogicalType
	if e.kind == kindAny {
		e = fromLogical(p)
		e.text = describeDecl(p)
		return e
	}
	// A date, timestamp or time declared with a text physical type is
	// stored as strings in that format.
	if e.kind == kindString && (logical == "date" || logical == "timestamp" || logical == "time") {
		e.stringDates = true
	}
	if e.kind == kindTimestamp && e.tz == "" && p.Options.Timezone != nil {
		if *p.Options.Timezone {
			e.tz = "any"
		} else {
			e.tz = "none"
		}
	}
	return e
}

func describeDecl(p *contracts.Property) string {
	switch {
	case p.PhysicalType != "" && p.LogicalType != "":
		return fmt.Sprintf("%s (%s)", p.LogicalType, p.PhysicalType)
	case p.PhysicalType != "":
		return p.PhysicalType
	case p.LogicalType != "":
		return p.LogicalType
	}
	return "any type"
}

func fromLogical(p *contracts.Property) expectation {
	e := expectation{unit: -1}
	switch p.LogicalType {
	case "integer":
		e.kind = kindInt
	case "number":
		e.kind = kindNumber
	case "string":
		e.kind = kindString
	case "boolean":
		e.kind = kindBool
	case "date":
		e.kind = kindDate
	case "timestamp":
		e.kind = kindTimestamp
		if p.Options.Timezone != nil {
			if *p.Options.Timezone {
				e.tz = "any"
			} else {
				e.tz = "none"
			}
		}
	case "time":
		e.kind = kindTime
	case "object":
		e.kind = kindStruct
	case "array":
		e.kind = kindList
	}
	return e
}

func parsePhysical(raw string) expectation {
	e := expectation{unit: -1}
	if raw == "" {
		return e
	}
	s := strings.ToLower(raw)
	if m := decimalRe.FindStringSubmatch(s); m != nil {
		p, _ := strconv.Atoi(m[1])
		sc := 0
		if m[2] != "" {
			sc, _ = strconv.Atoi(m[2])
		}
		e.kind, e.precision, e.scale = kindDecimal, int32(p), int32(sc)
		return e
	}
	// Matched on the raw text: zone names are case-sensitive
	// ("Europe/Paris"), and lower-casing them made the data's own zone fail
	// the comparison and the CSV reader load a zone that does not exist.
	if m := arrowTSRe.FindStringSubmatch(raw); m != nil {
		e.kind = kindTimestamp
		e.unit = map[string]arrow.TimeUnit{"s": arrow.Second, "ms": arrow.Millisecond, "us": arrow.Microsecond, "ns": arrow.Nanosecond}[strings.ToLower(m[1])]
		e.tz = "none"
		if tz := strings.TrimSpace(m[2]); tz != "" {
			e.tz = tz
		}
		return e
	}
	if sizedTextRe.MatchString(s) {
		e.kind = kindString
		return e
	}
	switch s {
	case "tinyint", "int8", "byte":
		e.kind, e.bits = kindInt, 8
	case "smallint", "int16", "short":
		e.kind, e.bits = kindInt, 16
	case "int", "integer", "int32":
		e.kind, e.bits = kindInt, 32
	case "bigint", "int64", "long":
		e.kind, e.bits = kindInt, 64
	case "uint8":
		e.kind, e.bits = kindUint, 8
	case "uint16":
		e.kind, e.bits = kindUint, 16
	case "uint32":
		e.kind, e.bits = kindUint, 32
	case "uint64":
		e.kind, e.bits = kindUint, 64
	case "float", "float32", "real":
		e.kind, e.bits = kindFloat, 32
	case "double", "float64", "double precision":
		e.kind, e.bits = kindFloat, 64
	case "float16", "halffloat":
		e.kind, e.bits = kindFloat, 16
	case "decimal", "numeric", "number":
		e.kind = kindDecimal
	case "string", "varchar", "char", "text", "utf8", "large_string", "large_utf8", "string_view", "nvarchar", "uuid", "json", "jsonb", "enum":
		e.kind = kindString
	case "binary", "large_binary", "bytes", "blob", "varbinary", "bytea":
		e.kind = kindBinary
	case "bool", "boolean":
		e.kind = kindBool
	case "date", "date32", "date64":
		e.kind = kindDate
	case "timestamp", "datetime", "datetime2":
		e.kind = kindTimestamp
	case "timestamptz", "timestamp with time zone", "timestamp_tz", "timestamp_ltz":
		e.kind, e.tz = kindTimestamp, "any"
	case "timestamp_ntz", "timestamp without time zone":
		e.kind, e.tz = kindTimestamp, "none"
	case "time", "time32", "time64":
		e.kind = kindTime
	case "struct", "object", "record", "row":
		e.kind = kindStruct
	case "array", "list", "large_list":
		e.kind = kindList
	case "map":
		e.kind = kindMap
	}
	return e
}

// valueType unwraps dictionary and extension types to the type the values
// have, which is what the contract describes.
func valueType(dt arrow.DataType) arrow.DataType {
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

func intBits(id arrow.Type) (bits int, signed bool, ok bool) {
	switch id {
	case arrow.INT8:
		return 8, true, true
	case arrow.INT16:
		return 16, true, true
	case arrow.INT32:
		return 32, true, true
	case arrow.INT64:
		return 64, true, true
	case arrow.UINT8:
		return 8, false, true
	case arrow.UINT16:
		return 16, false, true
	case arrow.UINT32:
		return 32, false, true
	case arrow.UINT64:
		return 64, false, true
	}
	return 0, false, false
}

// decimalDigits is how many decimal digits an integer of the given width
// needs at most.
func decimalDigits(bits int) int32 {
	switch bits {
	case 8:
		return 3
	case 16:
		return 5
	case 32:
		return 10
	}
	return 20
}

// compatible reports whether data of type dt can hold every value the
// expectation allows, with an explanation when it cannot. It is the widening
// table: a narrower integer, a coarser timestamp unit or a decimal with no
// more integer and fraction digits passes; anything lossy fails.
func (e expectation) compatible(dt arrow.DataType) (bool, string) {
	dt = valueType(dt)
	id := dt.ID()
	switch e.kind {
	case kindAny:
		return true, ""
	case kindInt, kindUint:
		bits, signed, ok := intBits(id)
		if !ok {
			if d, isDec := dt.(arrow.DecimalType); isDec && d.GetScale() == 0 && (e.bits == 0 || d.GetPrecision() < decimalDigits(e.bits)) {
				return true, ""
			}
			return false, "not an integer type"
		}
		if e.bits == 0 {
			return true, ""
		}
		if e.kind == kindInt {
			if signed && bits <= e.bits || !signed && bits < e.bits {
				return true, ""
			}
			return false, fmt.Sprintf("values may not fit in int%d", e.bits)
		}
		if !signed && bits <= e.bits {
			return true, ""
		}
		return false, fmt.Sprintf("values may not fit in uint%d", e.bits)
	case kindFloat:
		if _, _, ok := intBits(id); ok {
			return true, ""
		}
		var bits int
		switch id {
		case arrow.FLOAT16:
			bits = 16
		case arrow.FLOAT32:
			bits = 32
		case arrow.FLOAT64:
			bits = 64
		default:
			return false, "not a floating-point type"
		}
		if bits <= e.bits {
			return true, ""
		}
		return false, fmt.Sprintf("float%d narrows to float%d", bits, e.bits)
	case kindNumber:
		switch id {
		case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
			return true, ""
		}
		if _, _, ok := intBits(id); ok {
			return true, ""
		}
		return false, "not a numeric type"
	case kindDecimal:
		if bits, _, ok := intBits(id); ok {
			if e.precision == 0 || decimalDigits(bits) <= e.precision-e.scale {
				return true, ""
			}
			return false, fmt.Sprintf("int%d needs %d integer digits, decimal(%d,%d) has %d", bits, decimalDigits(bits), e.precision, e.scale, e.precision-e.scale)
		}
		d, ok := dt.(arrow.DecimalType)
		if !ok {
			return false, "not a decimal type"
		}
		if e.precision == 0 {
			return true, ""
		}
		p, s := d.GetPrecision(), d.GetScale()
		if s > e.scale {
			return false, fmt.Sprintf("scale %d is larger than %d", s, e.scale)
		}
		if p-s > e.precision-e.scale {
			return false, fmt.Sprintf("%d integer digits exceed the %d of decimal(%d,%d)", p-s, e.precision-e.scale, e.precision, e.scale)
		}
		return true, ""
	case kindString:
		switch id {
		case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
			return true, ""
		}
		return false, "not a string type"
	case kindBinary:
		switch id {
		case arrow.BINARY, arrow.LARGE_BINARY, arrow.BINARY_VIEW, arrow.FIXED_SIZE_BINARY, arrow.STRING, arrow.LARGE_STRING:
			return true, ""
		}
		return false, "not a binary type"
	case kindBool:
		if id == arrow.BOOL {
			return true, ""
		}
		return false, "not a boolean type"
	case kindDate:
		if id == arrow.DATE32 || id == arrow.DATE64 {
			return true, ""
		}
		return false, "not a date type"
	case kindTimestamp:
		ts, ok := dt.(*arrow.TimestampType)
		if !ok {
			return false, "not a timestamp type"
		}
		if e.unit >= 0 && ts.Unit > e.unit {
			return false, fmt.Sprintf("unit %s is finer than %s", ts.Unit, e.unit)
		}
		switch e.tz {
		case "":
		case "none":
			if ts.TimeZone != "" {
				return false, fmt.Sprintf("has time zone %q, want none", ts.TimeZone)
			}
		default:
			if ts.TimeZone == "" {
				return false, "has no time zone"
			}
			if e.tz != "any" && !sameZone(e.tz, ts.TimeZone) {
				return false, fmt.Sprintf("time zone %q, want %q", ts.TimeZone, e.tz)
			}
		}
		return true, ""
	case kindTime:
		if id == arrow.TIME32 || id == arrow.TIME64 {
			return true, ""
		}
		return false, "not a time type"
	case kindStruct:
		if id == arrow.STRUCT {
			return true, ""
		}
		return false, "not a struct"
	case kindList:
		switch id {
		case arrow.LIST, arrow.LARGE_LIST, arrow.FIXED_SIZE_LIST, arrow.LIST_VIEW, arrow.LARGE_LIST_VIEW:
			return true, ""
		}
		return false, "not a list"
	case kindMap:
		if id == arrow.MAP {
			return true, ""
		}
		return false, "not a map"
	}
	return true, ""
}

// sameZone treats the common spellings of UTC as one zone: Arrow stores
// instants in UTC whatever the zone label, but a label that names another
// region changes how values display, which a consumer may rely on.
func sameZone(a, b string) bool {
	norm := func(z string) string {
		switch strings.ToUpper(z) {
		case "UTC", "Z", "+00:00", "ETC/UTC", "GMT", "UCT", "ETC/UCT":
			return "UTC"
		}
		return z
	}
	return norm(a) == norm(b)
}

// arrowType is the type a CSV column is parsed into for a property: the
// narrowest Arrow type that holds everything the contract allows.
func (e expectation) arrowType() arrow.DataType {
	switch e.kind {
	case kindInt:
		switch e.bits {
		case 8:
			return arrow.PrimitiveTypes.Int8
		case 16:
			return arrow.PrimitiveTypes.Int16
		case 32:
			return arrow.PrimitiveTypes.Int32
		}
		return arrow.PrimitiveTypes.Int64
	case kindUint:
		switch e.bits {
		case 8:
			return arrow.PrimitiveTypes.Uint8
		case 16:
			return arrow.PrimitiveTypes.Uint16
		case 32:
			return arrow.PrimitiveTypes.Uint32
		}
		return arrow.PrimitiveTypes.Uint64
	case kindFloat:
		if e.bits == 32 {
			return arrow.PrimitiveTypes.Float32
		}
		return arrow.PrimitiveTypes.Float64
	case kindNumber:
		return arrow.PrimitiveTypes.Float64
	case kindDecimal:
		p, s := e.precision, e.scale
		if p == 0 {
			p, s = 38, 9
		}
		if p > 38 {
			return &arrow.Decimal256Type{Precision: p, Scale: s}
		}
		return &arrow.Decimal128Type{Precision: p, Scale: s}
	case kindBool:
		return arrow.FixedWidthTypes.Boolean
	case kindDate:
		return arrow.FixedWidthTypes.Date32
	case kindTimestamp:
		unit := e.unit
		if unit < 0 {
			unit = arrow.Microsecond
		}
		tz := ""
		switch e.tz {
		case "", "none":
		case "any":
			tz = "UTC"
		default:
			tz = e.tz
		}
		return &arrow.TimestampType{Unit: unit, TimeZone: tz}
	case kindTime:
		return arrow.FixedWidthTypes.Time64us
	}
	return arrow.BinaryTypes.String
}
