package reporters

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

// canonical returns a copy of r in canonical order with nil slices made
// empty, so every format is deterministic whatever order the caller built
// the report in, and the caller's report is never modified.
func canonical(r *report.Report) *report.Report {
	c := *r
	if c.ReportVersion == 0 {
		c.ReportVersion = report.Version
	}
	c.Inputs = cloneNonNil(r.Inputs)
	secrets := report.DropCredentials(c.Inputs)
	c.Checks = cloneNonNil(r.Checks)
	c.Findings = cloneNonNil(r.Findings)
	for i := range c.Findings {
		f := &c.Findings[i]
		if f.Examples == nil {
			f.Examples = []report.Example{}
		} else {
			f.Examples = slices.Clone(f.Examples)
		}
		if secrets != nil {
			f.Message = secrets.Replace(f.Message)
			for j := range f.Examples {
				f.Examples[j].File = secrets.Replace(f.Examples[j].File)
			}
		}
		f.Bound()
	}
	c.Sort()
	return &c
}

func cloneNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}

// group is the findings of one column, or of the schema object itself when
// column is empty.
type group struct {
	schema, column string
	findings       []report.Finding
}

// name is how a group is titled: "orders.amount", or "orders" for the
// schema object.
func (g group) name() string {
	return subject(g.schema, g.column)
}

// subject names a schema object or one of its columns.
func subject(schema, column string) string {
	switch {
	case schema == "" && column == "":
		return "(report)"
	case schema == "":
		return column
	case column == "":
		return schema
	}
	return schema + "." + column
}

// groupFindings splits canonically sorted findings by schema and column.
// Within a group the most severe come first: that is what a reader scans
// for.
func groupFindings(fs []report.Finding) []group {
	var gs []group
	for _, f := range fs {
		if n := len(gs); n > 0 && gs[n-1].schema == f.Schema && gs[n-1].column == f.Column {
			gs[n-1].findings = append(gs[n-1].findings, f)
			continue
		}
		gs = append(gs, group{schema: f.Schema, column: f.Column, findings: []report.Finding{f}})
	}
	for _, g := range gs {
		slices.SortStableFunc(g.findings, func(a, b report.Finding) int {
			return b.Severity.Rank() - a.Severity.Rank()
		})
	}
	return gs
}

// contractSubject is how the verdict lines name what was judged:
// "orders 1.2.0 (contracts/orders.odcs.yaml)".
func contractSubject(c *report.ContractRef) string {
	if c == nil {
		return ""
	}
	name := c.Name
	if name == "" {
		name = c.ID
	}
	s := name
	if c.Version != "" {
		s = strings.TrimSpace(s + " " + c.Version)
	}
	if c.Path != "" {
		if s == "" {
			return c.Path
		}
		s += " (" + c.Path + ")"
	}
	return s
}

// severityTally is "3 errors, 3 warnings, 1 info", or "no findings".
func severityTally(s report.Summary) string {
	var parts []string
	if s.Errors > 0 {
		parts = append(parts, plural(int64(s.Errors), "error", "errors"))
	}
	if s.Warnings > 0 {
		parts = append(parts, plural(int64(s.Warnings), "warning", "warnings"))
	}
	if s.Infos > 0 {
		parts = append(parts, plural(int64(s.Infos), "info", "info"))
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

// dataTally is "3 files, 1,204 rows", or for one file its path:
// "data/orders.csv, 402 rows", so the path is named once.
func dataTally(r *report.Report) string {
	switch r.Command {
	case "diff":
		// A contract diff reads no data; what it judged is changes.
		return plural(int64(len(r.Findings)), "change", "changes")
	case "lint":
		return plural(int64(len(r.Inputs)), "contract", "contracts")
	}
	if len(r.Inputs) == 1 {
		return term.Line(r.Inputs[0].Path) + ", " + plural(r.Summary.Rows, "row", "rows")
	}
	return plural(int64(len(r.Inputs)), "file", "files") + ", " + plural(r.Summary.Rows, "row", "rows")
}

// checkTally is "40 checks: 31 passed, 8 failed, 1 not executed", naming
// not executed and skipped checks only when there are some. A diff judges
// changes, not checks: "3 changes".
func checkTally(r *report.Report) string {
	if r.Command == "diff" {
		return plural(int64(len(r.Findings)), "change", "changes")
	}
	s := r.Summary
	passed := s.Passed
	if passed+s.Failed+s.NotExecuted+s.Skipped != s.Checks {
		// A report from before the outcome counts: what did not fail passed.
		passed = max(0, s.Checks-s.Failed-s.NotExecuted-s.Skipped)
	}
	out := plural(int64(s.Checks), "check", "checks")
	if s.Checks == 0 {
		return out
	}
	out += ": " + thousands(int64(passed)) + " passed, " + thousands(int64(s.Failed)) + " failed"
	if s.NotExecuted > 0 {
		out += ", " + thousands(int64(s.NotExecuted)) + " not executed"
	}
	if s.Skipped > 0 {
		out += ", " + thousands(int64(s.Skipped)) + " skipped"
	}
	return out
}

// verdict is the status as every format shows it, agreeing with the exit
// code: "PASS", "PASS with 3 warnings" (findings below the fail-on
// severity), "FAIL" or "ERROR".
func verdict(r *report.Report) string { return statusWord(r.Status, r.Summary) }

// statusWord is verdict for a status and its summary (a report's or a
// dataset's).
func statusWord(st report.Status, s report.Summary) string {
	switch st {
	case report.StatusPass:
		if s.Errors+s.Warnings+s.Infos > 0 {
			return "PASS with " + severityTally(s)
		}
		return "PASS"
	case report.StatusFail:
		return "FAIL"
	case report.StatusError:
		return "ERROR"
	}
	if w := strings.ToUpper(term.Line(string(st))); w != "" {
		return w
	}
	return "UNKNOWN"
}

// datasetLine is one dataset's verdict as the text formats list it:
// "orders: FAIL · orders 1.2.0 · 2 files, 1,000 rows · 3 errors, 1
// warning · 2 columns drifted", or the reason it could not be judged.
func datasetLine(d report.Dataset) string {
	parts := []string{term.Line(d.Name) + ": " + statusWord(d.Status, d.Summary)}
	if c := d.Contract; c != nil {
		parts = append(parts, term.Line(strings.TrimSpace(cmp.Or(c.Name, c.ID)+" "+c.Version)))
	}
	if d.Status == report.StatusError {
		return strings.Join(parts, " · ") + ": " + term.Line(cmp.Or(d.Error, "could not be judged"))
	}
	parts = append(parts, plural(int64(d.Inputs), "file", "files")+", "+plural(d.Summary.Rows, "row", "rows"))
	if d.Status != report.StatusPass {
		parts = append(parts, severityTally(d.Summary))
	}
	if d.Drifted > 0 {
		parts = append(parts, plural(int64(d.Drifted), "column", "columns")+" drifted")
	}
	return strings.Join(parts, " · ")
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands formats n with comma separators: 1,204.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// humanBytes formats a file size in IEC units: 39.3 KiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return plural(n, "byte", "bytes")
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// shortHash keeps the first 12 hex digits of a digest: enough to tell files
// apart by eye, short enough for a table.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// exampleLine is "row 18 (data/orders.csv): -4.5", or with the line a
// CSV record starts on, "row 18 (data/orders.csv:19): -4.5".
func exampleLine(e report.Example) string {
	return "row " + strconv.FormatInt(e.Row, 10) + " (" + term.Line(examplePlace(e)) + "): " + exampleValue(e)
}

// examplePlace is the file of an example, with ":LINE" when it is known.
func examplePlace(e report.Example) string {
	if e.Line > 0 {
		return e.File + ":" + strconv.FormatInt(e.Line, 10)
	}
	return e.File
}

// exampleValue is the value as term.Value shows it, with the note of how
// much was cut when the report holds only its start.
func exampleValue(e report.Example) string {
	v := term.Value(e.Value)
	if e.ValueBytes > len(e.Value) {
		v += report.CutNote(e.ValueBytes - len(e.Value))
	}
	return v
}

// backtickSpans splits a message at its backtick pairs: even elements are
// text, odd ones what the message quoted in backticks (a value, a shape).
// An unpaired backtick is text.
func backtickSpans(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		out = append(out, s[:i], s[i+1:i+1+j])
		s = s[i+2+j:]
	}
	return append(out, s)
}

// objectLine is an input's object facts on one line, as text and JUnit
// print them: "s3://b/k: etag "9b2c", version 3HL4, ..., fetched 1.2 MiB
// of 3.4 MiB" (an S3 ETag carries its own quotes).
func objectLine(in report.Input) string {
	var parts []string
	for _, f := range objectFacts(in) {
		parts = append(parts, f.name+" "+f.value)
	}
	return in.Object.URL + ": " + strings.Join(parts, ", ")
}

// proofLine says which columns of an input statistics proved rather than
// decoding them, whole or in some row groups; empty when none.
func proofLine(in report.Input) string {
	parts := slices.Clone(in.ProvenByStatistics)
	for _, p := range in.ProvenRowGroups {
		parts = append(parts, fmt.Sprintf("%s in %d of %d row groups", p.Column, p.Proven, p.RowGroups))
	}
	if len(parts) == 0 {
		return ""
	}
	return baseName(in.Path) + ": statistics proved, not decoded: " + strings.Join(parts, ", ")
}

// fact is one thing an object store says about an object, as the reports
// print it: "etag" and its value, code when the value is an identifier.
type fact struct {
	name, value string
	code        bool
}

// objectFacts are what the store said identifies an input's content
// (ETag, version, last-modified time, its own checksum) and how much of it
// the run fetched, in the order every format prints them; none for a
// local file.
func objectFacts(in report.Input) []fact {
	o := in.Object
	if o == nil {
		return nil
	}
	var fs []fact
	if o.ETag != "" {
		fs = append(fs, fact{"etag", o.ETag, true})
	}
	if o.VersionID != "" {
		fs = append(fs, fact{"version", o.VersionID, true})
	}
	if o.LastModified != "" {
		fs = append(fs, fact{"modified", o.LastModified, false})
	}
	if c := o.Checksum; c != nil && c.Value != "" {
		fs = append(fs, fact{cmp.Or(c.Algorithm, "checksum"), c.Value, true})
	}
	read := humanBytes(o.BytesRead)
	if in.Size > 0 {
		read += " of " + humanBytes(in.Size)
	}
	return append(fs, fact{"fetched", read, false})
}
