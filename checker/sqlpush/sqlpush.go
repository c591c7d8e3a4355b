// Package sqlpush checks a contract's schema object inside the SQL engine
// that holds the table: the rules' SQL forms (checker/rules) are assembled
// into one aggregate query, the engine counts, and only the counts and a
// few example rows come back. The findings are the ones the Arrow engine
// makes from the same tallies, so both agree to the row.
//
// Rules without an SQL form are reported as CHECK_SKIPPED (quality rules
// as QUALITY_NOT_EXECUTED), never as passed.
//
// # How an engine plugs in
//
// An engine is a value implementing Engine, in a package of its own
// (checker/sqlpush/postgres, checker/sqlpush/duckdb, checker/sqlpush/spark):
//
//   - Dialect writes the SQL (rules.Dialect: identifier quoting, bind
//     placeholders, the regular-expression operator, casts); every value
//     is a bind parameter, never spliced into the text.
//   - Types names the vocabulary its catalog's type names are read in
//     (contracts.Dialect), which COLUMN_TYPE compares with the contract.
//   - Columns reads a table's columns and their type names from the
//     catalog (information_schema, DESCRIBE).
//   - Row runs one query with bind arguments and returns its one row: the
//     aggregate query with every count, and the examples' bounded queries
//     go through Rows.
//   - RowOrder is the expression that orders a table's rows as they were
//     loaded, which numbers example rows as the Arrow engine numbers a
//     file's rows.
//   - SQL runs a contract's `quality: type: sql` query as written, read-only.
//
// Check does the rest: it compiles each column with the Arrow engine's
// compile (checker.CompileColumn), asks for every count in one query,
// fetches up to report.MaxExamples rows per failing count, and builds the
// findings with the Arrow engine's builder (checker.Findings). An engine
// adds no rule code: a rule's SQL form is written once, in checker/rules.
package sqlpush

import (
	"context"
	"fmt"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// Engine is one SQL engine a contract is checked inside; see the package
// documentation for how one plugs in.
type Engine interface {
	// Name names the engine in messages: PostgreSQL, DuckDB, Spark.
	Name() string
	// Dialect writes the engine's SQL.
	Dialect() rules.Dialect
	// Types is the vocabulary the catalog's type names are written in.
	Types() contracts.Dialect
	// Columns returns the table's columns in table order, with their
	// catalog type names. A table that does not exist, or has no column
	// the user may see, is an error.
	Columns(ctx context.Context, t Table) ([]Column, error)
	// Row runs query with its bind arguments and returns its only row,
	// one value per column: int64, float64, string, []byte, bool,
	// time.Time or nil.
	Row(ctx context.Context, query string, args []any) ([]any, error)
	// Rows runs query with its bind arguments and returns every row, as
	// Row returns one.
	Rows(ctx context.Context, query string, args []any) ([][]any, error)
	// RowOrder is an expression ordering the table's rows as they were
	// loaded (PostgreSQL's ctid, DuckDB's rowid), "" when the engine has
	// none; examples are then numbered in an order of the engine's.
	RowOrder() string
	// SQL runs a contract's sql quality rule as written, read-only
	// (sqlpush refuses anything but one SELECT or WITH statement before;
	// the engine adds its own guard), and returns its first row.
	SQL(ctx context.Context, query string) ([]any, error)
}

// Column is a table column as the engine's catalog describes it.
type Column struct {
	Name string
	// Type is the catalog's type name, in the engine's Types vocabulary.
	Type string
}

// Source is an engine that names a table's FROM clause itself: one that
// reads files rather than a table of its catalog (Spark over a Parquet
// dataset). Other engines' tables are Table.In their dialect.
type Source interface {
	From(t Table) string
}

// Numbered is an engine that can give each row of the table its 1-based
// ordinal without sorting the table (Spark over one file:
// _metadata.row_index + 1). An example query then takes its first rows
// by a top-k, not by a window over every row, which a distributed engine
// runs in one task. "" means the engine cannot, for this table.
type Numbered interface {
	RowNumber() string
}

// Table names a table in an engine; an empty Schema leaves it to the
// engine's search path.
type Table struct{ Schema, Name string }

// In is the table's name quoted in dialect d.
func (t Table) In(d rules.Dialect) string {
	if t.Schema == "" {
		return d.Ident(t.Name)
	}
	return d.Ident(t.Schema) + "." + d.Ident(t.Name)
}

func (t Table) String() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// Options configures one pushdown check.
type Options struct {
	Contract *contracts.Contract
	// Schema names the schema object; empty picks the only one.
	Schema string
	// Server names the contract's server entry the table is on, whose
	// dialect the declared physicalTypes are read in.
	Server string
	// DBSchema is the engine's schema holding the table (empty: the
	// engine's default). The table is the schema object's physicalName,
	// else its name.
	DBSchema string
	// Input names the table in the report (no credentials).
	Input       string
	FailOn      string
	ToolVersion string
	// ShowPrivateValues lets examples of private columns show values.
	ShowPrivateValues bool
	// SQLTimeout bounds each sql quality rule's query (DefaultSQLTimeout
	// when 0).
	SQLTimeout time.Duration
}

// DefaultSQLTimeout bounds a contract's sql quality query.
const DefaultSQLTimeout = 60 * time.Second

// QueryError is a query the engine could not run: the CLI exits 3 on it.
type QueryError struct {
	What string
	Err  error
}

func (e *QueryError) Error() string { return e.What + ": " + e.Err.Error() }
func (e *QueryError) Unwrap() error { return e.Err }

// Check runs the contract's checks of one schema object against its table
// in engine e.
func Check(ctx context.Context, e Engine, opts Options) (*report.Report, error) {
	if opts.FailOn == "" {
		opts.FailOn = "error"
	}
	c := opts.Contract
	schema, err := checker.SelectSchema(c, opts.Schema)
	if err != nil {
		return nil, err
	}
	t := Table{Schema: opts.DBSchema, Name: schema.PhysicalName}
	if t.Name == "" {
		t.Name = schema.Name
	}
	rep := &report.Report{
		Tool:    report.Tool{Name: "driftgate", Version: opts.ToolVersion},
		Command: "check",
		Contract: &report.ContractRef{
			ID: c.ID, Version: c.Version, Name: c.Name, Path: c.Path, SHA256: c.SHA256, Schema: schema.Name,
		},
	}
	present, err := e.Columns(ctx, t)
	if err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	p, err := compile(e, c, schema, t, present, opts)
	if err != nil {
		return nil, err
	}
	counts, err := p.run(ctx)
	if err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	if err := p.examples(ctx, counts); err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	b := checker.NewFindings(schema.Name, c.Path, p.private)
	if err := p.findings(ctx, b, counts, opts); err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	rep.Inputs = []report.Input{{Path: opts.Input, Format: e.Dialect().Name(), Rows: counts.rows}}
	rep.Summary.Rows = counts.rows
	rep.Findings, rep.Checks = b.Result()
	if err := rep.Finalize(opts.FailOn); err != nil {
		return nil, err
	}
	return rep, nil
}

func errorReport(rep *report.Report, err error, failOn string) (*report.Report, error) {
	rep.Status = report.StatusError
	rep.Error = err.Error()
	if ferr := rep.Finalize(failOn); ferr != nil {
		return nil, ferr
	}
	return rep, err
}

// run runs the one aggregate query and returns its counts, in the order
// the plan asked for them.
func (p *plan) run(ctx context.Context) (*counts, error) {
	text := "SELECT " + joinSelects(p.selects) + " FROM " + p.table
	row, err := p.e.Row(ctx, text, p.q.Args)
	if err != nil {
		return nil, &QueryError{What: "run the aggregate query on " + p.t.String(), Err: err}
	}
	if len(row) != len(p.selects) {
		return nil, &QueryError{What: "run the aggregate query on " + p.t.String(),
			Err: fmt.Errorf("%d values for %d counts", len(row), len(p.selects))}
	}
	vals := make([]int64, len(row))
	for i, v := range row {
		n, err := asInt64(v)
		if err != nil {
			return nil, &QueryError{What: "read the counts of " + p.t.String(), Err: fmt.Errorf("count %d (%s): %w", i, p.selects[i], err)}
		}
		vals[i] = n
	}
	return &counts{rows: vals[0], vals: vals}, nil
}

type counts struct {
	rows int64
	vals []int64
}
