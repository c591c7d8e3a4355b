package diff

import (
	"slices"
	"strconv"

	"github.com/driftgate/driftgate/contracts"
)

// The walk goes once over the two contracts, pairing what each version
// holds: schema objects, their columns (nested fields and array items
// too) and the quality rules of both. Every pair, and every element that
// only one side holds, is handed to each handler that judges that level;
// the handlers (handlers.go) hold the diff rules' knowledge and do no
// walking of their own, so a rule is one handler and one registry entry,
// whatever the nesting.

// at is where in the contracts a judged element stands: its schema object,
// its column path (empty for the schema object itself; dotted for nested
// fields, ending in [] for array items), and the node of the new contract
// a removal is reported at.
type at struct {
	schema, column string
	parent         contracts.Pos
}

// where names the element for messages: schema object "orders" or column
// "address.city".
func (a at) where() string {
	if a.column != "" {
		return "column " + strconv.Quote(a.column)
	}
	return "schema object " + strconv.Quote(a.schema)
}

// handler is one group of diff rules: the IDs it may emit and a judgement
// for each level of the walk it looks at. A nil field is a level the
// handler does not judge.
type handler struct {
	name  string
	rules []string

	contract func(d *differ, o, n *contracts.Contract)

	schemaRemoved func(d *differ, o *contracts.Schema)
	schemaAdded   func(d *differ, n *contracts.Schema)
	schema        func(d *differ, o, n *contracts.Schema)

	columnRemoved func(d *differ, a at, o *contracts.Property)
	columnAdded   func(d *differ, a at, n *contracts.Property)
	column        func(d *differ, a at, o, n *contracts.Property)

	qualityRemoved func(d *differ, a at, o *contracts.Quality)
	qualityAdded   func(d *differ, a at, n *contracts.Quality)
	quality        func(d *differ, a at, o, n *contracts.Quality)
}

// judge calls f with each handler that has the level, making it the one
// whose rules the changes recorded meanwhile must belong to.
func (d *differ) judge(has func(h *handler) bool, f func(h *handler)) {
	for i := range d.handlers {
		h := &d.handlers[i]
		if has(h) {
			d.current = h
			f(h)
		}
	}
	d.current = nil
}

func (d *differ) walk() {
	o, n := d.old, d.new
	d.judge(func(h *handler) bool { return h.contract != nil }, func(h *handler) { h.contract(d, o, n) })
	d.walkSchemas(o.Schemas, n.Schemas)
}

func (d *differ) walkSchemas(os, ns []contracts.Schema) {
	pairs, removed, added := matchByName(os, ns, func(s *contracts.Schema) string { return s.Name }, (*contracts.Schema).DataName)
	for _, i := range removed {
		s := &os[i]
		d.judge(func(h *handler) bool { return h.schemaRemoved != nil }, func(h *handler) { h.schemaRemoved(d, s) })
	}
	for _, j := range added {
		s := &ns[j]
		d.judge(func(h *handler) bool { return h.schemaAdded != nil }, func(h *handler) { h.schemaAdded(d, s) })
	}
	for _, p := range pairs {
		o, n := &os[p[0]], &ns[p[1]]
		d.judge(func(h *handler) bool { return h.schema != nil }, func(h *handler) { h.schema(d, o, n) })
		a := at{schema: n.Name, parent: n.Pos}
		d.walkColumns(a, "", o.Properties, n.Properties)
		d.walkQualities(a, o.Quality, n.Quality)
	}
}

// walkColumns pairs the columns under a (a schema object, or a column's
// nested fields when prefix is "col.").
func (d *differ) walkColumns(a at, prefix string, ops, nps []contracts.Property) {
	pairs, removed, added := matchByName(ops, nps, func(p *contracts.Property) string { return p.Name }, (*contracts.Property).DataName)
	for _, i := range removed {
		p := &ops[i]
		ca := at{schema: a.schema, column: prefix + p.DataName(), parent: a.parent}
		d.judge(func(h *handler) bool { return h.columnRemoved != nil }, func(h *handler) { h.columnRemoved(d, ca, p) })
	}
	for _, j := range added {
		p := &nps[j]
		ca := at{schema: a.schema, column: prefix + p.DataName(), parent: a.parent}
		d.judge(func(h *handler) bool { return h.columnAdded != nil }, func(h *handler) { h.columnAdded(d, ca, p) })
	}
	for _, pr := range pairs {
		d.walkColumn(a.schema, prefix, &ops[pr[0]], &nps[pr[1]])
	}
}

// walkColumn judges one pair of columns, then what they hold: quality
// rules, array items and nested fields.
func (d *differ) walkColumn(schema, prefix string, o, n *contracts.Property) {
	a := at{schema: schema, column: prefix + n.DataName(), parent: n.Pos}
	d.judge(func(h *handler) bool { return h.column != nil }, func(h *handler) { h.column(d, a, o, n) })
	d.walkQualities(a, o.Quality, n.Quality)
	if o.Items != nil && n.Items != nil {
		d.walkColumn(schema, a.column+"[].", o.Items, n.Items)
	}
	if len(o.Properties) > 0 || len(n.Properties) > 0 {
		d.walkColumns(a, a.column+".", o.Properties, n.Properties)
	}
}

// walkQualities pairs the quality rules of a schema object or column: by
// id, then name, then metric (or type) in order; a second pass pairs a
// rule that gained, lost or changed its id or name with a leftover rule
// of the same metric, an edited rule rather than a removal and an
// addition.
func (d *differ) walkQualities(a at, oq, nq []contracts.Quality) {
	pick := func(old bool, i int) *contracts.Quality {
		if old {
			return &oq[i]
		}
		return &nq[i]
	}
	occurrence := func(old bool, i int) string {
		k := qualityKind(pick(old, i))
		qs := nq
		if old {
			qs = oq
		}
		n := 0
		for j := 0; j < i; j++ {
			if qs[j].ID == "" && qs[j].Name == "" && qualityKind(&qs[j]) == k {
				n++
			}
		}
		return k + "#" + strconv.Itoa(n)
	}
	ident := func(old bool, i int) string {
		q := pick(old, i)
		if q.ID != "" {
			return "id:" + q.ID
		}
		if q.Name != "" {
			return "name:" + q.Name
		}
		return occurrence(old, i)
	}
	loose := func(old bool, i int) string { return qualityKind(pick(old, i)) }
	pairs, removed, added := match(len(oq), len(nq), ident, loose)
	for _, i := range removed {
		q := &oq[i]
		d.judge(func(h *handler) bool { return h.qualityRemoved != nil }, func(h *handler) { h.qualityRemoved(d, a, q) })
	}
	for _, j := range added {
		q := &nq[j]
		d.judge(func(h *handler) bool { return h.qualityAdded != nil }, func(h *handler) { h.qualityAdded(d, a, q) })
	}
	for _, p := range pairs {
		o, n := &oq[p[0]], &nq[p[1]]
		d.judge(func(h *handler) bool { return h.quality != nil }, func(h *handler) { h.quality(d, a, o, n) })
	}
}

// misfiled is a change recorded by a handler that does not declare its
// rule; a test walks every case and wants none.
type misfiled struct{ handler, rule string }

// claims reports whether the current handler declares rule, noting it
// when not.
func (d *differ) claims(rule string) {
	if d.current != nil && !slices.Contains(d.current.rules, rule) {
		d.misfiled = append(d.misfiled, misfiled{d.current.name, rule})
	}
}

// matchByName is match for schema objects and columns: by name, then the
// leftovers by the name in the data.
func matchByName[T any](os, ns []T, name, dataName func(*T) string) (pairs [][2]int, removed, added []int) {
	key := func(f func(*T) string) func(bool, int) string {
		return func(old bool, i int) string {
			if old {
				return f(&os[i])
			}
			return f(&ns[i])
		}
	}
	return match(len(os), len(ns), key(name), key(dataName))
}

// match pairs old and new elements: first by key, then the leftovers by a
// second key (the name in the data), so a logical rename is not a removal.
// It returns the pairs and the unmatched indices.
func match(nOld, nNew int, key, key2 func(old bool, i int) string) (pairs [][2]int, removed, added []int) {
	usedNew := make([]bool, nNew)
	usedOld := make([]bool, nOld)
	for _, k := range []func(bool, int) string{key, key2} {
		for i := 0; i < nOld; i++ {
			if usedOld[i] {
				continue
			}
			for j := 0; j < nNew; j++ {
				if !usedNew[j] && k(true, i) == k(false, j) {
					pairs = append(pairs, [2]int{i, j})
					usedOld[i], usedNew[j] = true, true
					break
				}
			}
		}
	}
	for i, u := range usedOld {
		if !u {
			removed = append(removed, i)
		}
	}
	for j, u := range usedNew {
		if !u {
			added = append(added, j)
		}
	}
	return pairs, removed, added
}
