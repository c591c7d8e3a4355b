package importer

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// frictionless reads a Frictionless Table Schema (fields with constraints,
// primaryKey, uniqueKeys), or a Data Package (datapackage.json) or Data
// Resource whose resources carry their Table Schema inline: one table a
// resource, named for the resource.
func (r *reader) frictionless(doc *yaml.Node, o *Options) ([]Table, error) {
	name := o.Name
	if err := r.want(doc, "Table Schema"); err != nil {
		return nil, err
	}
	resources := seq(get(doc, "resources"))
	if get(doc, "schema") != nil {
		resources = []*yaml.Node{doc} // a Data Resource
	}
	if resources == nil {
		t, err := r.tableSchema(doc)
		t.Name = cmpOr(name, str(doc, "name"), r.stem())
		return []Table{t}, err
	}
	if n := str(doc, "name"); o.Name == "" && get(doc, "resources") != nil && n != "" {
		// A Data Package names the contract; its resources the tables.
		o.Name = n
		name = ""
	}
	var tables []Table
	for _, res := range resources {
		resName := cmpOr(str(res, "name"), strings.TrimSuffix(path.Base(str(res, "path")), path.Ext(str(res, "path"))), r.stem())
		schema := get(res, "schema")
		switch {
		case schema == nil:
			r.drop(res, "resource %s has no schema", resName)
			continue
		case schema.Kind == yaml.ScalarNode:
			r.drop(schema, "resource %s: its schema is the separate file %s; import that file", resName, schema.Value)
			continue
		}
		t, err := r.tableSchema(schema)
		if err != nil {
			return nil, err
		}
		t.Name = resName
		if len(resources) == 1 && name != "" {
			t.Name = name
		}
		t.Description = cmpOr(str(res, "description"), str(res, "title"), t.Description)
		tables = append(tables, t)
	}
	return tables, nil
}

// tableSchema reads one Table Schema.
func (r *reader) tableSchema(doc *yaml.Node) (Table, error) {
	t := Table{Description: str(doc, "description")}
	list := get(doc, "fields")
	if list == nil || list.Kind != yaml.SequenceNode {
		return t, r.errorf(doc, "Table Schema: fields: want a list")
	}
	for _, fn := range list.Content {
		f, err := r.tableSchemaField(fn)
		if err != nil {
			return t, err
		}
		t.Fields = append(t.Fields, f)
	}
	// primaryKey and each of uniqueKeys are a field name or a list of them.
	keys := func(n *yaml.Node) []string {
		if n != nil && n.Kind == yaml.ScalarNode {
			return []string{n.Value}
		}
		return scalars(n)
	}
	if pk := get(doc, "primaryKey"); pk != nil {
		if missing := t.primaryKey(keys(pk)); missing != "" {
			r.drop(pk, "primaryKey names %s, which the schema does not declare", missing)
		}
	}
	for _, uk := range seq(get(doc, "uniqueKeys")) {
		if missing := t.uniqueKey(keys(uk)); missing != "" {
			r.drop(uk, "uniqueKeys names %s, which the schema does not declare", missing)
		}
	}
	for _, k := range []string{"foreignKeys", "missingValues"} {
		if v := get(doc, k); v != nil {
			r.drop(v, "%s", k)
		}
	}
	return t, nil
}

func (r *reader) tableSchemaField(fn *yaml.Node) (Field, error) {
	f := Field{Name: str(fn, "name"), Description: str(fn, "description"), BusinessName: str(fn, "title")}
	if f.Name == "" {
		return f, r.errorf(fn, "a field has no name")
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
		switch f.Logical {
		case "string":
			f.Format = fm
		case "date", "time", "timestamp":
			if jdk, ok := strftimeToJDK(fm); ok {
				f.Format = jdk
			} else {
				r.drop(fn, "field %s: format %q", f.Name, fm)
			}
		default:
			r.drop(fn, "field %s: format %q", f.Name, fm)
		}
	}
	if e := get(fn, "example"); e != nil && e.Kind == yaml.ScalarNode {
		f.Examples = []string{e.Value}
	}
	c := get(fn, "constraints")
	f.Required, f.Unique = boolean(c, "required"), boolean(c, "unique")
	if err := r.limits(c, &f); err != nil {
		return f, err
	}
	f.Pattern, f.Enum = str(c, "pattern"), scalars(get(c, "enum"))
	return f, nil
}

// strftimeToJDK turns a Table Schema date format (Python's strftime:
// %d/%m/%Y) into the JDK pattern ODCS writes (dd/MM/yyyy); ok is false
// for "any" and for a directive without a JDK equivalent.
func strftimeToJDK(f string) (string, bool) {
	directives := map[byte]string{'Y': "yyyy", 'y': "yy", 'm': "MM", 'd': "dd", 'H': "HH", 'M': "mm", 'S': "ss",
		'f': "SSSSSS", 'b': "MMM", 'B': "MMMM", 'z': "xx", 'j': "DDD", 'p': "a", 'I': "hh"}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '%' && i+1 < len(f):
			jdk, ok := directives[f[i+1]]
			if !ok {
				return "", false
			}
			b.WriteString(jdk)
			i++
		case c == '%':
			return "", false
		case c == '\'':
			b.WriteString("''")
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			// A letter outside a directive is literal text (the T of
			// %Y-%m-%dT%H:%M:%S), which JDK patterns quote.
			b.WriteString("'" + string(c) + "'")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), strings.Contains(f, "%")
}
