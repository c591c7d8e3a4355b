package importer

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// dcs reads datacontract-cli's Data Contract Specification 1.x: models
// with fields, mapped to ODCS schema objects and properties.
func (r *reader) dcs(doc *yaml.Node, o *Options) ([]Table, error) {
	if err := r.want(doc, "Data Contract Specification"); err != nil {
		return nil, err
	}
	if v := str(doc, "dataContractSpecification"); v == "" {
		return nil, r.errorf(doc, "not a Data Contract Specification document: no dataContractSpecification")
	}
	info := get(doc, "info")
	if o.ID == "" {
		o.ID = str(doc, "id")
	}
	if o.Name == "" {
		o.Name = str(info, "title")
	}
	if o.Version == "" {
		o.Version = str(info, "version")
	}
	for _, k := range []string{"servers", "quality", "servicelevels", "terms", "examples", "definitions"} {
		if v := get(doc, k); v != nil {
			r.drop(v, "%s (map them by hand: ODCS has servers, quality and slaProperties of its own)", k)
		}
	}
	var tables []Table
	for _, kv := range pairs(get(doc, "models")) {
		fields, err := r.dcsFields(get(kv[1], "fields"))
		if err != nil {
			return nil, err
		}
		tables = append(tables, Table{Name: kv[0].Value, Description: str(kv[1], "description"), Fields: fields})
	}
	return tables, nil
}

func (r *reader) dcsFields(m *yaml.Node) ([]Field, error) {
	var out []Field
	for _, kv := range pairs(m) {
		n := kv[1]
		f := Field{Name: kv[0].Value, Description: str(n, "description"), Required: boolean(n, "required"),
			Unique: boolean(n, "unique"), PrimaryKey: boolean(n, "primaryKey") || boolean(n, "primary"),
			Pattern: str(n, "pattern"), Format: str(n, "format"), Enum: scalars(get(n, "enum"))}
		t := str(n, "type")
		switch strings.ToLower(t) {
		case "object", "record", "struct":
			f.Logical = "object"
		case "array":
			f.Logical = "array"
		case "":
			f.Logical = "string"
			r.drop(n, "field %s has no type; imported as string", f.Name)
		default:
			f.Logical, f.Physical = sqlLogical(t), t
		}
		if err := r.limits(n, &f); err != nil {
			return nil, err
		}
		var err error
		if f.Fields, err = r.dcsFields(get(n, "fields")); err != nil {
			return nil, err
		}
		if it := get(n, "items"); it != nil {
			items, err := r.dcsFields(mapping("items", it))
			if err != nil {
				return nil, err
			}
			f.Items = &items[0]
		}
		if f.PrimaryKey {
			f.Required = true
		}
		out = append(out, f)
	}
	return out, nil
}
