package sqlpush

import (
	"fmt"
	"slices"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// findings turns the counts into the checks and findings the Arrow engine
// makes of the same tallies.
func (p *plan) findings(b *sink, n *counts, present []string) {
	s := p.schema
	byName := map[string]*column{}
	for _, c := range p.columns {
		byName[c.desc.Name] = c
	}
	for i := range s.Properties {
		prop := &s.Properties[i]
		name := prop.DataName()
		b.Check(rules.ColumnMissing, name)
		c := byName[name]
		if c == nil {
			sev := report.SeverityWarning
			if prop.Required {
				sev = report.SeverityError
			}
			b.Add(rules.ColumnMissing, report.Finding{Severity: sev, Column: name, Message: "column is missing from the table",
				Expected: "present", Actual: "missing", Count: 1, Location: b.Loc(prop.Pos)})
			continue
		}
		if prop.Required {
			c.nullT.Count = n.vals[c.nulls]
			rules.Nulls(b, name, c.nullT.Count, n.rows, &c.nullT, prop.PosOf("required"), "")
		}
		if c.unique > 0 {
			c.uniqueT.Count = n.vals[c.unique]
			pos := prop.PosOf("unique")
			if !prop.Unique {
				pos = prop.PosOf("primaryKey")
			}
			rules.Duplicates(b, name, "value", c.uniqueT.Count, &c.uniqueT, pos)
		}
		for _, po := range c.obs {
			for i, at := range po.at {
				if at > 0 {
					po.tallies[i].Count = n.vals[at]
				}
			}
			po.obs.Findings(b, po.tallies)
		}
		for _, m := range c.quality {
			rules.Metric(b, rules.QualityNullValues, m.q, name, n.vals[m.at], n.rows, nil)
		}
		for i := range prop.Quality {
			q := &prop.Quality[i]
			if q.Type == "library" && q.Metric == "nullValues" {
				continue
			}
			notPushed(b, q, name)
		}
	}
	// Column types are not compared with the catalog's yet: said, not passed.
	p.skipped = append(p.skipped, skip{"", "COLUMN_TYPE is not checked by the PostgreSQL pushdown yet: declared types are not compared with the table's"})
	for _, k := range p.skipped {
		b.Add(rules.CheckSkipped, report.Finding{Column: k.column, Message: k.why, Expected: "checked", Actual: "not checked"})
		b.Check(rules.CheckSkipped, k.column)
	}
	b.Check(rules.ColumnUnexpected, "")
	for _, name := range present {
		if !declared(s, name) {
			b.Add(rules.ColumnUnexpected, report.Finding{Severity: report.SeverityWarning, Column: name,
				Message: "column is not declared in the contract", Expected: "absent", Actual: "present", Count: 1, Location: b.Loc(s.Pos)})
		}
	}
	for i := range s.Quality {
		q := &s.Quality[i]
		if q.Type == "library" && q.Metric == "rowCount" {
			rules.Metric(b, rules.QualityRowCount, q, "", n.rows, n.rows, nil)
			continue
		}
		notPushed(b, q, "")
	}
}

func notPushed(b *sink, q *contracts.Quality, column string) {
	if q.Type == "library" {
		rules.NotExecuted(b, q, column, fmt.Sprintf("metric %s is not pushed down to PostgreSQL yet", q.Metric))
		return
	}
	if q.Type == "text" {
		rules.NotExecutable(b, q, column)
		return
	}
	rules.NotExecuted(b, q, column, q.Type+" rules are not executed on a PostgreSQL server yet")
}

func declared(s *contracts.Schema, name string) bool {
	return slices.ContainsFunc(s.Properties, func(p contracts.Property) bool { return p.DataName() == name })
}

// sink collects checks and findings for one schema object: the rules'
// Sink.
type sink struct {
	schema   string
	file     string
	private  map[string]bool
	findings []report.Finding
	checks   []report.Check
	seen     map[string]bool
}

func (b *sink) Check(r *rules.Rule, column string) {
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

func (b *sink) Add(r *rules.Rule, f report.Finding) {
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

func (b *sink) Loc(p contracts.Pos) *report.Location {
	return &report.Location{File: b.file, Line: p.Line, Column: p.Column}
}
