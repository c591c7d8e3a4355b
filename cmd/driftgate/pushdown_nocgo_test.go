//go:build !cgo

package main

import (
	"strings"
	"testing"
)

// TestWithoutCgoDuckDBIsSaidNotRun: a pure-Go build has no DuckDB: a
// duckdb server is a usage error and sql rules on files are not executed,
// each with the reason.
func TestWithoutCgoDuckDBIsSaidNotRun(t *testing.T) {
	userRepo(t, map[string]string{"orders.odcs.yaml": withServers("  - server: lake\n    type: duckdb\n    database: shop.duckdb")})
	_, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml")
	if code != exitUsage || !strings.Contains(stderr, "this build has no DuckDB (built without cgo)") {
		t.Errorf("duckdb server: exit %d, stderr %s; want 2 saying there is no DuckDB", code, stderr)
	}
	contract := strings.Replace(withServers("  - server: files\n    type: local\n    path: orders.csv"), "    physicalType: table\n",
		"    physicalType: table\n    quality:\n      - type: sql\n        query: SELECT count(*) FROM {object}\n        mustBe: 0\n", 1)
	userRepo(t, map[string]string{"orders.odcs.yaml": contract, "orders.csv": "order_id,order_total,customer\n1,2,x\n"})
	stdout, _, _ := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--format", "json")
	if !strings.Contains(stdout, "this build has no DuckDB (built without cgo)") || !strings.Contains(stdout, `"rule": "QUALITY_NOT_EXECUTED"`) {
		t.Errorf("sql rule on files in a build without DuckDB:\n%s", stdout)
	}
}
