package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/reporters/term"
)

// readmeFamilies are the families of the README's rule table; the diff
// family has its own table there, with its verdict under each mode.
var readmeFamilies = []rules.Family{rules.FamilyCheck, rules.FamilyQuality, rules.FamilySLA, rules.FamilyDrift, rules.FamilyAnomaly, rules.FamilyVersion, rules.FamilyContract}

func newRulesCmd(e env) *cobra.Command {
	var markdown bool
	var format string
	var families []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule ID of every family with its category, default severity and doc",
		Long: "List every rule driftgate can report, from the one rule registry: the check, quality, drift, diff, " +
			"version and contract families. Severity overrides and exceptions in driftgate.yaml, and --except, accept " +
			"exactly these IDs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if markdown {
				format = "markdown"
			}
			fams, err := parseFamilies(families)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			return writeRules(e.stdout, format, selectRules(fams), textWidth(e))
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown (the README's rule table is the markdown output)")
	cmd.Flags().StringSliceVar(&families, "family", nil, "only these families (repeatable or comma-separated): "+familyList())
	cmd.Flags().BoolVar(&markdown, "markdown", false, "same as --format markdown")
	_ = cmd.Flags().MarkHidden("markdown")
	return cmd
}

func familyList() string {
	names := make([]string, 0, len(rules.Families()))
	for _, f := range rules.Families() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// parseFamilies reads --family values; none means every family.
func parseFamilies(values []string) ([]rules.Family, error) {
	var out []rules.Family
	for _, v := range values {
		f, ok := rules.ParseFamily(strings.ToLower(strings.TrimSpace(v)))
		if !ok {
			return nil, fmt.Errorf("--family %q: want one of %s", v, familyList())
		}
		out = append(out, f)
	}
	return out, nil
}

// selectRules is the registry, in its order, filtered by family.
func selectRules(fams []rules.Family) []*rules.Rule {
	var out []*rules.Rule
	for _, r := range rules.All() {
		if len(fams) == 0 || slices.Contains(fams, r.Family) {
			out = append(out, r)
		}
	}
	return out
}

func writeRules(w io.Writer, format string, rs []*rules.Rule, width int) error {
	switch format {
	case "text":
		// Aligned columns with the description wrapped to the terminal.
		rows := [][]string{{"RULE", "FAMILY", "CATEGORY", "SEVERITY", "DESCRIPTION"}}
		for _, r := range rs {
			rows = append(rows, []string{r.ID, string(r.Family), string(r.Category), string(r.Severity), r.Doc})
		}
		_, err := io.WriteString(w, strings.Join(term.Columns(rows, width), "\n")+"\n")
		return err
	case "json":
		type entry struct {
			ID       string `json:"id"`
			Family   string `json:"family"`
			Category string `json:"category"`
			Severity string `json:"severity"`
			Doc      string `json:"doc"`
		}
		out := struct {
			Rules []entry `json:"rules"`
		}{Rules: []entry{}}
		for _, r := range rs {
			out.Rules = append(out.Rules, entry{r.ID, string(r.Family), string(r.Category), string(r.Severity), r.Doc})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "markdown":
		writeRulesMarkdown(w, rs)
		return nil
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("--format %q: want text, json or markdown", format)}
}

// writeRulesMarkdown renders rules as the README's table; a test keeps the
// README in sync with the registry.
func writeRulesMarkdown(w io.Writer, rs []*rules.Rule) {
	fmt.Fprintln(w, "| Rule | Family | Category | Default severity | What it finds |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, r := range rs {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Family, r.Category, r.Severity, strings.ReplaceAll(r.Doc, "|", `\|`))
	}
}
