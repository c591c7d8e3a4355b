package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/checker/project"
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
		Args: cobra.ArbitraryArgs, // none: the contract's server (--server)
		RunE: func(cmd *cobra.Command, args []string) error {
			f.csvDelimiterSet = cmd.Flags().Changed("csv-delimiter")
			o, err := driftOptionsFrom(f, args, e)
			if err != nil {
				return err
			}
			return runDrift(cmd.Context(), e, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.baseline, "baseline", "b", "", "baseline profile (from driftgate profile); required")
	fl.StringVarP(&f.contract, "contract", "c", "", "contract file (ODCS v3 YAML or JSON); required")
	fl.StringVar(&f.schema, "schema", "", "schema object (table), when the contract has several")
	fl.StringVar(&f.server, "server", "", "the contract's servers entry to read when no DATA is given (needed when it declares several)")
	fl.StringArrayVarP(&f.formats, "format", "f", nil, formatHelp())
	fl.StringVar(&f.failOn, "fail-on", "warning", "lowest finding severity that fails the run: error, warning, info or never")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "column to leave out of drift checks, repeatable (ids, load dates)")
	fl.StringArrayVar(&f.thresholds, "threshold", nil, "KEY=VALUE threshold for every column, repeatable; keys as the driftgate.drift.* customProperties: "+strings.Join(drift.ThresholdKeys(), ", "))
	fl.StringVar(&f.webhook, "alert-webhook", "", "POST a JSON summary (with a text field for Slack and Teams) to this URL when drift or failures are found")
	fl.DurationVar(&f.alertTimeout, "alert-timeout", 10*time.Second, "timeout of one webhook attempt")
	fl.DurationVar(&f.alertBackoff, "alert-backoff", 500*time.Millisecond, "wait before the first webhook retry; doubles for each further one")
	fl.StringVar(&f.saveProfile, "save-profile", "", "also write the batch's profile here (to merge into the next baseline)")
	_ = fl.MarkHidden("alert-backoff")
	addSourceFlags(cmd, &f.checkFlags)
	f.history.register(fl)
	_ = cmd.MarkFlagRequired("baseline")
	_ = cmd.MarkFlagRequired("contract")
	return cmd
}

// parseThresholds applies KEY=VALUE flags to the default thresholds.
func parseThresholds(specs []string) (drift.ColumnConfig, error) {
	cc := drift.ColumnConfig{Thresholds: drift.Defaults()}
	props := map[string]any{}
	for _, s := range specs {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return cc, fmt.Errorf("--threshold %q: want KEY=VALUE, KEY one of %s", s, strings.Join(drift.ThresholdKeys(), ", "))
		}
		k = strings.TrimSpace(k)
		if slices.Contains(drift.Keys(), k) && !slices.Contains(drift.ThresholdKeys(), k) {
			return cc, fmt.Errorf("--threshold %q: %s is not a threshold (see --exclude, or the driftgate.drift.%s customProperty)", s, k, k)
		}
		props["driftgate.drift."+k] = strings.TrimSpace(v)
	}
	if err := drift.ApplyProperties(&cc, props); err != nil {
		return cc, fmt.Errorf("--threshold: %w", err)
	}
	return cc, nil
}

// driftOptions is a drift run resolved from its flags before any work.
type driftOptions struct {
	checkOptions
	baseline    string
	thresholds  drift.ColumnConfig
	exclude     []string
	hook        *webhook
	saveProfile string
}

func driftOptionsFrom(f driftFlags, args []string, e env) (driftOptions, error) {
	co, err := checkOptionsFrom(f.checkFlags, args, e)
	o := driftOptions{checkOptions: co, baseline: f.baseline, exclude: f.exclude, saveProfile: f.saveProfile}
	if err != nil {
		return o, err
	}
	if o.thresholds, err = parseThresholds(f.thresholds); err != nil {
		return o, usage(err)
	}
	if f.webhook != "" {
		if o.hook, err = newWebhook(f.webhook, f.alertTimeout, f.alertBackoff); err != nil {
			return o, usage(err)
		}
	}
	return o, nil
}

func runDrift(ctx context.Context, e env, o driftOptions) error {
	c, _, err := resolveContract(e, o.contract, "", "")
	if err != nil {
		return err
	}
	job, err := o.job("drift", c)
	noteSkipped(e, job.Skipped)
	if err != nil {
		return exitWith(nil, err)
	}
	job.Drift = &project.DriftJob{Baseline: o.baseline, Thresholds: o.thresholds, Exclude: o.exclude}
	store, err := o.history.attach(ctx, e, &job)
	if err != nil {
		return err
	}
	if store != nil {
		defer store.Close()
	}
	bar := startProgress(e, o.progress, "profiling", &job)
	res, err := project.Run(ctx, job)
	bar.done()
	if err != nil {
		return finish(e, o.outs, reportOf(res), err)
	}
	if o.saveProfile != "" {
		if err := res.Profile.WriteFile(o.saveProfile); err != nil {
			return usage(err)
		}
	}
	if o.hook != nil && alertWorthy(res.Report) {
		alert(ctx, e, o.hook, res.Report)
	}
	return finish(e, o.outs, res.Report, nil)
}

// alert posts rep to the webhook and records the delivery in it, before
// the reports are written so they show it.
func alert(ctx context.Context, e env, hook *webhook, rep *report.Report) {
	a := hook.post(ctx, rep)
	rep.Alerts = append(rep.Alerts, a)
	if !a.Delivered {
		say(e.stderr, "driftgate: alert to %s not delivered after %d attempts: %s\n", a.Target, a.Attempts, a.Error)
	}
}

// alertWorthy says a report deserves an alert: it failed, or it has a
// finding of warning severity or above.
func alertWorthy(r *report.Report) bool {
	return r.Status != report.StatusPass || r.Summary.Errors+r.Summary.Warnings > 0
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
