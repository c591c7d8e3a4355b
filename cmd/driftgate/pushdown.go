package main

import (
	"context"
	"fmt"

	"github.com/driftgate/driftgate/checker/servers"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/checker/sqlpush/postgres"
	"github.com/driftgate/driftgate/contracts"
)

// runPushdown checks a contract whose server is a PostgreSQL database
// inside it (see checker/sqlpush). A server that cannot be reached or
// queried exits 3, naming the server but never its credentials.
func runPushdown(ctx context.Context, e env, o checkOptions, c *contracts.Contract, s *contracts.Server) error {
	pg, err := servers.PostgresOf(c, s, o.dsn, e.getenv)
	if err != nil {
		return usage(err)
	}
	eng, err := postgres.Open(ctx, pg.DSN)
	if err != nil {
		return exitWith(nil, fmt.Errorf("server %q (%s): %w", s.Name, pg.Where, err))
	}
	defer eng.Close()
	rep, err := sqlpush.Check(ctx, eng, sqlpush.Options{Contract: c, Schema: o.schema, Server: s.Name, DBSchema: pg.Schema,
		Input: pg.Where, FailOn: o.failOn, ToolVersion: toolVersion(), ShowPrivateValues: o.showPrivate})
	if err != nil {
		err = fmt.Errorf("server %q (%s): %w", s.Name, pg.Where, err)
	}
	return finish(e, o.outs, rep, err)
}
