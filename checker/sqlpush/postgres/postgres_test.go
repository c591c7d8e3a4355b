package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
	"github.com/driftgate/driftgate/checker/sqlpush/sqlpushtest"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

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

// loadOrders loads the shipped orders.csv into public.orders, in file
// order.
func loadOrders(t *testing.T, db *sql.DB) {
	t.Helper()
	var defs, ph []string
	for i, c := range sqlpushtest.OrdersColumns {
		defs = append(defs, c.Name+" "+string(c.Kind))
		ph = append(ph, fmt.Sprintf("$%d", i+1))
	}
	if _, err := db.Exec(`CREATE TABLE orders (` + strings.Join(defs, ", ") + `)`); err != nil {
		t.Fatal(err)
	}
	for _, row := range sqlpushtest.Orders(t) {
		if _, err := db.Exec(`INSERT INTO orders VALUES (`+strings.Join(ph, ", ")+`)`, row...); err != nil {
			t.Fatalf("load row %v: %v", row, err)
		}
	}
}

// TestAgreesWithArrowEngine: the planted orders fixture checked in
// PostgreSQL gives the Arrow engine's findings on the same CSV.
func TestAgreesWithArrowEngine(t *testing.T) {
	db := testDB(t)
	loadOrders(t, db)
	sqlpushtest.Agree(t, New(db), sqlpush.Options{DBSchema: "public", Input: "postgres orders"}, duckdb.Files{})
}

// arrayLiteral spells a test list as a PostgreSQL array of type typ.
func arrayLiteral(items []any, typ string) string {
	if items == nil {
		return "NULL"
	}
	var parts []string
	for _, v := range items {
		switch v := v.(type) {
		case nil:
			parts = append(parts, "NULL")
		case string:
			parts = append(parts, "'"+strings.ReplaceAll(v, "'", "''")+"'")
		default:
			parts = append(parts, fmt.Sprint(v))
		}
	}
	return "ARRAY[" + strings.Join(parts, ", ") + "]::" + typ
}

// TestArrayRulesAgreeWithArrowEngine: minItems, maxItems and uniqueItems
// pushed down to PostgreSQL arrays give the Arrow engine's findings on the
// same rows in a Parquet file; an array rule on a column that is no array
// is listed as not executed, never passed.
func TestArrayRulesAgreeWithArrowEngine(t *testing.T) {
	db := testDB(t)
	if _, err := db.Exec(`CREATE TABLE arrays (id bigint, tags text[], codes bigint[])`); err != nil {
		t.Fatal(err)
	}
	for _, r := range sqlpushtest.ArrayRows {
		q := fmt.Sprintf("INSERT INTO arrays VALUES (%d, %s, %s)", r.ID, arrayLiteral(r.Tags, "text[]"), arrayLiteral(r.Codes, "bigint[]"))
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sqlpushtest.AgreeOnArrays(t, New(db), sqlpush.Options{DBSchema: "public", Input: "postgres arrays"})

	t.Run("an array rule on a text column is not executed", func(t *testing.T) {
		if _, err := db.Exec(`ALTER TABLE arrays ALTER COLUMN codes TYPE text USING codes::text`); err != nil {
			t.Fatal(err)
		}
		rep, err := sqlpush.Check(context.Background(), New(db), sqlpush.Options{Contract: sqlpushtest.ArraysContract(t), DBSchema: "public", Input: "postgres arrays"})
		if err != nil {
			t.Fatal(err)
		}
		var skipped []string
		for _, f := range rep.Findings {
			if f.Rule == "CHECK_SKIPPED" && f.Column == "codes" {
				skipped = append(skipped, f.Message)
			}
		}
		for _, id := range []string{"VALUE_ITEMS", "VALUE_UNIQUE_ITEMS"} {
			if !slices.ContainsFunc(skipped, func(m string) bool {
				return strings.HasPrefix(m, id+" needs an array column; PostgreSQL's type is text: not executed")
			}) {
				t.Errorf("%s on codes is not listed as not executed: %q", id, skipped)
			}
			for _, c := range rep.Checks {
				if c.Rule == id && c.Column == "codes" {
					t.Errorf("%s on codes is listed as %s", id, c.Status)
				}
			}
		}
	})
}
