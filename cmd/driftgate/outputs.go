package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters"
)

// output is one requested report: a format and where it goes (stdout when
// path is empty).
type output struct {
	name string
	path string
	rep  reporters.Reporter
}

// parseOutputs reads --format NAME[=PATH] values, before any work is done,
// so a typo fails fast instead of after a long run.
func parseOutputs(specs []string, e env) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	opts := reporters.Options{
		Color:       e.stdoutTTY && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb",
		StepSummary: e.getenv("GITHUB_STEP_SUMMARY"),
	}
	var outs []output
	stdout := 0
	for _, spec := range specs {
		name, path, _ := strings.Cut(spec, "=")
		name = strings.TrimSpace(name)
		rep, err := reporters.New(name, opts)
		if err != nil {
			return nil, fmt.Errorf("--format %s: %w", spec, err)
		}
		if path == "" {
			stdout++
		}
		outs = append(outs, output{name: name, path: path, rep: rep})
	}
	if stdout > 1 {
		return nil, errors.New("--format: more than one format writes to stdout; give the others a path (NAME=PATH)")
	}
	return outs, nil
}

// writeOutputs writes every report; a file report is written atomically, so
// a reader never sees half of one.
func writeOutputs(e env, outs []output, r *report.Report) error {
	var errs []error
	for _, o := range outs {
		var err error
		if o.path == "" {
			err = o.rep.Report(e.stdout, r)
		} else {
			err = reporters.WriteFile(o.path, o.rep, r)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("write %s report: %w", o.name, err))
		}
	}
	return errors.Join(errs...)
}
