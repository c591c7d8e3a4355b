package checker

import (
	"fmt"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// findings turns the run's state into findings, and lists every check that
// ran so passing checks show in CI too.
func (r *run) findings() ([]report.Finding, []report.Check) {
	p := r.plan
	schema := p.schema.Name
	b := &builder{schema: schema, file: p.contract.Path, private: p.private()}
	s := r.structural

	for _, c := range p.columns {
		r.structureFindings(b, c)
		if !c.present {
			continue // nothing to say about values never seen
		}
		r.valueFindings(b, c)
		r.arraySkips(b, c)
		r.nestedFindings(b, c)
	}

	// Schema level.
	b.check(rules.ColumnUnexpected, "")
	var extra []string
	for name := range s.unexpected {
		extra = append(extra, name)
	}
	sort.Strings(extra)
	for _, name := range extra {
		files := s.unexpected[name]
		what, pos := "column", p.schema.Pos
		if parent := s.extraIn[name]; parent != nil {
			what, pos = "nested field", parent.Pos
		}
		b.add(rules.ColumnUnexpected, report.Finding{Severity: report.SeverityWarning, Column: name,
			Message:  what + " is not declared in the contract (in " + filesPhrase(files, len(s.files)) + ")",
			Expected: "absent", Actual: "present", Count: int64(len(files)), Location: b.loc(pos)})
	}
	for _, k := range p.keys {
		what := "primary key (" + strings.Join(k.cols, ", ") + ")"
		if k.q != nil {
			rules.Metric(b, rules.QualityDuplicateValues, k.q, "", k.set.beyondFirst(), r.rows, &k.dups)
			continue
		}
		rules.Duplicates(b, "", what, k.set.dupRows, &k.dups, k.pos)
	}
	for _, q := range p.schemaQuality {
		switch {
		case q.Type == "library" && q.Metric == "rowCount" && r.rowsUnknown:
			b.skipped("", "not checked with --metadata-only: quality rowCount (a CSV or JSON file states no row count)")
		case q.Type == "library" && q.Metric == "rowCount":
			rules.Metric(b, rules.QualityRowCount, q, "", r.rows, r.rows, nil)
		case q.Type == "library" && q.Metric == "duplicateValues":
			// Without arguments.properties, a schema-level duplicate check
			// means whole rows; driftgate checks declared keys instead.
			rules.NotExecuted(b, q, "", "schema-level duplicateValues needs arguments.properties naming the key columns")
		case q.Type == "library":
			rules.NotExecuted(b, q, "", fmt.Sprintf("metric %q measures a column; declare it under that column's quality", q.Metric))
		default:
			r.notLibrary(b, q, "")
		}
	}
	for _, sla := range r.sla {
		sla.findings(b)
	}
	for _, k := range r.slaSkips {
		k.findings(b)
	}
	return b.findings, b.checks
}

// structureFindings reports whether a column, and its nested fields, are
// in the data with the declared types.
func (r *run) structureFindings(b *builder, c *column) {
	prop := c.prop
	s := r.structural
	b.check(rules.ColumnMissing, c.name)
	if files := s.missing[c.name]; len(files) > 0 {
		sev := report.SeverityWarning
		if prop.Required {
			sev = report.SeverityError
		}
		msg := "column is missing from " + filesPhrase(files, len(s.files))
		if hint := s.renameHint(c.name); hint != "" {
			msg += fmt.Sprintf("; the data has an undeclared column %q (renamed?)", hint)
		}
		b.add(rules.ColumnMissing, report.Finding{Severity: sev, Column: c.name, Message: msg,
			Expected: "present", Actual: "missing", Count: int64(len(files)), Location: b.loc(prop.Pos)})
	}
	for _, name := range nestedNames(c.name, prop) {
		b.check(rules.ColumnMissing, name)
		if files := s.missing[name]; len(files) > 0 {
			np := s.props[name]
			sev := report.SeverityWarning
			if np != nil && np.Required {
				sev = report.SeverityError
			}
			b.add(rules.ColumnMissing, report.Finding{Severity: sev, Column: name,
				Message: "nested field is missing from " + filesPhrase(files, len(s.files)), Expected: "present", Actual: "missing",
				Count: int64(len(files)), Location: b.loc(posOf(np))})
		}
	}
	if c.exp.kind != kindAny {
		b.check(rules.ColumnType, c.name)
	}
	for _, name := range append([]string{c.name}, nestedNames(c.name, prop)...) {
		rt := s.retyped[name]
		if rt == nil {
			continue
		}
		decl := c.exp.text
		// Point at the type declaration of the column or nested field
		// that is wrong: physicalType when given, else logicalType (not
		// the parent's line, nor the property's "- name:" line).
		tp := prop
		if np := s.props[name]; np != nil {
			decl = expect(np, c.exp.dialect).text
			tp = np
		}
		typeKey := "physicalType"
		if tp.PhysicalType == "" {
			typeKey = "logicalType"
		}
		b.add(rules.ColumnType, report.Finding{Severity: report.SeverityError, Column: name,
			Message:  fmt.Sprintf("expected %s, found %s: %s (in %s)", decl, strings.Join(rt.found, ", "), rt.why, filesPhrase(rt.files, len(s.files))),
			Expected: decl, Actual: strings.Join(rt.found, ", "), Count: int64(len(rt.files)),
			Location: b.loc(tp.PosOf(typeKey))})
	}
}

// valueFindings reports the value checks of one column.
func (r *run) valueFindings(b *builder, c *column) {
	prop := c.prop
	name := c.name
	if prop.Required {
		rules.Nulls(b, name, c.nulls.Count, c.rows, &c.nulls, prop.PosOf("required"), "")
	}
	if r.csvSeen && c.exp.kind != kindString && c.exp.kind != kindAny && !c.exp.stringDates || r.jsonSeen && c.exp.kind != kindAny {
		b.check(rules.ValueType, name)
	}
	if c.typeErrs.Count > 0 {
		typeFinding(b, c)
	}
	if c.unique != nil && (prop.Unique || prop.PrimaryKey) {
		key := "unique"
		if !prop.Unique {
			key = "primaryKey"
		}
		rules.Duplicates(b, name, "value", c.unique.dupRows, &c.dups, prop.PosOf(key))
	}
	for _, ob := range c.obs {
		if ob.rule.Observes&rules.Lists != 0 && r.csvSeen && !c.lists {
			continue // no array was read: not executed (arraySkips), never passed
		}
		if ob.rule.Observes&rules.Objects != 0 && !c.structs {
			continue // no object was judged: not executed (objectSkips), never passed
		}
		ob.o.Findings(b, ob.t)
	}
	r.objectSkips(b, c)
	r.qualityFindings(b, c)
}

// arraySkips lists a column's array rules as not checked in the CSV files
// of the batch: a CSV cell holds text, not an array. (Inside an object
// column, nestedFindings says so for every nested rule.)
func (r *run) arraySkips(b *builder, c *column) {
	if !r.csvSeen {
		return
	}
	var ids []string
	for _, ob := range c.obs {
		if ob.rule.Observes&rules.Lists != 0 {
			ids = append(ids, ob.rule.ID)
		}
	}
	if len(ids) > 0 {
		b.skipped(c.name, fmt.Sprintf("not checked in CSV: %s (a CSV cell holds text, not an array)", strings.Join(ids, ", ")))
	}
}

// typeFinding reports the column's values that did not parse as its type.
func typeFinding(b *builder, c *column) {
	prop, name := c.prop, c.name
	want := c.exp.arrowType().String()
	if c.typeWant != "" && (c.exp.kind == kindStruct || c.exp.kind == kindList) {
		// The nested field that is wrong, from the column down.
		if typ, path, ok := strings.Cut(c.typeWant, " at "); ok {
			if !strings.HasPrefix(path, "[") {
				path = "." + path
			}
			want = typ + " at " + c.name + path
		}
	}
	at := c.typeErrs.FirstAt()
	if c.typeLine > 0 && (len(c.typeErrs.Examples) == 0 || c.typeErrs.Examples[0].Line == 0) {
		at += fmt.Sprintf(", its record on line %d", c.typeLine)
	}
	b.add(rules.ValueType, report.Finding{Severity: report.SeverityError, Column: name,
		Message:  fmt.Sprintf("%s not parse as %s%s", rules.ValuesVerb(c.typeErrs.Count, "does", "do"), want, at),
		Expected: want, Actual: itoa(c.typeErrs.Count) + " unparsable", Count: c.typeErrs.Count, Examples: c.typeErrs.Examples,
		Location: b.loc(prop.PosOf("logicalType"))})
}

// qualityFindings reports the column's quality rules (ODCS library
// metrics).
func (r *run) qualityFindings(b *builder, c *column) {
	prop, name := c.prop, c.name
	for i := range prop.Quality {
		q := &prop.Quality[i]
		if q.Type != "library" {
			r.notLibrary(b, q, name)
			continue
		}
		switch q.Metric {
		case "nullValues":
			rules.Metric(b, rules.QualityNullValues, q, name, c.nullRows, r.rows, nil)
		case "missingValues":
			for _, mr := range c.missingRules {
				if mr.q == q {
					rules.Metric(b, rules.QualityMissingValues, q, name, mr.t.Count, r.rows, &mr.t)
				}
			}
		case "invalidValues":
			for _, ir := range c.invalidRules {
				if ir.q == q {
					rules.Metric(b, rules.QualityInvalidValues, q, name, ir.t.Count, r.rows, &ir.t)
				}
			}
		case "duplicateValues":
			rules.Metric(b, rules.QualityDuplicateValues, q, name, c.unique.beyondFirst(), r.rows, &c.dups)
		case "rowCount":
			rules.Metric(b, rules.QualityRowCount, q, name, r.rows, r.rows, nil)
		default:
			rules.NotExecuted(b, q, name, fmt.Sprintf("metric %q is not one driftgate computes", q.Metric))
		}
	}
}

// builder accumulates findings and checks for one schema object.
type builder struct {
	schema string
	file   string
	// private holds the data names of private columns: whatever rule made
	// a finding about one, its examples keep rows but not values.
	private  map[string]bool
	findings []report.Finding
	checks   []report.Check
	seen     map[string]bool
}

func (b *builder) check(r *rules.Rule, column string) {
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	k := r.ID + "\x00" + column
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	b.checks = append(b.checks, r.Check(b.schema, column))
}

// add records a finding of rule r; the rule stamps its ID and, when the
// finding has none, its default severity.
func (b *builder) add(r *rules.Rule, f report.Finding) {
	f = r.Finding(f)
	f.Schema = b.schema
	if f.Examples == nil {
		f.Examples = []report.Example{}
	}
	if b.private[f.Column] {
		for i := range f.Examples {
			f.Examples[i].Value, f.Examples[i].ValueBytes = report.Redacted, 0
		}
	}
	b.findings = append(b.findings, f)
}

// Check, Add and Loc make the builder the rules' Sink.
func (b *builder) Check(r *rules.Rule, column string)   { b.check(r, column) }
func (b *builder) Add(r *rules.Rule, f report.Finding)  { b.add(r, f) }
func (b *builder) Loc(p contracts.Pos) *report.Location { return b.loc(p) }

func (b *builder) loc(p contracts.Pos) *report.Location {
	return &report.Location{File: b.file, Line: p.Line, Column: p.Column}
}

// nestedNames are the paths of the fields inside an object or array
// property: parent.field for an object's, parent[] for an array's items.
func nestedNames(parent string, p *contracts.Property) []string {
	var out []string
	if p.Items != nil {
		name := parent + "[]"
		out = append(out, name)
		out = append(out, nestedNames(name, p.Items)...)
	}
	for i := range p.Properties {
		name := parent + "." + p.Properties[i].DataName()
		out = append(out, name)
		out = append(out, nestedNames(name, &p.Properties[i])...)
	}
	return out
}

func posOf(p *contracts.Property) contracts.Pos {
	if p == nil {
		return contracts.Pos{}
	}
	return p.Pos
}

func filesPhrase(files []string, total int) string {
	if total <= 1 || len(files) == 1 && total == 1 {
		return files[0]
	}
	shown := files
	if len(shown) > 3 {
		shown = shown[:3]
	}
	s := fmt.Sprintf("%d of %d files (%s", len(files), total, strings.Join(shown, ", "))
	if len(files) > 3 {
		s += ", …"
	}
	return s + ")"
}
