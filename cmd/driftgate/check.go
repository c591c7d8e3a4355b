package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
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
}

func newCheckCmd(e env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check --contract FILE [flags] DATA...",
		Short: "Check data files against a data contract",
		Long: `Check Parquet and CSV files against an ODCS v3 data contract.

DATA arguments are files, directories (every .parquet, .csv, .csv.gz, .tsv
inside, recursively, in lexical order) or globs. All files form one batch:
row counts and uniqueness span them; findings name the file and row.`,
		Example: `  driftgate check --contract contracts/orders.odcs.yaml data/orders/2026-11-23/
  driftgate check -c orders.odcs.yaml --format text --format junit=out/junit.xml --format json=out/report.json orders.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.contract, "contract", "c", "", "contract file (ODCS v3 YAML or JSON), or a directory of contract versions; required")
	f.versions.register(fl)
	fl.StringVar(&f.schema, "schema", "", "schema object (table) to check, when the contract has several")
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "report format NAME or NAME=PATH, repeatable: text, json, junit, github, markdown (default text to stdout)")
	fl.StringVar(&f.failOn, "fail-on", "error", "lowest finding severity that fails the run: error, warning, info or never")
	fl.StringVar(&f.csvDelimiter, "csv-delimiter", ",", "CSV field delimiter (one character; tab for .tsv files by default)")
	fl.StringArrayVar(&f.csvNull, "csv-null", nil, `CSV cell text that means null, repeatable (default: only the empty cell)`)
	fl.BoolVar(&f.csvNoHeader, "csv-no-header", false, "CSV files have no header row; columns are named col1, col2, ...")
	fl.IntVar(&f.batchSize, "batch-size", source.DefaultBatchSize, "rows per record batch")
	fl.BoolVar(&f.metadataOnly, "metadata-only", false, "Parquet only: check the schema, row counts and what footer statistics prove, without reading data pages; other checks are listed as CHECK_SKIPPED")
	fl.BoolVar(&f.trustStats, "trust-statistics", false, "with --metadata-only, trust footer statistics from any writer (by default only writers known to write them correctly: Arrow, parquet-mr 1.10+, DuckDB, Polars)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress display on stderr (it is shown only on a terminal anyway)")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile to this file (for go tool pprof)")
	_ = fl.MarkHidden("cpuprofile")
	fl.StringVar(&f.memProfile, "memprofile", "", "write a heap profile to this file at the end of the run")
	_ = fl.MarkHidden("memprofile")
	_ = cmd.MarkFlagRequired("contract")
	return cmd
}

func runCheck(cmd *cobra.Command, e env, f checkFlags, args []string) error {
	outs, err := parseOutputs(f.formats, e)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := validFailOn(f.failOn); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	srcOpts, err := f.sourceOptions()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	c, versions, err := resolveContract(f.contract, f.versions)
	if err != nil {
		return err
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		defer stop()
	}
	files, err := checker.ExpandInputs(args)
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	if f.memProfile != "" {
		defer writeHeapProfile(f.memProfile, e)
	}
	opts := checker.Options{
		Contract:    c,
		Schema:      f.schema,
		Files:       files,
		Source:      srcOpts,
		FailOn:      f.failOn,
		ToolVersion: toolVersion(),

		TrustStatistics: f.trustStats,
	}
	var bar *progressBar
	if e.stderrTTY && !f.quiet && e.getenv("CI") == "" {
		bar = newProgressBar(e.stderr)
		opts.Progress = bar.update
	}
	check := checker.Check
	if f.metadataOnly {
		check = checker.CheckMetadata
	}
	rep, err := check(cmd.Context(), opts)
	if bar != nil {
		bar.done() // before the report, so the terminal shows only the report
	}
	if err == nil && f.versions.all {
		err = addConformance(cmd.Context(), rep, c, versions, f, files, srcOpts)
	}
	return finish(e, outs, rep, err)
}

// finish writes the reports a run got far enough to produce and maps the
// outcome to an exit code.
func finish(e env, outs []output, rep *report.Report, runErr error) error {
	var writeErr error
	if rep != nil {
		writeErr = writeOutputs(e, outs, rep)
	}
	switch {
	case runErr != nil:
		var ce *checker.ContractError
		var ie *checker.InputError
		var re *source.ReadError
		switch {
		case errors.As(runErr, &ce), errors.As(runErr, &ie):
			return &exitError{code: exitUsage, err: runErr}
		case errors.As(runErr, &re):
			return &exitError{code: exitUnreadable, err: runErr}
		}
		return &exitError{code: exitUnreadable, err: runErr}
	case writeErr != nil:
		return &exitError{code: exitUsage, err: writeErr}
	case rep.Status == report.StatusFail:
		return &exitError{code: exitFailed}
	}
	return nil
}

func validFailOn(s string) error {
	switch s {
	case "error", "warning", "info", "never":
		return nil
	}
	return fmt.Errorf("--fail-on %q: want error, warning, info or never", s)
}

func (f checkFlags) sourceOptions() (source.Options, error) {
	opts := source.Options{BatchSize: f.batchSize}
	if f.batchSize <= 0 {
		return opts, fmt.Errorf("--batch-size %d: want a positive number of rows", f.batchSize)
	}
	d := f.csvDelimiter
	if d == `\t` || d == "tab" {
		d = "\t"
	}
	if utf8.RuneCountInString(d) != 1 {
		return opts, fmt.Errorf("--csv-delimiter %q: want one character", f.csvDelimiter)
	}
	r, _ := utf8.DecodeRuneInString(d)
	if r != ',' {
		opts.CSV.Delimiter = r
	}
	if f.csvNull != nil {
		opts.CSV.NullValues = f.csvNull
	}
	opts.CSV.NoHeader = f.csvNoHeader
	return opts, nil
}

// loadContract loads and lints a contract; any problem is a contract error
// (exit 2) that names the file, line and column.
func loadContract(path string) (*contracts.Contract, error) {
	c, err := contracts.Load(path)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if issues := contracts.Lint(c); len(issues) > 0 {
		return nil, &exitError{code: exitUsage, err: contracts.ParseErrors(issues)}
	}
	return c, nil
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
		fmt.Fprintf(e.stderr, "driftgate: heap profile: %v\n", err)
	}
}
