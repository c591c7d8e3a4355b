package sqlpush

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// findings turns the counts into the checks and findings the Arrow engine
// makes of the same tallies.
func (p *plan) findings(ctx context.Context, b *checker.Findings, n *counts, opts Options) error {
	s := p.schema
	byName := map[string]*column{}
	for _, c := range p.columns {
		byName[c.name] = c
	}
	for _, c := range p.columns {
		for _, k := range c.counts {
			k.t.Count = n.vals[k.at]
		}
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
		p.columnType(b, c)
		if c.nulls != nil {
			rules.Nulls(b, name, c.nulls.t.Count, n.rows, &c.nulls.t, prop.PosOf("required"), "")
		}
		if c.dups != nil && (prop.Unique || prop.PrimaryKey) {
			pos := prop.PosOf("unique")
			if !prop.Unique {
				pos = prop.PosOf("primaryKey")
			}
			rules.Duplicates(b, name, "value", c.dups.t.Count, &c.dups.t, pos)
		}
		for _, po := range c.obs {
			for i, at := range po.at {
				if at > 0 {
					po.tallies[i].Count = n.vals[at]
				}
			}
			po.obs.Findings(b, po.tallies)
		}
		p.columnQuality(ctx, b, c, n, opts)
	}
	for _, k := range p.skipped {
		b.Skipped(k.column, k.why)
	}
	b.Check(rules.ColumnUnexpected, "")
	for _, col := range p.catalog {
		if !declared(s, col.Name) {
			b.Add(rules.ColumnUnexpected, report.Finding{Severity: report.SeverityWarning, Column: col.Name,
				Message: "column is not declared in the contract", Expected: "absent", Actual: "present", Count: 1, Location: b.Loc(s.Pos)})
		}
	}
	for _, k := range p.keys {
		k.c.t.Count = n.vals[k.c.at]
		if k.q != nil {
			rules.Metric(b, rules.QualityDuplicateValues, k.q, "", k.c.t.Count, n.rows, &k.c.t)
			continue
		}
		rules.Duplicates(b, "", "primary key ("+strings.Join(k.cols, ", ")+")", k.c.t.Count, &k.c.t, k.pos)
	}
	for i := range s.Quality {
		q := &s.Quality[i]
		switch {
		case q.Type == "library" && q.Metric == "rowCount":
			rules.Metric(b, rules.QualityRowCount, q, "", n.rows, n.rows, nil)
		case q.Type == "library" && q.Metric == "duplicateValues" && len(q.Arguments.Properties) > 0:
			// counted with the keys
		case q.Type == "library" && q.Metric == "duplicateValues":
			rules.NotExecuted(b, q, "", "schema-level duplicateValues needs arguments.properties naming the key columns")
		case q.Type == "library":
			rules.NotExecuted(b, q, "", fmt.Sprintf("metric %q measures a column; declare it under that column's quality", q.Metric))
		case q.Type == "sql":
			v, err := SQLRule(ctx, p.e, p.t, "", q, opts.SQLTimeout)
			rules.SQLResult(b, q, "", v, err)
		default:
			rules.NotExecutable(b, q, "")
		}
	}
	return nil
}

// columnType compares the declared type with the catalog's, read in the
// engine's vocabulary, as the Arrow engine compares it with the data's.
func (p *plan) columnType(b *checker.Findings, c *column) {
	t := c.cc.Type
	if t.Domain.Kind == contracts.KindAny {
		return
	}
	ok, known, why := t.HoldsColumn(c.catalogType, p.e.Types())
	if !known {
		b.Skipped(c.name, fmt.Sprintf("COLUMN_TYPE not checked: %s's type %q is not one driftgate reads in the %s vocabulary", p.e.Name(), c.catalogType, p.e.Types()))
		return
	}
	b.Check(rules.ColumnType, c.name)
	if ok {
		return
	}
	key := "physicalType"
	if c.prop.PhysicalType == "" {
		key = "logicalType"
	}
	b.Add(rules.ColumnType, report.Finding{Severity: report.SeverityError, Column: c.name,
		Message:  fmt.Sprintf("expected %s, found %s: %s (in %s)", t.Text(), c.catalogType, why, p.t),
		Expected: t.Text(), Actual: c.catalogType, Count: 1, Location: b.Loc(c.prop.PosOf(key))})
}

// columnQuality judges a column's quality rules, as the Arrow engine does.
func (p *plan) columnQuality(ctx context.Context, b *checker.Findings, c *column, n *counts, opts Options) {
	for i := range c.prop.Quality {
		q := &c.prop.Quality[i]
		if q.Type == "sql" {
			v, err := SQLRule(ctx, p.e, p.t, c.name, q, opts.SQLTimeout)
			rules.SQLResult(b, q, c.name, v, err)
			continue
		}
		if q.Type != "library" {
			rules.NotExecutable(b, q, c.name)
			continue
		}
		k := c.metric(q)
		switch q.Metric {
		case "nullValues":
			rules.Metric(b, rules.QualityNullValues, q, c.name, k.t.Count, n.rows, nil)
		case "missingValues":
			rules.Metric(b, rules.QualityMissingValues, q, c.name, k.t.Count, n.rows, &k.t)
		case "invalidValues":
			rules.Metric(b, rules.QualityInvalidValues, q, c.name, k.t.Count, n.rows, &k.t)
		case "duplicateValues":
			rules.Metric(b, rules.QualityDuplicateValues, q, c.name, k.t.Count, n.rows, &c.dups.t)
		case "rowCount":
			rules.Metric(b, rules.QualityRowCount, q, c.name, n.rows, n.rows, nil)
		default:
			rules.NotExecuted(b, q, c.name, fmt.Sprintf("metric %q is not one driftgate computes", q.Metric))
		}
	}
}

// metric is the count of quality rule q, nil for a metric not counted.
func (c *column) metric(q *contracts.Quality) *count {
	for _, k := range c.counts {
		if k.q == q {
			return k
		}
	}
	return &count{}
}

func declared(s *contracts.Schema, name string) bool {
	return slices.ContainsFunc(s.Properties, func(p contracts.Property) bool { return p.DataName() == name })
}
