package reporters

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

// Table renders the report as boxed tables, one per column with findings
// (the text format before the compact one became the default):
//
//	FAIL  orders 1.2.0 (contracts/orders.odcs.yaml) · 3 files, 1,204 rows
//
//	orders.amount
//	┌──────────┬─────────────┬───────┬──────────────────────────────────────┐
//	│ SEVERITY │ RULE        │ COUNT │ MESSAGE                              │
//	...
//
//	3 errors, 3 warnings, 1 info · 14 checks: 7 passed, 7 failed
//
// The verdict and footer are the text format's. With a Width the message
// column is wrapped so no line is wider than the terminal (down to a
// minimum message width, below which the table overflows rather than
// wrapping every word onto its own line).
type Table struct {
	// Color enables ANSI colour: red errors, yellow warnings.
	Color bool
	// Width is the terminal width to wrap messages to; 0 means no limit.
	Width int
}

// minMessageWidth keeps the message column readable when the terminal is
// too narrow for the table; the table then overflows rather than wrapping
// every word onto its own line.
const minMessageWidth = 24

// Report implements Reporter.
func (t Table) Report(w io.Writer, r *report.Report) error {
	r = canonical(r)
	txt := Text(t)
	var b bytes.Buffer
	txt.header(&b, r)
	if len(r.Findings) > 0 {
		if err := t.findings(&b, r.Findings); err != nil {
			return fmt.Errorf("render table report: %w", err)
		}
	}
	txt.footer(&b, r)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	return nil
}

// findings writes one table per group. All tables share column widths so
// they line up as one listing.
func (t Table) findings(b *bytes.Buffer, fs []report.Finding) error {
	type row struct {
		severity, rule, count string
		message               []textLine
	}
	header := [4]string{"SEVERITY", "RULE", "COUNT", "MESSAGE"}
	var width [4]int
	for i, h := range header {
		width[i] = term.Width(h)
	}
	groups := groupFindings(fs)
	rows := make([][]row, len(groups))
	for i, g := range groups {
		for _, f := range g.findings {
			rw := row{
				severity: term.Line(string(f.Severity)),
				rule:     term.Line(f.Rule),
				count:    thousands(f.Count),
				message:  textMessage(f),
			}
			rows[i] = append(rows[i], rw)
			width[0] = max(width[0], term.Width(rw.severity))
			width[1] = max(width[1], term.Width(rw.rule))
			width[2] = max(width[2], term.Width(rw.count))
			for _, l := range rw.message {
				width[3] = max(width[3], term.Width(l.indent+l.text))
			}
		}
	}
	if t.Width > 0 {
		// Four cells with a space either side, and five vertical rules:
		// the borders and the three column separators.
		avail := t.Width - width[0] - width[1] - width[2] - 4*2 - 5
		width[3] = min(width[3], max(avail, minMessageWidth))
	}
	// The message is wrapped here rather than by tablewriter, which cuts
	// characters at the wrap point when column widths are fixed, and which
	// would lose the hanging indent of the examples.
	cells := make([][]string, len(groups))
	for i := range rows {
		for _, rw := range rows[i] {
			var lines []string
			for _, l := range rw.message {
				lines = append(lines, term.Wrap(l.text, width[3], l.indent, l.hang)...)
			}
			cells[i] = append(cells[i], strings.Join(lines, "\n"))
		}
	}
	widths := tw.NewMapper[int, int]()
	for i, w := range width {
		widths.Set(i, w+2) // tablewriter's widths include the padding
	}

	for i, g := range groups {
		b.WriteByte('\n')
		b.WriteString(Text{Color: t.Color}.paint(term.Line(g.name()), ansiBold))
		b.WriteByte('\n')
		table := tablewriter.NewTable(b,
			tablewriter.WithColumnWidths(widths),
			tablewriter.WithHeaderAlignment(tw.AlignLeft),
			tablewriter.WithAlignment(tw.Alignment{tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignLeft}),
			// Keep the indent of the example lines under a message.
			tablewriter.WithTrimSpace(tw.Off),
			tablewriter.WithRowAutoWrap(tw.WrapNone),
		)
		table.Header(header[0], header[1], header[2], header[3])
		for j, rw := range rows[i] {
			sev := Text{Color: t.Color}.paint(rw.severity, severityColour(g.findings[j].Severity))
			if err := table.Append([]string{sev, rw.rule, rw.count, cells[i][j]}); err != nil {
				return fmt.Errorf("table for %s: %w", g.name(), err)
			}
		}
		if err := table.Render(); err != nil {
			return fmt.Errorf("table for %s: %w", g.name(), err)
		}
	}
	return nil
}

// textLine is one logical line of a message cell. Continuation lines of a
// wrapped line get hang instead of indent, so a wrapped example still reads
// as one.
type textLine struct{ indent, hang, text string }

// textMessage is the message cell: the message, then its examples indented
// beneath it, one per line.
func textMessage(f report.Finding) []textLine {
	var lines []textLine
	for l := range strings.SplitSeq(strings.TrimRight(term.Clean(f.Message), "\n"), "\n") {
		lines = append(lines, textLine{text: strings.ReplaceAll(l, "\t", " ")})
	}
	for i, e := range f.Examples {
		if i == maxTextExamples {
			// ASCII, not an ellipsis: East Asian terminals draw that
			// double width.
			more := "... " + thousands(int64(len(f.Examples)-i)) + " more"
			lines = append(lines, textLine{indent: "  ", hang: "    ", text: more})
			break
		}
		lines = append(lines, textLine{indent: "  ", hang: "    ", text: exampleLine(e)})
	}
	return lines
}
