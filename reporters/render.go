package reporters

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/driftgate/driftgate/checker/report"
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
	c.Checks = cloneNonNil(r.Checks)
	c.Findings = cloneNonNil(r.Findings)
	for i := range c.Findings {
		if c.Findings[i].Examples == nil {
			c.Findings[i].Examples = []report.Example{}
		}
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

// dataTally is "3 files, 1,204 rows".
func dataTally(r *report.Report) string {
	if r.Command == "diff" {
		// A contract diff reads no data; what it judged is changes.
		return plural(int64(len(r.Findings)), "change", "changes")
	}
	return plural(int64(len(r.Inputs)), "file", "files") + ", " + plural(r.Summary.Rows, "row", "rows")
}

// checkTally is "14 checks, 3 failed".
func checkTally(s report.Summary) string {
	return plural(int64(s.Checks), "check", "checks") + ", " + thousands(int64(s.Failed)) + " failed"
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

// exampleLine is "row 18 (data/orders.csv): -4.5".
func exampleLine(e report.Example) string {
	return "row " + strconv.FormatInt(e.Row, 10) + " (" + sanitizeLine(e.File) + "): " + quoteValue(e.Value)
}

// quoteValue shows a data value as it is unless that would hide something:
// an empty value, surrounding blanks, line breaks or invisible characters
// are shown Go-quoted. Values come from the data, so this also keeps them
// from injecting terminal escapes or workflow commands into the output.
func quoteValue(v string) string {
	if v == "" || strings.TrimSpace(v) != v || !printable(v) {
		return strconv.Quote(v)
	}
	return v
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// sanitize keeps line breaks and tabs but escapes every other control or
// invisible character (ANSI escapes, bidi overrides) as Go does, so a message
// that quotes hostile data cannot drive the reader's terminal.
func sanitize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if printable(strings.NewReplacer("\n", "", "\t", "").Replace(s)) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sanitizeLine is sanitize for text that must stay on one line.
func sanitizeLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\t", " ").Replace(sanitize(s))
}
