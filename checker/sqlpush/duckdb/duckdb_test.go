//go:build cgo

package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/checker/sqlpush/sqlpushtest"
)

// ordersDB makes a DuckDB database file holding the orders fixture as the
// table orders, in file order, and returns its path.
func ordersDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orders.duckdb")
	ctx := context.Background()
	e, err := open(ctx, path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var defs, ph []string
	for i, c := range sqlpushtest.OrdersColumns {
		defs = append(defs, c.Name+" "+string(c.Kind))
		ph = append(ph, "$"+strconv.Itoa(i+1))
	}
	if err := e.Exec(ctx, `CREATE TABLE orders (`+strings.Join(defs, ", ")+`)`); err != nil {
		t.Fatal(err)
	}
	for _, row := range sqlpushtest.Orders(t) {
		if err := e.Exec(ctx, `INSERT INTO orders VALUES (`+strings.Join(ph, ", ")+`)`, row...); err != nil {
			t.Fatalf("load row %v: %v", row, err)
		}
	}
	return path
}

// TestAgreesWithArrowEngine: the planted orders fixture checked in a
// DuckDB database file gives the Arrow engine's findings on the same CSV.
func TestAgreesWithArrowEngine(t *testing.T) {
	e, err := Open(context.Background(), ordersDB(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	got := sqlpushtest.Agree(t, e, sqlpush.Options{Input: "duckdb orders"}, Files{})
	assertSQLRuleRan(t, got)
}

// assertSQLRuleRan: the fixture's sql rule (SELECT COUNT(*) FROM {object}
// WHERE amount < 0, mustBe 0) ran and failed, pointing at its query.
func assertSQLRuleRan(t *testing.T, r *report.Report) {
	t.Helper()
	for _, f := range r.Findings {
		if f.Rule == "QUALITY_SQL" {
			if f.Actual != "1" || f.Location == nil || f.Location.Line != 32 {
				t.Errorf("sql rule finding %+v, want 1 at line 32 (the query)", f)
			}
			return
		}
	}
	t.Errorf("no QUALITY_SQL finding in %+v", r.Findings)
}

// TestArrayRulesAgreeWithArrowEngine: minItems, maxItems and uniqueItems
// pushed down to DuckDB lists give the Arrow engine's findings on the same
// rows in a Parquet file.
func TestArrayRulesAgreeWithArrowEngine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "arrays.duckdb")
	ctx := context.Background()
	load, err := open(ctx, path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := sqlpushtest.ArraysParquet(t, dir)
	if err := load.Exec(ctx, "CREATE TABLE arrays AS SELECT * FROM read_parquet('"+src+"')"); err != nil {
		t.Fatal(err)
	}
	load.Close()
	e, err := Open(ctx, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	sqlpushtest.AgreeOnArrays(t, e, sqlpush.Options{Input: "duckdb arrays"})
}

// TestDuckDBKeepsToItsMemoryLimitAndSpillsInItsOwnDirectory: the engine's
// buffer manager is bounded by the limit it is opened with (by default not
// 80% of the machine, but DefaultMemoryLimit; NoMemoryLimit is DuckDB's
// own default) and spills to a temporary directory of its own, which Close
// removes; by default DuckDB would spill into .tmp in the working
// directory.
func TestDuckDBKeepsToItsMemoryLimitAndSpillsInItsOwnDirectory(t *testing.T) {
	ctx := context.Background()
	own := ownMemoryLimit(t)
	if own == "64.0 MiB" || own == "128.0 MiB" {
		t.Fatalf("DuckDB's own default is %s here: the cases below cannot tell it apart", own)
	}
	for _, tc := range []struct {
		mem  MemoryLimit
		want string
	}{
		{0, "64.0 MiB"},
		{DefaultMemoryLimit, "64.0 MiB"},
		{128 << 20, "128.0 MiB"},
		{NoMemoryLimit, own},
	} {
		e, err := OpenMemory(ctx, tc.mem)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := e.Rows(ctx, `SELECT current_setting('memory_limit'), current_setting('temp_directory')`, nil)
		if err != nil {
			e.Close()
			t.Fatal(err)
		}
		limit, _ := rows[0][0].(string)
		tmp, _ := rows[0][1].(string)
		if limit != tc.want {
			t.Errorf("opened with %d: memory_limit %q, want %q", tc.mem, limit, tc.want)
		}
		if !strings.HasPrefix(filepath.Base(tmp), "driftgate-duckdb-") || filepath.Dir(tmp) != filepath.Clean(os.TempDir()) {
			t.Errorf("temp_directory %q, want a driftgate-duckdb-* directory under %s", tmp, os.TempDir())
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("after Close, %s: %v; want it removed", tmp, err)
		}
	}
}

// ownMemoryLimit is the memory_limit DuckDB gives itself when not told.
func ownMemoryLimit(t *testing.T) string {
	t.Helper()
	db, err := sql.Open(driverName, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var own string
	if err := db.QueryRow(`SELECT current_setting('memory_limit')`).Scan(&own); err != nil {
		t.Fatal(err)
	}
	return own
}
