package reporters

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

// Markdown renders the report as a GitHub-flavoured Markdown document for a
// job summary or a pull-request comment: a heading with the verdict, what
// was judged (contract, files with size and short SHA-256), and a table of
// findings grouped by column with the examples folded in <details>.
//
//	## driftgate check: FAIL
//
//	- **Contract:** orders 1.2.0, `urn:datacontract:shop:orders`, `contracts/orders.odcs.yaml`, sha256 `3f1c9e0b7a42`
//	...
//	| Column | Severity | Rule | Count | Message |
//	| --- | --- | --- | ---: | --- |
//	| `orders.amount` | error | `VALUE_RANGE` | 312 | column "amount": 312 values below minimum 0 ...<details>...</details> |
//
// Text from the report is escaped for Markdown and HTML; data values are
// shown in code spans, where GitHub neither renders Markdown nor expands
// @mentions.
type Markdown struct{}

// Report implements Reporter.
func (Markdown) Report(w io.Writer, r *report.Report) error {
	var b bytes.Buffer
	writeMarkdown(&b, canonical(r))
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// writeMarkdown renders a canonical report; the github format shares it for
// the step summary.
func writeMarkdown(b *bytes.Buffer, r *report.Report) {
	title := "driftgate"
	if r.Command != "" {
		title += " " + mdText(r.Command)
	}
	fmt.Fprintf(b, "## %s: %s\n\n", title, mdText(verdict(r)))

	if c := r.Contract; c != nil {
		parts := []string{mdText(strings.TrimSpace(cmp.Or(c.Name, c.ID) + " " + c.Version))}
		if c.Name != "" && c.ID != "" {
			parts = append(parts, mdCode(c.ID))
		}
		if c.Path != "" {
			parts = append(parts, mdCode(c.Path))
		}
		if c.SHA256 != "" {
			parts = append(parts, "sha256 "+mdCode(shortHash(c.SHA256)))
		}
		if c.Schema != "" {
			parts = append(parts, "schema "+mdCode(c.Schema))
		}
		fmt.Fprintf(b, "- **Contract:** %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(b, "- **Data:** %s\n", dataTally(r))
	if r.Status != report.StatusError {
		result := severityTally(r.Summary) + "; " + checkTally(r)
		if r.FailOn != "" {
			result += "; fail-on " + mdText(r.FailOn)
		}
		fmt.Fprintf(b, "- **Result:** %s\n", result)
	}
	b.WriteByte('\n')

	if r.Status == report.StatusError {
		msg := term.Clean(cmp.Or(r.Error, "unknown error"))
		fence := strings.Repeat("`", max(3, longestRun(msg, '`')+1))
		fmt.Fprintf(b, "The run could not finish:\n\n%stext\n%s\n%s\n\n", fence, msg, fence)
	}

	if len(r.Datasets) > 0 {
		b.WriteString("| Dataset | Verdict | Contract | Files | Rows | Errors | Warnings | Info | Drifted columns |\n")
		b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, d := range r.Datasets {
			contract := ""
			if c := d.Contract; c != nil {
				contract = mdText(strings.TrimSpace(cmp.Or(c.Name, c.ID) + " " + c.Version))
			}
			word := mdText(statusWord(d.Status, d.Summary))
			if d.Status == report.StatusError {
				word += ": " + mdText(cmp.Or(d.Error, "could not be judged"))
			}
			mdRow(b, mdCode(d.Name), word, contract, thousands(int64(d.Inputs)), thousands(d.Summary.Rows),
				thousands(int64(d.Summary.Errors)), thousands(int64(d.Summary.Warnings)), thousands(int64(d.Summary.Infos)), thousands(int64(d.Drifted)))
		}
		b.WriteByte('\n')
	}

	if len(r.Inputs) > 0 {
		b.WriteString("| File | Format | Rows | Size | SHA-256 |\n")
		b.WriteString("| --- | --- | ---: | ---: | --- |\n")
		for _, in := range r.Inputs {
			mdRow(b, mdCode(in.Path), mdText(in.Format), thousands(in.Rows), humanBytes(in.Size), mdCode(shortHash(in.SHA256)))
		}
		b.WriteByte('\n')
		writeMarkdownObjects(b, r.Inputs)
	}

	if len(r.Findings) == 0 {
		if r.Status != report.StatusError {
			b.WriteString("No findings.\n")
		}
	} else {
		writeMarkdownFindings(b, r)
	}
	if len(r.Drift) > 0 {
		writeMarkdownDrift(b, r.Drift)
	}
}

func writeMarkdownFindings(b *bytes.Buffer, r *report.Report) {
	b.WriteString("### Findings\n\n")
	b.WriteString("| Column | Severity | Rule | Count | Message |\n")
	b.WriteString("| --- | --- | --- | ---: | --- |\n")
	for _, g := range groupFindings(r.Findings) {
		for i, f := range g.findings {
			// The column is named once per group, so the eye finds the
			// groups.
			column := ""
			if i == 0 {
				column = mdCode(g.name())
			}
			mdRow(b, column, mdText(string(f.Severity)), mdCode(f.Rule), thousands(f.Count), mdMessage(f))
		}
	}
}

// writeMarkdownDrift is the drift columns: the drifted ones in a table
// with the tests that fired, the stable ones folded, and a line on what
// each test measures.
func writeMarkdownDrift(b *bytes.Buffer, cols []report.ColumnDrift) {
	b.WriteString("\n### Columns: baseline → current\n\n")
	var changed, steady []report.ColumnDrift
	for _, c := range cols {
		if changedColumn(c.Status) {
			changed = append(changed, c)
		} else {
			steady = append(steady, c)
		}
	}
	table := func(cs []report.ColumnDrift) {
		b.WriteString("| Column | Status | Rows | Nulls | Min | Max | Tests that drifted |\n")
		b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | --- |\n")
		for _, c := range cs {
			mdRow(b, mdCode(c.Column), mdText(c.Status),
				thousands(c.Baseline.Rows)+" → "+thousands(c.Current.Rows),
				report.Share(c.Baseline.NullRate)+" → "+report.Share(c.Current.NullRate),
				exactPair(c.Baseline.Min, c.Current.Min, c.Unit), exactPair(c.Baseline.Max, c.Current.Max, c.Unit),
				mdText(driftedTests(c)))
		}
	}
	if len(changed) > 0 {
		table(changed)
	} else {
		b.WriteString("No column drifted.\n")
	}
	if len(steady) > 0 {
		ps := make([]*report.ColumnDrift, len(steady))
		for i := range steady {
			ps[i] = &steady[i]
		}
		fmt.Fprintf(b, "\n<details><summary>%s</summary>\n\n", mdText(steadyTally(ps)))
		table(steady)
		b.WriteString("\n</details>\n")
	}
	docs := map[string]string{}
	var names []string
	for _, c := range cols {
		for _, t := range c.Tests {
			if _, ok := docs[t.Name]; !ok && t.Doc != "" {
				docs[t.Name] = t.Doc
				names = append(names, t.Name)
			}
		}
	}
	if len(names) > 0 {
		b.WriteString("\n<details><summary>What the tests measure</summary>\n\n")
		for _, n := range names {
			fmt.Fprintf(b, "- %s: %s\n", mdCode(n), mdText(docs[n]))
		}
		b.WriteString("\n</details>\n")
	}
}

// driftedTests is "psi 3.451 (threshold 0.2), ks 0.7641 (p < 1e-16)".
func driftedTests(c report.ColumnDrift) string {
	var parts []string
	for _, t := range c.Tests {
		if !t.Drift {
			continue
		}
		p := t.Name + " " + report.Number(t.Value)
		switch {
		case t.Threshold != 0:
			p += " (threshold " + report.Number(t.Threshold) + ")"
		case t.PValue != nil && *t.PValue < 1e-16:
			p += " (p < 1e-16)"
		case t.PValue != nil:
			p += " (p = " + strconv.FormatFloat(*t.PValue, 'g', 2, 64) + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func exactPair(b, c *float64, unit string) string {
	f := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return report.ExactValue(*v, unit)
	}
	if b == nil && c == nil {
		return ""
	}
	return mdText(f(b) + " → " + f(c))
}

// mdSpans is mdText for a message, showing what it quotes in backticks as
// code spans (escaped as code needs) rather than as escaped backticks.
func mdSpans(s string) string {
	var b strings.Builder
	for i, part := range backtickSpans(s) {
		if i%2 == 1 {
			b.WriteString(mdCode(part))
		} else {
			b.WriteString(mdText(part))
		}
	}
	return b.String()
}

// mdMessage is the message cell: the message and, folded away, its examples.
func mdMessage(f report.Finding) string {
	s := mdSpans(strings.TrimRight(f.Message, "\n"))
	if len(f.Examples) == 0 {
		return s
	}
	lines := make([]string, len(f.Examples))
	for i, e := range f.Examples {
		lines[i] = "row " + strconv.FormatInt(e.Row, 10) + " (" + mdCode(e.File) + "): " + mdCode(term.Value(e.Value))
	}
	return s + "<details><summary>" + plural(int64(len(f.Examples)), "example", "examples") +
		"</summary>" + strings.Join(lines, "<br>") + "</details>"
}

// mdRow writes one table row. GitHub splits rows on | before it parses
// anything else, code spans included, so every | in a cell is escaped here,
// after the cell is rendered.
func mdRow(b *bytes.Buffer, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(strings.ReplaceAll(c, "|", `\|`))
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// mdText escapes text so Markdown and HTML show it literally. A line break
// becomes <br>, which also works inside a table cell. Pipes are left to
// mdRow, which knows whether the text is in a table.
func mdText(s string) string {
	s = term.Clean(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\n':
			b.WriteString("<br>")
		case '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode puts s in a code span, with a fence longer than any run of
// backticks inside it as CommonMark requires.
func mdCode(s string) string {
	s = term.Line(s)
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}

// writeMarkdownObjects is a table of the inputs read from an object store:
// what the store says identifies the content judged, and the bytes fetched.
func writeMarkdownObjects(b *bytes.Buffer, inputs []report.Input) {
	header := false
	for _, in := range inputs {
		if in.Object == nil {
			continue
		}
		if !header {
			b.WriteString("| Object | ETag | Version | Last modified | Checksum | Fetched |\n")
			b.WriteString("| --- | --- | --- | --- | --- | ---: |\n")
			header = true
		}
		cells := map[string]string{}
		checksum := ""
		for _, f := range objectFacts(in) {
			v := mdText(f.value)
			if f.code {
				v = mdCode(f.value)
			}
			switch f.name {
			case "etag", "version", "modified", "fetched":
				cells[f.name] = v
			default:
				checksum = mdText(f.name) + " " + v
			}
		}
		mdRow(b, mdCode(in.Object.URL), cells["etag"], cells["version"], cells["modified"], checksum, cells["fetched"])
	}
	if header {
		b.WriteByte('\n')
	}
}
