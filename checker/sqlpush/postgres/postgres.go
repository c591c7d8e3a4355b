// Package postgres is the PostgreSQL engine of the SQL pushdown
// (checker/sqlpush), through pgx's database/sql driver.
package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Engine checks tables in one PostgreSQL database.
type Engine struct{ sqlpush.DB }

// New is the engine over an open database ("pgx" driver).
func New(db *sql.DB) *Engine { return &Engine{sqlpush.DB{DB: db}} }

// Open connects to the database at dsn and checks the connection.
func Open(ctx context.Context, dsn string) (*Engine, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot connect: %w", err)
	}
	return New(db), nil
}

// Close closes the connection pool.
func (e *Engine) Close() error { return e.DB.Close() }

// Name is the engine's name in messages.
func (e *Engine) Name() string { return "PostgreSQL" }

// Dialect is PostgreSQL's SQL.
func (e *Engine) Dialect() rules.Dialect { return rules.Postgres }

// Types is PostgreSQL's type vocabulary.
func (e *Engine) Types() contracts.Dialect { return contracts.Postgres }

// RowOrder is the physical order, which for a table loaded from a file is
// the file's.
func (e *Engine) RowOrder() string { return "ctid" }

// Columns reads the table's columns from pg_catalog, with their types as
// format_type spells them (numeric(10,2), timestamp with time zone). An
// empty schema is the first schema of the search path.
func (e *Engine) Columns(ctx context.Context, t sqlpush.Table) ([]sqlpush.Column, error) {
	rows, err := e.DB.QueryContext(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod)
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = coalesce(nullif($1, ''), current_schema()) AND c.relname = $2
		  AND a.attnum > 0 AND NOT a.attisdropped AND has_column_privilege(c.oid, a.attnum, 'SELECT')
		ORDER BY a.attnum`, t.Schema, t.Name)
	if err != nil {
		return nil, &sqlpush.QueryError{What: "read the columns of " + t.String(), Err: err}
	}
	defer rows.Close()
	var out []sqlpush.Column
	for rows.Next() {
		var c sqlpush.Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, &sqlpush.QueryError{What: "read the columns of " + t.String(), Err: err}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, &sqlpush.QueryError{What: "read the columns of " + t.String(), Err: err}
	}
	if len(out) == 0 {
		return nil, &sqlpush.QueryError{What: "check " + t.String(), Err: fmt.Errorf("no such table, or no columns visible to this user")}
	}
	return out, nil
}

// SQL runs a contract's sql rule in a read-only transaction, so a
// data-modifying WITH or a function that writes fails in PostgreSQL
// itself.
func (e *Engine) SQL(ctx context.Context, query string) ([]any, error) {
	tx, err := e.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return sqlpush.QueryRow(ctx, tx, query, nil)
}
