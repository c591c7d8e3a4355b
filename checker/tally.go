package checker

import (
	"strings"

	"github.com/driftgate/driftgate/checker/report"
)

// tally counts offending rows and keeps the first few as examples. Callers
// ask wantExample before formatting a value, so the hot loop formats at most
// report.MaxExamples values per check.
type tally struct {
	count    int64
	examples []report.Example
}

// hit counts one offending row and reports whether it should be kept as an
// example.
func (t *tally) hit() bool {
	t.count++
	return len(t.examples) < report.MaxExamples
}

func (t *tally) example(file string, row int64, value string) {
	// Arrow string values alias their batch's buffers, which are recycled
	// once the batch is released; an example outlives its batch.
	t.examples = append(t.examples, report.Example{File: file, Row: row, Value: strings.Clone(value)})
}

// add counts one offending row and keeps value as an example when there is
// room. Use it where the value is already a string.
func (t *tally) add(file string, row int64, value string) {
	if t.hit() {
		t.example(file, row, value)
	}
}

// firstAt renders "first at row 18 of orders.csv: -4.5" for messages.
func (t *tally) firstAt() string {
	if len(t.examples) == 0 {
		return ""
	}
	e := t.examples[0]
	return " (first at row " + itoa(e.Row) + " of " + e.File + ": " + quoteShort(e.Value) + ")"
}
