package checker

import (
	"context"
	"slices"
	"sort"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// This file is what other engines judging the same rules (the SQL
// pushdown, checker/sqlpush) share with the Arrow engine: the column
// compile and the findings builder, so a rule compiles and reports the
// same way whichever engine counted its rows.

// Findings is the Arrow engine's findings builder for another engine: the
// rules' Sink, listing each check once and keeping the values of private
// columns out of every finding.
type Findings struct{ b builder }

// NewFindings starts the findings of one schema object of the contract
// file; private holds the data names of the columns whose values must not
// be shown.
func NewFindings(schema, file string, private map[string]bool) *Findings {
	return &Findings{b: builder{schema: schema, file: file, private: private}}
}

// Check lists rule r as run on column.
func (f *Findings) Check(r *rules.Rule, column string) { f.b.check(r, column) }

// Add records a finding of rule r.
func (f *Findings) Add(r *rules.Rule, fd report.Finding) { f.b.add(r, fd) }

// Loc is the position p in the contract file.
func (f *Findings) Loc(p contracts.Pos) *report.Location { return f.b.loc(p) }

// Skipped reports a check that was not run (CHECK_SKIPPED) and why.
func (f *Findings) Skipped(column, why string) { f.b.skipped(column, why) }

// Result returns the findings and the checks listed so far.
func (f *Findings) Result() ([]report.Finding, []report.Check) { return f.b.findings, f.b.checks }

// Compiled is one rule compiled for a column: its observer, which other
// engines push down through its SQL form (rules.SQLObserver).
type Compiled struct {
	Rule     *rules.Rule
	Observer rules.Observer
}

// CompiledColumn is a declared column compiled as the Arrow engine
// compiles it.
type CompiledColumn struct {
	// Desc is what the observers read of the column; setting
	// Desc.Private before findings keeps its values out of them.
	Desc *rules.Column
	// Type is the declared type, read in the dialect given.
	Type contracts.Type
	// Observers are the rules the column declares, in registry order.
	Observers []Compiled
	// Nested names the fields inside an object or array column that
	// declare value rules of their own (customer.email, tags[],
	// lines[].codes), which only the Arrow engine runs.
	Nested []string
}

// CompileColumn compiles the rules of one declared column, physicalType
// read in dialect d. A contract that cannot be executed as written is a
// *ContractError.
func CompileColumn(file string, prop *contracts.Property, d contracts.Dialect) (*CompiledColumn, error) {
	c, err := newColumn(file, prop, d)
	if err != nil {
		return nil, err
	}
	out := &CompiledColumn{Desc: &c.desc, Type: c.exp.t}
	for _, ob := range c.obs {
		out.Observers = append(out.Observers, Compiled{Rule: ob.rule, Observer: ob.o})
	}
	p := &plan{contract: &contracts.Contract{Path: file}}
	fields, err := p.nestedOf(c.name, prop, d, false)
	if err != nil {
		return nil, err
	}
	walkNested(fields, func(f *nestedField) {
		if f.judged {
			out.Nested = append(out.Nested, f.col.name)
		}
	})
	return out, nil
}

// ContractValues are the values of a validValues or missingValues list as
// the Arrow engine matches them: the texts a value of any type is
// compared with, and the numbers a numeric value is compared with. Both
// are sorted; null is in neither.
func ContractValues(vals []any) (texts []string, nums []float64) {
	s := newValueSet(vals)
	for t := range s.strs {
		texts = append(texts, t)
	}
	for n := range s.nums {
		nums = append(nums, n)
	}
	sort.Strings(texts)
	slices.Sort(nums)
	return texts, nums
}

// SQLRunner runs a contract's sql quality rules over the data files of a
// check (Options.SQL): the Arrow engine has no SQL, so an engine that
// reads the same files answers them.
type SQLRunner interface {
	// RunSQL runs each rule's query over files, the schema object s being
	// the table, read as src says (format, CSV options) and as the
	// contract declares, physicalTypes in dialect d. It returns one
	// outcome per rule, in order; an outcome whose Err is a
	// *rules.NotRunError is a rule that cannot run here.
	RunSQL(ctx context.Context, s *contracts.Schema, d contracts.Dialect, files []string, src source.Options, rules []SQLRule) []SQLOutcome
}

// SQLRule is one sql quality rule of a schema object; Column is the data
// name of the column it is declared under, "" at schema level.
type SQLRule struct {
	Quality *contracts.Quality
	Column  string
}

// SQLOutcome is what an sql rule's query returned: its first value, or
// the error it failed with.
type SQLOutcome struct {
	Value any
	Err   error
}

// runSQL runs the schema object's sql rules through Options.SQL.
func (r *run) runSQL(ctx context.Context) {
	if r.opts.SQL == nil {
		return
	}
	s := r.plan.schema
	var list []SQLRule
	for i := range s.Quality {
		if q := &s.Quality[i]; q.Type == "sql" {
			list = append(list, SQLRule{Quality: q})
		}
	}
	for _, c := range r.plan.columns {
		for i := range c.prop.Quality {
			if q := &c.prop.Quality[i]; q.Type == "sql" {
				list = append(list, SQLRule{Quality: q, Column: c.name})
			}
		}
	}
	if len(list) == 0 {
		return
	}
	out := r.opts.SQL.RunSQL(ctx, s, r.plan.dialect, r.opts.Files, r.opts.Source, list)
	r.sql = map[*contracts.Quality]SQLOutcome{}
	for i, o := range out {
		if i < len(list) {
			r.sql[list[i].Quality] = o
		}
	}
}

// notLibrary reports a quality rule that is not a library metric: an sql
// rule Options.SQL ran by its outcome, the others not executed.
func (r *run) notLibrary(b *builder, q *contracts.Quality, column string) {
	if o, ok := r.sql[q]; ok {
		rules.SQLResult(b, q, column, o.Value, o.Err)
		return
	}
	rules.NotExecutable(b, q, column)
}
