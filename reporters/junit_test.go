package reporters

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

// The shape a CI system reads back, declared independently of the writer's
// types so a mistake in those cannot hide here.
type parsedSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
			SystemOut *string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnitGolden(t *testing.T, name string) parsedSuites {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	var doc parsedSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	return doc
}

func TestJUnitGoldenParsesWithMatchingCounts(t *testing.T) {
	for _, in := range inputs {
		t.Run("the "+in+" JUnit file parses and its counts match the checks", func(t *testing.T) {
			r := loadReport(t, in)
			doc := parseJUnitGolden(t, in+"-junit.xml")

			// What the counts must be, from the report.
			failingSeverity := map[checkKey]bool{}
			for _, f := range r.Findings {
				if f.Severity == report.SeverityError || f.Severity == report.SeverityWarning {
					failingSeverity[checkKey{f.Schema, f.Column, f.Rule}] = true
				}
			}
			wantTests, wantFailures, wantErrors := len(r.Checks), 0, 0
			for _, c := range r.Checks {
				if failingSeverity[checkKey{c.Schema, c.Column, c.Rule}] {
					wantFailures++
				}
			}
			if r.Status == report.StatusError {
				wantTests++
				wantErrors++
			}
			if doc.Tests != wantTests || doc.Failures != wantFailures || doc.Errors != wantErrors {
				t.Errorf("testsuites tests=%d failures=%d errors=%d, want %d %d %d",
					doc.Tests, doc.Failures, doc.Errors, wantTests, wantFailures, wantErrors)
			}

			// The attributes must agree with the elements, suite by suite.
			var tests, failures, errs int
			for _, s := range doc.Suites {
				var f, e int
				for _, c := range s.Cases {
					if c.Failure != nil {
						f++
						if c.Failure.Type != c.Name || c.Failure.Message == "" || c.Failure.Text == "" {
							t.Errorf("%s %s: failure type=%q message=%q text=%q", c.Classname, c.Name, c.Failure.Type, c.Failure.Message, c.Failure.Text)
						}
					}
					if c.Error != nil {
						e++
					}
				}
				if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e {
					t.Errorf("suite %s says tests=%d failures=%d errors=%d, has %d %d %d", s.Name, s.Tests, s.Failures, s.Errors, len(s.Cases), f, e)
				}
				tests, failures, errs = tests+len(s.Cases), failures+f, errs+e
			}
			if tests != doc.Tests || failures != doc.Failures || errs != doc.Errors {
				t.Errorf("testsuites totals %d %d %d, suites add up to %d %d %d", doc.Tests, doc.Failures, doc.Errors, tests, failures, errs)
			}
		})
	}
}

func TestJUnitCases(t *testing.T) {
	doc := parseJUnitGolden(t, "report-junit.xml")
	type want struct {
		failure, systemOut bool
	}
	cases := map[string]want{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[c.Classname+" "+c.Name] = want{c.Failure != nil, c.SystemOut != nil}
		}
	}
	tests := []struct {
		name string
		key  string
		want want
	}{
		{"a schema-level check is classed under the schema", "orders SCHEMA_COLUMNS", want{failure: true}},
		{"a passing check is a passing test case", "orders.amount NOT_NULL", want{}},
		{"an error finding fails its check", "orders.amount VALUE_RANGE", want{failure: true}},
		{"a warning finding fails its check", "orders.status CATEGORY_DRIFT", want{failure: true}},
		{"an info-only check passes and shows the finding in system-out", "orders.discount_pct VALUE_RANGE", want{systemOut: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cases[tt.key]
			if !ok {
				t.Fatalf("no test case %q", tt.key)
			}
			if got != tt.want {
				t.Errorf("%s: failure=%v system-out=%v, want %v %v", tt.key, got.failure, got.systemOut, tt.want.failure, tt.want.systemOut)
			}
		})
	}
}

func TestJUnitFindingWithoutCheckIsKept(t *testing.T) {
	r := &report.Report{
		Status: report.StatusFail,
		Checks: []report.Check{{Rule: "UNIQUE", Schema: "orders", Column: "id", Passed: true}},
		Findings: []report.Finding{{
			Rule: "NOT_NULL", Severity: report.SeverityError, Schema: "orders", Column: "id",
			Message: "column \"id\": 2 nulls\x1b[2J", Count: 2,
		}},
	}
	var doc parsedSuites
	if err := xml.Unmarshal(render(t, JUnit{}, r), &doc); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if doc.Tests != 2 || doc.Failures != 1 {
		t.Errorf("tests=%d failures=%d, want 2 and 1", doc.Tests, doc.Failures)
	}
}

func TestJUnitTimeAndSkipped(t *testing.T) {
	r := loadReport(t, "report")
	r.ElapsedSeconds = 2.5
	out := string(render(t, JUnit{}, r))
	for _, want := range []string{
		`<testsuites name="driftgate" tests="15" failures="6" errors="0" skipped="1" time="2.500">`,
		`<testsuite name="orders 1.2.0" tests="15" failures="6" errors="0" skipped="1" time="2.500">`,
		`<testcase classname="orders" name="QUALITY_NOT_EXECUTED" file="contracts/orders.odcs.yaml" line="52" time="0.000">` + "\n      <skipped message=",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("junit lacks %s:\n%s", want, out)
		}
	}
}
