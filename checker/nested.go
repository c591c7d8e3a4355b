package checker

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// Value rules inside object and array columns.
//
// A property of an object column (properties) or the items of an array
// column is compiled as a column of its own, named by its path from the
// top-level column: customer.address.city for a field of a struct,
// tags[] for the elements of a list, items[].sku for a field of the
// structs in a list (the form JSON type errors use too). Its rules are the
// top-level ones, run by the same observers over the Arrow child array:
// a struct's field, a list's values.
//
// Rows: a struct field has one value per record; a list's elements are
// many per record, and every finding names the record (row) the element
// is in. Counts inside a list are of elements, and so is the denominator
// of a percentage.
//
// Nulls: a null parent has no children. Its fields are neither counted
// nor checked, required ones included: required on a nested field means
// "present whenever its parent is".

// nestedField is one property inside an object or array column.
type nestedField struct {
	col *column
	// field is the struct field's data name; "" for the elements of a list.
	field string
	// underList says the field's values are, or are inside, a list's
	// elements: their offsets in the child array are not rows, and the
	// findings' rows are remapped to the records they came from.
	underList bool
	// judged says the field declares a value rule of its own; children
	// are the fields inside it, each kept only if it or one below it does.
	judged   bool
	children []*nestedField
}

// compileNested compiles the value rules of the fields inside column top.
func (p *plan) compileNested(top *column) error {
	fields, err := p.nestedOf(top.name, top.prop, top.exp.dialect, false)
	if err != nil || len(fields) == 0 {
		return err
	}
	if p.nested == nil {
		p.nested = map[string][]*nestedField{}
	}
	p.nested[top.name] = fields
	return nil
}

// nestedOf compiles the fields of an object property or the items of an
// array property at path, keeping those with something to check.
func (p *plan) nestedOf(path string, prop *contracts.Property, d contracts.Dialect, underList bool) ([]*nestedField, error) {
	var out []*nestedField
	add := func(name, field string, np *contracts.Property, underList bool) error {
		col, err := newNamedColumn(p.contract.Path, name, np, d)
		if err != nil {
			return err
		}
		f := &nestedField{col: col, field: field, underList: underList, judged: judges(col)}
		if f.children, err = p.nestedOf(name, np, d, underList); err != nil {
			return err
		}
		if f.judged || len(f.children) > 0 {
			out = append(out, f)
		}
		return nil
	}
	switch expect(prop, d).kind {
	case kindStruct:
		for i := range prop.Properties {
			np := &prop.Properties[i]
			if err := add(path+"."+np.DataName(), np.DataName(), np, underList); err != nil {
				return nil, err
			}
		}
	case kindList:
		if prop.Items != nil {
			if err := add(path+"[]", "", prop.Items, true); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// judges says a compiled column has a value rule to run.
func judges(c *column) bool {
	return c.prop.Required || c.unique != nil || len(c.obs) > 0 || len(c.prop.Quality) > 0
}

// eachNested calls fn with every nested field, parents first.
func (p *plan) eachNested(fn func(*nestedField)) {
	for _, c := range p.columns {
		walkNested(p.nested[c.name], fn)
	}
}

// redactNested keeps the values of private nested fields out of findings;
// a field inside a private column or field is private too.
func (p *plan) redactNested() {
	var walk func(fs []*nestedField, private bool)
	walk = func(fs []*nestedField, private bool) {
		for _, f := range fs {
			priv := private || f.col.prop.Private()
			if priv {
				f.col.desc.Private = true
				f.col.redact()
			}
			walk(f.children, priv)
		}
	}
	for _, c := range p.columns {
		walk(p.nested[c.name], c.prop.Private())
	}
}

// level is one array of a nested column with what maps its values to the
// batch's records.
type level struct {
	arr arrow.Array
	// rows holds, per value, the offset in the batch of its record; nil
	// when value i is record i (no list above).
	rows []int32
	// skip marks the values not to look into: a null ancestor, a record
	// whose value did not parse.
	skip []bool
}

// observeNested runs the checks of the fields inside column top over the
// batch's array of it. invalid are the offsets of records whose value did
// not parse (a JSON member of the wrong kind), already counted as
// VALUE_TYPE: nothing inside them is checked.
func (p *plan) observeNested(top *column, file string, first int64, arr arrow.Array, invalid []int) {
	fields := p.nested[top.name]
	if len(fields) == 0 {
		return
	}
	skip := make([]bool, arr.Len())
	for _, i := range invalid {
		if i >= 0 && i < len(skip) {
			skip[i] = true
		}
	}
	observeLevel(fields, file, first, level{arr: arr, skip: skip})
}

func observeLevel(fields []*nestedField, file string, first int64, parent level) {
	for _, f := range fields {
		child, ok := f.values(parent)
		if !ok {
			continue // missing here, or not nested as declared: reported structurally
		}
		if ok, _ := f.col.exp.compatible(child.arr.DataType()); !ok {
			continue // retyped: reported structurally, not value by value
		}
		if f.judged {
			f.observe(file, first, child)
		} else {
			f.col.present = true
		}
		observeLevel(f.children, file, first, child)
	}
}

// values is the field's child array of parent: a struct's field, or a
// list's elements, with their records and what to skip.
func (f *nestedField) values(parent level) (level, bool) {
	n := parent.arr.Len()
	if f.field != "" {
		st, ok := parent.arr.(*array.Struct)
		if !ok {
			return level{}, false
		}
		idx, found := st.DataType().(*arrow.StructType).FieldIdx(f.field)
		if !found {
			return level{}, false
		}
		skip := make([]bool, n)
		for i := range skip {
			skip[i] = parent.skip[i] || st.IsNull(i)
		}
		return level{arr: st.Field(idx), rows: parent.rows, skip: skip}, true
	}
	ll, ok := parent.arr.(array.ListLike)
	if !ok || !isList(parent.arr.DataType()) {
		return level{}, false
	}
	vals := ll.ListValues()
	m := vals.Len()
	out := level{arr: vals, rows: make([]int32, m), skip: make([]bool, m)}
	// Elements no record of this batch reaches (a sliced list) are skipped.
	for j := range out.skip {
		out.skip[j] = true
	}
	for i := 0; i < n; i++ {
		if parent.skip[i] || ll.IsNull(i) {
			continue
		}
		rec := int32(i)
		if parent.rows != nil {
			rec = parent.rows[i]
		}
		lo, hi := ll.ValueOffsets(i)
		for j := max(lo, 0); j < hi && j < int64(m); j++ {
			out.rows[j], out.skip[j] = rec, false
		}
	}
	return out, true
}

// observe runs the field's own checks over its values. Values of a list
// are observed at their offsets, and the examples the batch added are
// moved to their records' rows.
func (f *nestedField) observe(file string, first int64, lv level) {
	var invalid []int
	for i, s := range lv.skip {
		if s {
			invalid = append(invalid, i)
		}
	}
	c := f.col
	if lv.rows == nil {
		c.observe(file, first, lv.arr, invalid)
		return
	}
	ts := c.tallies()
	marks := make([]int, len(ts))
	for i, t := range ts {
		marks[i] = len(t.Examples)
	}
	c.observe(file, 0, lv.arr, invalid)
	for i, t := range ts {
		for k := marks[i]; k < len(t.Examples); k++ {
			if off := t.Examples[k].Row; off >= 0 && off < int64(len(lv.rows)) {
				t.Examples[k].Row = first + int64(lv.rows[off])
			}
		}
	}
}

// tallies are every tally of the column that keeps examples.
func (c *column) tallies() []*tally {
	ts := []*tally{&c.nulls, &c.typeErrs, &c.dups}
	for _, ob := range c.obs {
		for i := range ob.t {
			ts = append(ts, &ob.t[i])
		}
	}
	for _, r := range c.invalidRules {
		ts = append(ts, &r.t)
	}
	for _, r := range c.missingRules {
		ts = append(ts, &r.t)
	}
	return ts
}

// finishNested counts what the uniqueness checks of nested fields spilled
// to disk. A spilled key of a list element knows its element, not its
// record, so it is counted without an example.
func (p *plan) finishNested(files []string) error {
	var errs []error
	p.eachNested(func(f *nestedField) {
		c := f.col
		if c.unique == nil {
			return
		}
		if c.keyErr != nil {
			errs = append(errs, c.keyErr)
		}
		err := c.unique.finish(func(fi int, row int64, key uint64) {
			if c.dups.Hit() && !f.underList {
				c.dups.Example(files[fi], row, spilledValue(c.exp.kind, key))
			}
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("nested field %q: %w", c.name, err))
		}
	})
	return errors.Join(errs...)
}

// discardNested removes the spill files of a run that ends early.
func (p *plan) discardNested() {
	p.eachNested(func(f *nestedField) {
		if f.col.unique != nil {
			f.col.unique.discard()
		}
	})
}

// nestedFindings reports the value checks of the fields inside column
// top, as valueFindings does for a column. Type errors inside a value are
// the top-level column's VALUE_TYPE findings (the reader names the path),
// so the nested fields list no VALUE_TYPE check of their own.
func (r *run) nestedFindings(b *builder, top *column) {
	fields := r.plan.nested[top.name]
	if len(fields) == 0 {
		return
	}
	if r.csvSeen {
		var names []string
		walkNested(fields, func(f *nestedField) {
			if f.judged {
				names = append(names, f.col.name)
			}
		})
		b.skipped(top.name, fmt.Sprintf("not checked in CSV: the value rules of %s (a CSV cell holds text, not the nested values the contract declares)", strings.Join(names, ", ")))
	}
	walkNested(fields, func(f *nestedField) {
		if !f.judged || !f.col.present {
			return
		}
		rows := r.rows
		if f.underList {
			r.rows = f.col.rows // percentages inside a list are of its elements
		}
		r.valueFindings(b, f.col)
		r.rows = rows
		b.dropCheck(rules.ValueType, f.col.name)
	})
}

// nestedMetadataSkips lists the value rules inside nested columns as not
// checked: no footer statistic speaks for them.
func (p *plan) nestedMetadataSkips(b *builder) {
	for _, c := range p.columns {
		var names []string
		walkNested(p.nested[c.name], func(f *nestedField) {
			if f.judged {
				names = append(names, f.col.name)
			}
		})
		if len(names) > 0 {
			b.skipped(c.name, "not checked with --metadata-only: the value rules of "+strings.Join(names, ", "))
		}
	}
}

func walkNested(fs []*nestedField, fn func(*nestedField)) {
	for _, f := range fs {
		fn(f)
		walkNested(f.children, fn)
	}
}

// dropCheck removes a listed check that does not apply.
func (b *builder) dropCheck(r *rules.Rule, column string) {
	keep := b.checks[:0]
	for _, c := range b.checks {
		if c.Rule != r.ID || c.Column != column {
			keep = append(keep, c)
		}
	}
	b.checks = keep
}
