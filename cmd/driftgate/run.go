package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// run is the whole program: it parses args, runs one command and returns
// the exit code. Only main touches the real process.
func run(ctx context.Context, args []string, e env) int {
	root := newRoot(e)
	root.SetArgs(args)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitPass
	}
	var xe *exitError
	if errors.As(err, &xe) {
		if xe.err != nil {
			say(e.stderr, "driftgate: %v\n", xe.err)
		}
		return xe.code
	}
	// Anything cobra itself rejects (unknown command or flag, wrong
	// argument count) is a usage error.
	say(e.stderr, "driftgate: %v\n", err)
	if !strings.Contains(err.Error(), "--help") {
		say(e.stderr, "Run 'driftgate --help' for usage.\n")
	}
	return exitUsage
}

func newRoot(e env) *cobra.Command {
	root := &cobra.Command{
		Use:   "driftgate",
		Short: "Check Parquet and CSV batches against ODCS data contracts",
		Long: `driftgate checks Parquet and CSV batches against ODCS v3 data contracts:
structural drift (columns missing, added, retyped) and value rules (required,
unique, ranges, allowed values, patterns, formats, row counts), with reports
for CI gates and people.

Exit codes: 0 pass, 1 checks failed, 2 usage or contract error, 3 data could
not be read.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       toolVersion(),
	}
	// --version prints the same line as `driftgate version`.
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w (see 'driftgate %s --help')", err, c.Name())}
	})
	root.AddCommand(newCheckCmd(e), newLintCmd(e), newRulesCmd(e), newVersionCmd(e), newDiffCmd(e), newChangelogCmd(e), newVersionsCmd(e))
	root.AddCommand(newProfileCmd(e), newDriftCmd(e))
	root.AddCommand(newRunCmd(e), newInitCmd(e), newBaselineCmd(e), newConfigCmd(e), newHistoryCmd(e), newInferCmd(e), newImportCmd(e))
	registerCompletions(root)
	return root
}
