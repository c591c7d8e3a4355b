package sqlpush

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// plan is a schema object compiled to one aggregate query: selects[0] is
// count(*), every other select one count a rule reads.
type plan struct {
	schema  *contracts.Schema
	q       *rules.Query
	selects []string
	columns []*column
	// skipped are the rules with no SQL form, reported as CHECK_SKIPPED.
	skipped []skip
}

type skip struct{ column, why string }

// column is one declared column present in the table.
type column struct {
	prop    *contracts.Property
	desc    rules.Column
	nulls   int // select index of the null count, 0 when not asked
	nullT   rules.Tally
	unique  int
	uniqueT rules.Tally
	obs     []*pushed
	// quality are the column's library metrics pushed down.
	quality []*metric
}

// pushed is one rule's observer with the select index of each outcome.
type pushed struct {
	rule    *rules.Rule
	obs     rules.Observer
	at      []int // select index per outcome (index 0 = outcome 1), 0 when none
	tallies []rules.Tally
}

type metric struct {
	q  *contracts.Quality
	at int
}

func (p *plan) add(sql string) int {
	p.selects = append(p.selects, sql)
	return len(p.selects) - 1
}

func compile(file string, s *contracts.Schema, t table, present []string, showPrivate bool, b *sink) (*plan, error) {
	p := &plan{schema: s, q: &rules.Query{Dialect: rules.Postgres}, selects: []string{"count(*)"}}
	d := rules.Postgres
	pk := 0
	for i := range s.Properties {
		if s.Properties[i].PrimaryKey {
			pk++
		}
	}
	for i := range s.Properties {
		prop := &s.Properties[i]
		name := prop.DataName()
		if !slices.Contains(present, name) {
			continue
		}
		c := &column{prop: prop, desc: rules.Column{File: file, Name: name, Prop: prop,
			Time: prop.LogicalType == "date" || prop.LogicalType == "timestamp" || prop.LogicalType == "time"}}
		if prop.Private() && !showPrivate {
			c.desc.Private = true
			c.nullT.Redact, c.uniqueT.Redact = true, true
			b.private[name] = true
		}
		id := d.Ident(name)
		if prop.Required {
			c.nulls = p.add(d.CountIf(id + " IS NULL"))
		}
		if prop.Unique || prop.PrimaryKey && pk == 1 {
			// Every row of a repeated value counts, as in the Arrow engine.
			c.unique = p.add("(SELECT coalesce(sum(n), 0)::bigint FROM (SELECT count(*) AS n FROM " + t.String() + " WHERE " + id +
				" IS NOT NULL GROUP BY " + id + " HAVING count(*) > 1) AS d)")
		}
		for _, r := range rules.All() {
			if r.Compile == nil {
				continue
			}
			o, err := r.Compile(&c.desc)
			if err != nil {
				return nil, err
			}
			if o == nil {
				continue
			}
			so, ok := o.(rules.SQLObserver)
			if !ok {
				p.skipped = append(p.skipped, skip{name, r.ID + " has no SQL form for PostgreSQL: not executed in the database"})
				continue
			}
			po := &pushed{rule: r, obs: o, at: make([]int, o.Outcomes()), tallies: make([]rules.Tally, o.Outcomes())}
			for i := range po.tallies {
				po.tallies[i].Redact = c.desc.Private
			}
			for _, a := range so.SQL(p.q) {
				po.at[a.Outcome-1] = p.add(a.SQL)
			}
			c.obs = append(c.obs, po)
		}
		for i := range prop.Quality {
			q := &prop.Quality[i]
			if q.Type == "library" && q.Metric == "nullValues" {
				c.quality = append(c.quality, &metric{q: q, at: p.add(d.CountIf(id + " IS NULL"))})
			}
		}
		p.columns = append(p.columns, c)
	}
	return p, nil
}

// examples fetches up to report.MaxExamples rows of every failing count,
// one bounded query each. A row is its 1-based ordinal in the table's
// physical (ctid) order, which for a table loaded from a file is the
// file's row.
func (p *plan) examples(ctx context.Context, db *sql.DB, t table, n *counts) error {
	d := rules.Postgres
	for _, c := range p.columns {
		id := d.Ident(c.desc.Name)
		if c.nulls > 0 && n.vals[c.nulls] > 0 {
			if err := fetch(ctx, db, t, id, id+" IS NULL", nil, &c.nullT); err != nil {
				return err
			}
		}
		if c.unique > 0 && n.vals[c.unique] > 0 {
			// The Arrow engine's examples are the rows that repeat an
			// earlier row's value.
			pred := id + " IS NOT NULL AND row_number() OVER (PARTITION BY " + id + " ORDER BY ctid) > 1"
			if err := fetch(ctx, db, t, id, pred, nil, &c.uniqueT); err != nil {
				return err
			}
		}
		for _, po := range c.obs {
			for i, at := range po.at {
				if at == 0 || n.vals[at] == 0 {
					continue
				}
				po.tallies[i].Count = n.vals[at]
				// Compile the rule's SQL again, recording the predicate of
				// outcome i and its own parameters.
				q := &rules.Query{}
				rec := &recorder{Dialect: d, q: q}
				q.Dialect = rec
				aggs := po.obs.(rules.SQLObserver).SQL(q)
				for j, a := range aggs {
					if int(a.Outcome) != i+1 || j >= len(rec.preds) {
						continue
					}
					pr := rec.preds[j]
					if err := fetch(ctx, db, t, id, pr.sql, pr.args, &po.tallies[i]); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func fetch(ctx context.Context, db *sql.DB, t table, id, pred string, args []any, into *rules.Tally) error {
	text := "SELECT n, v FROM (SELECT row_number() OVER (ORDER BY ctid) AS n, " + id + "::text AS v, (" + pred + ") AS bad FROM " +
		t.String() + ") AS r WHERE bad LIMIT " + strconv.Itoa(report.MaxExamples)
	rows, err := db.QueryContext(ctx, text, args...)
	if err != nil {
		return &QueryError{What: "fetch example rows from " + t.String(), Err: err}
	}
	defer rows.Close()
	for rows.Next() {
		var row int64
		var v sql.NullString
		if err := rows.Scan(&row, &v); err != nil {
			return &QueryError{What: "fetch example rows from " + t.String(), Err: err}
		}
		into.Example(t.String(), row, v.String)
	}
	if err := rows.Err(); err != nil {
		return &QueryError{What: "fetch example rows from " + t.String(), Err: err}
	}
	return nil
}

// recorder is the PostgreSQL dialect numbering each CountIf predicate's
// parameters from $1, so one predicate runs on its own.
type recorder struct {
	rules.Dialect
	q          *rules.Query
	base, last int
	preds      []pred
}

type pred struct {
	sql  string
	args []any
}

func (r *recorder) Placeholder(n int) string {
	r.last = n
	return r.Dialect.Placeholder(n - r.base)
}

func (r *recorder) CountIf(p string) string {
	r.preds = append(r.preds, pred{sql: p, args: slices.Clone(r.q.Args[r.base:r.last])})
	r.base = r.last
	return r.Dialect.CountIf(p)
}
