package importer

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// jsonSchema reads a JSON Schema object: its properties are the columns.
func (r *reader) jsonSchema(doc *yaml.Node, name string) ([]Table, error) {
	if err := r.want(doc, "JSON Schema"); err != nil {
		return nil, err
	}
	if name == "" {
		name = cmpOr(str(doc, "title"), r.stem())
	}
	r.defs = get(doc, "$defs")
	if r.defs == nil {
		r.defs = get(doc, "definitions")
	}
	fields, err := r.jsonProps(doc)
	if err != nil {
		return nil, err
	}
	return []Table{{Name: name, Description: str(doc, "description"), Fields: fields}}, nil
}

func (r *reader) jsonProps(obj *yaml.Node) ([]Field, error) {
	required := scalars(get(obj, "required"))
	var out []Field
	for _, kv := range pairs(get(obj, "properties")) {
		f, err := r.jsonField(kv[0].Value, kv[1])
		if err != nil {
			return nil, err
		}
		f.Required = slices.Contains(required, f.Name)
		out = append(out, f)
	}
	return out, nil
}

func (r *reader) jsonField(name string, n *yaml.Node) (Field, error) {
	f := Field{Name: name, Description: str(n, "description")}
	if err := r.want(n, "property "+name); err != nil {
		return f, err
	}
	n = r.resolve(name, n)
	f.Description, f.BusinessName, f.Classification = str(n, "description"), str(n, "title"), str(n, "classification")
	typ, union := str(n, "type"), false
	if t := get(n, "type"); t != nil && t.Kind == yaml.SequenceNode {
		var types []string
		for _, x := range scalars(t) {
			if x != "null" {
				types = append(types, x)
			}
		}
		typ = strings.Join(types, "")
		if len(types) > 1 {
			r.drop(t, "property %s: a union of the types %s; imported without a logicalType", name, strings.Join(types, ", "))
			union = true
		}
	}
	switch {
	case union:
		// ODCS has one type a column: no logicalType admits each.
	case typ == "string", typ == "integer", typ == "number", typ == "boolean", typ == "object", typ == "array":
		f.Logical = typ
	case typ == "":
		r.drop(n, "property %s has no type; imported as string", name)
		f.Logical = "string"
	default:
		return f, r.errorf(n, "property %s: type %q is not a JSON Schema type", name, typ)
	}
	switch fm := str(n, "format"); fm {
	case "":
	case "date":
		f.Logical = "date"
	case "date-time":
		f.Logical = "timestamp"
	case "time":
		f.Logical = "time"
	default:
		f.Format = fm
	}
	if err := r.limits(n, &f); err != nil {
		return f, err
	}
	var err error
	for _, k := range []string{"default", "oneOf", "anyOf", "allOf", "not", "if", "patternProperties", "additionalProperties", "dependentRequired"} {
		if v := get(n, k); v != nil {
			r.drop(v, "property %s: %s", name, k)
		}
	}
	f.Pattern = str(n, "pattern")
	f.Enum = scalars(get(n, "enum"))
	if c := get(n, "const"); c != nil && c.Kind == yaml.ScalarNode {
		f.Enum = []string{c.Value}
	}
	f.Examples = scalars(get(n, "examples"))
	if f.Logical == "object" {
		if f.Fields, err = r.jsonProps(n); err != nil {
			return f, err
		}
	}
	if it := get(n, "items"); it != nil && f.Logical == "array" {
		item, err := r.jsonField("items", it)
		if err != nil {
			return f, err
		}
		f.Items = &item
	}
	return f, nil
}
