// Package reporters renders a driftgate report in the formats people and CI
// systems read: a terminal table (text), JSON, JUnit XML, GitHub Actions
// workflow commands with a job summary (github) and Markdown.
//
// Each format lives in its own file and is golden-tested from one shared
// input report (testdata/in-report.json). Every reporter renders a sorted
// copy of the report and never modifies the one it is given, so the CLI can
// hand the same report to several reporters in one run. Reporters expect a
// finalized report (report.Finalize): they print its Summary as it is.
package reporters

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
)

// Reporter renders a report in one format.
type Reporter interface {
	Report(w io.Writer, r *report.Report) error
}

// Options carries everything a reporter may need from the environment. There
// is no global state: the CLI fills it, so tests and library users control
// colour, terminal width and the GitHub step summary explicitly.
type Options struct {
	// Color enables ANSI colour in the text format. The CLI sets it only on a
	// terminal and never with NO_COLOR.
	Color bool
	// StepSummary is the path of $GITHUB_STEP_SUMMARY; when set, the github
	// format appends its Markdown summary there.
	StepSummary string
	// Width is the terminal width the text format wraps messages to; 0 means
	// no limit.
	Width int
}

// format is one entry of the registry.
type format struct {
	name string
	new  func(Options) Reporter
}

// formats is the one explicit list of formats, sorted by name. It is a
// function rather than a package variable so nothing can change it at run
// time.
func formats() []format {
	return []format{
		{"github", func(o Options) Reporter { return GitHub{StepSummary: o.StepSummary} }},
		{"html", func(Options) Reporter { return HTML{} }},
		{"json", func(Options) Reporter { return JSON{} }},
		{"junit", func(Options) Reporter { return JUnit{} }},
		{"markdown", func(Options) Reporter { return Markdown{} }},
		{"text", func(o Options) Reporter { return Text{Color: o.Color, Width: o.Width} }},
	}
}

// New returns the reporter for a format name. An unknown name is an error
// that lists the known ones, so a typo on the command line is self-correcting.
func New(name string, opts Options) (Reporter, error) {
	for _, f := range formats() {
		if f.name == name {
			return f.new(opts), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q: want one of %s", name, strings.Join(Names(), ", "))
}

// Names lists the known formats, sorted.
func Names() []string {
	fs := formats()
	names := make([]string, 0, len(fs))
	for _, f := range fs {
		names = append(names, f.name)
	}
	slices.Sort(names)
	return names
}

// WriteFile renders r with rep into path atomically: it writes a temporary
// file in the same directory (so the rename cannot cross file systems),
// syncs it and renames it over path. Missing parent directories are
// created. On any error, including one from the reporter, neither a
// half-written path nor the temporary file is left behind; an existing file
// at path is then left as it was.
func WriteFile(path string, rep Reporter, r *report.Report) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // the write already failed; its error is the one to report
			_ = os.Remove(tmp.Name())
		}
	}()

	bw := bufio.NewWriter(tmp)
	if err := rep.Report(bw, r); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	// CreateTemp creates the file 0600; a report is an ordinary artefact that
	// CI uploaders and other users must be able to read.
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable. It is best effort: some platforms
// (Windows) cannot open or sync a directory, and the report is complete
// either way.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
