// Package importer turns schemas written for other tools into ODCS v3
// contracts: JSON Schema, Avro, Frictionless Table Schema, dbt schema.yml
// and datacontract-cli's Data Contract Specification (DCS 1.x).
//
// Every input is JSON or YAML, so each is read as yaml.v3 nodes and errors
// carry the source's line and column (orders.avsc:12:5: …). What a format
// says that ODCS cannot hold is not dropped in silence: Result.Dropped lists
// it, and the contract carries it as a comment.
package importer

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/contracts"
)

// Formats are the formats Import reads.
func Formats() []string { return []string{"sql", "jsonschema", "avro", "frictionless", "dbt", "dcs"} }

// Field is a column in the formats' common model.
type Field struct {
	Name string
	// BusinessName is the column's name for people (DCS title).
	BusinessName string
	Logical      string // an ODCS logicalType
	Physical     string // the source's own type, kept as physicalType
	Description  string
	Required     bool
	Unique       bool
	PrimaryKey   bool
	MinLength    *int64
	MaxLength    *int64
	Pattern      string
	Format       string
	Minimum      *float64
	Maximum      *float64
	// ExclusiveMinimum and ExclusiveMaximum bound numbers from outside
	// (SQL's x > 0).
	ExclusiveMinimum, ExclusiveMaximum *float64
	MultipleOf                         *float64
	// Literals are numeric options as the source wrote them, by ODCS key
	// (minimum, multipleOf, …), so 9223372036854775807 stays exact.
	Literals map[string]string
	// MinItems, MaxItems and UniqueItems bound an array; MinProperties and
	// MaxProperties an object.
	MinItems, MaxItems           *int64
	UniqueItems                  bool
	MinProperties, MaxProperties *int64
	// TextBounds are the bounds of a date, timestamp or time column, which
	// ODCS writes as strings, in the order given.
	TextBounds []Bound
	// PrimaryKeyPosition orders the columns of a composite primary key
	// (1-based); 0 for a key of one column.
	PrimaryKeyPosition int
	Enum               []string
	// Classification and Tags carry over as ODCS has them; a column
	// classified restricted or tagged pii has its values kept out of
	// reports (contracts.Property.Private).
	Classification string
	Tags           []string
	// Examples are sample values, as written.
	Examples []string
	Fields   []Field // of an object
	Items    *Field  // of an array
}

// field is the table's column named name, or nil.
func (t *Table) field(name string) *Field {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	return nil
}

// primaryKey marks cols, in order, as the table's primary key; it returns
// the first column the table does not declare, marking nothing then.
func (t *Table) primaryKey(cols []string) (missing string) {
	if missing = t.missing(cols); missing != "" {
		return missing
	}
	for i, c := range cols {
		f := t.field(c)
		f.PrimaryKey, f.Required = true, true
		if len(cols) > 1 {
			f.PrimaryKeyPosition = i + 1
		}
	}
	return ""
}

// uniqueKey records that no two rows share cols: unique on one column, a
// schema-level key on several. It returns the first column the table does
// not declare, recording nothing then.
func (t *Table) uniqueKey(cols []string) (missing string) {
	if missing = t.missing(cols); missing != "" {
		return missing
	}
	if len(cols) == 1 {
		t.field(cols[0]).Unique = true
	} else {
		t.UniqueKeys = append(t.UniqueKeys, cols)
	}
	return ""
}

// missing is the first of cols the table does not declare, or "". The
// name comes back quoted, so that a column named "" (a key of null in
// the source) is still a name missing, not none.
func (t *Table) missing(cols []string) string {
	for _, c := range cols {
		if t.field(c) == nil {
			return strconv.Quote(c)
		}
	}
	return ""
}

// Bound is a bound written as a string: Key is minimum, maximum,
// exclusiveMinimum or exclusiveMaximum.
type Bound struct{ Key, Value string }

// Table is a schema object.
type Table struct {
	Name string
	// PhysicalName is the table's qualified name (public.orders) when the
	// source gives one.
	PhysicalName string
	// PhysicalType is what the object is (table, view, topic) when the
	// source says.
	PhysicalType string
	Description  string
	Fields       []Field
	// UniqueKeys are keys of several columns that no two rows share (SQL's
	// UNIQUE (a, b)), written as schema-level duplicateValues rules.
	UniqueKeys [][]string
	// Quality are rules the source writes as ODCS has them (sql, text).
	Quality []Rule
}

// Rule is a schema-level quality rule of type sql (a query and one
// comparison of its result) or text (a description).
type Rule struct {
	Type, Description, Query string
	// Operator is an ODCS operator (mustBeGreaterThan); Operand its value
	// as written.
	Operator, Operand string
}

// operators are the ODCS comparisons against one value.
var operators = []string{string(contracts.MustBe), string(contracts.MustNotBe), string(contracts.MustBeGreaterThan),
	string(contracts.MustBeGreaterOrEqualTo), string(contracts.MustBeLessThan), string(contracts.MustBeLessOrEqualTo)}

// Result is an imported contract.
type Result struct {
	YAML    []byte
	Dropped []string
}

// Error is a problem in the source at a position.
type Error struct {
	File         string
	Line, Column int
	Msg          string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg) }

// Options name the contract.
type Options struct {
	Name, ID, Version string
}

// Import reads data, a schema in format, from file (named in errors).
func Import(format, file string, data []byte, o Options) (*Result, error) {
	r := &reader{file: file}
	var tables []Table
	var err error
	if format == "sql" {
		tables, err = r.sql(data)
	} else {
		tables, err = r.document(format, data, &o)
	}
	if err != nil {
		return nil, err
	}
	if len(tables) > 1 && o.Name == "" {
		// Several tables: the contract is named for the file.
		o.Name = r.stem()
	}
	for i := range tables {
		for j := range tables[i].Fields {
			r.fit(tables[i].Name, &tables[i].Fields[j])
		}
	}
	if o.Name == "" {
		o.Name = tables[0].Name
	}
	if o.ID == "" {
		o.ID = "urn:driftgate:imported:" + o.Name
	}
	if o.Version == "" {
		o.Version = "0.1.0"
	}
	return &Result{YAML: write(o, format, file, tables, r.servers, r.description, r.dropped), Dropped: r.dropped}, nil
}

// document reads the formats written as JSON or YAML.
func (r *reader) document(format string, data []byte, o *Options) ([]Table, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", r.file, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: r.file, Line: 1, Column: 1, Msg: "empty document"}
	}
	doc := root.Content[0]
	var tables []Table
	var err error
	switch format {
	case "jsonschema":
		tables, err = r.jsonSchema(doc, o.Name)
	case "avro":
		tables, err = r.avro(doc)
	case "frictionless":
		tables, err = r.frictionless(doc, o)
	case "dbt":
		tables, err = r.dbt(doc)
	case "dcs":
		tables, err = r.dcs(doc, o)
	default:
		return nil, fmt.Errorf("import format %q: want one of %s", format, strings.Join(Formats(), ", "))
	}
	if err == nil && len(tables) == 0 {
		err = &Error{File: r.file, Line: doc.Line, Column: doc.Column, Msg: "no table to import"}
	}
	return tables, err
}

// reader walks one source document.
type reader struct {
	file    string
	dropped []string
	// defs are a DCS document's definitions, which fields $ref.
	defs *yaml.Node
	// avroNamed are the named Avro types seen so far, by name and full
	// name; avroUsing those being expanded (a recursive type stops there).
	avroNamed map[string]*yaml.Node
	avroUsing map[string]bool
	avroNS    string
	// servers are ODCS servers the source declares (DCS servers);
	// description is the contract's ODCS description (purpose, usage,
	// limitations), empty when the source has none.
	servers     []*yaml.Node
	description *yaml.Node
}

// stem is the source file's name without its extensions, which names
// what the source leaves unnamed.
func (r *reader) stem() string { return strings.SplitN(filepath.Base(r.file), ".", 2)[0] }

func (r *reader) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: r.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) drop(n *yaml.Node, format string, args ...any) {
	d := fmt.Sprintf("%s:%d:%d: %s", r.file, n.Line, n.Column, fmt.Sprintf(format, args...))
	// A definition several fields share is read once for each of them.
	if !slices.Contains(r.dropped, d) {
		r.dropped = append(r.dropped, d)
	}
}

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keys returns the keys of mapping n in order, with their values.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}

func str(n *yaml.Node, key string) string {
	if v := get(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func boolean(n *yaml.Node, key string) bool {
	b, _ := strconv.ParseBool(str(n, key))
	return b
}

func (r *reader) integer(n *yaml.Node, key string) (*int64, error) {
	v := get(n, key)
	if v == nil {
		return nil, nil
	}
	i, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		return nil, r.errorf(v, "%s: want a whole number, got %q", key, v.Value)
	}
	return &i, nil
}

func (r *reader) number(n *yaml.Node, key string) (*float64, error) {
	v := get(n, key)
	if v == nil {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v.Value, 64)
	if err != nil {
		return nil, r.errorf(v, "%s: want a number, got %q", key, v.Value)
	}
	return &f, nil
}

// limits reads a field's length and value bounds, written under JSON
// Schema's names (minLength, maxLength, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum) in n, after its logicalType is known: the bounds of a
// date, timestamp or time are strings. JSON Schema draft 4 writes
// exclusiveMinimum: true to make minimum exclusive.
func (r *reader) limits(n *yaml.Node, f *Field) error {
	var err error
	if f.MinLength, err = r.integer(n, "minLength"); err != nil {
		return err
	}
	if f.MaxLength, err = r.integer(n, "maxLength"); err != nil {
		return err
	}
	temporal := f.Logical == "date" || f.Logical == "timestamp" || f.Logical == "time"
	for _, b := range []struct {
		key  string
		dest **float64
		of   **float64 // the inclusive bound a draft-4 boolean modifies
	}{
		{"minimum", &f.Minimum, nil}, {"maximum", &f.Maximum, nil},
		{"exclusiveMinimum", &f.ExclusiveMinimum, &f.Minimum}, {"exclusiveMaximum", &f.ExclusiveMaximum, &f.Maximum},
	} {
		v := get(n, b.key)
		switch {
		case v == nil:
		case b.of != nil && v.Tag == "!!bool":
			if v.Value == "true" {
				*b.dest, *b.of = *b.of, nil
			}
		case temporal && v.Kind == yaml.ScalarNode:
			f.TextBounds = append(f.TextBounds, Bound{Key: b.key, Value: v.Value})
		default:
			if *b.dest, err = r.number(n, b.key); err != nil {
				return err
			}
			f.literal(b.key, v.Value)
		}
	}
	if f.MultipleOf, err = r.number(n, "multipleOf"); err != nil {
		return err
	}
	if f.MultipleOf != nil {
		f.literal("multipleOf", get(n, "multipleOf").Value)
	}
	for _, c := range []struct {
		key  string
		dest **int64
	}{{"minItems", &f.MinItems}, {"maxItems", &f.MaxItems}, {"minProperties", &f.MinProperties}, {"maxProperties", &f.MaxProperties}} {
		if *c.dest, err = r.integer(n, c.key); err != nil {
			return err
		}
	}
	f.UniqueItems = boolean(n, "uniqueItems")
	return nil
}

// literal records how the source wrote a numeric option.
func (f *Field) literal(key, text string) {
	if f.Literals == nil {
		f.Literals = map[string]string{}
	}
	f.Literals[key] = text
}

func scalars(n *yaml.Node) []string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}

// fit drops the options ODCS does not allow for a field's logicalType
// (a minimum on a string, a pattern on a number), saying so.
func (r *reader) fit(path string, f *Field) {
	path += "." + f.Name
	text := f.Logical == "string" || f.Logical == ""
	numeric := f.Logical == "integer" || f.Logical == "number"
	drop := func(opt string) {
		r.dropped = append(r.dropped, fmt.Sprintf("%s: %s does not apply to a %s column", path, opt, f.Logical))
	}
	if !text {
		if f.MinLength != nil || f.MaxLength != nil {
			drop("a length bound")
			f.MinLength, f.MaxLength = nil, nil
		}
		if f.Pattern != "" {
			drop("pattern")
			f.Pattern = ""
		}
		// A date, timestamp or time keeps its format: the pattern its
		// text is written in (dd/MM/yyyy).
		if temporal := f.Logical == "date" || f.Logical == "timestamp" || f.Logical == "time"; f.Format != "" && !temporal {
			drop("format " + f.Format)
			f.Format = ""
		}
	}
	if !numeric && (f.Minimum != nil || f.Maximum != nil || f.ExclusiveMinimum != nil || f.ExclusiveMaximum != nil || f.MultipleOf != nil) {
		drop("a numeric bound")
		f.Minimum, f.Maximum, f.ExclusiveMinimum, f.ExclusiveMaximum, f.MultipleOf = nil, nil, nil, nil, nil
	}
	if f.Logical != "array" && (f.MinItems != nil || f.MaxItems != nil || f.UniqueItems) {
		drop("an item count or uniqueItems")
		f.MinItems, f.MaxItems, f.UniqueItems = nil, nil, false
	}
	if f.Logical != "object" && (f.MinProperties != nil || f.MaxProperties != nil) {
		drop("a property count")
		f.MinProperties, f.MaxProperties = nil, nil
	}
	if temporal := f.Logical == "date" || f.Logical == "timestamp" || f.Logical == "time"; !temporal && len(f.TextBounds) > 0 {
		drop("a date or time bound")
		f.TextBounds = nil
	}
	for i := range f.Fields {
		r.fit(path, &f.Fields[i])
	}
	if f.Items != nil {
		r.fit(path, f.Items)
	}
}

// write renders the ODCS v3 contract.
func write(o Options, format, file string, tables []Table, servers []*yaml.Node, description *yaml.Node, dropped []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Imported by driftgate import --format %s from %s.\n", format, file)
	for _, d := range dropped {
		fmt.Fprintf(&b, "# Not mapped: %s\n", oneLine(d))
	}
	root := mapping(
		"apiVersion", scalar("v3.1.0"), "kind", scalar("DataContract"),
		"id", scalar(o.ID), "name", scalar(o.Name), "version", scalar(o.Version), "status", scalar("draft"))
	if description != nil && len(description.Content) > 0 {
		add(root, "description", description)
	}
	var schema []*yaml.Node
	for _, t := range tables {
		obj := mapping("name", scalar(t.Name))
		if t.PhysicalName != "" {
			add(obj, "physicalName", scalar(t.PhysicalName))
		}
		add(obj, "logicalType", scalar("object"))
		if t.PhysicalType != "" {
			add(obj, "physicalType", scalar(t.PhysicalType))
		}
		if t.Description != "" {
			add(obj, "description", scalar(t.Description))
		}
		var quality []*yaml.Node
		for _, key := range t.UniqueKeys {
			cols := make([]*yaml.Node, len(key))
			for i, c := range key {
				cols[i] = scalar(c)
			}
			quality = append(quality, mapping("metric", scalar("duplicateValues"),
				"arguments", mapping("properties", flow(sequence(cols...))), "mustBe", intNode(0)))
		}
		for _, q := range t.Quality {
			rule := mapping("type", scalar(q.Type))
			if q.Description != "" {
				add(rule, "description", scalar(q.Description))
			}
			if q.Query != "" {
				add(rule, "query", scalar(q.Query), q.Operator, numberNode(q.Operand))
			}
			quality = append(quality, rule)
		}
		if len(quality) > 0 {
			add(obj, "quality", sequence(quality...))
		}
		add(obj, "properties", properties(t.Fields))
		schema = append(schema, obj)
	}
	add(root, "schema", sequence(schema...))
	if len(servers) > 0 {
		add(root, "servers", sequence(servers...))
	}
	out, err := yaml.Marshal(root)
	if err != nil {
		// Marshal of nodes built here cannot fail; say so loudly if it does.
		panic(fmt.Sprintf("importer: marshal: %v", err))
	}
	b.Write(out)
	return []byte(b.String())
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func properties(fields []Field) *yaml.Node {
	var props []*yaml.Node
	for _, f := range fields {
		props = append(props, property(f))
	}
	return sequence(props...)
}

func property(f Field) *yaml.Node {
	p := mapping("name", scalar(f.Name))
	if f.BusinessName != "" {
		add(p, "businessName", scalar(f.BusinessName))
	}
	if f.Logical != "" {
		add(p, "logicalType", scalar(f.Logical))
	}
	if f.Physical != "" {
		add(p, "physicalType", scalar(f.Physical))
	}
	if f.Description != "" {
		add(p, "description", scalar(f.Description))
	}
	if f.Classification != "" {
		add(p, "classification", scalar(f.Classification))
	}
	if len(f.Tags) > 0 {
		tags := make([]*yaml.Node, len(f.Tags))
		for i, t := range f.Tags {
			tags[i] = scalar(t)
		}
		add(p, "tags", flow(sequence(tags...)))
	}
	if f.Required {
		add(p, "required", boolNode(true))
	}
	if f.PrimaryKey {
		add(p, "primaryKey", boolNode(true))
		if f.PrimaryKeyPosition > 0 {
			add(p, "primaryKeyPosition", intNode(int64(f.PrimaryKeyPosition)))
		}
	} else if f.Unique {
		add(p, "unique", boolNode(true))
	}
	opts := mapping()
	if f.MinLength != nil {
		add(opts, "minLength", intNode(*f.MinLength))
	}
	if f.MaxLength != nil {
		add(opts, "maxLength", intNode(*f.MaxLength))
	}
	if f.Pattern != "" {
		add(opts, "pattern", scalar(f.Pattern))
	}
	if f.Format != "" {
		add(opts, "format", scalar(f.Format))
	}
	for _, b := range []struct {
		key string
		v   *float64
	}{{"minimum", f.Minimum}, {"maximum", f.Maximum}, {"exclusiveMinimum", f.ExclusiveMinimum}, {"exclusiveMaximum", f.ExclusiveMaximum}, {"multipleOf", f.MultipleOf}} {
		switch {
		case b.v == nil:
		case f.Literals[b.key] != "":
			add(opts, b.key, literalNode(f.Literals[b.key]))
		default:
			add(opts, b.key, floatNode(*b.v))
		}
	}
	for _, c := range []struct {
		key string
		v   *int64
	}{{"minItems", f.MinItems}, {"maxItems", f.MaxItems}, {"minProperties", f.MinProperties}, {"maxProperties", f.MaxProperties}} {
		if c.v != nil {
			add(opts, c.key, intNode(*c.v))
		}
	}
	if f.UniqueItems {
		add(opts, "uniqueItems", boolNode(true))
	}
	for _, b := range f.TextBounds {
		add(opts, b.Key, scalar(b.Value))
	}
	if len(opts.Content) > 0 {
		add(p, "logicalTypeOptions", opts)
	}
	if len(f.Examples) > 0 {
		ex := make([]*yaml.Node, len(f.Examples))
		for i, e := range f.Examples {
			ex[i] = scalar(e)
		}
		add(p, "examples", flow(sequence(ex...)))
	}
	if len(f.Fields) > 0 {
		add(p, "properties", properties(f.Fields))
	}
	if f.Items != nil {
		add(p, "items", property(*f.Items))
	}
	if len(f.Enum) > 0 {
		vals := make([]*yaml.Node, len(f.Enum))
		for i, v := range f.Enum {
			vals[i] = scalar(v)
		}
		q := mapping("metric", scalar("invalidValues"), "arguments", mapping("validValues", flow(sequence(vals...))), "mustBe", intNode(0))
		add(p, "quality", sequence(q))
	}
	return p
}

func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}
func intNode(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}
}
func floatNode(f float64) *yaml.Node {
	if f == float64(int64(f)) {
		return intNode(int64(f))
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'g', -1, 64)}
}
func flow(n *yaml.Node) *yaml.Node { n.Style = yaml.FlowStyle; return n }
func sequence(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}
func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add(m, kv...)
	return m
}

// add appends key-value pairs to mapping m.
func add(m *yaml.Node, kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		m.Content = append(m.Content, scalar(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
}

// literalNode is a number exactly as the source wrote it.
func literalNode(s string) *yaml.Node {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: s}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: s}
}

// numberNode is s as a YAML number when it is one, else as a string.
func numberNode(s string) *yaml.Node {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return floatNode(f)
	}
	return scalar(s)
}

var errNotMapping = errors.New("want a mapping")

// want fails unless n is a mapping.
func (r *reader) want(n *yaml.Node, what string) error {
	if n == nil || n.Kind != yaml.MappingNode {
		line, col := 1, 1
		if n != nil {
			line, col = n.Line, n.Column
		}
		return &Error{File: r.file, Line: line, Column: col, Msg: what + ": " + errNotMapping.Error()}
	}
	return nil
}
