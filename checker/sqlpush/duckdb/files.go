package duckdb

import (
	"context"
	"runtime/debug"

	"fmt"
	"github.com/apache/arrow-go/v18/arrow"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"
)

// Files runs a contract's sql quality rules over local data files in an
// in-memory DuckDB: the schema object's physicalName (else its name) is a
// view over the files, read by read_parquet, read_csv or read_json. It is
// the checker.SQLRunner of `driftgate check` on files.
type Files struct {
	// Timeout bounds each query (sqlpush.DefaultSQLTimeout when 0).
	Timeout time.Duration
	// Memory bounds DuckDB's buffer manager (DefaultMemoryLimit when 0).
	Memory MemoryLimit
}

// RunSQL runs each rule; see checker.SQLRunner.
func (f Files) RunSQL(ctx context.Context, s *contracts.Schema, d contracts.Dialect, files []string, src source.Options, list []checker.SQLRule) []checker.SQLOutcome {
	out := make([]checker.SQLOutcome, len(list))
	fail := func(err error) []checker.SQLOutcome {
		for i := range out {
			out[i].Err = err
		}
		return out
	}
	if !Available {
		return fail(&rules.NotRunError{Why: ErrUnavailable.Error()})
	}
	// The Arrow check is done with the files: give its heap back before
	// DuckDB allocates, so the two do not add up in the resident set.
	debug.FreeOSMemory()
	e, err := OpenMemory(ctx, f.Memory)
	if err != nil {
		return fail(fmt.Errorf("start DuckDB: %w", err))
	}
	defer e.Close()
	view, err := viewOver(ctx, e, s, d, files, src)
	if err != nil {
		return fail(err)
	}
	t := sqlpush.Table{Name: s.PhysicalName}
	if t.Name == "" {
		t.Name = s.Name
	}
	if err := e.Exec(ctx, "CREATE VIEW "+t.In(e.Dialect())+" AS "+view); err != nil {
		return fail(fmt.Errorf("DuckDB cannot read the files: %w", err))
	}
	for i, r := range list {
		out[i].Value, out[i].Err = sqlpush.SQLRule(ctx, e, t, r.Column, r.Quality, f.Timeout)
	}
	return out
}

// viewOver is the query reading every file, one reader per format, the
// formats' rows united by column name.
func viewOver(ctx context.Context, e *Engine, s *contracts.Schema, d contracts.Dialect, files []string, src source.Options) (string, error) {
	byFormat := map[source.Format][]string{}
	var order []source.Format
	for _, path := range files {
		if strings.Contains(path, "://") {
			return "", &rules.NotRunError{Why: "DuckDB reads object-store and HTTP locations through its httpfs extension, which driftgate does not load (it would download it): " + path}
		}
		if path == "-" {
			return "", &rules.NotRunError{Why: "sql rules cannot run on standard input: DuckDB reads files"}
		}
		ft, ok := source.FormatOf(path, src)
		if !ok {
			return "", &rules.NotRunError{Why: fmt.Sprintf("the format of %s is not known to DuckDB", path)}
		}
		if _, seen := byFormat[ft]; !seen {
			order = append(order, ft)
		}
		byFormat[ft] = append(byFormat[ft], path)
	}
	if len(order) == 0 {
		return "", &rules.NotRunError{Why: "no files to run the query on"}
	}
	var parts []string
	for _, ft := range order {
		list := literalList(byFormat[ft])
		switch ft {
		case source.Parquet:
			parts = append(parts, "SELECT * FROM read_parquet("+list+", union_by_name = true)")
		case source.CSV:
			opts := ", union_by_name = true, header = " + fmt.Sprint(!src.CSV.NoHeader)
			if d := src.CSV.Delimiter; d != 0 {
				opts += ", delim = " + literal(string(d))
			}
			if len(src.CSV.NullValues) > 0 {
				opts += ", nullstr = " + literalList(src.CSV.NullValues)
			}
			read := "read_csv(" + list + opts + ", all_varchar = true)"
			typed, err := typedCSV(ctx, e, s, d, read)
			if err != nil {
				return "", err
			}
			parts = append(parts, typed)
		case source.JSON:
			parts = append(parts, "SELECT * FROM read_json("+list+", union_by_name = true)")
		default:
			return "", &rules.NotRunError{Why: fmt.Sprintf("DuckDB does not read %s files here", ft)}
		}
	}
	return strings.Join(parts, " UNION ALL BY NAME "), nil
}

// literal is s as an SQL string literal. DuckDB takes no bind parameters
// in CREATE VIEW, so file names are quoted, never spliced raw.
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func literalList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = literal(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// typedCSV reads CSV text as the Arrow engine does: each declared column
// as the type the contract declares, a cell that does not parse being
// NULL (the Arrow engine's VALUE_TYPE, neither a value nor a null to
// other rules), undeclared columns and text dates with a format of their
// own as text.
func typedCSV(ctx context.Context, e *Engine, s *contracts.Schema, d contracts.Dialect, read string) (string, error) {
	rows, err := e.Rows(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+read+")", nil)
	if err != nil {
		return "", fmt.Errorf("DuckDB cannot read the files: %w", err)
	}
	header := map[string]bool{}
	for _, r := range rows {
		if name, ok := r[0].(string); ok {
			header[name] = true
		}
	}
	var casts []string
	for i := range s.Properties {
		p := &s.Properties[i]
		name := p.DataName()
		if !header[name] || p.Options.Format != "" {
			continue
		}
		dt, ok := p.Type(d).ArrowType()
		if !ok {
			continue
		}
		if typ := sqlType(dt); typ != "" {
			id := rules.DuckDB.Ident(name)
			casts = append(casts, "TRY_CAST("+id+" AS "+typ+") AS "+id)
		}
	}
	if len(casts) == 0 {
		return "SELECT * FROM " + read, nil
	}
	return "SELECT * REPLACE (" + strings.Join(casts, ", ") + ") FROM " + read, nil
}

// sqlType spells an Arrow type in DuckDB, "" for one left as text.
func sqlType(dt arrow.DataType) string {
	switch t := dt.(type) {
	case *arrow.Decimal128Type:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return "TIMESTAMPTZ"
		}
		return "TIMESTAMP"
	}
	return map[arrow.Type]string{
		arrow.INT8: "TINYINT", arrow.INT16: "SMALLINT", arrow.INT32: "INTEGER", arrow.INT64: "BIGINT",
		arrow.UINT8: "UTINYINT", arrow.UINT16: "USMALLINT", arrow.UINT32: "UINTEGER", arrow.UINT64: "UBIGINT",
		arrow.FLOAT32: "REAL", arrow.FLOAT64: "DOUBLE", arrow.BOOL: "BOOLEAN",
		arrow.DATE32: "DATE", arrow.TIME32: "TIME", arrow.TIME64: "TIME",
	}[dt.ID()]
}
