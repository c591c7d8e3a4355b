package checker

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
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
	columns  []*column
	byName   map[string]*column
	// keys are the multi-column uniqueness checks: a composite primary key
	// and schema-level duplicateValues rules.
	keys []*compositeKey
	// rowCount rules and not-executable rules, evaluated at the end.
	schemaQuality []*contracts.Quality
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

func newPlan(c *contracts.Contract, s *contracts.Schema) (*plan, error) {
	p := &plan{contract: c, schema: s, byName: map[string]*column{}}
	var pk []*contracts.Property
	for i := range s.Properties {
		prop := &s.Properties[i]
		col, err := newColumn(c.Path, prop)
		if err != nil {
			return nil, err
		}
		p.columns = append(p.columns, col)
		p.byName[col.name] = col
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
		}
		p.keys = append(p.keys, k)
	}
	for i := range s.Quality {
		q := &s.Quality[i]
		if q.Type == "library" && q.Metric == "duplicateValues" && len(q.Arguments.Properties) > 0 {
			k := &compositeKey{set: newKeySet(), q: q, pos: q.Pos}
			for _, name := range q.Arguments.Properties {
				k.cols = append(k.cols, dataNameOf(s, name))
			}
			p.keys = append(p.keys, k)
			continue
		}
		p.schemaQuality = append(p.schemaQuality, q)
	}
	return p, nil
}

// dataNameOf maps a contract property name to its data name.
func dataNameOf(s *contracts.Schema, name string) string {
	for i := range s.Properties {
		if s.Properties[i].Name == name {
			return s.Properties[i].DataName()
		}
	}
	return name
}

func newColumn(file string, prop *contracts.Property) (*column, error) {
	c := &column{prop: prop, name: prop.DataName(), exp: expect(prop), minLen: -1, maxLen: -1}
	bad := func(key, format string, args ...any) error {
		return &ContractError{File: file, Pos: prop.PosOf(key), Msg: fmt.Sprintf("column %q: %s", c.name, fmt.Sprintf(format, args...))}
	}
	o := &prop.Options
	if o.MinLength != nil {
		c.minLen = *o.MinLength
	}
	if o.MaxLength != nil {
		c.maxLen = *o.MaxLength
	}
	if o.Pattern != "" {
		re, err := regexp.Compile(o.Pattern)
		if err != nil {
			return nil, bad("pattern", "pattern %q is not a valid RE2 regular expression: %v", o.Pattern, err)
		}
		c.pattern = re
	}
	isTime := prop.LogicalType == "date" || prop.LogicalType == "timestamp" || prop.LogicalType == "time" ||
		c.exp.kind == kindDate || c.exp.kind == kindTimestamp || c.exp.kind == kindTime
	layout := ""
	if isTime && o.Format != "" {
		l, err := contracts.GoTimeLayout(o.Format)
		if err != nil {
			return nil, bad("format", "%v", err)
		}
		layout = l
	}
	if o.Format != "" && !isTime {
		if f, ok := stringFormat(o.Format); ok {
			c.format, c.formatName = f, o.Format
		} else if prop.LogicalType == "string" || prop.LogicalType == "" {
			c.formatName = o.Format // reported as not checked
		}
	}
	if c.exp.stringDates {
		c.dateLayout = layout
		if c.dateLayout == "" {
			c.dateLayout = defaultLayout(prop.LogicalType)
		}
	}
	var err error
	if c.lo, err = newBound(o.Minimum, false, isTime, layout); err != nil {
		return nil, bad("minimum", "minimum: %v", err)
	}
	if !c.lo.set {
		if c.lo, err = newBound(o.ExclusiveMinimum, true, isTime, layout); err != nil {
			return nil, bad("exclusiveMinimum", "exclusiveMinimum: %v", err)
		}
	}
	if c.hi, err = newBound(o.Maximum, false, isTime, layout); err != nil {
		return nil, bad("maximum", "maximum: %v", err)
	}
	if !c.hi.set {
		if c.hi, err = newBound(o.ExclusiveMaximum, true, isTime, layout); err != nil {
			return nil, bad("exclusiveMaximum", "exclusiveMaximum: %v", err)
		}
	}
	if o.MultipleOf != nil {
		if *o.MultipleOf <= 0 {
			return nil, bad("multipleOf", "multipleOf %v: want a positive number", *o.MultipleOf)
		}
		c.multipleOf = *o.MultipleOf
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
				re, err := regexp.Compile(q.Arguments.Pattern)
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

func defaultLayout(logical string) string {
	switch logical {
	case "timestamp":
		return time.RFC3339Nano
	case "time":
		return "15:04:05"
	}
	return time.DateOnly
}

// newBound prepares one bound. Date and time bounds are strings in the
// column's format (ISO 8601 when it has none).
func newBound(v any, excl, isTime bool, layout string) (bound, error) {
	b := bound{excl: excl}
	if v == nil {
		return b, nil
	}
	b.set = true
	switch x := v.(type) {
	case int64:
		b.i, b.f, b.exact = x, float64(x), true
		b.text = strconv.FormatInt(x, 10)
	case int:
		b.i, b.f, b.exact = int64(x), float64(x), true
		b.text = strconv.Itoa(x)
	case float64:
		b.f = x
		b.text = strconv.FormatFloat(x, 'f', -1, 64)
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			b.i, b.exact = int64(x), true
		}
	case string:
		b.text = x
		if isTime {
			t, err := parseTimeBound(x, layout)
			if err != nil {
				return b, err
			}
			b.t, b.isT = t, true
			return b, nil
		}
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return b, fmt.Errorf("%q is not a number", x)
		}
		return newBound(f, excl, false, "")
	default:
		return b, fmt.Errorf("unsupported bound %v", v)
	}
	if isTime {
		return b, fmt.Errorf("%s: a date or time bound must be a string", b.text)
	}
	return b, nil
}

// parseTimeBound reads a date or timestamp bound with the column's format,
// falling back to the ISO 8601 forms people write in contracts.
func parseTimeBound(s, layout string) (time.Time, error) {
	layouts := []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", time.DateOnly, "15:04:05"}
	if layout != "" {
		layouts = append([]string{layout}, layouts...)
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date or timestamp in the column's format", s)
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
		case kindStruct, kindList, kindMap, kindAny, kindBinary:
			continue
		}
		types[c.name] = c.exp.arrowType()
		if (c.exp.kind == kindDate || c.exp.kind == kindTimestamp || c.exp.kind == kindTime) && c.prop.Options.Format != "" {
			if l, err := contracts.GoTimeLayout(c.prop.Options.Format); err == nil {
				layouts[c.name] = l
			}
		}
	}
	return types, layouts
}
