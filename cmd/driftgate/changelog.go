package main

import (
	"github.com/spf13/cobra"
)

func newChangelogCmd(e env) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "changelog --against REF PATH... | changelog OLD NEW",
		Short: "Write a human changelog of contract changes, for a pull-request comment",
		Long: `Compare contracts like 'driftgate diff' and write a Markdown changelog grouped
into breaking, compatible and documentation-only changes. The exit code is the
diff's: 1 when a change is breaking under --mode.`,
		Example: `  driftgate changelog --against v1.4.0 contracts/orders.yaml --format markdown
  driftgate changelog --against origin/main contracts/ --format changelog=out/changes.md --format github`,
		RunE: func(cmd *cobra.Command, args []string) error {
			for i, s := range f.formats {
				// In this command, markdown means the changelog; the
				// findings table stays available as diff --format markdown.
				if s == "markdown" || len(s) > len("markdown=") && s[:len("markdown=")] == "markdown=" {
					f.formats[i] = "changelog" + s[len("markdown"):]
				}
			}
			return runDiff(cmd.Context(), e, f, args, "changelog")
		},
	}
	f.register(cmd, "changelog")
	return cmd
}
