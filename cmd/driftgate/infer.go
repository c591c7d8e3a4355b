package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/infer"
	"github.com/driftgate/driftgate/reporters"
)

func newInferCmd(e env) *cobra.Command {
	var f checkFlags
	var output string
	var strict, loose bool
	var o infer.Options
	cmd := &cobra.Command{
		Use:   "infer [flags] DATA...",
		Short: "Write an ODCS contract that the data passes, each rule with its evidence",
		Long: `Infer an ODCS v3 contract from data: column types (CSV typed from its value
shapes, dates in their format), required where there are no nulls, unique and
a primary key where every value is distinct (proved exactly), lengths,
formats (email, uuid, uri, ipv4, ipv6, dates), stable patterns, numeric
bounds and allowed values for low-cardinality columns. The contract is
checked against the same data and every rule the data breaks is dropped, so
it passes on what it was inferred from. Review it before use.

Bounds are widened to round numbers by default (never-negative data gets
minimum 0, the maximum the next round number: 987 becomes 1000); --strict
states exactly what was seen; --loose writes types and nulls only.
--sample N infers from the first N rows, in file order: every claim's
comment then says it rests on a sample.`,
		Example: `  driftgate infer data/orders/2026-11-*.parquet --output contracts/orders.odcs.yaml --name orders
  driftgate infer s3://lake/events/dt=2026-11-30/ -o contracts/events.odcs.yaml
  driftgate infer --sample 100000 --strict --row-count big.csv -o big.odcs.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strict && loose {
				return usage(fmt.Errorf("--strict and --loose: choose one"))
			}
			if o.Sample < 0 {
				return usage(fmt.Errorf("--sample %d: want a number of rows above 0", o.Sample))
			}
			if strict {
				o.Level = infer.Strict
			} else if loose {
				o.Level = infer.Loose
			}
			sopts, err := f.sourceOptions()
			if err != nil {
				return usage(err)
			}
			in, err := checker.ExpandRemote(cmd.Context(), args, sopts.Format, sopts.Remote)
			if err != nil {
				return exitWith(nil, err)
			}
			o.Files, o.Source, o.ToolVersion = in.Files, sopts, toolVersion()
			res, err := infer.Infer(cmd.Context(), o)
			if err != nil {
				return exitWith(nil, err)
			}
			if output == "" || output == "-" {
				_, err = e.stdout.Write(res.YAML)
				return err
			}
			if err := reporters.WriteBytes(output, res.YAML); err != nil {
				return &exitError{code: exitUnreadable, err: fmt.Errorf("write %s: %w", output, err)}
			}
			say(e.stderr, "driftgate: inferred %s from %d rows into %s (%d proposed rules dropped: the data broke them)\n", res.Contract.Name, res.Rows, output, len(res.Dropped))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "output", "o", "", "the contract file to write (default stdout)")
	fl.StringVar(&o.Name, "name", "", "the contract's and table's name (default: the first file's base name)")
	fl.StringVar(&o.ID, "id", "", "the contract's id (default urn:driftgate:inferred:NAME)")
	fl.StringVar(&o.Version, "version", "", "the contract's version (default 0.1.0)")
	fl.Int64Var(&o.Sample, "sample", 0, "infer from the first N rows only, in file order (default: all rows)")
	fl.BoolVar(&strict, "strict", false, "state exactly what was seen: exact ranges and lengths, more patterns and allowed values")
	fl.BoolVar(&loose, "loose", false, "write types and nulls only")
	fl.BoolVar(&o.RowCount, "row-count", false, "add a schema-level rowCount bound (half to twice the rows seen; exact with --strict)")
	addSourceFlags(cmd, &f)
	return cmd
}
