//go:build cgo

package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// duckContract checks shop.orders with sql rules at schema and column
// level, one of which is not a SELECT.
var duckContract = strings.NewReplacer(
	"    physicalType: table\n", `    physicalType: table
    quality:
      - name: no negative totals
        type: sql
        query: |
          SELECT count(*) FROM {object} WHERE order_total < 0
        mustBe: 0
      - name: tidy up
        type: sql
        query: DELETE FROM {object}
        mustBe: 0
`,
	"        required: true\n      - name: customer", `        required: true
        quality:
          - type: sql
            query: SELECT max({property}) FROM ${table}
            mustBeLessThan: 10000
      - name: customer`,
).Replace(withServers("  - server: lake\n    type: duckdb\n    database: shop.duckdb"))

// TestCheckPushesDownToADuckDBFile: a servers entry of type duckdb is
// checked inside the database file, sql rules included, and the file is
// left as it was.
func TestCheckPushesDownToADuckDBFile(t *testing.T) {
	dir := userRepo(t, map[string]string{"orders.odcs.yaml": duckContract})
	db, err := sql.Open("duckdb", filepath.Join(dir, "shop.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE orders (order_id varchar, order_total bigint, note varchar)`,
		`INSERT INTO orders VALUES ('1001', 2500, ''), ('1002', NULL, ''), ('1002', -990, ''), ('1003', 12000, '')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	stdout, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--format", "json")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	for _, want := range []string{`"rule": "VALUE_NULL"`, `"rule": "VALUE_UNIQUE"`, `"column": "note"`, `"rows": 4`,
		`sql rule \"no negative totals\" returned 1, want = 0`, `"line": 17`,
		`sql rule \"tidy up\": the query failed: the query is a DELETE statement`,
		`sql rule returned 12000, want < 10000`, `"path": "duckdb://shop.duckdb"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %s:\n%s", want, stdout)
		}
	}
	db, err = sql.Open("duckdb", filepath.Join(dir, "shop.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM orders`).Scan(&n); err != nil || n != 4 {
		t.Errorf("after the check the table has %d rows (%v), want the 4 it had", n, err)
	}

	// A database file that is not there is data that could not be read.
	userRepo(t, map[string]string{"orders.odcs.yaml": duckContract})
	_, stderr, code = cli(t, nil, "check", "-c", "orders.odcs.yaml")
	if code != exitUnreadable || !strings.Contains(stderr, "shop.duckdb") {
		t.Errorf("missing file: exit %d, stderr %s; want 3 naming it", code, stderr)
	}
}

// TestSQLRulesRunOnLocalFiles: sql rules on files run through embedded
// DuckDB, the schema object being the table.
func TestSQLRulesRunOnLocalFiles(t *testing.T) {
	contract := strings.Replace(duckContract, "    type: duckdb\n    database: shop.duckdb", "    type: local\n    path: orders.csv\n    format: csv", 1)
	userRepo(t, map[string]string{"orders.odcs.yaml": contract,
		"orders.csv": "order_id,order_total\n1001,2500\n1002,-3\n1003,\"12,50\"\n"})
	stdout, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--format", "json")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	for _, want := range []string{`sql rule \"no negative totals\" returned 1, want = 0`, `"rule": "VALUE_TYPE"`,
		`the query is a DELETE statement`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %s:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "returned 12000") {
		t.Errorf("the column rule saw a value the file does not have:\n%s", stdout)
	}
}
