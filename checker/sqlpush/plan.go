package sqlpush

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// plan is a schema object compiled to one aggregate query: selects[0] is
// count(*), every other select one count a rule reads.
type plan struct {
	e       Engine
	d       rules.Dialect
	t       Table
	table   string // t quoted
	schema  *contracts.Schema
	q       *rules.Query
	selects []string
	columns []*column
	catalog []Column
	// keys are composite primary keys and schema-level duplicateValues.
	keys []*key
	// private holds the data names of the columns whose values stay out.
	private map[string]bool
	// skipped are the rules with no SQL form, reported as CHECK_SKIPPED.
	skipped []skip
}

type skip struct{ column, why string }

// column is one declared column present in the table.
type column struct {
	prop *contracts.Property
	cc   *checker.CompiledColumn
	name string
	id   string // quoted
	// catalogType is the table's type name for the column.
	catalogType string
	// numeric columns match the contract's values by number, others by
	// text, as the Arrow engine does.
	numeric bool
	// missing are the values every missingValues rule of the column lists:
	// nulls to every other rule.
	missing []any
	// nulls counts VALUE_NULL, dups the rows of repeated values (nil when
	// not asked); counts holds them and every quality metric's count.
	nulls, dups *count
	counts      []*count
	obs         []*pushed
}

// count is one count of the aggregate query that is not a rule's own SQL
// form: its predicate (pred, written again for each query, as bind
// parameters are numbered per query) and where its examples go.
type count struct {
	at   int
	pred func(q *rules.Query) string
	// agg, when set, is a subquery computing the count instead of
	// counting the rows where pred holds.
	agg func(q *rules.Query) string
	// value is the expression an example shows ("" shows the column).
	value string
	t     rules.Tally
	// examples is false for counts whose findings show none.
	examples bool
	// q is the quality metric counted, nil for VALUE_NULL and VALUE_UNIQUE.
	q *contracts.Quality
}

// pushed is one rule's observer with the select index of each outcome.
type pushed struct {
	rule    *rules.Rule
	obs     rules.Observer
	at      []int // select index per outcome (index 0 = outcome 1), 0 when none
	tallies []rules.Tally
}

// key is a tuple of columns checked for repeats.
type key struct {
	cols []string
	ids  []string
	// q is a schema-level duplicateValues rule, nil for a composite
	// primary key.
	q   *contracts.Quality
	pos contracts.Pos
	c   *count
}

func (p *plan) add(sql string) int {
	p.selects = append(p.selects, sql)
	return len(p.selects) - 1
}

func joinSelects(s []string) string { return strings.Join(s, ", ") }

func compile(e Engine, c *contracts.Contract, s *contracts.Schema, t Table, catalog []Column, opts Options) (*plan, error) {
	d := e.Dialect()
	p := &plan{e: e, d: d, t: t, table: t.In(d), schema: s, catalog: catalog, q: &rules.Query{Dialect: d},
		selects: []string{"count(*)"}, private: map[string]bool{}}
	if src, ok := e.(Source); ok {
		p.table = src.From(t)
	}
	dialect := c.Dialect(opts.Server)
	var pk []*contracts.Property
	for i := range s.Properties {
		if s.Properties[i].PrimaryKey {
			pk = append(pk, &s.Properties[i])
		}
	}
	for i := range s.Properties {
		prop := &s.Properties[i]
		name := prop.DataName()
		at := slices.IndexFunc(catalog, func(col Column) bool { return col.Name == name })
		if at < 0 {
			continue
		}
		cc, err := checker.CompileColumn(c.Path, prop, dialect)
		if err != nil {
			return nil, err
		}
		col := &column{prop: prop, cc: cc, name: name, id: d.Ident(name), catalogType: catalog[at].Type,
			numeric: numericKind(cc.Type.Domain.Kind)}
		if prop.Private() && !opts.ShowPrivateValues {
			cc.Desc.Private = true
			p.private[name] = true
		}
		for j := range prop.Quality {
			if q := &prop.Quality[j]; q.Type == "library" && q.Metric == "missingValues" {
				col.missing = append(col.missing, q.Arguments.MissingValues...)
			}
		}
		p.compileColumn(col, len(pk) == 1 && prop.PrimaryKey)
		if len(cc.Nested) > 0 {
			p.skipped = append(p.skipped, skip{name, "the value rules of " + strings.Join(cc.Nested, ", ") +
				" (fields inside the column) have no SQL form: not executed in the database"})
		}
		p.columns = append(p.columns, col)
	}
	if len(pk) > 1 {
		slices.SortStableFunc(pk, func(a, b *contracts.Property) int { return a.PrimaryKeyPosition - b.PrimaryKeyPosition })
		k := &key{pos: pk[0].PosOf("primaryKey")}
		for _, prop := range pk {
			k.cols = append(k.cols, prop.DataName())
		}
		p.addKey(k)
	}
	for i := range s.Quality {
		q := &s.Quality[i]
		if q.Type == "library" && q.Metric == "duplicateValues" && len(q.Arguments.Properties) > 0 {
			k := &key{q: q, pos: q.Pos}
			for _, name := range q.Arguments.Properties {
				k.cols = append(k.cols, dataNameOf(s, name))
			}
			p.addKey(k)
		}
	}
	return p, nil
}

func numericKind(k contracts.Kind) bool {
	switch k {
	case contracts.KindInt, contracts.KindUint, contracts.KindFloat, contracts.KindDecimal, contracts.KindNumber:
		return true
	}
	return false
}

// compileColumn adds a column's counts to the query. pk says the column is
// the schema's one primary key column, which must be unique.
func (p *plan) compileColumn(c *column, pk bool) {
	d := p.d
	isNull := func(q *rules.Query) string { return orFalse(c.id+" IS NULL", c.inSet(q, d, c.missing)) }
	if c.prop.Required {
		c.nulls = &count{pred: isNull, examples: true}
		c.counts = append(c.counts, c.nulls)
	}
	if c.prop.Unique || pk || c.hasMetric("duplicateValues") {
		c.dups = &count{examples: true, pred: func(q *rules.Query) string {
			return c.present(q, d) + " AND row_number() OVER (PARTITION BY " + c.id + " ORDER BY " + p.order() + ") > 1"
		}}
		// Every row of a repeated value counts, as in the Arrow engine.
		c.dups.agg = func(q *rules.Query) string {
			return p.repeats(q, []string{c.id}, c.present(q, d), "n")
		}
		c.counts = append(c.counts, c.dups)
	}
	for i := range c.prop.Quality {
		q := &c.prop.Quality[i]
		if q.Type != "library" {
			continue
		}
		switch q.Metric {
		case "nullValues":
			c.counts = append(c.counts, &count{q: q, pred: isNull})
		case "missingValues":
			vals := q.Arguments.MissingValues
			c.counts = append(c.counts, &count{q: q, examples: true, pred: func(qq *rules.Query) string {
				return orFalse(c.id+" IS NULL", c.inSet(qq, d, vals))
			}})
		case "invalidValues":
			a := q.Arguments
			c.counts = append(c.counts, &count{q: q, examples: true, pred: func(qq *rules.Query) string {
				var bad []string
				if len(a.ValidValues) > 0 {
					in := c.inSet(qq, d, a.ValidValues)
					if in == "" {
						in = "FALSE"
					}
					bad = append(bad, "NOT ("+in+")")
				}
				if a.Pattern != "" {
					// In the engine's syntax, matching what RE2 matches; a
					// pattern it cannot take (a PostgreSQL repetition over
					// 255) goes as written.
					re, err := rules.Pattern(d, a.Pattern)
					if err != nil {
						re = a.Pattern
					}
					bad = append(bad, "NOT ("+d.Matches(c.text(d), qq.Bind(re))+")")
				}
				if len(bad) == 0 {
					return "FALSE"
				}
				return c.present(qq, d) + " AND (" + strings.Join(bad, " OR ") + ")"
			}})
		case "duplicateValues":
			// Rows beyond the first of each repeated value; the examples
			// are the uniqueness count's.
			c.counts = append(c.counts, &count{q: q, agg: func(qq *rules.Query) string {
				return p.repeats(qq, []string{c.id}, c.present(qq, d), "n - 1")
			}})
		}
	}
	for _, k := range c.counts {
		k.at = p.add(p.aggregate(k, p.q))
	}
	for _, cr := range c.cc.Observers {
		if po := p.push(c, cr); po != nil {
			c.obs = append(c.obs, po)
		}
	}
	for _, k := range c.counts {
		k.t.Redact = c.cc.Desc.Private
	}
}

// push adds a column's compiled rule to the query, or lists it as not
// executed (never passed) when it has no SQL form here: a rule without one
// at all, one whose form this dialect or this value lacks (a pattern the
// engine cannot take, an array rule where the dialect cannot count items),
// and an array rule on a column the catalog does not call an array.
func (p *plan) push(c *column, cr checker.Compiled) *pushed {
	notExecuted := func(why string) *pushed {
		p.skipped = append(p.skipped, skip{c.name, cr.Rule.ID + " " + why + ": not executed in the database"})
		return nil
	}
	so, ok := cr.Observer.(rules.SQLObserver)
	if !ok {
		return notExecuted("has no SQL form for " + p.e.Name())
	}
	if cr.Rule.Observes&rules.Lists != 0 {
		if dom, known := contracts.ParsePhysicalType(c.catalogType, p.e.Types()); !known || dom.Kind != contracts.KindArray {
			return notExecuted(fmt.Sprintf("needs an array column; %s's type is %s", p.e.Name(), c.catalogType))
		}
	}
	rec := &recorder{Dialect: p.d, q: p.q, col: c}
	mark := len(p.q.Args)
	p.q.Dialect = rec
	aggs := so.SQL(p.q)
	p.q.Dialect = p.d
	if len(aggs) == 0 {
		p.q.Args = p.q.Args[:mark]
		return notExecuted("has no SQL form for " + p.e.Name() + " here")
	}
	po := &pushed{rule: cr.Rule, obs: cr.Observer, at: make([]int, cr.Observer.Outcomes()), tallies: make([]rules.Tally, cr.Observer.Outcomes())}
	for i := range po.tallies {
		po.tallies[i].Redact = c.cc.Desc.Private
	}
	for _, a := range aggs {
		po.at[a.Outcome-1] = p.add(a.SQL)
	}
	return po
}

func (p *plan) aggregate(k *count, q *rules.Query) string {
	if k.agg != nil {
		return k.agg(q)
	}
	return p.d.CountIf(k.pred(q))
}

// repeats is a subquery summing expr (n: the rows of a group) over the
// groups of keys that repeat, rows where pred holds.
func (p *plan) repeats(q *rules.Query, keys []string, pred, expr string) string {
	g := strings.Join(keys, ", ")
	return "(SELECT " + p.d.Cast("coalesce(sum("+expr+"), 0)", rules.CastBigInt) + " FROM (SELECT count(*) AS n FROM " + p.table +
		" WHERE " + pred + " GROUP BY " + g + " HAVING count(*) > 1) AS d)"
}

func (p *plan) order() string {
	if o := p.e.RowOrder(); o != "" {
		return o
	}
	return "(SELECT NULL)"
}

func (p *plan) addKey(k *key) {
	var notNull []string
	for _, name := range k.cols {
		id := p.d.Ident(name)
		k.ids = append(k.ids, id)
		notNull = append(notNull, id+" IS NOT NULL")
	}
	present := strings.Join(notNull, " AND ")
	expr := "n"
	if k.q != nil {
		expr = "n - 1"
	}
	parts := make([]string, 0, 2*len(k.ids)+1)
	parts = append(parts, "'('")
	for i, id := range k.ids {
		if i > 0 {
			parts = append(parts, "', '")
		}
		parts = append(parts, p.d.Cast(id, rules.CastText))
	}
	parts = append(parts, "')'")
	k.c = &count{examples: true, value: "concat(" + strings.Join(parts, ", ") + ")",
		pred: func(*rules.Query) string {
			return present + " AND row_number() OVER (PARTITION BY " + strings.Join(k.ids, ", ") + " ORDER BY " + p.order() + ") > 1"
		},
		agg: func(q *rules.Query) string { return p.repeats(q, k.ids, present, expr) }}
	for _, name := range k.cols {
		k.c.t.Redact = k.c.t.Redact || p.private[name]
	}
	k.c.at = p.add(p.aggregate(k.c, p.q))
	p.keys = append(p.keys, k)
}

func (c *column) hasMetric(m string) bool {
	return slices.ContainsFunc(c.prop.Quality, func(q contracts.Quality) bool { return q.Type == "library" && q.Metric == m })
}

// present is the predicate that a row's value is neither null nor a value
// the contract lists as missing.
func (c *column) present(q *rules.Query, d rules.Dialect) string {
	in := c.inSet(q, d, c.missing)
	if in == "" {
		return c.id + " IS NOT NULL"
	}
	return c.id + " IS NOT NULL AND NOT (" + in + ")"
}

// inSet is the predicate that the column's value is one of vals, matched
// as the Arrow engine matches them: by number in a numeric column, by
// text otherwise; "" when no value of vals can match.
func (c *column) inSet(q *rules.Query, d rules.Dialect, vals []any) string {
	texts, nums := checker.ContractValues(vals)
	var ph []string
	expr := c.text(d)
	if c.numeric {
		expr = d.Cast(c.id, rules.CastDouble)
		for _, n := range nums {
			ph = append(ph, q.Bind(n))
		}
	} else {
		for _, s := range texts {
			ph = append(ph, q.Bind(s))
		}
	}
	if len(ph) == 0 {
		return ""
	}
	return expr + " IN (" + strings.Join(ph, ", ") + ")"
}

// text is the column as text: itself when it is a string column.
func (c *column) text(d rules.Dialect) string {
	if c.cc.Type.Domain.Kind == contracts.KindString {
		return c.id
	}
	return d.Cast(c.id, rules.CastText)
}

func orFalse(a, b string) string {
	if b == "" {
		return a
	}
	return a + " OR " + b
}

// dataNameOf maps a contract property name to its data name.
func dataNameOf(s *contracts.Schema, name string) string {
	for i := range s.Properties {
		if s.Properties[i].Name == name {
			return s.Properties[i].DataName()
		}
	}
	return name
}

// examples fetches up to report.MaxExamples rows of every failing count,
// one bounded query each. A row is its 1-based ordinal in the engine's
// row order, which for a table loaded from a file is the file's row.
func (p *plan) examples(ctx context.Context, n *counts) error {
	for _, c := range p.columns {
		for _, k := range c.counts {
			if k.examples && n.vals[k.at] > 0 {
				if err := p.fetchCount(ctx, k, c.id); err != nil {
					return err
				}
			}
		}
		for _, po := range c.obs {
			for i, at := range po.at {
				if at == 0 || n.vals[at] == 0 {
					continue
				}
				// Compile the rule's SQL again, recording the predicate of
				// outcome i and its own parameters.
				q := &rules.Query{}
				rec := &recorder{Dialect: p.d, q: q, col: c, relative: true}
				q.Dialect = rec
				aggs := po.obs.(rules.SQLObserver).SQL(q)
				for j, a := range aggs {
					if int(a.Outcome) != i+1 || j >= len(rec.preds) {
						continue
					}
					pr := rec.preds[j]
					if err := p.fetch(ctx, c.text(p.d), pr.sql, pr.args, &po.tallies[i]); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, k := range p.keys {
		if n.vals[k.c.at] > 0 {
			if err := p.fetchCount(ctx, k.c, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *plan) fetchCount(ctx context.Context, k *count, id string) error {
	q := &rules.Query{Dialect: p.d}
	pred := k.pred(q)
	value := k.value
	if value == "" {
		value = p.d.Cast(id, rules.CastText)
	}
	return p.fetch(ctx, value, pred, q.Args, &k.t)
}

func (p *plan) fetch(ctx context.Context, value, pred string, args []any, into *rules.Tally) error {
	num := "row_number() OVER (ORDER BY " + p.order() + ")"
	if nb, ok := p.e.(Numbered); ok && nb.RowNumber() != "" {
		num = nb.RowNumber()
	}
	text := "SELECT n, v FROM (SELECT " + num + " AS n, " + value + " AS v, (" + pred + ") AS bad FROM " +
		p.table + ") AS r WHERE bad ORDER BY n LIMIT " + strconv.Itoa(report.MaxExamples)
	rows, err := p.e.Rows(ctx, text, args)
	if err != nil {
		return &QueryError{What: "fetch example rows from " + p.t.String(), Err: err}
	}
	for _, r := range rows {
		if len(r) != 2 {
			return &QueryError{What: "fetch example rows from " + p.t.String(), Err: fmt.Errorf("%d values in an example row, want 2", len(r))}
		}
		row, err := asInt64(r[0])
		if err != nil {
			return &QueryError{What: "fetch example rows from " + p.t.String(), Err: err}
		}
		into.Example(p.t.String(), row, asText(r[1]))
	}
	return nil
}

// recorder is the engine's dialect for one column's rules: every count
// leaves out the values the contract lists as missing (nulls to every
// other rule, as in the Arrow engine), and, when relative, each CountIf
// predicate is recorded with its own parameters numbered from 1, so one
// predicate runs on its own.
type recorder struct {
	rules.Dialect
	q          *rules.Query
	col        *column
	relative   bool
	base, last int
	preds      []pred
}

type pred struct {
	sql  string
	args []any
}

func (r *recorder) Placeholder(n int) string {
	r.last = n
	if r.relative {
		n -= r.base
	}
	return r.Dialect.Placeholder(n)
}

func (r *recorder) CountIf(p string) string {
	if in := r.col.inSet(r.q, r, r.col.missing); in != "" {
		p = "(" + p + ") AND NOT (" + in + ")"
	}
	r.preds = append(r.preds, pred{sql: p, args: slices.Clone(r.q.Args[r.base:r.last])})
	r.base = r.last
	return r.Dialect.CountIf(p)
}
