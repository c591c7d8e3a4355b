package project

import (
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
)

// DatasetResult is what one dataset of a run produced: a finalized report
// (nil when the run stopped before reading data), the error that stopped
// it, if any, and the exit code a run of it alone would have had.
type DatasetResult struct {
	Dataset  string
	Report   *report.Report
	Err      error
	ExitCode int
}

// verdict is the dataset's line of report.Datasets.
func (r DatasetResult) verdict() report.Dataset {
	v := report.Dataset{Name: r.Dataset, Status: report.StatusPass, ExitCode: r.ExitCode}
	if rep := r.Report; rep != nil {
		v.Status, v.Contract, v.Inputs, v.Summary, v.Baseline = rep.Status, rep.Contract, len(rep.Inputs), rep.Summary, rep.Baseline
		v.Error = rep.Error
		for _, cd := range rep.Drift {
			if cd.Status == "drift" {
				v.Drifted++
			}
		}
	}
	if r.Err != nil {
		v.Status, v.Error = report.StatusError, r.Err.Error()
	}
	return v
}

// Qualify names a schema object of a dataset in a combined report:
// dataset/schema, or just the dataset when the two have the same name (the
// common case of one table per dataset).
func Qualify(dataset, schema string) string {
	if schema == "" || schema == dataset {
		return dataset
	}
	return dataset + "/" + schema
}

// Combine merges the results of a run, in the order given, into one report
// that every reporter renders: findings and checks carry the dataset in
// their schema (see Qualify), inputs and counts add up, and the status is
// the worst of the datasets (error over fail over pass). Each dataset was
// judged under its own fail-on, so Combine does not re-judge; failOn is
// only recorded.
func Combine(results []DatasetResult, failOn, toolVersion string) *report.Report {
	out := &report.Report{
		ReportVersion: report.Version,
		Tool:          report.Tool{Name: "driftgate", Version: toolVersion},
		Command:       "run",
		Status:        report.StatusPass,
		FailOn:        failOn,
		Inputs:        []report.Input{},
		Checks:        []report.Check{},
		Findings:      []report.Finding{},
	}
	var errs []string
	out.Datasets = []report.Dataset{}
	for _, r := range results {
		out.Datasets = append(out.Datasets, r.verdict())
		if r.Err != nil {
			out.Status = report.StatusError
			errs = append(errs, fmt.Sprintf("%s: %v", r.Dataset, r.Err))
		}
		rep := r.Report
		if rep == nil {
			continue
		}
		if rep.Status == report.StatusError && r.Err == nil {
			out.Status = report.StatusError
			errs = append(errs, fmt.Sprintf("%s: %s", r.Dataset, rep.Error))
		}
		if rep.Status == report.StatusFail && out.Status == report.StatusPass {
			out.Status = report.StatusFail
		}
		if len(results) == 1 {
			out.Contract = rep.Contract
		}
		out.Inputs = append(out.Inputs, rep.Inputs...)
		for _, c := range rep.Checks {
			c.Schema = Qualify(r.Dataset, c.Schema)
			out.Checks = append(out.Checks, c)
		}
		for _, f := range rep.Findings {
			f.Schema = Qualify(r.Dataset, f.Schema)
			out.Findings = append(out.Findings, f)
		}
		for _, cd := range rep.Drift {
			cd.Schema = Qualify(r.Dataset, cd.Schema)
			out.Drift = append(out.Drift, cd)
		}
		if len(results) == 1 {
			out.Baseline = rep.Baseline
		}
		s := rep.Summary
		out.Summary.Rows += s.Rows
		out.Summary.Checks += s.Checks
		out.Summary.Failed += s.Failed
		out.Summary.Errors += s.Errors
		out.Summary.Warnings += s.Warnings
		out.Summary.Infos += s.Infos
		out.Summary.Passed += s.Passed
		out.Summary.NotExecuted += s.NotExecuted
		out.Summary.Skipped += s.Skipped
	}
	out.Error = strings.Join(errs, "; ")
	out.Sort()
	return out
}
