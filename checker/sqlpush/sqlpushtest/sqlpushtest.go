// Package sqlpushtest is the differential test every SQL pushdown engine
// passes: the planted orders fixture, loaded into the engine, must give
// the Arrow engine's findings on the same file, rule by rule, count by
// count and example row by example row. An engine's test loads Orders
// into a table named orders, in file order, and calls Agree.
package sqlpushtest

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/contracts"
)

// Fixture is the folder of the planted orders fixture.
func Fixture() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "fixtures", "orders")
}

// Kind is the type a column is loaded as; each engine spells it.
type Kind string

// The kinds of the orders columns.
const (
	BigInt    Kind = "bigint"
	Text      Kind = "text"
	Decimal   Kind = "decimal(10,2)"
	Integer   Kind = "integer"
	Date      Kind = "date"
	Timestamp Kind = "timestamptz"
	Boolean   Kind = "boolean"
)

// Column is one orders column, typed as the contract declares it.
type Column struct {
	Name string
	Kind Kind
}

// OrdersColumns are the orders table's columns, in file order.
var OrdersColumns = []Column{
	{"order_id", BigInt}, {"customer_id", Text}, {"email", Text}, {"amount", Decimal},
	{"currency", Text}, {"status", Text}, {"quantity", Integer}, {"order_date", Date},
	{"created_at", Timestamp}, {"country", Text}, {"is_gift", Boolean},
}

var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// value is a CSV cell as a value of the column's kind: a cell that does not
// parse loads as NULL, as the Arrow engine neither counts it as a value
// nor as a null (it is a VALUE_TYPE finding, which a typed table cannot
// have). Decimals stay text, which every engine casts exactly.
func value(k Kind, cell string) any {
	if k == Text {
		return cell
	}
	if cell == "" {
		return nil
	}
	var v any
	var err error
	switch k {
	case BigInt:
		v, err = strconv.ParseInt(cell, 10, 64)
	case Integer:
		var n int64
		n, err = strconv.ParseInt(cell, 10, 32)
		v = int32(n)
	case Decimal:
		if decimalText.MatchString(cell) {
			return cell
		}
		return nil
	case Date:
		v, err = time.Parse(time.DateOnly, cell)
	case Timestamp:
		v, err = time.Parse(time.RFC3339Nano, cell)
	case Boolean:
		v, err = strconv.ParseBool(cell)
	}
	if err != nil {
		return nil
	}
	return v
}

// Orders returns the shipped orders.csv's rows, planted problems and all,
// as values of OrdersColumns' kinds (nil for NULL).
func Orders(t testing.TB) [][]any {
	t.Helper()
	f, err := os.Open(filepath.Join(Fixture(), "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for _, rec := range recs[1:] {
		row := make([]any, len(OrdersColumns))
		for i, c := range OrdersColumns {
			row[i] = value(c.Kind, rec[i])
		}
		out = append(out, row)
	}
	return out
}

// Contract loads the fixture's contract.
func Contract(t testing.TB) *contracts.Contract {
	t.Helper()
	c, err := contracts.Load(filepath.Join(Fixture(), "contract.odcs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Seen is what the test compares of one finding.
type Seen struct {
	Rule, Column, Severity string
	Count                  int64
	Line                   int
	Rows                   string
}

// Summarize is the findings of the rules keep accepts, sorted.
func Summarize(r *report.Report, keep func(string) bool) []Seen {
	var out []Seen
	for _, f := range r.Findings {
		if !keep(f.Rule) {
			continue
		}
		s := Seen{Rule: f.Rule, Column: f.Column, Severity: string(f.Severity), Count: f.Count}
		if f.Location != nil {
			s.Line = f.Location.Line
		}
		var rows []string
		for _, e := range f.Examples {
			rows = append(rows, strconv.FormatInt(e.Row, 10))
		}
		s.Rows = strings.Join(rows, ",")
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Seen) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// PushedDown are the rules every engine runs inside the database; the
// others are listed as not executed.
var PushedDown = []string{"COLUMN_MISSING", "COLUMN_UNEXPECTED", "COLUMN_TYPE", "VALUE_NULL", "VALUE_UNIQUE", "VALUE_RANGE",
	"VALUE_LENGTH", "VALUE_PATTERN", "VALUE_MULTIPLE_OF", "QUALITY_ROW_COUNT", "QUALITY_NULL_VALUES",
	"QUALITY_INVALID_VALUES", "QUALITY_MISSING_VALUES", "QUALITY_DUPLICATE_VALUES", "QUALITY_SQL"}

// Agree checks the orders table in engine e and requires the Arrow
// engine's findings on orders.csv for every rule in PushedDown, the same
// row count, the rest listed as not executed, and a failing verdict. The
// contract's sql rules run on the file through files (embedded DuckDB,
// duckdb.Files) and on the table in e: their results must agree too. It
// returns the pushdown's report for the engine's own assertions.
func Agree(t *testing.T, e sqlpush.Engine, opts sqlpush.Options, files checker.SQLRunner) *report.Report {
	t.Helper()
	c := Contract(t)
	ctx := context.Background()
	arrow, err := checker.Check(ctx, checker.Options{Contract: c, Files: []string{filepath.Join(Fixture(), "orders.csv")}, SQL: files})
	if err != nil {
		t.Fatal(err)
	}
	opts.Contract = c
	if !slices.ContainsFunc(arrow.Checks, func(k report.Check) bool { return k.Rule == "QUALITY_SQL" }) {
		// A build without DuckDB (no cgo) runs no sql rule on files, and
		// says so; the engine's sql rules are then compared with nothing.
		t.Log("sql rules on files were not executed (no DuckDB in this build): QUALITY_SQL is not compared")
		got, err := sqlpush.Check(ctx, e, opts)
		if err != nil {
			t.Fatal(err)
		}
		arrow.Findings = append(arrow.Findings, onlyRule(got, "QUALITY_SQL")...)
		arrow.Checks = append(arrow.Checks, report.Check{Rule: "QUALITY_SQL"})
	}
	got, err := sqlpush.Check(ctx, e, opts)
	if err != nil {
		t.Fatal(err)
	}
	pushed := func(id string) bool { return slices.Contains(PushedDown, id) }
	want, have := Summarize(arrow, pushed), Summarize(got, pushed)
	if len(want) < 7 {
		t.Fatalf("the Arrow engine found only %v: the fixture lost its planted problems", want)
	}
	if !slices.Equal(want, have) {
		t.Errorf("%s findings differ from the Arrow engine's:\n got %+v\nwant %+v", e.Name(), have, want)
	}
	if got.Summary.Rows != arrow.Summary.Rows {
		t.Errorf("rows %d, Arrow engine %d", got.Summary.Rows, arrow.Summary.Rows)
	}
	// The same rules ran: every check the Arrow engine lists for a pushed
	// rule is listed by the engine too.
	checks := func(r *report.Report) []string {
		var out []string
		for _, k := range r.Checks {
			if pushed(k.Rule) && k.Rule != "VALUE_TYPE" && k.Rule != "QUALITY_SQL" {
				out = append(out, k.Rule+" "+k.Column)
			}
		}
		slices.Sort(out)
		return out
	}
	if w, h := checks(arrow), checks(got); !slices.Equal(w, h) {
		t.Errorf("%s ran checks\n %q\nthe Arrow engine ran\n %q", e.Name(), h, w)
	}
	// What has no SQL form is said, never passed.
	var notRun []string
	for _, f := range got.Findings {
		if f.Rule == "CHECK_SKIPPED" || f.Rule == "QUALITY_NOT_EXECUTED" {
			notRun = append(notRun, f.Rule+" "+f.Column)
		}
	}
	for _, w := range []string{"CHECK_SKIPPED email", "QUALITY_NOT_EXECUTED "} {
		if !slices.Contains(notRun, w) {
			t.Errorf("no %q in the not-run findings %q", w, notRun)
		}
	}
	if got.Status != report.StatusFail {
		t.Errorf("status %s, want fail", got.Status)
	}
	return got
}

func onlyRule(r *report.Report, id string) []report.Finding {
	var out []report.Finding
	for _, f := range r.Findings {
		if f.Rule == id {
			out = append(out, f)
		}
	}
	return out
}
