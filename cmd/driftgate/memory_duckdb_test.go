//go:build cgo

package main

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// memoryLimitQuery is DuckDB's memory_limit in bytes: the value an sql rule
// returns, so the report says what DuckDB was given.
const memoryLimitQuery = `SELECT CAST(CAST(regexp_extract(s, '^([0-9.]+)', 1) AS DOUBLE) * CASE regexp_extract(s, ' ([KMGT]i?B)$', 1) WHEN 'KiB' THEN 1024 WHEN 'MiB' THEN 1048576 WHEN 'GiB' THEN 1073741824 WHEN 'TiB' THEN 1099511627776 ELSE 1 END AS BIGINT) FROM (SELECT current_setting('memory_limit') AS s)`

// TestDuckDBGetsAShareOfTheMemoryBudget runs sql rules on files under
// several DRIFTGATE_MEMORY_LIMIT values: DuckDB's buffer manager gets a
// quarter of the budget (at least 64 MiB), and with off its own default.
func TestDuckDBGetsAShareOfTheMemoryBudget(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	var own int64
	err = db.QueryRow(memoryLimitQuery).Scan(&own)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	contract := strings.Replace(withServers("  - server: files\n    type: local\n    path: orders.csv"), "    physicalType: table\n",
		"    physicalType: table\n    quality:\n      - name: duckdb memory\n        type: sql\n        query: \""+memoryLimitQuery+"\"\n        mustBe: 0\n", 1)
	for _, tc := range []struct {
		budget string
		want   int64
	}{
		{"", 64 << 20}, // the floor: a quarter of the default 240 MiB is less
		{"1GiB", 256 << 20},
		{"512MiB", 128 << 20},
		{"40MiB", 64 << 20},
		{"off", own},
	} {
		t.Run("DRIFTGATE_MEMORY_LIMIT="+tc.budget, func(t *testing.T) {
			userRepo(t, map[string]string{"orders.odcs.yaml": contract, "orders.csv": "order_id,order_total,customer\n1,2,x\n"})
			stdout, stderr, code := cli(t, map[string]string{memoryEnv: tc.budget}, "check", "-c", "orders.odcs.yaml", "--format", "json")
			want := fmt.Sprintf(`sql rule \"duckdb memory\" returned %g, want = 0`, float64(tc.want))
			if code != exitFailed || !strings.Contains(stdout, want) {
				t.Errorf("exit %d, want 1 with %s; stderr %s\n%s", code, want, stderr, stdout)
			}
		})
	}
}
