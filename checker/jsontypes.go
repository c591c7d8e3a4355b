package checker

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/contracts"
)

// jsonTypes is what `driftgate check` reads each member of a JSON record
// into: the CSV types for scalars, and for object and array columns the
// struct and list their nested properties and items declare, so nested
// values are typed (and mistyped ones reported) like top-level ones.
func (p *plan) jsonTypes() (map[string]arrow.DataType, map[string]string) {
	types, layouts := p.csvTypes()
	for _, c := range p.columns {
		if types[c.name] != nil {
			continue
		}
		if t := jsonType(c.prop, c.exp.dialect); t != nil {
			types[c.name] = t
		}
	}
	return types, layouts
}

// jsonType is the Arrow type a JSON value of p is read into, nil to take
// the type of the data (an object without properties, an untyped column).
func jsonType(p *contracts.Property, d contracts.Dialect) arrow.DataType {
	e := expect(p, d)
	switch e.kind {
	case kindStruct:
		if len(p.Properties) == 0 {
			return nil
		}
		fields := make([]arrow.Field, 0, len(p.Properties))
		for i := range p.Properties {
			np := &p.Properties[i]
			fields = append(fields, arrow.Field{Name: np.DataName(), Type: nestedJSONType(np, d), Nullable: true})
		}
		return arrow.StructOf(fields...)
	case kindList:
		if p.Items == nil {
			return nil
		}
		return arrow.ListOf(nestedJSONType(p.Items, d))
	case kindAny, kindMap, kindBinary, kindJSON:
		return nil
	}
	if e.stringDates {
		return arrow.BinaryTypes.String
	}
	return e.arrowType()
}

// nestedJSONType is jsonType for a property inside an object or array,
// where the type cannot be left out: a part the contract leaves open is a
// hole the reader types from the data (source.JSONOptions.Types), as it
// types an untyped column. An object is an empty struct, an array a list
// of any value, anything else any value.
func nestedJSONType(p *contracts.Property, d contracts.Dialect) arrow.DataType {
	if t := jsonType(p, d); t != nil {
		return t
	}
	switch expect(p, d).kind {
	case kindStruct:
		return arrow.StructOf()
	case kindList:
		return arrow.ListOf(arrow.Null)
	}
	return arrow.Null
}
