package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/history"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/reporters"
	"github.com/driftgate/driftgate/reporters/term"
)

// historyFlags are the flags that attach a metric history to check, drift
// and run.
type historyFlags struct {
	location string
	asOf     string
	failOn   string
}

func (f *historyFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.location, "history", "", "metric history to judge the batch against and record it in: a SQLite file, or postgres://…")
	fl.StringVar(&f.asOf, "as-of", "", "the batch's logical day (YYYY-MM-DD) or time (RFC 3339) in the history (default today, UTC)")
	fl.StringVar(&f.failOn, "history-fail-on", project.DefaultDriftFailOn, "lowest anomaly severity that fails the run: error, warning, info or never (anomalies are warnings)")
}

// parseAsOf reads --as-of: a day or an RFC 3339 time; empty is today (UTC
// midnight), so a re-run of a nightly job replaces the day's point.
func parseAsOf(s string, now time.Time) (time.Time, error) {
	if s == "" {
		y, m, d := now.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: want a day (2026-11-30) or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// attach opens the history and adds it to the job; the caller closes the
// store. Without --history it does nothing.
func (f historyFlags) attach(ctx context.Context, e env, j *project.Job) (*history.Store, error) {
	if f.location == "" {
		if f.asOf != "" {
			return nil, usage(fmt.Errorf("--as-of needs --history"))
		}
		return nil, nil
	}
	s, asOf, err := f.openAt(ctx, e)
	if err != nil {
		return nil, err
	}
	schema, err := checker.SelectSchema(j.Contract, j.Schema)
	if err != nil {
		s.Close()
		return nil, usage(err)
	}
	j.History = &project.HistoryJob{Store: s, Dataset: project.DatasetName(j.Contract, schema), AsOf: asOf, FailOn: f.failOn, Started: e.started}
	return s, nil
}

// openAt validates the flags and opens the history, returning the as-of
// time of the run.
func (f historyFlags) openAt(ctx context.Context, e env) (*history.Store, time.Time, error) {
	if err := validFailOn(f.failOn); err != nil {
		return nil, time.Time{}, usage(fmt.Errorf("--history-fail-on: %w", err))
	}
	asOf, err := parseAsOf(f.asOf, now(e))
	if err != nil {
		return nil, time.Time{}, usage(err)
	}
	s, err := history.Open(ctx, f.location)
	if err != nil {
		return nil, time.Time{}, usage(err)
	}
	return s, asOf, nil
}

// now is the run's wall clock: the env's start, else the real time.
func now(e env) time.Time {
	if !e.started.IsZero() {
		return e.started
	}
	return time.Now()
}

func newHistoryCmd(e env) *cobra.Command {
	var location string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Browse the metric history that check, drift and run record with --history",
		Long: `Browse the metric history: what each run measured (rows, null rates, means,
freshness, ...), the anomalies judged against the dataset's own past, and
the full report stored for every day, with its hashes.`,
	}
	cmd.PersistentFlags().StringVar(&location, "history", "", "the history: a SQLite file, or postgres://… (required)")
	open := func(ctx context.Context) (*history.Store, error) {
		if location == "" {
			return nil, usage(fmt.Errorf("--history is required"))
		}
		s, err := history.Open(ctx, location)
		if err != nil {
			return nil, usage(err)
		}
		return s, nil
	}
	// withRuns opens the history, reads the runs of dataset ("" for all)
	// and hands them to fn.
	withRuns := func(ctx context.Context, dataset string, fn func(*history.Store, []history.Run) error) error {
		s, err := open(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		runs, err := s.Runs(ctx, dataset)
		if err != nil {
			return exitWith(nil, err)
		}
		return fn(s, runs)
	}
	var format string
	formatFlag := func(c *cobra.Command) {
		c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the datasets in the history with their runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRuns(cmd.Context(), "", func(_ *history.Store, runs []history.Run) error {
				return printList(e.stdout, format, runs)
			})
		},
	}
	formatFlag(list)
	var metric, column string
	show := &cobra.Command{
		Use:   "show DATASET",
		Short: "Show a dataset's runs, or one metric's series with its anomalies",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRuns(cmd.Context(), args[0], func(s *history.Store, runs []history.Run) error {
				if len(runs) == 0 {
					return usage(fmt.Errorf("dataset %q has no runs in history %s", args[0], s.Location))
				}
				return printShow(e.stdout, format, runs, column, metric)
			})
		},
	}
	formatFlag(show)
	show.Flags().StringVar(&metric, "metric", "", "a metric: rows, null_rate, distinct, min, max, mean, sum, p50, p95, length_min, length_max, length_mean, lag_seconds")
	show.Flags().StringVar(&column, "column", "", "the column of a column metric")
	var output string
	rep := &cobra.Command{
		Use:   "report -o FILE",
		Short: "Write one self-contained HTML page: each dataset's metrics over time, anomalies marked",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRuns(cmd.Context(), "", func(_ *history.Store, runs []history.Run) error {
				var b bytes.Buffer
				if err := history.BuildPage("driftgate history", runs).WriteHTML(&b); err != nil {
					return exitWith(nil, err)
				}
				if output == "" || output == "-" {
					_, err := e.stdout.Write(b.Bytes())
					return err
				}
				if err := reporters.WriteBytes(output, b.Bytes()); err != nil {
					return writeFailed(fmt.Errorf("write %s: %w", output, err))
				}
				return nil
			})
		},
	}
	rep.Flags().StringVarP(&output, "output", "o", "", "the HTML file to write (- or none: stdout)")
	at := &cobra.Command{
		Use:   "at DATASET DAY",
		Short: "Print what was known about a dataset on a day: the run in force, its hashes and its report",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			day, err := parseAsOf(args[1], time.Time{})
			if err != nil {
				return usage(err)
			}
			s, err := open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			run, report, err := s.At(cmd.Context(), args[0], day.Add(24*time.Hour-time.Nanosecond))
			if err != nil {
				return usage(err)
			}
			return printAt(e.stdout, format, run, report)
		},
	}
	formatFlag(at)
	var keep string
	prune := &cobra.Command{
		Use:   "prune --keep 400d",
		Short: "Delete runs older than the given age",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			age, err := parseAge(keep)
			if err != nil {
				return usage(fmt.Errorf("--keep: %w", err))
			}
			s, err := open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			n, err := s.Prune(cmd.Context(), now(e).Add(-age))
			if err != nil {
				return exitWith(nil, err)
			}
			say(e.stdout, "pruned %d runs older than %s\n", n, keep)
			return nil
		},
	}
	prune.Flags().StringVar(&keep, "keep", "400d", "keep runs this recent: days (400d), weeks (8w) or a Go duration (72h)")
	cmd.AddCommand(list, show, rep, at, prune)
	return cmd
}

// parseAge reads 400d, 8w or a Go duration.
func parseAge(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			if v, err := strconv.Atoi(n); err == nil && v >= 0 {
				return time.Duration(v) * unit, nil
			}
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want days (400d), weeks (8w) or a duration (72h)", s)
	}
	return d, nil
}

func printList(w io.Writer, format string, runs []history.Run) error {
	type row struct {
		Dataset    string `json:"dataset"`
		Runs       int    `json:"runs"`
		First      string `json:"first"`
		Last       string `json:"last"`
		LastStatus string `json:"lastStatus"`
		Anomalies  int    `json:"anomalies"`
	}
	var rows []row
	for _, r := range runs {
		if len(rows) == 0 || rows[len(rows)-1].Dataset != r.Dataset {
			rows = append(rows, row{Dataset: r.Dataset, First: r.AsOf.Format(time.RFC3339)})
		}
		cur := &rows[len(rows)-1]
		cur.Runs++
		cur.Last, cur.LastStatus = r.AsOf.Format(time.RFC3339), r.Status
		for _, m := range r.Metrics {
			if m.Anomalous {
				cur.Anomalies++
			}
		}
	}
	if format == "json" {
		return writeJSON(w, map[string]any{"datasets": nonNil(rows)})
	}
	if format != "text" {
		return usage(fmt.Errorf("--format %q: want text or json", format))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tRUNS\tFIRST\tLAST\tLAST VERDICT\tANOMALIES")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\n", term.Line(r.Dataset), r.Runs, r.First[:10], r.Last[:10], term.Line(r.LastStatus), r.Anomalies)
	}
	return tw.Flush()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func printShow(w io.Writer, format string, runs []history.Run, column, metric string) error {
	type point struct {
		AsOf      string  `json:"asOf"`
		Status    string  `json:"status"`
		Value     float64 `json:"value"`
		Anomalous bool    `json:"anomalous"`
	}
	if metric == "" && column != "" {
		return usage(fmt.Errorf("--column needs --metric"))
	}
	if metric != "" {
		var pts []point
		for _, r := range runs {
			for _, m := range r.Metrics {
				if m.Column == column && m.Name == metric {
					pts = append(pts, point{AsOf: r.AsOf.Format(time.RFC3339), Status: r.Status, Value: m.Value, Anomalous: m.Anomalous})
				}
			}
		}
		if len(pts) == 0 {
			return usage(fmt.Errorf("no metric %q of column %q in %s's runs", metric, column, runs[0].Dataset))
		}
		if format == "json" {
			return writeJSON(w, map[string]any{"dataset": runs[0].Dataset, "column": column, "metric": metric, "points": pts})
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AS OF\tVERDICT\tVALUE\t")
		for _, p := range pts {
			mark := ""
			if p.Anomalous {
				mark = "anomaly"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.AsOf[:10], term.Line(p.Status), history.Number(p.Value), mark)
		}
		return tw.Flush()
	}
	type run struct {
		AsOf      string                 `json:"asOf"`
		Status    string                 `json:"status"`
		Rows      float64                `json:"rows"`
		Findings  []history.FindingCount `json:"findings"`
		Anomalies []string               `json:"anomalies"`
		Report    string                 `json:"reportSha256"`
	}
	var out []run
	for _, r := range runs {
		x := run{AsOf: r.AsOf.Format(time.RFC3339), Status: r.Status, Findings: nonNil(r.Findings), Anomalies: []string{}, Report: r.ReportSHA256}
		for _, m := range r.Metrics {
			if m.Column == "" && m.Name == history.MetricRows {
				x.Rows = m.Value
			}
			if m.Anomalous {
				x.Anomalies = append(x.Anomalies, strings.TrimPrefix(m.Column+"."+m.Name, "."))
			}
		}
		out = append(out, x)
	}
	if format == "json" {
		return writeJSON(w, map[string]any{"dataset": runs[0].Dataset, "runs": out})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AS OF\tVERDICT\tROWS\tFINDINGS\tANOMALIES")
	for _, r := range out {
		n := int64(0)
		for _, f := range r.Findings {
			n += f.Count
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.AsOf[:10], term.Line(r.Status), history.Number(r.Rows), n, term.Line(strings.Join(r.Anomalies, ", ")))
	}
	return tw.Flush()
}

func printAt(w io.Writer, format string, run *history.Run, report []byte) error {
	if format == "json" {
		_, err := w.Write(append(bytes.TrimSpace(report), '\n'))
		return err
	}
	if format != "text" {
		return usage(fmt.Errorf("--format %q: want text or json", format))
	}
	fmt.Fprintf(w, "%s as of %s (recorded %s): %s\n", term.Line(run.Dataset), run.AsOf.Format(time.RFC3339), run.RecordedAt.Format(time.RFC3339), term.Line(run.Status))
	fmt.Fprintf(w, "contract %s version %s sha256 %s, schema %s\n", term.Line(run.ContractID), term.Line(run.ContractVersion), term.Line(run.ContractSHA256), term.Line(run.Schema))
	for _, in := range run.Inputs {
		fmt.Fprintf(w, "input %s (%d bytes) sha256 %s\n", term.Line(in.Path), in.Size, term.Line(in.SHA256))
	}
	for _, f := range run.Findings {
		fmt.Fprintf(w, "%d %s %s\n", f.Count, term.Line(f.Severity), term.Line(f.Rule))
	}
	fmt.Fprintf(w, "report sha256 %s (driftgate history at --format json prints it)\n", term.Line(run.ReportSHA256))
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
