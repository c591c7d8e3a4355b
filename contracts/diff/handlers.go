package diff

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/contracts"
)

// handlers are the diff rules as the walk feeds them (walk.go): each
// names the rules it emits and judges the levels it needs. The rule
// values themselves (severity, side, docs) are the registry, Rules.
func handlers() []handler {
	return []handler{
		{name: "contract identity", rules: []string{ContractIDChanged, StatusDeprecated, StatusChanged, NameChanged},
			contract: (*differ).contractIdentity},
		{name: "schema objects", rules: []string{SchemaRemoved, SchemaAdded},
			schemaRemoved: (*differ).schemaRemoved, schemaAdded: (*differ).schemaAdded},
		{name: "schema object names", rules: []string{NameChanged, SchemaRenamed},
			schema: (*differ).schemaNames},
		{name: "primary key", rules: []string{PrimaryKeyChanged},
			schema: (*differ).primaryKey},
		{name: "columns", rules: []string{ColumnRemoved, ColumnAddedRequired, ColumnAddedOptional},
			columnRemoved: (*differ).columnRemoved, columnAdded: (*differ).columnAdded},
		{name: "column names", rules: []string{NameChanged, ColumnRenamed},
			column: (*differ).columnNames},
		{name: "types", rules: []string{TypeWidened, TypeNarrowed, TypeChanged},
			column: (*differ).types},
		{name: "required and unique", rules: []string{RequiredAdded, RequiredRemoved, UniqueAdded, UniqueRemoved},
			column: (*differ).flags},
		{name: "ranges", rules: []string{RangeTightened, RangeLoosened, RangeChanged},
			column: (*differ).bounds},
		{name: "lengths", rules: []string{LengthTightened, LengthLoosened},
			column: (*differ).lengths},
		{name: "patterns and formats", rules: []string{PatternAdded, PatternRemoved, PatternChanged, FormatAdded, FormatRemoved, FormatChanged},
			column: (*differ).patterns, quality: (*differ).qualityPattern},
		{name: "quality rules", rules: []string{QualityRemoved, QualityAdded},
			qualityRemoved: (*differ).qualityRemoved, qualityAdded: (*differ).qualityAdded},
		{name: "quality definitions", rules: []string{QualityChanged, ValidValuesAdded, ValidValuesRemoved},
			quality: (*differ).qualityDefinition},
		{name: "quality thresholds", rules: []string{QualityTightened, QualityLoosened, QualityChanged},
			quality: (*differ).qualityThreshold},
		{name: "descriptions", rules: []string{DescriptionChanged},
			schema: (*differ).schemaDescription, column: (*differ).columnDescription, quality: (*differ).qualityDescription},
	}
}

func (d *differ) contractIdentity(o, n *contracts.Contract) {
	if o.ID != n.ID {
		d.add(ContractIDChanged, "", "", posOr(n.KeyPos["id"], n.Pos), o.ID, n.ID, "contract id %q → %q", o.ID, n.ID)
	}
	if o.Status != n.Status {
		rule := StatusChanged
		if !contracts.Usable(n.Status) && strings.ToLower(n.Status) != "draft" && contracts.Usable(o.Status) {
			rule = StatusDeprecated
		}
		d.add(rule, "", "", posOr(n.KeyPos["status"], n.Pos), o.Status, n.Status, "status %s → %s", show(o.Status), show(n.Status))
	}
	if o.Name != n.Name {
		d.add(NameChanged, "", "", posOr(n.KeyPos["name"], n.Pos), o.Name, n.Name, "contract name %s → %s", show(o.Name), show(n.Name))
	}
}

func (d *differ) schemaRemoved(s *contracts.Schema) {
	d.gone(SchemaRemoved, s.Name, "", posOr(d.new.KeyPos["schema"], d.new.Pos), s.Name, "schema object %q removed (it had %s)", s.Name, plural(len(s.Properties), "column", "columns"))
}

func (d *differ) schemaAdded(s *contracts.Schema) {
	d.add(SchemaAdded, s.Name, "", s.Pos, "", s.Name, "schema object %q added with %s", s.Name, plural(len(s.Properties), "column", "columns"))
}

func (d *differ) schemaNames(o, n *contracts.Schema) {
	if o.Name != n.Name {
		d.add(NameChanged, n.Name, "", n.Pos, o.Name, n.Name, "schema object name %q → %q (physicalName %q unchanged)", o.Name, n.Name, n.DataName())
	}
	if o.DataName() != n.DataName() {
		d.add(SchemaRenamed, n.Name, "", n.Pos, o.DataName(), n.DataName(), "schema object %q: physical name %q → %q", n.Name, o.DataName(), n.DataName())
	}
}

func (d *differ) schemaDescription(o, n *contracts.Schema) {
	if o.Description != n.Description {
		d.add(DescriptionChanged, n.Name, "", n.Pos, o.Description, n.Description, "schema object %q: description changed", n.Name)
	}
}

func (d *differ) columnRemoved(a at, p *contracts.Property) {
	d.gone(ColumnRemoved, a.schema, a.column, a.parent, typeText(p), "column %q (%s) removed", a.column, typeText(p))
}

func (d *differ) columnAdded(a at, p *contracts.Property) {
	if p.Required || p.PrimaryKey {
		d.add(ColumnAddedRequired, a.schema, a.column, p.Pos, "", typeText(p), "required column %q (%s) added; data written for the old version lacks it", a.column, typeText(p))
	} else {
		d.add(ColumnAddedOptional, a.schema, a.column, p.Pos, "", typeText(p), "optional column %q (%s) added", a.column, typeText(p))
	}
}

func (d *differ) columnNames(a at, o, n *contracts.Property) {
	if o.Name != n.Name {
		d.add(NameChanged, a.schema, a.column, n.PosOf("name"), o.Name, n.Name, "column %q: name %q → %q (the name in the data is unchanged)", a.column, o.Name, n.Name)
	}
	if o.DataName() != n.DataName() {
		d.add(ColumnRenamed, a.schema, a.column, n.PosOf("physicalName"), o.DataName(), n.DataName(), "column %q: name in the data %q → %q", n.Name, o.DataName(), n.DataName())
	}
}

func (d *differ) columnDescription(a at, o, n *contracts.Property) {
	if o.Description != n.Description {
		d.add(DescriptionChanged, a.schema, a.column, n.PosOf("description"), o.Description, n.Description, "column %q: description changed", a.column)
	}
}

func (d *differ) flags(a at, o, n *contracts.Property) {
	d.flag(a.schema, a.column, "required", o.Required, n.Required, RequiredAdded, RequiredRemoved, n)
	d.flag(a.schema, a.column, "unique", o.Unique, n.Unique, UniqueAdded, UniqueRemoved, n)
}

func (d *differ) patterns(a at, o, n *contracts.Property) {
	d.text(a.schema, a.column, "pattern", o.Options.Pattern, n.Options.Pattern, n.PosOf("pattern"), PatternAdded, PatternRemoved, PatternChanged)
	d.text(a.schema, a.column, "format", o.Options.Format, n.Options.Format, n.PosOf("format"), FormatAdded, FormatRemoved, FormatChanged)
}

func (d *differ) qualityPattern(a at, o, n *contracts.Quality) {
	if sameMetric(o, n) {
		d.text(a.schema, a.column, "quality rule "+qualityLabel(n)+" pattern", o.Arguments.Pattern, n.Arguments.Pattern, n.Pos, PatternAdded, PatternRemoved, PatternChanged)
	}
}

func (d *differ) qualityRemoved(a at, q *contracts.Quality) {
	d.gone(QualityRemoved, a.schema, a.column, a.parent, qualityText(q), "%s: quality rule %s removed", a.where(), qualityText(q))
}

func (d *differ) qualityAdded(a at, q *contracts.Quality) {
	d.add(QualityAdded, a.schema, a.column, q.Pos, "", qualityText(q), "%s: quality rule %s added", a.where(), qualityText(q))
}

func (d *differ) qualityDescription(a at, o, n *contracts.Quality) {
	if sameMetric(o, n) && (o.Description != n.Description || o.Name != n.Name && o.ID != "" && o.ID == n.ID) {
		d.add(DescriptionChanged, a.schema, a.column, n.Pos, o.Description, n.Description, "%s: quality rule %s: description or name changed", a.where(), qualityLabel(n))
	}
}

func (d *differ) flag(schema, col, key string, o, n bool, added, removed string, np *contracts.Property) {
	switch {
	case !o && n:
		d.add(added, schema, col, np.PosOf(key), "false", "true", "column %q: %s false → true", col, key)
	case o && !n:
		d.add(removed, schema, col, np.PosOf(key), "true", "false", "column %q: %s true → false", col, key)
	}
}

func (d *differ) text(schema, col, key, o, n string, pos contracts.Pos, added, removed, changed string) {
	switch {
	case o == n:
	case o == "":
		d.add(added, schema, col, pos, "", n, "column %q: %s %q added", col, key, n)
	case n == "":
		d.add(removed, schema, col, pos, o, "", "column %q: %s %q removed", col, key, o)
	default:
		d.add(changed, schema, col, pos, o, n, "column %q: %s %q → %q", col, key, o, n)
	}
}

// types compares the value domains of the two declarations.
func (d *differ) types(at at, o, n *contracts.Property) {
	schema, col := at.schema, at.column
	a, b := o.Type(d.oldDialect).Domain, n.Type(d.newDialect).Domain
	pos := n.PosOf("physicalType")
	if n.PhysicalType == "" {
		pos = n.PosOf("logicalType")
	}
	ot, nt := typeText(o), typeText(n)
	wider, _ := b.Contains(a)
	narrower, _ := a.Contains(b)
	switch {
	case wider && narrower:
		return // the same domain, perhaps spelled differently
	case wider:
		d.add(TypeWidened, schema, col, pos, ot, nt, "column %q: type %s → %s widens; consumers may receive values the old type could not hold", col, ot, nt)
	case narrower:
		d.add(TypeNarrowed, schema, col, pos, ot, nt, "column %q: type %s → %s narrows; data of the old type may not fit", col, ot, nt)
	default:
		d.add(TypeChanged, schema, col, pos, ot, nt, "column %q: type %s → %s is incompatible", col, ot, nt)
	}
}

// bounds compares the lower and upper bounds and multipleOf of a column.
// Bounds are read with each version's own format, exactly.
func (d *differ) bounds(a at, o, n *contracts.Property) {
	schema, col := a.schema, a.column
	olo, ohi, oerr := o.Range(d.old.Path)
	nlo, nhi, nerr := n.Range(d.new.Path)
	for _, lower := range []bool{true, false} {
		ob, nb := ohi, nhi
		if lower {
			ob, nb = olo, nlo
		}
		pos := n.Pos
		if nb != nil {
			pos = nb.Pos
		}
		verdict := 0 // +1 tightened, -1 loosened, 2 unordered
		switch {
		case oerr != nil || nerr != nil:
			// A bound that does not parse is a lint error; the texts
			// can still be compared.
			_, ot := rawBound(o, lower)
			key, nt := rawBound(n, lower)
			if ot != nt {
				d.rangeChange(schema, col, n.PosOf(key), ot, nt, 2)
			}
			continue
		case ob == nil && nb == nil:
			continue
		case ob == nil:
			verdict = 1
		case nb == nil:
			verdict = -1
		default:
			c, ok := contracts.CompareBounds(ob, nb, lower)
			verdict = c
			if !ok {
				verdict = 2
			}
		}
		d.rangeChange(schema, col, pos, ob.String(), nb.String(), verdict)
	}
	om, _ := o.MultipleOf(d.old.Path)
	nm, _ := n.MultipleOf(d.new.Path)
	switch {
	case om == nil && nm == nil:
	case om == nil:
		d.rangeChange(schema, col, n.PosOf("multipleOf"), "", "multipleOf "+nm.String(), 1)
	case nm == nil:
		d.rangeChange(schema, col, n.Pos, "multipleOf "+om.String(), "", -1)
	case om.Cmp(nm) != 0:
		v := 2
		if nm.IsMultipleOf(om) {
			v = 1
		} else if om.IsMultipleOf(nm) {
			v = -1
		}
		d.rangeChange(schema, col, n.PosOf("multipleOf"), "multipleOf "+om.String(), "multipleOf "+nm.String(), v)
	}
}

// rawBound is a property's lower or upper bound as written, and its key.
func rawBound(p *contracts.Property, lower bool) (key, text string) {
	o := &p.Options
	keys := []string{contracts.KeyMaximum, contracts.KeyExclusiveMaximum}
	vals := []any{o.Maximum, o.ExclusiveMaximum}
	if lower {
		keys = []string{contracts.KeyMinimum, contracts.KeyExclusiveMinimum}
		vals = []any{o.Minimum, o.ExclusiveMinimum}
	}
	for i, v := range vals {
		if v != nil {
			if lit, ok := o.Literals[keys[i]]; ok {
				return keys[i], keys[i] + " " + lit
			}
			return keys[i], fmt.Sprintf("%s %v", keys[i], v)
		}
	}
	return "", ""
}

func (d *differ) rangeChange(schema, col string, pos contracts.Pos, o, n string, verdict int) {
	msg := fmt.Sprintf("column %q: %s → %s", col, cmp.Or(o, "(no bound)"), cmp.Or(n, "(no bound)"))
	switch verdict {
	case 1:
		d.add(RangeTightened, schema, col, pos, o, n, "%s allows fewer values", msg)
	case -1:
		d.add(RangeLoosened, schema, col, pos, o, n, "%s allows more values", msg)
	case 2:
		d.add(RangeChanged, schema, col, pos, o, n, "%s cannot be ordered", msg)
	}
}

// lengths compares minLength/maxLength and minItems/maxItems.
func (d *differ) lengths(a at, o, n *contracts.Property) {
	d.lengthPair(a.schema, a.column, n, "minLength", "maxLength", o.Options.MinLength, n.Options.MinLength, o.Options.MaxLength, n.Options.MaxLength)
	d.lengthPair(a.schema, a.column, n, "minItems", "maxItems", o.Options.MinItems, n.Options.MinItems, o.Options.MaxItems, n.Options.MaxItems)
}

func (d *differ) lengthPair(schema, col string, n *contracts.Property, minKey, maxKey string, omin, nmin, omax, nmax *int64) {
	text := func(key string, v *int64) string {
		if v == nil {
			return ""
		}
		return fmt.Sprintf("%s %d", key, *v)
	}
	for _, lower := range []bool{true, false} {
		o, nv, key := omax, nmax, maxKey
		if lower {
			o, nv, key = omin, nmin, minKey
		}
		verdict := 0
		switch {
		case o == nil && nv == nil:
			continue
		case o == nil:
			verdict = 1
		case nv == nil:
			verdict = -1
		default:
			verdict = cmp.Compare(*nv, *o)
			if !lower {
				verdict = -verdict
			}
		}
		if verdict == 0 {
			continue
		}
		ot, nt := text(key, o), text(key, nv)
		msg := fmt.Sprintf("column %q: %s → %s", col, cmp.Or(ot, "(no bound)"), cmp.Or(nt, "(no bound)"))
		pos := n.Pos
		if nv != nil {
			pos = n.PosOf(key)
		}
		if verdict > 0 {
			d.add(LengthTightened, schema, col, pos, ot, nt, "%s allows fewer values", msg)
		} else {
			d.add(LengthLoosened, schema, col, pos, ot, nt, "%s allows more values", msg)
		}
	}
}

// primaryKey compares the ordered key columns of a schema object.
func (d *differ) primaryKey(o, n *contracts.Schema) {
	ok, nk := keyColumns(o), keyColumns(n)
	if slices.Equal(ok, nk) {
		return
	}
	pos := n.Pos
	for i := range n.Properties {
		if n.Properties[i].PrimaryKey {
			pos = n.Properties[i].PosOf("primaryKey")
			break
		}
	}
	ot, nt := keyText(ok), keyText(nk)
	d.add(PrimaryKeyChanged, n.Name, "", pos, ot, nt, "schema object %q: primary key %s → %s", n.Name, ot, nt)
}

func keyColumns(s *contracts.Schema) []string {
	type kc struct {
		name string
		pos  int
	}
	var ks []kc
	for i, p := range s.Properties {
		if p.PrimaryKey {
			pos := p.PrimaryKeyPosition
			if pos <= 0 {
				pos = math.MaxInt32 + i // unpositioned keys keep declaration order, after positioned ones
			}
			ks = append(ks, kc{p.DataName(), pos})
		}
	}
	slices.SortStableFunc(ks, func(a, b kc) int { return cmp.Compare(a.pos, b.pos) })
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.name
	}
	return out
}

func keyText(k []string) string {
	if len(k) == 0 {
		return "(none)"
	}
	return "(" + strings.Join(k, ", ") + ")"
}

func qualityKind(q *contracts.Quality) string {
	return q.Type + "/" + q.Metric
}

func qualityText(q *contracts.Quality) string {
	label := cmp.Or(q.Name, q.ID, q.Metric, q.Rule, q.Type)
	s := strconv.Quote(label)
	if q.Operator.Kind != "" {
		s += " " + q.Operator.String()
	}
	if q.Unit == "percent" {
		s += "%"
	}
	return s
}

// qualityLabel names a quality rule in messages.
func qualityLabel(q *contracts.Quality) string {
	return strconv.Quote(cmp.Or(q.Name, q.ID, q.Metric, q.Rule, q.Type))
}

// sameMetric says two paired quality rules measure the same thing; when
// they do not, the rule changed as a whole (QUALITY_CHANGED) and its
// parts are not compared.
func sameMetric(o, n *contracts.Quality) bool { return o.Type == n.Type && o.Metric == n.Metric }

// qualityDefinition compares what a paired quality rule measures: metric,
// unit, query, engine and arguments; a validValues list that grows or
// shrinks is VALID_VALUES_ADDED/REMOVED.
func (d *differ) qualityDefinition(a at, o, n *contracts.Quality) {
	label := qualityLabel(n)
	changed := func(what, ov, nv string) {
		d.add(QualityChanged, a.schema, a.column, n.Pos, ov, nv, "%s: quality rule %s: %s %s → %s", a.where(), label, what, show(ov), show(nv))
	}
	if !sameMetric(o, n) {
		changed("metric", qualityKind(o), qualityKind(n))
		return
	}
	if cmp.Or(o.Unit, "rows") != cmp.Or(n.Unit, "rows") {
		changed("unit", o.Unit, n.Unit)
	}
	if o.Query != n.Query {
		changed("query", o.Query, n.Query)
	}
	if o.Engine != n.Engine {
		changed("engine", o.Engine, n.Engine)
	}
	if !slices.Equal(o.Arguments.Properties, n.Arguments.Properties) {
		changed("properties", strings.Join(o.Arguments.Properties, ", "), strings.Join(n.Arguments.Properties, ", "))
	}
	if !sameValues(o.Arguments.MissingValues, n.Arguments.MissingValues) {
		changed("missingValues", valuesText(o.Arguments.MissingValues), valuesText(n.Arguments.MissingValues))
	}
	ov, nv := o.Arguments.ValidValues, n.Arguments.ValidValues
	addedV, removedV := valueDiff(ov, nv)
	switch {
	case len(addedV)+len(removedV) == 0:
	case len(ov) == 0 || len(nv) == 0:
		// Going from no list to a list (or back) changes the rule's
		// meaning, not just its set.
		changed("validValues", valuesText(ov), valuesText(nv))
	default:
		if len(addedV) > 0 {
			d.add(ValidValuesAdded, a.schema, a.column, n.Pos, valuesText(ov), valuesText(nv),
				"%s: quality rule %s now also allows %s", a.where(), label, valuesText(addedV))
		}
		if len(removedV) > 0 {
			d.add(ValidValuesRemoved, a.schema, a.column, n.Pos, valuesText(ov), valuesText(nv),
				"%s: quality rule %s no longer allows %s", a.where(), label, valuesText(removedV))
		}
	}
}

// qualityThreshold compares what a paired quality rule accepts: its
// operator's set of results, and its severity.
func (d *differ) qualityThreshold(a at, o, n *contracts.Quality) {
	if !sameMetric(o, n) {
		return
	}
	label := qualityLabel(n)
	if v := compareOperators(o.Operator, n.Operator); v != 0 {
		ot, nt := o.Operator.String(), n.Operator.String()
		switch v {
		case 1:
			d.add(QualityTightened, a.schema, a.column, n.Pos, ot, nt, "%s: quality rule %s: %s → %s accepts fewer results", a.where(), label, ot, nt)
		case -1:
			d.add(QualityLoosened, a.schema, a.column, n.Pos, ot, nt, "%s: quality rule %s: %s → %s accepts more results", a.where(), label, ot, nt)
		default:
			d.add(QualityChanged, a.schema, a.column, n.Pos, ot, nt, "%s: quality rule %s: %s → %s", a.where(), label, ot, nt)
		}
	}
	if os, ns := severityRank(o.Severity), severityRank(n.Severity); os != ns {
		ot, nt := cmp.Or(o.Severity, "error"), cmp.Or(n.Severity, "error")
		rule := QualityLoosened
		if ns > os {
			rule = QualityTightened
		}
		d.add(rule, a.schema, a.column, n.Pos, ot, nt, "%s: quality rule %s: severity %s → %s", a.where(), label, ot, nt)
	}
}

// severityRank mirrors how the checker reads a quality severity: error
// unless it says warning or info.
func severityRank(s string) int {
	switch strings.ToLower(s) {
	case "warning", "warn", "medium":
		return 2
	case "info", "low", "notice":
		return 1
	}
	return 3
}

func valueKey(v any) string { return fmt.Sprintf("%T:%v", v, v) }

func sameValues(a, b []any) bool {
	x, y := valueDiff(a, b)
	return len(x) == 0 && len(y) == 0
}

// valueDiff returns the values in b but not a, and in a but not b.
func valueDiff(a, b []any) (added, removed []any) {
	in := func(xs []any, v any) bool {
		return slices.ContainsFunc(xs, func(x any) bool { return valueKey(x) == valueKey(v) })
	}
	for _, v := range b {
		if !in(a, v) {
			added = append(added, v)
		}
	}
	for _, v := range a {
		if !in(b, v) {
			removed = append(removed, v)
		}
	}
	return added, removed
}

func valuesText(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		switch v := v.(type) {
		case nil:
			parts[i] = "null"
		case string:
			parts[i] = strconv.Quote(v)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// interval is a set of reals with open or closed ends; infinite ends are
// open.
type interval struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

// accepted is the set of metric results an operator passes, as disjoint
// intervals.
func accepted(o contracts.Operator) []interval {
	inf := math.Inf(1)
	switch o.Kind {
	case contracts.MustBe:
		return []interval{{o.Value, o.Value, false, false}}
	case contracts.MustNotBe:
		return []interval{{-inf, o.Value, true, true}, {o.Value, inf, true, true}}
	case contracts.MustBeGreaterThan:
		return []interval{{o.Value, inf, true, true}}
	case contracts.MustBeGreaterOrEqualTo:
		return []interval{{o.Value, inf, false, true}}
	case contracts.MustBeLessThan:
		return []interval{{-inf, o.Value, true, true}}
	case contracts.MustBeLessOrEqualTo:
		return []interval{{-inf, o.Value, true, false}}
	case contracts.MustBeBetween:
		return []interval{{o.Low, o.High, false, false}}
	case contracts.MustNotBeBetween:
		return []interval{{-inf, o.Low, true, true}, {o.High, inf, true, true}}
	}
	return []interval{{-inf, inf, true, true}}
}

func (x interval) within(y interval) bool {
	loOK := y.lo < x.lo || y.lo == x.lo && (!y.loOpen || x.loOpen)
	hiOK := y.hi > x.hi || y.hi == x.hi && (!y.hiOpen || x.hiOpen)
	return loOK && hiOK
}

// subset reports a ⊆ b. Each interval of a is connected and those of b are
// disjoint, so a's interval must lie within one of b's.
func subset(a, b []interval) bool {
	for _, x := range a {
		if !slices.ContainsFunc(b, x.within) {
			return false
		}
	}
	return true
}

// compareOperators returns 0 when both accept the same results, +1 when the
// new one accepts fewer, -1 when more, 2 when neither contains the other.
func compareOperators(o, n contracts.Operator) int {
	a, b := accepted(o), accepted(n)
	ab, ba := subset(a, b), subset(b, a)
	switch {
	case ab && ba:
		return 0
	case ba:
		return 1
	case ab:
		return -1
	}
	return 2
}
