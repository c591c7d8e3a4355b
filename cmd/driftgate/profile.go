package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// profileFlags are the flags of `driftgate profile`.
type profileFlags struct {
	checkFlags
	output string
}

func newProfileCmd(e env) *cobra.Command {
	var f profileFlags
	cmd := &cobra.Command{
		Use:   "profile [--contract FILE] --output FILE DATA...",
		Short: "Write a baseline profile of data files for drift checks",
		Long: `Profile Parquet and CSV files in one streaming pass: per column row and null
counts, min, max, mean and standard deviation, a quantile sketch and a
histogram, distinct count, frequent values, string lengths and value shapes.

The profile is versioned JSON of a few kilobytes per column whatever the row
count, deterministic for the same input and written atomically. It records
each file's path, size and SHA-256 and the contract's id and version. Keep it
next to the contract as the baseline for 'driftgate drift'. With a contract,
CSV columns are read as the types it declares and its missingValues count as
nulls.`,
		Example: `  driftgate profile -c orders.odcs.yaml data/orders/2026-10/ --output baselines/orders.profile.json
  driftgate profile merge a.profile.json b.profile.json --output all.profile.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfile(cmd, e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.contract, "contract", "c", "", "contract file (ODCS v3 YAML or JSON)")
	fl.StringVar(&f.schema, "schema", "", "schema object (table), when the contract has several")
	fl.StringVarP(&f.output, "output", "o", "", "profile file to write; required")
	addSourceFlags(cmd, &f.checkFlags)
	_ = cmd.MarkFlagRequired("output")
	cmd.AddCommand(newProfileMergeCmd(e))
	return cmd
}

// addSourceFlags adds the CSV and batch flags `check` has.
func addSourceFlags(cmd *cobra.Command, f *checkFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.csvDelimiter, "csv-delimiter", ",", "CSV field delimiter (one character; tab for .tsv files by default)")
	fl.StringArrayVar(&f.csvNull, "csv-null", nil, `CSV cell text that means null, repeatable (default: only the empty cell)`)
	fl.BoolVar(&f.csvNoHeader, "csv-no-header", false, "CSV files have no header row; columns are named col1, col2, ...")
	fl.IntVar(&f.batchSize, "batch-size", source.DefaultBatchSize, "rows per record batch")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress display on stderr (shown only on a terminal, never under CI)")
	f.limits.register(fl)
}

func runProfile(cmd *cobra.Command, e env, f profileFlags, args []string) error {
	srcOpts, err := f.sourceOptions()
	if err != nil {
		return usage(err)
	}
	srcOpts.Open = e.open
	var c *contracts.Contract
	if f.contract != "" {
		if c, _, err = resolveContract(e, f.contract, "", ""); err != nil {
			return err
		}
	}
	in, err := checker.ExpandRemote(cmd.Context(), args, "", srcOpts.Remote)
	files := in.Files
	if err != nil {
		return exitWith(nil, err)
	}
	job := project.Job{}
	job.Contract, job.Schema, job.Files, job.Source, job.ToolVersion = c, f.schema, files, srcOpts, toolVersion()
	bar := startProgress(e, showProgress(e, f.quiet), "profiling", &job)
	p, err := project.Profile(cmd.Context(), job)
	bar.done()
	if err != nil {
		return exitWith(nil, err)
	}
	if err := p.WriteFile(f.output); err != nil {
		return writeFailed(err)
	}
	say(e.stdout, "profiled %d rows, %d columns from %s into %s\n", p.Rows, len(p.Columns), plural(len(p.Sources), "file"), f.output)
	return nil
}

func newProfileMergeCmd(e env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "merge PROFILE... --output FILE",
		Short: "Merge profiles of disjoint parts (days, partitions) into one baseline",
		Long: `Merge profiles of disjoint parts of the same data into the profile of all of
them. Counts, min, max, mean and standard deviation equal those of one profile
of everything; sketches and frequent values are within their stated error. The
merged profile counts its parts as batches, so drift expects a new batch to
have the average rows of a part.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ps []*profile.Profile
			for _, path := range args {
				p, err := profile.Load(path)
				if err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				ps = append(ps, p)
			}
			m, err := profile.Merge(ps...)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			m.Tool = profile.Tool{Name: "driftgate", Version: toolVersion()}
			if err := m.WriteFile(output); err != nil {
				return writeFailed(err)
			}
			say(e.stdout, "merged %s (%d rows) into %s\n", plural(len(ps), "profile"), m.Rows, output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "profile file to write; required")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
