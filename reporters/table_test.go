package reporters

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

func TestTableColor(t *testing.T) {
	for _, in := range inputs {
		r := loadReport(t, in)
		t.Run("the "+in+" report has ANSI colour when it is on", func(t *testing.T) {
			if out := string(render(t, Table{Color: true}, r)); !strings.Contains(out, "\x1b[") {
				t.Errorf("no ANSI codes:\n%s", out)
			}
		})
		t.Run("the "+in+" report has no ANSI codes when colour is off", func(t *testing.T) {
			if out := string(render(t, Table{}, r)); strings.Contains(out, "\x1b") {
				t.Errorf("ANSI codes without colour:\n%q", out)
			}
		})
	}
	t.Run("errors are red and warnings yellow", func(t *testing.T) {
		out := string(render(t, Table{Color: true}, loadReport(t, "report")))
		for _, want := range []string{ansiRed + "error" + ansiReset, ansiYellow + "warning" + ansiReset} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q", want)
			}
		}
	})
}

func TestTableWidth(t *testing.T) {
	r := loadReport(t, "report")
	// Above the narrowest width the minimum message column allows.
	for _, width := range []int{70, 80, 120} {
		out := string(render(t, Table{Width: width}, r))
		for line := range strings.SplitSeq(out, "\n") {
			// The verdict and tally lines are not wrapped; the tables are.
			if strings.ContainsAny(line, "│┌└├") && term.Width(line) > width {
				t.Errorf("width %d: line of %d columns: %s", width, term.Width(line), line)
			}
		}
	}
}

func TestTableExamplesBeyondTheLimitAreCounted(t *testing.T) {
	f := report.Finding{Rule: "R", Severity: report.SeverityError, Schema: "t", Message: "m"}
	for i := range report.MaxExamples + 2 {
		f.Examples = append(f.Examples, report.Example{File: "d.csv", Row: int64(i + 1), Value: "v"})
	}
	out := string(render(t, Table{}, &report.Report{Status: report.StatusFail, Findings: []report.Finding{f}}))
	if !strings.Contains(out, "row 5 (d.csv): v") || strings.Contains(out, "row 6 (d.csv)") || !strings.Contains(out, "... 2 more") {
		t.Errorf("want 5 examples and a count of the rest:\n%s", out)
	}
}
