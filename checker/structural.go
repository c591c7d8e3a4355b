package checker

import (
	"math"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/cespare/xxhash/v2"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// structural collects, across files, which contract columns are missing,
// which data columns are undeclared and which have the wrong type.
type structural struct {
	files      []string
	missing    map[string][]string // column path -> files lacking it
	unexpected map[string][]string // data column -> files having it
	retyped    map[string]*retype  // column path -> what was found
	props      map[string]*contracts.Property
	// extraIn holds, for an undeclared nested field, the object property
	// whose fields it is not one of.
	extraIn map[string]*contracts.Property
}

type retype struct {
	files []string
	found []string // distinct data types, in order seen
	why   string
}

func newStructural() *structural {
	return &structural{
		missing:    map[string][]string{},
		unexpected: map[string][]string{},
		retyped:    map[string]*retype{},
		props:      map[string]*contracts.Property{},
		extraIn:    map[string]*contracts.Property{},
	}
}

// compare records the structural differences between the contract and one
// file's schema and returns the contract columns whose values can be
// checked in that file, in contract order.
func (s *structural) compare(p *plan, path string, sch *arrow.Schema, format source.Format) []*column {
	s.files = append(s.files, path)
	declared := map[string]bool{}
	var usable []*column
	for _, c := range p.columns {
		declared[c.name] = true
		s.props[c.name] = c.prop
		idx := sch.FieldIndices(c.name)
		if len(idx) == 0 {
			s.missing[c.name] = append(s.missing[c.name], path)
			continue
		}
		f := sch.Field(idx[0])
		nested := c.exp.kind == kindStruct || c.exp.kind == kindList || c.exp.kind == kindMap
		if format == source.CSV && nested {
			// CSV cannot hold nested values; the text is checked for nulls.
			usable = append(usable, c)
			continue
		}
		if ok, why := c.exp.compatible(f.Type); !ok {
			s.retype(c.name, path, f.Type, why)
			continue
		}
		if c.exp.kind == kindStruct || c.exp.kind == kindList {
			s.compareNested(c.name, c.prop, path, valueType(f.Type), c.exp.dialect)
		}
		usable = append(usable, c)
	}
	for _, f := range sch.Fields() {
		if !declared[f.Name] {
			s.unexpected[f.Name] = append(s.unexpected[f.Name], path)
		}
	}
	return usable
}

// compareNested checks the fields of a struct against the properties of
// an object property, and the elements of a list against the items of an
// array property, as compare checks columns: a nested field missing,
// undeclared (when the object declares its properties) or of the wrong
// type is reported by its path (customer.address.city, items[].sku).
func (s *structural) compareNested(parent string, prop *contracts.Property, path string, dt arrow.DataType, d contracts.Dialect) {
	switch expect(prop, d).kind {
	case kindStruct:
		st, ok := dt.(*arrow.StructType)
		if !ok || len(prop.Properties) == 0 {
			return
		}
		declared := map[string]bool{}
		for i := range prop.Properties {
			np := &prop.Properties[i]
			declared[np.DataName()] = true
			name := parent + "." + np.DataName()
			s.props[name] = np
			idx, found := st.FieldIdx(np.DataName())
			if !found {
				s.missing[name] = append(s.missing[name], path)
				continue
			}
			s.compareValue(name, np, path, st.Field(idx).Type, d)
		}
		for _, f := range st.Fields() {
			if !declared[f.Name] {
				name := parent + "." + f.Name
				s.unexpected[name] = append(s.unexpected[name], path)
				s.extraIn[name] = prop
			}
		}
	case kindList:
		if prop.Items == nil || !isList(dt) {
			return
		}
		name := parent + "[]"
		s.props[name] = prop.Items
		s.compareValue(name, prop.Items, path, dt.(arrow.ListLikeType).Elem(), d)
	}
}

// compareValue checks one nested value's type, and what is inside it.
func (s *structural) compareValue(name string, prop *contracts.Property, path string, ft arrow.DataType, d contracts.Dialect) {
	if ok, why := expect(prop, d).compatible(ft); !ok {
		s.retype(name, path, ft, why)
		return
	}
	s.compareNested(name, prop, path, valueType(ft), d)
}

// isList says dt is a list type (a map is not one, though Arrow builds it
// on a list).
func isList(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.LIST, arrow.LARGE_LIST, arrow.FIXED_SIZE_LIST, arrow.LIST_VIEW, arrow.LARGE_LIST_VIEW:
		return true
	}
	return false
}

func (s *structural) retype(name, path string, dt arrow.DataType, why string) {
	r := s.retyped[name]
	if r == nil {
		r = &retype{why: why}
		s.retyped[name] = r
	}
	r.files = append(r.files, path)
	t := dt.String()
	for _, have := range r.found {
		if have == t {
			return
		}
	}
	r.found = append(r.found, t)
}

// renameHint names an undeclared data column that matches a missing one
// but for case or separators, the usual shape of a rename.
func (s *structural) renameHint(missing string) string {
	norm := func(n string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(n))
	}
	want := norm(missing[strings.LastIndexByte(missing, '.')+1:])
	var names []string
	for name := range s.unexpected {
		if norm(name) == want {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// hashValue hashes one non-null value of any type for composite keys.
func hashValue(a arrow.Array, i int) uint64 {
	switch x := a.(type) {
	case *array.Int64:
		return uint64(x.Value(i))
	case *array.Int32:
		return uint64(x.Value(i))
	case *array.Int16:
		return uint64(x.Value(i))
	case *array.Int8:
		return uint64(x.Value(i))
	case *array.Uint64:
		return x.Value(i)
	case *array.Uint32:
		return uint64(x.Value(i))
	case *array.Float64:
		return math.Float64bits(x.Value(i))
	case *array.String:
		return xxhash.Sum64String(x.Value(i))
	case *array.LargeString:
		return xxhash.Sum64String(x.Value(i))
	case *array.Date32:
		return uint64(x.Value(i))
	case *array.Timestamp:
		return uint64(x.Value(i))
	}
	return xxhash.Sum64String(a.ValueStr(i))
}
