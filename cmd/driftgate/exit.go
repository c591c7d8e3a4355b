package main

import (
	"errors"
	"fmt"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// Exit codes are an API: scripts and CI gates branch on them.
const (
	exitPass       = 0 // every check passed
	exitFailed     = 1 // a finding at or above fail-on
	exitUsage      = 2 // a usage, config or contract error: nothing was judged
	exitUnreadable = 3 // data could not be read (wholly or partly)
)

// exitError carries an exit code out of a cobra command. The message, if
// any, is printed by run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usage marks err as a usage error (exit 2).
func usage(err error) error { return &exitError{code: exitUsage, err: err} }

// writeFailed marks a failure to write an output the user named (a
// report, profile, baseline or export) as exit 2, in every command: the
// data was read, and what must change is the path or the disk, not the
// data (exit 3).
func writeFailed(err error) error { return &exitError{code: exitUsage, err: err} }

// exitCode is the one map from an outcome to an exit code: the report's
// verdict when the run finished, else what kind of error stopped it. An
// error of no known kind is data that could not be read: a gate never
// passes on an error it does not understand.
func exitCode(rep *report.Report, err error) int {
	if err == nil {
		if rep != nil && rep.Status == report.StatusFail {
			return exitFailed
		}
		if rep != nil && rep.Status == report.StatusError {
			return exitUnreadable
		}
		return exitPass
	}
	var (
		xe  *exitError
		ce  *checker.ContractError
		ie  *checker.InputError
		pe  *contracts.ParseError // also driftgate.yaml's problems
		pes contracts.ParseErrors
		dce *drift.ConfigError
		pce *project.ContractError
		pbe *project.BaselineError
		re  *source.ReadError
	)
	switch {
	case errors.As(err, &xe):
		return xe.code
	case errors.As(err, &re):
		return exitUnreadable
	case errors.As(err, &ce), errors.As(err, &ie), errors.As(err, &pe), errors.As(err, &pes),
		errors.As(err, &dce), errors.As(err, &pce), errors.As(err, &pbe):
		return exitUsage
	}
	return exitUnreadable
}

// exitWith turns an outcome into the error a command returns, carrying
// its exit code to run.
func exitWith(rep *report.Report, err error) error {
	code := exitCode(rep, err)
	if code == exitPass {
		return nil
	}
	return &exitError{code: code, err: err}
}
