package importer

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// frictionless reads a Table Schema (fields with constraints, primaryKey).
func (r *reader) frictionless(doc *yaml.Node, name string) ([]Table, error) {
	if err := r.want(doc, "Table Schema"); err != nil {
		return nil, err
	}
	list := get(doc, "fields")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, r.errorf(doc, "Table Schema: fields: want a list")
	}
	pk := scalars(get(doc, "primaryKey"))
	if v := str(doc, "primaryKey"); v != "" {
		pk = []string{v}
	}
	var fields []Field
	for _, fn := range list.Content {
		f := Field{Name: str(fn, "name"), Description: str(fn, "description")}
		if f.Name == "" {
			return nil, r.errorf(fn, "a field has no name")
		}
		switch t := cmpOr(str(fn, "type"), "string"); t {
		case "string", "integer", "number", "boolean", "date", "time", "array", "object":
			f.Logical = t
		case "datetime":
			f.Logical = "timestamp"
		case "year":
			f.Logical, f.Physical = "integer", "year"
		default:
			f.Logical, f.Physical = "string", t
		}
		if fm := str(fn, "format"); fm != "" && fm != "default" {
			if f.Logical == "string" {
				f.Format = fm
			} else {
				r.drop(fn, "field %s: format %q", f.Name, fm)
			}
		}
		c := get(fn, "constraints")
		f.Required, f.Unique = boolean(c, "required"), boolean(c, "unique")
		if err := r.limits(c, &f); err != nil {
			return nil, err
		}
		f.Pattern, f.Enum = str(c, "pattern"), scalars(get(c, "enum"))
		if slices.Contains(pk, f.Name) {
			f.PrimaryKey, f.Required = true, true
		}
		fields = append(fields, f)
	}
	if fk := get(doc, "foreignKeys"); fk != nil {
		r.drop(fk, "foreignKeys")
	}
	return []Table{{Name: cmpOr(name, str(doc, "name"), "table"), Description: str(doc, "description"), Fields: fields}}, nil
}
