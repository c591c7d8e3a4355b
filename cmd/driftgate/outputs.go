package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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

// stream maps the report paths that name the process's own streams to
// them: "-" and /dev/stdout are stdout (so `-f json=-` pipes the report
// on), /dev/stderr is stderr. Going through the writers the command was
// given, rather than reopening the device, keeps the order of everything a
// run prints and lets tests see it.
func stream(path string) (stdout, stderr bool) {
	switch path {
	case "", "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true, false
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return false, true
	}
	return false, false
}

// defaultWidth is the width text is wrapped to when stdout is not a
// terminal and COLUMNS is not set: logs and pipes are read in terminals and
// editors too, and 80 columns is the width every one of them shows whole.
const defaultWidth = 80

// textWidth is the width text reports on stdout wrap to: COLUMNS when it is
// set (a number of at least 20, as shells export it and users override
// it), else the terminal's width, else defaultWidth.
func textWidth(e env) int { return widthOf(e, e.stdoutWidth) }

// formatHelp is the --format flag's help, listing the formats from the
// registry so the two cannot disagree.
func formatHelp(extra ...string) string {
	names := append(reporters.Names(), extra...)
	slices.Sort(names)
	return "report format NAME or NAME=PATH, repeatable: " + strings.Join(names, ", ") +
		"; PATH - is stdout; a device, FIFO or /dev/fd/N is written in place, a regular file replaced atomically (default text to stdout)"
}

// parseOutputs reads --format NAME[=PATH] values, before any work is done,
// so a typo fails fast instead of after a long run. Text written to stdout
// wraps to the terminal (textWidth); written to a file it is not wrapped.
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
		o := opts
		if out, _ := stream(path); out {
			o.Width = textWidth(e)
		} else {
			o.Color = false
		}
		rep, err := reporters.New(name, o)
		if err != nil {
			return nil, fmt.Errorf("--format %s: %w", spec, err)
		}
		if out, _ := stream(path); out {
			stdout++
		}
		outs = append(outs, output{name: name, path: path, rep: rep})
	}
	if stdout > 1 {
		return nil, errors.New("--format: more than one format writes to stdout; give the others a path (NAME=PATH)")
	}
	return outs, nil
}

// writeOutputs writes every report. Each is rendered whole before a byte is
// written, so a failing reporter prints nothing; a regular file is replaced
// atomically, a device, FIFO or descriptor written in place
// (reporters.WriteFile).
func writeOutputs(e env, outs []output, r *report.Report) error {
	if !e.started.IsZero() && r.ElapsedSeconds == 0 {
		timed := *r
		timed.ElapsedSeconds = time.Since(e.started).Seconds()
		r = &timed
	}
	var errs []error
	for _, o := range outs {
		var err error
		switch out, errStream := stream(o.path); {
		case out || errStream:
			w := e.stdout
			if errStream {
				w = e.stderr
			}
			var buf bytes.Buffer
			if err = o.rep.Report(&buf, r); err == nil {
				_, err = w.Write(buf.Bytes())
			}
		default:
			err = reporters.WriteFile(o.path, o.rep, r)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("write %s report: %w", o.name, err))
		}
	}
	return errors.Join(errs...)
}

// errorShown says a report written to the process's own stdout or stderr
// already tells a person why the run could not finish: a readable format
// (reporters.Readable) of a report that carries the error. The CLI then
// prints the error once, there, and not again on stderr.
func errorShown(outs []output, rep *report.Report) bool {
	if rep == nil || rep.Status != report.StatusError || rep.Error == "" {
		return false
	}
	for _, o := range outs {
		if out, errStream := stream(o.path); (out || errStream) && reporters.Readable(o.name) {
			return true
		}
	}
	return false
}
