// Package diff finds the changes between versions of a contract and
// classifies them by whom they break, like buf's breaking-change rules:
// each rule is a value with a stable ID (Rules), judged by a handler
// (handlers.go) that one walk of the two contracts feeds (walk.go), and
// each has a previous/current case under testdata/breaking/<RULE>/.
package diff

import (
	"cmp"
	"fmt"
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
	d := newDiffer(old, new)
	d.walk()
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

func newDiffer(old, new *contracts.Contract) *differ {
	return &differ{old: old, new: new, oldDialect: old.Dialect(""), newDialect: new.Dialect(""), handlers: handlers()}
}

// differ accumulates the changes between two contracts.
type differ struct {
	old, new *contracts.Contract
	// oldDialect and newDialect are the vocabularies each version's
	// physicalTypes are read in.
	oldDialect, newDialect contracts.Dialect
	changes                []Change
	// handlers are the rules the walk feeds; current is the one judging,
	// and misfiled what it recorded outside its rules (see claims).
	handlers []handler
	current  *handler
	misfiled []misfiled
}

// add records a change at a node of the new contract.
func (d *differ) add(rule, schema, column string, pos contracts.Pos, old, new, format string, args ...any) {
	d.claims(rule)
	d.changes = append(d.changes, Change{Rule: rule, Schema: schema, Column: column, Old: old, New: new,
		Message: fmt.Sprintf(format, args...), File: d.new.Path, Pos: pos})
}

// gone records a removal. It points at the parent of the removed node in
// the new contract (the schema object or property that lost a column or
// rule), so a pull-request annotation lands on a line of the changed file
// rather than on the old revision, which the review cannot show.
func (d *differ) gone(rule, schema, column string, parent contracts.Pos, old, format string, args ...any) {
	d.claims(rule)
	d.changes = append(d.changes, Change{Rule: rule, Schema: schema, Column: column, Old: old,
		Message: fmt.Sprintf(format, args...), File: d.new.Path, Pos: parent})
}

func show(s string) string {
	if s == "" {
		return "(none)"
	}
	return strconv.Quote(s)
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
