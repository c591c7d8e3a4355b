package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
)

// driftFlags are the flags of `driftgate drift`.
type driftFlags struct {
	checkFlags
	baseline     string
	exclude      []string
	thresholds   []string
	webhook      string
	alertTimeout time.Duration
	alertBackoff time.Duration
	saveProfile  string
}

func newDriftCmd(e env) *cobra.Command {
	var f driftFlags
	cmd := &cobra.Command{
		Use:   "drift --baseline PROFILE --contract FILE [flags] DATA...",
		Short: "Compare a batch with its baseline profile and report drift",
		Long: `Profile DATA and compare it column by column with a baseline profile (see
'driftgate profile'): columns added, removed or retyped, distributions,
categories, null rates, value shapes and the row count.

Effect sizes decide (normalised Wasserstein distance, PSI, Jensen-Shannon
distance, null-rate change); p-values only guard small samples and are
adjusted across all tests with Benjamini-Hochberg. Thresholds come from
the defaults, --threshold, then the contract's customProperties
(driftgate.drift.*) on the schema object and on each property; the most
specific wins.

Exit codes as for check: 1 when a finding is at or above --fail-on
(default warning: any drift fails).`,
		Example: `  driftgate drift --baseline baselines/orders.profile.json -c orders.odcs.yaml data/orders/2026-11-23/ --format text --format html=out/drift.html
  driftgate drift -b base.json -c orders.odcs.yaml --exclude order_id --threshold psi=0.25 --alert-webhook "$SLACK_WEBHOOK" day.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDrift(cmd, e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.baseline, "baseline", "b", "", "baseline profile (from driftgate profile); required")
	fl.StringVarP(&f.contract, "contract", "c", "", "contract file (ODCS v3 YAML or JSON); required")
	fl.StringVar(&f.schema, "schema", "", "schema object (table), when the contract has several")
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "report format NAME or NAME=PATH, repeatable: html, text, json, junit, github, markdown (default text to stdout)")
	fl.StringVar(&f.failOn, "fail-on", "warning", "lowest finding severity that fails the run: error, warning, info or never")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "column to leave out of drift checks, repeatable (ids, load dates)")
	fl.StringArrayVar(&f.thresholds, "threshold", nil, "KEY=VALUE threshold for every column, repeatable; keys as the driftgate.drift.* customProperties: "+strings.Join(thresholdKeys(), ", "))
	fl.StringVar(&f.webhook, "alert-webhook", "", "POST a JSON summary (with a text field for Slack and Teams) to this URL when drift or failures are found")
	fl.DurationVar(&f.alertTimeout, "alert-timeout", 10*time.Second, "timeout of one webhook attempt")
	fl.DurationVar(&f.alertBackoff, "alert-backoff", 500*time.Millisecond, "wait before the first webhook retry; doubles for each further one")
	fl.StringVar(&f.saveProfile, "save-profile", "", "also write the batch's profile here (to merge into the next baseline)")
	_ = fl.MarkHidden("alert-backoff")
	addSourceFlags(cmd, &f.checkFlags)
	_ = cmd.MarkFlagRequired("baseline")
	_ = cmd.MarkFlagRequired("contract")
	return cmd
}

// thresholdKeys are the customProperties keys that take a number.
func thresholdKeys() []string {
	var out []string
	for _, k := range drift.Keys() {
		switch k {
		case "exclude", "temporal", "severity":
			continue
		}
		out = append(out, k)
	}
	return out
}

// parseThresholds applies KEY=VALUE flags to the default thresholds.
func parseThresholds(specs []string) (drift.ColumnConfig, error) {
	cc := drift.ColumnConfig{Thresholds: drift.Defaults()}
	props := map[string]any{}
	for _, s := range specs {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return cc, fmt.Errorf("--threshold %q: want KEY=VALUE, KEY one of %s", s, strings.Join(thresholdKeys(), ", "))
		}
		props["driftgate.drift."+strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if err := drift.ApplyProperties(&cc, props); err != nil {
		return cc, fmt.Errorf("--threshold: %w", err)
	}
	return cc, nil
}

func runDrift(cmd *cobra.Command, e env, f driftFlags, args []string) error {
	outs, err := parseOutputs(f.formats, e)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := validFailOn(f.failOn); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	base, err := parseThresholds(f.thresholds)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	var hook *webhook
	if f.webhook != "" {
		if hook, err = newWebhook(f.webhook, f.alertTimeout, f.alertBackoff); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	srcOpts, err := f.sourceOptions()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	c, err := loadContract(f.contract)
	if err != nil {
		return err
	}
	schema, err := checker.SelectSchema(c, f.schema)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	baseline, err := profile.Load(f.baseline)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if bc := baseline.Contract; bc != nil && (bc.ID != c.ID || (bc.Schema != "" && bc.Schema != schema.Name)) {
		return &exitError{code: exitUsage, err: fmt.Errorf("baseline %s was profiled for contract %s schema %q, not %s schema %q", f.baseline, bc.ID, bc.Schema, c.ID, schema.Name)}
	}
	cfg, err := drift.ConfigFromContract(c, schema, base, f.exclude)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	files, err := checker.ExpandInputs(args)
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	cur, err := profile.Run(cmd.Context(), profile.Options{Contract: c, Schema: schema.Name, Files: files, Source: srcOpts, ToolVersion: toolVersion()})
	if err != nil {
		return runError(err)
	}
	if f.saveProfile != "" {
		if err := cur.WriteFile(f.saveProfile); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	res, err := drift.Compare(baseline, cur, cfg)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("baseline %s: %w", f.baseline, err)}
	}
	rep := &report.Report{
		Tool:     report.Tool{Name: "driftgate", Version: toolVersion()},
		Command:  "drift",
		Contract: &report.ContractRef{ID: c.ID, Version: c.Version, Name: c.Name, Path: c.Path, SHA256: c.SHA256, Schema: schema.Name},
		Checks:   res.Checks,
		Findings: res.Findings,
		Drift:    res.Columns,
		Baseline: baselineRef(f.baseline, baseline),
	}
	for _, s := range cur.Sources {
		rep.Inputs = append(rep.Inputs, report.Input{Path: s.Path, Format: s.Format, Size: s.Size, SHA256: s.SHA256, Rows: s.Rows})
	}
	rep.Summary.Rows = cur.Rows
	if err := rep.Finalize(f.failOn); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if hook != nil && alertWorthy(rep) {
		a := hook.post(cmd.Context(), rep)
		rep.Alerts = append(rep.Alerts, a)
		if !a.Delivered {
			fmt.Fprintf(e.stderr, "driftgate: alert to %s not delivered after %d attempts: %s\n", a.Target, a.Attempts, a.Error)
		}
	}
	return finish(e, outs, rep, nil)
}

// alertWorthy says a report deserves an alert: it failed, or it has a
// finding of warning severity or above.
func alertWorthy(r *report.Report) bool {
	return r.Status != report.StatusPass || r.Summary.Errors+r.Summary.Warnings > 0
}

func baselineRef(path string, p *profile.Profile) *report.BaselineRef {
	ref := &report.BaselineRef{Path: path, Rows: p.Rows, Batches: max(p.Batches, 1)}
	if data, err := os.ReadFile(path); err == nil {
		sum := sha256.Sum256(data)
		ref.SHA256 = hex.EncodeToString(sum[:])
	}
	if p.Contract != nil {
		ref.ContractVersion = p.Contract.Version
	}
	return ref
}

// driftedColumns lists the columns with findings, with their rules.
func driftedColumns(r *report.Report) []string {
	rules := map[string][]string{}
	var order []string
	for _, f := range r.Findings {
		name := f.Column
		if name == "" {
			name = "(table)"
		}
		if _, ok := rules[name]; !ok {
			order = append(order, name)
		}
		rules[name] = append(rules[name], f.Rule)
	}
	sort.Strings(order)
	var out []string
	for _, n := range order {
		out = append(out, fmt.Sprintf("%s (%s)", n, strings.Join(rules[n], ", ")))
	}
	return out
}
