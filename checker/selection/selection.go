// Package selection runs part of a contract: `--only` and `--skip` select
// checks by rule ID, family, quality rule id or name, tag, or dimension, as
// datacontract-cli's `test --checks/--quality-id/--tag/--dimension` do.
// What is left out is listed in the report (CHECK_SKIPPED findings and
// skipped checks), so a pass never hides a check that did not run.
//
// Quality rules and SLA properties are selected on the contract before the
// run (Contract), so an unselected one is not executed at all; the built-in
// checks, which the engine derives from the schema, are selected on the
// report (Report). The drift, diff and version families are not selected.
package selection

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// Term is one --only or --skip value: KEY=VALUE, or a bare VALUE that any
// key may match.
type Term struct {
	Key   string // rule, family, id, name, tag, dimension; "" for any
	Value string
}

func (t Term) String() string {
	if t.Key == "" {
		return t.Value
	}
	return t.Key + "=" + t.Value
}

// Keys are the selector keys, in the order help lists them.
var keys = []string{"rule", "family", "id", "name", "tag", "dimension"}

// Selection is the --only and --skip terms of one run. The zero value
// selects everything.
type Selection struct {
	Only, Skip []Term
}

// Parse reads the flags' values. An unknown key is an error naming the
// keys there are; a rule ID that is not registered is one too, because a
// typo would otherwise select nothing and pass.
func Parse(only, skip []string) (Selection, error) {
	var s Selection
	for _, set := range []struct {
		flag string
		in   []string
		out  *[]Term
	}{{"--only", only, &s.Only}, {"--skip", skip, &s.Skip}} {
		for _, raw := range set.in {
			t := Term{Value: strings.TrimSpace(raw)}
			if k, v, ok := strings.Cut(raw, "="); ok {
				t = Term{Key: strings.ToLower(strings.TrimSpace(k)), Value: strings.TrimSpace(v)}
				if t.Key == "tags" {
					t.Key = "tag"
				}
				if !slices.Contains(keys, t.Key) {
					return Selection{}, fmt.Errorf("%s %q: unknown key %q; want one of %s, or a bare value", set.flag, raw, t.Key, strings.Join(keys, ", "))
				}
			}
			if t.Value == "" {
				return Selection{}, fmt.Errorf("%s %q: empty value", set.flag, raw)
			}
			if t.Key == "dimension" && !slices.Contains(dimensions, strings.ToLower(t.Value)) {
				return Selection{}, fmt.Errorf("%s %q: %q is not an ODCS dimension; want one of %s", set.flag, raw, t.Value, strings.Join(dimensions, ", "))
			}
			if t.Key == "rule" {
				if _, ok := rules.Lookup(strings.ToUpper(t.Value)); !ok {
					return Selection{}, fmt.Errorf("%s %q: no rule %s (driftgate rules lists them)", set.flag, raw, t.Value)
				}
			}
			*set.out = append(*set.out, t)
		}
	}
	return s, nil
}

// dimensions are the ODCS data quality dimensions (the enum of the
// official schema's DataQuality.dimension).
var dimensions = []string{"accuracy", "completeness", "conformity", "consistency", "coverage", "timeliness", "uniqueness"}

// Validate refuses an id= term that names no quality rule or SLA property
// of the contract: a typo would select nothing and pass, as
// datacontract-cli's --quality-id refuses an unknown id. Tags, names and
// bare values may match nothing (the left-out checks are listed).
func (s Selection) Validate(c *contracts.Contract) error {
	ids := map[string]bool{}
	var walk func(props []contracts.Property)
	addQ := func(qs []contracts.Quality) {
		for _, q := range qs {
			if q.ID != "" {
				ids[q.ID] = true
			}
		}
	}
	walk = func(props []contracts.Property) {
		for i := range props {
			addQ(props[i].Quality)
			walk(props[i].Properties)
			if props[i].Items != nil {
				walk([]contracts.Property{*props[i].Items})
			}
		}
	}
	for _, sch := range c.Schemas {
		addQ(sch.Quality)
		walk(sch.Properties)
	}
	for _, sla := range c.SLA {
		if sla.ID != "" {
			ids[sla.ID] = true
		}
	}
	for _, t := range append(append([]Term(nil), s.Only...), s.Skip...) {
		if t.Key != "id" || ids[t.Value] {
			continue
		}
		have := make([]string, 0, len(ids))
		for id := range ids {
			have = append(have, id)
		}
		sort.Strings(have)
		there := "it declares no ids"
		if len(have) > 0 {
			there = "it has " + strings.Join(have, ", ")
		}
		return &rules.ContractError{File: c.Path, Msg: fmt.Sprintf("id=%s names no quality rule or SLA property of the contract (%s)", t.Value, there)}
	}
	return nil
}

// Empty says the selection selects everything.
func (s Selection) Empty() bool { return len(s.Only) == 0 && len(s.Skip) == 0 }

// subject is what a term is matched against: a quality rule, an SLA
// property or a built-in check.
type subject struct {
	rule      *rules.Rule
	id, name  string
	tags      []string
	dimension string
}

func (t Term) matches(x subject) bool {
	eq := strings.EqualFold
	bare := t.Key == ""
	switch {
	case (bare || t.Key == "rule") && eq(x.rule.ID, t.Value):
	case (bare || t.Key == "family") && eq(string(x.rule.Family), t.Value):
	case (bare || t.Key == "id") && x.id != "" && x.id == t.Value:
	case (bare || t.Key == "name") && x.name != "" && x.name == t.Value:
	case (bare || t.Key == "tag") && slices.Contains(x.tags, t.Value):
	case (bare || t.Key == "dimension") && x.dimension != "" && eq(x.dimension, t.Value):
	default:
		return false
	}
	return true
}

// why returns "" when x is selected, else the term that left it out.
func (s Selection) why(x subject) string {
	for _, t := range s.Skip {
		if t.matches(x) {
			return "--skip " + t.String()
		}
	}
	if len(s.Only) == 0 {
		return ""
	}
	for _, t := range s.Only {
		if t.matches(x) {
			return ""
		}
	}
	parts := make([]string, len(s.Only))
	for i, t := range s.Only {
		parts[i] = "--only " + t.String()
	}
	return "not selected by " + strings.Join(parts, ", ")
}

// Left is one part of the contract the selection left out.
type Left struct {
	Rule   string
	Column string // "" for the schema object
	What   string // what it is, for the finding
	Why    string
	Pos    contracts.Pos
}

// Contract returns a copy of c without the quality rules and SLA
// properties the selection leaves out, and what it left out. c itself is
// not changed.
func (s Selection) Contract(c *contracts.Contract) (*contracts.Contract, []Left) {
	if s.Empty() {
		return c, nil
	}
	out := *c
	var left []Left
	out.Schemas = make([]contracts.Schema, len(c.Schemas))
	for i, sch := range c.Schemas {
		sch.Quality, left = s.quality(sch.Quality, "", left)
		sch.Properties, left = s.properties(sch.Properties, "", left)
		out.Schemas[i] = sch
	}
	out.SLA = nil
	for _, sla := range c.SLA {
		x := subject{rule: rules.ForSLA(sla.Property), id: sla.ID, dimension: rules.ForSLA(sla.Property).Dimension()}
		if why := s.why(x); why != "" {
			left = append(left, Left{Rule: x.rule.ID, What: fmt.Sprintf("SLA %s %v %s", sla.Property, sla.Value, sla.Unit), Why: why, Pos: sla.Pos})
			continue
		}
		out.SLA = append(out.SLA, sla)
	}
	return &out, left
}

func (s Selection) properties(props []contracts.Property, prefix string, left []Left) ([]contracts.Property, []Left) {
	if len(props) == 0 {
		return props, left
	}
	out := make([]contracts.Property, len(props))
	for i, p := range props {
		name := prefix + p.DataName()
		p.Quality, left = s.quality(p.Quality, name, left)
		p.Properties, left = s.properties(p.Properties, name+".", left)
		out[i] = p
	}
	return out, left
}

func (s Selection) quality(qs []contracts.Quality, column string, left []Left) ([]contracts.Quality, []Left) {
	var kept []contracts.Quality
	for _, q := range qs {
		x := subject{rule: rules.ForQuality(&q), id: q.ID, name: q.Name, tags: q.Tags, dimension: q.Dimension}
		if why := s.why(x); why != "" {
			left = append(left, Left{Rule: x.rule.ID, Column: column, What: describe(&q), Why: why, Pos: q.Pos})
			continue
		}
		kept = append(kept, q)
	}
	return kept, left
}

func describe(q *contracts.Quality) string {
	what := q.Type + " rule"
	if q.Metric != "" {
		what = "quality rule " + q.Metric
	}
	switch {
	case q.Name != "":
		what += fmt.Sprintf(" %q", q.Name)
	case q.ID != "":
		what += " " + q.ID
	}
	return what
}

// Report leaves the built-in checks the selection does not select out of
// rep: their findings are dropped and their checks marked skipped; and it
// lists everything left out (left, from Contract, and those) as
// CHECK_SKIPPED findings. contractFile locates the findings.
func (s Selection) Report(rep *report.Report, left []Left, contractFile string) {
	if s.Empty() {
		return
	}
	type key struct{ rule, column string }
	drop := map[key]string{}
	// A schema-level check (column "") covers its rule's findings on any
	// column: COLUMN_UNEXPECTED names the columns it found.
	dropRule := map[string]bool{}
	for i, c := range rep.Checks {
		r, ok := rules.Lookup(c.Rule)
		if !ok || !builtIn(r) {
			continue
		}
		if why := s.why(subject{rule: r, dimension: r.Dimension()}); why != "" {
			drop[key{c.Rule, c.Column}] = why
			if c.Column == "" {
				dropRule[c.Rule] = true
			}
			rep.Checks[i].Status = report.CheckSkipped
			rep.Checks[i].Passed = false
		}
	}
	kept := rep.Findings[:0]
	for _, f := range rep.Findings {
		if _, gone := drop[key{f.Rule, f.Column}]; !gone && !dropRule[f.Rule] {
			kept = append(kept, f)
		}
	}
	rep.Findings = kept

	// One finding per rule and reason for the built-in checks, which are
	// many (a rule on every column); one per quality rule or SLA.
	byRule := map[[2]string][]string{}
	for k, why := range drop {
		byRule[[2]string{k.rule, why}] = append(byRule[[2]string{k.rule, why}], k.column)
	}
	groups := make([][2]string, 0, len(byRule))
	for g := range byRule {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		return groups[i][0] < groups[j][0] || groups[i][0] == groups[j][0] && groups[i][1] < groups[j][1]
	})
	schema := ""
	if rep.Contract != nil {
		schema = rep.Contract.Schema
	}
	for _, g := range groups {
		cols := byRule[g]
		sort.Strings(cols)
		on := "the schema object"
		if len(cols) > 1 || cols[0] != "" {
			on = fmt.Sprintf("%d %s (%s)", len(cols), plural(len(cols), "column", "columns"), shortList(cols))
		}
		rep.Findings = append(rep.Findings, skipped(schema, "", fmt.Sprintf("left out by %s: %s on %s", g[1], g[0], on), nil))
	}
	for _, l := range left {
		loc := &report.Location{File: contractFile, Line: l.Pos.Line, Column: l.Pos.Column}
		rep.Findings = append(rep.Findings, skipped(schema, l.Column, fmt.Sprintf("left out by %s: %s (%s)", l.Why, l.What, l.Rule), loc))
		rep.Checks = append(rep.Checks, report.Check{Rule: l.Rule, Schema: schema, Column: l.Column, Status: report.CheckSkipped})
	}
	if len(drop) > 0 || len(left) > 0 {
		rep.Checks = append(rep.Checks, rules.CheckSkipped.Check(schema, ""))
	}
}

// builtIn says a rule is one the engine derives from the schema: the
// check family's structure and value rules (not its coverage rules, which
// say what did not run).
func builtIn(r *rules.Rule) bool {
	return r.Family == rules.FamilyCheck && r.Category != rules.Coverage
}

func skipped(schema, column, msg string, loc *report.Location) report.Finding {
	f := rules.CheckSkipped.Finding(report.Finding{Schema: schema, Column: column, Message: msg,
		Expected: "checked", Actual: "left out", Examples: []report.Example{}})
	f.Location = loc
	return f
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func shortList(names []string) string {
	const most = 5
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:most], ", ") + fmt.Sprintf(", and %d more", len(names)-most)
}
