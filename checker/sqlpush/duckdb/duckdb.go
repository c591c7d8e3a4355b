// Package duckdb is the embedded DuckDB engine of the SQL pushdown
// (checker/sqlpush), through github.com/duckdb/duckdb-go/v2 and its
// prebuilt bindings. It checks tables in a DuckDB database file (servers of
// type duckdb) and runs a contract's sql quality rules over local files
// (Files), the schema object being a view over them.
//
// DuckDB needs cgo: it is compiled in only where cgo is on. A pure-Go build
// (CGO_ENABLED=0) has this package without the driver, Available is false,
// and every use reports ErrUnavailable: a duckdb server is a usage error
// (exit 2) and sql rules on files are reported as not executed.
package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"
)

// Available says this build has DuckDB (it was built with cgo).
const Available = available

// ErrUnavailable is every use of DuckDB in a build without it.
var ErrUnavailable = errors.New("this build has no DuckDB (built without cgo)")

// Engine checks tables in one DuckDB database.
type Engine struct {
	sqlpush.DB
	// tmp is the directory DuckDB spills to, removed on Close.
	tmp string
}

// settings keep DuckDB offline and as configured: no extension is
// downloaded or loaded behind the user's back (Parquet and JSON are built
// in).
var settings = url.Values{"autoinstall_known_extensions": {"false"}, "autoload_known_extensions": {"false"}}

// MemoryLimit bounds what DuckDB's buffer manager holds (its hash tables,
// sorts and caches), in bytes; past it DuckDB spills to a temporary
// directory of its own. DuckDB's own default is 80% of the machine's
// memory, which put a COUNT(DISTINCT) over 5M rows at 480 MB peak RSS for
// the whole process against driftgate's 240 MiB budget: driftgate gives it
// a share of the budget (cmd/driftgate/memory.go). The zero value is
// DefaultMemoryLimit; NoMemoryLimit leaves DuckDB its own default.
type MemoryLimit int64

const (
	// DefaultMemoryLimit is DuckDB's share of driftgate's default budget
	// (the share's floor, more than a quarter of 240 MiB): what a caller
	// that says nothing gets.
	DefaultMemoryLimit MemoryLimit = 64 << 20
	// NoMemoryLimit leaves DuckDB's own default (DRIFTGATE_MEMORY_LIMIT=off).
	NoMemoryLimit MemoryLimit = -1
)

// setting is the limit as DuckDB's memory_limit spells it, in whole KiB;
// "" leaves DuckDB's default.
func (m MemoryLimit) setting() string {
	switch {
	case m == 0:
		m = DefaultMemoryLimit
	case m < 0:
		return ""
	}
	return fmt.Sprintf("%dKiB", max(1, m>>10))
}

// Open opens the database file at path read-only, its buffer manager
// bounded by mem: a check never writes to the database it checks, and
// DuckDB itself refuses any write.
func Open(ctx context.Context, path string, mem MemoryLimit) (*Engine, error) {
	if !Available {
		return nil, ErrUnavailable
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err // DuckDB would create a missing file
	}
	return open(ctx, path, mem, url.Values{"access_mode": {"read_only"}})
}

// OpenMemory opens an empty in-memory database, its buffer manager bounded
// by mem.
func OpenMemory(ctx context.Context, mem MemoryLimit) (*Engine, error) {
	if !Available {
		return nil, ErrUnavailable
	}
	return open(ctx, "", mem, nil)
}

// open opens the database at path ("" for in memory) with settings and
// the memory limit, spilling to a temporary directory: by default DuckDB
// would spill next to the database file, or into .tmp in the working
// directory.
func open(ctx context.Context, path string, mem MemoryLimit, extra url.Values) (*Engine, error) {
	tmp, err := os.MkdirTemp("", "driftgate-duckdb-*")
	if err != nil {
		return nil, fmt.Errorf("DuckDB's temporary directory: %w", err)
	}
	v := url.Values{"temp_directory": {tmp}}
	if limit := mem.setting(); limit != "" {
		v.Set("memory_limit", limit)
	}
	for k, s := range settings {
		v[k] = s
	}
	for k, s := range extra {
		v[k] = s
	}
	db, err := sql.Open(driverName, path+"?"+v.Encode())
	if err == nil {
		if err = db.PingContext(ctx); err != nil {
			db.Close()
		}
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Engine{DB: sqlpush.DB{DB: db}, tmp: tmp}, nil
}

// Close closes the database and removes what it spilled.
func (e *Engine) Close() error {
	err := e.DB.Close()
	if rerr := os.RemoveAll(e.tmp); err == nil && rerr != nil {
		err = fmt.Errorf("remove DuckDB's temporary directory: %w", rerr)
	}
	return err
}

// Exec runs a statement that returns no rows (loading test data, making
// the view Files queries).
func (e *Engine) Exec(ctx context.Context, query string, args ...any) error {
	_, err := e.DB.ExecContext(ctx, query, args...)
	return err
}

// Name is the engine's name in messages.
func (e *Engine) Name() string { return "DuckDB" }

// Dialect is DuckDB's SQL.
func (e *Engine) Dialect() rules.Dialect { return rules.DuckDB }

// Types is DuckDB's type vocabulary.
func (e *Engine) Types() contracts.Dialect { return contracts.DuckDB }

// RowOrder is a table's insertion order.
func (e *Engine) RowOrder() string { return "rowid" }

// RowNumber numbers a table's rows by their rowid, which DuckDB gives the
// rows of a table in insertion order from 0 (after a DELETE the numbers
// keep their gaps): the example queries then take their rows by a top-k
// instead of a window over the whole table, 4.2 s -> 2.2 s and 1 GB ->
// 0.6 GB on the 5M-row benchmark table.
func (e *Engine) RowNumber() string { return "rowid + 1" }

// Columns reads the table's columns from information_schema, with their
// types as DuckDB spells them (DECIMAL(10,2), TIMESTAMP WITH TIME ZONE).
// An empty schema is the current one (main).
func (e *Engine) Columns(ctx context.Context, t sqlpush.Table) ([]sqlpush.Column, error) {
	rows, err := e.Rows(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = coalesce(nullif($1, ''), current_schema()) AND table_name = $2
		ORDER BY ordinal_position`, []any{t.Schema, t.Name})
	if err != nil {
		return nil, &sqlpush.QueryError{What: "read the columns of " + t.String(), Err: err}
	}
	var out []sqlpush.Column
	for _, r := range rows {
		name, _ := r[0].(string)
		typ, _ := r[1].(string)
		out = append(out, sqlpush.Column{Name: name, Type: typ})
	}
	if len(out) == 0 {
		return nil, &sqlpush.QueryError{What: "check " + t.String(), Err: fmt.Errorf("no such table")}
	}
	return out, nil
}

// SQL runs a contract's sql rule. A database file is open read-only, so
// DuckDB refuses any write; the in-memory database of Files holds only
// the view over the files, and the statement check (sqlpush.ReadOnly)
// has let through only one SELECT or WITH, which cannot write in DuckDB.
func (e *Engine) SQL(ctx context.Context, query string) ([]any, error) {
	return sqlpush.QueryRow(ctx, e.DB.DB, query, nil)
}
