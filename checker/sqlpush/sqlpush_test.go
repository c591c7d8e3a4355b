package sqlpush

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

const fixture = "../../fixtures/orders/"

// testDB opens a database of the test's own on the test server.
func testDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", testenv.PostgresDatabase(t, "sqlpush").String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The orders table, typed as the contract declares it.
var ordersColumns = []struct{ name, typ string }{
	{"order_id", "bigint"}, {"customer_id", "text"}, {"email", "text"}, {"amount", "numeric(10,2)"},
	{"currency", "text"}, {"status", "text"}, {"quantity", "integer"}, {"order_date", "date"},
	{"created_at", "timestamptz"}, {"country", "text"}, {"is_gift", "boolean"},
}

var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// parses says whether a CSV cell is a value of the column's type; cells
// that are not load as NULL, as the Arrow engine neither counts them as
// values nor as nulls (they are VALUE_TYPE findings, which a typed table
// cannot have).
func parses(typ, cell string) bool {
	var err error
	switch typ {
	case "text":
		return true
	case "bigint", "integer":
		_, err = strconv.ParseInt(cell, 10, 32+32*boolInt(typ == "bigint"))
	case "numeric(10,2)":
		return decimalText.MatchString(cell)
	case "date":
		_, err = time.Parse(time.DateOnly, cell)
	case "timestamptz":
		_, err = time.Parse(time.RFC3339Nano, cell)
	case "boolean":
		_, err = strconv.ParseBool(cell)
	}
	return err == nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// loadOrders loads the shipped orders.csv, planted problems and all, into
// public.orders, in file order.
func loadOrders(t *testing.T, db *sql.DB) {
	t.Helper()
	var defs []string
	for _, c := range ordersColumns {
		defs = append(defs, c.name+" "+c.typ)
	}
	if _, err := db.Exec(`CREATE TABLE orders (` + strings.Join(defs, ", ") + `)`); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(fixture + "orders.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		var ph []string
		var args []any
		for i, c := range ordersColumns {
			ph = append(ph, fmt.Sprintf("$%d::%s", i+1, c.typ))
			var v any
			if cell := rec[i]; parses(c.typ, cell) && (c.typ == "text" || cell != "") {
				v = cell
			}
			args = append(args, v)
		}
		if _, err := db.Exec(`INSERT INTO orders VALUES (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
			t.Fatalf("load row %v: %v", rec, err)
		}
	}
}

// pushedDown are the rules the pushdown runs in the database; the others
// are listed as not executed.
var pushedDown = []string{"COLUMN_MISSING", "COLUMN_UNEXPECTED", "VALUE_NULL", "VALUE_UNIQUE", "VALUE_RANGE",
	"VALUE_LENGTH", "VALUE_PATTERN", "VALUE_MULTIPLE_OF", "QUALITY_ROW_COUNT", "QUALITY_NULL_VALUES"}

type seen struct {
	Rule, Column, Severity string
	Count                  int64
	Line                   int
	Rows                   string
}

func summarize(r *report.Report, keep func(string) bool) []seen {
	var out []seen
	for _, f := range r.Findings {
		if !keep(f.Rule) {
			continue
		}
		s := seen{Rule: f.Rule, Column: f.Column, Severity: string(f.Severity), Count: f.Count}
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
	slices.SortFunc(out, func(a, b seen) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// TestAgreesWithArrowEngine is the differential test: the planted orders
// fixture checked in PostgreSQL gives the Arrow engine's findings on the
// same CSV, rule by rule, count by count and example row by example row,
// for every rule with an SQL form; the rest are listed as not executed.
func TestAgreesWithArrowEngine(t *testing.T) {
	db := testDB(t)
	loadOrders(t, db)
	c, err := contracts.Load(fixture + "contract.odcs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	arrow, err := checker.Check(ctx, checker.Options{Contract: c, Files: []string{fixture + "orders.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Check(ctx, db, Options{Contract: c, Input: "postgres orders"})
	if err != nil {
		t.Fatal(err)
	}
	pushed := func(id string) bool { return slices.Contains(pushedDown, id) }
	want, have := summarize(arrow, pushed), summarize(got, pushed)
	if len(want) < 6 {
		t.Fatalf("the Arrow engine found only %v: the fixture lost its planted problems", want)
	}
	if !slices.Equal(want, have) {
		t.Errorf("pushdown findings differ from the Arrow engine's:\n got %+v\nwant %+v", have, want)
	}
	if got.Summary.Rows != arrow.Summary.Rows {
		t.Errorf("rows %d, Arrow engine %d", got.Summary.Rows, arrow.Summary.Rows)
	}
	// What has no SQL form is said, never passed.
	var notRun []string
	for _, f := range got.Findings {
		if f.Rule == "CHECK_SKIPPED" || f.Rule == "QUALITY_NOT_EXECUTED" {
			notRun = append(notRun, f.Rule+" "+f.Column)
		}
	}
	for _, w := range []string{"CHECK_SKIPPED email", "QUALITY_NOT_EXECUTED currency", "QUALITY_NOT_EXECUTED status", "QUALITY_NOT_EXECUTED "} {
		if !slices.Contains(notRun, w) {
			t.Errorf("no %q in the not-run findings %q", w, notRun)
		}
	}
	if got.Status != report.StatusFail {
		t.Errorf("status %s, want fail", got.Status)
	}
}
