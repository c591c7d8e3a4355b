package reporters

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/driftgate/driftgate/checker/report"
)

// Text renders the report for a person at a terminal:
//
//	FAIL  orders 1.2.0 (contracts/orders.odcs.yaml), 3 files, 1,204 rows: 3 errors, 3 warnings, 1 info
//
//	orders.amount
//	┌──────────┬─────────────┬───────┬──────────────────────────────────────┐
//	│ SEVERITY │ RULE        │ COUNT │ MESSAGE                              │
//	...
//
//	14 checks, 7 failed
//
// The verdict comes first because it is what the reader wants; the findings
// follow grouped by column (schema-level findings under the schema name),
// most severe first, with their examples under the message.
type Text struct {
	// Color enables ANSI colour: red errors, yellow warnings.
	Color bool
	// Width is the terminal width to wrap messages to; 0 means no limit.
	Width int
}

// ANSI SGR sequences. Only these few are used so the output stays readable
// on any terminal that understands colour at all.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// minMessageWidth keeps the message column readable when the terminal is
// too narrow for the table; the table then overflows rather than wrapping
// every word onto its own line.
const minMessageWidth = 24

// maxTextExamples bounds the example lines under a message; the JSON report
// keeps them all.
const maxTextExamples = report.MaxExamples

// Report implements Reporter.
func (t Text) Report(w io.Writer, r *report.Report) error {
	r = canonical(r)
	var b bytes.Buffer
	b.WriteString(t.verdict(r))
	b.WriteByte('\n')
	if len(r.Findings) > 0 {
		if err := t.findings(&b, r.Findings); err != nil {
			return fmt.Errorf("render text report: %w", err)
		}
	}
	if r.Status != report.StatusError || r.Summary.Checks > 0 {
		b.WriteByte('\n')
		b.WriteString(checkTally(r.Summary))
		b.WriteByte('\n')
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// verdict is the first line: status word, what was judged and the tally.
func (t Text) verdict(r *report.Report) string {
	word, colour := "", ""
	switch r.Status {
	case report.StatusPass:
		word, colour = "PASS", ansiGreen
	case report.StatusFail:
		word, colour = "FAIL", ansiRed
	case report.StatusError:
		word, colour = "ERROR", ansiRed
	default:
		word = strings.ToUpper(sanitizeLine(string(r.Status)))
		if word == "" {
			word = "?"
		}
	}
	// The padding sits outside the colour so subjects line up in a log of
	// several runs whether or not colour is on.
	pad := strings.Repeat(" ", max(1, 6-len(word)))
	head := t.paint(word, ansiBold+colour) + pad
	subject := sanitizeLine(contractSubject(r.Contract))
	if r.Status == report.StatusError {
		msg := sanitizeLine(r.Error)
		if msg == "" {
			msg = "the run could not finish"
		}
		if subject == "" {
			return head + msg
		}
		return head + subject + ": " + msg
	}
	if subject != "" {
		subject += ", "
	}
	return head + subject + dataTally(r) + ": " + severityTally(r.Summary)
}

// findings writes one table per group. All tables share column widths so
// they line up as one listing.
func (t Text) findings(b *bytes.Buffer, fs []report.Finding) error {
	type row struct {
		severity, rule, count string
		message               []textLine
	}
	header := [4]string{"SEVERITY", "RULE", "COUNT", "MESSAGE"}
	var width [4]int
	for i, h := range header {
		width[i] = twwidth.Width(h)
	}
	groups := groupFindings(fs)
	rows := make([][]row, len(groups))
	for i, g := range groups {
		for _, f := range g.findings {
			rw := row{
				severity: sanitizeLine(string(f.Severity)),
				rule:     sanitizeLine(f.Rule),
				count:    thousands(f.Count),
				message:  textMessage(f),
			}
			rows[i] = append(rows[i], rw)
			width[0] = max(width[0], twwidth.Width(rw.severity))
			width[1] = max(width[1], twwidth.Width(rw.rule))
			width[2] = max(width[2], twwidth.Width(rw.count))
			for _, l := range rw.message {
				width[3] = max(width[3], twwidth.Width(l.indent+l.text))
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
				lines = append(lines, wrapLine(l, width[3])...)
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
		b.WriteString(t.paint(sanitizeLine(g.name()), ansiBold))
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
			sev := t.paint(rw.severity, severityColour(g.findings[j].Severity))
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
	for l := range strings.SplitSeq(strings.TrimRight(sanitize(f.Message), "\n"), "\n") {
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

// wrapLine breaks l into lines no wider than width at spaces, and inside a
// word only when the word alone is too wide. Every character is kept.
func wrapLine(l textLine, width int) []string {
	var out []string
	cur, curW, started := l.indent, twwidth.Width(l.indent), false
	flush := func() {
		out = append(out, cur)
		cur, curW, started = l.hang, twwidth.Width(l.hang), false
	}
	for _, word := range strings.Split(l.text, " ") {
		ww := twwidth.Width(word)
		if started && curW+1+ww > width {
			flush()
		}
		if started {
			cur += " "
			curW++
		}
		// A word wider than the line is cut. Each cut moves at least one
		// character, so this ends; a last character that fits nowhere
		// overflows its line rather than being dropped.
		for curW+ww > width && ww > 0 {
			head, rest := cutWidth(word, width-curW)
			if rest == "" {
				break
			}
			cur += head
			flush()
			word, ww = rest, twwidth.Width(rest)
		}
		cur += word
		curW += ww
		started = true
	}
	out = append(out, cur)
	return out
}

// cutWidth splits s after the longest prefix no wider than w, and after at
// least one rune.
func cutWidth(s string, w int) (head, rest string) {
	n := 0
	for i, r := range s {
		rw := twwidth.Width(string(r))
		if n+rw > w && i > 0 {
			return s[:i], s[i:]
		}
		n += rw
	}
	return s, ""
}

func severityColour(s report.Severity) string {
	switch s {
	case report.SeverityError:
		return ansiRed
	case report.SeverityWarning:
		return ansiYellow
	}
	return ""
}

// paint wraps s in an SGR sequence when colour is on.
func (t Text) paint(s, sgr string) string {
	if !t.Color || sgr == "" || s == "" {
		return s
	}
	return sgr + s + ansiReset
}
