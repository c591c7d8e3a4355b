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
	var output, name string
	cmd := &cobra.Command{
		Use:   "infer [flags] DATA...",
		Short: "Write an ODCS contract that the data passes, each rule with its evidence",
		Long: `Infer an ODCS v3 contract from data: column types (CSV typed from its value
shapes), required where there are no nulls, unique and a primary key where
every value is distinct (proved exactly), lengths, formats, stable patterns,
numeric bounds as seen and allowed values for low-cardinality columns. The
contract is checked against the same data and every rule the data breaks is
dropped, so it passes on what it was inferred from. Review it before use.`,
		Example: `  driftgate infer data/orders/2026-11-*.parquet --output contracts/orders.odcs.yaml --name orders`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sopts, err := f.sourceOptions()
			if err != nil {
				return usage(err)
			}
			in, err := checker.Expand(args)
			if err != nil {
				return exitWith(nil, err)
			}
			res, err := infer.Infer(cmd.Context(), infer.Options{Files: in.Files, Name: name, Source: sopts, ToolVersion: toolVersion()})
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
	fl.StringVar(&name, "name", "", "the contract's and table's name (default: the first file's base name)")
	addSourceFlags(cmd, &f)
	return cmd
}
