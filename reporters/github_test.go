package reporters

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		name, in, data, property string
	}{
		{"plain text is unchanged", "orders.amount", "orders.amount", "orders.amount"},
		{"a percent sign is escaped first so escapes are not doubled", "50%", "50%25", "50%25"},
		{"line breaks are escaped", "a\r\nb\nc", "a%0D%0Ab%0Ac", "a%0D%0Ab%0Ac"},
		{"colons and commas are escaped only in properties", "a: b, c", "a: b, c", "a%3A b%2C c"},
		{"an escape-looking sequence survives", "%0A", "%250A", "%250A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeData(tt.in); got != tt.data {
				t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := escapeProperty(tt.in); got != tt.property {
				t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.property)
			}
		})
	}
}

func TestGitHubCommands(t *testing.T) {
	r := &report.Report{
		Status: report.StatusFail,
		Findings: []report.Finding{
			{
				Rule: "VALUE_RANGE", Severity: report.SeverityError, Schema: "orders", Column: "amount, net: eur",
				Message:  "100% of values <0\n::set-output name=x::y",
				Location: &report.Location{File: "contracts/a,b:c.yaml", Line: 14, Column: 9},
			},
			{Rule: "R", Severity: report.SeverityWarning, Schema: "orders", Message: "w", Location: &report.Location{File: "c.yaml"}},
			{Rule: "S", Severity: report.SeverityInfo, Schema: "orders", Message: "i"},
		},
	}
	got := strings.Split(strings.TrimSuffix(string(render(t, GitHub{}, r)), "\n"), "\n")
	want := []string{
		"::warning file=c.yaml,title=R orders::w",
		"::notice title=S orders::i",
		"::error file=contracts/a%2Cb%3Ac.yaml,line=14,col=9,title=VALUE_RANGE orders.amount%2C net%3A eur::100%25 of values <0%0A\\::set-output name=x::y",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\ngot  %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

func TestGitHubStepSummary(t *testing.T) {
	r := loadReport(t, "report")
	var md bytes.Buffer
	if err := (Markdown{}).Report(&md, r); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		existing *string // nil: no file yet
		want     string  // what precedes the summary
	}{
		{"a summary is appended after earlier content", ptr("# Tests\n\nall green\n"), "# Tests\n\nall green\n"},
		{"a line break is added when earlier content lacks one", ptr("last line"), "last line\n"},
		{"a missing summary file is created", nil, ""},
		{"an empty summary file gets just the summary", ptr(""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "step_summary.md")
			if tt.existing != nil {
				if err := os.WriteFile(path, []byte(*tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			if err := (GitHub{StepSummary: path}).Report(&out, r); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.want + md.String(); string(got) != want {
				t.Errorf("summary file:\n%s\nwant:\n%s", got, want)
			}
			if !strings.Contains(out.String(), "\n::warning ") {
				t.Errorf("the commands did not go to the writer: %q", out.String())
			}
		})
	}
	t.Run("two runs append two summaries", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "step_summary.md")
		for range 2 {
			if err := (GitHub{StepSummary: path}).Report(&bytes.Buffer{}, r); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := os.ReadFile(path)
		if string(got) != md.String()+md.String() {
			t.Error("the second run did not append")
		}
	})
	t.Run("an unwritable summary is an error", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing-dir", "step_summary.md")
		if err := (GitHub{StepSummary: path}).Report(&bytes.Buffer{}, r); err == nil {
			t.Error("no error")
		}
	})
	t.Run("without a summary path only commands are written", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		if err := (GitHub{}).Report(&bytes.Buffer{}, r); err != nil {
			t.Fatal(err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("files written: %v", entries)
		}
	})
}

func ptr(s string) *string { return &s }

func TestStepSummaryStaysUnderGitHubsLimit(t *testing.T) {
	r := &report.Report{Command: "check", Status: report.StatusFail, Summary: report.Summary{Errors: 6000}}
	for i := range 6000 {
		r.Findings = append(r.Findings, report.Finding{Rule: "VALUE_RANGE", Severity: report.SeverityError, Schema: "t",
			Column: fmt.Sprintf("c%05d", i), Count: 1, Message: strings.Repeat("a long message ", 20)})
	}
	r = canonical(r)
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := (GitHub{StepSummary: path}).Report(&bytes.Buffer{}, r); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > 1<<20 {
		t.Errorf("summary is %d bytes, over GitHub's 1 MiB", len(got))
	}
	body, note, ok := strings.Cut(string(got), "\n**Summary cut to stay under GitHub's 1 MiB limit:** ")
	if !ok || !strings.HasSuffix(note, " of 6,000 findings shown; the JSON report and the annotations have them all.\n") {
		t.Fatalf("no note of the cut at the end:\n%.300s", note)
	}
	rows := strings.Count(body, "\n| `t.c")
	if shown := strings.Fields(note)[0]; shown != thousands(int64(rows)) {
		t.Errorf("the note says %s shown, the table has %d rows", shown, rows)
	}
	if !strings.HasSuffix(body, "|\n") {
		t.Errorf("the table ends inside a row: %q", body[len(body)-80:])
	}
	small := loadReport(t, "report")
	if got, want := stepSummary(small, maxStepSummary), render(t, Markdown{}, small); !bytes.Equal(got, want) {
		t.Error("a summary under the limit is not the whole Markdown report")
	}
}
