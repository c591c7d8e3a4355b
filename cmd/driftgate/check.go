package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/selection"
	"github.com/driftgate/driftgate/checker/servers"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// checkFlags are the flags of `driftgate check`.
type checkFlags struct {
	contract     string
	versions     versionFlags
	schema       string
	formats      []string
	failOn       string
	csvDelimiter string
	csvNull      []string
	csvNoHeader  bool
	batchSize    int
	cpuProfile   string
	memProfile   string
	quiet        bool
	metadataOnly bool
	trustStats   bool
	showPrivate  bool
	server       string
	dsn          string
	history      historyFlags
	now          string
	only, skip   []string

	csvDelimiterSet bool
	limits          limitFlags
}

func newCheckCmd(e env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check --contract FILE [flags] [DATA...]",
		Short: "Check data files against a data contract",
		Long: `Check Parquet, CSV and JSON files against an ODCS v3 data contract.

DATA arguments are files, directories (every .parquet, .csv, .tsv, .ndjson,
.jsonl inside, text formats also gzipped, recursively, in lexical order) or
globs; JSON is NDJSON or an array of objects. All files form one batch:
row counts and uniqueness span them; findings name the file and row.

Without DATA arguments, check reads the contract's servers entry (the only
one, or the one --server names): a local server's path (a file, directory
or glob, relative to the working directory, {model} standing for the
schema object), format (parquet, csv, json) and delimiter (a CSV delimiter,
or new_line / array for JSON). A server of type postgres is checked inside
PostgreSQL by SQL pushdown: one aggregate query per table, credentials from
DRIFTGATE_POSTGRES_USER/_PASSWORD, PGUSER/PGPASSWORD or --dsn.`,
		Example: `  driftgate check --contract contracts/orders.odcs.yaml data/orders/2026-11-23/
  driftgate check -c orders.odcs.yaml --format text --format junit=out/junit.xml --format json=out/report.json orders.parquet`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.csvDelimiterSet = cmd.Flags().Changed("csv-delimiter")
			o, err := checkOptionsFrom(f, args, e)
			if err != nil {
				return err
			}
			return runCheck(cmd.Context(), e, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.contract, "contract", "c", "", "contract file (ODCS v3 YAML or JSON), or a directory of contract versions; required")
	f.versions.register(fl)
	fl.StringVar(&f.server, "server", "", "the contract's servers entry to read when no DATA is given (needed when it declares several)")
	fl.StringVar(&f.dsn, "dsn", "", "PostgreSQL connection URL for a server of type postgres, replacing its host, port, database and credentials (default: $DRIFTGATE_POSTGRES_DSN); never printed")
	fl.StringVar(&f.now, "now", "", "the time SLA properties (latency, retention) are judged at, RFC 3339 or a date (default: the clock); for reproducible runs")
	fl.StringArrayVar(&f.only, "only", nil, "run only these checks, repeatable: a rule ID, family, quality rule id or name, tag or dimension (or KEY=VALUE with KEY rule, family, id, name, tag, dimension); what is left out is listed")
	fl.StringArrayVar(&f.skip, "skip", nil, "leave these checks out, repeatable; selectors as for --only; what is left out is listed")
	fl.StringVar(&f.schema, "schema", "", "schema object (table) to check, when the contract has several")
	fl.StringArrayVarP(&f.formats, "format", "f", nil, formatHelp())
	fl.StringVar(&f.failOn, "fail-on", "error", "lowest finding severity that fails the run: error, warning, info or never")
	fl.StringVar(&f.csvDelimiter, "csv-delimiter", ",", "CSV field delimiter (one character; tab for .tsv files by default)")
	fl.StringArrayVar(&f.csvNull, "csv-null", nil, `CSV cell text that means null, repeatable (default: only the empty cell)`)
	fl.BoolVar(&f.csvNoHeader, "csv-no-header", false, "CSV files have no header row; columns are named col1, col2, ...")
	fl.IntVar(&f.batchSize, "batch-size", source.DefaultBatchSize, "rows per record batch")
	fl.BoolVar(&f.metadataOnly, "metadata-only", false, "check the structure only: Parquet footers (schema, row counts, trusted statistics), a CSV header, a JSON file's first record; every other check is listed as CHECK_SKIPPED")
	fl.BoolVar(&f.showPrivate, "show-private-values", false, "let findings quote values of columns classified pii, restricted, confidential, sensitive or secret (tag pii, customProperty pii: true), for a local debugging run; ignored under CI")
	fl.BoolVar(&f.trustStats, "trust-statistics", false, "trust Parquet footer statistics from any writer, with --metadata-only and for the columns a full check proves from them (by default only writers known to write them correctly: Arrow, parquet-mr 1.10+, DuckDB, Polars)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress display on stderr (shown only on a terminal, never under CI)")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile to this file (for go tool pprof)")
	_ = fl.MarkHidden("cpuprofile")
	fl.StringVar(&f.memProfile, "memprofile", "", "write a heap profile to this file at the end of the run")
	_ = fl.MarkHidden("memprofile")
	f.history.register(fl)
	f.limits.register(fl)
	_ = cmd.MarkFlagRequired("contract")
	return cmd
}

// checkOptions is a check resolved from its flags before any work, like
// kubeconform's config: pure, and what the tests inspect.
type checkOptions struct {
	contract        string
	contractID      string
	contractVersion string
	allVersions     bool
	schema          string
	server          string
	dsn             string
	now             time.Time
	sel             selection.Selection
	csvDelimiterSet bool
	inputs          []string
	outs            []output
	failOn          string
	source          source.Options
	metadataOnly    bool
	trustStatistics bool
	showPrivate     bool
	progress        bool
	cpuProfile      string
	memProfile      string
	history         historyFlags
}

// checkOptionsFrom validates the flags of check; every problem is a usage
// error (exit 2).
func checkOptionsFrom(f checkFlags, args []string, e env) (checkOptions, error) {
	o := checkOptions{
		contract: f.contract, contractID: f.versions.id, contractVersion: f.versions.version, allVersions: f.versions.all,
		schema: f.schema, server: f.server, dsn: f.dsn, csvDelimiterSet: f.csvDelimiterSet, inputs: args, failOn: f.failOn,
		metadataOnly: f.metadataOnly, trustStatistics: f.trustStats,
		// Private values never reach a CI log, whatever the flags say.
		showPrivate: f.showPrivate && e.getenv("CI") == "",
		progress:    showProgress(e, f.quiet),
		cpuProfile:  f.cpuProfile, memProfile: f.memProfile,
		history: f.history,
	}
	var err error
	if o.now, err = parseNow(f.now); err != nil {
		return o, usage(err)
	}
	if o.sel, err = selection.Parse(f.only, f.skip); err != nil {
		return o, usage(err)
	}
	if o.outs, err = parseOutputs(f.formats, e); err != nil {
		return o, usage(err)
	}
	if err := validFailOn(f.failOn); err != nil {
		return o, usage(err)
	}
	if o.source, err = f.sourceOptions(); err != nil {
		return o, usage(err)
	}
	o.source.Open = e.open
	if (f.versions.id != "" || f.versions.version != "" || f.versions.all) && !isDir(f.contract) {
		return o, usage(fmt.Errorf("--contract %s is not a directory; --contract-version, --contract-id and --all-versions need a directory of contract versions", f.contract))
	}
	return o, nil
}

// showProgress says whether to draw progress: on a terminal, unless -q or
// under CI, whose logs keep every redraw.
func showProgress(e env, quiet bool) bool {
	return e.stderrTTY && !quiet && e.getenv("CI") == ""
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// resolveContract loads --contract, tells the user what it left out of a
// contract directory, and maps a failure to its exit code.
func resolveContract(e env, path, id, version string) (*contracts.Contract, *contracts.Catalog, error) {
	c, cat, notes, err := project.ResolveContract(path, id, version)
	printNotes(e, "", notes)
	if err != nil {
		return nil, nil, exitWith(nil, err)
	}
	return c, cat, nil
}

// printNotes tells the user what changed no verdict but is worth knowing.
func printNotes(e env, dataset string, notes []string) {
	for _, n := range notes {
		if dataset != "" {
			n = "dataset " + dataset + ": " + n
		}
		say(e.stderr, "driftgate: note: %s\n", n)
	}
}

func runCheck(ctx context.Context, e env, o checkOptions) error {
	c, cat, err := resolveContract(e, o.contract, o.contractID, o.contractVersion)
	if err != nil {
		return err
	}
	if len(o.inputs) == 0 {
		if s, err := c.SelectServer(o.server); err == nil && pushesDown(s) {
			return runPushdown(ctx, e, o, c, s)
		} else if err == nil && servers.IsSpark(s) {
			return runSparkPushdown(ctx, e, o, c, s)
		}
	}
	if o.cpuProfile != "" {
		stop, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return usage(err)
		}
		defer stop()
	}
	job, err := o.job("check", c)
	noteSkipped(e, job.Skipped)
	if err != nil {
		return exitWith(nil, err)
	}
	if o.memProfile != "" {
		defer writeHeapProfile(o.memProfile, e)
	}
	job.Check, job.MetadataOnly, job.TrustStatistics = true, o.metadataOnly, o.trustStatistics
	job.ShowPrivateValues = o.showPrivate
	job.SQL = sqlOnFiles(e.getenv)
	if o.allVersions {
		job.Versions = cat
	}
	bar := startProgress(e, o.progress, "checking", &job)
	store, err := o.history.attach(ctx, e, &job)
	if err != nil {
		return err
	}
	if store != nil {
		defer store.Close()
	}
	res, err := project.Run(ctx, job)
	bar.done() // before the report, so the terminal shows only the report
	return finish(e, o.outs, reportOf(res), err)
}

// reportOf is the report of a result, nil when the job stopped before it
// had one.
func reportOf(res *project.Result) *report.Report {
	if res == nil {
		return nil
	}
	return res.Report
}

// job is the part of a job every data command shares: the contract, the
// expanded inputs and how to read them.
//
// Without inputs the data is the contract's server (see servers.Data).
func (o checkOptions) job(command string, c *contracts.Contract) (project.Job, error) {
	j := project.Job{Command: command}
	target, inputs, err := servers.Data(c, o.server, o.schema, o.inputs)
	if err != nil {
		return j, usage(err)
	}
	if target != nil {
		target.Apply(&o.source, o.csvDelimiterSet)
	}
	in, err := checker.ExpandRemote(context.Background(), inputs, o.source.Format, o.source.Remote)
	j.Contract, j.Schema, j.Files, j.Source, j.FailOn, j.ToolVersion = c, o.schema, in.Files, o.source, o.failOn, toolVersion()
	j.Skipped = in.Skipped
	j.Now, j.Select = o.now, o.sel
	return j, err
}

// finish writes the reports a run got far enough to produce and maps the
// outcome to an exit code. An error the report on the terminal shows is
// not printed again.
func finish(e env, outs []output, rep *report.Report, runErr error) error {
	if rep != nil && rep.Status == report.StatusError && runErr != nil && rep.Error != runErr.Error() {
		// The report says why in the error's own words, with what the
		// command added (the server it asked).
		r := *rep
		r.Error = runErr.Error()
		rep = &r
	}
	if rep != nil {
		if err := writeOutputs(e, outs, rep); err != nil && runErr == nil {
			return writeFailed(err)
		}
		if runErr != nil && errorShown(outs, rep) {
			return &exitError{code: exitCode(rep, runErr)}
		}
	}
	return exitWith(rep, runErr)
}

// parseNow reads --now: an RFC 3339 time, or a date meaning its midnight
// UTC; empty is the zero time (the clock).
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--now %q: want an RFC 3339 time (2026-11-30T06:00:00Z) or a date (2026-11-30)", s)
}

func validFailOn(s string) error {
	switch s {
	case "error", "warning", "info", "never":
		return nil
	}
	return fmt.Errorf("--fail-on %q: want error, warning, info or never", s)
}

func (f checkFlags) sourceOptions() (source.Options, error) {
	opts, err := project.SourceOptions(f.batchSize, f.csvDelimiter, f.csvNull, f.csvNoHeader)
	if err != nil {
		return opts, fmt.Errorf("--%w", err)
	}
	f.limits.apply(&opts)
	return opts, nil
}

// startCPUProfile profiles the run; the hidden --cpuprofile flag is how the
// project measures where time goes on real files.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func writeHeapProfile(path string, e env) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("heap").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		say(e.stderr, "driftgate: heap profile: %v\n", err)
	}
}
