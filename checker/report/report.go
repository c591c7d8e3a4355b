// Package report holds the result of a driftgate run: what was judged, the
// checks that ran and the findings. It is the only thing reporters see, and
// its JSON form is a versioned API: fields are only ever added.
package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Version is the reportVersion of the JSON report. It changes only when a
// field is removed or changes meaning, which the project avoids.
const Version = 1

// Status is the verdict of a run.
type Status string

// The verdicts. StatusError means the run could not finish (unreadable data
// or an invalid contract); such a report never passes a gate.
const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"
	StatusError Status = "error"
)

// Severity ranks findings. The zero value is not a valid severity.
type Severity string

// The severities, from most to least severe.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// ParseSeverity accepts error, warning and info (and the common spellings
// warn, critical, high, medium, low that contracts written for other tools
// use), reporting false for anything else.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error", "critical", "high", "blocker", "fatal":
		return SeverityError, true
	case "warning", "warn", "medium":
		return SeverityWarning, true
	case "info", "low", "notice":
		return SeverityInfo, true
	}
	return "", false
}

// Report is the whole result of one run.
type Report struct {
	ReportVersion int    `json:"reportVersion"`
	Tool          Tool   `json:"tool"`
	Command       string `json:"command"` // check, diff, drift, ...
	Status        Status `json:"status"`
	// FailOn is the lowest severity that fails the run, or "never".
	FailOn   string       `json:"failOn"`
	Contract *ContractRef `json:"contract,omitempty"`
	Inputs   []Input      `json:"inputs"`
	// Skipped notes what a data directory held that was not read: named
	// pipes, sockets and devices, each with why.
	Skipped []string `json:"skipped,omitempty"`
	Summary Summary  `json:"summary"`
	// Checks lists every check that ran, passing or not, so CI systems can
	// show the passing ones too (one JUnit test case per check).
	Checks   []Check   `json:"checks"`
	Findings []Finding `json:"findings"`
	// Error says why the run could not finish; set only with StatusError.
	Error string `json:"error,omitempty"`
	// Baseline is the profile a drift run compared the data with.
	Baseline *BaselineRef `json:"baseline,omitempty"`
	// Drift compares each column with the baseline (drift runs only),
	// drifted or not, with the numbers and chart data reports show.
	Drift []ColumnDrift `json:"drift,omitempty"`
	// Alerts records each alert delivery (webhook) and whether it
	// succeeded; a failed delivery never changes Status.
	Alerts []Alert `json:"alerts,omitempty"`
	// Datasets is the verdict of each dataset of a project run (driftgate
	// run), in the config's order; its findings, checks and drift are
	// those of the report whose schema is the dataset (see Dataset.Name).
	Datasets []Dataset `json:"datasets,omitempty"`
	// ElapsedSeconds is how long the run took, when the caller measured it
	// (JUnit's time attributes). Golden-tested output leaves it out.
	ElapsedSeconds float64 `json:"elapsedSeconds,omitempty"`
}

// BaselineRef records the baseline profile of a drift run.
type BaselineRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	// Rows and Batches are the baseline's size: DRIFT_ROW_COUNT expects
	// Rows/Batches rows in a batch.
	Rows    int64 `json:"rows"`
	Batches int64 `json:"batches"`
	// ContractVersion is the contract version the baseline was built with.
	ContractVersion string `json:"contractVersion,omitempty"`
}

// ColumnDrift is one column compared with its baseline.
type ColumnDrift struct {
	Schema string `json:"schema"`
	Column string `json:"column"`
	// Kind is numeric, temporal, string, boolean or other.
	Kind string `json:"kind"`
	// Unit says what temporal numbers count: "days" since 1970-01-01 or
	// "seconds" since the epoch (or since midnight for times).
	Unit string `json:"unit,omitempty"`
	// Status is drift, stable, added, removed, retyped, excluded or
	// skipped.
	Status string `json:"status"`
	// Note says why a column was skipped or how it was tested.
	Note     string      `json:"note,omitempty"`
	Baseline ColumnStats `json:"baseline"`
	Current  ColumnStats `json:"current"`
	Tests    []DriftTest `json:"tests"`
	Chart    *Chart      `json:"chart,omitempty"`
}

// ColumnStats are the numbers a person compares: baseline or current.
type ColumnStats struct {
	Type     string   `json:"type,omitempty"`
	Rows     int64    `json:"rows"`
	Nulls    int64    `json:"nulls"`
	NullRate float64  `json:"nullRate"`
	Distinct int64    `json:"distinct,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Mean     *float64 `json:"mean,omitempty"`
	StdDev   *float64 `json:"stdDev,omitempty"`
	Median   *float64 `json:"median,omitempty"`
	// Top are the most frequent values with their share of non-null
	// values; Shapes the most frequent value shapes (9999-99-99).
	Top    []ValueShare `json:"top,omitempty"`
	Shapes []ValueShare `json:"shapes,omitempty"`
}

// ValueShare is a value and its share of the non-null values.
type ValueShare struct {
	Value string  `json:"value"`
	Count int64   `json:"count"`
	Share float64 `json:"share"`
}

// DriftTest is one statistic computed for a column.
type DriftTest struct {
	// Name is psi, wasserstein, ks, jensenShannon, newValues,
	// vanishedValues, chiSquare, nullRate, shapes or rowCount.
	Name string `json:"name"`
	Rule string `json:"rule"`
	// Value is the effect size (or statistic) and Threshold the value at
	// which it counts as drift (0 when the test only guards).
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold,omitempty"`
	// PValue is the test's p-value and QValue the Benjamini-Hochberg
	// adjusted one across every test of the run.
	PValue *float64 `json:"pValue,omitempty"`
	QValue *float64 `json:"qValue,omitempty"`
	Drift  bool     `json:"drift"`
	// Doc explains the test in one line.
	Doc string `json:"doc,omitempty"`
}

// Chart is what a report draws for a column: a histogram on common bins
// (numbers) or bars of the top values, as shares of non-null values.
type Chart struct {
	// Kind is histogram or bars.
	Kind     string    `json:"kind"`
	Labels   []string  `json:"labels"`
	Baseline []float64 `json:"baseline"`
	Current  []float64 `json:"current"`
	// Axis labels a histogram's ends with the smallest and largest value
	// of either side, exact at the column's precision (Labels are the
	// bins' lower edges).
	Axis []string `json:"axis,omitempty"`
}

// Alert is one attempt to deliver an alert.
type Alert struct {
	// Target names where it went, without secrets (scheme and host).
	Target    string `json:"target"`
	Delivered bool   `json:"delivered"`
	Attempts  int    `json:"attempts"`
	Error     string `json:"error,omitempty"`
}

// Tool identifies the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ContractRef records the contract a run judged against.
type ContractRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Name    string `json:"name,omitempty"`
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	// Schema is the schema object (table) that was checked.
	Schema string `json:"schema,omitempty"`
}

// Input records one data file that was judged.
type Input struct {
	Path   string `json:"path"`
	Format string `json:"format"` // parquet, csv
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
	// HashScope says what SHA256 covers when it is not every byte of the
	// input: HashFooter for a --metadata-only check, which reads only the
	// Parquet footer. Empty means the whole input.
	HashScope string `json:"hashScope,omitempty"`
	// Object identifies an input read from an object store (s3://, gs://,
	// az://, https://) as the store names its content; nil for local
	// files. A Parquet object is read by ranges, never whole, so its
	// SHA256 is empty unless HashScope says it covers the footer.
	Object *Object `json:"object,omitempty"`
	// ProvenByStatistics lists the columns of a Parquet input that a full
	// check did not decode because the footer statistics of a trusted
	// writer prove every rule on them passes (bounds inside the range, no
	// nulls where required). Empty when every checked column was read.
	ProvenByStatistics []string `json:"provenByStatistics,omitempty"`
	// ProvenRowGroups lists the columns of a Parquet input whose
	// statistics prove every rule on them in some row groups but not all:
	// a full check decoded only the other row groups' chunks of them.
	ProvenRowGroups []ProvenRowGroups `json:"provenRowGroups,omitempty"`
}

// ProvenRowGroups is a column a full check decoded in some row groups
// only: the statistics of Proven of the file's RowGroups prove every rule
// on it passes there.
type ProvenRowGroups struct {
	Column    string `json:"column"`
	Proven    int    `json:"proven"`
	RowGroups int    `json:"rowGroups"`
}

// Object is what an object store says identifies an object's content.
type Object struct {
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	VersionID    string `json:"versionId,omitempty"`
	LastModified string `json:"lastModified,omitempty"` // RFC 3339, UTC
	// Checksum is the store's own content checksum, when it keeps one
	// (S3 x-amz-checksum-*, GCS CRC32C, Azure Content-MD5).
	Checksum *Checksum `json:"checksum,omitempty"`
	// BytesRead is how many bytes of the object the run fetched: for
	// Parquet, the footer and the column chunks the contract needs.
	BytesRead int64 `json:"bytesRead"`
}

// Checksum is a provider-side checksum: algorithm (crc32c, crc32,
// crc64nvme, sha1, sha256, md5) and value, base64 as the store gives it.
type Checksum struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// HashFooter is the HashScope of a hash over the Parquet footer only (its
// metadata and the 8-byte trailer).
const HashFooter = "footer"

// Summary counts what the run saw. Checks is Passed + Failed +
// NotExecuted + Skipped: a check that did not run is never counted as
// failed (nor as passed).
type Summary struct {
	Rows     int64 `json:"rows"`
	Checks   int   `json:"checks"`
	Failed   int   `json:"failed"`
	Errors   int   `json:"errors"`
	Warnings int   `json:"warnings"`
	Infos    int   `json:"infos"`
	// Passed, NotExecuted and Skipped complete the count of Checks. They
	// were added to reportVersion 1, so a reader treats a missing one as 0.
	Passed      int `json:"passed,omitempty"`
	NotExecuted int `json:"notExecuted,omitempty"`
	Skipped     int `json:"skipped,omitempty"`
}

// Dataset is the verdict of one dataset of a project run.
type Dataset struct {
	// Name is the dataset's name in driftgate.yaml; a combined report's
	// findings and checks of the dataset have a Schema of Name or of
	// Name/schema.
	Name string `json:"name"`
	// Status is the dataset's own verdict; ExitCode the exit code a run
	// of this dataset alone would have had (0 pass, 1 checks failed, 2
	// config or contract error, 3 data unreadable).
	Status   Status `json:"status"`
	ExitCode int    `json:"exitCode"`
	// Error says why the dataset could not be judged (Status error).
	Error    string       `json:"error,omitempty"`
	Contract *ContractRef `json:"contract,omitempty"`
	// Inputs is the number of data files judged; Summary the dataset's
	// counts (rows, checks, findings by severity).
	Inputs  int     `json:"inputs"`
	Summary Summary `json:"summary"`
	// Drifted is the number of columns that drifted from the baseline;
	// Baseline is set when the dataset has one.
	Drifted  int          `json:"drifted,omitempty"`
	Baseline *BaselineRef `json:"baseline,omitempty"`
}

// CheckStatus is what became of one check.
type CheckStatus string

// The check statuses. NotExecuted is a declared rule driftgate does not run
// (an sql or text quality rule); Skipped a check that could not run this
// time (with --metadata-only, one the footer cannot decide; or a
// constraint not enforced yet).
const (
	CheckPassed      CheckStatus = "passed"
	CheckFailed      CheckStatus = "failed"
	CheckNotExecuted CheckStatus = "notExecuted"
	CheckSkipped     CheckStatus = "skipped"
)

// Check is one rule applied to one column (or to the schema object when
// Column is empty).
type Check struct {
	Rule   string `json:"rule"`
	Schema string `json:"schema"`
	Column string `json:"column,omitempty"`
	// Passed is true only for a check that ran and has no finding with the
	// same rule, schema and column.
	Passed bool `json:"passed"`
	// Status says whether the check passed, failed, was not executed or
	// was skipped. The engine sets NotExecuted or Skipped when it records
	// the check; Finalize sets passed or failed for the rest.
	Status CheckStatus `json:"status,omitempty"`
}

// Ran reports whether the check was executed (passed or failed).
func (c Check) Ran() bool {
	return c.Status != CheckNotExecuted && c.Status != CheckSkipped
}

// Finding is one broken expectation.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Schema   string   `json:"schema"`
	Column   string   `json:"column,omitempty"`
	// Message states what was expected and what was found, with numbers.
	Message string `json:"message"`
	// Expected and Actual are short machine-friendly forms of the same.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// Count is the number of offending rows (or, for a metric, the metric).
	Count    int64     `json:"count"`
	Examples []Example `json:"examples"`
	// Location is the contract node that declared the rule or column.
	Location *Location `json:"location,omitempty"`
	// Category is the rule's category; set by diff, where it separates
	// documentation-only changes from the rest.
	Category string `json:"category,omitempty"`
	// Breaks says whom a contract change can break: consumers, producers,
	// both or none. Set by diff only.
	Breaks string `json:"breaks,omitempty"`
}

// Example is one offending value.
type Example struct {
	File string `json:"file"`
	// Row is the 1-based data row within File: the first record after the
	// header is row 1, whatever the line breaks inside quoted cells.
	Row int64 `json:"row"`
	// Line is the 1-based line of File the record starts on, for text
	// formats (CSV) when the reader knows it; 0 when unknown.
	Line  int64  `json:"line,omitempty"`
	Value string `json:"value"`
	// ValueBytes is the length in bytes of the whole value when Value was
	// cut to MaxValueBytes (see CutValue); 0 when Value is whole.
	ValueBytes int `json:"valueBytes,omitempty"`
}

// Redacted stands for a value of a private column (classified pii,
// restricted, confidential, sensitive or secret, tagged pii, or with a pii
// customProperty): examples keep their file and row, never the value.
const Redacted = "<redacted>"

// MaxValueBytes is how much of a data value an example keeps: enough to
// see what is wrong, bounded so that a 1 MB cell cannot make a 1 MB line in
// every report format.
const MaxValueBytes = 200

// MaxMessageBytes bounds a finding's message (and its expected and actual
// forms) for the same reason; a longer one is cut with a note of how much
// was left out.
const MaxMessageBytes = 2000

// CutValue returns v cut to at most max bytes on a UTF-8 boundary, and the
// number of bytes left out (0 when v is whole).
func CutValue(v string, max int) (string, int) {
	if len(v) <= max {
		return v, 0
	}
	n := max
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return v[:n], len(v) - n
}

// Bound cuts the example values to MaxValueBytes (recording their length
// in ValueBytes) and the texts to MaxMessageBytes, replacing in the message
// any long example value it quotes with its cut form. Finalize calls it;
// reporters call it again so a report built by hand is bounded too. It is
// idempotent.
func (f *Finding) Bound() {
	for i := range f.Examples {
		e := &f.Examples[i]
		cut, left := CutValue(e.Value, MaxValueBytes)
		if left == 0 {
			continue
		}
		short := cut + CutNote(left)
		f.Message = strings.ReplaceAll(f.Message, e.Value, short)
		f.Expected = strings.ReplaceAll(f.Expected, e.Value, short)
		f.Actual = strings.ReplaceAll(f.Actual, e.Value, short)
		if e.ValueBytes == 0 {
			e.ValueBytes = len(e.Value)
		}
		e.Value = cut
	}
	f.Message = boundText(f.Message)
	f.Expected = boundText(f.Expected)
	f.Actual = boundText(f.Actual)
}

// CutNote is how every format marks a cut value: "... (1,048,376 more
// bytes)".
func CutNote(left int) string {
	return fmt.Sprintf("... (%s more bytes)", thousands(left))
}

func boundText(s string) string {
	cut, left := CutValue(s, MaxMessageBytes)
	if left == 0 {
		return s
	}
	return cut + CutNote(left)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Location is a position in a file, 1-based.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// MaxExamples is how many examples a finding keeps.
const MaxExamples = 5

// Sort puts findings and checks in their canonical order so every output is
// deterministic: by schema, column, rule, then message.
func (r *Report) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	sort.SliceStable(r.Checks, func(i, j int) bool {
		a, b := r.Checks[i], r.Checks[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}

// Finalize sorts the report, marks failed checks, fills the summary and sets
// the status from the findings and failOn ("error", "warning", "info" or
// "never"). A report that already has StatusError keeps it.
func (r *Report) Finalize(failOn string) error {
	threshold := 0
	if failOn != "never" {
		sev, ok := ParseSeverity(failOn)
		if !ok {
			return fmt.Errorf("fail-on %q: want error, warning, info or never", failOn)
		}
		threshold = sev.Rank()
	}
	r.ReportVersion = Version
	r.FailOn = failOn
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	if r.Inputs == nil {
		r.Inputs = []Input{}
	}
	for i := range r.Findings {
		if r.Findings[i].Examples == nil {
			r.Findings[i].Examples = []Example{}
		}
		r.Findings[i].Bound()
	}
	r.Sort()

	type key struct{ rule, schema, column string }
	failed := map[key]bool{}
	s := Summary{Rows: r.Summary.Rows}
	failing := false
	for _, f := range r.Findings {
		failed[key{f.Rule, f.Schema, f.Column}] = true
		switch f.Severity {
		case SeverityError:
			s.Errors++
		case SeverityWarning:
			s.Warnings++
		case SeverityInfo:
			s.Infos++
		}
		if threshold > 0 && f.Severity.Rank() >= threshold {
			failing = true
		}
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		switch {
		case !c.Ran():
			c.Passed = false
		case failed[key{c.Rule, c.Schema, c.Column}]:
			c.Passed, c.Status = false, CheckFailed
		default:
			c.Passed, c.Status = true, CheckPassed
		}
		switch c.Status {
		case CheckPassed:
			s.Passed++
		case CheckFailed:
			s.Failed++
		case CheckNotExecuted:
			s.NotExecuted++
		case CheckSkipped:
			s.Skipped++
		}
	}
	s.Checks = len(r.Checks)
	r.Summary = s
	if r.Status == StatusError {
		return nil
	}
	r.Status = StatusPass
	if failing {
		r.Status = StatusFail
	}
	return nil
}
