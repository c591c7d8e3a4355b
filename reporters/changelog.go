package reporters

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
)

// Changelog renders a diff report as a human changelog in Markdown, fit
// for a pull-request comment: the verdict, then the changes grouped into
// breaking, compatible and documentation-only, each with its rule and the
// side it breaks.
//
//	## Contract changes: orders 1.4.0 → 2.0.0
//
//	### Breaking (1)
//	- `orders.email`: column "email" (string) removed. `COLUMN_REMOVED`, breaks consumers
//
// A change is breaking when it is an error under the run's mode, or a
// warning that breaks someone (a break a major version announces); a
// documentation change is one whose category is documentation; the rest
// (info and warning findings, including changes that break only the side
// the mode does not enforce) are compatible. It is not in the format
// registry: only `driftgate changelog` and `diff --format changelog` make
// reports it can group.
type Changelog struct{}

// Report implements Reporter.
func (Changelog) Report(w io.Writer, r *report.Report) error {
	r = canonical(r)
	var b bytes.Buffer
	title := "Contract changes"
	if c := r.Contract; c != nil {
		title += ": " + mdText(strings.TrimSpace(cmp.Or(c.Name, c.ID)+" "+c.Version))
	}
	fmt.Fprintf(&b, "## %s\n\n", title)
	if r.Status == report.StatusError {
		fmt.Fprintf(&b, "The comparison could not finish: %s\n", mdText(cmp.Or(r.Error, "unknown error")))
	}
	var breaking, compatible, docs []report.Finding
	for _, f := range r.Findings {
		switch {
		case f.Severity == report.SeverityError,
			f.Severity == report.SeverityWarning && f.Breaks != "" && f.Breaks != "none":
			breaking = append(breaking, f)
		case f.Category == "documentation":
			docs = append(docs, f)
		default:
			compatible = append(compatible, f)
		}
	}
	verdict := "**No breaking changes.**"
	if len(breaking) > 0 {
		verdict = fmt.Sprintf("**%s.**", plural(int64(len(breaking)), "breaking change", "breaking changes"))
	}
	if len(r.Findings) == 0 {
		verdict = "No changes."
	}
	b.WriteString(verdict + "\n")
	for _, g := range []struct {
		title string
		fs    []report.Finding
	}{{"Breaking", breaking}, {"Compatible", compatible}, {"Documentation only", docs}} {
		if len(g.fs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", g.title, len(g.fs))
		for _, f := range g.fs {
			line := "- "
			if s := subject(f.Schema, f.Column); s != "(report)" {
				line += mdCode(s) + ": "
			}
			line += mdSpans(strings.TrimRight(f.Message, "\n")) + ". " + mdCode(f.Rule)
			if f.Breaks != "" && f.Breaks != "none" {
				line += ", breaks " + mdText(f.Breaks)
			}
			if f.Severity == report.SeverityWarning {
				line += " (warning)"
			}
			b.WriteString(line + "\n")
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write changelog: %w", err)
	}
	return nil
}
