package reporters

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/reporters/term"
)

// JUnit renders the report as JUnit XML for CI test reporters (Jenkins,
// GitLab, GitHub test-report actions):
//
//	<testsuites name="driftgate" tests="14" failures="6" errors="0" skipped="1" time="1.250">
//	  <testsuite name="orders 1.2.0" tests="14" failures="6" errors="0" skipped="1" time="1.250">
//	    <testcase classname="orders.amount" name="VALUE_RANGE" file="contracts/orders.odcs.yaml" line="14">
//	      <failure message="column &#34;amount&#34;: 312 values below minimum 0 ..." type="VALUE_RANGE">...</failure>
//
// There is one test suite per schema object and one test case per check, so
// passing checks show up as passing tests. A check fails when it has an
// error or warning finding; a check with only info findings passes and
// carries them in <system-out>. A rule driftgate does not execute, or a
// check that was skipped, is a <skipped> test case with the reason, never a
// pass. A finding without a matching check still gets a test case, so
// nothing is lost. A report with status error adds one errored test case.
// Suites are named by the contract's name and version. Every suite and
// test case has a time attribute: the run's duration on the suites when the
// CLI measured it (all checks share one pass over the data, so a test case's
// own time is 0); no timestamp is written, so the output is deterministic.
type JUnit struct{}

type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitCounts are the attributes <testsuites> and <testsuite> share.
type junitCounts struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

func (c *junitCounts) add(o junitCounts) {
	c.Tests += o.Tests
	c.Failures += o.Failures
	c.Errors += o.Errors
	c.Skipped += o.Skipped
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	// File and Line are not in the original Ant schema, but GitLab and the
	// GitHub JUnit actions use them to point at the contract line; Jenkins
	// ignores them.
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Failure   *junitResult  `xml:"failure,omitempty"`
	Error     *junitResult  `xml:"error,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// The multi-line texts are CDATA so they stay readable in the file;
// encoding/xml would write every line break in character data as &#xA;.
// They are sanitized first, since CDATA cannot carry control characters.

type junitResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// Report implements Reporter.
func (JUnit) Report(w io.Writer, r *report.Report) error {
	doc := junitDocument(canonical(r))
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode junit report: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.Write(out)
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

// checkKey identifies a check and the findings it owns.
type checkKey struct{ schema, column, rule string }

func compareCheckKeys(a, b checkKey) int {
	if c := strings.Compare(a.schema, b.schema); c != 0 {
		return c
	}
	if c := strings.Compare(a.column, b.column); c != 0 {
		return c
	}
	return strings.Compare(a.rule, b.rule)
}

func junitDocument(r *report.Report) junitSuites {
	findings := map[checkKey][]report.Finding{}
	var keys []checkKey
	seen := map[checkKey]bool{}
	add := func(k checkKey) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	notRun := map[checkKey]bool{}
	for _, c := range r.Checks {
		k := checkKey{c.Schema, c.Column, c.Rule}
		add(k)
		if !c.Ran() {
			notRun[k] = true
		}
	}
	for _, f := range r.Findings {
		k := checkKey{f.Schema, f.Column, f.Rule}
		findings[k] = append(findings[k], f)
		add(k)
	}
	// The order comes from this sorted slice, never from the maps.
	slices.SortFunc(keys, compareCheckKeys)

	doc := junitSuites{Name: "driftgate"}
	// Each suite is one schema object of the contract, named by the
	// contract's name and version so a CI page of several contracts reads
	// by name: "orders 1.2.0: orders".
	// ("orders 1.2.0" when the schema object has the contract's name).
	contract, name := "", ""
	if c := r.Contract; c != nil && r.Command != "diff" {
		name = cmp.Or(c.Name, c.ID)
		contract = strings.TrimSpace(name + " " + c.Version)
	}
	suiteName := func(schema string) string {
		switch {
		case contract == "":
			return cmp.Or(schema, "(no schema)")
		case schema == "" || schema == name:
			return contract
		}
		return contract + ": " + schema
	}
	if r.Status == report.StatusError {
		name := cmp.Or(contract, "driftgate")
		if r.Contract != nil && r.Contract.Schema != "" {
			name = suiteName(r.Contract.Schema)
		}
		msg := r.Error
		if msg == "" {
			msg = "the run could not finish"
		}
		doc.Suites = append(doc.Suites, junitSuite{
			Name:       name,
			Properties: junitProperties(r),
			Cases: []junitCase{{
				Classname: name,
				Name:      cmp.Or(r.Command, "run"),
				Time:      "0.000",
				Error:     &junitResult{Message: term.Line(firstLine(msg)), Type: "error", Text: term.Clean(msg)},
			}},
		})
	}
	for _, k := range keys {
		c := junitTestCase(k, findings[k], notRun[k])
		n := len(doc.Suites)
		if n == 0 || doc.Suites[n-1].Name != suiteName(k.schema) {
			doc.Suites = append(doc.Suites, junitSuite{Name: suiteName(k.schema), Properties: junitProperties(r)})
			n++
		}
		doc.Suites[n-1].Cases = append(doc.Suites[n-1].Cases, c)
	}
	// Count what was written rather than trusting the summary, so the
	// attributes always agree with the elements.
	elapsed := strconv.FormatFloat(max(r.ElapsedSeconds, 0), 'f', 3, 64)
	doc.Time = elapsed
	for i := range doc.Suites {
		s := &doc.Suites[i]
		s.Tests = len(s.Cases)
		s.Time = elapsed
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		doc.add(s.junitCounts)
	}
	return doc
}

// junitTestCase is the test case of one check with its findings; notRun
// marks a check that was not executed or skipped.
func junitTestCase(k checkKey, fs []report.Finding, notRun bool) junitCase {
	c := junitCase{Classname: subject(k.schema, k.column), Name: k.rule, Time: "0.000"}
	if notRun {
		why := "not executed"
		if len(fs) > 0 {
			why = term.Line(firstLine(fs[0].Message))
			if loc := fs[0].Location; loc != nil {
				c.File, c.Line = loc.File, loc.Line
			}
			c.SystemOut = &junitText{junitDetails(fs)}
		}
		c.Skipped = &junitSkipped{Message: why}
		return c
	}
	var failing, info []report.Finding
	for _, f := range fs {
		if f.Severity.Rank() >= report.SeverityWarning.Rank() {
			failing = append(failing, f)
		} else {
			info = append(info, f)
		}
	}
	if len(failing) == 0 {
		if len(info) > 0 {
			c.SystemOut = &junitText{junitDetails(info)}
		}
		return c
	}
	slices.SortStableFunc(failing, func(a, b report.Finding) int {
		return b.Severity.Rank() - a.Severity.Rank()
	})
	first := failing[0]
	msg := term.Line(firstLine(first.Message))
	if len(failing) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(failing)-1)
	}
	// Info findings of a failing check go in the failure text too: it is
	// where the reader is looking.
	c.Failure = &junitResult{Message: msg, Type: k.rule, Text: junitDetails(append(failing, info...))}
	if loc := first.Location; loc != nil {
		c.File, c.Line = loc.File, loc.Line
	}
	return c
}

// junitDetails is the body of a failure or system-out: every finding with
// its numbers, contract position and examples.
func junitDetails(fs []report.Finding) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: %s\n", f.Severity, f.Message)
		if f.Expected != "" {
			fmt.Fprintf(&b, "expected: %s\n", f.Expected)
		}
		if f.Actual != "" {
			fmt.Fprintf(&b, "actual: %s\n", f.Actual)
		}
		fmt.Fprintf(&b, "count: %d\n", f.Count)
		if l := f.Location; l != nil && l.File != "" {
			fmt.Fprintf(&b, "contract: %s\n", position(*l))
		}
		for _, e := range f.Examples {
			fmt.Fprintf(&b, "  %s\n", exampleLine(e))
		}
	}
	return term.Clean(b.String())
}

func junitProperties(r *report.Report) []junitProperty {
	var ps []junitProperty
	prop := func(name, value string) {
		if value != "" {
			ps = append(ps, junitProperty{name, value})
		}
	}
	if c := r.Contract; c != nil {
		prop("contract.name", c.Name)
		prop("contract.id", c.ID)
		prop("contract.version", c.Version)
		prop("contract.path", c.Path)
		prop("contract.sha256", c.SHA256)
	}
	prop("driftgate.version", r.Tool.Version)
	prop("failOn", r.FailOn)
	n := 0
	for _, in := range r.Inputs {
		o := in.Object
		if o == nil {
			continue
		}
		n++
		key := "object." + strconv.Itoa(n) + "."
		prop(key+"url", o.URL)
		prop(key+"etag", o.ETag)
		prop(key+"versionId", o.VersionID)
		prop(key+"lastModified", o.LastModified)
		if c := o.Checksum; c != nil && c.Value != "" {
			prop(key+"checksum", cmp.Or(c.Algorithm, "checksum")+":"+c.Value)
		}
		prop(key+"bytesRead", strconv.FormatInt(o.BytesRead, 10))
	}
	return ps
}

// position is "file:line:column", leaving out what is unknown.
func position(l report.Location) string {
	s := l.File
	if l.Line > 0 {
		s += ":" + strconv.Itoa(l.Line)
		if l.Column > 0 {
			s += ":" + strconv.Itoa(l.Column)
		}
	}
	return s
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
