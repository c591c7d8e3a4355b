package checker

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/driftgate/driftgate/checker/rules"
)

// The object rules' side of the engine: the loop over one array of structs
// that shows each struct to the column's ObjectObservers as rules.Object.

// structValue is one struct of an array of structs, row i. One value
// serves a whole array, row after row.
type structValue struct {
	st    *array.Struct
	index map[string]int // field index by name, the first of a repeated one
	i     int
}

// Len counts the fields holding a value.
func (s *structValue) Len() int {
	n := 0
	for f := range s.st.NumField() {
		if s.st.Field(f).IsValid(s.i) {
			n++
		}
	}
	return n
}

// Has says the field name holds a value.
func (s *structValue) Has(name string) bool {
	f, ok := s.index[name]
	return ok && s.st.Field(f).IsValid(s.i)
}

// startObjects readies the object rules for an array of structs: nil when
// the column has none, the array holds no structs (a CSV cell is text), or
// it came from JSON, whose reader keeps only the members the contract
// declares or its sample shows (see objectSkips).
func (c *column) startObjects(arr arrow.Array) *array.Struct {
	st, ok := arr.(*array.Struct)
	if len(c.objs) == 0 || !ok || c.fromJSON {
		return nil
	}
	c.structs = true
	fields := st.DataType().(*arrow.StructType).Fields()
	c.structValue = structValue{st: st, index: make(map[string]int, len(fields))}
	for i, f := range fields {
		if _, dup := c.structValue.index[f.Name]; !dup {
			c.structValue.index[f.Name] = i
		}
	}
	return st
}

// judgeObject runs the column's object rules on struct i of st.
func (c *column) judgeObject(file string, row int64, st *array.Struct, i int) {
	c.structValue.i = i
	for _, t := range c.objs {
		if out := t.o.Object(&c.structValue); out != rules.Pass {
			count(t.t, out, file, row, st, i)
		}
	}
}

// markFromJSON tells the columns of an input, nested fields too, whether
// its batches come from JSON.
func (r *run) markFromJSON(cols []*column, fromJSON bool) {
	for _, c := range cols {
		c.fromJSON = fromJSON
		walkNested(r.plan.nested[c.name], func(f *nestedField) { f.col.fromJSON = fromJSON })
	}
}

// objectSkips lists a column's object rules as not checked where they did
// not run: in CSV (a cell holds text), in JSON (the reader keeps only the
// members the contract declares or its sample shows, and holds an absent
// one as null, so it can neither count an object's members nor see one
// missing), and where no object was read at all.
func (r *run) objectSkips(b *builder, c *column) {
	var ids []string
	for _, ob := range c.obs {
		if ob.rule.Observes&rules.Objects != 0 {
			ids = append(ids, ob.rule.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	list := strings.Join(ids, ", ")
	if r.csvSeen {
		b.skipped(c.name, fmt.Sprintf("not checked in CSV: %s (a CSV cell holds text, not an object)", list))
	}
	if r.jsonSeen {
		b.skipped(c.name, fmt.Sprintf("not checked in JSON: %s (the JSON reader keeps only the members the contract declares or its sample shows, and holds an absent one as null: it can neither count an object's members nor tell a missing one)", list))
	}
	if !c.structs && !r.csvSeen && !r.jsonSeen {
		b.skipped(c.name, fmt.Sprintf("not checked: %s (no object was read)", list))
	}
}
