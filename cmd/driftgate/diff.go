package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
	"github.com/driftgate/driftgate/contracts/diff"
	"github.com/driftgate/driftgate/reporters"
)

// diffFlags are the flags of `driftgate diff` and `driftgate changelog`.
type diffFlags struct {
	against    string
	mode       string
	transitive bool
	except     []string
	formats    []string
	failOn     string
}

func (f *diffFlags) register(cmd *cobra.Command, defaultFormat string) {
	fl := cmd.Flags()
	fl.StringVar(&f.against, "against", "", "compare with the contracts at this git ref (branch, tag or commit), matched by id")
	fl.StringVar(&f.mode, "mode", "full", "compatibility to enforce: backward (producers keep passing), forward (consumers keep working) or full (both)")
	fl.BoolVar(&f.transitive, "transitive", false, "compare a new version with every earlier version, not only the one before it")
	fl.StringArrayVar(&f.except, "except", nil, "leave out a diff rule ID, repeatable (see driftgate diff --rules)")
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "report format NAME or NAME=PATH, repeatable: text, json, junit, github, markdown, changelog (default "+defaultFormat+" to stdout)")
	fl.StringVar(&f.failOn, "fail-on", "error", "lowest finding severity that fails the run: error, warning, info or never")
}

func newDiffCmd(e env) *cobra.Command {
	var f diffFlags
	var listRules, markdown bool
	cmd := &cobra.Command{
		Use:   "diff OLD NEW | diff DIR... | diff --against REF PATH...",
		Short: "Compare contract versions and gate breaking changes",
		Long: `Compare versions of ODCS contracts and report every change with a stable rule
ID, classified by whom it breaks: consumers (data valid under the new version
can violate a guarantee of the old one) or producers (data valid under the old
version can violate the new one). The run fails (exit 1) on a change that is
breaking under --mode, and on a breaking change that keeps the major version.

  diff OLD NEW              two contract files
  diff DIR...               each contract id's newest version against the one
                            before it (every earlier one with --transitive)
  diff --against REF PATH...
                            each contract under PATH against its version at
                            the git ref, matched by id; a contract new since
                            REF is reported as added`,
		Example: `  driftgate diff contracts/orders-1.4.0.yaml contracts/orders-2.0.0.yaml
  driftgate diff --against origin/main contracts/
  driftgate diff --mode backward --except COLUMN_ADDED_REQUIRED --format github --against origin/main contracts/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if listRules {
				if markdown {
					writeDiffRulesMarkdown(e.stdout)
					return nil
				}
				return writeDiffRules(e.stdout)
			}
			return runDiff(cmd.Context(), e, f, args, "text")
		},
	}
	f.register(cmd, "text")
	cmd.Flags().BoolVar(&listRules, "rules", false, "list the diff rules with their category, severity and whom they break")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "with --rules, print the Markdown table the README uses")
	return cmd
}

func runDiff(ctx context.Context, e env, f diffFlags, args []string, defaultFormat string) error {
	if len(args) == 0 {
		return &exitError{code: exitUsage, err: errors.New("diff: name two contract files, directories, or --against REF and paths")}
	}
	formats := f.formats
	if len(formats) == 0 {
		formats = []string{defaultFormat}
	}
	outs, err := parseDiffOutputs(formats, e)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := validFailOn(f.failOn); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	mode, ok := diff.ParseMode(f.mode)
	if !ok {
		return &exitError{code: exitUsage, err: fmt.Errorf("--mode %q: want backward, forward or full", f.mode)}
	}
	for _, id := range f.except {
		if _, ok := diff.Lookup(id); !ok {
			return &exitError{code: exitUsage, err: fmt.Errorf("--except %s: no such diff rule (see driftgate diff --rules)", id)}
		}
	}
	opts := diff.Options{Mode: mode, Except: f.except, Transitive: f.transitive}
	changes, subject, err := diffChanges(ctx, f.against, args, opts)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	rep := diffReport(changes, subject, opts)
	if err := rep.Finalize(f.failOn); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return finish(e, outs, rep, nil)
}

// parseDiffOutputs is parseOutputs plus the changelog format, which only
// diff reports can fill.
func parseDiffOutputs(specs []string, e env) ([]output, error) {
	var rest []string
	var cl []output
	for _, s := range specs {
		name, path, _ := strings.Cut(s, "=")
		if strings.TrimSpace(name) == "changelog" {
			cl = append(cl, output{name: "changelog", path: path, rep: reporters.Changelog{}})
			continue
		}
		rest = append(rest, s)
	}
	var outs []output
	if len(rest) > 0 {
		var err error
		if outs, err = parseOutputs(rest, e); err != nil {
			return nil, err
		}
	}
	stdout := 0
	for _, o := range append(outs, cl...) {
		if out, _ := stream(o.path); out {
			stdout++
		}
	}
	if stdout > 1 {
		return nil, errors.New("--format: more than one format writes to stdout; give the others a path (NAME=PATH)")
	}
	return append(outs, cl...), nil
}

// diffChanges resolves the arguments into the changes to report, and the
// contract the report is about when there is exactly one.
func diffChanges(ctx context.Context, against string, args []string, opts diff.Options) ([]diff.Change, *contracts.Contract, error) {
	if against != "" {
		head, err := contracts.LoadCatalog(args...)
		if err != nil {
			return nil, nil, err
		}
		cs, err := contracts.Git{}.LoadAt(ctx, against, args...)
		if err != nil {
			return nil, nil, err
		}
		base, err := contracts.NewCatalog(cs)
		if err != nil {
			return nil, nil, fmt.Errorf("contracts at %s: %w", against, err)
		}
		return diff.Catalogs(base, head, opts), only(head), nil
	}
	if len(args) == 2 && isFile(args[0]) && isFile(args[1]) {
		old, err := contracts.Load(args[0])
		if err != nil {
			return nil, nil, err
		}
		new, err := contracts.Load(args[1])
		if err != nil {
			return nil, nil, err
		}
		// The gate needs versions it can order; a version it cannot read
		// is a contract error at its line, not a silent pass.
		if _, err := contracts.ContractVersion(old); err != nil {
			return nil, nil, err
		}
		if _, err := contracts.ContractVersion(new); err != nil {
			return nil, nil, err
		}
		return diff.Contracts(old, new, opts), new, nil
	}
	head, err := contracts.LoadCatalog(args...)
	if err != nil {
		return nil, nil, err
	}
	return diff.Catalogs(nil, head, opts), only(head), nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// only returns the newest version when the catalog holds one contract id.
func only(c *contracts.Catalog) *contracts.Contract {
	if len(c.Families) != 1 {
		return nil
	}
	vs := c.Families[0].Versions
	return vs[len(vs)-1]
}

// diffReport turns changes into a report the usual reporters render.
func diffReport(changes []diff.Change, subject *contracts.Contract, opts diff.Options) *report.Report {
	rep := &report.Report{
		Tool:    report.Tool{Name: "driftgate", Version: toolVersion()},
		Command: "diff",
	}
	if subject != nil {
		rep.Contract = &report.ContractRef{ID: subject.ID, Version: subject.Version, Name: subject.Name, Path: subject.Path, SHA256: subject.SHA256}
	}
	ids := map[string]bool{}
	pairs := map[string]bool{}
	for _, c := range changes {
		ids[c.ContractID] = true
		pairs[c.ContractID+"\x00"+c.OldVersion+"\x00"+c.NewVersion] = true
	}
	manyContracts, manyPairs := len(ids) > 1, len(pairs) > len(ids)
	type key struct{ rule, schema, column string }
	hit := map[key]bool{}
	labels := map[string]bool{}
	for _, c := range changes {
		r, _ := diff.Lookup(c.Rule)
		sev, ok := report.ParseSeverity(c.Severity)
		if !ok {
			sev = report.SeverityError
		}
		// Reports name a contract by its name; the id is for machines.
		label := cmp.Or(c.ContractName, c.ContractID)
		schema := c.Schema
		switch {
		case manyContracts && schema != "":
			schema = label + "/" + schema
		case schema == "":
			schema = label
		}
		labels[label] = true
		msg := c.Message
		if manyPairs || manyContracts {
			// The same change can show against several earlier versions;
			// say which comparison found it.
			msg += fmt.Sprintf(" (%s → %s)", cmp.Or(c.OldVersion, "none"), cmp.Or(c.NewVersion, "none"))
		}
		f := report.Finding{
			Rule: c.Rule, Severity: sev, Schema: schema, Column: c.Column, Message: msg,
			Expected: c.Old, Actual: c.New, Count: 1, Category: r.Category, Breaks: c.Breaks.String(),
		}
		if c.File != "" {
			f.Location = &report.Location{File: c.File, Line: c.Pos.Line, Column: c.Pos.Column}
		}
		rep.Findings = append(rep.Findings, f)
		k := key{c.Rule, schema, c.Column}
		if !hit[k] {
			hit[k] = true
			rep.Checks = append(rep.Checks, report.Check{Rule: c.Rule, Schema: schema, Column: c.Column})
		}
	}
	// Every rule that ran and found nothing is a passing check, so JUnit
	// and the summaries show what the gate looked for.
	except := map[string]bool{}
	for _, id := range opts.Except {
		except[id] = true
	}
	if len(labels) == 0 && subject != nil {
		labels[cmp.Or(subject.Name, subject.ID)] = true
	}
	for label := range labels {
		for _, r := range diff.Rules() {
			k := key{r.ID, label, ""}
			if !except[r.ID] && !hit[k] {
				rep.Checks = append(rep.Checks, report.Check{Rule: r.ID, Schema: label})
			}
		}
	}
	return rep
}

func writeDiffRules(w io.Writer) error {
	fmt.Fprintf(w, "%-24s %-13s %-8s %-10s %s\n", "RULE", "CATEGORY", "SEVERITY", "BREAKS", "DESCRIPTION")
	for _, r := range diff.Rules() {
		fmt.Fprintf(w, "%-24s %-13s %-8s %-10s %s\n", r.ID, r.Category, r.Severity, r.Breaks, r.Doc)
	}
	return nil
}

// writeDiffRulesMarkdown renders the diff rule registry as the README's
// table, with whether each rule fails the gate under each mode; a test
// keeps the README in sync with it.
func writeDiffRulesMarkdown(w io.Writer) {
	fmt.Fprintln(w, "| Rule | Category | Breaks | backward | forward | full | What it finds |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, r := range diff.Rules() {
		cells := make([]string, 0, 3)
		for _, m := range []diff.Mode{diff.ModeBackward, diff.ModeForward, diff.ModeFull} {
			sev := r.Severity
			if r.Breaks != diff.BreaksNone && !m.Breaking(r.Breaks) {
				sev = "info"
			}
			cells = append(cells, sev)
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Category, r.Breaks, strings.Join(cells, " | "), strings.ReplaceAll(r.Doc, "|", `\|`))
	}
}
