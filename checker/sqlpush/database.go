package sqlpush

import (
	"context"
	"database/sql"
	"errors"
)

// Querier is what database/sql's DB, Conn and Tx share: engines reached
// through a database/sql driver (PostgreSQL, DuckDB) answer Row and Rows
// with QueryRow and QueryRows.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// QueryRow runs query and returns its only row, each value as the driver
// gives it (int64, float64, string, []byte, bool, time.Time or nil). No
// row, or more than one, is an error.
func QueryRow(ctx context.Context, db Querier, query string, args []any) ([]any, error) {
	rows, err := queryRows(ctx, db, query, args, 2)
	if err != nil {
		return nil, err
	}
	switch len(rows) {
	case 0:
		return nil, errors.New("the query returned no row")
	case 1:
		return rows[0], nil
	}
	return nil, errors.New("the query returned more than one row")
}

// QueryRows runs query and returns its rows, as QueryRow returns one.
func QueryRows(ctx context.Context, db Querier, query string, args []any) ([][]any, error) {
	return queryRows(ctx, db, query, args, -1)
}

// queryRows reads at most limit rows (all when negative).
func queryRows(ctx context.Context, db Querier, query string, args []any, limit int) ([][]any, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for (limit < 0 || len(out) < limit) && rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// DB answers an Engine's Row and Rows through database/sql: the engines
// reached through a database/sql driver embed it.
type DB struct{ *sql.DB }

// Row runs one query and returns its only row.
func (d DB) Row(ctx context.Context, query string, args []any) ([]any, error) {
	return QueryRow(ctx, d.DB, query, args)
}

// Rows runs one query and returns its rows.
func (d DB) Rows(ctx context.Context, query string, args []any) ([][]any, error) {
	return QueryRows(ctx, d.DB, query, args)
}
