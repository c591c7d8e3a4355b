package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/driftgate/driftgate/checker/servers"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
	"github.com/driftgate/driftgate/checker/sqlpush/postgres"
	"github.com/driftgate/driftgate/contracts"
)

// pushesDown says whether a server entry is an SQL engine the contract is
// checked inside (see checker/sqlpush), rather than files to read.
func pushesDown(s *contracts.Server) bool {
	return servers.IsPostgres(s) || s.Type == "duckdb"
}

// runPushdown checks a contract inside the SQL engine its server names. A
// server that cannot be reached or queried exits 3, naming the server but
// never its credentials.
func runPushdown(ctx context.Context, e env, o checkOptions, c *contracts.Contract, s *contracts.Server) error {
	opts := sqlpush.Options{Contract: c, Schema: o.schema, Server: s.Name,
		FailOn: o.failOn, ToolVersion: toolVersion(), ShowPrivateValues: o.showPrivate}
	var eng interface {
		sqlpush.Engine
		Close() error
	}
	switch {
	case servers.IsPostgres(s):
		pg, err := servers.PostgresOf(c, s, o.dsn, e.getenv)
		if err != nil {
			return usage(err)
		}
		opts.DBSchema, opts.Input = pg.Schema, pg.Where
		if eng, err = postgres.Open(ctx, pg.DSN); err != nil {
			return exitWith(nil, fmt.Errorf("server %q (%s): %w", s.Name, pg.Where, err))
		}
	default:
		path, err := duckDBFile(c, s)
		if err != nil {
			return usage(err)
		}
		opts.DBSchema, opts.Input = s.String("schema"), "duckdb://"+path
		if eng, err = duckdb.Open(ctx, path, duckDBShare(e.getenv)); err != nil {
			if errors.Is(err, duckdb.ErrUnavailable) {
				return usage(fmt.Errorf("server %q (type duckdb): %w", s.Name, err))
			}
			return exitWith(nil, fmt.Errorf("server %q (%s): %w", s.Name, opts.Input, err))
		}
	}
	defer eng.Close()
	rep, err := sqlpush.Check(ctx, eng, opts)
	if err != nil {
		err = fmt.Errorf("server %q (%s): %w", s.Name, opts.Input, err)
	}
	return finish(e, o.outs, rep, err)
}

// duckDBFile is a duckdb server's database file: its database (as
// datacontract-cli writes it) or path key, relative to the working
// directory.
func duckDBFile(c *contracts.Contract, s *contracts.Server) (string, error) {
	path := s.String("database")
	if path == "" {
		path = s.Path
	}
	if path == "" {
		p := s.Pos
		return "", &contracts.ParseError{File: c.Path, Line: p.Line, Column: p.Column,
			Msg: fmt.Sprintf("server %q (type duckdb) has no database (the path of its database file)", s.Name)}
	}
	return filepath.Clean(path), nil
}
