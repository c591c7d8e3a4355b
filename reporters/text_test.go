package reporters

import (
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/driftgate/driftgate/checker/report"
)

func TestTextColor(t *testing.T) {
	for _, in := range inputs {
		r := loadReport(t, in)
		t.Run("the "+in+" report has ANSI colour when it is on", func(t *testing.T) {
			if out := string(render(t, Text{Color: true}, r)); !strings.Contains(out, "\x1b[") {
				t.Errorf("no ANSI codes:\n%s", out)
			}
		})
		t.Run("the "+in+" report has no ANSI codes when colour is off", func(t *testing.T) {
			if out := string(render(t, Text{}, r)); strings.Contains(out, "\x1b") {
				t.Errorf("ANSI codes without colour:\n%q", out)
			}
		})
	}
	t.Run("errors are red and warnings yellow", func(t *testing.T) {
		out := string(render(t, Text{Color: true}, loadReport(t, "report")))
		for _, want := range []string{ansiRed + "error" + ansiReset, ansiYellow + "warning" + ansiReset} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q", want)
			}
		}
	})
}

func TestTextHostileDataCannotDriveTheTerminal(t *testing.T) {
	r := &report.Report{
		Status: report.StatusFail,
		Error:  "",
		Findings: []report.Finding{{
			Rule: "ENUM", Severity: report.SeverityError, Schema: "t", Column: "c\x1b[2J",
			Message:  "bad \x1b]0;pwned\x07 value \u202e",
			Examples: []report.Example{{File: "d.csv", Row: 1, Value: "\x1b[31mred\n::error::x"}},
		}},
	}
	out := string(render(t, Text{}, r))
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("control characters reached the output:\n%q", out)
	}
	if !strings.Contains(out, `"\x1b[31mred\n::error::x"`) {
		t.Errorf("the hostile value is not shown quoted:\n%s", out)
	}
}

func TestTextWidth(t *testing.T) {
	r := loadReport(t, "report")
	// Above the narrowest width the minimum message column allows.
	for _, width := range []int{70, 80, 120} {
		out := string(render(t, Text{Width: width}, r))
		for line := range strings.SplitSeq(out, "\n") {
			// The verdict and tally lines are not wrapped; the tables are.
			if strings.ContainsAny(line, "│┌└├") && twwidth.Width(line) > width {
				t.Errorf("width %d: line of %d columns: %s", width, twwidth.Width(line), line)
			}
		}
	}
}

func TestWrapLine(t *testing.T) {
	tests := []struct {
		name  string
		line  textLine
		width int
		want  []string
	}{
		{"a short line is unchanged", textLine{text: "a b c"}, 10, []string{"a b c"}},
		{"a line breaks at spaces", textLine{text: "aaa bbb ccc"}, 7, []string{"aaa bbb", "ccc"}},
		{"continuation lines get the hanging indent", textLine{indent: "  ", hang: "    ", text: "row 1 (f.csv): value"}, 16, []string{"  row 1 (f.csv):", "    value"}},
		{"a word wider than the line is cut, keeping every character", textLine{text: "abcdefghij"}, 4, []string{"abcd", "efgh", "ij"}},
		{"a hang as wide as the line still makes progress", textLine{indent: "", hang: "    ", text: "ab cd"}, 3, []string{"ab", "    c", "    d"}},
		{"double spaces are kept", textLine{text: "a  b"}, 10, []string{"a  b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapLine(tt.line, tt.width)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrapLine = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextVerdict(t *testing.T) {
	tests := []struct {
		name string
		r    report.Report
		want string
	}{
		{
			"a failing run names the contract, data and tally",
			report.Report{Status: report.StatusFail, Contract: &report.ContractRef{ID: "urn:x", Name: "orders", Version: "1.2.0", Path: "c.yaml"},
				Inputs: make([]report.Input, 3), Summary: report.Summary{Rows: 1204, Errors: 4, Warnings: 2}},
			"FAIL  orders 1.2.0 (c.yaml), 3 files, 1,204 rows: 4 errors, 2 warnings",
		},
		{
			"a contract without a name is named by its id",
			report.Report{Status: report.StatusPass, Contract: &report.ContractRef{ID: "urn:x", Version: "1"},
				Inputs: make([]report.Input, 1), Summary: report.Summary{Rows: 1, Infos: 1}},
			"PASS  urn:x 1, 1 file, 1 row: 1 info",
		},
		{
			"a run without a contract states the data",
			report.Report{Status: report.StatusPass},
			"PASS  0 files, 0 rows: no findings",
		},
		{
			"an error names the reason on one line",
			report.Report{Status: report.StatusError, Error: "read csv \"a.csv\":\nline 3: bare quote"},
			`ERROR read csv "a.csv":\nline 3: bare quote`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Text{}).verdict(canonical(&tt.r)); got != tt.want {
				t.Errorf("verdict = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextExamplesBeyondTheLimitAreCounted(t *testing.T) {
	f := report.Finding{Rule: "R", Severity: report.SeverityError, Schema: "t", Message: "m"}
	for i := range report.MaxExamples + 2 {
		f.Examples = append(f.Examples, report.Example{File: "d.csv", Row: int64(i + 1), Value: "v"})
	}
	out := string(render(t, Text{}, &report.Report{Status: report.StatusFail, Findings: []report.Finding{f}}))
	if !strings.Contains(out, "row 5 (d.csv): v") || strings.Contains(out, "row 6 (d.csv)") || !strings.Contains(out, "... 2 more") {
		t.Errorf("want 5 examples and a count of the rest:\n%s", out)
	}
}

// FuzzWrapLine checks that wrapping ends and never loses a character.
func FuzzWrapLine(f *testing.F) {
	f.Add("row 18 (data/orders-2024-01.csv): -4.5", 10, "  ", "    ")
	f.Add("aaaaaaaaaaaaaaaaaaaa b", 1, "", "      ")
	f.Add("日本語のテキスト と  spaces", 5, " ", "  ")
	f.Fuzz(func(t *testing.T, text string, width int, indent, hang string) {
		if strings.ContainsAny(text+indent+hang, "\n\r") || width > 1000 || len(text) > 1000 {
			t.Skip()
		}
		indent, hang = strings.Repeat(" ", len(indent)%8), strings.Repeat(" ", len(hang)%8)
		lines := wrapLine(textLine{indent: indent, hang: hang, text: text}, width)
		strip := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if got, want := strip(strings.Join(lines, "")), strip(text); got != want {
			t.Errorf("wrapLine(%q, %d) = %q: lost characters", text, width, lines)
		}
	})
}
