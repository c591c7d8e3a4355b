package postgres

import (
	"database/sql"
	"fmt"
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
