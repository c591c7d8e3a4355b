package importer

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// avroFieldKeys and avroTypeKeys are the keys of a record field and of a
// complex type that import reads or that carry no rule (defaults, sort
// order, aliases); any other is listed as not mapped.
var (
	avroFieldKeys = []string{"name", "type", "doc", "default", "order", "aliases"}
	avroTypeKeys  = []string{"type", "name", "namespace", "doc", "fields", "items", "values", "symbols", "size",
		"logicalType", "precision", "scale", "aliases", "default", "format", "pattern"}
)

// avro reads an Avro record schema (.avsc): its fields are the columns; a
// union with null is an optional column, any other field is required.
func (r *reader) avro(doc *yaml.Node) ([]Table, error) {
	if err := r.want(doc, "Avro schema"); err != nil {
		return nil, err
	}
	r.avroNamed, r.avroUsing, r.avroNS = map[string]*yaml.Node{}, map[string]bool{}, str(doc, "namespace")
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
		t := get(fn, "type")
		if t == nil {
			return nil, r.errorf(fn, "field %s has no type", name)
		}
		f, err := r.avroType(name, t)
		if err != nil {
			return nil, err
		}
		f.Description = str(fn, "doc")
		for _, kv := range pairs(fn) {
			switch k := kv[0].Value; {
			case k == "logicalType":
				r.drop(kv[0], "field %s: logicalType %s is written on the field, not in its type, where Avro ignores it", name, kv[1].Value)
			case !slices.Contains(avroFieldKeys, k):
				r.drop(kv[0], "field %s: %s", name, k)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// avroType maps an Avro type (a name, a union or a complex type).
func (r *reader) avroType(name string, t *yaml.Node) (Field, error) {
	f := Field{Name: name, Required: true}
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
			// ODCS has one type a column: no logicalType admits each.
			r.drop(t, "field %s: a union of %d types; imported without a logicalType", name, len(branches))
			return f, nil
		}
		inner, err := r.avroType(name, branches[0])
		inner.Required = f.Required
		return inner, err
	case yaml.ScalarNode:
		return r.avroPrimitive(f, t.Value, t)
	}
	typ := str(t, "type")
	if n := str(t, "name"); n != "" && (typ == "record" || typ == "enum" || typ == "fixed") {
		// A named type: later fields may use it by its name.
		// It has its own namespace, or the file's (Avro's enclosing
		// namespace, simplified to the top record's).
		r.avroNamed[n] = t
		if ns := cmpOr(str(t, "namespace"), r.avroNS); ns != "" && !strings.Contains(n, ".") {
			r.avroNamed[ns+"."+n] = t
		}
	}
	for _, kv := range pairs(t) {
		if k := kv[0].Value; !slices.Contains(avroTypeKeys, k) {
			r.drop(kv[0], "field %s: %s", name, k)
		}
	}
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
		n := str(t, "name")
		r.avroUsing[n] = true
		defer delete(r.avroUsing, n)
		fields, err := r.avroFields(t)
		f.Logical, f.Fields = "object", fields
		return f, err
	case "array":
		it := get(t, "items")
		if it == nil {
			return f, r.errorf(t, "field %s: an array without items", name)
		}
		item, err := r.avroType("items", it)
		// datacontract-cli writes its string rules on the array
		// (emails: {type: array, items: string, format: email}): they
		// are the items'.
		item.Format, item.Pattern = cmpOr(item.Format, str(t, "format")), cmpOr(item.Pattern, str(t, "pattern"))
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
	f.Format, f.Pattern = str(t, "format"), str(t, "pattern")
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
	case "null":
		r.drop(at, "field %s: type null (never a value); imported as an optional string", f.Name)
		f.Logical, f.Required = "string", false
	default:
		def := r.avroNamed[typ]
		switch {
		case def == nil:
			r.drop(at, "field %s: the named type %q is not defined before it in this file; imported without a logicalType", f.Name, typ)
			return f, nil
		case r.avroUsing[str(def, "name")]:
			// A record that holds itself (a tree's children) cannot be
			// written out: its depth is the data's.
			r.drop(at, "field %s: the record %s holds itself; imported without a logicalType", f.Name, typ)
			return f, nil
		}
		named, err := r.avroType(f.Name, def)
		named.Required = f.Required
		return named, err
	}
	f.Physical = typ
	return f, nil
}
