// Package reporters renders a driftgate report in the formats people and CI
// systems read: compact text (one line per finding, as compilers and
// linters print), boxed tables (table), JSON, JUnit XML, GitHub Actions
// workflow commands with a job summary (github), Markdown and HTML.
//
// Each format lives in its own file and is golden-tested from one shared
// input report (testdata/in-report.json). Every reporter renders a sorted
// copy of the report and never modifies the one it is given, so the CLI can
// hand the same report to several reporters in one run. Reporters expect a
// finalized report (report.Finalize): they print its Summary as it is.
package reporters

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
	// readable formats are read by people as they are written (a terminal,
	// a CI log), rather than by programs.
	readable bool
}

// formats is the one explicit list of formats, sorted by name. It is a
// function rather than a package variable so nothing can change it at run
// time.
func formats() []format {
	return []format{
		{"github", func(o Options) Reporter { return GitHub{StepSummary: o.StepSummary} }, true},
		{"html", func(Options) Reporter { return HTML{} }, false},
		{"json", func(Options) Reporter { return JSON{} }, false},
		{"junit", func(Options) Reporter { return JUnit{} }, false},
		{"markdown", func(Options) Reporter { return Markdown{} }, true},
		{"table", func(o Options) Reporter { return Table{Color: o.Color, Width: o.Width} }, true},
		{"text", func(o Options) Reporter { return Text{Color: o.Color, Width: o.Width} }, true},
	}
}

// Readable says a format is read by people as it is written: text,
// table, github (a CI log) and markdown. Written to a terminal, such a
// report already says why a run could not finish (each format shows the
// report's Error), so the CLI need not say it again on stderr; HTML, JSON
// and JUnit there are piped to programs.
func Readable(name string) bool {
	for _, f := range formats() {
		if f.name == name {
			return f.readable
		}
	}
	return false
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

// WriteFile renders r with rep and writes it to path.
//
// The report is rendered in memory first, so a reporter that fails (or a
// process killed while rendering) never leaves a half-written or empty file
// behind. Where it then goes depends on what path names:
//
//   - a regular file (or nothing yet) is replaced atomically: a temporary
//     file in the same directory (so the rename cannot cross file systems)
//     is written, synced and renamed over path; missing parent directories
//     are created; on any error an existing file is left as it was;
//   - a device, a FIFO or a socket (/dev/null, /dev/tty, a named pipe) and an
//     open descriptor (/dev/stdout, /dev/fd/N, /proc/self/fd/N) are written
//     in place, as a shell redirection would: renaming a regular file over
//     them would replace the device node or pipe and its reader would get
//     nothing.
func WriteFile(path string, rep Reporter, r *report.Report) error {
	var buf bytes.Buffer
	if err := rep.Report(&buf, r); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	if err := WriteBytes(path, buf.Bytes()); err != nil {
		return fmt.Errorf("write report %q: %w", path, err)
	}
	return nil
}

// WriteBytes writes b to path as WriteFile does: atomically for a regular
// file, in place for a device, FIFO, socket or open descriptor.
func WriteBytes(path string, b []byte) error {
	if InPlace(path) {
		return writeInPlace(path, b)
	}
	return writeAtomic(path, b)
}

// InPlace reports whether path names something that must be written where
// it is rather than replaced: anything that exists and is not a regular file
// or directory, and every path under /dev/fd and /proc/*/fd (descriptors
// that a rename could never replace, whatever they point at).
func InPlace(path string) bool {
	clean := filepath.ToSlash(filepath.Clean(path))
	switch {
	case clean == "/dev/stdout", clean == "/dev/stderr",
		strings.HasPrefix(clean, "/dev/fd/"), strings.HasPrefix(clean, "/proc/"):
		return true
	}
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	return !st.Mode().IsRegular() && !st.IsDir()
}

// writeInPlace opens path without creating or truncating it. O_APPEND keeps
// a descriptor that a shell opened on a regular file (3>>log, or stdout
// redirected to a file reopened through /dev/stdout) from being overwritten
// from its start; devices and pipes ignore it.
func writeInPlace(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	return f.Close()
}

// staleTempAge is how old a leftover temporary report file must be before
// a later write removes it. A live writer holds its temporary file only
// while writing and syncing bytes that are already rendered, far less than
// this, so only files of a killed process are removed.
const staleTempAge = 10 * time.Minute

func writeAtomic(path string, b []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	pattern := "." + filepath.Base(path) + ".*.tmp"
	removeStaleTemps(dir, pattern, time.Now())
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // the write already failed; its error is the one to report
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(b); err != nil {
		return err
	}
	// CreateTemp creates the file 0600; a report is an ordinary artefact that
	// CI uploaders and other users must be able to read.
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// removeStaleTemps deletes temporary files of earlier writes to the same
// report (named as CreateTemp names them from pattern) that were killed
// between creating and renaming them. It is best effort: a file it cannot
// remove is left for the next run.
func removeStaleTemps(dir, pattern string, now time.Time) {
	prefix, suffix, _ := strings.Cut(pattern, "*")
	es, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range es {
		name := e.Name()
		if !e.Type().IsRegular() || len(name) <= len(prefix)+len(suffix) ||
			!strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) {
			continue
		}
		m := filepath.Join(dir, name)
		if st, err := os.Lstat(m); err == nil && now.Sub(st.ModTime()) >= staleTempAge {
			_ = os.Remove(m)
		}
	}
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
