package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/contracts"
)

func newLintCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "lint CONTRACT...",
		Short: "Validate contracts against ODCS v3 and lint them",
		Long: `Validate each contract against the ODCS v3 JSON Schema built into driftgate,
then lint what the schema cannot see: duplicate columns, invalid regular
expressions, minimum above maximum, quality rules naming unknown columns,
unsupported physical types. Every problem is printed as FILE:LINE:COLUMN.
Exits 2 when any contract has a problem.`,
		Example: "  driftgate lint contracts/*.yaml",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				c, err := contracts.Load(path)
				if err != nil {
					bad++
					var pes contracts.ParseErrors
					if errors.As(err, &pes) {
						for _, pe := range pes {
							fmt.Fprintln(e.stdout, pe.Error())
						}
					} else {
						fmt.Fprintln(e.stdout, err.Error())
					}
					continue
				}
				// Warnings and info findings are shown; only errors make
				// the contract unusable.
				failed := false
				for _, is := range contracts.LintAll(c) {
					fmt.Fprintln(e.stdout, is.Error())
					failed = failed || is.IsError()
				}
				if failed {
					bad++
					continue
				}
				fmt.Fprintf(e.stdout, "%s: ok (%s %s, %d schema objects)\n", path, c.ID, c.Version, len(c.Schemas))
			}
			if bad > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("%d of %d contracts have problems", bad, len(args))}
			}
			return nil
		},
	}
}
