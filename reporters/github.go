package reporters

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

// GitHub renders the report as GitHub Actions workflow commands, one per
// finding, so each finding becomes an annotation on the contract line that
// declares the rule:
//
//	::error file=contracts/orders.odcs.yaml,line=14,col=9,title=VALUE_RANGE orders.amount::column "amount": 312 values below minimum 0 (first at row 18: -4.5)%0Arow 18 (data/orders-2024-01.csv): -4.5
//
// Errors become ::error, warnings ::warning and info ::notice. A finding
// without a location is annotated on the run rather than a file. A report
// with status error gives one ::error with the reason. GitHub shows only the
// first few annotations of each kind per step; the step summary has them
// all.
type GitHub struct {
	// StepSummary is the path of $GITHUB_STEP_SUMMARY. When set, the
	// Markdown summary (the markdown format) is appended to it.
	StepSummary string
}

// Report implements Reporter.
func (g GitHub) Report(w io.Writer, r *report.Report) error {
	r = canonical(r)
	var b bytes.Buffer
	if r.Status == report.StatusError {
		writeCommand(&b, "error", nil, "driftgate", cmp.Or(r.Error, "the run could not finish"))
	}
	for _, f := range r.Findings {
		var msg strings.Builder
		msg.WriteString(strings.TrimRight(f.Message, "\n"))
		for _, e := range f.Examples {
			msg.WriteString("\n")
			msg.WriteString(exampleLine(e))
		}
		writeCommand(&b, githubLevel(f.Severity), f.Location, f.Rule+" "+subject(f.Schema, f.Column), msg.String())
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write github commands: %w", err)
	}
	if g.StepSummary != "" {
		if err := appendStepSummary(g.StepSummary, stepSummary(r, maxStepSummary)); err != nil {
			return err
		}
	}
	return nil
}

// maxStepSummary is how much one run appends to $GITHUB_STEP_SUMMARY.
// GitHub refuses a step's summary over 1 MiB (and then shows none of it);
// the margin leaves room for what other steps of the job write.
const maxStepSummary = 1<<20 - 64<<10

// stepSummary is the Markdown summary, cut at a findings row when it would
// exceed limit bytes, with a note of how many findings were left out (the
// JSON report and the annotations have them all).
func stepSummary(r *report.Report, limit int) []byte {
	var md bytes.Buffer
	writeMarkdown(&md, r)
	if md.Len() <= limit {
		return md.Bytes()
	}
	// Cut at the end of the last whole line that fits with the note, so
	// the table stays a table.
	const noteRoom = 512
	full := md.Bytes()
	cut := bytes.LastIndexByte(full[:max(0, limit-noteRoom)], '\n') + 1
	body := full[:cut]
	shown := 0
	if i := bytes.Index(full, []byte("### Findings\n")); i >= 0 && i < cut {
		// One table row per finding, after the header and separator
		// rows, up to the next section.
		end := cut
		if j := bytes.Index(full[i+1:cut], []byte("\n### ")); j >= 0 {
			end = i + 1 + j
		}
		shown = max(0, bytes.Count(full[i:end], []byte("\n|"))-2)
	}
	var out bytes.Buffer
	out.Write(body)
	fmt.Fprintf(&out, "\n**Summary cut to stay under GitHub's 1 MiB limit:** %s of %s findings shown; the JSON report and the annotations have them all.\n",
		thousands(int64(shown)), thousands(int64(len(r.Findings))))
	return out.Bytes()
}

func githubLevel(s report.Severity) string {
	switch s {
	case report.SeverityError:
		return "error"
	case report.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// writeCommand writes one workflow command line. Control characters other
// than line breaks are escaped first: the log viewer interprets ANSI
// sequences, and the text may quote data.
func writeCommand(b *bytes.Buffer, level string, loc *report.Location, title, msg string) {
	var props []string
	if loc != nil && loc.File != "" {
		props = append(props, "file="+escapeProperty(term.Clean(loc.File)))
		if loc.Line > 0 {
			props = append(props, "line="+strconv.Itoa(loc.Line))
			if loc.Column > 0 {
				props = append(props, "col="+strconv.Itoa(loc.Column))
			}
		}
	}
	props = append(props, "title="+escapeProperty(term.Clean(title)))
	b.WriteString("::")
	b.WriteString(level)
	b.WriteString(" ")
	b.WriteString(strings.Join(props, ","))
	b.WriteString("::")
	b.WriteString(escapeData(term.Clean(msg)))
	b.WriteString("\n")
}

// escapeData escapes a command's message as the Actions runner unescapes
// it (actions/toolkit, command.ts). Escaping the line breaks also keeps
// data quoted in a message from starting a command of its own.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a command property value; : and , would otherwise
// end the property list or the property.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// appendStepSummary appends md to the job summary file. GitHub creates the
// file and other steps or tools may have written to it already, so it is
// appended to, never replaced, and separated from earlier content by a line
// break when that content does not end with one.
func appendStepSummary(path string, md []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("append step summary %q: %w", path, err)
	}
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			buf.WriteByte('\n')
		}
	}
	buf.Write(md)
	// One write, so a summary is never interleaved with another writer's;
	// and all or nothing: a write cut short (a full disk) is truncated
	// away again, so the page never shows half a table.
	var before int64 = -1
	if st, err := f.Stat(); err == nil {
		before = st.Size()
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		if before >= 0 {
			_ = f.Truncate(before) // best effort; the write error is the one to report
		}
		_ = f.Close()
		return fmt.Errorf("append step summary %q: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append step summary %q: %w", path, err)
	}
	return nil
}
