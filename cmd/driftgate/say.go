package main

import (
	"fmt"
	"io"

	"github.com/driftgate/driftgate/reporters/term"
)

// say prints a message of the CLI's own to w (stdout or stderr). The format
// is ours; every argument passes through the sanitizer first, because
// arguments carry paths, dataset names, contract ids and errors that quote
// contract or data text: a string or Stringer is kept on one line
// (term.Line), an error keeps its lines, each cleaned and defused
// (term.Clean), so a multi-problem error still prints one plain
// FILE:LINE:COL line per problem. It is the one way cmd/driftgate writes
// text to the terminal or CI log; TestEveryPrintIsSanitized holds it.
func say(w io.Writer, format string, args ...any) {
	clean := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			clean[i] = term.Line(v)
		case error:
			clean[i] = term.Clean(v.Error())
		case fmt.Stringer:
			clean[i] = term.Line(v.String())
		case []byte: // a stack or a program's output: its lines stay
			clean[i] = term.Clean(string(v))
		default:
			clean[i] = a
		}
	}
	// A write error on stdout or stderr has nowhere to be reported.
	_, _ = fmt.Fprintf(w, format, clean...)
}
