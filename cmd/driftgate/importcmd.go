package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/contracts/importer"
	"github.com/driftgate/driftgate/reporters"
)

func newImportCmd(e env) *cobra.Command {
	var format, output string
	var o importer.Options
	cmd := &cobra.Command{
		Use:   "import --format FORMAT FILE [-o CONTRACT]",
		Short: "Turn SQL DDL or a JSON Schema, Avro, Frictionless, dbt or DCS schema into an ODCS v3 contract",
		Long: `Import a schema written for another tool into an ODCS v3 contract. What the
format says that ODCS cannot hold is listed on stderr and as a comment in the
contract, never dropped in silence. Errors name the source's line and column.

--format sql reads PostgreSQL and ANSI DDL with PostgreSQL's own parser:
each CREATE TABLE becomes a schema object; NOT NULL, PRIMARY KEY, UNIQUE,
CHECK (bounds, IN lists, LIKE and ~ patterns, lengths), enum and domain
types and COMMENT ON become ODCS rules and descriptions; the type as written
is kept as physicalType. Defaults are ignored; foreign keys, other CHECKs and
statements that declare no table are listed as not mapped.`,
		Example: `  driftgate import --format sql warehouse/ddl/orders.sql -o contracts/orders.odcs.yaml
  driftgate import --format avro schemas/orders.avsc -o contracts/orders.odcs.yaml
  driftgate import --format dcs datacontract.yaml -o orders.odcs.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usage(fmt.Errorf("import: %w", err))
			}
			res, err := importer.Import(format, args[0], data, o)
			if err != nil {
				return usage(err)
			}
			for _, d := range res.Dropped {
				say(e.stderr, "driftgate: not mapped: %s\n", d)
			}
			if output == "" || output == "-" {
				_, err = e.stdout.Write(res.YAML)
				return err
			}
			if err := reporters.WriteBytes(output, res.YAML); err != nil {
				return &exitError{code: exitUnreadable, err: fmt.Errorf("write %s: %w", output, err)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "", "the source's format: "+strings.Join(importer.Formats(), ", ")+" (required)")
	fl.StringVarP(&output, "output", "o", "", "the contract file to write (default stdout)")
	fl.StringVar(&o.Name, "name", "", "the contract's name (default: the source's)")
	fl.StringVar(&o.ID, "id", "", "the contract's id (default: the source's, or urn:driftgate:imported:NAME)")
	fl.StringVar(&o.Version, "version", "", "the contract's version (default: the source's, or 0.1.0)")
	_ = cmd.MarkFlagRequired("format")
	return cmd
}
