package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
	"github.com/driftgate/driftgate/reporters"
	"github.com/driftgate/driftgate/reporters/term"
)

// lintFormats are the formats `driftgate lint` writes: the problems as
// FILE:LINE:COL lines (text), or the report model in the CI formats.
var lintFormats = []string{"github", "json", "junit", "text"}

func newLintCmd(e env) *cobra.Command {
	var formats []string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "lint [flags] CONTRACT|DIR...",
		Short: "Validate contracts against ODCS v3 and lint them",
		Long: `Validate each contract against the ODCS v3 JSON Schema built into driftgate,
then lint what the schema cannot see: duplicate columns, invalid regular
expressions, minimum above maximum, quality rules naming unknown columns,
unsupported physical types. A directory is searched recursively for .yaml,
.yml and .json files (hidden and _-prefixed directories are skipped).

Every problem is one line, FILE:LINE:COLUMN: path: message [RULE], with the
rule ID from 'driftgate rules --family contract'. Exits 2 when any contract
has an error; warnings and info are printed but pass.`,
		Example: `  driftgate lint contracts/
  driftgate lint -v contracts/orders.odcs.yaml
  driftgate lint --format github contracts/     # annotations on the pull request
  driftgate lint -f text -f junit=out/lint.xml contracts/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(e, args, formats, verbose)
		},
	}
	cmd.Flags().StringArrayVarP(&formats, "format", "f", nil, "report format NAME or NAME=PATH, repeatable: "+strings.Join(lintFormats, ", ")+" (default text to stdout)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also print an ok line for every contract without problems (text)")
	return cmd
}

// linted is one contract file and what lint found in it.
type linted struct {
	path     string
	contract *contracts.Contract // nil when it did not load
	problems []*contracts.ParseError
	// failedAt is the rule whose failure stopped the file from loading
	// (syntax or schema); the later rules did not run on it.
	failedAt string
	size     int64
	sha256   string
}

func runLint(e env, args, formats []string, verbose bool) error {
	outs, err := parseLintOutputs(formats, e)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	var files []string
	for _, a := range args {
		fs, err := contracts.ContractFiles(a)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		files = append(files, fs...)
	}
	results := make([]linted, 0, len(files))
	bad := 0
	for _, f := range files {
		l := lintFile(f)
		for _, p := range l.problems {
			if p.IsError() {
				bad++
				break
			}
		}
		results = append(results, l)
	}
	rep := lintReport(results)
	var writeErr error
	for _, o := range outs {
		if o.name == "text" && o.rep == nil {
			printLintText(e, o, results, verbose, &writeErr)
			continue
		}
		writeErr = errors.Join(writeErr, writeOutputs(e, []output{o}, rep))
	}
	if writeErr != nil {
		return &exitError{code: exitUsage, err: writeErr}
	}
	if bad > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d of %d contracts have problems", bad, len(results))}
	}
	return nil
}

// parseLintOutputs is parseOutputs for lint's formats. The text format is
// lint's own (problem lines and ok lines), marked by a nil reporter.
func parseLintOutputs(specs []string, e env) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var outs []output
	var rest []string
	for _, s := range specs {
		name, path, _ := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		switch name {
		case "text":
			outs = append(outs, output{name: "text", path: path})
		case "github", "json", "junit":
			rest = append(rest, s)
		default:
			return nil, fmt.Errorf("--format %s: unknown lint format %q: want one of %s", s, name, strings.Join(lintFormats, ", "))
		}
	}
	if len(rest) > 0 {
		more, err := parseOutputs(rest, e)
		if err != nil {
			return nil, err
		}
		outs = append(outs, more...)
	}
	stdout := 0
	for _, o := range outs {
		if out, _ := stream(o.path); out {
			stdout++
		}
	}
	if stdout > 1 {
		return nil, errors.New("--format: more than one format writes to stdout; give the others a path (NAME=PATH)")
	}
	return outs, nil
}

func lintFile(path string) linted {
	l := linted{path: path}
	if data, err := os.ReadFile(path); err == nil {
		sum := sha256.Sum256(data)
		l.size, l.sha256 = int64(len(data)), hex.EncodeToString(sum[:])
	}
	c, err := contracts.Load(path)
	if err != nil {
		var pes contracts.ParseErrors
		var pe *contracts.ParseError
		switch {
		case errors.As(err, &pes):
			l.problems = pes
		case errors.As(err, &pe):
			l.problems = []*contracts.ParseError{pe}
		default:
			l.problems = []*contracts.ParseError{{File: path, Msg: err.Error(), Rule: contracts.LintSyntax}}
		}
		l.failedAt = contracts.LintSyntax
		for _, p := range l.problems {
			if p.Rule == contracts.LintSchema {
				l.failedAt = contracts.LintSchema
			}
		}
		return l
	}
	l.contract = c
	l.problems = contracts.LintAll(c)
	return l
}

// printLintText prints each problem as a plain FILE:LINE:COL line with its
// rule ID, and with verbose an ok line for each clean contract. Every piece
// of contract text goes through the sanitizer: an id holding a line break
// and "::error::" would otherwise start a workflow command in a CI log.
func printLintText(e env, o output, results []linted, verbose bool, writeErr *error) {
	var b strings.Builder
	for _, l := range results {
		for _, p := range l.problems {
			line := p.Error()
			if p.Rule != "" {
				line += " [" + p.Rule + "]"
			}
			b.WriteString(term.Line(line))
			b.WriteByte('\n')
		}
		if verbose && len(l.problems) == 0 && l.contract != nil {
			c := l.contract
			fmt.Fprintf(&b, "%s: ok (%s, %s)\n", term.Line(l.path), term.Line(contractLabel(c)), plural(len(c.Schemas), "schema object"))
		}
	}
	if out, errStream := stream(o.path); out || errStream {
		w := e.stdout
		if errStream {
			w = e.stderr
		}
		if _, err := w.Write([]byte(b.String())); err != nil {
			*writeErr = errors.Join(*writeErr, err)
		}
		return
	}
	if err := reporters.WriteBytes(o.path, []byte(b.String())); err != nil {
		*writeErr = errors.Join(*writeErr, fmt.Errorf("write text report: %w", err))
	}
}

// contractLabel names a contract as people know it: "orders 1.2.0", and
// the id only when it has no name.
func contractLabel(c *contracts.Contract) string {
	return strings.TrimSpace(cmp.Or(c.Name, c.ID) + " " + c.Version)
}

// lintReport is lint's result as a report, for the CI formats: one check
// per contract file and lint rule, a finding per problem at its position.
// The rules after a syntax or schema failure did not run on that file and
// are reported as not executed.
func lintReport(results []linted) *report.Report {
	r := &report.Report{Command: "lint", Tool: report.Tool{Name: "driftgate", Version: toolVersion()}}
	rules := contracts.LintRules()
	for _, l := range results {
		subject := l.path
		if l.contract != nil {
			subject = contractLabel(l.contract) + " (" + l.path + ")"
		}
		r.Inputs = append(r.Inputs, report.Input{Path: l.path, Format: "odcs", Size: l.size, SHA256: l.sha256})
		ran := true
		for _, rule := range rules {
			c := report.Check{Rule: rule.ID, Schema: subject}
			if !ran {
				c.Status = report.CheckNotExecuted
			}
			if rule.ID == l.failedAt {
				ran = false
			}
			if rule.ID == contracts.LintVersion {
				continue // a property of a set of files, checked by versions and diff
			}
			r.Checks = append(r.Checks, c)
		}
		for _, p := range l.problems {
			sev := report.SeverityError
			if s, ok := report.ParseSeverity(p.Severity); ok {
				sev = s
			}
			msg := p.Msg
			if p.Path != "" {
				msg = p.Path + ": " + msg
			}
			r.Findings = append(r.Findings, report.Finding{
				Rule: cmp.Or(p.Rule, contracts.LintSchema), Severity: sev, Schema: subject, Message: msg, Count: 1,
				Location: &report.Location{File: p.File, Line: p.Line, Column: p.Column},
			})
		}
	}
	// A finding that fails the gate is an error, as lint's exit code says.
	_ = r.Finalize("error")
	return r
}
