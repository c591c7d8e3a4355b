package checker

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// null marks a null cell in col.vals: an empty CSV cell, a null in Parquet.
const null = "\x00null"

// col is one column of test data. vals are the cells as CSV text; the
// Parquet file stores them as typ (parsed with AppendValueFromString, so a
// struct cell is JSON).
type col struct {
	name string
	typ  arrow.DataType
	vals []string
}

// contractPath is the name contracts are parsed under; findings' locations
// carry it.
const contractPath = "contract.yaml"

// doc builds an ODCS v3.1.0 contract with one schema object "t". props is
// the YAML list of properties and quality the schema-level quality list,
// both written from column 0; doc indents them.
func doc(props string, quality ...string) string {
	return docVersion("v3.1.0", props, quality...)
}

func docVersion(api, props string, quality ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: %s\nkind: DataContract\nid: urn:test:orders\nname: orders\nversion: 1.2.0\nstatus: active\nschema:\n  - name: t\n    properties:\n", api)
	b.WriteString(indent(props, "      "))
	if len(quality) > 0 {
		b.WriteString("    quality:\n")
		for _, q := range quality {
			b.WriteString(indent(q, "      "))
		}
	}
	return b.String()
}

func indent(s, by string) string {
	s = strings.Trim(s, "\n")
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" {
			b.WriteString(by)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// lineOf is the 1-based line of the first contract line containing needle
// after the first line containing after (when given).
func lineOf(t testing.TB, contract, needle string, after ...string) int {
	t.Helper()
	lines := strings.Split(contract, "\n")
	start := 0
	for _, a := range after {
		for start < len(lines) && !strings.Contains(lines[start], a) {
			start++
		}
	}
	for i := start; i < len(lines); i++ {
		if strings.Contains(lines[i], needle) {
			return i + 1
		}
	}
	t.Fatalf("no line %q in contract:\n%s", needle, contract)
	return 0
}

func parseContract(t testing.TB, contract string) *contracts.Contract {
	t.Helper()
	c, err := contracts.Parse(contractPath, []byte(contract))
	if err != nil {
		t.Fatalf("parse contract: %v\n%s", err, contract)
	}
	return c
}

// runCheck checks files against contract with a checked allocator and
// small batches (so row numbers cross batch boundaries), and fails the test
// if any Arrow memory is still held afterwards.
func runCheck(t testing.TB, contract string, files []string, failOn string) (*report.Report, error) {
	t.Helper()
	c := parseContract(t, contract)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	rep, err := Check(context.Background(), Options{
		Contract: c,
		Files:    files,
		Source:   source.Options{Mem: mem, BatchSize: 3},
		FailOn:   failOn,
	})
	mem.AssertSize(t, 0)
	return rep, err
}

// mustCheck is runCheck for runs that must finish.
func mustCheck(t testing.TB, contract string, files ...string) *report.Report {
	t.Helper()
	rep, err := runCheck(t, contract, files, "")
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return rep
}

// writeCSV writes cols as a CSV file with a header row.
func writeCSV(t testing.TB, path string, cols []col) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.name
	}
	w.Write(head)
	for r := 0; r < rowsOf(cols); r++ {
		rec := make([]string, len(cols))
		for i, c := range cols {
			if v := c.vals[r]; v != null {
				rec[i] = v
			}
		}
		if len(rec) == 1 && rec[0] == "" {
			// encoding/csv writes a blank line, which readers skip; a
			// quoted empty field keeps the row.
			w.Flush()
			f.WriteString("\"\"\n")
			continue
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func rowsOf(cols []col) int {
	if len(cols) == 0 {
		return 0
	}
	return len(cols[0].vals)
}

// record builds an Arrow record from cols.
func record(t testing.TB, mem memory.Allocator, cols []col) arrow.RecordBatch {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
		b := array.NewBuilder(mem, c.typ)
		for _, v := range c.vals {
			if v == null {
				b.AppendNull()
				continue
			}
			if err := b.AppendValueFromString(v); err != nil {
				t.Fatalf("column %s: value %q as %s: %v", c.name, v, c.typ, err)
			}
		}
		arrs[i] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, int64(rowsOf(cols)))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

// writeParquet writes cols as a Parquet file with the Arrow schema stored,
// in row groups of two rows so that checks cross row groups too.
func writeParquet(t testing.TB, path string, cols []col) string {
	t.Helper()
	rec := record(t, memory.NewGoAllocator(), cols)
	defer rec.Release()
	writeRecords(t, path, rec.Schema(), 2, rec)
	return path
}

// writeRecords writes recs to path with the Arrow schema stored, in row
// groups of at most rowGroup rows.
func writeRecords(t testing.TB, path string, sc *arrow.Schema, rowGroup int64, recs ...arrow.RecordBatch) {
	t.Helper()
	pqtest.Write(t, path, pqtest.Options{Schema: sc, RowGroup: rowGroup, StoreSchema: true}, recs...)
}

// eachFormat writes cols as CSV and as Parquet and checks both against
// contract, running fn on each report in its own subtest.
func eachFormat(t *testing.T, contract string, cols []col, fn func(t *testing.T, rep *report.Report)) {
	t.Helper()
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t."+format)
			if format == "csv" {
				writeCSV(t, path, cols)
			} else {
				writeParquet(t, path, cols)
			}
			fn(t, mustCheck(t, contract, path))
		})
	}
}

// want is a finding a test expects. Zero fields are not compared.
type want struct {
	rule     string
	severity report.Severity
	column   string
	count    int64
	// msg lists substrings of the message.
	msg []string
	// line is text on the contract line the finding must point at;
	// lineAfter narrows the search to lines after one containing it.
	line, lineAfter string
	// row and value are the first example's.
	row   int64
	value string
}

// assertFindings checks that the report has exactly the wanted findings,
// matched by rule and column in any order.
func assertFindings(t *testing.T, contract string, rep *report.Report, wants ...want) {
	t.Helper()
	used := make([]bool, len(rep.Findings))
	for _, w := range wants {
		// Several findings may share rule and column (a range's two
		// sides); prefer the one on the wanted line.
		wantLine := 0
		if w.line != "" {
			after := []string{}
			if w.lineAfter != "" {
				after = append(after, w.lineAfter)
			}
			wantLine = lineOf(t, contract, w.line, after...)
		}
		idx := -1
		for i, f := range rep.Findings {
			if used[i] || f.Rule != w.rule || f.Column != w.column {
				continue
			}
			if idx < 0 || wantLine != 0 && f.Location != nil && f.Location.Line == wantLine {
				idx = i
			}
		}
		if idx < 0 {
			t.Errorf("no %s finding for column %q; findings:\n%s", w.rule, w.column, dump(rep.Findings))
			continue
		}
		used[idx] = true
		f := rep.Findings[idx]
		if w.severity != "" && f.Severity != w.severity {
			t.Errorf("%s %q: severity %s, want %s", w.rule, w.column, f.Severity, w.severity)
		}
		if w.count != 0 && f.Count != w.count {
			t.Errorf("%s %q: count %d, want %d (%s)", w.rule, w.column, f.Count, w.count, f.Message)
		}
		for _, s := range w.msg {
			if !strings.Contains(f.Message, s) {
				t.Errorf("%s %q: message %q does not contain %q", w.rule, w.column, f.Message, s)
			}
		}
		if w.line != "" {
			if f.Location == nil || f.Location.Line != wantLine || f.Location.File != contractPath {
				t.Errorf("%s %q: location %+v, want %s line %d (%q)", w.rule, w.column, f.Location, contractPath, wantLine, w.line)
			}
		}
		if w.row != 0 || w.value != "" {
			if len(f.Examples) == 0 {
				t.Errorf("%s %q: no examples, want row %d value %q", w.rule, w.column, w.row, w.value)
			} else if e := f.Examples[0]; w.row != 0 && e.Row != w.row || w.value != "" && e.Value != w.value {
				t.Errorf("%s %q: first example row %d value %q, want row %d value %q", w.rule, w.column, e.Row, e.Value, w.row, w.value)
			}
		}
	}
	for i, f := range rep.Findings {
		if !used[i] {
			t.Errorf("unexpected finding %s %q: %s", f.Rule, f.Column, f.Message)
		}
	}
}

func dump(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %q count %d: %s\n", f.Severity, f.Rule, f.Column, f.Count, f.Message)
	}
	return b.String()
}

// checkOf finds the check of rule on column.
func checkOf(rep *report.Report, rule, column string) (report.Check, bool) {
	for _, c := range rep.Checks {
		if c.Rule == rule && c.Column == column {
			return c, true
		}
	}
	return report.Check{}, false
}

// ints, strs, ... spell test columns briefly.
func ints(name string, vals ...string) col {
	return col{name, arrow.PrimitiveTypes.Int64, vals}
}

func strs(name string, vals ...string) col {
	return col{name, arrow.BinaryTypes.String, vals}
}

func floats(name string, vals ...string) col {
	return col{name, arrow.PrimitiveTypes.Float64, vals}
}

var (
	dec12s2 = &arrow.Decimal128Type{Precision: 12, Scale: 2}
	date32  = arrow.FixedWidthTypes.Date32
	tsUTC   = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

// valueCase is one contract and data set, checked as CSV and as Parquet
// with the same expected findings.
type valueCase struct {
	name    string
	props   string
	quality []string
	cols    []col
	want    []want
}

func runValueCases(t *testing.T, tests []valueCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contract := doc(tt.props, tt.quality...)
			eachFormat(t, contract, tt.cols, func(t *testing.T, rep *report.Report) {
				assertFindings(t, contract, rep, tt.want...)
			})
		})
	}
}

func TestValueNullUniqueAndRange(t *testing.T) {
	runValueCases(t, []valueCase{
		{
			name:  "a required column without nulls passes",
			props: "- name: id\n  logicalType: integer\n  required: true",
			cols:  []col{ints("id", "1", "2", "3")},
		},
		{
			name:  "a null in a required column is reported at its row",
			props: "- name: id\n  logicalType: integer\n  required: true",
			cols:  []col{ints("id", "1", "2", null, "4")},
			want: []want{{rule: rules.ValueNull.ID, severity: report.SeverityError, column: "id", count: 1, row: 3, value: "null",
				msg: []string{"1 null (25.00% of 4 rows) in a required column", "first at row 3"}, line: "required: true"}},
		},
		{
			name:  "nulls in an optional column are not findings",
			props: "- name: id\n  logicalType: integer",
			cols:  []col{ints("id", null, null)},
		},
		{
			name:  "a unique column with distinct values passes",
			props: "- name: code\n  logicalType: string\n  unique: true",
			cols:  []col{strs("code", "a", "b", "c", null, null)},
		},
		{
			name:  "a value seen three times counts three rows",
			props: "- name: code\n  logicalType: string\n  unique: true",
			cols:  []col{strs("code", "a", "b", "a", "c", "a", "b")},
			want: []want{{rule: rules.ValueUnique.ID, severity: report.SeverityError, column: "code", count: 5, row: 3, value: "a",
				msg: []string{"5 rows share their value with another row", "first at row 3"}, line: "unique: true"}},
		},
		{
			name:  "a single-column primary key must be unique",
			props: "- name: id\n  logicalType: integer\n  primaryKey: true",
			cols:  []col{ints("id", "1", "2", "2", "3")},
			want: []want{{rule: rules.ValueUnique.ID, column: "id", count: 2, row: 3, value: "2",
				msg: []string{"2 rows share their value"}, line: "primaryKey: true"}},
		},
		{
			name: "a composite primary key passes when its tuples are distinct",
			props: `- name: region
  logicalType: string
  primaryKey: true
  primaryKeyPosition: 2
- name: id
  logicalType: integer
  primaryKey: true
  primaryKeyPosition: 1`,
			cols: []col{strs("region", "eu", "us", "eu", "us"), ints("id", "1", "1", "2", "2")},
		},
		{
			name: "a composite primary key orders its columns by primaryKeyPosition and counts every repeated tuple",
			props: `- name: region
  logicalType: string
  primaryKey: true
  primaryKeyPosition: 2
- name: id
  logicalType: integer
  primaryKey: true
  primaryKeyPosition: 1`,
			cols: []col{strs("region", "eu", "us", "eu", "us", "eu"), ints("id", "1", "1", "1", "2", "1")},
			want: []want{{rule: rules.ValueUnique.ID, severity: report.SeverityError, column: "", count: 3, row: 3, value: "(1, eu)",
				msg: []string{"3 rows share their primary key (id, region)"}, line: "primaryKey: true", lineAfter: "name: id"}},
		},
		{
			name:  "integers inside minimum and maximum pass, the bounds included",
			props: "- name: qty\n  logicalType: integer\n  logicalTypeOptions:\n    minimum: 0\n    maximum: 10",
			cols:  []col{ints("qty", "0", "5", "10", null)},
		},
		{
			name:  "integers outside minimum and maximum are counted per side",
			props: "- name: qty\n  logicalType: integer\n  logicalTypeOptions:\n    minimum: 0\n    maximum: 10",
			cols:  []col{ints("qty", "-1", "0", "10", "11", "-7", "12", "13")},
			want: []want{
				{rule: rules.ValueRange.ID, column: "qty", count: 2, row: 1, value: "-1", msg: []string{"2 values below minimum 0", "first at row 1"}, line: "minimum: 0"},
				{rule: rules.ValueRange.ID, column: "qty", count: 3, row: 4, value: "11", msg: []string{"3 values above maximum 10", "first at row 4"}, line: "maximum: 10"},
			},
		},
		{
			name:  "integers on an exclusive bound fail",
			props: "- name: qty\n  logicalType: integer\n  logicalTypeOptions:\n    exclusiveMinimum: 0\n    exclusiveMaximum: 10",
			cols:  []col{ints("qty", "0", "1", "9", "10")},
			want: []want{
				{rule: rules.ValueRange.ID, column: "qty", count: 1, row: 1, value: "0", msg: []string{"1 value at or below exclusive minimum 0"}, line: "exclusiveMinimum: 0"},
				{rule: rules.ValueRange.ID, column: "qty", count: 1, row: 4, value: "10", msg: []string{"1 value at or above exclusive maximum 10"}, line: "exclusiveMaximum: 10"},
			},
		},
		{
			name:  "floats are compared with fractional bounds exactly",
			props: "- name: rate\n  logicalType: number\n  logicalTypeOptions:\n    minimum: 0.5\n    maximum: 2.5",
			cols:  []col{floats("rate", "0.5", "0.49", "2.5", "2.51")},
			want: []want{
				{rule: rules.ValueRange.ID, column: "rate", count: 1, row: 2, value: "0.49", msg: []string{"1 value below minimum 0.5"}, line: "minimum: 0.5"},
				{rule: rules.ValueRange.ID, column: "rate", count: 1, row: 4, value: "2.51", msg: []string{"1 value above maximum 2.5"}, line: "maximum: 2.5"},
			},
		},
		{
			name:  "floats on an exclusive bound fail",
			props: "- name: rate\n  logicalType: number\n  logicalTypeOptions:\n    exclusiveMinimum: 0\n    exclusiveMaximum: 1",
			cols:  []col{floats("rate", "0", "0.5", "1")},
			want: []want{
				{rule: rules.ValueRange.ID, column: "rate", count: 1, row: 1, msg: []string{"at or below exclusive minimum 0"}, line: "exclusiveMinimum: 0"},
				{rule: rules.ValueRange.ID, column: "rate", count: 1, row: 3, msg: []string{"at or above exclusive maximum 1"}, line: "exclusiveMaximum: 1"},
			},
		},
		{
			name:  "a decimal exactly on its maximum passes",
			props: "- name: amount\n  logicalType: number\n  physicalType: decimal(12,2)\n  logicalTypeOptions:\n    maximum: 100000",
			cols:  []col{{"amount", dec12s2, []string{"100000.00", "99999.99", "0.01"}}},
		},
		{
			name:  "a decimal one cent over its maximum fails",
			props: "- name: amount\n  logicalType: number\n  physicalType: decimal(12,2)\n  logicalTypeOptions:\n    maximum: 100000",
			cols:  []col{{"amount", dec12s2, []string{"100000.00", "100000.01"}}},
			want: []want{{rule: rules.ValueRange.ID, column: "amount", count: 1, row: 2, value: "100000.01",
				msg: []string{"1 value above maximum 100000", "first at row 2"}, line: "maximum: 100000"}},
		},
		{
			name:  "decimals on exclusive fractional bounds fail exactly there",
			props: "- name: amount\n  logicalType: number\n  physicalType: decimal(12,2)\n  logicalTypeOptions:\n    exclusiveMinimum: 0.1\n    exclusiveMaximum: 0.3",
			cols:  []col{{"amount", dec12s2, []string{"0.10", "0.11", "0.29", "0.30"}}},
			want: []want{
				{rule: rules.ValueRange.ID, column: "amount", count: 1, row: 1, value: "0.1", line: "exclusiveMinimum: 0.1"},
				{rule: rules.ValueRange.ID, column: "amount", count: 1, row: 4, value: "0.3", line: "exclusiveMaximum: 0.3"},
			},
		},
		{
			name:  "dates inside their bounds pass",
			props: "- name: day\n  logicalType: date\n  logicalTypeOptions:\n    minimum: \"2020-01-01\"\n    maximum: \"2020-12-31\"",
			cols:  []col{{"day", date32, []string{"2020-01-01", "2020-06-15", "2020-12-31", null}}},
		},
		{
			name:  "dates outside their bounds fail",
			props: "- name: day\n  logicalType: date\n  logicalTypeOptions:\n    minimum: \"2020-01-01\"\n    maximum: \"2020-12-31\"",
			cols:  []col{{"day", date32, []string{"2019-12-31", "2020-06-15", "2021-01-01"}}},
			want: []want{
				{rule: rules.ValueRange.ID, column: "day", count: 1, row: 1, value: "2019-12-31", msg: []string{"1 value below minimum 2020-01-01"}, line: "minimum:"},
				{rule: rules.ValueRange.ID, column: "day", count: 1, row: 3, value: "2021-01-01", msg: []string{"1 value above maximum 2020-12-31"}, line: "maximum:"},
			},
		},
		{
			name:  "timestamps are compared as instants",
			props: "- name: at\n  logicalType: timestamp\n  logicalTypeOptions:\n    minimum: \"2020-01-01T00:00:00Z\"\n    exclusiveMaximum: \"2021-01-01T00:00:00Z\"",
			cols:  []col{{"at", tsUTC, []string{"2019-12-31T23:59:59Z", "2020-01-01T00:00:00Z", "2020-12-31T23:59:59Z", "2021-01-01T00:00:00Z"}}},
			want: []want{
				{rule: rules.ValueRange.ID, column: "at", count: 1, row: 1, msg: []string{"1 value below minimum 2020-01-01T00:00:00Z"}, line: "minimum:"},
				{rule: rules.ValueRange.ID, column: "at", count: 1, row: 4, msg: []string{"1 value at or above exclusive maximum 2021-01-01T00:00:00Z"}, line: "exclusiveMaximum:"},
			},
		},
	})
}

func TestValueLengthPatternAndFormat(t *testing.T) {
	tests := []valueCase{
		{
			name:  "lengths are counted in characters, so héllo has length 5",
			props: "- name: word\n  logicalType: string\n  logicalTypeOptions:\n    minLength: 2\n    maxLength: 5",
			cols:  []col{strs("word", "héllo", "ab", "日本語", null)},
		},
		{
			name:  "strings shorter than minLength or longer than maxLength fail",
			props: "- name: word\n  logicalType: string\n  logicalTypeOptions:\n    minLength: 2\n    maxLength: 5",
			cols:  []col{strs("word", "héllo", "a", "héllo!", "b", "ab")},
			want: []want{
				{rule: rules.ValueLength.ID, column: "word", count: 2, row: 2, value: "a", msg: []string{"2 values shorter than minLength 2", "first at row 2"}, line: "minLength: 2"},
				{rule: rules.ValueLength.ID, column: "word", count: 1, row: 3, value: "héllo!", msg: []string{"1 value longer than maxLength 5"}, line: "maxLength: 5"},
			},
		},
		{
			name:  "strings matching the pattern pass",
			props: "- name: account\n  logicalType: string\n  logicalTypeOptions:\n    pattern: ^ACC[0-9]{8}$",
			cols:  []col{strs("account", "ACC12345678", "ACC00000000", null)},
		},
		{
			name:  "strings not matching the pattern fail",
			props: "- name: account\n  logicalType: string\n  logicalTypeOptions:\n    pattern: ^ACC[0-9]{8}$",
			cols:  []col{strs("account", "ACC12345678", "ACC1234", "acc12345678")},
			want: []want{{rule: rules.ValuePattern.ID, column: "account", count: 2, row: 2, value: "ACC1234",
				msg: []string{"2 values do not match pattern ^ACC[0-9]{8}$"}, line: "pattern:"}},
		},
		{
			name:  "an unknown format is reported as not checked, as info",
			props: "- name: secret\n  logicalType: string\n  logicalTypeOptions:\n    format: password",
			cols:  []col{strs("secret", "hunter2")},
			want: []want{{rule: rules.ValueFormat.ID, severity: report.SeverityInfo, column: "secret",
				msg: []string{`format "password" is not one driftgate checks`}, line: "format: password"}},
		},
		{
			name:  "a date stored as text in its format passes",
			props: "- name: day\n  logicalType: date\n  physicalType: string\n  logicalTypeOptions:\n    format: dd/MM/yyyy\n    minimum: 01/01/2020",
			cols:  []col{strs("day", "15/06/2020", "01/01/2020", null)},
		},
		{
			name:  "a date stored as text in another format fails its format, and an early one its minimum",
			props: "- name: day\n  logicalType: date\n  physicalType: string\n  logicalTypeOptions:\n    format: dd/MM/yyyy\n    minimum: 01/01/2020",
			cols:  []col{strs("day", "15/06/2020", "2020-06-15", "31/12/2019", "13/13/2020")},
			want: []want{
				{rule: rules.ValueFormat.ID, column: "day", count: 2, row: 2, value: "2020-06-15", msg: []string{"2 values are not in the date format dd/MM/yyyy"}, line: "format: dd/MM/yyyy"},
				{rule: rules.ValueRange.ID, column: "day", count: 1, row: 3, value: "31/12/2019", msg: []string{"1 value below minimum 01/01/2020"}, line: "minimum: 01/01/2020"},
			},
		},
	}
	formats := []struct{ format, good, bad string }{
		{"email", "ada@example.com", "ada.example.com"},
		{"uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456"},
		{"uri", "https://example.com/a?b=c", "example.com/path"},
		{"ipv4", "192.168.0.1", "256.1.1.1"},
		{"ipv6", "2001:db8::1", "10.0.0.1"},
		{"hostname", "db-1.internal.example.com", "under_score.example.com"},
	}
	for _, f := range formats {
		props := "- name: v\n  logicalType: string\n  logicalTypeOptions:\n    format: " + f.format
		tests = append(tests,
			valueCase{name: "a valid " + f.format + " passes", props: props, cols: []col{strs("v", f.good, null)}},
			valueCase{name: "an invalid " + f.format + " fails", props: props, cols: []col{strs("v", f.good, f.bad, f.good)},
				want: []want{{rule: rules.ValueFormat.ID, severity: report.SeverityError, column: "v", count: 1, row: 2, value: f.bad,
					msg: []string{"1 value is not valid " + f.format}, line: "format: " + f.format}}})
	}
	runValueCases(t, tests)
}

// checkCSV checks CSV text, written as is, against contract.
func checkCSV(t *testing.T, contract, text string) *report.Report {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustCheck(t, contract, path)
}

func TestCSVCellsThatDoNotParse(t *testing.T) {
	tests := []struct {
		name  string
		props string
		text  string
		want  []want
	}{
		{
			name: "a word in an integer column is a type error with its row and text, not a null",
			props: `- name: qty
  logicalType: integer
  required: true
  quality:
    - metric: nullValues
      mustBe: 0`,
			text: "qty\n1\ntwelve\n3\n",
			want: []want{{rule: rules.ValueType.ID, severity: report.SeverityError, column: "qty", count: 1, row: 2, value: "twelve",
				msg: []string{"1 value does not parse as int64", "first at row 2", "twelve"}, line: "logicalType: integer"}},
		},
		{
			name:  "every bad cell is counted and the good ones are still range-checked",
			props: "- name: qty\n  logicalType: integer\n  logicalTypeOptions:\n    maximum: 5",
			text:  "qty\ntwelve\n1\n9\n3.5\n\n",
			want: []want{
				{rule: rules.ValueType.ID, column: "qty", count: 2, row: 1, value: "twelve", msg: []string{"2 values do not parse as int64"}},
				{rule: rules.ValueRange.ID, column: "qty", count: 1, row: 3, value: "9", line: "maximum: 5"},
			},
		},
		{
			name:  "a date cell not in the column's format breaks the format, not the type",
			props: "- name: day\n  logicalType: date\n  logicalTypeOptions:\n    format: dd/MM/yyyy",
			text:  "day\n15/06/2020\n2020-06-15\n",
			want: []want{{rule: rules.ValueFormat.ID, column: "day", count: 1, row: 2, value: "2020-06-15",
				msg: []string{"1 value is not in the date format dd/MM/yyyy"}, line: "format: dd/MM/yyyy"}},
		},
		{
			name: "a marker listed in missingValues is missing, not a type error",
			props: `- name: qty
  logicalType: integer
  quality:
    - metric: missingValues
      arguments:
        missingValues: [null, '', 'N/A']
      mustBeLessOrEqualTo: 1`,
			text: "qty\n1\nN/A\n\"\"\n3\n",
			want: []want{{rule: rules.QualityMissingValues.ID, column: "qty", count: 2, row: 2, value: "N/A",
				msg: []string{"missingValues is 2 rows, want <= 1"}, line: "- metric: missingValues"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contract := doc(tt.props)
			rep := checkCSV(t, contract, tt.text)
			assertFindings(t, contract, rep, tt.want...)
		})
	}
}

func TestMissingValuesAreNullsAndNotRangeChecked(t *testing.T) {
	props := `- name: temp
  logicalType: integer
  required: true
  logicalTypeOptions:
    minimum: 0
  quality:
    - metric: missingValues
      arguments:
        missingValues: [null, -200]
      mustBe: 0
    - metric: nullValues
      mustBeLessThan: 5`
	runValueCases(t, []valueCase{
		{
			name:  "a sentinel -200 under minimum 0 is missing, not out of range",
			props: props,
			cols:  []col{ints("temp", "5", "-200", "7", null, "-1")},
			want: []want{
				{rule: rules.ValueNull.ID, column: "temp", count: 2, row: 2, value: "-200", msg: []string{"2 nulls (40.00% of 5 rows)"}, line: "required: true"},
				{rule: rules.QualityMissingValues.ID, column: "temp", count: 2, row: 2, value: "-200", msg: []string{"missingValues is 2 rows, want = 0"}, line: "- metric: missingValues"},
				{rule: rules.ValueRange.ID, column: "temp", count: 1, row: 5, value: "-1", line: "minimum: 0"},
			},
		},
	})
}

func TestQualityOperators(t *testing.T) {
	// Four rows: each operator once holding, once not. Between bounds are
	// inclusive.
	tests := []struct {
		op         string
		pass, fail string
		want       string
	}{
		{"mustBe", "4", "5", "= 5"},
		{"mustNotBe", "5", "4", "!= 4"},
		{"mustBeGreaterThan", "3", "4", "> 4"},
		{"mustBeGreaterOrEqualTo", "4", "5", ">= 5"},
		{"mustBeLessThan", "5", "4", "< 4"},
		{"mustBeLessOrEqualTo", "4", "3", "<= 3"},
		{"mustBeBetween", "[4, 10]", "[5, 10]", "between 5 and 10"},
		{"mustNotBeBetween", "[5, 10]", "[1, 4]", "not between 1 and 4"},
	}
	cols := []col{ints("id", "1", "2", "3", "4")}
	props := "- name: id\n  logicalType: integer"
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.pass+" holds for a row count of 4", func(t *testing.T) {
			contract := doc(props, "- metric: rowCount\n  "+tt.op+": "+tt.pass)
			eachFormat(t, contract, cols, func(t *testing.T, rep *report.Report) {
				assertFindings(t, contract, rep)
				if c, ok := checkOf(rep, rules.QualityRowCount.ID, ""); !ok || !c.Passed {
					t.Errorf("rowCount check %+v (listed %v), want listed and passed", c, ok)
				}
			})
		})
		t.Run(tt.op+" "+tt.fail+" fails for a row count of 4", func(t *testing.T) {
			contract := doc(props, "- metric: rowCount\n  "+tt.op+": "+tt.fail)
			eachFormat(t, contract, cols, func(t *testing.T, rep *report.Report) {
				assertFindings(t, contract, rep, want{rule: rules.QualityRowCount.ID, severity: report.SeverityError, count: 4,
					msg: []string{"rowCount is 4, want " + tt.want}, line: "- metric: rowCount"})
				if c, ok := checkOf(rep, rules.QualityRowCount.ID, ""); !ok || c.Passed {
					t.Errorf("rowCount check %+v (listed %v), want listed and failed", c, ok)
				}
			})
		})
	}
}

func TestQualityMetrics(t *testing.T) {
	runValueCases(t, []valueCase{
		{
			name:  "nullValues counts nulls against its operator",
			props: "- name: v\n  logicalType: string\n  quality:\n    - metric: nullValues\n      mustBe: 0",
			cols:  []col{strs("v", "a", null, "b", null)},
			want: []want{{rule: rules.QualityNullValues.ID, severity: report.SeverityError, column: "v", count: 2,
				msg: []string{"nullValues is 2 rows, want = 0"}, line: "- metric: nullValues"}},
		},
		{
			name:  "nullValues in percent passes at the limit",
			props: "- name: v\n  logicalType: string\n  quality:\n    - metric: nullValues\n      unit: percent\n      mustBeLessOrEqualTo: 25",
			cols:  []col{strs("v", "a", null, "b", "c")},
		},
		{
			name:  "nullValues in percent compares the share of rows",
			props: "- name: v\n  logicalType: string\n  quality:\n    - metric: nullValues\n      unit: percent\n      mustBeLessThan: 25",
			cols:  []col{strs("v", "a", null, "b", "c")},
			want: []want{{rule: rules.QualityNullValues.ID, column: "v", count: 1,
				msg: []string{"nullValues is 25.00% (1 of 4 rows), want < 25%"}, line: "- metric: nullValues"}},
		},
		{
			name: "missingValues counts nulls, empty strings and N/A",
			props: `- name: v
  logicalType: string
  quality:
    - metric: missingValues
      arguments:
        missingValues: [null, '', 'N/A']
      mustBeLessThan: 3`,
			cols: []col{strs("v", "a", "N/A", null, "b", "", "n/a")},
			want: []want{{rule: rules.QualityMissingValues.ID, column: "v", count: 3, row: 2, value: "N/A",
				msg: []string{"missingValues is 3 rows, want < 3"}, line: "- metric: missingValues"}},
		},
		{
			name: "invalidValues with validValues passes when every value is listed",
			props: `- name: status
  logicalType: string
  quality:
    - metric: invalidValues
      arguments:
        validValues: [open, closed]
      mustBe: 0`,
			cols: []col{strs("status", "open", "closed", null, "open")},
		},
		{
			name: "invalidValues with validValues counts unlisted values but not nulls",
			props: `- name: status
  logicalType: string
  quality:
    - metric: invalidValues
      name: known statuses
      arguments:
        validValues: [open, closed]
      mustBe: 0`,
			cols: []col{strs("status", "open", "pending", null, "Open", "closed")},
			want: []want{{rule: rules.QualityInvalidValues.ID, column: "status", count: 2, row: 2, value: "pending",
				msg: []string{"known statuses (invalidValues) is 2 rows, want = 0", "first at row 2"}, line: "- metric: invalidValues"}},
		},
		{
			name: "invalidValues with validValues compares integers by value",
			props: `- name: level
  logicalType: integer
  quality:
    - metric: invalidValues
      arguments:
        validValues: [1, 2, 3]
      mustBeLessOrEqualTo: 0`,
			cols: []col{ints("level", "1", "3", "4", "2", "0")},
			want: []want{{rule: rules.QualityInvalidValues.ID, column: "level", count: 2, row: 3, value: "4",
				msg: []string{"invalidValues is 2 rows, want <= 0"}}},
		},
		{
			name: "invalidValues with a pattern counts values that do not match",
			props: `- name: code
  logicalType: string
  quality:
    - metric: invalidValues
      arguments:
        pattern: '^[a-z]+$'
      unit: percent
      mustBeLessThan: 10`,
			cols: []col{strs("code", "abc", "ABC", "a1", "xyz")},
			want: []want{{rule: rules.QualityInvalidValues.ID, column: "code", count: 2, row: 2, value: "ABC",
				msg: []string{"invalidValues is 50.00% (2 of 4 rows), want < 10%"}}},
		},
		{
			name:  "duplicateValues on a column counts the rows beyond each value's first, as ODCS defines it",
			props: "- name: email\n  logicalType: string\n  quality:\n    - metric: duplicateValues\n      mustBe: 0",
			cols:  []col{strs("email", "a@x.io", "b@x.io", "a@x.io", null, null)},
			want: []want{{rule: rules.QualityDuplicateValues.ID, column: "email", count: 1, row: 3, value: "a@x.io",
				msg: []string{"duplicateValues is 1 row, want = 0"}, line: "- metric: duplicateValues"}},
		},
		{
			name:    "duplicateValues on the schema with arguments.properties checks the tuple",
			props:   "- name: a\n  logicalType: string\n- name: b\n  logicalType: integer",
			quality: []string{"- metric: duplicateValues\n  arguments:\n    properties: [a, b]\n  mustBe: 0"},
			cols:    []col{strs("a", "x", "x", "y", "x"), ints("b", "1", "2", "1", "1")},
			want: []want{{rule: rules.QualityDuplicateValues.ID, column: "", count: 1, row: 4, value: "(x, 1)",
				msg: []string{"duplicateValues is 1 row, want = 0"}, line: "- metric: duplicateValues"}},
		},
		{
			name:    "duplicateValues on the schema passes for distinct tuples",
			props:   "- name: a\n  logicalType: string\n- name: b\n  logicalType: integer",
			quality: []string{"- metric: duplicateValues\n  arguments:\n    properties: [a, b]\n  mustBe: 0"},
			cols:    []col{strs("a", "x", "x", "y", "y"), ints("b", "1", "2", "1", "2")},
		},
		{
			name: "invalidValues applies to booleans and dates by their text",
			props: `- name: flag
  logicalType: boolean
  quality:
    - metric: invalidValues
      arguments:
        validValues: [true]
      mustBe: 0
- name: day
  logicalType: date
  quality:
    - metric: invalidValues
      arguments:
        validValues: ["2020-01-01"]
      mustBe: 0`,
			cols: []col{{"flag", arrow.FixedWidthTypes.Boolean, []string{"true", "false", null}}, {"day", date32, []string{"2020-01-01", "2021-01-01", "2020-01-01"}}},
			want: []want{
				{rule: rules.QualityInvalidValues.ID, column: "flag", count: 1, row: 2, value: "false", line: "- metric: invalidValues"},
				{rule: rules.QualityInvalidValues.ID, column: "day", count: 1, row: 2, value: "2021-01-01", line: "- metric: invalidValues", lineAfter: "- name: day"},
			},
		},
		{
			name: "a date listed in missingValues is missing, not out of range",
			props: `- name: day
  logicalType: date
  logicalTypeOptions:
    minimum: "2000-01-01"
  quality:
    - metric: missingValues
      arguments:
        missingValues: ["1900-01-01"]
      mustBe: 0`,
			cols: []col{{"day", date32, []string{"2020-01-01", "1900-01-01"}}},
			want: []want{{rule: rules.QualityMissingValues.ID, column: "day", count: 1, row: 2, value: "1900-01-01"}},
		},
		{
			name: "a decimal sentinel in missingValues is missing, not out of range",
			props: `- name: amount
  logicalType: number
  physicalType: decimal(12,2)
  logicalTypeOptions:
    minimum: 0
  quality:
    - metric: missingValues
      arguments:
        missingValues: [-200]
      mustBe: 0`,
			cols: []col{{"amount", dec12s2, []string{"-200.00", "5.00"}}},
			want: []want{{rule: rules.QualityMissingValues.ID, column: "amount", count: 1, row: 1}},
		},
		{
			name:    "a rule's severity warning makes its finding a warning",
			props:   "- name: id\n  logicalType: integer",
			quality: []string{"- metric: rowCount\n  severity: warning\n  mustBeGreaterThan: 100"},
			cols:    []col{ints("id", "1")},
			want: []want{{rule: rules.QualityRowCount.ID, severity: report.SeverityWarning, count: 1,
				msg: []string{"rowCount is 1, want > 100"}, line: "- metric: rowCount"}},
		},
		{
			name:  "a rule's severity info makes its finding info",
			props: "- name: id\n  logicalType: integer\n  quality:\n    - metric: nullValues\n      severity: info\n      mustBe: 0",
			cols:  []col{ints("id", null)},
			want:  []want{{rule: rules.QualityNullValues.ID, severity: report.SeverityInfo, column: "id", count: 1}},
		},
	})
}

func TestQualityRulesOfODCSv302(t *testing.T) {
	props := `- name: id
  logicalType: integer
  quality:
    - rule: duplicateCount
      mustBeLessThan: 1
- name: status
  logicalType: string
  quality:
    - rule: validValues
      validValues: [open, closed]
      mustBe: 0`
	quality := "- rule: rowCount\n  mustBeGreaterOrEqualTo: 10"
	contract := docVersion("v3.0.2", props, quality)
	cols := []col{ints("id", "1", "2", "2"), strs("status", "open", "closed", "lost")}
	eachFormat(t, contract, cols, func(t *testing.T, rep *report.Report) {
		assertFindings(t, contract, rep,
			want{rule: rules.QualityDuplicateValues.ID, column: "id", count: 1, msg: []string{"duplicateValues is 1 row, want < 1"}, line: "- rule: duplicateCount"},
			want{rule: rules.QualityInvalidValues.ID, column: "status", count: 1, value: "lost", msg: []string{"invalidValues is 1 row, want = 0"}, line: "- rule: validValues"},
			want{rule: rules.QualityRowCount.ID, count: 3, msg: []string{"rowCount is 3, want >= 10"}, line: "- rule: rowCount"},
		)
	})
}

func TestQualityRulesDriftgateDoesNotRun(t *testing.T) {
	props := `- name: id
  logicalType: integer
  quality:
    - type: sql
      query: SELECT COUNT(*) FROM {object} WHERE {property} < 0
      mustBe: 0
    - type: text
      description: Ids are issued by the billing system.`
	quality := []string{
		"- type: custom\n  engine: soda\n  implementation: |\n    checks for t:\n      - row_count > 0",
		"- type: sql\n  name: balanced ledger\n  query: SELECT 1\n  mustBe: 1",
	}
	contract := doc(props, quality...)
	eachFormat(t, contract, []col{ints("id", "1")}, func(t *testing.T, rep *report.Report) {
		assertFindings(t, contract, rep,
			want{rule: rules.QualityNotExecuted.ID, severity: report.SeverityInfo, column: "id", msg: []string{"sql rule not executed: sql rules need a database engine"}, line: "- type: sql"},
			want{rule: rules.QualityNotExecuted.ID, severity: report.SeverityInfo, column: "id", msg: []string{`text rule "Ids are issued by the billing system." not executed`}, line: "- type: text"},
			want{rule: rules.QualityNotExecuted.ID, severity: report.SeverityInfo, column: "", msg: []string{"custom rule not executed", "(soda)"}, line: "- type: custom"},
			want{rule: rules.QualityNotExecuted.ID, severity: report.SeverityInfo, column: "", msg: []string{`sql rule "balanced ledger" not executed`}, line: "- type: sql", lineAfter: "- type: custom"},
		)
		if rep.Status != report.StatusPass {
			t.Errorf("status %s, want pass: rules not run are info", rep.Status)
		}
	})
}

func TestFailOn(t *testing.T) {
	// An undeclared column is a warning; a rowCount rule at info adds an
	// info finding.
	contract := doc("- name: id\n  logicalType: integer", "- metric: rowCount\n  severity: info\n  mustBe: 0")
	path := writeCSV(t, filepath.Join(t.TempDir(), "t.csv"), []col{ints("id", "1"), strs("extra", "x")})
	tests := []struct {
		failOn string
		want   report.Status
	}{
		{"", report.StatusPass},
		{"error", report.StatusPass},
		{"warning", report.StatusFail},
		{"info", report.StatusFail},
		{"never", report.StatusPass},
	}
	for _, tt := range tests {
		t.Run("a warning-only report with fail-on "+strconv.Quote(tt.failOn)+" is "+string(tt.want), func(t *testing.T) {
			rep, err := runCheck(t, contract, []string{path}, tt.failOn)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status != tt.want {
				t.Errorf("status %s, want %s", rep.Status, tt.want)
			}
			if rep.Summary.Warnings != 1 || rep.Summary.Infos != 1 || rep.Summary.Errors != 0 {
				t.Errorf("summary %+v, want 1 warning and 1 info", rep.Summary)
			}
		})
	}
	t.Run("an error finding with fail-on never passes", func(t *testing.T) {
		contract := doc("- name: id\n  logicalType: integer\n  required: true")
		path := writeCSV(t, filepath.Join(t.TempDir(), "t.csv"), []col{ints("id", "1", null)})
		rep, err := runCheck(t, contract, []string{path}, "never")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != report.StatusPass || rep.Summary.Errors != 1 {
			t.Errorf("status %s with %d errors, want pass with 1", rep.Status, rep.Summary.Errors)
		}
	})
	t.Run("an unknown fail-on is an error", func(t *testing.T) {
		if _, err := runCheck(t, contract, []string{path}, "sometimes"); err == nil {
			t.Error("no error")
		}
	})
}

func TestUnreadableData(t *testing.T) {
	contract := doc("- name: id\n  logicalType: integer\n- name: name\n  logicalType: string")
	dir := t.TempDir()
	good := writeParquet(t, filepath.Join(dir, "good.parquet"), []col{ints("id", "1", "2", "3", "4"), strs("name", "a", "b", "c", "d")})
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.parquet")
	if err := os.WriteFile(truncated, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	noFooter := filepath.Join(dir, "nofooter.parquet")
	if err := os.WriteFile(noFooter, data[:len(data)-8], 0o644); err != nil {
		t.Fatal(err)
	}
	ragged := filepath.Join(dir, "ragged.csv")
	if err := os.WriteFile(ragged, []byte("id,name\n1,a\n2,b,extra\n3,c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badQuote := filepath.Join(dir, "quote.csv")
	if err := os.WriteFile(badQuote, []byte("id,name\n1,\"a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files []string
		bad   string
	}{
		{"a truncated parquet file is a read error", []string{truncated}, truncated},
		{"a parquet file without its footer magic is a read error", []string{noFooter}, noFooter},
		{"a ragged csv is a read error", []string{ragged}, ragged},
		{"an unterminated quote is a read error", []string{badQuote}, badQuote},
		{"a bad file after a good one still fails the run", []string{good, ragged}, ragged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := runCheck(t, contract, tt.files, "never")
			var re *source.ReadError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *source.ReadError", err, err)
			}
			if re.Path != tt.bad {
				t.Errorf("ReadError.Path %q, want %q", re.Path, tt.bad)
			}
			if rep == nil {
				t.Fatal("no report")
			}
			if rep.Status != report.StatusError || rep.Error == "" {
				t.Errorf("status %q error %q, want error with a reason, even with fail-on never", rep.Status, rep.Error)
			}
			if len(rep.Inputs) != len(tt.files) || rep.Inputs[len(rep.Inputs)-1].Path != tt.bad {
				t.Errorf("inputs %+v, want %d ending with %s", rep.Inputs, len(tt.files), tt.bad)
			}
		})
	}
}

func TestReportMetadata(t *testing.T) {
	props := `- name: id
  logicalType: integer
  unique: true
- name: name
  logicalType: string
  logicalTypeOptions:
    maxLength: 3`
	contract := doc(props)
	dir := t.TempDir()
	a := writeParquet(t, filepath.Join(dir, "a.parquet"), []col{ints("id", "1", "2", "3"), strs("name", "abc", "b", "c")})
	b := writeCSV(t, filepath.Join(dir, "b.csv"), []col{ints("id", "4", "2"), strs("name", "d", "e")})
	rep := mustCheck(t, contract, a, b)

	c := parseContract(t, contract)
	if rep.Contract == nil || rep.Contract.ID != "urn:test:orders" || rep.Contract.Version != "1.2.0" ||
		rep.Contract.SHA256 != c.SHA256 || rep.Contract.Path != contractPath || rep.Contract.Schema != "t" {
		t.Errorf("contract %+v", rep.Contract)
	}
	if sum := sha256.Sum256([]byte(contract)); c.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("contract hash %s is not the SHA-256 of its text", c.SHA256)
	}
	wantInputs := []struct {
		path, format string
		rows         int64
	}{{a, "parquet", 3}, {b, "csv", 2}}
	if len(rep.Inputs) != len(wantInputs) {
		t.Fatalf("inputs %+v", rep.Inputs)
	}
	for i, w := range wantInputs {
		in := rep.Inputs[i]
		data, err := os.ReadFile(w.path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if in.Path != w.path || in.Format != w.format || in.Rows != w.rows || in.Size != int64(len(data)) || in.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("input %d: %+v, want %s %s %d rows, %d bytes, sha256 %x", i, in, w.path, w.format, w.rows, len(data), sum)
		}
	}
	if rep.Summary.Rows != 5 {
		t.Errorf("summary rows %d, want 5", rep.Summary.Rows)
	}
	// Uniqueness spans the files: id 2 is in both.
	assertFindings(t, contract, rep, want{rule: rules.ValueUnique.ID, column: "id", count: 2, row: 2, value: "2", line: "unique: true"})
	if f := rep.Findings[0]; len(f.Examples) != 1 || f.Examples[0].File != b {
		t.Errorf("examples %+v, want the repeat in %s", f.Examples, b)
	}

	wantChecks := map[[2]string]bool{
		{rules.ColumnMissing.ID, "id"}: true, {rules.ColumnType.ID, "id"}: true, {rules.ValueType.ID, "id"}: true, {rules.ValueUnique.ID, "id"}: false,
		{rules.ColumnMissing.ID, "name"}: true, {rules.ColumnType.ID, "name"}: true, {rules.ValueLength.ID, "name"}: true,
		{rules.ColumnUnexpected.ID, ""}: true,
	}
	got := map[[2]string]bool{}
	for _, ch := range rep.Checks {
		got[[2]string{ch.Rule, ch.Column}] = ch.Passed
		if ch.Schema != "t" {
			t.Errorf("check %+v has schema %q, want t", ch, ch.Schema)
		}
	}
	for k, passed := range wantChecks {
		if g, ok := got[k]; !ok || g != passed {
			t.Errorf("check %s on %q: listed %v passed %v, want listed, passed %v", k[0], k[1], ok, g, passed)
		}
	}
	for k := range got {
		if _, ok := wantChecks[k]; !ok {
			t.Errorf("unexpected check %s on %q", k[0], k[1])
		}
	}
	if rep.Summary.Checks != len(wantChecks) || rep.Summary.Failed != 1 || rep.Status != report.StatusFail {
		t.Errorf("summary %+v status %s, want %d checks, 1 failed, fail", rep.Summary, rep.Status, len(wantChecks))
	}
}

// BenchmarkCheckParquet checks a generated 1M-row, 8-column Parquet file
// against a contract of 20 rules: the hot path of `driftgate check`.
func BenchmarkCheckParquet(b *testing.B) {
	const rows = 1 << 20
	path := filepath.Join(b.TempDir(), "orders.parquet")
	writeBenchParquet(b, path, rows)
	benchCheck(b, path, rows)
}

// benchCheck checks path, rows of valid data, against benchContract, and
// reports rows/s and the CPU time per check.
func benchCheck(b *testing.B, path string, rows int64) {
	opts := Options{Contract: parseContract(b, benchContract), Files: []string{path}, Source: source.Options{Mem: memory.NewGoAllocator()}}
	start := cpuTime(syscall.RUSAGE_SELF)
	for b.Loop() {
		rep, err := Check(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Rows != rows || rep.Status != report.StatusPass {
			b.Fatalf("rows %d status %s, want %d pass:\n%s", rep.Summary.Rows, rep.Status, rows, dump(rep.Findings))
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	// CPU time of the whole process, every goroutine: steadier than wall
	// time on a machine shared with other work.
	b.ReportMetric(float64(cpuTime(syscall.RUSAGE_SELF)-start)/float64(b.N), "cpu-ns/op")
}

// benchContract is the 20 rules the check benchmarks hold their data to.
var benchContract = doc(`- name: id
  logicalType: integer
  physicalType: bigint
  required: true
  primaryKey: true
  logicalTypeOptions:
    minimum: 1
- name: customer_id
  logicalType: integer
  required: true
  logicalTypeOptions:
    minimum: 1
    maximum: 1000000
- name: amount
  logicalType: number
  physicalType: decimal(12,2)
  logicalTypeOptions:
    minimum: 0
    maximum: 100000
- name: rate
  logicalType: number
  logicalTypeOptions:
    exclusiveMinimum: 0
    maximum: 1
- name: status
  logicalType: string
  logicalTypeOptions:
    maxLength: 10
  quality:
    - metric: invalidValues
      arguments:
        validValues: [open, closed, pending]
      mustBe: 0
- name: email
  logicalType: string
  logicalTypeOptions:
    format: email
  quality:
    - metric: nullValues
      unit: percent
      mustBeLessThan: 5
- name: created
  logicalType: timestamp
  physicalType: timestamptz
  logicalTypeOptions:
    minimum: "2020-01-01T00:00:00Z"
- name: country
  logicalType: string
  logicalTypeOptions:
    pattern: ^[A-Z]{2}$
    minLength: 2
  quality:
    - metric: missingValues
      arguments:
        missingValues: [null, '', 'ZZ']
      mustBeLessOrEqualTo: 1000`, "- metric: rowCount\n  mustBeGreaterThan: 1000",
	"- metric: duplicateValues\n  arguments:\n    properties: [customer_id, created]\n  mustBe: 0")

// writeBenchParquet writes rows of valid order data in batches, as a
// producer would.
func writeBenchParquet(b *testing.B, path string, rows int) {
	b.Helper()
	mem := memory.NewGoAllocator()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "customer_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "amount", Type: dec12s2},
		{Name: "rate", Type: arrow.PrimitiveTypes.Float64},
		{Name: "status", Type: dictString, Nullable: true},
		{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "created", Type: tsUTC},
		{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	const batch = 64 * 1024
	statuses := []string{"open", "closed", "pending"}
	countries := []string{"DE", "FR", "NL", "US", "JP", "BR"}
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	var recs []arrow.RecordBatch
	for start := 0; start < rows; start += batch {
		bld := array.NewRecordBuilder(mem, sc)
		for i := start; i < start+batch && i < rows; i++ {
			bld.Field(0).(*array.Int64Builder).Append(int64(i + 1))
			bld.Field(1).(*array.Int32Builder).Append(int32(i%1000000 + 1))
			bld.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i%10000000) + 1))
			bld.Field(3).(*array.Float64Builder).Append(float64(i%1000+1) / 1000)
			if err := bld.Field(4).(*array.BinaryDictionaryBuilder).AppendString(statuses[i%3]); err != nil {
				b.Fatal(err)
			}
			if i%100 == 0 {
				bld.Field(5).AppendNull()
			} else {
				bld.Field(5).(*array.StringBuilder).Append("user" + strconv.Itoa(i) + "@example.com")
			}
			bld.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(base + int64(i)*1000))
			bld.Field(7).(*array.StringBuilder).Append(countries[i%len(countries)])
		}
		recs = append(recs, bld.NewRecordBatch())
		bld.Release()
	}
	writeRecords(b, path, sc, 128*1024, recs...)
	for _, r := range recs {
		r.Release()
	}
}
