package importer

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/contracts"
)

// dbtTables are the top-level keys of a dbt properties file whose entries
// are tables with columns; sources hold theirs under tables.
var dbtTables = []string{"models", "seeds", "snapshots"}

// dbtColumnKeys are the keys of a column that import reads, or that say
// nothing about the data (quote); any other (meta, policy_tags) is listed.
var dbtColumnKeys = []string{"name", "description", "data_type", "tests", "data_tests", "constraints", "check", "tags", "quote"}

// dbt reads a dbt properties file (schema.yml): models, seeds, snapshots
// and sources' tables; their columns, data_type, constraints and the
// generic tests not_null, unique, accepted_values, dbt_utils.accepted_range
// and dbt_utils.unique_combination_of_columns. Everything else a file
// declares (other tests, relationships, freshness, semantic models) is
// listed as not mapped.
func (r *reader) dbt(doc *yaml.Node) ([]Table, error) {
	if err := r.want(doc, "dbt schema.yml"); err != nil {
		return nil, err
	}
	var tables []Table
	for _, kv := range pairs(doc) {
		switch key := kv[0].Value; {
		case key == "version":
		case slices.Contains(dbtTables, key):
			for _, m := range seq(kv[1]) {
				tables = append(tables, r.dbtTable(m, ""))
			}
		case key == "sources":
			for _, src := range seq(kv[1]) {
				if f := get(src, "freshness"); f != nil {
					r.drop(f, "source %s: freshness (write slaProperties by hand)", str(src, "name"))
				}
				for _, m := range seq(get(src, "tables")) {
					tables = append(tables, r.dbtTable(m, str(m, "identifier")))
				}
			}
		default:
			r.drop(kv[0], "%s: not a table's columns; not imported", key)
		}
	}
	return tables, nil
}

// dbtTable reads one model, seed, snapshot or source table.
func (r *reader) dbtTable(m *yaml.Node, physical string) Table {
	t := Table{Name: str(m, "name"), PhysicalName: physical, Description: r.dbtText(m, "table "+str(m, "name"))}
	for _, cn := range seq(get(m, "columns")) {
		f := Field{Name: str(cn, "name"), Tags: scalars(get(cn, "tags"))}
		for _, kv := range pairs(cn) {
			if k := kv[0].Value; !slices.Contains(dbtColumnKeys, k) {
				r.drop(kv[0], "column %s: %s", f.Name, k)
			}
		}
		f.Description = r.dbtText(cn, "column "+f.Name)
		if dt := str(cn, "data_type"); dt != "" {
			f.Logical, f.Physical, f.MaxLength = sqlLogical(dt), dt, dbtMaxLength(dt)
		}
		if c := get(cn, "check"); c != nil {
			r.drop(c, "column %s: the check %s (SQL; ODCS cannot say it)", f.Name, oneLine(c.Value))
		}
		for _, c := range seq(get(cn, "constraints")) {
			r.dbtColumnConstraint(&f, c)
		}
		for _, test := range dbtTests(cn) {
			r.dbtTest(&f, test)
		}
		t.Fields = append(t.Fields, f)
	}
	for _, c := range seq(get(m, "constraints")) {
		r.dbtTableConstraint(&t, c)
	}
	for _, test := range dbtTests(m) {
		r.dbtTableTest(&t, test)
	}
	for _, k := range []string{"versions", "freshness"} {
		if v := get(m, k); v != nil {
			r.drop(v, "table %s: %s", t.Name, k)
		}
	}
	return t
}

// dbtMaxLength is the most characters a data_type such as varchar(20),
// character varying(20) or char(2) holds, nil where it sets no bound. A
// length in bytes (varchar(20 byte)) bounds the characters too.
func dbtMaxLength(dataType string) *int64 {
	d, known := contracts.ParsePhysicalType(dataType, contracts.Generic)
	if !known || d.Kind != contracts.KindString || d.Length == 0 {
		return nil
	}
	return &d.Length
}

// dbtText is a description, unless it is a Jinja template ({{ doc("x") }}),
// which only dbt can render: that is listed and left out.
func (r *reader) dbtText(n *yaml.Node, what string) string {
	d := str(n, "description")
	if strings.Contains(d, "{{") {
		r.drop(get(n, "description"), "%s: the description %s is a dbt template; not rendered", what, oneLine(d))
		return ""
	}
	return d
}

// dbtTests are the tests of a column or table: tests, or data_tests as
// dbt 1.8 renamed them.
func dbtTests(n *yaml.Node) []*yaml.Node {
	return append(seq(get(n, "tests")), seq(get(n, "data_tests"))...)
}

// dbtTestArgs splits a test into its name and arguments. dbt 1.10 moved the
// arguments under arguments:, beside config:; older files write them
// beside config directly.
func dbtTestArgs(test *yaml.Node) (name string, args, config *yaml.Node) {
	if test.Kind == yaml.ScalarNode {
		return test.Value, nil, nil
	}
	if test.Kind != yaml.MappingNode || len(test.Content) != 2 {
		return "", nil, nil
	}
	name, args = test.Content[0].Value, test.Content[1]
	config = get(args, "config")
	if a := get(args, "arguments"); a != nil {
		args = a
	}
	return name, args, config
}

func (r *reader) dbtTest(f *Field, test *yaml.Node) {
	name, args, config := dbtTestArgs(test)
	if w := get(config, "where"); w != nil {
		r.drop(test, "column %s: dbt test %s applies only where %s; not imported", f.Name, name, w.Value)
		return
	}
	switch name {
	case "not_null":
		f.Required = true
	case "unique":
		f.Unique = true
	case "accepted_values":
		f.Enum = scalars(get(args, "values"))
		if len(f.Enum) == 0 {
			r.drop(test, "column %s: dbt test accepted_values lists no values", f.Name)
		}
	case "dbt_utils.accepted_range":
		r.dbtRange(f, args)
	default:
		r.drop(test, "column %s: dbt test %s", f.Name, name)
	}
}

// dbtRange maps dbt_utils.accepted_range: numeric bounds, inclusive unless
// inclusive: false. A bound written as SQL (a date, an expression) is listed.
func (r *reader) dbtRange(f *Field, args *yaml.Node) {
	inclusive := str(args, "inclusive") != "false"
	for _, b := range []struct {
		key       string
		inc, excl **float64
	}{{"min_value", &f.Minimum, &f.ExclusiveMinimum}, {"max_value", &f.Maximum, &f.ExclusiveMaximum}} {
		v := get(args, b.key)
		if v == nil {
			continue
		}
		x, err := strconv.ParseFloat(v.Value, 64)
		if err != nil {
			r.drop(v, "column %s: dbt_utils.accepted_range %s %s is not a number", f.Name, b.key, oneLine(v.Value))
			continue
		}
		if inclusive {
			*b.inc = &x
		} else {
			*b.excl = &x
		}
		if f.Logical == "" {
			// A range says the column is numeric when data_type does not.
			f.Logical = "number"
		}
	}
}

// dbtColumnConstraint maps a dbt model contract's column constraint.
func (r *reader) dbtColumnConstraint(f *Field, c *yaml.Node) {
	typ := str(c, "type")
	if c.Kind == yaml.ScalarNode {
		// dbt 1.4's beta spelled constraints as SQL: ['not null', 'primary key'].
		typ = strings.ReplaceAll(strings.ToLower(c.Value), " ", "_")
	}
	switch typ {
	case "not_null":
		f.Required = true
	case "unique":
		f.Unique = true
	case "primary_key":
		f.PrimaryKey, f.Required = true, true
	default:
		r.drop(c, "column %s: a %s constraint", f.Name, typ)
	}
}

// dbtTableConstraint maps a model-level constraint over columns.
func (r *reader) dbtTableConstraint(t *Table, c *yaml.Node) {
	cols := scalars(get(c, "columns"))
	switch typ := str(c, "type"); {
	case typ == "primary_key" && len(cols) > 0:
		if missing := t.primaryKey(cols); missing != "" {
			r.drop(c, "table %s: the primary key names %s, which it does not declare", t.Name, missing)
		}
	case typ == "unique" && len(cols) > 0:
		if missing := t.uniqueKey(cols); missing != "" {
			r.drop(c, "table %s: the unique key names %s, which it does not declare", t.Name, missing)
		}
	default:
		r.drop(c, "table %s: a %s constraint", t.Name, typ)
	}
}

// dbtTableTest maps a model-level test.
func (r *reader) dbtTableTest(t *Table, test *yaml.Node) {
	name, args, config := dbtTestArgs(test)
	cols := scalars(get(args, "combination_of_columns"))
	if name != "dbt_utils.unique_combination_of_columns" || len(cols) == 0 || get(config, "where") != nil {
		r.drop(test, "table %s: dbt test %s", t.Name, name)
		return
	}
	if missing := t.uniqueKey(cols); missing != "" {
		r.drop(test, "table %s: %s names %s, which it does not declare", t.Name, name, missing)
	}
}
