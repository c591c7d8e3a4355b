// Package spark is the Spark engine of the SQL pushdown (checker/sqlpush):
// a contract is checked inside Apache Spark or Databricks through Spark
// Connect (github.com/apache/spark-connect-go), whose results come back as
// Arrow. The aggregate query runs where the data is, distributed as Spark
// distributes it; only the counts and a few example rows come back.
//
// Spark Connect's Go client has no bind parameters, and a value is never
// spliced into SQL text: the arguments of each query travel as one Arrow
// row, registered as the temporary view driftgate_args, and each
// placeholder is a scalar subquery reading its column. Numbers bound as
// rules.Decimal become decimals of their text's precision, so an integer
// column is compared exactly, never with a string (which Spark's ANSI mode
// refuses to cast).
package spark

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/spark-connect-go/spark/client/channel"
	sparksql "github.com/apache/spark-connect-go/spark/sql"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"
)

// argsView is the temporary view holding the current query's arguments.
const argsView = "driftgate_args"

// Engine checks tables and datasets in one Spark Connect session.
type Engine struct {
	s sparksql.SparkSession
	// mu serialises queries: each one replaces argsView.
	mu sync.Mutex
	// dataset, when set, is the files every table name stands for
	// (format.`path`, see Dataset).
	dataset string
	// rowOrder is the expression ordering the last table whose columns
	// were read, "" when it has none (see RowOrder), and rowNumber its
	// ordinal expression (see RowNumber).
	rowOrder, rowNumber string
}

// Dataset makes the engine check the files at path (a file, a folder or a
// glob, local to the Spark server or a URL it reads: s3://, abfss://,
// dbfs:/), read by Spark as format (parquet, delta, csv, json, orc),
// instead of a table of its catalog.
func (e *Engine) Dataset(format, path string) {
	e.dataset = rules.Spark.Ident(format) + "." + rules.Spark.Ident(path)
}

// UseCatalog makes catalog the session's current catalog, where the
// tables are (Unity Catalog on Databricks).
func (e *Engine) UseCatalog(ctx context.Context, catalog string) error {
	if _, err := e.Rows(ctx, "SET CATALOG "+rules.Spark.Ident(catalog), nil); err != nil {
		return fmt.Errorf("use catalog %s: %w", catalog, err)
	}
	return nil
}

// Open connects to the Spark Connect server at url
// (sc://host:port/;token=…;x-databricks-cluster-id=…). where names the
// server in errors: the URL itself can hold a token and is never shown.
func Open(ctx context.Context, url, where string) (*Engine, error) {
	cb, err := channel.NewBuilder(url)
	if err != nil {
		return nil, fmt.Errorf("spark connect URL of %s: %w", where, err)
	}
	s, err := sparksql.NewSessionBuilder().WithChannelBuilder(cb).Build(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to spark at %s: %w", where, err)
	}
	e := &Engine{s: s}
	// A query proves the connection: the client connects lazily.
	if _, err := e.Row(ctx, "SELECT 1", nil); err != nil {
		return nil, fmt.Errorf("connect to spark at %s: %w", where, err)
	}
	return e, nil
}

// Close ends the session.
func (e *Engine) Close() error { return e.s.Stop() }

// Name is the engine's name in messages.
func (e *Engine) Name() string { return "Spark" }

// Dialect is Spark SQL, with each placeholder reading its argument from
// argsView.
func (e *Engine) Dialect() rules.Dialect { return dialect{rules.Spark} }

// Types is the vocabulary of Spark's and Databricks' type names.
func (e *Engine) Types() contracts.Dialect { return contracts.Databricks }

type dialect struct{ rules.Dialect }

func (dialect) Placeholder(n int) string {
	return "(SELECT " + argColumn(n) + " FROM " + argsView + ")"
}

func argColumn(n int) string { return "p" + strconv.Itoa(n) }

// RowOrder orders the rows of a table or dataset stored as files (Parquet,
// Delta) as they were written: by file, then by row within the file,
// which for a dataset of one file is the file's row order, as the Arrow
// engine numbers it. Other tables have no order of their own: examples
// are then numbered in the order Spark reads them.
func (e *Engine) RowOrder() string { return e.rowOrder }

// Columns reads the columns of the table (or the dataset, see Dataset)
// with DESCRIBE QUERY, their types as Spark SQL spells them
// (decimal(10,2), timestamp).
func (e *Engine) Columns(ctx context.Context, t sqlpush.Table) ([]sqlpush.Column, error) {
	from := e.From(t)
	rows, err := e.Rows(ctx, "DESCRIBE QUERY SELECT * FROM "+from, nil)
	if err != nil {
		return nil, &sqlpush.QueryError{What: "read the columns of " + t.String(), Err: err}
	}
	var out []sqlpush.Column
	for _, r := range rows {
		if len(r) < 2 {
			return nil, &sqlpush.QueryError{What: "read the columns of " + t.String(), Err: errors.New("DESCRIBE returned a row without a data type")}
		}
		name, _ := r[0].(string)
		typ, _ := r[1].(string)
		if typ == "timestamp" {
			// DESCRIBE spells TIMESTAMP_LTZ, an instant, timestamp
			// whatever spark.sql.timestampType says (TIMESTAMP_NTZ is
			// timestamp_ntz): named so, the vocabulary reads it exactly.
			typ = "timestamp_ltz"
		}
		out = append(out, sqlpush.Column{Name: name, Type: typ})
	}
	if len(out) == 0 {
		return nil, &sqlpush.QueryError{What: "check " + t.String(), Err: errors.New("no such table, or no columns visible to this user")}
	}
	// Files know their order; other sources (views, JDBC) do not. In a
	// source of one file the row index is the ordinal itself.
	e.rowOrder, e.rowNumber = "", ""
	if _, err := e.Rows(ctx, "SELECT _metadata.file_path, _metadata.row_index FROM "+from+" LIMIT 0", nil); err == nil {
		e.rowOrder = "_metadata.file_path, _metadata.row_index"
		files, err := e.Row(ctx, "SELECT count(DISTINCT _metadata.file_path) FROM "+from, nil)
		if err != nil {
			return nil, &sqlpush.QueryError{What: "count the files of " + t.String(), Err: err}
		}
		if len(files) == 1 && files[0] == int64(1) {
			e.rowNumber = "_metadata.row_index + 1"
		}
	}
	return out, nil
}

// RowNumber is each row's ordinal for a table or dataset of one file,
// without a sort; "" otherwise.
func (e *Engine) RowNumber() string { return e.rowNumber }

// From is the table as a FROM clause names it: the dataset when the
// engine reads one.
func (e *Engine) From(t sqlpush.Table) string {
	if e.dataset != "" {
		return e.dataset
	}
	return t.In(rules.Spark)
}

// Row runs one query and returns its only row.
func (e *Engine) Row(ctx context.Context, query string, args []any) ([]any, error) {
	rows, err := e.Rows(ctx, query, args)
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 {
		return nil, fmt.Errorf("the query returned %d rows, want 1", len(rows))
	}
	return rows[0], nil
}

// Rows runs one query with its arguments and returns its rows.
func (e *Engine) Rows(ctx context.Context, query string, args []any) ([][]any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(args) > 0 {
		tbl, err := argsTable(args)
		if err != nil {
			return nil, err
		}
		df, err := e.s.CreateDataFrameFromArrow(ctx, tbl)
		tbl.Release()
		if err != nil {
			return nil, fmt.Errorf("bind the query's arguments: %w", err)
		}
		if err := df.CreateOrReplaceTempView(ctx, argsView); err != nil {
			return nil, fmt.Errorf("bind the query's arguments: %w", err)
		}
	}
	df, err := e.s.Sql(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := df.ToArrow(ctx)
	if err != nil {
		return nil, err
	}
	defer (*res).Release()
	return rowsOf(*res)
}

// SQL runs a contract's sql quality rule as written and returns its first
// row. Spark has no read-only transaction; the query is run as a subquery,
// which anything but a query (DDL, INSERT, SET) cannot be, so it fails to
// parse before it runs.
func (e *Engine) SQL(ctx context.Context, query string) ([]any, error) {
	q := strings.TrimRight(strings.TrimSpace(query), ";")
	rows, err := e.Rows(ctx, "SELECT * FROM (\n"+q+"\n) AS driftgate_sql LIMIT 2", nil)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("the query returned no row")
	}
	return rows[0], nil
}
