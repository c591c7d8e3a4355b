// Command driftgate checks Parquet and CSV batches against ODCS data
// contracts and writes reports for CI gates and people.
//
// Exit codes are an API: 0 pass, 1 checks failed, 2 usage or contract
// error, 3 data could not be read.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/driftgate/driftgate/checker/source"
)

// env is everything a run takes from its surroundings, so tests can run the
// real command with their own.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// stdoutTTY and stderrTTY say whether the streams are terminals (colour,
	// progress).
	stdoutTTY, stderrTTY bool
	// stdoutWidth and stderrWidth are the terminals' columns, 0 when the
	// stream is not a terminal (see textWidth).
	stdoutWidth, stderrWidth int
	// started is when the run began, for the reports' elapsed time; zero in
	// tests, so their reports stay deterministic.
	started time.Time
	// open, when set, opens each data input instead of the file system or
	// object store (source.Options.Open): tests count what a command
	// reads.
	open func(context.Context, string) (source.Input, error)
}

func main() {
	// First, before a run maps more of the binary or allocates: the
	// policy is in memory.go.
	if err := setupMemory(os.Getenv); err != nil {
		say(os.Stderr, "driftgate: %v\n", err)
		os.Exit(exitUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	e := env{
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stdoutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		stderrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		started:   time.Now(),
	}
	if e.stdoutTTY {
		e.stdoutWidth, _, _ = term.GetSize(int(os.Stdout.Fd()))
	}
	if e.stderrTTY {
		e.stderrWidth, _, _ = term.GetSize(int(os.Stderr.Fd()))
	}
	code := guarded(e, func() int { return run(ctx, os.Args[1:], e) })
	stop()
	os.Exit(code)
}

// guarded runs the command and turns a panic that reached the top into
// exit 3 with "internal error": a crash must never read as exit 2 (a
// usage or contract error the user could fix), and the data was not
// judged. Goroutines that touch data recover on their own and report a
// ReadError for their file; a Go "fatal error" (out of memory) cannot be
// recovered at all, which is why untrusted sizes are checked before they
// reach an allocation.
func guarded(e env, run func() int) (code int) {
	defer func() {
		if p := recover(); p != nil {
			say(e.stderr, "driftgate: internal error (a bug in driftgate, please report it): %v\n%s", p, debug.Stack())
			code = exitUnreadable
		}
	}()
	return run()
}
