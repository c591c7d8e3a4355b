// Package sqlpush checks a contract's schema object inside the PostgreSQL
// server that holds the table: the rules' SQL forms (checker/rules) are
// assembled into one aggregate query, the server counts, and only the
// counts and a few example rows come back. The findings are the ones the
// Arrow engine makes from the same tallies, so both agree to the row.
//
// Rules without an SQL form are reported as CHECK_SKIPPED (quality rules
// as QUALITY_NOT_EXECUTED), never as passed.
package sqlpush

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Options configures one pushdown check.
type Options struct {
	Contract *contracts.Contract
	// Schema names the schema object; empty picks the only one.
	Schema string
	// DBSchema is the PostgreSQL schema holding the table ("public" when
	// empty). The table is the schema object's physicalName, else its name.
	DBSchema string
	// Input names the table in the report (no credentials).
	Input       string
	FailOn      string
	ToolVersion string
	// ShowPrivateValues lets examples of private columns show values.
	ShowPrivateValues bool
}

// QueryError is a query the server could not run: the CLI exits 3 on it.
type QueryError struct {
	What string
	Err  error
}

func (e *QueryError) Error() string { return e.What + ": " + e.Err.Error() }
func (e *QueryError) Unwrap() error { return e.Err }

// Check runs the contract's checks of one schema object against its table.
func Check(ctx context.Context, db *sql.DB, opts Options) (*report.Report, error) {
	if opts.FailOn == "" {
		opts.FailOn = "error"
	}
	c := opts.Contract
	schema, err := checker.SelectSchema(c, opts.Schema)
	if err != nil {
		return nil, err
	}
	t := table{schema: opts.DBSchema, name: schema.PhysicalName}
	if t.schema == "" {
		t.schema = "public"
	}
	if t.name == "" {
		t.name = schema.Name
	}
	b := &sink{schema: schema.Name, file: c.Path, private: map[string]bool{}}
	rep := &report.Report{
		Tool:    report.Tool{Name: "driftgate", Version: opts.ToolVersion},
		Command: "check",
		Contract: &report.ContractRef{
			ID: c.ID, Version: c.Version, Name: c.Name, Path: c.Path, SHA256: c.SHA256, Schema: schema.Name,
		},
	}
	present, err := columnsOf(ctx, db, t)
	if err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	p, err := compile(c.Path, schema, t, present, opts.ShowPrivateValues, b)
	if err != nil {
		return nil, err
	}
	counts, err := p.run(ctx, db, t)
	if err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	if err := p.examples(ctx, db, t, counts); err != nil {
		return errorReport(rep, err, opts.FailOn)
	}
	p.findings(b, counts, present)
	rep.Inputs = []report.Input{{Path: opts.Input, Format: "postgres", Rows: counts.rows}}
	rep.Summary.Rows = counts.rows
	rep.Findings, rep.Checks = b.findings, b.checks
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

// table is a quoted-on-use PostgreSQL table name.
type table struct{ schema, name string }

func (t table) String() string {
	return rules.Postgres.Ident(t.schema) + "." + rules.Postgres.Ident(t.name)
}

// columnsOf reads the table's columns from the catalog, in table order.
func columnsOf(ctx context.Context, db *sql.DB, t table) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, t.schema, t.name)
	if err != nil {
		return nil, &QueryError{What: "read the columns of " + t.String(), Err: err}
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, &QueryError{What: "read the columns of " + t.String(), Err: err}
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, &QueryError{What: "read the columns of " + t.String(), Err: err}
	}
	if len(out) == 0 {
		return nil, &QueryError{What: "check " + t.String(), Err: fmt.Errorf("no such table, or no columns visible to this user")}
	}
	return out, nil
}

// query runs the one aggregate query and returns its counts, in the order
// the plan asked for them.
func (p *plan) run(ctx context.Context, db *sql.DB, t table) (*counts, error) {
	text := "SELECT " + strings.Join(p.selects, ", ") + " FROM " + t.String()
	vals := make([]int64, len(p.selects))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRowContext(ctx, text, p.q.Args...).Scan(ptrs...); err != nil {
		return nil, &QueryError{What: "run the aggregate query on " + t.String(), Err: err}
	}
	return &counts{rows: vals[0], vals: vals}, nil
}

type counts struct {
	rows int64
	vals []int64
}
