package checker

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/contracts"
)

// typeKind is the family of a column's expected type, as the engine
// branches on it. The vocabulary, the dialects and the widening table are
// contracts' (contracts.Type); this is only the engine's view of them.
type typeKind int

const (
	kindAny typeKind = iota // nothing declared: any type passes
	kindInt
	kindUint
	kindFloat
	kindDecimal
	kindNumber // any numeric type
	kindString
	kindBinary
	kindBool
	kindDate
	kindTimestamp
	kindTime
	kindStruct
	kindList
	kindMap
	kindJSON // json, jsonb, VARIANT: text, bytes or nested
)

var kinds = map[contracts.Kind]typeKind{
	contracts.KindAny: kindAny, contracts.KindInt: kindInt, contracts.KindUint: kindUint, contracts.KindFloat: kindFloat,
	contracts.KindDecimal: kindDecimal, contracts.KindNumber: kindNumber, contracts.KindString: kindString,
	contracts.KindBinary: kindBinary, contracts.KindBool: kindBool, contracts.KindDate: kindDate,
	contracts.KindTimestamp: kindTimestamp, contracts.KindTime: kindTime, contracts.KindObject: kindStruct,
	contracts.KindArray: kindList, contracts.KindMap: kindMap, contracts.KindJSON: kindJSON,
}

// expectation is what a contract property says its column's type is: its
// declaration read once in the contract's dialect.
type expectation struct {
	t    contracts.Type
	kind typeKind
	// text is the declaration, as shown in findings.
	text string
	// stringDates: a date/timestamp/time column stored as text, checked
	// against its format value by value.
	stringDates bool
	// dialect is the vocabulary the declaration was read in; nested
	// properties are read in the same one.
	dialect contracts.Dialect
}

// expect derives the type expectation of a property in dialect d.
func expect(p *contracts.Property, d contracts.Dialect) expectation {
	if d == "" {
		d = contracts.Generic
	}
	t := p.Type(d)
	return expectation{t: t, kind: kinds[t.Domain.Kind], text: t.Text(), stringDates: t.TextEncoded, dialect: d}
}

// valueType unwraps dictionary and extension types to the type the values
// have, which is what the contract describes.
func valueType(dt arrow.DataType) arrow.DataType { return contracts.ValueType(dt) }

// compatible reports whether data of type dt can hold every value the
// expectation allows, with an explanation when it cannot (see
// contracts.Type.Holds, the one widening table).
func (e expectation) compatible(dt arrow.DataType) (bool, string) { return e.t.Holds(dt) }

// arrowType is the type a CSV or JSON column is parsed into for a
// property: the narrowest Arrow type that holds everything the contract
// allows; text for what the reader cannot type.
func (e expectation) arrowType() arrow.DataType {
	if dt, ok := e.t.ArrowType(); ok {
		return dt
	}
	return arrow.BinaryTypes.String
}
