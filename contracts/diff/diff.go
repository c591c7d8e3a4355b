// Package diff finds the changes between versions of a contract and
// classifies them by whom they break, like buf's breaking-change rules:
// each rule is a value with a stable ID (Rules), and each has a
// previous/current case under testdata/breaking/<RULE>/.
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

// Options configures Contracts and Catalogs.
type Options struct {
	// Mode is the compatibility the contract promises; empty means full.
	Mode Mode
	// Except lists rule IDs to leave out for this run. The new contract can
	// add its own with the top-level custom property driftgate.except (a
	// list of rule IDs, or one string of IDs separated by commas or spaces).
	Except []string
	// Transitive makes Catalogs compare a new version with every
	// earlier version, not only the one before it.
	Transitive bool
}

// ExceptProperty is the custom property through which a contract excepts
// diff rules for itself, like the except list of buf's configuration.
const ExceptProperty = "driftgate.except"

// Change is one difference between two versions of a contract.
type Change struct {
	Rule string
	// Breaks is whom the change can break (the rule's side).
	Breaks Side
	// Breaking says whether the change breaks a side the mode enforces.
	Breaking bool
	// Severity is "error", "warning" or "info" under the mode.
	Severity string

	ContractID string
	// ContractName is the contract's name (empty when it has none): what
	// reports show, the id being for machines.
	ContractName string
	OldVersion   string
	NewVersion   string
	// Schema and Column locate the change; Column is a dotted path for
	// nested fields (address.city) and ends in [] for array items.
	Schema string
	Column string
	// Message states the change with its old and new values.
	Message string
	// Old and New are the changed values as short text; empty when absent.
	Old, New string
	// File and Pos are the changed node: in the new contract, or in the old
	// one when the node was removed.
	File string
	Pos  contracts.Pos
}

// Contracts compares two versions of a contract and returns every change,
// classified under opts.Mode and in a stable order. A breaking change is
// an error unless the new version bumps the major version (semver's
// permission to break), where it is a warning. It does no I/O. The
// semantic-versioning gate (VERSION_*) runs only when both versions parse
// (see contracts.ContractVersion); callers that gate should reject unparsable
// versions first.
func Contracts(old, new *contracts.Contract, opts Options) []Change {
	if opts.Mode == "" {
		opts.Mode = ModeFull
	}
	d := &differ{old: old, new: new, oldDialect: old.Dialect(""), newDialect: new.Dialect("")}
	d.contract()
	return finishChanges(old, new, d.changes, opts)
}

// finishChanges drops excepted rules, classifies under the mode, adds the
// semver gate and sorts.
func finishChanges(old, new *contracts.Contract, raw []Change, opts Options) []Change {
	except := map[string]bool{}
	for _, id := range opts.Except {
		except[id] = true
	}
	if new != nil {
		for _, id := range ContractExcept(new) {
			except[id] = true
		}
	}
	var out []Change
	for _, c := range raw {
		if except[c.Rule] {
			continue
		}
		classify(&c, opts.Mode)
		out = append(out, c)
	}
	if old != nil && new != nil {
		gate, allowed := versionGate(old, new, out)
		if allowed {
			// Semver allows breaking changes in a new major version: they
			// stay in the report (and the changelog) as warnings, so the
			// gate stops only breaks that the version does not announce.
			for i := range out {
				if out[i].Breaking && out[i].Severity == "error" {
					out[i].Severity = "warning"
				}
			}
		}
		for _, c := range gate {
			if !except[c.Rule] {
				classify(&c, opts.Mode)
				out = append(out, c)
			}
		}
	}
	for i := range out {
		c := &out[i]
		if old != nil {
			c.OldVersion = old.Version
		}
		if new != nil {
			c.NewVersion = new.Version
			c.ContractID, c.ContractName = new.ID, new.Name
		} else if old != nil {
			c.ContractID, c.ContractName = old.ID, old.Name
		}
	}
	Sort(out)
	return out
}

// Sort puts changes in their canonical order: contract, schema,
// column, rule, message.
func Sort(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		return cmp.Or(
			strings.Compare(a.ContractID, b.ContractID),
			strings.Compare(a.NewVersion, b.NewVersion),
			strings.Compare(a.OldVersion, b.OldVersion),
			strings.Compare(a.Schema, b.Schema),
			strings.Compare(a.Column, b.Column),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message),
		)
	})
}

func classify(c *Change, m Mode) {
	r, ok := Lookup(c.Rule)
	if !ok {
		// Every rule the differ emits is registered (a test checks it);
		// an unknown one is still shown rather than dropped.
		c.Severity = "error"
		return
	}
	c.Breaks = r.Breaks
	c.Breaking = m.Breaking(r.Breaks)
	c.Severity = r.Severity
	if r.Breaks != BreaksNone && !c.Breaking {
		c.Severity = "info"
	}
}

// ContractExcept returns the rule IDs a contract excepts for itself.
func ContractExcept(c *contracts.Contract) []string {
	var ids []string
	add := func(s string) {
		ids = append(ids, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })...)
	}
	switch v := c.CustomProperties[ExceptProperty].(type) {
	case string:
		add(v)
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				add(s)
			}
		}
	}
	return ids
}

// versionGate applies semantic versioning to the classified changes. It
// also reports whether the new version may break (a major bump).
func versionGate(old, new *contracts.Contract, changes []Change) (gate []Change, breakAllowed bool) {
	ov, err1 := contracts.ContractVersion(old)
	nv, err2 := contracts.ContractVersion(new)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	at := func(rule, msg, want string) Change {
		return Change{Rule: rule, Message: msg, Old: old.Version, New: cmp.Or(want, new.Version), File: new.Path, Pos: posOr(new.KeyPos["version"], new.Pos)}
	}
	if nv.Compare(ov) < 0 {
		return []Change{at(VersionDecreased, fmt.Sprintf("version went down: %s → %s; a new version must be higher than the one it replaces", old.Version, new.Version), "")}, false
	}
	var breaking, content []string
	for _, c := range changes {
		r, _ := Lookup(c.Rule)
		switch {
		case c.Breaking:
			breaking = append(breaking, c.Rule)
		case r.Category != CategoryDocumentation && r.Category != CategoryLifecycle && r.Category != CategoryVersion:
			content = append(content, c.Rule)
		}
	}
	// Semver: 0.y.z may change anything, and by the usual convention (Cargo,
	// npm carets) a minor bump of 0.y is the breaking bump. A pre-release
	// promises nothing to its own release.
	majorBumped := nv.Major > ov.Major || ov.Major == 0 && nv.Major == 0 && nv.Minor > ov.Minor ||
		len(ov.Pre) > 0 && nv.Major == ov.Major && nv.Minor == ov.Minor && nv.Patch == ov.Patch
	minorBumped := majorBumped || nv.Minor > ov.Minor
	switch {
	case len(breaking) > 0 && !majorBumped:
		want := fmt.Sprintf("%d.0.0", ov.Major+1)
		if ov.Major == 0 {
			want = fmt.Sprintf("0.%d.0", ov.Minor+1)
		}
		return []Change{at(VersionBumpRequired, fmt.Sprintf("%s breaking under this mode (%s) but version %s → %s keeps major %d; want %s or higher",
			plural(len(breaking), "change is", "changes are"), summarize(breaking), old.Version, new.Version, ov.Major, want), want)}, false
	case len(breaking) == 0 && len(content) > 0 && !minorBumped:
		want := fmt.Sprintf("%d.%d.0", ov.Major, ov.Minor+1)
		return []Change{at(VersionBumpSuggested, fmt.Sprintf("%s (%s) but version %s → %s bumps neither major nor minor; want %s or higher",
			plural(len(content), "compatible change", "compatible changes"), summarize(content), old.Version, new.Version, want), want)}, majorBumped
	}
	return nil, majorBumped
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// summarize lists distinct rule IDs in order of first appearance.
func summarize(rules []string) string {
	var seen []string
	for _, r := range rules {
		if !slices.Contains(seen, r) {
			seen = append(seen, r)
		}
	}
	return strings.Join(seen, ", ")
}

func posOr(p, fallback contracts.Pos) contracts.Pos {
	if p.Line > 0 {
		return p
	}
	return fallback
}

// differ accumulates the changes between two contracts.
type differ struct {
	old, new *contracts.Contract
	// oldDialect and newDialect are the vocabularies each version's
	// physicalTypes are read in.
	oldDialect, newDialect contracts.Dialect
	changes                []Change
}

// add records a change at a node of the new contract.
func (d *differ) add(rule, schema, column string, pos contracts.Pos, old, new, format string, args ...any) {
	d.changes = append(d.changes, Change{Rule: rule, Schema: schema, Column: column, Old: old, New: new,
		Message: fmt.Sprintf(format, args...), File: d.new.Path, Pos: pos})
}

// gone records a removal. It points at the parent of the removed node in
// the new contract (the schema object or property that lost a column or
// rule), so a pull-request annotation lands on a line of the changed file
// rather than on the old revision, which the review cannot show.
func (d *differ) gone(rule, schema, column string, parent contracts.Pos, old, format string, args ...any) {
	d.changes = append(d.changes, Change{Rule: rule, Schema: schema, Column: column, Old: old,
		Message: fmt.Sprintf(format, args...), File: d.new.Path, Pos: parent})
}

func (d *differ) contract() {
	o, n := d.old, d.new
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
	d.schemas()
}

func show(s string) string {
	if s == "" {
		return "(none)"
	}
	return strconv.Quote(s)
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

func (d *differ) schemas() {
	os, ns := d.old.Schemas, d.new.Schemas
	pick := func(old bool, i int) *contracts.Schema {
		if old {
			return &os[i]
		}
		return &ns[i]
	}
	pairs, removed, added := match(len(os), len(ns),
		func(old bool, i int) string { return pick(old, i).Name },
		func(old bool, i int) string { return pick(old, i).DataName() })
	for _, i := range removed {
		s := &os[i]
		d.gone(SchemaRemoved, s.Name, "", posOr(d.new.KeyPos["schema"], d.new.Pos), s.Name, "schema object %q removed (it had %s)", s.Name, plural(len(s.Properties), "column", "columns"))
	}
	for _, j := range added {
		s := &ns[j]
		d.add(SchemaAdded, s.Name, "", s.Pos, "", s.Name, "schema object %q added with %s", s.Name, plural(len(s.Properties), "column", "columns"))
	}
	for _, p := range pairs {
		o, n := &os[p[0]], &ns[p[1]]
		if o.Name != n.Name {
			d.add(NameChanged, n.Name, "", n.Pos, o.Name, n.Name, "schema object name %q → %q (physicalName %q unchanged)", o.Name, n.Name, n.DataName())
		}
		if o.DataName() != n.DataName() {
			d.add(SchemaRenamed, n.Name, "", n.Pos, o.DataName(), n.DataName(), "schema object %q: physical name %q → %q", n.Name, o.DataName(), n.DataName())
		}
		if o.Description != n.Description {
			d.add(DescriptionChanged, n.Name, "", n.Pos, o.Description, n.Description, "schema object %q: description changed", n.Name)
		}
		d.properties(n.Name, "", n.Pos, o.Properties, n.Properties)
		d.primaryKey(o, n)
		d.qualities(n.Name, "", n.Pos, o.Quality, n.Quality)
	}
}

func (d *differ) properties(schema, prefix string, parent contracts.Pos, ops, nps []contracts.Property) {
	pick := func(old bool, i int) *contracts.Property {
		if old {
			return &ops[i]
		}
		return &nps[i]
	}
	pairs, removed, added := match(len(ops), len(nps),
		func(old bool, i int) string { return pick(old, i).Name },
		func(old bool, i int) string { return pick(old, i).DataName() })
	for _, i := range removed {
		p := &ops[i]
		col := prefix + p.DataName()
		d.gone(ColumnRemoved, schema, col, parent, typeText(p), "column %q (%s) removed", col, typeText(p))
	}
	for _, j := range added {
		p := &nps[j]
		col := prefix + p.DataName()
		if p.Required || p.PrimaryKey {
			d.add(ColumnAddedRequired, schema, col, p.Pos, "", typeText(p), "required column %q (%s) added; data written for the old version lacks it", col, typeText(p))
		} else {
			d.add(ColumnAddedOptional, schema, col, p.Pos, "", typeText(p), "optional column %q (%s) added", col, typeText(p))
		}
	}
	for _, pr := range pairs {
		d.property(schema, prefix, &ops[pr[0]], &nps[pr[1]])
	}
}

func typeText(p *contracts.Property) string {
	switch {
	case p.PhysicalType != "" && p.LogicalType != "":
		return p.LogicalType + " " + p.PhysicalType
	case p.PhysicalType != "":
		return p.PhysicalType
	case p.LogicalType != "":
		return p.LogicalType
	}
	return "any type"
}

func (d *differ) property(schema, prefix string, o, n *contracts.Property) {
	col := prefix + n.DataName()
	if o.Name != n.Name {
		d.add(NameChanged, schema, col, n.PosOf("name"), o.Name, n.Name, "column %q: name %q → %q (the name in the data is unchanged)", col, o.Name, n.Name)
	}
	if o.DataName() != n.DataName() {
		d.add(ColumnRenamed, schema, col, n.PosOf("physicalName"), o.DataName(), n.DataName(), "column %q: name in the data %q → %q", n.Name, o.DataName(), n.DataName())
	}
	d.types(schema, col, o, n)
	d.flag(schema, col, "required", o.Required, n.Required, RequiredAdded, RequiredRemoved, n)
	d.flag(schema, col, "unique", o.Unique, n.Unique, UniqueAdded, UniqueRemoved, n)
	d.bounds(schema, col, o, n)
	d.lengths(schema, col, n, "minLength", "maxLength", o.Options.MinLength, n.Options.MinLength, o.Options.MaxLength, n.Options.MaxLength)
	d.lengths(schema, col, n, "minItems", "maxItems", o.Options.MinItems, n.Options.MinItems, o.Options.MaxItems, n.Options.MaxItems)
	d.text(schema, col, "pattern", o.Options.Pattern, n.Options.Pattern, n.PosOf("pattern"), PatternAdded, PatternRemoved, PatternChanged)
	d.text(schema, col, "format", o.Options.Format, n.Options.Format, n.PosOf("format"), FormatAdded, FormatRemoved, FormatChanged)
	if o.Description != n.Description {
		d.add(DescriptionChanged, schema, col, n.PosOf("description"), o.Description, n.Description, "column %q: description changed", col)
	}
	d.qualities(schema, col, n.Pos, o.Quality, n.Quality)
	if o.Items != nil && n.Items != nil {
		d.property(schema, col+"[].", o.Items, n.Items)
	}
	if len(o.Properties) > 0 || len(n.Properties) > 0 {
		d.properties(schema, col+".", n.Pos, o.Properties, n.Properties)
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
func (d *differ) types(schema, col string, o, n *contracts.Property) {
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
func (d *differ) bounds(schema, col string, o, n *contracts.Property) {
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

func (d *differ) lengths(schema, col string, n *contracts.Property, minKey, maxKey string, omin, nmin, omax, nmax *int64) {
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

// qualities compares the quality rules of a schema object (col empty) or a
// column. Rules match by id, then name, then metric (or type) in order.
func (d *differ) qualities(schema, col string, parent contracts.Pos, oq, nq []contracts.Quality) {
	where := "schema object " + strconv.Quote(schema)
	if col != "" {
		where = "column " + strconv.Quote(col)
	}
	pick := func(old bool, i int) *contracts.Quality {
		if old {
			return &oq[i]
		}
		return &nq[i]
	}
	occurrence := func(old bool, i int) string {
		q := pick(old, i)
		k := qualityKind(q)
		n := 0
		qs := nq
		if old {
			qs = oq
		}
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
	// A second pass pairs a rule that gained, lost or changed its id or
	// name with a leftover rule of the same metric: an edited rule, not a
	// removal and an addition.
	loose := func(old bool, i int) string {
		return qualityKind(pick(old, i))
	}
	pairs, removed, added := match(len(oq), len(nq), ident, loose)
	for _, i := range removed {
		q := &oq[i]
		d.gone(QualityRemoved, schema, col, parent, qualityText(q), "%s: quality rule %s removed", where, qualityText(q))
	}
	for _, j := range added {
		q := &nq[j]
		d.add(QualityAdded, schema, col, q.Pos, "", qualityText(q), "%s: quality rule %s added", where, qualityText(q))
	}
	for _, p := range pairs {
		d.quality(schema, col, where, &oq[p[0]], &nq[p[1]])
	}
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

func (d *differ) quality(schema, col, where string, o, n *contracts.Quality) {
	label := strconv.Quote(cmp.Or(n.Name, n.ID, n.Metric, n.Rule, n.Type))
	changed := func(what, ov, nv string) {
		d.add(QualityChanged, schema, col, n.Pos, ov, nv, "%s: quality rule %s: %s %s → %s", where, label, what, show(ov), show(nv))
	}
	if o.Type != n.Type || o.Metric != n.Metric {
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
	if addedV, removedV := valueDiff(o.Arguments.ValidValues, n.Arguments.ValidValues); len(addedV)+len(removedV) > 0 {
		if len(o.Arguments.ValidValues) == 0 || len(n.Arguments.ValidValues) == 0 {
			// Going from no list to a list (or back) changes the rule's
			// meaning, not just its set.
			changed("validValues", valuesText(o.Arguments.ValidValues), valuesText(n.Arguments.ValidValues))
		} else {
			if len(addedV) > 0 {
				d.add(ValidValuesAdded, schema, col, n.Pos, valuesText(o.Arguments.ValidValues), valuesText(n.Arguments.ValidValues),
					"%s: quality rule %s now also allows %s", where, label, valuesText(addedV))
			}
			if len(removedV) > 0 {
				d.add(ValidValuesRemoved, schema, col, n.Pos, valuesText(o.Arguments.ValidValues), valuesText(n.Arguments.ValidValues),
					"%s: quality rule %s no longer allows %s", where, label, valuesText(removedV))
			}
		}
	}
	d.text(schema, col, "quality rule "+label+" pattern", o.Arguments.Pattern, n.Arguments.Pattern, n.Pos, PatternAdded, PatternRemoved, PatternChanged)
	if v := compareOperators(o.Operator, n.Operator); v != 0 {
		ot, nt := o.Operator.String(), n.Operator.String()
		switch v {
		case 1:
			d.add(QualityTightened, schema, col, n.Pos, ot, nt, "%s: quality rule %s: %s → %s accepts fewer results", where, label, ot, nt)
		case -1:
			d.add(QualityLoosened, schema, col, n.Pos, ot, nt, "%s: quality rule %s: %s → %s accepts more results", where, label, ot, nt)
		default:
			d.add(QualityChanged, schema, col, n.Pos, ot, nt, "%s: quality rule %s: %s → %s", where, label, ot, nt)
		}
	}
	if os, ns := severityRank(o.Severity), severityRank(n.Severity); os != ns {
		ot, nt := cmp.Or(o.Severity, "error"), cmp.Or(n.Severity, "error")
		if ns > os {
			d.add(QualityTightened, schema, col, n.Pos, ot, nt, "%s: quality rule %s: severity %s → %s", where, label, ot, nt)
		} else {
			d.add(QualityLoosened, schema, col, n.Pos, ot, nt, "%s: quality rule %s: severity %s → %s", where, label, ot, nt)
		}
	}
	if o.Description != n.Description || o.Name != n.Name && o.ID != "" && o.ID == n.ID {
		d.add(DescriptionChanged, schema, col, n.Pos, o.Description, n.Description, "%s: quality rule %s: description or name changed", where, label)
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

// Catalogs compares contract versions, pairing them by id.
//
// With a baseline (the contracts at a git ref), every version in head that
// the baseline lacks or holds with other content is compared with the
// baseline copy of the same version if there is one (an edit in place),
// else with the newest earlier version, or every earlier version when
// opts.Transitive is set. An id new in head is CONTRACT_ADDED; an id whose
// every version left is CONTRACT_REMOVED.
//
// With base nil, each id's newest version in head is compared with the
// version before it (or every earlier one), which is how a directory that
// keeps one file per version is gated.
func Catalogs(base, head *contracts.Catalog, opts Options) []Change {
	var out []Change
	for _, f := range head.Families {
		var bf *contracts.Family
		if base != nil {
			bf = base.Family(f.ID)
			if bf == nil {
				c := f.Versions[len(f.Versions)-1]
				out = append(out, finishChanges(nil, c, []Change{{Rule: ContractAdded, File: c.Path, Pos: posOr(c.KeyPos["id"], c.Pos), New: c.Version,
					Message: fmt.Sprintf("contract %q is new (%s)", f.ID, versionList(f))}}, opts)...)
				continue
			}
		}
		for i, c := range f.Versions {
			if base == nil && i != len(f.Versions)-1 {
				continue
			}
			var prev []*contracts.Contract
			if bf != nil {
				if j := bf.Index(f.SemVer(i)); j >= 0 {
					if bf.Versions[j].SHA256 == c.SHA256 {
						continue // unchanged
					}
					prev = []*contracts.Contract{bf.Versions[j]}
				}
			}
			if prev == nil {
				prev = earlier(bf, f, f.SemVer(i), opts.Transitive)
			}
			for _, p := range prev {
				out = append(out, Contracts(p, c, opts)...)
			}
		}
	}
	if base != nil {
		for _, bf := range base.Families {
			if head.Family(bf.ID) == nil {
				c := bf.Versions[len(bf.Versions)-1]
				out = append(out, finishChanges(c, nil, []Change{{Rule: ContractRemoved, File: c.Path, Pos: posOr(c.KeyPos["id"], c.Pos), Old: c.Version,
					Message: fmt.Sprintf("contract %q is gone (the baseline had %s)", bf.ID, versionList(bf))}}, opts)...)
			}
		}
	}
	Sort(out)
	return out
}

func versionList(f *contracts.Family) string {
	vs := make([]string, len(f.Versions))
	for i, c := range f.Versions {
		vs[i] = c.Version
	}
	return "version " + strings.Join(vs, ", ")
}

// earlier returns the versions below v from the baseline and head families
// (head's copy wins for a version both hold), newest last; only the newest
// unless transitive. With none below v it returns the baseline's newest, so
// a version that went down is still compared (and gated).
func earlier(base, head *contracts.Family, v contracts.SemVer, transitive bool) []*contracts.Contract {
	type entry struct {
		v contracts.SemVer
		c *contracts.Contract
	}
	var es []entry
	for i, c := range head.Versions {
		if head.SemVer(i).Compare(v) < 0 {
			es = append(es, entry{head.SemVer(i), c})
		}
	}
	if base != nil {
		for i, c := range base.Versions {
			if base.SemVer(i).Compare(v) < 0 && head.Index(base.SemVer(i)) < 0 {
				es = append(es, entry{base.SemVer(i), c})
			}
		}
	}
	slices.SortFunc(es, func(a, b entry) int { return a.v.Compare(b.v) })
	if len(es) == 0 {
		if base != nil && len(base.Versions) > 0 {
			return base.Versions[len(base.Versions)-1:]
		}
		return nil
	}
	if !transitive {
		es = es[len(es)-1:]
	}
	out := make([]*contracts.Contract, len(es))
	for i, e := range es {
		out[i] = e.c
	}
	return out
}
