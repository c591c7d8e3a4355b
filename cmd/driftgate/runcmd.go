package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/history"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
	"github.com/driftgate/driftgate/contracts/diff"
)

// runFlags are the flags of `driftgate run`.
type runFlags struct {
	config       string
	changedSince string
	mode         string
	formats      []string
	failOn       string
	github       bool
	jobs         int
	webhook      string
	alertTimeout time.Duration
	history      historyFlags
	quiet        bool
}

// runOptions is a run resolved from flags and environment, before any
// work: what the Go tests build and inspect, like kubeconform's config.
type runOptions struct {
	cfg *project.Config
	// names limits the run to these datasets; empty means all.
	names []string
	// base is the git ref of pull-request mode; empty in full mode.
	base string
	outs []output
	// github enables the GitHub Actions integration; outputFile is
	// $GITHUB_OUTPUT and jsonReport the report path it announces.
	github     bool
	outputFile string
	jsonReport string
	failOn     string
	jobs       int
	now        time.Time
	// hook, when set, is told about a run that failed or drifted.
	hook *webhook
	// history is the metric history the datasets are judged against and
	// recorded in (--history or the config's history:); store and asOf
	// are set once it is open.
	history historyFlags
	store   *history.Store
	asOf    time.Time
	// progress shows the datasets' progress on stderr; bar draws it.
	progress bool
	bar      *progressBar
	// open opens the data inputs (env.open).
	open func(context.Context, string) (source.Input, error)
	// sql runs the datasets' sql rules on files (sqlOnFiles).
	sql checker.SQLRunner
}

func newRunCmd(e env) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [DATASET...]",
		Short: "Check every dataset driftgate.yaml declares (or those a change touches)",
		Long: `Run, per dataset of driftgate.yaml, the contract check and, where a baseline
is set, drift; write one combined report per format and exit with the worst
verdict (0 pass, 1 failed, 2 config or contract error, 3 data unreadable).
Datasets run in parallel; the output is in the config's order.

With --changed-since REF (pull-request mode), only the datasets whose data,
contract or baseline changed since REF (git diff REF...HEAD, plus
uncommitted and untracked files) are checked; a dataset whose data is
partitioned ({placeholders}) is checked on the partitions that changed. Every
changed contract is also compared with its version at REF, and a breaking
change under the dataset's compatibility is reported. When nothing changed
the run says so and exits 0.

With --github (the GitHub Action), findings become annotations, the summary
goes to $GITHUB_STEP_SUMMARY, the outputs status and report go to
$GITHUB_OUTPUT, and on a pull_request event the base of the pull request is
the default REF.`,
		Example: `  driftgate run
  driftgate run orders
  driftgate run --changed-since origin/main
  driftgate run --format json=out/driftgate.json --format html=out/driftgate.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := runOptionsFrom(cmd.Context(), f, args, e)
			if err != nil {
				return err
			}
			return runProject(cmd.Context(), e, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", project.DefaultFile, "the project config")
	fl.StringVar(&f.changedSince, "changed-since", "", "pull-request mode: only datasets whose data, contract or baseline changed since this git ref, plus a breaking-change diff of changed contracts")
	fl.StringVar(&f.mode, "mode", "auto", "pull-request (needs --changed-since, or --github on a pull_request event), full, or auto (pull-request when a base is known)")
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "report format NAME or NAME=PATH, repeatable, in addition to the config's reports: text, json, junit, github, markdown, html")
	fl.StringVar(&f.failOn, "fail-on", "", "lowest finding severity that fails the run, overriding the config: error, warning, info or never")
	fl.BoolVar(&f.github, "github", false, "GitHub Actions mode: annotations on stdout, job summary, $GITHUB_OUTPUT, base ref from the pull_request event")
	fl.IntVar(&f.jobs, "jobs", 0, "datasets checked at once (default: the number of CPUs)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress display on stderr (shown only on a terminal, never under CI)")
	f.history.register(fl)
	fl.Lookup("history").Usage += " (default: the config's history)"
	fl.StringVar(&f.webhook, "alert-webhook", "", "POST a JSON summary (with a text field for Slack and Teams) to this URL when a dataset drifted or failed")
	fl.DurationVar(&f.alertTimeout, "alert-timeout", 10*time.Second, "timeout of one webhook attempt")
	return cmd
}

// runOptionsFrom resolves flags, the config file and, with --github, the
// variables GitHub Actions sets. Every problem is a usage error (exit 2).
func runOptionsFrom(ctx context.Context, f runFlags, args []string, e env) (runOptions, error) {
	usage := func(err error) (runOptions, error) { return runOptions{}, &exitError{code: exitUsage, err: err} }
	o := runOptions{names: args, github: f.github, failOn: f.failOn, jobs: f.jobs, now: time.Now(), progress: showProgress(e, f.quiet), open: e.open, sql: sqlOnFiles(e.getenv)}
	if o.jobs <= 0 {
		o.jobs = runtime.GOMAXPROCS(0)
	}
	if f.failOn != "" {
		if err := validFailOn(f.failOn); err != nil {
			return usage(err)
		}
	}
	if f.webhook != "" {
		var err error
		if o.hook, err = newWebhook(f.webhook, f.alertTimeout, 500*time.Millisecond); err != nil {
			return usage(err)
		}
	}
	cfg, err := loadProjectConfig(f.config)
	if err != nil {
		return runOptions{}, err
	}
	o.cfg = cfg
	if o.history, err = runHistory(f.history, cfg); err != nil {
		return usage(err)
	}
	for _, n := range args {
		if _, ok := cfg.Dataset(n); !ok {
			return usage(fmt.Errorf("no dataset %q in %s; it declares %s", n, cfg.Path, datasetNames(cfg)))
		}
	}
	if o.base, err = runBase(ctx, f, e, cfg); err != nil {
		return usage(err)
	}
	specs := runReportSpecs(f, cfg)
	if f.github {
		o.outputFile = e.getenv("GITHUB_OUTPUT")
	}
	specs, o.jsonReport = withJSONReport(specs, f.github, e)
	if o.outs, err = parseOutputs(specs, e); err != nil {
		return usage(err)
	}
	return o, nil
}

// runHistory is the metric history of a run: --history, else the
// config's history: (a path beside the config, or a PostgreSQL URL).
func runHistory(h historyFlags, cfg *project.Config) (historyFlags, error) {
	if h.location == "" && cfg.History != "" {
		h.location = cfg.Abs(cfg.History)
		if strings.HasPrefix(cfg.History, "postgres://") || strings.HasPrefix(cfg.History, "postgresql://") {
			h.location = cfg.History
		}
	}
	if h.asOf != "" && h.location == "" {
		return h, errors.New("--as-of needs --history or a history: in the config")
	}
	return h, nil
}

// runBase is the git ref of pull-request mode, verified, or "" for a full
// run: --changed-since, else with --github the pull request's base.
func runBase(ctx context.Context, f runFlags, e env, cfg *project.Config) (string, error) {
	switch f.mode {
	case "auto", "pull-request", "full":
	default:
		return "", fmt.Errorf("--mode %q: want pull-request, full or auto", f.mode)
	}
	if f.mode == "full" {
		return "", nil
	}
	base := f.changedSince
	if base == "" && f.github {
		var err error
		if base, err = githubBase(e); err != nil {
			return "", err
		}
	}
	if f.mode == "pull-request" && base == "" {
		return "", errors.New("--mode pull-request needs a base: --changed-since REF, or --github on a pull_request event")
	}
	if base != "" {
		if _, err := (contracts.Git{Dir: cfg.Dir}).Verify(ctx, base); err != nil {
			return "", err
		}
	}
	return base, nil
}

// runReportSpecs are the config's reports, then the command line's. With
// --github the annotations own stdout; without, text goes to stdout when
// nothing else does.
func runReportSpecs(f runFlags, cfg *project.Config) []string {
	var specs []string
	for _, r := range cfg.Reports {
		if r.Path == "" {
			if f.github {
				continue
			}
			specs = append(specs, r.Format)
			continue
		}
		specs = append(specs, r.Format+"="+cfg.Abs(r.Path))
	}
	specs = append(specs, f.formats...)
	if f.github {
		return append(slicesDeleteStdout(specs), "github")
	}
	if !hasStdout(specs) {
		specs = append([]string{"text"}, specs...)
	}
	return specs
}

// withJSONReport returns the path of the first JSON report; with --github
// a JSON report is always written (under $RUNNER_TEMP when none is asked
// for), so the action can name it in its report output.
func withJSONReport(specs []string, github bool, e env) ([]string, string) {
	for _, s := range specs {
		if name, path, ok := strings.Cut(s, "="); ok && strings.TrimSpace(name) == "json" && path != "" {
			return specs, path
		}
	}
	if !github {
		return specs, ""
	}
	dir := e.getenv("RUNNER_TEMP")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "driftgate", "report.json")
	return append(specs, "json="+path), path
}

func hasStdout(specs []string) bool {
	for _, s := range specs {
		if !strings.Contains(s, "=") {
			return true
		}
	}
	return false
}

func slicesDeleteStdout(specs []string) []string {
	var out []string
	for _, s := range specs {
		if strings.Contains(s, "=") {
			out = append(out, s)
		}
	}
	return out
}

func datasetNames(cfg *project.Config) string {
	names := make([]string, len(cfg.Datasets))
	for i, d := range cfg.Datasets {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

// loadProjectConfig loads the config and checks its rule IDs against every
// registry: check rules, drift rules and contract diff rules.
func loadProjectConfig(path string) (*project.Config, error) {
	cfg, err := project.Load(path)
	if errors.Is(err, project.ErrNotFound) {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%w (run driftgate init to write one, or name it with --config)", err)}
	}
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if err := cfg.CheckRules(knownRule); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return cfg, nil
}

// knownRule says id is in the one rule registry, whatever its family.
func knownRule(id string) bool {
	_, ok := rules.Lookup(id)
	return ok
}

// githubBase is the base of a pull request from the event GitHub Actions
// describes: the base commit in the event payload, else origin/ and the
// base branch. Other events have no base: the run is a full one.
func githubBase(e env) (string, error) {
	switch e.getenv("GITHUB_EVENT_NAME") {
	case "pull_request", "pull_request_target":
	default:
		return "", nil
	}
	if p := e.getenv("GITHUB_EVENT_PATH"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("read GITHUB_EVENT_PATH: %w", err)
		}
		var ev struct {
			PullRequest struct {
				Base struct {
					SHA string `json:"sha"`
				} `json:"base"`
			} `json:"pull_request"`
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			return "", fmt.Errorf("read GITHUB_EVENT_PATH %s: %w", p, err)
		}
		if sha := ev.PullRequest.Base.SHA; sha != "" {
			return sha, nil
		}
	}
	if b := e.getenv("GITHUB_BASE_REF"); b != "" {
		return "origin/" + b, nil
	}
	return "", errors.New("a pull_request event without a base: set base-ref")
}

// datasetRun is one dataset's share of a run.
type datasetRun struct {
	d *project.Dataset
	// files are the changed paths in pull-request mode (nil in full mode);
	// diff says whether its contract changed and is diffed against base.
	changed []string
	diff    bool
}

func runProject(ctx context.Context, e env, o runOptions) error {
	cfg := o.cfg
	var runs []datasetRun
	var changes *project.Changes
	if o.base != "" {
		var err error
		if changes, err = cfg.ChangedSince(ctx, o.base); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	for i := range cfg.Datasets {
		d := &cfg.Datasets[i]
		if len(o.names) > 0 && !contains(o.names, d.Name) {
			continue
		}
		if changes == nil {
			runs = append(runs, datasetRun{d: d})
			continue
		}
		data, contract := cfg.Touches(d, changes.Files)
		if !data && !contract {
			continue
		}
		runs = append(runs, datasetRun{d: d, changed: changes.Files, diff: contract})
	}
	if changes != nil && len(runs) == 0 {
		say(e.stderr, "driftgate: nothing to check: no dataset's data, contract or baseline changed since %s (%d files changed)\n", o.base, len(changes.Files))
		rep := project.Combine(nil, cfg.FailOn, toolVersion())
		if err := writeOutputs(e, o.outs, rep); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		return o.githubOutputs(rep, 0)
	}

	if o.history.location != "" {
		store, asOf, err := o.history.openAt(ctx, e)
		if err != nil {
			return err
		}
		defer store.Close()
		o.store, o.asOf = store, asOf
	}
	if o.progress {
		o.bar = newProgressBar(e.stderr, progressWidth(e), "checking")
	}
	results := make([]project.DatasetResult, len(runs))
	codes := make([]int, len(runs))
	notes := make([][]string, len(runs))
	sem := make(chan struct{}, o.jobs)
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			rep, n, err := o.runDataset(ctx, r, changes)
			notes[i] = n
			codes[i] = exitCode(rep, err)
			results[i] = project.DatasetResult{Dataset: r.d.Name, Report: rep, Err: err, ExitCode: codes[i]}
		}()
	}
	wg.Wait()
	o.bar.done()

	rep := project.Combine(results, cfg.FailOn, toolVersion())
	code := exitPass
	for _, c := range codes {
		code = max(code, c)
	}
	if o.hook != nil && alertWorthy(rep) {
		alert(ctx, e, o.hook, rep)
	}
	if err := writeOutputs(e, o.outs, rep); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := o.githubOutputs(rep, len(runs)); err != nil {
		return err
	}
	shown := errorShown(o.outs, rep)
	for i, r := range results {
		printNotes(e, r.Dataset, notes[i])
		if r.Err != nil && !shown {
			say(e.stderr, "driftgate: dataset %s: %v\n", r.Dataset, r.Err)
		}
	}
	if code == exitPass {
		return nil
	}
	return &exitError{code: code}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runDataset runs one dataset: the breaking-change diff of its contract
// (pull-request mode), then the job its config describes.
func (o runOptions) runDataset(ctx context.Context, r datasetRun, changes *project.Changes) (*report.Report, []string, error) {
	job, err := o.cfg.Job(r.d, project.JobOptions{Changed: r.changed, FailOn: o.failOn, ToolVersion: toolVersion(), Now: o.now})
	if err != nil {
		return nil, job.Notes, err
	}
	if r.diff {
		if job.Diff, err = o.contractDiff(ctx, r.d, changes); err != nil {
			return nil, job.Notes, err
		}
	}
	if o.store != nil {
		asOf := o.asOf
		// Without --as-of, a partition's day is the point's day, so
		// `partitions: latest` nightly and a backfill land on their days.
		if o.history.asOf == "" {
			if day, ok := o.cfg.PartitionDay(r.d, job.Files); ok {
				asOf = day
			}
		}
		job.History = &project.HistoryJob{Store: o.store, Dataset: r.d.Name, AsOf: asOf, FailOn: o.history.failOn, Tuning: r.d.Anomalies, Started: time.Now()}
	}
	if o.bar != nil {
		job.Progress = o.bar.forDataset(r.d.Name)
	}
	job.Source.Open = o.open
	job.SQL = o.sql
	res, err := project.Run(ctx, job)
	return reportOf(res), job.Notes, err
}

// contractDiff compares the dataset's contract (file or directory of
// versions) with its version at the base of the change, with the diff
// command's rules, and returns the changes as a report of their own.
func (o runOptions) contractDiff(ctx context.Context, d *project.Dataset, changes *project.Changes) (*report.Report, error) {
	mode := diff.ModeFull
	if d.Compatibility != "" {
		mode = diff.Mode(d.Compatibility)
	}
	path := o.cfg.Abs(d.Contract)
	head, err := contracts.LoadCatalog(path)
	if err != nil {
		return nil, err
	}
	// git resolves paths against its own directory; give it the path as
	// the config names it, relative to the config's directory.
	cs, err := contracts.Git{Dir: o.cfg.Dir}.LoadAt(ctx, changes.Base, d.Contract)
	if err != nil {
		return nil, err
	}
	base, err := contracts.NewCatalog(cs)
	if err != nil {
		return nil, fmt.Errorf("contracts at %s: %w", changes.Ref, err)
	}
	opts := diff.Options{Mode: mode}
	rep := diffReport(diff.Catalogs(base, head, opts), nil, opts)
	ids := map[string]bool{}
	for _, f := range head.Families {
		ids[f.ID] = true
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		// diffReport names contract-level changes by the contract id; in a
		// run they belong to the dataset itself.
		if ids[f.Schema] {
			f.Schema = ""
		}
		// A node removed since the base is located in REF:path; point the
		// annotation at the file in the checkout instead.
		if l := f.Location; l != nil {
			if p, ok := strings.CutPrefix(l.File, changes.Base+":"); ok {
				l.File = o.cfg.Abs(p)
			}
		}
	}
	for i := range rep.Checks {
		if ids[rep.Checks[i].Schema] {
			rep.Checks[i].Schema = ""
		}
	}
	return rep, nil
}

// githubOutputs writes the action's outputs: the verdict and the path of
// the JSON report.
func (o runOptions) githubOutputs(rep *report.Report, checked int) error {
	if !o.github || o.outputFile == "" {
		return nil
	}
	f, err := os.OpenFile(o.outputFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("write GITHUB_OUTPUT: %w", err)}
	}
	_, err = fmt.Fprintf(f, "status=%s\nreport=%s\ndatasets=%d\n", rep.Status, o.jsonReport, checked)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("write GITHUB_OUTPUT: %w", err)}
	}
	return nil
}
