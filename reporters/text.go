package reporters

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

// Text renders the report for a person at a terminal, in the form compilers
// and linters (buf, golangci-lint) print: one line per finding, starting
// with the contract position that declares the broken rule, so editors and
// terminals can jump to it.
//
//	FAIL  orders 1.2.0 (contracts/orders.odcs.yaml) · data/orders.parquet, 500 rows
//
//	contracts/orders.odcs.yaml:67:11: orders.amount: 1 value below minimum 0 (first at row 121: -12.5) [VALUE_RANGE]
//	    row 121: -12.5
//	contracts/orders.odcs.yaml:9:3: warning: orders: 1 column not in the contract: "coupon" [COLUMN_UNEXPECTED]
//
//	8 errors, 2 warnings · 40 checks: 31 passed, 8 failed, 1 not executed
//
// Errors come first, then warnings ("warning:") and info ("info:"); within
// a severity the report's canonical order (schema, column, rule). Examples
// are indented under their finding; when the run read several files each
// file is named once above its examples. A row is the 1-based data row of
// its file (the header is not a row); for CSV the line the record starts on
// follows as FILE:LINE.
//
// Lines are wrapped at spaces to Width columns, continuation lines
// indented; Width 0 means no wrapping (a report written to a file). The
// CLI passes the terminal width, or COLUMNS when it is set, or 80 when
// stdout is not a terminal. The verdict and the footer always agree with
// the exit code: a pass with findings below the fail-on severity reads
// "PASS with 3 warnings".
type Text struct {
	// Color enables ANSI colour: red errors, yellow warnings.
	Color bool
	// Width is the terminal width to wrap lines to; 0 means no limit.
	Width int
}

// ANSI SGR sequences. Only these few are used so the output stays readable
// on any terminal that understands colour at all.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// maxTextExamples bounds the example lines under a message; the JSON report
// keeps them all.
const maxTextExamples = report.MaxExamples

// The indents of the compact format: a wrapped finding line continues at
// findingHang, examples sit at exampleIndent (under a file name when there
// are several files) and continue at exampleHang.
const (
	findingHang   = "  "
	exampleIndent = "    "
	exampleHang   = "      "
)

// Report implements Reporter.
func (t Text) Report(w io.Writer, r *report.Report) error {
	r = canonical(r)
	var b bytes.Buffer
	t.header(&b, r)
	if len(r.Findings) > 0 {
		b.WriteByte('\n')
		multi := len(r.Inputs) != 1
		short := shortPaths(r.Inputs)
		for _, f := range bySeverity(r.Findings) {
			f.Message = short.Replace(f.Message)
			t.finding(&b, f, multi)
		}
	}
	t.footer(&b, r)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// bySeverity is the findings most severe first, keeping the canonical order
// within a severity.
func bySeverity(fs []report.Finding) []report.Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b report.Finding) int {
		return b.Severity.Rank() - a.Severity.Rank()
	})
	return out
}

// shortPaths replaces the data paths that messages quote with their base
// names when those are unambiguous: the header (one file) or the example
// lines (several) name each path in full, so a finding line says "row 121
// of orders.parquet" and stays short.
func shortPaths(in []report.Input) *strings.Replacer {
	count := map[string]int{}
	for _, i := range in {
		count[baseName(i.Path)]++
	}
	var pairs []string
	for _, i := range in {
		if b := baseName(i.Path); b != i.Path && count[b] == 1 {
			pairs = append(pairs, " of "+i.Path, " of "+b, "("+i.Path+")", "("+b+")", " in "+i.Path, " in "+b)
		}
	}
	return strings.NewReplacer(pairs...)
}

// baseName is the file name of a path or URL; a URL's query is not part
// of it (s3:// and other store keys may hold a ? of their own).
func baseName(p string) string {
	if strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://") {
		p, _, _ = strings.Cut(p, "?")
	}
	return path.Base(p)
}

// header is the verdict line: status, what was judged and the data. A run
// that could not finish says why; an error of several lines (a contract
// with several problems) prints each as its own plain line.
func (t Text) header(b *bytes.Buffer, r *report.Report) {
	word := verdict(r)
	colour := ""
	switch r.Status {
	case report.StatusPass:
		colour = ansiGreen
	case report.StatusFail, report.StatusError:
		colour = ansiRed
	}
	head := seg{word, ansiBold + colour}
	subject := term.Line(contractSubject(r.Contract))
	if r.Status == report.StatusError {
		lines := strings.Split(strings.TrimRight(term.Clean(cmp.Or(r.Error, "the run could not finish")), "\n"), "\n")
		first := subject
		if len(lines) == 1 {
			first = strings.TrimPrefix(subject+": "+lines[0], ": ")
			lines = nil
		}
		t.wrap(b, findingHang, head, seg{text: strings.TrimRight("  "+first, " ")})
		for _, l := range lines {
			t.wrap(b, findingHang, seg{text: l})
		}
		return
	}
	parts := []string{}
	if subject != "" {
		parts = append(parts, subject)
	}
	if r.Command != "diff" || len(r.Inputs) > 0 {
		parts = append(parts, dataTally(r))
	}
	t.wrap(b, findingHang, head, seg{text: "  " + strings.Join(parts, " · ")})
	t.objects(b, r.Inputs)
	t.proofs(b, r.Inputs)
	t.datasets(b, r.Datasets)
}

// proofs prints, under the verdict, one line per Parquet input whose
// statistics stood in for decoding some column chunks, so that a pass
// never hides that rows were judged from a footer.
func (t Text) proofs(b *bytes.Buffer, inputs []report.Input) {
	for _, in := range inputs {
		if line := proofLine(in); line != "" {
			t.wrap(b, exampleIndent, seg{"  " + term.Line(line), ansiDim})
		}
	}
}

// objects prints, under the verdict, one line per input read from an
// object store: what the store says identifies the content the run judged
// (ETag, version, last-modified time, checksum) and the bytes fetched.
func (t Text) objects(b *bytes.Buffer, inputs []report.Input) {
	for _, in := range inputs {
		if in.Object != nil {
			t.wrap(b, exampleIndent, seg{"  object " + term.Line(objectLine(in)), ansiDim})
		}
	}
}

// datasets lists the verdict of each dataset of a project run, under the
// header, so the reader sees at once which dataset failed.
func (t Text) datasets(b *bytes.Buffer, ds []report.Dataset) {
	if len(ds) == 0 {
		return
	}
	b.WriteByte('\n')
	for _, d := range ds {
		colour := ansiGreen
		if d.Status != report.StatusPass {
			colour = ansiRed
		}
		line := datasetLine(d)
		name, rest, _ := strings.Cut(line, ": ")
		word, rest, _ := strings.Cut(rest, " · ")
		if rest != "" {
			rest = " · " + rest
		}
		t.wrap(b, exampleIndent, seg{text: "  " + name + ": "}, seg{word, colour}, seg{text: rest})
	}
}

// footer is the tally: findings by severity, then checks by outcome (or,
// for a diff, changes).
func (t Text) footer(b *bytes.Buffer, r *report.Report) {
	if r.Status == report.StatusError && r.Summary.Checks == 0 && len(r.Findings) == 0 {
		return
	}
	b.WriteByte('\n')
	line := severityTally(r.Summary) + " · " + checkTally(r)
	if r.Command == "diff" {
		line = checkTally(r) + ": " + severityTally(r.Summary)
	}
	t.wrap(b, findingHang, seg{text: line})
}

// finding writes one finding line, the rest of a multi-line message and the
// examples.
func (t Text) finding(b *bytes.Buffer, f report.Finding, multi bool) {
	msg := strings.Split(strings.TrimRight(term.Clean(f.Message), "\n"), "\n")
	var segs []seg
	if f.Location != nil && f.Location.File != "" {
		segs = append(segs, seg{term.Line(position(*f.Location)) + ":", ansiBold}, seg{text: " "})
	}
	if f.Severity != report.SeverityError {
		segs = append(segs, seg{term.Line(string(f.Severity)) + ":", severityColour(f.Severity)}, seg{text: " "})
	}
	if s := subject(f.Schema, f.Column); s != "(report)" {
		segs = append(segs, seg{text: term.Line(s) + ": "})
	}
	segs = append(segs, seg{text: strings.ReplaceAll(msg[0], "\t", " ") + " "}, seg{"[" + term.Line(f.Rule) + "]", ansiDim})
	t.wrap(b, findingHang, segs...)
	for _, l := range msg[1:] {
		l = strings.ReplaceAll(l, "\t", " ")
		t.wrapIndented(b, exampleIndent, exampleIndent, l)
	}

	file := ""
	for i, e := range f.Examples {
		if i == maxTextExamples {
			// ASCII, not an ellipsis: East Asian terminals draw that
			// double width.
			t.wrapIndented(b, exampleIndent, exampleHang, "... "+thousands(int64(len(f.Examples)-i))+" more")
			break
		}
		indent, hang := exampleIndent, exampleHang
		if multi {
			if i == 0 || e.File != file {
				file = e.File
				t.wrapIndented(b, exampleIndent, exampleHang, term.Line(file))
			}
			indent, hang = exampleHang, exampleHang+"  "
		}
		row := "row " + thousands(e.Row)
		if e.Line > 0 {
			// file:LINE, the form editors and terminals open at the line.
			row += " (" + term.Line(examplePlace(e)) + ")"
		}
		t.wrapIndented(b, indent, hang, row+": "+exampleValue(e))
	}
}

// seg is a piece of a line and its colour.
type seg struct{ text, sgr string }

// wrap writes one logical line made of segs, wrapped to the width with
// continuation lines at hang. The width is measured without colour; each
// coloured segment is painted on the line it ends up on when wrapping left
// it whole.
func (t Text) wrap(b *bytes.Buffer, hang string, segs ...seg) {
	var plain strings.Builder
	for _, s := range segs {
		plain.WriteString(s.text)
	}
	lines := term.Wrap(plain.String(), t.Width, "", hang)
	if t.Color {
		for _, s := range segs {
			if s.sgr == "" || strings.TrimSpace(s.text) == "" {
				continue
			}
			for i, l := range lines {
				if strings.Contains(l, s.text) {
					lines[i] = strings.Replace(l, s.text, t.paint(s.text, s.sgr), 1)
					break
				}
			}
		}
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

func (t Text) wrapIndented(b *bytes.Buffer, indent, hang, text string) {
	for _, l := range term.Wrap(text, t.Width, indent, hang) {
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

func severityColour(s report.Severity) string {
	switch s {
	case report.SeverityError:
		return ansiRed
	case report.SeverityWarning:
		return ansiYellow
	}
	return ansiDim
}

// paint wraps s in an SGR sequence when colour is on.
func (t Text) paint(s, sgr string) string {
	if !t.Color || sgr == "" || s == "" {
		return s
	}
	return sgr + s + ansiReset
}
