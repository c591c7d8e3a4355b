package reporters

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

func TestTextHeaderAndFooterAgreeWithTheStatus(t *testing.T) {
	contract := &report.ContractRef{ID: "urn:x", Name: "orders", Version: "1.2.0", Path: "c.yaml"}
	tests := []struct {
		name         string
		r            report.Report
		header, foot string
	}{
		{
			"a failing run names the contract and the data",
			report.Report{Status: report.StatusFail, Contract: contract, Inputs: make([]report.Input, 3),
				Summary: report.Summary{Rows: 1204, Errors: 4, Warnings: 2, Checks: 10, Passed: 6, Failed: 4}},
			"FAIL  orders 1.2.0 (c.yaml) · 3 files, 1,204 rows",
			"4 errors, 2 warnings · 10 checks: 6 passed, 4 failed",
		},
		{
			"a pass with warnings says so, not FAIL",
			report.Report{Status: report.StatusPass, Contract: contract, Inputs: []report.Input{{Path: "d.csv"}},
				Summary: report.Summary{Rows: 1, Warnings: 3, Checks: 5, Passed: 2, Failed: 3}},
			"PASS with 3 warnings  orders 1.2.0 (c.yaml) · d.csv, 1 row",
			"3 warnings · 5 checks: 2 passed, 3 failed",
		},
		{
			"rules not executed and skipped checks are never counted as failed",
			report.Report{Status: report.StatusPass, Contract: &report.ContractRef{ID: "urn:x", Version: "1"}, Inputs: []report.Input{{Path: "d.csv"}},
				Summary: report.Summary{Rows: 1, Infos: 2, Checks: 40, Passed: 37, NotExecuted: 1, Skipped: 2}},
			"PASS with 2 info  urn:x 1 · d.csv, 1 row",
			"2 info · 40 checks: 37 passed, 0 failed, 1 not executed, 2 skipped",
		},
		{
			"a diff counts changes, not checks",
			report.Report{Command: "diff", Status: report.StatusFail, Contract: contract,
				Findings: make([]report.Finding, 2), Summary: report.Summary{Errors: 1, Warnings: 1, Checks: 30, Failed: 2}},
			"FAIL  orders 1.2.0 (c.yaml)",
			"2 changes: 1 error, 1 warning",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.r.Findings {
				tt.r.Findings[i] = report.Finding{Rule: "R", Severity: report.SeverityError, Message: "m"}
				if i == 1 {
					tt.r.Findings[i].Severity = report.SeverityWarning
				}
			}
			lines := strings.Split(strings.TrimRight(string(render(t, Text{}, &tt.r)), "\n"), "\n")
			if lines[0] != tt.header {
				t.Errorf("header = %q, want %q", lines[0], tt.header)
			}
			if got := lines[len(lines)-1]; got != tt.foot {
				t.Errorf("footer = %q, want %q", got, tt.foot)
			}
		})
	}
}

func TestTextErrorsComeFirst(t *testing.T) {
	out := string(render(t, Text{}, loadReport(t, "report")))
	lastError, firstWarning, lastWarning, firstInfo := -1, -1, -1, -1
	for i, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, ": info: "):
			if firstInfo < 0 {
				firstInfo = i
			}
		case strings.Contains(l, ": warning: ") || strings.HasPrefix(l, "warning: "):
			if firstWarning < 0 {
				firstWarning = i
			}
			lastWarning = i
		case strings.HasPrefix(l, "contracts/"):
			lastError = i
		}
	}
	if lastError < 0 || firstWarning < lastError || firstInfo < lastWarning {
		t.Errorf("want errors, then warnings, then info:\n%s", out)
	}
}

func TestTextMultiProblemErrorsArePlainLines(t *testing.T) {
	r := &report.Report{Status: report.StatusError, Contract: &report.ContractRef{Name: "orders", Version: "2", Path: "c.yaml"},
		Error: "c.yaml:3:5: schema[0].name: required\nc.yaml:9:11: logicalType: \"strin\" is not one of string, date\n::error::injected"}
	got := string(render(t, Text{}, r))
	want := "ERROR  orders 2 (c.yaml)\nc.yaml:3:5: schema[0].name: required\nc.yaml:9:11: logicalType: \"strin\" is not one of string, date\n\\::error::injected\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTextFitsTheWidth(t *testing.T) {
	r := loadReport(t, "report")
	for _, width := range []int{40, 80, 120} {
		out := string(render(t, Text{Width: width}, r))
		for l := range strings.SplitSeq(strings.TrimRight(out, "\n"), "\n") {
			if term.Width(l) > width {
				t.Errorf("width %d: line of %d columns: %s", width, term.Width(l), l)
			}
		}
	}
}

func TestHostileDataCannotDriveTheTerminal(t *testing.T) {
	r := &report.Report{
		Status:   report.StatusFail,
		Contract: &report.ContractRef{Name: "o\x1b[2J\n::error::x", Path: "c.yaml"},
		Findings: []report.Finding{{
			Rule: "ENUM", Severity: report.SeverityError, Schema: "t", Column: "c\x1b[2J",
			Message:  "bad \x1b]0;pwned\x07 value \u202e\n::error::in a message",
			Examples: []report.Example{{File: "d\n::error::f.csv", Row: 1, Value: "\x1b[31mred\n::error::x"}},
		}},
	}
	for _, rep := range []Reporter{Text{}, Table{}} {
		out := string(render(t, rep, r))
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%T: control characters reached the output:\n%q", rep, out)
		}
		for l := range strings.SplitSeq(out, "\n") {
			if strings.HasPrefix(strings.Trim(l, " │"), "::") {
				t.Errorf("%T: a line starts a workflow command: %q", rep, l)
			}
		}
		if !strings.Contains(out, `"\x1b[31mred\n::error::x"`) {
			t.Errorf("%T: the hostile value is not shown quoted:\n%s", rep, out)
		}
	}
}

func TestTextColour(t *testing.T) {
	out := string(render(t, Text{Color: true, Width: 120}, loadReport(t, "report")))
	for _, want := range []string{ansiBold + ansiRed + "FAIL" + ansiReset, ansiYellow + "warning:" + ansiReset, ansiBold + "contracts/orders.odcs.yaml:14:9:" + ansiReset, ansiDim + "[VALUE_RANGE]" + ansiReset} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if out := string(render(t, Text{}, loadReport(t, "report"))); strings.Contains(out, "\x1b") {
		t.Error("ANSI codes without colour")
	}
}

func TestTextExamplesBeyondTheLimitAreCounted(t *testing.T) {
	f := report.Finding{Rule: "R", Severity: report.SeverityError, Schema: "t", Message: "m"}
	for i := range report.MaxExamples + 2 {
		f.Examples = append(f.Examples, report.Example{File: "d.csv", Row: int64(i + 1), Value: "v"})
	}
	out := string(render(t, Text{}, &report.Report{Status: report.StatusFail, Inputs: []report.Input{{Path: "d.csv"}}, Findings: []report.Finding{f}}))
	if !strings.Contains(out, "    row 5: v\n") || strings.Contains(out, "row 6") || !strings.Contains(out, "... 2 more") {
		t.Errorf("want 5 examples and a count of the rest:\n%s", out)
	}
}

func TestLongValuesAreCutInEveryFormat(t *testing.T) {
	long := strings.Repeat("é", 1<<19) // 1 MiB of two-byte runes
	r := &report.Report{Status: report.StatusFail, Inputs: []report.Input{{Path: "d.csv"}}, Findings: []report.Finding{{
		Rule: "R", Severity: report.SeverityError, Schema: "t", Column: "c", Count: 1,
		Message:  "1 value too long (first at row 1: " + long + ")",
		Examples: []report.Example{{File: "d.csv", Row: 1, Value: long}},
	}}}
	if err := r.Finalize("error"); err != nil {
		t.Fatal(err)
	}
	for _, name := range Names() {
		rep, _ := New(name, Options{})
		out := render(t, rep, r)
		if len(out) > 20_000 {
			t.Errorf("%s: %d bytes for one finding with a 1 MiB value", name, len(out))
		}
		if !strings.Contains(string(out), "1,048,376 more bytes") && name != "json" {
			t.Errorf("%s: no note of the bytes left out", name)
		}
	}
	if e := r.Findings[0].Examples[0]; len(e.Value) > report.MaxValueBytes || e.ValueBytes != len(long) {
		t.Errorf("example keeps %d bytes, valueBytes %d", len(e.Value), e.ValueBytes)
	}
}

func TestTextNotesWhatStatisticsProved(t *testing.T) {
	r := report.Report{Status: report.StatusPass, Contract: &report.ContractRef{ID: "urn:x", Version: "1"},
		Inputs: []report.Input{
			{Path: "data/a.parquet", Rows: 10, ProvenByStatistics: []string{"qty"},
				ProvenRowGroups: []report.ProvenRowGroups{{Column: "amount", Proven: 4, RowGroups: 6}}},
			{Path: "data/b.parquet", Rows: 5},
		},
		Summary: report.Summary{Rows: 15, Checks: 3, Passed: 3}}
	out := string(render(t, Text{}, &r))
	want := "\n  a.parquet: statistics proved, not decoded: qty, amount in 4 of 6 row groups\n"
	if !strings.Contains(out, want) {
		t.Errorf("text report:\n%s\nwant the line %q", out, want)
	}
	if strings.Contains(out, "b.parquet: statistics") {
		t.Errorf("an input read in full has a proof line:\n%s", out)
	}
}
