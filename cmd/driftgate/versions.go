package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/driftgate/driftgate/contracts"
	"github.com/driftgate/driftgate/reporters/term"
)

func newVersionsCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "versions PATH...",
		Short: "List the contracts under a directory by id and version, and which one check uses",
		Long: `Load every contract under the paths, group them by id and order them by
semantic version. The DEFAULT column marks the version 'driftgate check
--contract DIR' uses: the newest whose status is not draft, deprecated or
retired. Two files with the same id and version but different content, or a
version that is not MAJOR.MINOR.PATCH, are errors (exit 2).`,
		Example: `  driftgate versions contracts/`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := contracts.LoadCatalog(args...)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tVERSION\tSTATUS\tDEFAULT\tFILE")
			for _, f := range cat.Families {
				def, _ := f.Newest()
				for _, c := range f.Versions {
					mark := ""
					if c == def {
						mark = "*"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", term.Line(f.ID), term.Line(c.Version), term.Line(c.Status), mark, term.Line(c.Path))
				}
			}
			return tw.Flush()
		},
	}
}

// versionFlags are the flags of `driftgate check` that pick a contract
// version from a directory.
type versionFlags struct {
	version string
	id      string
	all     bool
}

func (v *versionFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&v.version, "contract-version", "", "with --contract DIR, the version to check against (default: the newest that is not draft, deprecated or retired)")
	fl.StringVar(&v.id, "contract-id", "", "with --contract DIR holding several contracts, the id of the one to use")
	fl.BoolVar(&v.all, "all-versions", false, "also compare the batch's structure with every version of the contract and report which it conforms to")
}
