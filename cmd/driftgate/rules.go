package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/drift"
)

func newRulesCmd(e env) *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule ID with its category, default severity and doc",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if markdown {
				writeRulesMarkdown(e.stdout)
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tCATEGORY\tSEVERITY\tDESCRIPTION")
			for _, r := range checker.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Category, r.Severity, r.Doc)
			}
			for _, r := range drift.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Category, r.Severity, r.Doc)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print a Markdown table (the README's rule list is this output)")
	return cmd
}

// writeRulesMarkdown renders the rule registry as the README's table; a
// test keeps the README in sync with it.
func writeRulesMarkdown(w io.Writer) {
	fmt.Fprintln(w, "| Rule | Category | Default severity | What it finds |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range checker.Rules() {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", r.ID, r.Category, r.Severity, strings.ReplaceAll(r.Doc, "|", `\|`))
	}
	for _, r := range drift.Rules() {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", r.ID, r.Category, r.Severity, strings.ReplaceAll(r.Doc, "|", `\|`))
	}
}
