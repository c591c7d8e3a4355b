package checker

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// ContractError is a contract that cannot be executed as written: an unknown
// schema object, an invalid regular expression, a bound that does not parse.
// The CLI exits 2 on it. Rules compiling a column return the same type.
type ContractError = rules.ContractError

// plan is the compiled form of one schema object: what to read and check.
type plan struct {
	contract *contracts.Contract
	schema   *contracts.Schema
	// dialect is the vocabulary physicalTypes are read in.
	dialect contracts.Dialect
	columns []*column
	byName  map[string]*column
	// keys are the multi-column uniqueness checks: a composite primary key
	// and schema-level duplicateValues rules.
	keys []*compositeKey
	// rowCount rules and not-executable rules, evaluated at the end.
	schemaQuality []*contracts.Quality
	// nested are the fields inside object and array columns, by the data
	// name of their top-level column (see nested.go).
	nested map[string][]*nestedField
}

// compositeKey checks that a tuple of columns is unique.
type compositeKey struct {
	cols []string
	set  *keySet
	dups tally
	// q is the duplicateValues rule, or nil for a primary key.
	q   *contracts.Quality
	pos contracts.Pos
	err error // a uniqueness spill that failed
	// private says a column of the key is private.
	private bool
}

// SelectSchema picks the schema object to check: the one named (by name or
// physicalName), or the only one.
func SelectSchema(c *contracts.Contract, name string) (*contracts.Schema, error) {
	if name == "" {
		if len(c.Schemas) == 1 {
			return &c.Schemas[0], nil
		}
		if len(c.Schemas) == 0 {
			return nil, &ContractError{File: c.Path, Msg: "contract declares no schema objects to check"}
		}
		return nil, &ContractError{File: c.Path, Msg: fmt.Sprintf("contract has %d schema objects (%s): choose one with --schema", len(c.Schemas), schemaNames(c))}
	}
	for i := range c.Schemas {
		if c.Schemas[i].Name == name || c.Schemas[i].PhysicalName == name {
			return &c.Schemas[i], nil
		}
	}
	return nil, &ContractError{File: c.Path, Msg: fmt.Sprintf("no schema object %q in contract (have %s)", name, schemaNames(c))}
}

func schemaNames(c *contracts.Contract) string {
	var names []string
	for _, s := range c.Schemas {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// newPlan compiles the checks of schema object s, reading physicalTypes
// in the dialect of the contract's servers (contracts.Contract.Dialect).
func newPlan(c *contracts.Contract, s *contracts.Schema) (*plan, error) {
	return newPlanIn(c, s, c.Dialect(""))
}

// newPlanIn is newPlan with physicalTypes read in dialect d.
func newPlanIn(c *contracts.Contract, s *contracts.Schema, d contracts.Dialect) (*plan, error) {
	p := &plan{contract: c, schema: s, dialect: d, byName: map[string]*column{}}
	var pk []*contracts.Property
	for i := range s.Properties {
		prop := &s.Properties[i]
		col, err := newColumn(c.Path, prop, d)
		if err != nil {
			return nil, err
		}
		p.columns = append(p.columns, col)
		p.byName[col.name] = col
		if err := p.compileNested(col); err != nil {
			return nil, err
		}
		if prop.PrimaryKey {
			pk = append(pk, prop)
		}
	}
	// A single-column primary key is a unique column; a composite one is a
	// tuple ordered by primaryKeyPosition.
	switch {
	case len(pk) == 1:
		col := p.byName[pk[0].DataName()]
		if col.unique == nil {
			col.unique = newKeySet()
		}
	case len(pk) > 1:
		sort.SliceStable(pk, func(i, j int) bool { return pk[i].PrimaryKeyPosition < pk[j].PrimaryKeyPosition })
		k := &compositeKey{set: newKeySet(), pos: pk[0].PosOf("primaryKey")}
		for _, prop := range pk {
			k.cols = append(k.cols, prop.DataName())
			k.private = k.private || prop.Private()
		}
		p.keys = append(p.keys, k)
	}
	for i := range s.Quality {
		q := &s.Quality[i]
		if q.Type == "library" && q.Metric == "duplicateValues" && len(q.Arguments.Properties) > 0 {
			k := &compositeKey{set: newKeySet(), q: q, pos: q.Pos}
			for _, name := range q.Arguments.Properties {
				k.cols = append(k.cols, dataNameOf(s, name))
				if prop := propertyOf(s, name); prop != nil && prop.Private() {
					k.private = true
				}
			}
			p.keys = append(p.keys, k)
			continue
		}
		p.schemaQuality = append(p.schemaQuality, q)
	}
	return p, nil
}

// propertyOf returns the schema's property of that name, or nil.
func propertyOf(s *contracts.Schema, name string) *contracts.Property {
	for i := range s.Properties {
		if s.Properties[i].Name == name {
			return &s.Properties[i]
		}
	}
	return nil
}

// dataNameOf maps a contract property name to its data name.
func dataNameOf(s *contracts.Schema, name string) string {
	if p := propertyOf(s, name); p != nil {
		return p.DataName()
	}
	return name
}

func newColumn(file string, prop *contracts.Property, d contracts.Dialect) (*column, error) {
	return newNamedColumn(file, prop.DataName(), prop, d)
}

// newNamedColumn compiles a column under a name of its own: a nested
// field's path (items[].sku).
func newNamedColumn(file, name string, prop *contracts.Property, d contracts.Dialect) (*column, error) {
	c := &column{prop: prop, name: name, exp: expect(prop, d)}
	isTime := prop.LogicalType == "date" || prop.LogicalType == "timestamp" || prop.LogicalType == "time" ||
		c.exp.kind == kindDate || c.exp.kind == kindTimestamp || c.exp.kind == kindTime
	c.desc = rules.Column{File: file, Name: c.name, Prop: prop, Time: isTime}
	unreadable := false
	if o := &prop.Options; isTime && o.Format != "" {
		// A format driftgate cannot read is reported as not checked
		// (VALUE_FORMAT info), as lint says, not a broken contract.
		if l, err := contracts.TimeFormatLayout(o.Format); err == nil {
			c.desc.Layout = l
			if c.exp.kind == kindDate || c.exp.kind == kindTimestamp || c.exp.kind == kindTime {
				c.desc.CellLayout = l
			}
		} else {
			unreadable = true
		}
	}
	if c.exp.stringDates && !unreadable {
		c.desc.TextLayout = cmp.Or(c.desc.Layout, defaultLayout(prop.LogicalType))
	}
	// Every rule with an observer compiles the column; the ones it does
	// not declare compile to nil.
	for _, r := range rules.All() {
		if r.Compile == nil {
			continue
		}
		o, err := r.Compile(&c.desc)
		if err != nil {
			return nil, err
		}
		if o != nil {
			c.addObserver(r, o)
		}
	}
	if len(c.strs) > 32 {
		return nil, c.desc.Errorf("", "more string rules than a verdict holds")
	}
	if prop.Unique {
		c.unique = newKeySet()
	}
	var missing []any
	for i := range prop.Quality {
		q := &prop.Quality[i]
		if q.Type != "library" {
			continue
		}
		switch q.Metric {
		case "invalidValues":
			r := &invalidRule{q: q, valid: newValueSet(q.Arguments.ValidValues)}
			if q.Arguments.Pattern != "" {
				re, err := rules.CompileMatcher(q.Arguments.Pattern)
				if err != nil {
					return nil, &ContractError{File: file, Pos: q.Pos, Msg: fmt.Sprintf("column %q: invalidValues pattern %q is not a valid RE2 regular expression: %v", c.name, q.Arguments.Pattern, err)}
				}
				r.pattern = re
			}
			c.invalidRules = append(c.invalidRules, r)
		case "missingValues":
			c.missingRules = append(c.missingRules, &missingRule{q: q, values: newValueSet(q.Arguments.MissingValues)})
			missing = append(missing, q.Arguments.MissingValues...)
		case "duplicateValues":
			if c.unique == nil {
				c.unique = newKeySet()
			}
		}
	}
	c.missing = newValueSet(missing)
	return c, nil
}

// redactPrivate keeps the values of private columns
// (contracts.Property.Private) out of every finding: their tallies keep
// rows, not values, and their rules quote none. Check calls it unless a
// local debugging run asked to see them (Options.ShowPrivateValues).
func (p *plan) redactPrivate() {
	for _, c := range p.columns {
		if c.prop.Private() {
			c.desc.Private = true
			c.redact()
		}
	}
	for _, k := range p.keys {
		k.dups.Redact = k.private
	}
	p.redactNested()
}

// private returns the data names of the columns redactPrivate redacted.
func (p *plan) private() map[string]bool {
	out := map[string]bool{}
	for _, c := range p.columns {
		if c.desc.Private {
			out[c.name] = true
		}
	}
	p.eachNested(func(f *nestedField) {
		if f.col.desc.Private {
			out[f.col.name] = true
		}
	})
	return out
}

// redact makes every tally of a column keep rows, not values.
func (c *column) redact() {
	c.nulls.Redact, c.typeErrs.Redact, c.dups.Redact = true, true, true
	for _, ob := range c.obs {
		for i := range ob.t {
			ob.t[i].Redact = true
		}
	}
	for _, r := range c.invalidRules {
		r.t.Redact = true
	}
	for _, r := range c.missingRules {
		r.t.Redact = true
	}
}

func defaultLayout(logical string) string {
	switch logical {
	case "timestamp":
		return time.RFC3339Nano
	case "time":
		return "15:04:05"
	}
	return time.DateOnly
}

// csvTypes is what the CSV reader parses each contract column into.
func (p *plan) csvTypes() (map[string]arrow.DataType, map[string]string) {
	types := map[string]arrow.DataType{}
	layouts := map[string]string{}
	for _, c := range p.columns {
		if c.exp.stringDates {
			continue // read as text, checked against the format value by value
		}
		switch c.exp.kind {
		case kindStruct, kindList, kindMap, kindAny, kindBinary, kindJSON:
			continue
		}
		types[c.name] = c.exp.arrowType()
		if (c.exp.kind == kindDate || c.exp.kind == kindTimestamp || c.exp.kind == kindTime) && c.prop.Options.Format != "" {
			if l, err := contracts.TimeFormatLayout(c.prop.Options.Format); err == nil {
				layouts[c.name] = l
			}
		}
	}
	return types, layouts
}
