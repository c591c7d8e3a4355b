package reporters

import (
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"HTML in text is shown, not rendered", mdText("<b>&</b>"), "&lt;b&gt;&amp;&lt;/b&gt;"},
		{"Markdown in text is shown, not rendered", mdText("*a* _b_ [c](d) `e` ~f~ \\"), `\*a\* \_b\_ \[c\](d) \` + "`" + `e\` + "`" + ` \~f\~ \\`},
		{"a line break in text becomes <br>", mdText("a\nb"), "a<br>b"},
		{"a code span is fenced longer than its backticks", mdCode("a``b"), "```a``b```"},
		{"a code span starting with a backtick is padded", mdCode("`a"), "`` `a ``"},
		{"an empty code span is nothing", mdCode(""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestMarkdownTableCellsEscapePipes(t *testing.T) {
	r := &report.Report{
		Status: report.StatusFail,
		Findings: []report.Finding{{
			Rule: "ENUM", Severity: report.SeverityError, Schema: "t", Column: "a|b",
			Message:  "not in a|b\nsecond line",
			Examples: []report.Example{{File: "x|y.csv", Row: 2, Value: "p|q"}},
		}},
	}
	out := string(render(t, Markdown{}, r))
	var row string
	for line := range strings.SplitSeq(out, "\n") {
		if strings.Contains(line, "ENUM") {
			row = line
		}
	}
	if row == "" {
		t.Fatalf("no findings row:\n%s", out)
	}
	// Count the cell separators: an unescaped | in a cell would add one.
	unescaped := strings.Count(row, "|") - strings.Count(row, `\|`)
	if unescaped != 6 {
		t.Errorf("row has %d unescaped pipes, want 6 (5 cells):\n%s", unescaped, row)
	}
	for _, want := range []string{"`t.a\\|b`", "not in a\\|b<br>second line", "`x\\|y.csv`", "`p\\|q`", "<details><summary>1 example</summary>"} {
		if !strings.Contains(row, want) {
			t.Errorf("row lacks %s:\n%s", want, row)
		}
	}
}
