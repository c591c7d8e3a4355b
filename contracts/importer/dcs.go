package importer

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// dcsFieldKeys are the keys of a DCS field that import maps; any other is
// listed as not mapped.
var dcsFieldKeys = []string{"description", "type", "required", "unique", "primaryKey", "primary", "pattern", "format",
	"enum", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "fields", "items",
	"$ref", "title", "classification", "pii", "tags", "name", "example", "examples"}

// dcs reads datacontract-cli's Data Contract Specification 1.x: models
// with fields, mapped to ODCS schema objects and properties. A field's
// $ref to the document's definitions is resolved, the field's own keys
// winning over the definition's.
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
	r.servers = r.dcsServers(get(doc, "servers"))
	// ODCS's description has DCS's info.description as its purpose and
	// the terms of use as usage and limitations.
	r.description = mapping()
	if d := str(info, "description"); d != "" {
		add(r.description, "purpose", scalar(d))
	}
	terms := get(doc, "terms")
	for _, kv := range pairs(terms) {
		switch k := kv[0].Value; k {
		case "usage", "limitations":
			add(r.description, k, scalar(kv[1].Value))
		default:
			r.drop(kv[0], "terms.%s", k)
		}
	}
	for _, k := range []string{"quality", "servicelevels", "examples"} {
		if v := get(doc, k); v != nil {
			r.drop(v, "%s (map them by hand: ODCS has servers, quality and slaProperties of its own)", k)
		}
	}
	for _, kv := range pairs(info) {
		if k := kv[0].Value; k != "title" && k != "version" && k != "description" {
			r.drop(kv[0], "info.%s", k)
		}
	}
	r.defs = get(doc, "definitions")
	var tables []Table
	for _, kv := range pairs(get(doc, "models")) {
		m := kv[1]
		fields, err := r.dcsFields(get(m, "fields"))
		if err != nil {
			return nil, err
		}
		t := Table{Name: kv[0].Value, PhysicalType: str(m, "type"), Description: str(m, "description"), Fields: fields}
		t.Quality = r.dcsQuality(t.Name, get(m, "quality"))
		for _, k := range []string{"primaryKey", "examples", "config"} {
			if v := get(m, k); v != nil {
				r.drop(v, "model %s: %s", t.Name, k)
			}
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// dcsServerKeys are, by server type, the keys a DCS server shares with an
// ODCS server of the type driftgate reads data from.
var dcsServerKeys = map[string][]string{
	"local":    {"path", "format", "delimiter"},
	"s3":       {"location", "endpointUrl", "format", "delimiter"},
	"azure":    {"location", "format", "delimiter"},
	"postgres": {"host", "port", "database", "schema"},
}

// dcsServers maps DCS servers (a map by name) to ODCS servers (a list with
// server: NAME) for the types driftgate reads; the others, and the keys
// ODCS has no place for, are listed.
func (r *reader) dcsServers(m *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, kv := range pairs(m) {
		name, n := kv[0].Value, kv[1]
		typ := str(n, "type")
		if typ == "postgresql" {
			typ = "postgres"
		}
		keys, ok := dcsServerKeys[typ]
		if !ok {
			r.drop(kv[0], "server %s of type %s (map it by hand)", name, cmpOr(typ, "(none)"))
			continue
		}
		srv := mapping("server", scalar(name), "type", scalar(typ))
		for _, p := range pairs(n) {
			switch k := p[0].Value; {
			case k == "type":
			case k == "description" || k == "environment" || slices.Contains(keys, k):
				v := p[1]
				if v.Kind == yaml.ScalarNode {
					// The value, not the source's quoting.
					v = &yaml.Node{Kind: yaml.ScalarNode, Tag: v.Tag, Value: v.Value}
				}
				add(srv, k, v)
			default:
				r.drop(p[0], "server %s: %s", name, k)
			}
		}
		out = append(out, srv)
	}
	return out
}

// resolve returns field n with its $ref to the document's definitions
// (#/definitions/NAME, or JSON Schema's #/$defs/NAME) resolved: a mapping
// with the definition's keys, then the field's over them. A $ref elsewhere
// is listed as not resolved.
func (r *reader) resolve(name string, n *yaml.Node) *yaml.Node {
	ref := get(n, "$ref")
	if ref == nil {
		return n
	}
	var def *yaml.Node
	for _, prefix := range []string{"#/definitions/", "#/$defs/"} {
		if key, ok := strings.CutPrefix(ref.Value, prefix); ok {
			def = get(r.defs, key)
		}
	}
	if def == nil || def.Kind != yaml.MappingNode {
		r.drop(ref, "field %s: $ref %s is not one of this document's definitions; not resolved", name, ref.Value)
		return n
	}
	merged := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
	for _, kv := range pairs(def) {
		if k := kv[0].Value; get(n, k) == nil && k != "name" {
			merged.Content = append(merged.Content, kv[0], kv[1])
		}
	}
	for _, kv := range pairs(n) {
		if kv[0].Value != "$ref" {
			merged.Content = append(merged.Content, kv[0], kv[1])
		}
	}
	return merged
}

func (r *reader) dcsFields(m *yaml.Node) ([]Field, error) {
	var out []Field
	for _, kv := range pairs(m) {
		n := r.resolve(kv[0].Value, kv[1])
		f := Field{Name: kv[0].Value, Description: str(n, "description"), Required: boolean(n, "required"),
			Unique: boolean(n, "unique"), PrimaryKey: boolean(n, "primaryKey") || boolean(n, "primary"),
			Pattern: str(n, "pattern"), Format: str(n, "format"), Enum: scalars(get(n, "enum")),
			BusinessName: str(n, "title"), Classification: str(n, "classification"), Tags: scalars(get(n, "tags"))}
		if e := get(n, "example"); e != nil && e.Kind == yaml.ScalarNode {
			f.Examples = []string{e.Value}
		}
		f.Examples = append(f.Examples, scalars(get(n, "examples"))...)
		if boolean(n, "pii") && !slices.Contains(f.Tags, "pii") {
			// ODCS has no pii flag; driftgate, like datacontract-cli,
			// keeps the values of a column tagged pii out of reports.
			f.Tags = append(f.Tags, "pii")
		}
		for _, k := range pairs(n) {
			if !slices.Contains(dcsFieldKeys, k[0].Value) {
				r.drop(k[0], "field %s: %s", f.Name, k[0].Value)
			}
		}
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

// dcsQuality maps a model's quality rules (DCS 1.1): sql and text rules
// carry over as ODCS has them; others are listed.
func (r *reader) dcsQuality(model string, list *yaml.Node) []Rule {
	var out []Rule
	for _, q := range seq(list) {
		rule := Rule{Type: str(q, "type"), Description: str(q, "description"), Query: str(q, "query")}
		for _, op := range operators {
			if v := str(q, op); v != "" {
				rule.Operator, rule.Operand = op, v
			}
		}
		switch {
		case rule.Type == "sql" && rule.Query != "" && rule.Operator != "":
		case rule.Type == "text" && rule.Description != "":
		default:
			r.drop(q, "model %s: a quality rule of type %s", model, cmpOr(rule.Type, "(none)"))
			continue
		}
		out = append(out, rule)
	}
	return out
}
