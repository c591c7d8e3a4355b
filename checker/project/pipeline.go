package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/checker/history"
	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/selection"
	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
	"github.com/driftgate/driftgate/contracts"
)

// Job is the work on one dataset: the contract check, drift against a
// baseline, the findings of a contract diff, or any mix of them. `check`,
// `drift` and `run` each build one and hand it to Run, so the rules of the
// pipeline (which baseline fits which contract, how thresholds combine,
// how the verdict is reached) exist once.
type Job struct {
	// Command names the report's command: check, drift or run.
	Command string
	// Options are what the check reads and how (contract, schema object,
	// files, reader settings, the fail-on of check findings); drift reads
	// the same files the same way.
	checker.Options

	// Check runs the contract check; MetadataOnly limits it to what
	// Parquet footers prove.
	Check        bool
	MetadataOnly bool
	// Versions, when set, also reports which versions of the contract's
	// family the batch's structure conforms to.
	Versions *contracts.Catalog

	// Drift, when set, profiles the batch and compares it with a
	// baseline.
	Drift *DriftJob
	// Diff holds the findings of a contract diff already computed, merged
	// into the report (run in pull-request mode).
	Diff *report.Report

	// Policy is the dataset's severity overrides and exceptions, applied
	// before the verdict.
	Policy Policy
	// Select runs part of the contract (--only, --skip); what it leaves
	// out is listed in the report.
	Select selection.Selection

	// History, when set, judges the batch against the dataset's metric
	// history (anomaly findings) and records the run's point in it.
	History *HistoryJob

	// Notes are things the user should hear that change no verdict (a
	// file in a contract directory that is no contract).
	Notes []string
}

// DriftJob is the drift part of a job.
type DriftJob struct {
	// Baseline is the path of the baseline profile.
	Baseline string
	// Thresholds are the settings every column starts from before the
	// contract's customProperties (defaults, then driftgate.yaml or
	// --threshold); see drift.ConfigFromContract.
	Thresholds drift.ColumnConfig
	// Exclude lists columns to leave out besides those the contract
	// excludes.
	Exclude []string
	// FailOn is the lowest severity of a drift finding that fails the
	// job; empty means the job's FailOn. `driftgate drift` and a dataset
	// with a baseline default to warning: any drift fails.
	FailOn string
}

// DefaultDriftFailOn is the fail-on of drift findings unless one is set:
// drift findings are warnings, and a drift gate that passes drift would
// be no gate.
const DefaultDriftFailOn = "warning"

// Policy is what a project decides about findings after the rules made
// them.
type Policy struct {
	// Severity overrides the severity of findings by rule ID; "off" drops
	// them.
	Severity   map[string]string
	Exceptions []Exception
	// Now decides which exceptions are still active.
	Now time.Time
}

// Result is what a job produced. Report is nil only when the job stopped
// before it could judge anything; Profile and Baseline are set when drift
// ran, so a caller can keep them (a history of runs, --save-profile).
type Result struct {
	Report   *report.Report
	Profile  *profile.Profile
	Baseline *profile.Profile
}

// BaselineError is a baseline that cannot be used: unreadable, corrupt,
// or profiled for another contract or schema object. It is a usage error:
// the data was never judged.
type BaselineError struct {
	Path string
	Err  error
}

func (e *BaselineError) Error() string { return fmt.Sprintf("baseline %s: %v", e.Path, e.Err) }

func (e *BaselineError) Unwrap() error { return e.Err }

// Run runs a job and returns its finalized report. Everything that can be
// wrong before data is read (schema, baseline, thresholds) is found before
// any data is read. An error with a non-nil Result.Report means the report
// records how far the job got (an unreadable file, as StatusError).
func Run(ctx context.Context, j Job) (*Result, error) {
	var left []selection.Left
	if err := j.Select.Validate(j.Contract); err != nil {
		return nil, err
	}
	j.Contract, left = j.Select.Contract(j.Contract)
	schema, err := checker.SelectSchema(j.Contract, j.Schema)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var dcfg drift.Config
	if j.Drift != nil {
		if res.Baseline, err = LoadBaseline(j.Drift.Baseline, j.Contract, schema); err != nil {
			return nil, err
		}
		if dcfg, err = drift.ConfigFromContract(j.Contract, schema, j.Drift.Thresholds, j.Drift.Exclude); err != nil {
			return nil, err
		}
	}
	if len(j.Files) == 0 {
		return nil, &checker.InputError{Msg: "no data files to check"}
	}

	var rep *report.Report
	if j.Check {
		if rep, err = checkJob(ctx, j, schema, res); err != nil {
			return res, err
		}
	}
	if j.Drift != nil {
		cur := res.Profile
		if cur == nil {
			if cur, err = Profile(ctx, j); err != nil {
				return res, err
			}
			res.Profile = cur
		}
		cmp, err := drift.Compare(res.Baseline, cur, dcfg)
		if err != nil {
			return res, &BaselineError{Path: j.Drift.Baseline, Err: err}
		}
		if rep == nil {
			rep = newReport(j, schema, cur)
			res.Report = rep
		}
		rep.Findings = append(rep.Findings, cmp.Findings...)
		rep.Checks = append(rep.Checks, cmp.Checks...)
		rep.Drift = append(rep.Drift, cmp.Columns...)
		rep.Baseline = baselineRef(j.Drift.Baseline, res.Baseline)
	}
	if rep == nil {
		return nil, &checker.InputError{Msg: "a job with neither check nor drift judges nothing"}
	}
	if j.Command != "" {
		rep.Command = j.Command
	}
	if j.Diff != nil {
		rep.Findings = append(rep.Findings, j.Diff.Findings...)
		rep.Checks = append(rep.Checks, j.Diff.Checks...)
	}
	var metrics []history.Metric
	if j.History != nil {
		if metrics, err = judgeHistory(ctx, j, schema, res); err != nil {
			return res, err
		}
	}
	j.Select.Report(rep, left, j.Contract.Path)
	j.Policy.apply(rep)
	if err := finalize(rep, j.FailOn, j.driftFailOn()); err != nil {
		return res, err
	}
	if j.History != nil {
		if err := recordHistory(ctx, j, schema, rep, metrics); err != nil {
			return res, err
		}
	}
	return res, nil
}

// checkJob runs the job's contract check. The profile that drift and history
// need and the shapes --all-versions compares are taken from the check's
// one read of each input (checker.Tap): a run reads its data once. With
// --metadata-only the check still judges footers and headers only, and
// reads the inputs whole for the profile alone (checker.ValueTap).
func checkJob(ctx context.Context, j Job, schema *contracts.Schema, res *Result) (*report.Report, error) {
	check := checker.Check
	if j.MetadataOnly {
		check = checker.CheckMetadata
	}
	opts := j.Options
	opts.Schema = schema.Name
	if opts.SQL == nil {
		opts.SQL = duckdb.Files{} // sql rules on files, through embedded DuckDB
	}
	var shapes *checker.Shapes
	if j.Versions != nil {
		shapes = &checker.Shapes{}
		opts.Taps = append(opts.Taps, shapes)
	}
	var prof *profile.Tap
	if j.Drift != nil || j.History != nil {
		o, err := profileOptions(j)
		if err != nil {
			return nil, err
		}
		prof = profile.NewTap(o)
		opts.Taps = append(opts.Taps, prof)
	}
	rep, err := check(ctx, opts)
	res.Report = rep
	if err != nil {
		return rep, err
	}
	if shapes != nil {
		cr := shapes.Conformance(j.Versions.Family(j.Contract.ID).Versions, schema.Name)
		rep.Findings = append(rep.Findings, checker.ConformanceFindings(cr, schema.Name, j.FailOn)...)
		rep.Checks = append(rep.Checks, rules.VersionConformance.Check(schema.Name, ""))
	}
	if prof != nil {
		sources := make([]profile.Source, 0, len(rep.Inputs))
		for _, in := range rep.Inputs {
			sources = append(sources, profile.Source{Path: in.Path, Format: in.Format, Size: in.Size, SHA256: in.SHA256, Rows: in.Rows})
		}
		if res.Profile, err = prof.Profile(sources); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// driftFailOn is the fail-on of drift and anomaly findings, which gate
// alike: empty when the job has neither.
func (j Job) driftFailOn() string {
	switch {
	case j.Drift != nil && j.Drift.FailOn != "":
		return j.Drift.FailOn
	case j.Drift != nil:
		return j.FailOn
	case j.History != nil && j.History.FailOn != "":
		return j.History.FailOn
	case j.History != nil:
		return DefaultDriftFailOn
	}
	return ""
}

// newReport is the report of a job that did not check the contract: what
// the profile read stands for the inputs.
func newReport(j Job, s *contracts.Schema, cur *profile.Profile) *report.Report {
	c := j.Contract
	rep := &report.Report{
		Tool:     report.Tool{Name: "driftgate", Version: j.ToolVersion},
		Contract: &report.ContractRef{ID: c.ID, Version: c.Version, Name: c.Name, Path: c.Path, SHA256: c.SHA256, Schema: s.Name},
	}
	for _, src := range cur.Sources {
		rep.Inputs = append(rep.Inputs, report.Input{Path: src.Path, Format: src.Format, Size: src.Size, SHA256: src.SHA256, Rows: src.Rows})
	}
	rep.Summary.Rows = cur.Rows
	return rep
}

// finalize reaches the verdict: check findings under failOn, drift
// findings under driftFailOn when that is set.
func finalize(rep *report.Report, failOn, driftFailOn string) error {
	if err := rep.Finalize(failOn); err != nil {
		return err
	}
	if driftFailOn == "" || driftFailOn == failOn || rep.Status != report.StatusPass || driftFailOn == "never" {
		return nil
	}
	sev, ok := report.ParseSeverity(driftFailOn)
	if !ok {
		return fmt.Errorf("drift fail-on %q: want error, warning, info or never", driftFailOn)
	}
	for _, f := range rep.Findings {
		if r, ok := rules.Lookup(f.Rule); ok && (r.Family == rules.FamilyDrift || r.Family == rules.FamilyAnomaly) && f.Severity.Rank() >= sev.Rank() {
			rep.Status = report.StatusFail
			return nil
		}
	}
	return nil
}

// LoadBaseline loads a baseline profile and checks that it was profiled
// for contract c and schema object s: comparing a batch with the profile
// of another table would report every column as drifted.
func LoadBaseline(path string, c *contracts.Contract, s *contracts.Schema) (*profile.Profile, error) {
	p, err := profile.Load(path)
	if err != nil {
		return nil, &BaselineError{Path: path, Err: err}
	}
	if bc := p.Contract; bc != nil && (bc.ID != c.ID || (bc.Schema != "" && bc.Schema != s.Name)) {
		return nil, &BaselineError{Path: path, Err: fmt.Errorf("profiled for contract %s schema %q, not %s schema %q", bc.ID, bc.Schema, c.ID, s.Name)}
	}
	return p, nil
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

// Profile profiles a job's files the way its check reads them (CSV
// columns as the types the contract declares, its missingValues as
// nulls), reporting progress to j.Progress. A job without a contract
// profiles the files as they are.
func Profile(ctx context.Context, j Job) (*profile.Profile, error) {
	if len(j.Files) == 0 {
		return nil, &checker.InputError{Msg: "no data files to profile"}
	}
	o, err := profileOptions(j)
	if err != nil {
		return nil, err
	}
	return profile.Run(ctx, o)
}

// profileOptions are the options of a job's profile: its files read as
// its check reads them (checker.ReadOptions).
func profileOptions(j Job) (profile.Options, error) {
	o := profile.Options{Contract: j.Contract, Files: j.Files, Source: j.Source, ToolVersion: j.ToolVersion, Progress: j.Progress}
	if j.Contract == nil {
		return o, nil
	}
	s, err := checker.SelectSchema(j.Contract, j.Schema)
	if err != nil {
		return o, err
	}
	o.Schema = s
	if o.Source, err = checker.ReadOptions(j.Options); err != nil {
		return o, err
	}
	return o, nil
}
