package main

import (
	"context"
	"fmt"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/servers"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/checker/sqlpush/spark"
	"github.com/driftgate/driftgate/contracts"
)

// runSparkPushdown checks a contract whose server is Databricks, or is
// read by a Spark Connect server (the driftgate.sparkConnectUrl
// customProperty), inside Spark (checker/sqlpush/spark): a table of the
// server's catalog and schema, or the files at its path. A server that
// cannot be reached or queried exits 3, naming the server but never its
// token.
func runSparkPushdown(ctx context.Context, e env, o checkOptions, c *contracts.Contract, s *contracts.Server) error {
	schema, err := checker.SelectSchema(c, o.schema)
	if err != nil {
		return usage(err)
	}
	sp, err := servers.SparkOf(c, s, schema.Name, e.getenv)
	if err != nil {
		return usage(err)
	}
	fail := func(err error) error { return exitWith(nil, fmt.Errorf("server %q (%s): %w", s.Name, sp, err)) }
	eng, err := spark.Open(ctx, sp.URL, sp.Where)
	if err != nil {
		return fail(err)
	}
	defer eng.Close()
	input := sp.Where
	if sp.Path != "" {
		eng.Dataset(sp.Format, sp.Path)
		input = sp.Format + " " + sp.Path + " via " + sp.Where
	} else if sp.Catalog != "" {
		if err := eng.UseCatalog(ctx, sp.Catalog); err != nil {
			return fail(err)
		}
	}
	rep, err := sqlpush.Check(ctx, eng, sqlpush.Options{Contract: c, Schema: o.schema, Server: s.Name, DBSchema: sp.Schema,
		Input: input, FailOn: o.failOn, ToolVersion: toolVersion(), ShowPrivateValues: o.showPrivate})
	if err != nil {
		err = fmt.Errorf("server %q (%s): %w", s.Name, sp, err)
	}
	return finish(e, o.outs, rep, err)
}
