package importer

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/contracts"
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
	var err error
	if f.MinLength, err = r.integer(n, "minLength"); err != nil {
		return f, err
	}
	if f.MaxLength, err = r.integer(n, "maxLength"); err != nil {
		return f, err
	}
	if f.Minimum, err = r.number(n, "minimum"); err != nil {
		return f, err
	}
	if f.Maximum, err = r.number(n, "maximum"); err != nil {
		return f, err
	}
	for _, k := range []string{"exclusiveMinimum", "exclusiveMaximum", "multipleOf", "default", "$ref", "oneOf", "anyOf", "allOf"} {
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
		var err error
		if f.MinLength, err = r.integer(c, "minLength"); err != nil {
			return nil, err
		}
		if f.MaxLength, err = r.integer(c, "maxLength"); err != nil {
			return nil, err
		}
		if f.Minimum, err = r.number(c, "minimum"); err != nil {
			return nil, err
		}
		if f.Maximum, err = r.number(c, "maximum"); err != nil {
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

// dbt reads a dbt schema.yml: models and sources' tables, their columns,
// and the generic tests not_null, unique and accepted_values.
func (r *reader) dbt(doc *yaml.Node) ([]Table, error) {
	if err := r.want(doc, "dbt schema.yml"); err != nil {
		return nil, err
	}
	var tables []Table
	read := func(m *yaml.Node) {
		t := Table{Name: str(m, "name"), Description: str(m, "description")}
		cols := get(m, "columns")
		if cols != nil {
			for _, cn := range cols.Content {
				f := Field{Name: str(cn, "name"), Description: str(cn, "description")}
				if dt := str(cn, "data_type"); dt != "" {
					f.Logical, f.Physical = sqlLogical(dt), dt
				}
				for _, key := range []string{"tests", "data_tests"} {
					for _, test := range seq(get(cn, key)) {
						r.dbtTest(&f, test)
					}
				}
				t.Fields = append(t.Fields, f)
			}
		}
		tables = append(tables, t)
	}
	for _, m := range seq(get(doc, "models")) {
		read(m)
	}
	for _, src := range seq(get(doc, "sources")) {
		for _, m := range seq(get(src, "tables")) {
			read(m)
		}
	}
	return tables, nil
}

func (r *reader) dbtTest(f *Field, test *yaml.Node) {
	name := test.Value
	var args *yaml.Node
	if test.Kind == yaml.MappingNode && len(test.Content) == 2 {
		name, args = test.Content[0].Value, test.Content[1]
	}
	switch name {
	case "not_null":
		f.Required = true
	case "unique":
		f.Unique = true
	case "accepted_values":
		f.Enum = scalars(get(args, "values"))
	default:
		r.drop(test, "column %s: dbt test %s", f.Name, name)
	}
}

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
		var err error
		if f.MinLength, err = r.integer(n, "minLength"); err != nil {
			return nil, err
		}
		if f.MaxLength, err = r.integer(n, "maxLength"); err != nil {
			return nil, err
		}
		if f.Minimum, err = r.number(n, "minimum"); err != nil {
			return nil, err
		}
		if f.Maximum, err = r.number(n, "maximum"); err != nil {
			return nil, err
		}
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

// sqlLogical maps a SQL-ish type name (dbt data_type, DCS type) to an ODCS
// logicalType through the one type vocabulary, in its generic dialect;
// the name itself is kept as physicalType. A name it does not know is a
// string.
func sqlLogical(t string) string {
	if d, known := contracts.ParsePhysicalType(t, contracts.Generic); known {
		if l := contracts.LogicalTypeOf(d); l != "" {
			return l
		}
	}
	return "string"
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func cmpOr(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
