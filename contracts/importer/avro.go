package importer

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// avro reads an Avro record schema (.avsc): its fields are the columns; a
// union with null is an optional column, any other field is required.
func (r *reader) avro(doc *yaml.Node) ([]Table, error) {
	if err := r.want(doc, "Avro schema"); err != nil {
		return nil, err
	}
	if t := str(doc, "type"); t != "record" {
		return nil, r.errorf(doc, "Avro schema: type %q, want a record", t)
	}
	fields, err := r.avroFields(doc)
	if err != nil {
		return nil, err
	}
	return []Table{{Name: str(doc, "name"), Description: str(doc, "doc"), Fields: fields}}, nil
}

func (r *reader) avroFields(rec *yaml.Node) ([]Field, error) {
	list := get(rec, "fields")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, r.errorf(rec, "record %s: fields: want a list", str(rec, "name"))
	}
	var out []Field
	for _, fn := range list.Content {
		name := str(fn, "name")
		if name == "" {
			return nil, r.errorf(fn, "a record field has no name")
		}
		f, err := r.avroType(name, get(fn, "type"))
		if err != nil {
			return nil, err
		}
		f.Description = str(fn, "doc")
		out = append(out, f)
	}
	return out, nil
}

// avroType maps an Avro type (a name, a union or a complex type).
func (r *reader) avroType(name string, t *yaml.Node) (Field, error) {
	f := Field{Name: name, Required: true}
	if t == nil {
		return f, fmt.Errorf("%s: field %s has no type", r.file, name)
	}
	switch t.Kind {
	case yaml.SequenceNode: // a union
		var branches []*yaml.Node
		for _, b := range t.Content {
			if b.Kind == yaml.ScalarNode && b.Value == "null" {
				f.Required = false
				continue
			}
			branches = append(branches, b)
		}
		if len(branches) != 1 {
			r.drop(t, "field %s: a union of %d types; imported as string", name, len(branches))
			f.Logical = "string"
			return f, nil
		}
		inner, err := r.avroType(name, branches[0])
		inner.Required = f.Required
		return inner, err
	case yaml.ScalarNode:
		return r.avroPrimitive(f, t.Value, t)
	}
	typ := str(t, "type")
	switch lt := str(t, "logicalType"); lt {
	case "date":
		f.Logical, f.Physical = "date", "date"
		return f, nil
	case "timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros":
		f.Logical, f.Physical = "timestamp", lt
		return f, nil
	case "time-millis", "time-micros":
		f.Logical, f.Physical = "time", lt
		return f, nil
	case "decimal":
		f.Logical, f.Physical = "number", fmt.Sprintf("decimal(%s,%s)", cmpOr(str(t, "precision"), "38"), cmpOr(str(t, "scale"), "0"))
		return f, nil
	case "uuid":
		f.Logical, f.Format = "string", "uuid"
		return f, nil
	}
	switch typ {
	case "record":
		fields, err := r.avroFields(t)
		f.Logical, f.Fields = "object", fields
		return f, err
	case "array":
		item, err := r.avroType("items", get(t, "items"))
		f.Logical, f.Items = "array", &item
		return f, err
	case "enum":
		f.Logical, f.Enum = "string", scalars(get(t, "symbols"))
		return f, nil
	case "map":
		r.drop(t, "field %s: an Avro map; imported as object without properties", name)
		f.Logical = "object"
		return f, nil
	case "fixed":
		f.Logical, f.Physical = "string", "fixed"
		return f, nil
	}
	return r.avroPrimitive(f, typ, t)
}

func (r *reader) avroPrimitive(f Field, typ string, at *yaml.Node) (Field, error) {
	switch typ {
	case "string":
		f.Logical = "string"
	case "int", "long":
		f.Logical = "integer"
	case "float", "double":
		f.Logical = "number"
	case "boolean":
		f.Logical = "boolean"
	case "bytes":
		f.Logical = "string"
	default:
		// A named type defined elsewhere in the file is not resolved.
		r.drop(at, "field %s: the named type %q; imported as string", f.Name, typ)
		f.Logical = "string"
		return f, nil
	}
	f.Physical = typ
	return f, nil
}
