package importer

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// jsonSchema reads a JSON Schema object: its properties are the columns.
func (r *reader) jsonSchema(doc *yaml.Node, name string) ([]Table, error) {
	if err := r.want(doc, "JSON Schema"); err != nil {
		return nil, err
	}
	if name == "" {
		name = cmpOr(str(doc, "title"), "table")
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
	typ := str(n, "type")
	if t := get(n, "type"); t != nil && t.Kind == yaml.SequenceNode {
		for _, x := range scalars(t) {
			if x != "null" {
				typ = x
			}
		}
	}
	switch typ {
	case "string", "integer", "number", "boolean", "object", "array":
		f.Logical = typ
	case "":
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
	for _, k := range []string{"multipleOf", "default", "$ref", "oneOf", "anyOf", "allOf"} {
		if v := get(n, k); v != nil {
			r.drop(v, "property %s: %s", name, k)
		}
	}
	f.Pattern = str(n, "pattern")
	f.Enum = scalars(get(n, "enum"))
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
