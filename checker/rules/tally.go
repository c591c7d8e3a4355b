package rules

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/driftgate/driftgate/checker/report"
)

// Tally counts offending rows and keeps the first few as examples. Callers
// ask Hit before formatting a value, so the hot loop formats at most
// report.MaxExamples values per check.
type Tally struct {
	Count    int64
	Examples []report.Example
	// Redact keeps examples' files and rows but not their values: the
	// tally counts a private column (contracts.Property.Private).
	Redact bool
}

// Hit counts one offending row and reports whether it should be kept as an
// example.
func (t *Tally) Hit() bool {
	t.Count++
	return len(t.Examples) < report.MaxExamples
}

// Example keeps one example value.
func (t *Tally) Example(file string, row int64, value string) {
	if t.Redact {
		t.Examples = append(t.Examples, report.Example{File: file, Row: row, Value: report.Redacted})
		return
	}
	// Arrow string values alias their batch's buffers, which are recycled
	// once the batch is released; an example outlives its batch.
	t.Examples = append(t.Examples, report.Example{File: file, Row: row, Value: strings.Clone(value)})
}

// Add counts one offending row and keeps value as an example when there is
// room. Use it where the value is already a string.
func (t *Tally) Add(file string, row int64, value string) {
	if t.Hit() {
		t.Example(file, row, value)
	}
}

// FirstAt renders " (first at row 18 of orders.parquet: -4.5)" for
// messages, or with the line a text file's record starts on
// " (first at row 18 of orders.csv:19: -4.5)".
func (t *Tally) FirstAt() string {
	if len(t.Examples) == 0 {
		return ""
	}
	e := t.Examples[0]
	at := " (first at row " + Itoa(e.Row) + " of " + e.File
	if e.Line > 0 {
		// file:LINE, the form editors and terminals open at the line.
		at += ":" + Itoa(e.Line)
	}
	if t.Redact {
		return at + ")"
	}
	return at + ": " + QuoteShort(e.Value) + ")"
}

// Itoa formats a row number or count.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// QuoteShort shortens long example values for messages.
func QuoteShort(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	if strings.ContainsAny(s, " \t\n\r,:") || s == "" {
		return strconv.Quote(s)
	}
	return s
}

// ValuesVerb renders "1 value does" or "3 values do".
func ValuesVerb(n int64, one, many string) string {
	if n == 1 {
		return "1 value " + one
	}
	return Itoa(n) + " values " + many
}

// ValuesPhrase renders "1 value" or "3 values".
func ValuesPhrase(n int64) string {
	if n == 1 {
		return "1 value"
	}
	return Itoa(n) + " values"
}

func quote(s string) string { return strconv.Quote(s) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
