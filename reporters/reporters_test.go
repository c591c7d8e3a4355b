package reporters

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// inputs are the shared input reports: a failing run with every kind of
// finding, a run that could not finish, a clean pass, a project run and a
// check of objects in stores (one behind a presigned URL).
var inputs = []string{"report", "error", "pass", "run", "remote"}

// goldenExt gives golden files an extension an editor understands.
var goldenExt = map[string]string{
	"github":   "txt",
	"html":     "html",
	"json":     "json",
	"junit":    "xml",
	"markdown": "md",
	"table":    "txt",
	"text":     "txt",
}

func loadReport(t *testing.T, name string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "in-"+name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// A typo in the hand-written input must not silently drop a field.
	dec.DisallowUnknownFields()
	var r report.Report
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return &r
}

func render(t *testing.T, rep Reporter, r *report.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := rep.Report(&b, r); err != nil {
		t.Fatalf("Report: %v", err)
	}
	return b.Bytes()
}

// checkGolden compares got with testdata/golden/name, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reporters -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reporters -update rewrites it):\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + wl + "\ngot:  " + gl
		}
	}
	return "(same lines, different bytes)"
}

func TestGolden(t *testing.T) {
	for _, in := range inputs {
		for _, name := range Names() {
			t.Run("the "+name+" format renders the "+in+" report like its golden file", func(t *testing.T) {
				rep, err := New(name, Options{})
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, in+"-"+name+"."+goldenExt[name], render(t, rep, loadReport(t, in)))
			})
		}
	}
	// Variants of text that depend on the options.
	variants := []struct {
		name   string
		format string
		golden string
		opts   Options
	}{
		{"text with colour", "text", "report-text-color.txt", Options{Color: true, Width: 120}},
		{"text wrapped to 80 columns", "text", "report-text-width80.txt", Options{Width: 80}},
		{"text wrapped to 120 columns", "text", "report-text-width120.txt", Options{Width: 120}},
		{"text on a 40-column terminal", "text", "report-text-width40.txt", Options{Width: 40}},
		{"table with colour", "table", "report-table-color.txt", Options{Color: true}},
		{"table wrapped to 80 columns", "table", "report-table-width80.txt", Options{Width: 80}},
		{"table on a terminal too narrow for the table", "table", "report-table-width40.txt", Options{Width: 40}},
		{"text of objects wrapped to 80 columns", "text", "remote-text-width80.txt", Options{Width: 80}},
	}
	for _, v := range variants {
		t.Run(v.name+" renders like its golden file", func(t *testing.T) {
			rep, err := New(v.format, v.opts)
			if err != nil {
				t.Fatal(err)
			}
			in, _, _ := strings.Cut(v.golden, "-")
			checkGolden(t, v.golden, render(t, rep, loadReport(t, in)))
		})
	}
}

// TestObjectAuditShowsNoCredentials renders the check of two objects, one
// behind a presigned URL with a user and password, in every format: the
// store's identity of each object shows (ETag, version, checksum, bytes
// fetched), the signature, key and password never do.
func TestObjectAuditShowsNoCredentials(t *testing.T) {
	r := loadReport(t, "remote")
	for _, name := range Names() {
		t.Run("the "+name+" format", func(t *testing.T) {
			rep, err := New(name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := string(render(t, rep, r))
			for _, secret := range []string{"hunter2", "reader:", "AKIAEXAMPLEKEY", "5ec2e7s1gnature"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s output shows %q", name, secret)
				}
			}
			if name == "github" || name == "table" {
				return // annotations and the boxed table carry findings only
			}
			for _, want := range []string{"9b2cf535f27731c974343645a3985328", "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY", "8Jm1yA==", "2026-11-24T03:12:09Z", "versionId=7"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s output does not show %q", name, want)
				}
			}
		})
	}
	if in := r.Inputs[1].Path; !strings.Contains(in, "hunter2") {
		t.Errorf("rendering changed the caller's report: %s", in)
	}
}

func TestCredentialFree(t *testing.T) {
	tests := []struct{ in, want string }{
		{"s3://bucket/key?with=question", "s3://bucket/key?with=question"},
		{"abfss://container@account.dfs.core.windows.net/a.parquet", "abfss://container@account.dfs.core.windows.net/a.parquet"},
		{"data/orders.csv", "data/orders.csv"},
		{"https://example.com/a.csv", "https://example.com/a.csv"},
		{"https://u:p@example.com/a.csv", "https://example.com/a.csv"},
		{"https://acct.blob.core.windows.net/c/a.csv?sv=2024&sig=abc%2Bdef&se=2026", "https://acct.blob.core.windows.net/c/a.csv?REDACTED"},
		{"https://storage.googleapis.com/b/o?X-Goog-Signature=f00&generation=17", "https://storage.googleapis.com/b/o?REDACTED&generation=17"},
		{"HTTP://u@example.com/a.csv?token=t", "http://example.com/a.csv?REDACTED"},
		{"https://%zz/a.csv?sig=abc", "https://%zz/a.csv"},
		{"https://example.com/a.csv?versionId=3", "https://example.com/a.csv?versionId=3"},
	}
	for _, tt := range tests {
		if got := report.CredentialFree(tt.in); got != tt.want {
			t.Errorf("report.CredentialFree(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The hand-written inputs must be what report.Finalize would produce, or
// the goldens would bless output for a report the CLI can never make.
func TestInputsAreFinalized(t *testing.T) {
	for _, in := range inputs {
		t.Run("in-"+in+".json is already finalized", func(t *testing.T) {
			r := loadReport(t, in)
			again := loadReport(t, in)
			if err := again.Finalize(r.FailOn); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r, again) {
				t.Errorf("Finalize changes the input:\nbefore: %+v\nafter:  %+v", r, again)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Run("an unknown format is an error listing the known ones", func(t *testing.T) {
		_, err := New("xml", Options{})
		want := `unknown format "xml": want one of github, html, json, junit, markdown, table, text`
		if err == nil || err.Error() != want {
			t.Errorf("New(xml) error = %v, want %q", err, want)
		}
	})
	t.Run("every listed name makes a reporter", func(t *testing.T) {
		for _, name := range Names() {
			if rep, err := New(name, Options{}); err != nil || rep == nil {
				t.Errorf("New(%q) = %v, %v", name, rep, err)
			}
		}
	})
	t.Run("names are sorted and unique", func(t *testing.T) {
		names := Names()
		if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
			t.Errorf("Names() = %v", names)
		}
		if want := []string{"github", "html", "json", "junit", "markdown", "table", "text"}; !slices.Equal(names, want) {
			t.Errorf("Names() = %v, want %v", names, want)
		}
	})
	t.Run("options reach the reporters", func(t *testing.T) {
		rep, _ := New("text", Options{Color: true, Width: 80})
		if rep != (Text{Color: true, Width: 80}) {
			t.Errorf("text = %#v", rep)
		}
		rep, _ = New("github", Options{StepSummary: "/tmp/summary.md"})
		if rep != (GitHub{StepSummary: "/tmp/summary.md"}) {
			t.Errorf("github = %#v", rep)
		}
	})
}

// shuffled reverses the order of everything a reporter must sort.
func shuffled(r *report.Report) *report.Report {
	c := *r
	c.Checks = slices.Clone(r.Checks)
	c.Findings = slices.Clone(r.Findings)
	slices.Reverse(c.Checks)
	slices.Reverse(c.Findings)
	return &c
}

func TestDeterministic(t *testing.T) {
	for _, name := range Names() {
		t.Run(name+" output does not depend on the order findings and checks arrive in", func(t *testing.T) {
			rep, _ := New(name, Options{Color: true, Width: 100})
			r := loadReport(t, "report")
			a := render(t, rep, r)
			b := render(t, rep, shuffled(r))
			if !bytes.Equal(a, b) {
				t.Errorf("output changed with input order:\n%s", firstDiff(string(a), string(b)))
			}
		})
		t.Run(name+" does not modify the report it renders", func(t *testing.T) {
			rep, _ := New(name, Options{Color: true, Width: 100})
			// Two independent loads, so a change through a shared slice
			// would show.
			r, want := shuffled(loadReport(t, "report")), shuffled(loadReport(t, "report"))
			r.Checks, want.Checks = nil, nil
			r.Findings[0].Examples, want.Findings[0].Examples = nil, nil
			render(t, rep, r)
			if !reflect.DeepEqual(r, want) {
				t.Error("the report changed while it was rendered")
			}
		})
	}
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteErrorsAreReturned(t *testing.T) {
	for _, name := range Names() {
		t.Run(name+" returns the writer's error", func(t *testing.T) {
			rep, _ := New(name, Options{})
			if err := rep.Report(failingWriter{}, loadReport(t, "report")); err == nil {
				t.Error("Report succeeded on a failing writer")
			}
		})
	}
}

func TestEmptyReportRenders(t *testing.T) {
	for _, name := range Names() {
		t.Run(name+" renders a zero report without failing", func(t *testing.T) {
			rep, _ := New(name, Options{Color: true, Width: 1})
			if out := render(t, rep, &report.Report{}); name != "github" && len(out) == 0 {
				t.Error("no output")
			}
		})
	}
}
